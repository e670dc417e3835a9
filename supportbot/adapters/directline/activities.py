"""Direct Line activities as pure functions: an activity WebChat posts becomes a ``Message``, a
transcript line becomes an activity WebChat shows.

Nothing here touches the network. A reply is one message activity: its text (Markdown, as WebChat
renders it), then an Adaptive Card for its cards, table, form and buttons (the Teams channel's own
card, ``teams.activity.adaptive_card``), then each file as an attachment whose ``contentUrl`` is the
file's signed download link. A card's button is an ``Action.Submit`` whose data WebChat posts back as
the activity's ``value``; a form's submit posts its inputs the same way (``form_submission``).

An activity's id is ``<conversation id>|<transcript position>`` (seven digits, as Direct Line writes
them), and the watermark is the position of the last line a client was given. The client's
``channelData.clientActivityID`` (else the activity's ``id``) is the message's delivery id, so a post
sent again is answered once; the user's own line comes back on the stream carrying it, which is how
WebChat knows its message arrived. A form's delivery id is its card's nonce, as in Teams, so the same
card sent twice (a second click) is answered once too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from supportbot.adapters.teams.activity import CARD_CONTENT_TYPE, BadActivity, adaptive_card, form_submission
from supportbot.adapters.webchat.protocol import safe_url, stored_reply
from supportbot.bot.messages import Capability, ConversationRef, FormSubmission, Message, Reply
from supportbot.bot.store import TurnRecord

CHANNEL = "directline"
CHANNEL_ID = "directline"
"""The ``channelId`` of every activity, as Microsoft's service writes it."""
BOT_ID = "supportbot"
MAX_ACTIVITY_BYTES = 64 * 1024
MAX_TEXT_CHARS = 20_000
CAPABILITIES: frozenset[Capability] = frozenset({"forms"})
"""WebChat shows a reply's form as an Adaptive Card; files reach the user as links, none are asked for."""

_CLIENT_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

__all__ = ["BadActivity", "Inbound", "Posted", "parse_activity", "to_message"]


@dataclass(frozen=True)
class Inbound:
    """What a posted activity says: its type, the client's id for it, and for a message its text,
    whether a card's button sent it, or the form a card sent."""

    type: str
    client_id: str | None
    text: str = ""
    button: bool = False
    form: FormSubmission | None = field(default=None, hash=False)
    nonce: str | None = None
    """The card's own mark on a form's submit: the same card sent twice is one delivery."""
    language: str | None = None

    @property
    def delivery_id(self) -> str | None:
        """What the message is answered once under: a form's card, else the client's id for it."""
        return f"form:{self.nonce}" if self.form is not None and self.nonce else self.client_id


def parse_activity(raw: Any) -> Inbound:
    """The activity in a decoded JSON body, or ``BadActivity`` saying what is wrong with it."""
    if not isinstance(raw, dict):
        raise BadActivity("the body must be a JSON object")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise BadActivity("'type' is missing")
    channel_data = raw.get("channelData")
    given = channel_data.get("clientActivityID") if isinstance(channel_data, dict) else None
    if given is None:
        given = raw.get("id")
    if given is not None and not (isinstance(given, str) and _CLIENT_ID.fullmatch(given)):
        raise BadActivity("'channelData.clientActivityID' is not an id of at most 64 letters and digits")
    locale = raw.get("locale")
    language = locale[:2].lower() if isinstance(locale, str) and _LOCALE.fullmatch(locale) else None
    if kind != "message":
        return Inbound(type=kind, client_id=given, language=language)
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise BadActivity("'text' must be a string")
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise BadActivity("'text' is too long")
    if raw.get("attachments"):
        raise BadActivity("files are not taken here")
    value = raw.get("value")
    submitted = form_submission(value)
    if submitted is not None:
        form, nonce = submitted
        return Inbound(type=kind, client_id=given, form=form, nonce=nonce, language=language)
    if isinstance(value, dict) and value.get("supportbot") == "button":
        pressed = value.get("text")
        if not isinstance(pressed, str) or len(pressed) > MAX_TEXT_CHARS:
            raise BadActivity("a button's value must be a string")
        return Inbound(type=kind, client_id=given, text=pressed, button=True, language=language)
    if not (text or "").strip():
        raise BadActivity("a message needs 'text'")
    return Inbound(type=kind, client_id=given, text=text or "", language=language)


def conversation_ref(conversation_id: str) -> ConversationRef:
    return ConversationRef(channel=CHANNEL, conversation_id=conversation_id)


@dataclass(frozen=True)
class Posted:
    """A message activity as it was posted to one conversation: the delivery id it is answered under,
    and the inputs of the form the conversation showed (``None``: no form was sent)."""

    conversation_id: str
    activity: Inbound
    delivery_id: str
    shown_fields: frozenset[str] | None = None


