"""Direct Line 3.0's REST endpoints and stream, as much of them as Microsoft's WebChat uses.

``POST /v3/directline/tokens/generate`` is the only door in: it answers a browser with a web chat
session (the ``sb_session`` cookie, checked as the web chat checks it; a guest gets a guest's token)
and refuses a foreign origin as the web chat does. Everything after carries the token it gave as
``Authorization: Bearer``: a token opens its own conversation and no other; any other conversation
id is answered as one that does not exist. A signed-in user's token holds only while the web chat
session it came from does (signing out, a new password, idle or too old end it) and while the
password is the one it was made under.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from supportbot.adapters.channel import Arrival
from supportbot.adapters.directline.activities import (
    CAPABILITIES,
    CHANNEL,
    MAX_ACTIVITY_BYTES,
    BadActivity,
    Posted,
    activity_id,
    activity_set,
    conversation_ref,
    parse_activity,
    parse_watermark,
    reply_attachments,
    to_message,
    typing_activity,
)
from supportbot.adapters.directline.tokens import (
    CONVERSATION_ID,
    TOKEN_SECONDS,
    DirectLineTokens,
    Grant,
    expiry,
    new_conversation_id,
)
from supportbot.adapters.web.security import NO_STORE
from supportbot.adapters.webchat.context import WebChat
from supportbot.adapters.webchat.protocol import form_fields
from supportbot.bot.handoff import conversation_topic
from supportbot.bot.limits import Rule
from supportbot.bot.messages import Message, Reply
from supportbot.bot.sessions import SessionRecord
from supportbot.integrations.errors import BackendUnavailable

if TYPE_CHECKING:
    from supportbot.adapters.app import Application

log = logging.getLogger(__name__)

BASE = "/v3/directline"
HISTORY = 200
"""Transcript lines a poll or a stream reads; a watermark older than that gets the latest ones."""
RATE_WINDOW = 10.0
USER_RATE_FACTOR = 3
HEARTBEAT = 30.0
SIGNED_OUT = 4001
RESTART = 1012
TYPING_DELAY = 0.2
"""Seconds an answer may take before the stream shows the assistant typing."""
TYPING = {"type": "typing", "on": True}
MAX_STREAM_FRAME = 4096
"""What a client may send down the stream: nothing but WebChat's empty keep-alive messages."""


def stream_topic(key: str) -> str:
    """Where a new line of a Direct Line conversation is told, so its streams (on any worker) send it."""
    return f"directline:{key}"


