"""What operations asks of the database: whether it answers with the newest schema, and the figures the
metrics show (each one indexed count or minimum, so a scrape stays cheap however much history there is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from supportbot.integrations.models import RequestStatus
from supportbot.integrations.sql.database import AsyncEngine
from supportbot.integrations.sql.migrate import is_current
from supportbot.integrations.sql.outbox import mail_outbox
from supportbot.integrations.sql.schema import requests
from supportbot.integrations.sql.state import handoffs

PAST_DUE = (RequestStatus.OPEN.value, RequestStatus.IN_PROGRESS.value)
"""Requests whose due time runs: waiting for the customer stops the clock."""


async def schema_state(engine: AsyncEngine) -> str:
    """``ok`` when the database answers and is at the newest revision, ``behind`` when it is older (raises
    when it does not answer)."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "ok" if await is_current(engine) else "behind"


@dataclass(frozen=True)
class Figures:
    handoffs_queued: int
    handoff_longest_wait_seconds: float
    requests_past_due: int
    mail_outbox_pending: int


async def figures(engine: AsyncEngine, *, now: datetime | None = None) -> Figures:
    """The handoff queue (its length, its longest wait), open requests past due, mails not yet sent."""
    now = now or datetime.now(UTC)
    async with engine.connect() as conn:
        queued, oldest = (
            await conn.execute(
                select(func.count(), func.min(handoffs.c.created_at)).where(handoffs.c.status == "queued")
            )
        ).one()
        past_due = await conn.scalar(
            select(func.count()).where(requests.c.status.in_(PAST_DUE), requests.c.due_at < now)
        )
        pending = await conn.scalar(select(func.count()).where(mail_outbox.c.status == "pending"))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return Figures(
        handoffs_queued=int(queued or 0),
        handoff_longest_wait_seconds=max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0,
        requests_past_due=int(past_due or 0),
        mail_outbox_pending=int(pending or 0),
    )
