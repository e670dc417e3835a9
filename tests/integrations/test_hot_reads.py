"""The hottest reads' short way (``hot.all_rows``), on the inline SQLite engine and on PostgreSQL
(asyncpg): the rows SQLAlchemy would give, dates and times converted alike, without its execution;
anything the short way cannot run takes the ordinary way, and a failure is SQLAlchemy's error, which
the back end maps to "unavailable"."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest
from pydantic import BaseModel
from sqlalchemy import bindparam, event, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from supportbot.integrations.models import Principal, Role, Tool
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.hot import KEEP_FOR, KEPT, all_rows, read
from supportbot.integrations.sql.inline import InlineSqliteEngine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.orders import _GET_ORDER, _ORDER_SELECT, SqlOrders
from supportbot.integrations.sql.schema import companies, orders
from supportbot.integrations.sql.seed import seed_demo
from tests.integrations.conftest import TODAY, kill_a_pooled_connection, postgres_schema_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        path = tmp_path / "demo.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_demo_template"), path)
        inline = InlineSqliteEngine(f"sqlite:///{path}")
        try:
            yield cast(AsyncEngine, inline)
        finally:
            await inline.dispose()
        return
    async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as engine:
        await migrate(engine)
        assert await seed_demo(engine, today=TODAY)
        yield engine


_ANY_4711 = {"company_id": -1, "number": "4711", "number_upper": "4711"}


def _statements(engine: AsyncEngine) -> list[str]:
    """The statements SQLAlchemy executes from now on."""
    seen: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", executed)
    return seen


async def test_the_order_read_gives_sqlalchemy_s_rows_without_its_execution(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        company = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        params = {"company_id": company, "number": "4711", "number_upper": "4711"}
        expected = [tuple(row) for row in (await conn.execute(_GET_ORDER, params)).all()]
        executed = _statements(engine)
        first = await all_rows(conn, _GET_ORDER, params)
        again = await all_rows(conn, _GET_ORDER, params)  # compiled once, run again
        elsewhere = await all_rows(conn, _GET_ORDER, {**params, "company_id": company + 1})
    assert executed == []  # straight on the driver
    assert len(expected) > 4  # the order, its lines, shipments and history
    assert [tuple(row) for row in first] == [tuple(row) for row in again] == expected
    assert expected[0][12].tzinfo is not None  # the order time as SQLAlchemy gives it, in UTC
    assert list(elsewhere) == []  # the tenant filter is in the statement


async def test_a_list_parameter_takes_the_ordinary_way(engine: AsyncEngine) -> None:
    numbers = select(orders.c.number).where(orders.c.number.in_(bindparam("numbers", expanding=True)))
    async with engine.connect() as conn:
        executed = _statements(engine)
        rows = await all_rows(conn, numbers.order_by(orders.c.number), {"numbers": ["4711", "4712", "nope"]})
    assert [row[0] for row in rows] == ["4711", "4712"]
    assert len(executed) == 1


async def test_a_failure_is_sqlalchemy_s_error(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        with pytest.raises(DBAPIError, match="no_such_table"):
            await all_rows(conn, text("SELECT * FROM no_such_table WHERE x = :x"), {"x": 1})
    async with engine.connect() as conn:  # the pool's connections still serve
        assert [row[0] for row in await all_rows(conn, _GET_ORDER, _ANY_4711)] == []


async def test_a_read_of_its_own_takes_a_pooled_connection_the_short_way(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        company = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        params = {"company_id": company, "number": "4711", "number_upper": "4711"}
        expected = [tuple(row) for row in (await conn.execute(_GET_ORDER, params)).all()]
    executed = _statements(engine)
    assert [tuple(row) for row in await read(engine, _GET_ORDER, params)] == expected
    assert [tuple(row) for row in await read(engine, _GET_ORDER, params)] == expected
    assert executed == []
    with pytest.raises(DBAPIError, match="no_such_table"):
        await read(engine, text("SELECT * FROM no_such_table WHERE x = :x"), {"x": 1})
    assert [tuple(row) for row in await read(engine, _GET_ORDER, params)] == expected


@pytest.mark.postgres
async def test_a_read_on_a_connection_that_died_in_the_pool_is_made_on_another(postgres_url: str) -> None:
    async with postgres_schema_engine(postgres_url) as engine:
        await migrate(engine)
        pid = await kill_a_pooled_connection(engine)
        assert list(await read(engine, _GET_ORDER, _ANY_4711)) == []
        async with engine.connect() as conn:  # the dead one left the pool
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid


_PID = select(func.pg_backend_pid())


async def _pid(engine: AsyncEngine) -> int:
    """The server process of the connection a hot read ran on."""
    return int((await read(engine, _PID, {}))[0][0])


async def _terminate(url: object, pid: int) -> None:
    """Ends server process ``pid`` from another connection, as a restart or a network cut would."""
    admin = create_async_engine(cast(Any, url), poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await admin.dispose()


@pytest.mark.postgres
async def test_reads_keep_their_connection_for_the_next_read_then_give_it_back(postgres_url: str) -> None:
    """A hot read keeps its pooled connection checked out for the next one (no checkout and return
    per read); a second at rest sends it back to the pool, which pings it before its next use."""
    engine = open_engine(postgres_url)
    pool = engine.sync_engine.pool
    try:
        first = await _pid(engine)
        assert pool.checkedout() == 1  # kept
        assert [await _pid(engine) for _ in range(3)] == [first] * 3
        assert pool.checkedout() == 1
        await _terminate(engine.url, first)  # while it rests
        await asyncio.sleep(KEEP_FOR + 0.3)
        assert pool.checkedout() == 0  # back in the pool …
        async with engine.connect() as conn:  # … and pinged before use, so the dead one is replaced
            assert await conn.scalar(text("SELECT 1")) == 1
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != first
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_reads_at_once_keep_a_few_connections(postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    pool = engine.sync_engine.pool
    try:
        pids = await asyncio.gather(*(_pid(engine) for _ in range(KEPT + 3)))
        assert len(set(pids)) == KEPT + 3  # each read on a connection of its own …
        assert pool.checkedout() == KEPT  # … and a few kept for the next ones
        again = await asyncio.gather(*(_pid(engine) for _ in range(KEPT)))
        assert set(again) <= set(pids) and pool.checkedout() == KEPT
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_disposing_of_the_engine_closes_the_kept_connections(postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    kept = await _pid(engine)
    await engine.dispose()
    admin = create_async_engine(postgres_url, poolclass=NullPool)
    try:
        for _ in range(50):  # the server ends the process once the connection closed
            async with admin.connect() as conn:
                alive = await conn.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": kept}
                )
            if not alive:
                break
            await asyncio.sleep(0.1)
        assert alive == 0
    finally:
        await admin.dispose()


@pytest.mark.postgres
async def test_a_kept_connection_that_died_is_not_used_again(postgres_url: str) -> None:
    """The server ended the kept connection between two reads: the next read fails on it, is made
    again the ordinary way on another connection and succeeds; the dead one is never used again."""
    engine = open_engine(postgres_url)
    try:
        dead = await _pid(engine)
        await _terminate(engine.url, dead)
        after = [await _pid(engine) for _ in range(3)]
        assert dead not in after and len(set(after)) == 1  # the new one is kept in turn
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_read_that_failed_does_not_keep_its_connection(postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    pool = engine.sync_engine.pool
    try:
        await _pid(engine)
        with pytest.raises(DBAPIError, match="no_such_table"):
            await read(engine, text("SELECT * FROM no_such_table WHERE x = :x"), {"x": 1})
        assert pool.checkedout() == 0  # the failed one went back to the pool, not kept
        await _pid(engine)
        assert pool.checkedout() == 1
    finally:
        await engine.dispose()


async def test_sqlite_reads_see_each_commit_and_a_transaction_its_own_writes(
    tmp_path: Path, sqlite_demo_template: Path
) -> None:
    """The short way's reads outside a transaction run on a connection the engine keeps (no checkout
    per read); they see the latest commit, and a transaction's reads its own writes."""
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    inline = InlineSqliteEngine(f"sqlite:///{path}")
    status = select(orders.c.status).where(orders.c.number == bindparam("number"))
    cancel = orders.update().where(orders.c.number == "4711").values(status="cancelled")
    try:
        async with inline.connect() as conn:
            before = list(await all_rows(conn, status, {"number": "4711"}))
        checked_out = inline.sync_engine.pool.checkedout()
        async with inline.begin() as conn:
            await conn.execute(cancel)
            assert list(await all_rows(conn, status, {"number": "4711"})) == [("cancelled",)]
            async with inline.connect() as other:  # not committed yet
                assert list(await all_rows(other, status, {"number": "4711"})) == before != [("cancelled",)]
        async with inline.connect() as conn:
            assert list(await all_rows(conn, status, {"number": "4711"})) == [("cancelled",)]
            assert inline.sync_engine.pool.checkedout() == checked_out
    finally:
        await inline.dispose()


