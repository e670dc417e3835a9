"""The engine's multi-turn rules for declared slots: asking with buttons, re-asking a refused answer
(saying why, keeping the buttons), a stated default, free text, a value said inline, a question that
depends on the turn, forms, files held while asking, the family's typed context and forgetting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import Field

from supportbot.bot.dialog import DialogEngine, _period_moved
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Button, Capability, FormSubmission, InboundFile, Reply
from supportbot.bot.nlu.types import Entity, Parse
from supportbot.bot.spec import IntentSpec, Question, Refused, Slot, TurnContext
from supportbot.bot.state import DialogState, FamilyContext, SlotValue
from supportbot.integrations.models import Principal, Role, Tool

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
USER = Principal(
    user_id="u@x.example", name="U", company_id=1, role=Role.USER, grants=frozenset({Tool.REQUESTS})
)
EN = Formatter("en")
SIZES = (Button(label="Small", value="small"), Button(label="Large", value="large"))


class Basket(FamilyContext):
    sizes: list[str] = Field(default_factory=list)


async def _size(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused | None:
    said = str(value.value).lower()
    if said == "huge":
        return Refused("request.subject_too_long", {"limit": 5})
    return SlotValue(value.type, said) if said in ("small", "large") else None


async def _order(ctx: TurnContext) -> Reply:
    size, note = ctx.slot("size"), ctx.slot("note")
    ctx.context(Basket).sizes.append(str(size.value) if size else "-")
    return ctx.reply(f"size={size.value if size else None} note={note.value if note else None}")


async def _ask_colour(ctx: TurnContext) -> Question | Reply:
    if ctx.slot("size") is not None and ctx.slot("size").value == "large":  # type: ignore[union-attr]
        return ctx.reply("large ones come in black only")
    return Question(f"which colour for {ctx.slot('size').value}?", SIZES[:1])  # type: ignore[union-attr]


async def _files(ctx: TurnContext) -> Reply:
    names = [f.name for f in (*ctx.uploads, *ctx.held)]
    return ctx.reply(f"files={names} note={ctx.slot('note').value if ctx.slot('note') else None}")


SPECS = [
    IntentSpec(
        name="shop.order",
        examples={},
        handler=_order,
        context=Basket,
        form=True,
        slots=(
            Slot(
                "size",
                ("size",),
                "request.ask_priority",
                pattern=r"(?i)small|medium|large|huge",
                check=_size,
                choices=lambda ctx: SIZES,
            ),
            Slot(
                "note",
                ("text",),
                "request.ask_subject",
                free_text=True,
                default="none",
                inline=r".*note: (?P<text>.+)",
            ),
        ),
    ),
    IntentSpec(
        name="shop.colour",
        examples={},
        handler=_order,
        context=Basket,
        slots=(
            Slot("size", ("size",), carry=True),
            Slot("colour", ("colour",), ask=_ask_colour, pattern=r"\w+"),
        ),
    ),
    IntentSpec(
        name="shop.attach",
        examples={},
        handler=_files,
        files=True,
        slots=(
            Slot("ref", ("ref",), "request.ask_number", pattern=r"R\d+"),
            Slot("note", ("text",), required=lambda ctx: not ctx.uploads and not ctx.held, free_text=True),
        ),
    ),
    IntentSpec(name="shop.bye", examples={}, handler=_order, context=Basket, forgets=True),
]


class _Shelf:
    """Files kept for their owner, as the real file store does."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[str, InboundFile]] = {}

    async def stash(self, *, owner: str, file: InboundFile, ttl: timedelta = timedelta(hours=1)) -> str:
        file_id = f"f{len(self.kept)}"
        self.kept[file_id] = (owner, file)
        return file_id

    async def unstash(self, *, owner: str | None, file_id: str) -> InboundFile | None:
        kept = self.kept.get(file_id)
        return kept[1] if kept is not None and kept[0] == owner else None


def parse(text: str, intent: str = "none", *entities: tuple[str, Any]) -> Parse:
    return Parse(
        text=text,
        intent=intent,
        confidence=0.9 if intent != "none" else 0.1,
        entities=tuple(Entity(type=t, value=v, text=str(v), start=0, end=0) for t, v in entities),
        language="en",
    )


