"""The built-in invoices back end: invoices with their lines and history, credit notes, approvals and
forwards by e-mail."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, Subquery, delete, insert, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.actions import Action
from supportbot.integrations.models import (
    ApprovalOutcome,
    CreditNote,
    ForwardDelivery,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceStatus,
    Money,
    Page,
    Principal,
    Tool,
)
from supportbot.integrations.sql.base import MAX_PAGE, AnyRow, SqlBase, candidates, check_page, check_range
from supportbot.integrations.sql.schema import (
    companies,
    credit_notes,
    invoice_events,
    invoice_lines,
    invoices,
    orders,
)
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlInvoices", "of_status", "of_statuses"]

_QUEUED, _SENT, _FAILED = "queued", "sent", "failed"
"""A forward's delivery: its mail waits in the outbox, was accepted by the mail server, or was given up."""

_INVOICE_SELECT: Final = select(
    invoices,
    companies.c.customer_number,
    orders.c.number.label("order_number"),
).select_from(
    invoices.join(companies, companies.c.id == invoices.c.company_id).outerjoin(
        orders, orders.c.id == invoices.c.order_id
    )
)


def _invoice_status(stored: str, due_on: date, today: date) -> InvoiceStatus:
    """An open invoice past its due date is overdue, whether or not a batch job has marked it yet."""
    status = InvoiceStatus(stored)
    return InvoiceStatus.OVERDUE if status is InvoiceStatus.OPEN and due_on < today else status


def _stored_statuses(statuses: frozenset[InvoiceStatus]) -> dict[str, bool | None]:
    """The stored statuses that show as ``statuses`` (the SQL form of ``_invoice_status``, so that
    filtering agrees with what is shown), each with whether its rows must be past due (``True``),
    not past due (``False``) or either (``None``): an open invoice past its due date shows as
    overdue. Empty for no statuses: no filter."""
    stored: dict[str, bool | None] = {
        status.value: None for status in statuses if status is not InvoiceStatus.OPEN
    }
    if InvoiceStatus.OPEN in statuses:
        stored[InvoiceStatus.OPEN.value] = None if InvoiceStatus.OVERDUE in statuses else False
    elif InvoiceStatus.OVERDUE in statuses:
        stored[InvoiceStatus.OPEN.value] = True
    return dict(sorted(stored.items()))


def of_statuses(
    tenant: Tenant,
    statuses: Mapping[str, bool | None],
    *,
    today: date,
    period: Sequence[ColumnElement[bool]],
    order: Sequence[ColumnElement[Any]],
    window: int,
) -> Subquery:
    """The ids of the company's invoices of ``statuses`` (stored status: past due, not past due or
    either, as ``_stored_statuses`` gives them) in ``period`` that can be among the first ``window``
    in ``order``: each status's first ``window``.

    Each status is walked in ``order`` on its (company, status, ...) index and stops after ``window``
    rows, so a page costs the same however long the history: one filter over the company's invoices
    by date reads the history until it has a page of the rare ones (overdue, cancelled), and one IN
    over the statuses reads all of them to sort them. An open invoice past due is checked on the
    index's due date, without reading its row.
    """
    return union_all(
        *(
            select(invoices.c.id)
            .where(tenant.owns(invoices), *of_status(value, past_due, today), *period)
            .order_by(*order)
            .limit(window)
            .subquery()
            .select()
            for value, past_due in statuses.items()
        )
    ).subquery("picked")


def of_status(value: str, past_due: bool | None, today: date) -> list[ColumnElement[bool]]:
    """Of the stored status ``value``; past due, not past due, or either (``None``)."""
    status = [invoices.c.status == value]
    if past_due is None:
        return status
    return [*status, invoices.c.due_on < today if past_due else invoices.c.due_on >= today]


@dataclass(frozen=True, slots=True)
class _Listed:
    """The invoices a list asks for: of these statuses (any if none), issued and falling due in these
    days (both ends included)."""

    statuses: frozenset[InvoiceStatus]
    date_from: date | None
    date_to: date | None
    due_from: date | None
    due_to: date | None


