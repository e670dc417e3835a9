"""Rate limits counted in the database: the ``Limits`` of ``bot.limits`` on the ``rate_counts`` table."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from sqlalchemy import Integer, bindparam, func, literal_column, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.base import Executable

from supportbot.bot.limits import PRUNE_EVERY, SLOTS, Rule, slot_seconds
from supportbot.bot.store.writer import Statement
from supportbot.integrations.sql.hot import read
from supportbot.integrations.sql.state import rate_counts

log = logging.getLogger(__name__)

Write = Callable[[list[Statement]], Awaitable[None]]


def _others(rules: int) -> Executable:
    """The other workers' events of ``rules`` rules, by the rule's place: ``key{i}`` since ``since{i}``."""
    parts = [
        select(literal_column(str(i), Integer), func.sum(rate_counts.c.count)).where(
            rate_counts.c.key == bindparam(f"key{i}"),
            rate_counts.c.slot > bindparam(f"since{i}"),
            rate_counts.c.worker != bindparam("worker"),
        )
        for i in range(rules)
    ]
    return parts[0] if rules == 1 else union_all(*parts)


LOOK_AROUND = 1.0
"""Seconds between two looks for another worker's counts, while there were none."""


_ANYONE_ELSE: Final = (
    select(literal_column("1", Integer))
    .where(rate_counts.c.expires >= bindparam("now"), rate_counts.c.worker != bindparam("worker"))
    .limit(1)
)
"""Whether another worker has a live row: a slot still in some window (``expires``)."""


class SqlLimits:
    """Counts in the ``rate_counts`` table.

    Each worker counts its own events exactly, in memory, and writes them behind into rows of its own,
    in the store's shared transactions (``write``), so a chat turn waits for no write. A ``hit`` adds
    to its own count what the other workers' rows say (an indexed range of a few rows): one worker is
    never over a limit, and sees the others' events once they are committed.

    Several workers share limits through Redis (``bot.redis.RedisLimits``); here the others are
    usually this worker's own earlier runs, before a restart. So while no other worker's row is live,
    a hit reads none: once a second at most (``LOOK_AROUND``) one statement looks whether another
    worker has counted anything since, and from then on every hit reads their rows again. A worker
    that starts counting beside this one is seen within that second.
    """

    def __init__(
        self, engine: AsyncEngine, *, write: Write | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._engine = engine
        self._write = write or self._own_transaction
        self.clock = clock
        self.worker = secrets.token_hex(8)
        self._pruned = 0.0
        self._mine: dict[tuple[str, int], tuple[int, int]] = {}
        """(key, slot) → (events counted by this worker, when the slot leaves every window)."""
        self._writing: set[asyncio.Task[None]] = set()
        self._looked = -LOOK_AROUND
        """When this worker last looked for the others' rows (``clock``) …"""
        self._alone = False
        """… and whether it found none."""
        self._others: dict[int, Executable] = {}
        """Statements counting the other workers' events of 1, 2, … rules at once, built once each."""
        insert: Any = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        add = insert(rate_counts)
        self._add = add.on_conflict_do_update(
            index_elements=[rate_counts.c.key, rate_counts.c.slot, rate_counts.c.worker],
            set_={"count": rate_counts.c.count + add.excluded.count},
        )
        self._unwritten: dict[tuple[str, int], dict[str, Any]] = {}
        """Events counted but not yet handed to ``write``, a row per (key, slot) with their number …"""
        self._behind: asyncio.Task[None] | None = None
        """… and the task that will hand them over, until it starts."""

    def _params(self, rule: Rule, now: float) -> dict[str, Any]:
        length = slot_seconds(rule.window)
        slot = int(now) // length * length
        return {
            "key": rule.key[:255],
            "slot": slot,
            "worker": self.worker,
            "count": 1,
            "since": slot - length * SLOTS,
            "expires": slot + length * (SLOTS + 1),
        }

    async def hit(self, *rules: Rule) -> bool:
        now = self.clock()
        params = [self._params(rule, now) for rule in rules]
        others = await self._counted_elsewhere(params)
        # From here to the count nothing waits, so no other event of this worker slips in between.
        if any(n + self._counted_here(p) >= r.limit for r, p, n in zip(rules, params, others, strict=True)):
            return False
        for p in params:
            events, expires = self._mine.get((p["key"], p["slot"]), (0, p["expires"]))
            self._mine[p["key"], p["slot"]] = (events + 1, expires)
        if self._behind is None or self._behind.cancelled():  # one write takes all the events until it runs
            task = self._behind = asyncio.get_running_loop().create_task(
                self._write_behind(now), name="limits"
            )
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)
        unwritten = self._unwritten
        for p in params:
            row = unwritten.get((p["key"], p["slot"]))
            if row is None:
                unwritten[p["key"], p["slot"]] = {
                    name: p[name] for name in ("key", "slot", "worker", "count", "expires")
                }
            else:
                row["count"] += 1
        return True

    async def _write_behind(self, now: float) -> None:
        """Writes the events counted until this task runs (those of every hit meanwhile), a row per
        key and slot with their number."""
        self._behind = None
        rows, self._unwritten = list(self._unwritten.values()), {}
        await self._count(rows, now)

    async def full(self, rule: Rule) -> bool:
        return await self._events(rule) >= rule.limit

    async def seen(self, rule: Rule) -> bool:
        return await self._events(rule) > 0

    async def settled(self) -> None:
        """Waits until every event counted so far is committed."""
        while self._writing:
            await asyncio.gather(*self._writing, return_exceptions=True)

    async def _events(self, rule: Rule) -> int:
        params = self._params(rule, self.clock())
        return (await self._counted_elsewhere([params]))[0] + self._counted_here(params)

    def _counted_here(self, params: dict[str, Any]) -> int:
        key, since = params["key"], params["since"]
        slot, length = params["slot"], (params["slot"] - since) // SLOTS
        return sum(self._mine.get((key, s), (0, 0))[0] for s in range(slot, since, -length))

    async def _counted_elsewhere(self, params: list[dict[str, Any]]) -> list[int]:
        """The other workers' events in each rule's window: one statement for all the rules (an
        indexed range of a few rows per key)."""
        now = self.clock()
        if not 0 <= now - self._looked < LOOK_AROUND:  # (a clock set back looks again too)
            self._looked = now  # one look at a time: the hits meanwhile go by the last one
            found = await read(self._engine, _ANYONE_ELSE, {"worker": self.worker, "now": int(now)})
            self._alone = not found
        if self._alone:
            return [0] * len(params)
        statement = self._others.get(len(params))
        if statement is None:
            statement = self._others[len(params)] = _others(len(params))
        values: dict[str, Any] = {"worker": self.worker}
        for i, p in enumerate(params):
            values[f"key{i}"], values[f"since{i}"] = p["key"], p["since"]
        counted = {int(i): int(n or 0) for i, n in await read(self._engine, statement, values)}
        return [counted.get(i, 0) for i in range(len(params))]

    async def _count(self, rows: list[dict[str, Any]], now: float) -> None:
        statements: list[Statement] = [(self._add, rows)]
        if now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
            statements.append((rate_counts.delete().where(rate_counts.c.expires < int(now)), None))
            self._mine = {slot: counted for slot, counted in self._mine.items() if counted[1] >= now}
        try:
            await self._write(statements)
        except Exception:  # this worker still counts it; the others may let one more through
            log.warning("limits: could not write an event down", exc_info=True)

    async def _own_transaction(self, statements: list[Statement]) -> None:
        async with self._engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)
