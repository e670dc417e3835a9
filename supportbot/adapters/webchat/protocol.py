"""The web chat's JSON protocol as pure functions: a frame in becomes a ``Message``, a ``Reply`` becomes JSON.

Nothing here touches the network, so every rule of docs/webchat-protocol.md is unit-tested here.
"""

from __future__ import annotations

import json
import mimetypes
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from supportbot.bot.handoff import BACK, JOINED, first_name
from supportbot.bot.i18n import translate
from supportbot.bot.messages import (
    Attachment,
    Button,
    Capability,
    Card,
    ConversationRef,
    Form,
    FormSubmission,
    InboundFile,
    Message,
    Reply,
    Table,
    known_time_zone,
)
from supportbot.bot.store import TurnRecord
from supportbot.integrations.models import Principal

MAX_FRAME_BYTES = 64 * 1024
"""A text frame above this (UTF-8 bytes) is answered with a ``too_large`` error and never parsed."""
HARD_FRAME_BYTES = 1024 * 1024
"""Above this the WebSocket layer itself closes the connection (close code 1009)."""

MAX_FRAME_FILES = 5
"""Uploaded files one message may carry."""
MAX_FORM_FIELDS = 32
MAX_FORM_VALUE_CHARS = 20_000
"""A form value above this is ``too_large``; below it, the form's own limits are the core's to check."""
MAX_FILE_NAME_CHARS = 200

CAPABILITIES: frozenset[Capability] = frozenset({"forms", "files", "password"})
"""The web chat shows forms and sends files, and its users sign in here with their password (it can ask
for it again, in a password field): every message it builds says so."""

ErrorCode = Literal[
    "bad_json", "bad_frame", "too_large", "rate_limited", "internal", "files_missing", "unavailable"
]

_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_FILE_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_FORM_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_FIELD_NAME = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+\-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+\-]{0,62}")
OCTET_STREAM = "application/octet-stream"


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
    files: tuple[str, ...] = ()
    """Ids of files the client uploaded (``POST /webchat/upload``) to send with this message."""


@dataclass(frozen=True)
class FormFrame:
    """A form of a reply, filled in and sent: ``form`` is the form's id, ``values`` its inputs."""

    id: str
    form: str
    values: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PingFrame:
    pass


@dataclass(frozen=True)
class TypingFrame:
    """The customer is typing (or stopped): shown to the agent who has the conversation, if any."""

    on: bool


ClientFrame = MessageFrame | FormFrame | PingFrame | TypingFrame
QueuedFrame = MessageFrame | FormFrame
"""The frames that are answered in turn by the pipeline."""


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
    if kind == "message":  # nearly every frame
        text, button = raw.get("text"), raw.get("button", False)
        if known_id is None or not isinstance(text, str) or not isinstance(button, bool):
            raise FrameError("bad_frame", in_reply_to=known_id)
        files = _file_ids(raw, known_id) if "files" in raw else ()
        return MessageFrame(id=known_id, text=text, button=button, files=files)
    if kind == "ping":
        return PingFrame()
    if kind == "typing":
        on = raw.get("on")
        if not isinstance(on, bool):
            raise FrameError("bad_frame")
        return TypingFrame(on=on)
    if kind == "form":
        return _form_frame(raw, known_id)
    raise FrameError("bad_frame", in_reply_to=known_id)


def _file_ids(raw: dict[str, Any], frame_id: str) -> tuple[str, ...]:
    """The ``files`` of a message frame: at most five upload ids, each once, in the order sent."""
    files = raw.get("files", [])
    if (
        not isinstance(files, list)
        or len(files) > MAX_FRAME_FILES
        or not all(isinstance(f, str) and _FILE_ID.fullmatch(f) for f in files)
    ):
        raise FrameError("bad_frame", in_reply_to=frame_id)
    return tuple(dict.fromkeys(files))


def _form_frame(raw: dict[str, Any], frame_id: str | None) -> FormFrame:
    """Strictly the documented shape: a form id, and an object of at most 32 named string values."""
    form, values = raw.get("form"), raw.get("values")
    if (
        frame_id is None
        or not isinstance(form, str)
        or not _FORM_ID.fullmatch(form)
        or not isinstance(values, dict)
        or len(values) > MAX_FORM_FIELDS
        or not all(isinstance(k, str) and _FIELD_NAME.fullmatch(k) for k in values)
        or not all(isinstance(v, str) for v in values.values())
    ):
        raise FrameError("bad_frame", in_reply_to=frame_id)
    if any(len(v) > MAX_FORM_VALUE_CHARS for v in values.values()):
        raise FrameError("too_large", in_reply_to=frame_id)
    return FormFrame(id=frame_id, form=form, values=dict(values))


