"""Every call on a customer's records goes through the tenant scope, and the scope holds.

A principal of no company (but with every grant) is what the scope answers without the database: each
call gives its "not found" answer and sends no statement. The table below must name every Protocol
method that takes a customer's principal, so a new method cannot skip the check.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.errors import AccessDenied, InvalidRequest, NotAdministrator
from supportbot.integrations.models import NewRequest, Page, Principal, Role, Statement, Tool
from supportbot.integrations.protocols import (
    AccessBackend,
    ContractsBackend,
    DirectoryBackend,
    InventoryBackend,
    InvoicesBackend,
    OrdersBackend,
    RequestsBackend,
    StatementsBackend,
)
from supportbot.integrations.sql.backend import sql_backends

from .conftest import StatementLog, clock

NO_COMPANY = Principal(user_id="nobody@vendor.example", name="Nobody", role=Role.USER, grants=frozenset(Tool))
NO_COMPANY_ADMIN = NO_COMPANY.model_copy(update={"role": Role.COMPANY_ADMIN})

PROTOCOLS: dict[str, type] = {
    "directory": DirectoryBackend,
    "orders": OrdersBackend,
    "invoices": InvoicesBackend,
    "statements": StatementsBackend,
    "contracts": ContractsBackend,
    "inventory": InventoryBackend,
    "requests": RequestsBackend,
    "access": AccessBackend,
}


def _empty_page(page: Page[Any]) -> bool:
    return page.items == () and not page.has_more


def _empty_statement(statement: Statement) -> bool:
    return statement.items == () and statement.balance.minor == 0 and statement.overdue.minor == 0


async def _streamed(b: Any, p: Principal) -> list[Any]:
    return [order async for order in b.orders.iter_orders(p)]


NEW = NewRequest(category="other", subject="Hello", description="Hello")

# Each call with what it must answer: a "not found" value (checked by a predicate), or an exception.
Answer = Callable[[Any], bool] | type[Exception]
CALLS: dict[str, tuple[Callable[[Any, Principal], Awaitable[Any]], Answer]] = {
    "directory.sites": (lambda b, p: b.directory.sites(p), lambda r: r == ()),
    "orders.get_order": (lambda b, p: b.orders.get_order(p, "4711"), lambda r: r is None),
    "orders.find_by_po": (lambda b, p: b.orders.find_by_po(p, "NV-PO-889"), lambda r: r == ()),
    "orders.latest_order": (lambda b, p: b.orders.latest_order(p), lambda r: r is None),
    "orders.search_orders": (lambda b, p: b.orders.search_orders(p, site="Kista"), _empty_page),
    "orders.iter_orders": (_streamed, lambda r: r == []),
    "invoices.get_invoice": (lambda b, p: b.invoices.get_invoice(p, "INV-2031"), lambda r: r is None),
    "invoices.invoice_for_order": (lambda b, p: b.invoices.invoice_for_order(p, "4711"), lambda r: r is None),
    "invoices.latest_invoice": (lambda b, p: b.invoices.latest_invoice(p), lambda r: r is None),
    "invoices.list_invoices": (lambda b, p: b.invoices.list_invoices(p), _empty_page),
    "invoices.get_credit_note": (lambda b, p: b.invoices.get_credit_note(p, "CN-0107"), lambda r: r is None),
    "invoices.approve_invoice": (lambda b, p: b.invoices.approve_invoice(p, "INV-2031"), lambda r: r is None),
    "invoices.record_forward": (
        lambda b, p: b.invoices.record_forward(p, "INV-2031", "x@example.com"),
        lambda r: r is None,
    ),
    "invoices.withdraw_forward": (lambda b, p: b.invoices.withdraw_forward(p, "1"), lambda r: r is False),
    "invoices.invoice_history": (lambda b, p: b.invoices.invoice_history(p, "INV-2031"), lambda r: r == ()),
    "statements.statement": (lambda b, p: b.statements.statement(p), _empty_statement),
    "statements.statement_page": (lambda b, p: b.statements.statement_page(p), _empty_statement),
    "contracts.get_contract": (lambda b, p: b.contracts.get_contract(p, "C-1001"), lambda r: r is None),
    "contracts.list_contracts": (lambda b, p: b.contracts.list_contracts(p), lambda r: r == ()),
    "contracts.approve": (lambda b, p: b.contracts.approve(p, "C-1004"), lambda r: r is None),
    "contracts.sign": (lambda b, p: b.contracts.sign(p, "C-1003", 2, "0" * 64, "web"), lambda r: r is None),
    "contracts.search_contracts": (
        lambda b, p: b.contracts.search_contracts(p, site="Kista"),
        lambda r: r.items == () and not r.has_more,
    ),
    "contracts.covered_items": (lambda b, p: b.contracts.covered_items(p, "C-1001"), lambda r: r.total == 0),
    "contracts.contract_history": (
        lambda b, p: b.contracts.contract_history(p, "C-1001"),
        lambda r: r is None,
    ),
    "contracts.contract_document": (
        lambda b, p: b.contracts.contract_document(p, "C-1001"),
        lambda r: r is None,
    ),
    "contracts.record_forward": (
        lambda b, p: b.contracts.record_forward(p, "C-1001", 1, "x@example.com"),
        lambda r: r is None,
    ),
    "inventory.list_items": (lambda b, p: b.inventory.list_items(p, site="Kista"), lambda r: r == ()),
    "inventory.get_item": (lambda b, p: b.inventory.get_item(p, "78ABC12"), lambda r: r is None),
    "inventory.search_items": (
        lambda b, p: b.inventory.search_items(p, site="Kista"),
        lambda r: r.items == () and not r.has_more,
    ),
    "inventory.count_items": (lambda b, p: b.inventory.count_items(p, contract="C-1001"), lambda r: r == 0),
    "inventory.product_names": (lambda b, p: b.inventory.product_names(p), lambda r: r == ()),
    "requests.create_request": (lambda b, p: b.requests.create_request(p, NEW), InvalidRequest),
    "requests.get_request": (lambda b, p: b.requests.get_request(p, "RQ-2026-000001"), lambda r: r is None),
    "requests.list_requests": (lambda b, p: b.requests.list_requests(p), lambda r: r == ()),
    "requests.add_comment": (
        lambda b, p: b.requests.add_comment(p, "RQ-2026-000001", "Hi"),
        lambda r: r is None,
    ),
    "requests.add_document": (
        lambda b, p: b.requests.add_document(
            p, "RQ-2026-000001", name="a.txt", content_type="text/plain", data=b"hello"
        ),
        lambda r: r is None,
    ),
    "access.request_access": (lambda b, p: b.access.request_access(p, [Tool.ORDERS]), AccessDenied),
    "access.get_access_request": (
        lambda b, p: b.access.get_access_request(p, "AR-000001"),
        lambda r: r is None,
    ),
    "access.pending_for_admin": (lambda b, p: b.access.pending_for_admin(p), NotAdministrator),
    "access.decide": (lambda b, p: b.access.decide(p, "AR-000001", approve=True), NotAdministrator),
    "access.list_grants": (lambda b, p: b.access.list_grants(p), NotAdministrator),
    "access.revoke": (
        lambda b, p: b.access.revoke(p, "anna.berg@nordisk.example", Tool.ORDERS),
        NotAdministrator,
    ),
    "access.company_admins": (lambda b, p: b.access.company_admins(p), lambda r: r == ()),
}

AGENT_CALLS = {
    "requests.answer_request",
    "requests.work_list",
    "requests.request_for_agent",
    "requests.document_for_agent",
    "requests.close_request",
}
"""Support agents serve every company: these read across companies by design (refused to anyone else)."""


def test_every_call_of_a_customer_is_in_the_table() -> None:
    taking_a_principal = {
        f"{name}.{method}"
        for name, protocol in PROTOCOLS.items()
        for method, function in inspect.getmembers(protocol, inspect.isfunction)
        if not method.startswith("_")
        and any(
            parameter.annotation in ("Principal", Principal)
            for parameter in inspect.signature(function).parameters.values()
        )
    }
    assert taking_a_principal - AGENT_CALLS == set(CALLS)


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("principal", [NO_COMPANY, NO_COMPANY_ADMIN], ids=["user", "admin"])
async def test_no_company_finds_nothing_and_sends_no_statement(
    sqlite_demo_engine: AsyncEngine, statement_log: StatementLog, call: str, principal: Principal
) -> None:
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    run, answer = CALLS[call]
    statement_log.clear()
    if isinstance(answer, type):
        with pytest.raises(answer):
            await run(backends, principal)
    else:
        assert answer(await run(backends, principal))
    assert statement_log.statements == []
