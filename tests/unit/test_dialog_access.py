"""The dialog engine's side of access: a refusal names the tool and offers to ask for it, and a handler
may ask for an optional slot itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from supportbot.bot.dialog import DialogEngine
from supportbot.bot.messages import Button, Reply
from supportbot.bot.nlu.types import Entity, Parse
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.bot.state import DialogState
from supportbot.integrations.models import Principal, Role, Tool

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
ERIK = Principal(
    user_id="e@x.example", name="E", company_id=1, role=Role.USER, grants=frozenset({Tool.ORDERS})
)


async def _secret(ctx: TurnContext) -> Reply:
    return Reply(text="INV-2031: 125 000,00 SEK", intent="invoice.get")


async def _which(ctx: TurnContext) -> Reply:
    tool = ctx.slot("tools")
    if tool is None:
        ctx.ask("tools")
        return Reply(text="Which tool?", buttons=(Button(label="Invoices", value="invoices"),))
    return Reply(text=f"asked for {tool.value}")


SPECS = [
    IntentSpec(name="invoice.get", examples={}, handler=_secret, tool=Tool.INVOICES),
    IntentSpec(
        name="account.access",
        examples={},
        handler=_which,
        slots=(Slot("tools", ("tool",), question="access.ask_tool.short", required=False),),
    ),
]


def _asking(state: DialogState) -> str | None:
    return state.pending.asking if state.pending is not None else None


def parse(text: str, intent: str = "none", *entities: tuple[str, Any], language: str = "en") -> Parse:
    return Parse(
        text=text,
        intent=intent,
        confidence=0.9,
        entities=tuple(Entity(type=t, value=v, text=str(v), start=0, end=0) for t, v in entities),
        language=language,
    )


def engine() -> DialogEngine:
    return DialogEngine(SPECS, backends=None, files=None, mailer=None, public_url="", support_email="")  # type: ignore[arg-type]


async def test_a_refusal_offers_to_request_the_tool_and_shows_no_data() -> None:
    for language, text, label, value in (
        ("en", "access to invoices", "Request access to invoices", "request access to invoices"),
        (
            "sv",
            "behörighet till fakturor",
            "Begär behörighet till fakturor",
            "begär behörighet till fakturor",
        ),
    ):
        reply = await engine().step(
            parse=parse("show invoice INV-2031", "invoice.get", language=language),
            principal=ERIK,
            state=DialogState(),
            now=NOW,
        )
        assert text in reply.text and "125" not in reply.plain_text()
        assert reply.buttons == (Button(label=label, value=value),)
        assert reply.intent == "invoice.get" and reply.language == language


async def test_a_handler_asks_for_an_optional_slot_and_the_answer_fills_it() -> None:
    dialog, state = engine(), DialogState()
    asked = await dialog.step(
        parse=parse("I need access", "account.access"), principal=ERIK, state=state, now=NOW
    )
    assert asked.text == "Which tool?" and _asking(state) == "tools"
    answered = await dialog.step(
        parse=parse("invoices", "invoice.list", ("tool", "invoices")), principal=ERIK, state=state, now=NOW
    )
    assert answered.text == "asked for invoices" and state.pending is None


async def test_a_slot_the_handler_asked_for_can_be_cancelled() -> None:
    dialog, state = engine(), DialogState()
    await dialog.step(parse=parse("I need access", "account.access"), principal=ERIK, state=state, now=NOW)
    reply = await dialog.step(parse=parse("cancel"), principal=ERIK, state=state, now=NOW)
    assert "dropped" in reply.text and state.pending is None
