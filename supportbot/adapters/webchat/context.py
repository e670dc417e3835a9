"""What every web chat handler shares: the application, the cookie codec, and the session in a request."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from supportbot.adapters.sessions import COOKIE_NAME, Session, SessionCodec
from supportbot.adapters.signin import SignIn, client_address
from supportbot.adapters.webchat.origin import cross_site, same_origin
from supportbot.adapters.webchat.protocol import last_language
from supportbot.bot.limits import Limits, Rule
from supportbot.bot.messages import ConversationRef
from supportbot.bot.sessions import SessionRecord
from supportbot.integrations.models import Principal

if TYPE_CHECKING:
    from supportbot.adapters.app import Application

REGISTRATIONS = 20
"""Registration attempts per client address in ``REGISTRATION_WINDOW`` seconds."""
REGISTRATION_WINDOW = 3600.0
WARNINGS = 3
""""Someone tried to register with your address" mails per address a day, so no one can mail-bomb it."""
WARNING_WINDOW = 86400.0
RESET_REQUESTS = 10
"""Password reset requests per client address in ``RESET_REQUEST_WINDOW`` seconds; more get 429."""
RESET_REQUEST_WINDOW = 900.0
RESET_MAILS = 3
"""Reset mails per e-mail address in ``RESET_MAIL_WINDOW`` seconds; past that the answer stays the same
and no mail goes out, so nobody can flood a mailbox, nor keep its owner from getting a link (the
mails already sent work)."""
RESET_MAIL_WINDOW = 3600.0
RESET_ATTEMPTS = 20
"""New passwords sent from the reset page per client address in ``RESET_ATTEMPT_WINDOW`` seconds."""
RESET_ATTEMPT_WINDOW = 900.0


def registration_rule(address: str) -> Rule:
    return Rule(f"register:address:{address}", REGISTRATIONS, REGISTRATION_WINDOW)


def warning_rule(email: str) -> Rule:
    return Rule(f"register:warning:{email}", WARNINGS, WARNING_WINDOW)


def reset_request_rule(address: str) -> Rule:
    return Rule(f"reset:address:{address}", RESET_REQUESTS, RESET_REQUEST_WINDOW)


def reset_mail_rule(email: str) -> Rule:
    return Rule(f"reset:mail:{email}", RESET_MAILS, RESET_MAIL_WINDOW)


def reset_attempt_rule(address: str) -> Rule:
    return Rule(f"reset:attempt:{address}", RESET_ATTEMPTS, RESET_ATTEMPT_WINDOW)


@dataclass(frozen=True)
class Visitor:
    """The browser behind a request: its session (possibly brand new) and who it is."""

    session: Session
    principal: Principal
    fresh: bool
    """The session was made for this request, so the response must set the cookie."""
    record: SessionRecord | None = None
    """The server-side session (``bot.sessions``) when signed in: its end closes the chats."""

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
    _credentials_key: bytes = field(init=False, repr=False)
    signin: SignIn = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._credentials_key = hashlib.sha256(
            b"supportbot-session-credentials\x00" + self.app.secret_key
        ).digest()
        self.signin = SignIn(self.app.backends.directory, self.app.limits, secret_key=self.app.secret_key)

    @property
    def limits(self) -> Limits:
        return self.app.limits

    @property
    def trusted_origins(self) -> tuple[str, ...]:
        return (self.app.settings.public_url,)

    def client_address(self, request: web.Request) -> str:
        return client_address(request, trust_forwarded_for=self.app.settings.trust_forwarded_for)

    def same_origin(self, request: web.Request) -> bool:
        return same_origin(
            request.headers.get("Origin"), request.host, scheme=request.scheme, trusted=self.trusted_origins
        )

    def cross_site(self, request: web.Request) -> bool:
        return cross_site(
            request.headers.get("Origin"), request.host, scheme=request.scheme, trusted=self.trusted_origins
        )

    def credentials(self, stamp: str) -> str:
        """What a session (or a reset link) carries of the password's stamp: a keyed fingerprint of it."""
        return hmac.new(self._credentials_key, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    async def signed_in_session(
        self, session: Session, user_id: str, *, stamp: str | None = None
    ) -> tuple[Session, SessionRecord]:
        """A new session for ``user_id``, kept on the server and bound to the password it signed in with
        (``stamp``, read before the password was checked; else now); and its record."""
        if stamp is None:
            stamp = await self.app.backends.directory.credential_stamp(user_id)
        token, record = await self.app.sessions.start(user_id, kind="web")
        signed_in = session.signed_in(
            user_id, credentials=self.credentials(stamp) if stamp else None, token=token
        )
        return signed_in, record

    async def current(self, session: Session) -> bool:
        """Whether a signed-in session was made under the user's present password (a guest's always is)."""
        if session.user_id is None:
            return True
        stamp = await self.app.backends.directory.credential_stamp(session.user_id)
        return (
            stamp is not None
            and session.credentials is not None
            and hmac.compare_digest(self.credentials(stamp), session.credentials)
        )

    async def visitor(self, request: web.Request) -> Visitor:
        """The request's session; a missing, tampered or expired cookie, a session signed out, idle too
        long or past its lifetime, a vanished user, a session from before the user's password changed,
        or one of an account whose address is not confirmed is a new guest."""
        session = self.codec.decode(request.cookies.get(COOKIE_NAME))
        if session is None:
            return Visitor(Session.new_guest(), Principal.guest(), fresh=True)
        if session.user_id is None:
            return Visitor(session, Principal.guest(), fresh=False)
        record = await self.app.sessions.check(session.token, kind="web", user_id=session.user_id)
        if record is None:
            return Visitor(Session.new_guest(), Principal.guest(), fresh=True)
        principal = await self.app.pipeline.principal(session.user_id)
        if principal.is_guest or principal.verification is None or not await self.current(session):
            return Visitor(Session.new_guest(), Principal.guest(), fresh=True)
        return Visitor(session, principal, fresh=False, record=record)

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
