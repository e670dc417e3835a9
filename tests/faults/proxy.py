"""A TCP proxy for fault tests: put between a server process and its database, it passes bytes both
ways until told to ``cut``, and again after ``heal``. It runs its own event loop on a thread, so it
keeps passing bytes while the test blocks (starting a server, say).

A cut is one of two faults:

- ``cut()``: the database host went away. Every connection through the proxy is reset at once, and
  each new one is reset the moment it arrives.
- ``cut(silent=True)``: the network between them went quiet (a partition). Nothing is reset and
  nothing arrives: bytes sent on open connections are held, and new connections are accepted and
  then never answered. On ``heal`` the held bytes go on (as TCP's retransmissions would deliver
  them) and the connections opened during the cut are reset (their callers have given up).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")

CHUNK = 64 * 1024


class TcpProxy:
    """Listens on ``127.0.0.1:port`` and forwards to ``target``; ``cut`` and ``heal`` switch it."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.cut_off = False
        self.silent = False
        self.accepted = 0
        """Connections accepted and forwarded (refused ones not counted)."""
        self.refused = 0
        """Connections reset at once during a cut."""
        self._links: set[asyncio.StreamWriter] = set()
        self._held: set[asyncio.StreamWriter] = set()
        self._flowing: asyncio.Event | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None

    def start(self) -> TcpProxy:
        self._thread.start()
        self._flowing = self._call(_set_event())
        self._server = self._call(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def cut(self, *, silent: bool = False) -> None:
        """Until ``heal``: every connection reset now and every new one as it arrives, or, ``silent``,
        nothing passed on and nothing answered."""

        async def cut() -> None:
            assert self._flowing is not None
            self.cut_off, self.silent = True, silent
            if silent:
                self._flowing.clear()
                return
            for writer in list(self._links):
                _reset(writer)
            self._links.clear()

        self._call(cut())

    def heal(self) -> None:
        async def heal() -> None:
            assert self._flowing is not None
            self.cut_off = self.silent = False
            for writer in list(self._held):
                _reset(writer)
            self._held.clear()
            self._flowing.set()

        self._call(heal())

    def stop(self) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._links):
                _reset(writer)

        self._call(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.cut_off:
            self.refused += 1
            if self.silent:
                self._held.add(writer)  # accepted, never answered; reset on heal
            else:
                _reset(writer)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        if self.cut_off:  # cut while connecting
            _reset(writer)
            _reset(upstream_writer)
            return
        self.accepted += 1
        self._links.update((writer, upstream_writer))
        await asyncio.gather(self._pump(reader, upstream_writer), self._pump(upstream_reader, writer))
        for end in (writer, upstream_writer):
            self._links.discard(end)
            _reset(end)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copies until either side ends (the other side is then reset too); holds bytes while silent."""
        assert self._flowing is not None
        with suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(CHUNK):
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        _reset(writer)


async def _set_event() -> asyncio.Event:
    """An event made on the proxy's own loop, set."""
    event = asyncio.Event()
    event.set()
    return event


def _reset(writer: asyncio.StreamWriter) -> None:
    """Drops the connection without a goodbye (a reset, not an orderly close)."""
    transport = writer.transport
    if not transport.is_closing():
        transport.abort()


@contextmanager
def proxied_redis() -> Iterator[TcpProxy]:
    """A proxy in front of the test Redis, for a server's client to be cut off by (a visible skip when
    Redis does not answer)."""
    from tests.scale.conftest import redis_or_skip

    url = redis_or_skip()
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    running = TcpProxy(host, int(port)).start()
    try:
        yield running
    finally:
        running.stop()
