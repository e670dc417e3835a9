"""The built-in directory: users, companies, grants, and the links of chat identities to users.

Passwords are hashed and verified with scrypt off the event loop. Nothing here is a business record of
a company except the sites, which are scoped like every other one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.errors import AccessDenied, InvalidRequest
from supportbot.integrations.models import Principal, Role, Site, Tool, Verification, VerifiedBy
from supportbot.integrations.sql.base import AnyRow, SqlBase
from supportbot.integrations.sql.passwords import hash_password, password_stamp, verify_password
from supportbot.integrations.sql.schema import UTCDateTime, companies, grants, identity_links, sites, users
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlDirectory", "normalise_user_id", "verification_of"]

_PRINCIPAL_SELECT: Final = select(
    users.c.user_id,
    users.c.name,
    users.c.phone,
    users.c.role,
    users.c.active,
    users.c.password_hash,
    users.c.company_id,
    companies.c.name.label("company_name"),
    companies.c.customer_number,
    companies.c.country,
    companies.c.currency,
    companies.c.locale,
    users.c.registered_at,
    users.c.email_confirmed_at,
).select_from(users.outerjoin(companies, companies.c.id == users.c.company_id))

_VOUCHING_CHANNELS: Final = {"slack": VerifiedBy.SLACK, "teams": VerifiedBy.TEAMS}
"""Channels whose link to a user was made by an address the channel itself verified (Slack's confirmed
e-mail, the Teams sign-in name): such a link confirms the address as well as the mailed link does."""


async def verification_of(
    conn: AsyncConnection, user_id: str, *, registered_at: datetime | None, confirmed_at: datetime | None
) -> Verification | None:
    """How a user's address is known to be theirs; ``None`` while a registration waits for it.

    The vendor's own users are vouched for by its records; a registration by its mailed link, or else by
    the first workspace that linked the address (one more query, for those few users only).
    """
    if registered_at is None:
        return Verification(by=VerifiedBy.DIRECTORY)
    if confirmed_at is not None:
        return Verification(by=VerifiedBy.EMAIL, at=confirmed_at)
    query = (
        select(identity_links.c.channel, identity_links.c.linked_at)
        .where(
            identity_links.c.user_id == user_id,
            identity_links.c.channel.in_(list(_VOUCHING_CHANNELS)),
        )
        .order_by(identity_links.c.linked_at)
        .limit(1)
    )
    link = (await conn.execute(query)).first()
    return Verification(by=_VOUCHING_CHANNELS[link.channel], at=link.linked_at) if link else None


def normalise_user_id(user_id: str) -> str:
    """A user id is an e-mail address, stored trimmed and lower-cased."""
    return user_id.strip().lower()


class SqlDirectory(SqlBase):
    """Users, companies and grants; passwords are verified with scrypt off the event loop."""

    async def authenticate(self, user_id: str, password: str) -> Principal | None:
        uid = normalise_user_id(user_id)
        async with self._connect() as conn:
            row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).first()
        stored = row.password_hash if row is not None and row.active else None
        # An unknown or inactive user still costs one scrypt (against a dummy hash): no timing oracle.
        if not await asyncio.to_thread(verify_password, password, stored) or row is None:
            return None
        async with self._connect() as conn:
            return await self._principal(conn, row)

    async def principal_for(self, user_id: str) -> Principal | None:
        uid = normalise_user_id(user_id)
        async with self._connect() as conn:
            row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).first()
            if row is None or not row.active:
                return None
            return await self._principal(conn, row)

    async def users_with_grant(self, tool: Tool) -> Sequence[str]:
        query = (
            select(users.c.user_id)
            .join(grants, grants.c.user_id == users.c.user_id)
            .where(grants.c.tool == tool.value, users.c.active.is_(True), users.c.company_id.is_not(None))
            .order_by(users.c.company_id, users.c.user_id)
        )
        async with self._connect() as conn:
            return tuple((await conn.execute(query)).scalars())

    async def _principal(self, conn: AsyncConnection, row: AnyRow) -> Principal:
        tools = (await conn.execute(select(grants.c.tool).where(grants.c.user_id == row.user_id))).scalars()
        known = {tool.value for tool in Tool}
        return Principal(
            user_id=row.user_id,
            name=row.name,
            email=row.user_id,
            phone=row.phone,
            company_id=row.company_id,
            company_name=row.company_name,
            customer_numbers=(row.customer_number,) if row.customer_number else (),
            country=row.country,
            currency=row.currency,
            role=Role(row.role),
            grants=frozenset(Tool(tool) for tool in tools if tool in known),
            locale=row.locale or "en",
            verification=await verification_of(
                conn, row.user_id, registered_at=row.registered_at, confirmed_at=row.email_confirmed_at
            ),
        )

    async def sites(self, principal: Principal) -> Sequence[Site]:
        """The principal's company's sites; needs a signed-in user but no tool grant.

        A guest is refused with ``AccessDenied(Tool.ORDERS)``: sites belong to no tool, and orders is
        the tool a guest comes closest to.
        """
        if principal.is_guest:
            raise AccessDenied(Tool.ORDERS)
        return await scope(principal).run(self._sites, ())

    async def _sites(self, tenant: Tenant) -> tuple[Site, ...]:
        async with self._connect() as conn:
            rows = await conn.execute(select(sites).where(tenant.owns(sites)).order_by(sites.c.name))
            return tuple(Site(id=r.id, name=r.name, city=r.city, country=r.country) for r in rows)

    async def all_site_names(self) -> Sequence[str]:
        async with self._connect() as conn:
            names = await conn.execute(select(sites.c.name).distinct().order_by(sites.c.name))
            return tuple(names.scalars())

    async def company_by_customer_number(self, customer_number: str) -> str | None:
        async with self._connect() as conn:
            query = select(companies.c.name).where(companies.c.customer_number == customer_number.strip())
            name: str | None = (await conn.execute(query)).scalar_one_or_none()
            return name

    async def register_user(
        self, *, user_id: str, name: str, customer_number: str, password: str
    ) -> Principal | None:
        uid = normalise_user_id(user_id)
        if not uid or len(uid) > 254 or not name.strip() or len(name.strip()) > 200:
            raise InvalidRequest("a new user needs a user id and a name (at most 254 and 200 characters)")
        # Hashed before anything is looked up: a taken user id costs the same time as a new one.
        password_hash = await asyncio.to_thread(hash_password, password)
        try:
            async with self._connect(write=True) as conn:
                company_id = (
                    await conn.execute(
                        select(companies.c.id).where(companies.c.customer_number == customer_number.strip())
                    )
                ).scalar_one_or_none()
                if company_id is None:
                    raise InvalidRequest("no company has that customer number")
                taken = (await conn.execute(select(users.c.user_id).where(users.c.user_id == uid))).first()
                if taken is not None:
                    return None
                await conn.execute(
                    insert(users).values(
                        user_id=uid,
                        name=name.strip(),
                        company_id=company_id,
                        role=Role.USER.value,
                        password_hash=password_hash,
                        active=True,
                        email_confirmed_at=None,
                        registered_at=self._now(),
                    )
                )
                row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).one()
                return await self._principal(conn, row)
        except IntegrityError:  # registered at the same moment by another request
            return None

    async def confirm_email(self, user_id: str) -> bool:
        uid = normalise_user_id(user_id)
        async with self._connect(write=True) as conn:
            exists = (await conn.execute(select(users.c.user_id).where(users.c.user_id == uid))).first()
            if exists is None:
                return False
            await conn.execute(
                update(users)
                .where(users.c.user_id == uid, users.c.email_confirmed_at.is_(None))
                .values(email_confirmed_at=self._now())
            )
            return True

    async def credential_stamp(self, user_id: str) -> str | None:
        uid = normalise_user_id(user_id)
        async with self._connect() as conn:
            query = select(users.c.password_hash, users.c.active).where(users.c.user_id == uid)
            row = (await conn.execute(query)).first()
        return password_stamp(row.password_hash) if row is not None and row.active else None

    async def set_password(self, user_id: str, password: str, *, stamp: str) -> bool:
        uid = normalise_user_id(user_id)
        password_hash = await asyncio.to_thread(hash_password, password)
        async with self._connect(write=True) as conn:
            query = select(users.c.password_hash, users.c.active).where(users.c.user_id == uid)
            row = (await conn.execute(query)).first()
            if row is None or not row.active or password_stamp(row.password_hash) != stamp:
                return False
            # Compare-and-set on the hash read above: of two uses of one link at once, one wins.
            unchanged = (
                users.c.password_hash.is_(None)
                if row.password_hash is None
                else users.c.password_hash == row.password_hash
            )
            # The link came by mail to the address: using it confirms the address, as the mailed
            # confirmation link would (a registration whose link expired is confirmed this way).
            result = await conn.execute(
                update(users)
                .where(users.c.user_id == uid, unchanged)
                .values(
                    password_hash=password_hash,
                    email_confirmed_at=func.coalesce(
                        users.c.email_confirmed_at, literal(self._now(), UTCDateTime())
                    ),
                )
            )
            return bool(result.rowcount == 1)

    async def linked_user(self, channel: str, external_id: str) -> str | None:
        async with self._connect() as conn:
            query = select(identity_links.c.user_id).where(
                identity_links.c.channel == channel, identity_links.c.external_id == external_id
            )
            user_id: str | None = (await conn.execute(query)).scalar()
            return user_id

    async def linked_ids(self, user_id: str, channel: str) -> Sequence[str]:
        async with self._connect() as conn:
            query = (
                select(identity_links.c.external_id)
                .where(
                    identity_links.c.user_id == normalise_user_id(user_id),
                    identity_links.c.channel == channel,
                )
                .order_by(identity_links.c.linked_at, identity_links.c.external_id)
            )
            return [str(external_id) for external_id in (await conn.execute(query)).scalars()]

    async def link_identity(
        self, channel: str, external_id: str, *, email: str, matched_by: str
    ) -> str | None:
        uid = normalise_user_id(email)
        async with self._connect(write=True) as conn:
            user = (
                await conn.execute(
                    select(users.c.user_id, users.c.registered_at, users.c.email_confirmed_at).where(
                        users.c.user_id == uid, users.c.active.is_(True)
                    )
                )
            ).first()
            if user is None:
                return None
            found = user.user_id
            existing = (
                await conn.execute(
                    select(identity_links.c.user_id).where(
                        identity_links.c.channel == channel, identity_links.c.external_id == external_id
                    )
                )
            ).scalar()
            if existing is None:
                if user.registered_at is not None and user.email_confirmed_at is None:
                    # The workspace has verified the address, so its owner is the one chatting here.
                    # Whoever registered it, unconfirmed, may have been someone else: their password
                    # goes (the owner chooses one with a password reset if they want the web chat).
                    await conn.execute(
                        update(users).where(users.c.user_id == found).values(password_hash=None)
                    )
                await conn.execute(
                    insert(identity_links).values(
                        channel=channel,
                        external_id=external_id,
                        user_id=found,
                        linked_at=self._now(),
                        matched_by=matched_by,
                    )
                )
                return str(found)
            return str(existing)