class SqlInvoices(SqlBase):
    """Invoices with their lines, and credit notes."""

    async def get_invoice(self, principal: Principal, number: str) -> Invoice | None:
        return await scope(principal, Tool.INVOICES).run(lambda tenant: self._get(tenant, number), None)

    async def _get(self, tenant: Tenant, number: str) -> Invoice | None:
        return await self._one(
            tenant,
            _INVOICE_SELECT.where(*tenant.owns_joined(invoices), invoices.c.number.in_(candidates(number))),
        )

    async def invoice_for_order(self, principal: Principal, order_number: str) -> Invoice | None:
        """The newest invoice for the order (an order may be invoiced in parts).

        The newest is picked in Python from the order's few invoices: with an ORDER BY issued_on
        SQLite would rather walk all of the company's invoices by date than look up the order's.
        """
        return await scope(principal, Tool.INVOICES).run(
            lambda tenant: self._for_order(tenant, order_number), None
        )

    async def _for_order(self, tenant: Tenant, order_number: str) -> Invoice | None:
        query = _INVOICE_SELECT.where(
            *tenant.owns_joined(invoices), tenant.owns(orders), orders.c.number.in_(candidates(order_number))
        ).limit(MAX_PAGE)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            if not rows:
                return None
            newest = max(rows, key=lambda row: (row.issued_on, row.id))
            (invoice,) = await self._with_lines(conn, [newest], self._today(tenant.principal))
            return invoice

    async def latest_invoice(self, principal: Principal) -> Invoice | None:
        return await scope(principal, Tool.INVOICES).run(self._latest, None)

    async def _latest(self, tenant: Tenant) -> Invoice | None:
        return await self._one(
            tenant,
            _INVOICE_SELECT.where(*tenant.owns_joined(invoices))
            .order_by(invoices.c.issued_on.desc(), invoices.c.id.desc())
            .limit(1),
        )

    async def list_invoices(
        self,
        principal: Principal,
        *,
        statuses: frozenset[InvoiceStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        due_from: date | None = None,
        due_to: date | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[Invoice]:
        """Newest first by issue date, or the soonest due first when a due date bounds them; each with
        its lines (one query for the whole page)."""
        scoped = scope(principal, Tool.INVOICES)
        check_page(offset, limit)
        check_range(date_from, date_to)
        check_range(due_from, due_to)
        empty: Page[Invoice] = Page(items=(), offset=offset, limit=limit, has_more=False)
        wanted = _Listed(statuses, date_from, date_to, due_from, due_to)
        return await scoped.run(lambda tenant: self._list(tenant, wanted, empty), empty)

    async def _list(self, tenant: Tenant, wanted: _Listed, empty: Page[Invoice]) -> Page[Invoice]:
        offset, limit = empty.offset, empty.limit
        today = self._today(tenant.principal)
        period: list[ColumnElement[bool]] = []
        if wanted.date_from is not None:
            period.append(invoices.c.issued_on >= wanted.date_from)
        if wanted.date_to is not None:
            period.append(invoices.c.issued_on <= wanted.date_to)
        if wanted.due_from is not None:
            period.append(invoices.c.due_on >= wanted.due_from)
        if wanted.due_to is not None:
            period.append(invoices.c.due_on <= wanted.due_to)
        by_due = wanted.due_from is not None or wanted.due_to is not None
        # The soonest due first walks each status's (company, status, due date) index.
        order = (
            (invoices.c.due_on, invoices.c.id)
            if by_due
            else (invoices.c.issued_on.desc(), invoices.c.id.desc())
        )
        stored = _stored_statuses(wanted.statuses)
        if len(stored) > 1:
            picked = of_statuses(
                tenant, stored, today=today, period=period, order=order, window=offset + limit + 1
            )
            query = _INVOICE_SELECT.join(picked, picked.c.id == invoices.c.id).where(
                *tenant.owns_joined(invoices)
            )
        else:
            query = _INVOICE_SELECT.where(
                *tenant.owns_joined(invoices),
                *(c for value, past_due in stored.items() for c in of_status(value, past_due, today)),
                *period,
            )
        query = query.order_by(*order).offset(offset).limit(limit + 1)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            items = await self._with_lines(conn, rows[:limit], today)
        return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)

    async def get_credit_note(self, principal: Principal, number: str) -> CreditNote | None:
        return await scope(principal, Tool.INVOICES).run(
            lambda tenant: self._credit_note(tenant, number), None
        )

    async def _credit_note(self, tenant: Tenant, number: str) -> CreditNote | None:
        query = (
            select(credit_notes, companies.c.customer_number, invoices.c.number.label("invoice_number"))
            .select_from(
                credit_notes.join(companies, companies.c.id == credit_notes.c.company_id).outerjoin(
                    invoices, invoices.c.id == credit_notes.c.invoice_id
                )
            )
            .where(*tenant.owns_joined(credit_notes), credit_notes.c.number.in_(candidates(number)))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return CreditNote(
            number=row.number,
            customer_number=row.customer_number,
            invoice_number=row.invoice_number,
            issued_on=row.issued_on,
            total=Money(minor=row.total_minor, currency=row.currency),
            reason=row.reason,
        )

    async def approve_invoice(
        self, principal: Principal, number: str, *, action: Action[ApprovalOutcome] | None = None
    ) -> ApprovalOutcome | None:
        """One guarded UPDATE, so two approvers at once record one approval, the first one's."""
        return await scope(principal, Tool.INVOICES).run(
            lambda tenant: self._once(action, lambda: self._approve(tenant, number, action)), None
        )

    async def _approve(
        self, tenant: Tenant, number: str, action: Action[ApprovalOutcome] | None
    ) -> ApprovalOutcome | None:
        principal = tenant.principal
        now, actor = self._now(), principal.user_id or ""
        where = [tenant.owns(invoices), invoices.c.number.in_(candidates(number))]
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "invoice.approve")
            if first is not None:
                earlier = json.loads(first)
                row = (
                    await conn.execute(
                        _INVOICE_SELECT.where(
                            *tenant.owns_joined(invoices), invoices.c.number == earlier["number"]
                        )
                    )
                ).first()
                if row is None:
                    return None
                (invoice,) = await self._with_lines(conn, [row], self._today(principal))
                return ApprovalOutcome(invoice=invoice, changed=bool(earlier["changed"]))
            invoice_id = await conn.scalar(
                update(invoices)
                .where(*where, invoices.c.status == InvoiceStatus.AWAITING_APPROVAL.value)
                .values(status=InvoiceStatus.OPEN.value, approved_by=actor, approved_at=now)
                .returning(invoices.c.id)
            )
            if invoice_id is not None:
                await conn.execute(
                    insert(invoice_events).values(invoice_id=invoice_id, at=now, kind="approved", actor=actor)
                )
            row = (await conn.execute(_INVOICE_SELECT.where(*tenant.owns_joined(invoices), *where))).first()
            if row is None:
                return None
            (invoice,) = await self._with_lines(conn, [row], self._today(principal))
            outcome = ApprovalOutcome(invoice=invoice, changed=invoice_id is not None)
            mail_ids = await self._record_action(
                conn,
                action,
                "invoice.approve",
                outcome=json.dumps({"number": invoice.number, "changed": outcome.changed}),
                result=outcome,
                actor=principal.user_id,
            )
        await self._committed(mail_ids)
        return outcome

    async def record_forward(
        self,
        principal: Principal,
        number: str,
        to: str,
        *,
        queued: bool = False,
        action: Action[str] | None = None,
    ) -> str | None:
        return await scope(principal, Tool.INVOICES).run(
            lambda tenant: self._once(
                action, lambda: self._forward(tenant, number, to, queued=queued, action=action)
            ),
            None,
        )

    async def _forward(
        self,
        tenant: Tenant,
        number: str,
        to: str,
        *,
        queued: bool,
        action: Action[str] | None,
    ) -> str | None:
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "invoice.forward")
            if first is not None:
                return first
            invoice_id = await conn.scalar(
                select(invoices.c.id).where(tenant.owns(invoices), invoices.c.number.in_(candidates(number)))
            )
            if invoice_id is None:
                return None
            event_id = await conn.scalar(
                insert(invoice_events)
                .values(
                    invoice_id=invoice_id,
                    at=now,
                    kind="forwarded",
                    actor=tenant.principal.user_id or "",
                    detail=to.strip()[:500],
                    delivery=_QUEUED if queued else _SENT,
                    delivered_at=None if queued else now,
                )
                .returning(invoice_events.c.id)
            )
            reference = str(event_id)
            mail_ids = await self._record_action(
                conn,
                action,
                "invoice.forward",
                outcome=reference,
                result=reference,
                actor=tenant.principal.user_id,
            )
        await self._committed(mail_ids)
        return reference

    async def forward_delivered(self, reference: str, *, sent: bool, at: datetime) -> ForwardDelivery | None:
        """One guarded UPDATE: only a forward still queued changes, so a repeated report does nothing."""
        if not reference.isdigit():
            return None
        async with self._connect(write=True) as conn:
            result = await conn.execute(
                update(invoice_events)
                .where(
                    invoice_events.c.id == int(reference),
                    invoice_events.c.kind == "forwarded",
                    invoice_events.c.delivery == _QUEUED,
                )
                .values(delivery=_SENT if sent else _FAILED, delivered_at=at)
            )
            if result.rowcount != 1:
                return None
            row = (
                await conn.execute(
                    select(invoices.c.number, invoice_events.c.actor, invoice_events.c.detail)
                    .select_from(invoice_events.join(invoices, invoices.c.id == invoice_events.c.invoice_id))
                    .where(invoice_events.c.id == int(reference))
                )
            ).one()
        return ForwardDelivery(invoice_number=row.number, actor=row.actor, to=row.detail, sent=sent)

    async def withdraw_forward(self, principal: Principal, reference: str) -> bool:
        scoped = scope(principal, Tool.INVOICES)
        if not reference.isdigit():
            return False
        return await scoped.run(lambda tenant: self._withdraw(tenant, int(reference)), False)

    async def _withdraw(self, tenant: Tenant, reference: int) -> bool:
        of_company = select(invoices.c.id).where(tenant.owns(invoices)).scalar_subquery()
        async with self._connect(write=True) as conn:
            result = await conn.execute(
                delete(invoice_events).where(
                    invoice_events.c.id == reference,
                    invoice_events.c.kind == "forwarded",
                    invoice_events.c.delivery == _QUEUED,
                    invoice_events.c.actor == (tenant.principal.user_id or ""),
                    invoice_events.c.invoice_id.in_(of_company),
                )
            )
        return bool(result.rowcount == 1)

    async def invoice_history(self, principal: Principal, number: str) -> Sequence[InvoiceEvent]:
        return await scope(principal, Tool.INVOICES).run(lambda tenant: self._history(tenant, number), ())

    async def _history(self, tenant: Tenant, number: str) -> tuple[InvoiceEvent, ...]:
        query = (
            select(invoice_events)
            .select_from(invoice_events.join(invoices, invoices.c.id == invoice_events.c.invoice_id))
            .where(tenant.owns(invoices), invoices.c.number.in_(candidates(number)))
            .order_by(invoice_events.c.at, invoice_events.c.id)
        )
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
        return tuple(
            InvoiceEvent(
                at=r.at,
                kind=r.kind,
                actor=r.actor,
                detail=r.detail,
                reference=str(r.id),
                delivery=r.delivery,
                delivered_at=r.delivered_at,
            )
            for r in rows
        )

    async def _one(self, tenant: Tenant, query: Select[Any]) -> Invoice | None:
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            (invoice,) = await self._with_lines(conn, [row], self._today(tenant.principal))
            return invoice

    async def _with_lines(
        self, conn: AsyncConnection, rows: Sequence[AnyRow], today: date
    ) -> tuple[Invoice, ...]:
        if not rows:
            return ()
        by_invoice: dict[int, list[AnyRow]] = {row.id: [] for row in rows}
        line_rows = await conn.execute(
            select(invoice_lines)
            .where(invoice_lines.c.invoice_id.in_(list(by_invoice)))
            .order_by(invoice_lines.c.invoice_id, invoice_lines.c.line_no)
        )
        for line in line_rows:
            by_invoice[line.invoice_id].append(line)
        return tuple(_invoice(row, by_invoice[row.id], today) for row in rows)


def _invoice(row: AnyRow, lines: Iterable[AnyRow], today: date) -> Invoice:
    currency = row.currency

    def money(minor: int) -> Money:
        return Money(minor=minor, currency=currency)

    return Invoice(
        number=row.number,
        customer_number=row.customer_number,
        order_number=row.order_number,
        issued_on=row.issued_on,
        due_on=row.due_on,
        status=_invoice_status(row.status, row.due_on, today),
        net=money(row.net_minor),
        vat=money(row.vat_minor),
        total=money(row.total_minor),
        paid=money(row.paid_minor),
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        lines=tuple(
            InvoiceLine(
                line_no=line.line_no,
                description=line.description,
                quantity=line.quantity,
                unit_price=money(line.unit_price_minor),
                vat_rate=Decimal(line.vat_rate),
                net=money(line.net_minor),
                vat=money(line.vat_minor),
            )
            for line in lines
        ),
    )
