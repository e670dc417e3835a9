"""Rate limits that every worker shares: sign-in attempts, registrations, reset mails, uploads and web
chat messages, counted in the database (Redis can take ``Limits`` over later).

A rule allows at most ``limit`` events of one key in ``window`` seconds. Events are counted in slots
of a tenth of the window, so "the last window" is the last ten slots: a window may hold up to a slot's
worth of events more than the strict sliding window would. A refused event is not counted.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import BigInteger, Integer, String, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store import rate_counts

log = logging.getLogger(__name__)

SLOTS = 10
"""Slots per window."""
PRUNE_EVERY = 60.0
"""Seconds between deletions of slots that have left every window."""


@dataclass(frozen=True)
class Rule:
    key: str
    """What is counted: ``"signin:user:anna@..."``, ``"chat:session:..."``; a key has one window."""
    limit: int
    window: float
    """Seconds."""


class Limits(Protocol):
    async def hit(self, *rules: Rule) -> bool:
        """Count one event under every rule, unless one of them is full: then none is counted."""
        ...

    async def full(self, rule: Rule) -> bool:
        """Whether the next event would be refused (nothing is counted)."""
        ...

    async def seen(self, rule: Rule) -> bool:
        """Whether the key has any event in its window."""
        ...


class _Refused(Exception):
    """Rolls back the events counted under the other rules of a refused ``hit``."""


def _slot_seconds(window: float) -> int:
    return max(1, math.ceil(window / SLOTS))


class SqlLimits:
    """Counts in the ``rate_counts`` table: a ``hit`` is one statement per rule, in one transaction."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self.clock = clock
        self._pruned = 0.0
        insert: Any = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        window_sum = (
            select(func.coalesce(func.sum(rate_counts.c.count), 0))
            .where(rate_counts.c.key == bindparam("key"), rate_counts.c.slot > bindparam("since"))
            .scalar_subquery()
        )
        self._sum = select(window_sum)
        # One statement: the event goes in (a new slot, or one more in it) only while the window's
        # sum is under the limit; nothing comes back when it is not.
        self._count = (
            insert(rate_counts)
            .from_select(
                ["key", "slot", "count", "expires"],
                select(
                    bindparam("key", type_=String),
                    bindparam("slot", type_=BigInteger),
                    bindparam("one", type_=Integer),
                    bindparam("expires", type_=BigInteger),
                ).where(window_sum < bindparam("limit", type_=Integer)),
            )
            .on_conflict_do_update(
                index_elements=[rate_counts.c.key, rate_counts.c.slot],
                set_={"count": rate_counts.c.count + 1},
            )
            .returning(rate_counts.c.count)
        )

    def _params(self, rule: Rule, now: float) -> dict[str, Any]:
        length = _slot_seconds(rule.window)
        slot = int(now) // length * length
        return {
            "key": rule.key[:255],
            "slot": slot,
            "one": 1,
            "since": slot - length * SLOTS,
            "expires": slot + length * (SLOTS + 1),
            "limit": rule.limit,
        }

    async def hit(self, *rules: Rule) -> bool:
        now = self.clock()
        try:
            async with self._engine.begin() as conn:
                for rule in rules:
                    counted = (await conn.execute(self._count, self._params(rule, now))).first()
                    if counted is None:
                        raise _Refused
        except _Refused:
            return False
        if now - self._pruned >= PRUNE_EVERY:
            await self._prune(now)
        return True

    async def full(self, rule: Rule) -> bool:
        return await self._events(rule) >= rule.limit

    async def seen(self, rule: Rule) -> bool:
        return await self._events(rule) > 0

    async def _events(self, rule: Rule) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(self._sum, self._params(rule, self.clock()))).scalar() or 0)

    async def _prune(self, now: float) -> None:
        self._pruned = now
        try:
            async with self._engine.begin() as conn:
                await conn.execute(rate_counts.delete().where(rate_counts.c.expires < int(now)))
        except Exception:  # the next prune tries again; counting goes on meanwhile
            log.warning("limits: could not delete old counts", exc_info=True)
