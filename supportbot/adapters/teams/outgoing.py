"""Calls to the Bot Framework connector: retried when the service asks for it, and paced per conversation.

botbuilder sends each activity once; a 429 (throttled), 412 (precondition, Teams' transient
conflict) or 502/504 from the connector would lose the reply. ``with_retries`` repeats such a call
with exponential backoff, waits at least what ``Retry-After`` asks, and gives up after a bound on the
total time. ``ConversationPacer`` keeps under Teams' per-conversation limits (about 7 messages a
second, 60 in 30 seconds) by waiting rather than being throttled. Both know nothing of botbuilder's
types: an error is retried when it carries a ``response`` with one of the statuses.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_STATUSES = frozenset({412, 429, 502, 504})

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    """Calls in all, the first one included."""
    base_delay: float = 0.5
    max_delay: float = 10.0
    total: float = 30.0
    """No retry starts once this many seconds have passed since the first call."""


def _status_and_headers(exc: BaseException) -> tuple[int | None, Any]:
    response = getattr(exc, "response", None)
    if response is None:
        return None, None
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return (status if isinstance(status, int) else None), getattr(response, "headers", None)


def retry_after(headers: Any, *, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or an HTTP date), or ``None``."""
    if headers is None:
        return None
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not value:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Sleep = asyncio.sleep,
    clock: Clock = time.monotonic,
    what: str = "connector call",
) -> T:
    """``call()``, repeated while it fails with a retryable status and the policy allows."""
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except Exception as exc:
            status, headers = _status_and_headers(exc)
            if status not in RETRY_STATUSES or attempt >= policy.attempts:
                raise
            backoff = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
            backoff *= 1 + random.random() * 0.2  # noqa: S311 (jitter, not a secret)
            asked = retry_after(headers)
            delay = max(backoff, asked) if asked is not None else backoff
            if clock() - started + delay > policy.total:
                log.warning("%s: %s, giving up after %d attempts", what, status, attempt)
                raise
            log.info("%s: %s, retrying in %.1f s (attempt %d)", what, status, delay, attempt + 1)
            await sleep(delay)


class ConversationPacer:
    """Waits so that no conversation gets more than the channel's limits (sliding windows, per process)."""

    def __init__(
        self,
        limits: tuple[tuple[int, float], ...] = ((7, 1.0), (60, 30.0)),
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._limits = limits
        self._window = max(seconds for _, seconds in limits)
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {}

    async def wait(self, conversation_id: str) -> None:
        """Returns when one more message may go to the conversation, and counts it as sent."""
        while True:
            now = self._clock()
            sent = self._sent.setdefault(conversation_id, deque())
            while sent and now - sent[0] >= self._window:
                sent.popleft()
            delay = 0.0
            for count, seconds in self._limits:
                recent = [at for at in sent if now - at < seconds]
                if len(recent) >= count:
                    delay = max(delay, recent[-count] + seconds - now)
            if delay <= 0:
                sent.append(now)
                self._forget_idle(now)
                return
            await self._sleep(delay)

    def _forget_idle(self, now: float) -> None:
        if len(self._sent) > 10_000:
            for key in [k for k, v in self._sent.items() if not v or now - v[-1] >= self._window]:
                del self._sent[key]
