"""Max (Contoso) asks about Nordisk's contract C-1001 through every contracts intent, in English and
Swedish, and through a document link: he gets exactly what a contract that does not exist (C-9999)
gets, learns none of Nordisk's facts, and nothing is written or mailed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from supportbot.adapters.app import Application
from supportbot.adapters.server import create_web_app
from tests.conftest import BotDriver

MAX = "max.muller@contoso.example"
NORDISK_FACTS = ("Nordisk", "Kista", "78ABC12", "78TAP77", "96 000", "96,000", "Karin Holm", "Anna Berg")

QUESTIONS = {
    "en": (
        "what is the status of contract {n}",
        "what does contract {n} cover",
        "I need a pdf of contract {n}",
        "pdf of contract {n} version 1",
        "printable version of contract {n}",
        "send contract {n} to maria@contoso.example",
        "email me the contract {n} as a pdf",
        "show the version history of contract {n}",
    ),
    "sv": (
        "vad är status på avtal {n}",
        "jag behöver en pdf av avtal {n}",
        "skicka avtal {n} till maria@contoso.example",
        "historik för avtal {n}",
    ),
}


async def _written(app: Application) -> tuple[int, int]:
    async with app.engine.connect() as conn:
        events = await conn.scalar(text("SELECT count(*) FROM contract_events"))
        mails = await conn.scalar(text("SELECT count(*) FROM mail_outbox"))
    return int(events or 0), int(mails or 0)


@pytest.mark.parametrize("language", ["en", "sv"])
async def test_every_intent_answers_a_foreign_contract_like_a_missing_one(
    bot: BotDriver, application: Application, language: str
) -> None:
    before = await _written(application)
    for question in QUESTIONS[language]:
        foreign = await bot.as_user(MAX).say(question.format(n="C-1001"))
        missing = await bot.as_user(MAX).say(question.format(n="C-9999"))
        assert foreign.intent == missing.intent and foreign.intent is not None
        assert foreign.intent.startswith("contract."), (question, foreign.intent)
        shown = foreign.plain_text()
        assert shown.replace("C-1001", "C-?") == missing.plain_text().replace("C-9999", "C-?"), question
        assert not foreign.cards and not foreign.attachments and not foreign.table, question
        for fact in NORDISK_FACTS:
            assert fact not in shown, f"{fact!r} leaked for {question!r}:\n{shown}"
    assert await _written(application) == before, "nothing recorded or mailed for a foreign contract"


async def test_lists_never_show_another_company_contracts(bot: BotDriver) -> None:
    max_ = bot.as_user(MAX)
    for question in ("show my contracts", "contracts for Kista", "which contracts need action from us"):
        reply = await max_.say(question)
        shown = reply.plain_text()
        assert "C-10" not in shown and "C-09" not in shown, shown


@pytest.fixture
async def served(application: Application) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    web_app = create_web_app(application)
    web_app.on_cleanup.clear()  # the application fixture closes the application
    client = TestClient(TestServer(web_app))
    await client.start_server()
    yield client
    await client.close()


async def test_a_document_link_signed_for_max_does_not_open_nordisk_contract(
    application: Application,
    served: TestClient,  # type: ignore[type-arg]
) -> None:
    """Even a genuine link, signed by the server for Max, opens nothing of another company's."""
    files = application.files
    for form in ("pdf", "html"):
        for number in ("C-1001", "C-9999"):
            link = files.document_link(owner=MAX, kind="contract", number=number, form=form)  # type: ignore[arg-type]
            async with served.get(link.removeprefix("http://127.0.0.1:8080")) as response:
                assert response.status == 403, (form, number)
                assert await response.text() == "Forbidden"
        own = files.document_link(owner=MAX, kind="contract", number="C-2001", form=form)  # type: ignore[arg-type]
        async with served.get(own.removeprefix("http://127.0.0.1:8080")) as response:
            assert response.status == 200, form
