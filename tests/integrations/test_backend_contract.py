"""The contract every implementation of the back-end Protocols must keep, checked on the demo data.

Runs once per entry of ``IMPLEMENTATIONS`` (conftest.py): the built-in SQL back end on SQLite and,
when reachable, on PostgreSQL. Nothing here knows about SQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from supportbot.integrations.actions import Action
from supportbot.integrations.carriers import tracking_url
from supportbot.integrations.errors import AccessDenied, InvalidRequest
from supportbot.integrations.models import (
    Carrier,
    ContractStatus,
    GuestOrderStatus,
    InvoiceStatus,
    NewRequest,
    OrderStatus,
    Principal,
    RequestStatus,
    Role,
    StatementOrder,
    Tool,
)
from supportbot.integrations.protocols import (
    Backends,
    ContractsBackend,
    DirectoryBackend,
    InventoryBackend,
    InvoicesBackend,
    OrdersBackend,
    RequestsBackend,
    StatementsBackend,
)
from supportbot.integrations.sql.contracts import document_sha256

from .conftest import ANNA, ERIK, MAX, NOW, SARA, TODAY, People


def assert_utc(moment: datetime | None) -> None:
    assert moment is not None
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0), moment


async def test_every_protocol_is_implemented(backends: Backends) -> None:
    assert isinstance(backends.directory, DirectoryBackend)
    assert isinstance(backends.orders, OrdersBackend)
    assert isinstance(backends.invoices, InvoicesBackend)
    assert isinstance(backends.statements, StatementsBackend)
    assert isinstance(backends.contracts, ContractsBackend)
    assert isinstance(backends.inventory, InventoryBackend)
    assert isinstance(backends.requests, RequestsBackend)


# --- directory ------------------------------------------------------------------------------------


async def test_principals_of_the_demo_users(people: People) -> None:
    anna, erik, max_, sara = people.anna, people.erik, people.max, people.sara
    assert anna.user_id == ANNA and anna.email == ANNA and anna.name == "Anna Berg"
    assert anna.company_name == "Nordisk Verkstad AB" and anna.customer_numbers == ("1000123",)
    assert (anna.country, anna.currency, anna.locale, anna.role) == ("SE", "SEK", "sv", Role.COMPANY_ADMIN)
    assert anna.grants == frozenset(Tool)
    assert erik.company_id == anna.company_id and erik.role is Role.USER
    assert erik.grants == {Tool.ORDERS, Tool.REQUESTS}
    assert max_.company_name == "Contoso GmbH" and max_.customer_numbers == ("2000456",)
    assert (max_.country, max_.currency, max_.locale) == ("DE", "EUR", "en")
    assert max_.grants == frozenset(Tool) and max_.company_id != anna.company_id
    assert sara.role is Role.AGENT and sara.user_id == SARA


async def test_principal_for_an_unknown_user_is_none(backends: Backends) -> None:
    assert await backends.directory.principal_for("nobody@nordisk.example") is None


@pytest.mark.parametrize("user_id", [ANNA, "Anna.Berg@Nordisk.Example", "  ANNA.BERG@NORDISK.EXAMPLE "])
async def test_authenticate_with_the_right_password_any_case(backends: Backends, user_id: str) -> None:
    principal = await backends.directory.authenticate(user_id, "demo")
    assert principal is not None and principal.user_id == ANNA and principal.grants == frozenset(Tool)


@pytest.mark.parametrize(
    ("user_id", "password"),
    [(ANNA, "Demo"), (ANNA, ""), (ERIK, "demo "), ("nobody@nordisk.example", "demo"), ("", "demo")],
)
async def test_authenticate_refuses_wrong_passwords_and_unknown_users(
    backends: Backends, user_id: str, password: str
) -> None:
    assert await backends.directory.authenticate(user_id, password) is None


async def test_sites_are_the_company_s_own(backends: Backends, people: People) -> None:
    nordisk = await backends.directory.sites(people.anna)
    assert [(s.name, s.city, s.country) for s in nordisk] == [
        ("Göteborg", "Göteborg", "SE"),
        ("Kista", "Stockholm", "SE"),
    ]
    assert [s.name for s in await backends.directory.sites(people.max)] == ["München"]
    assert {"Kista", "Göteborg", "München"} <= set(await backends.directory.all_site_names())


# --- orders ---------------------------------------------------------------------------------------


async def test_order_4711_is_shipped_with_postnord(backends: Backends, people: People) -> None:
    order = await backends.orders.get_order(people.anna, "4711")
    assert order is not None
    assert (order.number, order.po_number, order.status) == ("4711", "NV-PO-889", OrderStatus.SHIPPED)
    assert order.customer_number == "1000123" and order.site == "Kista"
    assert order.expected_delivery == TODAY + timedelta(days=3)
    assert order.total.currency == "SEK" and order.total.minor == sum(
        line.total.minor for line in order.lines
    )
    assert len(order.lines) >= 2 and all(
        line.total.minor == line.quantity * line.unit_price.minor for line in order.lines
    )
    assert [line.line_no for line in order.lines] == sorted(line.line_no for line in order.lines)
    (shipment,) = order.shipments
    assert shipment.carrier is Carrier.POSTNORD and shipment.tracking_number == "00370712345678901234"
    assert shipment.tracking_url == tracking_url(Carrier.POSTNORD, "00370712345678901234")
    assert shipment.expected_at == TODAY + timedelta(days=3) and shipment.delivered_at is None
    assert_utc(shipment.shipped_at)
    assert_utc(order.ordered_at)
    assert order.history[0].status is OrderStatus.RECEIVED and order.history[-1].status is OrderStatus.SHIPPED
    assert [e.at for e in order.history] == sorted(e.at for e in order.history)
    for e in order.history:
        assert_utc(e.at)


async def test_order_4712_is_in_production_without_shipment(backends: Backends, people: People) -> None:
    order = await backends.orders.get_order(people.erik, "4712")
    assert order is not None and order.status is OrderStatus.IN_PRODUCTION
    assert order.shipments == () and order.delivered_at is None and order.lines


async def test_order_5801_is_delivered_with_dhl(backends: Backends, people: People) -> None:
    order = await backends.orders.get_order(people.max, "5801")
    assert order is not None and order.status is OrderStatus.DELIVERED and order.customer_number == "2000456"
    (shipment,) = order.shipments
    assert shipment.carrier is Carrier.DHL and shipment.tracking_url == tracking_url(
        Carrier.DHL, shipment.tracking_number
    )
    assert_utc(shipment.delivered_at)
    assert_utc(order.delivered_at)
    assert order.total.currency == "EUR"


async def test_find_by_po_and_latest_order(backends: Backends, people: People) -> None:
    assert [o.number for o in await backends.orders.find_by_po(people.anna, "NV-PO-889")] == ["4711"]
    assert await backends.orders.find_by_po(people.anna, "NV-PO-000") == ()
    latest = await backends.orders.latest_order(people.anna)
    page = await backends.orders.search_orders(people.anna, limit=100)
    assert latest is not None and latest.number == page.items[0].number
    assert latest.ordered_at == max(o.ordered_at for o in page.items)


async def test_search_orders_filters_by_status_period_and_site(backends: Backends, people: People) -> None:
    orders = backends.orders
    everything = (await orders.search_orders(people.anna, limit=100)).items
    assert len(everything) >= 6, "the demo has a handful of orders per company"
    assert len({o.status for o in everything}) >= 4, "in various statuses"
    assert [o.ordered_at for o in everything] == sorted((o.ordered_at for o in everything), reverse=True)

    delivered = await orders.search_orders(
        people.anna, statuses=frozenset({OrderStatus.DELIVERED}), limit=100
    )
    assert delivered.items and all(o.status is OrderStatus.DELIVERED for o in delivered.items)
    assert len(delivered.items) == sum(o.status is OrderStatus.DELIVERED for o in everything)

    start, end = TODAY - timedelta(days=15), TODAY - timedelta(days=1)
    recent = await orders.search_orders(people.anna, date_from=start, date_to=end, limit=100)
    expected = [o.number for o in everything if start <= o.ordered_at.date() <= end]
    assert [o.number for o in recent.items] == expected and "4711" in expected

    for spelling in ("Kista", "kista", "KISTA"):
        at_kista = await orders.search_orders(people.anna, site=spelling, limit=100)
        assert at_kista.items and {o.site for o in at_kista.items} == {"Kista"}
    at_gothenburg = await orders.search_orders(people.anna, site="GÖTEBORG", limit=100)
    assert "4712" in [o.number for o in at_gothenburg.items]
    assert (await orders.search_orders(people.anna, site="München")).items == ()
    assert (await orders.search_orders(people.anna, site="Atlantis")).items == ()


async def test_search_orders_pages_with_has_more(backends: Backends, people: People) -> None:
    everything = [o.number for o in (await backends.orders.search_orders(people.anna, limit=100)).items]
    seen: list[str] = []
    offset = 0
    while True:
        page = await backends.orders.search_orders(people.anna, offset=offset, limit=3)
        assert page.offset == offset and page.limit == 3 and len(page.items) <= 3
        seen.extend(o.number for o in page.items)
        if not page.has_more:
            break
        offset += 3
    assert seen == everything
    exact = await backends.orders.search_orders(people.anna, limit=len(everything))
    assert not exact.has_more


@pytest.mark.parametrize(
    "arguments",
    [
        {"limit": 0},
        {"limit": 10_000},
        {"offset": -1},
        {"date_from": TODAY, "date_to": TODAY - timedelta(days=1)},
    ],
)
async def test_search_orders_rejects_bad_arguments(
    backends: Backends, people: People, arguments: dict[str, Any]
) -> None:
    with pytest.raises(InvalidRequest):
        await backends.orders.search_orders(people.anna, **arguments)


async def test_iter_orders_streams_everything_oldest_first(backends: Backends, people: People) -> None:
    newest_first = (await backends.orders.search_orders(people.anna, limit=100)).items
    streamed = [o async for o in backends.orders.iter_orders(people.anna, batch_size=2)]
    assert [o.number for o in streamed] == [o.number for o in reversed(newest_first)]
    delivered = [
        o.number
        async for o in backends.orders.iter_orders(
            people.anna, statuses=frozenset({OrderStatus.DELIVERED}), date_to=TODAY, batch_size=1
        )
    ]
    assert delivered == [o.number for o in reversed(newest_first) if o.status is OrderStatus.DELIVERED]


async def test_guest_order_status_needs_both_numbers(backends: Backends) -> None:
    status = await backends.orders.guest_order_status("4711", "1000123")
    assert status == GuestOrderStatus(
        number="4711", status=OrderStatus.SHIPPED, expected_delivery=TODAY + timedelta(days=3)
    )
    assert set(GuestOrderStatus.model_fields) == {"number", "status", "expected_delivery", "delivered_at"}
    contoso = await backends.orders.guest_order_status(" 5801 ", "2000456")
    assert contoso is not None and contoso.status is OrderStatus.DELIVERED
    assert await backends.orders.guest_order_status("4711", "2000456") is None
    assert await backends.orders.guest_order_status("5801", "1000123") is None
    assert await backends.orders.guest_order_status("4711", "") is None
    assert await backends.orders.guest_order_status("", "1000123") is None
    assert await backends.orders.guest_order_status("9999", "1000123") is None


# --- tenant isolation: another company's record is exactly a missing one --------------------------

Lookup = Callable[[Backends, Principal, str], Awaitable[object]]

LOOKUPS: dict[str, Lookup] = {
    "order": lambda b, p, n: b.orders.get_order(p, n),
    "invoice": lambda b, p, n: b.invoices.get_invoice(p, n),
    "invoice_for_order": lambda b, p, n: b.invoices.invoice_for_order(p, n),
    "credit_note": lambda b, p, n: b.invoices.get_credit_note(p, n),
    "contract": lambda b, p, n: b.contracts.get_contract(p, n),
    "contract_history": lambda b, p, n: b.contracts.contract_history(p, n),
    "contract_document": lambda b, p, n: b.contracts.contract_document(p, n),
    "inventory": lambda b, p, n: b.inventory.get_item(p, n),
}


@pytest.mark.parametrize(
    ("kind", "own", "foreign", "missing"),
    [
        ("order", "4711", "5801", "4799"),
        ("invoice", "INV-2031", "INV-3050", "INV-9999"),
        ("invoice_for_order", "4711", "5801", "4799"),
        ("contract", "C-1001", "C-2001", "C-9999"),
        ("contract_history", "C-1001", "C-2001", "C-9999"),
        ("contract_document", "C-1001", "C-2001", "C-9999"),
        ("inventory", "78ABC12", "78DEF56", "00NONE0"),
    ],
)
async def test_another_company_s_record_is_like_a_missing_one(
    backends: Backends, people: People, kind: str, own: str, foreign: str, missing: str
) -> None:
    lookup = LOOKUPS[kind]
    assert await lookup(backends, people.anna, own) is not None
    assert await lookup(backends, people.max, foreign) is not None
    assert await lookup(backends, people.anna, foreign) is None
    assert await lookup(backends, people.anna, missing) is None
    assert await lookup(backends, people.max, own) is None


async def test_credit_notes_and_requests_stay_in_their_company(backends: Backends, people: People) -> None:
    assert await backends.invoices.get_credit_note(people.anna, "CN-0107") is not None
    assert await backends.invoices.get_credit_note(people.max, "CN-0107") is None
    contoso_requests = await backends.requests.list_requests(people.max)
    assert contoso_requests and all(r.customer_number == "2000456" for r in contoso_requests)
    for request in contoso_requests:
        assert await backends.requests.get_request(people.anna, request.number) is None
    assert await backends.requests.get_request(people.anna, "RQ-2099-999999") is None


async def test_lists_hold_only_the_company_s_own_records(backends: Backends, people: People) -> None:
    for person, customer in ((people.anna, "1000123"), (people.max, "2000456")):
        orders = (await backends.orders.search_orders(person, limit=100)).items
        assert orders and {o.customer_number for o in orders} == {customer}
        streamed = [o async for o in backends.orders.iter_orders(person)]
        assert {o.customer_number for o in streamed} == {customer}
        invoices = (await backends.invoices.list_invoices(person, limit=100)).items
        assert invoices and {i.customer_number for i in invoices} == {customer}
        contracts = await backends.contracts.list_contracts(person)
        assert contracts and {c.customer_number for c in contracts} == {customer}
        statement = await backends.statements.statement(person, date_from=TODAY - timedelta(days=3650))
        assert statement.customer_number == customer
        assert {i.number for i in statement.items if i.kind == "invoice"} <= {i.number for i in invoices}
        requests = await backends.requests.list_requests(person)
        assert {r.customer_number for r in requests} == {customer}
    assert await backends.orders.find_by_po(people.anna, "CON-4500123") == ()
    assert {i.serial for i in await backends.inventory.list_items(people.anna)}.isdisjoint(
        {i.serial for i in await backends.inventory.list_items(people.max)}
    )
    assert await backends.inventory.list_items(people.anna, site="München") == ()


# --- grants and guests ----------------------------------------------------------------------------

Call = Callable[[Backends, Principal], Awaitable[object]]

CALLS: dict[str, tuple[Tool, Call]] = {
    "get_order": (Tool.ORDERS, lambda b, p: b.orders.get_order(p, "4711")),
    "latest_order": (Tool.ORDERS, lambda b, p: b.orders.latest_order(p)),
    "find_by_po": (Tool.ORDERS, lambda b, p: b.orders.find_by_po(p, "NV-PO-889")),
    "search_orders": (Tool.ORDERS, lambda b, p: b.orders.search_orders(p)),
    "get_invoice": (Tool.INVOICES, lambda b, p: b.invoices.get_invoice(p, "INV-2031")),
    "invoice_for_order": (Tool.INVOICES, lambda b, p: b.invoices.invoice_for_order(p, "4711")),
    "latest_invoice": (Tool.INVOICES, lambda b, p: b.invoices.latest_invoice(p)),
    "list_invoices": (Tool.INVOICES, lambda b, p: b.invoices.list_invoices(p)),
    "get_credit_note": (Tool.INVOICES, lambda b, p: b.invoices.get_credit_note(p, "CN-0107")),
    "statement": (Tool.STATEMENTS, lambda b, p: b.statements.statement(p)),
    "get_contract": (Tool.CONTRACTS, lambda b, p: b.contracts.get_contract(p, "C-1001")),
    "list_contracts": (Tool.CONTRACTS, lambda b, p: b.contracts.list_contracts(p)),
    "search_contracts": (Tool.CONTRACTS, lambda b, p: b.contracts.search_contracts(p)),
    "covered_items": (Tool.CONTRACTS, lambda b, p: b.contracts.covered_items(p, "C-1001")),
    "contract_history": (Tool.CONTRACTS, lambda b, p: b.contracts.contract_history(p, "C-1001")),
    "contract_document": (Tool.CONTRACTS, lambda b, p: b.contracts.contract_document(p, "C-1001")),
    "list_items": (Tool.INVENTORY, lambda b, p: b.inventory.list_items(p)),
    "get_item": (Tool.INVENTORY, lambda b, p: b.inventory.get_item(p, "78ABC12")),
    "search_items": (Tool.INVENTORY, lambda b, p: b.inventory.search_items(p, site="Kista")),
    "count_items": (Tool.INVENTORY, lambda b, p: b.inventory.count_items(p, contract="C-1001")),
    "product_names": (Tool.INVENTORY, lambda b, p: b.inventory.product_names(p)),
    "create_request": (
        Tool.REQUESTS,
        lambda b, p: b.requests.create_request(p, NewRequest(category="other", subject="s", description="d")),
    ),
    "get_request": (Tool.REQUESTS, lambda b, p: b.requests.get_request(p, "RQ-2026-000001")),
    "list_requests": (Tool.REQUESTS, lambda b, p: b.requests.list_requests(p)),
}


@pytest.mark.parametrize(
    "name", [n for n, (tool, _) in CALLS.items() if tool not in (Tool.ORDERS, Tool.REQUESTS)]
)
async def test_a_user_without_the_grant_is_refused(backends: Backends, people: People, name: str) -> None:
    tool, call = CALLS[name]
    with pytest.raises(AccessDenied) as refused:
        await call(backends, people.erik)
    assert refused.value.tool is tool


async def test_a_user_with_the_grant_is_served(backends: Backends, people: People) -> None:
    assert await backends.orders.get_order(people.erik, "4711") is not None
    assert await backends.requests.list_requests(people.erik) is not None


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_a_guest_is_refused_everything(backends: Backends, name: str) -> None:
    tool, call = CALLS[name]
    # Even a guest principal that claims every grant.
    for guest in (Principal.guest(), Principal(grants=frozenset(Tool), company_id=1)):
        with pytest.raises(AccessDenied) as refused:
            await call(backends, guest)
        assert refused.value.tool is tool


async def test_a_guest_is_refused_sites_and_order_streams(backends: Backends, people: People) -> None:
    with pytest.raises(AccessDenied):
        await backends.directory.sites(people.guest)
    with pytest.raises(AccessDenied):
        backends.orders.iter_orders(people.guest)  # refused at the call, before iterating
    with pytest.raises(AccessDenied):
        backends.orders.iter_orders(people.sara)  # the agent holds no tool grant


# --- invoices, credit notes, statements -----------------------------------------------------------


async def test_invoice_2031_awaits_approval_for_125_000_sek(backends: Backends, people: People) -> None:
    invoice = await backends.invoices.get_invoice(people.anna, "INV-2031")
    assert invoice is not None
    assert invoice.status is InvoiceStatus.AWAITING_APPROVAL and invoice.approved_by is None
    assert invoice.order_number == "4711" and invoice.customer_number == "1000123"
    assert invoice.due_on > TODAY and invoice.issued_on <= TODAY
    assert (invoice.net.minor, invoice.vat.minor, invoice.total.minor) == (10_000_000, 2_500_000, 12_500_000)
    assert invoice.total.amount == Decimal("125000.00") and invoice.total.currency == "SEK"
    assert invoice.paid.minor == 0 and invoice.open_amount == invoice.total
    assert invoice.lines and sum(line.net.minor for line in invoice.lines) == invoice.net.minor
    assert sum(line.vat.minor for line in invoice.lines) == invoice.vat.minor
    assert {line.vat_rate for line in invoice.lines} == {Decimal(25)}
    assert await backends.invoices.get_invoice(people.anna, "inv-2031") == invoice
    assert await backends.invoices.invoice_for_order(people.anna, "4711") == invoice
    assert await backends.invoices.latest_invoice(people.anna) == invoice


async def test_invoice_2032_is_paid_and_cn_0107_credits_5000_sek(backends: Backends, people: People) -> None:
    invoice = await backends.invoices.get_invoice(people.anna, "INV-2032")
    assert invoice is not None and invoice.status is InvoiceStatus.PAID and invoice.open_amount.minor == 0
    note = await backends.invoices.get_credit_note(people.anna, "CN-0107")
    assert note is not None and note.total.minor == 500_000 and note.total.currency == "SEK"
    assert note.customer_number == "1000123"


async def test_invoice_3050_is_overdue_in_eur_with_19_percent_vat(backends: Backends, people: People) -> None:
    invoice = await backends.invoices.get_invoice(people.max, "INV-3050")
    assert invoice is not None and invoice.status is InvoiceStatus.OVERDUE and invoice.due_on < TODAY
    assert invoice.total.currency == "EUR" and invoice.open_amount.minor > 0
    assert invoice.total.minor == invoice.net.minor + invoice.vat.minor
    assert {line.vat_rate for line in invoice.lines} == {Decimal(19)}
    assert invoice.vat.minor == round(invoice.net.minor * Decimal("0.19"))


async def test_list_invoices_filters_and_pages(backends: Backends, people: People) -> None:
    invoices = backends.invoices
    everything = (await invoices.list_invoices(people.anna, limit=100)).items
    assert [i.issued_on for i in everything] == sorted((i.issued_on for i in everything), reverse=True)
    paid = (
        await invoices.list_invoices(people.anna, statuses=frozenset({InvoiceStatus.PAID}), limit=100)
    ).items
    assert (
        paid and all(i.status is InvoiceStatus.PAID for i in paid) and "INV-2032" in {i.number for i in paid}
    )
    overdue = (await invoices.list_invoices(people.max, statuses=frozenset({InvoiceStatus.OVERDUE}))).items
    assert [i.number for i in overdue] == ["INV-3050"]
    first = await invoices.list_invoices(people.anna, limit=2)
    second = await invoices.list_invoices(people.anna, offset=2, limit=2)
    assert first.has_more and [i.number for i in (*first.items, *second.items)] == [
        i.number for i in everything[:4]
    ]
    window = await invoices.list_invoices(people.anna, date_from=TODAY - timedelta(days=10), date_to=TODAY)
    assert [i.number for i in window.items] == ["INV-2031"]


async def test_statement_adds_up(backends: Backends, people: People) -> None:
    statement = await backends.statements.statement(
        people.anna, date_from=TODAY - timedelta(days=3650), date_to=TODAY
    )
    assert statement.customer_number == "1000123" and statement.currency == "SEK"
    kinds = {item.kind for item in statement.items}
    assert kinds == {"invoice", "credit_note", "payment"}
    assert statement.balance.minor == sum(item.amount.minor for item in statement.items)
    assert statement.balance.minor == sum(item.open_amount.minor for item in statement.items)
    by_number = {item.number: item for item in statement.items}
    assert by_number["INV-2031"].open_amount.minor == 12_500_000 and not by_number["INV-2031"].overdue
    assert by_number["CN-0107"].amount.minor == -500_000
    assert statement.overdue.minor == 0
    assert [item.on for item in statement.items] == sorted(item.on for item in statement.items)

    contoso = await backends.statements.statement(people.max)
    overdue_item = next(item for item in contoso.items if item.number == "INV-3050")
    assert overdue_item.overdue and contoso.overdue == overdue_item.open_amount
    assert contoso.currency == "EUR" and contoso.date_to == TODAY


async def test_statement_period_limits_the_items(backends: Backends, people: People) -> None:
    statement = await backends.statements.statement(
        people.anna, date_from=TODAY - timedelta(days=5), date_to=TODAY
    )
    assert [item.number for item in statement.items] == ["INV-2031"]
    with pytest.raises(InvalidRequest):
        await backends.statements.statement(people.anna, date_from=TODAY, date_to=TODAY - timedelta(days=1))


# --- contracts and inventory ----------------------------------------------------------------------


async def test_contract_c_1001_expires_in_25_days_with_two_versions(
    backends: Backends, people: People
) -> None:
    contract = await backends.contracts.get_contract(people.anna, "C-1001")
    assert contract is not None
    assert contract.kind == "hardware_maintenance" and contract.status is ContractStatus.ACTIVE
    assert contract.ends_on == TODAY + timedelta(days=25) and contract.starts_on < TODAY
    assert [v.version for v in contract.versions] == [1, 2]
    assert contract.versions[0].created_at < contract.versions[1].created_at
    assert len({v.sha256 for v in contract.versions}) == 2
    for version in contract.versions:
        assert re.fullmatch(r"[0-9a-f]{64}", version.sha256)
        assert_utc(version.created_at)


async def test_contract_c_2001_runs_more_than_a_year(backends: Backends, people: People) -> None:
    contract = await backends.contracts.get_contract(people.max, "C-2001")
    assert contract is not None and contract.kind == "software_subscription"
    assert contract.status is ContractStatus.ACTIVE and contract.ends_on > TODAY + timedelta(days=365)
    assert contract.annual_value.currency == "EUR" and contract.versions


async def test_list_contracts_active_only(backends: Backends, people: People) -> None:
    every = await backends.contracts.list_contracts(people.anna)
    active = await backends.contracts.list_contracts(people.anna, active_only=True)
    assert "C-1001" in {c.number for c in active}
    assert all(c.status is ContractStatus.ACTIVE and c.ends_on >= TODAY for c in active)
    assert {c.number for c in active} <= {c.number for c in every}


async def test_contract_search_filters_and_pages_by_keyset(backends: Backends, people: People) -> None:
    contracts = backends.contracts
    anna = people.anna

    async def numbers(**filters: Any) -> list[str]:
        return [c.number for c in (await contracts.search_contracts(anna, **filters)).items]

    everything = await numbers(limit=100)
    assert everything == ["C-0950", "C-1001", "C-1003", "C-1004", "C-1002"], "soonest end first"
    assert await numbers(kinds=("software_subscription",)) == ["C-0950", "C-1004"]
    assert await numbers(site="kista") == ["C-1001", "C-1004"]
    assert await numbers(statuses=(ContractStatus.EXPIRED,)) == ["C-0950"]
    assert await numbers(statuses=(ContractStatus.ACTIVE,)) == ["C-1001", "C-1003", "C-1004", "C-1002"]
    assert await numbers(awaiting=("signature",)) == ["C-1003"]
    assert await numbers(awaiting=("approval", "signature")) == ["C-1003", "C-1004"]
    assert await numbers(ending_within=25) == ["C-1001"]
    assert await numbers(ending_within=24) == []
    assert await numbers(ending_within=65) == ["C-1001", "C-1003"]
    assert await numbers(site="München") == []
    pages: list[str] = []
    after = None
    while True:
        page = await contracts.search_contracts(anna, after=after, limit=2)
        pages += [c.number for c in page.items]
        if not page.has_more:
            assert page.after is None
            break
        after = page.after
    assert pages == everything
    with pytest.raises(InvalidRequest):
        await contracts.search_contracts(anna, after="not a cursor")
    with pytest.raises(InvalidRequest):
        await contracts.search_contracts(anna, awaiting=("payment",))


async def test_what_a_contract_covers_its_history_and_a_version_text(
    backends: Backends, people: People
) -> None:
    contracts = backends.contracts
    covered = await contracts.covered_items(people.anna, "c-1001", limit=1)
    assert covered.total == 2 and [i.serial for i in covered.items] == ["78ABC12"]
    assert (await contracts.covered_items(people.max, "C-1001")).total == 0
    history = await contracts.contract_history(people.anna, "C-1001")
    assert history is not None and [v.version for v in history.contract.versions] == [1, 2]
    document = await contracts.contract_document(people.anna, "C-1001", 1)
    assert document is not None and document.version.version == 1
    assert document_sha256(document.text) == document.version.sha256
    current = await contracts.contract_document(people.anna, "C-1001")
    assert current is not None and current.version.version == 2
    assert await contracts.contract_document(people.anna, "C-1001", 3) is None


async def test_a_forward_is_recorded_once_per_action(backends: Backends, people: People) -> None:
    contracts = backends.contracts
    action: Action[str] = Action(key="test:forward:1")
    first = await contracts.record_forward(people.anna, "C-1001", 2, "maria@nordisk.example", action=action)
    again = await contracts.record_forward(people.anna, "C-1001", 2, "maria@nordisk.example", action=action)
    assert first is not None and again == first
    assert await contracts.record_forward(people.max, "C-1001", 2, "x@contoso.example") is None
    assert await contracts.record_forward(people.anna, "C-1001", 9, "maria@nordisk.example") is None
    history = await contracts.contract_history(people.anna, "C-1001")
    assert history is not None
    (event,) = history.events
    assert (event.kind, event.version, event.detail, event.actor) == (
        "forwarded",
        2,
        "maria@nordisk.example",
        people.anna.user_id,
    )
    assert event.sha256 == history.contract.versions[1].sha256


async def test_inventory_of_nordisk(backends: Backends, people: People) -> None:
    power = await backends.inventory.get_item(people.anna, "78ABC12")
    assert power is not None and power.product == "IBM Power S1022" and power.site == "Kista"
    assert power.contract_number == "C-1001" and power.kind == "hardware"
    flash = await backends.inventory.get_item(people.anna, "78xyz34")
    assert flash is not None and flash.product == "IBM FlashSystem 5200" and flash.site == "Göteborg"
    assert flash.leased_until is not None and flash.leased_until > TODAY
    kista = await backends.inventory.list_items(people.anna, site="kista")
    assert "78ABC12" in {i.serial for i in kista} and {i.site for i in kista} == {"Kista"}
    assert {"78ABC12", "78XYZ34"} <= {i.serial for i in await backends.inventory.list_items(people.anna)}


async def test_search_items_combines_filters_in_product_order(backends: Backends, people: People) -> None:
    inventory = backends.inventory
    kista = await inventory.search_items(people.anna, site="KISTA", kind="hardware")
    assert [i.serial for i in kista.items] == ["78ABC12", "78PWR09", "78TAP77"] and not kista.has_more
    software = await inventory.search_items(people.anna, kind="software")
    assert {i.serial for i in software.items} == {"5765-CD3-0042", "5725-W98-0093", "5724-H72-0311"}
    aix = next(i for i in software.items if i.serial == "5765-CD3-0042")
    assert (aix.software_version, aix.licences, aix.contract_number) == ("7.3 TL2", 20, "C-1004")
    power = await inventory.search_items(people.anna, products=["IBM Power S914", "IBM Power S1022"])
    assert [i.serial for i in power.items] == ["78ABC12", "78PWR09"]
    at_kista = await inventory.search_items(people.anna, site="Kista", products=["IBM FlashSystem 5200"])
    assert at_kista.items == ()
    covered = await inventory.search_items(people.anna, contract="c-1001")
    assert [i.serial for i in covered.items] == ["78ABC12", "78TAP77"]
    assert await inventory.count_items(people.anna, contract="C-1001") == 2
    assert await inventory.count_items(people.anna, site="Göteborg") == 3
    leased = await inventory.search_items(people.anna, leased=True)
    assert [i.serial for i in leased.items] == ["78XYZ34"] and not leased.has_more
    assert await inventory.count_items(people.anna, leased=True, site="Kista") == 0
    contoso = await inventory.search_items(people.max, leased=True)
    assert [i.serial for i in contoso.items] == ["78MUC45"]  # Contoso's own, none of Nordisk's
    lapsed = await inventory.get_item(people.anna, "78PWR09")
    assert lapsed is not None and lapsed.lapsed(TODAY) and lapsed.contract_number is None
    assert not kista.items[0].lapsed(TODAY), "78ABC12 is covered by C-1001"


async def test_search_items_pages_by_keyset_without_gaps(backends: Backends, people: People) -> None:
    inventory = backends.inventory
    everything = await inventory.search_items(people.anna, limit=100)
    seen = []
    after = None
    while True:
        page = await inventory.search_items(people.anna, after=after, limit=3)
        seen.extend(page.items)
        if not page.has_more:
            break
        after = page.last
    assert seen == list(everything.items) and len(seen) == 8
    assert [(i.product, i.serial) for i in seen] == sorted((i.product, i.serial) for i in seen)
    power = await inventory.search_items(
        people.anna, products=["IBM Power S1012", "IBM Power S1022", "IBM Power S914"], limit=1
    )
    rest = await inventory.search_items(
        people.anna,
        products=["IBM Power S1012", "IBM Power S1022", "IBM Power S914"],
        after=power.last,
        limit=5,
    )
    assert [i.serial for i in (*power.items, *rest.items)] == ["78GBG21", "78ABC12", "78PWR09"]
    with pytest.raises(InvalidRequest):
        await inventory.search_items(people.anna, limit=0)
    with pytest.raises(InvalidRequest):
        await inventory.search_items(people.anna, kind="furniture")


async def test_inventory_of_another_company_is_like_nothing(backends: Backends, people: People) -> None:
    inventory = backends.inventory
    assert await inventory.product_names(people.anna) == (
        "IBM AIX 7.3 Standard Edition", "IBM FlashSystem 5200", "IBM MQ Advanced", "IBM Power S1012",
        "IBM Power S1022", "IBM Power S914", "IBM Storage Protect", "IBM TS4300 Tape Library",
    )  # fmt: skip
    assert "IBM FlashSystem 5045" not in await inventory.product_names(people.anna)
    assert (await inventory.search_items(people.max, contract="C-1001")).items == ()
    assert await inventory.count_items(people.max, contract="C-1001") == 0
    assert (await inventory.search_items(people.max, site="Kista")).items == ()
    assert (await inventory.search_items(people.max, products=["IBM Power S1022"])).items == ()
    contoso = await inventory.search_items(people.max)
    assert {i.serial for i in contoso.items} == {"78DEF56", "78MUC45", "5725-W98-0117"}


# --- requests -------------------------------------------------------------------------------------


async def test_create_request_gives_a_number_and_history(backends: Backends, people: People) -> None:
    new = NewRequest(
        category="order",
        subject="Delivery address for 4712",
        description="Please deliver to dock 3.",
        related="4712",
    )
    created = await backends.requests.create_request(people.erik, new)
    assert re.fullmatch(r"RQ-\d{4}-\d{6}", created.number)
    assert created.status is RequestStatus.OPEN and created.requester == ERIK
    assert created.customer_number == "1000123" and created.subject == new.subject
    assert created.created_at == NOW and created.due_at == NOW + timedelta(days=1)  # Wednesday → Thursday
    assert [e.kind for e in created.history] == ["created"]
    assert await backends.requests.get_request(people.erik, created.number) == created
    assert (await backends.requests.list_requests(people.erik))[0] == created
    again = await backends.requests.create_request(people.erik, new)
    assert again.number != created.number


async def test_requests_are_seen_by_their_requester_and_the_company_admin(
    backends: Backends, people: People
) -> None:
    created = await backends.requests.create_request(
        people.erik, NewRequest(category="other", subject="Hello", description="A question.")
    )
    assert await backends.requests.get_request(people.anna, created.number) is not None  # administrator
    assert await backends.requests.get_request(people.max, created.number) is None  # other company
    annas = [r for r in await backends.requests.list_requests(people.anna) if r.requester == ANNA]
    assert annas
    assert await backends.requests.get_request(people.erik, annas[0].number) is None  # a colleague's


async def test_list_requests_filters_by_status(backends: Backends, people: People) -> None:
    answered = await backends.requests.list_requests(people.max, statuses=frozenset({RequestStatus.ANSWERED}))
    assert answered and all(r.status is RequestStatus.ANSWERED for r in answered)
    assert answered[0].history[0].kind == "created"
    for r in answered:
        assert_utc(r.created_at)
    assert await backends.requests.list_requests(people.max, statuses=frozenset({RequestStatus.CLOSED})) == ()


async def test_create_request_rejects_bad_input(backends: Backends, people: People) -> None:
    with pytest.raises(InvalidRequest):
        await backends.requests.create_request(
            people.erik, NewRequest(category="order", subject="x", description="y", priority="whenever")
        )
    with pytest.raises(InvalidRequest):
        await backends.requests.create_request(
            people.erik, NewRequest(category="order", subject=" ", description="y")
        )
    with pytest.raises(InvalidRequest):
        await backends.requests.create_request(
            people.erik, NewRequest(category="order", subject="x" * 10_000, description="y")
        )


async def test_clock_is_utc(backends: Backends, people: People) -> None:
    """The fixture's clock is the one the back end uses for 'today'."""
    assert NOW.tzinfo is UTC
    invoice = await backends.invoices.get_invoice(people.anna, "INV-2031")
    assert invoice is not None and invoice.issued_on == TODAY - timedelta(days=2)


