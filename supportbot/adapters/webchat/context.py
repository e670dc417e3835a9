"""What every web chat handler shares: the application, the cookie codec, and the session in a request."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from supportbot.adapters.channel import Arrival
from supportbot.adapters.sessions import COOKIE_NAME, Session, SessionCodec
from supportbot.adapters.signin import SignIn
from supportbot.adapters.web.security import SessionCookie, WebDoor
from supportbot.adapters.webchat.protocol import (
    CAPABILITIES,
    ChatFrame,
    last_language,
    reply_json,
    to_message,
)
from supportbot.bot.limits import Limits, Rule
from supportbot.bot.messages import ConversationRef, Message, Reply
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


class TypingClock:
    """When the answers being worked out on a worker are due to show the typing indicator: each is
    ``delay`` seconds after it began, and whatever is still coming then shows it (``show``).

    One timer serves every chat of the worker, set for the earliest answer still coming, instead of
    one per message: most answers come long before, and a timer for each (made, sorted in among the
    others, cancelled) cost a few microseconds of every message's time.
    """

    def __init__(self) -> None:
        self._due: dict[Callable[[], None], float] = {}
        """What shows each answer's indicator → when; in the order the answers began, so the earliest first."""
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, show: Callable[[], None], delay: float) -> None:
        """An answer begins: ``show`` is called ``delay`` seconds from now unless ``stop`` comes first."""
        loop = asyncio.get_running_loop()
        due = loop.time() + delay
        self._due.pop(show, None)  # (a chat answers one message at a time: only a leftover)
        self._due[show] = due
        if self._timer is None or loop is not self._loop:
            self._loop, self._timer = loop, loop.call_at(due, self._tick)

    def stop(self, show: Callable[[], None]) -> None:
        """The answer came (or failed): its indicator is not shown, if it was not yet."""
        self._due.pop(show, None)

    def _tick(self) -> None:
        assert self._loop is not None
        self._timer = None
        now = self._loop.time()
        while self._due:
            show, due = next(iter(self._due.items()))
            if due > now:
                self._timer = self._loop.call_at(due, self._tick)
                return
            del self._due[show]
            show()


@dataclass
class WebChat:
    """The web chat's share of the application and its request checks: what every handler uses."""

    app: Application
    _credentials_key: bytes = field(init=False, repr=False)
    signin: SignIn = field(init=False, repr=False)
    door: WebDoor = field(init=False, repr=False)
    """The request checks the web chat shares with the agent console (origins, bodies, sign-in)."""
    cookie: SessionCookie = field(init=False, repr=False)
    open_chats: set[Any] = field(init=False, repr=False, default_factory=set)
    """The chats (``connection.Connection``) open on this worker: counted in the metrics, told to
    reconnect when the worker shuts down."""
    typing: TypingClock = field(init=False, repr=False, default_factory=TypingClock)
    """When their answers show the typing indicator."""

    def __post_init__(self) -> None:
        secret_key = self.app.secret_key
        self._credentials_key = hashlib.sha256(b"supportbot-session-credentials\x00" + secret_key).digest()
        self.signin = SignIn(self.app.backends.directory, self.app.limits, secret_key=secret_key)
        self.door = WebDoor.of(self.app.settings)
        self.cookie = SessionCookie(
            COOKIE_NAME, "/", "Lax", self.app.settings.cookie_secure, SessionCodec(secret_key)
        )

    name = "web"
    capabilities = CAPABILITIES

    @property
    def limits(self) -> Limits:
        return self.app.limits

    def to_message(self, inbound: ChatFrame, arrival: Arrival) -> Message:
        return to_message(
            inbound.frame,
            sid=inbound.sid,
            user_id=arrival.user_id,
            received_at=arrival.received_at,
            language_hint=inbound.language_hint,
            files=arrival.files,
            shown_fields=inbound.shown_fields,
            secret_fields=inbound.secret_fields,
            time_zone=inbound.time_zone,
        )

    def render(self, reply: Reply) -> dict[str, Any]:
        return reply_json(reply)

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Open chats get notices over the bus and later ones find them in the history (``bot.notify``):
        there is nothing to deliver here."""
        return False

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
        session = self.cookie.read(request)
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
