"""Teams activities as pure functions: an incoming activity becomes a ``Message``, a ``Reply`` an activity.

Nothing here touches the network. Buttons are Adaptive Card ``Action.Submit`` actions whose data is
``{"supportbot": "button", "text": <value>}``: Teams sends the pressed card's data back as the
message activity's ``value`` (with no text), and ``to_message`` treats ``value["text"]`` as typed
text with ``is_button=True``. (The ``msteams`` ``imBack`` form would post the value as visible text
but lose the "it was a button" bit.) An ``adaptiveCard/action`` invoke (``Action.Execute``) carrying
the same data is treated the same way.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from botbuilder.schema import Activity, ActivityTypes, Attachment, Mention

from supportbot.bot.messages import Attachment as MessageAttachment
from supportbot.bot.messages import Button, Card, ConversationRef, Message, Reply, Table

CHANNEL = "teams"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
"""The Adaptive Card version Teams renders (desktop, web and mobile)."""
BUTTON_MARK = "button"
MAX_TEXT_CHARS = 28_000
"""Teams refuses messages much above 28 KB; longer replies are cut (the transcript keeps them whole)."""

MAX_ACTIONS = 6
"""Teams shows about six card actions; beyond that the reply's links go into the body as a list."""

_TAG = re.compile(r"<[^>]{1,200}>")
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
    try:
        return Activity().deserialize(raw)
    except Exception as exc:  # noqa: BLE001 - msrest raises several kinds for a malformed body
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


def clean_text(text: str) -> str:
    """Teams' text as the user meant it: tags such as a leftover <at>…</at> dropped, entities decoded."""
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


def to_message(activity: Activity, user_id: str | None, *, received_at: datetime | None = None) -> Message:
    """The core's ``Message`` for a message activity (or a card's submit/execute)."""
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
    )


# --- Reply → activity -----------------------------------------------------------------------------


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(button: Button) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"supportbot": BUTTON_MARK, "text": button.value},
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


def adaptive_card(reply: Reply) -> dict[str, Any]:
    """The reply as one Adaptive Card: text, cards as containers with facts, the table, then buttons."""
    body: list[dict[str, Any]] = [_text_block(reply.text[:MAX_TEXT_CHARS])]
    body.extend(_card(card) for card in reply.cards)
    if reply.table is not None:
        body.extend(_table(reply.table))
    actions: list[dict[str, Any]] = []
    if len(reply.attachments) + len(reply.buttons) <= MAX_ACTIONS:
        actions.extend(_open_url(f"{a.name}{_size(a.size)}", a.url) for a in reply.attachments)
    elif reply.attachments:
        body.append(_links(reply.attachments))
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
    return Activity(
        type=ActivityTypes.message,
        summary=reply.text[:200],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=adaptive_card(reply))],
    )