async def test_approve_invoice_records_who_and_when_once(backends: Backends, people: People) -> None:
    first = await backends.invoices.approve_invoice(people.anna, "INV-2031")
    assert first is not None and first.changed
    assert first.invoice.approved_by == ANNA and first.invoice.approved_at == NOW
    assert first.invoice.status is InvoiceStatus.OPEN
    again = await backends.invoices.approve_invoice(people.anna, "inv-2031")
    assert again is not None and not again.changed and again.invoice.approved_at == NOW
    assert await backends.invoices.approve_invoice(people.max, "INV-2031") is None
    assert [e.kind for e in await backends.invoices.invoice_history(people.anna, "INV-2031")] == ["approved"]
    with pytest.raises(AccessDenied):
        await backends.invoices.approve_invoice(people.erik, "INV-2031")


async def test_record_forward_stays_in_the_company(backends: Backends, people: People) -> None:
    assert await backends.invoices.record_forward(people.anna, "INV-2031", ERIK)
    assert not await backends.invoices.record_forward(people.max, "INV-2031", MAX)
    history = await backends.invoices.invoice_history(people.anna, "INV-2031")
    assert [(e.kind, e.actor, e.detail) for e in history] == [("forwarded", ANNA, ERIK)]
    assert await backends.invoices.invoice_history(people.max, "INV-2031") == ()
    with pytest.raises(AccessDenied):
        await backends.invoices.record_forward(people.erik, "INV-2031", ERIK)


