"""Agents around the clock (``SUPPORTBOT_AGENTS_AROUND_THE_CLOCK``, on in ``scripts/start``): the demo
shows the handoff at any hour, on Saturday night and on Christmas Day alike, while a plain server keeps
its office hours and makes the same words a request.

Played through the real pipeline with the clock set; sara@support.example is online.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.settings import Settings
from tests.conftest import Conversation, make_settings

ANNA = "anna.berg@nordisk.example"
SARA = "sara@support.example"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@asynccontextmanager
async def desk(
    data_dir: Path, moment: str, *, online: bool = True, **settings: object
) -> AsyncIterator[Application]:
    now = datetime.fromisoformat(moment).replace(tzinfo=STOCKHOLM)
    app = await build_application(make_settings(data_dir, **settings), clock=lambda: now)
    try:
        if online:
            await app.handoffs.agent_online(SARA)
        yield app
    finally:
        await app.close()


@pytest.mark.parametrize(
    "moment",
    ["2026-11-21 03:00", "2026-12-25 22:30"],  # a Saturday night; Christmas Day in the evening
    ids=["saturday-night", "christmas-day"],
)
async def test_around_the_clock_a_person_is_reached_at_any_hour(data_dir: Path, moment: str) -> None:
    async with desk(data_dir, moment, agents_around_the_clock=True) as app:
        await Conversation(app, ANNA).transcript("""
            user: prata med en person
            bot:  [handoff.agent]
            bot:  (sv)
            bot:  ~ HO-
            bot:  ~ i kön
            bot:  !~ RQ-
        """)
        assert [h.user_id for h in await app.handoffs.queue()] == [ANNA]


async def test_around_the_clock_still_needs_an_agent_online(data_dir: Path) -> None:
    async with desk(data_dir, "2026-11-21 03:00", online=False, agents_around_the_clock=True) as app:
        await Conversation(app, ANNA).transcript("""
            user: talk to a person
            bot:  [handoff.agent]
            bot:  ~ No one from our support team is free in the chat right now
            bot:  ~ I've opened request RQ-
            bot:  !~ office hours
            bot:  !~ HO-
        """)
        assert await app.handoffs.queue() == []


async def test_a_plain_server_keeps_office_hours(data_dir: Path) -> None:
    assert Settings.model_fields["agents_around_the_clock"].default is False
    async with desk(data_dir, "2026-11-21 03:00") as app:
        await Conversation(app, ANNA).transcript("""
            user: talk to a person
            bot:  [handoff.agent]
            bot:  ~ office hours are 08:00–17:00
            bot:  ~ I've opened request RQ-
            bot:  !~ HO-
        """)
        assert await app.handoffs.queue() == []


def test_the_demo_start_script_turns_it_on() -> None:
    script = (Path(__file__).parents[2] / "scripts" / "start").read_text()
    assert 'SUPPORTBOT_AGENTS_AROUND_THE_CLOCK="${SUPPORTBOT_AGENTS_AROUND_THE_CLOCK:-true}"' in script
