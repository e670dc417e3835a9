""" "Today" is the user's own date, not the server's UTC date: what is delayed, overdue, expired or ends
within days is counted from it, as the contract notices count.

Between 23:00 and 24:00 UTC it is already tomorrow in Stockholm (UTC+1 or +2): an order due today is
late there, an invoice due today is overdue. For a user whose channel says they are in New York it is
still yesterday at 03:30 UTC. Each case also looks at 23:30 the user's time, on the other side of their
midnight, so it is the user's midnight, not the server's, that turns the answer. On SQLite and PostgreSQL, over the demo data seeded for ``TODAY``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.models import ContractStatus, InvoiceStatus, Principal
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.schema import companies, invoices, orders
from supportbot.integrations.sql.seed import seed_demo

from .conftest import ANNA, TODAY

NEW_YORK = "America/New_York"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DUE_TODAY = "INV-DUE-TODAY"
DUE_TOTAL = 125_000
C1001_ENDS = TODAY + timedelta(days=25)  # the demo's maintenance contract of Anna's company
ORDER_4711_EXPECTED = TODAY + timedelta(days=3)  # shipped, on its way


def utc(day: date, hour: int, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def half_past_eleven(day: date, zone: ZoneInfo | str = STOCKHOLM) -> datetime:
    """23:30 on ``day`` where the user is, in UTC: half an hour before their midnight."""
    local = datetime.combine(day, time(23, 30), tzinfo=zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    return local.astimezone(UTC)


Backends_at = Callable[[datetime], Backends]


@pytest.fixture
async def at(empty_engine: AsyncEngine) -> Backends_at:
    """The back ends with their clock at a given moment, over the demo data and one open invoice of
    Anna's company that falls due on ``TODAY``."""
    assert await seed_demo(empty_engine, today=TODAY)
    async with empty_engine.begin() as conn:
        nordisk = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        await conn.execute(
            insert(invoices).values(
                number=DUE_TODAY, company_id=nordisk, order_id=None,
                issued_on=TODAY - timedelta(days=30), due_on=TODAY, status=InvoiceStatus.OPEN.value,
                net_minor=100_000, vat_minor=25_000, total_minor=DUE_TOTAL, paid_minor=0, currency="SEK",
            )
        )  # fmt: skip

    def backends_at(moment: datetime) -> Backends:
        return sql_backends(empty_engine, clock=lambda: moment)

    return backends_at


async def _anna(backends: Backends) -> Principal:
    principal = await backends.directory.principal_for(ANNA)
    assert principal is not None and principal.country == "SE"
    return principal


async def _delayed(backends: Backends, principal: Principal) -> list[str]:
    page = await backends.orders.search_orders(principal, delayed=True, limit=20)
    return [order.number for order in page.items]


async def test_an_order_due_yesterday_in_stockholm_is_delayed_at_2330_utc(at: Backends_at) -> None:
    day_after = ORDER_4711_EXPECTED + timedelta(days=1)
    late = at(utc(ORDER_4711_EXPECTED, 23))  # 00:30 on the day after in Stockholm
    anna = await _anna(late)
    assert anna.today(utc(ORDER_4711_EXPECTED, 23)) == day_after
    assert "4711" in await _delayed(late, anna)
    # At 23:30 in Stockholm it is still the day it is expected: not late yet.
    assert "4711" not in await _delayed(at(half_past_eleven(ORDER_4711_EXPECTED)), anna)


async def test_a_user_behind_utc_is_not_told_of_a_delay_before_their_own_midnight(at: Backends_at) -> None:
    # 23:30 in New York is 03:30 UTC on the day after: the order is due "today" there.
    moment = half_past_eleven(ORDER_4711_EXPECTED, NEW_YORK)
    assert moment.date() == ORDER_4711_EXPECTED + timedelta(days=1)
    backends = at(moment)
    anna = (await _anna(backends)).in_zone(NEW_YORK)
    assert anna.today(moment) == ORDER_4711_EXPECTED
    assert "4711" not in await _delayed(backends, anna)
    # Her company's own day (Stockholm) is past it: without her channel's time zone it is late.
    assert "4711" in await _delayed(backends, await _anna(backends))
    # An hour later it is past her midnight too.
    assert "4711" in await _delayed(at(moment + timedelta(hours=1)), anna)


async def test_an_invoice_due_today_is_overdue_once_the_day_is_over_in_stockholm(at: Backends_at) -> None:
    late = at(utc(TODAY, 23))
    anna = await _anna(late)
    overdue = await late.invoices.list_invoices(anna, statuses=frozenset({InvoiceStatus.OVERDUE}))
    assert DUE_TODAY in [i.number for i in overdue.items]
    invoice = await late.invoices.get_invoice(anna, DUE_TODAY)
    assert invoice is not None and invoice.status is InvoiceStatus.OVERDUE

    evening = at(half_past_eleven(TODAY))  # due today, still open
    still_open = await evening.invoices.list_invoices(anna, statuses=frozenset({InvoiceStatus.OPEN}))
    assert DUE_TODAY in [i.number for i in still_open.items]
    invoice = await evening.invoices.get_invoice(anna, DUE_TODAY)
    assert invoice is not None and invoice.status is InvoiceStatus.OPEN


async def test_an_invoice_due_today_in_new_york_is_open_until_midnight_there(at: Backends_at) -> None:
    moment = half_past_eleven(TODAY, NEW_YORK)
    assert moment.date() == TODAY + timedelta(days=1)
    backends = at(moment)
    anna = (await _anna(backends)).in_zone(NEW_YORK)
    invoice = await backends.invoices.get_invoice(anna, DUE_TODAY)
    assert invoice is not None and invoice.status is InvoiceStatus.OPEN
    overdue = await backends.invoices.list_invoices(anna, statuses=frozenset({InvoiceStatus.OVERDUE}))
    assert DUE_TODAY not in [i.number for i in overdue.items]


