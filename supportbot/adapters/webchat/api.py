"""Sign-in, sign-out and "who am I" for the widget: JSON over HTTP, the session in a signed cookie."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from supportbot.adapters.sessions import Session
from supportbot.adapters.web.security import admitted, json_response, problem
from supportbot.adapters.webchat.context import Visitor, WebChat, conversation_key
from supportbot.adapters.webchat.protocol import last_language, user_json
from supportbot.bot.store import Store, TurnRecord
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

CARRY_TURNS = 100


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
        response = json_response(await _whoami(self.chat, visitor))
        if visitor.fresh:
            self.chat.cookie.set(response, visitor.session)
        return response

    async def login(self, request: web.Request) -> web.Response:
        given = await self.chat.door.credentials(request)
        if isinstance(given, web.Response):
            return given
        user, password = given
        outcome = await self.chat.signin.attempt(
            user, password, address=self.chat.door.client_address(request), door="webchat"
        )
        principal = admitted(request, outcome)
        if isinstance(principal, web.Response):
            return principal
        if principal.verification is None:
            # A registration's password counts once the address's owner has opened the mailed link.
            log.info("webchat: sign-in refused, the address is not confirmed yet")
            return problem(request, 403, "unconfirmed", "login.unconfirmed")
        return await self.sign_in(request, principal, stamp=outcome.stamp)

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
        response = json_response({**await _whoami(self.chat, visitor), **(extra or {})})
        self.chat.cookie.set(response, session)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        """This browser's session ends on the server too: its cookie, wherever a copy of it is, and its
        open chats are signed out at once."""
        if self.chat.door.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        old = self.chat.cookie.read(request)
        if old is not None and old.token is not None:
            await self.chat.app.sessions.end(old.token)
            log.info("webchat: %s signed out", old.user_id)
        return self._signed_out()

    async def logout_everywhere(self, request: web.Request) -> web.Response:
        """Every session of the signed-in user ends (web chat and agent console): "sign out everywhere"."""
        if self.chat.door.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        visitor = await self.chat.visitor(request)
        if visitor.user_id is not None:
            await self.chat.app.sessions.end_all(visitor.user_id)
            log.info("webchat: %s signed out everywhere", visitor.user_id)
        return self._signed_out()

    def _signed_out(self) -> web.Response:
        response = json_response({"user": None, "language": None})
        self.chat.cookie.set(response, Session.new_guest())
        return response
