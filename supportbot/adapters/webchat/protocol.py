"""The web chat's JSON protocol as pure functions: a frame in becomes a ``Message``, a ``Reply`` becomes JSON.

Nothing here touches the network, so every rule of docs/webchat-protocol.md is unit-tested here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from supportbot.bot.messages import Attachment, Button, Card, ConversationRef, Message, Reply, Table
from supportbot.bot.store import TurnRecord
from supportbot.integrations.models import Principal

MAX_FRAME_BYTES = 64 * 1024
"""A text frame above this (UTF-8 bytes) is answered with a ``too_large`` error and never parsed."""
HARD_FRAME_BYTES = 1024 * 1024
"""Above this the WebSocket layer itself closes the connection (close code 1009)."""

MAX_LOGIN_BODY = 8 * 1024
MAX_USER_CHARS = 320
MAX_PASSWORD_CHARS = 1024

ErrorCode = Literal["bad_json", "bad_frame", "too_large", "rate_limited", "internal"]

_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


class FrameError(Exception):
    """A client frame the server will not process; becomes an ``error`` frame."""

    def __init__(self, code: ErrorCode, *, in_reply_to: str | None = None) -> None:
        super().__init__(code)
        self.code: ErrorCode = code
        self.in_reply_to = in_reply_to


@dataclass(frozen=True)
class MessageFrame:
    id: str
    text: str
    button: bool = False


@dataclass(frozen=True)
class PingFrame:
    pass


@dataclass(frozen=True)
class TypingFrame:
    """The customer is typing (or stopped): shown to the agent who has the conversation, if any."""

    on: bool


ClientFrame = MessageFrame | PingFrame | TypingFrame


# --- client → server ------------------------------------------------------------------------------


def parse_frame(data: str) -> ClientFrame:
    """A text frame as a typed client frame, or ``FrameError`` with the code the client is told."""
    if len(data) > MAX_FRAME_BYTES or len(data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise FrameError("too_large")
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):
        raise FrameError("bad_json") from None
    if not isinstance(raw, dict):
        raise FrameError("bad_frame")
    frame_id = raw.get("id")
    known_id = frame_id if isinstance(frame_id, str) and _ID.fullmatch(frame_id) else None
    kind = raw.get("type")
    if kind == "ping":
        return PingFrame()
    if kind == "typing":
        on = raw.get("on")
        if not isinstance(on, bool):
            raise FrameError("bad_frame")
        return TypingFrame(on=on)
    if kind != "message":
        raise FrameError("bad_frame", in_reply_to=known_id)
    text, button = raw.get("text"), raw.get("button", False)
    if known_id is None or not isinstance(text, str) or not isinstance(button, bool):
        raise FrameError("bad_frame", in_reply_to=known_id)
    return MessageFrame(id=known_id, text=text, button=button)


def to_message(
    frame: MessageFrame,
    *,
    sid: str,
    user_id: str | None,
    received_at: datetime,
    language_hint: str | None = None,
) -> Message:
    """The core's ``Message`` for one web chat frame: the session's conversation, the frame id as delivery id."""
    return Message(
        conversation=ConversationRef(channel="web", conversation_id=sid),
        text=frame.text,
        user_id=user_id,
        delivery_id=frame.id,
        is_button=frame.button,
        language_hint=language_hint,
        received_at=received_at,
    )


def parse_credentials(body: bytes) -> tuple[str, str] | None:
    """``(user, password)`` from a login body, or ``None`` when it is not the documented shape."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    user, password = data.get("user"), data.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        return None
    user = user.strip()
    if not user or not password or len(user) > MAX_USER_CHARS or len(password) > MAX_PASSWORD_CHARS:
        return None
    return user, password


# --- server → client ------------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """Only http(s) and same-site paths reach the browser: a ``javascript:`` link is dropped, not rendered."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in {"http", "https"} and parts.netloc else None


def _button(button: Button) -> dict[str, Any]:
    return {"label": button.label, "value": button.value}


