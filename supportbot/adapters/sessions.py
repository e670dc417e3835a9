"""Web sessions in signed cookies: a tampered cookie is no session, and a signed-in one names a session
the server keeps (``bot.sessions``), so that signing out ends it for good."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from supportbot.adapters.web.tokens import SignedTokens

COOKIE_NAME = "sb_session"
MAX_AGE = 14 * 24 * 3600
MAX_COOKIE = 4096
"""Characters of the longest cookie value read; a session's is far shorter."""


@dataclass(frozen=True)
class Session:
    sid: str
    """Identifies the browser's conversation; a new one at sign-in, which carries the transcript over."""
    user_id: str | None
    issued_at: int
    credentials: str | None = None
    """A keyed fingerprint of the password the user signed in under: once it changes (a reset, or a
    change made in the directory itself), the session is no longer valid."""
    token: str | None = None
    """The server-side session's token (``bot.sessions``); a guest's session has none."""

    @classmethod
    def new_guest(cls) -> Session:
        return cls(sid=secrets.token_urlsafe(16), user_id=None, issued_at=int(time.time()))

    def signed_in(self, user_id: str, *, credentials: str | None = None, token: str | None = None) -> Session:
        return Session(
            sid=secrets.token_urlsafe(16),
            user_id=user_id,
            issued_at=int(time.time()),
            credentials=credentials,
            token=token,
        )

    def signed_out(self) -> Session:
        return Session.new_guest()


class SessionCodec:
    """The session cookie's value: a signed token (``web.tokens``) of the session's fields, good for
    ``max_age`` seconds from sign-in."""

    def __init__(self, secret_key: bytes, *, max_age: int = MAX_AGE) -> None:
        self._tokens = SignedTokens(secret_key, "session", max_length=MAX_COOKIE)
        self.max_age = max_age

    def encode(self, session: Session) -> str:
        data: dict[str, object] = {"s": session.sid, "u": session.user_id, "t": session.issued_at}
        if session.credentials is not None:
            data["k"] = session.credentials
        if session.token is not None:
            data["x"] = session.token
        return self._tokens.sign(data)

    def decode(self, value: str | None, *, now: float | None = None) -> Session | None:
        data = self._tokens.read(value, now=now)
        if data is None:
            return None
        credentials, token = data.get("k"), data.get("x")
        if not all(v is None or isinstance(v, str) for v in (credentials, token)):
            return None
        try:
            session = Session(
                sid=str(data["s"]),
                user_id=data["u"],
                issued_at=int(data["t"]),
                credentials=credentials,
                token=token,
            )
        except (ValueError, KeyError, TypeError):
            return None
        if (now or time.time()) - session.issued_at > self.max_age:
            return None
        return session