class Chat:
    def __init__(self, capabilities: frozenset[Capability] = frozenset()) -> None:
        self.shelf = _Shelf()
        self.engine = DialogEngine(
            SPECS,
            backends=None,  # type: ignore[arg-type]
            files=self.shelf,  # type: ignore[arg-type]
            mailer=None,  # type: ignore[arg-type]
            public_url="",
            support_email="",
        )
        self.state = DialogState()
        self.capabilities = capabilities

    async def __call__(
        self, p: Parse, *, files: tuple[InboundFile, ...] = (), form: FormSubmission | None = None
    ) -> Reply:
        reply = await self.engine.step(
            parse=p,
            principal=USER,
            state=self.state,
            now=NOW,
            files=files,
            form=form,
            capabilities=self.capabilities,
        )
        # Every turn is stored and read back, as the pipeline does.
        self.state = DialogState.load(self.state.dump())
        return reply

    @property
    def asking(self) -> str | None:
        return self.state.pending.asking if self.state.pending is not None else None


async def test_a_missing_slot_is_asked_with_its_buttons() -> None:
    chat = Chat()
    asked = await chat(parse("I want to order", "shop.order"))
    assert asked.text == EN.t("request.ask_priority") and asked.buttons == SIZES
    assert asked.intent == "shop.order" and chat.asking == "size"


async def test_a_refused_answer_is_asked_again_saying_why_with_the_same_buttons() -> None:
    chat = Chat()
    await chat(parse("I want to order", "shop.order"))
    again = await chat(parse("huge"))
    assert again.text == EN.t("request.subject_too_long", limit=5) and again.buttons == SIZES
    assert chat.asking == "size" and chat.state.pending is not None and "size" not in chat.state.pending.slots
    unknown = await chat(parse("medium"))  # not a size: asked again, saying it is not one of the choices
    question = EN.t("request.ask_priority")
    assert unknown.text == EN.t("dialog.not_a_choice", said="medium", question=question)
    assert unknown.buttons == SIZES


async def test_a_checked_answer_moves_on_to_the_next_slot_and_then_the_handler() -> None:
    chat = Chat()
    await chat(parse("I want to order", "shop.order"))
    asked = await chat(parse("LARGE"))
    assert asked.text == EN.t("request.ask_subject") and chat.asking == "note"
    done = await chat(parse("  gift wrap, please  "))
    assert done.text == "size=large note=gift wrap, please" and chat.state.pending is None


async def test_a_stated_default_fills_the_slot() -> None:
    chat = Chat()
    await chat(parse("order small", "shop.order", ("size", "small")))
    assert (await chat(parse("Skip."))).text == "size=small note=none"


async def test_a_value_said_inline_with_the_intent_needs_no_question() -> None:
    chat = Chat()
    reply = await chat(parse("order small, note: blue box", "shop.order", ("size", "small")))
    assert reply.text == "size=small note=blue box"
    # Only in a message saying the intent: the same words answering another question are no note.
    await chat(parse("order", "shop.order"))
    reasked = await chat(parse("note: red"))
    asked = EN.t("dialog.reask", question=EN.t("request.ask_priority"))
    assert reasked.text == EN.t("dialog.not_a_choice", said="note: red", question=asked)
    assert reasked.buttons == SIZES  # a question asked again keeps its buttons
    assert chat.state.pending is not None and chat.state.pending.slots == {}


async def test_cancel_drops_the_question_and_a_new_intent_replaces_it() -> None:
    chat = Chat()
    await chat(parse("I want to order", "shop.order"))
    cancelled = await chat(parse("never mind"))
    assert "dropped" in cancelled.text and chat.state.pending is None
    assert "nothing to cancel" in (await chat(parse("cancel"))).text
    await chat(parse("I want to order", "shop.order"))
    switched = await chat(parse("bye", "shop.bye"))
    assert switched.text == "size=None note=None" and chat.state.pending is None


async def test_a_question_depending_on_the_turn_may_answer_instead_of_asking() -> None:
    chat = Chat()
    asked = await chat(parse("colour for small", "shop.colour", ("size", "small")))
    assert asked.text == "which colour for small?" and asked.buttons == SIZES[:1] and chat.asking == "colour"
    other = Chat()
    answered = await other(parse("large colour", "shop.colour", ("size", "large")))
    assert answered.text == "large ones come in black only" and other.state.pending is None


async def test_context_carries_a_value_to_a_follow_up() -> None:
    chat = Chat()
    chat.state.set_current("size", "size", "small")
    asked = await chat(parse("which colours?", "shop.colour"))
    assert asked.text == "which colour for small?"


