"""Rate limits counted in the database: the ``Limits`` of ``bot.limits`` on the ``rate_counts`` table."""

from __future__ import annotations

import asyncio
import contextlib
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


WRITE_EVERY = 1.0
"""Seconds between two writes of a worker's counts: the events meanwhile go in one row per key and
slot, so a busy worker writes a key's events once a second rather than with every turn."""
LOOK_AROUND = 1.0
"""Seconds between two looks for the keys other workers count."""
KEYS_ELSEWHERE = 1000
"""Keys with another worker's live rows the look lists at most; beyond that (busy workers beside this
one), every hit reads the others' counts of its keys."""


_ELSEWHERE: Final = (
    select(rate_counts.c.key)
    .where(rate_counts.c.expires >= bindparam("now"), rate_counts.c.worker != bindparam("worker"))
    .distinct()
    .limit(bindparam("many"))
)
"""The keys another worker has a live row of: a slot still in some window (``expires``)."""


class SqlLimits:
    """Counts in the ``rate_counts`` table.

    Each worker counts its own events exactly, in memory, and writes them behind into rows of its own,
    in the store's shared transactions (``write``), so a chat turn waits for no write: at most once a
    second (``WRITE_EVERY``), a row per key and slot with the number of its events. A ``hit`` adds
    to its own count what the other workers' rows say (an indexed range of a few rows): one worker is
    never over a limit, and sees the others' events once they are committed, a second after they
    came at most. A worker killed outright loses the events of its last second; one that stops
    writes them first (``settled``).

    Several workers share limits through Redis (``bot.redis.RedisLimits``); here the others are
    usually this worker's own earlier runs, before a restart. So a hit reads the others' rows only
    of a key they have live rows of: once a second at most (``LOOK_AROUND``) one statement lists
    those keys (up to ``KEYS_ELSEWHERE``; beyond, every hit reads its keys' rows), and a hit of other
    keys reads nothing. Rows left by earlier runs of other keys (a sign-in's, another session's)
    cost nothing per hit, and the expired ones are deleted at the first write and every minute
    after (``PRUNE_EVERY``). A worker that starts counting beside this one is seen within that second.
    """

    def __init__(
        self, engine: AsyncEngine, *, write: Write | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._engine = engine
        self._write = write or self._own_transaction
        self.clock = clock
        self.worker = secrets.token_hex(8)
        self._pruned = 0.0
        self._mine: dict[str, _Counted] = {}
        """Per key, the events counted by this worker."""
        self._writing: set[asyncio.Task[None]] = set()
        self._looked = -LOOK_AROUND
        """When this worker last looked for the others' keys (``clock``) …"""
        self._elsewhere: frozenset[str] | None = None
        """… and those it found (``None``: too many to list, or not looked yet: read every key's)."""
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
        """… and the task that will hand them over, until it starts …"""
        self._wrote = -WRITE_EVERY
        """… the event loop's time when the last one started …"""
        self._hurry = asyncio.Event()
        """… and, set, that the one waiting should not wait (``settled``)."""

    async def hit(self, *rules: Rule) -> bool:
        now = self.clock()
        keys: list[str] = []
        lengths: list[int] = []
        slots: list[int] = []
        for rule in rules:
            key = rule.key[:255]
            length = slot_seconds(rule.window)
            keys.append(key)
            lengths.append(length)
            slots.append(int(now) // length * length)
        others: list[int] | None = None
        elsewhere = self._elsewhere
        if (  # else no statement: the usual
            elsewhere is None
            or not 0 <= now - self._looked < LOOK_AROUND
            or any(key in elsewhere for key in keys)
        ):
            windows = [(k, s - n * SLOTS) for k, n, s in zip(keys, lengths, slots, strict=True)]
            others = await self._counted_elsewhere(windows)
        # From here to the count nothing waits, so no other event of this worker slips in between
        # (and no write's pruning drops a key's events, as it could while the read was awaited).
        mine = self._mine
        counted: list[_Counted] = []
        for key, length in zip(keys, lengths, strict=True):
            here = mine.get(key)
            if here is None or here.length != length:
                here = mine[key] = _Counted(length)
            counted.append(here)
        for i, rule in enumerate(rules):
            if counted[i].window(slots[i]) + (others[i] if others is not None else 0) >= rule.limit:
                return False
        if self._behind is None or self._behind.cancelled():  # one write takes all the events until it runs
            loop = asyncio.get_running_loop()
            wait = self._wrote + WRITE_EVERY - loop.time()
            task = self._behind = loop.create_task(self._write_behind(now, wait), name="limits")
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)
        unwritten = self._unwritten
        for key, here, slot in zip(keys, counted, slots, strict=True):
            here.add(slot)
            row = unwritten.get((key, slot))
            if row is None:
                expires = slot + here.length * (SLOTS + 1)
                unwritten[key, slot] = {
                    "key": key,
                    "slot": slot,
                    "worker": self.worker,
                    "count": 1,
                    "expires": expires,
                }
            else:
                row["count"] += 1
        return True

    async def _write_behind(self, now: float, wait: float) -> None:
        """Writes the events counted until this task runs (those of every hit meanwhile, ``wait``
        seconds at most), a row per key and slot with their number."""
        if wait > 0.0 and not self._hurry.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._hurry.wait(), wait)
        self._behind = None
        self._wrote = asyncio.get_running_loop().time()
        rows, self._unwritten = list(self._unwritten.values()), {}
        await self._count(rows, now)

    async def full(self, rule: Rule) -> bool:
        return await self._events(rule) >= rule.limit

    async def seen(self, rule: Rule) -> bool:
        return await self._events(rule) > 0

    async def settled(self) -> None:
        """Writes every event counted so far now, and waits until they are committed."""
        self._hurry.set()
        try:
            while self._writing:
                await asyncio.gather(*self._writing, return_exceptions=True)
        finally:
            self._hurry.clear()

    async def _events(self, rule: Rule) -> int:
        key, length = rule.key[:255], slot_seconds(rule.window)
        slot = int(self.clock()) // length * length
        here = self._mine.get(key)
        own = here.window(slot) if here is not None and here.length == length else 0
        return (await self._counted_elsewhere([(key, slot - length * SLOTS)]))[0] + own

    async def _counted_elsewhere(self, windows: list[tuple[str, int]]) -> list[int]:
        """The other workers' events in each rule's window (its key, and the slot its window starts
        after): one statement for the keys they count (an indexed range of a few rows per key), none
        when they count none of them."""
        now = self.clock()
        if not 0 <= now - self._looked < LOOK_AROUND:  # (a clock set back looks again too)
            self._looked = now  # one look at a time: the hits meanwhile go by the last one
            found = await read(
                self._engine, _ELSEWHERE, {"worker": self.worker, "now": int(now), "many": KEYS_ELSEWHERE + 1}
            )
            self._elsewhere = None if len(found) > KEYS_ELSEWHERE else frozenset(key for (key,) in found)
        elsewhere = self._elsewhere
        wanted = [i for i, (key, _) in enumerate(windows) if elsewhere is None or key in elsewhere]
        counts = [0] * len(windows)
        if not wanted:
            return counts
        statement = self._others.get(len(wanted))
        if statement is None:
            statement = self._others[len(wanted)] = _others(len(wanted))
        values: dict[str, Any] = {"worker": self.worker}
        for n, i in enumerate(wanted):
            values[f"key{n}"], values[f"since{n}"] = windows[i]
        for n, events in await read(self._engine, statement, values):
            counts[wanted[int(n)]] = int(events or 0)
        return counts

    async def _count(self, rows: list[dict[str, Any]], now: float) -> None:
        statements: list[Statement] = [(self._add, rows)]
        if now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
            statements.append((rate_counts.delete().where(rate_counts.c.expires < int(now)), None))
            for key, here in list(self._mine.items()):
                if not here.prune(now):
                    del self._mine[key]
        try:
            await self._write(statements)
        except Exception:  # this worker still counts it; the others may let one more through
            log.warning("limits: could not write an event down", exc_info=True)

    async def _own_transaction(self, statements: list[Statement]) -> None:
        async with self._engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)