def delivery_id(frame: QueuedFrame) -> str:
    """A form's delivery id is its frame id in a space of its own, so it never repeats a message's."""
    return f"form:{frame.id}" if isinstance(frame, FormFrame) else frame.id


@dataclass(frozen=True)
class ChatFrame:
    """A message or form frame as the web chat received it: the session's conversation it belongs to,
    the page's language (a hint until the conversation has one), and the input names of the form
    the conversation showed (see ``to_message``)."""

    frame: QueuedFrame
    sid: str
    language_hint: str | None = None
    shown_fields: Collection[str] = ()
    secret_fields: Collection[str] = ()
    """Of those, the password fields: their values go to ``FormSubmission.secrets``."""
    time_zone: str | None = None
    """The browser's time zone (``time_zone``), for the times in the reply."""


def to_message(
    frame: QueuedFrame,
    *,
    sid: str | None = None,
    conversation: ConversationRef | None = None,
    user_id: str | None,
    received_at: datetime | None,
    language_hint: str | None = None,
    files: tuple[InboundFile, ...] = (),
    shown_fields: Collection[str] = (),
    secret_fields: Collection[str] = (),
    time_zone: str | None = None,
) -> Message:
    """The core's ``Message`` for one web chat frame: the session's conversation, the frame id as delivery id.

    The conversation is the session's ``sid``'s, or ``conversation`` itself when the caller keeps it (an
    open chat makes it once, not for every message).

    ``files`` are the message's uploads, already fetched; ``shown_fields`` the input names of the form
    the conversation showed, so a sent form keeps only values of those (unknown names are dropped);
    the values of its password fields (``secret_fields``) become the submission's ``secrets``, which
    nothing stores.
    """
    form = None
    if isinstance(frame, FormFrame):
        sent = {name: value for name, value in frame.values.items() if name in shown_fields}
        values = {name: value for name, value in sent.items() if name not in secret_fields}
        secrets = {name: SecretStr(value) for name, value in sent.items() if name in secret_fields}
        form = FormSubmission(id=frame.form, values=values, secrets=secrets)
    if conversation is None:
        if sid is None:
            raise TypeError("to_message needs the session's sid or its conversation")
        conversation = ConversationRef(channel="web", conversation_id=sid)
    return Message(
        conversation=conversation,
        text=frame.text if isinstance(frame, MessageFrame) else "",
        user_id=user_id,
        delivery_id=delivery_id(frame),
        is_button=isinstance(frame, MessageFrame) and frame.button,
        language_hint=language_hint,
        received_at=received_at,
        form=form,
        files=files,
        capabilities=CAPABILITIES,
        time_zone=time_zone,
    )


def form_fields(turns: Iterable[TurnRecord], form_id: str) -> frozenset[str]:
    """The input names of the latest form with this id that the conversation showed; none if none."""
    form = _latest_form(turns, form_id)
    return frozenset(f.name for f in form.fields if f.kind != "info") if form is not None else frozenset()


def secret_fields(turns: Iterable[TurnRecord], form_id: str) -> frozenset[str]:
    """The password fields of that form: what the user types there is passed on, never kept."""
    form = _latest_form(turns, form_id)
    return frozenset(f.name for f in form.fields if f.kind == "password") if form is not None else frozenset()


def _latest_form(turns: Iterable[TurnRecord], form_id: str) -> Form | None:
    found = None
    for turn in turns:
        if turn.role != "bot" or not turn.payload or not isinstance(turn.payload.get("form"), dict):
            continue
        reply = stored_reply(turn.payload)
        if reply is not None and reply.form is not None and reply.form.id == form_id:
            found = reply.form
    return found


def time_zone(name: str | None) -> str | None:
    """The browser's time zone (``?tz=Europe/Stockholm`` of the WebSocket) when it is a real IANA
    zone; ``None`` otherwise, and the user's country's zone is used."""
    return known_time_zone(name)


# --- uploads --------------------------------------------------------------------------------------


def upload_name(header: str | None) -> str | None:
    """The file's name from the percent-encoded ``X-Filename`` header: its last path part, without
    control characters, at most 200 characters (keeping the extension); ``None`` if nothing is left."""
    if not header or len(header) > 4 * 1024:
        return None
    try:
        name = unquote(header.strip(), errors="strict")
    except UnicodeDecodeError:
        return None
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if not name:
        return None
    if len(name) > MAX_FILE_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and stem and len(ext) <= 16 else ""
        name = name[: MAX_FILE_NAME_CHARS - len(ext) - (1 if ext else 0)].rstrip() + (
            f".{ext}" if ext else ""
        )
    return name


@cache
def _mime_types() -> mimetypes.MimeTypes:
    """Python's own table only, not the machine's: the same guess on every server. Plus logs, the
    files support asks for most, which browsers send without a type."""
    types = mimetypes.MimeTypes()
    types.add_type("text/plain", ".log", strict=False)
    return types


