"""SQLite queries on the event loop's own thread.

An indexed SQLite lookup takes microseconds; handing it to a worker thread (as aiosqlite does for
every call, cursor and fetch) costs a hundred times more in wake-ups and GIL hand-offs, and turns a
chat turn's few queries into milliseconds. So, for SQLite only, the back end and the store read
through this engine, which runs each statement inline with the standard ``sqlite3`` module and
offers the part of ``AsyncEngine``/``AsyncConnection`` they use (``connect``, ``begin``,
``execute``, ``scalar``). Long scans never run here: chat turns use indexes, and reports stream in
small keyset batches. PostgreSQL keeps its truly asynchronous driver.

A chat turn's hottest read may go further: ``rows`` runs a statement compiled once straight on the
driver's connection (``hot.all_rows``). Outside a transaction that is a connection the engine keeps
for reading, so such a read checks nothing out of the pool (a checkout and a check-in's rollback
cost more than the read).

Writes take the write lock with ``BEGIN IMMEDIATE`` before anything else, and when another
connection holds it they wait for it *asynchronously* (short sleeps on the loop) instead of in
SQLite's busy handler. The busy handler would block the event loop, and the lock's holder may be an
aiosqlite transaction whose next step needs that very loop: both would wait until the timeout, and
every conversation of the worker with them. Once taken, a write runs to its commit without yielding.

The store's chat turns are written on the loop's own kept connection too (``writing``), the one its
hot reads run on. In WAL mode a commit by *another* connection makes a connection drop its whole
page cache before its next read; its own commits do not. So a turn's commit no longer costs the
next order read its dozen pages read again, nor the turn a hand-off to a writer thread and back.
A commit on these connections never checkpoints (``wal_autocheckpoint=0``), which would copy the
WAL into the database file and wait for the disk on the loop: a thread of the engine's own checkpoints
(``PASSIVE``: it never waits for a writer nor makes one wait) about once a second after commits.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, Result, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.sql.base import Executable

from supportbot.integrations.sql.hot import Prepared, json_text, prepare

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0
"""How often the inline engine's thread checkpoints the WAL, when anything was committed meanwhile."""