class _Counted:
    """One key's events counted by this worker, per slot, and their number in the window of the slot
    last asked about: a hit in the same slot as the one before adds one rather than sum the window."""

    __slots__ = ("at", "length", "slots", "total")

    def __init__(self, length: int) -> None:
        self.length = length
        """The key's slot, in seconds (``slot_seconds``: a key has one window)."""
        self.slots: dict[int, int] = {}
        """Slot → events."""
        self.at: int | None = None
        """The slot whose window ``total`` counts."""
        self.total = 0

    def window(self, slot: int) -> int:
        """The events in the window ending with ``slot``."""
        if self.at != slot:
            since = slot - self.length * SLOTS
            self.total = sum(n for s, n in self.slots.items() if since < s <= slot)
            self.at = slot
        return self.total

    def add(self, slot: int) -> None:
        """One event in ``slot``, the slot ``window`` was just asked about."""
        self.slots[slot] = self.slots.get(slot, 0) + 1
        if self.at == slot:
            self.total += 1
        else:
            self.at = None

    def prune(self, now: float) -> bool:
        """Drops the slots that left every window by ``now``; whether any remain."""
        gone = [s for s in self.slots if s + self.length * (SLOTS + 1) < now]
        for s in gone:
            del self.slots[s]
        if gone:
            self.at = None
        return bool(self.slots)
