"""The handoff queue's rows and the agents' presence, for ``bot.handoff``.

A handoff is ``queued`` until an agent takes it (one conditional update: one agent wins), ``active``
while that agent owns the conversation, ``closed`` once handed back or closed with a resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from supportbot.bot.store.writer import Statement
from supportbot.integrations.models import GuestContact
from supportbot.integrations.sql.state import agent_presence, agent_status, handoffs

QUEUED, ACTIVE, CLOSED = "queued", "active", "closed"
OPEN_LISTED = 500
"""At most this many open handoffs are listed at once."""

_HANDED_BACK = (
    update(handoffs)
    .where(handoffs.c.number == bindparam("handoff"))
    .values(
        # Anything but the agent's active handoff becomes no status at all, which the column refuses:
        # the transaction it was written in is refused as a whole (``IntegrityError``).
        status=case(
            (and_(handoffs.c.status == ACTIVE, handoffs.c.agent == bindparam("owner")), CLOSED),
        ),
        closed_at=bindparam("closed_at"),
        resolution=bindparam("resolution"),
    )
)


@dataclass(frozen=True)
class Handoff:
    number: str
    conversation_key: str
    channel: str
    user_id: str | None
    status: str
    agent: str | None
    created_at: datetime
    taken_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    position: int | None = None
    """Place in the queue (1 = next) while queued."""
    guest: GuestContact | None = None
    """A web chat guest's handoff: who they said they are, not verified (no user id)."""

    @property
    def open(self) -> bool:
        return self.status in (QUEUED, ACTIVE)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "conversation": self.conversation_key,
            "channel": self.channel,
            "user_id": self.user_id,
            "status": self.status,
            "agent": self.agent,
            "created_at": _iso(self.created_at),
            "taken_at": _iso(self.taken_at),
            "closed_at": _iso(self.closed_at),
            "resolution": self.resolution,
            "position": self.position,
            "guest": _guest_json(self.guest),
        }


def _guest_json(guest: GuestContact | None) -> dict[str, Any] | None:
    """A guest as agents see them: what they stated, marked as not verified."""
    if guest is None:
        return None
    return {
        "name": guest.name,
        "email": guest.email,
        "customer_number": guest.customer_number,
        "verified": False,
    }


