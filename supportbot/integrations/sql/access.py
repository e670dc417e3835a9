"""The built-in access back end: users' requests for tools, decided by their company's administrators.

Every query is bound to the caller's company by the tenant scope, as everywhere in the SQL back end:
an administrator of another company finds a request exactly as missing as a number never handed out. Whether someone is
an administrator is read from the directory in the same transaction, not taken from a cached
principal, so a demoted administrator can decide nothing. Likewise whether the requester's address is
confirmed: a registration that is not may ask for nothing, and nothing is granted to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import Any, Final

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.actions import Action
from supportbot.integrations.errors import AccessDenied, AddressNotConfirmed, InvalidRequest, NotAdministrator
from supportbot.integrations.models import (
    AccessOutcome,
    AccessRequest,
    AccessRequestStatus,
    CompanyUser,
    Principal,
    Role,
    Tool,
    Verification,
)
from supportbot.integrations.sql.base import AnyRow, SqlBase
from supportbot.integrations.sql.directory import normalise_user_id, verification_of
from supportbot.integrations.sql.schema import access_requests, companies, grants, users
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlAccess", "access_request_number", "parse_access_request_number"]

_NUMBER: Final = re.compile(r"\s*AR-?\s*(\d{1,10})\s*", re.IGNORECASE)

_REQUEST_SELECT: Final = select(
    access_requests,
    users.c.name.label("requester_name"),
    users.c.registered_at.label("requester_registered_at"),
    users.c.email_confirmed_at.label("requester_confirmed_at"),
).select_from(access_requests.join(users, users.c.user_id == access_requests.c.requester_id))


def access_request_number(request_id: int) -> str:
    """The number a user sees: "AR-" and the row id, e.g. AR-000012."""
    return f"AR-{request_id:06d}"


def parse_access_request_number(number: str) -> int | None:
    """The row id of "AR-000012" (also "ar-12", "AR 12"); ``None`` for anything else."""
    match = _NUMBER.fullmatch(number)
    return int(match[1]) if match else None


def _tools(tools: Collection[Tool]) -> tuple[Tool, ...]:
    """Distinct, in the enum's order; an empty request is refused."""
    wanted = tuple(tool for tool in Tool if tool in set(tools))
    if not wanted:
        raise InvalidRequest("an access request needs at least one tool")
    return wanted


def _split(stored: str) -> tuple[Tool, ...]:
    known = {tool.value for tool in Tool}
    return tuple(Tool(name) for name in stored.split(",") if name in known)


async def _verification(conn: AsyncConnection, row: AnyRow) -> Verification | None:
    return await verification_of(
        conn,
        row.requester_id,
        registered_at=row.requester_registered_at,
        confirmed_at=row.requester_confirmed_at,
    )


async def _request(conn: AsyncConnection, row: AnyRow) -> AccessRequest:
    """The request, with how its requester's address is verified as the directory says now."""
    return AccessRequest(
        number=access_request_number(row.id),
        requester_id=row.requester_id,
        requester_name=row.requester_name,
        tools=_split(row.tools),
        status=AccessRequestStatus(row.status),
        language=row.language,
        created_at=row.created_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        requester_verification=await _verification(conn, row),
    )


