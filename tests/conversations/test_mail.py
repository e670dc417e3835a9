"""Mail through a real SMTP conversation with a local server (aiosmtpd): reports, retries, and the text
and HTML parts every mail has."""

from __future__ import annotations

import asyncio
import email
from email import policy
from email.message import EmailMessage as MimeMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import text

from supportbot.adapters.app import build_application
from tests.conftest import Conversation, Inbox, make_settings


async def test_the_order_report_is_mailed_over_smtp(data_dir: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        reply = await Conversation(app, "anna.berg@nordisk.example").say("mejla mig en orderrapport för i år")
    finally:
        await app.close()
    assert reply.language == "sv" and "mejlat" in reply.text, reply.text
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["anna.berg@nordisk.example"]
    (mail,) = inbox.messages()
    assert mail["Subject"].startswith("Er orderrapport")
    body = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert "Hej Anna Berg" in body.decode()
    names = sorted(p.get_filename() for p in mail.walk() if p.get_filename())
    assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "xlsx"]
    assert not list((data_dir / "outbox").glob("*.eml")), "with SMTP configured nothing goes to the outbox"


async def test_mail_to_an_unreachable_smtp_server_is_queued_and_sent_when_it_comes_up(
    data_dir: Path, free_port: int
) -> None:
    settings = make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{free_port}", mail_retry_seconds=(0.05,))
    app = await build_application(settings)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port)
    try:
        chat = Conversation(app, "anna.berg@nordisk.example")
        reply = await chat.say("e-mail me a report of my orders for this year")
        assert "e-mailed" in reply.text and "anna.berg@nordisk.example" in reply.text, reply.text
        assert "PostNord" in (await chat.say("where is order 4711")).text, "the chat goes on meanwhile"
        async with app.engine.connect() as conn:
            (status, recipients) = (
                await conn.execute(text("SELECT status, recipients FROM mail_outbox"))
            ).one()
        assert (status, recipients) == ("pending", "anna.berg@nordisk.example"), "kept, not lost"
        assert not inbox.envelopes

        controller.start()  # the server comes up: the retry loop delivers the queued mail
        for _ in range(200):
            if inbox.envelopes:
                break
            await asyncio.sleep(0.05)
        (envelope,) = inbox.envelopes
        assert envelope.rcpt_tos == ["anna.berg@nordisk.example"]
        (mail,) = inbox.messages()
        assert mail["Subject"].startswith("Your order report")
        assert sorted(n.rsplit(".", 1)[1] for p in mail.walk() if (n := p.get_filename())) == ["csv", "xlsx"]
        for _ in range(100):
            async with app.engine.connect() as conn:
                row = (await conn.execute(text("SELECT status, attempts, sent_at FROM mail_outbox"))).one()
            if row.status == "sent":
                break
            await asyncio.sleep(0.02)
        assert row.status == "sent" and row.attempts >= 1 and row.sent_at is not None
    finally:
        await app.close()
        if controller.server is not None:
            controller.stop()
    assert len(inbox.envelopes) == 1, "sent once"


async def _received(inbox: Inbox, count: int) -> list[MimeMessage]:
    """The first ``count`` mails the server accepted (the outbox sends in the background)."""
    for _ in range(200):
        if len(inbox.envelopes) >= count:
            break
        await asyncio.sleep(0.05)
    assert len(inbox.envelopes) >= count, f"{len(inbox.envelopes)} mails, not {count}"
    mails = []
    for envelope in inbox.envelopes[:count]:
        assert isinstance(envelope.content, bytes)
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, MimeMessage)
        mails.append(mail)
    return mails


def _parts(mail: MimeMessage) -> tuple[str, str]:
    """The text and the HTML of a ``multipart/alternative`` mail."""
    assert mail.get_content_type() == "multipart/alternative", mail.get_content_type()
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    return str(plain.get_content()), str(html.get_content())


