"""The bot's own state: conversations, their transcripts, delivered messages and generated files.

Writes go through a group-commit writer: every turn waits until its rows are committed, but turns
arriving together share one transaction, so many concurrent users cost a handful of commits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

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
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.base import Executable

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

conversation_refs = Table(
    "conversation_refs",
    bot_metadata,
    Column("channel", String(32), primary_key=True),
    Column("user_id", String(255), primary_key=True),
    Column("reference", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
"""Where a channel can reach a user later (a Teams conversation reference): for proactive messages."""

handoffs = Table(
    "handoffs",
    bot_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("number", String(32), nullable=True, unique=True),  # "HO-000012", from the id
    Column("conversation_key", String(255), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("user_id", String(255), nullable=True),
    Column("status", String(16), nullable=False, index=True),  # "queued" | "active" | "closed"
    Column("agent", String(255), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("resolution", Text, nullable=True),
)
"""A customer's conversation handed to a person (``bot.handoff``): queued, then owned by one agent, then closed."""

agent_presence = Table(
    "agent_presence",
    bot_metadata,
    Column("connection", String(64), primary_key=True),
    Column("agent", String(255), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)
"""Open agent console connections of every worker, kept fresh by a heartbeat; a stale row is ignored."""

handoff_threads = Table(
    "handoff_threads",
    bot_metadata,
    Column("number", String(32), primary_key=True),
    Column("channel", String(32), primary_key=True),  # "slack"
    Column("place", String(64), nullable=False),  # the agents' channel
    Column("thread", String(64), nullable=True),  # its message (Slack's ts); null while being posted
    Column("owner", String(255), nullable=True),  # who took the handoff over there (team:user)
    Column("seq", Integer, nullable=False, default=0),  # the transcript is relayed up to this line
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_handoff_threads_place_thread", "place", "thread"),
)
"""Where an agents' channel (Slack's) shows a handoff: the row is claimed before the thread is posted,
so one worker posts it; ``seq`` is claimed the same way for each line relayed into it."""

sign_ins = Table(
    "sign_ins",
    bot_metadata,
    Column("id", String(64), primary_key=True),  # a hash of the token the cookie carries, never the token
    Column("user_id", String(255), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "web" | "agent"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("idle_seconds", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)
"""Signed-in sessions (``bot.sessions``): a cookie signs someone in only while its row says so."""

rate_counts = Table(
    "rate_counts",
    bot_metadata,
    Column("key", String(255), primary_key=True),
    Column("slot", BigInteger, primary_key=True),  # the slot's start, in seconds since the epoch
    Column("worker", String(32), primary_key=True),  # which worker counted them
    Column("count", Integer, nullable=False),
    Column("expires", BigInteger, nullable=False, index=True),  # when the slot leaves every window
)
"""Events per key in slots of a tenth of their window (``bot.limits``), shared by every worker: each
worker writes its own rows and reads the others'."""


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
    deliveries: dict[str, dict[str, Any]] | None = None
    """Replies to the latest deliveries, when the conversation came from the cache: a repeat is
    answered without a query. ``None`` means unknown: ask the database."""


@dataclass(frozen=True)
class StoredFile:
    id: str
    owner: str | None
    name: str
    content_type: str
    tool: str | None
    data: bytes
    expires_at: datetime


Statement = tuple[Executable, Any]
"""One write: a statement and its parameters (a dict, a list of dicts for many rows, or None)."""


class _Transactions(Protocol):
    async def run(self, statements: list[Statement]) -> None: ...

    async def close(self) -> None: ...


class _AsyncTransactions:
    """Writes on the async engine: right for PostgreSQL, whose driver is truly asynchronous."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, statements: list[Statement]) -> None:
        async with self._engine.begin() as conn:
            for statement, params in statements:
                await conn.execute(statement, params)

    async def close(self) -> None:
        return None


class _SqliteTransactions:
    """Writes to SQLite on one thread with a plain connection: a whole batch costs one thread hop
    instead of one per statement, and SQLite allows one writer at a time anyway."""

    def __init__(self, sync_engine: Engine) -> None:
        self._sync = sync_engine
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

    def _run(self, statements: list[Statement]) -> None:
        with self._sync.begin() as conn:
            for statement, params in statements:
                conn.execute(statement, params)

    async def run(self, statements: list[Statement]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._thread, self._run, statements)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._thread, self._sync.dispose)
        self._thread.shutdown(wait=True)


class _GroupWriter:
    """Runs submitted writes in shared transactions; each caller awaits its own commit."""

    def __init__(self, transactions: _Transactions, *, max_batch: int = 256) -> None:
        self._transactions = transactions
        self._max_batch = max_batch
        self._pending: list[tuple[list[Statement], asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, statements: list[Statement]) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="store-writer")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((statements, future))
        self._wake.set()
        await future

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._wake.set()
            await self._task
            self._task = None
        await self._transactions.close()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                await self._commit(batch)
            if self._closed:
                return

    async def _commit(self, batch: list[tuple[list[Statement], asyncio.Future[None]]]) -> None:
        try:
            await self._transactions.run([statement for statements, _ in batch for statement in statements])
        except Exception as exc:  # noqa: BLE001 - one bad write must not fail the others: retry them alone
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


_RECENT_DELIVERIES = 64
"""Deliveries remembered per cached conversation. A repeat of an older one is still caught, after the
handler ran, by the unique (conversation, delivery) constraint, and answered with the stored reply."""


class Store:
    """Conversations and transcripts.

    ``sqlite_writer``, a plain engine on the same SQLite file, writes each batch on one thread.
    ``cache_size`` keeps that many conversations in memory, written through on every turn, so a
    chat turn reads nothing back. Only one process may then write a conversation; a deployment
    with several workers sets it to 0 (every turn reads the row, a cheap primary-key lookup).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        cache_size: int = 10_000,
        reader: AsyncEngine | None = None,
        sqlite_writer: Engine | None = None,
    ) -> None:
        self.engine = engine
        self._reader = reader or engine
        """Reads may go another way than writes (SQLite: inline on the loop, see integrations.sql.inline)."""
        transactions: _Transactions = (
            _SqliteTransactions(sqlite_writer) if sqlite_writer is not None else _AsyncTransactions(engine)
        )
        self._writer = _GroupWriter(transactions)
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        upsert = insert(conversations)
        self._upsert = upsert.on_conflict_do_update(
            index_elements=[conversations.c.key],
            set_={
                name: getattr(upsert.excluded, name)
                for name in ("user_id", "language", "state", "seq", "updated_at")
            },
        )
        """Built once: a dialect's upsert builds new column objects for ``excluded`` every time."""
        ref_upsert = insert(conversation_refs)
        self._ref_upsert = ref_upsert.on_conflict_do_update(
            index_elements=[conversation_refs.c.channel, conversation_refs.c.user_id],
            set_={name: getattr(ref_upsert.excluded, name) for name in ("reference", "updated_at")},
        )
        self._cache_size = cache_size
        self._cache: OrderedDict[str, ConversationState] = OrderedDict()

    def _cached(self, key: str) -> ConversationState | None:
        """The cached conversation. Its ``state`` is the cached dict itself, not a copy: the turn that
        changes it either saves it or calls ``forget``, so the cache never keeps an unsaved change."""
        hit = self._cache.get(key)
        if hit is None:
            return None
        self._cache.move_to_end(key)
        return ConversationState(
            hit.key,
            hit.channel,
            hit.user_id,
            hit.language,
            hit.state,
            hit.seq,
            True,
            dict(hit.deliveries or {}),
        )

    def _remember(self, conv: ConversationState, delivery: tuple[str, dict[str, Any]] | None) -> None:
        if self._cache_size <= 0:
            return
        deliveries = dict(conv.deliveries or {})
        if delivery is not None:
            deliveries[delivery[0]] = delivery[1]
            while len(deliveries) > _RECENT_DELIVERIES:
                deliveries.pop(next(iter(deliveries)))
        self._cache[conv.key] = ConversationState(
            conv.key, conv.channel, conv.user_id, conv.language, conv.state, conv.seq, True, deliveries
        )
        self._cache.move_to_end(conv.key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def forget(self, key: str) -> None:
        """Drop a cached conversation, e.g. after another part wrote it directly."""
        self._cache.pop(key, None)

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(bot_metadata.create_all)

    async def close(self) -> None:
        await self._writer.close()

    async def write(self, statements: list[Statement]) -> None:
        """Other parts' writes in the store's shared transactions (``bot.limits`` counts events so)."""
        await self._writer.submit(statements)

    async def load(self, key: str, *, channel: str, user_id: str | None) -> ConversationState:
        cached = self._cached(key)
        if cached is not None:
            return cached
        async with self._reader.connect() as conn:
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
            deliveries: dict[str, dict[str, Any]] | None = {} if self._cache_size > 0 else None
            if row is not None and deliveries is not None:
                deliveries = await self._recent_deliveries(conn, key)
        if row is None:
            return ConversationState(key, channel, user_id, "en", {}, 0, exists=False, deliveries=deliveries)
        state = row.state if isinstance(row.state, dict) else json.loads(row.state)
        return ConversationState(
            key, channel, row.user_id, row.language, state, row.seq, exists=True, deliveries=deliveries
        )

    @staticmethod
    async def _recent_deliveries(conn: AsyncConnection, key: str) -> dict[str, dict[str, Any]]:
        """The latest deliveries and the replies to them, oldest first, for the cache."""
        asked, answer = turns.alias("asked"), turns.alias("answer")
        result = await conn.execute(
            select(asked.c.delivery_id, answer.c.payload)
            .join(
                answer,
                (answer.c.conversation_key == asked.c.conversation_key) & (answer.c.seq == asked.c.seq + 1),
            )
            .where(asked.c.conversation_key == key, asked.c.delivery_id.is_not(None))
            .order_by(asked.c.seq.desc())
            .limit(_RECENT_DELIVERIES)
        )
        return {
            r.delivery_id: (r.payload if isinstance(r.payload, dict) else {}) for r in reversed(result.all())
        }

    async def reply_for_delivery(
        self, key: str, delivery_id: str, *, conv: ConversationState | None = None
    ) -> dict[str, Any] | None:
        """The bot's reply to an earlier delivery of the same message, if there was one."""
        if conv is not None and conv.deliveries is not None:
            return conv.deliveries.get(delivery_id)
        async with self._reader.connect() as conn:
            seq = (
                await conn.execute(
                    select(turns.c.seq).where(
                        turns.c.conversation_key == key, turns.c.delivery_id == delivery_id
                    )
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
        statements: list[Statement] = [(self._upsert, values)]
        if rows:
            statements.append((turns.insert(), rows))
        try:
            await self._writer.submit(statements)
        except Exception:
            self._cache.pop(conv.key, None)
            raise
        conv.seq = new_seq
        conv.exists = True
        delivery = next(
            (
                (r.delivery_id, records[i + 1].payload or {})
                for i, r in enumerate(records[:-1])
                if r.delivery_id and records[i + 1].role == "bot"
            ),
            None,
        )
        self._remember(conv, delivery)

    async def history(self, key: str, *, limit: int = 100) -> list[TurnRecord]:
        """The last ``limit`` transcript lines, oldest first."""
        async with self._reader.connect() as conn:
            result = await conn.execute(
                select(turns.c.role, turns.c.text, turns.c.payload, turns.c.at, turns.c.seq)
                .where(turns.c.conversation_key == key)
                .order_by(turns.c.seq.desc())
                .limit(limit)
            )
            rows = result.all()
        return [
            TurnRecord(role=r.role, text=r.text, payload=r.payload, at=r.at, seq=r.seq)
            for r in reversed(rows)
        ]

    async def put_file(self, stored: StoredFile) -> None:
        row = {
            "id": stored.id,
            "owner": stored.owner,
            "name": stored.name,
            "content_type": stored.content_type,
            "tool": stored.tool,
            "data": stored.data,
            "created_at": _now(),
            "expires_at": stored.expires_at,
        }
        await self._writer.submit([(files.insert(), row)])

    async def get_file(self, file_id: str) -> StoredFile | None:
        async with self._reader.connect() as conn:
            row = (await conn.execute(select(files).where(files.c.id == file_id))).first()
        if row is None:
            return None
        expires_at = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return StoredFile(row.id, row.owner, row.name, row.content_type, row.tool, row.data, expires_at)

    async def purge_expired_files(self) -> None:
        await self._writer.submit([(files.delete().where(files.c.expires_at < _now()), None)])

    async def save_conversation_ref(self, channel: str, user_id: str, reference: dict[str, Any]) -> None:
        """Keep (replace) where ``channel`` can reach ``user_id`` later; the reference is the channel's JSON."""
        row = {"channel": channel, "user_id": user_id, "reference": reference, "updated_at": _now()}
        await self._writer.submit([(self._ref_upsert, row)])

    async def conversation_ref(self, channel: str, user_id: str) -> dict[str, Any] | None:
        async with self._reader.connect() as conn:
            reference = (
                await conn.execute(
                    select(conversation_refs.c.reference).where(
                        conversation_refs.c.channel == channel, conversation_refs.c.user_id == user_id
                    )
                )
            ).scalar()
        if reference is None:
            return None
        return reference if isinstance(reference, dict) else dict(json.loads(reference))
