"""The built-in statements back end: the account-receivable statement, a ledger of invoices, credit
notes and payments with the balance and what is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.models import (
    InvoiceStatus,
    Money,
    Principal,
    Statement,
    StatementItem,
    StatementOrder,
    Tool,
)
from supportbot.integrations.sql.base import AnyRow, SqlBase, check_page, check_range
from supportbot.integrations.sql.invoices import of_statuses
from supportbot.integrations.sql.schema import companies, credit_notes, invoices, payments
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlStatements"]

DEFAULT_STATEMENT_DAYS: Final = 365


def _empty_statement(principal: Principal, date_from: date, date_to: date) -> Statement:
    """The statement of a principal with no company: nothing on it, in their currency."""
    currency = principal.currency or "EUR"
    zero = Money(minor=0, currency=currency)
    customer = principal.customer_numbers[0] if principal.customer_numbers else ""
    return Statement(
        customer_number=customer, currency=currency, date_from=date_from, date_to=date_to,
        balance=zero, overdue=zero, items=(),
    )  # fmt: skip


def _period(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """The statement's period: up to today and a year back unless told otherwise."""
    date_to = date_to or today
    date_from = date_from or date_to - timedelta(days=DEFAULT_STATEMENT_DAYS)
    check_range(date_from, date_to)
    return date_from, date_to


_UNSETTLED: Final = (
    InvoiceStatus.AWAITING_APPROVAL.value,
    InvoiceStatus.OPEN.value,
    InvoiceStatus.OVERDUE.value,
)


class SqlStatements(SqlBase):
    """The account-receivable statement: a ledger of invoices, credit notes and payments."""

    async def statement(
        self, principal: Principal, *, date_from: date | None = None, date_to: date | None = None
    ) -> Statement:
        """Items dated in the period (default: the year up to today), the balance and what is overdue.

        Balance = what is open today on invoices issued up to ``date_to``, less credit notes and
        payments up to then not set against an invoice; overdue = the part of it due before today. An invoice's ``paid``
        includes the payments and credit notes set against it, so this equals the ledger sum
        (invoices - credit notes - payments) while reading only unsettled documents, not the
        account's whole history. Credit notes and payments are shown as negative amounts.
        """
        scoped = scope(principal, Tool.STATEMENTS)
        today = self._today(principal)
        date_from, date_to = _period(date_from, date_to, today)
        return await scoped.run(
            lambda tenant: self._statement(tenant, date_from, date_to, today),
            _empty_statement(principal, date_from, date_to),
        )

    async def _statement(self, tenant: Tenant, date_from: date, date_to: date, today: date) -> Statement:
        async with self._connect() as conn:
            company = await _company(conn, tenant)
            invoice_rows = (
                await conn.execute(
                    select(invoices).where(
                        tenant.owns(invoices),
                        invoices.c.issued_on >= date_from,
                        invoices.c.issued_on <= date_to,
                        invoices.c.status != InvoiceStatus.CANCELLED.value,
                    )
                )
            ).all()
            credit_rows = (
                await conn.execute(
                    select(credit_notes).where(
                        tenant.owns(credit_notes),
                        credit_notes.c.issued_on >= date_from,
                        credit_notes.c.issued_on <= date_to,
                    )
                )
            ).all()
            payment_rows = (
                await conn.execute(
                    select(payments).where(
                        tenant.owns(payments),
                        payments.c.paid_on >= date_from,
                        payments.c.paid_on <= date_to,
                    )
                )
            ).all()
            balance_minor, overdue_minor = await _balance(conn, tenant, date_to, today)
        currency = company.currency

        def money(minor: int) -> Money:
            return Money(minor=int(minor), currency=currency)

        items: list[StatementItem] = []
        for inv in invoice_rows:
            open_minor = inv.total_minor - inv.paid_minor
            items.append(
                StatementItem(
                    kind="invoice",
                    number=inv.number,
                    on=inv.issued_on,
                    due_on=inv.due_on,
                    amount=money(inv.total_minor),
                    open_amount=money(open_minor),
                    overdue=open_minor > 0 and inv.due_on < today,
                )
            )
        for note in credit_rows:
            items.append(
                StatementItem(
                    kind="credit_note",
                    number=note.number,
                    on=note.issued_on,
                    amount=money(-note.total_minor),
                    open_amount=money(0 if note.invoice_id is not None else -note.total_minor),
                )
            )
        for pay in payment_rows:
            items.append(
                StatementItem(
                    kind="payment",
                    number=pay.reference,
                    on=pay.paid_on,
                    amount=money(-pay.amount_minor),
                    open_amount=money(0 if pay.invoice_id is not None else -pay.amount_minor),
                )
            )
        order = {"invoice": 0, "credit_note": 1, "payment": 2}
        items.sort(key=lambda item: (item.on, order[item.kind], item.number))
        return Statement(
            customer_number=company.customer_number,
            currency=currency,
            date_from=date_from,
            date_to=date_to,
            balance=money(balance_minor),
            overdue=money(overdue_minor),
            items=tuple(items),
        )

    async def statement_page(
        self,
        principal: Principal,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        kinds: frozenset[str] = frozenset(),
        open_only: bool = False,
        overdue_only: bool = False,
        order: StatementOrder = StatementOrder.NEWEST,
        offset: int = 0,
        limit: int = 10,
    ) -> Statement:
        """Each kind's first ``offset + limit + 1`` matches in the page's order, merged: a chat turn
        reads a page however long the account's history. Newest first walks the date indexes; largest
        first sorts the period's rows in SQL; oldest due first walks the unsettled invoices by due date
        on the (company, status, due date) index when open items are asked for, and sorts the
        period's invoices in SQL otherwise."""
        scoped = scope(principal, Tool.STATEMENTS)
        check_page(offset, limit)
        today = self._today(principal)
        date_from, date_to = _period(date_from, date_to, today)
        page = _Page(
            date_from=date_from,
            date_to=date_to,
            today=today,
            kinds=kinds or frozenset(_KIND_ORDER),
            open_only=open_only,
            overdue_only=overdue_only,
            order=order,
            offset=offset,
            limit=limit,
        )
        return await scoped.run(
            lambda tenant: self._page(tenant, page), _empty_statement(principal, date_from, date_to)
        )

    async def _page(self, tenant: Tenant, page: _Page) -> Statement:
        async with self._connect() as conn:
            company = await _company(conn, tenant)
            currency = company.currency
            found = await _page_invoices(conn, tenant, page, currency)
            if not page.overdue_only:
                found += await _page_ledger(conn, tenant, page, currency)
            balance_minor, overdue_minor = await _balance(conn, tenant, page.date_to, page.today)
        if page.order is StatementOrder.LARGEST:
            found.sort(key=lambda item: (-abs(item.amount.minor), item.on, item.number))
        elif page.order is StatementOrder.OLDEST_DUE:
            found.sort(key=_by_due)
        else:
            found.sort(key=lambda item: (item.on, -_KIND_ORDER[item.kind], item.number), reverse=True)
        end = page.offset + page.limit
        return Statement(
            customer_number=company.customer_number,
            currency=currency,
            date_from=page.date_from,
            date_to=page.date_to,
            balance=Money(minor=balance_minor, currency=currency),
            overdue=Money(minor=overdue_minor, currency=currency),
            items=tuple(found[page.offset : end]),
            has_more=len(found) > end,
        )