async def test_statement_page_agrees_with_the_statement(backends: Backends, people: People) -> None:
    full = await backends.statements.statement(people.anna)
    page = await backends.statements.statement_page(people.anna, limit=3)
    assert (page.balance, page.overdue) == (full.balance, full.overdue)
    newest = sorted(full.items, key=lambda i: i.on, reverse=True)
    assert [i.on for i in page.items] == [i.on for i in newest[:3]] and page.has_more
    largest = await backends.statements.statement_page(people.anna, order=StatementOrder.LARGEST, limit=100)
    assert sorted(i.number for i in largest.items) == sorted(i.number for i in full.items)
    assert [abs(i.amount.minor) for i in largest.items] == sorted(
        (abs(i.amount.minor) for i in full.items), reverse=True
    )
    overdue = await backends.statements.statement_page(people.max, overdue_only=True)
    assert overdue.items and all(i.overdue for i in overdue.items)
    with pytest.raises(AccessDenied):
        await backends.statements.statement_page(people.erik)


async def test_statement_page_oldest_due_first(backends: Backends, people: People) -> None:
    """Oldest due date first, page by page; what never falls due (credit notes, payments) after."""
    full = await backends.statements.statement(people.anna)
    due = await backends.statements.statement_page(people.anna, order=StatementOrder.OLDEST_DUE, limit=100)
    assert sorted(i.number for i in due.items) == sorted(i.number for i in full.items)
    dated = [i.due_on for i in due.items if i.due_on is not None]
    assert dated == sorted(dated) and len(dated) >= 3
    first_undated = next(n for n, i in enumerate(due.items) if i.due_on is None)
    assert all(i.due_on is None for i in due.items[first_undated:])
    assert [i.number for i in due.items][:3] == ["INV-2011", "INV-2018", "INV-2032"]
    paged = [
        *(
            await backends.statements.statement_page(people.anna, order=StatementOrder.OLDEST_DUE, limit=2)
        ).items,
        *(
            await backends.statements.statement_page(
                people.anna, order=StatementOrder.OLDEST_DUE, offset=2, limit=100
            )
        ).items,
    ]
    assert [i.number for i in paged] == [i.number for i in due.items]
    open_items = await backends.statements.statement_page(
        people.max, open_only=True, order=StatementOrder.OLDEST_DUE, limit=100
    )
    assert [i.number for i in open_items.items] == ["INV-3050"]


