"""On a public holiday of the customer's country the desk is closed: "talk to a person" becomes a request
answered within one business day, though an agent is online; on an ordinary weekday it queues.

Played through the real pipeline with the clock set to the day; sara@support.example is online.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from supportbot.adapters.app import Application, build_application
from tests.conftest import Conversation, make_settings

ANNA = "anna.berg@nordisk.example"  # Nordisk Verkstad AB, Sweden
MAX = "max.muller@contoso.example"  # Contoso GmbH, Germany
SARA = "sara@support.example"


@asynccontextmanager
async def desk_at(data_dir: Path, moment: str, zone: str = "Europe/Stockholm") -> AsyncIterator[Application]:
    """The assistant at ``moment`` (local time in ``zone``), office hours 08:00–17:00 Monday to Friday,
    with an agent online."""
    now = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))

    def clock() -> datetime:
        return now

    settings = make_settings(data_dir, office_hours="08:00-17:00", office_days="0-4")
    app = await build_application(settings, clock=clock)
    try:
        await app.handoffs.agent_online(SARA)
        yield app
    finally:
        await app.close()


async def _requests_of(app: Application, user_id: str) -> list[str]:
    principal = await app.pipeline.principal(user_id)
    return [r.number for r in await app.backends.requests.list_requests(principal, limit=20)]


async def test_on_midsummer_eve_a_swedish_customer_gets_a_request(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-06-19 10:00") as app:
        before = await _requests_of(app, ANNA)
        chat = Conversation(app, ANNA)
        await chat.transcript("""
            user: talk to a person
            bot:  [handoff.agent]
            bot:  ~ public holiday
            bot:  ~ I've opened request RQ-
            bot:  ~ within one business day
            bot:  !~ HO-
        """)
        assert await app.handoffs.queue() == [], "nobody is queued on a holiday"
        (new,) = set(await _requests_of(app, ANNA)) - set(before)
        assert new in chat.last.text


async def test_on_christmas_day_in_swedish(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-12-25 11:00") as app:
        await Conversation(app, ANNA).transcript("""
            user: jag vill prata med en människa
            bot:  [handoff.agent]
            bot:  (sv)
            bot:  ~ eftersom det är helgdag
            bot:  ~ Jag har öppnat ärende RQ-
            bot:  ~ inom en arbetsdag
        """)
        assert await app.handoffs.queue() == []


async def test_whit_monday_closes_the_desk_for_germany_but_not_for_sweden(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-05-25 10:00", zone="Europe/Berlin") as app:
        await Conversation(app, MAX).transcript("""
            user: talk to a person
            bot:  [handoff.agent]
            bot:  ~ public holiday
            bot:  ~ request RQ-
        """)
        assert await app.handoffs.queue() == []
        await Conversation(app, ANNA).transcript("""
            user: talk to a person
            bot:  [handoff.agent]
            bot:  ~ HO-
            bot:  ~ number 1 in the queue
        """)
        (queued,) = await app.handoffs.queue()
        assert queued.user_id == ANNA


async def test_on_an_ordinary_weekday_both_are_queued(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-11-24 10:00") as app:
        for user in (ANNA, MAX):
            await Conversation(app, user).transcript("""
                user: talk to a person
                bot:  [handoff.agent]
                bot:  ~ I've passed you to our support team
                bot:  ~ HO-
            """)
        assert [h.user_id for h in await app.handoffs.queue()] == [ANNA, MAX]


async def test_in_the_evening_it_is_office_hours_not_a_holiday(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-11-24 19:30") as app:
        await Conversation(app, ANNA).transcript("""
            user: talk to a person
            bot:  ~ office hours are 08:00–17:00
            bot:  !~ holiday
            bot:  ~ request RQ-
        """)
