"""Signed-in sessions kept on the server, so that signing out, "sign out everywhere" and a new password
end them at once in every worker, and an idle or old session ends by itself.

A cookie still carries the session (signed), but only a token for it; the server keeps a hash of the
token, so its table signs nobody in if it leaks. ``SessionStore`` is the storage (the store's
``SqlSessionStore``; Redis can take it over), ``Sessions`` what the channels use: it also tells open
connections, over the bus, that their session ended.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from supportbot.bot.bus import MessageBus, Unsubscribe

log = logging.getLogger(__name__)

Kind = Literal["web", "agent"]

TOUCH_EVERY = timedelta(minutes=1)
"""A session's ``last_seen`` is written at most this often, so a busy session costs no write per request."""
PRUNE_EVERY = timedelta(hours=1)
KEEP_ENDED = timedelta(days=1)
"""Ended rows are kept this long (for a look at what happened), then deleted."""
ENDED = "session_ended"
"""The bus message on ``session_topic`` that the session was signed out: its connections close."""


def session_topic(handle: str) -> str:
    """Where a session's end is told; open WebSockets of that session listen here."""
    return f"session:{handle}"


def handle_of(token: str) -> str:
    """The session's id in the table and on the bus: a hash of the token, which only the cookie carries."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionRecord:
    handle: str
    user_id: str
    kind: str
    created_at: datetime
    last_seen: datetime
    idle: timedelta
    expires_at: datetime
    revoked_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        """Not signed out, used within its idle time, and younger than its lifetime."""
        return self.revoked_at is None and now < self.expires_at and now - self.last_seen < self.idle


@dataclass(frozen=True)
class Lifetime:
    idle: timedelta
    """A session unused this long ends."""
    absolute: timedelta
    """A session ends this long after sign-in, however busy."""


class SessionStore(Protocol):
    async def create(self, user_id: str, *, kind: Kind, lifetime: Lifetime) -> tuple[str, SessionRecord]:
        """A new session: its token (for the cookie only) and its record."""
        ...

    async def check(self, token: str, *, kind: Kind) -> SessionRecord | None:
        """The live session of this token and kind, its use noted; ``None`` for any other."""
        ...

    async def revoke(self, token: str) -> str | None:
        """End one session; its handle, if it was live."""
        ...

    async def revoke_user(self, user_id: str) -> list[str]:
        """End every session of a user, of every kind; their handles."""
        ...

    async def active(self, user_id: str) -> list[SessionRecord]:
        """A user's live sessions, oldest first."""
        ...


class Sessions:
    """What the channels use: sessions of each kind with their lifetimes, ended everywhere at once."""

    def __init__(
        self,
        store: SessionStore,
        bus: MessageBus,
        *,
        lifetimes: dict[Kind, Lifetime],
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus
        self.lifetimes = lifetimes
        self.clock = clock or (lambda: datetime.now(UTC))

    def seconds_left(self, record: SessionRecord) -> float:
        """Until the session's lifetime ends, however busy it is: an open connection closes then."""
        return max(0.0, (record.expires_at - self.clock()).total_seconds())

    async def start(self, user_id: str, *, kind: Kind) -> tuple[str, SessionRecord]:
        return await self.store.create(user_id, kind=kind, lifetime=self.lifetimes[kind])

    async def check(self, token: str | None, *, kind: Kind, user_id: str) -> SessionRecord | None:
        """The live session of ``token``, if it is ``user_id``'s and of this kind."""
        if token is None:
            return None
        record = await self.store.check(token, kind=kind)
        return record if record is not None and record.user_id == user_id else None

    async def end(self, token: str | None) -> None:
        """Sign one session out; its open connections, on every worker, close."""
        if token is None:
            return
        handle = await self.store.revoke(token)
        if handle is not None:
            await self._tell([handle])

    async def end_all(self, user_id: str) -> int:
        """Sign a user out everywhere (every kind of session): "sign out everywhere", a new password."""
        handles = await self.store.revoke_user(user_id)
        await self._tell(handles)
        log.info("sessions: ended %d session(s) of %s", len(handles), user_id)
        return len(handles)

    async def active(self, user_id: str) -> list[SessionRecord]:
        return await self.store.active(user_id)

    async def watch(self, handle: str, ended: Callable[[], Awaitable[None]]) -> Unsubscribe:
        """Call ``ended`` when the session is signed out (from this worker or another)."""

        async def listener(message: dict[str, Any]) -> None:
            if message.get("type") == ENDED:
                await ended()

        return await self.bus.subscribe(session_topic(handle), listener)

    async def _tell(self, handles: list[str]) -> None:
        for handle in handles:
            try:
                await self.bus.publish(session_topic(handle), {"type": ENDED})
            except Exception:  # the rows are revoked: a connection missed here ends at its next check
                log.warning("sessions: could not announce the end of a session", exc_info=True)