def _error(status: int, code: str, message: str) -> web.Response:
    """Direct Line's error shape. The words are for developers: WebChat shows its own."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=NO_STORE)


def _unavailable() -> web.Response:
    """The database or Redis is out of reach: nothing was stored; the same activity sent again later
    (the same client id) is answered then, once."""
    return _error(503, "ServiceError", "Our systems are out of reach; send the activity again shortly")


def _not_found() -> web.Response:
    return _error(404, "BadArgument", "Conversation not found")


class DirectLineChannel:
    """Microsoft's WebChat as a channel: its conversations are ``directline:<id>``."""

    name = CHANNEL
    capabilities = CAPABILITIES

    def __init__(self, app: Application) -> None:
        self.app = app
        self.web = WebChat(app)
        """The web chat's cookie, origin rules and sessions: a token is given on the same terms."""
        self.tokens = DirectLineTokens(app.secret_key)
        self.streams: set[web.WebSocketResponse] = set()

    # --- the channel contract ---------------------------------------------------------------------

    def to_message(self, inbound: Posted, arrival: Arrival) -> Message:
        return to_message(inbound, user_id=arrival.user_id, received_at=arrival.received_at)

    def render(self, reply: Reply) -> dict[str, Any]:
        """A reply as the message activity WebChat shows (without its place in a conversation)."""
        activity: dict[str, Any] = {"type": "message", "text": reply.text, "textFormat": "markdown"}
        attachments = reply_attachments(reply)
        if attachments:
            activity["attachments"] = attachments
        return activity

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Notices stay in the user's inbox, shown by the web chat (``bot.notify``): not sent here."""
        return False

    def mount(self, web_app: web.Application) -> None:
        router = web_app.router
        router.add_post(f"{BASE}/tokens/generate", self.generate)
        router.add_post(f"{BASE}/tokens/refresh", self.refresh)
        router.add_post(f"{BASE}/conversations", self.start)
        router.add_get(f"{BASE}/conversations/{{id}}", self.reconnect)
        router.add_get(f"{BASE}/conversations/{{id}}/activities", self.activities)
        router.add_post(f"{BASE}/conversations/{{id}}/activities", self.post)
        router.add_get(f"{BASE}/conversations/{{id}}/stream", self.stream)

        async def close_streams(_: web.Application) -> None:
            # WebChat fetches a new stream URL and reconnects, to this worker once back or another.
            await asyncio.gather(
                *(ws.close(code=RESTART, message=b"server restart") for ws in list(self.streams)),
                return_exceptions=True,
            )

        web_app.on_shutdown.append(close_streams)

    # --- tokens -----------------------------------------------------------------------------------

    async def generate(self, request: web.Request) -> web.Response:
        """A token for a new conversation, for this browser's web chat session (a guest's too)."""
        if self.web.door.cross_site(request):
            return _error(403, "Forbidden", "Tokens are given to the site's own pages only")
        visitor = await self.web.visitor(request)
        signed_in = visitor.user_id is not None and visitor.record is not None
        grant = Grant(
            conversation_id=new_conversation_id(),
            user_id=visitor.user_id if signed_in else None,
            handle=visitor.record.handle if signed_in and visitor.record is not None else None,
            credentials=visitor.session.credentials if signed_in else None,
            expires=expiry(),
        )
        response = web.json_response(self._token_json(grant), headers=NO_STORE)
        if visitor.fresh:
            self.web.cookie.set(response, visitor.session)
        log.info("directline: a token for %s", "a signed-in user" if signed_in else "a guest")
        return response

    async def refresh(self, request: web.Request) -> web.Response:
        """The same grant for another ``TOKEN_SECONDS``, while the token and its session hold."""
        grant = await self._grant(request)
        if isinstance(grant, web.Response):
            return grant
        renewed = Grant(grant.conversation_id, grant.user_id, grant.handle, grant.credentials, expiry())
        return web.json_response(self._token_json(renewed), headers=NO_STORE)

    def _token_json(self, grant: Grant) -> dict[str, Any]:
        return {
            "conversationId": grant.conversation_id,
            "token": self.tokens.issue(grant),
            "expires_in": TOKEN_SECONDS,
        }

    async def _grant(self, request: web.Request) -> Grant | web.Response:
        """The request's bearer token: 401 without one, 403 for one that is not (or no longer) good."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "Unauthorized", "A Direct Line token is needed")
        grant = self.tokens.read(token.strip())
        if grant is None or not await self._live(grant):
            return _error(403, "TokenExpired", "The token is not valid or has expired")
        return grant

    async def _live(self, grant: Grant) -> bool:
        return (await self._session(grant))[0]

    async def _session(self, grant: Grant) -> tuple[bool, SessionRecord | None]:
        """Whether the grant holds, and the web chat session it holds by. A guest's token holds until
        it expires; a user's only while its web chat session is live, the user can still sign in, and
        the password is the one the session was made under."""
        if grant.user_id is None:
            return True, None
        try:
            records = await self.app.sessions.active(grant.user_id)
            record = next(
                (r for r in records if r.kind == "web" and hmac.compare_digest(r.handle, grant.handle or "")),
                None,
            )
            if record is None:
                return False, None
            principal = await self.app.pipeline.principal(grant.user_id)
            if principal.is_guest or principal.verification is None:
                return False, None
            stamp = await self.app.backends.directory.credential_stamp(grant.user_id)
        except Exception:
            log.warning("directline: could not check a session", exc_info=True)
            return False, None
        current = (
            stamp is not None
            and grant.credentials is not None
            and hmac.compare_digest(self.web.credentials(stamp), grant.credentials)
        )
        return current, record if current else None

    # --- conversations ----------------------------------------------------------------------------

    async def _owned(self, request: web.Request) -> tuple[Grant, str] | web.Response:
        """The grant and its conversation's key, when the path names the token's own conversation;
        any other id, another user's included, is answered as a missing conversation."""
        grant = await self._grant(request)
        if isinstance(grant, web.Response):
            return grant
        return self._check_conversation(request.match_info["id"], grant)

    def _check_conversation(self, given: str, grant: Grant) -> tuple[Grant, str] | web.Response:
        if not CONVERSATION_ID.fullmatch(given) or not hmac.compare_digest(given, grant.conversation_id):
            return _not_found()
        return grant, conversation_ref(grant.conversation_id).key

    async def _owner_matches(self, key: str, grant: Grant) -> bool:
        conv = await self.app.store.load(key, channel=CHANNEL, user_id=grant.user_id)
        return not conv.exists or conv.user_id == grant.user_id

    def _stream_url(self, request: web.Request, grant: Grant, watermark: str | None) -> str:
        public = urlsplit(self.app.settings.public_url)
        if public.netloc and public.netloc.lower() == request.host.lower():
            scheme = "wss" if public.scheme == "https" else "ws"
        else:
            scheme = "wss" if request.scheme == "https" else "ws"
        query = f"watermark={watermark or '-'}&t={self.tokens.stream(grant)}"
        return f"{scheme}://{request.host}{BASE}/conversations/{grant.conversation_id}/stream?{query}"

    async def start(self, request: web.Request) -> web.Response:
        """The token's conversation: its id, the token and the URL of its stream (201 when new)."""
        grant = await self._grant(request)
        if isinstance(grant, web.Response):
            return grant
        key = conversation_ref(grant.conversation_id).key
        conv = await self.app.store.load(key, channel=CHANNEL, user_id=grant.user_id)
        if conv.exists and conv.user_id != grant.user_id:
            return _not_found()
        body = {
            "conversationId": grant.conversation_id,
            "token": self.tokens.issue(grant),
            "expires_in": max(0, grant.expires - int(datetime.now(UTC).timestamp())),
            "streamUrl": self._stream_url(request, grant, None),
        }
        return web.json_response(body, status=200 if conv.exists else 201, headers=NO_STORE)

    async def reconnect(self, request: web.Request) -> web.Response:
        """A new stream URL for the conversation, from a watermark: how WebChat reconnects."""
        owned = await self._owned(request)
        if isinstance(owned, web.Response):
            return owned
        grant, key = owned
        if not await self._owner_matches(key, grant):
            return _not_found()
        watermark = parse_watermark(request.query.get("watermark"))
        body = {
            "conversationId": grant.conversation_id,
            "token": self.tokens.issue(grant),
            "expires_in": max(0, grant.expires - int(datetime.now(UTC).timestamp())),
            "streamUrl": self._stream_url(request, grant, str(watermark) if watermark is not None else None),
        }
        return web.json_response(body, headers=NO_STORE)

    async def activities(self, request: web.Request) -> web.Response:
        """The activities after the client's watermark (all, without one), and the new watermark."""
        owned = await self._owned(request)
        if isinstance(owned, web.Response):
            return owned
        grant, key = owned
        if not await self._owner_matches(key, grant):
            return _not_found()
        after = parse_watermark(request.query.get("watermark"))
        turns = await self.app.pipeline.history(key, limit=HISTORY)
        found, watermark = activity_set(grant.conversation_id, turns, user_id=grant.user_id, after=after)
        return web.json_response({"activities": found, "watermark": str(watermark)}, headers=NO_STORE)

    async def post(self, request: web.Request) -> web.Response:
        """A client's activity: a message is answered (its reply arrives on the stream and in polls)
        and its id is returned; a message sent again with the same client id is answered once."""
        owned = await self._owned(request)
        if isinstance(owned, web.Response):
            return owned
        grant, key = owned
        if request.content_type != "application/json":
            return _error(415, "BadArgument", "The activity must be JSON")
        body = await request.content.read(MAX_ACTIVITY_BYTES + 1)
        if len(body) > MAX_ACTIVITY_BYTES:
            return _error(413, "MessageSizeTooBig", "The activity is too large")
        try:
            inbound = parse_activity(json.loads(body))
        except (ValueError, RecursionError):
            return _error(400, "BadArgument", "The body is not JSON")
        except BadActivity as bad:
            return _error(400, "BadArgument", str(bad))
        if not await self._owner_matches(key, grant):
            return _not_found()
        try:
            allowed = await self._allowed(grant)
        except BackendUnavailable:  # fails closed, as the web chat: the turn needs the same service
            return _unavailable()
        if not allowed:
            return _error(429, "Throttled", "Too many activities; try again shortly")
        if inbound.type != "message":
            return web.json_response({"id": f"{grant.conversation_id}|{inbound.client_id or '-'}"})
        delivery = inbound.delivery_id or secrets.token_urlsafe(12)
        fields = None
        if inbound.form is not None:
            fields = form_fields(await self.app.pipeline.history(key, limit=HISTORY), inbound.form.id)
        message = self.to_message(
            Posted(grant.conversation_id, inbound, delivery, shown_fields=fields),
            Arrival(user_id=grant.user_id, received_at=datetime.now(UTC)),
        )
        # Typing is shown only when an answer takes a noticeable while; most come before it would.
        bus = self.app.notifier.bus
        told: list[asyncio.Future[None]] = []
        timer = asyncio.get_running_loop().call_later(
            TYPING_DELAY,
            lambda: told.append(asyncio.ensure_future(bus.publish(stream_topic(key), TYPING))),
        )
        try:
            await self.app.pipeline.answer(message)
        except BackendUnavailable as exc:  # the database, or Redis (the lock): nothing was stored
            log.info("directline: nothing answered in conversation %s: %s", key, exc)
            return _unavailable()
        except Exception:
            log.exception("directline: could not answer in conversation %s", key)
            return _error(500, "ServiceError", "The message could not be answered")
        finally:
            timer.cancel()
            await asyncio.gather(*told, return_exceptions=True)
        await bus.publish(stream_topic(key), {"type": "activity"})
        turns = await self.app.pipeline.history(key, limit=HISTORY)
        seq = next((t.seq for t in reversed(turns) if t.role == "user" and t.delivery_id == delivery), 0)
        return web.json_response({"id": activity_id(grant.conversation_id, seq)}, headers=NO_STORE)

    async def _allowed(self, grant: Grant) -> bool:
        limit = self.app.settings.webchat_rate_limit
        rules = [Rule(f"directline:conversation:{grant.conversation_id}", limit, RATE_WINDOW)]
        if grant.user_id is not None:
            rules.append(Rule(f"chat:user:{grant.user_id}", limit * USER_RATE_FACTOR, RATE_WINDOW))
        try:
            return bool(await self.app.limits.hit(*rules))
        except BackendUnavailable:
            raise
        except Exception:
            log.warning("directline: could not count an activity", exc_info=True)
            return True

    # --- the stream -------------------------------------------------------------------------------

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """The conversation's activities as they come, ``{"activities": [...], "watermark": "N"}``,
        from the stream URL's watermark on (everything without one)."""
        grant = self.tokens.read_stream(request.query.get("t"))
        live, record = await self._session(grant) if grant is not None else (False, None)
        if grant is None or not live:
            return _error(403, "TokenExpired", "The stream URL is not valid or has expired")
        owned = self._check_conversation(request.match_info["id"], grant)
        if isinstance(owned, web.Response):
            return owned
        _, key = owned
        if request.headers.get("Origin") is not None and not self.web.door.same_origin(request):
            log.warning("directline: refused a stream from origin %r", request.headers.get("Origin"))
            return _error(403, "Forbidden", "Streams are opened from the site's own pages only")
        if not await self._owner_matches(key, grant):
            return _not_found()
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=MAX_STREAM_FRAME)
        if not ws.can_prepare(request).ok:
            return web.Response(status=426, text="Upgrade to a WebSocket", headers={"Upgrade": "websocket"})
        await ws.prepare(request)
        await self._serve_stream(ws, grant, record, key, parse_watermark(request.query.get("watermark")))
        return ws

    async def _serve_stream(
        self,
        ws: web.WebSocketResponse,
        grant: Grant,
        record: SessionRecord | None,
        key: str,
        after: int | None,
    ) -> None:
        wake = asyncio.Event()
        typing: list[str] = []
        """Who began writing since the last pass (an agent's name, or "" for the assistant)."""

        async def woken(message: dict[str, Any]) -> None:
            if message.get("type") == "typing" and message.get("on"):
                typing.append(str(message.get("agent") or ""))
            wake.set()

        async def signed_out() -> None:
            await ws.close(code=SIGNED_OUT, message=b"signed out")

        bus, sessions = self.app.notifier.bus, self.app.sessions
        stops = [
            await bus.subscribe(stream_topic(key), woken),
            await bus.subscribe(conversation_topic(key), woken),  # an agent's line during a handoff
        ]
        if grant.handle is not None:
            stops.append(await sessions.watch(grant.handle, signed_out))
        # However busy, a stream ends with its session's lifetime (the futures are held: a loose
        # task may be collected).
        ending: list[asyncio.Future[None]] = []
        lifetime = (
            asyncio.get_running_loop().call_later(
                sessions.seconds_left(record), lambda: ending.append(asyncio.ensure_future(signed_out()))
            )
            if record is not None
            else None
        )
        reader = asyncio.ensure_future(self._read(ws))
        self.streams.add(ws)
        try:
            while not ws.closed:
                wake.clear()
                turns = await self.app.pipeline.history(key, limit=HISTORY)
                found, watermark = activity_set(
                    grant.conversation_id, turns, user_id=grant.user_id, after=after
                )
                if found:
                    await ws.send_json({"activities": found, "watermark": str(watermark)})
                after = watermark
                if typing and not found:  # a line that came meanwhile ends the typing anyway
                    await ws.send_json(
                        {
                            "activities": [typing_activity(grant.conversation_id, agent=typing[-1])],
                            "watermark": str(watermark),
                        }
                    )
                typing.clear()
                waiter = asyncio.ensure_future(wake.wait())
                done, _ = await asyncio.wait({reader, waiter}, return_when=asyncio.FIRST_COMPLETED)
                if reader in done:
                    waiter.cancel()
                    break
        except ConnectionError:
            log.debug("directline: a stream went away in conversation %s", key)
        finally:
            self.streams.discard(ws)
            for stop in stops:
                stop()
            if lifetime is not None:
                lifetime.cancel()
            reader.cancel()

    @staticmethod
    async def _read(ws: web.WebSocketResponse) -> None:
        """Reads (and drops) what the client sends, until it closes: WebChat sends empty keep-alives."""
        async for frame in ws:
            if frame.type is WSMsgType.ERROR:
                break
