"""The whole assistant on PostgreSQL, configured by URL only, as an operator would run it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from supportbot.adapters.app import build_application
from tests.conftest import Conversation, make_settings
from tests.fresh_postgres import fresh_database

pytestmark = pytest.mark.postgres


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """A fresh database on the server, dropped afterwards; a visible skip when there is no server."""
    async with fresh_database("sb_conv") as url:
        yield url


async def test_orders_conversation_and_restart_on_postgres(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    app = await build_application(settings)
    chat = Conversation(app, "anna.berg@nordisk.example")
    try:
        await chat.transcript("""
            user: where is my order 4711?
            bot:  ~ PostNord
            user: show my open orders
            bot:  ~ 4712
            bot:  !~ 5801
            user: where is order 5801?
            bot:  ~ can't find order 5801
        """)
        again = await chat.say("where is my order 4711?", delivery_id="same")
        assert await chat.say("where is my order 4711?", delivery_id="same") == again
    finally:
        await app.close()

    app = await build_application(settings)  # a restart: the demo data is not seeded twice
    try:
        after = Conversation(app, "anna.berg@nordisk.example", conversation_id=chat.conversation_id)
        reply = await after.say("and when will it arrive?")
        assert "4711" in reply.text
        assert len(await app.store.history(after.ref.key)) == 10
    finally:
        await app.close()
