"""One lock per conversation, so two messages of one conversation are handled strictly in order.

``KeyedLocks`` orders the turns of one process. Several workers share ``bot.redis.RedisLocks``
instead (a lock in Redis, held by one worker at a time), behind the same ``ConversationLocks``.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from supportbot.bot.errors import SupportbotError
from supportbot.integrations.errors import BackendUnavailable


class LockUnavailable(SupportbotError, BackendUnavailable):
    """A conversation's lock could not be had (its holder kept it too long, or the lock service is
    unreachable): the turn is not handled rather than handled without it. A ``BackendUnavailable``, so
    the channel apologises as for a database that is out of reach: nothing of the message was stored,
    and the same message sent again later is answered then, once."""


class ConversationLocks(Protocol):
    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Holds ``key``'s lock for the block; waits while another turn holds it."""
        ...


class KeyedLocks:
    """In-process locks keyed by conversation; an entry lives only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, _Held] = {}

    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        held = self._locks.get(key)
        if held is None:
            held = self._locks[key] = _Held(self._locks, key)
        held.users += 1
        return held

    def __len__(self) -> int:
        return len(self._locks)


class _Held:
    """One key's lock and how many hold or wait for it (a plain context manager: a turn takes one,
    and a generator-based one cost it a generator and two extra frames)."""

    __slots__ = ("key", "lock", "locks", "users")

    def __init__(self, locks: dict[str, _Held], key: str) -> None:
        self.locks = locks
        self.key = key
        self.lock = asyncio.Lock()
        self.users = 0
        """Taken when ``hold`` is called, so an entry is dropped only when nobody holds or waits."""

    async def __aenter__(self) -> None:
        try:
            await self.lock.acquire()
        except BaseException:
            self._leave()
            raise

    async def __aexit__(self, *_: object) -> None:
        self.lock.release()
        self._leave()

    def _leave(self) -> None:
        self.users -= 1
        if self.users == 0:
            del self.locks[self.key]
