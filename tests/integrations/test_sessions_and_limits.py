"""The SQL session store and the SQL limits, on SQLite (read and written inline, as the application
does) and on PostgreSQL: the contract a Redis implementation would have to pass as well."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.base import Executable

from supportbot.bot.limits import PRUNE_EVERY, Rule
from supportbot.bot.sessions import Lifetime, handle_of
from supportbot.bot.store import SqlLimits, SqlSessionStore, Store
from supportbot.bot.store import rate_counts as rate_counts_module
from supportbot.bot.store.rate_counts import LOOK_AROUND
from supportbot.integrations.sql.hot import read
from supportbot.integrations.sql.inline import InlineSqliteEngine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.state import rate_counts, sign_ins
from supportbot.integrations.sql.tables import metadata
from tests.integrations.conftest import postgres_schema_engine

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WEB = Lifetime(idle=timedelta(hours=12), absolute=timedelta(days=14))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        inline = InlineSqliteEngine(f"sqlite:///{tmp_path / 'sessions.sqlite3'}")
        with inline.sync_engine.begin() as conn:
            metadata.create_all(conn)
        try:
            yield cast(AsyncEngine, inline)
        finally:
            await inline.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as built:
            await migrate(built)
            yield built


async def row(engine: AsyncEngine, handle: str) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(select(sign_ins).where(sign_ins.c.id == handle))).first()


# --- sessions ---------------------------------------------------------------------------------------


async def test_a_session_is_kept_by_the_hash_of_its_token_only(engine: AsyncEngine) -> None:
    store = SqlSessionStore(engine, clock=Clock())
    token, record = await store.create("anna@example.test", kind="web", lifetime=WEB)
    assert record.handle == handle_of(token) != token
    async with engine.connect() as conn:
        stored = [tuple(r) for r in (await conn.execute(select(sign_ins))).all()]
    assert token not in repr(stored)
    checked = await store.check(token, kind="web")
    assert checked is not None and checked.user_id == "anna@example.test"
    assert await store.check(token, kind="agent") is None  # a web session never opens the console
    assert await store.check(token + "x", kind="web") is None
    assert await store.check("", kind="web") is None


async def test_idle_time_and_lifetime(engine: AsyncEngine) -> None:
    clock = Clock()
    store = SqlSessionStore(engine, clock=clock)
    token, _ = await store.create("anna@example.test", kind="web", lifetime=WEB)
    clock.now += timedelta(hours=11, minutes=59)
    assert await store.check(token, kind="web") is not None  # used: idle from here on
    clock.now += timedelta(hours=11, minutes=59)
    assert await store.check(token, kind="web") is not None
    clock.now += timedelta(hours=12)
    assert await store.check(token, kind="web") is None

    busy, _ = await store.create("anna@example.test", kind="web", lifetime=WEB)
    ends = clock.now + WEB.absolute
    while clock.now + timedelta(hours=11) < ends:
        clock.now += timedelta(hours=11)
        assert await store.check(busy, kind="web") is not None
    clock.now = ends
    assert await store.check(busy, kind="web") is None


async def test_use_is_written_at_most_once_a_minute(engine: AsyncEngine) -> None:
    clock = Clock()
    store = SqlSessionStore(engine, clock=clock)
    token, record = await store.create("anna@example.test", kind="web", lifetime=WEB)
    clock.now += timedelta(seconds=59)
    assert await store.check(token, kind="web") is not None
    assert (await row(engine, record.handle)).last_seen.replace(tzinfo=UTC) == T0
    clock.now += timedelta(seconds=1)
    assert await store.check(token, kind="web") is not None
    assert (await row(engine, record.handle)).last_seen.replace(tzinfo=UTC) == T0 + timedelta(minutes=1)


async def test_revoking_one_and_all(engine: AsyncEngine) -> None:
    clock = Clock()
    store = SqlSessionStore(engine, clock=clock)
    laptop, first = await store.create("anna@example.test", kind="web", lifetime=WEB)
    phone, second = await store.create("anna@example.test", kind="web", lifetime=WEB)
    console, third = await store.create("anna@example.test", kind="agent", lifetime=WEB)
    other, _ = await store.create("erik@example.test", kind="web", lifetime=WEB)
    clock.now += timedelta(seconds=1)
    assert [r.handle for r in await store.active("anna@example.test")] == [
        first.handle,
        second.handle,
        third.handle,
    ]
    assert await store.revoke(laptop) == first.handle
    assert await store.revoke(laptop) is None  # once
    assert await store.check(laptop, kind="web") is None
    assert await store.check(phone, kind="web") is not None
    assert sorted(await store.revoke_user("anna@example.test")) == sorted([second.handle, third.handle])
    assert await store.check(phone, kind="web") is None and await store.check(console, kind="agent") is None
    assert await store.active("anna@example.test") == []
    assert await store.check(other, kind="web") is not None


async def test_ended_sessions_are_deleted_after_a_day(engine: AsyncEngine) -> None:
    clock = Clock()
    store = SqlSessionStore(engine, clock=clock)
    token, record = await store.create("anna@example.test", kind="web", lifetime=WEB)
    await store.revoke(token)
    clock.now += timedelta(days=1, hours=2)
    await store.create("erik@example.test", kind="web", lifetime=WEB)  # prunes now and then
    assert await row(engine, record.handle) is None


# --- limits -----------------------------------------------------------------------------------------


class Seconds:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_limit_per_key_in_a_sliding_window(engine: AsyncEngine) -> None:
    clock = Seconds()
    limits = SqlLimits(engine, clock=clock)
    rule = Rule("chat:session:a", 3, 10.0)
    assert not await limits.seen(rule)
    assert [await limits.hit(rule) for _ in range(4)] == [True, True, True, False]
    assert await limits.full(rule) and await limits.seen(rule)
    assert await limits.hit(Rule("chat:session:b", 3, 10.0))  # another key is counted apart
    clock.now += 9
    assert not await limits.hit(rule)  # refused events were not counted, nor did they extend the window
    clock.now += 1
    assert await limits.hit(rule)


async def test_a_window_counts_the_events_of_its_slots_as_it_slides(engine: AsyncEngine) -> None:
    clock = Seconds()
    limits = SqlLimits(engine, clock=clock)
    rule = Rule("chat:session:slides", 4, 10.0)  # slots of a second
    for step in (0, 3, 3, 3):  # events at 0, 3, 6 and 9 s
        clock.now += step
        assert await limits.hit(rule)
    assert not await limits.hit(rule)
    clock.now += 1  # the event at 0 s left the window
    assert await limits.hit(rule)
    assert not await limits.hit(rule)
    clock.now += 9  # all of them left it but the last one, at 10 s
    assert [await limits.hit(rule) for _ in range(4)] == [True, True, True, False]
    clock.now -= 30  # a clock set back counts what its window holds
    assert await limits.hit(rule)


async def test_a_hit_under_several_rules_counts_under_none_when_one_is_full(engine: AsyncEngine) -> None:
    limits = SqlLimits(engine, clock=Seconds())
    session, user = Rule("chat:session:s1", 5, 10.0), Rule("chat:user:u", 2, 10.0)
    assert await limits.hit(session, user) and await limits.hit(session, user)
    assert not await limits.hit(session, user)
    other = Rule("chat:session:s2", 5, 10.0)
    assert not await limits.hit(other, user)
    assert not await limits.seen(other)
    await limits.settled()
    async with engine.connect() as conn:
        counted = (await conn.execute(select(func.sum(rate_counts.c.count)))).scalar()
    assert counted == 4


async def test_old_counts_are_deleted(engine: AsyncEngine) -> None:
    clock = Seconds()
    limits = SqlLimits(engine, clock=clock)
    assert await limits.hit(Rule("reset:address:x", 3, 900.0))
    await limits.settled()
    clock.now += 2000
    assert await limits.hit(Rule("chat:session:y", 3, 10.0))
    await limits.settled()
    async with engine.connect() as conn:
        keys = list((await conn.execute(select(rate_counts.c.key))).scalars())
    assert keys == ["chat:session:y"]


async def test_workers_share_the_counts(engine: AsyncEngine) -> None:
    """Two workers on one database: what one counted, once committed, the other counts too; a worker
    that found itself alone looks again within a second."""
    clock = Seconds()
    one, other = SqlLimits(engine, clock=clock), SqlLimits(engine, clock=clock)
    rule = Rule("chat:user:anna", 4, 10.0)
    assert await one.hit(rule) and await one.hit(rule) and await one.hit(rule)
    await one.settled()
    assert await other.hit(rule)
    assert not await other.hit(rule)  # its own event, even before it is committed
    await other.settled()
    clock.now += LOOK_AROUND
    assert not await one.hit(rule)


async def test_a_worker_alone_reads_no_counts_per_hit(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The others' rows are read per hit only while another worker has live ones: a worker alone
    looks for them once a second, and a restart's earlier rows are counted until they expire."""
    statements: list[object] = []

    async def counted(reader: object, statement: Executable, parameters: Mapping[str, Any]) -> Any:
        statements.append(statement)
        return await read(reader, statement, parameters)

    monkeypatch.setattr(rate_counts_module, "read", counted)  # the reads take the short way
    clock = Seconds()
    before = SqlLimits(engine, clock=clock)
    rule = Rule("chat:user:anna", 3, 10.0)
    assert await before.hit(rule) and await before.hit(rule) and await before.hit(rule)
    assert len(statements) == 1  # the one look: nobody else
    await before.settled()
    clock.now += LOOK_AROUND
    assert await before.hit(Rule("chat:user:bo", 3, 10.0))
    assert len(statements) == 2
    restarted = SqlLimits(engine, clock=clock)  # the same server after a restart
    assert not await restarted.hit(rule)  # the three of its earlier run
    assert not await restarted.hit(rule)
    assert len(statements) == 2 + 3  # a look, then the counts of every hit