async def test_every_order_read_the_short_way_is_the_order_read_table_by_table(engine: AsyncEngine) -> None:
    """``get_order``'s one statement, its rows converted on the short way and its models made without
    validation, gives every order exactly as one query per table and SQLAlchemy's rows give it: the
    same values of the same types (timestamps aware, in UTC), lines, shipments and history in order;
    a number with letters also as typed in lower case (the statement with both spellings)."""
    async with engine.begin() as conn:
        await conn.execute(update(orders).where(orders.c.number == "4630").values(number="NV-4630"))
    backend = SqlOrders(engine)
    async with engine.connect() as conn:
        found = (await conn.execute(select(orders.c.number, orders.c.company_id).order_by(orders.c.id))).all()
        assert len(found) > 10 and "NV-4630" in {number for number, _ in found}
        for number, company in found:
            principal = Principal(
                user_id="u1", company_id=company, role=Role.USER, grants=frozenset({Tool.ORDERS})
            )
            row = (await conn.execute(_ORDER_SELECT.where(orders.c.number == number))).one()
            expected = await backend._full_order(conn, row)
            for typed in {number, number.lower(), f" {number} "}:
                order = await backend.get_order(principal, typed)
                assert order == expected and order is not None
                assert _typed(order) == _typed(expected)
            elsewhere = principal.model_copy(update={"company_id": company + 100})
            assert await backend.get_order(elsewhere, number) is None
            assert await backend.get_order(elsewhere, number.lower()) is None


def _typed(value: Any) -> Any:
    """``value`` with the type of each of its parts, models field by field."""
    if isinstance(value, BaseModel):
        return type(value), {name: _typed(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, tuple):
        return tuple(_typed(item) for item in value)
    if isinstance(value, datetime):
        return type(value), value, value.utcoffset()
    return type(value), value
