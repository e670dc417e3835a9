"""Support requests as rows: the selects, the row-to-model helpers, and how a request is inserted.

Shared by the requests back end and the demo seed, which inserts requests the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final
from uuid import uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations import business_days
from supportbot.integrations.models import (
    GuestContact,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    SupportRequest,
)
from supportbot.integrations.sql.base import AnyRow
from supportbot.integrations.sql.schema import companies, request_documents, request_events, requests

__all__ = [
    "AGENT_SELECT",
    "DOCUMENT_COLUMNS",
    "REQUEST_SELECT",
    "document_entry",
    "insert_request",
    "one_business_day_later",
    "request_fields",
    "request_number",
    "with_history",
    "work_order",
]

REQUEST_SELECT: Final = select(requests, companies.c.customer_number).select_from(
    requests.join(companies, companies.c.id == requests.c.company_id)
)
# Agents read across companies, so no company filter leads the planner to the request first; the
# outer join (company_id is NOT NULL, so it finds the same row) keeps requests the driving table.
AGENT_SELECT: Final = select(
    requests, companies.c.customer_number, companies.c.name.label("company_name")
).select_from(requests.outerjoin(companies, companies.c.id == requests.c.company_id))
DOCUMENT_COLUMNS: Final = (
    request_documents.c.id,
    request_documents.c.name,
    request_documents.c.content_type,
    request_documents.c.size,
    request_documents.c.sha256,
    request_documents.c.uploaded_by,
    request_documents.c.at,
)
AWAITING_SUPPORT: Final = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)
"""The statuses in which a request waits for support: only these are ever overdue."""


def request_number(request_id: int, created_at: datetime) -> str:
    """The customer-facing number of a request: year of creation and the row id, e.g. RQ-2026-000123."""
    return f"RQ-{created_at.astimezone(UTC).year}-{request_id:06d}"


def one_business_day_later(moment: datetime, country: str | None = None) -> datetime:
    """One business day later in the company's country: weekends and public holidays skipped."""
    return business_days.one_business_day_later(moment, country)


async def with_history(conn: AsyncConnection, rows: Sequence[AnyRow]) -> tuple[SupportRequest, ...]:
    """The requests of ``rows`` with their history: one query for all of them."""
    if not rows:
        return ()
    history: dict[int, list[RequestEvent]] = {row.id: [] for row in rows}
    event_rows = await conn.execute(
        select(request_events)
        .where(request_events.c.request_id.in_(list(history)))
        .order_by(request_events.c.request_id, request_events.c.at, request_events.c.id)
    )
    for e in event_rows:
        history[e.request_id].append(RequestEvent(at=e.at, kind=e.kind, author=e.author, text=e.text))
    return tuple(
        SupportRequest(
            number=row.number,
            customer_number=row.customer_number or "",  # a guest's request has no company
            requester=_requester(row),
            category=row.category,
            subject=row.subject,
            description=row.description,
            priority=row.priority,
            status=RequestStatus(row.status),
            created_at=row.created_at,
            due_at=row.due_at,
            history=tuple(history[row.id]),
        )
        for row in rows
    )


def work_order(row: AnyRow) -> tuple[bool, bool, datetime, int]:
    """Waiting for support before waiting for the customer; then by due time (none last), then id."""
    due: datetime | None = row.due_at
    waiting = row.status in {status.value for status in AWAITING_SUPPORT}
    return (not waiting, due is None, due or datetime.min.replace(tzinfo=UTC), row.id)


def _requester(row: AnyRow) -> str:
    """Who opened it: the user id, else the name kept. A guest's request names nobody: the name they
    typed is no user id, so nothing told about the request ever goes to a user of that name."""
    if row.guest_email is not None:
        return ""
    return str(row.requester_id or row.requester_name)


def request_fields(row: AnyRow, now: datetime) -> dict[str, Any]:
    status = RequestStatus(row.status)
    return {
        "number": row.number,
        "company": row.company_name or "",
        "customer_number": row.customer_number or "",
        "requester": _requester(row),
        "requester_name": row.requester_name,
        "category": row.category,
        "subject": row.subject,
        "priority": row.priority,
        "status": status,
        "created_at": row.created_at,
        "due_at": row.due_at,
        "overdue": status in AWAITING_SUPPORT and row.due_at is not None and row.due_at < now,
        "guest_email": row.guest_email,
        "guest_customer_number": row.guest_customer_number,
    }


def document_entry(row: AnyRow) -> RequestDocument:
    return RequestDocument(
        id=str(row.id),
        name=row.name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        at=row.at,
    )


async def insert_request(
    conn: AsyncConnection,
    *,
    company_id: int | None,
    requester_id: str | None,
    requester_name: str,
    category: str,
    subject: str,
    description: str,
    priority: str,
    status: RequestStatus,
    related: str | None,
    created_at: datetime,
    due_at: datetime | None,
    guest: GuestContact | None = None,
) -> int:
    """Inserts a request with its "created" event and returns its id; shared with the demo seed.

    The number comes from the id the database assigns, so concurrent workers never hand out the
    same number and no counter table is needed.
    """
    request_id: int = (
        await conn.execute(
            insert(requests)
            .values(
                number=uuid4().hex,  # a placeholder until the id is known
                company_id=company_id,
                requester_id=requester_id,
                requester_name=requester_name,
                category=category,
                subject=subject,
                description=description,
                priority=priority,
                status=status.value,
                related=related,
                created_at=created_at,
                due_at=due_at,
                guest_email=guest.email if guest is not None else None,
                guest_customer_number=guest.customer_number if guest is not None else None,
            )
            .returning(requests.c.id)
        )
    ).scalar_one()
    await conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(number=request_number(request_id, created_at))
    )
    await conn.execute(
        insert(request_events).values(
            request_id=request_id, at=created_at, kind="created", author=requester_name, text=description
        )
    )
    return request_id