async def test_a_channel_with_forms_asks_by_form_and_a_sent_form_is_checked_by_its_handler() -> None:
    chat = Chat(frozenset({"forms"}))
    shown = await chat(parse("I want to order", "shop.order"))
    assert shown.text == "size=None note=None" and chat.state.pending is None
    sent = await chat(parse(""), form=FormSubmission(id="shop.order", values={"size": "huge", "note": ""}))
    assert sent.text == "size=huge note="  # no question and no check: the form comes back whole


async def test_files_sent_while_asking_are_held_for_the_answer() -> None:
    chat = Chat()
    log = InboundFile(name="fan.log", content_type="text/plain", data=b"90%")
    empty = InboundFile(name="empty.txt", content_type="text/plain")
    asked = await chat(parse("attach this", "shop.attach"), files=(log, empty))
    assert asked.text.startswith("Which request") and chat.state.pending is not None
    assert chat.state.pending.files == ["f0"]  # the empty one cannot be held
    done = await chat(parse("R12"))
    assert done.text == "files=['fan.log'] note=None"


async def test_words_sent_with_files_and_meaning_nothing_else_are_the_free_text() -> None:
    chat = Chat()
    await chat(parse("attach", "shop.attach"))
    log = InboundFile(name="fan.log", content_type="text/plain", data=b"90%")
    await chat(parse("the log from this morning"), files=(log,))
    done = await chat(parse("R7"))
    assert done.text == "files=['fan.log'] note=the log from this morning"


async def test_a_family_keeps_its_typed_context_and_forgets_it_when_the_conversation_ends() -> None:
    chat = Chat()
    await chat(parse("order small, note: x", "shop.order", ("size", "small")))
    await chat(parse("order large, note: y", "shop.order", ("size", "large")))
    assert chat.state.dump()["families"] == {"shop": {"sizes": ["small", "large"]}}
    chat.state.set_current("size", "size", "large")
    await chat(parse("bye", "shop.bye"))
    assert chat.state.family("shop", Basket).sizes == [] and chat.state.topic.current == {}
    assert chat.state.last_intent == "shop.bye"


async def test_a_handler_reaches_only_its_own_family_context() -> None:
    class Other(FamilyContext):
        pass

    async def peek(ctx: TurnContext) -> Reply:
        ctx.context(Other)
        return ctx.reply("seen")

    spec = IntentSpec(name="shop.peek", examples={}, handler=peek, context=Basket)
    engine = DialogEngine([spec], backends=None, files=None, mailer=None, public_url="", support_email="")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not the context"):
        await engine.step(parse=parse("peek", "shop.peek"), principal=USER, state=DialogState(), now=NOW)


def test_a_family_declares_one_context_model() -> None:
    class Other(FamilyContext):
        pass

    with pytest.raises(ValueError, match="two context models"):
        DialogEngine(
            [SPECS[0], IntentSpec(name="shop.other", examples={}, handler=_order, context=Other)],
            backends=None,  # type: ignore[arg-type]
            files=None,  # type: ignore[arg-type]
            mailer=None,  # type: ignore[arg-type]
            public_url="",
            support_email="",
        )


@pytest.mark.parametrize(
    ("said", "start", "end", "moved_start", "moved_end"),
    [
        ("och veckan innan?", "2026-11-23", "2026-11-29", "2026-11-16", "2026-11-22"),
        ("and the week after", "2026-11-23", "2026-11-29", "2026-11-30", "2026-12-06"),
        # a whole month stays a whole month, however many days each has
        ("and the month before?", "2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28"),
        ("månaden efter då", "2026-01-01", "2026-01-31", "2026-02-01", "2026-02-28"),
        ("the year before", "2026-01-01", "2026-12-31", "2025-01-01", "2025-12-31"),
        # a part of a month moves by a month, on its last day when the month is shorter
        ("and the month before", "2026-03-15", "2026-03-31", "2026-02-15", "2026-02-28"),
    ],
)
def test_a_period_asked_of_by_the_one_before_or_after(
    said: str, start: str, end: str, moved_start: str, moved_end: str
) -> None:
    slots = {
        "period": SlotValue("date_range", {"start": start, "end": end}),
        "site": SlotValue("site", "Kista"),
    }
    moved = _period_moved(said, slots)
    assert moved == {"period": SlotValue("date_range", {"start": moved_start, "end": moved_end})}


def test_a_period_is_moved_only_when_that_is_all_asked() -> None:
    slots = {"period": SlotValue("date_range", {"start": "2026-11-23", "end": "2026-11-29"})}
    assert _period_moved("what happened the week before Christmas with my order", slots) is None
    assert _period_moved("och veckan innan?", {"site": SlotValue("site", "Kista")}) is None
