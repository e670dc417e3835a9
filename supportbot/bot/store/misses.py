"""The NLU's misses and the deployment's own examples (``bot.learning``): rows of the review list, what
agents make of them, and the version every worker compares to know when to reload its NLU.

A turn's miss is written with the turn itself: ``kept`` and ``followed`` build statements the
pipeline hands to ``Store.save_turn``, so keeping a miss costs no round trip of its own. Resolving a
miss (an intent assigned, out of scope, dismissed) is one transaction: every open repeat of the same
text is resolved with it, the example is added and the version bumped together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store.writer import Statement
from supportbot.integrations.sql.state import learned_examples, nlu_misses, nlu_versions

OPEN = "open"
ASSIGNED = "assigned"
OUT_OF_SCOPE = "out_of_scope"
DISMISSED = "dismissed"
RESOLVED = frozenset({ASSIGNED, OUT_OF_SCOPE, DISMISSED})

NOT_UNDERSTOOD = "not_understood"
LOW_CONFIDENCE = "low_confidence"
REPHRASED = "rephrased"
HANDOFF = "handoff"

EXAMPLES = "examples"
"""The ``nlu_versions`` row bumped with every change to ``learned_examples``."""

NONE = "none"
MAX_LISTED = 100
_SCANNED = 500
"""Open rows read for one list; repeats of a text fold into one line with their count."""


OPEN_LIST = (
    select(nlu_misses)
    .where(nlu_misses.c.status == OPEN)
    .order_by(nlu_misses.c.at.desc(), nlu_misses.c.id.desc())
    .limit(_SCANNED)
)
"""The review list's query: the (status, at, id) index read backwards from the newest open row."""


