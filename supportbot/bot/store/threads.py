"""Where an agents' channel (Slack's) shows each handoff: one thread, claimed before it is posted.

The row is created before the thread is posted, so of several workers exactly one posts it; its
``seq`` (the transcript is relayed up to this line) is claimed the same way for each relay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store.errors import AlreadyDone
from supportbot.integrations.sql.state import handoff_threads


@dataclass(frozen=True)
class HandoffThread:
    number: str
    """The handoff's number."""
    channel: str
    place: str
    """The agents' channel."""
    thread: str | None
    """The thread's first message (Slack's ts); ``None`` while it is being posted."""
    owner: str | None
    """Who took the handoff over in that channel."""
    seq: int
    """The transcript is relayed into the thread up to this line."""


class HandoffThreads:
    """The ``handoff_threads`` table, one row per handoff and channel."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, number: str, channel: str, *, place: str, at: datetime) -> None:
        """This worker posts the handoff's thread; ``AlreadyDone`` when it is posted already, or being
        posted by another worker."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    handoff_threads.insert().values(
                        number=number, channel=channel, place=place, seq=0, created_at=at
                    )
                )
        except IntegrityError:
            raise AlreadyDone(f"the thread of {number} in {channel} is claimed already") from None

    async def release(self, number: str, channel: str) -> None:
        """Gives up a claim whose thread was never posted, so a later start tries again."""
        async with self._engine.begin() as conn:
            await conn.execute(
                handoff_threads.delete().where(*_key(number, channel), handoff_threads.c.thread.is_(None))
            )

    async def get(self, number: str, channel: str) -> HandoffThread | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(handoff_threads).where(*_key(number, channel)))).first()
        return _thread(row)

    async def in_thread(self, channel: str, *, place: str, thread: str) -> HandoffThread | None:
        """The handoff whose thread in ``place`` starts with message ``thread``."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(handoff_threads).where(
                        handoff_threads.c.place == place,
                        handoff_threads.c.thread == thread,
                        handoff_threads.c.channel == channel,
                    )
                )
            ).first()
        return _thread(row)

    async def posted(self, number: str, channel: str, *, thread: str, seq: int) -> None:
        """The claimed thread is posted as message ``thread``, with the transcript up to ``seq``."""
        await self._set(number, channel, thread=thread, seq=seq)

    async def owned(self, number: str, channel: str, *, owner: str) -> None:
        """``owner`` took the handoff over in the thread."""
        await self._set(number, channel, owner=owner)

    async def claim_lines(self, number: str, channel: str, *, after: int, up_to: int) -> bool:
        """Claims the lines after ``after`` up to ``up_to`` for relaying; ``False`` if another worker did."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(handoff_threads)
                .where(*_key(number, channel), handoff_threads.c.seq == after)
                .values(seq=up_to)
            )
        return bool(result.rowcount == 1)

    async def _set(self, number: str, channel: str, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(handoff_threads).where(*_key(number, channel)).values(**values))


def _key(number: str, channel: str) -> tuple[Any, Any]:
    return handoff_threads.c.number == number, handoff_threads.c.channel == channel


def _thread(row: Row[Any] | None) -> HandoffThread | None:
    if row is None:
        return None
    return HandoffThread(row.number, row.channel, row.place, row.thread, row.owner, row.seq)
