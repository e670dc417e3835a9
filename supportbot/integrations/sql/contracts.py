"""The built-in contracts back end: contracts and their dated, signed versions, what they cover,
their history (approvals, signatures, forwards) and the text of each version.

A search walks one of the contracts' indexes by end date (company, then kind, status or site, then
``ends_on``) and pages by keyset on (``ends_on``, ``number``), so a page costs the same wherever it
starts. What a contract covers is read through the items' ``contract_id`` index, a page and a count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.actions import Action
from supportbot.integrations.errors import InvalidRequest
from supportbot.integrations.models import (
    Contract,
    ContractDocument,
    ContractEvent,
    ContractHistory,
    ContractPage,
    ContractStatus,
    ContractVersion,
    CoveredItems,
    InventoryItem,
    Money,
    Principal,
    Tool,
)
from supportbot.integrations.sql.base import MAX_PAGE, candidates
from supportbot.integrations.sql.contract_actions import SqlContractActions
from supportbot.integrations.sql.schema import (
    companies,
    contract_events,
    contract_versions,
    contracts,
    inventory_items,
    sites,
)
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlContracts", "document_sha256"]

AWAITING: Final = ("approval", "signature")
"""What a version can wait for from the customer."""

_CONTRACT_SELECT: Final = (
    select(contracts, companies.c.customer_number, sites.c.name.label("site_name"))
    .select_from(contracts.join(companies, companies.c.id == contracts.c.company_id))
    .outerjoin(sites, sites.c.id == contracts.c.site_id)
)


def _contract_status(stored: str, ends_on: date, today: date) -> ContractStatus:
    """An active contract past its end date is expired, whether or not a job has marked it yet."""
    status = ContractStatus(stored)
    return ContractStatus.EXPIRED if status is ContractStatus.ACTIVE and ends_on < today else status


class SqlContracts(SqlContractActions):
    """Contracts and their dated versions (oldest first; the last one is current)."""

    async def get_contract(self, principal: Principal, number: str) -> Contract | None:
        return await scope(principal, Tool.CONTRACTS).run(lambda tenant: self._get(tenant, number), None)

    async def _get(self, tenant: Tenant, number: str) -> Contract | None:
        query = _CONTRACT_SELECT.where(
            *tenant.owns_joined(contracts), contracts.c.number.in_(candidates(number))
        )
        found = await self._load(tenant, query)
        return found[0] if found else None

    async def list_contracts(self, principal: Principal, *, active_only: bool = False) -> Sequence[Contract]:
        """By end date, soonest first: the ones needing action come first."""
        return await scope(principal, Tool.CONTRACTS).run(lambda tenant: self._list(tenant, active_only), ())

    async def _list(self, tenant: Tenant, active_only: bool) -> tuple[Contract, ...]:
        query = _CONTRACT_SELECT.where(*tenant.owns_joined(contracts))
        if active_only:
            query = query.where(
                contracts.c.status == ContractStatus.ACTIVE.value,
                contracts.c.ends_on >= self._today(tenant.principal),
            )
        return await self._load(tenant, query.order_by(contracts.c.ends_on, contracts.c.number))

    async def search_contracts(
        self,
        principal: Principal,
        *,
        kinds: Collection[str] = (),
        statuses: Collection[ContractStatus] = (),
        site: str | None = None,
        awaiting: Collection[str] = (),
        ending_within: int | None = None,
        after: str | None = None,
        limit: int = 10,
    ) -> ContractPage:
        """The company's contracts matching every filter given, soonest end first, a page at a time.

        ``statuses`` are as a customer sees them (an active contract past its end is expired);
        ``awaiting`` keeps the contracts with a version waiting for the customer's approval or
        signature; ``ending_within`` the active ones that end within that many days from today."""
        scoped = scope(principal, Tool.CONTRACTS)
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")
        if ending_within is not None and ending_within < 0:
            raise InvalidRequest("ending_within must not be negative")
        if any(a not in AWAITING for a in awaiting):
            raise InvalidRequest("awaiting is approval or signature")
        cursor = _cursor(after)
        empty = ContractPage(items=(), has_more=False)
        return await scoped.run(
            lambda tenant: self._search(
                tenant,
                frozenset(kinds),
                frozenset(statuses),
                site,
                frozenset(awaiting),
                ending_within,
                cursor,
                limit,
            ),
            empty,
        )

    async def _search(
        self,
        tenant: Tenant,
        kinds: frozenset[str],
        statuses: frozenset[ContractStatus],
        site: str | None,
        awaiting: frozenset[str],
        ending_within: int | None,
        cursor: tuple[date, str] | None,
        limit: int,
    ) -> ContractPage:
        today = self._today(tenant.principal)
        conditions: list[ColumnElement[bool]] = [*tenant.owns_joined(contracts)]
        if kinds:
            conditions.append(contracts.c.kind.in_(sorted(kinds)))
        if statuses:
            conditions.append(or_(*(_status_is(status, today) for status in sorted(statuses))))
        if ending_within is not None:
            conditions += [
                contracts.c.status == ContractStatus.ACTIVE.value,
                contracts.c.ends_on >= today,
                contracts.c.ends_on <= today + timedelta(days=ending_within),
            ]
        if awaiting:
            conditions.append(
                contracts.c.id.in_(
                    select(contract_versions.c.contract_id).where(
                        contract_versions.c.awaiting.in_(sorted(awaiting))
                    )
                )
            )
        if cursor is not None:
            ends_on, number = cursor
            conditions += [
                contracts.c.ends_on >= ends_on,
                or_(contracts.c.ends_on > ends_on, contracts.c.number > number),
            ]
        if site is not None:
            async with self._connect() as conn:
                site_ids = await self._site_ids(conn, tenant, site)
            if not site_ids:
                return ContractPage(items=(), has_more=False)
            conditions.append(contracts.c.site_id.in_(site_ids))
        query = (
            _CONTRACT_SELECT.where(*conditions)
            .order_by(contracts.c.ends_on, contracts.c.number)
            .limit(limit + 1)
        )
        found = await self._load(tenant, query)
        items = found[:limit]
        has_more = len(found) > limit
        after = f"{items[-1].ends_on.isoformat()}|{items[-1].number}" if has_more else None
        return ContractPage(items=items, has_more=has_more, after=after)

    async def covered_items(self, principal: Principal, number: str, *, limit: int = 10) -> CoveredItems:
        """The first ``limit`` items the contract covers (by product and serial), and how many in all."""
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")
        none = CoveredItems(items=(), total=0)
        return await scope(principal, Tool.CONTRACTS).run(
            lambda tenant: self._covered(tenant, number, limit), none
        )

    async def _covered(self, tenant: Tenant, number: str, limit: int) -> CoveredItems:
        async with self._connect() as conn:
            contract_id = await _contract_id(conn, tenant, number)
            if contract_id is None:
                return CoveredItems(items=(), total=0)
            owned = (inventory_items.c.contract_id == contract_id, tenant.owns(inventory_items))
            total = await conn.scalar(select(func.count()).select_from(inventory_items).where(*owned))
            rows = await conn.execute(
                select(
                    inventory_items.c.serial,
                    inventory_items.c.product,
                    inventory_items.c.kind,
                    inventory_items.c.service_level,
                    sites.c.name.label("site_name"),
                )
                .select_from(inventory_items.join(sites, sites.c.id == inventory_items.c.site_id))
                .where(*owned)
                .order_by(inventory_items.c.product, inventory_items.c.serial)
                .limit(limit)
            )
            items = tuple(
                InventoryItem(
                    serial=row.serial,
                    product=row.product,
                    kind=row.kind,
                    site=row.site_name,
                    contract_number=number,
                    service_level=row.service_level,
                )
                for row in rows
            )
        return CoveredItems(items=items, total=int(total or 0))

    async def contract_history(self, principal: Principal, number: str) -> ContractHistory | None:
        """The contract with its versions and the events recorded beside them, oldest first."""
        return await scope(principal, Tool.CONTRACTS).run(lambda tenant: self._history(tenant, number), None)

    async def _history(self, tenant: Tenant, number: str) -> ContractHistory | None:
        contract = await self._get(tenant, number)
        if contract is None:
            return None
        async with self._connect() as conn:
            rows = await conn.execute(
                select(contract_events)
                .select_from(contract_events.join(contracts, contracts.c.id == contract_events.c.contract_id))
                .where(contracts.c.number == contract.number, tenant.owns(contracts))
                .order_by(contract_events.c.at, contract_events.c.id)
            )
            events = tuple(
                ContractEvent(
                    version=row.version,
                    kind=row.kind,
                    at=row.at,
                    actor=row.actor,
                    actor_name=row.actor_name,
                    channel=row.channel,
                    sha256=row.sha256,
                    detail=row.detail,
                )
                for row in rows
            )
        return ContractHistory(contract=contract, events=events)

    async def contract_document(
        self, principal: Principal, number: str, version: int | None = None
    ) -> ContractDocument | None:
        """A version of the contract (the current one unless ``version``) with its text."""
        return await scope(principal, Tool.CONTRACTS).run(
            lambda tenant: self._document(tenant, number, version), None
        )

    async def _document(self, tenant: Tenant, number: str, version: int | None) -> ContractDocument | None:
        contract = await self._get(tenant, number)
        if contract is None or not contract.versions:
            return None
        chosen = contract.versions[-1] if version is None else _version(contract, version)
        if chosen is None:
            return None
        async with self._connect() as conn:
            text = await conn.scalar(
                select(contract_versions.c.document_text)
                .select_from(
                    contract_versions.join(contracts, contracts.c.id == contract_versions.c.contract_id)
                )
                .where(
                    contracts.c.number == contract.number,
                    tenant.owns(contracts),
                    contract_versions.c.version == chosen.version,
                )
            )
        if text is None:
            return None
        return ContractDocument(contract=contract, version=chosen, text=text)

    async def record_forward(
        self,
        principal: Principal,
        number: str,
        version: int,
        to: str,
        *,
        channel: str | None = None,
        action: Action[str] | None = None,
    ) -> str | None:
        """A forward of the version to ``to``, in the contract's history, with its mail (``action``):
        both or neither, once per action key; the event's reference, ``None`` for no such contract."""
        return await scope(principal, Tool.CONTRACTS).run(
            lambda tenant: self._once(
                action, lambda: self._forward(tenant, number, version, to, channel=channel, action=action)
            ),
            None,
        )

    async def _forward(
        self,
        tenant: Tenant,
        number: str,
        version: int,
        to: str,
        *,
        channel: str | None,
        action: Action[str] | None,
    ) -> str | None:
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "contract.forward")
            if first is not None:
                return first
            found = (
                await conn.execute(
                    select(contracts.c.id, contract_versions.c.sha256)
                    .select_from(
                        contracts.join(contract_versions, contract_versions.c.contract_id == contracts.c.id)
                    )
                    .where(
                        tenant.owns(contracts),
                        contracts.c.number.in_(candidates(number)),
                        contract_versions.c.version == version,
                    )
                )
            ).first()
            if found is None:
                return None
            principal = tenant.principal
            event_id = await conn.scalar(
                insert(contract_events)
                .values(
                    contract_id=found.id,
                    version=version,
                    kind="forwarded",
                    at=self._now(),
                    actor=principal.user_id or "",
                    actor_name=(principal.name or principal.user_id or "")[:200],
                    channel=channel[:20] if channel else None,
                    sha256=found.sha256,
                    detail=to.strip()[:500],
                )
                .returning(contract_events.c.id)
            )
            reference = str(event_id)
            mail_ids = await self._record_action(
                conn, action, "contract.forward", outcome=reference, result=reference, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return reference

    async def _load(self, tenant: Tenant, query: Select[Any]) -> tuple[Contract, ...]:
        today = self._today(tenant.principal)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            if not rows:
                return ()
            versions: dict[int, list[ContractVersion]] = {row.id: [] for row in rows}
            version_rows = await conn.execute(
                select(*(c for c in contract_versions.c if c.name not in ("id", "document_text")))
                .where(contract_versions.c.contract_id.in_(list(versions)))
                .order_by(contract_versions.c.contract_id, contract_versions.c.version)
            )
            for v in version_rows:
                versions[v.contract_id].append(
                    ContractVersion(
                        version=v.version,
                        created_at=v.created_at,
                        created_by=v.created_by,
                        summary=v.summary,
                        sha256=v.sha256,
                        awaiting=v.awaiting,
                        approved_by=v.approved_by,
                        approved_name=v.approved_name,
                        approved_at=v.approved_at,
                        signed_by=v.signed_by,
                        signed_name=v.signed_name,
                        signed_at=v.signed_at,
                        signed_channel=v.signed_channel,
                    )
                )
        return tuple(
            Contract(
                number=row.number,
                customer_number=row.customer_number,
                title=row.title,
                kind=row.kind,
                status=_contract_status(row.status, row.ends_on, today),
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                notice_days=row.notice_days,
                annual_value=Money(minor=row.annual_value_minor, currency=row.currency),
                service_level=row.service_level,
                site=row.site_name,
                renewal=row.renewal,
                renewal_months=row.renewal_months,
                versions=tuple(versions[row.id]),
            )
            for row in rows
        )


def _status_is(status: ContractStatus, today: date) -> ColumnElement[bool]:
    """The stored condition for a status as the customer sees it (``_contract_status``)."""
    stored = contracts.c.status
    if status is ContractStatus.ACTIVE:
        return and_(stored == status.value, contracts.c.ends_on >= today)
    if status is ContractStatus.EXPIRED:
        return or_(
            stored == status.value, and_(stored == ContractStatus.ACTIVE.value, contracts.c.ends_on < today)
        )
    return stored == status.value


def _cursor(after: str | None) -> tuple[date, str] | None:
    """The (end date, number) a page continues after; a cursor not made here is refused."""
    if after is None:
        return None
    try:
        day, number = after.split("|", 1)
        return date.fromisoformat(day), number
    except ValueError:
        raise InvalidRequest("not a contract page cursor") from None


def _version(contract: Contract, number: int) -> ContractVersion | None:
    return next((v for v in contract.versions if v.version == number), None)


async def _contract_id(conn: AsyncConnection, tenant: Tenant, number: str) -> int | None:
    found = await conn.scalar(
        select(contracts.c.id).where(tenant.owns(contracts), contracts.c.number.in_(candidates(number)))
    )
    return int(found) if found is not None else None


def document_sha256(text: str) -> str:
    """The hash a contract version is identified and signed by: SHA-256 of its text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
