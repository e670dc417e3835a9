"""Sign-in, sign-out and "who am I" for the widget: JSON over HTTP, the session in a signed cookie."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from supportbot.adapters.sessions import COOKIE_NAME, Session
from supportbot.adapters.webchat.context import Visitor, WebChat, conversation_key
from supportbot.adapters.webchat.protocol import MAX_LOGIN_BODY, last_language, parse_credentials, user_json
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import translate
from supportbot.bot.store import Store, TurnRecord
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

CARRY_TURNS = 100
NO_STORE = {"Cache-Control": "no-store"}


def _json(data: dict[str, Any], *, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers=NO_STORE)


def _problem(request: web.Request, status: int, error: str, key: str) -> web.Response:
    language = pick_language(accept_language(request.headers.get("Accept-Language")))
    return _json({"error": error, "message": translate(f"webchat.{key}", language)}, status=status)


async def small_json_body(
    chat: WebChat, request: web.Request, *, limit: int, key: str
) -> bytes | web.Response:
    """The body of a same-site JSON POST of at most ``limit`` bytes, or the polite problem to answer
    (``key`` names its message): 403 cross-site, 415 not JSON, 413 announced too large, 400 longer."""
    if chat.cross_site(request):
        return _problem(request, 403, "forbidden", "request.forbidden")
    if request.content_type != "application/json":
        return _problem(request, 415, "bad_request", key)
    if request.content_length is not None and request.content_length > limit:
        return _problem(request, 413, "bad_request", key)
    body = await request.content.read(limit + 1)
    if len(body) > limit:
        return _problem(request, 400, "bad_request", key)
    return body


async def _whoami(chat: WebChat, visitor: Visitor) -> dict[str, Any]:
    return {"user": user_json(visitor.principal), "language": await chat.language(visitor)}


async def carry_over(store: Store, old_key: str, new_key: str, *, user_id: str | None) -> None:
    """A guest's transcript goes on under the signed-in session; its dialog state and delivery ids stay behind."""
    turns = await store.history(old_key, limit=CARRY_TURNS)
    if not turns:
        return
    conv = await store.load(new_key, channel="web", user_id=user_id)
    if conv.exists:
        return
    conv.language = last_language(turns) or conv.language
    await store.save_turn(
        conv, *(TurnRecord(role=t.role, text=t.text, payload=t.payload, at=t.at) for t in turns)
    )


class SessionApi:
    def __init__(self, chat: WebChat) -> None:
        self.chat = chat

    async def session(self, request: web.Request) -> web.Response:
        visitor = await self.chat.visitor(request)
        response = _json(await _whoami(self.chat, visitor))
        if visitor.fresh:
            self.chat.set_cookie(response, visitor.session)
        return response

    async def login(self, request: web.Request) -> web.Response:
        body = await small_json_body(self.chat, request, limit=MAX_LOGIN_BODY, key="login.bad_request")
        if isinstance(body, web.Response):
            return body
        given = parse_credentials(body)
        if given is None:
            return _problem(request, 400, "bad_request", "login.bad_request")
        user, password = given
        outcome = await self.chat.signin.attempt(
            user, password, address=self.chat.client_address(request), door="webchat"
        )
        if outcome.result == "rate_limited":
            return _problem(request, 429, "rate_limited", "login.rate_limited")
        if outcome.result == "unavailable":
            return _problem(request, 503, "unavailable", "error.internal")
        if outcome.result == "internal":
            return _problem(request, 500, "internal", "error.internal")
        if outcome.principal is None:
            return _problem(request, 401, "invalid_credentials", "login.failed")
        if outcome.principal.verification is None:
            # A registration's password counts once the address's owner has opened the mailed link.
            log.info("webchat: sign-in refused, the address is not confirmed yet")
            return _problem(request, 403, "unconfirmed", "login.unconfirmed")
        return await self.sign_in(request, outcome.principal, stamp=outcome.stamp)

    async def sign_in(
        self,
        request: web.Request,
        principal: Principal,
        *,
        extra: dict[str, Any] | None = None,
        stamp: str | None = None,
    ) -> web.Response:
        """A new session for ``principal``, bound to its password (``stamp``: read before the password
        was checked; by default now)."""
        assert principal.user_id is not None
        old = await self.chat.visitor(request)
        session, record = await self.chat.signed_in_session(old.session, principal.user_id, stamp=stamp)
        # A guest's chat (or the same user's, signing in again) goes on; another user's never does.
        if not old.fresh and old.principal.user_id in (None, principal.user_id):
            await carry_over(
                self.chat.app.store,
                old.conversation_key,
                conversation_key(session),
                user_id=principal.user_id,
            )
        self.chat.app.pipeline.forget_principal(principal.user_id)
        visitor = Visitor(session, principal, fresh=True, record=record)
        log.info("webchat: %s signed in", principal.user_id)
        response = _json({**await _whoami(self.chat, visitor), **(extra or {})})
        self.chat.set_cookie(response, session)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        """This browser's session ends on the server too: its cookie, wherever a copy of it is, and its
        open chats are signed out at once."""
        if self.chat.cross_site(request):
            return _problem(request, 403, "forbidden", "request.forbidden")
        old = self.chat.codec.decode(request.cookies.get(COOKIE_NAME))
        if old is not None and old.token is not None:
            await self.chat.app.sessions.end(old.token)
            log.info("webchat: %s signed out", old.user_id)
        return self._signed_out()

    async def logout_everywhere(self, request: web.Request) -> web.Response:
        """Every session of the signed-in user ends (web chat and agent console): "sign out everywhere"."""
        if self.chat.cross_site(request):
            return _problem(request, 403, "forbidden", "request.forbidden")
        visitor = await self.chat.visitor(request)
        if visitor.user_id is not None:
            await self.chat.app.sessions.end_all(visitor.user_id)
            log.info("webchat: %s signed out everywhere", visitor.user_id)
        return self._signed_out()

    def _signed_out(self) -> web.Response:
        response = _json({"user": None, "language": None})
        self.chat.set_cookie(response, Session.new_guest())
        return response
