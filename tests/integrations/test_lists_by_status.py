"""Lists by status read each status on its own and merge them; the answer is the one a filter over
the whole list gives: the same invoices (orders, requests), in the same order, page by page.

On SQLite and PostgreSQL, over the demo data plus invoices at the boundaries of "overdue": due today,
due yesterday, paid, partly paid, settled by a credit note, cancelled, awaiting approval past due,
marked overdue by the ledger, and another company's overdue invoice newer than all of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.models import InvoiceStatus, OrderStatus, Principal, RequestStatus
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.schema import companies, credit_notes, invoices
from supportbot.integrations.sql.seed import seed_demo

from .conftest import ANNA, MAX, TODAY, clock

I = InvoiceStatus  # noqa: E741 (short, in tables of cases)


def _invoice(
    number: str, company_id: int, *, issued: int, due: int, status: str, paid: str = "none"
) -> dict[str, Any]:
    """An invoice issued and due ``issued`` / ``due`` days from today (negative: before)."""
    total = 100_000
    return {
        "number": number, "company_id": company_id, "order_id": None,
        "issued_on": TODAY + timedelta(days=issued), "due_on": TODAY + timedelta(days=due),
        "status": status, "net_minor": 80_000, "vat_minor": 20_000, "total_minor": total,
        "paid_minor": {"none": 0, "part": total // 2, "all": total}[paid], "currency": "SEK",
    }  # fmt: skip


# In the order they are written: a later one has the larger id, so it comes first on the same day.
BOUNDARY = (
    ("OD-PAST-1", {"issued": -31, "due": -1, "status": "open"}),  # due yesterday: overdue
    ("OD-TODAY", {"issued": -30, "due": 0, "status": "open"}),  # due today: still open
    ("OD-MARKED", {"issued": -70, "due": -40, "status": "overdue"}),  # marked overdue by the ledger
    ("OD-PAID", {"issued": -35, "due": -5, "status": "paid", "paid": "all"}),
    ("OD-PART", {"issued": -40, "due": -10, "status": "open", "paid": "part"}),  # partly paid: overdue
    ("OD-CREDITED", {"issued": -45, "due": -15, "status": "paid", "paid": "all"}),  # settled by a credit note
    ("OD-PAST-2", {"issued": -31, "due": -3, "status": "open"}),  # the same day as OD-PAST-1
    ("OD-CANCELLED", {"issued": -50, "due": -20, "status": "cancelled"}),
    ("OD-AWAITING", {"issued": -60, "due": -30, "status": "awaiting_approval"}),  # past due, not approved
    ("OD-FUTURE", {"issued": -2, "due": 28, "status": "open"}),
)
OVERDUE_NEWEST_FIRST = ["OD-PAST-2", "OD-PAST-1", "OD-PART", "OD-MARKED"]


@pytest.fixture
async def backends(empty_engine: AsyncEngine) -> Backends:
    engine = empty_engine
    assert await seed_demo(engine, today=TODAY)
    async with engine.begin() as conn:
        ids = {row.customer_number: row.id for row in await conn.execute(select(companies))}
        nordisk, contoso = ids["1000123"], ids["2000456"]
        # paid ones newer than every overdue one: a list by date would have to read past them
        paid = [
            _invoice(f"OD-NEWER-{n:02}", nordisk, issued=-n, due=30 - n, status="paid", paid="all")
            for n in range(3, 28)
        ]
        rows = [_invoice(number, nordisk, **fields) for number, fields in BOUNDARY]  # type: ignore[arg-type]
        for row in [*paid, *rows, _invoice("OD-OTHER", contoso, issued=-1, due=-1, status="overdue")]:
            await conn.execute(insert(invoices).values(row))
        credited = await conn.scalar(select(invoices.c.id).where(invoices.c.number == "OD-CREDITED"))
        await conn.execute(
            insert(credit_notes).values(
                number="CN-OD-1",
                company_id=nordisk,
                invoice_id=credited,
                issued_on=TODAY - timedelta(days=20),
                total_minor=100_000,
                currency="SEK",
                reason="Returned goods",
            )
        )
    return sql_backends(engine, clock=clock)


async def _principal(backends: Backends, user_id: str) -> Principal:
    principal = await backends.directory.principal_for(user_id)
    assert principal is not None
    return principal


async def test_the_overdue_list_at_its_boundaries(backends: Backends) -> None:
    anna = await _principal(backends, ANNA)
    overdue = await backends.invoices.list_invoices(anna, statuses=frozenset({I.OVERDUE}), limit=10)
    assert [i.number for i in overdue.items] == OVERDUE_NEWEST_FIRST
    assert {i.status for i in overdue.items} == {I.OVERDUE} and not overdue.has_more
    first = await backends.invoices.list_invoices(anna, statuses=frozenset({I.OVERDUE}), limit=2)
    rest = await backends.invoices.list_invoices(anna, statuses=frozenset({I.OVERDUE}), offset=2, limit=2)
    middle = await backends.invoices.list_invoices(anna, statuses=frozenset({I.OVERDUE}), offset=1, limit=2)
    assert [i.number for i in first.items] == OVERDUE_NEWEST_FIRST[:2] and first.has_more
    assert [i.number for i in rest.items] == OVERDUE_NEWEST_FIRST[2:] and not rest.has_more
    assert [i.number for i in middle.items] == OVERDUE_NEWEST_FIRST[1:3] and middle.has_more
    due_today = await backends.invoices.get_invoice(anna, "OD-TODAY")
    assert due_today is not None and due_today.status is I.OPEN


async def test_another_company_s_overdue_invoice_is_never_listed(backends: Backends) -> None:
    anna, max_ = await _principal(backends, ANNA), await _principal(backends, MAX)
    for statuses in (frozenset({I.OVERDUE}), frozenset({I.OPEN, I.OVERDUE, I.AWAITING_APPROVAL})):
        listed = await backends.invoices.list_invoices(anna, statuses=statuses, limit=100)
        assert "OD-OTHER" not in {i.number for i in listed.items}
    theirs = await backends.invoices.list_invoices(max_, statuses=frozenset({I.OVERDUE}))
    assert [i.number for i in theirs.items] == ["OD-OTHER", "INV-3050"]


@pytest.mark.parametrize(
    "statuses",
    [
        {I.OVERDUE},
        {I.OPEN},
        {I.OPEN, I.OVERDUE},
        {I.OPEN, I.OVERDUE, I.AWAITING_APPROVAL},  # "unpaid"
        {I.AWAITING_APPROVAL},
        {I.PAID},
        {I.CANCELLED},
        {I.OVERDUE, I.PAID, I.CANCELLED},
    ],
    ids=lambda s: "+".join(sorted(x.value for x in s)),
)
async def test_a_status_list_is_the_whole_list_filtered(
    backends: Backends, statuses: set[InvoiceStatus]
) -> None:
    anna = await _principal(backends, ANNA)
    everything = await backends.invoices.list_invoices(anna, limit=100)
    assert not everything.has_more
    expected = [i.number for i in everything.items if i.status in statuses]
    assert expected, "every case lists something"
    for offset, limit in ((0, 100), (0, 3), (2, 3), (len(expected) - 1, 3)):
        page = await backends.invoices.list_invoices(
            anna, statuses=frozenset(statuses), offset=offset, limit=limit
        )
        assert [i.number for i in page.items] == expected[offset : offset + limit]
        assert page.has_more == (len(expected) > offset + limit)
    recent = await backends.invoices.list_invoices(
        anna,
        statuses=frozenset(statuses),
        date_from=TODAY - timedelta(days=45),
        date_to=TODAY - timedelta(days=3),
    )
    within = [
        i.number
        for i in everything.items
        if i.status in statuses and TODAY - timedelta(days=45) <= i.issued_on <= TODAY - timedelta(days=3)
    ]
    assert [i.number for i in recent.items] == within[:10]


async def test_the_statement_s_overdue_and_open_items(backends: Backends) -> None:
    anna = await _principal(backends, ANNA)
    ledger = await backends.statements.statement(anna, date_from=TODAY - timedelta(days=400), date_to=TODAY)
    invoice_items = sorted(
        (item for item in ledger.items if item.kind == "invoice"), key=lambda item: item.on, reverse=True
    )
    overdue = await backends.statements.statement_page(anna, overdue_only=True, limit=50)
    assert [item.number for item in overdue.items] == [*OVERDUE_NEWEST_FIRST[:3], "OD-AWAITING", "OD-MARKED"]
    assert all(item.due_on is not None and item.due_on < TODAY for item in overdue.items)
    open_items = await backends.statements.statement_page(
        anna, kinds=frozenset({"invoice"}), open_only=True, limit=50
    )
    unsettled = {"OD-PAST-1", "OD-PAST-2", "OD-TODAY", "OD-MARKED", "OD-PART", "OD-AWAITING", "OD-FUTURE"}
    assert unsettled <= {item.number for item in open_items.items}
    assert {"OD-PAID", "OD-CREDITED", "OD-CANCELLED"}.isdisjoint(item.number for item in open_items.items)
    assert [item.on for item in open_items.items] == sorted(
        (item.on for item in open_items.items), reverse=True
    )
    assert {item.number for item in open_items.items} == {
        item.number for item in invoice_items if item.number in {i.number for i in open_items.items}
    }
    second = await backends.statements.statement_page(
        anna, kinds=frozenset({"invoice"}), open_only=True, offset=2, limit=2
    )
    assert [item.number for item in second.items] == [item.number for item in open_items.items[2:4]]


async def test_an_order_list_of_several_statuses_is_the_whole_list_filtered(backends: Backends) -> None:
    anna = await _principal(backends, ANNA)
    everything = await backends.orders.search_orders(anna, limit=100)
    assert not everything.has_more
    for statuses in (
        {OrderStatus.DELIVERED, OrderStatus.CANCELLED},
        {OrderStatus.SHIPPED, OrderStatus.IN_PRODUCTION, OrderStatus.DELIVERED},
    ):
        expected = [o.number for o in everything.items if o.status in statuses]
        assert expected
        for offset, limit in ((0, 100), (0, 1), (1, 1)):
            page = await backends.orders.search_orders(
                anna, statuses=frozenset(statuses), offset=offset, limit=limit
            )
            assert [o.number for o in page.items] == expected[offset : offset + limit]
            assert page.has_more == (len(expected) > offset + limit)


async def test_a_request_list_of_several_statuses_is_the_whole_list_filtered(backends: Backends) -> None:
    anna = await _principal(backends, ANNA)
    everything = await backends.requests.list_requests(anna, limit=100)
    assert len(everything) < 100
    for statuses in (
        {RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.WAITING_FOR_CUSTOMER},
        {RequestStatus.CLOSED, RequestStatus.ANSWERED, RequestStatus.OPEN},
    ):
        expected = [r.number for r in everything if r.status in statuses]
        assert expected
        for limit in (100, 1):
            listed = await backends.requests.list_requests(anna, statuses=frozenset(statuses), limit=limit)
            assert [r.number for r in listed] == expected[:limit]


async def test_invoices_falling_due_in_a_period_soonest_first(backends: Backends) -> None:
    """ "Which invoices are due this month": the due date bounds them, not the issue date, and the
    soonest due comes first, page by page, as the whole list filtered by due date gives them."""
    anna = await _principal(backends, ANNA)
    unpaid = frozenset({I.OPEN, I.OVERDUE, I.AWAITING_APPROVAL})
    start, end = TODAY - timedelta(days=30), TODAY + timedelta(days=30)
    everything = await backends.invoices.list_invoices(anna, limit=100)
    expected = sorted(
        (i for i in everything.items if i.status in unpaid and start <= i.due_on <= end),
        key=lambda i: i.due_on,
    )  # invoices due on the same day come in the order they were written
    page = await backends.invoices.list_invoices(anna, statuses=unpaid, due_from=start, due_to=end, limit=100)
    assert {i.number for i in page.items} == {i.number for i in expected}
    assert [i.due_on for i in page.items] == [i.due_on for i in expected], "the soonest due first"
    assert {"OD-PAST-1", "OD-TODAY", "OD-FUTURE", "OD-AWAITING"} <= {i.number for i in page.items}
    assert "OD-PAID" not in {i.number for i in page.items}  # paid: not to pay
    first = await backends.invoices.list_invoices(anna, statuses=unpaid, due_from=start, due_to=end, limit=2)
    rest = await backends.invoices.list_invoices(
        anna, statuses=unpaid, due_from=start, due_to=end, offset=2, limit=100
    )
    assert [i.number for i in [*first.items, *rest.items]] == [
        i.number for i in page.items
    ] and first.has_more
    only_due_today = await backends.invoices.list_invoices(anna, due_from=TODAY, due_to=TODAY)
    assert [i.number for i in only_due_today.items] == ["OD-TODAY"]
