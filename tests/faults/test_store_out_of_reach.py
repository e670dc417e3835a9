"""The store when its database cannot be reached (here a port that resets every connection, so no
database server is needed): every read and write of a turn says ``Unavailable``, which is also a
``BackendUnavailable``, and the writer gives up a whole batch on one failed connection instead of
trying each write of it again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from supportbot.bot.store import ConversationState, Store, TurnRecord, Unavailable
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.sql.database import open_engine
from tests.crash.harness import free_port
from tests.faults.proxy import TcpProxy


@pytest.fixture
def cut() -> Iterator[TcpProxy]:
    proxy = TcpProxy("127.0.0.1", free_port()).start()
    proxy.cut()
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture
async def store(cut: TcpProxy) -> AsyncIterator[Store]:
    engine = open_engine(f"postgresql+asyncpg://supportbot@127.0.0.1:{cut.port}/supportbot")
    built = Store(engine)
    try:
        yield built
    finally:
        await built.close()
        await engine.dispose()


def conversation(n: int) -> ConversationState:
    return ConversationState(f"web:c{n}", "web", None, "en", {}, 0, exists=False)


async def test_a_turns_reads_and_writes_say_the_database_is_unavailable(store: Store) -> None:
    with pytest.raises(Unavailable):
        await store.load("web:c1", channel="web", user_id=None)
    with pytest.raises(Unavailable):
        await store.history("web:c1")
    with pytest.raises(Unavailable):
        await store.reply_for_delivery("web:c1", "m-1")
    with pytest.raises(BackendUnavailable):  # the same apology as for a back end that is down
        await store.save_turn(conversation(1), TurnRecord(role="user", text="hello", delivery_id="m-1"))


async def test_the_writer_gives_up_a_batch_at_once(store: Store, cut: TcpProxy) -> None:
    turns = [
        store.save_turn(conversation(n), TurnRecord(role="user", text="hello", delivery_id="m-1"))
        for n in range(20)
    ]
    failed = await asyncio.gather(*turns, return_exceptions=True)
    assert all(isinstance(f, Unavailable) for f in failed), failed
    assert cut.refused == 1  # one transaction for the twenty, tried once: not twenty-one attempts
