"""A new intent family comes from one module, without a line changed in the bot: ``warranty_family``,
added through ``build_application(families=...)``, answers whole conversations in both languages
next to the built-in intents, its engine-asked slot and its own tenant-scoped back end included."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.settings import Settings
from supportbot.intents import all_intents
from tests.conftest import BotDriver
from tests.conversations import warranty_family
from tests.conversations.warranty_family import InMemoryWarranties, Warranty

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"
NORDISK, CONTOSO = "1000123", "2000456"

RECORDS = {
    "SN-10042": (NORDISK, Warranty("SN-10042", "Power S1022 server", date(2099, 3, 31))),
    "SN-10050": (NORDISK, Warranty("SN-10050", "FlashSystem 5200", date(2020, 6, 30))),
    "SN-20077": (CONTOSO, Warranty("SN-20077", "Contoso-only storage array", date(2099, 1, 31))),
}

PUBLIC_BOT_API = {
    "supportbot.bot.spec",
    "supportbot.bot.i18n",
    "supportbot.bot.state",
    "supportbot.bot.messages",
}


@pytest.fixture
async def application(settings: Settings) -> AsyncIterator[Application]:
    app = await build_application(settings, families=[warranty_family.family(InMemoryWarranties(RECORDS))])
    try:
        yield app
    finally:
        await app.close()


async def test_the_engine_asks_for_the_serial_and_the_new_back_end_answers(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript(
        """
        user: is my product still under warranty?
        bot: [warranty.check]
        bot: = Which product do you mean? Give me its serial number (like SN-10042).
        user: hmm, no idea
        bot: [warranty.check]
        bot: = I couldn't take "hmm, no idea" as the answer. Which product do you mean? Give me its serial number (like SN-10042). (Or say "cancel" to drop it.)
        user: sn-10042
        bot: [warranty.check]
        bot: ~ Power S1022 server (serial SN-10042) is under warranty until
        bot: ~ 2099
        user: where is order 4711?
        bot: [order.status]
        bot: ~ 4711
        """
    )
    # The family's own context is kept with the conversation, under the family's name.
    kept = await bot.app.store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)
    assert kept.state["families"]["warranty"] == {"asked": ["SN-10042"]}


async def test_swedish_with_the_serial_said_at_once_and_then_carried_over(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript(
        """
        user: kolla garantin för serienummer SN-10050
        bot: [warranty.check]
        bot: (sv)
        bot: ~ Garantin för FlashSystem 5200 (serienummer SN-10050) gick ut
        # The serial talked about carries over (the slot's ``carry``): not asked again.
        user: har min produkt fortfarande garanti?
        bot: [warranty.check]
        bot: ~ (serienummer SN-10050) gick ut
        user: garantistatus för serienummer SN-10042
        bot: (sv)
        bot: ~ Power S1022 server (serienummer SN-10042) har garanti till och med
        """
    )


async def test_another_companys_serial_is_answered_like_an_unknown_one(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    foreign = await anna.say("check the warranty for serial SN-20077")
    unknown = await anna.say("check the warranty for serial SN-99999")
    assert foreign.intent == unknown.intent == "warranty.check"
    assert foreign.text == unknown.text.replace("SN-99999", "SN-20077")
    assert "Contoso" not in foreign.plain_text()
    # The serial is real: its own company sees it.
    mine = await bot.as_user(MAX).say("check the warranty for serial SN-20077")
    assert "Contoso-only storage array" in mine.text


async def test_a_guest_is_asked_to_sign_in_before_the_back_end_is_called(bot: BotDriver) -> None:
    reply = await bot.as_guest().say("check the warranty for serial SN-10042")
    assert reply.intent == "warranty.check"
    assert "SN-10042" not in reply.text and "Power" not in reply.text


def test_the_family_is_added_without_touching_the_registry_or_the_bot() -> None:
    assert "warranty.check" not in {spec.name for spec in all_intents()}
    tree = ast.parse(Path(warranty_family.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    bot_modules = {
        name for name in imported if name == "supportbot.bot" or name.startswith("supportbot.bot.")
    }
    assert bot_modules, "the family declares itself with the bot's spec"
    assert bot_modules <= PUBLIC_BOT_API, (
        f"the family reaches into the bot's engine: {bot_modules - PUBLIC_BOT_API}"
    )