async def test_events_counted_together_are_written_as_one_row_per_key_with_their_number(
    engine: AsyncEngine,
) -> None:
    """Hits that come while the last write is under way are written together: one row per key and
    slot with the number of its events, added to what the row had."""
    limits = SqlLimits(engine, clock=Seconds())
    session, user = Rule("chat:session:s", 10, 10.0), Rule("chat:user:u", 10, 10.0)
    assert all([await limits.hit(session, user) for _ in range(3)])
    await limits.settled()
    assert await asyncio.gather(limits.hit(session, user), limits.hit(Rule("chat:session:t", 10, 10.0), user))
    await limits.settled()
    async with engine.connect() as conn:
        rows = (
            await conn.execute(select(rate_counts.c.key, rate_counts.c.count).order_by(rate_counts.c.key))
        ).all()
    assert [tuple(row) for row in rows] == [("chat:session:s", 4), ("chat:session:t", 1), ("chat:user:u", 5)]
    fresh = SqlLimits(engine, clock=limits.clock)  # another worker sees them all
    assert not await fresh.hit(Rule("chat:user:u", 5, 10.0))


async def test_a_busy_worker_writes_its_counts_once_a_second(engine: AsyncEngine) -> None:
    """The first events are written at once; those that follow within the second wait and go
    together, a row per key with their number; settling (as a stopping server does) writes them
    without waiting the rest of the second."""
    written: list[list[dict[str, Any]]] = []

    async def write(statements: list[tuple[Executable, Any]]) -> None:
        written.extend(params for _, params in statements if isinstance(params, list))
        async with engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)

    limits = SqlLimits(engine, write=write, clock=Seconds())
    rule = Rule("chat:user:u", 100, 60.0)
    assert await limits.hit(rule)
    for _ in range(5):
        await asyncio.sleep(0)
    assert [[row["count"] for row in rows] for rows in written] == [[1]]
    for _ in range(4):
        assert await limits.hit(rule)
        for _ in range(5):
            await asyncio.sleep(0)
    assert len(written) == 1  # within the second: waiting
    await asyncio.wait_for(limits.settled(), 0.5)
    assert [[row["count"] for row in rows] for rows in written] == [[1], [4]]
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.sum(rate_counts.c.count)))).scalar() == 5


