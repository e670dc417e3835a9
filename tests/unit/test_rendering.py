"""The one walk through a reply: every renderer gets the pieces in the same order, and tables are
flattened one way for plain targets."""

from __future__ import annotations

from collections.abc import Iterable

from supportbot.adapters.rendering import ReplyParts, aligned_table, walk
from supportbot.bot.messages import Attachment, Button, Card, Form, FormField, Reply, Table

REPLY = Reply(
    text="Here you are.",
    cards=(Card(title="Order 1"), Card(title="Order 2")),
    table=Table(columns=("Line",), rows=(("1",),)),
    attachments=(Attachment(name="copy.pdf", url="https://example.test/copy.pdf"),),
    form=Form(
        id="request.open",
        title="New request",
        fields=(FormField(name="subject", label="Subject"),),
        submit_label="Send",
        open_label="Open",
        open_value="open a request",
    ),
    buttons=(Button(label="More", value="more"),),
)


class Names(ReplyParts[str]):
    """Records which piece came when."""

    def text(self, text: str) -> Iterable[str]:
        return ["text"]

    def card(self, card: Card) -> Iterable[str]:
        return [card.title]

    def table(self, table: Table) -> Iterable[str]:
        return ["table"]

    def attachments(self, attachments: tuple[Attachment, ...]) -> Iterable[str]:
        return [a.name for a in attachments]

    def form(self, form: Form) -> Iterable[str]:
        return ["form"]

    def buttons(self, reply: Reply) -> Iterable[str]:
        return [b.label for b in reply.buttons]


class FormFirst(Names):
    FORM_BEFORE_ATTACHMENTS = True


def test_every_renderer_gets_the_pieces_in_one_order() -> None:
    assert walk(REPLY, Names()) == ["text", "Order 1", "Order 2", "table", "copy.pdf", "form", "More"]
    assert walk(REPLY, FormFirst()) == ["text", "Order 1", "Order 2", "table", "form", "copy.pdf", "More"]


def test_a_reply_of_text_alone_is_its_text() -> None:
    assert walk(Reply(text="Hi"), Names()) == ["text"]


def test_a_table_is_flattened_into_aligned_columns() -> None:
    lines = aligned_table(("Item", "Qty"), [("Bolt M8", "12"), ("Nut",)])
    assert lines == ["Item     Qty", "-------  ---", "Bolt M8  12", "Nut"]
