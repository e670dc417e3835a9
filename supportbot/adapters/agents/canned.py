"""Canned replies over HTTP: every signed-in agent reads them, only support administrators manage them.

``GET /agents/api/canned`` lists them (``?language=sv`` for one language); ``POST`` adds one,
``PUT /agents/api/canned/<id>`` changes it, ``DELETE`` removes it. Writes are same-site JSON only; an
agent who is not a support administrator gets 403, anyone not signed in to the console 401 (a
customer's web chat cookie opens nothing here). Every change reaches the open consoles on the bus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from supportbot.adapters.agents.console import CANNED_TOPIC
from supportbot.adapters.web.security import NO_STORE, WebDoor, json_response
from supportbot.bot.bus import MessageBus
from supportbot.bot.i18n import LANGUAGES
from supportbot.bot.store import CannedReplies, Conflict
from supportbot.integrations.models import Principal

SHORTCUT = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
TITLE_CHARS = 120
TEXT_CHARS = 4000
BODY_BYTES = 32 * 1024


@dataclass(frozen=True)
class CannedFields:
    language: str
    shortcut: str
    title: str
    text: str


def parse_fields(body: bytes) -> CannedFields | None:
    """A canned reply as given, or ``None`` for anything but the documented shape within its limits."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    language, shortcut, title, text = (data.get(name) for name in ("language", "shortcut", "title", "text"))
    if not all(isinstance(value, str) for value in (language, shortcut, title, text)):
        return None
    assert isinstance(language, str) and isinstance(shortcut, str)
    assert isinstance(title, str) and isinstance(text, str)
    shortcut, title, text = shortcut.strip().lstrip("/").lower(), title.strip(), text.strip()
    if language not in LANGUAGES or SHORTCUT.fullmatch(shortcut) is None:
        return None
    if not title or len(title) > TITLE_CHARS or not text or len(text) > TEXT_CHARS:
        return None
    return CannedFields(language, shortcut, title, text)


class CannedApi:
    """The canned replies' routes; ``agent`` tells who is signed in to the console (or ``None``)."""

    def __init__(
        self,
        replies: CannedReplies,
        bus: MessageBus,
        door: WebDoor,
        agent: Callable[[web.Request], Awaitable[Principal | None]],
    ) -> None:
        self.replies = replies
        self.bus = bus
        self.door = door
        self.agent = agent

    async def list(self, request: web.Request) -> web.Response:
        if await self.agent(request) is None:
            return _problem(401, "sign_in")
        language = request.query.get("language")
        if language is not None and language not in LANGUAGES:
            return _problem(400, "bad_request")
        replies = await self.replies.list(language)
        return json_response({"items": [reply.to_json() for reply in replies]})

    async def add(self, request: web.Request) -> web.Response:
        admin = await self._admin(request)
        if isinstance(admin, web.Response):
            return admin
        fields = await self._fields(request)
        if isinstance(fields, web.Response):
            return fields
        try:
            reply = await self.replies.add(**vars(fields), by=_id(admin), at=datetime.now(UTC))
        except Conflict:
            return _problem(409, "shortcut_taken")
        await self._changed()
        return json_response(reply.to_json(), status=201)

    async def change(self, request: web.Request) -> web.Response:
        admin = await self._admin(request)
        if isinstance(admin, web.Response):
            return admin
        reply_id = _reply_id(request)
        if reply_id is None:
            return _problem(404, "not_found")
        fields = await self._fields(request)
        if isinstance(fields, web.Response):
            return fields
        try:
            reply = await self.replies.change(reply_id, **vars(fields), by=_id(admin), at=datetime.now(UTC))
        except Conflict:
            return _problem(409, "shortcut_taken")
        if reply is None:
            return _problem(404, "not_found")
        await self._changed()
        return json_response(reply.to_json())

    async def remove(self, request: web.Request) -> web.Response:
        admin = await self._admin(request)
        if isinstance(admin, web.Response):
            return admin
        reply_id = _reply_id(request)
        if reply_id is None or not await self.replies.remove(reply_id):
            return _problem(404, "not_found")
        await self._changed()
        return web.Response(status=204, headers=NO_STORE)

    async def _admin(self, request: web.Request) -> Principal | web.Response:
        """The signed-in support administrator making a same-site change, or the refusal."""
        if self.door.cross_site(request):
            return _problem(403, "forbidden")
        agent = await self.agent(request)
        if agent is None:
            return _problem(401, "sign_in")
        if not agent.is_support_admin:
            return _problem(403, "forbidden")
        return agent

    async def _fields(self, request: web.Request) -> CannedFields | web.Response:
        body = await self.door.json_body(request, limit=BODY_BYTES, key="error.bad_frame")
        if isinstance(body, web.Response):
            return body
        fields = parse_fields(body)
        return _problem(400, "bad_request") if fields is None else fields

    async def _changed(self) -> None:
        await self.bus.publish(CANNED_TOPIC, {"type": "canned_changed"})

    def mount(self, router: web.UrlDispatcher) -> None:
        router.add_get("/agents/api/canned", self.list)
        router.add_post("/agents/api/canned", self.add)
        router.add_put("/agents/api/canned/{reply_id}", self.change)
        router.add_delete("/agents/api/canned/{reply_id}", self.remove)


def _id(agent: Principal) -> str:
    assert agent.user_id is not None
    return agent.user_id


def _reply_id(request: web.Request) -> int | None:
    raw = request.match_info["reply_id"]
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _problem(status: int, error: str) -> web.Response:
    body: dict[str, Any] = {"error": error}
    return web.json_response(body, status=status, headers=NO_STORE)
