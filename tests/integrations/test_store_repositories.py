"""The store's writes answer in the store's own terms: a lost race is a ``Conflict`` (or ``AlreadyDone``)
and every timestamp comes back in UTC, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store import AlreadyDone, Conflict, HandoffRows, Store, TurnRecord
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from tests.integrations.conftest import postgres_schema_engine

AT = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        built = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}")
        try:
            await migrate(built)
            yield built
        finally:
            await built.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as built:
            await migrate(built)
            yield built


@pytest.fixture
async def workers(engine: AsyncEngine) -> AsyncIterator[tuple[Store, Store]]:
    """Two workers' stores on one database, each without a cache (as several workers run)."""
    one, other = Store(engine, cache_size=0), Store(engine, cache_size=0)
    try:
        yield one, other
    finally:
        await one.close()
        await other.close()


async def test_a_turn_stored_by_another_worker_first_is_a_conflict(workers: tuple[Store, Store]) -> None:
    one, other = workers
    mine = await one.load("web:c1", channel="web", user_id=None)
    theirs = await other.load("web:c1", channel="web", user_id=None)
    await other.save_turn(theirs, TurnRecord(role="user", text="first", at=AT))
    with pytest.raises(Conflict):
        await one.save_turn(mine, TurnRecord(role="user", text="second", at=AT))
    again = await one.load("web:c1", channel="web", user_id=None)
    await one.save_turn(again, TurnRecord(role="user", text="second", at=AT))
    assert [t.text for t in await one.history("web:c1")] == ["first", "second"]


async def test_the_same_delivery_stored_twice_is_a_conflict(workers: tuple[Store, Store]) -> None:
    one, other = workers
    first = await one.load("web:c2", channel="web", user_id=None)
    await one.save_turn(first, TurnRecord(role="user", text="hi", delivery_id="d1", at=AT))
    later = await other.load("web:c2", channel="web", user_id=None)
    with pytest.raises(Conflict):
        await other.save_turn(later, TurnRecord(role="user", text="hi", delivery_id="d1", at=AT))


async def test_timestamps_come_back_in_utc_and_naive_ones_are_refused(engine: AsyncEngine) -> None:
    store = Store(engine)
    try:
        conv = await store.load("web:c3", channel="web", user_id=None)
        await store.save_turn(conv, TurnRecord(role="user", text="hi", at=AT))
        (turn,) = await store.history("web:c3")
        assert turn.at == AT and turn.at is not None and turn.at.tzinfo is not None
        with pytest.raises(Exception, match="naive datetime"):  # a bug in the caller, never stored
            await store.save_turn(conv, TurnRecord(role="user", text="no zone", at=datetime(2026, 3, 18)))
        handoff = await store.handoffs.add("web:c3", channel="web", user_id=None, at=AT)
        opened = await store.handoffs.get(handoff)
        assert opened is not None and opened.created_at == AT and opened.position == 1
    finally:
        await store.close()


async def test_a_thread_is_claimed_once_and_its_lines_once(engine: AsyncEngine) -> None:
    store = Store(engine)
    try:
        threads = store.threads
        await threads.claim("HO-000001", "slack", place="C1", at=AT)
        with pytest.raises(AlreadyDone):
            await threads.claim("HO-000001", "slack", place="C1", at=AT)
        await threads.posted("HO-000001", "slack", thread="171.1", seq=2)
        await threads.release("HO-000001", "slack")  # posted: kept
        found = await threads.in_thread("slack", place="C1", thread="171.1")
        assert found is not None and found.number == "HO-000001" and found.seq == 2
        assert await threads.claim_lines("HO-000001", "slack", after=2, up_to=4)
        assert not await threads.claim_lines("HO-000001", "slack", after=2, up_to=4)
        await threads.claim("HO-000002", "slack", place="C1", at=AT)
        await threads.release("HO-000002", "slack")  # never posted: free again
        await threads.claim("HO-000002", "slack", place="C1", at=AT)
    finally:
        await store.close()


async def test_a_hand_back_is_stored_with_its_close_or_not_at_all(workers: tuple[Store, Store]) -> None:
    """The close rides in the transaction of the bot's line; a handoff that is no longer the agent's
    active one refuses the whole transaction, so no line says the bot is back while someone else has
    the conversation (a transfer on another worker got there first)."""
    one, other = workers
    number = await one.handoffs.add("web:c4", channel="web", user_id=None, at=AT)
    assert await one.handoffs.take(number, "sara", at=AT)
    assert await other.handoffs.transfer(number, from_agent="sara", to_agent="olle")
    conv = await one.load("web:c4", channel="web", user_id=None)
    sara_back = HandoffRows.handed_back(number, agent="sara", resolution="back", at=AT)
    with pytest.raises(Conflict):
        await one.save_turn(conv, TurnRecord(role="bot", text="I'm back", at=AT), also=[sara_back])
    assert await one.history("web:c4") == []
    still = await one.handoffs.get(number)
    assert still is not None and (still.status, still.agent, still.resolution) == ("active", "olle", None)

    conv = await one.load("web:c4", channel="web", user_id=None)
    olle_back = HandoffRows.handed_back(number, agent="olle", resolution="back", at=AT)
    await one.save_turn(conv, TurnRecord(role="bot", text="I'm back", at=AT), also=[olle_back])
    assert [t.text for t in await one.history("web:c4")] == ["I'm back"]
    done = await one.handoffs.get(number)
    assert done is not None and (done.status, done.closed_at, done.resolution) == ("closed", AT, "back")
