"""Claims of proactive notices (``services.notices``): each one is sent by exactly one worker, once.

Inserting a notice's row claims it: of several workers (or passes) deciding the same notice, the one
whose insert succeeds sends it, the others get ``AlreadyDone``. The claimant then records what it did:
``delivered_at`` once the notice is in the user's inbox (and their chat channels), ``mailed_at`` in the
same transaction that queues its mail. A claim left unfinished longer than a lease (the worker died
between claiming and sending) is taken over with one conditional update, so exactly one later pass
finishes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from supportbot.bot.store.errors import AlreadyDone
from supportbot.integrations.sql.state import notices

MailQueueing = Callable[[AsyncConnection], Awaitable[Sequence[int]]]
"""Queues a notice's mail on the connection of the transaction that marks it mailed."""


@dataclass(frozen=True)
class NoticeClaim:
    key: str
    user_id: str
    kind: str
    claimed_at: datetime
    claimed_by: str
    delivered_at: datetime | None
    mailed_at: datetime | None

    @property
    def done(self) -> bool:
        return self.delivered_at is not None and self.mailed_at is not None


class NoticeRows:
    """The ``notices`` table, one row per notice, user and occasion."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, key: str, *, user_id: str, kind: str, at: datetime, by: str) -> NoticeClaim:
        """This worker sends the notice ``key``; ``AlreadyDone`` when another worker or pass claimed it."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    notices.insert().values(key=key, user_id=user_id, kind=kind, claimed_at=at, claimed_by=by)
                )
        except IntegrityError:
            raise AlreadyDone(f"the notice {key} is claimed already") from None
        return NoticeClaim(key, user_id, kind, at, by, None, None)

    async def take_over(
        self, key: str, *, at: datetime, by: str, stale_before: datetime
    ) -> NoticeClaim | None:
        """Claims an unfinished notice whose claim is older than ``stale_before`` (its worker died
        before sending it); ``None`` when it is finished, or still held by a live claim."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(notices)
                .where(
                    notices.c.key == key,
                    or_(notices.c.delivered_at.is_(None), notices.c.mailed_at.is_(None)),
                    notices.c.claimed_at < stale_before,
                )
                .values(claimed_at=at, claimed_by=by)
            )
            if result.rowcount != 1:
                return None
            row = (await conn.execute(select(notices).where(notices.c.key == key))).one()
        return _claim(row)

    async def get(self, key: str) -> NoticeClaim | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(notices).where(notices.c.key == key))).first()
        return None if row is None else _claim(row)

    async def for_user(self, user_id: str) -> list[NoticeClaim]:
        """A user's notices, oldest claim first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(notices)
                .where(notices.c.user_id == user_id)
                .order_by(notices.c.claimed_at, notices.c.key)
            )
            return [_claim(row) for row in rows]

    async def delivered(self, key: str, *, at: datetime) -> None:
        """The notice is in the user's inbox and sent to their chat channels."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(notices)
                .where(notices.c.key == key, notices.c.delivered_at.is_(None))
                .values(delivered_at=at)
            )

    async def mailed(self, key: str, *, at: datetime, queue: MailQueueing | None) -> Sequence[int]:
        """Marks the notice mailed and queues its mail (``queue``, none for a user without an address)
        in one transaction: the mail is queued exactly once, by whoever marks it. Returns the queued
        mail's ids (none when it was mailed already)."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(notices)
                .where(notices.c.key == key, notices.c.mailed_at.is_(None))
                .values(mailed_at=at)
            )
            if result.rowcount != 1 or queue is None:
                return ()
            return await queue(conn)


def _claim(row: Row[tuple[object, ...]]) -> NoticeClaim:
    return NoticeClaim(
        row.key, row.user_id, row.kind, row.claimed_at, row.claimed_by, row.delivered_at, row.mailed_at
    )
