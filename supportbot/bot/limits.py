"""Rate limits that every worker shares: sign-in attempts, registrations, reset mails, uploads and web
chat messages, counted in the database (the store's ``SqlLimits``), or in Redis when several workers share
one (``bot.redis.RedisLimits``).

A rule allows at most ``limit`` events of one key in ``window`` seconds; a refused event is not counted.
In the database events are counted in slots of a tenth of the window, so "the last window" is the last
ten slots: a window may hold up to a slot's worth of events more than the strict sliding window would,
which is what Redis keeps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from supportbot.bot.errors import SupportbotError
from supportbot.integrations.errors import BackendUnavailable

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


class LimitsUnavailable(SupportbotError, BackendUnavailable):
    """The limits could not be counted or read: where they are kept is out of reach. Each caller
    decides whether that refuses the event (the web chat's messages and sign-ins: their turn or their
    check needs the same service) or lets it pass."""


class Limits(Protocol):
    async def hit(self, *rules: Rule) -> bool:
        """Count one event under every rule, unless one of them is full: then none is counted.
        ``BackendUnavailable`` (``LimitsUnavailable``, or the store's ``Unavailable``) when the
        counts cannot be reached."""
        ...

    async def full(self, rule: Rule) -> bool:
        """Whether the next event would be refused (nothing is counted)."""
        ...

    async def seen(self, rule: Rule) -> bool:
        """Whether the key has any event in its window."""
        ...


def slot_seconds(window: float) -> int:
    """How long one slot of a rule's window is, in whole seconds."""
    return max(1, math.ceil(window / SLOTS))