async def test_counts_go_in_the_store_s_shared_transactions(engine: AsyncEngine) -> None:
    """As the application counts chat frames: behind, with the store's group commits."""
    store = Store(engine)  # on SQLite the inline engine: the store writes on the loop
    try:
        limits = SqlLimits(engine, write=store.write, clock=Seconds())
        session, user = Rule("chat:session:s", 3, 10.0), Rule("chat:user:u", 5, 10.0)
        assert [await limits.hit(session, user) for _ in range(4)] == [True, True, True, False]
        await limits.settled()
        fresh = SqlLimits(engine, clock=limits.clock)  # another worker
        assert await fresh.full(session) and not await fresh.full(user)
        other_session = Rule("chat:session:t", 3, 10.0)
        assert await fresh.hit(other_session, user) and await fresh.hit(other_session, user)
        assert not await fresh.hit(other_session, user)  # the user's five: three counted by the other
    finally:
        await store.close()


def _watched_reads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The parameters of every statement the limits read from now on."""
    seen: list[dict[str, Any]] = []

    async def watched(reader: object, statement: Executable, parameters: Mapping[str, Any]) -> Any:
        seen.append(dict(parameters))
        return await read(reader, statement, parameters)

    monkeypatch.setattr(rate_counts_module, "read", watched)
    return seen


async def _counted_by_another_worker(
    engine: AsyncEngine, now: float, counts: dict[str, int], *, ago: float = 0
) -> None:
    """Rows another worker (or an earlier run) wrote: ``counts`` per key, in the 10-second window's
    slot of ``ago`` seconds before ``now``."""
    slot = int(now - ago)
    rows = [
        {"key": key, "slot": slot, "worker": "earlier-run", "count": n, "expires": slot + 11}
        for key, n in counts.items()
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(rate_counts), rows)


async def test_other_keys_rows_cost_a_hit_no_read_and_the_counts_stay_right(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows an earlier run left of other keys (other sessions' counts) are no reason to read per hit:
    a hit reads the others' counts only of a key they count, and those counts are added."""
    clock = Seconds()
    leftover = {f"chat:session:old{i}": 5 for i in range(30)}
    await _counted_by_another_worker(engine, clock.now, {**leftover, "chat:user:anna": 2})
    reads = _watched_reads(monkeypatch)
    limits = SqlLimits(engine, clock=clock)
    session, user = Rule("chat:session:new", 3, 10.0), Rule("chat:user:anna", 4, 10.0)
    assert [await limits.hit(session) for _ in range(4)] == [True, True, True, False]
    assert len(reads) == 1 and "many" in reads[0]  # the one look for the keys counted elsewhere
    other_session = Rule("chat:session:new2", 10, 10.0)
    assert [await limits.hit(other_session, user) for _ in range(3)] == [True, True, False]  # 2 + 2
    assert [sorted(r) for r in reads[1:]] == [["key0", "since0", "worker"]] * 3  # one key's counts each
    assert {r["key0"] for r in reads[1:]} == {"chat:user:anna"}
    clock.now += LOOK_AROUND  # a look again, and the same
    assert not await limits.hit(other_session, user)
    old = Rule("chat:session:old3", 6, 10.0)
    assert await limits.hit(old) and not await limits.hit(old)  # the five of the earlier run, and one
    assert await limits.full(Rule("chat:session:old4", 5, 10.0))


