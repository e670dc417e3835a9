"""Asked when or how support can be reached, the assistant says the office hours, whether someone is in
the chat now and the support address, and offers a person: nobody is queued and no request is opened
for a question. Pressing the offer is asking for a person.

Played through the real pipeline with the clock set; office hours 08:00–17:00 Monday to Friday.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from supportbot.adapters.app import build_application
from tests.conftest import Conversation, make_settings
from tests.conversations.test_handoff_holidays import ANNA, MAX, SARA, _requests_of, desk_at


async def test_on_a_weekday_someone_is_there_and_a_person_is_offered(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-11-24 10:00") as app:
        before = await _requests_of(app, ANNA)
        chat = Conversation(app, ANNA)
        await chat.transcript("""
            user: when is customer service open?
            bot:  [handoff.agent]
            bot:  (en)
            bot:  ~ 08:00–17:00, Monday to Friday, except public holidays
            bot:  ~ Someone is there right now
            bot:  ~ support@
            bot:  !~ HO-
            bot:  !~ RQ-
        """)
        assert [b.label for b in chat.last.buttons] == ["Talk to a person"]
        assert await app.handoffs.queue() == [], "a question is not a request to be queued"
        queued = await chat.press("Talk to a person")
        assert "number 1 in the queue" in queued.text
        assert [h.user_id for h in await app.handoffs.queue()] == [ANNA]
        assert await _requests_of(app, ANNA) == before


async def test_someone_wanted_now_is_queued_at_once(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-11-24 10:00") as app:
        await Conversation(app, MAX).transcript("""
            user: is anyone from support available now?
            bot:  [handoff.agent]
            bot:  ~ HO-
        """)
        assert [h.user_id for h in await app.handoffs.queue()] == [MAX]


async def test_in_the_evening_the_chat_is_closed_and_nothing_is_opened(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-11-24 19:30") as app:
        before = await _requests_of(app, ANNA)
        await Conversation(app, ANNA).transcript("""
            user: what are your opening hours?
            bot:  [handoff.agent]
            bot:  ~ 08:00–17:00
            bot:  ~ The chat is closed right now
            bot:  ~ I'll open a request
            bot:  !~ RQ-
            user: how do I contact you?
            bot:  [handoff.agent]
            bot:  ~ support@
        """)
        assert await _requests_of(app, ANNA) == before
        assert await app.handoffs.queue() == []


async def test_on_christmas_day_in_swedish(data_dir: Path) -> None:
    async with desk_at(data_dir, "2026-12-25 11:00") as app:
        before = await _requests_of(app, ANNA)
        await Conversation(app, ANNA).transcript("""
            user: när har kundtjänst öppet?
            bot:  [handoff.agent]
            bot:  (sv)
            bot:  ~ 08:00–17:00, måndag till fredag, utom helgdagar
            bot:  ~ I dag är det helgdag
            user: vilka öppettider har ni
            bot:  [handoff.agent]
            bot:  (sv)
        """)
        assert await _requests_of(app, ANNA) == before


async def test_within_the_hours_with_nobody_online(data_dir: Path) -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    settings = make_settings(data_dir, office_hours="08:00-17:00", office_days="0-4")
    app = await build_application(settings, clock=lambda: now)
    try:
        await Conversation(app, ANNA).transcript("""
            user: what's the phone number for customer support?
            bot:  [handoff.agent]
            bot:  ~ No one is free at the moment
            bot:  ~ support@
        """)
    finally:
        await app.close()


async def test_around_the_clock(data_dir: Path) -> None:
    app = await build_application(make_settings(data_dir, office_hours=""))
    try:
        await app.handoffs.agent_online(SARA)
        await Conversation(app, ANNA).transcript("""
            user: what are your opening hours?
            bot:  [handoff.agent]
            bot:  ~ around the clock
            bot:  ~ Someone is there right now
            bot:  !~ 00:00
        """)
    finally:
        await app.close()
