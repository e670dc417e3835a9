"""Sign-in, sign-out and "who am I" for the widget: JSON over HTTP, the session in a signed cookie."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from supportbot.adapters.sessions import Session
from supportbot.adapters.webchat.context import Visitor, WebChat, conversation_key
from supportbot.adapters.webchat.protocol import MAX_LOGIN_BODY, last_language, parse_credentials, user_json
from supportbot.adapters.webchat.wording import accept_language, pick_language, say
from supportbot.bot.store import Store, TurnRecord
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

CARRY_TURNS = 100
NO_STORE = {"Cache-Control": "no-store"}


def _json(data: dict[str, Any], *, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers=NO_STORE)


def _problem(request: web.Request, status: int, error: str, key: str) -> web.Response:
    language = pick_language(accept_language(request.headers.get("Accept-Language")))
    return _json({"error": error, "message": say(key, language)}, status=status)


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
        throttle_key = user.casefold()
        address = self.chat.client_address(request)
        # Two limits. An address that failed too often may not try at all. A user ID that failed too
        # often is locked only for addresses that have failed recently: a stranger guessing Anna's
        # password locks themselves out, not Anna, who signs in from an address that has not failed.
        # The trade-off: an attacker with many addresses gets one guess per fresh address per window
        # at a locked user ID (and 30 per address across user IDs); a lock that shut out Anna as well
        # would let anyone lock any user out at will.
        user_locked = self.chat.logins.blocked(throttle_key)
        if self.chat.address_logins.blocked(address) or (
            user_locked and self.chat.address_logins.seen(address)
        ):
            log.warning("webchat: sign-in refused, too many failed attempts")
            return _problem(request, 429, "rate_limited", "login.rate_limited")
        directory = self.chat.app.backends.directory
        try:
            # Read before the password is checked: if it changes in between, this session is born stale.
            stamp = await directory.credential_stamp(user)
            principal = await directory.authenticate(user, password)
        except BackendUnavailable:
            log.warning("webchat: directory unavailable at sign-in")
            return _problem(request, 503, "unavailable", "error.internal")
        except Exception as exc:  # noqa: BLE001 - only the type is logged: a message could quote the input
            log.error("webchat: sign-in failed with %s", type(exc).__name__)
            return _problem(request, 500, "internal", "error.internal")
        if principal is None or principal.user_id is None:
            self.chat.logins.allow(throttle_key)
            self.chat.address_logins.allow(address)
            log.info("webchat: failed sign-in")
            if user_locked:
                return _problem(request, 429, "rate_limited", "login.rate_limited")
            return _problem(request, 401, "invalid_credentials", "login.failed")
        if principal.verification is None:
            # A registration's password counts once the address's owner has opened the mailed link.
            log.info("webchat: sign-in refused, the address is not confirmed yet")
            return _problem(request, 403, "unconfirmed", "login.unconfirmed")
        return await self.sign_in(request, principal, stamp=stamp)

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
        session = await self.chat.signed_in_session(old.session, principal.user_id, stamp=stamp)
        # A guest's chat (or the same user's, signing in again) goes on; another user's never does.
        if not old.fresh and old.principal.user_id in (None, principal.user_id):
            await carry_over(
                self.chat.app.store,
                old.conversation_key,
                conversation_key(session),
                user_id=principal.user_id,
            )
        self.chat.app.pipeline.forget_principal(principal.user_id)
        visitor = Visitor(session, principal, fresh=True)
        log.info("webchat: %s signed in", principal.user_id)
        response = _json({**await _whoami(self.chat, visitor), **(extra or {})})
        self.chat.set_cookie(response, session)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        if self.chat.cross_site(request):
            return _problem(request, 403, "forbidden", "request.forbidden")
        session = Session.new_guest()
        response = _json({"user": None, "language": None})
        self.chat.set_cookie(response, session)
        return response
