"""Work done after an answer has gone out (a mail prepared, an account made), kept track of so that
shutdown and tests can wait for it; and work done on an interval (``Periodic``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import suppress
from typing import Any

log = logging.getLogger(__name__)


class Background:
    def __init__(self, name: str) -> None:
        self._name = name
        self._tasks: set[asyncio.Task[None]] = set()

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Runs ``work`` on the loop; the caller does not wait for it."""
        task = asyncio.get_running_loop().create_task(work, name=self._name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settled(self) -> None:
        """Waits until nothing is left running, including work started meanwhile."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class Periodic:
    """Work done again and again on an interval (a pass over contract notices), first shortly after
    start. A pass that fails is logged and the next one comes at the next interval: a back end that is
    down never stops the server. ``stop`` lets a pass under way finish (for a while), then ends."""

    def __init__(
        self,
        name: str,
        work: Callable[[], Awaitable[object]],
        *,
        every: float,
        first: float = 5.0,
    ) -> None:
        if every <= 0:
            raise ValueError("the interval must be above zero seconds")
        self._name = name
        self._work = work
        self._every = every
        self._first = first
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.passes = 0
        """Passes finished (or failed), for tests and logs."""

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    async def stop(self, *, timeout: float = 10.0) -> None:
        """Ends the runs: a pass under way may finish within ``timeout``, else it is cancelled (what it
        left half done is for the next pass, after a restart, to finish)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("%s: a pass was still running at shutdown; the next one finishes it", self._name)
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        wait = self._first
        while not await self._stopped_within(wait):
            try:
                await self._work()
            except Exception:
                log.exception("%s: the pass failed; trying again in %g seconds", self._name, self._every)
            self.passes += 1
            wait = self._every

    async def _stopped_within(self, seconds: float) -> bool:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        return self._stopping.is_set()
