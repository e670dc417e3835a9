"""On SQLite the store writes its turns on the event loop, on the connection the loop reads through.

Turns answered in one round of the loop share one commit; the commit is made by the reading
connection itself, so its page cache stays valid; a commit never checkpoints (a thread of the
engine does, once a second); and a transaction of the other engine (aiosqlite: a back end's write)
holding the write lock across awaits is waited for on the loop, not in SQLite's busy handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from supportbot.bot.store.writer import GroupWriter
from supportbot.integrations.sql.inline import InlineSqliteEngine, use_sqlite_pragmas

meta = MetaData()
lines = Table("lines", meta, Column("id", Integer, primary_key=True), Column("text", String))
ADD = lines.insert()


class Setup:
    def __init__(self, engine: AsyncEngine, inline: InlineSqliteEngine) -> None:
        self.engine, self.inline = engine, inline
        self.writer = GroupWriter(engine, inline=inline)
        self.commits = 0

        @event.listens_for(inline.sync_engine, "commit")
        def _committed(_conn: object) -> None:
            self.commits += 1

    def stored(self) -> list[int]:
        return [row[0] for row in self.inline.reader().execute("SELECT id FROM lines ORDER BY id")]


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    url = f"sqlite:///{tmp_path / 'inline.db'}"
    plain = create_engine(url)
    meta.create_all(plain)
    plain.dispose()
    engine = create_async_engine(
        url.replace("sqlite://", "sqlite+aiosqlite://"), connect_args={"timeout": 30}
    )
    use_sqlite_pragmas(engine.sync_engine, busy_timeout_ms=30_000)
    inline = InlineSqliteEngine(url, checkpoint_seconds=0.01)
    found = Setup(engine, inline)
    try:
        yield found
    finally:
        await found.writer.close()
        await inline.dispose()
        await engine.dispose()


async def test_turns_of_one_round_of_the_loop_share_one_commit(setup: Setup) -> None:
    await asyncio.gather(
        *(setup.writer.submit([(ADD, {"id": n, "text": f"line {n}"})]) for n in range(1, 31))
    )
    assert setup.commits == 1
    await setup.writer.submit([(ADD, {"id": 31, "text": "alone"})])
    assert setup.commits == 2
    assert setup.stored() == list(range(1, 32))


async def test_the_reading_connection_makes_the_commit(setup: Setup) -> None:
    """A commit by another connection would empty the reading connection's page cache in WAL mode;
    its own leaves the cache as it is. Here the loop's reading connection counts the rows it wrote."""
    reading = setup.inline.reader()
    before = reading.total_changes
    await asyncio.gather(*(setup.writer.submit([(ADD, {"id": n, "text": "x"})]) for n in range(1, 4)))
    assert reading.total_changes - before == 3
    assert not reading.in_transaction


async def test_a_refused_write_is_rolled_back_and_the_connection_reads_on(setup: Setup) -> None:
    await setup.writer.submit([(ADD, {"id": 1, "text": "first"})])
    first = setup.writer.submit([(ADD, {"id": 2, "text": "kept"})])
    clash = setup.writer.submit([(ADD, {"id": 3, "text": "half"}), (ADD, {"id": 1, "text": "again"})])
    done = await asyncio.gather(first, clash, return_exceptions=True)
    assert done[0] is None
    assert isinstance(done[1], IntegrityError)
    assert setup.stored() == [1, 2]  # the refused write's own first row is not kept either
    assert not setup.inline.reader().in_transaction


async def test_a_commit_does_not_checkpoint_the_thread_does(setup: Setup) -> None:
    reading = setup.inline.reader()
    assert reading.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    await setup.writer.submit([(ADD, {"id": 1, "text": "x"})])
    for _ in range(500):  # the thread checkpoints about every 10 ms here
        if setup.inline.checkpoints.done:
            break
        await asyncio.sleep(0.01)
    assert setup.inline.checkpoints.done >= 1
    busy, frames, copied = setup.inline.checkpoints.once() or (1, 0, -1)
    assert busy == 0 and frames == copied  # nothing left to copy: the thread had copied it all


async def test_the_store_waits_on_the_loop_for_a_back_end_write_holding_the_lock(setup: Setup) -> None:
    """The other engine's transaction holds the write lock across awaits, as an aiosqlite one does:
    the store's write waits for it with the loop running, then commits; neither gives up."""
    holding = asyncio.Event()
    steps: list[str] = []

    async def back_end_write() -> None:
        async with setup.engine.begin() as conn:
            await conn.execute(text("INSERT INTO lines (id, text) VALUES (100, 'back end')"))
            holding.set()
            for _ in range(5):
                await asyncio.sleep(0.02)
                steps.append("held")
        steps.append("committed")

    holder = asyncio.create_task(back_end_write())
    await holding.wait()
    await setup.writer.submit([(ADD, {"id": 1, "text": "turn"})])
    steps.append("turn written")
    await holder
    assert steps == ["held"] * 5 + ["committed", "turn written"]
    assert setup.stored() == [1, 100]


async def test_a_back_end_write_waits_for_nothing_but_the_store_commit(setup: Setup) -> None:
    """A back end's write that starts while turns are being submitted goes through as well: the
    store holds the lock only for a commit that never yields."""

    async def back_end_write() -> None:
        async with setup.engine.begin() as conn:
            await conn.execute(text("INSERT INTO lines (id, text) VALUES (100, 'back end')"))

    await asyncio.gather(
        back_end_write(), *(setup.writer.submit([(ADD, {"id": n, "text": "turn"})]) for n in range(1, 11))
    )
    async with setup.engine.connect() as conn:
        assert (await conn.execute(select(lines.c.id).order_by(lines.c.id))).scalars().all() == [
            *range(1, 11),
            100,
        ]


async def test_a_write_given_up_while_waiting_for_the_lock_leaves_no_transaction(setup: Setup) -> None:
    holding, release = asyncio.Event(), asyncio.Event()

    async def back_end_write() -> None:
        async with setup.engine.begin() as conn:
            await conn.execute(text("INSERT INTO lines (id, text) VALUES (100, 'back end')"))
            holding.set()
            await release.wait()

    async def write(n: int) -> None:
        async with setup.inline.writing() as conn:
            conn.exec_driver_sql(f"INSERT INTO lines (id, text) VALUES ({n}, 'inline')")

    holder = asyncio.create_task(back_end_write())
    await holding.wait()
    waiting = asyncio.create_task(write(1))
    await asyncio.sleep(0.05)
    waiting.cancel()  # e.g. the loop shutting down under it
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await holder
    assert not setup.inline.reader().in_transaction
    await write(2)  # the connection writes again
    assert setup.stored() == [2, 100]
