"""The bot's own state: conversations, their transcripts, delivered messages and generated files.

Writes go through the group-commit writer (``writer``): every turn waits until its rows are
committed, but turns arriving together share one transaction, so many concurrent users cost a
handful of commits. The store also hands out the repositories of the assistant's other state
(handoffs, agents' presence, agents' channel threads, notices' claims, the NLU's misses), so one
object owns the database's bot side.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from supportbot.bot.store.errors import Conflict, Unavailable, reachable
from supportbot.bot.store.handoffs import AgentPresence, HandoffRows
from supportbot.bot.store.misses import MissRows
from supportbot.bot.store.notices import NoticeRows
from supportbot.bot.store.threads import HandoffThreads
from supportbot.bot.store.workspace import AgentNotes, AgentStatuses, CannedReplies, TranscriptSearch
from supportbot.bot.store.writer import GroupWriter, Statement
from supportbot.integrations.sql.database import unreachable
from supportbot.integrations.sql.hot import read
from supportbot.integrations.sql.inline import InlineSqliteEngine
from supportbot.integrations.sql.state import conversation_refs, conversations, files, turns


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
    answered without a query. ``None`` means unknown: ask the database. Read it, never change it:
    it is the cache's own."""
    _live: tuple[dict[str, Any], Any] | None = field(default=None, repr=False, compare=False)

    @property
    def live(self) -> Any:
        """The caller's typed form of ``state`` (the dialog's ``DialogState``) as the last turn left it,
        kept with the cached conversation so that a turn does not parse the document again. ``None``
        when there is none: the conversation was read from the database, or ``state`` was replaced
        since (another part changed the document)."""
        kept = self._live
        return kept[1] if kept is not None and kept[0] is self.state else None

    def keep_live(self, live: Any) -> None:
        """``live`` is ``state`` as it is now, typed: the cache keeps it beside the document once the
        turn is saved. Whoever changes it afterwards either saves it again or ``forget``s the
        conversation, as for the document."""
        self._live = (self.state, live)


@dataclass(frozen=True)
class StoredFile:
    id: str
    owner: str | None
    name: str
    content_type: str
    tool: str | None
    data: bytes
    expires_at: datetime


_LOAD = select(
    conversations.c.language, conversations.c.state, conversations.c.seq, conversations.c.user_id
).where(conversations.c.key == bindparam("key"))
"""A conversation's row, read the short way (``hot.read``): without a cache (several workers),
every turn reads it."""
_DELIVERED = select(turns.c.seq).where(
    turns.c.conversation_key == bindparam("key"), turns.c.delivery_id == bindparam("delivery_id")
)
"""Where a delivery's line is, if it was stored: without a cache, every turn with an id asks."""


def _now() -> datetime:
    return datetime.now(UTC)


_RECENT_DELIVERIES = 64
"""Deliveries remembered per cached conversation. A repeat of an older one is still caught, after the
handler ran, by the unique (conversation, delivery) constraint, and answered with the stored reply."""


