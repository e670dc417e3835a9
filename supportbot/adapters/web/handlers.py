"""The handlers both web doors serve the same way: their page, their static files, and the frames they
send down a browser's WebSocket."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from pydantic_core import PydanticSerializationError, to_json

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def page(path: Path, *, policy: str) -> Handler:
    """A door's HTML page: its own content security policy, never in a frame, checked on every visit."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(
            path,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Cache-Control": "no-cache",
                "Content-Security-Policy": policy,
                "X-Frame-Options": "DENY",
            },
        )

    return handler


def asset(path: Path, content_type: str, *, headers: dict[str, str] | None = None) -> Handler:
    """A door's script, style sheet or picture, checked on every visit (a new release shows at once)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(
            path,
            headers={
                "Content-Type": f"{content_type}; charset=utf-8",
                "Cache-Control": "no-cache",
                **(headers or {}),
            },
        )

    return handler


def encode_frame(frame: dict[str, Any]) -> bytes:
    """A frame as the UTF-8 JSON text it goes out as, compact and unescaped: pydantic's encoder takes
    a third of the standard library's time for a reply frame (a card, buttons: about 4 µs against 11).
    A text it cannot encode (a lone surrogate, which JSON can still escape) goes out as the standard
    library writes it, all ASCII."""
    try:
        return to_json(frame)
    except PydanticSerializationError:
        return json.dumps(frame).encode()


class FrameSocket:
    """A browser's WebSocket at a door: frames go out one at a time, so two tasks never interleave
    one, and a frame for a client that has gone is dropped (whatever it needs comes back on its
    reconnect)."""

    def __init__(self, ws: web.WebSocketResponse, *, who: str) -> None:
        self.ws = ws
        self._who = who
        self._send_lock = asyncio.Lock()

    async def send(self, frame: dict[str, Any]) -> None:
        async with self._send_lock:
            if self.ws.closed:
                return
            try:
                await self.ws.send_frame(encode_frame(frame), WSMsgType.TEXT)
            except ConnectionError:
                log.debug("%s went away before a frame was sent", self._who)
