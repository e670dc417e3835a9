"""The mail outbox's table and its queries, for ``supportbot.integrations.outbox.QueuedMailer``.

A message is claimed (``UPDATE ... WHERE id = ? AND claimed_until < now``, one row either way on
SQLite and PostgreSQL) before it is sent, and its outcome is recorded only by the claim's holder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.sql.metadata import UTCDateTime, metadata

PENDING, SENT, FAILED = "pending", "sent", "failed"

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("message_id", String(255), nullable=False),
    Column("recipients", String(1000), nullable=False),  # the envelope recipients, comma-separated
    Column("message", LargeBinary, nullable=False),  # the whole message, RFC 5322 bytes as sent
    Column("status", String(16), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_until", UTCDateTime, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("reference", String(255), nullable=True),  # what the mail is for, told to ``on_outcome``
    Index("ix_mail_outbox_due", "status", "next_attempt_at"),
)


@dataclass(frozen=True)
class OutboxMail:
    """A row to queue: the finished message and whom it goes to."""

    message_id: str
    recipients: str
    message: bytes
    at: datetime
    reference: str | None = None

    def values(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "recipients": self.recipients,
            "message": self.message,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": self.at,
            "created_at": self.at,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class ClaimedMail:
    """A message this deliverer holds: what to send, and what its outcome needs."""

    message: bytes
    recipients: str
    attempts: int
    created_at: datetime
    message_id: str
    reference: str | None


class MailOutbox:
    """The ``mail_outbox`` rows on ``engine`` (the application's database)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, mail: OutboxMail) -> int:
        """Queues one mail in its own transaction; ``MailUnavailable`` when the database fails."""
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(insert(mail_outbox).values(**mail.values()))
                return int(result.inserted_primary_key[0])  # type: ignore[index]
        except (SQLAlchemyError, OSError) as exc:
            # not chained: a database error's text carries the statement's parameters, the body
            raise MailUnavailable(f"the mail could not be queued: {type(exc).__name__}") from None

    @staticmethod
    async def add_in(conn: Any, mails: Sequence[OutboxMail]) -> list[int]:
        """Queues mail in the caller's transaction (``conn``, a connection to this database)."""
        return [
            int(await conn.scalar(insert(mail_outbox).values(**mail.values()).returning(mail_outbox.c.id)))
            for mail in mails
        ]

    async def due(self, now: datetime, *, limit: int) -> list[int]:
        """Messages due at ``now`` that no deliverer holds, the longest waiting first."""
        t = mail_outbox
        async with self._engine.connect() as conn:
            ids = await conn.scalars(
                select(t.c.id)
                .where(t.c.status == PENDING, t.c.next_attempt_at <= now, _unclaimed(now))
                .order_by(t.c.next_attempt_at, t.c.id)
                .limit(limit)
            )
            return [int(mail_id) for mail_id in ids]

    async def claim(self, mail_id: int, now: datetime, *, until: datetime, worker: str) -> ClaimedMail | None:
        """Holds a due message for ``worker`` until ``until``; ``None`` when another has it or it is done."""
        t = mail_outbox
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                update(t)
                .where(t.c.id == mail_id, t.c.status == PENDING, t.c.next_attempt_at <= now, _unclaimed(now))
                .values(claimed_until=until, claimed_by=worker)
            )
            if claimed.rowcount != 1:
                return None
            row = (
                await conn.execute(
                    select(
                        t.c.message,
                        t.c.recipients,
                        t.c.attempts,
                        t.c.created_at,
                        t.c.message_id,
                        t.c.reference,
                    ).where(t.c.id == mail_id)
                )
            ).one()
        return ClaimedMail(
            bytes(row.message), row.recipients, row.attempts, row.created_at, row.message_id, row.reference
        )

    async def retry_at(self, mail_id: int, worker: str, *, attempts: int, error: str, at: datetime) -> None:
        """A failed attempt by the claim's holder: released, due again at ``at``."""
        await self._record(mail_id, worker, attempts=attempts, last_error=error, next_attempt_at=at)

    async def give_up(self, mail_id: int, worker: str, *, attempts: int, error: str) -> None:
        """The last failed attempt: the message is marked failed for good."""
        await self._record(mail_id, worker, attempts=attempts, last_error=error, status=FAILED)

    async def sent(self, mail_id: int, worker: str, *, attempts: int, at: datetime) -> None:
        """The mail server accepted the message."""
        await self._record(mail_id, worker, attempts=attempts, last_error=None, status=SENT, sent_at=at)

    async def next_due(self) -> datetime | None:
        """When the earliest pending message is due (or its claim runs out, if later)."""
        t = mail_outbox
        later = case(
            (
                and_(t.c.claimed_until.is_not(None), t.c.claimed_until > t.c.next_attempt_at),
                t.c.claimed_until,
            ),
            else_=t.c.next_attempt_at,
        )
        async with self._engine.connect() as conn:
            due: datetime | None = await conn.scalar(
                select(type_coerce(func.min(later), UTCDateTime())).where(t.c.status == PENDING)
            )
        return due

    async def _record(self, mail_id: int, worker: str, **values: Any) -> None:
        t = mail_outbox
        async with self._engine.begin() as conn:
            await conn.execute(
                update(t)
                .where(t.c.id == mail_id, t.c.claimed_by == worker)
                .values(claimed_until=None, claimed_by=None, **values)
            )


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(mail_outbox.c.claimed_until.is_(None), mail_outbox.c.claimed_until < now)
