"""A forwarded invoice's history tells the truth about its mail: queued while the mail server is down,
sent once the outbox's retry got it through, failed when it gave up; and the reply says which.

Through the real pipeline, the persisted outbox and a local SMTP server (aiosmtpd) that is down at first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.integrations.models import InvoiceEvent
from tests.conftest import Conversation, Inbox, make_settings
from tests.conversations.test_access import notices

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"


@pytest.fixture
async def down_smtp(data_dir: Path, free_port: int) -> AsyncIterator[tuple[Application, Controller, Inbox]]:
    """The assistant mailing through an SMTP server that is not up yet (``controller.start()`` brings it up)."""
    settings = make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{free_port}", mail_retry_seconds=(0.05,))
    app = await build_application(settings)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port)
    try:
        yield app, controller, inbox
    finally:
        await app.close()
        if controller.server is not None:
            controller.stop()


async def forwards(app: Application, user_id: str = ANNA, number: str = "INV-2031") -> list[InvoiceEvent]:
    principal = await app.pipeline.principal(user_id)
    history = await app.backends.invoices.invoice_history(principal, number)
    return [event for event in history if event.kind == "forwarded"]


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("it did not happen in time")


async def test_a_forward_is_marked_sent_only_when_the_mail_server_took_it(
    down_smtp: tuple[Application, Controller, Inbox],
) -> None:
    app, controller, inbox = down_smtp
    chat = Conversation(app, ANNA)
    await chat.transcript(f"""
        user: forward invoice INV-2031 to {ERIK}
        bot:  [invoice.forward]
        bot:  ~ in the outbox for {ERIK}
        bot:  ~ as soon as our mail server accepts it
        bot:  !~ I've e-mailed
    """)

    async def attempted() -> bool:  # the outbox has tried the server that is down at least once
        async with app.engine.connect() as conn:
            return bool((await conn.execute(text("SELECT attempts FROM mail_outbox"))).scalar_one())

    await eventually(attempted)
    (event,) = await forwards(app)
    assert (event.detail, event.actor, event.delivery, event.delivered_at) == (ERIK, ANNA, "queued", None)
    async with app.engine.connect() as conn:
        row = (await conn.execute(text("SELECT status, attempts, reference FROM mail_outbox"))).one()
    assert row.status == "pending" and row.attempts >= 1
    assert row.reference == f"invoice.forward:{event.reference}"

    controller.start()  # the server comes up: the outbox's retry delivers it, and the history follows

    async def marked_sent() -> bool:
        return [e.delivery for e in await forwards(app)] == ["sent"]

    await eventually(marked_sent)
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [ERIK]
    mail = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
    assert isinstance(mail, EmailMessage)
    assert [p.get_filename() for p in mail.iter_attachments()] == ["INV-2031.pdf"]
    html = mail.get_body(("html",))
    assert html is not None and '<html lang="en"' in html.get_content()
    (event,) = await forwards(app)
    assert event.delivered_at is not None and event.delivered_at >= event.at
    async with app.engine.connect() as conn:
        sent_at = (await conn.execute(text("SELECT sent_at FROM mail_outbox"))).scalar_one()
    assert sent_at is not None


async def test_a_forward_given_up_on_is_marked_failed(
    down_smtp: tuple[Application, Controller, Inbox],
) -> None:
    app, _, inbox = down_smtp
    await Conversation(app, ANNA).transcript(f"""
        user: skicka faktura INV-2031 till {ERIK}
        bot:  [invoice.forward]
        bot:  (sv)
        bot:  ~ i utkorgen till {ERIK}
        bot:  ~ så snart vår e-postserver tar emot den
    """)
    assert app.outbox is not None
    await app.outbox.close()  # no more retries of its own: the test drives the clock past the 48 hours
    await app.outbox.deliver_due(datetime.now(UTC) + timedelta(hours=49))
    (event,) = await forwards(app)
    assert event.delivery == "failed" and event.delivered_at is not None
    assert not inbox.envelopes
    # Anna was told it would go out: now she is told it did not, in her language, with a retry button.
    (notice,) = [n for n in await notices(app, ANNA) if n.intent == "invoice.forward"]
    assert f"faktura INV-2031 inte levereras till {ERIK}" in notice.text
    assert [b.value for b in notice.buttons] == [f"skicka faktura INV-2031 till {ERIK}"]
    # A repeated report of the same outcome tells nobody twice.
    await app.outbox.deliver_due(datetime.now(UTC) + timedelta(hours=50))
    assert len([n for n in await notices(app, ANNA) if n.intent == "invoice.forward"]) == 1


async def test_with_the_embedded_outbox_the_forward_is_sent_at_once(data_dir: Path) -> None:
    app = await build_application(make_settings(data_dir))
    try:
        await Conversation(app, ANNA).transcript(f"""
            user: forward invoice INV-2031 to {ERIK}
            bot:  ~ I've e-mailed invoice INV-2031 as a PDF to {ERIK}
        """)
        (event,) = await forwards(app)
        assert event.delivery == "sent" and event.delivered_at is not None
        (path,) = (data_dir / "outbox").glob("*.eml")
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(mail, EmailMessage) and mail.get_content_type() == "multipart/mixed"
        assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
    finally:
        await app.close()


async def test_a_reference_of_another_company_s_forward_cannot_be_withdrawn(data_dir: Path) -> None:
    app = await build_application(make_settings(data_dir))
    try:
        anna = await app.pipeline.principal(ANNA)
        max_ = await app.pipeline.principal("max.muller@contoso.example")
        assert anna is not None and max_ is not None
        invoices = app.backends.invoices
        reference = await invoices.record_forward(anna, "INV-2031", ERIK, queued=True)
        assert reference is not None
        assert not await invoices.withdraw_forward(max_, reference)
        assert await invoices.forward_delivered(reference, sent=True, at=datetime.now(UTC))
        assert not await invoices.forward_delivered(reference, sent=False, at=datetime.now(UTC)), "once"
        assert not await invoices.withdraw_forward(anna, reference), "sent: it stays in the history"
        assert [e.delivery for e in await forwards(app)] == ["sent"]
        assert not await invoices.forward_delivered("not-a-number", sent=True, at=datetime.now(UTC))
    finally:
        await app.close()
