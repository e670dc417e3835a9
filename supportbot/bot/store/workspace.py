"""What the agent workspace keeps: canned replies, internal notes, each agent's status, and the search
in the transcripts of handed-off conversations.

- ``CannedReplies``: replies agents insert by shortcut, one set per language; support administrators
  add, change and remove them (the console checks who may).
- ``AgentNotes``: notes agents write on a conversation. They live in their own table, apart from the
  transcript (``turns``), so nothing that shows or sends a transcript to a customer ever reads them.
- ``AgentStatuses``: ``available`` (the default, no row) or ``away``; an away agent is not counted
  as online for the handoff decision (``AgentPresence.agents_seen_since``).
- ``TranscriptSearch``: the lines of the latest handed-off conversations that contain some words,
  read through the handoffs' id and the transcripts' (conversation, seq) index, bounded both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store.errors import Conflict
from supportbot.integrations.sql.state import agent_notes, agent_status, canned_replies, handoffs, turns

AVAILABLE, AWAY = "available", "away"
STATUSES = frozenset({AVAILABLE, AWAY})
CANNED_LISTED = 500
"""At most this many canned replies are listed (per language, or in all)."""
NOTES_LISTED = 200
SEARCHED_CONVERSATIONS = 500
"""A search reads the transcripts of at most this many of the latest handed-off conversations."""
SEARCH_HITS = 50


@dataclass(frozen=True)
class CannedReply:
    id: int
    language: str
    shortcut: str
    title: str
    text: str
    updated_by: str
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "shortcut": self.shortcut,
            "title": self.title,
            "text": self.text,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Note:
    id: int
    conversation_key: str
    number: str
    agent: str
    agent_name: str
    text: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "agent": self.agent,
            "agent_name": self.agent_name,
            "text": self.text,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class Hit:
    """A transcript line that matched a search, with the handoff it belongs to."""

    number: str
    conversation_key: str
    role: str
    text: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "conversation": self.conversation_key,
            "role": self.role,
            "text": self.text,
            "at": self.at.isoformat(),
        }


class CannedReplies:
    """The ``canned_replies`` table; a shortcut is unique within its language (``Conflict`` otherwise)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def list(self, language: str | None = None) -> list[CannedReply]:
        query = select(canned_replies).order_by(canned_replies.c.language, canned_replies.c.shortcut)
        if language is not None:
            query = query.where(canned_replies.c.language == language)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.limit(CANNED_LISTED))).all()
        return [_canned(row) for row in rows]

    async def get(self, reply_id: int) -> CannedReply | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(canned_replies).where(canned_replies.c.id == reply_id))).first()
        return None if row is None else _canned(row)

    async def add(
        self, *, language: str, shortcut: str, title: str, text: str, by: str, at: datetime
    ) -> CannedReply:
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    canned_replies.insert().values(_canned_values(language, shortcut, title, text, by, at))
                )
                reply_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError as exc:
            raise Conflict(f"a canned reply /{shortcut} in {language} exists already") from exc
        found = await self.get(reply_id)
        assert found is not None
        return found

    async def change(
        self, reply_id: int, *, language: str, shortcut: str, title: str, text: str, by: str, at: datetime
    ) -> CannedReply | None:
        """The reply as changed; ``None`` when there is no such reply."""
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    update(canned_replies)
                    .where(canned_replies.c.id == reply_id)
                    .values(_canned_values(language, shortcut, title, text, by, at))
                )
        except IntegrityError as exc:
            raise Conflict(f"a canned reply /{shortcut} in {language} exists already") from exc
        return await self.get(reply_id) if result.rowcount == 1 else None

    async def remove(self, reply_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(canned_replies).where(canned_replies.c.id == reply_id))
        return bool(result.rowcount == 1)


def _canned_values(
    language: str, shortcut: str, title: str, text: str, by: str, at: datetime
) -> dict[str, object]:
    """A canned reply's row as added or changed: who changed it last, and when."""
    return {
        "language": language,
        "shortcut": shortcut,
        "title": title,
        "text": text,
        "updated_by": by,
        "updated_at": at,
    }


