"""The bot's own state: conversations, their transcripts, delivered messages and generated files.

Writes go through a group-commit writer: every turn waits until its rows are committed, but turns
arriving together share one transaction, so many concurrent users cost a handful of commits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

bot_metadata = MetaData()

conversations = Table(
    "conversations",
    bot_metadata,
    Column("key", String(255), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("user_id", String(255), nullable=True, index=True),
    Column("language", String(8), nullable=False, default="en"),
    Column("state", JSON, nullable=False),
    Column("seq", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

turns = Table(
    "turns",
    bot_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("conversation_key", String(255), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("role", String(16), nullable=False),  # "user" | "bot" | "agent" | "system"
    Column("text", Text, nullable=False),
    Column("payload", JSON, nullable=True),
    Column("delivery_id", String(255), nullable=True),
    UniqueConstraint("conversation_key", "seq", name="uq_turns_conversation_seq"),
    UniqueConstraint("conversation_key", "delivery_id", name="uq_turns_delivery"),
)

files = Table(
    "files",
    bot_metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(255), nullable=True),
    Column("name", String(255), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("tool", String(32), nullable=True),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_files_expires_at", "expires_at"),
)


@dataclass(frozen=True)
class TurnRecord:
    role: str
    text: str
    payload: dict[str, Any] | None = None
    delivery_id: str | None = None
    at: datetime | None = None
    seq: int = 0


@dataclass
class ConversationState:
    key: str
    channel: str
    user_id: str | None
    language: str
    state: dict[str, Any]
    seq: int
    exists: bool


@dataclass(frozen=True)
class StoredFile:
    id: str
    owner: str | None
    name: str
    content_type: str
    tool: str | None
    data: bytes
    expires_at: datetime


Op = Callable[[AsyncConnection], Awaitable[None]]


class _GroupWriter:
    """Runs submitted write operations in shared transactions; each caller awaits its own commit."""

    def __init__(self, engine: AsyncEngine, *, max_batch: int = 256) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._pending: list[tuple[Op, asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, op: Op) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="store-writer")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((op, future))
        self._wake.set()
        await future

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._wake.set()
            await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                await self._commit(batch)
            if self._closed:
                return

    async def _commit(self, batch: list[tuple[Op, asyncio.Future[None]]]) -> None:
        try:
            async with self._engine.begin() as conn:
                for op, _ in batch:
                    await op(conn)
        except Exception as exc:  # one bad operation must not fail the others: retry them alone
            if len(batch) == 1:
                if not batch[0][1].done():
                    batch[0][1].set_exception(exc)
                return
            for item in batch:
                await self._commit([item])
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer = _GroupWriter(engine)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(bot_metadata.create_all)

    async def close(self) -> None:
        await self._writer.close()

    async def load(self, key: str, *, channel: str, user_id: str | None) -> ConversationState:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        conversations.c.language,
                        conversations.c.state,
                        conversations.c.seq,
                        conversations.c.user_id,
                    ).where(conversations.c.key == key)
                )
            ).first()
        if row is None:
            return ConversationState(key, channel, user_id, "en", {}, 0, exists=False)
        state = row.state if isinstance(row.state, dict) else json.loads(row.state)
        return ConversationState(key, channel, row.user_id, row.language, state, row.seq, exists=True)

    async def reply_for_delivery(self, key: str, delivery_id: str) -> dict[str, Any] | None:
        """The bot's reply to an earlier delivery of the same message, if there was one."""
        async with self.engine.connect() as conn:
            seq = (
                await conn.execute(
                    select(turns.c.seq).where(turns.c.conversation_key == key, turns.c.delivery_id == delivery_id)
                )
            ).scalar()
            if seq is None:
                return None
            payload = (
                await conn.execute(
                    select(turns.c.payload).where(
                        turns.c.conversation_key == key, turns.c.seq == seq + 1, turns.c.role == "bot"
                    )
                )
            ).scalar()
        return payload if isinstance(payload, dict) else {}

    async def save_turn(self, conv: ConversationState, *records: TurnRecord) -> None:
        """Persist the conversation's new state and its new transcript lines in one transaction."""
        now = _now()
        first_seq = conv.seq + 1
        rows = [
            {
                "conversation_key": conv.key,
                "seq": first_seq + i,
                "at": r.at or now,
                "role": r.role,
                "text": r.text,
                "payload": r.payload,
                "delivery_id": r.delivery_id,
            }
            for i, r in enumerate(records)
        ]
        new_seq = conv.seq + len(records)
        values = {
            "key": conv.key,
            "channel": conv.channel,
            "user_id": conv.user_id,
            "language": conv.language,
            "state": conv.state,
            "seq": new_seq,
            "created_at": now,
            "updated_at": now,
        }
        upsert = self._insert(conversations).values(**values)
        upsert = upsert.on_conflict_do_update(
            index_elements=[conversations.c.key],
            set_={
                "user_id": upsert.excluded.user_id,
                "language": upsert.excluded.language,
                "state": upsert.excluded.state,
                "seq": upsert.excluded.seq,
                "updated_at": upsert.excluded.updated_at,
            },
        )

        async def op(conn: AsyncConnection) -> None:
            await conn.execute(upsert)
            if rows:
                await conn.execute(turns.insert(), rows)

        await self._writer.submit(op)
        conv.seq = new_seq
        conv.exists = True

    async def history(self, key: str, *, limit: int = 100) -> list[TurnRecord]:
        """The last ``limit`` transcript lines, oldest first."""
        async with self.engine.connect() as conn:
            result = await conn.execute(
                select(turns.c.role, turns.c.text, turns.c.payload, turns.c.at, turns.c.seq)
                .where(turns.c.conversation_key == key)
                .order_by(turns.c.seq.desc())
                .limit(limit)
            )
            rows = result.all()
        return [
            TurnRecord(role=r.role, text=r.text, payload=r.payload, at=r.at, seq=r.seq) for r in reversed(rows)
        ]

    async def put_file(self, stored: StoredFile) -> None:
        async def op(conn: AsyncConnection) -> None:
            await conn.execute(
                files.insert().values(
                    id=stored.id,
                    owner=stored.owner,
                    name=stored.name,
                    content_type=stored.content_type,
                    tool=stored.tool,
                    data=stored.data,
                    created_at=_now(),
                    expires_at=stored.expires_at,
                )
            )

        await self._writer.submit(op)

    async def get_file(self, file_id: str) -> StoredFile | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(files).where(files.c.id == file_id))).first()
        if row is None:
            return None
        expires_at = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return StoredFile(row.id, row.owner, row.name, row.content_type, row.tool, row.data, expires_at)

    async def purge_expired_files(self) -> None:
        now = _now()

        async def op(conn: AsyncConnection) -> None:
            await conn.execute(files.delete().where(files.c.expires_at < now))

        await self._writer.submit(op)
