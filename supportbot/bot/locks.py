"""One lock per conversation, so two messages of one conversation are handled strictly in order.

``KeyedLocks`` orders the turns of one process. Several workers share ``bot.redis.RedisLocks``
instead (a lock in Redis, held by one worker at a time), behind the same ``ConversationLocks``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
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
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
