"""A reply frame made from the turn's dumped reply (``Answer.payload``) is byte for byte the frame made
from the reply itself: order cards, lists, forms, apologies and the handoff's lines, in both languages."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.web.handlers import encode_frame
from supportbot.adapters.webchat.protocol import CAPABILITIES, reply_frame
from supportbot.bot.messages import (
    Attachment,
    Button,
    Card,
    Choice,
    ConversationRef,
    Field,
    Form,
    FormField,
    Message,
    Reply,
    Table,
)
from supportbot.integrations.errors import BackendUnavailable
from tests.conftest import make_settings

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
SARA = "sara@support.example"


@pytest.fixture
async def application(data_dir: Path) -> AsyncIterator[Application]:
    """Office hours around the clock and an agent online, so a customer asking for a person is queued."""
    app = await build_application(make_settings(data_dir, office_hours=""))
    try:
        await app.handoffs.agent_online(SARA)
        yield app
    finally:
        await app.close()


def _both_ways(reply: Reply, dumped: dict[str, Any], **options: Any) -> tuple[bytes, bytes]:
    """The frame made from the reply and the one made from its dump, as the bytes that go out."""
    return encode_frame(reply_frame("m-1", reply, **options)), encode_frame(
        reply_frame("m-1", dumped, **options)
    )


FORM = Form(
    id="request.open",
    title="Öppna ett ärende",
    fields=(
        FormField(name="name", label="Namn", kind="info", value="Erik Lund"),
        FormField(
            name="category",
            label="Kategori",
            kind="choice",
            choices=(Choice(label="Teknik", value="technical"), Choice(label="Order", value="order")),
            required=True,
        ),
        FormField(name="subject", label="Rubrik", max_length=300, error="Skriv en rubrik"),
        FormField(name="password", label="Lösenord", kind="password"),
    ),
    submit_label="Skicka",
    cancel_label="Avbryt",
    open_label="Öppna formuläret",
    open_value="öppna ett ärende",
)

MADE = [
    Reply(text="", language="en", intent="handoff.relay"),
    Reply(text="Hej!", language="sv"),
    Reply(
        text="Order 4711 har skickats.",
        language="sv",
        cards=(
            Card(
                title="Order 4711",
                subtitle=None,
                fields=(
                    Field(label="Status", value="Skickad"),
                    Field(label="Spårning", value="0037\u00a00712"),
                ),
                buttons=(Button(label="Prata med en person", value="prata med en person"),),
                url="https://tracking.postnord.com/?id=1",
            ),
            Card(title="Utan länk", url="javascript:alert(1)", url_label="Klicka"),
        ),
        table=Table(
            columns=("#", "Rad", "", "Summa"), rows=(("1", "IBM Power S1022", "1 ×", "SEK 100 000,00"),)
        ),
        buttons=(Button(label="Mina ordrar", value="mina ordrar"),),
        attachments=(
            Attachment(name="orders.csv", url="/files/a/orders.csv?sig=x", content_type="text/csv", size=120),
            Attachment(name="evil.html", url="data:text/html,<b>x</b>"),
        ),
    ),
    Reply(text="Fyll i formuläret.", language="sv", form=FORM),
    Reply(text="Fill in the form.", language="en", form=FORM.model_copy(update={"cancel_label": None})),
]


@pytest.mark.parametrize(
    "reply", MADE, ids=["silent", "plain", "cards-table-attachments", "form-sv", "form-en"]
)
def test_the_frame_from_the_dump_is_the_frame_from_the_reply(reply: Reply) -> None:
    dumped = reply.model_dump(mode="json")
    kept = copy.deepcopy(dumped)
    made, from_dump = _both_ways(
        reply, dumped, repeat=True, warning={"code": "files_missing", "message": "x"}
    )
    assert from_dump == made
    assert dumped == kept  # the dump is the store's too: the frame leaves it as it was


async def test_the_assistants_answers_go_out_as_the_same_bytes_either_way(application: Application) -> None:
    async def ask(user: str, conversation: str, text: str) -> tuple[Reply, dict[str, Any]]:
        answer = await application.pipeline.answer(
            Message(
                conversation=ConversationRef(channel="web", conversation_id=conversation),
                text=text,
                user_id=user,
                delivery_id=uuid.uuid4().hex,
                capabilities=CAPABILITIES,
            )
        )
        assert answer.payload is not None
        return answer.reply, answer.payload

    scripts = {
        ANNA: [
            "where is my order 4711?",  # a card and the lines' table
            "show my orders from last month",  # a list
            "var är order 4712?",
            "visa mina ordrar",
            "where is order 999999?",  # nothing found
            "",  # an empty message
            "x" * 4001,  # too long
        ],
        ERIK: [
            "jag vill prata med en person",  # queued for a person
            "finns det någon där?",  # said to the agents: the bot is silent
            "cancel",  # a queued customer cancels
        ],
        "max.muller@contoso.example": [
            "I'd like to open a support request",
            "jag vill öppna ett ärende",
            "cancel",
        ],
    }
    seen: set[str | None] = set()
    shown: set[str] = set()
    for user, lines in scripts.items():
        conversation = uuid.uuid4().hex
        for line in lines:
            reply, dumped = await ask(user, conversation, line)
            made, from_dump = _both_ways(reply, dumped)
            assert from_dump == made, line
            seen.add(reply.intent)
            shown |= {part for part in ("cards", "table", "buttons", "form") if getattr(reply, part)}
    application.backends.orders = _DownOrders()  # type: ignore[assignment]
    for line in ("where is order 4711", "var är order 4711"):
        reply, dumped = await ask(ANNA, uuid.uuid4().hex, line)
        made, from_dump = _both_ways(reply, dumped)
        assert from_dump == made, line
        seen.add(reply.intent)
    # the kinds of answer this went through, and the parts they showed
    assert shown == {"cards", "table", "buttons", "form"}
    assert {
        "order.status",
        "order.search",
        "handoff.agent",
        "handoff.relay",
        "handoff.cancel",
        "request.open",
    } <= seen


class _DownOrders:
    def __getattr__(self, name: str) -> object:
        async def fail(*args: object, **kwargs: object) -> object:
            raise BackendUnavailable("connection refused")

        return fail
