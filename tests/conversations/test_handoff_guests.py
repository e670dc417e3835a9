"""A web chat guest asks for a person: a name and an e-mail address first (a customer number if they
like), checked; then the queue with a tracking number, or, with nobody there, a guest's request
confirmed by a mail that says nothing but its number. Limited per conversation and per address.

Played through the real pipeline on the demo data, asked in turn (a channel without forms); the web
chat's form is in ``tests/web/test_guest_handoff.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from supportbot.adapters.app import Application, build_application
from supportbot.bot.handoff import GUEST_MAILS
from tests.conftest import BotDriver, make_settings

SARA = "sara@support.example"


@pytest.fixture
async def application(data_dir: Path) -> AsyncIterator[Application]:
    app = await build_application(make_settings(data_dir, office_hours=""))
    try:
        yield app
    finally:
        await app.close()


async def test_a_guest_gives_name_and_address_and_is_queued(bot: BotDriver, application: Application) -> None:
    await application.handoffs.agent_online(SARA)
    guest = bot.as_guest()
    await guest.transcript("""
        user: talk to a person
        bot:  [handoff.agent]
        bot:  ~ what's your name
        user: Eva Svensson
        bot:  ~ e-mail address
        user: not an address
        bot:  ~ doesn't look like an e-mail address
        user: eva@example.org
        bot:  ~ customer number
        user: skip
        bot:  ~ HO-
        bot:  ~ number 1 in the queue
    """)
    (queued,) = await application.handoffs.queue()
    assert queued.user_id is None and queued.guest is not None
    assert (queued.guest.name, queued.guest.email, queued.guest.customer_number) == (
        "Eva Svensson",
        "eva@example.org",
        None,
    )
    assert queued.to_json()["guest"]["verified"] is False


async def test_a_guest_asks_in_swedish_with_a_customer_number(
    bot: BotDriver, application: Application
) -> None:
    await application.handoffs.agent_online(SARA)
    await bot.as_guest().transcript("""
        user: jag vill prata med en människa
        bot:  (sv)
        bot:  ~ vad heter du
        user: Per Holm
        bot:  ~ e-postadress
        user: per.holm@example.org
        bot:  ~ kundnummer
        user: 1000123
        bot:  ~ Ditt ärendenummer är HO-
    """)
    (queued,) = await application.handoffs.queue()
    assert queued.guest is not None and queued.guest.customer_number == "1000123"


async def test_an_empty_name_is_asked_again(bot: BotDriver, application: Application) -> None:
    await bot.as_guest().transcript("""
        user: talk to a person
        bot:  ~ what's your name
        user: ...
        bot:  ~ Please tell me your name
        user: Eva Svensson
        bot:  ~ e-mail address
    """)


async def test_with_nobody_there_it_becomes_a_guests_request(
    bot: BotDriver, application: Application
) -> None:
    guest = bot.as_guest()
    await guest.transcript("""
        user: where is order 4711? my customer number is 1000123
        user: talk to a person
        user: Eva Svensson
        user: eva@example.org
        user: 1000123
        bot:  [handoff.agent]
        bot:  ~ I've opened request RQ-
        bot:  ~ answer you at eva@example.org within one business day
    """)
    assert await application.handoffs.queue() == []


async def test_a_guest_is_limited_per_address(bot: BotDriver, application: Application) -> None:
    for _ in range(GUEST_MAILS):
        await bot.as_guest().transcript("""
            user: talk to a person
            user: Eva Svensson
            user: eva@example.org
            user: skip
            bot:  ~ RQ-
        """)
    await bot.as_guest().transcript("""
        user: talk to a person
        user: Somebody Else
        user: EVA@example.org
        user: skip
        bot:  ~ several times in a short while
        bot:  !~ RQ-
    """)