class SqlAccess(SqlBase):
    """Access requests and grants on the directory's tables."""

    async def request_access(
        self,
        principal: Principal,
        tools: Collection[Tool],
        *,
        language: str = "en",
        action: Action[AccessOutcome] | None = None,
    ) -> AccessOutcome:
        wanted = _tools(tools)
        tenant = scope(principal).require(AccessDenied(wanted[0]))
        return await self._once(action, lambda: self._request_access(tenant, wanted, language, action))

    async def _request_access(
        self,
        tenant: Tenant,
        wanted: tuple[Tool, ...],
        language: str,
        action: Action[AccessOutcome] | None,
    ) -> AccessOutcome:
        principal = tenant.principal
        async with self._connect(write=True) as conn:
            await self._confirmed_requester(conn, tenant, wanted[0])
            first = await self._first_outcome(conn, action, "access.request")
            if first is not None:
                earlier = json.loads(first)
                row = (
                    await conn.execute(_REQUEST_SELECT.where(access_requests.c.id == int(earlier["id"])))
                ).one()
                return AccessOutcome(request=await _request(conn, row), changed=bool(earlier["changed"]))
            pending = await conn.execute(
                _REQUEST_SELECT.where(
                    access_requests.c.requester_id == principal.user_id,
                    access_requests.c.status == AccessRequestStatus.PENDING.value,
                ).order_by(access_requests.c.id)
            )
            for row in pending:
                if set(wanted) <= set(_split(row.tools)):
                    return AccessOutcome(request=await _request(conn, row), changed=False)
            request_id: int = (
                await conn.execute(
                    insert(access_requests)
                    .values(
                        company_id=tenant.company_id,
                        requester_id=principal.user_id,
                        tools=",".join(tool.value for tool in wanted),
                        status=AccessRequestStatus.PENDING.value,
                        language=language if language in {"en", "sv"} else "en",
                        created_at=self._now(),
                    )
                    .returning(access_requests.c.id)
                )
            ).scalar_one()
            row = (await conn.execute(_REQUEST_SELECT.where(access_requests.c.id == request_id))).one()
            outcome = AccessOutcome(request=await _request(conn, row), changed=True)
            mail_ids = await self._record_action(
                conn,
                action,
                "access.request",
                outcome=json.dumps({"id": request_id, "changed": True}),
                result=outcome,
                actor=principal.user_id,
            )
        await self._committed(mail_ids)
        return outcome

    async def get_access_request(self, principal: Principal, number: str) -> AccessRequest | None:
        request_id = parse_access_request_number(number)
        if request_id is None:
            return None
        return await scope(principal).run(lambda tenant: self._get(tenant, request_id), None)

    async def _get(self, tenant: Tenant, request_id: int) -> AccessRequest | None:
        async with self._connect() as conn:
            query = _REQUEST_SELECT.where(access_requests.c.id == request_id, tenant.owns(access_requests))
            if not await self._is_admin(conn, tenant):
                query = query.where(access_requests.c.requester_id == tenant.principal.user_id)
            row = (await conn.execute(query)).first()
            return await _request(conn, row) if row is not None else None

    async def pending_for_admin(self, admin: Principal) -> Sequence[AccessRequest]:
        async with self._connect() as conn:
            tenant = await self._admin_tenant(conn, admin)
            rows = await conn.execute(
                _REQUEST_SELECT.where(
                    tenant.owns(access_requests),
                    access_requests.c.status == AccessRequestStatus.PENDING.value,
                ).order_by(access_requests.c.created_at, access_requests.c.id)
            )
            return tuple([await _request(conn, row) for row in rows])

    async def decide(self, admin: Principal, number: str, *, approve: bool) -> AccessOutcome | None:
        request_id = parse_access_request_number(number)
        async with self._connect(write=True) as conn:
            tenant = await self._admin_tenant(conn, admin)
            if request_id is None:
                return None
            query = _REQUEST_SELECT.where(access_requests.c.id == request_id, tenant.owns(access_requests))
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            if row.status != AccessRequestStatus.PENDING.value:
                return AccessOutcome(request=await _request(conn, row), changed=False)
            if approve and await _verification(conn, row) is None:
                raise AddressNotConfirmed("the requester's e-mail address is not confirmed")
            status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.DENIED
            # Only a still-pending request changes: of two administrators deciding at once, one wins.
            result = await conn.execute(
                update(access_requests)
                .where(
                    access_requests.c.id == request_id,
                    access_requests.c.status == AccessRequestStatus.PENDING.value,
                )
                .values(status=status.value, decided_by=admin.user_id, decided_at=self._now())
            )
            changed = result.rowcount == 1
            if changed and approve:
                rows = [{"user_id": row.requester_id, "tool": tool.value} for tool in _split(row.tools)]
                await conn.execute(self._insert_ignoring_duplicates(conn), rows)
            row = (await conn.execute(query)).one()
            return AccessOutcome(request=await _request(conn, row), changed=changed)

    async def list_grants(self, admin: Principal) -> Sequence[CompanyUser]:
        async with self._connect() as conn:
            return await self._company_users(conn, await self._admin_tenant(conn, admin))

    async def revoke(self, admin: Principal, user_id: str, tool: Tool) -> bool:
        uid = normalise_user_id(user_id)
        async with self._connect(write=True) as conn:
            tenant = await self._admin_tenant(conn, admin)
            of_company = select(users.c.user_id).where(users.c.user_id == uid, tenant.owns(users))
            result = await conn.execute(
                grants.delete().where(
                    grants.c.user_id.in_(of_company.scalar_subquery()), grants.c.tool == tool.value
                )
            )
            return bool(result.rowcount)

    async def company_admins(self, principal: Principal) -> Sequence[CompanyUser]:
        return await scope(principal).run(self._admins, ())

    async def _admins(self, tenant: Tenant) -> tuple[CompanyUser, ...]:
        async with self._connect() as conn:
            everyone = await self._company_users(conn, tenant)
            return tuple(user for user in everyone if user.role is Role.COMPANY_ADMIN)

    # --- helpers ---------------------------------------------------------------------------------

    @staticmethod
    async def _confirmed_requester(conn: AsyncConnection, tenant: Tenant, tool: Tool) -> None:
        """Refuses a requester whose address the directory does not know as confirmed (whatever the
        principal claims)."""
        user_id = tenant.principal.user_id
        row = (
            await conn.execute(
                select(users.c.registered_at, users.c.email_confirmed_at).where(
                    users.c.user_id == user_id, tenant.owns(users), users.c.active.is_(True)
                )
            )
        ).first()
        if row is None:
            raise AccessDenied(tool)
        assert user_id is not None
        verified = await verification_of(
            conn, user_id, registered_at=row.registered_at, confirmed_at=row.email_confirmed_at
        )
        if verified is None:
            raise AddressNotConfirmed("the e-mail address is not confirmed yet")

    @staticmethod
    async def _is_admin(conn: AsyncConnection, tenant: Tenant) -> bool:
        """Whether the directory holds the principal as an active administrator of the company now."""
        role = (
            await conn.execute(
                select(users.c.role).where(
                    users.c.user_id == tenant.principal.user_id, tenant.owns(users), users.c.active.is_(True)
                )
            )
        ).scalar()
        return role == Role.COMPANY_ADMIN.value

    async def _admin_tenant(self, conn: AsyncConnection, admin: Principal) -> Tenant:
        """The administrator's company; ``NotAdministrator`` for anyone else."""
        refusal = NotAdministrator("only the company's administrator may do this")
        tenant = scope(admin).require(refusal)
        if not await self._is_admin(conn, tenant):
            raise refusal
        return tenant

    @staticmethod
    async def _company_users(conn: AsyncConnection, tenant: Tenant) -> tuple[CompanyUser, ...]:
        rows = (
            await conn.execute(
                select(users.c.user_id, users.c.name, users.c.role, companies.c.locale, grants.c.tool)
                .select_from(
                    users.join(companies, companies.c.id == users.c.company_id).outerjoin(
                        grants, grants.c.user_id == users.c.user_id
                    )
                )
                .where(tenant.owns(users), users.c.active.is_(True))
                .order_by(users.c.name, users.c.user_id)
            )
        ).all()
        known = {tool.value for tool in Tool}
        people: dict[str, dict[str, Any]] = {}
        for row in rows:
            person = people.setdefault(
                row.user_id,
                {"name": row.name, "role": Role(row.role), "locale": row.locale or "en", "grants": set()},
            )
            if row.tool in known:
                person["grants"].add(Tool(row.tool))
        return tuple(
            CompanyUser(
                user_id=user_id,
                name=p["name"],
                email=user_id,
                role=p["role"],
                locale=p["locale"],
                grants=frozenset(p["grants"]),
            )
            for user_id, p in people.items()
        )

    @staticmethod
    def _insert_ignoring_duplicates(conn: AsyncConnection) -> Any:
        """``INSERT ... ON CONFLICT DO NOTHING`` into grants: a tool already held stays as it is."""
        dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        return dialect_insert(grants).on_conflict_do_nothing(index_elements=[grants.c.user_id, grants.c.tool])