def use_sqlite_pragmas(engine: Engine, *, busy_timeout_ms: int, autocheckpoint: bool = True) -> None:
    """WAL (readers never wait for the writer; a commit does not wait for the disk), foreign keys, a
    bounded wait for the write lock, and, without ``autocheckpoint``, no checkpoint made by a commit."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not autocheckpoint:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()


class InlineConnection:
    """A connection of ``InlineSqliteEngine``. A read only by ``rows`` checks nothing out of the pool:
    it runs on the engine's kept reading connection (``InlineSqliteEngine.reader``). Anything else
    checks a pooled connection out at its first statement, and a transaction (``begin``) has one
    from the start, so that its reads see its own writes."""

    __slots__ = ("_engine", "_open", "dialect")

    def __init__(self, engine: InlineSqliteEngine, conn: Connection | None = None) -> None:
        self._engine = engine
        self._open = conn
        self.dialect = engine.dialect

    @property
    def _conn(self) -> Connection:
        if self._open is None:
            self._open = self._engine.sync_engine.connect()
        return self._open

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]:
        return self._conn.execute(statement, parameters)

    async def rows(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """The statement's rows as tuples, compiled once and run on the driver's connection
        (``hot.all_rows``); what ``execute(...).all()`` gives, without its machinery."""
        prepared = self._engine.prepared_for(statement)
        if prepared is None:
            return (await self.execute(statement, parameters)).all()
        raw = self._engine.reader() if self._open is None else self._open.connection.driver_connection
        assert raw is not None
        return _run(raw, prepared, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self._conn.scalar(statement, parameters)


def _run(
    raw: sqlite3.Connection, prepared: Prepared, parameters: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    values = prepared.values(parameters)
    try:
        found: list[tuple[Any, ...]] = raw.execute(prepared.sql, values).fetchall()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(prepared.sql, values, exc, sqlite3.Error) from exc
    return prepared.rows(found) if prepared.convert else found


class _Reading:
    """``InlineSqliteEngine.connect()``: its connection is closed (returned to the pool) at the end."""

    __slots__ = ("_conn",)

    def __init__(self, engine: InlineSqliteEngine) -> None:
        self._conn = InlineConnection(engine)

    async def __aenter__(self) -> InlineConnection:
        return self._conn

    async def __aexit__(self, *_: object) -> None:
        self._conn.close()


class InlineSqliteEngine:
    """A SQLite database read and written inline; ``busy_timeout`` bounds a wait for the write lock."""

    def __init__(
        self, url: str | URL, *, busy_timeout_ms: int = 5000, checkpoint_seconds: float = CHECKPOINT_SECONDS
    ) -> None:
        self.busy_timeout = busy_timeout_ms / 1000
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            raise ValueError("InlineSqliteEngine is for SQLite databases only")
        self.url = parsed.set(drivername="sqlite+pysqlite")
        self.sync_engine: Engine = create_engine(self.url, json_serializer=json_text)
        self.dialect = self.sync_engine.dialect
        use_sqlite_pragmas(self.sync_engine, busy_timeout_ms=busy_timeout_ms, autocheckpoint=False)
        self.prepared: dict[Executable, Prepared | None] = {}
        self._readers: dict[int, tuple[Connection, sqlite3.Connection]] = {}
        self.checkpoints = Checkpoints(self.sync_engine, every=checkpoint_seconds)

    def prepared_for(self, statement: Executable) -> Prepared | None:
        """``statement`` compiled for the driver once (``hot.prepare``), or None for the ordinary way."""
        prepared_ones = self.prepared
        if statement in prepared_ones:
            return prepared_ones[statement]
        prepared = prepared_ones[statement] = prepare(statement, self.dialect)
        return prepared

    def reader(self) -> sqlite3.Connection:
        """This thread's reading connection, checked out of the pool once and kept: a read outside any
        transaction (``rows``) runs on it without a checkout and a check-in's rollback each time.
        SQLite starts no transaction for a plain ``SELECT``, so each read sees the latest commit."""
        kept = self._readers.get(threading.get_ident())
        if kept is None:
            kept = self._keep()
        return kept[1]

    def _keep(self) -> tuple[Connection, sqlite3.Connection]:
        conn = self.sync_engine.connect()
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        kept = self._readers[threading.get_ident()] = (conn, raw)
        return kept

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Connection]:
        """A write transaction on this thread's kept connection, the one its reads run on, so that
        its commit leaves their page cache as it is. The write lock is waited for as ``begin`` waits
        for it; the caller must not yield while it holds it (the connection serves this thread's
        reads meanwhile, and another write here would find it in a transaction)."""
        kept = self._readers.get(threading.get_ident()) or self._keep()
        conn = kept[0]
        try:
            await self._take_write_lock(conn)
        except BaseException:
            if conn.in_transaction():  # cancelled while waiting for the lock
                conn.rollback()
            raise
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        try:
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        self.checkpoints.due()

    async def rows(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """``connect()``'s ``rows`` outside any transaction, on this thread's reading connection: the
        same read without a connection object made and closed around it."""
        prepared = self.prepared_for(statement)
        if prepared is None:
            async with self.connect() as conn:
                return await conn.rows(statement, parameters)
        return _run(self.reader(), prepared, parameters)

    def connect(self) -> _Reading:
        return _Reading(self)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InlineConnection]:
        with self.sync_engine.connect() as conn:
            await self._take_write_lock(conn)
            try:
                yield InlineConnection(self, conn)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
            self.checkpoints.due()

    async def _take_write_lock(self, conn: Connection) -> None:
        """``BEGIN IMMEDIATE`` without SQLite's blocking busy wait: retried with sleeps on the loop
        until ``busy_timeout``, then the driver's "database is locked" error, as the busy wait would."""
        raw = conn.connection.driver_connection
        assert raw is not None
        conn.begin()  # SQLAlchemy's own bookkeeping; pysqlite emits nothing for it
        deadline = asyncio.get_running_loop().time() + self.busy_timeout
        pause = 0.001
        raw.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    locked = "locked" in str(exc) or "busy" in str(exc)
                    if not locked or asyncio.get_running_loop().time() >= deadline:
                        conn.rollback()
                        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.02)
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")

    async def dispose(self) -> None:
        await asyncio.to_thread(self.checkpoints.stop)
        readers, self._readers = self._readers, {}
        for kept, _ in readers.values():
            kept.close()
        self.sync_engine.dispose()


class Checkpoints:
    """The WAL checkpointed on a thread of its own, about every ``every`` seconds after a commit
    (``due``): ``PASSIVE``, so it copies what no reader still needs, never waits for the write lock
    and never holds it. Once the WAL is copied whole, the next write starts it again from the
    beginning, so it stays about a second's writes long. A checkpoint that fails is logged; the next
    one copies what it did not."""

    def __init__(self, engine: Engine, *, every: float) -> None:
        self._engine = engine
        self.every = every
        self._written = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.done = 0
        """Checkpoints made so far."""

    def due(self) -> None:
        """Something was committed: a checkpoint within ``every`` seconds."""
        self._written = True
        if self._thread is None and not self._stop.is_set():
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self._written:
                self.once()

    def once(self) -> tuple[int, int, int] | None:
        """One ``PASSIVE`` checkpoint now: (busy, WAL frames, frames copied), or None when it failed."""
        self._written = False
        try:
            pooled = self._engine.raw_connection()
        except Exception:
            log.warning("no connection for a checkpoint of the database", exc_info=True)
            return None
        try:
            raw: Any = pooled.driver_connection
            found = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.done += 1
            return (int(found[0]), int(found[1]), int(found[2]))
        except sqlite3.Error:
            log.warning("a checkpoint of the database failed", exc_info=True)
            return None
        finally:
            pooled.close()

    def stop(self) -> None:
        """No more checkpoints (closing the database's last connection checkpoints it whole)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
