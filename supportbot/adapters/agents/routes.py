"""The agent console's routes under /agents: the page, its files, sign-in for agents and the WebSocket.

Only a directory user with ``Role.AGENT`` gets in. The session is a signed cookie like the web chat's,
with its own name and its own key, so a customer's web chat cookie never opens the console.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from supportbot.adapters.agents.console import HEARTBEAT, MAX_FRAME_BYTES, AgentConnection
from supportbot.adapters.app import Application
from supportbot.adapters.sessions import Session, SessionCodec
from supportbot.adapters.webchat.origin import cross_site, same_origin
from supportbot.adapters.webchat.ratelimit import KeyedWindows
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal, Role

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
COOKIE_NAME = "sb_agent"
MAX_AGE = 12 * 3600
MAX_LOGIN_BODY = 8 * 1024
NO_STORE = {"Cache-Control": "no-store"}
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}


@dataclass
class AgentConsole:
    app: Application
    codec: SessionCodec
    cookie_secure: bool
    credentials_key: bytes = b""
    failures: KeyedWindows = field(default_factory=lambda: KeyedWindows(20, 900.0))

    def _credentials(self, stamp: str) -> str:
        """A keyed fingerprint of the password an agent signed in with: a changed password ends the session."""
        return hmac.new(self.credentials_key, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    def _same_origin(self, request: web.Request) -> bool:
        """The console's own origin (scheme, host and port) or the public URL; see ``origin``."""
        origin = request.headers.get("Origin")
        return same_origin(
            origin, request.host, scheme=request.scheme, trusted=(self.app.settings.public_url,)
        )

    def _cross_site(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        return cross_site(
            origin, request.host, scheme=request.scheme, trusted=(self.app.settings.public_url,)
        )

    async def agent(self, request: web.Request) -> Principal | None:
        """The signed-in agent, or ``None``; someone no longer an agent is no longer in."""
        session = self.codec.decode(request.cookies.get(COOKIE_NAME))
        if session is None or session.user_id is None:
            return None
        principal = await self.app.backends.directory.principal_for(session.user_id)
        if principal is None or principal.role is not Role.AGENT:
            return None
        stamp = await self.app.backends.directory.credential_stamp(session.user_id)
        if stamp is None or session.credentials is None:
            return None
        if not hmac.compare_digest(self._credentials(stamp), session.credentials):
            return None  # the password changed since this session signed in
        return principal

    async def page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(
            STATIC / "index.html",
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Cache-Control": "no-cache",
                "Content-Security-Policy": PAGE_POLICY,
                "X-Frame-Options": "DENY",
            },
        )

    async def session(self, request: web.Request) -> web.Response:
        agent = await self.agent(request)
        return web.json_response({"agent": _agent_json(agent)}, headers=NO_STORE)

    async def login(self, request: web.Request) -> web.Response:
        if self._cross_site(request):
            return _problem(403, "forbidden")
        address = request.remote or "unknown"
        if self.failures.blocked(address):
            return _problem(429, "rate_limited")
        body = await request.content.read(MAX_LOGIN_BODY + 1)
        try:
            data = json.loads(body) if len(body) <= MAX_LOGIN_BODY else None
        except (ValueError, RecursionError):
            data = None
        user = data.get("user") if isinstance(data, dict) else None
        password = data.get("password") if isinstance(data, dict) else None
        if not isinstance(user, str) or not isinstance(password, str) or not user.strip() or not password:
            return _problem(400, "bad_request")
        try:
            # Read before the password is checked: a change racing this sign-in ends the new session too.
            stamp = await self.app.backends.directory.credential_stamp(user.strip()[:320])
            principal = await self.app.backends.directory.authenticate(user.strip()[:320], password[:1024])
        except BackendUnavailable:
            return _problem(503, "unavailable")
        if principal is None or principal.user_id is None:
            self.failures.allow(address)
            return _problem(401, "invalid_credentials")
        if principal.role is not Role.AGENT:
            log.info("agents: %s is not an agent and was refused", principal.user_id)
            return _problem(403, "not_an_agent")
        session = Session.new_guest().signed_in(
            principal.user_id, credentials=self._credentials(stamp) if stamp else None
        )
        response = web.json_response({"agent": _agent_json(principal)}, headers=NO_STORE)
        response.set_cookie(
            COOKIE_NAME,
            self.codec.encode(session),
            max_age=self.codec.max_age,
            path="/agents",
            httponly=True,
            samesite="Strict",
            secure=self.cookie_secure,
        )
        log.info("agents: %s signed in", principal.user_id)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        if self._cross_site(request):
            return _problem(403, "forbidden")
        response = web.json_response({"agent": None}, headers=NO_STORE)
        response.del_cookie(COOKIE_NAME, path="/agents")
        return response

    async def customer_file(self, request: web.Request) -> web.StreamResponse:
        """A file a customer sent during a handoff, for signed-in agents only; always a download."""
        agent = await self.agent(request)
        if agent is None:
            return _problem(401, "sign_in")
        file = await self.app.files.unstash(owner=None, file_id=request.match_info["file_id"])
        if file is None:
            return _problem(404, "not_found")
        return _attachment(file.name, file.content_type, file.data)

    async def request_document(self, request: web.Request) -> web.StreamResponse:
        """A document kept on a customer's request, for signed-in agents only; always a download."""
        agent = await self.agent(request)
        if agent is None:
            return _problem(401, "sign_in")
        number, document_id = request.match_info["number"], request.match_info["document_id"]
        if len(number) > 32 or len(document_id) > 32:
            return _problem(404, "not_found")
        try:
            found = await self.app.backends.requests.document_for_agent(agent, number, document_id)
        except BackendUnavailable:
            return _problem(503, "unavailable")
        if found is None:
            return _problem(404, "not_found")
        return _attachment(found.document.name, found.document.content_type, found.data)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._same_origin(request):
            return web.Response(status=403, text="Forbidden: cross-site WebSocket")
        agent = await self.agent(request)
        if agent is None:
            return web.Response(status=401, text="Sign in as an agent first")
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES * 2, heartbeat=HEARTBEAT)
        if not ws.can_prepare(request).ok:
            return web.Response(status=426, text="Upgrade to a WebSocket", headers={"Upgrade": "websocket"})
        await ws.prepare(request)
        app = self.app
        await AgentConnection(
            ws,
            agent,
            handoffs=app.handoffs,
            backends=app.backends,
            store=app.store,
            services=app,
            public_url=app.settings.public_url,
        ).run()
        return ws


