"""The built-in contracts back end's writing half: a customer approves a version or signs it.

What is recorded is what a simple electronic signature rests on (docs/contract-signatures.md): who
(the user id and the name the directory had), when, through which channel, and which version by the
SHA-256 of its text. Each step is one transaction: the version's columns, its ``contract_events`` row
and the action's idempotency key together, through a conditional UPDATE that changes the version only
while it still waits for that step, so two approvers at once record one approval, and a signature binds
only the current version, only the hash the signer was shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.actions import Action
from supportbot.integrations.models import (
    Contract,
    ContractStep,
    ContractStepOutcome,
    Principal,
    Tool,
)
from supportbot.integrations.sql.base import AnyRow, SqlBase, candidates
from supportbot.integrations.sql.schema import contract_events, contract_versions, contracts
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlContractActions"]

APPROVAL: Final = "approval"
SIGNATURE: Final = "signature"
"""What a version waits for (``contract_versions.awaiting``)."""

_APPROVE, _SIGN = "contract.approve", "contract.sign"
"""The actions' kinds in the idempotency keys' table."""


class SqlContractActions(SqlBase):
    """Approving and signing contract versions; the reading half (``SqlContracts``) builds on it."""

    async def _get(self, tenant: Tenant, number: str) -> Contract | None:
        """The contract as it now stands, with its versions: read by ``SqlContracts``."""
        raise NotImplementedError

    # --- approve -------------------------------------------------------------------------------------

    async def approve(
        self,
        principal: Principal,
        number: str,
        version: int | None = None,
        *,
        channel: str | None = None,
        action: Action[None] | None = None,
    ) -> ContractStepOutcome | None:
        """Approves the version awaiting approval (``version``, or the one there is); ``None`` when the
        company has no such contract."""
        return await scope(principal, Tool.CONTRACTS).run(
            lambda tenant: self._once(
                action, lambda: self._approve(tenant, number, version, channel, action)
            ),
            None,
        )

    async def _approve(
        self,
        tenant: Tenant,
        number: str,
        version: int | None,
        channel: str | None,
        action: Action[None] | None,
    ) -> ContractStepOutcome | None:
        principal = tenant.principal
        mail_ids: list[int] = []
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, _APPROVE)
            if first is not None:
                step, contract_id, target = _earlier(first)
            else:
                found = await self._versions(conn, tenant, number)
                if found is None:
                    return None
                contract_id, rows = found
                step, target = _approval_target(rows, version)
                if step is ContractStep.DONE:
                    row = next(r for r in rows if r.version == target)
                    step = await self._record(
                        conn, principal, contract_id, row, APPROVAL, channel=channel, sha256=row.sha256
                    )
                mail_ids = await self._record_action(
                    conn,
                    action,
                    _APPROVE,
                    outcome=_outcome(step, contract_id, target),
                    result=None,
                    actor=principal.user_id,
                )
        await self._committed(mail_ids)
        return await self._outcome(tenant, contract_id, step, target, signed=False)

    # --- sign ----------------------------------------------------------------------------------------

    async def sign(
        self,
        principal: Principal,
        number: str,
        version: int,
        sha256: str,
        channel: str,
        *,
        action: Action[None] | None = None,
    ) -> ContractStepOutcome | None:
        """Signs ``version`` of the contract, only while it is the current version awaiting signature
        and only if ``sha256`` (what the signer was shown) is its hash; ``None`` when the company has
        no such contract."""
        return await scope(principal, Tool.CONTRACTS).run(
            lambda tenant: self._once(
                action, lambda: self._sign(tenant, number, version, sha256.strip().lower(), channel, action)
            ),
            None,
        )

    async def _sign(
        self,
        tenant: Tenant,
        number: str,
        version: int,
        sha256: str,
        channel: str,
        action: Action[None] | None,
    ) -> ContractStepOutcome | None:
        principal = tenant.principal
        mail_ids: list[int] = []
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, _SIGN)
            if first is not None:
                step, contract_id, version = _earlier(first)
            else:
                found = await self._versions(conn, tenant, number)
                if found is None:
                    return None
                contract_id, rows = found
                step = _signature_step(rows, version, sha256)
                if step is ContractStep.DONE:
                    row = next(r for r in rows if r.version == version)
                    step = await self._record(
                        conn, principal, contract_id, row, SIGNATURE, channel=channel, sha256=sha256
                    )
                mail_ids = await self._record_action(
                    conn,
                    action,
                    _SIGN,
                    outcome=_outcome(step, contract_id, version),
                    result=None,
                    actor=principal.user_id,
                )
        await self._committed(mail_ids)
        return await self._outcome(tenant, contract_id, step, version, signed=True)

    # --- shared --------------------------------------------------------------------------------------

    @staticmethod
    async def _versions(
        conn: AsyncConnection, tenant: Tenant, number: str
    ) -> tuple[int, Sequence[AnyRow]] | None:
        """The company's contract of that number (its id) and its versions, oldest first."""
        contract_id = await conn.scalar(
            select(contracts.c.id).where(tenant.owns(contracts), contracts.c.number.in_(candidates(number)))
        )
        if contract_id is None:
            return None
        rows = (
            await conn.execute(
                select(
                    contract_versions.c.id,
                    contract_versions.c.version,
                    contract_versions.c.sha256,
                    contract_versions.c.awaiting,
                    contract_versions.c.approved_at,
                    contract_versions.c.signed_at,
                )
                .where(contract_versions.c.contract_id == contract_id)
                .order_by(contract_versions.c.version)
            )
        ).all()
        return int(contract_id), rows

    async def _record(
        self,
        conn: AsyncConnection,
        principal: Principal,
        contract_id: int,
        row: AnyRow,
        awaiting: str,
        *,
        channel: str | None,
        sha256: str,
    ) -> ContractStep:
        """The step on the version and its event, if the version still waits for it (and, for a
        signature, is still current with the hash shown); ``ALREADY`` when another call came first."""
        now, actor, name = self._now(), principal.user_id or "", principal.name or principal.user_id or ""
        guard = [
            contract_versions.c.id == row.id,
            contract_versions.c.awaiting == awaiting,
        ]
        if awaiting == SIGNATURE:
            newest = (
                select(contract_versions.c.version)
                .where(contract_versions.c.contract_id == contract_id)
                .order_by(contract_versions.c.version.desc())
                .limit(1)
                .scalar_subquery()
            )
            guard += [
                contract_versions.c.signed_at.is_(None),
                contract_versions.c.sha256 == sha256,
                contract_versions.c.version == newest,
            ]
            values = {
                "awaiting": None,
                "signed_by": actor,
                "signed_name": name[:200],
                "signed_at": now,
                "signed_channel": (channel or "")[:20] or None,
            }
            kind = "signed"
        else:
            values = {"awaiting": None, "approved_by": actor, "approved_name": name[:200], "approved_at": now}
            kind = "approved"
        changed = await conn.execute(update(contract_versions).where(*guard).values(**values))
        if changed.rowcount != 1:
            return ContractStep.ALREADY
        await conn.execute(
            insert(contract_events).values(
                contract_id=contract_id,
                version=row.version,
                kind=kind,
                at=now,
                actor=actor,
                actor_name=name[:200],
                channel=(channel or "")[:20] or None,
                sha256=sha256,
            )
        )
        return ContractStep.DONE

    async def _outcome(
        self, tenant: Tenant, contract_id: int, step: ContractStep, version: int, *, signed: bool
    ) -> ContractStepOutcome | None:
        """The outcome with the contract as it now stands (after the commit)."""
        async with self._connect() as conn:
            number = await conn.scalar(
                select(contracts.c.number).where(tenant.owns(contracts), contracts.c.id == contract_id)
            )
        contract = await self._get(tenant, str(number)) if number is not None else None
        if contract is None:
            return None
        if step is ContractStep.ALREADY:
            # Another call won the race: say what it recorded, or that the version waits for nothing.
            acted = next((v for v in contract.versions if v.version == version), None)
            if acted is None or (acted.signed_at if signed else acted.approved_at) is None:
                step = ContractStep.NOT_AWAITING
        return ContractStepOutcome(step=step, contract=contract, version=version)


