"""Approving and signing contract versions on every implementation: who, when and which hash are
recorded once, through a conditional update, so a repeat, a race of two approvers and a resent
message each record one step; a superseded version or a changed hash is never signed; another
company's contract is exactly as missing as one that does not exist."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from supportbot.integrations.actions import Action
from supportbot.integrations.errors import AccessDenied
from supportbot.integrations.models import ContractStep, ContractStepOutcome
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.schema import contract_events, contracts
from tests.integrations.conftest import ANNA, NOW, People


async def _hash(backends: Backends, people: People, number: str, version: int) -> str:
    contract = await backends.contracts.get_contract(people.anna, number)
    assert contract is not None
    return next(v.sha256 for v in contract.versions if v.version == version)


def _version(outcome: ContractStepOutcome | None, number: int) -> tuple[str | None, str | None]:
    assert outcome is not None
    found = next(v for v in outcome.contract.versions if v.version == number)
    return found.awaiting, found.approved_name


async def test_an_approval_records_who_when_and_which_version_once(
    backends: Backends, people: People
) -> None:
    first = await backends.contracts.approve(people.anna, "C-1004", channel="web")
    assert first is not None and first.step is ContractStep.DONE and first.version == 2
    done = first.acted_on
    assert done is not None
    assert (done.approved_by, done.approved_name, done.approved_at) == (ANNA, "Anna Berg", NOW)
    assert done.awaiting is None
    again = await backends.contracts.approve(people.anna, "c-1004", 2)
    assert again is not None and again.step is ContractStep.ALREADY and again.version == 2
    assert again.acted_on == done  # nothing was written the second time
    # nothing awaits approval any more: a bare approval says which version was approved
    bare = await backends.contracts.approve(people.anna, "C-1004")
    assert bare is not None and bare.step is ContractStep.ALREADY and bare.version == 2


async def test_only_a_version_awaiting_approval_is_approved(backends: Backends, people: People) -> None:
    never = await backends.contracts.approve(people.anna, "C-1004", 1)
    assert never is not None and never.step is ContractStep.NOT_AWAITING
    assert _version(never, 1) == (None, None)
    missing = await backends.contracts.approve(people.anna, "C-1004", 7)
    assert missing is not None and missing.step is ContractStep.NO_SUCH_VERSION
    nothing = await backends.contracts.approve(people.anna, "C-1002")
    assert nothing is not None and nothing.step is ContractStep.NOT_AWAITING and nothing.version == 1


async def test_two_approvals_at_once_record_one(backends: Backends, people: People) -> None:
    both = await asyncio.gather(
        backends.contracts.approve(people.anna, "C-1004", 2, channel="slack"),
        backends.contracts.approve(people.anna, "C-1004", 2, channel="teams"),
    )
    steps = sorted(o.step.value for o in both if o is not None)
    assert steps == ["already", "done"]
    history = await _events(backends, people, "C-1004")
    assert [(e.kind, e.version) for e in history] == [("approved", 2)]


async def test_a_signature_binds_the_current_version_and_its_hash(backends: Backends, people: People) -> None:
    sha = await _hash(backends, people, "C-1003", 2)
    wrong = await backends.contracts.sign(people.anna, "C-1003", 2, "0" * 64, "web")
    assert wrong is not None and wrong.step is ContractStep.CHANGED
    assert wrong.acted_on is not None and wrong.acted_on.signed_at is None
    signed = await backends.contracts.sign(people.anna, "C-1003", 2, sha.upper(), "teams")
    assert signed is not None and signed.step is ContractStep.DONE
    version = signed.acted_on
    assert version is not None
    assert (version.signed_by, version.signed_name, version.signed_at, version.signed_channel) == (
        ANNA,
        "Anna Berg",
        NOW,
        "teams",
    )
    assert version.awaiting is None and version.sha256 == sha
    again = await backends.contracts.sign(people.anna, "C-1003", 2, sha, "web")
    assert again is not None and again.step is ContractStep.ALREADY
    assert again.acted_on == version  # the first signature stands: channel and time unchanged
    events = await _events(backends, people, "C-1003")
    assert [(e.kind, e.version, e.channel, e.sha256, e.actor_name) for e in events] == [
        ("signed", 2, "teams", sha, "Anna Berg")
    ]


async def test_a_superseded_or_unawaited_version_is_not_signed(backends: Backends, people: People) -> None:
    old = await backends.contracts.sign(
        people.anna, "C-1003", 1, await _hash(backends, people, "C-1003", 1), "web"
    )
    # version 1 was signed long ago, but what matters now is that version 2 replaced it
    assert old is not None and old.step is ContractStep.SUPERSEDED and old.current is not None
    assert old.current.version == 2
    c1004 = await _hash(backends, people, "C-1004", 1)
    superseded = await backends.contracts.sign(people.anna, "C-1004", 1, c1004, "web")
    assert superseded is not None and superseded.step is ContractStep.SUPERSEDED
    awaiting_approval = await backends.contracts.sign(
        people.anna, "C-1004", 2, await _hash(backends, people, "C-1004", 2), "web"
    )
    assert awaiting_approval is not None and awaiting_approval.step is ContractStep.NOT_AWAITING
    missing = await backends.contracts.sign(people.anna, "C-1003", 3, "0" * 64, "web")
    assert missing is not None and missing.step is ContractStep.NO_SUCH_VERSION
    assert await _events(backends, people, "C-1004") == []


async def test_a_repeated_key_signs_once_and_answers_as_the_first_time(
    backends: Backends, people: People
) -> None:
    sha = await _hash(backends, people, "C-1003", 2)
    key: Action[None] = Action(key="k-sign-1")
    outcomes = await asyncio.gather(
        *(backends.contracts.sign(people.anna, "C-1003", 2, sha, "web", action=key) for _ in range(2))
    )
    again = await backends.contracts.sign(people.anna, "C-1003", 2, sha, "web", action=key)
    # the same message always gets the first answer: "signed", never "already signed"
    assert [o.step for o in (*outcomes, again) if o is not None] == [ContractStep.DONE] * 3
    assert len(await _events(backends, people, "C-1003")) == 1


async def test_another_company_s_contract_is_as_missing_as_no_contract(
    backends: Backends, people: People
) -> None:
    sha = await _hash(backends, people, "C-1003", 2)
    for number in ("C-1003", "C-9999"):
        assert await backends.contracts.sign(people.max, number, 2, sha, "web") is None
        assert await backends.contracts.approve(people.max, number.replace("3", "4")) is None
    still = await backends.contracts.get_contract(people.anna, "C-1003")
    assert still is not None and still.versions[-1].awaiting == "signature"
    with pytest.raises(AccessDenied):
        await backends.contracts.sign(people.erik, "C-1003", 2, sha, "web")
    with pytest.raises(AccessDenied):
        await backends.contracts.approve(people.guest, "C-1004")


async def _events(backends: Backends, people: People, number: str) -> list[Any]:
    """The contract's events as stored, read past the back end (showing them is the contracts tool's)."""
    engine = backends.contracts._engine  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(contract_events)
            .join(contracts, contracts.c.id == contract_events.c.contract_id)
            .where(contracts.c.number == number)
            .order_by(contract_events.c.id)
        )
        return list(rows.all())
