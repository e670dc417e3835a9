"""What the servers stored, read straight from the transcript tables: every conversation must be
whole (its state and its lines written together, every message with its answer), whatever happened to
the servers and the database while it was written."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True)
class Line:
    seq: int
    role: str
    text: str
    delivery_id: str | None


async def conversations(engine: AsyncEngine, *, relayed: bool = False) -> dict[str, list[Line]]:
    """Every web chat conversation's lines, in order, checked to be whole:

    - the conversation's ``seq`` (written with its state) is the number of its lines, numbered 1..n
      without a gap: no line without its state, no state without its lines;
    - every message of the customer is followed by the bot's answer to it: none stored half-answered
      (``relayed``: unless it was passed on to an agent, who answers it with lines of their own).
    """
    async with engine.connect() as conn:
        states = {r.key: r.seq for r in await conn.execute(text("SELECT key, seq FROM conversations"))}
        lines = (
            "SELECT conversation_key, seq, role, text, delivery_id FROM turns ORDER BY conversation_key, seq"
        )
        rows = (await conn.execute(text(lines))).all()
    found: dict[str, list[Line]] = {key: [] for key in states}
    for row in rows:
        assert row.conversation_key in found, f"lines of a conversation without its state: {row}"
        found[row.conversation_key].append(Line(row.seq, row.role, row.text, row.delivery_id))
    for key, lines in found.items():
        assert [line.seq for line in lines] == list(range(1, states[key] + 1)), f"{key}: {lines}"
        for line, after in zip(lines, [*lines[1:], None], strict=True):
            if line.role == "user" and not (relayed and _with_agent(lines, line)):
                assert after is not None and after.role == "bot", (
                    f"{key}: a message without an answer: {line}"
                )
    return found


def _with_agent(lines: list[Line], line: Line) -> bool:
    """Whether an agent had the conversation when the customer sent ``line``: an agent's line before it."""
    return any(earlier.role == "agent" for earlier in lines[: lines.index(line)])


def answers(lines: list[Line]) -> dict[str, list[str]]:
    """Each delivery id of the conversation with the bot's answers stored for it (one, if all is well)."""
    found: dict[str, list[str]] = {}
    for line, after in pairwise(lines):
        if line.role == "user" and line.delivery_id is not None:
            found.setdefault(line.delivery_id, []).append(after.text)
    return found