async def test_the_statement_is_as_of_the_stockholm_day(at: Backends_at) -> None:
    evening, late = at(half_past_eleven(TODAY)), at(utc(TODAY, 23))
    anna = await _anna(late)
    before = await evening.statements.statement(anna)
    after = await late.statements.statement(anna)
    assert (before.date_to, after.date_to) == (TODAY, TODAY + timedelta(days=1))
    assert after.balance == before.balance, "the same money is open either side of midnight"
    assert after.overdue.minor - before.overdue.minor == DUE_TOTAL
    (item,) = [i for i in after.items if i.number == DUE_TODAY]
    assert item.overdue

    page = await late.statements.statement_page(anna, overdue_only=True)
    assert page.date_to == TODAY + timedelta(days=1)
    assert DUE_TODAY in [i.number for i in page.items]
    early = await evening.statements.statement_page(anna, overdue_only=True)
    assert DUE_TODAY not in [i.number for i in early.items]


async def test_the_statement_of_a_user_behind_utc_is_as_of_their_day(at: Backends_at) -> None:
    backends = at(half_past_eleven(TODAY, NEW_YORK))
    anna = (await _anna(backends)).in_zone(NEW_YORK)
    statement = await backends.statements.statement(anna)
    assert statement.date_to == TODAY
    (item,) = [i for i in statement.items if i.number == DUE_TODAY]
    assert not item.overdue


async def test_a_contract_expires_at_midnight_in_stockholm(at: Backends_at) -> None:
    late = at(utc(C1001_ENDS, 23))  # its last day is over in Stockholm
    anna = await _anna(late)
    contract = await late.contracts.get_contract(anna, "C-1001")
    assert contract is not None and contract.status is ContractStatus.EXPIRED
    expired = await late.contracts.search_contracts(anna, statuses=[ContractStatus.EXPIRED])
    assert "C-1001" in [c.number for c in expired.items]
    ending = await late.contracts.search_contracts(anna, ending_within=30)
    assert "C-1001" not in [c.number for c in ending.items]
    active = await late.contracts.list_contracts(anna, active_only=True)
    assert "C-1001" not in [c.number for c in active]

    evening = at(half_past_eleven(C1001_ENDS))  # on its last day in Stockholm: still active
    contract = await evening.contracts.get_contract(anna, "C-1001")
    assert contract is not None and contract.status is ContractStatus.ACTIVE


async def test_ends_within_days_counts_from_the_stockholm_day(at: Backends_at) -> None:
    # At 23:30 UTC on TODAY it is TODAY + 1 in Stockholm: C-1001 ends in 24 days, not 25.
    late = at(utc(TODAY, 23))
    anna = await _anna(late)
    within = await late.contracts.search_contracts(anna, ending_within=24)
    assert "C-1001" in [c.number for c in within.items]
    evening = at(half_past_eleven(TODAY))
    within = await evening.contracts.search_contracts(anna, ending_within=24)
    assert "C-1001" not in [c.number for c in within.items]


async def test_a_contract_of_a_user_behind_utc_ends_at_their_midnight(at: Backends_at) -> None:
    backends = at(half_past_eleven(C1001_ENDS, NEW_YORK))  # its last day in New York, 03:30 UTC the day after
    anna = (await _anna(backends)).in_zone(NEW_YORK)
    contract = await backends.contracts.get_contract(anna, "C-1001")
    assert contract is not None and contract.status is ContractStatus.ACTIVE
    ending = await backends.contracts.search_contracts(anna, ending_within=0)
    assert [c.number for c in ending.items] == ["C-1001"], "it ends today, where she is"


async def _place_order(backends_at: Backends_at, engine: AsyncEngine, at: datetime) -> None:
    async with engine.begin() as conn:
        nordisk = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        await conn.execute(
            insert(orders).values(
                number="LATE-NIGHT-1", company_id=nordisk, status="delivered", ordered_at=at,
                expected_delivery=at.date() + timedelta(days=5), currency="SEK", total_minor=10_000,
            )
        )  # fmt: skip


async def test_an_order_placed_after_midnight_in_stockholm_is_of_the_stockholm_day(
    at: Backends_at, empty_engine: AsyncEngine
) -> None:
    """23:30 UTC on 14 March 2020 is 00:30 on the 15th in Stockholm and 19:30 on the 14th in New York:
    "orders of 15 March" lists it for the one and "orders of 14 March" for the other, the days their
    order dates are shown in; the report's stream bounds the same way."""
    placed = utc(date(2020, 3, 14), 23)
    await _place_order(at, empty_engine, placed)
    backends = at(utc(TODAY, 12))
    anna = await _anna(backends)
    in_new_york = anna.in_zone(NEW_YORK)

    async def on(principal: Principal, day: date) -> list[str]:
        page = await backends.orders.search_orders(principal, date_from=day, date_to=day, limit=20)
        streamed = [
            o.number async for o in backends.orders.iter_orders(principal, date_from=day, date_to=day)
        ]
        assert streamed == [o.number for o in page.items][::-1]
        return [o.number for o in page.items]

    assert await on(anna, date(2020, 3, 15)) == ["LATE-NIGHT-1"]
    assert await on(anna, date(2020, 3, 14)) == []
    assert await on(in_new_york, date(2020, 3, 14)) == ["LATE-NIGHT-1"]
    assert await on(in_new_york, date(2020, 3, 15)) == []
