"""Handing back is all or nothing: the handoff closes in the transaction that stores the bot's "I'm
back" line. When the database fails on the way, the handoff stays open with the agent and the
transcript holds no line of the bot's, so the agent's retry hands the conversation back, once.

On SQLite the failure is a transcript line the database cannot write; on PostgreSQL the connection
dies as the transaction commits, after every statement of it ran.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.bot.store import ACTIVE, CLOSED, Unavailable
from tests.conftest import Conversation, make_settings
from tests.fresh_postgres import fresh_database

ANNA = "anna.berg@nordisk.example"
SARA = "sara@support.example"
BACK = "Sara has left the chat, and I'm back. What else can I help you with?"

_SQLITE_FAILS = [
    # A function the database does not know: every line written to the transcript fails.
    "CREATE TRIGGER turns_fail BEFORE INSERT ON turns BEGIN SELECT no_such_function(); END",
]
_SQLITE_WORKS = ["DROP TRIGGER turns_fail"]
_POSTGRES_FAILS = [
    """CREATE FUNCTION turns_fail() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$""",
    # Deferred: it runs at the commit, after the transaction's every statement.
    """CREATE CONSTRAINT TRIGGER turns_fail AFTER INSERT ON turns
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION turns_fail()""",
]
_POSTGRES_WORKS = ["DROP TRIGGER turns_fail ON turns", "DROP FUNCTION turns_fail()"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def application(request: pytest.FixtureRequest, data_dir: Path) -> AsyncIterator[Application]:
    """The assistant on SQLite and on PostgreSQL, office hours around the clock."""
    if request.param == "sqlite":
        app = await build_application(make_settings(data_dir, office_hours=""))
        try:
            yield app
        finally:
            await app.close()
        return
    async with fresh_database("sb_back") as url:
        app = await build_application(make_settings(data_dir, office_hours="", database_url=url))
        try:
            yield app
        finally:
            await app.close()


async def _run(app: Application, statements: list[str]) -> None:
    async with app.store.engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))


async def test_a_failure_after_the_close_leaves_the_handoff_open_and_a_retry_hands_back_once(
    application: Application,
) -> None:
    handoffs = application.handoffs
    postgres = application.store.engine.dialect.name == "postgresql"
    await handoffs.agent_online(SARA)
    chat = Conversation(application, ANNA)
    await chat.transcript("""
        user: talk to a person
        bot:  [handoff.agent]
        bot:  ~ HO-
    """)
    number = "HO-" + chat.last.text.split("HO-", 1)[1][:6]
    assert await handoffs.take(number, SARA)
    assert await handoffs.reply(number, SARA, "Sara Lindqvist", "Hello Anna, all done.")
    before = [(t.role, t.text) for t in await application.store.history(chat.ref.key)]

    await _run(application, _POSTGRES_FAILS if postgres else _SQLITE_FAILS)
    with pytest.raises(Unavailable):
        await handoffs.hand_back(number, SARA)

    handoff = await handoffs.get(number)
    assert handoff is not None and (handoff.status, handoff.agent) == (ACTIVE, SARA)
    application.store.forget(chat.ref.key)
    assert [(t.role, t.text) for t in await application.store.history(chat.ref.key)] == before

    await _run(application, _POSTGRES_WORKS if postgres else _SQLITE_WORKS)
    assert (await chat.say("one more thing")).silent  # the agent still has the conversation
    assert await handoffs.hand_back(number, SARA)
    assert not await handoffs.hand_back(number, SARA)  # once: a second try finds it closed
    handoff = await handoffs.get(number)
    assert handoff is not None and handoff.status == CLOSED
    lines = [(t.role, t.text) for t in await application.store.history(chat.ref.key)]
    assert [role for role, _ in lines[len(before) :]] == ["user", "bot"]
    assert [said for said in lines if said[1].startswith(BACK)] == [lines[-1]]  # said once
    await chat.transcript("""
        user: where is my order 4711?
        bot:  ~ PostNord
    """)
