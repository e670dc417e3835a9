"""The built-in contracts back end: contracts and their dated, signed versions."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import Select, select

from supportbot.integrations.models import Contract, ContractStatus, ContractVersion, Money, Principal, Tool
from supportbot.integrations.sql.base import candidates
from supportbot.integrations.sql.contract_actions import SqlContractActions
from supportbot.integrations.sql.schema import companies, contract_versions, contracts, sites
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlContracts", "document_sha256"]

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
        found = await self._load(query)
        return found[0] if found else None

    async def list_contracts(self, principal: Principal, *, active_only: bool = False) -> Sequence[Contract]:
        """By end date, soonest first: the ones needing action come first."""
        return await scope(principal, Tool.CONTRACTS).run(lambda tenant: self._list(tenant, active_only), ())

    async def _list(self, tenant: Tenant, active_only: bool) -> tuple[Contract, ...]:
        query = _CONTRACT_SELECT.where(*tenant.owns_joined(contracts))
        if active_only:
            query = query.where(
                contracts.c.status == ContractStatus.ACTIVE.value, contracts.c.ends_on >= self._today()
            )
        return await self._load(query.order_by(contracts.c.ends_on, contracts.c.number))

    async def _load(self, query: Select[Any]) -> tuple[Contract, ...]:
        today = self._today()
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


def document_sha256(text: str) -> str:
    """The hash a contract version is identified and signed by: SHA-256 of its text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
