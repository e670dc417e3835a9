"""The channel-neutral types: one ``Message`` in, one ``Reply`` out.

Adapters translate their wire format to and from these and nothing else, so every channel renders
the same reply its own way (a web chat bubble, Block Kit, an Adaptive Card, plain text).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, SecretStr
from pydantic import Field as PydField

_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]{0,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}")


def known_time_zone(name: object) -> str | None:
    """``name`` when it is a real IANA time zone (``Europe/Stockholm``), as a channel reports the
    user's device to be in: a web chat's browser, a Teams client. ``None`` for anything else (not a
    string, a path, an unknown zone), and the user's company's country's zone is used instead."""
    if not isinstance(name, str) or not name or not _ZONE.fullmatch(name):
        return None
    try:
        return ZoneInfo(name).key
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConversationRef(Frozen):
    """Where a conversation lives and where its replies go."""

    channel: str  # "web" | "console" | "slack" | "teams" | "directline"
    conversation_id: str
    extra: dict[str, str] = PydField(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.conversation_id}"


class FormSubmission(Frozen):
    """A form the user filled in and sent: ``id`` names the intent it answers (``Form.id``).

    ``secrets`` are the values of its password fields, apart from ``values`` so that nothing keeps them:
    not the transcript, not the conversation's state (slots fill from ``values`` only), not a dump
    of the message, not its repr. The adapter that knows the form puts a password field's value there.
    """

    id: str
    values: dict[str, str] = PydField(default_factory=dict)
    secrets: dict[str, SecretStr] = PydField(default_factory=dict, exclude=True, repr=False)

    def secret(self, name: str) -> str | None:
        """A password field's value as typed; read it, check it, and keep it nowhere."""
        found = self.secrets.get(name)
        return found.get_secret_value() if found is not None else None


class InboundFile(Frozen):
    """A file the user sent through their channel (web chat upload, Slack file, Teams attachment).

    Adapters download it, refuse it when it is larger than ``MAX_INBOUND_BYTES`` before reading
    further, and hand the bytes over; the back end checks the type and keeps it with its checksum.
    """

    name: str
    content_type: str = "application/octet-stream"
    data: bytes = PydField(default=b"", repr=False)
    declared_size: int | None = None
    """The size the channel announced; set without ``data`` for a file too large to fetch."""

    @property
    def size(self) -> int:
        return len(self.data) if self.data else (self.declared_size or 0)


MAX_INBOUND_BYTES = 10 * 1024 * 1024
"""The largest file a channel hands to the core (the back end's limit for request documents)."""

Capability = Literal["forms", "files", "password"]
"""What a channel can do beyond text and buttons: show a ``Form`` and send files; ``password``: its users
sign in here with their password, and it can ask for it again in a form's password field (kept out of
everything stored: ``FormSubmission.secrets``)."""


class Message(Frozen):
    """A user's message as the core sees it, whatever channel it came through.

    ``user_id`` is the supportbot user id the adapter has verified (a web session, a linked
    Slack or Teams identity, the console's ``--user``); ``None`` means a guest.
    ``delivery_id`` identifies this delivery so that a repeated one is answered only once.
    """

    conversation: ConversationRef
    text: str
    user_id: str | None = None
    delivery_id: str | None = None
    is_button: bool = False
    language_hint: str | None = None
    received_at: datetime | None = None
    form: FormSubmission | None = None
    files: tuple[InboundFile, ...] = ()
    capabilities: frozenset[Capability] = frozenset()
    """What the user's channel can show and send; the console has none of these."""
    time_zone: str | None = None
    """The time zone the user's device is in (an IANA name the channel checked), when it says: times
    in the reply are shown in it; else in the time zone of the user's company's country."""

    def transcript_text(self) -> str:
        """The line kept in the transcript: the text, a form's values, the names of files sent."""
        parts = [self.text] if self.text.strip() else []
        if self.form is not None:
            parts.extend(f"{name}: {value}" for name, value in self.form.values.items())
        parts.extend(f"[{f.name}, {f.size} bytes]" for f in self.files)
        return "\n".join(parts)


class Button(Frozen):
    """A button or quick reply; pressing it is the same as typing ``value``."""

    label: str
    value: str


class Field(Frozen):
    label: str
    value: str


class Card(Frozen):
    title: str
    subtitle: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    url: str | None = None
    url_label: str | None = None


class Table(Frozen):
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Attachment(Frozen):
    """A file the user can open: a signed download link, with its size when known."""

    kind: Literal["link", "file"] = "link"
    name: str
    url: str
    content_type: str = "application/octet-stream"
    size: int | None = None


class Choice(Frozen):
    label: str
    value: str


class FormField(Frozen):
    """One field of a form. ``info`` fields are shown, not edited (the profile's name, say)."""

    name: str
    label: str
    kind: Literal["text", "textarea", "choice", "info", "password"] = "text"
    """``password``: typed hidden, sent back in ``FormSubmission.secrets``, never pre-filled or shown."""
    value: str = ""
    choices: tuple[Choice, ...] = ()
    required: bool = False
    max_length: int | None = None
    error: str | None = None
    """Why the value sent was refused, shown beside the field."""


class Form(Frozen):
    """A form the channel shows natively: the web chat's form, a Slack modal, an Adaptive Card.

    Sending it becomes a ``Message`` with a ``FormSubmission`` of the same ``id``. Channels that
    open forms in a dialog (a Slack modal) first show ``open_label`` on a button.
    """

    id: str
    title: str
    fields: tuple[FormField, ...]
    submit_label: str
    cancel_label: str | None = None
    open_label: str
    open_value: str
    """What pressing the open button says: asking for the form again (for a fresh Slack trigger)."""


class Reply(Frozen):
    text: str
    cards: tuple[Card, ...] = ()
    table: Table | None = None
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    form: Form | None = None
    language: str = "en"
    intent: str | None = None
    """The intent that produced the reply: for transcripts, analytics and tests, never shown."""

    @property
    def silent(self) -> bool:
        """Nothing to show (an agent has the conversation): channels post nothing for it."""
        return not (self.text or self.cards or self.table or self.buttons or self.attachments or self.form)

    def plain_text(self) -> str:
        """The whole reply as text, for channels (and tests) without rich rendering."""
        parts = [self.text]
        for card in self.cards:
            parts.append(card.title + (f" — {card.subtitle}" if card.subtitle else ""))
            parts.extend(f"  {f.label}: {f.value}" for f in card.fields)
            if card.url:
                parts.append(f"  {card.url_label or card.url}: {card.url}")
            parts.extend(f"  [{b.label}]" for b in card.buttons)
        if self.table is not None:
            parts.append(" | ".join(self.table.columns))
            parts.extend(" | ".join(row) for row in self.table.rows)
        parts.extend(f"{a.name}: {a.url}" for a in self.attachments)
        if self.form is not None:
            parts.append(self.form.title)
            for f in self.form.fields:
                shown = f.value or ("/".join(c.label for c in f.choices) if f.choices else "")
                parts.append(f"  {f.label}: {shown}" + (f" ({f.error})" if f.error else ""))
        if self.buttons:
            parts.append("  ".join(f"[{b.label}]" for b in self.buttons))
        return "\n".join(parts)