# --- requests, as support agents work on them -------------------------------------------------------

AGENT_CALLS: dict[str, Call] = {
    "work_list": lambda b, p: b.requests.work_list(p),
    "request_for_agent": lambda b, p: b.requests.request_for_agent(p, "RQ-2026-000001"),
    "document_for_agent": lambda b, p: b.requests.document_for_agent(p, "RQ-2026-000001", "1"),
    "close_request": lambda b, p: b.requests.close_request(p, "RQ-2026-000001", "Done"),
    "answer_request": lambda b, p: b.requests.answer_request(p, "RQ-2026-000001", "Hello"),
}


@pytest.mark.parametrize("name", sorted(AGENT_CALLS))
async def test_only_an_agent_works_on_requests_across_companies(
    backends: Backends, people: People, name: str
) -> None:
    # An administrator, a user, a guest, and a principal that claims every grant: none is an agent.
    everything = Principal(user_id=ANNA, grants=frozenset(Tool), company_id=people.anna.company_id)
    for someone in (people.anna, people.erik, people.max, people.guest, everything):
        with pytest.raises(AccessDenied) as refused:
            await AGENT_CALLS[name](backends, someone)
        assert refused.value.tool is Tool.REQUESTS
    unchanged = await backends.requests.get_request(people.anna, "RQ-2026-000001")
    assert unchanged is not None and unchanged.status is RequestStatus.IN_PROGRESS
    assert [e.kind for e in unchanged.history] == ["created", "status"]


