"""The hottest reads of a chat turn (the order question's one statement), without SQLAlchemy's
execution machinery: the statement compiled once, run on the driver's own connection, each result
column converted as SQLAlchemy converts it (dates and times from SQLite's text, UTC on both).

Through SQLAlchemy a statement costs far more of the worker's CPU than the database's work: on
PostgreSQL about 490 µs through the asyncpg adapter against 45 µs for asyncpg itself, on SQLite
about 110 µs against 30 µs. The tenant filter, the parameters and the rows stay exactly the
statement's. A statement whose parameters need more than passing on (a list expanded, a value
converted) takes the ordinary way. On PostgreSQL the read runs on a pooled connection outside any
transaction (asyncpg's own statement cache keeps it prepared), one of a few the reads keep checked out
between them for a second (a checkout and its return cost more than the read); if it fails for any
reason but a deadline, the same read is made again the ordinary way, which raises SQLAlchemy's error
and drops a dead connection as always: a read may be repeated, and the error handling stays in one
place.

The store's writer runs its batches on PostgreSQL the same way (``prepare_write``): each writing
statement compiled once for the columns its rows give, each value converted as SQLAlchemy converts
it before the driver sees it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic_core import to_json
from sqlalchemy import event
from sqlalchemy.engine import Engine, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util import greenlet_spawn

__all__ = [
    "KEEP_FOR",
    "KEPT",
    "PING_BEFORE_USE",
    "Prepared",
    "PreparedWrite",
    "all_rows",
    "json_text",
    "prepare",
    "prepare_write",
    "read",
]

log = logging.getLogger(__name__)


def json_text(value: Any) -> str:
    """A JSON column's text (a conversation's state, a transcript line's payload): pydantic-core's
    encoder, 4–5 times cheaper than the standard library's for the same values, written compactly
    with non-ASCII characters as themselves; read back by the standard library as before."""
    return to_json(value).decode()


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
        converts = self.convert
        rows = []
        for found_row in found:
            row = list(found_row)
            for i, convert in converts:
                value = row[i]
                if value is not None:
                    row[i] = convert(value)
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
class PreparedWrite:
    """A writing statement compiled for the driver with the columns its rows give: its SQL, and for
    each of its parameters in order the name, the statement's own value, whether a row must give
    it, and the conversion SQLAlchemy applies before the driver sees it (JSON to text, a timestamp
    to UTC)."""

    sql: str
    parameters: tuple[tuple[str, Any, bool, Callable[[Any], Any] | None], ...]
    names: tuple[str, ...] = ()
    """Every parameter's name, when a row gives each of them (an insert's columns)."""
    convert: tuple[tuple[int, Callable[[Any], Any]], ...] = ()

    def values(self, row: Mapping[str, Any]) -> list[Any]:
        """The driver's values for one row, as SQLAlchemy would pass them (``KeyError`` when a row
        lacks a value the statement needs)."""
        if self.names:
            out = [row[name] for name in self.names]
        else:
            out = [row[name] if needed or name in row else own for name, own, needed, _ in self.parameters]
        for i, convert in self.convert:
            out[i] = convert(out[i])
        return out


def prepare_write(statement: Executable, columns: Sequence[str] | None, dialect: Any) -> PreparedWrite | None:
    """``statement`` ready for the driver with rows of ``columns`` (``None``: no rows), or None when
    it needs SQLAlchemy's own execution (values made in Python for missing columns, an expanded
    list, rows it returns). Compiled as for many rows: an insert does not return its new keys."""
    compiled: Any = cast(ClauseElement, statement).compile(
        dialect=dialect,
        column_keys=list(columns) if columns is not None else None,
        for_executemany=columns is not None,
    )
    if (
        compiled.post_compile_params
        or compiled.literal_execute_params
        or compiled.positiontup is None
        or compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.postfetch_lastrowid
        or getattr(compiled, "effective_returning", None)
        or compiled.escaped_bind_names
    ):
        return None
    given = None if columns is None else set(columns)
    parameters = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.callable is not None or (given is not None and bind.required and name not in given):
            return None
        parameters.append((name, bind.value, bind.required, compiled._bind_processors.get(name)))
    every = all(needed for _, _, needed, _ in parameters)
    return PreparedWrite(
        compiled.string,
        tuple(parameters),
        tuple(name for name, _, _, _ in parameters) if every else (),
        tuple((i, convert) for i, (_, _, _, convert) in enumerate(parameters) if convert is not None),
    )


_ASYNCPG: dict[Executable, Prepared | None] = {}
"""Statements prepared for asyncpg (one dialect per process: the PostgreSQL engine's)."""


def _for_asyncpg(statement: Executable, dialect: Any) -> Prepared | None:
    if statement in _ASYNCPG:
        return _ASYNCPG[statement]
    prepared = _ASYNCPG[statement] = prepare(statement, dialect)
    return prepared


KEPT = 4
"""Pooled connections an engine's hot reads keep checked out between them, at most …"""
KEEP_FOR = 1.0
"""… each for this many seconds after its last read; then it goes back to the pool."""
PING_BEFORE_USE = "ping before use"
"""Set in a pooled connection's ``info`` before it goes back to the pool when it rested outside the
pool (kept for reads), or when another connection kept beside it died: the pool pings it before
its next use (``database.ping_when_idle``) however recently it was returned."""


class _Kept:
    """The connections one engine's hot reads keep checked out between them (at most ``KEPT``, each
    for ``KEEP_FOR`` seconds after its last read): a read takes the latest, the pool's checkout and
    return, greenlets and the return's reset, are skipped. Those that rested ``KEEP_FOR`` go back to
    the pool, marked to be pinged; disposing of the engine closes them. A connection whose read
    failed is never kept."""

    __slots__ = ("generation", "idle", "returning", "timer")

    def __init__(self, engine: Engine) -> None:
        self.idle: list[tuple[float, PoolProxiedConnection]] = []
        """(last read, connection), the latest last."""
        self.timer: asyncio.TimerHandle | None = None
        """When the next one rests ``KEEP_FOR``."""
        self.returning: set[asyncio.Task[None]] = set()
        self.generation = 0
        """The engine's disposals: a connection checked out before the last is not kept."""
        event.listen(engine, "engine_disposed", self._disposed)

    def take(self) -> PoolProxiedConnection | None:
        idle = self.idle
        if idle and time.monotonic() - idle[-1][0] < KEEP_FOR:
            return idle.pop()[1]
        return None

    def keep(self, pooled: PoolProxiedConnection, generation: int) -> bool:
        """Keeps ``pooled`` (just read on, checked out in ``generation``) for the next read; whether
        it was kept, else it goes back to the pool."""
        if len(self.idle) >= KEPT or generation != self.generation:
            return False
        self.idle.append((time.monotonic(), pooled))
        if self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(KEEP_FOR, self._return_rested)
        return True

    def _return_rested(self) -> None:
        self.timer = None
        idle, now = self.idle, time.monotonic()
        rested = 0
        while rested < len(idle) and now - idle[rested][0] >= KEEP_FOR:
            rested += 1
        if rested:
            self._return(idle[:rested])
            del idle[:rested]
        if idle:
            self.timer = asyncio.get_running_loop().call_later(
                KEEP_FOR - (now - idle[0][0]), self._return_rested
            )

    def return_all(self) -> None:
        """Every kept connection back to the pool, to be pinged before its next use: one of them died."""
        idle, self.idle = self.idle, []
        if idle:
            self._return(idle)

    def _return(self, connections: list[tuple[float, PoolProxiedConnection]]) -> None:
        task = asyncio.get_running_loop().create_task(_give_back([p for _, p in connections]))
        self.returning.add(task)
        task.add_done_callback(self.returning.discard)

    def _disposed(self, _engine: Engine) -> None:
        """The engine was disposed of (in its greenlet): the kept connections are closed."""
        self.generation += 1
        idle, self.idle = self.idle, []
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        for _, pooled in idle:
            try:
                pooled.invalidate()  # closes it; its pool is gone
            except Exception:
                log.debug("a kept connection could not be closed", exc_info=True)


async def _give_back(connections: list[PoolProxiedConnection]) -> None:
    for pooled in connections:
        pooled.info[PING_BEFORE_USE] = True
        try:
            await greenlet_spawn(pooled.close)
        except Exception:
            log.debug("a kept connection could not go back to the pool", exc_info=True)


_KEPT: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()


def _kept(engine: Engine) -> _Kept:
    kept = _KEPT.get(engine)
    if kept is None:
        kept = _KEPT[engine] = _Kept(engine)
    return kept


async def read(engine: Any, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
    """``all_rows`` on a connection of ``engine``'s: on asyncpg one of the pool's connections
    itself, without SQLAlchemy's connection object around it, kept checked out between reads for a
    second (``_Kept``); on the inline SQLite engine its own. A checkout that fails is SQLAlchemy's
    error, as always; a read that fails is made again the ordinary way on another connection, after
    the one it failed on, if it is gone, was dropped from the pool (and the others kept sent back
    to be pinged)."""
    if not isinstance(engine, AsyncEngine):  # the inline SQLite engine, on its reading connection
        rows: Sequence[Sequence[Any]] = await engine.rows(statement, parameters)
        return rows
    prepared = _for_asyncpg(statement, engine.dialect) if engine.dialect.driver == "asyncpg" else None
    if prepared is not None:
        kept = _kept(engine.sync_engine)
        pooled = kept.take()
        if pooled is None:
            pooled = await engine.raw_connection()
        generation = kept.generation
        driver: Any = pooled.driver_connection
        try:
            found = await driver.fetch(prepared.sql, *prepared.values(parameters))
        except TimeoutError:
            await greenlet_spawn(pooled.close)
            raise
        except Exception:  # read again the ordinary way, which reports it as always
            log.debug("a hot read goes the ordinary way after a failure", exc_info=True)
            if driver.is_closed():
                await greenlet_spawn(pooled.invalidate)
                kept.return_all()
            else:
                await greenlet_spawn(pooled.close)
        except BaseException:  # cancelled
            await greenlet_spawn(pooled.close)
            raise
        else:
            if not kept.keep(pooled, generation):
                await greenlet_spawn(pooled.close)
            return prepared.rows(found)
    async with engine.connect() as conn:
        result: Result[Any] = await conn.execute(statement, parameters)
        return result.all()


async def all_rows(
    conn: Any, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    """``(await conn.execute(statement, parameters)).all()`` by position, the short way when the
    connection has one: the inline SQLite engine's, or asyncpg's."""
    if not isinstance(conn, AsyncConnection):
        rows: Sequence[Sequence[Any]] = await conn.rows(statement, parameters)  # the inline SQLite engine
        return rows
    if conn.dialect.driver == "asyncpg":
        prepared = _for_asyncpg(statement, conn.dialect)
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
