"""The store's group-commit writer: every write waits until it is committed, but writes arriving
together share one transaction, so many concurrent users cost a handful of commits.

On PostgreSQL a batch runs straight on asyncpg (``_AsyncpgTransactions``): each statement compiled
once for the columns its rows give, and run with all its rows in one ``executemany``, inside one
transaction on a pooled connection. Through SQLAlchemy's execution the same batch cost the worker
several times the CPU (its execution context, each row's parameters built and converted, each call
through the greenlet bridge), which a chat turn paid for on every commit.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any, Protocol

from sqlalchemy.engine import Connection
from sqlalchemy.exc import CompileError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.base import Executable

from supportbot.integrations.sql.database import unreachable
from supportbot.integrations.sql.hot import PreparedWrite, prepare_write
from supportbot.integrations.sql.inline import InlineSqliteEngine

log = logging.getLogger(__name__)

Statement = tuple[Executable, Any]
"""One write: a statement and its parameters (a dict, a list of dicts for many rows, or None)."""


class _Transactions(Protocol):
    async def run(self, statements: list[Statement]) -> None: ...

    async def close(self) -> None: ...


class _AsyncTransactions:
    """Writes on the async engine: right for PostgreSQL, whose driver is truly asynchronous."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, statements: list[Statement]) -> None:
        async with self._engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)

    async def close(self) -> None:
        return None


_COMPILED = 256
"""Statements kept compiled for asyncpg; one built anew for each write (a rare one) is compiled again."""


class _AsyncpgTransactions:
    """Writes on PostgreSQL on the driver's own connection, with SQLAlchemy's guarantees kept.

    The connection comes from the engine's pool as for any statement (its ping after a rest, its
    deadline per statement). A statement SQLAlchemy must execute itself (``prepare_write``) sends the
    whole batch the ordinary way. A batch that fails before its commit was asked for has written
    nothing (the transaction is rolled back, or its connection is gone and the server rolls it back):
    it runs again the ordinary way, which reports the failure as SQLAlchemy does everywhere else (a
    refused row as ``IntegrityError``, a dead connection dropped from the pool and said to be
    unreachable); a deadline is said at once. A commit that fails leaves its outcome unknown, as it
    does through SQLAlchemy: its connection is dropped and the batch fails as unreachable, never run
    twice.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._ordinary = _AsyncTransactions(engine)
        self._compiled: dict[tuple[Executable, tuple[str, ...] | None], PreparedWrite | None] = {}

    def _prepared(self, statement: Executable, columns: tuple[str, ...] | None) -> PreparedWrite | None:
        key = (statement, columns)
        if key in self._compiled:
            return self._compiled[key]
        if len(self._compiled) >= _COMPILED:
            self._compiled.clear()
        prepared = self._compiled[key] = prepare_write(statement, columns, self._engine.dialect)
        return prepared

    def _driver_work(self, statements: list[Statement]) -> list[tuple[str, list[list[Any]]]] | None:
        """Each statement's SQL and its rows' values for the driver; None when one needs SQLAlchemy."""
        work = []
        for statement, params in statements:
            columns: tuple[str, ...] | None
            rows: list[dict[str, Any]]
            if params is None:
                columns, rows = None, [{}]
            elif isinstance(params, dict):
                columns, rows = tuple(params), [params]
            elif isinstance(params, list) and params and all(isinstance(p, dict) for p in params):
                columns, rows = tuple(params[0]), params
                if any(tuple(p) != columns for p in rows):
                    return None
            else:
                return None
            prepared = self._prepared(statement, columns)
            if prepared is None:
                return None
            work.append((prepared.sql, [prepared.values(row) for row in rows]))
        return work

    async def run(self, statements: list[Statement]) -> None:
        try:
            work = self._driver_work(statements)
        except Exception:  # a value SQLAlchemy refuses too, and says how
            work = None
        if work is None:
            await self._ordinary.run(statements)
            return
        async with self._engine.connect() as conn:
            driver: Any = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            committing = False
            try:
                transaction = driver.transaction()
                await transaction.start()
                try:
                    for sql, rows in work:
                        if len(rows) == 1:
                            await driver.execute(sql, *rows[0])
                        else:
                            await driver.executemany(sql, rows)
                except BaseException as failed:
                    if not isinstance(failed, TimeoutError) and not driver.is_closed():
                        await transaction.rollback()  # (a silent server is not waited on twice)
                    raise
                committing = True
                await transaction.commit()
                return
            except Exception as exc:
                if committing:
                    await conn.invalidate()
                    raise OperationalError("COMMIT", None, exc, connection_invalidated=True) from exc
                if isinstance(exc, TimeoutError):
                    await conn.invalidate()
                    raise
                log.debug("a batch of writes goes the ordinary way after a failure", exc_info=True)
            finally:
                if not conn.invalidated and (driver.is_closed() or driver.is_in_transaction()):
                    await conn.invalidate()  # never back to the pool half-way through a transaction
        await self._ordinary.run(statements)

    async def close(self) -> None:
        return None


class _SqliteBatches:
    """A batch's statements on a SQLite connection in a transaction: the rows of one statement, compiled
    once per set of columns, run straight on the driver with its ``executemany`` (``hot.PreparedWrite``)."""

    def __init__(self, dialect: Any) -> None:
        self._dialect = dialect
        self._many: dict[tuple[Executable, tuple[str, ...]], PreparedWrite | None] = {}

    def write(self, conn: Connection, statements: list[Statement]) -> None:
        for statement, params in statements:
            rows = [params] if isinstance(params, dict) else params
            many = self._prepared(statement, rows)
            if many is None:
                conn.execute(statement, params)
                continue
            values = [many.values(row) for row in rows]
            try:
                conn.connection.driver_connection.executemany(many.sql, values)  # type: ignore[union-attr]
            except sqlite3.Error as exc:
                raise DBAPIError.instance(many.sql, values, exc, sqlite3.Error) from exc

    def _prepared(self, statement: Executable, params: Any) -> PreparedWrite | None:
        """The rows' statement compiled for the driver, for a list of rows of the same columns."""
        if not isinstance(params, list) or not params or not isinstance(params[0], dict):
            return None
        columns = tuple(params[0])
        if any(tuple(p) != columns for p in params):
            return None
        key = (statement, columns)
        if key not in self._many:
            try:
                self._many[key] = prepare_write(statement, columns, self._dialect)
            except CompileError:  # SQLAlchemy's own execution says what is wrong with it
                self._many[key] = None
        return self._many[key]