async def test_the_work_list_holds_every_company_s_open_requests_by_due_time(
    backends: Backends, people: People
) -> None:
    created = await backends.requests.create_request(
        people.max, NewRequest(category="other", subject="Licence keys", description="Where are they?")
    )
    listed = list(await backends.requests.work_list(people.sara))
    by_number = {r.number: r for r in listed}
    assert {r.company for r in listed} == {"Nordisk Verkstad AB", "Contoso GmbH"}
    assert {r.customer_number for r in listed} == {"1000123", "2000456"}
    assert created.number in by_number and all(r.status is not RequestStatus.CLOSED for r in listed)
    # What waits for support comes first, oldest due first (overdue first); then what waits for the
    # customer (the demo's answered request), however old.
    waiting = [r for r in listed if r.status in (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)]
    assert listed[: len(waiting)] == waiting
    dues = [r.due_at for r in waiting if r.due_at is not None]
    assert len(dues) == len(waiting) and dues == sorted(dues)
    assert listed[-1].status is RequestStatus.ANSWERED and listed[-1].customer_number == "2000456"
    for r in listed:
        assert_utc(r.created_at)
        assert r.overdue == (r in waiting and r.due_at is not None and r.due_at < NOW)
    assert waiting[0].overdue and not by_number[created.number].overdue  # due tomorrow
    new = by_number[created.number]
    assert (new.requester, new.requester_name, new.subject) == (MAX, "Max Müller", "Licence keys")
    assert (new.company, new.priority, new.category) == ("Contoso GmbH", "normal", "other")

    answered = await backends.requests.work_list(people.sara, statuses=frozenset({RequestStatus.ANSWERED}))
    assert answered and all(r.status is RequestStatus.ANSWERED for r in answered)
    assert len(await backends.requests.work_list(people.sara, limit=1)) == 1
    with pytest.raises(InvalidRequest):
        await backends.requests.work_list(people.sara, statuses=frozenset({RequestStatus.CLOSED}))
    for limit in (0, 101):
        with pytest.raises(InvalidRequest):
            await backends.requests.work_list(people.sara, limit=limit)


