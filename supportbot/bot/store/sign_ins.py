"""Signed-in sessions in the database: the ``SessionStore`` of ``bot.sessions`` on the ``sign_ins`` table."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.sessions import (
    KEEP_ENDED,
    PRUNE_EVERY,
    TOUCH_EVERY,
    Kind,
    Lifetime,
    SessionRecord,
    handle_of,
)
from supportbot.integrations.sql.state import sign_ins


class SqlSessionStore:
    """Sessions in the ``sign_ins`` table. A check is one primary-key read, plus a write at most once a
    minute per session (``TOUCH_EVERY``)."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], datetime] | None = None) -> None:
        self._engine = engine
        self.clock = clock or (lambda: datetime.now(UTC))
        self._pruned: datetime | None = None

    async def create(self, user_id: str, *, kind: Kind, lifetime: Lifetime) -> tuple[str, SessionRecord]:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        record = SessionRecord(
            handle=handle_of(token),
            user_id=user_id,
            kind=kind,
            created_at=now,
            last_seen=now,
            idle=lifetime.idle,
            expires_at=now + lifetime.absolute,
        )
        async with self._engine.begin() as conn:
            await conn.execute(
                sign_ins.insert().values(
                    id=record.handle,
                    user_id=user_id,
                    kind=kind,
                    created_at=now,
                    last_seen=now,
                    idle_seconds=int(lifetime.idle.total_seconds()),
                    expires_at=record.expires_at,
                )
            )
        await self._prune(now)
        return token, record

    async def check(self, token: str, *, kind: Kind) -> SessionRecord | None:
        if not token or len(token) > 256:
            return None
        handle = handle_of(token)
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(sign_ins).where(sign_ins.c.id == handle))).first()
        if row is None or row.kind != kind:
            return None
        record = _record(row)
        now = self.clock()
        if not record.live(now):
            return None
        if now - record.last_seen >= TOUCH_EVERY:
            async with self._engine.begin() as conn:
                await conn.execute(
                    update(sign_ins)
                    .where(sign_ins.c.id == handle, sign_ins.c.revoked_at.is_(None))
                    .values(last_seen=now)
                )
        return record

    async def revoke(self, token: str) -> str | None:
        handle = handle_of(token)
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(sign_ins)
                .where(sign_ins.c.id == handle, sign_ins.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        return handle if _rowcount(result) else None

    async def revoke_user(self, user_id: str) -> list[str]:
        now = self.clock()
        async with self._engine.begin() as conn:
            handles = list(
                (
                    await conn.execute(
                        select(sign_ins.c.id).where(
                            sign_ins.c.user_id == user_id, sign_ins.c.revoked_at.is_(None)
                        )
                    )
                ).scalars()
            )
            if handles:
                await conn.execute(
                    update(sign_ins)
                    .where(sign_ins.c.id.in_(handles), sign_ins.c.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
        return handles

    async def active(self, user_id: str) -> list[SessionRecord]:
        now = self.clock()
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(sign_ins)
                    .where(sign_ins.c.user_id == user_id, sign_ins.c.revoked_at.is_(None))
                    .order_by(sign_ins.c.created_at)
                )
            ).all()
        return [record for record in map(_record, rows) if record.live(now)]

    async def _prune(self, now: datetime) -> None:
        """Now and then, rows ended a while ago go (expired, idle past their time, or revoked)."""
        if self._pruned is not None and now - self._pruned < PRUNE_EVERY:
            return
        self._pruned = now
        before = now - KEEP_ENDED
        async with self._engine.begin() as conn:
            await conn.execute(
                sign_ins.delete().where(
                    (sign_ins.c.expires_at < before)
                    | (sign_ins.c.revoked_at < before)
                    | (sign_ins.c.last_seen < before - timedelta(days=30))
                )
            )


def _record(row: Row[Any]) -> SessionRecord:
    return SessionRecord(
        handle=row.id,
        user_id=row.user_id,
        kind=row.kind,
        created_at=row.created_at,
        last_seen=row.last_seen,
        idle=timedelta(seconds=row.idle_seconds),
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
