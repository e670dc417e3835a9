"""The group-commit writer puts the same statement of concurrent writes into one execution, and
never changes the order of one write's own statements."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from supportbot.bot.store.writer import GroupWriter, merged
from supportbot.integrations.sql.inline import InlineSqliteEngine
from supportbot.integrations.sql.metadata import UTCDateTime

meta = MetaData()
parents = Table("parents", meta, Column("id", Integer, primary_key=True), Column("name", String))
children = Table("children", meta, Column("id", Integer, primary_key=True), Column("parent", Integer))
ADD_PARENT, ADD_CHILD, FORGET = parents.insert(), children.insert(), children.delete()


def test_three_turns_become_one_execution_per_statement() -> None:
    writes = [
        [(ADD_PARENT, {"id": n, "name": f"p{n}"}), (ADD_CHILD, [{"id": 10 * n, "parent": n}])]
        for n in (1, 2, 3)
    ]
    assert merged(writes) == [
        (ADD_PARENT, [{"id": 1, "name": "p1"}, {"id": 2, "name": "p2"}, {"id": 3, "name": "p3"}]),
        (ADD_CHILD, [{"id": 10, "parent": 1}, {"id": 20, "parent": 2}, {"id": 30, "parent": 3}]),
    ]


def test_a_write_keeps_the_order_of_its_own_statements() -> None:
    first = [(ADD_CHILD, {"id": 1, "parent": 7}), (FORGET, None), (ADD_PARENT, {"id": 7, "name": "a"})]
    second = [(ADD_PARENT, {"id": 8}), (ADD_CHILD, {"id": 2, "parent": 8})]
    statements = merged([first, second])
    # Round one: each write's first statement; round two: their second ones; then the rest.
    assert statements == [
        (ADD_CHILD, [{"id": 1, "parent": 7}]),
        (ADD_PARENT, [{"id": 8}]),
        (FORGET, None),
        (ADD_CHILD, [{"id": 2, "parent": 8}]),
        (ADD_PARENT, [{"id": 7, "name": "a"}]),
    ]
    placed = [s for s, _ in statements]
    assert placed.index(FORGET) > placed.index(ADD_CHILD)  # the first write's delete after its insert


def test_rows_of_other_columns_or_none_at_all_run_as_they_came() -> None:
    mixed = [{"id": 3, "parent": 1}, {"id": 4}]
    writes = [
        [(ADD_CHILD, [{"id": 1, "parent": 1}, {"id": 2, "parent": 1}])],
        [(ADD_CHILD, mixed)],
        [(ADD_CHILD, [])],
        [(FORGET, None)],
        [(ADD_CHILD, {"id": 5, "parent": 2})],
        [(ADD_CHILD, [{"id": 6}])],
    ]
    assert merged(writes) == [
        (ADD_CHILD, mixed),
        (ADD_CHILD, []),
        (FORGET, None),
        (ADD_CHILD, [{"id": 1, "parent": 1}, {"id": 2, "parent": 1}, {"id": 5, "parent": 2}]),
        (ADD_CHILD, [{"id": 6}]),
    ]


async def test_concurrent_writes_are_all_committed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    meta.create_all(create_engine(url))
    engine = create_async_engine(url.replace("sqlite://", "sqlite+aiosqlite://"))
    inline = InlineSqliteEngine(url)
    writer = GroupWriter(engine, inline=inline)
    await asyncio.gather(
        *(
            writer.submit([(ADD_PARENT, {"id": n, "name": f"p{n}"}), (ADD_CHILD, {"id": n, "parent": n})])
            for n in range(1, 21)
        )
    )
    await writer.close()
    await inline.dispose()
    async with engine.connect() as conn:
        assert (await conn.execute(select(parents.c.id).order_by(parents.c.id))).scalars().all() == list(
            range(1, 21)
        )
        assert len((await conn.execute(select(children))).all()) == 20
    await engine.dispose()


events = Table(
    "events",
    meta,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("payload", JSON),
    Column("count", Integer, nullable=False, server_default="0"),
)
COUNT = sqlite.insert(events).on_conflict_do_update(
    index_elements=[events.c.id], set_={"count": events.c.count + 1}
)


async def test_rows_written_on_the_driver_read_back_as_sqlalchemy_writes_them(tmp_path: Path) -> None:
    """On SQLite the writer runs a batch's rows on the driver's ``executemany``, converted as SQLAlchemy
    converts them (times in UTC, JSON); a refused row is SQLAlchemy's error, and nothing is kept."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    meta.create_all(create_engine(url))
    engine = create_async_engine(url.replace("sqlite://", "sqlite+aiosqlite://"))
    inline = InlineSqliteEngine(url)
    writer = GroupWriter(engine, inline=inline)
    at = datetime(2026, 12, 3, 20, 30, 15, tzinfo=UTC)
    stockholm = at.astimezone(ZoneInfo("Europe/Stockholm"))
    await asyncio.gather(
        writer.submit([(COUNT, {"id": 1, "at": at, "payload": {"said": "hej", "n": [1, 2]}})]),
        writer.submit([(COUNT, {"id": 2, "at": stockholm, "payload": None})]),
    )
    await writer.submit([(COUNT, [{"id": 1, "at": at, "payload": {}}, {"id": 3, "at": at, "payload": {}}])])
    with pytest.raises(IntegrityError):
        await writer.submit(
            [
                (ADD_PARENT, [{"id": 50, "name": "x"}]),
                (ADD_CHILD, [{"id": 9, "parent": 1}]),
                (ADD_CHILD, [{"id": 9, "parent": 2}]),
            ]
        )
    await writer.close()
    await inline.dispose()
    async with engine.connect() as conn:
        rows = (await conn.execute(select(events).order_by(events.c.id))).all()
        assert await conn.scalar(select(parents.c.id).where(parents.c.id == 50)) is None
    await engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, at, {"said": "hej", "n": [1, 2]}, 1),  # the second write of id 1 counted it, kept the rest
        (2, at, None, 0),
        (3, at, {}, 0),
    ]
