"""Account statements through the real pipeline: balance, items sorted and filtered, spreadsheets."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from supportbot.adapters.app import Application
from tests.conftest import BotDriver, Conversation
from tests.conversations.test_invoices import fetch

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


async def test_statement_in_english_and_swedish(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show my account statement
        bot:  [statement.show]
        bot:  ~ balance SEK 125,000.00
        bot:  ~ INV-2031
        bot:  ~ CN-0107
        bot:  ~ SEK -5,000.00
        user: visa kontoutdraget
        bot:  (sv)
        bot:  ~ saldo 125 000,00 SEK
    """)


async def test_the_statement_asked_for_in_few_words_is_shown_and_a_file_only_when_asked(
    bot: BotDriver,
) -> None:
    """ "Statement please", "kontoutdrag för i år tack": the statement here, not a spreadsheet nobody
    asked for; the file comes when its words are said, of the period shown."""
    for said in (
        "statement please",
        "statement for this year please",
        "kontoutdrag tack",
        "kontoutdrag för i år tack",
    ):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "statement.show", (said, reply.plain_text())
        assert reply.table is not None and not any(
            a.name.endswith((".xlsx", ".csv")) for a in reply.attachments
        )
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: kontoutdrag för i år tack
        bot:  [statement.show]
        user: som excel
        bot:  [statement.download]
        bot:  ~ 1 januari
        bot:  ~ XLSX
    """)
    assert any(a.name.endswith(".xlsx") for a in anna.last.attachments)


async def test_a_period_to_come_told_as_context_is_no_period_of_the_statement(
    bot: BotDriver, application: Application
) -> None:
    """ "Our auditors are coming next month … could you send me our account statement as an Excel file?":
    no item is dated next month, so that is no period of the statement; the statement up to today is
    made, not an empty one of days to come."""
    reply = await bot.as_user(ANNA).say(
        "Okay so our auditors are coming next month and they want everything neatly in a spreadsheet, the "
        "payments, credit notes, all of it, and I'd rather not copy it by hand like last year. Could you "
        "send me our account statement as an Excel file?"
    )
    assert reply.intent == "statement.download", reply.plain_text()
    assert "no statement items" not in reply.text.lower(), reply.text
    xlsx = next(a for a in reply.attachments if a.name.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, xlsx))).active
    assert sheet is not None
    numbers = {str(row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"INV-2031", "CN-0107"} <= numbers, numbers


async def test_every_invoice_and_credit_note_shown_links_to_its_copy(bot: BotDriver) -> None:
    reply = await bot.as_user(ANNA).say("show my account statement")
    assert reply.table is not None
    documents = [row[1] for row in reply.table.rows if row[0] in ("Invoice", "Credit note")]
    assert len(documents) > 5, "more than the old five copy buttons"
    links = {a.name: a.url for a in reply.attachments}
    assert list(links) == [f"Copy of {number}" for number in documents], "one link per item, in table order"
    assert all(a.kind == "link" and a.content_type == "application/pdf" for a in reply.attachments)
    kinds = {"Invoice": "invoice", "Credit note": "credit_note"}
    for row in reply.table.rows:
        if row[0] in kinds:
            assert f"/documents/{kinds[row[0]]}/{row[1]}.pdf?" in links[f"Copy of {row[1]}"]
    assert "CN-0107" in documents
    assert not any(b.label.startswith("Copy of") for b in reply.buttons)
    assert reply.buttons[-1].label == "Download as spreadsheet"


async def test_overdue_only_and_largest_first(bot: BotDriver) -> None:
    reply = await bot.as_user(MAX).say("which items are overdue on our account")
    assert reply.table is not None and reply.table.rows
    assert all(row[6] == "yes" for row in reply.table.rows) and "INV-3050" in {r[1] for r in reply.table.rows}
    assert "INV-2031" not in reply.plain_text()
    largest = await bot.as_user(ANNA).say("show my statement sorted by amount")
    assert largest.table is not None
    amounts = [abs(float(r[4].split("\u00a0")[1].replace(",", ""))) for r in largest.table.rows]
    assert amounts == sorted(amounts, reverse=True)


async def test_the_credit_note_of_the_statement_is_the_one_it_shows(bot: BotDriver) -> None:
    """The statement holds one credit note: "och kreditnotan?" is that one, even when an invoice was
    talked about before; the statement's invoices are told by their marks ("den obetalda")."""
    await bot.as_user(ANNA).transcript("""
        user: show invoice INV-2031
        bot:  ~ INV-2031
        user: visa kontoutdraget
        bot:  [statement.show]
        user: och kreditnotan?
        bot:  [invoice.get]
        bot:  ~ CN-0107
        bot:  ~ 5 000,00 SEK
        bot:  !~ INV-2031 från
        user: och den obetalda?
        bot:  ~ Faktura INV-2031
        user: show me the statement
        user: what about the credit note?
        bot:  ~ Credit note CN-0107
    """)