def to_message(posted: Posted, *, user_id: str | None, received_at: datetime | None = None) -> Message:
    """The core's ``Message`` for a posted message activity. A form keeps only the values of the
    inputs of the form the conversation showed."""
    inbound = posted.activity
    form = inbound.form
    if form is not None:
        shown = posted.shown_fields or frozenset()
        form = form.model_copy(update={"values": {k: v for k, v in form.values.items() if k in shown}})
    return Message(
        conversation=conversation_ref(posted.conversation_id),
        text="" if form is not None else inbound.text,
        user_id=user_id,
        delivery_id=posted.delivery_id,
        is_button=inbound.button,
        language_hint=inbound.language,
        received_at=received_at,
        form=form,
        capabilities=CAPABILITIES,
    )


# --- transcript → activities -----------------------------------------------------------------------


def activity_id(conversation_id: str, seq: int) -> str:
    return f"{conversation_id}|{seq:07d}"


def parse_watermark(value: str | None) -> int | None:
    """A client's watermark: the position it has seen up to; ``None`` (all) when absent or not ours."""
    if value is None or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def _timestamp(at: datetime | None) -> str:
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reply_attachments(reply: Reply) -> list[dict[str, Any]]:
    """A reply's card (when it has more than text and files) and its files as download links."""
    attachments: list[dict[str, Any]] = []
    rest = reply.model_copy(update={"text": "", "attachments": ()})
    if rest.cards or rest.table is not None or rest.form is not None or rest.buttons:
        card = adaptive_card(rest)
        card.pop("msteams", None)
        card["body"] = [b for b in card["body"] if not (b.get("type") == "TextBlock" and not b.get("text"))]
        card["fallbackText"] = reply.plain_text()[:MAX_TEXT_CHARS]
        attachments.append({"contentType": CARD_CONTENT_TYPE, "content": card})
    for item in reply.attachments:
        url = safe_url(item.url)
        if url is not None:
            attachments.append({"contentType": item.content_type, "contentUrl": url, "name": item.name})
    return attachments


def turn_activity(conversation_id: str, turn: TurnRecord, *, user_id: str | None) -> dict[str, Any] | None:
    """One transcript line as an activity; lines WebChat does not show (``None``) are passed over."""
    base: dict[str, Any] = {
        "type": "message",
        "id": activity_id(conversation_id, turn.seq),
        "timestamp": _timestamp(turn.at),
        "channelId": CHANNEL_ID,
        "conversation": {"id": conversation_id},
    }
    if turn.role == "user":
        said = (turn.payload or {}).get("said")
        activity = base | {
            "from": {"id": user_id or "guest", "role": "user"},
            "text": said if isinstance(said, str) else turn.text,
        }
        channel_data: dict[str, Any] = {}
        if turn.delivery_id:
            channel_data["clientActivityID"] = turn.delivery_id
        if (turn.payload or {}).get("button") or (turn.payload or {}).get("form"):
            channel_data["postBack"] = True  # a card's button or form: WebChat does not show it as a line
        if channel_data:
            activity["channelData"] = channel_data
        return activity
    if turn.role in {"bot", "agent"}:
        reply = stored_reply(turn.payload)
        agent = str((turn.payload or {}).get("agent") or "") if turn.role == "agent" else ""
        activity = base | {
            "from": {"id": BOT_ID, "name": agent or "Support", "role": "bot"},
            "text": reply.text if reply is not None else turn.text,
            "textFormat": "markdown",
        }
        if reply is not None:
            attachments = reply_attachments(reply)
            if attachments:
                activity["attachments"] = attachments
            if reply.language:
                activity["locale"] = reply.language
        return activity
    return None


def typing_activity(conversation_id: str, *, agent: str = "") -> dict[str, Any]:
    """The assistant (or the agent who has the conversation) is writing: WebChat shows it until the
    next line comes, or for a few seconds. It has no place in the transcript, so no watermark of its own."""
    now = datetime.now(UTC)
    return {
        "type": "typing",
        "id": f"{conversation_id}|typing-{int(now.timestamp() * 1000)}",
        "timestamp": _timestamp(now),
        "channelId": CHANNEL_ID,
        "conversation": {"id": conversation_id},
        "from": {"id": BOT_ID, "name": agent or "Support", "role": "bot"},
    }


def activity_set(
    conversation_id: str, turns: list[TurnRecord], *, user_id: str | None, after: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The activities of the lines after position ``after`` (all when ``None``), and the new watermark."""
    watermark = after or 0
    activities: list[dict[str, Any]] = []
    asked: str | None = None
    for turn in turns:
        if turn.role == "user":
            asked = activity_id(conversation_id, turn.seq)
        if after is not None and turn.seq <= after:
            continue
        watermark = max(watermark, turn.seq)
        activity = turn_activity(conversation_id, turn, user_id=user_id)
        if activity is None:
            continue
        if turn.role == "bot" and asked is not None:
            activity["replyToId"] = asked  # the bot's answer names the line it answers
        activities.append(activity)
    return activities, watermark
