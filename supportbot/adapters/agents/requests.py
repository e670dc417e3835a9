"""Customers' requests as the agent console shows them: the work list, one request, and what changed.

Agents read every company's requests through the back end's agent-only calls; these are the frames
the page gets (docs/agent-console.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from urllib.parse import quote

from supportbot.bot.bus import MessageBus
from supportbot.integrations.actions import Action
from supportbot.integrations.models import (
    GuestContact,
    NewRequest,
    Principal,
    RequestDetail,
    RequestDocument,
    RequestStatus,
    RequestSummary,
    SupportRequest,
)
from supportbot.integrations.protocols import RequestsBackend

REQUESTS_TOPIC = "agents:requests"
"""The bus topic on which a new request, and one an agent answered or closed, reaches every open console."""
WORK_LIST = 50
"""How many requests the work list shows at most."""
RESOLUTION_CHARS = 2000
LISTED_STATUSES = frozenset(RequestStatus) - {RequestStatus.CLOSED}
"""The statuses the work list can be filtered by: closed requests are opened by number only."""


def summary_json(request: RequestSummary) -> dict[str, Any]:
    return {
        "number": request.number,
        "subject": request.subject,
        "company": request.company,
        "customer_number": request.customer_number,
        "requester": request.requester,
        "requester_name": request.requester_name,
        "category": request.category,
        "status": request.status.value,
        "priority": request.priority,
        "created_at": _iso(request.created_at),
        "due_at": _iso(request.due_at),
        "overdue": request.overdue,
        # A web chat guest's request: the address and customer number they stated, not verified.
        "guest_email": request.guest_email,
        "guest_customer_number": request.guest_customer_number,
        "verified": request.guest_email is None,
    }


def detail_json(request: RequestDetail) -> dict[str, Any]:
    return {
        **summary_json(request),
        "description": request.description,
        "related": request.related,
        "history": [
            {"at": _iso(e.at), "kind": e.kind, "author": e.author, "text": e.text} for e in request.history
        ],
        "documents": [_document_json(request.number, d) for d in request.documents],
    }


def document_url(number: str, document_id: str) -> str:
    return f"/agents/api/requests/{quote(number, safe='')}/documents/{quote(document_id, safe='')}"


def _document_json(number: str, document: RequestDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_by": document.uploaded_by,
        "at": _iso(document.at),
        "url": document_url(number, document.id),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class AnnouncedRequests:
    """The requests back end as the application uses it, telling every open agent console of each new
    request (``request_new`` with its number on ``REQUESTS_TOPIC``), so the work list needs no refresh.
    Everything else is the back end's own."""

    def __init__(self, inner: RequestsBackend, bus: MessageBus) -> None:
        self._inner = inner
        self._bus = bus

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_request(
        self, principal: Principal, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        made = await self._inner.create_request(principal, new, action=action)
        await self._announce(made)
        return made

    async def create_guest_request(
        self, guest: GuestContact, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        made = await self._inner.create_guest_request(guest, new, action=action)
        await self._announce(made)
        return made

    async def _announce(self, made: SupportRequest) -> None:
        await self._bus.publish(REQUESTS_TOPIC, {"type": "request_new", "number": made.number})


def announced(requests: RequestsBackend, bus: MessageBus) -> RequestsBackend:
    """``requests`` telling the agent consoles of every new request (``AnnouncedRequests``)."""
    return cast(RequestsBackend, AnnouncedRequests(requests, bus))