def upload_content_type(header: str | None, name: str) -> str:
    """What the browser says the file is; when it says nothing useful, a guess from the name.

    Only the media type is kept (no parameters). The back end decides what it accepts.
    """
    given = (header or "").split(";", 1)[0].strip().lower()
    if _MEDIA_TYPE.fullmatch(given) and given != OCTET_STREAM:
        return given
    guessed, _ = _mime_types().guess_type(name, strict=False)
    return guessed or OCTET_STREAM


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


def _form(form: Form, language: str) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "value": f.value,
                "choices": [{"label": c.label, "value": c.value} for c in f.choices],
                "required": f.required,
                "max_length": f.max_length,
                "error": f.error,
            }
            for f in form.fields
        ],
        "submit_label": form.submit_label,
        "cancel_label": form.cancel_label,
        # Cancel says the cancel word as a button: the reply's language decides which word.
        "cancel_value": translate("request.button.cancel.value", language) if form.cancel_label else None,
        "open_label": form.open_label,
        "open_value": form.open_value,
    }


def reply_json(reply: Reply) -> dict[str, Any]:
    """The channel-neutral reply as the widget renders it (the intent stays on the server).

    ``form`` is there only when the reply has one, so a client that knows no forms sees no change.
    """
    rendered: dict[str, Any] = {
        "text": reply.text,
        "language": reply.language,
        "cards": [_card(c) for c in reply.cards],
        "table": _table(reply.table) if reply.table is not None else None,
        "buttons": [_button(b) for b in reply.buttons],
        "attachments": [a for a in (_attachment(x) for x in reply.attachments) if a is not None],
    }
    if reply.form is not None:
        rendered["form"] = _form(reply.form, reply.language)
    return rendered


def dumped_reply_json(dumped: Mapping[str, Any]) -> dict[str, Any]:
    """``reply_json`` of a reply already dumped (``reply.model_dump(mode="json")``, as ``Answer.payload``
    keeps it): the same dictionary, built from the dump's lists rather than by walking the model again.
    Nothing of ``dumped`` is shared with the result, so the dump stays as it was."""
    rendered: dict[str, Any] = {
        "text": dumped["text"],
        "language": dumped["language"],
        "cards": [_dumped_card(c) for c in dumped["cards"]],
        "table": _dumped_table(dumped["table"]) if dumped["table"] is not None else None,
        "buttons": [{"label": b["label"], "value": b["value"]} for b in dumped["buttons"]],
        "attachments": [a for a in (_dumped_attachment(x) for x in dumped["attachments"]) if a is not None],
    }
    if dumped["form"] is not None:
        rendered["form"] = _dumped_form(dumped["form"], dumped["language"])
    return rendered


def _dumped_card(card: Mapping[str, Any]) -> dict[str, Any]:
    url = safe_url(card["url"])
    return {
        "title": card["title"],
        "subtitle": card["subtitle"],
        "fields": [{"label": f["label"], "value": f["value"]} for f in card["fields"]],
        "link": {"url": url, "label": card["url_label"] or url} if url else None,
        "buttons": [{"label": b["label"], "value": b["value"]} for b in card["buttons"]],
    }


def _dumped_table(table: Mapping[str, Any]) -> dict[str, Any]:
    return {"columns": list(table["columns"]), "rows": [list(row) for row in table["rows"]]}


def _dumped_attachment(attachment: Mapping[str, Any]) -> dict[str, Any] | None:
    url = safe_url(attachment["url"])
    if url is None:
        return None
    return {
        "name": attachment["name"],
        "url": url,
        "content_type": attachment["content_type"],
        "size": attachment["size"],
    }


def _dumped_form(form: Mapping[str, Any], language: str) -> dict[str, Any]:
    return {
        "id": form["id"],
        "title": form["title"],
        "fields": [
            {
                "name": f["name"],
                "label": f["label"],
                "kind": f["kind"],
                "value": f["value"],
                "choices": [{"label": c["label"], "value": c["value"]} for c in f["choices"]],
                "required": f["required"],
                "max_length": f["max_length"],
                "error": f["error"],
            }
            for f in form["fields"]
        ],
        "submit_label": form["submit_label"],
        "cancel_label": form["cancel_label"],
        "cancel_value": translate("request.button.cancel.value", language) if form["cancel_label"] else None,
        "open_label": form["open_label"],
        "open_value": form["open_value"],
    }


def iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def stored_reply(payload: dict[str, Any] | None) -> Reply | None:
    """A bot turn's stored payload as a ``Reply``; an unreadable old payload shows as its text alone."""
    if not payload:
        return None
    try:
        return Reply.model_validate(payload)
    except ValueError:
        return None


