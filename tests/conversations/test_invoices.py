"""Invoice conversations through the real pipeline and back end: summaries, PDF copies, lists and
spreadsheets, forwarding, approval and questions, in English and Swedish."""

from __future__ import annotations

import io
from datetime import date
from email import message_from_bytes
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import Attachment
from supportbot.integrations.errors import MailUnavailable
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


async def fetch(application: Application, attachment: Attachment) -> bytes:
    url = urlsplit(attachment.url)
    query = parse_qs(url.query)
    stored = await application.files.open(
        url.path.split("/")[2], expires=query["exp"][0], sig=query["sig"][0]
    )
    return stored.data


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


async def test_invoice_2031_in_chat_and_as_pdf(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show me invoice INV-2031
        bot:  [invoice.get]
        bot:  ~ SEK 125,000.00 including VAT
        bot:  ~ awaiting approval
        bot:  ~ order 4711
        bot:  ~ INV-2031.pdf
    """)
    reply = anna.last
    (attachment,) = reply.attachments
    assert attachment.kind == "file" and attachment.content_type == "application/pdf"
    data = await fetch(application, attachment)
    assert data.startswith(b"%PDF")
    shown = pdf_text(data)
    for fact in ("Invoice INV-2031", "1000123", "Nordisk Verkstad AB", "SEK 100,000.00", "SEK 25,000.00",
                 "SEK 125,000.00", "Total incl. VAT", "4711", "Bankgiro", "Payment terms"):  # fmt: skip
        assert fact in shown, f"{fact!r} not in the PDF:\n{shown}"
    assert reply.table is not None
    for row in reply.table.rows:
        assert row[0][:20] in shown  # every line's description
        assert row[-1].replace("\u00a0", " ") in shown  # and its net amount


async def test_swedish_invoice_and_pdf(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: visa faktura INV-2031
        bot:  (sv)
        bot:  ~ 125 000,00 SEK inklusive moms
        bot:  ~ väntar på attest
    """)
    shown = pdf_text(await fetch(application, anna.last.attachments[0]))
    for fact in (
        "Faktura INV-2031",
        "Kundnummer",
        "125 000,00 SEK",
        "Förfallodag",
        "Betalningsvillkor",
        "Moms",
    ):
        assert fact in shown, f"{fact!r} not in the PDF:\n{shown}"


async def test_approve_records_who_and_when_and_twice_is_harmless(
    bot: BotDriver, application: Application
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show me invoice INV-2031
        bot:  ~ awaiting approval
        user: approve it
        bot:  [invoice.approve]
        bot:  ~ Invoice INV-2031 (SEK 125,000.00) is approved
        bot:  ~ approved by anna.berg@nordisk.example
        user: approve invoice INV-2031
        bot:  ~ already approved by anna.berg@nordisk.example
        bot:  ~ nothing has changed
    """)
    await bot.as_user(ANNA).transcript("""
        user: godkänn faktura INV-2031
        bot:  (sv)
        bot:  ~ redan attesterad
    """)
    async with application.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT status, approved_by, approved_at FROM invoices WHERE number = 'INV-2031'")
            )
        ).one()
        events = (
            (
                await conn.execute(
                    text(
                        "SELECT e.kind FROM invoice_events e JOIN invoices i ON i.id = e.invoice_id "
                        "WHERE i.number = 'INV-2031'"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert row.status == "open" and row.approved_by == ANNA and row.approved_at is not None
    assert events == ["approved"]


async def test_an_invoice_named_after_an_order_is_that_invoice_whatever_it_points_at(bot: BotDriver) -> None:
    """Right after order 4711, "it" would be that order's invoice (INV-2031); an invoice the message
    names is the one shown, never the order's."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: where is order 4711?
        bot:  [order.status]
        user: INV-2032 says overdue but we paid it 2 weeks ago??
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2032
        bot:  ~ paid
        bot:  !~ INV-2031
        user: where is order 4711?
        bot:  [order.status]
        user: and the invoice for it?
        bot:  ~ Invoice INV-2031
    """)


async def test_an_invoice_approved_before_says_so(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: approve invoice INV-2032
        bot:  ~ already approved by anna.berg@nordisk.example
        bot:  ~ paid
    """)


async def test_erik_is_refused_and_max_sees_nothing_of_nordisk(bot: BotDriver) -> None:
    for line in ("show me invoice INV-2031", "approve invoice INV-2031", "list my invoices"):
        reply = await bot.as_user(ERIK).say(line)
        assert "access to invoices" in reply.plain_text(), reply.plain_text()
        assert "125" not in reply.plain_text()
    await bot.as_user(MAX).transcript("""
        user: show me invoice INV-2031
        bot:  ~ can't find invoice INV-2031
        bot:  !~ 125
        user: approve invoice INV-2031
        bot:  ~ can't find invoice INV-2031
        user: list my invoices
        bot:  ~ INV-3050
        bot:  !~ INV-2031
    """)