async def test_every_mail_over_smtp_has_a_text_and_an_html_part_in_its_language(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        erik = Conversation(app, "erik.lund@nordisk.example")
        await erik.transcript("""
            user: I'd like to open a support request
            press: Technical
            user: Power server in Kista does not boot
            user: Since this morning it stops with error <B2001234> after power-on.
            press: High
            press: Open
            bot:  ~ sent a confirmation to erik.lund@nordisk.example
        """)
        number = next(w.rstrip(":.,") for w in erik.last.text.split() if w.startswith("RQ-"))
        (confirmation,) = await _received(inbox, 1)
        # Erik asks for invoices: Anna, the administrator, is mailed in her language (Swedish).
        await erik.transcript("""
            user: show me invoice INV-2031
            press: Request access to invoices
            bot:  [account.access]
        """)
        _, access = await _received(inbox, 2)
    finally:
        await app.close()

    assert confirmation["To"] == "erik.lund@nordisk.example" and number in confirmation["Subject"]
    plain, html = _parts(confirmation)
    link = f"http://127.0.0.1:8080/?ask=status+of+{number}"
    assert link in plain and "<B2001234>" in plain
    assert '<html lang="en"' in html and confirmation["Content-Language"] == "en"
    assert f'<a href="{link}"' in html, "the link is a link"
    assert "&lt;B2001234&gt;" in html and "<B2001234>" not in html, "the customer's words are escaped"
    assert "Tracking number: " + number + "<br>" in html

    assert access["To"] == "anna.berg@nordisk.example" and "Erik Lund" in access["Subject"]
    plain, html = _parts(access)
    assert "Hej Anna Berg" in plain and "behörighet" in plain
    assert '<html lang="sv"' in html and access["Content-Language"] == "sv"
    assert "Hej Anna Berg" in html and "behörighet till fakturor" in html
    assert '<a href="http://127.0.0.1:8080"' in html


async def test_email_me_the_invoice_goes_to_her_own_address_over_smtp(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    """ "me" is Anna: her invoice goes to her own confirmed address, and she is never asked which."""
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        chat = Conversation(app, "anna.berg@nordisk.example")
        reply = await chat.say("email me invoice INV-2032 please")
        assert "anna.berg@nordisk.example" in reply.text and "Which e-mail" not in reply.text, reply.text
        swedish = await chat.say("mejla mig faktura INV-2031")
        assert swedish.language == "sv" and "anna.berg@nordisk.example" in swedish.text, swedish.text
        for _ in range(200):
            if len(inbox.envelopes) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        await app.close()
    assert [e.rcpt_tos for e in inbox.envelopes] == [["anna.berg@nordisk.example"]] * 2
    subjects = sorted(m["Subject"] for m in inbox.messages())
    assert subjects[0].startswith("Din kopia av faktura INV-2031") and "INV-2032" in subjects[1], subjects
    for mail in inbox.messages():
        assert next(p.get_filename() for p in mail.walk() if p.get_filename()).endswith(".pdf")


async def test_send_me_the_invoice_shows_it_and_mails_nothing(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        reply = await Conversation(app, "anna.berg@nordisk.example").say("send me invoice INV-2031")
    finally:
        await app.close()
    assert reply.intent == "invoice.get" and [a.name for a in reply.attachments] == ["INV-2031.pdf"]
    assert [b.value for b in reply.buttons] == ["email me invoice INV-2031"], "mailing it is one press away"
    assert not inbox.envelopes


async def test_invoices_named_together_are_each_mailed_once_however_often_the_message_comes(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    """ "Email me INV-2031 and INV-2032" mails both, each its own copy; the same message delivered
    again (a client's resend) finds both mails done and sends nothing more. The address asked for
    after several were named is for all of them."""
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        chat = Conversation(app, "anna.berg@nordisk.example")
        first = await chat.say("email me INV-2031 and INV-2032", delivery_id="both-1")
        again = await chat.say("email me INV-2031 and INV-2032", delivery_id="both-1")
        asked = await chat.say("skicka INV-2030 och INV-2031 vidare till min kollega")
        sent = await chat.say("erik.lund@nordisk.example")
        for _ in range(200):
            if len(inbox.envelopes) == 4:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # (a fifth mail, were one doubled, would have come by now)
        principal = await app.pipeline.principal("anna.berg@nordisk.example")
        history = await app.backends.invoices.invoice_history(principal, "INV-2031")
    finally:
        await app.close()
    assert first.intent == "invoice.forward" and "INV-2031" in first.text and "INV-2032" in first.text
    assert again.text == first.text, "the resent message is answered as the first was"
    assert "fakturorna INV-2030 och INV-2031" in asked.text, asked.text
    assert "INV-2030" in sent.text and "INV-2031" in sent.text and "erik.lund@nordisk.example" in sent.text
    mailed = sorted(
        (e.rcpt_tos[0], m["Subject"].split()[-1])
        for e, m in zip(inbox.envelopes, inbox.messages(), strict=True)
    )
    assert len(mailed) == 4, mailed
    assert {to for to, _ in mailed} == {"anna.berg@nordisk.example", "erik.lund@nordisk.example"}
    for mail in inbox.messages():
        names = [p.get_filename() for p in mail.walk() if p.get_filename()]
        assert len(names) == 1 and names[0].endswith(".pdf") and names[0][:-4] in mail["Subject"]
    assert [e.detail for e in history if e.kind == "forwarded"] == [
        "anna.berg@nordisk.example",
        "erik.lund@nordisk.example",
    ]


async def test_a_short_question_after_a_mail_or_an_approval_sends_and_records_nothing_again(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    """ "When?" or "how much?" right after something was mailed or approved asks about it: the report is
    shown here and the invoice shown, never mailed or approved a second time."""
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        chat = Conversation(app, "anna.berg@nordisk.example")
        mailed = await chat.say("email me an order report for last month")
        when = await chat.say("when?")
        forwarded = await chat.say("forward INV-2031 to erik.lund@nordisk.example")
        when_again = await chat.say("när?")
        await chat.say("approve INV-2031")
        how_much = await chat.say("how much?")
        for _ in range(200):
            if len(inbox.envelopes) >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # (a third mail, were one sent again, would have come by now)
        principal = await app.pipeline.principal("anna.berg@nordisk.example")
        history = await app.backends.invoices.invoice_history(principal, "INV-2031")
    finally:
        await app.close()
    assert "e-mailed" in mailed.text and "erik.lund@nordisk.example" in forwarded.text, forwarded.text
    assert when.intent == "order.report" and "e-mailed" not in when.text and when.attachments, when.text
    assert when_again.intent == "invoice.get" and "INV-2031" in when_again.text, when_again.text
    assert how_much.intent == "invoice.get" and "INV-2031" in how_much.text, how_much.text
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        ["anna.berg@nordisk.example"],
        ["erik.lund@nordisk.example"],
    ]
    assert [e.kind for e in history].count("forwarded") == 1
    assert [e.kind for e in history].count("approved") == 1