def _card(card: Card) -> dict[str, Any]:
    url = safe_url(card.url)
    return {
        "title": card.title,
        "subtitle": card.subtitle,
        "fields": [{"label": f.label, "value": f.value} for f in card.fields],
        "link": {"url": url, "label": card.url_label or url} if url else None,
        "buttons": [_button(b) for b in card.buttons],
    }


def _table(table: Table) -> dict[str, Any]:
    return {"columns": list(table.columns), "rows": [list(row) for row in table.rows]}


def _attachment(attachment: Attachment) -> dict[str, Any] | None:
    url = safe_url(attachment.url)
    if url is None:
        return None
    return {
        "name": attachment.name,
        "url": url,
        "content_type": attachment.content_type,
        "size": attachment.size,
    }


def reply_json(reply: Reply) -> dict[str, Any]:
    """The channel-neutral reply as the widget renders it (the intent stays on the server)."""
    return {
        "text": reply.text,
        "language": reply.language,
        "cards": [_card(c) for c in reply.cards],
        "table": _table(reply.table) if reply.table is not None else None,
        "buttons": [_button(b) for b in reply.buttons],
        "attachments": [a for a in (_attachment(x) for x in reply.attachments) if a is not None],
    }


def iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def stored_reply(payload: dict[str, Any] | None) -> Reply | None:
    """A bot turn's stored payload as a ``Reply``; an unreadable old payload shows as its text alone."""
    if not payload:
        return None
    try:
        return Reply.model_validate(payload)
    except ValueError:
        return None


def history_item(turn: TurnRecord) -> dict[str, Any] | None:
    """One transcript line for the widget; lines of roles the widget does not show are left out."""
    if turn.role == "user":
        return {"role": "user", "text": turn.text, "reply": None, "at": iso(turn.at)}
    if turn.role in {"bot", "agent"}:
        reply = stored_reply(turn.payload)
        item: dict[str, Any] = {
            "role": "bot",
            "text": turn.text,
            "reply": reply_json(reply) if reply is not None else None,
            "at": iso(turn.at),
        }
        if turn.role == "agent":  # a support agent's line during a handoff (bot.handoff)
            item["agent"] = str((turn.payload or {}).get("agent") or "")
        return item
    return None


def last_language(turns: Iterable[TurnRecord]) -> str | None:
    """The language of the latest bot reply: the conversation goes on in it."""
    language = None
    for turn in turns:
        if turn.role == "bot" and turn.payload and isinstance(turn.payload.get("language"), str):
            language = turn.payload["language"]
    return language


def user_json(principal: Principal) -> dict[str, Any] | None:
    if principal.is_guest:
        return None
    return {"id": principal.user_id, "name": principal.name, "company": principal.company_name}


def ready_frame(principal: Principal, language: str | None) -> dict[str, Any]:
    return {"type": "ready", "user": user_json(principal), "language": language}


def history_frame(turns: Iterable[TurnRecord]) -> dict[str, Any]:
    items = [item for item in (history_item(t) for t in turns) if item is not None]
    return {"type": "history", "items": items}


def typing_frame(on: bool) -> dict[str, Any]:
    return {"type": "typing", "on": on}


def reply_frame(in_reply_to: str, reply: Reply, *, repeat: bool = False) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "reply", "in_reply_to": in_reply_to, "reply": reply_json(reply)}
    if repeat:
        frame["repeat"] = True
    return frame


def notice_frame(message: dict[str, Any]) -> dict[str, Any] | None:
    """A notice from the bus (see ``bot.notify``) as a frame; ``None`` for one that cannot be shown."""
    reply = stored_reply(message.get("reply"))
    if reply is None:
        return None
    at = message.get("at")
    return {
        "type": "notice",
        "reply": reply_json(reply),
        "at": iso(datetime.fromisoformat(at)) if at else None,
    }


def error_frame(code: ErrorCode, message: str, *, in_reply_to: str | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if in_reply_to is not None:
        frame["in_reply_to"] = in_reply_to
    return frame


def pong_frame() -> dict[str, Any]:
    return {"type": "pong"}
