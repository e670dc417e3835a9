"""The dialog holds a thread, on hand-made parses: a message while a question waits is first its answer;
a request of its own switches and the question is offered back; corrections answer the last intent
again with the record named; yes and no; records pointed at by kind; never another record than the one
the user named or pointed at."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from supportbot.bot.dialog import DialogEngine, yes_or_no
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Button, Reply
from supportbot.bot.nlu.types import Entity, Parse
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.bot.state import DialogState, SlotValue
from supportbot.integrations.models import Principal, Role, Tool

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
USER = Principal(
    user_id="u@x.example",
    name="U",
    company_id=1,
    role=Role.USER,
    grants=frozenset({Tool.ORDERS, Tool.INVOICES, Tool.CONTRACTS, Tool.INVENTORY, Tool.REQUESTS}),
)
EN = Formatter("en")
SV = Formatter("sv")
LEVELS = (Button(label="Normal", value="normal"), Button(label="High", value="high"))


def _show(ctx: TurnContext) -> str:
    slots = ", ".join(f"{k}={v.value}" for k, v in sorted(ctx.slots.items()) if isinstance(v, SlotValue))
    return f"{ctx.spec.name if ctx.spec else '?'}: {slots}"


async def _order(ctx: TurnContext) -> Reply:
    order = ctx.slot("order")
    if order is not None and order.type == "order_number":
        ctx.set_current("order", "order_number", order.value)
    return ctx.reply(_show(ctx))


async def _orders(ctx: TurnContext) -> Reply:
    ctx.set_shown("order", ["4712", "4711", "4708"])
    return ctx.reply(_show(ctx))


async def _item(ctx: TurnContext) -> Reply:
    item = ctx.slot("item")
    if item is not None:
        ctx.set_current("item", "serial_number", item.value)
        if item.value == "78ABC12":  # this machine is under a contract; 78XYZ34 is not
            ctx.set_current("contract", "contract_number", "C-1001")
    return ctx.reply(_show(ctx))


async def _echo(ctx: TurnContext) -> Reply:
    return ctx.reply(_show(ctx))


async def _level(ctx: TurnContext, value: SlotValue) -> SlotValue | None:
    said = str(value.value).lower()
    return SlotValue(value.type, said) if said in ("normal", "high") else None


SPECS = [
    IntentSpec(
        name="order.status",
        examples={},
        handler=_order,
        tool=Tool.ORDERS,
        slots=(
            Slot("order", ("order_number", "reference"), question="order.ask_number", pattern=r"#?\d{3,10}"),
            Slot("period", ("date_range",), required=False, carry=False),
        ),
        claims=("order_number",),
    ),
    IntentSpec(name="order.search", examples={}, handler=_orders, tool=Tool.ORDERS),
    IntentSpec(
        name="invoice.get",
        examples={},
        handler=_echo,
        tool=Tool.INVOICES,
        slots=(
            Slot(
                "invoice",
                ("invoice_number", "order_number", "reference"),
                question="invoice.ask_number",
                pattern=r"(?i)(?:inv-?)?\d{3,10}",
            ),
        ),
        claims=("invoice_number",),
    ),
    IntentSpec(
        name="contract.status",
        examples={},
        handler=_echo,
        tool=Tool.CONTRACTS,
        slots=(Slot("contract", ("contract_number", "reference"), question="contract.ask_number"),),
        claims=("contract_number",),
    ),
    IntentSpec(
        name="inventory.show",
        examples={},
        handler=_item,
        tool=Tool.INVENTORY,
        slots=(Slot("item", ("serial_number", "reference"), required=False),),
        claims=("serial_number",),
    ),
    IntentSpec(
        name="request.open",
        examples={},
        handler=_echo,
        tool=Tool.REQUESTS,
        slots=(
            Slot(
                "category", ("category",), "request.ask_category", carry=False, pattern=r"(?i)technical|order"
            ),
            Slot("subject", ("text",), "request.ask_subject", carry=False, free_text=True),
            Slot(
                "priority",
                ("priority",),
                "request.ask_priority",
                carry=False,
                pattern=r"(?i)normal|high",
                default="normal",
                check=_level,
                choices=lambda ctx: LEVELS,
            ),
            Slot("confirm", ("confirm",), "request.confirm", carry=False, pattern=r"(?i)yes|ok|ja"),
        ),
    ),
    IntentSpec(name="smalltalk.thanks", examples={}, handler=_echo, guest_ok=True),
    IntentSpec(name="handoff.agent", examples={}, handler=_echo, guest_ok=True, takes_over=True),
]


def parse(
    text: str, intent: str = "none", *entities: tuple[str, Any], confidence: float = 0.9, language: str = "en"
) -> Parse:
    """A parse with each entity where its text is in the message (or at its end, a value not said)."""
    found = []
    for entity_type, value, *said in entities:
        shown = said[0] if said else str(value)
        start = text.find(shown) if shown in text else len(text)
        found.append(Entity(type=entity_type, value=value, text=shown, start=start, end=start + len(shown)))
    return Parse(
        text=text,
        intent=intent,
        confidence=confidence if intent != "none" else 0.1,
        entities=tuple(found),
        language=language,
    )


class Chat:
    def __init__(self) -> None:
        self.engine = DialogEngine(
            SPECS,
            backends=None,  # type: ignore[arg-type]
            files=None,  # type: ignore[arg-type]
            mailer=None,  # type: ignore[arg-type]
            public_url="",
            support_email="",
        )
        self.state = DialogState()

    async def __call__(self, p: Parse) -> Reply:
        reply = await self.engine.step(parse=p, principal=USER, state=self.state, now=NOW)
        self.state = DialogState.load(self.state.dump())  # stored and read back, as the pipeline does
        return reply

    @property
    def asking(self) -> str | None:
        return self.state.pending.asking if self.state.pending is not None else None


async def _at_subject(chat: Chat) -> None:
    await chat(parse("open a request", "request.open"))
    await chat(parse("technical"))
    assert chat.asking == "subject"


# --- an answer first ----------------------------------------------------------------------------------


async def test_free_text_with_a_record_and_another_intent_is_the_answer() -> None:
    chat = Chat()
    await _at_subject(chat)
    said = "Disk read errors on server 78ABC12"
    reply = await chat(parse(said, "inventory.show", ("serial_number", "78ABC12"), confidence=0.8))
    assert chat.asking == "priority" and chat.state.pending is not None
    assert chat.state.pending.slots["subject"].value == said and reply.intent == "request.open"


async def test_free_text_told_rather_than_asked_is_the_answer_whatever_it_starts_with() -> None:
    for said in (
        "When we power it on, the fan is loud",
        "Can it arrive before Christmas?",
        "Is making noise",
    ):
        chat = Chat()
        await _at_subject(chat)
        await chat(parse(said, "order.status", confidence=0.9))
        assert chat.asking == "priority", said


async def test_a_lookup_said_to_a_free_text_question_switches() -> None:
    chat = Chat()
    await _at_subject(chat)
    reply = await chat(parse("show my orders", "order.search", confidence=0.6))
    assert reply.text.startswith("order.search") and chat.state.offered


async def test_a_question_of_its_own_switches_and_the_question_is_offered_back() -> None:
    chat = Chat()
    await _at_subject(chat)
    switched = await chat(
        parse("where is order 4711", "order.status", ("order_number", "4711"), confidence=0.7)
    )
    assert switched.text.startswith("order.status: order=4711")
    assert switched.text.endswith(EN.t("dialog.resume"))
    assert [b.value for b in switched.buttons] == ["yes", "no"]
    resumed = await chat(parse("sure"))
    assert resumed.text == EN.t("request.ask_subject") and chat.asking == "subject"
    assert chat.state.pending is not None and chat.state.pending.slots["category"].value == "technical"


async def test_no_to_the_offer_drops_it_and_anything_else_moves_on() -> None:
    chat = Chat()
    await _at_subject(chat)
    await chat(parse("show order 4711", "order.status", ("order_number", "4711")))
    dropped = await chat(parse("nej tack", language="sv"))
    assert dropped.text == SV.t("dialog.resume.dropped") and chat.state.paused is None
    await _at_subject(chat)
    await chat(parse("show order 4711", "order.status", ("order_number", "4711")))
    other = await chat(parse("and 4712?", "order.status", ("order_number", "4712")))
    assert other.text == "order.status: order=4712" and chat.state.paused is None


async def test_a_person_taking_over_drops_the_question_rather_than_offer_it_back() -> None:
    chat = Chat()
    await _at_subject(chat)
    reply = await chat(parse("talk to a person", "handoff.agent", confidence=0.8))
    assert reply.text == "handoff.agent: " and chat.state.paused is None and not chat.state.offered


async def test_a_weak_or_unphrased_other_intent_does_not_switch_a_fixed_question() -> None:
    chat = Chat()
    await chat(parse("open a request", "request.open"))
    kept = await chat(
        parse("Disk read errors on server 78ABC12", "inventory.show", ("serial_number", "78ABC12"))
    )
    # Not a category, but content: kept for the subject asked next; the category is asked again.
    assert kept.text.startswith(EN.t("dialog.kept", question=""))
    assert chat.asking == "category" and chat.state.pending is not None
    assert chat.state.pending.slots["subject"].value == "Disk read errors on server 78ABC12"
    after = await chat(parse("order"))
    assert after.text == EN.t("request.ask_priority") and chat.asking == "priority"


async def test_a_short_confident_other_intent_switches_a_fixed_question() -> None:
    chat = Chat()
    await chat(parse("open a request", "request.open"))
    thanks = await chat(parse("thanks", "smalltalk.thanks"))
    assert thanks.text.startswith("smalltalk.thanks") and chat.state.offered


# --- yes and no ----------------------------------------------------------------------------------------


def test_yes_and_no_words_in_both_languages() -> None:
    for said in ("yes", "Yeah!", "yep", "ok", "okay", "sure", "fine", "please do", "yes please", "ok thanks"):
        assert yes_or_no(said) is True, said
    for said in ("ja", "japp", "visst", "okej", "gärna", "ja tack"):
        assert yes_or_no(said) is True, said
    for said in ("no", "nope", "nej", "nej tack", "no thanks"):
        assert yes_or_no(said) is False, said
    for said in ("yes, order 4711", "normal", "please", "not sure"):
        assert yes_or_no(said) is None, said
    for said in ("sure, go ahead", "yes do it", "ja kör", "ok sounds good"):  # yes words run together
        assert yes_or_no(said) is True, said
    for said in ("nope, not now", "nej nej"):
        assert yes_or_no(said) is False, said
    for said in ("yes no", "sure, order 4711", "ok but not now"):
        assert yes_or_no(said) is None, said


def test_a_thumb_or_a_tick_alone_is_a_yes_or_a_no() -> None:
    for said in ("👍", "👍🏽", "✅!", "ok 👍", "👌"):
        assert yes_or_no(said) is True, said
    for said in ("👎", "❌"):
        assert yes_or_no(said) is False, said
    for said in ("🙂", "📦", "👍 4711", ""):
        assert yes_or_no(said) is None, said


async def test_a_yes_takes_the_stated_default_and_confirms_and_a_no_declines() -> None:
    chat = Chat()
    await _at_subject(chat)
    await chat(parse("Fan noise"))
    assert chat.asking == "priority"
    confirm = await chat(parse("sure"))
    assert confirm.text == EN.t("request.confirm") and chat.asking == "confirm"
    opened = await chat(parse("japp", language="sv"))
    assert opened.text == "request.open: category=technical, confirm=yes, priority=normal, subject=Fan noise"
    await _at_subject(chat)
    await chat(parse("Fan noise"))
    await chat(parse("high"))
    declined = await chat(parse("nope"))
    assert declined.intent == "dialog.cancel" and chat.state.pending is None


@pytest.mark.parametrize("said", ["forget it, where is order 4711?", "glöm det. var är order 4711"])
async def test_cancelled_first_then_asked_the_question_is_dropped_and_the_rest_answered(said: str) -> None:
    chat = Chat()
    await _at_subject(chat)
    # Read as the question's answer it would be the subject; said after "forget it" it is a request.
    reply = await chat(parse(said, "order.status", ("order_number", "4711"), confidence=0.4))
    assert reply.text == "order.status: order=4711" and chat.state.pending is None
    again = await chat(parse("thanks", "smalltalk.thanks"))
    assert "Shall we finish" not in again.text  # dropped, not offered back


async def test_a_re_ask_keeps_its_buttons_and_says_what_was_wrong() -> None:
    chat = Chat()
    await _at_subject(chat)
    await chat(parse("Fan noise"))
    again = await chat(parse("whenever"))
    question = EN.t("dialog.reask", question=EN.t("request.ask_priority"))
    assert again.text == EN.t("dialog.not_a_choice", said="whenever", question=question)
    assert again.buttons == LEVELS and chat.asking == "priority"


# --- corrections ---------------------------------------------------------------------------------------


async def test_a_correction_answers_the_last_intent_again_with_the_number_said() -> None:
    chat = Chat()
    period = {"start": "2026-01-01", "end": "2026-06-30"}
    await chat(
        parse("order 4711 in spring", "order.status", ("order_number", "4711"), ("date_range", period))
    )
    for said, number in (("no, I meant 4712", "4712"), ("sorry, I meant 4711", "4711")):
        # The NLU may call it a greeting or nothing at all: the correction still wins.
        reply = await chat(parse(said, "smalltalk.thanks", confidence=0.4))
        assert reply.text.startswith(f"order.status: order={number}") and "period=" in reply.text
    swedish = await chat(parse("nej, jag menade 4712", language="sv"))
    assert swedish.text.startswith("order.status: order=4712")


async def test_not_that_one_the_other_and_a_record_of_another_kind() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    await chat(parse("and 4712", "order.status", ("order_number", "4712")))
    other = await chat(
        parse(
            "not that one, the other",
            "none",
            ("reference", "it", "that one"),
            ("reference", "other", "the other"),
        )
    )
    assert other.text == "order.status: order=4711"
    invoice = await chat(
        parse("I meant the invoice INV-2032", "order.search", ("invoice_number", "INV-2032"), confidence=0.6)
    )
    assert invoice.text == "invoice.get: invoice=INV-2032"


async def test_a_bare_no_before_a_request_is_no_correction() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    value = await chat(parse("no, order 4712", "none", ("order_number", "4712")))
    assert value.text == "order.status: order=4712"
    # A verb makes it a request of its own: the NLU's intent, not the last one answered again.
    request = await chat(parse("no, list orders like 4711", "order.search", ("order_number", "4711")))
    assert request.text.startswith("order.search")


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("nej det var fel, 4712 skulle det vara", "sv"),
        ("nej, det gäller 4712", "sv"),
        ("fel nummer, det ska vara 4712", "sv"),
        ("sorry wrong number, it's 4712", "en"),
        ("that was wrong, it should be 4712", "en"),
        ("my mistake: 4712 is the right one", "en"),
        ("oj, fel siffror, det ska vara 4712", "sv"),
        ("förlåt, fel ordernummer - det är 4712", "sv"),
        ("wrong order number, it's 4712", "en"),
        ("ok sorry, 4712", "en"),
    ],
)
async def test_a_correction_said_as_what_was_wrong_and_what_is_right(said: str, language: str) -> None:
    """ "Det var fel", "wrong number", "my mistake" lead a correction as "no," does, and "det gäller",
    "it's", "should be" introduce its value there."""
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    reply = await chat(parse(said, "smalltalk.thanks", ("order_number", "4712"), language=language))
    assert reply.text.startswith("order.status: order=4712"), reply.text


@pytest.mark.parametrize("said", ["it's 4712 that we wait for", "det gäller 4712, den är sen", "det är fel"])
async def test_what_only_introduces_a_value_is_no_correction_alone(said: str) -> None:
    """Without a lead ("no,", "det var fel") an intro is a message of its own, not a correction."""
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    reply = await chat(parse(said, "none"))
    assert not reply.text.startswith("order.status: order=4711"), reply.text


async def test_a_correction_never_opens_a_request_again() -> None:
    chat = Chat()
    await _at_subject(chat)
    await chat(parse("Fan noise"))
    await chat(parse("normal"))
    await chat(parse("yes"))
    assert chat.state.last_slots == {}
    reply = await chat(parse("sorry, I meant high"))
    assert not reply.text.startswith("request.open")


# --- context and never the wrong record ------------------------------------------------------------------


async def test_the_invoice_for_that_order_is_the_orders_not_the_invoice_before() -> None:
    chat = Chat()
    await chat(parse("invoice INV-2032", "invoice.get", ("invoice_number", "INV-2032")))
    chat.state.set_current("invoice", "invoice_number", "INV-2032")
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    reply = await chat(parse("the invoice for that order", "invoice.get", ("about", "order", "that order")))
    assert reply.text == "invoice.get: invoice=4711"
    assert chat.state.topic.current["invoice"].value == "INV-2032"  # still there, but not what was meant
    # "den" of "den ordern" is no "it" of its own: the invoice talked about is not what is meant.
    swedish = await chat(
        parse(
            "fakturan för den ordern",
            "invoice.get",
            ("reference", "it", "den"),
            ("about", "order", "den ordern"),
        )
    )
    assert swedish.text == "invoice.get: invoice=4711"


async def test_the_contract_for_that_machine_is_its_own_or_asked_for() -> None:
    chat = Chat()
    await chat(parse("show C-1003", "contract.status", ("contract_number", "C-1003")))
    chat.state.set_current("contract", "contract_number", "C-1003")
    await chat(parse("show 78ABC12", "inventory.show", ("serial_number", "78ABC12")))
    about = ("about", "item", "that machine")
    linked = await chat(parse("and the contract for that machine", "contract.status", about))
    assert linked.text == "contract.status: contract=C-1001"
    await chat(parse("show 78XYZ34", "inventory.show", ("serial_number", "78XYZ34")))
    asked = await chat(parse("and the contract for that machine", "contract.status", about))
    assert asked.text == EN.t("contract.ask_number") and chat.asking == "contract"


async def test_a_reference_to_nothing_known_asks_instead_of_carrying_a_record() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    asked = await chat(parse("the other one", "none", ("reference", "other", "the other one")))
    assert asked.text == EN.t("dialog.which", question=EN.t("order.ask_number"))
    assert chat.asking == "order"


async def test_the_first_and_den_andra_of_a_list_shown() -> None:
    chat = Chat()
    await chat(parse("my orders", "order.search"))
    first = await chat(parse("den första", "none", ("reference", "first", "den första"), language="sv"))
    assert first.text == "order.status: order=4712"
    second = await chat(parse("den andra", "none", ("reference", "other", "den andra"), language="sv"))
    assert second.text == "order.status: order=4711"  # of a longer list, "den andra" is the second


async def test_a_number_named_beside_a_typo_is_used_not_the_record_before() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    reply = await chat(parse("and whre is ordre 4712", "order.status"))  # no extractor found it
    assert reply.text == "order.status: order=4712"


def test_records_made_current_in_one_turn_are_linked_until_one_changes() -> None:
    state = DialogState()
    state.begin_turn()
    state.set_current("invoice", "invoice_number", "INV-2031")
    state.set_current("order", "order_number", "4711")
    assert state.topic.linked["invoice"]["order"].value == "4711"
    assert state.topic.linked["order"]["invoice"].value == "INV-2031"
    kept = DialogState.load(state.dump())
    kept.begin_turn()
    kept.set_current("order", "order_number", "4712")
    assert "order" not in kept.topic.linked  # 4712 has no invoice known yet
    assert kept.topic.linked["invoice"]["order"].value == "4711"  # INV-2031 still bills 4711


async def test_a_number_not_of_the_slots_form_after_a_record_word_is_asked_about() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    for said in ("and ordr 12?", "what about order no 7"):
        asked = await chat(parse(said, "order.status"))
        assert asked.text == EN.t("order.ask_number") and chat.asking == "order", said
        await chat(parse("cancel"))
    carried = await chat(parse("and when will it arrive? in 2 days?", "order.status"))
    assert carried.text == "order.status: order=4711"  # a number of something else leaves the order


async def test_a_record_the_intent_cannot_take_goes_to_its_own_intent_not_the_record_before() -> None:
    chat = Chat()
    await chat(parse("order 4711", "order.status", ("order_number", "4711")))
    # Taken for an order question, but it names a contract: the contract is shown, not order 4711.
    reply = await chat(parse("and contract C-1001?", "order.status", ("contract_number", "C-1001")))
    assert reply.text == "contract.status: contract=C-1001"


async def test_a_listing_read_of_one_record_named_is_that_record() -> None:
    """A status word leans to the family's listing ("overdue", "late"), but a message that names one
    record and no records to list asks about that record: never "no orders are late" for 4711."""
    chat = Chat()
    one = await chat(parse("is 4711 late? we needed it yesterday", "order.search", ("order_number", "4711")))
    assert one.text == "order.status: order=4711"
    listing = await chat(parse("list late orders like 4711", "order.search", ("order_number", "4711")))
    assert listing.text.startswith("order.search")
