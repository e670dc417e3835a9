"""The SQL access back end: requests for tools, decisions, grants and revocation, tenant by tenant.

Runs on SQLite and, when reachable, on PostgreSQL, with the demo data; max.muller is made Contoso's
administrator here, so that one administrator meets another company's request.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.errors import AccessDenied, AddressNotConfirmed, InvalidRequest, NotAdministrator
from supportbot.integrations.models import (
    AccessRequestStatus,
    Principal,
    Role,
    Tool,
    Verification,
    VerifiedBy,
)
from supportbot.integrations.protocols import AccessBackend
from supportbot.integrations.sql.access import SqlAccess, access_request_number, parse_access_request_number
from supportbot.integrations.sql.directory import SqlDirectory
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.schema import access_requests, users
from supportbot.integrations.sql.seed import DEMO_PASSWORD, seed_demo
from tests.integrations.conftest import (
    ANNA,
    ERIK,
    LENA,
    MAX,
    NOW,
    TODAY,
    as_made_before_migrations,
    clock,
    postgres_schema_engine,
    sqlite_engine,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(
    request: pytest.FixtureRequest, sqlite_demo_template: Path, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """The demo data with max.muller as Contoso's administrator."""
    if request.param == "sqlite":
        path = tmp_path / "access.sqlite3"
        shutil.copy(sqlite_demo_template, path)
        built = sqlite_engine(path)
        try:
            await _promote_max(built)
            yield built
        finally:
            await built.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as built:
            await migrate(built)
            assert await seed_demo(built, today=TODAY)
            await _promote_max(built)
            yield built


async def _promote_max(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(users).where(users.c.user_id == MAX).values(role=Role.COMPANY_ADMIN.value))


@dataclass
class World:
    access: SqlAccess
    directory: SqlDirectory
    anna: Principal
    erik: Principal
    max: Principal

    async def fresh(self, user_id: str) -> Principal:
        principal = await self.directory.principal_for(user_id)
        assert principal is not None
        return principal


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    directory = SqlDirectory(engine, clock=clock)
    people = [await directory.principal_for(user_id) for user_id in (ANNA, ERIK, MAX)]
    assert all(p is not None for p in people)
    anna, erik, max_ = (p for p in people if p is not None)
    return World(SqlAccess(engine, clock=clock), directory, anna, erik, max_)


def test_it_is_an_access_backend(world: World) -> None:
    assert isinstance(world.access, AccessBackend)


def test_numbers() -> None:
    assert access_request_number(12) == "AR-000012"
    assert parse_access_request_number("AR-000012") == 12
    assert parse_access_request_number("ar-12") == 12
    assert parse_access_request_number("INV-2031") is None


async def test_a_request_is_recorded_once_while_pending(world: World) -> None:
    first = await world.access.request_access(world.erik, [Tool.INVOICES, Tool.CONTRACTS], language="sv")
    assert first.changed
    request = first.request
    assert request.number.startswith("AR-") and len(request.number) == 9
    assert request.requester_id == ERIK and request.requester_name == "Erik Lund"
    assert request.tools == (Tool.INVOICES, Tool.CONTRACTS)
    assert request.status is AccessRequestStatus.PENDING and request.language == "sv"
    assert request.created_at == NOW

    again = await world.access.request_access(world.erik, [Tool.CONTRACTS, Tool.INVOICES])
    assert not again.changed and again.request.number == request.number
    covered = await world.access.request_access(world.erik, [Tool.INVOICES])
    assert not covered.changed and covered.request.number == request.number
    wider = await world.access.request_access(world.erik, [Tool.INVOICES, Tool.INVENTORY])
    assert wider.changed and wider.request.number != request.number


async def test_bad_requests_are_refused(world: World) -> None:
    with pytest.raises(InvalidRequest):
        await world.access.request_access(world.erik, [])
    with pytest.raises(AccessDenied):
        await world.access.request_access(Principal.guest(), [Tool.INVOICES])


async def test_approving_grants_the_tools_and_twice_changes_nothing(world: World) -> None:
    request = (await world.access.request_access(world.erik, [Tool.INVOICES])).request
    assert [r.number for r in await world.access.pending_for_admin(world.anna)] == [request.number]

    decided = await world.access.decide(world.anna, request.number, approve=True)
    assert decided is not None and decided.changed
    assert decided.request.status is AccessRequestStatus.APPROVED
    assert decided.request.decided_by == ANNA and decided.request.decided_at == NOW
    assert (await world.fresh(ERIK)).may(Tool.INVOICES)
    assert await world.access.pending_for_admin(world.anna) == ()

    again = await world.access.decide(world.anna, request.number, approve=False)
    assert again is not None and not again.changed
    assert again.request.status is AccessRequestStatus.APPROVED
    assert (await world.fresh(ERIK)).may(Tool.INVOICES)


