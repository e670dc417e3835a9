"""Direct Line's bearer tokens and stream tokens, signed with keys of their own purpose.

A token names one conversation (``c``), its user (``u``; ``None`` for a guest), the web chat session
it was given to (``h``: the session's handle, so signing out ends it) with a fingerprint of the
password that session was made under (``p``), and its expiry (``e``). It is short-lived
(``TOKEN_SECONDS``; WebChat refreshes it halfway) and is refused, like any tampered or foreign one,
once expired. A stream token (the ``t`` of a ``streamUrl``) opens that conversation's WebSocket only,
within ``STREAM_SECONDS``; it never works as a bearer token, nor the other way round.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from supportbot.adapters.web.tokens import EXPIRES, SignedTokens

TOKEN_SECONDS = 1800
"""A bearer token's lifetime: WebChat refreshes its token every 15 minutes."""
STREAM_SECONDS = 300
"""How long a ``streamUrl`` may be opened after it was handed out."""
MAX_TOKEN_CHARS = 2048
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_\-]{16,64}")


def new_conversation_id() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Grant:
    """What a genuine token allows: one conversation, as one user (``None``: a guest), for one session."""

    conversation_id: str
    user_id: str | None
    handle: str | None
    """The web chat session's handle (``bot.sessions.handle_of``) for a signed-in user."""
    credentials: str | None
    """The password fingerprint that session carries (``WebChat.credentials``)."""
    expires: int


class DirectLineTokens:
    def __init__(self, secret_key: bytes) -> None:
        self._bearer = SignedTokens(secret_key, "directline-token", max_length=MAX_TOKEN_CHARS)
        self._stream = SignedTokens(secret_key, "directline-stream", max_length=MAX_TOKEN_CHARS)

    def issue(self, grant: Grant) -> str:
        return self._bearer.sign(
            {
                "c": grant.conversation_id,
                "u": grant.user_id,
                "h": grant.handle,
                "p": grant.credentials,
                EXPIRES: grant.expires,
            }
        )

    def read(self, token: str | None, *, now: float | None = None) -> Grant | None:
        """The grant of a genuine, unexpired bearer token; ``None`` for any other."""
        return _grant(self._bearer.read(token, now=now))

    def stream(self, grant: Grant, *, now: float | None = None) -> str:
        """A token that opens the conversation's stream for ``STREAM_SECONDS``."""
        at = int(now if now is not None else time.time())
        return self._stream.sign(
            {
                "c": grant.conversation_id,
                "u": grant.user_id,
                "h": grant.handle,
                "p": grant.credentials,
                EXPIRES: at + STREAM_SECONDS,
            }
        )

    def read_stream(self, token: str | None, *, now: float | None = None) -> Grant | None:
        return _grant(self._stream.read(token, now=now))


def expiry(now: float | None = None) -> int:
    return int(now if now is not None else time.time()) + TOKEN_SECONDS


def _grant(data: dict[str, object] | None) -> Grant | None:
    if data is None:
        return None
    conversation, user, handle, credentials, expires = (
        data.get("c"),
        data.get("u"),
        data.get("h"),
        data.get("p"),
        data.get(EXPIRES),
    )
    if not isinstance(conversation, str) or not CONVERSATION_ID.fullmatch(conversation):
        return None
    if not all(v is None or isinstance(v, str) for v in (user, handle, credentials)):
        return None
    if not isinstance(expires, int):
        return None
    assert user is None or isinstance(user, str)
    assert handle is None or isinstance(handle, str)
    assert credentials is None or isinstance(credentials, str)
    if (user is None) != (handle is None):
        return None
    return Grant(conversation, user, handle, credentials, expires)
