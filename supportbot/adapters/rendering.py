"""One walk through a ``Reply`` that every renderer plugs its wire format into.

A reply is shown in one order everywhere: its text, its cards, its table, its attachments and its
form, then its buttons last, where a thumb or a number finds them. A renderer (Block Kit, an Adaptive
Card, plain text) says only how each piece looks (``ReplyParts``); ``walk`` decides what comes when,
so no channel shows a reply's pieces in an order of its own by mistake. Money and dates arrive
formatted in the reply; nothing here formats them again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import ClassVar, Generic, TypeVar

from supportbot.bot.messages import Attachment, Card, Form, Reply, Table

PartT = TypeVar("PartT")


class ReplyParts(ABC, Generic[PartT]):
    """How one wire format shows each piece of a reply; a piece the format does not show yields nothing.

    One instance renders one reply, so a renderer may keep what it counts along the way (Slack's
    unique action ids, the console's numbered buttons).
    """

    FORM_BEFORE_ATTACHMENTS: ClassVar[bool] = False
    """Where the form goes: after the attachments (beside the buttons it is opened or sent with), or
    before them for a format that lists attachments at the foot of its body (Teams)."""

    @abstractmethod
    def text(self, text: str) -> Iterable[PartT]: ...

    @abstractmethod
    def card(self, card: Card) -> Iterable[PartT]: ...

    @abstractmethod
    def table(self, table: Table) -> Iterable[PartT]: ...

    def attachments(self, attachments: tuple[Attachment, ...]) -> Iterable[PartT]:
        return ()

    def form(self, form: Form) -> Iterable[PartT]:
        return ()

    def buttons(self, reply: Reply) -> Iterable[PartT]:
        """The reply's buttons, with whatever a format puts among them (the button opening a form)."""
        return ()


def walk(reply: Reply, parts: ReplyParts[PartT]) -> list[PartT]:
    """The reply's pieces, rendered by ``parts``, in the one order every channel shows them."""
    rendered = list(parts.text(reply.text))
    for card in reply.cards:
        rendered.extend(parts.card(card))
    if reply.table is not None:
        rendered.extend(parts.table(reply.table))
    form = list(parts.form(reply.form)) if reply.form is not None else []
    if parts.FORM_BEFORE_ATTACHMENTS:
        rendered.extend(form)
    rendered.extend(parts.attachments(reply.attachments))
    if not parts.FORM_BEFORE_ATTACHMENTS:
        rendered.extend(form)
    rendered.extend(parts.buttons(reply))
    return rendered


def aligned_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A table flattened for a narrow or plain target: columns padded to line up in a monospace font,
    the header underlined with dashes; a short row leaves its last columns empty."""
    widths = [
        max([len(columns[i])] + [len(row[i]) for row in rows if i < len(row)]) for i in range(len(columns))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cells[i].ljust(widths[i]) if i < len(cells) else "" for i in range(len(widths))
        ).rstrip()

    return [line(columns), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]
