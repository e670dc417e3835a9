"""Every chat-turn query of the SQL back end is an index search, never a table scan.

Each back-end call runs on SQLite with generated volume; every statement it sent is explained with
EXPLAIN QUERY PLAN, with and without ANALYZE statistics. Also: the number of statements per call
(no N+1) and that a refused call sends none at all.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.errors import AccessDenied
from supportbot.integrations.models import (
    ContractStatus,
    InvoiceStatus,
    NewRequest,
    OrderStatus,
    Principal,
    RequestStatus,
    Role,
    StatementOrder,
)
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends

from .conftest import ANNA, ERIK, MAX, SARA, TODAY, StatementLog, clock

Call = Callable[[Backends, Principal], Awaitable[Any]]

# Agents work across companies: no company filter leads to an index, the status and the number do.
AGENT = Principal(user_id=SARA, name="Sara Lindqvist", role=Role.AGENT)


async def _first_batches(b: Backends, p: Principal, **filters: Any) -> None:
    """Three batches of a stream are enough to see its first and its follow-up queries."""
    seen = 0
    async for _ in b.orders.iter_orders(p, batch_size=50, **filters):
        seen += 1
        if seen == 150:
            break


TURNS: dict[str, Call] = {
    "get_order": lambda b, p: b.orders.get_order(p, "4711"),
    "get_order_missing": lambda b, p: b.orders.get_order(p, "5801"),
    "latest_order": lambda b, p: b.orders.latest_order(p),
    "find_by_po": lambda b, p: b.orders.find_by_po(p, "NV-PO-889"),
    "search_orders": lambda b, p: b.orders.search_orders(p),
    "search_orders_period": lambda b, p: b.orders.search_orders(
        p, date_from=TODAY - timedelta(days=60), date_to=TODAY - timedelta(days=30)
    ),
    "search_orders_status": lambda b, p: b.orders.search_orders(p, statuses=frozenset({OrderStatus.SHIPPED})),
    "search_orders_status_period": lambda b, p: b.orders.search_orders(
        p,
        statuses=frozenset({OrderStatus.DELIVERED, OrderStatus.CANCELLED}),
        date_from=TODAY - timedelta(days=90),
    ),
    "search_orders_statuses": lambda b, p: b.orders.search_orders(
        p, statuses=frozenset({OrderStatus.DELIVERED, OrderStatus.CANCELLED}), offset=10
    ),
    "search_orders_site": lambda b, p: b.orders.search_orders(p, site="Kista", offset=20),
    "search_orders_delayed": lambda b, p: b.orders.search_orders(p, delayed=True),
    "iter_orders": _first_batches,
    "iter_orders_filtered": lambda b, p: _first_batches(
        b, p, statuses=frozenset({OrderStatus.DELIVERED}), date_from=TODAY - timedelta(days=400)
    ),
    "guest_order_status": lambda b, p: b.orders.guest_order_status("4711", "1000123"),
    "get_invoice": lambda b, p: b.invoices.get_invoice(p, "INV-2031"),
    "invoice_for_order": lambda b, p: b.invoices.invoice_for_order(p, "4711"),
    "latest_invoice": lambda b, p: b.invoices.latest_invoice(p),
    "list_invoices": lambda b, p: b.invoices.list_invoices(p, limit=20),
    "list_invoices_period": lambda b, p: b.invoices.list_invoices(
        p, date_from=TODAY - timedelta(days=90), date_to=TODAY
    ),
    "list_invoices_overdue": lambda b, p: b.invoices.list_invoices(
        p, statuses=frozenset({InvoiceStatus.OVERDUE})
    ),
    "list_invoices_open": lambda b, p: b.invoices.list_invoices(
        p, statuses=frozenset({InvoiceStatus.OPEN, InvoiceStatus.AWAITING_APPROVAL})
    ),
    "list_invoices_cancelled": lambda b, p: b.invoices.list_invoices(
        p, statuses=frozenset({InvoiceStatus.CANCELLED})
    ),
    "list_invoices_due": lambda b, p: b.invoices.list_invoices(
        p,
        statuses=frozenset({InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.AWAITING_APPROVAL}),
        due_from=TODAY,
        due_to=TODAY + timedelta(days=30),
    ),
    "get_credit_note": lambda b, p: b.invoices.get_credit_note(p, "CN-0107"),
    "statement": lambda b, p: b.statements.statement(p),
    "statement_page": lambda b, p: b.statements.statement_page(p),
    "statement_page_overdue": lambda b, p: b.statements.statement_page(p, overdue_only=True),
    "statement_page_due": lambda b, p: b.statements.statement_page(p, order=StatementOrder.OLDEST_DUE),
    "statement_page_open_due": lambda b, p: b.statements.statement_page(
        p, open_only=True, order=StatementOrder.OLDEST_DUE
    ),
    "approve_invoice": lambda b, p: b.invoices.approve_invoice(p, "INV-2031"),
    "invoice_history": lambda b, p: b.invoices.invoice_history(p, "INV-2031"),
    "get_contract": lambda b, p: b.contracts.get_contract(p, "C-1001"),
    "list_contracts": lambda b, p: b.contracts.list_contracts(p, active_only=True),
    "search_contracts": lambda b, p: b.contracts.search_contracts(p, limit=2),
    "search_contracts_next_page": lambda b, p: b.contracts.search_contracts(
        p, after=f"{TODAY.isoformat()}|C-1001", limit=2
    ),
    "search_contracts_kind": lambda b, p: b.contracts.search_contracts(p, kinds=("lease",)),
    "search_contracts_status": lambda b, p: b.contracts.search_contracts(
        p, statuses=(ContractStatus.EXPIRED,)
    ),
    "search_contracts_site": lambda b, p: b.contracts.search_contracts(p, site="Kista"),
    "search_contracts_ending": lambda b, p: b.contracts.search_contracts(p, ending_within=60),
    "search_contracts_awaiting": lambda b, p: b.contracts.search_contracts(p, awaiting=("signature",)),
    "covered_items": lambda b, p: b.contracts.covered_items(p, "C-1001"),
    "contract_history": lambda b, p: b.contracts.contract_history(p, "C-1001"),
    "contract_document": lambda b, p: b.contracts.contract_document(p, "C-1001", 1),
    "list_items": lambda b, p: b.inventory.list_items(p, site="Kista"),
    "get_item": lambda b, p: b.inventory.get_item(p, "78ABC12"),
    "search_items": lambda b, p: b.inventory.search_items(p),
    "search_items_after": lambda b, p: b.inventory.search_items(p, after=("IBM Power S1022", "80AAA00")),
    "search_items_site": lambda b, p: b.inventory.search_items(p, site="Kista"),
    "search_items_site_after": lambda b, p: b.inventory.search_items(
        p, site="Kista", after=("IBM FlashSystem 5200", "80AAA00")
    ),
    "search_items_kind": lambda b, p: b.inventory.search_items(p, kind="software"),
    "search_items_products": lambda b, p: b.inventory.search_items(
        p, products=("IBM Power S1022", "IBM Power S914"), after=("IBM Power S1022", "80AAA00")
    ),
    "search_items_site_products": lambda b, p: b.inventory.search_items(
        p, site="Göteborg", products=("IBM FlashSystem 5200",)
    ),
    "search_items_kind_products": lambda b, p: b.inventory.search_items(
        p, kind="hardware", products=("IBM Power S1022",)
    ),
    "search_items_contract": lambda b, p: b.inventory.search_items(p, contract="C-1001"),
    "search_items_uncovered": lambda b, p: b.inventory.search_items(p, uncovered_on=date(2026, 12, 4)),
    "search_items_leased": lambda b, p: b.inventory.search_items(p, leased=True),
    "count_items_contract": lambda b, p: b.inventory.count_items(p, contract="C-1001"),
    "product_names": lambda b, p: b.inventory.product_names(p),
    "create_request": lambda b, p: b.requests.create_request(
        p, NewRequest(category="order", subject="s", description="d")
    ),
    "get_request": lambda b, p: b.requests.get_request(p, "RQ-2026-000001"),
    "list_requests": lambda b, p: b.requests.list_requests(p, statuses=frozenset({RequestStatus.OPEN})),
    "list_requests_open": lambda b, p: b.requests.list_requests(
        p, statuses=frozenset({RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.ANSWERED})
    ),
    "principal_for": lambda b, p: b.directory.principal_for(ANNA),
    "authenticate": lambda b, p: b.directory.authenticate(ANNA, "demo"),
    "sites": lambda b, p: b.directory.sites(p),
}

# An agent's calls, played by the principal given: in TURNS by the agent, elsewhere by a customer.
AGENT_TURNS: dict[str, Call] = {
    "work_list": lambda b, p: b.requests.work_list(p),
    "work_list_status": lambda b, p: b.requests.work_list(
        p, statuses=frozenset({RequestStatus.ANSWERED}), limit=20
    ),
    "request_for_agent": lambda b, p: b.requests.request_for_agent(p, "RQ-2026-000001"),
    "document_for_agent": lambda b, p: b.requests.document_for_agent(p, "RQ-2026-000001", "1"),
    "close_request": lambda b, p: b.requests.close_request(p, "RQ-2026-000002", "Delivered"),
    "answer_request": lambda b, p: b.requests.answer_request(p, "RQ-2026-000002", "Friday"),
}
TURNS.update({name: (lambda b, p, call=call: call(b, AGENT)) for name, call in AGENT_TURNS.items()})

# The index each turn must use on its big table; a "SEARCH" on the wrong index can still read a
# whole company's orders (say, walking them by date to find one PO number).
NUMBER = r"USING INDEX sqlite_autoindex_{0}_\d \(number=\?\)"
EXPECTED: dict[str, str] = {
    "get_order": "SEARCH orders " + NUMBER.format("orders"),
    "get_order_missing": "SEARCH orders " + NUMBER.format("orders"),
    "guest_order_status": "SEARCH orders " + NUMBER.format("orders"),
    "latest_order": r"SEARCH orders USING INDEX ix_orders_company_id_ordered_at_id \(company_id=\?\)",
    "find_by_po": r"SEARCH orders USING INDEX ix_orders_company_id_po_number_ordered_at \(company_id=\? AND po_number=\?\)",
    "search_orders": r"SEARCH orders USING INDEX ix_orders_company_id_ordered_at_id \(company_id=\?\)",
    "search_orders_period": (
        r"SEARCH orders USING INDEX ix_orders_company_id_ordered_at_id \(company_id=\? AND ordered_at>\? AND ordered_at<\?\)"
    ),
    "search_orders_status": r"SEARCH orders USING INDEX ix_orders_company_id_status_ordered_at \(company_id=\? AND status=\?\)",
    "search_orders_status_period": r"SEARCH orders USING (COVERING )?INDEX ix_orders_company_id_\w+ \(company_id=\? AND \S+",
    # Each status's newest, walked on its own: delivered and cancelled ones make most of a history.
    "search_orders_statuses": (
        r"SEARCH orders USING (COVERING )?INDEX ix_orders_company_id_status_ordered_at \(company_id=\? AND status=\?\)"
    ),
    "search_orders_site": r"SEARCH orders USING INDEX ix_orders_company_id_site_id_ordered_at \(company_id=\? AND site_id=\?\)",
    "search_orders_delayed": (
        r"SEARCH orders USING (COVERING )?INDEX ix_orders_company_id_status_expected_delivery "
        r"\(company_id=\? AND status=\? AND expected_delivery<\?\)"
    ),
    "iter_orders": r"SEARCH orders USING INDEX ix_orders_company_id_ordered_at_id \(company_id=\? AND ordered_at>\?\)",
    "get_invoice": "SEARCH invoices " + NUMBER.format("invoices"),
    "invoice_for_order": r"SEARCH invoices USING INDEX ix_invoices_company_id_order_id \(company_id=\? AND order_id=\?\)",
    "latest_invoice": r"SEARCH invoices USING INDEX ix_invoices_company_id_issued_on_id \(company_id=\?\)",
    "list_invoices_due": (
        r"SEARCH invoices USING (?:COVERING )?INDEX ix_invoices_company_id_status_due_on_total_minor_paid_minor "
        r"\(company_id=\? AND status=\? AND due_on>\? AND due_on<\?\)"
    ),
    "list_invoices_cancelled": (
        r"SEARCH invoices USING INDEX ix_invoices_company_id_status_issued_on_id_due_on \(company_id=\? AND status=\?\)"
    ),
    "list_invoices_period": (
        r"SEARCH invoices USING INDEX ix_invoices_company_id_issued_on_id \(company_id=\? AND issued_on>\? AND issued_on<\?\)"
    ),
    # Each status's first on its (company, status, issue date) index, however many paid ones lie
    # between; an open invoice past due is told by the index's due date.
    "list_invoices_overdue": (
        r"SEARCH invoices USING COVERING INDEX ix_invoices_company_id_status_issued_on_id_due_on "
        r"\(company_id=\? AND status=\?\)"
    ),
    "list_invoices_open": r"SEARCH invoices USING (COVERING )?INDEX ix_invoices_company_id_status_\w+ \(company_id=\? AND status=\?",
    # The balance sums the unsettled invoices' amounts from the index alone.
    "statement": (
        r"SEARCH invoices USING COVERING INDEX ix_invoices_company_id_status_due_on_total_minor_paid_minor "
        r"\(company_id=\? AND status=\?\)"
    ),
    "statement_page_overdue": (
        r"SEARCH invoices USING COVERING INDEX ix_invoices_company_id_status_issued_on_id_due_on "
        r"\(company_id=\? AND status=\? AND issued_on>\? AND issued_on<\?\)"
    ),
    "statement_page_open_due": r"SEARCH invoices USING (COVERING )?INDEX ix_invoices_company_id_status_\w+ \(company_id=\? AND status=\?",
    "get_credit_note": "SEARCH credit_notes " + NUMBER.format("credit_notes"),
    "get_contract": "SEARCH contracts " + NUMBER.format("contracts"),
    "search_contracts": r"SEARCH contracts USING INDEX ix_contracts_company_id_ends_on \(company_id=\?\)",
    "search_contracts_next_page": (
        r"SEARCH contracts USING INDEX ix_contracts_company_id_ends_on \(company_id=\? AND ends_on>\?\)"
    ),
    "search_contracts_kind": (
        r"SEARCH contracts USING INDEX ix_contracts_company_id_kind_ends_on \(company_id=\? AND kind=\?\)"
    ),
    "search_contracts_site": (
        r"SEARCH contracts USING INDEX ix_contracts_company_id_site_id_ends_on \(company_id=\? AND site_id=\?\)"
    ),
    "search_contracts_ending": r"SEARCH contracts USING INDEX ix_contracts_company_id_\w*ends_on \(company_id=\?",
    "covered_items": r"SEARCH inventory_items USING (COVERING )?INDEX ix_inventory_items_company_id_contract_id_product_serial",
    "contract_history": r"SEARCH contract_events USING INDEX ix_contract_events_contract_id_at_id \(contract_id=\?\)",
    "get_request": "SEARCH requests " + NUMBER.format("requests"),
    # The company's open requests among years of closed ones: each status walked on its own.
    "list_requests": (
        r"SEARCH requests USING INDEX ix_requests_company_id_status_created_at_id \(company_id=\? AND status=\?\)"
    ),
    "list_requests_open": (
        r"SEARCH requests USING (COVERING )?INDEX ix_requests_company_id_status_created_at_id "
        r"\(company_id=\? AND status=\?\)"
    ),
    "work_list": r"SEARCH requests USING INDEX ix_requests_status_due_at_id \(status=\?\)",
    "work_list_status": r"SEARCH requests USING INDEX ix_requests_status_due_at_id \(status=\?\)",
    "request_for_agent": "SEARCH requests " + NUMBER.format("requests"),
    "document_for_agent": r"SEARCH request_documents USING INTEGER PRIMARY KEY \(rowid=\?\)",
    "close_request": "SEARCH requests " + NUMBER.format("requests"),
    "answer_request": "SEARCH requests " + NUMBER.format("requests"),
    "principal_for": r"SEARCH users USING INDEX sqlite_autoindex_users_1 \(user_id=\?\)",
    "get_item": r"SEARCH inventory_items USING INDEX sqlite_autoindex_inventory_items_1 \(company_id=\? AND serial=\?\)",
    "search_items": r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_product_serial \(company_id=\?\)",
    "search_items_after": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_product_serial "
        r"\(company_id=\? AND \(product,serial\)>\(\?,\?\)\)"
    ),
    "search_items_site": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_site_id_product_serial "
        r"\(company_id=\? AND site_id=\?\)"
    ),
    "search_items_site_after": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_site_id_product_serial "
        r"\(company_id=\? AND site_id=\? AND \(product,serial\)>\(\?,\?\)\)"
    ),
    "search_items_kind": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_kind_product_serial "
        r"\(company_id=\? AND kind=\?\)"
    ),
    "search_items_products": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_product_serial "
        r"\(company_id=\? AND product=\? AND serial>\?\)"
    ),
    "search_items_site_products": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_site_id_product_serial "
        r"\(company_id=\? AND site_id=\? AND product=\?\)"
    ),
    "search_items_kind_products": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_kind_product_serial "
        r"\(company_id=\? AND kind=\? AND product=\?\)"
    ),
    "search_items_contract": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_contract_id_product_serial "
        r"\(company_id=\? AND contract_id=\?\)"
    ),
    "search_items_leased": (
        r"SEARCH inventory_items USING INDEX ix_inventory_items_company_id_product_serial \(company_id=\?\)"
    ),
    "count_items_contract": (
        r"SEARCH inventory_items USING COVERING INDEX ix_inventory_items_company_id_contract_id_product_serial "
        r"\(company_id=\? AND contract_id=\?\)"
    ),
    "product_names": (
        r"SEARCH inventory_items USING COVERING INDEX ix_inventory_items_company_id_product_serial "
        r"\(company_id=\? AND product>\?\)"
    ),
}

CTES = frozenset({"product_walk"})
"""Common table expressions the queries read row by row: a handful of rows each, never a table."""

SCAN = re.compile(r"\bSCAN (?!CONSTANT ROW)(\w+)")


async def explain(engine: AsyncEngine, statements: list[tuple[str, Any]]) -> list[tuple[str, list[str]]]:
    plans = []
    async with engine.connect() as conn:
        for sql, parameters in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")):
                continue
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
            plans.append((sql, [str(row._mapping["detail"]) for row in rows]))
    return plans


async def small_tables(engine: AsyncEngine, *, below: int = 100) -> set[str]:
    async with engine.connect() as conn:
        names = (
            (await conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'"))
            .scalars()
            .all()
        )
        return {
            name
            for name in names
            if (await conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"')).scalar_one() < below
        }


@pytest.mark.parametrize("analyzed", [False, True], ids=["no-stats", "analyzed"])
@pytest.mark.parametrize("turn", sorted(TURNS))
async def test_chat_turns_search_indexes_and_scan_no_table(
    sqlite_volume_engine: AsyncEngine, turn: str, analyzed: bool
) -> None:
    engine = sqlite_volume_engine
    async with engine.begin() as conn:
        # seed_volume leaves statistics behind; plans must be right with them and without.
        await conn.execute(text("ANALYZE" if analyzed else "DROP TABLE IF EXISTS sqlite_stat1"))
    await engine.dispose()  # new connections read the statistics afresh
    backends = sql_backends(engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    log = StatementLog(engine)
    try:
        await TURNS[turn](backends, anna)
        statements = list(log.statements)
    finally:
        log.close()
    plans = await explain(engine, statements)
    assert plans, f"{turn} sent no query"
    # With statistics SQLite rightly reads a table of a handful of rows whole; a big one, never.
    small = await small_tables(engine) if analyzed else set()
    every_detail = [d for _, details in plans for d in details]
    if turn in EXPECTED and not any(table in EXPECTED[turn] for table in small):
        assert any(re.search(EXPECTED[turn], d) for d in every_detail), (
            f"{turn} does not use the index it needs ({EXPECTED[turn]}):\n  " + "\n  ".join(every_detail)
        )
    for sql, details in plans:
        shown = "\n  ".join(details)
        where = f"\n{sql}\n  {shown}"
        # A subquery's rows, materialized: its own lines above show how it read them.
        materialized = {d.split()[1] for d in details if d.startswith("MATERIALIZE ")}
        scans = [
            m.group(1)
            for d in details
            if (m := SCAN.search(d)) and m.group(1) not in small | CTES | materialized
        ]
        assert not scans, f"{turn} scans a table:{where}"
        if not sql.lstrip().upper().startswith("INSERT") and not small:
            assert any("SEARCH" in d for d in details), f"{turn} does not search an index:{where}"
            assert all("USING" in d for d in details if d.startswith("SEARCH")), (
                f"{turn} searches without an index:{where}"
            )


async def test_the_volume_is_there(sqlite_volume_engine: AsyncEngine) -> None:
    """The plans above are meaningful only with thousands of rows beside the demo."""
    async with sqlite_volume_engine.connect() as conn:
        assert (await conn.scalar(text("SELECT count(*) FROM orders"))) > 5_000
        assert (await conn.scalar(text("SELECT count(*) FROM invoices"))) > 2_000
        assert (await conn.scalar(text("SELECT count(*) FROM requests WHERE status = 'closed'"))) > 2_000
        assert (await conn.scalar(text("SELECT count(*) FROM request_documents"))) > 200
        assert (await conn.scalar(text("SELECT count(*) FROM inventory_items"))) > 5_000
        covered = "SELECT count(*) FROM inventory_items i JOIN contracts c ON c.id = i.contract_id WHERE c.number = 'C-1001'"
        assert (await conn.scalar(text(covered))) > 100


# --- statements per call --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turn", "most"),
    [
        ("get_order", 1),  # the order, its lines, shipments and history in one statement
        ("latest_order", 4),
        ("search_orders", 1),
        ("search_orders_site", 2),  # the site names, then the orders
        ("find_by_po", 1),
        ("get_invoice", 2),
        ("list_invoices", 2),  # the page, then every line of the page at once
        ("list_invoices_overdue", 2),  # each status's newest merged in one statement
        ("statement_page_open_due", 7),  # the company, the page's three kinds, the balance's three sums
        ("search_orders_statuses", 1),
        ("list_contracts", 2),
        ("search_contracts", 2),  # the page, then the versions of the page at once
        ("search_contracts_site", 3),  # the site names, the page, its versions
        ("covered_items", 3),  # the contract, the count, the page
        ("contract_history", 3),  # the contract, its versions, its events
        ("contract_document", 3),  # the contract, its versions, the version's text
        ("list_requests", 2),
        ("list_requests_open", 2),  # each status's newest merged in one statement, then the histories
        ("work_list", 4),  # one walk of the status index per status not closed, never one per row
        ("request_for_agent", 3),  # the request, its history, its documents' descriptions
        ("document_for_agent", 1),
        ("principal_for", 2),
        ("guest_order_status", 1),
        ("search_items", 1),
        ("search_items_site", 2),  # the site names, then the page
        ("search_items_products", 2),  # one seek per product named, never one per row
        ("search_items_contract", 2),  # the contract's id by its number, then the page
        ("search_items_leased", 1),
        ("count_items_contract", 2),
        ("product_names", 1),
    ],
)
async def test_no_call_queries_per_row(
    sqlite_demo_engine: AsyncEngine, statement_log: StatementLog, turn: str, most: int
) -> None:
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    statement_log.clear()
    await TURNS[turn](backends, anna)
    selects = [s for s, _ in statement_log.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert 1 <= len(selects) <= most, selects


@pytest.mark.parametrize(
    "turn",
    [
        "get_invoice",
        "list_invoices",
        "statement",
        "get_contract",
        "list_contracts",
        "search_contracts",
        "covered_items",
        "contract_history",
        "contract_document",
        "list_items",
        "get_item",
        "search_items",
        "count_items_contract",
        "product_names",
    ],
)
async def test_a_refused_call_sends_no_query(
    sqlite_demo_engine: AsyncEngine, statement_log: StatementLog, turn: str
) -> None:
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    erik = await backends.directory.principal_for(ERIK)
    assert erik is not None
    statement_log.clear()
    with pytest.raises(AccessDenied):
        await TURNS[turn](backends, erik)
    assert statement_log.statements == []


@pytest.mark.parametrize("turn", sorted(AGENT_TURNS))
async def test_a_customer_is_refused_the_agents_calls_before_any_query(
    sqlite_demo_engine: AsyncEngine, statement_log: StatementLog, turn: str
) -> None:
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    statement_log.clear()
    with pytest.raises(AccessDenied):
        await AGENT_TURNS[turn](backends, anna)
    assert statement_log.statements == []


async def test_company_filter_is_in_the_query(
    sqlite_demo_engine: AsyncEngine, statement_log: StatementLog
) -> None:
    """Isolation is done by the database, not by filtering rows afterwards."""
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    contoso = await backends.directory.principal_for(MAX)
    assert contoso is not None
    statement_log.clear()
    assert await backends.orders.get_order(contoso, "4711") is None
    ((sql, parameters),) = statement_log.statements
    assert "orders.company_id = ?" in sql and contoso.company_id in parameters
