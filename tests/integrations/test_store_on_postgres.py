"""The store's writer on PostgreSQL runs its batches straight on asyncpg: the rows are the ones
SQLAlchemy would have written (JSON, timestamps in UTC, none half-written), a refused write is a
``Conflict`` while the rest of its batch is kept, a statement that needs SQLAlchemy goes its way, and a
connection that died in the pool costs a retry on a fresh one, not the turn. Without a cache (several
workers), a turn's own reads (its conversation, whether its message was answered) take the same
short way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store import Conflict, ConversationState, Store, TurnRecord
from supportbot.bot.store.misses import MissRows
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.state import conversations, nlu_misses, turns
from tests.integrations.conftest import kill_a_pooled_connection, postgres_schema_engine

pytestmark = pytest.mark.postgres

AT = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


@pytest.fixture
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    async with postgres_schema_engine(postgres_url) as built:
        await migrate(built)
        yield built


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncIterator[Store]:
    built = Store(engine, cache_size=0)
    try:
        yield built
    finally:
        await built.close()


def _executed(engine: AsyncEngine) -> list[str]:
    """The statements SQLAlchemy executes from now on."""
    seen: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", executed)
    return seen


def _conversation(n: int) -> ConversationState:
    return ConversationState(f"web:c{n}", "web", "u1", "sv", {"topic": {"order": ["4711"]}, "n": n}, 0, False)


def _turn(n: int, delivery: str) -> tuple[TurnRecord, TurnRecord]:
    return (
        TurnRecord(role="user", text=f"var är order {n}?", delivery_id=delivery, at=AT),
        TurnRecord(role="bot", text=f"Order {n} är skickad", payload={"text": f"Order {n}", "n": n}),
    )


async def test_a_batch_of_turns_is_written_straight_on_the_driver(engine: AsyncEngine, store: Store) -> None:
    executed = _executed(engine)
    await asyncio.gather(*(store.save_turn(_conversation(n), *_turn(n, f"d{n}")) for n in range(6)))
    assert executed == []  # no statement through SQLAlchemy's execution
    async with engine.connect() as conn:
        saved = (await conn.execute(select(conversations).order_by(conversations.c.key))).all()
        lines = (await conn.execute(select(turns).order_by(turns.c.conversation_key, turns.c.seq))).all()
    assert [(c.key, c.language, c.seq, c.state) for c in saved] == [
        (f"web:c{n}", "sv", 2, {"topic": {"order": ["4711"]}, "n": n}) for n in range(6)
    ]
    assert [(t.conversation_key, t.seq, t.role, t.delivery_id, t.payload) for t in lines] == [
        row
        for n in range(6)
        for row in (
            (f"web:c{n}", 1, "user", f"d{n}", None),
            (f"web:c{n}", 2, "bot", None, {"text": f"Order {n}", "n": n}),
        )
    ]
    assert lines[0].at == AT and lines[0].at.tzinfo is not None


async def test_a_refused_write_is_a_conflict_and_the_rest_of_its_batch_is_kept(store: Store) -> None:
    await store.save_turn(_conversation(0), *_turn(0, "taken"))
    again = ConversationState("web:c0", "web", "u1", "sv", {}, 0, True)  # a stale copy: seq 0 again
    outcomes = await asyncio.gather(
        store.save_turn(again, *_turn(0, "taken")),
        *(store.save_turn(_conversation(n), *_turn(n, f"d{n}")) for n in range(1, 5)),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], Conflict) and outcomes[1:] == [None] * 4
    assert [t.text for t in await store.history("web:c0")] == ["var är order 0?", "Order 0 är skickad"]
    for n in range(1, 5):
        assert len(await store.history(f"web:c{n}")) == 2


async def test_a_statement_that_needs_sqlalchemy_goes_its_way(engine: AsyncEngine, store: Store) -> None:
    executed = _executed(engine)
    row = {"key": "web:d1", "channel": "web", "state": {}, "created_at": AT, "updated_at": AT}
    await store.write([(conversations.insert(), row)])  # language and seq: defaults made in Python
    assert len(executed) == 1
    async with engine.connect() as conn:
        saved = (await conn.execute(select(conversations).where(conversations.c.key == "web:d1"))).one()
    assert (saved.language, saved.seq) == ("en", 0)


async def test_a_connection_that_died_in_the_pool_is_replaced_and_the_batch_written(
    engine: AsyncEngine, store: Store
) -> None:
    await store.save_turn(_conversation(1), *_turn(1, "d1"))  # the writer's connection is pooled now
    pid = await kill_a_pooled_connection(engine)
    await asyncio.sleep(0.2)
    await store.save_turn(_conversation(2), *_turn(2, "d2"))
    assert [t.delivery_id for t in await store.history("web:c2")] == ["d2", None]
    async with engine.connect() as conn:  # the dead one left the pool
        assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid


async def test_without_a_cache_a_turn_reads_its_conversation_straight_on_the_driver(
    engine: AsyncEngine, store: Store
) -> None:
    await store.save_turn(_conversation(3), *_turn(3, "d3"))
    executed = _executed(engine)
    conv = await store.load("web:c3", channel="web", user_id=None)
    assert (conv.exists, conv.user_id, conv.language, conv.seq) == (True, "u1", "sv", 2)
    assert conv.state == {"topic": {"order": ["4711"]}, "n": 3} and conv.deliveries is None
    assert await store.reply_for_delivery("web:c3", "d4", conv=conv) is None  # a new message
    new = await store.load("web:c9", channel="web", user_id="u9")
    assert (new.exists, new.user_id, new.seq) == (False, "u9", 0)
    assert executed == []
    assert await store.reply_for_delivery("web:c3", "d3", conv=conv) == {"text": "Order 3", "n": 3}


async def test_a_kept_miss_and_what_followed_it_are_written_the_short_way(
    engine: AsyncEngine, store: Store
) -> None:
    executed = _executed(engine)
    kept = [
        MissRows.kept(
            id=f"m{n}",
            at=AT,
            conversation_key="web:c1",
            channel="web",
            language="en",
            text="blorp",
            fingerprint="blorp",
            intent="none",
            confidence=0.1,
            reason="not_understood",
        )
        for n in (1, 2)
    ]
    await store.save_turn(_conversation(1), *_turn(1, "d1"), also=kept)
    await store.write([MissRows.followed("m1", by="handoff", suggestion=None)])
    await store.write([MissRows.followed("m2", by="rephrased", suggestion="order.status")])
    assert executed == []
    async with engine.connect() as conn:
        rows = (await conn.execute(select(nlu_misses).order_by(nlu_misses.c.id))).all()
    assert [(r.id, r.status, r.followed_by, r.suggestion, r.at) for r in rows] == [
        ("m1", "open", "handoff", None, AT),
        ("m2", "open", "rephrased", "order.status", AT),
    ]
