"""Slack payloads in: an event, a button press, a slash command or a modal becomes one ``Message``.

Pure functions over the decoded payload, so each rule is unit-tested on recorded payloads. A payload
that is not the documented shape raises ``PayloadError`` (the host answers 400 and does nothing).
Files shared in a DM are only described here (``SlackFile``); the host downloads them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any, Literal
from urllib.parse import parse_qsl

from supportbot.adapters.slack.surface import (
    ASK_ACTION,
    ASK_BLOCK,
    ASK_INPUT,
    ASK_VIEW,
    BUTTON_ACTION,
    COMMAND,
    FORM_ACTION,
    FORM_INPUT,
    FORM_VIEW,
)
from supportbot.bot.errors import SupportbotError
from supportbot.bot.messages import Capability, ConversationRef, FormSubmission, InboundFile, Message

CHANNEL = "slack"
MAX_TEXT = 40_000
MAX_FILES = 10
"""Slack lets a message carry ten files; more in a payload are ignored."""
MAX_FILE_NAME = 255
CAPABILITIES: frozenset[Capability] = frozenset({"forms", "files"})
"""Slack shows forms (as modals) and sends files: every message from Slack says so."""

Route = Literal["post", "ephemeral", "respond"]
"""How the answer goes back: a message in the DM, an ephemeral one in a channel, or the response_url."""


class PayloadError(SupportbotError):
    """A signed Slack request whose payload is not a shape the adapter handles."""


@dataclass(frozen=True)
class SlackFile:
    """A file shared in a DM as the event describes it; ``url`` is ``None`` until ``files.info`` fills
    it in (Slack leaves the details out of some events: ``file_access: check_file_info``)."""

    id: str
    name: str
    content_type: str
    size: int | None
    url: str | None

    def too_large(self, limit: int) -> InboundFile | None:
        """The file as the core's "too large" when Slack announced more than ``limit`` bytes."""
        if self.size is not None and self.size > limit:
            return InboundFile(name=self.name, content_type=self.content_type, declared_size=self.size)
        return None


