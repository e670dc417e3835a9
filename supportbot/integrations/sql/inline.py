"""SQLite queries on the event loop's own thread.

An indexed SQLite lookup takes microseconds; handing it to a worker thread (as aiosqlite does for
every call, cursor and fetch) costs a hundred times more in wake-ups and GIL hand-offs, and turns a
chat turn's few queries into milliseconds. So, for SQLite only, the back end and the store read
through this engine, which runs each statement inline with the standard ``sqlite3`` module and
offers the part of ``AsyncEngine``/``AsyncConnection`` they use (``connect``, ``begin``,
``execute``, ``scalar``). Long scans never run here: chat turns use indexes, and reports stream in
small keyset batches. PostgreSQL keeps its truly asynchronous driver.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, Result, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.base import Executable


def use_sqlite_pragmas(engine: Engine, *, busy_timeout_ms: int) -> None:
    """WAL (readers never wait for the writer), foreign keys, and a bounded wait for the write lock."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()


def sqlite_writer(url: str | URL) -> Engine:
    """One connection for the store's writer thread (SQLite has one writer at a time anyway)."""
    engine = create_engine(
        make_url(url).set(drivername="sqlite+pysqlite"),
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )
    use_sqlite_pragmas(engine, busy_timeout_ms=30_000)
    return engine


class InlineConnection:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.dialect = conn.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]:
        return self._conn.execute(statement, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self._conn.scalar(statement, parameters)


class InlineSqliteEngine:
    """A SQLite database read and written inline; ``busy_timeout`` bounds a wait for the write lock."""

    def __init__(self, url: str | URL, *, busy_timeout_ms: int = 5000) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            raise ValueError("InlineSqliteEngine is for SQLite databases only")
        self.url = parsed.set(drivername="sqlite+pysqlite")
        self.sync_engine: Engine = create_engine(self.url)
        self.dialect = self.sync_engine.dialect
        use_sqlite_pragmas(self.sync_engine, busy_timeout_ms=busy_timeout_ms)

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[InlineConnection]:
        with self.sync_engine.connect() as conn:
            yield InlineConnection(conn)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InlineConnection]:
        with self.sync_engine.begin() as conn:
            yield InlineConnection(conn)

    async def dispose(self) -> None:
        self.sync_engine.dispose()