class AgentNotes:
    """The ``agent_notes`` table: read and written only by the agent console."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(
        self, conversation_key: str, *, number: str, agent: str, agent_name: str, text: str, at: datetime
    ) -> Note:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                agent_notes.insert().values(
                    conversation_key=conversation_key,
                    number=number,
                    agent=agent,
                    agent_name=agent_name,
                    text=text,
                    at=at,
                )
            )
            note_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return Note(note_id, conversation_key, number, agent, agent_name, text, at)

    async def for_conversation(self, conversation_key: str) -> list[Note]:
        """The conversation's notes, oldest first (the latest ``NOTES_LISTED``)."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(agent_notes)
                    .where(agent_notes.c.conversation_key == conversation_key)
                    .order_by(agent_notes.c.id.desc())
                    .limit(NOTES_LISTED)
                )
            ).all()
        return [
            Note(row.id, row.conversation_key, row.number, row.agent, row.agent_name, row.text, row.at)
            for row in reversed(rows)
        ]


class AgentStatuses:
    """The ``agent_status`` table: one row per agent who ever chose a status."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, agent: str) -> str:
        async with self._engine.connect() as conn:
            status = await conn.scalar(select(agent_status.c.status).where(agent_status.c.agent == agent))
        return str(status) if status in STATUSES else AVAILABLE

    async def of(self, agents: list[str]) -> dict[str, str]:
        """The status of each of ``agents`` (available when never set)."""
        if not agents:
            return {}
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(agent_status.c.agent, agent_status.c.status).where(
                        agent_status.c.agent.in_(agents)
                    )
                )
            ).all()
        found = {row.agent: row.status for row in rows}
        return {agent: found.get(agent, AVAILABLE) for agent in agents}

    async def set(self, agent: str, status: str, *, at: datetime) -> None:
        if status not in STATUSES:
            raise ValueError(f"an agent's status is one of {sorted(STATUSES)}, not {status!r}")
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(agent_status).values(agent=agent, status=status, changed_at=at)
        statement = statement.on_conflict_do_update(
            index_elements=[agent_status.c.agent],
            set_={"status": statement.excluded.status, "changed_at": statement.excluded.changed_at},
        )
        async with self._engine.begin() as conn:
            await conn.execute(statement)


class TranscriptSearch:
    """Lines containing some words in the latest ``SEARCHED_CONVERSATIONS`` handed-off conversations.

    The handoffs are read newest first by their primary key, each conversation's lines through the
    transcripts' (conversation_key, seq) index, so a search costs the same however old the
    database; at most ``SEARCH_HITS`` lines come back, newest first.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def search(self, words: str) -> list[Hit]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(self.statement(words))).all()
        return [Hit(row.number, row.conversation_key, row.role, row.text, row.at) for row in rows]

    @staticmethod
    def statement(words: str) -> Select[Any]:
        """The search's one query (its plan is checked in the tests)."""
        pattern = "%" + _escape_like(words.strip().lower()) + "%"
        latest = (
            select(
                handoffs.c.conversation_key.label("conversation_key"),
                func.max(handoffs.c.number).label("number"),
            )
            .where(
                handoffs.c.id.in_(
                    select(handoffs.c.id).order_by(handoffs.c.id.desc()).limit(SEARCHED_CONVERSATIONS)
                )
            )
            .group_by(handoffs.c.conversation_key)
            .subquery()
        )
        return (
            select(latest.c.number, turns.c.conversation_key, turns.c.role, turns.c.text, turns.c.at)
            .join(latest, latest.c.conversation_key == turns.c.conversation_key)
            .where(
                turns.c.role.in_(("user", "agent", "bot")),
                func.lower(turns.c.text).like(pattern, escape="\\"),
            )
            .order_by(turns.c.at.desc(), turns.c.id.desc())
            .limit(SEARCH_HITS)
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _canned(row: Row[Any]) -> CannedReply:
    return CannedReply(
        id=row.id,
        language=row.language,
        shortcut=row.shortcut,
        title=row.title,
        text=row.text,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
