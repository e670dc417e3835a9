"""Sliding-window rate limits, kept in memory: per WebSocket connection, and for sign-in attempts."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    """At most ``limit`` events in any ``window`` seconds; a refused event is not counted."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: deque[float] = deque()

    def full(self) -> bool:
        """Whether the next event would be refused (nothing is counted)."""
        now = self._clock()
        while self._events and now - self._events[0] >= self.window:
            self._events.popleft()
        return len(self._events) >= self.limit

    def allow(self) -> bool:
        if self.full():
            return False
        self._events.append(self._clock())
        return True

    def idle(self) -> bool:
        now = self._clock()
        return not self._events or now - self._events[-1] >= self.window


class KeyedWindows:
    """One ``SlidingWindow`` per key (say, per user ID at sign-in), pruned so it cannot grow without end."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._max_keys = max_keys
        self._windows: dict[str, SlidingWindow] = {}

    def allow(self, key: str) -> bool:
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= self._max_keys:
                self._prune()
            window = self._windows[key] = SlidingWindow(self._limit, self._window, clock=self._clock)
        return window.allow()

    def blocked(self, key: str) -> bool:
        """Whether the next event for ``key`` would be refused, without counting one."""
        window = self._windows.get(key)
        return window is not None and window.full()

    def seen(self, key: str) -> bool:
        """Whether ``key`` has any event in the current window."""
        window = self._windows.get(key)
        return window is not None and not window.idle()

    def _prune(self) -> None:
        self._windows = {k: w for k, w in self._windows.items() if not w.idle()}
        if len(self._windows) >= self._max_keys:
            self._windows.clear()