async def test_the_credit_note_asked_for_by_its_word_is_the_accounts_one(bot: BotDriver) -> None:
    """With no list showing one, "the credit note" is the account's one credit note of the statement's
    period, and then "it"; another company's user never gets Nordisk's."""
    await bot.as_user(ANNA).transcript("""
        user: show me the credit note
        bot:  [invoice.get]
        bot:  ~ Credit note CN-0107
        user: how much is it for?
        bot:  ~ Credit note CN-0107 of
        bot:  ~ SEK 5,000.00
    """)
    reply = await bot.as_user(MAX).say("show me the credit note")
    assert reply.intent == "invoice.get" and "Credit note CN-0107" not in reply.plain_text()


async def test_a_record_of_another_family_is_not_taken_for_the_statement(bot: BotDriver) -> None:
    """The statement has no records of its own: "is RQ-2026-000002 overdue?", whose words lean to the
    account's overdue items, is about the request it names."""
    await bot.as_user(ANNA).transcript("""
        user: is RQ-2026-000002 overdue?
        bot:  [request.status]
        bot:  ~ RQ-2026-000002
        bot:  !~ Your account
    """)


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("show my statement, oldest due date first", ", oldest due date first"),
        ("visa kontoutdraget, äldsta förfallodag först", ", äldsta förfallodag först"),
    ],
    ids=["en", "sv"],
)
async def test_oldest_due_date_first(bot: BotDriver, asked: str, said: str) -> None:
    reply = await bot.as_user(ANNA).say(asked)
    assert reply.intent == "statement.show" and said in reply.text
    assert reply.table is not None
    numbers = [row[1] for row in reply.table.rows]
    due = [row[3] for row in reply.table.rows]
    invoices = numbers[: due.index("")] if "" in due else numbers
    assert invoices[:3] == ["INV-2011", "INV-2018", "INV-2032"]
    assert invoices[-2:] == ["INV-2030", "INV-2031"]  # due in 4 and 28 days
    assert all(d == "" for d in due[len(invoices) :])  # credit notes and payments fall due never: after


async def test_open_items_oldest_due_first(bot: BotDriver) -> None:
    chat = bot.as_user(MAX)
    await chat.transcript("""
        user: show open items, oldest due date first
        bot:  [statement.show]
        bot:  ~ open only, oldest due date first
        bot:  ~ INV-3050
        bot:  !~ INV-3041
    """)


async def test_statement_download_has_typed_cells(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    shown = await anna.say("show my account statement")
    report = await anna.say("download my statement")
    assert report.intent == "statement.download"
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, report.attachments[0]))).active
    assert sheet is not None
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["INV-2031"][4] == 125000.0 and rows["CN-0107"][4] == -5000.0
    assert "/documents/invoice/INV-2031.pdf?" in rows["INV-2031"][8]
    assert "/documents/credit_note/CN-0107.pdf?" in rows["CN-0107"][8]
    assert all(not r[8] for r in rows.values() if r[0] == "payment"), "payments have no copy"
    assert shown.table is not None
    for row in shown.table.rows:
        assert f"SEK {rows[row[1]][4]:,.2f}" == row[4].replace("\u00a0", " ")


async def test_erik_is_refused(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: show my account statement
        bot:  ~ access to account statements
        bot:  !~ 125
    """)


@pytest.mark.parametrize(
    ("said", "order_words"),
    [
        ("show my account statement, oldest first", "oldest due date first"),
        ("visa kontoutdraget, äldst först", "äldsta förfallodag först"),
        ("show my statement oldest due date first", "oldest due date first"),
        ("visa kontoutdraget med äldsta förfallodag först", "äldsta förfallodag först"),
    ],
)
async def test_oldest_first_sorts_by_the_oldest_due_date_in_either_language(
    application: Application, said: str, order_words: str
) -> None:
    newest = await Conversation(application, ANNA).say("show my account statement")
    english = await Conversation(application, ANNA).say("show my account statement, oldest due date first")
    reply = await Conversation(application, ANNA).say(said)
    assert reply.intent == "statement.show" and order_words in reply.text, reply.text
    assert reply.table is not None and newest.table is not None and english.table is not None
    shown = [row[1] for row in reply.table.rows]
    assert shown != [row[1] for row in newest.table.rows], "another order than newest first"
    assert shown == [row[1] for row in english.table.rows], "the same order in either language"
    due = [datetime.strptime(row[3], "%d %B %Y").date() for row in english.table.rows if row[3]]
    assert len(due) > 2 and due == sorted(due), "the oldest due date first"
    undue = [i for i, row in enumerate(english.table.rows) if not row[3]]
    assert all(i >= len(due) for i in undue), "what never falls due comes after"