async def test_denying_grants_nothing(world: World) -> None:
    request = (await world.access.request_access(world.erik, [Tool.STATEMENTS])).request
    decided = await world.access.decide(world.anna, request.number.lower(), approve=False)
    assert decided is not None and decided.changed and decided.request.status is AccessRequestStatus.DENIED
    assert not (await world.fresh(ERIK)).may(Tool.STATEMENTS)
    # A denied request no longer counts as pending: asking again records a new one.
    assert (await world.access.request_access(world.erik, [Tool.STATEMENTS])).changed


async def test_another_company_s_request_looks_missing(world: World) -> None:
    request = (await world.access.request_access(world.erik, [Tool.INVOICES])).request
    assert await world.access.decide(world.max, request.number, approve=True) is None
    assert await world.access.get_access_request(world.max, request.number) is None
    assert await world.access.pending_for_admin(world.max) == ()
    assert await world.access.decide(world.anna, "AR-999999", approve=True) is None
    assert not (await world.fresh(ERIK)).may(Tool.INVOICES)
    # Max's own company: Lena (its administrator) and Max.
    assert [u.user_id for u in await world.access.list_grants(world.max)] == [LENA, MAX]
    assert not await world.access.revoke(world.max, ERIK, Tool.ORDERS)
    assert (await world.fresh(ERIK)).may(Tool.ORDERS)


async def test_who_sees_a_request(world: World) -> None:
    request = (await world.access.request_access(world.erik, [Tool.INVOICES])).request
    mine = await world.access.get_access_request(world.erik, request.number)
    assert mine is not None and mine.number == request.number
    seen = await world.access.get_access_request(world.anna, request.number)
    assert seen is not None and seen.requester_id == ERIK


async def test_only_an_administrator_decides_lists_and_revokes(world: World) -> None:
    request = (await world.access.request_access(world.erik, [Tool.INVOICES])).request
    with pytest.raises(NotAdministrator):
        await world.access.decide(world.erik, request.number, approve=True)
    with pytest.raises(NotAdministrator):
        await world.access.pending_for_admin(world.erik)
    with pytest.raises(NotAdministrator):
        await world.access.list_grants(world.erik)
    with pytest.raises(NotAdministrator):
        await world.access.revoke(world.erik, ANNA, Tool.INVOICES)
    # A principal that merely claims the role is not believed: the directory decides.
    claimed = world.erik.model_copy(update={"role": Role.COMPANY_ADMIN})
    with pytest.raises(NotAdministrator):
        await world.access.decide(claimed, request.number, approve=True)


async def test_grants_are_listed_and_revoked(world: World) -> None:
    people = {u.user_id: u for u in await world.access.list_grants(world.anna)}
    assert set(people) == {ANNA, ERIK}
    assert people[ERIK].grants == frozenset({Tool.ORDERS, Tool.REQUESTS})
    assert people[ERIK].role is Role.USER and people[ERIK].name == "Erik Lund"
    assert people[ANNA].grants == frozenset(Tool) and people[ANNA].role is Role.COMPANY_ADMIN
    assert people[ANNA].locale == "sv"

    assert await world.access.revoke(world.anna, ERIK.upper(), Tool.ORDERS)
    assert not await world.access.revoke(world.anna, ERIK, Tool.ORDERS)
    assert not (await world.fresh(ERIK)).may(Tool.ORDERS)


async def test_company_admins(world: World) -> None:
    assert [u.user_id for u in await world.access.company_admins(world.erik)] == [ANNA]
    assert [u.user_id for u in await world.access.company_admins(world.max)] == [LENA, MAX]
    assert await world.access.company_admins(Principal.guest()) == ()


# --- who may ask, and be granted: only an address its owner has confirmed -----------------------------

NORA = "nora.nystrom@nordisk.example"


async def register_nora(world: World) -> Principal:
    nora = await world.directory.register_user(
        user_id=NORA, name="Nora Nyström", customer_number="1000123", password="correct horse battery"
    )
    assert nora is not None
    return nora


async def test_the_directory_says_how_each_address_was_verified(world: World) -> None:
    assert world.erik.verification == Verification(by=VerifiedBy.DIRECTORY)
    nora = await register_nora(world)
    assert nora.verification is None
    assert (await world.fresh(NORA)).verification is None
    assert await world.directory.confirm_email(NORA)
    assert (await world.fresh(NORA)).verification == Verification(by=VerifiedBy.EMAIL, at=NOW)


