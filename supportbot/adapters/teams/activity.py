"""Teams activities as pure functions: an incoming activity becomes a ``Message``, a ``Reply`` an activity.

Nothing here touches the network. Buttons are Adaptive Card ``Action.Submit`` actions whose data is
``{"supportbot": "button", "text": <value>}``: Teams sends the pressed card's data back as the
message activity's ``value`` (with no text), and ``to_message`` treats ``value["text"]`` as typed
text with ``is_button=True``. (The ``msteams`` ``imBack`` form would post the value as visible text
but lose the "it was a button" bit.) An ``adaptiveCard/action`` invoke (``Action.Execute``) carrying
the same data is treated the same way.

A reply's ``Form`` becomes inputs in the card (info fields as facts); its submit's data is
``{"supportbot_form": <form id>, "supportbot_nonce": <random>}``, to which Teams adds each input's value
by its id. ``form_submission`` checks such a value strictly; the nonce, unique to the card shown, is the
submission's delivery id, so the same card sent twice opens one request. Files arrive as attachments:
``file_links`` says which to download (``files`` does that), and ignores the HTML copy of the message.
"""

from __future__ import annotations

import html
import mimetypes
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from botbuilder.schema import Activity, ActivityTypes, Attachment, Mention

from supportbot.adapters.rendering import ReplyParts, walk
from supportbot.adapters.teams import wording  # noqa: F401 (registers the teams.* words rendered here)
from supportbot.bot.i18n import translate
from supportbot.bot.messages import Attachment as MessageAttachment
from supportbot.bot.messages import (
    Button,
    Capability,
    Card,
    ConversationRef,
    Form,
    FormField,
    FormSubmission,
    InboundFile,
    Message,
    Reply,
    Table,
    known_time_zone,
)

CHANNEL = "teams"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
"""The Adaptive Card version Teams renders (desktop, web and mobile)."""
BUTTON_MARK = "button"
MAX_TEXT_CHARS = 28_000
"""Teams refuses messages much above 28 KB; longer replies are cut (the transcript keeps them whole)."""

MAX_ACTIONS = 6
"""Teams shows about six card actions; beyond that the reply's links go into the body as a list."""

CAPABILITIES: frozenset[Capability] = frozenset({"forms", "files"})
"""Teams shows a reply's form as an Adaptive Card everywhere; it gives a bot files only in a
personal chat (``capabilities``), so in group chats and channels the bot never asks for one."""


def capabilities(activity: Activity) -> frozenset[Capability]:
    """What this conversation can do: forms everywhere, files in personal chats only."""
    kind = getattr(activity.conversation, "conversation_type", None)
    if kind in (None, "personal"):
        return CAPABILITIES
    return frozenset({"forms"})


FORM_MARK = "supportbot_form"
NONCE_MARK = "supportbot_nonce"
MAX_FORM_FIELDS = 40
MAX_FIELD_CHARS = 10_000
"""Per value; a form's own limits are lower (Teams enforces ``maxLength`` as the user types)."""
MAX_FORM_CHARS = 50_000
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
"""A file sent in a personal chat: ``content.downloadUrl`` is pre-authenticated, for a short while."""
MAX_FILES = 10
"""Files fetched from one message; more are reported as not received."""

_FORM_ID = re.compile(r"[a-z][a-z0-9_]{0,30}(?:\.[a-z][a-z0-9_]{0,30}){1,3}")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FILE_TYPES = {
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "zip": "application/zip",
}

_TAG = re.compile(r"<[^>]{1,200}>")
_BLOCKQUOTE = re.compile(r"(?is)<blockquote\b[^>]{0,300}>(.*?)</blockquote>")
_BREAK = re.compile(r"(?i)<br\s*/?>|</?p\b[^>]{0,200}>|</?div\b[^>]{0,200}>")
_SPACES = re.compile(r"[ \t\u00a0]+")


class BadActivity(ValueError):
    """A request body that is not an activity this adapter can answer: the sender gets a 400."""