class _InlineSqliteTransactions:
    """Writes to SQLite on the event loop, on the connection the loop's reads run on
    (``InlineSqliteEngine.writing``): no thread to hand the batch to and wait for, and the commit
    leaves that connection's page cache valid for the next turn's reads (a commit by another
    connection empties it). A batch holds the write lock only from its ``BEGIN IMMEDIATE`` to its
    commit and never yields meanwhile; the lock itself is waited for with sleeps on the loop, so a
    back end's transaction on another connection that holds it goes on. Committing does not wait for
    the disk (WAL, ``synchronous=NORMAL``: a crash of the process loses nothing committed) nor
    checkpoint (the engine's thread does)."""

    def __init__(self, engine: InlineSqliteEngine) -> None:
        self._engine = engine
        self._batches = _SqliteBatches(engine.dialect)

    async def run(self, statements: list[Statement]) -> None:
        async with self._engine.writing() as conn:
            self._batches.write(conn, statements)

    async def close(self) -> None:
        return None


def merged(writes: list[list[Statement]]) -> list[Statement]:
    """The statements of several writes as few executions: the same statement with rows of the same
    columns, from different writes, becomes one execution of all their rows (an ``executemany``).

    Each write's own statements keep their order: the writes are taken round by round (every
    write's first statement, then every write's second, …) and only statements of one round are
    put together. Statements of different writes are independent (they were submitted concurrently),
    so their order within a round does not matter. A batch of turns then costs one conversation
    upsert, one transcript insert and one count of rate-limit events instead of one of each per turn.
    """
    if len(writes) == 1:
        return writes[0]
    out: list[Statement] = []
    for place in range(max(len(w) for w in writes)):
        rows: dict[tuple[int, tuple[str, ...]], tuple[Executable, list[dict[str, Any]]]] = {}
        for write in writes:
            if place >= len(write):
                continue
            statement, params = write[place]
            # (Plain loops: with a generator or two per statement this cost twice as much, per turn.)
            if isinstance(params, dict):
                many = [params]
                columns: tuple[str, ...] | None = tuple(params)
            elif isinstance(params, list) and params:
                many, columns = params, None
                for row in params:
                    if not isinstance(row, dict):
                        columns = None
                        break
                    if columns is None:
                        columns = tuple(row)
                    elif tuple(row) != columns:
                        columns = None
                        break
            else:
                columns = None
            if columns is None:  # no rows to put together (a DELETE without any, rows of other columns)
                out.append((statement, params))
                continue
            key = (id(statement), columns)
            found = rows.get(key)
            if found is None:
                rows[key] = (statement, list(many))
            else:
                found[1].extend(many)
        out.extend(rows.values())
    return out


class GroupWriter:
    """Runs submitted writes in shared transactions; each caller awaits its own commit.

    Writes submitted while the event loop runs one round (the turns answered in it) are committed
    together when the writer's task runs, in the next round; those submitted while a commit is under
    way (on PostgreSQL) in the one after it. ``inline``, the SQLite database's inline engine, writes
    each batch on the loop (``_InlineSqliteTransactions``); without it the batches go through ``engine``.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        inline: InlineSqliteEngine | None = None,
        max_batch: int = 256,
    ) -> None:
        self._transactions: _Transactions
        if inline is not None:
            self._transactions = _InlineSqliteTransactions(inline)
        elif engine.dialect.driver == "asyncpg":
            self._transactions = _AsyncpgTransactions(engine)
        else:
            self._transactions = _AsyncTransactions(engine)
        self._max_batch = max_batch
        self._pending: list[tuple[list[Statement], asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, statements: list[Statement]) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="store-writer")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((statements, future))
        self._wake.set()
        await future

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._wake.set()
            await self._task
            self._task = None
        await self._transactions.close()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                await self._commit(batch)
            if self._closed:
                return

    async def _commit(self, batch: list[tuple[list[Statement], asyncio.Future[None]]]) -> None:
        batch = [item for item in batch if not item[1].cancelled()]  # its caller gave up: not written
        if not batch:
            return
        try:
            await self._transactions.run(merged([statements for statements, _ in batch]))
        except Exception as exc:
            if len(batch) == 1 or unreachable(exc):  # none of them can get through: all fail at once
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                return
            for item in batch:  # one write refused (a conflict): the others are committed on their own
                await self._commit([item])
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)
