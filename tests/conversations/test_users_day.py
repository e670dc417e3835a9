"""A chat answer counts "today" from the user's own date, not the server's UTC date: at 23:30 UTC it is
already tomorrow in Stockholm, so an order due today is delayed there and a contract's notice is a day
nearer; a user whose web chat says they are in New York is still in yesterday at 03:30 UTC.

Played through the real pipeline with the clock set; the moments are taken from the demo records'
own dates, so the answers do not depend on the day or hour the tests run.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import insert, select

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.teams.activity import parse_activity, to_message
from supportbot.bot.messages import ConversationRef, Message, Reply
from supportbot.integrations.models import InvoiceStatus
from supportbot.integrations.sql.schema import companies, contracts, invoices, orders
from tests.conftest import Conversation, make_settings
from tests.teams.teams_helpers import load

ANNA = "anna.berg@nordisk.example"  # Nordisk Verkstad AB, Sweden
NEW_YORK = ZoneInfo("America/New_York")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock:
    """The assistant's clock, set by the test; it starts at a fixed moment nothing is answered at."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def assistant(data_dir: Path) -> AsyncIterator[tuple[Application, Clock]]:
    clock = Clock()
    app = await build_application(make_settings(data_dir), clock=clock)
    try:
        yield app, clock
    finally:
        await app.close()


def at_2330_utc(day: date) -> datetime:
    """23:30 UTC on ``day``: 00:30 or 01:30 on the next day in Stockholm."""
    moment = datetime.combine(day, time(23, 30), tzinfo=UTC)
    assert moment.astimezone(STOCKHOLM).date() == day + timedelta(days=1)
    return moment


def half_past_eleven_in(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 30), tzinfo=zone).astimezone(UTC)


async def _expected(app: Application, number: str) -> date:
    async with app.engine.connect() as conn:
        day = await conn.scalar(select(orders.c.expected_delivery).where(orders.c.number == number))
    assert isinstance(day, date)
    return day


def _listed(reply: Reply) -> list[str]:
    """The numbers in the first column of the reply's table: none when there is no table."""
    return [str(row[0]) for row in reply.table.rows] if reply.table is not None else []


async def _say_from(app: Application, text: str, *, time_zone: str) -> Reply:
    """A message from Anna's web chat, whose browser says which time zone it is in."""
    return await app.pipeline.handle(
        Message(
            conversation=ConversationRef(channel="webchat", conversation_id=uuid.uuid4().hex),
            text=text,
            user_id=ANNA,
            delivery_id=uuid.uuid4().hex,
            time_zone=time_zone,
        )
    )


async def test_an_order_due_today_is_delayed_at_2330_utc_in_stockholm(data_dir: Path) -> None:
    async with assistant(data_dir) as (app, clock):
        expected = await _expected(app, "4711")  # shipped, expected in three days
        clock.now = at_2330_utc(expected)
        await Conversation(app, ANNA).transcript("""
            user: which orders are delayed?
            bot:  [order.search]
            bot:  ~ that are delayed
            bot:  ~ 4711
        """)
        clock.now = half_past_eleven_in(expected, STOCKHOLM)  # its own day still, in Stockholm
        reply = await Conversation(app, ANNA).say("which orders are delayed?")
        assert reply.intent == "order.search" and "4711" not in _listed(reply)


async def test_a_web_chat_user_in_new_york_is_not_told_of_a_delay_before_their_midnight(
    data_dir: Path,
) -> None:
    async with assistant(data_dir) as (app, clock):
        expected = await _expected(app, "4711")
        clock.now = half_past_eleven_in(expected, NEW_YORK)
        assert clock.now.date() == expected + timedelta(days=1), "the server's UTC day is the next one"
        reply = await _say_from(app, "which orders are delayed?", time_zone="America/New_York")
        assert reply.intent == "order.search" and "4711" not in _listed(reply)
        clock.now += timedelta(hours=1)  # past midnight in New York too
        reply = await _say_from(app, "which orders are delayed?", time_zone="America/New_York")
        assert "4711" in _listed(reply)


async def test_a_teams_user_in_new_york_is_not_told_of_a_delay_before_their_midnight(data_dir: Path) -> None:
    """Teams says which time zone the user's client is in (``localTimezone``): the same day as the web
    chat's browser gives."""
    async with assistant(data_dir) as (app, clock):
        expected = await _expected(app, "4711")
        clock.now = half_past_eleven_in(expected, NEW_YORK)
        raw = load("personal_message")
        raw.update(text="which orders are delayed?", localTimezone="America/New_York")

        async def say() -> Reply:
            raw["id"] = uuid.uuid4().hex
            return await app.pipeline.handle(to_message(parse_activity(raw), ANNA))

        assert "4711" not in _listed(await say())
        clock.now += timedelta(hours=1)  # past midnight in New York too
        assert "4711" in _listed(await say())


