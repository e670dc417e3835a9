"""The services layer on its own: what a turn is handed, mail outcomes, spreadsheets and languages."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from openpyxl import load_workbook

from supportbot.bot.dialog import DialogEngine
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Reply
from supportbot.bot.nlu.types import Parse
from supportbot.bot.spec import Files, IntentSpec, TurnContext
from supportbot.bot.state import DialogState
from supportbot.integrations.models import ForwardDelivery, Principal, Role
from supportbot.integrations.outbox import DeliveryOutcome
from supportbot.integrations.protocols import DirectoryBackend, InvoicesBackend
from supportbot.intents import handoff
from supportbot.services.customers import language_of
from supportbot.services.outcomes import FORWARD_REFERENCE, forward_outcomes
from supportbot.services.spreadsheets import Column, to_csv, to_xlsx

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
ANNA = Principal(user_id="anna@x.example", name="Anna", company_id=1, role=Role.USER, locale="sv")


@dataclass
class LinkFiles:
    """A file service that only says how long its links last."""

    ttl: timedelta


def engine(specs: list[IntentSpec], *, ttl: timedelta = timedelta(minutes=15)) -> DialogEngine:
    return DialogEngine(
        specs,
        backends=cast(Any, None),
        files=cast(Files, LinkFiles(ttl)),
        mailer=cast(Any, None),
        public_url="",
        support_email="help@x.example",
    )


def parse(intent: str) -> Parse:
    return Parse(text=intent, intent=intent, confidence=0.9, entities=(), language="en")


async def test_a_handler_is_handed_the_support_address_and_the_lifetime_of_the_links_it_gets() -> None:
    async def says(ctx: TurnContext) -> Reply:
        return Reply(text=f"{ctx.support_email} {ctx.link_minutes}")

    spec = IntentSpec(name="smalltalk.thanks", examples={}, handler=says, guest_ok=True)
    reply = await engine([spec], ttl=timedelta(hours=2)).step(
        parse=parse("smalltalk.thanks"), principal=ANNA, state=DialogState(), now=NOW
    )
    assert reply.text == "help@x.example 120"


async def test_without_a_handoff_queue_asking_for_a_person_gives_the_support_address() -> None:
    reply = await engine(handoff.INTENTS).step(
        parse=parse("handoff.agent"), principal=ANNA, state=DialogState(), now=NOW
    )
    assert reply.text == Formatter("en").t("handoff.by_mail", email="help@x.example")


# --- mail outcomes -------------------------------------------------------------------------------------


@dataclass
class Forwards:
    ended: ForwardDelivery | None
    heard: list[tuple[str, bool]] = field(default_factory=list)

    async def forward_delivered(self, reference: str, *, sent: bool, at: datetime) -> ForwardDelivery | None:
        self.heard.append((reference, sent))
        return self.ended


@dataclass
class People:
    known: dict[str, Principal]

    async def principal_for(self, user_id: str) -> Principal | None:
        return self.known.get(user_id)


@dataclass
class Told:
    replies: list[tuple[str, Reply]] = field(default_factory=list)

    async def notify(self, user_id: str, reply: Reply) -> None:
        self.replies.append((user_id, reply))

    async def principal_changed(self, user_id: str) -> None:
        raise AssertionError("not expected")


def listener(forwards: Forwards, told: Told, people: dict[str, Principal]) -> Any:
    return forward_outcomes(
        cast(InvoicesBackend, forwards), directory=cast(DirectoryBackend, People(people)), notices=told
    )


def outcome(reference: str, *, sent: bool) -> DeliveryOutcome:
    return DeliveryOutcome(reference=reference, message_id="<m@x>", sent=sent, at=NOW)


async def test_only_mail_of_a_forward_reaches_the_invoices() -> None:
    forwards, told = Forwards(ended=None), Told()
    await listener(forwards, told, {})(outcome("request.answer:7", sent=False))
    assert forwards.heard == [] and told.replies == []


async def test_a_forward_given_up_on_is_told_to_who_asked_in_their_language() -> None:
    ended = ForwardDelivery(
        invoice_number="INV-2031", actor=ANNA.user_id or "", to="erik@y.example", sent=False
    )
    forwards, told = Forwards(ended=ended), Told()
    await listener(forwards, told, {"anna@x.example": ANNA})(outcome(FORWARD_REFERENCE + "f-1", sent=False))
    assert forwards.heard == [("f-1", False)]
    ((user_id, reply),) = told.replies
    sv = Formatter("sv")
    assert user_id == "anna@x.example" and reply.language == "sv" and reply.intent == "invoice.forward"
    assert reply.text == sv.t("invoice.forward.gave_up", number="INV-2031", email="erik@y.example")
    assert [b.value for b in reply.buttons] == [
        sv.t("invoice.button.forward_again.value", number="INV-2031", email="erik@y.example")
    ]


async def test_a_forward_that_went_out_tells_nobody() -> None:
    ended = ForwardDelivery(invoice_number="INV-2031", actor="anna@x.example", to="erik@y.example", sent=True)
    forwards, told = Forwards(ended=ended), Told()
    await listener(forwards, told, {"anna@x.example": ANNA})(outcome(FORWARD_REFERENCE + "f-1", sent=True))
    assert forwards.heard == [("f-1", True)] and told.replies == []


def test_a_person_is_spoken_to_in_their_language_when_the_assistant_has_it() -> None:
    assert language_of(ANNA) == "sv"
    assert language_of(ANNA.model_copy(update={"locale": "de"})) == "en"
    assert language_of(None) == "en"


# --- spreadsheets --------------------------------------------------------------------------------------

COLUMNS = [Column("Number"), Column("Due", "date"), Column("Total", "amount"), Column("Currency")]
ROWS = [["INV-2031", date(2026, 12, 1), Decimal("1250.50"), "SEK"], ["INV-2032", None, Decimal(3), "EUR"]]


def test_csv_has_a_byte_order_mark_iso_dates_and_dot_decimals() -> None:
    assert to_csv(COLUMNS, ROWS).decode("utf-8") == (
        "\ufeffNumber,Due,Total,Currency\r\nINV-2031,2026-12-01,1250.50,SEK\r\nINV-2032,,3.00,EUR\r\n"
    )


def test_xlsx_cells_are_typed_and_amounts_carry_their_rows_currency() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx("Fakturor", COLUMNS, ROWS, currency_column=3)))["Fakturor"]
    header, first, second = sheet.iter_rows()
    assert [c.value for c in header] == ["Number", "Due", "Total", "Currency"]
    assert first[1].value == datetime(2026, 12, 1) and first[1].number_format == "yyyy-mm-dd"
    assert first[2].value == 1250.5 and first[2].number_format == '#,##0.00 "SEK"'
    assert second[1].value is None and second[2].number_format == '#,##0.00 "EUR"'
