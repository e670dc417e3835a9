"""The channel-neutral types: one ``Message`` in, one ``Reply`` out.

Adapters translate their wire format to and from these and nothing else, so every channel renders
the same reply its own way (a web chat bubble, Block Kit, an Adaptive Card, plain text).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydField


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConversationRef(Frozen):
    """Where a conversation lives and where its replies go."""

    channel: str  # "web" | "console" | "slack" | "teams"
    conversation_id: str
    extra: dict[str, str] = PydField(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.conversation_id}"


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


class Reply(Frozen):
    text: str
    cards: tuple[Card, ...] = ()
    table: Table | None = None
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    language: str = "en"
    intent: str | None = None
    """The intent that produced the reply: for transcripts, analytics and tests, never shown."""

    @property
    def silent(self) -> bool:
        """Nothing to show (an agent has the conversation): channels post nothing for it."""
        return not (self.text or self.cards or self.table or self.buttons or self.attachments)

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
        if self.buttons:
            parts.append("  ".join(f"[{b.label}]" for b in self.buttons))
        return "\n".join(parts)