_KIND_ORDER: Final = {"invoice": 0, "credit_note": 1, "payment": 2}


def _by_due(item: StatementItem) -> tuple[bool, date, int, str]:
    """Oldest due date first; what never falls due (credit notes, payments) after, oldest first."""
    return (item.due_on is None, item.due_on or item.on, _KIND_ORDER[item.kind], item.number)


@dataclass(frozen=True, slots=True)
class _Page:
    """What one page of a statement asks for (``SqlStatements.statement_page``)."""

    date_from: date
    date_to: date
    today: date
    kinds: frozenset[str]
    open_only: bool
    overdue_only: bool
    order: StatementOrder
    offset: int
    limit: int

    @property
    def window(self) -> int:
        """How many of each kind's matches the page needs: those before it, its own, and one more."""
        return self.offset + self.limit + 1


async def _company(conn: AsyncConnection, tenant: Tenant) -> AnyRow:
    """The company's customer number and currency."""
    query = select(companies.c.customer_number, companies.c.currency).where(
        companies.c.id == tenant.company_id
    )
    return (await conn.execute(query)).one()


async def _page_invoices(
    conn: AsyncConnection, tenant: Tenant, page: _Page, currency: str
) -> list[StatementItem]:
    if "invoice" not in page.kinds:
        return []
    period = (invoices.c.issued_on >= page.date_from, invoices.c.issued_on <= page.date_to)
    query = select(invoices).where(
        tenant.owns(invoices), *period, invoices.c.status != InvoiceStatus.CANCELLED.value
    )
    if page.open_only or page.overdue_only:
        picked = of_statuses(
            tenant,
            dict.fromkeys(_UNSETTLED, True if page.overdue_only else None),
            today=page.today,
            period=period,
            order=_invoice_order(page.order),
            window=page.window,
        )
        query = query.join(picked, picked.c.id == invoices.c.id)
    query = query.order_by(*_invoice_order(page.order))
    rows = await conn.execute(query.limit(page.window))
    return [_invoice_item(inv, currency, page.today) for inv in rows]