async def test_an_address_a_workspace_verified_counts(world: World) -> None:
    await register_nora(world)
    assert await world.directory.link_identity("teams", "aad-9", email=NORA, matched_by="upn") == NORA
    assert (await world.fresh(NORA)).verification == Verification(by=VerifiedBy.TEAMS, at=NOW)
    request = (await world.access.request_access(await world.fresh(NORA), [Tool.INVOICES])).request
    assert request.requester_verification == Verification(by=VerifiedBy.TEAMS, at=NOW)


async def test_an_unconfirmed_registration_may_not_ask_and_is_never_granted(world: World) -> None:
    nora = await register_nora(world)
    with pytest.raises(AddressNotConfirmed):
        await world.access.request_access(nora, [Tool.INVOICES])
    # A principal that claims a confirmation is not believed: the directory decides.
    claimed = nora.model_copy(update={"verification": Verification(by=VerifiedBy.EMAIL, at=NOW)})
    with pytest.raises(AddressNotConfirmed):
        await world.access.request_access(claimed, [Tool.INVOICES])
    # A request recorded before this rule existed.
    async with world.access._engine.begin() as conn:
        await conn.execute(
            insert(access_requests).values(
                company_id=world.anna.company_id, requester_id=NORA, tools="invoices",
                status=AccessRequestStatus.PENDING.value, language="en", created_at=NOW,
            )
        )  # fmt: skip
    [pending] = await world.access.pending_for_admin(world.anna)
    assert pending.requester_id == NORA and pending.requester_verification is None
    with pytest.raises(AddressNotConfirmed):
        await world.access.decide(world.anna, pending.number, approve=True)
    assert (await world.fresh(NORA)).grants == frozenset()
    denied = await world.access.decide(world.anna, pending.number, approve=False)
    assert denied is not None and denied.request.status is AccessRequestStatus.DENIED

    assert await world.directory.confirm_email(NORA)
    confirmed = await world.fresh(NORA)
    outcome = await world.access.request_access(confirmed, [Tool.INVOICES])
    assert outcome.request.requester_verification == Verification(by=VerifiedBy.EMAIL, at=NOW)
    assert await world.access.decide(world.anna, outcome.request.number, approve=True) is not None
    assert (await world.fresh(NORA)).may(Tool.INVOICES)


async def test_a_workspace_link_drops_the_password_an_unconfirmed_registration_chose(world: World) -> None:
    """Whoever registered the address may not be its owner, whom the workspace has just verified."""
    await register_nora(world)
    assert await world.directory.authenticate(NORA, "correct horse battery") is not None
    assert await world.directory.link_identity("slack", "T1:U9", email=NORA, matched_by="email") == NORA
    assert await world.directory.authenticate(NORA, "correct horse battery") is None
    # A password reset (its link goes to the address) sets the owner's own and confirms the address.
    stamp = await world.directory.credential_stamp(NORA)
    assert stamp is not None
    assert await world.directory.set_password(NORA, "the owner's own password", stamp=stamp)
    assert (await world.fresh(NORA)).verification == Verification(by=VerifiedBy.EMAIL, at=NOW)
    assert await world.directory.authenticate(NORA, "the owner's own password") is not None


async def test_a_directory_user_s_link_keeps_their_password(world: World) -> None:
    assert await world.directory.link_identity("slack", "T1:U8", email=ERIK, matched_by="email") == ERIK
    assert await world.directory.authenticate(ERIK, DEMO_PASSWORD) is not None


async def test_a_database_made_before_registrations_were_dated_gets_the_column(
    sqlite_demo_template: Path, tmp_path: Path
) -> None:
    """A database made before migrations (and before registrations were dated) gains
    ``users.registered_at`` when it is migrated; its users are the vendor's."""
    path = tmp_path / "older.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    engine = sqlite_engine(path)
    try:
        await as_made_before_migrations(engine)
        async with engine.begin() as conn:
            await conn.exec_driver_sql("ALTER TABLE users DROP COLUMN registered_at")
        await migrate(engine)
        directory = SqlDirectory(engine, clock=clock)
        erik = await directory.principal_for(ERIK)
        assert erik is not None and erik.verification == Verification(by=VerifiedBy.DIRECTORY)
        nora = await directory.register_user(
            user_id=NORA, name="Nora", customer_number="1000123", password="correct horse battery"
        )
        assert nora is not None and nora.verification is None
    finally:
        await engine.dispose()
