"""Opening the application's database from its URL: the engines every part reads and writes through.

SQLite (the embedded default) gets WAL and a busy timeout, its file made private before SQLite first
opens it, and an inline engine for reads on the event loop (see ``inline``); PostgreSQL gets a real
connection pool, last in first out, whose connections are pinged before use after a rest
(``ping_when_idle``). Nothing outside ``integrations.sql`` and the bot's store creates an engine.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from supportbot.integrations.private import FOLDER_MODE, private_file
from supportbot.integrations.sql.hot import PING_BEFORE_USE, json_text
from supportbot.integrations.sql.inline import InlineSqliteEngine, use_sqlite_pragmas

__all__ = ["AsyncEngine", "Database", "async_database_url", "open_database", "open_engine", "unreachable"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
"""Seconds a new PostgreSQL connection may take (asyncpg waits 60 by default): a database host that
went silent costs an apology, not a minute."""
COMMAND_TIMEOUT = 30.0
"""Seconds any one statement may take on PostgreSQL, the pool's liveness check (``pool_pre_ping``)
included, so a connection whose server went silent is given up rather than waited on for minutes (the
back end's own calls have a shorter deadline, ``SqlBase``). Migrations have none (``Database.migrating``)."""
POOL_TIMEOUT = 5.0
"""Seconds a caller waits for a free connection of a full pool before it is told the database is busy."""


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not be reached or answered too late (refused, reset,
    a connection lost, a timeout, no free connection), rather than that it refused what was asked."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError | TimeoutError | OSError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def async_database_url(url: str) -> str:
    """``url`` with the asynchronous driver of its database (aiosqlite, asyncpg) put in, so a plain
    ``sqlite:///`` or ``postgresql://`` URL works; ``ValueError`` when it is no database URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(str(exc)) from None
    if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        return url.replace(parsed.drivername, "sqlite+aiosqlite", 1)
    if parsed.drivername in {"postgresql", "postgres", "postgresql+psycopg2"}:
        return url.replace(parsed.drivername, "postgresql+asyncpg", 1)
    return url


def open_engine(url: str, *, command_timeout: float | None = COMMAND_TIMEOUT) -> AsyncEngine:
    """An engine tuned for its database: WAL and a busy timeout on SQLite, a real pool on PostgreSQL
    with deadlines for connecting, for a free connection and (``command_timeout``) for each statement."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_sqlite_file(Path(database))
        engine = create_async_engine(url, connect_args={"timeout": 30}, json_serializer=json_text)
        use_sqlite_pragmas(engine.sync_engine, busy_timeout_ms=30_000)
        return engine
    # A connection that rested is pinged before use and replaced when dead (``ping_when_idle``); a
    # failed query replaces every older connection with it: after the database was away, the first
    # query finds the pool renewed rather than a stale connection.
    # The pool keeps every connection it opened, up to its 30, rather than 10 and an overflow of 20
    # closed at every check-in: a busy worker reopened one connection per two turns (a
    # connect, authentication, settings: more CPU than the turn itself). The ceiling is the same.
    # The pool hands out the connection returned last (LIFO): the few a worker's load needs stay
    # warm and skip the ping, the rest rest at the bottom, where a server's idle timeout may end
    # them (pinged and replaced before their next use), rather than every one being pinged in turn.
    engine = create_async_engine(
        url,
        pool_size=30,
        max_overflow=0,
        pool_use_lifo=True,
        pool_timeout=POOL_TIMEOUT,
        json_serializer=json_text,
        connect_args={"timeout": CONNECT_TIMEOUT, "command_timeout": command_timeout},
    )
    ping_when_idle(engine.sync_engine)
    return engine


PING_AFTER_IDLE = 1.0
"""Seconds a pooled connection may rest before its next use is preceded by a ping."""


def ping_when_idle(engine: Engine, *, idle: float = PING_AFTER_IDLE) -> None:
    """Before a pooled connection is handed out, a ping, as the pool's pre-ping does, but only when
    the connection has rested ``idle`` seconds: one that was working a moment ago needs none, and a
    ping is a round trip on every checkout of a busy worker. A connection that fails the ping is
    replaced by a fresh one; one that broke since its last use fails its query, and the pool then
    replaces every connection older than the failure (SQLAlchemy's disconnect handling). One that
    comes back marked (``hot.PING_BEFORE_USE``: it rested outside the pool) is pinged at its next
    checkout."""

    @event.listens_for(engine, "checkin")
    def _rested_from(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["returned"] = -math.inf if record.info.pop(PING_BEFORE_USE, False) else time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        returned = record.info.get("returned")
        if returned is None or time.monotonic() - returned < idle:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the connection failed its ping") from exc


def _private_sqlite_file(path: Path) -> None:
    """The database file exists, 0600, before SQLite first opens it: SQLite gives its journals (-wal,
    -shm, -journal) the database file's mode, so they are private from their first byte too."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    for candidate in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        if (candidate == path or candidate.exists()) and private_file(candidate):
            log.warning("%s could be read by other users of this machine; it is now 0600", candidate)


@dataclass
class Database:
    """The application's database: ``engine`` for writes (and migrations), ``readers`` for the back
    end's and the store's reads (on SQLite inline on the loop, else the engine itself)."""

    engine: AsyncEngine
    readers: AsyncEngine

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def migrating(self) -> AsyncIterator[AsyncEngine]:
        """An engine to migrate with: on PostgreSQL one of its own without a deadline per statement (an
        index built on a large table, or the wait for another worker's migration, may take minutes)."""
        if self.sqlite:
            yield self.engine
            return
        engine = open_engine(self.engine.url.render_as_string(hide_password=False), command_timeout=None)
        try:
            yield engine
        finally:
            await engine.dispose()

    async def close(self) -> None:
        if self.readers is not self.engine:
            await self.readers.dispose()
        await self.engine.dispose()


def open_database(url: str) -> Database:
    """The database at ``url`` (an asynchronous driver's URL, see ``async_database_url``)."""
    engine = open_engine(url)
    if engine.dialect.name == "sqlite":
        return Database(engine, cast(AsyncEngine, InlineSqliteEngine(engine.url)))
    return Database(engine, engine)
