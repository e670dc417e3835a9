"""Right after an invoice or a contract, a message that asks only for a document ("pdf?", "som pdf tack",
"och kopian?") gives that record's document. Without one record talked about the same words are not
answered with a guess: the customer is asked which."""

from __future__ import annotations

from supportbot.adapters.app import Application
from tests.conftest import BotDriver
from tests.conversations.test_contracts import pdf_pages
from tests.conversations.test_invoices import fetch, pdf_text

ANNA = "anna.berg@nordisk.example"


async def test_pdf_asked_alone_after_an_invoice_is_that_invoices_copy(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what do we owe on invoice INV-2031?
        bot:  ~ INV-2031
        user: pdf?
        bot:  [invoice.get]
        bot:  ~ INV-2031
    """)
    copy = next(a for a in anna.last.attachments if a.name == "INV-2031.pdf")
    assert "INV-2031" in pdf_text(await fetch(application, copy))


async def test_a_contracts_pdf_in_swedish_and_its_copy_by_another_word(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: när går avtal C-1001 ut?
        bot:  [contract.status]
        user: som pdf tack
        bot:  [contract.document]
        bot:  (sv)
        bot:  ~ C-1001-v2.pdf
    """)
    assert "Avtal C-1001" in "\n".join(pdf_pages(await fetch(application, anna.last.attachments[0])))
    await anna.transcript("""
        user: show contract C-1002
        bot:  [contract.status]
        user: and the copy?
        bot:  [contract.document]
        bot:  ~ C-1002
    """)


async def test_document_words_alone_are_not_guessed_at_without_a_record(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    first = await anna.say("pdf?")
    assert not first.attachments and "?" in first.text, "nothing talked about: no record picked, asked"
    listed = await anna.say("show my invoices")
    assert listed.intent == "invoice.list"
    which = await anna.say("pdf?")
    assert which.intent == "invoice.get" and "Which invoice" in which.text and not which.attachments