def _user_item(turn: TurnRecord) -> dict[str, Any]:
    """A user's line; a form's values and the files sent come apart from the words, as the widget
    shows them (the transcript line has them appended: see ``Message.transcript_text``)."""
    item: dict[str, Any] = {"role": "user", "text": turn.text, "reply": None, "at": iso(turn.at)}
    payload = turn.payload or {}
    text = turn.text
    files = payload.get("files")
    if isinstance(files, list) and files and all(isinstance(f, dict) for f in files):
        shown = [
            {
                "name": str(f.get("name", "")),
                "size": f.get("size") if isinstance(f.get("size"), int) else None,
            }
            for f in files
        ]
        item["files"] = shown
        text = _without_suffix(text, [_clean(f"[{f.get('name')}, {f.get('size')} bytes]") for f in files])
    form = payload.get("form")
    if isinstance(form, dict) and isinstance(form.get("values"), dict):
        values = {str(k): str(v) for k, v in form["values"].items()}
        item["form"] = {"id": str(form.get("id", "")), "values": values}
        text = _without_suffix(text, [_clean(f"{k}: {v}") for k, v in values.items()])
    said = payload.get("said")
    item["text"] = said if isinstance(said, str) else text  # older lines: the words without the suffix
    return item


def _clean(text: str) -> str:
    """As the pipeline keeps a line: NFC, without control characters but line breaks and tabs."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co"})


def _without_suffix(text: str, lines: list[str]) -> str:
    """``text`` without these closing lines, when it ends with exactly them (else unchanged)."""
    suffix = "\n".join(lines)
    if not suffix:
        return text
    if text == suffix:
        return ""
    if text.endswith("\n" + suffix):
        return text[: -len(suffix) - 1]
    return text


def history_item(turn: TurnRecord) -> dict[str, Any] | None:
    """One transcript line for the widget; lines of roles the widget does not show are left out."""
    if turn.role == "user":
        return _user_item(turn)
    if turn.role in {"bot", "agent"}:
        reply = stored_reply(turn.payload)
        item: dict[str, Any] = {
            "role": "bot",
            "text": turn.text,
            "reply": reply_json(reply) if reply is not None else None,
            "at": iso(turn.at),
        }
        payload = turn.payload or {}
        if turn.role == "agent":  # a support agent's line during a handoff (bot.handoff)
            item["agent"] = first_name(str(payload.get("agent") or "")) or ""
        elif payload.get("intent") in EVENTS:  # "Sara from support has joined the chat", and the bot back
            item["event"] = EVENTS[payload["intent"]]
        return item
    return None


EVENTS = {JOINED: "agent_joined", BACK: "agent_left"}
"""The bot's lines that say a person joined the chat or left it, as the ``event`` the widget shows."""


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


def typing_frame(on: bool, *, agent: str | None = None) -> dict[str, Any]:
    """The assistant is typing, or, with ``agent`` (their first name), the support agent who has the chat."""
    frame: dict[str, Any] = {"type": "typing", "on": on}
    if agent:
        frame["agent"] = agent
    return frame


def agent_frame(message: dict[str, Any]) -> dict[str, Any] | None:
    """What ``bot.handoff`` published for the customer's open chat, as a frame; ``None`` if nothing to show.

    An agent's line (``agent``), the agent typing (``typing`` with their name), a person joining
    (``notice`` with ``"event": "agent_joined"``) and the bot back (``notice``, ``"agent_left"``).
    """
    kind = message.get("type")
    name = str(message.get("agent") or "")
    if kind == "agent" and isinstance(message.get("text"), str):
        frame: dict[str, Any] = {"type": "agent", "text": message["text"], "agent": name}
        if message.get("at"):
            frame["at"] = iso(datetime.fromisoformat(message["at"]))
        return frame
    if kind == "typing":
        return typing_frame(bool(message.get("on")), agent=name or None)
    if kind in {"joined", "bot"}:
        notice = notice_frame(message)
        if notice is not None and (kind == "joined" or message.get("event") == "left"):
            notice["event"] = "agent_joined" if kind == "joined" else "agent_left"
        return notice
    return None


def reply_frame(
    in_reply_to: str,
    reply: Reply | Mapping[str, Any],
    *,
    repeat: bool = False,
    warning: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The answer to a message; ``reply`` may be given as already dumped (``Answer.payload``), the
    same frame made for less."""
    rendered = reply_json(reply) if isinstance(reply, Reply) else dumped_reply_json(reply)
    frame: dict[str, Any] = {"type": "reply", "in_reply_to": in_reply_to, "reply": rendered}
    if repeat:
        frame["repeat"] = True
    if warning is not None:
        frame["warning"] = warning
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