def _approval_target(rows: Sequence[AnyRow], version: int | None) -> tuple[ContractStep, int]:
    """Which version an approval is about and whether it can be approved: the one asked for, else the
    newest awaiting approval, else the newest approved one (approving again is harmless)."""
    current = rows[-1].version if rows else 0
    if version is not None:
        row = next((r for r in rows if r.version == version), None)
        if row is None:
            return ContractStep.NO_SUCH_VERSION, version
    else:
        awaiting = [r for r in rows if r.awaiting == APPROVAL]
        approved = [r for r in rows if r.approved_at is not None]
        row = awaiting[-1] if awaiting else approved[-1] if approved else None
        if row is None:
            return ContractStep.NOT_AWAITING, current
    if row.awaiting == APPROVAL:
        return ContractStep.DONE, row.version
    if row.approved_at is not None:
        return ContractStep.ALREADY, row.version
    return ContractStep.NOT_AWAITING, row.version


def _signature_step(rows: Sequence[AnyRow], version: int, sha256: str) -> ContractStep:
    """Whether ``version`` may be signed with the hash shown: ``DONE`` means it may."""
    row = next((r for r in rows if r.version == version), None)
    if row is None:
        return ContractStep.NO_SUCH_VERSION
    if row.version != rows[-1].version:
        return ContractStep.SUPERSEDED
    if row.signed_at is not None:
        return ContractStep.ALREADY
    if row.awaiting != SIGNATURE:
        return ContractStep.NOT_AWAITING
    if row.sha256 != sha256:
        return ContractStep.CHANGED
    return ContractStep.DONE


def _outcome(step: ContractStep, contract_id: int, version: int) -> str:
    return json.dumps({"step": step.value, "contract": contract_id, "version": version})


def _earlier(outcome: str) -> tuple[ContractStep, int, int]:
    """What the first call with this key did: its step, contract id and version."""
    earlier = json.loads(outcome)
    return ContractStep(earlier["step"]), int(earlier["contract"]), int(earlier["version"])