def parse_activity(raw: Any) -> Activity:
    """The activity in a decoded JSON body, or ``BadActivity`` saying what is missing."""
    if not isinstance(raw, dict):
        raise BadActivity("the body must be a JSON object")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise BadActivity("'type' is missing")
    for name in ("id", "channelId", "serviceUrl"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise BadActivity(f"'{name}' is missing")
    service = urlsplit(raw["serviceUrl"])
    if service.scheme not in {"http", "https"} or not service.netloc:
        raise BadActivity("'serviceUrl' is not an http(s) URL")
    for name in ("conversation", "from", "recipient"):
        part = raw.get(name)
        if not isinstance(part, dict) or not isinstance(part.get("id"), str) or not part["id"]:
            raise BadActivity(f"'{name}.id' is missing")
    if raw.get("text") is not None and not isinstance(raw["text"], str):
        raise BadActivity("'text' must be a string")
    if raw.get("entities") is not None and not isinstance(raw["entities"], list):
        raise BadActivity("'entities' must be a list")
    if raw.get("attachments") is not None and not isinstance(raw["attachments"], list):
        raise BadActivity("'attachments' must be a list")
    form_submission(raw.get("value"))  # a card's form that is not as we made it is refused here
    try:
        return Activity().deserialize(raw)
    except Exception as exc:
        raise BadActivity(f"not an activity: {exc.__class__.__name__}") from None


def tenant_id(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    return getattr(activity.conversation, "tenant_id", None)


def external_id(activity: Activity) -> str:
    """Who sent it, as the identity links name a Teams person: the Entra object id, else the channel id."""
    sender = activity.from_property
    return str(getattr(sender, "aad_object_id", None) or sender.id)


def conversation_ref(activity: Activity) -> ConversationRef:
    extra = {"service_url": activity.service_url}
    tenant = tenant_id(activity)
    if tenant:
        extra["tenant"] = tenant
    kind = getattr(activity.conversation, "conversation_type", None)
    if kind:
        extra["conversation_type"] = str(kind)
    return ConversationRef(channel=CHANNEL, conversation_id=activity.conversation.id, extra=extra)


def _without_bot_mention(activity: Activity, text: str) -> str:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or ():
        if getattr(entity, "type", None) != "mention":
            continue
        mention = Mention().deserialize(entity.serialize() | dict(entity.additional_properties or {}))
        if mention.mentioned is not None and mention.mentioned.id == bot_id and mention.text:
            text = text.replace(mention.text, " ")
    return text


def _quoted(match: re.Match[str]) -> str:
    """A quoted message's lines as chat quotes them ("> …"), for the reading to know whose words they are."""
    inner = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", match.group(1))))
    lines = [_SPACES.sub(" ", line).strip() for line in inner.splitlines()]
    return "\n" + "\n".join(f"> {line}" for line in lines if line) + "\n"


def clean_text(text: str) -> str:
    """Teams' text as the user meant it: tags such as a leftover <at>…</at> dropped, entities decoded,
    a quoted message (a reply's <blockquote>) kept as quoted lines ("> …")."""
    if "<blockquote" in text:
        text = _BLOCKQUOTE.sub(_quoted, text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()


def _button_text(value: Any) -> str | None:
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            return str(value["text"])
        action = value.get("action")
        if isinstance(action, dict) and isinstance(action.get("data"), dict):
            return _button_text(action["data"])
    return None


def _card_data(value: Any) -> dict[str, Any] | None:
    """What a pressed card action sent: a submit's value, or an execute invoke's ``action.data``."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    if FORM_MARK not in value and isinstance(action, dict) and isinstance(action.get("data"), dict):
        data: dict[str, Any] = action["data"]
        return data
    return value


def form_submission(value: Any) -> tuple[FormSubmission, str] | None:
    """The form a card's submit sent, with the card's nonce; ``None`` when it sent no form.

    Only our own shape passes: a form id like ``request.open``, a nonce, and at most
    ``MAX_FORM_FIELDS`` lower-case names, each with a string of bounded size. Anything else is
    ``BadActivity``: Teams itself never sends it.
    """
    data = _card_data(value)
    if data is None or FORM_MARK not in data:
        return None
    form_id, nonce = data.get(FORM_MARK), data.get(NONCE_MARK)
    if not isinstance(form_id, str) or not _FORM_ID.fullmatch(form_id):
        raise BadActivity("the form's id is not one of ours")
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise BadActivity("the form's nonce is missing")
    values: dict[str, str] = {}
    total = 0
    for name, item in data.items():
        if name in (FORM_MARK, NONCE_MARK):
            continue
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name) or name.startswith("supportbot"):
            raise BadActivity("a form field has a name that is not one of ours")
        if not isinstance(item, str) or len(item) > MAX_FIELD_CHARS:
            raise BadActivity(f"the form field '{name}' is not a string of at most {MAX_FIELD_CHARS}")
        total += len(item)
        values[name] = item
    if len(values) > MAX_FORM_FIELDS or total > MAX_FORM_CHARS:
        raise BadActivity("the form is too large")
    return FormSubmission(id=form_id, values=values), nonce


def to_message(
    activity: Activity,
    user_id: str | None,
    *,
    received_at: datetime | None = None,
    files: tuple[InboundFile, ...] = (),
) -> Message:
    """The core's ``Message`` for a message activity (or a card's submit/execute), with the files
    the host downloaded for it."""
    submitted = form_submission(activity.value)
    if submitted is not None:
        form, nonce = submitted
        return Message(
            conversation=conversation_ref(activity),
            text="",
            user_id=user_id,
            delivery_id=f"form:{nonce}",
            form=form,
            received_at=received_at,
            capabilities=capabilities(activity),
            time_zone=device_time_zone(activity),
        )
    pressed = _button_text(activity.value)
    if pressed is not None:
        text, is_button = pressed, True
    else:
        text, is_button = clean_text(_without_bot_mention(activity, activity.text or "")), False
    return Message(
        conversation=conversation_ref(activity),
        text=text,
        user_id=user_id,
        delivery_id=activity.id,
        is_button=is_button,
        received_at=received_at,
        files=files,
        capabilities=capabilities(activity),
        time_zone=device_time_zone(activity),
    )


def device_time_zone(activity: Activity) -> str | None:
    """The time zone the user's Teams client is in: the activity's ``localTimezone`` (an IANA name),
    else the ``timezone`` of its ``clientInfo`` entity; ``None`` when neither is a real zone."""
    zone = known_time_zone(activity.local_timezone)
    if zone is not None:
        return zone
    for entity in activity.entities or ():
        if getattr(entity, "type", None) == "clientInfo":
            properties = getattr(entity, "additional_properties", None) or {}
            return known_time_zone(properties.get("timezone"))
    return None


# --- files -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileLink:
    """A file of a message, still to be downloaded: ``with_token`` when the bot's token is needed."""

    name: str
    url: str
    content_type: str
    with_token: bool


def _file_type(name: str, file_type: Any) -> str:
    extension = file_type if isinstance(file_type, str) else name.rsplit(".", 1)[-1]
    known = _FILE_TYPES.get(extension.strip(".").lower())
    return known or mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_links(activity: Activity) -> list[FileLink]:
    """The files a message carries: files from the compose box (pre-authenticated download URL) and
    pasted pictures (``contentUrl`` on the connector, fetched with the bot's token). The HTML copy of
    the message, cards and anything else are not files."""
    links: list[FileLink] = []
    pictures = 0
    for attachment in activity.attachments or ():
        kind = (attachment.content_type or "").split(";", 1)[0].strip().lower()
        if kind == FILE_DOWNLOAD_INFO:
            content = attachment.content if isinstance(attachment.content, dict) else {}
            url = content.get("downloadUrl")
            if not isinstance(url, str) or not url:
                continue
            name = str(attachment.name or "file")[:255]
            links.append(FileLink(name, url, _file_type(name, content.get("fileType")), with_token=False))
        elif kind.startswith("image/") and isinstance(attachment.content_url, str) and attachment.content_url:
            pictures += 1
            extension = (mimetypes.guess_extension(kind) or ".img").lstrip(".")
            default = f"image.{extension}" if pictures == 1 else f"image-{pictures}.{extension}"
            name = str(attachment.name or default)[:255]
            links.append(FileLink(name, attachment.content_url, kind, with_token=True))
    return links


# --- Reply → activity -----------------------------------------------------------------------------


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(button: Button) -> dict[str, Any]:
    """A button; ``associatedInputs: none`` so that it neither checks nor sends a form's inputs."""
    return {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"supportbot": BUTTON_MARK, "text": button.value},
        "associatedInputs": "none",
    }


def _open_url(title: str, url: str) -> dict[str, Any]:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def _card(card: Card) -> dict[str, Any]:
    items: list[dict[str, Any]] = [_text_block(card.title, weight="Bolder", size="Medium")]
    if card.subtitle:
        items.append(_text_block(card.subtitle, isSubtle=True, spacing="None"))
    if card.fields:
        items.append(
            {"type": "FactSet", "facts": [{"title": f.label, "value": f.value} for f in card.fields]}
        )
    actions = [_submit(b) for b in card.buttons]
    if card.url:
        actions.append(_open_url(card.url_label or card.url, card.url))
    if actions:
        items.append({"type": "ActionSet", "actions": actions})
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _table(table: Table) -> list[dict[str, Any]]:
    """A table as column sets (one per row, header bold): every Teams client renders these."""

    def row(cells: tuple[str, ...], *, header: bool) -> dict[str, Any]:
        style = {"weight": "Bolder"} if header else {}
        return {
            "type": "ColumnSet",
            "spacing": "Small",
            "separator": header,
            "columns": [
                {"type": "Column", "width": "stretch", "items": [_text_block(cell, **style)]}
                for cell in cells
            ],
        }

    return [row(table.columns, header=True), *(row(r, header=False) for r in table.rows)]


def _size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f" ({size} B)"
    if size < 1024 * 1024:
        return f" ({size / 1024:.0f} kB)"
    return f" ({size / 1024 / 1024:.1f} MB)"


def _links(attachments: tuple[MessageAttachment, ...]) -> dict[str, Any]:
    """Many links (a statement's copies) as a Markdown list, which every Teams client renders."""
    lines = []
    for a in attachments:
        name = a.name.replace("[", "(").replace("]", ")")
        url = a.url.replace(" ", "%20").replace(")", "%29")
        lines.append(f"- [{name}{_size(a.size)}]({url})")
    return _text_block("\n".join(lines), separator=True)


def _facts(fields: list[FormField]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": f.label, "value": f.value or "–"} for f in fields]}


def _input(field: FormField, language: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": field.name, "label": field.label, "value": field.value}
    if field.kind == "choice":
        item |= {
            "type": "Input.ChoiceSet",
            "style": "compact",
            "choices": [{"title": c.label, "value": c.value} for c in field.choices],
        }
        message = translate("teams.form.choose", language)
    else:
        item |= {"type": "Input.Text", "isMultiline": field.kind == "textarea"}
        if field.max_length:
            item["maxLength"] = field.max_length
        message = translate("teams.form.required", language)
    if field.required:
        item |= {"isRequired": True, "errorMessage": message}
    return item


def _form(form: Form, *, language: str, nonce: str) -> dict[str, Any]:
    """The form as a container: a title, the profile as facts, inputs (each refusal under its input in
    the attention colour), then send and cancel."""
    items: list[dict[str, Any]] = [_text_block(form.title, weight="Bolder", size="Medium")]
    info = [f for f in form.fields if f.kind == "info"]
    if info:
        items.append(_facts(info))
    for field in form.fields:
        if field.kind == "info":
            continue
        items.append(_input(field, language))
        if field.error:
            items.append(_text_block(field.error, color="Attention", size="Small", spacing="None"))
    actions: list[dict[str, Any]] = [
        {
            "type": "Action.Submit",
            "title": form.submit_label,
            "style": "positive",
            "data": {FORM_MARK: form.id, NONCE_MARK: nonce},
        }
    ]
    if form.cancel_label:
        cancel = translate("request.button.cancel.value", language)
        actions.append(_submit(Button(label=form.cancel_label, value=cancel)))
    items.append({"type": "ActionSet", "actions": actions})
    return {
        "type": "Container",
        "id": "supportbot-form",
        "separator": True,
        "spacing": "Medium",
        "items": items,
    }


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


class _CardBody(ReplyParts[dict[str, Any]]):
    """A reply's pieces in an Adaptive Card's body: the form before the links, which go at the foot of
    the body only when there are too many to be actions; the buttons are the card's actions."""

    FORM_BEFORE_ATTACHMENTS = True

    def __init__(self, reply: Reply, nonce: str | None) -> None:
        self.language = reply.language
        self.nonce = nonce
        self.links_are_actions = len(reply.attachments) + len(reply.buttons) <= MAX_ACTIONS

    def text(self, text: str) -> list[dict[str, Any]]:
        return [_text_block(text[:MAX_TEXT_CHARS])]

    def card(self, card: Card) -> list[dict[str, Any]]:
        return [_card(card)]

    def table(self, table: Table) -> list[dict[str, Any]]:
        return _table(table)

    def form(self, form: Form) -> list[dict[str, Any]]:
        return [_form(form, language=self.language, nonce=self.nonce or new_nonce())]

    def attachments(self, attachments: tuple[MessageAttachment, ...]) -> list[dict[str, Any]]:
        return [_links(attachments)] if attachments and not self.links_are_actions else []


def adaptive_card(reply: Reply, *, nonce: str | None = None) -> dict[str, Any]:
    """The reply as one Adaptive Card: text, cards as containers with facts, the table, the form, then
    buttons. ``nonce`` marks the form's submit (a fresh one by default)."""
    parts = _CardBody(reply, nonce)
    body = walk(reply, parts)
    actions: list[dict[str, Any]] = []
    if parts.links_are_actions:
        actions.extend(_open_url(f"{a.name}{_size(a.size)}", a.url) for a in reply.attachments)
    actions.extend(_submit(b) for b in reply.buttons)
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "lang": reply.language,
        "body": body,
        "fallbackText": reply.plain_text()[:MAX_TEXT_CHARS],
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def to_activity(reply: Reply) -> Activity:
    """A message activity carrying the reply as an Adaptive Card; ``summary`` is what notifications show.

    The card's ``lang`` carries the reply's language: botbuilder sets the activity's locale to the
    user's own when it sends.
    """
    return card_activity(adaptive_card(reply), summary=reply.text)


def sent_card(form: Form | None, submitted: FormSubmission, language: str) -> dict[str, Any]:
    """What a sent form's card becomes: what was sent, read-only, so the same card cannot be sent again.

    ``form`` is the form as it was shown (labels, choices); without it only "sent" is said.
    """
    body: list[dict[str, Any]] = []
    if form is not None:
        body.append(_text_block(form.title, weight="Bolder", size="Medium"))
        facts: list[FormField] = []
        for field in form.fields:
            value = field.value if field.kind == "info" else submitted.values.get(field.name, "")
            choice = next((c.label for c in field.choices if c.value == value), None)
            facts.append(field.model_copy(update={"value": choice or value}))
        body.append(_facts(facts))
    body.append(_text_block(translate("teams.form.sent", language), isSubtle=True))
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "lang": language,
        "body": body,
        "msteams": {"width": "Full"},
    }


def card_activity(card: dict[str, Any], *, activity_id: str | None = None, summary: str = "") -> Activity:
    """A message activity carrying one card (``activity_id`` set to replace that message)."""
    return Activity(
        type=ActivityTypes.message,
        id=activity_id,
        summary=summary[:200] or None,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )
