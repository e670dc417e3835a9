"""Installed equipment of another company is exactly as missing as equipment that does not exist: the
same answer to show, change and question, nothing of it in lists or spreadsheets, and a download
link that works for its owner only."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings
from tests.conftest import BotDriver, Conversation
from tests.web.webchat_helpers import Browser

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"

NORDISK_FACTS = ("Nordisk", "Kista", "Göteborg", "IBM Power S1022", "C-1001", "Server room")

QUESTIONS = (
    "show item {serial}",
    "visa enhet {serial}",
    "what's the service level of {serial}?",
    "please upgrade the item with serial number {serial}",
    "flytta {serial} till München",
)


@pytest.mark.parametrize("question", QUESTIONS)
async def test_max_asking_for_78abc12_gets_the_answer_of_an_unknown_serial(
    bot: BotDriver, question: str
) -> None:
    foreign = await bot.as_user(MAX).say(question.format(serial="78ABC12"))
    missing = await bot.as_user(MAX).say(question.format(serial="78QQQ99"))
    shown = foreign.plain_text()
    for fact in NORDISK_FACTS:
        assert fact not in shown, f"{fact!r} leaked:\n{shown}"
    assert shown.replace("78ABC12", "#") == missing.plain_text().replace("78QQQ99", "#")
    assert foreign.intent == missing.intent and foreign.intent is not None
    assert foreign.intent.startswith("inventory.")


async def test_lists_and_products_hold_only_the_own_company(bot: BotDriver) -> None:
    max_ = bot.as_user(MAX)
    listing = await max_.say("show all our equipment")
    assert listing.table is not None
    assert sorted(row[0] for row in listing.table.rows) == ["5725-W98-0117", "78DEF56", "78MUC45"]
    power = await max_.say("show our Power servers")  # Max's one Power server, shown as itself
    shown = power.plain_text()
    assert "78DEF56" in shown and not any(s in shown for s in ("78ABC12", "78GBG21", "78PWR09"))
    # Another company's site is no site of Max's: nothing, as for a place that does not exist.
    kista = await bot.as_user(MAX).say("what hardware do we have in Kista?")
    assert kista.table is None and "78ABC12" not in kista.plain_text()
    # Another company's contract covers nothing Max can see.
    covered = await bot.as_user(MAX).say("show equipment covered by contract C-1001")
    assert covered.table is None and "78ABC12" not in covered.plain_text()


async def test_a_download_link_works_for_its_owner_only(settings: Settings) -> None:
    application = await build_application(settings)  # the web app closes it when it stops
    client = TestClient(TestServer(create_web_app(application)))
    await client.start_server()
    try:
        reply = await Conversation(application, ANNA).say("download the inventory as a spreadsheet")
        xlsx, _csv = reply.attachments
        parts = urlsplit(xlsx.url)
        path = urlunsplit(("", "", parts.path, parts.query, ""))
        statuses = {}
        for user in (ANNA, MAX):
            session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
            browser = Browser(client, session)
            await browser.whoami()
            assert (await browser.login(user)).status == 200
            async with session.get(client.make_url(path)) as response:
                statuses[user] = (response.status, await response.read())
            await session.close()
    finally:
        await client.close()
    assert statuses[ANNA][0] == 200 and statuses[ANNA][1].startswith(b"PK")
    assert statuses[MAX] == (403, b"Forbidden")
