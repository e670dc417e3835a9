"""What every web chat handler shares: the application, the cookie codec, and the session in a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from supportbot.adapters.sessions import COOKIE_NAME, Session, SessionCodec
from supportbot.adapters.webchat.origin import cross_site, same_origin
from supportbot.adapters.webchat.protocol import last_language
from supportbot.adapters.webchat.ratelimit import KeyedWindows
from supportbot.bot.messages import ConversationRef
from supportbot.integrations.models import Principal

if TYPE_CHECKING:
    from supportbot.adapters.app import Application

LOGIN_ATTEMPTS = 10
"""Failed sign-ins per user ID in ``LOGIN_WINDOW`` seconds before further attempts are refused."""
LOGIN_WINDOW = 300.0
ADDRESS_ATTEMPTS = 30
"""Failed sign-ins per client address in ``ADDRESS_WINDOW`` seconds before it may not try at all."""
ADDRESS_WINDOW = 900.0
REGISTRATIONS = 20
"""Registration attempts per client address in ``REGISTRATION_WINDOW`` seconds."""
REGISTRATION_WINDOW = 3600.0
WARNINGS = 3
""""Someone tried to register with your address" mails per address a day, so no one can mail-bomb it."""
WARNING_WINDOW = 86400.0


@dataclass(frozen=True)
class Visitor:
    """The browser behind a request: its session (possibly brand new) and who it is."""

    session: Session
    principal: Principal
    fresh: bool
    """The session was made for this request, so the response must set the cookie."""

    @property
    def user_id(self) -> str | None:
        return self.principal.user_id

    @property
    def conversation_key(self) -> str:
        return conversation_key(self.session)


def conversation_key(session: Session) -> str:
    return ConversationRef(channel="web", conversation_id=session.sid).key


@dataclass
class WebChat:
    app: Application
    codec: SessionCodec
    cookie_secure: bool
    logins: KeyedWindows = field(default_factory=lambda: KeyedWindows(LOGIN_ATTEMPTS, LOGIN_WINDOW))
    address_logins: KeyedWindows = field(
        default_factory=lambda: KeyedWindows(ADDRESS_ATTEMPTS, ADDRESS_WINDOW)
    )
    registrations: KeyedWindows = field(
        default_factory=lambda: KeyedWindows(REGISTRATIONS, REGISTRATION_WINDOW)
    )
    warnings: KeyedWindows = field(default_factory=lambda: KeyedWindows(WARNINGS, WARNING_WINDOW))

    @property
    def trusted_origins(self) -> tuple[str, ...]:
        return (self.app.settings.public_url,)

    def client_address(self, request: web.Request) -> str:
        """The peer's address; behind a trusted proxy, the address that proxy saw (its own entry, the last)."""
        if self.app.settings.trust_forwarded_for:
            forwarded = request.headers.get("X-Forwarded-For", "").rsplit(",", 1)[-1].strip()
            if forwarded:
                return forwarded[:64]
        return request.remote or "unknown"

    def same_origin(self, request: web.Request) -> bool:
        return same_origin(request.headers.get("Origin"), request.host, trusted=self.trusted_origins)

    def cross_site(self, request: web.Request) -> bool:
        return cross_site(request.headers.get("Origin"), request.host, trusted=self.trusted_origins)

    async def visitor(self, request: web.Request) -> Visitor:
        """The request's session; a missing, tampered or expired cookie (or a vanished user) is a new guest."""
        session = self.codec.decode(request.cookies.get(COOKIE_NAME))
        if session is None:
            return Visitor(Session.new_guest(), Principal.guest(), fresh=True)
        principal = await self.app.pipeline.principal(session.user_id)
        if session.user_id is not None and principal.is_guest:
            return Visitor(Session.new_guest(), principal, fresh=True)
        return Visitor(session, principal, fresh=False)

    async def language(self, visitor: Visitor) -> str | None:
        """The language of the conversation's latest reply; ``None`` before the first, so the page's rules."""
        return last_language(await self.app.pipeline.history(visitor.conversation_key, limit=20))

    def set_cookie(self, response: web.StreamResponse, session: Session) -> None:
        response.set_cookie(
            COOKIE_NAME,
            self.codec.encode(session),
            max_age=self.codec.max_age,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=self.cookie_secure,
        )
