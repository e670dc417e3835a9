"""A listing is offered as a spreadsheet with a button; typing for it works as pressing it. Right after
a list of orders, invoices, installed items or a statement, a message asking only for a file ("as a
spreadsheet please", "export that to Excel", "som kalkylark") makes the spreadsheet of what was
listed, with the listing's own filters. Anywhere else the same words are not guessed at: the words of
a file choose an intent within a family, never the family."""

from __future__ import annotations

import io
from email import message_from_bytes

import openpyxl

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import Reply
from tests.conftest import BotDriver, Conversation
from tests.conversations.test_invoices import fetch

ANNA = "anna.berg@nordisk.example"


async def _sheet_rows(application: Application, reply_attachments: tuple) -> list[tuple]:
    xlsx = next(a for a in reply_attachments if a.name.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, xlsx))).active
    assert sheet is not None
    return list(sheet.iter_rows(min_row=2, values_only=True))


async def _listed_then_exported(
    application: Application, chat: Conversation, listing: str, asked: str
) -> Reply:
    """The orders ``listing`` lists, then the report ``asked`` makes of them: its spreadsheet holds
    what was listed."""
    listed = await chat.say(listing)
    assert listed.intent == "order.search" and listed.table is not None
    shown = {str(row[0]) for row in listed.table.rows}
    report = await chat.say(asked)
    assert report.intent == "order.report", report.plain_text()
    rows = await _sheet_rows(application, report.attachments)
    assert {str(r[0]) for r in rows} == shown, "the spreadsheet holds what was listed"
    return report


