"""The hottest reads of a chat turn (the order question's one statement), without SQLAlchemy's
execution machinery: the statement compiled once, run on the driver's own connection, each result
column converted as SQLAlchemy converts it (dates and times from SQLite's text, UTC on both).

Through SQLAlchemy a statement costs far more of the worker's CPU than the database's work: on
PostgreSQL about 490 µs through the asyncpg adapter against 45 µs for asyncpg itself, on SQLite
about 110 µs against 30 µs. The tenant filter, the parameters and the rows stay exactly the
statement's. A statement whose parameters need more than passing on (a list expanded, a value
converted) takes the ordinary way. On PostgreSQL the read runs on the checked-out connection outside
any transaction (asyncpg's own statement cache keeps it prepared); if it fails for any reason but a
deadline, the same read is made again the ordinary way, which raises SQLAlchemy's error and drops
a dead connection as always: a read may be repeated, and the error handling stays in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

__all__ = ["Many", "Prepared", "all_rows", "prepare", "prepare_many"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement compiled for the driver: its SQL, its parameters in order (with the values the
    statement itself carries), and each result column's conversion."""

    sql: str
    parameters: tuple[tuple[str, Any, bool], ...]
    """(name, value of the statement's own, whether the caller must give it)."""
    convert: tuple[tuple[int, Callable[[Any], Any]], ...]

    def values(self, parameters: Mapping[str, Any]) -> list[Any]:
        return [parameters[n] if n in parameters or needed else v for n, v, needed in self.parameters]

    def rows(self, found: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        rows = []
        for found_row in found:
            row = list(found_row)
            for i, convert in self.convert:
                if row[i] is not None:
                    row[i] = convert(row[i])
            rows.append(tuple(row))
        return rows


def prepare(statement: Executable, dialect: Any) -> Prepared | None:
    """``statement`` ready for the driver, or None when it needs SQLAlchemy's own execution."""
    compiled: Any = cast(ClauseElement, statement).compile(dialect=dialect)
    if compiled.post_compile_params or compiled.literal_execute_params or compiled.positiontup is None:
        return None
    parameters = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.callable is not None or compiled._bind_processors.get(name) is not None:
            return None
        parameters.append((name, bind.value, bind.required))
    convert = []
    for i, column in enumerate(compiled._result_columns):
        processor = column.type._cached_result_processor(dialect, None)
        if processor is not None:
            convert.append((i, processor))
    return Prepared(compiled.string, tuple(parameters), tuple(convert))


@dataclass(frozen=True, slots=True)
class Many:
    """A write compiled for the driver's ``executemany``, for rows of given columns: its SQL, and per
    parameter in order where its value comes from and how SQLAlchemy converts it on the way in."""

    sql: str
    parameters: tuple[tuple[str, Any, bool, Callable[[Any], Any] | None], ...]
    """(name, value of the statement's own, whether a row gives it, conversion or None)."""

    def values(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        parameters = self.parameters
        return [
            tuple(
                [
                    (convert(row[name]) if convert is not None else row[name])
                    if from_row
                    else (convert(own) if convert is not None else own)
                    for name, own, from_row, convert in parameters
                ]
            )
            for row in rows
        ]


def prepare_many(statement: Executable, columns: Sequence[str], dialect: Any) -> Many | None:
    """``statement`` with rows of ``columns`` ready for the driver's ``executemany``, or None when it
    needs SQLAlchemy's own execution (values computed per row, a parameter neither the rows nor the
    statement give, a list expanded, a result returned)."""
    compiled: Any = cast(ClauseElement, statement).compile(dialect=dialect, column_keys=list(columns))
    if (
        compiled.post_compile_params
        or compiled.literal_execute_params
        or compiled.positiontup is None
        or compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.returning
        or compiled.escaped_bind_names
    ):
        return None
    given = set(columns)
    parameters = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        from_row = name in given
        if bind.callable is not None or (not from_row and bind.required):
            return None
        parameters.append((name, bind.value, from_row, compiled._bind_processors.get(name)))
    return Many(compiled.string, tuple(parameters))


_ASYNCPG: dict[Executable, Prepared | None] = {}
"""Statements prepared for asyncpg (one dialect per process: the PostgreSQL engine's)."""


async def all_rows(
    conn: Any, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    """``(await conn.execute(statement, parameters)).all()`` by position, the short way when the
    connection has one: the inline SQLite engine's, or asyncpg's."""
    if not isinstance(conn, AsyncConnection):
        rows: Sequence[Sequence[Any]] = await conn.rows(statement, parameters)  # the inline SQLite engine
        return rows
    if conn.dialect.driver == "asyncpg":
        if statement in _ASYNCPG:
            prepared = _ASYNCPG[statement]
        else:
            prepared = _ASYNCPG[statement] = prepare(statement, conn.dialect)
        if prepared is not None:
            try:
                driver: Any = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
                found = await driver.fetch(prepared.sql, *prepared.values(parameters))
            except TimeoutError:
                raise
            except Exception:  # read again the ordinary way, which reports it as always
                log.debug("a hot read goes the ordinary way after a failure", exc_info=True)
            else:
                return prepared.rows(found)
    result: Result[Any] = await conn.execute(statement, parameters)
    return result.all()