async def test_an_agent_opens_any_request_with_history_and_documents(
    backends: Backends, people: People
) -> None:
    contoso = (await backends.requests.list_requests(people.max))[0]
    data = b"%PDF-1.4 the quote"
    await backends.requests.add_document(
        people.max, contoso.number, name="quote.pdf", content_type="application/pdf", data=data
    )
    found = await backends.requests.request_for_agent(people.sara, contoso.number.lower())
    assert found is not None
    assert (found.number, found.company, found.customer_number) == (contoso.number, "Contoso GmbH", "2000456")
    assert found.description == contoso.description and found.related == "INV-3050"
    assert [e.kind for e in found.history] == [e.kind for e in contoso.history] + ["attachment"]
    (document,) = found.documents
    assert (document.name, document.content_type, document.size) == (
        "quote.pdf",
        "application/pdf",
        len(data),
    )
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.uploaded_by == "Max Müller" and document.at == NOW
    assert "data" not in document.model_dump()  # listed, never carried

    got = await backends.requests.document_for_agent(people.sara, contoso.number, document.id)
    assert got is not None and got.data == data and got.document == document
    other = (await backends.requests.list_requests(people.anna))[0].number
    assert await backends.requests.document_for_agent(people.sara, other, document.id) is None  # not its
    for bad in ("999999", "x", "1; drop", "", "1" * 40):
        assert await backends.requests.document_for_agent(people.sara, contoso.number, bad) is None
    assert await backends.requests.request_for_agent(people.sara, "RQ-2099-999999") is None


async def test_an_agent_closes_a_request_with_a_resolution_once(backends: Backends, people: People) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    closed = await backends.requests.close_request(people.sara, number, "  Delivered on Friday.  ")
    assert closed is not None and closed.status is RequestStatus.CLOSED
    last = closed.history[-1]
    assert (last.kind, last.author, last.text, last.at) == (
        "closed",
        "Sara Lindqvist",
        "Delivered on Friday.",
        NOW,
    )
    again = await backends.requests.close_request(people.sara, number, "Another resolution")
    assert again == closed  # closing again records nothing
    seen = await backends.requests.get_request(people.erik, number)
    assert seen is not None and seen.status is RequestStatus.CLOSED and seen.history == closed.history
    assert number not in {r.number for r in await backends.requests.work_list(people.sara)}
    opened = await backends.requests.request_for_agent(people.sara, number)
    assert opened is not None and opened.status is RequestStatus.CLOSED and not opened.overdue
    assert await backends.requests.close_request(people.sara, "RQ-2099-999999", "x") is None
    with pytest.raises(InvalidRequest):
        await backends.requests.close_request(people.sara, number, "   ")