def _invoice_order(order: StatementOrder) -> tuple[ColumnElement[Any], ...]:
    if order is StatementOrder.LARGEST:
        return (invoices.c.total_minor.desc(), invoices.c.id.desc())
    if order is StatementOrder.OLDEST_DUE:
        return (invoices.c.due_on.asc(), invoices.c.id.asc())
    return (invoices.c.issued_on.desc(), invoices.c.id.desc())


async def _page_ledger(
    conn: AsyncConnection, tenant: Tenant, page: _Page, currency: str
) -> list[StatementItem]:
    """The page's credit notes and payments: each kind's first matches, in the page's order."""
    found: list[StatementItem] = []
    for kind, table, on, amount, number in (
        ("credit_note", credit_notes, credit_notes.c.issued_on, credit_notes.c.total_minor,
         credit_notes.c.number),
        ("payment", payments, payments.c.paid_on, payments.c.amount_minor, payments.c.reference),
    ):  # fmt: skip
        if kind not in page.kinds:
            continue
        query = select(table.c.invoice_id, on.label("on"), amount.label("minor"), number.label("n"))
        query = query.where(tenant.owns(table), on >= page.date_from, on <= page.date_to)
        if page.open_only:
            query = query.where(table.c.invoice_id.is_(None))
        if page.order is StatementOrder.LARGEST:
            order = (amount.desc(), table.c.id.desc())
        elif page.order is StatementOrder.OLDEST_DUE:
            order = (on.asc(), table.c.id.asc())  # they fall due never: after the invoices, oldest first
        else:
            order = (on.desc(), table.c.id.desc())
        for row in await conn.execute(query.order_by(*order).limit(page.window)):
            found.append(_ledger_item(kind, row, currency))
    return found


def _invoice_item(inv: AnyRow, currency: str, today: date) -> StatementItem:
    open_minor = inv.total_minor - inv.paid_minor
    return StatementItem(
        kind="invoice",
        number=inv.number,
        on=inv.issued_on,
        due_on=inv.due_on,
        amount=Money(minor=inv.total_minor, currency=currency),
        open_amount=Money(minor=open_minor, currency=currency),
        overdue=open_minor > 0 and inv.due_on < today,
    )


def _ledger_item(kind: str, row: AnyRow, currency: str) -> StatementItem:
    """A credit note or payment: negative; open only while not set against an invoice."""
    return StatementItem(
        kind=kind,
        number=row.n,
        on=row.on,
        amount=Money(minor=-row.minor, currency=currency),
        open_amount=Money(minor=0 if row.invoice_id is not None else -row.minor, currency=currency),
    )


async def _balance(conn: AsyncConnection, tenant: Tenant, date_to: date, today: date) -> tuple[int, int]:
    """(balance, overdue) in minor units, from unsettled invoices and unapplied credits and payments."""
    open_minor = invoices.c.total_minor - invoices.c.paid_minor

    def until(column: ColumnElement[date]) -> list[ColumnElement[bool]]:
        # Up to today is everything: leaving the date out lets the planner go by status or
        # "not set against an invoice" instead of walking the account's history by date.
        return [] if date_to >= today else [column <= date_to]

    open_row = (
        await conn.execute(
            select(
                func.coalesce(func.sum(open_minor), 0).label("open"),
                func.coalesce(func.sum(case((invoices.c.due_on < today, open_minor), else_=0)), 0).label(
                    "overdue"
                ),
            ).where(
                tenant.owns(invoices),
                invoices.c.status.in_(_UNSETTLED),
                *until(invoices.c.issued_on),
            )
        )
    ).one()
    unapplied_credit = await conn.scalar(
        select(func.coalesce(func.sum(credit_notes.c.total_minor), 0)).where(
            tenant.owns(credit_notes),
            credit_notes.c.invoice_id.is_(None),
            *until(credit_notes.c.issued_on),
        )
    )
    unapplied_payments = await conn.scalar(
        select(func.coalesce(func.sum(payments.c.amount_minor), 0)).where(
            tenant.owns(payments),
            payments.c.invoice_id.is_(None),
            *until(payments.c.paid_on),
        )
    )
    return (
        int(open_row.open) - int(unapplied_credit or 0) - int(unapplied_payments or 0),
        int(open_row.overdue),
    )