class HandoffRows:
    """The ``handoffs`` table."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, number: str) -> Handoff | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(handoffs).where(handoffs.c.number == number))).first()
            return None if row is None else await _with_position(conn, row)

    async def open_for(self, conversation_key: str) -> Handoff | None:
        """The conversation's latest handoff that is still queued or active."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(handoffs)
                    .where(
                        handoffs.c.conversation_key == conversation_key,
                        handoffs.c.status.in_((QUEUED, ACTIVE)),
                    )
                    .order_by(handoffs.c.id.desc())
                    .limit(1)
                )
            ).first()
            return None if row is None else await _with_position(conn, row)

    async def open_ones(self) -> list[Handoff]:
        """Open handoffs in the order they came, the queued ones with their places."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(handoffs)
                    .where(handoffs.c.status.in_((QUEUED, ACTIVE)))
                    .order_by(handoffs.c.id)
                    .limit(OPEN_LISTED)
                )
            ).all()
        result: list[Handoff] = []
        position = 0
        for row in rows:
            if row.status == QUEUED:
                position += 1
            result.append(_handoff(row, position if row.status == QUEUED else None))
        return result

    async def add(
        self,
        conversation_key: str,
        *,
        channel: str,
        user_id: str | None,
        at: datetime,
        guest: GuestContact | None = None,
    ) -> str:
        """Queues a handoff; its number (``HO-000012``), made from its id."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                handoffs.insert().values(
                    conversation_key=conversation_key,
                    channel=channel,
                    user_id=user_id,
                    status=QUEUED,
                    created_at=at,
                    guest_name=guest.name if guest is not None else None,
                    guest_email=guest.email if guest is not None else None,
                    guest_customer_number=guest.customer_number if guest is not None else None,
                )
            )
            handoff_id = int(result.inserted_primary_key[0])  # type: ignore[index]
            number = f"HO-{handoff_id:06d}"
            await conn.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(number=number))
        return number

    async def take(self, number: str, agent: str, *, at: datetime) -> bool:
        """The agent owns the queued handoff; of agents racing for it exactly one gets ``True``."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(handoffs.c.number == number, handoffs.c.status == QUEUED)
                .values(status=ACTIVE, agent=agent, taken_at=at)
            )
        return bool(result.rowcount == 1)

    async def transfer(self, number: str, *, from_agent: str, to_agent: str) -> bool:
        """The active handoff owned by ``from_agent`` is ``to_agent``'s from now on; ``False`` when it is
        not (any more) ``from_agent``'s."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(
                    handoffs.c.number == number, handoffs.c.status == ACTIVE, handoffs.c.agent == from_agent
                )
                .values(agent=to_agent)
            )
        return bool(result.rowcount == 1)

    async def close(self, number: str, *, statuses: tuple[str, ...], resolution: str, at: datetime) -> bool:
        """Closes the handoff if it is in one of ``statuses``."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(handoffs.c.number == number, handoffs.c.status.in_(statuses))
                .values(status=CLOSED, closed_at=at, resolution=resolution)
            )
        return bool(result.rowcount == 1)

    @staticmethod
    def handed_back(number: str, *, agent: str, resolution: str, at: datetime) -> Statement:
        """The statement that closes ``agent``'s active handoff, for the transaction that stores the
        bot's line saying it is back (``Store.save_turn``'s ``also``): both are kept or neither. Should
        the handoff be no longer active and the agent's, the whole transaction is refused, which
        ``save_turn`` says as a ``Conflict``."""
        return _HANDED_BACK, {"handoff": number, "owner": agent, "closed_at": at, "resolution": resolution}


class AgentPresence:
    """The ``agent_presence`` table: open agent consoles of every worker, kept fresh by a heartbeat."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, connection: str, agent: str, *, at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(agent_presence.insert().values(connection=connection, agent=agent, seen_at=at))

    async def seen(self, connection: str, *, at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(agent_presence).where(agent_presence.c.connection == connection).values(seen_at=at)
            )

    async def remove(self, connection: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(agent_presence.delete().where(agent_presence.c.connection == connection))

    async def agents_seen_since(self, since: datetime) -> int:
        """How many available agents (not consoles) were heard from at ``since`` or later: an agent
        who set their status to away (``agent_status``) is not counted."""
        away = select(agent_status.c.agent).where(agent_status.c.status == "away")
        async with self._engine.connect() as conn:
            count = await conn.execute(
                select(func.count(func.distinct(agent_presence.c.agent))).where(
                    agent_presence.c.seen_at >= since, agent_presence.c.agent.not_in(away)
                )
            )
            return int(count.scalar() or 0)

    async def agents_since(self, since: datetime) -> list[str]:
        """The agents with an open console heard from at ``since`` or later, whatever their status."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(agent_presence.c.agent)
                .where(agent_presence.c.seen_at >= since)
                .group_by(agent_presence.c.agent)
                .order_by(agent_presence.c.agent)
                .limit(500)
            )
            return [str(agent) for agent in rows.scalars()]


async def _with_position(conn: AsyncConnection, row: Row[Any]) -> Handoff:
    if row.status != QUEUED:
        return _handoff(row, None)
    count = await conn.execute(
        select(func.count()).where(handoffs.c.status == QUEUED, handoffs.c.id <= row.id)
    )
    return _handoff(row, int(count.scalar() or 0))


def _handoff(row: Row[Any], position: int | None) -> Handoff:
    return Handoff(
        number=row.number,
        conversation_key=row.conversation_key,
        channel=row.channel,
        user_id=row.user_id,
        status=row.status,
        agent=row.agent,
        created_at=row.created_at,
        taken_at=row.taken_at,
        closed_at=row.closed_at,
        resolution=row.resolution,
        position=position,
        guest=GuestContact(
            name=row.guest_name, email=row.guest_email or "", customer_number=row.guest_customer_number
        )
        if row.guest_name is not None
        else None,
    )


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