def _agent_json(agent: Principal | None) -> dict[str, str | None] | None:
    if agent is None:
        return None
    return {"id": agent.user_id, "name": agent.name}


def _attachment(name: str, content_type: str, data: bytes) -> web.Response:
    """A customer's file as a download that never runs in the console's origin."""
    safe = name.replace('"', "").replace("\r", "").replace("\n", "") or "file"
    return web.Response(
        body=data,
        headers={
            **NO_STORE,
            "Content-Type": content_type.split(";", 1)[0] or "application/octet-stream",
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(safe)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


def _problem(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status, headers=NO_STORE)


def _asset(name: str, content_type: str) -> web.StreamResponse:
    return web.FileResponse(
        STATIC / name, headers={"Content-Type": f"{content_type}; charset=utf-8", "Cache-Control": "no-cache"}
    )


def setup(web_app: web.Application, app: Application, *, secret_key: bytes, cookie_secure: bool) -> None:
    """Add the agent console to the server; ``create_web_app`` calls this once."""
    console = AgentConsole(
        app,
        SessionCodec(b"agent-console\x00" + secret_key, max_age=MAX_AGE),
        cookie_secure,
        credentials_key=hashlib.sha256(b"agent-credentials\x00" + secret_key).digest(),
    )
    router = web_app.router

    for name, content_type in _ASSETS.items():

        async def asset(
            request: web.Request, name: str = name, content_type: str = content_type
        ) -> web.StreamResponse:
            return _asset(name, content_type)

        router.add_get(f"/agents/{name}", asset)
    router.add_get("/agents", console.page)
    router.add_get("/agents/", console.page)
    router.add_get("/agents/api/session", console.session)
    router.add_post("/agents/api/login", console.login)
    router.add_post("/agents/api/logout", console.logout)
    router.add_get("/agents/ws", console.websocket)
    router.add_get("/agents/api/files/{file_id}", console.customer_file)
    router.add_get("/agents/api/requests/{number}/documents/{document_id}", console.request_document)
