"""The agent console's routes under /agents: the page, its files, sign-in for agents and the WebSocket.

Only a directory user who is an agent (``Role.AGENT`` or ``Role.SUPPORT_ADMIN``) gets in, through the same sign-in as the web chat's (its
limits, its one answer for every failure). The session is a signed cookie like the web chat's, with its
own name and its own key, so a customer's web chat cookie never opens the console, and it names an
agent session kept on the server: signing out ends it, and closes its consoles, at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from supportbot.adapters.agents.canned import CannedApi
from supportbot.adapters.agents.console import HEARTBEAT, MAX_FRAME_BYTES, AgentConnection
from supportbot.adapters.agents.dashboard import Dashboard
from supportbot.adapters.agents.review import Review
from supportbot.adapters.agents.wording import page_words
from supportbot.adapters.app import Application
from supportbot.adapters.sessions import Session, SessionCodec
from supportbot.adapters.signin import SignIn
from supportbot.adapters.web.handlers import asset, page
from supportbot.adapters.web.security import (
    NO_STORE,
    SessionCookie,
    WebDoor,
    admitted,
    json_response,
    problem,
)
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import LANGUAGES
from supportbot.bot.messages import Capability, Reply
from supportbot.bot.sessions import SessionRecord
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
COOKIE_NAME = "sb_agent"
MAX_AGE = 14 * 24 * 3600
"""The cookie's own limit; the session on the server ends far sooner (``Settings.agent_session_*``)."""
SIGNED_OUT = 4001
"""Close code of a console whose session ended (signed out, everywhere, a new password, too old)."""
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}