@dataclass(frozen=True)
class Miss:
    id: str
    at: datetime
    conversation_key: str
    channel: str
    language: str
    text: str
    intent: str
    confidence: float
    reason: str
    followed_by: str | None
    suggestion: str | None
    status: str
    assigned: str | None
    repeats: int = 1
    """How many open rows hold the same text (this one included), in the list."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "conversation": self.conversation_key,
            "channel": self.channel,
            "language": self.language,
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "followed_by": self.followed_by,
            "suggestion": self.suggestion,
            "status": self.status,
            "assigned": self.assigned,
            "repeats": self.repeats,
        }


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str


_KEEP = nlu_misses.insert()
"""Built once, as the statements below: the writer runs a batch's misses in one execution, each
statement compiled once."""
_FOLLOWED = (
    update(nlu_misses)
    .where(nlu_misses.c.id == bindparam("miss_id"))
    .values(followed_by=bindparam("followed_by"))
)
_FOLLOWED_SUGGESTING = _FOLLOWED.values(suggestion=bindparam("suggestion"))


class MissRows:
    """The ``nlu_misses``, ``learned_examples`` and ``nlu_versions`` tables."""

    def __init__(self, engine: AsyncEngine, *, reader: AsyncEngine | None = None) -> None:
        self._engine = engine
        self._reader = reader or engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        bump = insert(nlu_versions)
        self._bump = bump.on_conflict_do_update(
            index_elements=[nlu_versions.c.name],
            set_={"version": nlu_versions.c.version + 1, "changed_at": bump.excluded.changed_at},
        )

    @staticmethod
    def kept(
        *,
        id: str,
        at: datetime,
        conversation_key: str,
        channel: str,
        language: str,
        text: str,
        fingerprint: str,
        intent: str,
        confidence: float,
        reason: str,
        followed_by: str | None = None,
        suggestion: str | None = None,
    ) -> Statement:
        """The statement that keeps a miss, open, for the turn's own transaction."""
        row = {
            "id": id,
            "at": at,
            "conversation_key": conversation_key,
            "channel": channel,
            "language": language,
            "text": text,
            "fingerprint": fingerprint,
            "intent": intent,
            "confidence": confidence,
            "reason": reason,
            "followed_by": followed_by,
            "suggestion": suggestion,
            "status": OPEN,
        }
        return _KEEP, row

    @staticmethod
    def followed(miss_id: str, *, by: str, suggestion: str | None) -> Statement:
        """The statement that says what followed a kept miss (a rephrase, a request for a person)."""
        if suggestion is None:
            return _FOLLOWED, {"miss_id": miss_id, "followed_by": by}
        return _FOLLOWED_SUGGESTING, {"miss_id": miss_id, "followed_by": by, "suggestion": suggestion}

    async def open_list(self, *, limit: int = MAX_LISTED) -> list[Miss]:
        """The open misses, newest first; the repeats of one text are one line, the newest, counted."""
        async with self._reader.connect() as conn:
            rows = (await conn.execute(OPEN_LIST)).all()
        first: dict[str, Row[Any]] = {}
        counts: dict[str, int] = {}
        for row in rows:
            first.setdefault(row.fingerprint, row)
            counts[row.fingerprint] = counts.get(row.fingerprint, 0) + 1
        return [_miss(row, counts[key]) for key, row in list(first.items())[:limit]]

    async def get(self, miss_id: str) -> Miss | None:
        async with self._reader.connect() as conn:
            row = (await conn.execute(select(nlu_misses).where(nlu_misses.c.id == miss_id))).first()
        return None if row is None else _miss(row)

    async def resolve(
        self, miss_id: str, *, status: str, intent: str | None, by: str, at: datetime
    ) -> Miss | None:
        """Resolves an open miss and every open repeat of its text; with ``intent`` (``none`` for out of
        scope) its text becomes an example and the version moves on, all in one transaction.
        ``None`` when the miss is unknown or resolved already (by another agent, say)."""
        if status not in RESOLVED:
            raise ValueError(f"not a resolution: {status!r}")
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    select(nlu_misses).where(nlu_misses.c.id == miss_id, nlu_misses.c.status == OPEN)
                )
            ).first()
            if row is None:
                return None
            result = await conn.execute(
                update(nlu_misses)
                .where(nlu_misses.c.fingerprint == row.fingerprint, nlu_misses.c.status == OPEN)
                .values(status=status, assigned=intent, resolved_by=by, resolved_at=at)
            )
            if result.rowcount < 1:
                return None  # another agent resolved it between the two statements
            if intent is not None:
                await conn.execute(
                    learned_examples.insert().values(
                        text=row.text,
                        intent=intent,
                        language=row.language,
                        miss_id=row.id,
                        added_by=by,
                        added_at=at,
                    )
                )
                await conn.execute(self._bump, {"name": EXAMPLES, "version": 1, "changed_at": at})
        resolved = _miss(row)
        return Miss(**{**resolved.__dict__, "status": status, "assigned": intent})

    async def examples(self) -> list[Example]:
        """This deployment's examples, oldest first."""
        async with self._reader.connect() as conn:
            rows = await conn.execute(
                select(
                    learned_examples.c.text, learned_examples.c.intent, learned_examples.c.language
                ).order_by(learned_examples.c.id)
            )
            return [Example(r.text, r.intent, r.language) for r in rows]

    async def version(self) -> int:
        """The examples' version: 0 before the first one."""
        async with self._reader.connect() as conn:
            found = (
                await conn.execute(select(nlu_versions.c.version).where(nlu_versions.c.name == EXAMPLES))
            ).scalar()
        return int(found or 0)

    async def count_open(self) -> int:
        async with self._reader.connect() as conn:
            found = (
                await conn.execute(
                    select(func.count()).select_from(nlu_misses).where(nlu_misses.c.status == OPEN)
                )
            ).scalar()
        return int(found or 0)


def by_intent(examples: Sequence[Example]) -> dict[str, list[str]]:
    """Examples as the NLU takes them: intent name → texts, each text once (the latest word wins)."""
    latest = {example.text: example.intent for example in examples}
    grouped: dict[str, list[str]] = {}
    for text, intent in latest.items():
        grouped.setdefault(intent, []).append(text)
    return grouped


def _miss(row: Row[Any], repeats: int = 1) -> Miss:
    return Miss(
        id=row.id,
        at=row.at,
        conversation_key=row.conversation_key,
        channel=row.channel,
        language=row.language,
        text=row.text,
        intent=row.intent,
        confidence=float(row.confidence),
        reason=row.reason,
        followed_by=row.followed_by,
        suggestion=row.suggestion,
        status=row.status,
        assigned=row.assigned,
        repeats=repeats,
    )
