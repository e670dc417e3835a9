"""The message bus and notices: stored in the user's inbox first, then published to whoever listens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from supportbot.bot.bus import PRINCIPALS_TOPIC, InProcessBus, user_topic
from supportbot.bot.messages import Button, Reply
from supportbot.bot.notify import Notifier, inbox_ref
from supportbot.bot.store import Store, TurnRecord
from supportbot.integrations.sql.migrate import migrate

AT = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    await migrate(engine)
    built = Store(engine)
    try:
        yield built
    finally:
        await built.close()
        await engine.dispose()


async def test_the_bus_delivers_by_topic_until_unsubscribed() -> None:
    bus = InProcessBus()
    got: list[tuple[str, dict[str, Any]]] = []

    async def first(message: dict[str, Any]) -> None:
        got.append(("first", message))

    async def broken(message: dict[str, Any]) -> None:
        raise RuntimeError("a broken listener")

    async def second(message: dict[str, Any]) -> None:
        got.append(("second", message))

    stop = await bus.subscribe("a", first)
    await bus.subscribe("a", broken)
    await bus.subscribe("a", second)
    await bus.publish("a", {"n": 1})
    await bus.publish("b", {"n": 2})
    stop()
    await bus.publish("a", {"n": 3})
    assert got == [("first", {"n": 1}), ("second", {"n": 1}), ("second", {"n": 3})]
    assert bus.subscribers("a") == 2 and bus.subscribers("b") == 0


async def test_a_notice_is_stored_then_published(store: Store) -> None:
    bus = InProcessBus()
    notifier = Notifier(store, bus, clock=lambda: AT)
    heard: list[dict[str, Any]] = []
    inbox_when_heard: list[list[str]] = []

    async def listen(message: dict[str, Any]) -> None:
        inbox_when_heard.append([t.text for t in await notifier.inbox("anna")])
        heard.append(message)

    await bus.subscribe(user_topic("anna"), listen)
    reply = Reply(text="Approve?", buttons=(Button(label="Approve", value="approve"),), language="sv")
    await notifier.notify("anna", reply)
    assert heard == [{"type": "notice", "reply": reply.model_dump(mode="json"), "at": AT.isoformat()}]
    [stored] = await notifier.inbox("anna")
    assert stored.role == "bot" and stored.payload is not None and stored.payload["notice"] is True
    assert Reply.model_validate(stored.payload) == reply
    assert inbox_ref("anna").key == "inbox:anna"

    await notifier.notify("anna", Reply(text="Second"))
    assert [t.text for t in await notifier.inbox("anna")] == ["Approve?", "Second"]
    # Whoever hears a notice finds it already stored.
    assert inbox_when_heard == [["Approve?"], ["Approve?", "Second"]]


async def test_notices_join_a_transcript_in_time_order(store: Store) -> None:
    times = iter([datetime(2026, 5, 1, 10, minute, tzinfo=UTC) for minute in (1, 3)])
    notifier = Notifier(store, InProcessBus(), clock=lambda: next(times))
    await notifier.notify("anna", Reply(text="notice 1"))
    await notifier.notify("anna", Reply(text="notice 3"))
    turns = [
        TurnRecord(role="user", text="hello", at=datetime(2026, 5, 1, 10, 0, tzinfo=UTC)),
        TurnRecord(role="bot", text="hi", at=datetime(2026, 5, 1, 10, 2, tzinfo=UTC)),
    ]
    merged = await notifier.with_inbox(turns, "anna")
    assert [t.text for t in merged] == ["hello", "notice 1", "hi", "notice 3"]
    assert [t.text for t in await notifier.with_inbox(turns, "anna", limit=2)] == ["hi", "notice 3"]
    assert await notifier.with_inbox(turns, None) == turns
    assert await notifier.with_inbox(turns, "erik") == turns


async def test_a_changed_principal_is_announced() -> None:
    bus = InProcessBus()
    heard: list[dict[str, Any]] = []

    async def listen(message: dict[str, Any]) -> None:
        heard.append(message)

    await bus.subscribe(PRINCIPALS_TOPIC, listen)
    engine = create_async_engine("sqlite+aiosqlite://")
    await Notifier(Store(engine), bus).principal_changed("erik")
    await engine.dispose()
    assert heard == [{"user_id": "erik"}]
