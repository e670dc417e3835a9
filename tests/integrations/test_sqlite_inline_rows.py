"""The SQLite engine's short way for the hottest reads (``all_rows``): the rows SQLAlchemy would give,
with dates and times converted alike; anything it cannot run itself takes the ordinary way, and a
failure is SQLAlchemy's error, which the back end maps to "unavailable"."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import OperationalError

from supportbot.integrations.sql.inline import InlineSqliteEngine, all_rows
from supportbot.integrations.sql.orders import _GET_ORDER
from supportbot.integrations.sql.schema import companies, orders


@pytest.fixture
async def engine(sqlite_demo_template: Path, tmp_path: Path) -> AsyncIterator[InlineSqliteEngine]:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    engine = InlineSqliteEngine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_the_order_read_gives_sqlalchemy_s_rows(engine: InlineSqliteEngine) -> None:
    async with engine.connect() as conn:
        company = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        params = {"company_id": company, "number": "4711", "number_upper": "4711"}
        expected = [tuple(row) for row in (await conn.execute(_GET_ORDER, params)).all()]
        first = await all_rows(conn, _GET_ORDER, params)
        again = await all_rows(conn, _GET_ORDER, params)  # compiled once, run again
        elsewhere = await all_rows(conn, _GET_ORDER, {**params, "company_id": company + 1})
    assert len(expected) > 4  # the order, its lines, shipments and history
    assert list(first) == list(again) == expected
    ordered_at = expected[0][12]
    assert ordered_at.tzinfo is not None  # a time read back as an aware datetime, as SQLAlchemy gives it
    assert list(elsewhere) == []  # the tenant filter is in the statement


async def test_a_list_parameter_takes_the_ordinary_way(engine: InlineSqliteEngine) -> None:
    numbers = select(orders.c.number).where(orders.c.number.in_(bindparam("numbers", expanding=True)))
    async with engine.connect() as conn:
        rows = await all_rows(conn, numbers.order_by(orders.c.number), {"numbers": ["4711", "4712", "nope"]})
    assert [row[0] for row in rows] == ["4711", "4712"]


async def test_a_failure_is_sqlalchemy_s_error(engine: InlineSqliteEngine) -> None:
    async with engine.connect() as conn:
        with pytest.raises(OperationalError, match="no such table"):
            await all_rows(conn, text("SELECT * FROM no_such_table WHERE x = :x"), {"x": 1})
