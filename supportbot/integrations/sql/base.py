"""What every module of the built-in SQL back end shares: the engine and its errors, the clock, the
once-only actions, and small helpers for arguments and rows.

The SQL is plain Core and runs unchanged on SQLite (aiosqlite) and PostgreSQL (asyncpg). Whose
records a query reads is decided in ``scope``, not here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, Final, TypeAlias, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.base import Executable

from supportbot.faults import crash_point
from supportbot.integrations.actions import Action, MailQueue
from supportbot.integrations.errors import BackendUnavailable, InvalidRequest, MailUnavailable
from supportbot.integrations.models import Principal
from supportbot.integrations.sql.hot import read
from supportbot.integrations.sql.schema import action_keys, sites
from supportbot.integrations.sql.scope import Tenant

__all__ = [
    "MAX_PAGE",
    "AnyRow",
    "Clock",
    "SqlBase",
    "candidates",
    "check_page",
    "check_range",
    "day_start",
]

Clock = Callable[[], datetime]
T = TypeVar("T")
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

MAX_PAGE: Final = 100
"""The largest page a list call returns; a chat turn never needs more, a report streams instead."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def day_start(day: date, zone: tzinfo = UTC) -> datetime:
    """The moment ``day`` begins in ``zone`` (the user's, ``Principal.zone``), in UTC: a date filters
    timestamps as the user's whole days, the days their dates are shown in."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def candidates(number: str) -> list[str]:
    """The number as typed and upper-cased ("inv-2031" finds INV-2031), for an index-friendly IN."""
    cleaned = number.strip()
    return sorted({cleaned, cleaned.upper()})


def check_page(offset: int, limit: int) -> None:
    """Refuses a page that starts before the first item or is empty or larger than ``MAX_PAGE``."""
    if offset < 0:
        raise InvalidRequest("offset must not be negative")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")


def check_range(date_from: date | None, date_to: date | None) -> None:
    """Refuses a period that ends before it starts."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidRequest("date_from is after date_to")


class SqlBase:
    """What every SQL back end shares: the engine, the clock, the actions and error mapping."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        clock: Clock | None = None,
        timeout: float | None = 10.0,
        outbox: MailQueue | None = None,
    ) -> None:
        self._engine = engine
        self._clock: Clock = clock or _utcnow
        self._outbox = outbox
        # A deadline per call, so a hung server costs one apology rather than a hung chat turn. Not
        # on SQLite: aiosqlite cannot interrupt a statement, a cancelled call would leave its worker
        # thread and connection behind; there the busy timeout bounds waiting for locks instead.
        self._timeout = None if engine.dialect.name == "sqlite" else timeout

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def _today(self, principal: Principal) -> date:
        """The caller's own date (``Principal.today``), not the server's: an order due yesterday in
        Stockholm is late there at 23:30 UTC."""
        return principal.today(self._clock())

    @asynccontextmanager
    async def _connect(self, *, write: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection (a transaction when ``write``) whose failures surface as ``BackendUnavailable``."""
        async with self._guarded():
            if write:
                async with self._engine.begin() as conn:
                    yield conn
            else:
                async with self._engine.connect() as conn:
                    yield conn

    async def _rows(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """One statement's rows by position, read the short way (``hot.read``), with the deadline and
        the failures of ``_connect``."""
        async with self._guarded():
            return await read(self._engine, statement, parameters)

    @asynccontextmanager
    async def _guarded(self) -> AsyncIterator[None]:
        """The deadline of a call, and its database's failures as ``BackendUnavailable``."""
        try:
            async with asyncio.timeout(self._timeout):
                yield
        except (OperationalError, InterfaceError, PoolTimeoutError, TimeoutError, OSError) as exc:
            raise BackendUnavailable(f"database unavailable: {type(exc).__name__}") from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise BackendUnavailable("database connection lost") from exc
            raise

    # --- actions: at most once per key, their mail queued with them -------------------------------

    async def _once(self, action: Action[Any] | None, work: Callable[[], Awaitable[T]]) -> T:
        """Runs a keyed write; when another worker recorded the same key first (the unique key refuses
        this one's transaction), runs it again, and so finds and returns that first outcome."""
        try:
            return await work()
        except IntegrityError:
            if action is None or action.key is None:
                raise
            return await work()

    @staticmethod
    async def _first_outcome(conn: AsyncConnection, action: Action[Any] | None, kind: str) -> str | None:
        """What the action of this key did the first time, if it was done before."""
        if action is None or action.key is None:
            return None
        outcome = await conn.scalar(
            select(action_keys.c.outcome).where(action_keys.c.key == action.key, action_keys.c.kind == kind)
        )
        return str(outcome) if outcome is not None else None

    async def _record_action(
        self,
        conn: AsyncConnection,
        action: Action[T] | None,
        kind: str,
        *,
        outcome: str,
        result: T,
        actor: str | None,
    ) -> list[int]:
        """In the write's own transaction: the key with its outcome, and the action's mail queued.

        A mail that cannot be built raises here, and the whole write is rolled back with it."""
        if action is None:
            return []
        if action.key is not None:
            await conn.execute(
                insert(action_keys).values(
                    key=action.key, kind=kind, outcome=outcome[:255], actor=actor, created_at=self._now()
                )
            )
        mails = action.mails(result)
        if not mails:
            return []
        if self._outbox is None:
            raise MailUnavailable("this back end has no mail queue for an action's mail")
        return await self._outbox.queue_in(conn, mails)

    async def _committed(self, mail_ids: Sequence[int]) -> None:
        """After the commit: the action's mail is handed to delivery."""
        crash_point("action.committed")
        if mail_ids and self._outbox is not None:
            await self._outbox.queued(mail_ids)

    @staticmethod
    async def _site_ids(conn: AsyncConnection, tenant: Tenant, name: str) -> list[int]:
        """Ids of the company's sites called ``name``, compared case-insensitively in Python.

        SQLite's ``lower()`` only folds ASCII, so "GÖTEBORG" would miss "Göteborg" in SQL; a company
        has a handful of sites, so reading them is cheaper than a functional index.
        """
        wanted = name.strip().casefold()
        rows = await conn.execute(select(sites.c.id, sites.c.name).where(tenant.owns(sites)))
        return [row.id for row in rows if row.name.casefold() == wanted]