class AgentConsole:
    """The agent console as a channel: agents, not customers, at /agents; what they are told arrives
    on the bus in their open console, so a notice is never delivered here."""

    name = "agents"
    capabilities: frozenset[Capability] = frozenset()
    """Agents type lines; a customer's files reach them as links."""

    def __init__(self, app: Application) -> None:
        self.app = app
        secret_key = app.secret_key
        self.cookie = SessionCookie(
            COOKIE_NAME,
            "/agents",
            "Strict",
            app.settings.cookie_secure,
            SessionCodec(b"agent-console\x00" + secret_key, max_age=MAX_AGE),
        )
        self.credentials_key = hashlib.sha256(b"agent-credentials\x00" + secret_key).digest()
        self.signin = SignIn(app.backends.directory, app.limits, secret_key=secret_key)
        self.door = WebDoor.of(app.settings)
        self.review = Review(
            app.store.misses, app.nlu, intents=[spec.name for spec in app.intents], bus=app.bus
        )
        self.canned = CannedApi(app.store.canned, app.bus, self.door, self.agent)

    def _credentials(self, stamp: str) -> str:
        """A keyed fingerprint of the password an agent signed in with: a changed password ends the session."""
        return hmac.new(self.credentials_key, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Agents hear of handoffs and requests on the bus, in their open consoles."""
        return False

    async def agent(self, request: web.Request) -> Principal | None:
        signed_in = await self._signed_in(request)
        return signed_in[0] if signed_in is not None else None

    async def _signed_in(self, request: web.Request) -> tuple[Principal, SessionRecord] | None:
        """The signed-in agent and the session; ``None`` for a session signed out, idle or
        too old, from before a new password, or of someone no longer an agent."""
        session = self.cookie.read(request)
        if session is None or session.user_id is None:
            return None
        record = await self.app.sessions.check(session.token, kind="agent", user_id=session.user_id)
        if record is None:
            return None
        principal = await self.app.backends.directory.principal_for(session.user_id)
        if principal is None or not principal.is_agent:
            return None
        stamp = await self.app.backends.directory.credential_stamp(session.user_id)
        if stamp is None or session.credentials is None:
            return None
        if not hmac.compare_digest(self._credentials(stamp), session.credentials):
            return None  # the password changed since this session signed in
        return principal, record

    async def session(self, request: web.Request) -> web.Response:
        agent = await self.agent(request)
        return json_response({"agent": _agent_json(agent)})

    async def words(self, request: web.Request) -> web.Response:
        """The console's words in one language: ``lang`` (the agent's choice on the page, or the
        browser's), else the browser's ``Accept-Language``, else the signed-in agent's account's, else
        English; with the queue's wait target and the languages to choose from. Also before sign-in:
        the sign-in form speaks it too, and words are no secret."""
        language = request.query.get("lang", "")
        if language not in LANGUAGES:
            header = request.headers.get("Accept-Language")
            agent = None if header else await self.agent(request)
            if header:
                language = pick_language(accept_language(header))
            elif agent is not None and agent.locale in LANGUAGES:
                language = agent.locale
            else:
                language = LANGUAGES[0]
        return json_response(
            {
                **page_words(language),
                "languages": list(LANGUAGES),
                "wait_target": self.app.settings.handoff_wait_target_minutes * 60,
            }
        )

    async def login(self, request: web.Request) -> web.Response:
        """The web chat's sign-in with the web chat's limits and answers; anyone but an agent fails like
        a wrong password, so this door tells nobody whether a customer's password was right."""
        given = await self.door.credentials(request)
        if isinstance(given, web.Response):
            return given
        user, password = given
        outcome = await self.signin.attempt(
            user,
            password,
            address=self.door.client_address(request),
            door="agents",
            admits=lambda principal: principal.is_agent,
        )
        principal = admitted(request, outcome)
        if isinstance(principal, web.Response):
            return principal
        assert principal.user_id is not None  # admitted() refuses a principal without one
        token, _ = await self.app.sessions.start(principal.user_id, kind="agent")
        session = Session.new_guest().signed_in(
            principal.user_id,
            credentials=self._credentials(outcome.stamp) if outcome.stamp else None,
            token=token,
        )
        response = json_response({"agent": _agent_json(principal)})
        self.cookie.set(response, session)
        log.info("agents: %s signed in", principal.user_id)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        """The session ends on the server too: its cookie, wherever a copy is, and its open consoles."""
        if self.door.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        session = self.cookie.read(request)
        if session is not None and session.token is not None:
            await self.app.sessions.end(session.token)
            log.info("agents: %s signed out", session.user_id)
        return self._signed_out()

    async def logout_everywhere(self, request: web.Request) -> web.Response:
        """Every session of the signed-in agent ends, consoles and web chats alike."""
        if self.door.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        agent = await self.agent(request)
        if agent is None or agent.user_id is None:
            return _problem(401, "sign_in")
        await self.app.sessions.end_all(agent.user_id)
        log.info("agents: %s signed out everywhere", agent.user_id)
        return self._signed_out()

    def _signed_out(self) -> web.Response:
        response = json_response({"agent": None})
        self.cookie.clear(response)
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
        if not self.door.same_origin(request):
            return web.Response(status=403, text="Forbidden: cross-site WebSocket")
        signed_in = await self._signed_in(request)
        if signed_in is None:
            return web.Response(status=401, text="Sign in as an agent first")
        agent, record = signed_in
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES * 2, heartbeat=HEARTBEAT)
        if not ws.can_prepare(request).ok:
            return web.Response(status=426, text="Upgrade to a WebSocket", headers={"Upgrade": "websocket"})
        await ws.prepare(request)
        app = self.app
        closing: list[asyncio.Future[bool]] = []

        async def signed_out() -> None:
            if not closing:  # not awaited here: closing waits for the client's answer
                log.info("agents: closed a console of a session of %s that ended", agent.user_id)
                closing.append(asyncio.ensure_future(ws.close(code=SIGNED_OUT, message=b"signed out")))

        unsubscribe = await app.sessions.watch(record.handle, signed_out)
        # However busy, a console ends with its session's lifetime.
        lifetime = asyncio.get_running_loop().call_later(
            app.sessions.seconds_left(record), lambda: asyncio.ensure_future(signed_out())
        )
        try:
            await AgentConnection(
                ws,
                agent,
                handoffs=app.handoffs,
                backends=app.backends,
                store=app.store,
                services=app,
                public_url=app.settings.public_url,
                review=self.review,
                wait_target=app.settings.handoff_wait_target_minutes * 60,
                language=request.query.get("lang"),
            ).run()
        finally:
            unsubscribe()
            lifetime.cancel()
        return ws

    async def review_examples(self, request: web.Request) -> web.Response:
        """This deployment's examples as CSV, for signed-in agents only; always a download."""
        agent = await self.agent(request)
        if agent is None:
            return _problem(401, "sign_in")
        data = (await self.review.csv()).encode("utf-8-sig")
        return _attachment("supportbot-examples.csv", "text/csv", data)

    def mount(self, web_app: web.Application) -> None:
        """The page, its files, sign-in, the WebSocket and the customers' files, all under /agents."""
        router = web_app.router
        for name, content_type in _ASSETS.items():
            router.add_get(f"/agents/{name}", asset(STATIC / name, content_type))
        console_page = page(STATIC / "index.html", policy=PAGE_POLICY)
        router.add_get("/agents", console_page)
        router.add_get("/agents/", console_page)
        router.add_get("/agents/api/session", self.session)
        router.add_get("/agents/api/words", self.words)
        router.add_post("/agents/api/login", self.login)
        router.add_post("/agents/api/logout", self.logout)
        router.add_post("/agents/api/logout-everywhere", self.logout_everywhere)
        router.add_get("/agents/ws", self.websocket)
        router.add_get("/agents/api/files/{file_id}", self.customer_file)
        router.add_get("/agents/api/requests/{number}/documents/{document_id}", self.request_document)
        router.add_get("/agents/api/review/examples.csv", self.review_examples)
        self.canned.mount(router)
        Dashboard.of(self.app, agent=self.agent).mount(web_app, policy=PAGE_POLICY)


def _agent_json(agent: Principal | None) -> dict[str, str | bool | None] | None:
    """The agent as the page knows them; ``language``: the account's, the page's last choice."""
    if agent is None:
        return None
    return {
        "id": agent.user_id,
        "name": agent.name,
        "admin": agent.is_support_admin,
        "language": agent.locale if agent.locale in LANGUAGES else LANGUAGES[0],
    }


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