@dataclass(frozen=True)
class Inbound:
    """What a Slack payload asks of the bot: who, where, what, and how the answer goes back.

    ``trigger_id`` (a button press, a slash command) lets an answer that carries a form open it as a
    modal; ``files`` are those shared with the message, still to be downloaded.
    """

    team_id: str
    user: str
    channel: str
    text: str
    delivery_id: str
    route: Route
    is_button: bool = False
    thread_ts: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None
    files: tuple[SlackFile, ...] = ()
    form: FormSubmission | None = None

    @property
    def external_id(self) -> str:
        """The person as the identity links know them: user ids are unique within a workspace."""
        return f"{self.team_id}:{self.user}"

    @property
    def conversation(self) -> ConversationRef:
        """One conversation per person and Slack channel: in a shared channel nobody shares state."""
        return ConversationRef(channel=CHANNEL, conversation_id=f"{self.team_id}:{self.channel}:{self.user}")

    def message(
        self,
        *,
        user_id: str | None,
        received_at: datetime | None = None,
        files: tuple[InboundFile, ...] = (),
    ) -> Message:
        """The core's message; ``files`` are the downloaded (or refused as too large) shared files."""
        return Message(
            conversation=self.conversation,
            text=self.text,
            user_id=user_id,
            delivery_id=self.delivery_id,
            is_button=self.is_button,
            received_at=received_at or datetime.now(UTC),
            form=self.form,
            files=files,
            capabilities=CAPABILITIES,
        )


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise PayloadError(f"missing {what}")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"missing {what}")
    return value


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def plain_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's encoded message text as typed: the bot's mention dropped, links shown, entities decoded."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    else:  # an app mention begins with the bot's mention even when its id is not known
        text = re.sub(r"^\s*" + _MENTION.pattern, " ", text)

    def link(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return label
        if target.startswith("mailto:"):
            return target[len("mailto:") :]
        return target

    text = _LINK.sub(link, text)
    return unescape(text).strip()[:MAX_TEXT]


def is_dm_channel(channel: str) -> bool:
    """Slack's direct-message channel ids begin with D."""
    return channel.startswith("D")


def slack_file(data: Any) -> SlackFile | None:
    """One entry of an event's ``files`` (or ``files.info``'s ``file``); ``None`` for one with no id."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        return None
    name = data.get("name") or data.get("title")
    mimetype = data.get("mimetype")
    size = data.get("size")
    url = data.get("url_private_download") or data.get("url_private")
    return SlackFile(
        id=data["id"],
        name=(name if isinstance(name, str) and name.strip() else data["id"]).strip()[:MAX_FILE_NAME],
        content_type=mimetype if isinstance(mimetype, str) and mimetype else "application/octet-stream",
        size=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
        url=url if isinstance(url, str) and url else None,
    )


def _files(event: dict[str, Any]) -> tuple[SlackFile, ...]:
    files = event.get("files")
    if not isinstance(files, list):
        raise PayloadError("missing event.files")
    found = tuple(f for f in (slack_file(d) for d in files[:MAX_FILES]) if f is not None)
    if not found:
        raise PayloadError("no usable event.files")
    return found


def from_event(body: dict[str, Any], *, bot_user_id: str | None = None) -> Inbound | None:
    """An Events API callback; ``None`` for an event the bot does not answer (bots, edits, channels).

    Files shared in a DM (``subtype: file_share``) come with the message; elsewhere they are ignored.
    """
    event = _dict(body.get("event"), "event")
    event_id = _str(body.get("event_id"), "event_id")
    kind = event.get("type")
    if kind not in {"message", "app_mention"}:
        return None
    if event.get("bot_id") or event.get("bot_profile"):
        return None  # other bots' messages (our own included)
    subtype = event.get("subtype")
    sharing = kind == "message" and subtype == "file_share"
    if subtype is not None and not sharing:
        return None  # edits, deletions, joins
    if kind == "message" and event.get("channel_type") != "im":
        return None
    user = _str(event.get("user"), "event.user")
    if bot_user_id and user == bot_user_id:
        return None
    channel = _str(event.get("channel"), "event.channel")
    text = event.get("text", "" if sharing else None)
    if not isinstance(text, str):
        raise PayloadError("missing event.text")
    team = event.get("team") or body.get("team_id")
    in_dm = kind == "message"
    return Inbound(
        team_id=_str(team, "team_id"),
        user=user,
        channel=channel,
        text=plain_text(text, bot_user_id=bot_user_id) if kind == "app_mention" else plain_text(text),
        delivery_id=event_id,
        route="post" if in_dm else "ephemeral",
        thread_ts=None if in_dm else (event.get("thread_ts") or None),
        files=_files(event) if sharing else (),
    )


def from_action(body: dict[str, Any]) -> Inbound | None:
    """A ``block_actions`` payload; ``None`` for a press that types nothing (a link button)."""
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise PayloadError("missing actions")
    action = _dict(actions[0], "actions[0]")
    action_id = _str(action.get("action_id"), "action_id")
    if not action_id.startswith(BUTTON_ACTION) and action_id != FORM_ACTION:
        return None
    value = _str(action.get("value"), "action value")
    user = _dict(body.get("user"), "user")
    user_id = _str(user.get("id"), "user.id")
    team = _obj(body.get("team")).get("id")
    team_id = _str(team or user.get("team_id"), "team.id")
    container = _obj(body.get("container"))
    channel_obj = _obj(body.get("channel"))
    channel = _str(channel_obj.get("id") or container.get("channel_id"), "channel.id")
    response_url = body.get("response_url") if isinstance(body.get("response_url"), str) else None
    stamp = _str(action.get("action_ts"), "action_ts")
    in_dm = is_dm_channel(channel) and not container.get("is_ephemeral")
    if not in_dm and not response_url:
        raise PayloadError("missing response_url")
    return Inbound(
        team_id=team_id,
        user=user_id,
        channel=channel,
        text=value[:MAX_TEXT],
        delivery_id=f"action:{user_id}:{stamp}",
        route="post" if in_dm else "respond",
        is_button=True,
        response_url=response_url,
        trigger_id=body.get("trigger_id") if isinstance(body.get("trigger_id"), str) else None,
    )


def from_command(body: dict[str, Any]) -> Inbound:
    """A slash command's form body; an empty command asks for help."""
    if body.get("command") != COMMAND:
        raise PayloadError("unknown command")
    text = body.get("text", "")
    if not isinstance(text, str):
        raise PayloadError("bad text")
    trigger_id = _str(body.get("trigger_id"), "trigger_id")
    return Inbound(
        team_id=_str(body.get("team_id"), "team_id"),
        user=_str(body.get("user_id"), "user_id"),
        channel=_str(body.get("channel_id"), "channel_id"),
        text=plain_text(text) or "help",
        delivery_id=f"command:{trigger_id}",
        route="respond",
        response_url=_str(body.get("response_url"), "response_url"),
        trigger_id=trigger_id,
    )


def wants_modal(body: dict[str, Any]) -> bool:
    """A slash command without text, which opens the question modal rather than answering."""
    return not plain_text(str(body.get("text") or ""))


@dataclass(frozen=True)
class ModalRequest:
    """Someone asked for the question modal (``/support`` alone, the Home tab's button)."""

    team_id: str
    user: str
    trigger_id: str


def modal_request(body: dict[str, Any]) -> ModalRequest:
    """The modal wanted by a text-less slash command or a press of the Home tab's "Ask a question"."""
    if "command" in body:
        return ModalRequest(
            team_id=_str(body.get("team_id"), "team_id"),
            user=_str(body.get("user_id"), "user_id"),
            trigger_id=_str(body.get("trigger_id"), "trigger_id"),
        )
    user = _dict(body.get("user"), "user")
    team = _obj(body.get("team")).get("id") or user.get("team_id")
    return ModalRequest(
        team_id=_str(team, "team.id"),
        user=_str(user.get("id"), "user.id"),
        trigger_id=_str(body.get("trigger_id"), "trigger_id"),
    )


def is_ask_action(body: dict[str, Any]) -> bool:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return isinstance(first, dict) and first.get("action_id") == ASK_ACTION


@dataclass(frozen=True)
class ModalQuestion:
    """A submitted question modal: the question goes to the person's DM with the bot."""

    team_id: str
    user: str
    text: str
    view_id: str
    language: str | None

    @property
    def external_id(self) -> str:
        return f"{self.team_id}:{self.user}"

    def in_dm(self, channel: str) -> Inbound:
        """The question as a message of the DM ``channel`` (from conversations.open), answered there."""
        return Inbound(
            team_id=self.team_id,
            user=self.user,
            channel=channel,
            text=self.text,
            delivery_id=f"view:{self.view_id}",
            route="post",
        )


def from_view(body: dict[str, Any]) -> ModalQuestion:
    """A ``view_submission`` of the question modal; ``text`` is empty when nothing was written."""
    view = _dict(body.get("view"), "view")
    if view.get("callback_id") != ASK_VIEW:
        raise PayloadError("unknown view")
    user = _dict(body.get("user"), "user")
    team = _obj(body.get("team")).get("id") or user.get("team_id") or view.get("team_id")
    values = _obj(_obj(view.get("state")).get("values"))
    value = _obj(_obj(values.get(ASK_BLOCK)).get(ASK_INPUT)).get("value")
    if value is not None and not isinstance(value, str):
        raise PayloadError("bad question")
    language: str | None = None
    metadata = view.get("private_metadata")
    if isinstance(metadata, str) and metadata:
        try:
            found = json.loads(metadata)
        except (ValueError, RecursionError):
            found = None
        if isinstance(found, dict) and isinstance(found.get("language"), str):
            language = found["language"]
    return ModalQuestion(
        team_id=_str(team, "team.id"),
        user=_str(user.get("id"), "user.id"),
        text=(value or "").strip()[:MAX_TEXT],
        view_id=_str(view.get("id"), "view.id"),
        language=language,
    )


@dataclass(frozen=True)
class FormSent:
    """A submitted form modal: its values go to the person's DM with the bot as a ``FormSubmission``."""

    team_id: str
    user: str
    view_id: str
    form: FormSubmission
    reply_to: str | None
    """The DM the modal was opened from (``None``: opened elsewhere, ``conversations.open`` finds it)."""

    @property
    def external_id(self) -> str:
        return f"{self.team_id}:{self.user}"

    def in_dm(self, channel: str) -> Inbound:
        """The form as a message of the DM ``channel``; one delivery per view, however often Slack sends it."""
        return Inbound(
            team_id=self.team_id,
            user=self.user,
            channel=channel,
            text="",
            delivery_id=f"slack-view:{self.view_id}",
            route="post",
            form=self.form,
        )


def view_callback(body: dict[str, Any]) -> str | None:
    """The ``callback_id`` of a ``view_submission``'s view (which modal was sent)."""
    callback = _obj(body.get("view")).get("callback_id")
    return callback if isinstance(callback, str) else None


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    metadata = view.get("private_metadata")
    if not isinstance(metadata, str) or not metadata:
        return {}
    try:
        found = json.loads(metadata)
    except (ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _input_value(state: Any) -> str:
    """What one input of a submitted modal holds: typed text or the chosen option's value, else ""."""
    value = _obj(state)
    if "selected_option" in value:
        chosen = value["selected_option"]
        if chosen is None:
            return ""
        picked = _obj(chosen).get("value")
        if not isinstance(picked, str):
            raise PayloadError("bad selected option")
        return picked
    typed = value.get("value")
    if typed is None:
        return ""
    if not isinstance(typed, str):
        raise PayloadError("bad input value")
    return typed[:MAX_TEXT]


def from_form_view(body: dict[str, Any]) -> FormSent:
    """A ``view_submission`` of a form modal: every input of the view, by its field name."""
    view = _dict(body.get("view"), "view")
    if view.get("callback_id") != FORM_VIEW:
        raise PayloadError("unknown view")
    metadata = _metadata(view)
    form_id = metadata.get("form")
    if not isinstance(form_id, str) or not form_id:
        raise PayloadError("no form in private_metadata")
    user = _dict(body.get("user"), "user")
    team = _obj(body.get("team")).get("id") or user.get("team_id") or view.get("team_id")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        raise PayloadError("missing view.blocks")
    state = _obj(_obj(view.get("state")).get("values"))
    values: dict[str, str] = {}
    for block in blocks:
        if (
            isinstance(block, dict)
            and block.get("type") == "input"
            and isinstance(block.get("block_id"), str)
        ):
            name = block["block_id"]
            values[name] = _input_value(_obj(state.get(name)).get(FORM_INPUT))
    channel = metadata.get("channel")
    return FormSent(
        team_id=_str(team, "team.id"),
        user=_str(user.get("id"), "user.id"),
        view_id=_str(view.get("id"), "view.id"),
        form=FormSubmission(id=form_id, values=values),
        reply_to=channel if isinstance(channel, str) and is_dm_channel(channel) else None,
    )


def inbound(body: dict[str, Any], *, bot_user_id: str | None = None) -> Inbound | None:
    """Any payload the adapter answers with a message; ``None`` when there is nothing to answer."""
    if body.get("type") == "event_callback":
        return from_event(body, bot_user_id=bot_user_id)
    if body.get("type") == "block_actions":
        return from_action(body)
    if "command" in body:
        return from_command(body)
    return None


def to_message(
    body: dict[str, Any],
    *,
    user_id: str | None,
    bot_user_id: str | None = None,
    received_at: datetime | None = None,
) -> Message | None:
    """The core's ``Message`` for a Slack payload (``user_id`` is the linked user, ``None`` a guest)."""
    found = inbound(body, bot_user_id=bot_user_id)
    return None if found is None else found.message(user_id=user_id, received_at=received_at)


def decode_body(raw: str, content_type: str | None) -> dict[str, Any]:
    """A request body as bolt will read it (JSON, or a form with a JSON ``payload``), checked first.

    Bolt raises on a body it cannot parse, which would be a 500; the host answers 400 instead.
    """
    if not raw:
        raise PayloadError("empty body")
    if content_type == "application/json" or raw.startswith("{"):
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise PayloadError("bad JSON") from None
    else:
        form = dict(parse_qsl(raw, keep_blank_values=True))
        if "payload" in raw:
            try:
                data = json.loads(form.get("payload", ""))
            except (ValueError, RecursionError):
                raise PayloadError("bad JSON payload") from None
        elif "command" in form or "ssl_check" in form:
            data = form
        else:
            raise PayloadError("unknown form")
    if not isinstance(data, dict):
        raise PayloadError("not an object")
    return data