async def test_orders_listed_then_asked_for_in_excel(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    report = await _listed_then_exported(
        application,
        anna,
        "which of our orders placed this year are shipped?",
        "can you export that to Excel?",
    )
    assert "shipped" in report.text.lower(), "the listing's filter, said back"


async def test_each_listing_by_its_own_words_in_both_languages(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show my unpaid invoices
        bot:  [invoice.list]
        user: as a spreadsheet please
        bot:  [invoice.list]
        bot:  ~ XLSX and CSV
        user: what hardware do we have in Kista?
        bot:  [inventory.show]
        user: spreadsheet
        bot:  [inventory.show]
        bot:  ~ 3 installed items (hardware) at Kista as XLSX and CSV
        user: show my account statement
        bot:  [statement.show]
        user: download it as csv
        bot:  [statement.download]
    """)
    sv = bot.as_user("erik.lund@nordisk.example")
    await sv.transcript("""
        user: visa mina ordrar från i år
        bot:  [order.search]
        bot:  (sv)
        user: som kalkylark tack
        bot:  [order.report]
        bot:  (sv)
    """)


async def test_the_words_of_a_file_alone_are_not_guessed_at_elsewhere(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    first = await anna.say("as a spreadsheet please")  # nothing listed yet
    assert first.intent == "none" and not first.attachments
    await anna.say("where is order 4711?")
    after_one = await anna.say("as a spreadsheet please")  # one order shown, not a listing
    assert after_one.intent == "none" and not after_one.attachments


async def test_a_report_asked_again_as_a_file_or_by_mail_keeps_its_period(
    bot: BotDriver, settings: Settings
) -> None:
    """The period a report was asked for is not asked again when the same report is wanted as Excel
    or by mail ("instead"), in either language."""
    await bot.as_user(ANNA).transcript("""
        user: I need a report of all our orders this year
        bot:  [order.report]
        bot:  ~ is ready
        user: as excel please
        bot:  [order.report]
        bot:  ~ is ready
        bot:  !~ which period
        user: kan du maila den till mig istället
        bot:  [order.report]
        bot:  ~ mejlat er orderrapport
        bot:  !~ vilken period
    """)
    (mail_file,) = (settings.data_dir / "outbox").glob("*.eml")
    assert message_from_bytes(mail_file.read_bytes())["To"] == ANNA


async def test_a_report_of_a_status_made_again_keeps_its_status_and_a_new_report_asks_its_period(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    """ "Som excel" and "maila den" right after the report of the orders in production are that report
    (its status kept, no period asked), mailed to the user's own address; "I need an order report"
    after it is a report of its own, asked which period."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: jag vill ha en rapport över alla ordrar i produktion
        bot:  [order.report]
        bot:  ~ status i produktion
        user: som excel
        bot:  [order.report]
        bot:  ~ status i produktion
        bot:  !~ Vilken period
    """)
    rows = await _sheet_rows(application, anna.last.attachments)
    assert [str(r[0]) for r in rows] == ["4712"], rows
    await anna.transcript("""
        user: maila den
        bot:  [order.report]
        bot:  ~ mejlat er orderrapport med status i produktion
        user: I need an order report
        bot:  [order.report]
        bot:  ~ Which period
    """)
    (mail_file,) = (settings.data_dir / "outbox").glob("*.eml")
    assert message_from_bytes(mail_file.read_bytes())["To"] == ANNA


async def test_a_search_just_shown_is_made_a_file_without_a_period(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    listed = await anna.say("show orders in production")
    assert listed.intent == "order.search" and listed.table is not None
    report = await anna.say("download it as csv")
    assert report.intent == "order.report" and "in production" in report.text, report.plain_text()
    rows = await _sheet_rows(application, report.attachments)
    assert {str(r[0]) for r in rows} == {str(row[0]) for row in listed.table.rows}


async def test_a_mail_called_off_is_not_sent_and_another_address_is_not_mailed(
    bot: BotDriver, settings: Settings
) -> None:
    """ "Don't email it, just give me the spreadsheet" gives the files here, mailing nothing. A report
    asked to go to someone else goes to the user's own address only, and the reply says so rather
    than seem to have sent it where it was asked."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: I need a report of all our orders this year
        bot:  ~ is ready
        user: actually don't email it, just give me the spreadsheet
        bot:  [order.report]
        bot:  ~ is ready
        bot:  !~ e-mailed
        user: no need to mail it, a download link is fine
        bot:  ~ is ready
        bot:  !~ e-mailed
    """)
    assert list((settings.data_dir / "outbox").glob("*.eml")) == []
    await anna.transcript("""
        user: ja men skicka den till erik.lund@nordisk.example istället
        bot:  [order.report]
        bot:  ~ mejlat er orderrapport
        bot:  ~ till anna.berg@nordisk.example
        bot:  ~ Listor och rapporter mejlas bara till din egen adress, inte till erik.lund@nordisk.example
    """)
    (mail_file,) = (settings.data_dir / "outbox").glob("*.eml")
    assert message_from_bytes(mail_file.read_bytes())["To"] == ANNA


async def test_a_report_asked_for_by_mail_is_mailed_after_its_period_is_asked(
    bot: BotDriver, settings: Settings
) -> None:
    """The period asked first does not lose the mail asked for; a period corrected after ("i år menar
    jag, inte förra månaden") is the report again, mailed again."""
    await bot.as_user(ANNA).transcript("""
        user: maila mig en rapport över ordrar
        bot:  ~ Vilken period
        user: förra månaden
        bot:  [order.report]
        bot:  ~ Jag har mejlat er orderrapport
        user: nej förlåt, i år menar jag, inte förra månaden
        bot:  [order.report]
        bot:  ~ Jag har mejlat er orderrapport från 1 januari
    """)
    mails = [message_from_bytes(f.read_bytes()) for f in (settings.data_dir / "outbox").glob("*.eml")]
    assert [m["To"] for m in mails] == [ANNA, ANNA]


async def test_a_listing_asked_for_as_a_file_in_words_another_family_also_uses(
    bot: BotDriver, application: Application
) -> None:
    """ "ladda ner" and "email that list" are also the statement's words, "export that as a file" read
    like a comment on a request: right after a listing, asked for in a few words that name nothing
    else, they make the file of the listing shown (with its filters), never another family's."""
    anna = bot.as_user(ANNA)
    report = await _listed_then_exported(
        application, anna, "orders in Kista this year", "export that as a file"
    )
    assert "Kista" in report.text
    await anna.transcript("""
        user: list my invoices
        bot:  [invoice.list]
        user: ladda ner som excel
        bot:  [invoice.list]
        bot:  ~ XLSX och CSV
        user: mina ordrar
        bot:  [order.search]
        user: email that list to me
        bot:  [order.report]
        bot:  ~ anna.berg@nordisk.example
        user: skicka som fil
        bot:  [order.report]
        user: ladda ner kontoutdraget som excel
        bot:  [statement.download]
    """)


async def test_a_listing_narrowed_by_a_status_said_alone(bot: BotDriver) -> None:
    """ "which ones are still open?" right after the invoices, "bara dom som är skickade" right after
    last week's orders: the same listing again, narrowed, with what it was listed by kept."""
    await bot.as_user(ANNA).transcript("""
        user: list my invoices
        bot:  [invoice.list]
        bot:  ~ 5 invoices
        user: which ones are still open
        bot:  [invoice.list]
        bot:  ~ status open
        bot:  ~ INV-2031
        bot:  !~ INV-2030
        user: visa ordrar i år
        bot:  [order.search]
        user: bara dom som är skickade
        bot:  [order.search]
        bot:  ~ status skickad
        bot:  ~ 1 januari
        user: the ones that are not delivered
        bot:  !~ status delivered
    """)