async def test_the_invoice_for_an_order_and_the_latest(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: status of order 4711
        bot:  ~ PostNord
        user: and the invoice for it?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: where is order 4712?
        bot:  ~ in production
        user: and the invoice for it?
        bot:  ~ can't find an invoice for order 4712: it hasn't been invoiced yet
        bot:  ~ Order 4712 is in production. Expected delivery:
        user: send me a copy of the invoice for order 4711
        bot:  ~ INV-2031
        user: I need our latest invoice
        bot:  ~ INV-2031
        user: show the credit note CN-0107
        bot:  ~ Credit note CN-0107
        bot:  ~ SEK 5,000.00
    """)


async def test_an_order_not_invoiced_yet_is_said_so_where_the_order_may_be_seen(bot: BotDriver) -> None:
    """No invoice for an order: not invoiced yet, and where the order is, for a user who may see it;
    another company's order, or one that does not exist, is not found in the same words."""
    await bot.as_user(ANNA).transcript("""
        user: faktura för order 4712
        bot:  [invoice.get]
        bot:  (sv)
        bot:  ~ Jag hittar ingen faktura för order 4712: den är inte fakturerad än.
        bot:  ~ i produktion
    """)
    foreign = await bot.as_user(MAX).say("the invoice for order 4712")
    missing = await bot.as_user(MAX).say("the invoice for order 4799")
    assert foreign.text == missing.text.replace("4799", "4712")
    assert "production" not in foreign.text


async def test_asked_after_an_order_whether_it_is_invoiced_yet(bot: BotDriver) -> None:
    """ "Finns det nån faktura för den än?" right after order 4712 asks after that order's invoice, not
    about the invoice talked about before it; "which order is it for?" after an invoice is its order."""
    await bot.as_user(ANNA).transcript("""
        user: visa fakturan for order 4711
        bot:  ~ INV-2031
        user: en annan sak, nar kommer order 4712?
        bot:  ~ Order 4712
        user: finns det nan faktura for den an?
        bot:  [invoice.get]
        bot:  ~ ingen faktura för order 4712
        bot:  !~ INV-2031
        user: how much is INV-2032?
        bot:  ~ INV-2032
        user: which order is it for?
        bot:  [order.status]
        bot:  ~ Order 4690
    """)


async def test_asked_after_an_order_whether_it_has_been_invoiced(bot: BotDriver) -> None:
    """ "Has it been invoiced?" right after an order is that order's invoice, or why there is none."""
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711
        bot:  ~ Order 4711
        user: has it been invoiced?
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2031
        user: status of 4712
        bot:  ~ Order 4712
        user: har den fakturerats?
        bot:  [invoice.get]
        bot:  ~ ingen faktura för order 4712
    """)


async def test_a_forward_said_while_the_invoice_is_asked_for_forwards_it(
    bot: BotDriver, settings: Settings
) -> None:
    """ "Vidarebefordra den till ekonomi@…" to "Which invoice do you mean?" asks more than the question
    (an address to forward to): the invoice talked about is forwarded, not only shown."""
    await bot.as_user(ANNA).transcript("""
        user: visa fakura 2032
        bot:  ~ INV-2032
        user: och den andra?
        bot:  ~ Vilken faktura menar du?
        user: vidarebefordra den till ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ mejlat faktura INV-2032 som pdf till ekonomi@nordisk.example
    """)
    sent = [message_from_bytes(f.read_bytes())["To"] for f in (settings.data_dir / "outbox").glob("*.eml")]
    assert sent == ["ekonomi@nordisk.example"]


async def test_a_pdf_asked_for_after_an_invoice_is_that_invoice_s_in_swedish_too(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show invoice INV-2032
        bot:  ~ INV-2032
        user: kan vi ta det pa svenska istallet? ar den betald?
        bot:  ~ betald
        user: skicka en pdf till mig
        bot:  [invoice.forward]
        bot:  ~ mejlat faktura INV-2032 som pdf till anna.berg@nordisk.example
    """)


async def test_an_invoice_is_approved_only_when_approving_is_said(
    bot: BotDriver, application: Application
) -> None:
    """Approving is recorded at once, so the words must say it: "faktura för order 4711" shows the
    invoice, whatever the NLU leaned to; "godkänn fakturan för order 4711" approves it."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: faktura för order 4711
        bot:  [invoice.get]
        bot:  ~ INV-2031
        bot:  !~ attesterad av
    """)
    principal = await application.pipeline.principal(ANNA)
    invoice = await application.backends.invoices.get_invoice(principal, "INV-2031")
    assert invoice is not None and invoice.approved_by is None
    await anna.transcript("""
        user: godkänn fakturan för order 4711
        bot:  [invoice.approve]
        bot:  ~ attesterad av
    """)


async def test_a_credit_note_links_to_its_copy(bot: BotDriver) -> None:
    reply = await bot.as_user(ANNA).say("show the credit note CN-0107")
    [card] = reply.cards
    assert card.url is not None and "/documents/credit_note/CN-0107.pdf?" in card.url
    assert card.url_label == "Copy of CN-0107"


async def test_list_then_pick_one_and_download(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: list my invoices
        bot:  [invoice.list]
        bot:  ~ INV-2031
        bot:  ~ INV-2032
        user: the second one
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2030
        user: the first one
        bot:  ~ Invoice INV-2031
    """)
    report = await anna.say("download our invoices as a spreadsheet")
    assert [a.name.rsplit(".", 1)[1] for a in report.attachments] == ["xlsx", "csv"]
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, report.attachments[0]))).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows["INV-2031"]
    assert row[header.index("Date")].date() < date.today().replace(year=date.today().year + 1)
    assert row[header.index("Total incl. VAT")] == 125000.0 and row[header.index("Net")] == 100000.0
    assert row[header.index("Currency")] == "SEK"
    total_cell = next(sheet.iter_rows(min_row=2, max_row=2))[header.index("Total incl. VAT")]
    assert "SEK" in total_cell.number_format and total_cell.data_type == "n"
    csv_text = (await fetch(application, report.attachments[1])).decode("utf-8-sig")
    assert "INV-2031" in csv_text and "125000.00" in csv_text
    listing = await anna.say("list paid invoices")
    assert listing.table is not None and all(row[3] == "Paid" for row in listing.table.rows)
    paid = await anna.say("download these invoices as a spreadsheet")
    assert paid.intent == "invoice.list" and "with status paid" in paid.text, paid.text


async def test_forward_by_mail_is_recorded(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: send INV-2031 to my colleague
        bot:  ~ which e-mail address
        user: erik@nordisk
        bot:  ~ doesn't look like an e-mail address
        user: erik.lund@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ e-mailed invoice INV-2031
    """)
    (mail_file,) = (settings.data_dir / "outbox").glob("*.eml")
    mail = message_from_bytes(mail_file.read_bytes())
    assert mail["To"] == ERIK and "INV-2031" in str(mail["Subject"])
    (pdf,) = [part.get_payload(decode=True) for part in mail.walk() if part.get_filename() == "INV-2031.pdf"]
    assert isinstance(pdf, bytes) and "SEK 125,000.00" in pdf_text(pdf)
    history = await application.backends.invoices.invoice_history(
        await _principal(application, ANNA), "INV-2031"
    )
    assert [(e.kind, e.detail) for e in history] == [("forwarded", ERIK)]