class Store:
    """Conversations and transcripts.

    On SQLite (``reader`` the inline engine) the turns are written on the event loop, on the
    connection the loop reads through (``writer.GroupWriter``).
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
    ) -> None:
        self.engine = engine
        self._reader = reader or engine
        """Reads may go another way than writes (SQLite: inline on the loop, see integrations.sql.inline)."""
        inline = self._reader if isinstance(self._reader, InlineSqliteEngine) else None
        self._writer = GroupWriter(engine, inline=inline)
        self.handoffs = HandoffRows(engine)
        self.presence = AgentPresence(engine)
        self.threads = HandoffThreads(engine)
        self.notices = NoticeRows(engine)
        self.misses = MissRows(engine, reader=self._reader)
        self.canned = CannedReplies(engine)
        self.notes = AgentNotes(engine)
        self.statuses = AgentStatuses(engine)
        self.search = TranscriptSearch(self._reader)
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
        self._insert_turns = turns.insert()
        """Built once, so the writer sees one statement and puts a batch's lines in one execution."""
        self._cache_size = cache_size
        self._cache: OrderedDict[str, ConversationState] = OrderedDict()

    def _cached(self, key: str) -> ConversationState | None:
        """The cached conversation. Its ``state`` is the cached dict itself, not a copy, and its live
        form the cached object: the turn that changes either saves it or calls ``forget``, so the cache
        never keeps an unsaved change."""
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
            hit.deliveries,
            hit._live,
        )

    def _remember(self, conv: ConversationState, delivery: tuple[str, dict[str, Any]] | None) -> None:
        if self._cache_size <= 0:
            return
        deliveries = conv.deliveries if conv.deliveries is not None else {}
        if delivery is not None:
            # The cached dict itself, changed in place: a copy per turn cost more than the rest of this.
            deliveries[delivery[0]] = delivery[1]
            while len(deliveries) > _RECENT_DELIVERIES:
                deliveries.pop(next(iter(deliveries)))
        live = conv._live if conv._live is not None and conv._live[0] is conv.state else None
        cache = self._cache
        cache[conv.key] = ConversationState(
            conv.key, conv.channel, conv.user_id, conv.language, conv.state, conv.seq, True, deliveries, live
        )
        cache.move_to_end(conv.key)
        while len(cache) > self._cache_size:
            cache.popitem(last=False)

    def forget(self, key: str) -> None:
        """Drop a cached conversation, e.g. after another part wrote it directly."""
        self._cache.pop(key, None)

    async def close(self) -> None:
        await self._writer.close()

    async def write(self, statements: list[Statement]) -> None:
        """Other parts' writes in the store's shared transactions (``bot.limits`` counts events so)."""
        async with reachable("write"):
            await self._writer.submit(statements)

    async def load(self, key: str, *, channel: str, user_id: str | None) -> ConversationState:
        cached = self._cached(key)
        if cached is not None:
            return cached
        async with reachable("load"):
            found = await read(self._reader, _LOAD, {"key": key})
            deliveries: dict[str, dict[str, Any]] | None = {} if self._cache_size > 0 else None
            if found and deliveries is not None:
                async with self._reader.connect() as conn:
                    deliveries = await self._recent_deliveries(conn, key)
        if not found:
            return ConversationState(key, channel, user_id, "en", {}, 0, exists=False, deliveries=deliveries)
        language, state, seq, stored_user = found[0]
        state = state if isinstance(state, dict) else json.loads(state)
        return ConversationState(
            key, channel, stored_user, language, state, seq, exists=True, deliveries=deliveries
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
        async with reachable("reply_for_delivery"):
            found = await read(self._reader, _DELIVERED, {"key": key, "delivery_id": delivery_id})
        if not found:
            return None
        seq = found[0][0]
        async with reachable("reply_for_delivery"), self._reader.connect() as conn:
            payload = (
                await conn.execute(
                    select(turns.c.payload).where(
                        turns.c.conversation_key == key, turns.c.seq == seq + 1, turns.c.role == "bot"
                    )
                )
            ).scalar()
        return payload if isinstance(payload, dict) else {}

    async def has_delivery(self, key: str, delivery_id: str) -> bool:
        """Whether the conversation holds a line stored for ``delivery_id`` (a notice given once)."""
        async with self._reader.connect() as conn:
            found = (
                await conn.execute(
                    select(turns.c.seq).where(
                        turns.c.conversation_key == key, turns.c.delivery_id == delivery_id
                    )
                )
            ).first()
        return found is not None

    async def save_turn(
        self, conv: ConversationState, *records: TurnRecord, also: Sequence[Statement] = ()
    ) -> None:
        """Persist the conversation's new state and its new transcript lines in one transaction, with
        ``also`` (the turn's miss for the review list, ``MissRows.kept``).

        ``Conflict`` when another writer stored a line of this conversation first (the same delivery,
        or the same place in the transcript): nothing is stored, and the conversation is read again
        next time. ``Unavailable`` when the database cannot be reached: nothing is stored (or, when
        only the commit's answer was lost, all of it, which a resend of the delivery finds)."""
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
            statements.append((self._insert_turns, rows))
        statements.extend(also)
        try:
            await self._writer.submit(statements)
        except IntegrityError:
            self._cache.pop(conv.key, None)
            raise Conflict(f"conversation {conv.key!r} was written by another writer first") from None
        except Exception as exc:
            self._cache.pop(conv.key, None)
            if unreachable(exc):
                raise Unavailable(
                    f"conversation {conv.key!r} not saved: the database is unreachable"
                ) from exc
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
        async with reachable("history"), self._reader.connect() as conn:
            result = await conn.execute(
                select(
                    turns.c.role, turns.c.text, turns.c.payload, turns.c.at, turns.c.seq, turns.c.delivery_id
                )
                .where(turns.c.conversation_key == key)
                .order_by(turns.c.seq.desc())
                .limit(limit)
            )
            rows = result.all()
        return [
            TurnRecord(
                role=r.role, text=r.text, payload=r.payload, at=r.at, seq=r.seq, delivery_id=r.delivery_id
            )
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
        return StoredFile(row.id, row.owner, row.name, row.content_type, row.tool, row.data, row.expires_at)

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
