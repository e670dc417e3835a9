"""Dialog rules, one by one, on hand-made parses: no NLU and no database involved."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest

from supportbot.bot.dialog import DialogEngine
from supportbot.bot.messages import ConversationRef, Message, Reply
from supportbot.bot.nlu.types import Entity, Parse
from supportbot.bot.pipeline import action_key
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.bot.state import DialogState
from supportbot.integrations.models import Principal, Role, Tool

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
USER = Principal(
    user_id="u@x.example", name="U", company_id=1, role=Role.USER, grants=frozenset({Tool.ORDERS})
)
NO_GRANTS = Principal(user_id="n@x.example", name="N", company_id=1, role=Role.USER)


async def _echo(ctx: TurnContext) -> Reply:
    order = ctx.slot("order")
    if order is not None and order.type == "order_number":
        ctx.set_current("order", "order_number", order.value)
    shown = ctx.parse.values("order_number")
    if len(shown) > 1:
        ctx.set_shown("order", shown)
    slots = {k: (v.type, v.value) for k, v in ctx.slots.items()}
    return Reply(text=f"{ctx.parse.intent}:{slots}", intent="echo")


SPECS = [
    IntentSpec(
        name="order.status",
        examples={},
        handler=_echo,
        tool=Tool.ORDERS,
        slots=(
            Slot("order", ("order_number", "reference"), question="order.ask_number", pattern=r"#?\d{3,10}"),
        ),
        guest_slots=(
            Slot("order", ("order_number",), question="order.ask_number", pattern=r"#?\d{3,10}"),
            Slot("customer", ("customer_number",), question="order.ask_customer_number", pattern=r"\d{7}"),
        ),
        claims=("order_number",),
    ),
    IntentSpec(name="order.search", examples={}, handler=_echo, tool=Tool.ORDERS),
    IntentSpec(name="invoice.get", examples={}, handler=_echo, tool=Tool.INVOICES),
    IntentSpec(name="smalltalk.thanks", examples={}, handler=_echo, guest_ok=True),
]


def _asking(state: DialogState) -> str | None:
    return state.pending.asking if state.pending is not None else None


def parse(text: str, intent: str = "none", *entities: tuple[str, Any], language: str = "en") -> Parse:
    return Parse(
        text=text,
        intent=intent,
        confidence=0.9 if intent != "none" else 0.1,
        entities=tuple(Entity(type=t, value=v, text=str(v), start=0, end=0) for t, v in entities),
        language=language,
    )


class Chat:
    def __init__(self, principal: Principal = USER, specs: list[IntentSpec] = SPECS) -> None:
        self.engine = DialogEngine(
            specs,
            backends=None,
            files=None,
            mailer=None,
            public_url="",
            support_email="",  # type: ignore[arg-type]
        )
        self.state = DialogState()
        self.principal = principal

    async def __call__(self, p: Parse) -> Reply:
        return await self.engine.step(parse=p, principal=self.principal, state=self.state, now=NOW)


async def test_a_missing_slot_is_asked_for_and_a_bare_number_answers_it() -> None:
    chat = Chat()
    asked = await chat(parse("where is my order", "order.status"))
    assert "order number" in asked.text and _asking(chat.state) == "order"
    answered = await chat(parse("4711", "none", ("order_number", "4711")))
    assert answered.text == "none:{'order': ('order_number', '4711')}"
    assert chat.state.pending is None


async def test_the_pattern_fills_a_slot_only_while_it_is_asked() -> None:
    chat = Chat(Principal.guest())
    await chat(parse("where is order 4711", "order.status", ("order_number", "4711")))
    assert _asking(chat.state) == "customer"
    reply = await chat(parse("1000123", "none", ("order_number", "1000123")))
    assert "('customer_number', '1000123')" in reply.text and "('order_number', '4711')" in reply.text


async def test_cancel_leaves_the_question_in_both_languages() -> None:
    for word, expected in (("cancel", "dropped"), ("Avbryt!", "släpper")):
        chat = Chat()
        await chat(parse("where is my order", "order.status", language="en" if word == "cancel" else "sv"))
        reply = await chat(parse(word, "none", language="en" if word == "cancel" else "sv"))
        assert expected in reply.text and chat.state.pending is None


async def test_cancel_with_nothing_pending_says_so() -> None:
    assert "nothing to cancel" in (await Chat()(parse("cancel"))).text


async def test_a_confident_new_intent_replaces_a_pending_question() -> None:
    chat = Chat()
    await chat(parse("where is my order", "order.status"))
    reply = await chat(parse("thanks", "smalltalk.thanks"))
    assert reply.text.startswith("smalltalk.thanks") and chat.state.pending is None


async def test_an_unrelated_answer_re_asks_the_question() -> None:
    chat = Chat()
    await chat(parse("where is my order", "order.status"))
    reply = await chat(parse("hmm not sure", "none"))
    assert "order number" in reply.text and "cancel" in reply.text
    assert _asking(chat.state) == "order"


async def test_context_fills_the_slot_of_a_follow_up_question() -> None:
    chat = Chat()
    await chat(parse("status of 4711", "order.status", ("order_number", "4711")))
    reply = await chat(parse("and when will it arrive?", "order.status"))
    assert "('order_number', '4711')" in reply.text


async def test_a_bare_number_continues_with_the_intent_that_claims_it() -> None:
    chat = Chat()
    reply = await chat(parse("4712", "none", ("order_number", "4712")))
    assert reply.text.startswith("none:{'order': ('order_number', '4712')")


async def test_the_other_one_and_the_first_one_come_from_what_was_shown() -> None:
    chat = Chat()
    await chat(parse("4711", "order.status", ("order_number", "4711")))
    await chat(parse("4712", "order.status", ("order_number", "4712")))
    other = await chat(parse("and the other one?", "none", ("reference", "other")))
    assert "('order_number', '4711')" in other.text
    await chat(
        parse(
            "orders 100 200 300",
            "order.status",
            ("order_number", "100"),
            ("order_number", "200"),
            ("order_number", "300"),
        )
    )
    first = await chat(parse("the first one", "none", ("reference", "first")))
    assert "('order_number', '100')" in first.text
    last = await chat(parse("the last one", "none", ("reference", "last")))
    assert "('order_number', '300')" in last.text


async def test_latest_is_left_to_the_handler() -> None:
    reply = await Chat()(parse("my latest order", "order.status", ("reference", "latest")))
    assert "('reference', 'latest')" in reply.text


@pytest.mark.parametrize(
    ("principal", "intent", "expected"),
    [
        (NO_GRANTS, "order.search", "access to orders"),
        (USER, "invoice.get", "access to invoices"),
        (Principal.guest(), "order.search", "sign in"),
        (Principal.guest(), "invoice.get", "sign in"),
    ],
)
async def test_access_is_checked_before_any_handler(principal: Principal, intent: str, expected: str) -> None:
    reply = await Chat(principal)(parse("x", intent))
    assert expected in reply.text.lower()
    assert not reply.text.startswith(intent)


async def test_guests_do_not_inherit_context() -> None:
    chat = Chat(Principal.guest())
    chat.state.set_current("order", "order_number", "4711")
    reply = await chat(parse("where is my order", "order.status"))
    assert "order number" in reply.text


async def test_two_misunderstandings_are_counted() -> None:
    chat = Chat()
    await chat(parse("blah"))
    await chat(parse("blah blah"))
    assert chat.state.misses == 2
    await chat(parse("thanks", "smalltalk.thanks"))
    assert chat.state.misses == 0


async def test_the_message_is_made_an_action_key_only_when_the_handler_acts() -> None:
    made: list[str] = []

    def make_key() -> str:
        made.append("key")
        return "k-1"

    keys: list[str | None] = []

    async def acts(ctx: TurnContext) -> Reply:
        keys.extend((ctx.action().key, ctx.action(lambda _: ()).key))  # twice, a mail with the second
        return Reply(text="done")

    specs = [
        IntentSpec(name="smalltalk.thanks", examples={}, handler=_echo, guest_ok=True),
        IntentSpec(name="request.create", examples={}, handler=acts, guest_ok=True),
    ]
    engine = DialogEngine(specs, backends=None, files=None, mailer=None, public_url="", support_email="")  # type: ignore[arg-type]

    async def turn(intent: str) -> None:
        await engine.step(
            parse=parse("…", intent), principal=USER, state=DialogState(), now=NOW, make_action_key=make_key
        )

    await turn("smalltalk.thanks")
    assert made == []  # a turn that only reads hashes nothing
    await turn("request.create")
    assert keys == ["k-1", "k-1"] and made == ["key"]


def test_an_action_key_is_the_hash_of_the_conversation_the_user_and_the_delivery_id() -> None:
    conversation = ConversationRef(channel="web", conversation_id="c1")
    message = Message(conversation=conversation, text="hi", user_id="u1", delivery_id="d1")
    scoped = f"{conversation.key}\0u1\0d1"
    assert action_key(message) == hashlib.sha256(scoped.encode()).hexdigest()
    assert action_key(message.model_copy(update={"text": "resent"})) == action_key(message)
    assert action_key(message.model_copy(update={"user_id": "u2"})) != action_key(message)
    assert action_key(message.model_copy(update={"delivery_id": None})) is None