async def test_an_invoice_due_today_is_overdue_at_2330_utc_in_stockholm(data_dir: Path) -> None:
    async with assistant(data_dir) as (app, clock):
        due = date(2026, 2, 10)
        async with app.engine.begin() as conn:
            nordisk = await conn.scalar(
                select(companies.c.id).where(companies.c.customer_number == "1000123")
            )
            await conn.execute(
                insert(invoices).values(
                    number="INV-2099", company_id=nordisk, order_id=None, issued_on=due - timedelta(days=30),
                    due_on=due, status=InvoiceStatus.OPEN.value, net_minor=80_000, vat_minor=20_000,
                    total_minor=100_000, paid_minor=0, currency="SEK",
                )
            )  # fmt: skip
        clock.now = at_2330_utc(due)
        chat = Conversation(app, ANNA)
        overdue = await chat.say("show overdue invoices")
        balance = await chat.say("what is my balance")
        clock.now = half_past_eleven_in(due, STOCKHOLM)
        chat = Conversation(app, ANNA)
        not_yet = await chat.say("show overdue invoices")
        balance_before = await chat.say("what is my balance")
        assert overdue.intent == "invoice.list" and _listed(overdue) == ["INV-2099"]
        assert not_yet.intent == "invoice.list" and _listed(not_yet) == [], "due today: not overdue yet"
        # The statement is as of the user's day: up to 11 February there, with the invoice overdue.
        assert balance.intent == "statement.show"
        assert "– 11 February 2026" in balance.text and "of which SEK\xa01,000.00 overdue" in balance.text
        assert "– 10 February 2026" in balance_before.text and "SEK\xa00.00 overdue" in balance_before.text


async def test_the_notice_days_of_a_contract_count_from_the_stockholm_day(data_dir: Path) -> None:
    async with assistant(data_dir) as (app, clock):
        async with app.engine.connect() as conn:
            ends = await conn.scalar(select(contracts.c.ends_on).where(contracts.c.number == "C-1001"))
        assert isinstance(ends, date)
        notice_by = ends - timedelta(days=30)  # its notice period
        day = notice_by - timedelta(days=10)
        clock.now = at_2330_utc(day)  # the 10 days of the UTC date are 9 in Stockholm
        reply = await Conversation(app, ANNA).say("what is the status of contract C-1001")
        assert "(9 days from today)" in reply.text, reply.text
        clock.now = half_past_eleven_in(day, STOCKHOLM)
        reply = await Conversation(app, ANNA).say("what is the status of contract C-1001")
        assert "(10 days from today)" in reply.text, reply.text


async def test_an_order_placed_after_midnight_in_stockholm_is_listed_and_reported_on_that_day(
    data_dir: Path,
) -> None:
    """Placed at 23:30 UTC on 14 November 2025, 00:30 on the 15th in Stockholm: the chat shows it as
    an order of the 15th, finds it when asked for the 15th, and the spreadsheet's date is the 15th."""
    async with assistant(data_dir) as (app, clock):
        async with app.engine.begin() as conn:
            nordisk = await conn.scalar(
                select(companies.c.id).where(companies.c.customer_number == "1000123")
            )
            await conn.execute(
                insert(orders).values(
                    number="9001", company_id=nordisk, status="delivered",
                    ordered_at=datetime(2025, 11, 14, 23, 30, tzinfo=UTC), expected_delivery=date(2025, 11, 20),
                    delivered_at=datetime(2025, 11, 19, 23, 30, tzinfo=UTC), currency="SEK", total_minor=10_000,
                )
            )  # fmt: skip
        clock.now = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
        chat = Conversation(app, ANNA)
        on_the_15th = await chat.say("show my orders placed on 15 November 2025")
        assert on_the_15th.intent == "order.search" and _listed(on_the_15th) == ["9001"], on_the_15th.text
        on_the_14th = await Conversation(app, ANNA).say("show my orders placed on 14 November 2025")
        assert "9001" not in _listed(on_the_14th)
        report = await chat.say("give me that as a spreadsheet")
        assert report.intent == "order.report", report.text
        url = urlsplit(report.attachments[0].url)
        query = parse_qs(url.query)
        stored = await app.files.open(url.path.split("/")[2], expires=query["exp"][0], sig=query["sig"][0])
        sheet = openpyxl.load_workbook(io.BytesIO(stored.data)).active
        assert sheet is not None
        header = [c.value for c in sheet[1]]
        [row] = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "9001"]
        assert row[2] == datetime(2025, 11, 15), "ordered on the 15th where Anna is"
        assert row[header.index("Delivered")] == datetime(2025, 11, 20)