async def test_and_to_another_address_too_forwards_it_again(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    """ "och till ekonomi@… också" right after the PDF was mailed: the same invoice, mailed there too."""
    await bot.as_user(ANNA).transcript("""
        user: fakturan INV-2031, vad är förfallodatumet
        bot:  ~ INV-2031
        user: skicka pdf:en till mig
        bot:  [invoice.forward]
        bot:  ~ till anna.berg@nordisk.example
        user: och till erik.lund@nordisk.example ocksa
        bot:  [invoice.forward]
        bot:  ~ mejlat faktura INV-2031 som pdf till erik.lund@nordisk.example
    """)
    sent = sorted(
        message_from_bytes(f.read_bytes())["To"] for f in (settings.data_dir / "outbox").glob("*.eml")
    )
    assert sent == [ANNA, ERIK]


async def _principal(application: Application, user_id: str) -> Any:
    principal = await application.backends.directory.principal_for(user_id)
    assert principal is not None
    return principal


async def test_an_address_corrected_after_a_forward_forwards_it_to_the_right_one(
    bot: BotDriver, settings: Settings
) -> None:
    """ "Oj, fel, det ska vara ekonomi@…" right after the PDF went to a mistyped address: mailed again
    to the address said instead."""
    await bot.as_user(ANNA).transcript("""
        user: vidarebefordra faktura INV-2032 till en kollega
        bot:  ~ Till vilken e-postadress
        user: ekonomi@nordisk.exmaple
        bot:  ~ mejlat faktura INV-2032 som pdf till ekonomi@nordisk.exmaple
        user: oj, fel, det ska vara ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ mejlat faktura INV-2032 som pdf till ekonomi@nordisk.example
    """)
    sent = sorted(
        message_from_bytes(f.read_bytes())["To"] for f in (settings.data_dir / "outbox").glob("*.eml")
    )
    assert sent == ["ekonomi@nordisk.example", "ekonomi@nordisk.exmaple"]


async def test_forward_when_mail_is_down_records_nothing(
    bot: BotDriver, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(*_: Any, **__: Any) -> list[int]:
        raise MailUnavailable("the outbox refused it")

    assert application.outbox is not None
    monkeypatch.setattr(application.outbox, "queue_in", down)
    await bot.as_user(ANNA).transcript("""
        user: forward invoice INV-2031 to erik.lund@nordisk.example
        bot:  ~ couldn't send the e-mail
        bot:  ~ has not been forwarded
        bot:  ~ INV-2031.pdf
    """)
    assert (
        await application.backends.invoices.invoice_history(await _principal(application, ANNA), "INV-2031")
        == ()
    )


async def _requests_made(application: Application) -> list[Any]:
    async with application.engine.connect() as conn:
        return list(
            await conn.execute(text("SELECT category, related, description FROM requests ORDER BY id"))
        )


async def test_a_question_becomes_an_invoice_request(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    """A dispute is shown as the request it will be, and opened once confirmed: nothing before."""
    anna = bot.as_user(ANNA)
    before = await _requests_made(application)
    await anna.transcript("""
        user: I want to dispute invoice INV-2031
        bot:  [invoice.question]
        bot:  ~ pass your question about invoice INV-2031
        bot:  ~ Description: I want to dispute invoice INV-2031
        bot:  !~ RQ-
    """)
    assert await _requests_made(application) == before
    await anna.transcript("""
        user: open
        bot:  [invoice.question]
        bot:  ~ opened request RQ-
        bot:  ~ about invoice INV-2031
    """)
    row = (await _requests_made(application))[-1]
    assert (row.category, row.related, row.description) == (
        "invoice",
        "INV-2031",
        "I want to dispute invoice INV-2031",
    )
    assert any(
        "INV-2031" in p.read_text(errors="replace") for p in (settings.data_dir / "outbox").glob("*.eml")
    )


async def test_more_words_while_the_request_waits_for_a_yes_are_added_to_it(
    bot: BotDriver, application: Application
) -> None:
    """What the customer adds before confirming is part of the question passed on, never lost: the
    card shows it and the request holds it. A question of their own to the bot is not added."""
    anna = bot.as_user(ANNA)
    before = await _requests_made(application)
    await anna.transcript("""
        user: INV-2031 - the amount looks too high, 125k?? we agreed 110
        bot:  [invoice.question]
        bot:  ~ Shall I send it?
        user: we agreed 110 000 SEK in the quote from March
        bot:  [invoice.question]
        bot:  ~ I've added that
        bot:  ~ in the quote from March
        bot:  ~ Shall I send it?
        user: which order is it for?
        bot:  !~ I've added that
        user: and the other one?
        bot:  !~ I've added that
    """)
    assert await _requests_made(application) == before
    await bot.as_user(ANNA).transcript("""
        user: I want to dispute invoice INV-2031
        bot:  ~ Shall I send it?
        user: the discount of 5 % was not applied either
        bot:  ~ I've added that
        user: yes
        bot:  ~ opened request RQ-
    """)
    row = (await _requests_made(application))[-1]
    assert row.description == "I want to dispute invoice INV-2031\nthe discount of 5 % was not applied either"


async def test_more_words_in_swedish_are_added_and_another_invoice_is_not(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: jag vill reklamera faktura INV-2031
        bot:  ~ Ska jag skicka den?
        user: vi kom överens om 110 000 kr i offerten
        bot:  ~ Tack, jag har lagt till det
        user: och INV-2032 då
        bot:  !~ lagt till det
    """)


async def test_figures_agree_across_chat_pdf_spreadsheet_and_statement(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    chat = await anna.say("show me invoice INV-3050")
    assert "can't find" in chat.text  # Contoso's
    chat = await anna.say("show me invoice INV-2032")
    fields = {f.label: f.value.replace("\u00a0", " ") for f in chat.cards[0].fields}
    shown = pdf_text(await fetch(application, chat.attachments[0]))
    for label in ("Net", "VAT", "Total incl. VAT"):
        assert fields[label] in shown
    report = await anna.say("download our invoices as a spreadsheet")
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, report.attachments[0]))).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "INV-2032")
    assert f"SEK {row[7]:,.2f}" == fields["Total incl. VAT"]
    statement = await anna.say("show my account statement")
    assert statement.table is not None
    item = next(r for r in statement.table.rows if r[1] == "INV-2032")
    assert item[4].replace("\u00a0", " ") == fields["Total incl. VAT"]


_SV_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
    "november", "december",
)  # fmt: skip


async def test_invoices_due_in_a_month_are_the_ones_to_pay_by_their_due_date(
    bot: BotDriver, application: Application
) -> None:
    """ "Which invoices are due in <month>?" is about when they fall due, not when they were issued: the
    unpaid ones due that month, the soonest first, in both languages."""
    async with application.engine.connect() as conn:
        due = date.fromisoformat(
            str(await conn.scalar(text("SELECT due_on FROM invoices WHERE number = 'INV-2031'")))
        )
    month_en = f"{due:%B} {due.year}"
    anna = bot.as_user(ANNA)
    reply = await anna.say(f"which invoices are due in {month_en}?")
    assert reply.intent == "invoice.list", reply.plain_text()
    assert f"due 1 {month_en} –" in reply.text and "with status open" in reply.text, reply.text
    assert reply.table is not None and "INV-2031" in [str(row[0]) for row in reply.table.rows]
    assert "INV-2032" not in [str(row[0]) for row in reply.table.rows], "paid: nothing to pay"
    worded = await bot.as_user(ANNA).say(f"which invoices fall due in {month_en}")
    assert worded.intent == "invoice.list" and worded.text == reply.text
    swedish = await bot.as_user(ANNA).say(
        f"vilka fakturor förfaller i {_SV_MONTHS[due.month - 1]} {due.year}?"
    )
    assert swedish.intent == "invoice.list" and "med förfallodag 1 " in swedish.text, swedish.text
    assert swedish.table is not None and "INV-2031" in [str(row[0]) for row in swedish.table.rows]


async def test_the_next_payment_due_is_the_invoices_still_to_pay_from_today(bot: BotDriver) -> None:
    """ "When is the next payment due?" asks which invoice falls due next, not which one is meant: the
    unpaid ones due from the user's today on, in both languages; paid ones are not listed."""
    for said, words in (
        ("when is the next payment due?", "due "),
        ("which invoice is due next", "due "),
        ("när förfaller nästa faktura?", "med förfallodag "),
    ):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "invoice.list", (said, reply.plain_text())
        assert words in reply.text and "– …" in reply.text, reply.text
        assert reply.table is not None, reply.text
        listed = [str(row[0]) for row in reply.table.rows]
        assert "INV-2031" in listed and "INV-2032" not in listed and "INV-2030" not in listed, listed


async def test_invoices_not_paid_yet_are_the_unpaid_ones_however_the_negation_is_said(bot: BotDriver) -> None:
    """ "Which invoices haven't we paid yet?" lists what is left to pay, never the paid ones that its
    word "paid" alone would ask for; "which invoices are paid" still lists those."""
    for said in (
        "which invoices haven't we paid yet?",
        "what invoices are not yet paid",
        "vilka fakturor har vi inte betalat?",
        "vilka fakturor är ej betalda",
    ):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "invoice.list" and reply.table is not None, (said, reply.plain_text())
        assert [str(row[0]) for row in reply.table.rows] == ["INV-2031"], (said, reply.table.rows)
    paid = await bot.as_user(ANNA).say("which invoices are paid")
    assert paid.table is not None and "INV-2031" not in {str(row[0]) for row in paid.table.rows}


async def test_asked_how_to_pay_the_assistant_says_where_invoices_are_paid(bot: BotDriver) -> None:
    """However the question is put, and however the NLU reads it ("credit card" is no credit note),
    how to pay is answered with where the vendor's invoices are paid, in the company's currency, with
    the invoices still to pay a press away and a person for any other way to pay."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: can I pay by credit card?
        bot:  [invoice.question]
        bot:  ~ by bank transfer to Bankgiro 5050-1055
        bot:  ~ quoting the invoice number as the reference
        bot:  !~ CN-0107
        bot:  !~ IBAN
    """)
    assert [b.label for b in anna.last.buttons] == ["Invoices to pay", "Talk to a person"]
    to_pay = await anna.press("Invoices to pay")
    assert to_pay.intent == "invoice.list" and to_pay.table is not None, to_pay.plain_text()
    listed = [str(row[0]) for row in to_pay.table.rows]
    assert "INV-2031" in listed and "INV-2032" not in listed, listed
    for said in ("what are your bank details", "which payment options are there", "do you accept paypal"):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "invoice.question" and "Bankgiro 5050-1055" in reply.text, (said, reply.text)
    for said in ("vad är ert bankgiro?", "går det att betala med swish", "tar ni kortbetalning"):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "invoice.question", (said, reply.plain_text())
        assert reply.language == "sv" and "till bankgiro 5050-1055" in reply.text, (said, reply.text)


async def test_how_to_pay_one_invoice_is_what_is_left_by_when_and_with_which_reference(
    bot: BotDriver,
) -> None:
    """Of an invoice named (or "this invoice" right after one), the amount left, the due date and the
    reference; a paid one has nothing left. A company paying in euros is given the IBAN; an invoice of
    another company is answered as one that does not exist."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: how do I pay invoice INV-2031?
        bot:  [invoice.question]
        bot:  ~ To pay invoice INV-2031, transfer SEK 125,000.00 by
        bot:  ~ to Bankgiro 5050-1055, quoting INV-2031 as the reference
        user: how do I pay INV-2032
        bot:  ~ Invoice INV-2032 is paid: there is nothing left to pay.
        user: visa faktura INV-2031
        user: hur betalar jag den fakturan?
        bot:  (sv)
        bot:  ~ Betala faktura INV-2031 genom att föra över 125 000,00 SEK senast
        bot:  ~ till bankgiro 5050-1055 och ange INV-2031 som referens
    """)
    max_ = bot.as_user(MAX)
    await max_.transcript("""
        user: what are your bank details?
        bot:  ~ to IBAN SE35 5000 0000 0549 1000 0003 (BIC ESSESESS)
        bot:  !~ Bankgiro
        user: how do I pay INV-3050
        bot:  ~ Invoice INV-3050 fell due on
        bot:  ~ transfer EUR 21,896.00 to IBAN SE35 5000 0000 0549 1000 0003 (BIC ESSESESS) as soon as you can
    """)
    other = await bot.as_user(ANNA).say("how do I pay INV-3050")
    unknown = await bot.as_user(ANNA).say("how do I pay INV-3051")
    assert other.text == unknown.text.replace("INV-3051", "INV-3050"), (other.text, unknown.text)
    assert "21,896" not in other.plain_text()


async def test_a_payment_that_went_wrong_is_a_question_for_a_person(bot: BotDriver) -> None:
    """Said as a failure ("declined", "fungerar inte"), a payment is no question of how to pay: it is
    a request about the invoice, opened once confirmed."""
    for said, yes in (
        ("my card payment for INV-2031 was declined", "yes"),
        ("betalningen av INV-2031 fungerar inte", "ja"),
    ):
        user = bot.as_user(ANNA)
        reply = await user.say(said)
        assert reply.intent == "invoice.question", (said, reply.plain_text())
        assert "RQ-" not in reply.text and "bankgiro" not in reply.text.lower(), reply.text
        fields = {(f.label, f.value) for card in reply.cards for f in card.fields}
        assert {("Description", said), ("Beskrivning", said)} & fields, reply.plain_text()
        opened = await user.say(yes)
        assert opened.intent == "invoice.question" and "RQ-" in opened.text, opened.plain_text()


async def test_a_question_asked_before_its_invoice_keeps_its_words(
    bot: BotDriver, application: Application
) -> None:
    """The bot asks which invoice; the request it opens says what the customer asked, not the number
    they gave. A no opens nothing."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: we were charged twice on an invoice
        bot:  [invoice.question]
        bot:  ~ Which invoice do you mean?
        user: INV-2031
        bot:  ~ pass your question about invoice INV-2031
        bot:  ~ Description: we were charged twice on an invoice
        user: yes
        bot:  ~ opened request RQ-
    """)
    made = await _requests_made(application)
    assert made[-1].description == "we were charged twice on an invoice", made[-1]
    await anna.transcript("""
        user: momsen på faktura INV-2032 ser konstig ut
        bot:  [invoice.question]
        bot:  ~ Jag skickar din fråga om faktura INV-2032 vidare
        user: nej
        bot:  [dialog.cancel]
    """)
    assert await _requests_made(application) == made


async def test_asked_whether_a_payment_came_in_the_invoice_answers(
    bot: BotDriver, application: Application
) -> None:
    """Whether a payment arrived is answered from the books: a paid invoice is said to be paid and
    nothing is opened; an unpaid one says what is open and by when, and offers to pass the question on;
    a yes opens it in the customer's words. A paid one doubted ("paid twice") offers it too."""
    anna = bot.as_user(ANNA)
    before = await _requests_made(application)
    await anna.transcript("""
        user: have you received our payment for INV-2032?
        bot:  [invoice.question]
        bot:  ~ We have received payment for invoice INV-2032 in full (SEK 62,500.00).
        bot:  !~ Shall I
        user: har ni fått vår betalning för faktura 2032?
        bot:  ~ Vi har fått full betalning för faktura INV-2032 (62 500,00 SEK).
    """)
    assert await _requests_made(application) == before
    await anna.transcript("""
        user: we paid INV-2031 last week but it still shows as open
        bot:  [invoice.question]
        bot:  ~ We have not registered a payment for invoice INV-2031 yet: SEK 125,000.00 is open, due
        bot:  ~ one to three banking days
        bot:  ~ Shall I?
        bot:  !~ RQ-
    """)
    assert await _requests_made(application) == before
    await anna.transcript("""
        user: yes please
        bot:  ~ opened request RQ-
        bot:  ~ about invoice INV-2031
    """)
    made = await _requests_made(application)
    assert made[-1].description == "we paid INV-2031 last week but it still shows as open", made[-1]
    await anna.transcript("""
        user: vi har betalat INV-2032 två gånger
        bot:  ~ Vi har fått full betalning för faktura INV-2032
        bot:  ~ Ska jag skicka ditt meddelande vidare till vår fakturaavdelning som ett ärende?
    """)
    contoso = await bot.as_user(ANNA).say("have you received our payment for INV-3050?")
    missing = await bot.as_user(ANNA).say("have you received our payment for INV-3051?")
    assert contoso.text == missing.text.replace("INV-3051", "INV-3050"), (contoso.text, missing.text)


async def test_an_invoice_in_euros_says_to_pay_it_to_the_iban(
    bot: BotDriver, application: Application
) -> None:
    """The PDF's payment terms name where it is paid: the Bankgiro in kronor, the IBAN and BIC in any
    other currency; the footer carries both."""
    euros = await bot.as_user(MAX).say("show me invoice INV-3050")
    shown = pdf_text(await fetch(application, euros.attachments[0]))
    assert "to IBAN SE35 5000 0000 0549 1000 0003 (BIC ESSESESS)" in " ".join(shown.split()), shown
    assert "Bankgiro 5050-1055" in shown  # the footer
    kronor = await bot.as_user(ANNA).say("show me invoice INV-2031")
    terms = " ".join(pdf_text(await fetch(application, kronor.attachments[0])).split())
    assert "to Bankgiro 5050-1055, quoting invoice number INV-2031" in terms, terms


async def test_approving_denied_is_no_approval(bot: BotDriver, application: Application) -> None:
    """ "Don't approve it, just show it" says "approve" but does not ask for it: approving is recorded
    at once, so a denied one shows the invoice and records nothing."""
    for said, language in (
        ("jag vill inte godkänna den, bara se fakturan 2031", "sv"),
        ("don't approve INV-2031, just show it", "en"),
        ("please do not approve invoice INV-2031 yet", "en"),
    ):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent != "invoice.approve" and reply.language == language, (said, reply.plain_text())
        assert "INV-2031" in reply.text, reply.text
    history = await application.backends.invoices.invoice_history(
        await _principal(application, ANNA), "INV-2031"
    )
    assert [event.kind for event in history if event.kind == "approved"] == []
    approved = await bot.as_user(ANNA).say("approve INV-2031")
    assert approved.intent == "invoice.approve" and "is approved" in approved.text, approved.plain_text()


async def test_invoices_awaiting_my_approval_in_swedish_then_approved(bot: BotDriver) -> None:
    """ "Fakturor" names what is asked about: not the contracts awaiting approval, however close their
    words ("vilka avtal väntar på godkännande")."""
    await bot.as_user(ANNA).transcript("""
        user: vilka fakturor väntar på mitt godkännande?
        bot:  [invoice.list]
        bot:  (sv)
        bot:  ~ INV-2031
        bot:  !~ C-1004
        user: godkänn den
        bot:  [invoice.approve]
        bot:  ~ INV-2031
    """)


async def test_another_invoice_forwarded_as_well(bot: BotDriver, settings: Settings) -> None:
    """ "And INV-2032 as well" right after a forward forwards that one too, to the same address; it
    does not only show it."""
    await bot.as_user(ANNA).transcript("""
        user: forward inv-2031 to erik.lund@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ e-mailed invoice INV-2031
        user: and INV-2032 as well
        bot:  [invoice.forward]
        bot:  ~ e-mailed invoice INV-2032 as a PDF to erik.lund@nordisk.example
        user: och INV-2030 också
        bot:  [invoice.forward]
        bot:  ~ mejlat faktura INV-2030
    """)
    sent = [message_from_bytes(f.read_bytes()) for f in (settings.data_dir / "outbox").glob("*.eml")]
    assert len(sent) == 3 and all(m["To"] == ERIK for m in sent)
    numbers = ("INV-2030", "INV-2031", "INV-2032")
    assert sorted(n for m in sent for n in numbers if n in str(m["Subject"])) == list(numbers)


async def test_the_pdf_asked_for_after_an_invoice_is_that_invoice_s(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: can you find our PO NV-PO-889?
        bot:  ~ 4711
        user: and the invoice for that order?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: the pdf please
        bot:  [invoice.get]
        bot:  ~ INV-2031.pdf
    """)


async def test_asking_whether_an_invoice_is_approved_approves_nothing(
    bot: BotDriver, application: Application
) -> None:
    """Approving is recorded at once, so a question about the approval must never be one: the invoice
    is shown, still awaiting approval, until the customer says to approve it."""
    await bot.as_user(ANNA).transcript("""
        user: is INV-2031 approved?
        bot:  [invoice.get]
        bot:  ~ awaiting approval
        user: har fakturan INV-2031 godkänts än?
        bot:  !~ attesterad av
        user: status on 4711 and is the invoice approved yet?
        bot:  !~ Recorded: approved by
        user: who approved the invoice for order 4711
        bot:  [invoice.get]
        bot:  !~ Recorded: approved by
        user: vem godkände fakturan?
        bot:  !~ Registrerat: attesterad av
        user: who approved it?
        bot:  [invoice.get]
        user: ok good, I'll check with my manager before approving it. when is it due?
        bot:  !~ Recorded: approved by
        user: jag kollar med min chef innan jag godkänner den
        bot:  !~ Registrerat: attesterad av
    """)
    invoice = await application.backends.invoices.get_invoice(await _principal(application, ANNA), "INV-2031")
    assert invoice is not None and invoice.approved_by is None, "nothing approved by asking"
    await bot.as_user(ANNA).transcript("""
        user: approve INV-2031
        bot:  [invoice.approve]
        bot:  ~ Recorded: approved by anna.berg@nordisk.example
    """)


async def test_asking_whether_an_invoice_was_forwarded_sends_nothing(
    bot: BotDriver, settings: Settings
) -> None:
    """Forwarding mails at once, so a question about a forward, with the address in it, must never be
    one: the invoice is shown and no mail leaves."""
    await bot.as_user(ANNA).transcript("""
        user: has INV-2031 been forwarded to erik.lund@nordisk.example?
        bot:  [invoice.get]
        bot:  !~ e-mailed
        user: har INV-2032 skickats till erik.lund@nordisk.example än?
        bot:  !~ mejlat
    """)
    assert not list((settings.data_dir / "outbox").glob("*.eml"))
    await bot.as_user(ANNA).transcript("""
        user: could you forward INV-2031 to erik.lund@nordisk.example?
        bot:  [invoice.forward]
        bot:  ~ e-mailed invoice INV-2031
    """)


async def test_thanks_and_the_next_record_shows_it(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: has INV-2031 been paid?
        bot:  [invoice.get]
        user: ok thanks, and INV-2032?
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2032
    """)


async def test_a_question_about_the_invoice_being_forwarded_is_answered_before_the_address(
    bot: BotDriver, settings: Settings
) -> None:
    """ "Wait, is that one paid already?" while the bot asks where to forward INV-2031 is a question of
    its own about that invoice, not a wrong address: it is answered, and the forward offered back and
    finished with the address given then. Nothing is mailed before."""
    await bot.as_user(ANNA).transcript("""
        user: forward INV-2031 to a colleague
        bot:  ~ Which e-mail address should I send invoice INV-2031 to?
        user: wait, is that one paid already?
        bot:  [invoice.get]
        bot:  ~ Status: awaiting approval
        bot:  ~ Shall we finish your request?
        user: yes
        bot:  ~ Which e-mail address should I send invoice INV-2031 to?
        user: erik.lund@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ I've e-mailed invoice INV-2031 as a PDF to erik.lund@nordisk.example
    """)
    # The address given straight away to the question offered back is its answer.
    await bot.as_user(ANNA).transcript("""
        user: skicka INV-2032 till en kollega
        user: vänta, är den betald redan?
        bot:  [invoice.get]
        bot:  ~ INV-2032
        bot:  ~ Ska vi göra klart det du bad om?
        user: ok, skicka till ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ Jag har mejlat faktura INV-2032 som pdf till ekonomi@nordisk.example
    """)
    mails = [message_from_bytes(f.read_bytes()) for f in (settings.data_dir / "outbox").glob("*.eml")]
    assert sorted(m["To"] for m in mails) == ["ekonomi@nordisk.example", "erik.lund@nordisk.example"]


async def test_a_request_quoted_from_someone_else_is_not_done(
    bot: BotDriver, application: Application
) -> None:
    """A message that quotes a mail ("> please approve INV-2031") and asks something of its own is
    that question: the quoted request is someone else's words, so nothing is approved, sent or signed;
    the record it names is what the question is about."""
    anna = bot.as_user(ANNA)
    shown = await anna.say(
        "Got this from our CFO:\n> Hi Anna, please approve INV-2031 before Friday.\n> /Lars\n\n"
        "before I do anything - what's the amount and due date?"
    )
    assert shown.intent == "invoice.get" and "awaiting approval" in shown.text, shown.plain_text()
    asked = await anna.say(
        "Fick detta från ekonomi:\n> Kan du skicka fakturan för order 4711 till oss?\n\n"
        "Vilken faktura är det? Skicka inget än!!"
    )
    assert asked.intent != "invoice.forward" and "INV-2031" in asked.text, asked.plain_text()
    history = await anna.say(
        "my boss keeps pinging me\n> sign C-1003 asap!!\nbefore signing anything: which version is the current one?"
    )
    assert history.intent != "contract.sign" and "version 2" in history.text.lower(), history.plain_text()
    principal = await application.pipeline.principal(ANNA)
    invoice = await application.backends.invoices.get_invoice(principal, "INV-2031")
    assert invoice is not None and invoice.approved_by is None


async def test_a_complaint_about_an_invoice_is_its_question_not_a_request_of_no_record(
    bot: BotDriver,
) -> None:
    """ "I want to make a complaint about INV-3050, we have paid it" is the invoice's question: it is
    answered from the invoice and passed on as a request only if the customer wants; another company's
    invoice reads as one that does not exist."""
    await bot.as_user(MAX).transcript("""
        user: I want to make a complaint about INV-3050, we have paid it
        bot:  [invoice.question]
        bot:  ~ We have not registered a payment for invoice INV-3050 yet
        bot:  ~ Shall I?
    """)
    await bot.as_user(ANNA).transcript("""
        user: I want to make a complaint about INV-3050, we have paid it
        bot:  [invoice.question]
        bot:  ~ I can't find invoice INV-3050
    """)


async def test_a_number_alone_after_an_invoice_is_another_invoice_of_that_number(bot: BotDriver) -> None:
    """ "And 2031?" right after an invoice: invoice INV-2031 (its number has a year's shape, so it is
    no order's); "and 1003?" after a contract is contract C-1003; said with the word of orders it is
    the order."""
    await bot.as_user(ANNA).transcript("""
        user: show invoice INV-2032
        bot:  ~ INV-2032
        user: and 2031?
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2031
        bot:  ~ SEK 125,000.00
        user: och den andra, 2030?
        bot:  [invoice.get]
        bot:  ~ Faktura INV-2030
        user: och den andra, 2032, är den betald?
        bot:  ~ Faktura INV-2032
        bot:  ~ betald
        user: and invoices from 2025?
        bot:  [invoice.list]
        bot:  ~ 2025
        user: and order 4712?
        bot:  [order.status]
        bot:  ~ Order 4712
        user: show contract C-1001
        bot:  [contract.status]
        user: and 1003?
        bot:  [contract.status]
        bot:  ~ Contract C-1003
    """)


async def test_the_invoice_of_an_order_asked_as_a_listing_is_that_invoice(bot: BotDriver) -> None:
    """ "Is the invoice for order 4711 overdue?" reads like the overdue invoices, "show invoices for order
    4711" like all of them: the order's invoice (INV-2031, awaiting approval) is the answer, never "no
    invoices are overdue" nor a list of others."""
    await bot.as_user(ANNA).transcript("""
        user: is the invoice for order 4711 overdue?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: är fakturan för order 4711 förfallen?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: show invoices for order 4711
        bot:  [invoice.get]
        bot:  ~ INV-2031
        bot:  !~ INV-2030
    """)


async def test_the_invoice_of_another_order_asked_with_its_number_alone(bot: BotDriver) -> None:
    """Right after "invoice for order 4712?", "and for 4711?" asks for order 4711's invoice (not the
    order), and "och 4702?" for order 4702's (INV-2030), not an invoice numbered 4702."""
    await bot.as_user(ANNA).transcript("""
        user: invoice for order 4712?
        bot:  [invoice.get]
        user: and for 4711?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: och 4702?
        bot:  [invoice.get]
        bot:  ~ INV-2030
        user: show INV-2031
        bot:  [invoice.get]
        user: and 2030?
        bot:  [invoice.get]
        bot:  ~ INV-2030
    """)


async def test_several_invoices_named_are_each_shown_and_the_second_is_picked(bot: BotDriver) -> None:
    """ "Show me INV-2031 and then INV-2032" shows both (it showed the first only), each with its copy's
    button; "the second invoice, as pdf" is then INV-2032. One not found is said so beside the other,
    never replaced by another."""
    await bot.as_user(ANNA).transcript("""
        user: can you show me INV-2031 and then INV-2032
        bot:  [invoice.get]
        bot:  ~ INV-2031
        bot:  ~ INV-2032
        bot:  ~ Copy of INV-2032
        user: the second invoice, as pdf please
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2032
        bot:  ~ PDF
        bot:  !~ INV-2031
    """)
    await bot.as_user(ANNA).transcript("""
        user: visa INV-2030 och INV-9999
        bot:  [invoice.get]
        bot:  ~ INV-2030
        bot:  ~ INV-9999
        bot:  !~ INV-2031
    """)


async def test_a_status_asked_of_the_invoice_just_answered_is_that_invoice(bot: BotDriver) -> None:
    """ "Is it overdue?" right after INV-2031 reads like the overdue invoices; "oh its paid already?" right
    after approving INV-2032 like the paid ones: each is that invoice, whose answer says its status.
    After a list, "it" is no one invoice, and the listing stays a listing."""
    await bot.as_user(ANNA).transcript("""
        user: show INV-2031
        bot:  [invoice.get]
        user: is it overdue?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        bot:  !~ no invoices
        user: är den förfallen?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: approve inv-2032
        bot:  [invoice.approve]
        user: oh its paid already?
        bot:  [invoice.get]
        bot:  ~ INV-2032
        user: list my invoices
        bot:  [invoice.list]
        user: is it overdue?
        bot:  [invoice.list]
    """)


async def test_an_amount_disputed_is_a_question_for_the_invoicing_team(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: hello, we got invoice INV-2031 and the amount looks too high - can someone check?
        bot:  [invoice.question]
        bot:  ~ INV-2031
        user: We were charged for two servers but we only ordered one.
        bot:  [invoice.question]
        bot:  ~ added
        user: yes, go ahead and submit it
        bot:  [invoice.question]
        bot:  ~ RQ-
        user: what happens now?
        bot:  [request.status]
        bot:  ~ RQ-
    """)


async def test_sent_to_my_mail_right_after_an_invoice_is_that_invoice_mailed(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: INV 2031 status
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: send to my mail
        bot:  [invoice.forward]
        bot:  ~ anna.berg@nordisk.example
        bot:  ~ INV-2031
    """)


async def test_the_invoice_for_it_right_after_an_order_is_that_orders_invoice(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711
        bot:  [order.status]
        user: can you send the invoice for it to ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ INV-2031
        bot:  ~ ekonomi@nordisk.example
        bot:  !~ Which invoice
    """)


async def test_a_credit_note_asked_to_be_mailed_or_approved_is_shown_and_never_said_not_to_exist(
    bot: BotDriver,
) -> None:
    """Credit notes are not mailed from the chat: asked to, the bot says so and gives the credit
    note's copy to pass on, rather than "I can't find credit note CN-0107"; approving one needs none."""
    await bot.as_user(ANNA).transcript("""
        user: har vi nån kreditnota?
        bot:  ~ CN-0107
        user: skicka den till ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ inte kreditnotor
        bot:  ~ CN-0107
        bot:  !~ hittar inte
        user: forward CN-0107 to ekonomi@nordisk.example
        bot:  [invoice.forward]
        bot:  ~ not credit notes
        user: approve CN-0107
        bot:  [invoice.approve]
        bot:  ~ needs no approval
        user: mejla mig INV-2031 och CN-0107
        bot:  ~ mejlat faktura INV-2031
        bot:  ~ Kreditnota CN-0107 kan jag inte mejla
    """)
    reply = await bot.as_user(ANNA).say("forward CN-0107 to ekonomi@nordisk.example")
    assert [c.title for c in reply.cards] == ["Credit note CN-0107"] and reply.cards[0].url, reply
