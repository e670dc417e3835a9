"""The built-in requests back end: customers' support requests, and the support agents' work on them.

A user sees the requests they opened, a company administrator all of the company's, both through the
tenant scope. Support agents serve every company, so their calls read across companies; anyone else
is refused them before anything is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from sqlalchemy import ColumnElement, String, insert, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations import documents
from supportbot.integrations.actions import Action
from supportbot.integrations.errors import AccessDenied, InvalidRequest
from supportbot.integrations.mail import one_line
from supportbot.integrations.models import (
    GuestContact,
    NewRequest,
    Principal,
    RequestDetail,
    RequestDocumentData,
    RequestStatus,
    RequestSummary,
    Role,
    SupportRequest,
    Tool,
)
from supportbot.integrations.sql.base import AnyRow, SqlBase, candidates, check_page
from supportbot.integrations.sql.request_records import (
    AGENT_SELECT,
    DOCUMENT_COLUMNS,
    REQUEST_SELECT,
    document_entry,
    insert_request,
    one_business_day_later,
    request_fields,
    with_history,
    work_order,
)
from supportbot.integrations.sql.schema import request_documents, request_events, requests
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlRequests", "agent_only"]

REQUEST_PRIORITIES: Final = frozenset({"low", "normal", "high", "urgent"})
_DOCUMENT_ID: Final = re.compile(r"[0-9]{1,18}")


class SqlRequests(SqlBase):
    """Support requests and their history.

    A user sees the requests they opened; a company administrator sees all of the company's.
    """

    @staticmethod
    def _visible(tenant: Tenant, *, joined: bool = True) -> list[ColumnElement[bool]]:
        """The company's requests for its administrator, the user's own for anyone else; ``joined``:
        with the company joined (``Tenant.owns_joined``)."""
        filters = tenant.owns_joined(requests) if joined else [tenant.owns(requests)]
        if tenant.principal.role is not Role.COMPANY_ADMIN:
            filters.append(requests.c.requester_id == tenant.principal.user_id)
        return filters

    async def create_request(
        self, principal: Principal, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        """Opens a request due one business day later; its number is derived from the row id.

        The subject is kept on one line (a line break in it could otherwise reach a mail header)."""
        tenant = scope(principal, Tool.REQUESTS).require(
            InvalidRequest("only a user of a customer company can open a request")
        )
        new = _checked(new)
        return await self._once(action, lambda: self._create(tenant, new, action))

    async def create_guest_request(
        self, guest: GuestContact, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        """A web chat guest's request: no company, no user; what they stated kept as stated. It reads
        no record, so nothing of any company can come back through it."""
        new = _checked(new)
        guest = GuestContact(
            name=one_line(guest.name)[:200],
            email=one_line(guest.email)[:254],
            customer_number=one_line(guest.customer_number)[:32] if guest.customer_number else None,
        )
        if not guest.name or not guest.email:
            raise InvalidRequest("a guest's request needs the name and e-mail address they gave")
        return await self._once(action, lambda: self._create_for_guest(guest, new, action))

    async def _create_for_guest(
        self, guest: GuestContact, new: NewRequest, action: Action[SupportRequest] | None
    ) -> SupportRequest:
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "request.open")
            if first is not None:
                rows = (await conn.execute(AGENT_SELECT.where(requests.c.number == first))).all()
                (earlier,) = await with_history(conn, rows)
                return earlier
            request_id = await insert_request(
                conn,
                company_id=None,
                requester_id=None,
                requester_name=guest.name,
                category=new.category.strip(),
                subject=new.subject.strip(),
                description=new.description.strip(),
                priority=new.priority,
                status=RequestStatus.OPEN,
                related=new.related.strip() if new.related else None,
                created_at=now,
                due_at=one_business_day_later(now),
                guest=guest,
            )
            row = (await conn.execute(AGENT_SELECT.where(requests.c.id == request_id))).one()
            (created,) = await with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, "request.open", outcome=created.number, result=created, actor=None
            )
        await self._committed(mail_ids)
        return created

    async def _create(
        self, tenant: Tenant, new: NewRequest, action: Action[SupportRequest] | None
    ) -> SupportRequest:
        principal, now = tenant.principal, self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "request.open")
            if first is not None:
                (earlier,) = await self._requests_numbered(conn, tenant, first)
                return earlier
            request_id = await insert_request(
                conn,
                company_id=tenant.company_id,
                requester_id=principal.user_id,
                requester_name=principal.name or principal.user_id or "",
                category=new.category.strip(),
                subject=new.subject.strip(),
                description=new.description.strip(),
                priority=new.priority,
                status=RequestStatus.OPEN,
                related=new.related.strip() if new.related else None,
                created_at=now,
                due_at=one_business_day_later(now, principal.country),
            )
            row = (await conn.execute(REQUEST_SELECT.where(requests.c.id == request_id))).one()
            (created,) = await with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, "request.open", outcome=created.number, result=created, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return created

    async def _requests_numbered(
        self, conn: AsyncConnection, tenant: Tenant, number: str
    ) -> Sequence[SupportRequest]:
        rows = (
            await conn.execute(
                REQUEST_SELECT.where(*tenant.owns_joined(requests), requests.c.number == number)
            )
        ).all()
        return await with_history(conn, rows)

    async def get_request(self, principal: Principal, number: str) -> SupportRequest | None:
        return await scope(principal, Tool.REQUESTS).run(lambda tenant: self._get(tenant, number), None)

    async def _get(self, tenant: Tenant, number: str) -> SupportRequest | None:
        query = REQUEST_SELECT.where(*self._visible(tenant), requests.c.number.in_(candidates(number)))
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            (found,) = await with_history(conn, [row])
        return found

    async def list_requests(
        self, principal: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 20
    ) -> Sequence[SupportRequest]:
        """Newest first, each with its full history."""
        scoped = scope(principal, Tool.REQUESTS)
        check_page(0, limit)
        return await scoped.run(lambda tenant: self._list(tenant, statuses, limit), ())

    async def _list(
        self, tenant: Tenant, statuses: frozenset[RequestStatus], limit: int
    ) -> tuple[SupportRequest, ...]:
        newest = (requests.c.created_at.desc(), requests.c.id.desc())
        if len(statuses) > 1:
            # Each status's newest on the (company, status, created_at, id) index, merged: by date
            # alone, the open ones would be looked for among years of closed ones.
            picked = union_all(
                *(
                    select(requests.c.id)
                    .where(*self._visible(tenant, joined=False), requests.c.status == status.value)
                    .order_by(*newest)
                    .limit(limit)
                    .subquery()
                    .select()
                    for status in sorted(statuses)
                )
            ).subquery("picked")
            query = REQUEST_SELECT.join(picked, picked.c.id == requests.c.id).where(*self._visible(tenant))
        else:
            query = REQUEST_SELECT.where(
                *self._visible(tenant), *(requests.c.status == status.value for status in statuses)
            )
        query = query.order_by(*newest).limit(limit)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            return await with_history(conn, rows)

    async def add_comment(
        self,
        principal: Principal,
        number: str,
        text: str,
        *,
        action: Action[SupportRequest] | None = None,
    ) -> SupportRequest | None:
        """Adds the customer's comment to a request they may see; ``None`` when there is none such."""
        scoped = scope(principal, Tool.REQUESTS)
        if not text.strip():
            raise InvalidRequest("a comment needs text")
        return await scoped.run(
            lambda tenant: self._once(action, lambda: self._comment(tenant, number, text, action)), None
        )

    async def _comment(
        self, tenant: Tenant, number: str, text: str, action: Action[SupportRequest] | None
    ) -> SupportRequest | None:
        principal = tenant.principal
        query = REQUEST_SELECT.where(*self._visible(tenant), requests.c.number.in_(candidates(number)))
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "request.comment")
            if first is not None:
                query = REQUEST_SELECT.where(*self._visible(tenant), requests.c.number == first)
                row = (await conn.execute(query)).first()
                return (await with_history(conn, [row]))[0] if row is not None else None
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            await conn.execute(
                insert(request_events).values(
                    request_id=row.id,
                    at=self._now(),
                    kind="comment",
                    author=principal.name or principal.user_id or "",
                    text=text.strip(),
                )
            )
            if row.status in (RequestStatus.WAITING_FOR_CUSTOMER.value, RequestStatus.ANSWERED.value):
                await conn.execute(
                    update(requests).where(requests.c.id == row.id).values(status=RequestStatus.OPEN.value)
                )
            row = (await conn.execute(REQUEST_SELECT.where(requests.c.id == row.id))).one()
            (found,) = await with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, "request.comment", outcome=found.number, result=found, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return found

    async def add_document(
        self,
        principal: Principal,
        number: str,
        *,
        name: str,
        content_type: str,
        data: bytes,
        action: Action[SupportRequest] | None = None,
    ) -> SupportRequest | None:
        """Keeps a document with its SHA-256 on a request the customer may see; "attachment" in its history.

        Keyed per document (its checksum), so each file of a resent message is added once."""
        scoped = scope(principal, Tool.REQUESTS)
        checked = documents.checked(name, content_type, data)
        return await scoped.run(
            lambda tenant: self._once(action, lambda: self._document(tenant, number, checked, data, action)),
            None,
        )

    async def _document(
        self,
        tenant: Tenant,
        number: str,
        checked: tuple[str, str, str],
        data: bytes,
        action: Action[SupportRequest] | None,
    ) -> SupportRequest | None:
        safe_name, kind, sha256 = checked
        action_kind = f"request.document:{sha256[:20]}"
        query = REQUEST_SELECT.where(*self._visible(tenant), requests.c.number.in_(candidates(number)))
        principal = tenant.principal
        author = principal.name or principal.user_id or ""
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, action_kind)
            if first is not None:
                query = REQUEST_SELECT.where(*self._visible(tenant), requests.c.number == first)
            row = (await conn.execute(query)).first()
            if first is not None:
                return (await with_history(conn, [row]))[0] if row is not None else None
            if row is None:
                return None
            await conn.execute(
                insert(request_documents).values(
                    request_id=row.id,
                    name=safe_name,
                    content_type=kind,
                    size=len(data),
                    sha256=sha256,
                    data=data,
                    uploaded_by=author,
                    at=now,
                )
            )
            await conn.execute(
                insert(request_events).values(
                    request_id=row.id,
                    at=now,
                    kind="attachment",
                    author=author,
                    text=f"{safe_name} ({len(data)} bytes, SHA-256 {sha256})",
                )
            )
            (found,) = await with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, action_kind, outcome=found.number, result=found, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return found

    async def answer_request(self, agent: Principal, number: str, text: str) -> SupportRequest | None:
        """A support agent's answer: recorded in the history, the request becomes "answered"."""
        agent_only(agent)
        if not text.strip():
            raise InvalidRequest("an answer needs text")
        return await self._agent_step(agent, number, "answer", text, RequestStatus.ANSWERED, again=True)

    async def _agent_step(
        self, agent: Principal, number: str, kind: str, text: str, status: RequestStatus, *, again: bool
    ) -> SupportRequest | None:
        """An agent's event on any company's request, and its new status, in one transaction.
        ``again=False``: a request already in ``status`` records nothing more."""
        async with self._connect(write=True) as conn:
            row = (
                await conn.execute(REQUEST_SELECT.where(requests.c.number.in_(candidates(number))))
            ).first()
            if row is None:
                return None
            if again or row.status != status.value:
                await conn.execute(
                    insert(request_events).values(
                        request_id=row.id,
                        at=self._now(),
                        kind=kind,
                        author=agent.name or agent.user_id or "",
                        text=text.strip(),
                    )
                )
                await conn.execute(
                    update(requests).where(requests.c.id == row.id).values(status=status.value)
                )
                row = (await conn.execute(REQUEST_SELECT.where(requests.c.id == row.id))).one()
            (found,) = await with_history(conn, [row])
        return found

    # --- agents, across companies -----------------------------------------------------------------

    async def work_list(
        self, agent: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 50
    ) -> Sequence[RequestSummary]:
        """What waits for support first, then what waits for the customer; each oldest due first.

        One walk of the (status, due_at) index per status, at most ``limit`` rows each and already in
        due order, merged here: it never reads the closed requests that pile up over the years, nor
        sorts all the work in hand to show its first page.
        """
        agent_only(agent)
        check_page(0, limit)
        if RequestStatus.CLOSED in statuses:
            raise InvalidRequest("the work list holds no closed requests")
        wanted = statuses or frozenset(RequestStatus) - {RequestStatus.CLOSED}
        rows: list[AnyRow] = []
        async with self._connect() as conn:
            for status in sorted(wanted):
                query = (
                    AGENT_SELECT.where(requests.c.status == status.value)
                    .order_by(requests.c.due_at.asc().nulls_last(), requests.c.id)
                    .limit(limit)
                )
                rows.extend((await conn.execute(query)).all())
        rows.sort(key=work_order)
        now = self._now()
        return tuple(RequestSummary(**request_fields(row, now)) for row in rows[:limit])

    async def request_for_agent(self, agent: Principal, number: str) -> RequestDetail | None:
        agent_only(agent)
        async with self._connect() as conn:
            row = (await conn.execute(AGENT_SELECT.where(requests.c.number.in_(candidates(number))))).first()
            if row is None:
                return None
            (request,) = await with_history(conn, [row])
            files = await conn.execute(
                select(*DOCUMENT_COLUMNS)
                .where(request_documents.c.request_id == row.id)
                .order_by(request_documents.c.at, request_documents.c.id)
            )
            listed = tuple(document_entry(f) for f in files)
        return RequestDetail(
            **request_fields(row, self._now()),
            description=row.description,
            related=row.related,
            history=request.history,
            documents=listed,
        )

    async def document_for_agent(
        self, agent: Principal, number: str, document_id: str
    ) -> RequestDocumentData | None:
        agent_only(agent)
        if not _DOCUMENT_ID.fullmatch(document_id):
            return None
        query = (
            select(*DOCUMENT_COLUMNS, request_documents.c.data)
            .select_from(request_documents.join(requests, requests.c.id == request_documents.c.request_id))
            .where(request_documents.c.id == int(document_id), requests.c.number.in_(candidates(number)))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else RequestDocumentData(document=document_entry(row), data=row.data)

    async def close_request(self, agent: Principal, number: str, resolution: str) -> SupportRequest | None:
        """Closed with the resolution as a "closed" event; closing a closed request records nothing."""
        agent_only(agent)
        if not resolution.strip():
            raise InvalidRequest("closing a request needs a resolution")
        return await self._agent_step(agent, number, "closed", resolution, RequestStatus.CLOSED, again=False)


def _checked(new: NewRequest) -> NewRequest:
    """A new request as it may be stored: the subject on one line, the fields within their columns."""
    new = new.model_copy(update={"subject": one_line(new.subject)})
    if not new.subject.strip() or not new.category.strip():
        raise InvalidRequest("a request needs a category and a subject")
    if new.priority not in REQUEST_PRIORITIES:
        raise InvalidRequest(f"priority must be one of {sorted(REQUEST_PRIORITIES)}")
    for field, value in (("category", new.category), ("subject", new.subject), ("related", new.related)):
        column_type = requests.c[field].type
        limit = column_type.length if isinstance(column_type, String) else None
        if value is not None and limit is not None and len(value.strip()) > limit:
            raise InvalidRequest(f"{field} is longer than {limit} characters")
    return new


def agent_only(agent: Principal) -> None:
    """Agents serve every company's customers; anyone else is refused before anything is read."""
    if not agent.is_agent:
        raise AccessDenied(Tool.REQUESTS)