async def test_beyond_the_keys_a_look_lists_every_hit_reads_its_keys_counts(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many keys counted elsewhere (busy workers beside this one): the look stops listing them, and
    every hit reads the others' counts of its keys, as they come."""
    monkeypatch.setattr(rate_counts_module, "KEYS_ELSEWHERE", 2)
    clock = Seconds()
    await _counted_by_another_worker(engine, clock.now, {"a": 1, "b": 1, "c": 1})
    reads = _watched_reads(monkeypatch)
    limits = SqlLimits(engine, clock=clock)
    assert await limits.hit(Rule("mine", 2, 10.0)) and await limits.hit(Rule("mine", 2, 10.0))
    assert len(reads) == 3  # the look, then the counts of each hit
    await _counted_by_another_worker(engine, clock.now, {"d": 3})
    assert not await limits.hit(Rule("d", 3, 10.0))  # seen at once, without waiting for the next look


async def test_expired_rows_of_every_worker_are_deleted(engine: AsyncEngine) -> None:
    """The first write deletes the rows whose slots left every window, whoever wrote them, and
    then once every ``PRUNE_EVERY`` seconds: the table holds the live rows only."""
    clock = Seconds()
    await _counted_by_another_worker(
        engine, clock.now, {f"chat:session:gone{i}": 1 for i in range(20)}, ago=60
    )
    await _counted_by_another_worker(engine, clock.now, {"chat:session:live": 1}, ago=2)
    limits = SqlLimits(engine, clock=clock)
    assert await limits.hit(Rule("chat:session:mine", 3, 10.0))
    await limits.settled()
    assert await _keys(engine) == ["chat:session:live", "chat:session:mine"]
    clock.now += 30
    await _counted_by_another_worker(engine, clock.now, {"chat:session:later": 1}, ago=20)  # expired
    assert await limits.hit(Rule("chat:session:mine", 3, 10.0))
    await limits.settled()
    assert "chat:session:later" in await _keys(engine)  # not a minute since the last deletion
    clock.now += PRUNE_EVERY
    assert await limits.hit(Rule("chat:session:mine", 3, 10.0))
    await limits.settled()
    assert await _keys(engine) == ["chat:session:mine"]


async def _keys(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return sorted(set((await conn.execute(select(rate_counts.c.key))).scalars()))
