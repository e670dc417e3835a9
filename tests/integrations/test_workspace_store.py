"""The agent workspace's repositories on SQLite and on PostgreSQL: canned replies unique per language,
agents' statuses and the presence count that leaves away agents out, a transfer only by the owner, and
the transcript search that takes the user's words literally."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store import Conflict, Store, TurnRecord
from supportbot.bot.store.workspace import AVAILABLE, AWAY, TranscriptSearch
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from tests.integrations.conftest import postgres_schema_engine

AT = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async def made(engine: AsyncEngine) -> AsyncIterator[Store]:
        await migrate(engine)
        built = Store(engine, cache_size=0)
        try:
            yield built
        finally:
            await built.close()

    if request.param == "sqlite":
        engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}")
        try:
            async for built in made(engine):
                yield built
        finally:
            await engine.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as engine:
            async for built in made(engine):
                yield built


async def test_canned_replies_are_unique_per_language(store: Store) -> None:
    thanks = await store.canned.add(
        language="en", shortcut="thanks", title="T", text="Thanks!", by="jonas", at=AT
    )
    await store.canned.add(language="sv", shortcut="thanks", title="T", text="Tack!", by="jonas", at=AT)
    with pytest.raises(Conflict):
        await store.canned.add(language="en", shortcut="thanks", title="T", text="Again", by="jonas", at=AT)
    hello = await store.canned.add(
        language="en", shortcut="hello", title="H", text="Hello", by="jonas", at=AT
    )
    with pytest.raises(Conflict):  # renaming onto a taken shortcut
        await store.canned.change(
            hello.id, language="en", shortcut="thanks", title="H", text="x", by="j", at=AT
        )
    later = AT + timedelta(hours=1)
    changed = await store.canned.change(
        thanks.id, language="en", shortcut="ty", title="T", text="Ty", by="sara", at=later
    )
    assert changed is not None and (changed.shortcut, changed.updated_by, changed.updated_at) == (
        "ty",
        "sara",
        later,
    )
    assert [c.shortcut for c in await store.canned.list("en")] == ["hello", "ty"]
    assert [c.text for c in await store.canned.list("sv")] == ["Tack!"]
    assert await store.canned.remove(hello.id) and not await store.canned.remove(hello.id)
    assert (
        await store.canned.change(hello.id, language="en", shortcut="x", title="x", text="x", by="j", at=AT)
        is None
    )


async def test_an_away_agent_is_not_counted_online(store: Store) -> None:
    await store.presence.add("console-1", "sara", at=AT)
    await store.presence.add("console-2", "sara", at=AT)  # two tabs: one agent
    await store.presence.add("console-3", "olle", at=AT)
    assert await store.statuses.get("sara") == AVAILABLE  # never set
    assert await store.presence.agents_seen_since(AT) == 2
    await store.statuses.set("sara", AWAY, at=AT)
    assert await store.presence.agents_seen_since(AT) == 1
    assert await store.presence.agents_since(AT) == ["olle", "sara"]  # present, whatever their status
    assert await store.statuses.of(["olle", "sara"]) == {"olle": AVAILABLE, "sara": AWAY}
    await store.statuses.set("sara", AVAILABLE, at=AT + timedelta(minutes=5))  # the same row again
    assert await store.presence.agents_seen_since(AT) == 2
    with pytest.raises(ValueError, match="status"):
        await store.statuses.set("sara", "busy", at=AT)


async def test_only_the_owner_transfers_an_active_handoff(store: Store) -> None:
    number = await store.handoffs.add("web:t1", channel="web", user_id="anna", at=AT)
    assert not await store.handoffs.transfer(number, from_agent="sara", to_agent="olle")  # still queued
    assert await store.handoffs.take(number, "sara", at=AT)
    assert not await store.handoffs.transfer(number, from_agent="olle", to_agent="olle")
    assert await store.handoffs.transfer(number, from_agent="sara", to_agent="olle")
    moved = await store.handoffs.get(number)
    assert moved is not None and moved.agent == "olle" and moved.status == "active"


async def test_notes_stay_out_of_the_transcript(store: Store) -> None:
    conv = await store.load("web:n1", channel="web", user_id="anna")
    await store.save_turn(conv, TurnRecord(role="user", text="my invoice is wrong", at=AT))
    number = await store.handoffs.add("web:n1", channel="web", user_id="anna", at=AT)
    await store.notes.add("web:n1", number=number, agent="sara", agent_name="Sara", text="check CN-12", at=AT)
    assert [n.text for n in await store.notes.for_conversation("web:n1")] == ["check CN-12"]
    assert [t.text for t in await store.history("web:n1")] == ["my invoice is wrong"]


async def test_search_reads_handed_off_conversations_and_takes_words_literally(store: Store) -> None:
    for key, text in (
        ("web:s1", "The 50%_rail is BROKEN"),
        ("web:s2", "the 50 rails are fine"),
        ("web:s3", "broken"),
    ):
        conv = await store.load(key, channel="web", user_id=None)
        await store.save_turn(conv, TurnRecord(role="user", text=text, at=AT))
    first = await store.handoffs.add("web:s1", channel="web", user_id=None, at=AT)
    await store.handoffs.add("web:s2", channel="web", user_id=None, at=AT)
    # web:s3 was never handed to a person: agents do not search it
    assert [(h.number, h.text) for h in await store.search.search("broken")] == [
        (first, "The 50%_rail is BROKEN")
    ]
    assert [h.number for h in await store.search.search("50%_r")] == [first]
    assert await store.search.search("50_rails") == []


async def test_search_reads_transcripts_through_their_index_only(tmp_path: Path) -> None:
    """However many lines the transcripts hold, a search reads those of the latest handed-off
    conversations by their key, never the whole table (SQLite's plan, with statistics too)."""
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'plan.sqlite3'}")
    try:
        await migrate(engine)
        sql = str(
            TranscriptSearch.statement("broken").compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
        )
        for analyzed in (False, True):
            async with engine.begin() as conn:
                if analyzed:
                    await conn.execute(sql_text("ANALYZE"))
                plan = [row[3] for row in await conn.execute(sql_text("EXPLAIN QUERY PLAN " + sql))]
            assert any(step.startswith("SEARCH turns USING INDEX") for step in plan), plan
            assert not any(step.startswith("SCAN turns") for step in plan), plan
    finally:
        await engine.dispose()
