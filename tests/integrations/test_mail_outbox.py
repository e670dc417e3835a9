"""The persisted mail outbox against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL.

Delivery is driven by calling ``deliver_due(now)`` with a fake clock, as the delivery task does.
"""

from __future__ import annotations

import asyncio
import email
import logging
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Column, MetaData, Table, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.mail import OutboxMailer, SmtpMailer
from supportbot.integrations.outbox import DeliveryOutcome, QueuedMailer
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.outbox import MailOutbox, mail_outbox
from tests.integrations.conftest import postgres_schema_engine, sqlite_engine

T0 = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
SENDER = "Customer support <support@vendor.example>"
TO = "anna.berg@nordisk.example"
BODY = "Hej Anna, här är rapporten med hemliga siffror 4711."
PASSWORD = "s3cr3t-Pa55word"


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        found = []
        for envelope in self.envelopes:
            assert isinstance(envelope.content, bytes)
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found


class Server:
    """An SMTP server on a fixed port that can be down at first and come up later."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def up(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def server(free_port: int) -> Iterator[Server]:
    server = Server(free_port)
    try:
        yield server
    finally:
        server.down()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database with the application's tables, on SQLite and (when reachable) PostgreSQL."""
    if request.param == "sqlite":
        built = sqlite_engine(tmp_path / "outbox.sqlite3")
        try:
            await migrate(built)
            yield built
        finally:
            await built.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as built:
            await migrate(built)
            yield built


def queued(engine: AsyncEngine, transport: Any, clock: Clock | None = None, **options: Any) -> QueuedMailer:
    return QueuedMailer(MailOutbox(engine), transport, clock=clock, **options)


async def rows(engine: AsyncEngine) -> Sequence[Any]:
    async with engine.connect() as conn:
        return (await conn.execute(select(mail_outbox).order_by(mail_outbox.c.id))).all()


async def send_one(mailer: QueuedMailer, **extra: Any) -> None:
    await mailer.send(to=TO, subject="Er orderrapport", text=BODY, **extra)


async def test_mail_queued_while_the_server_is_down_is_delivered_when_it_is_up(
    engine: AsyncEngine, server: Server
) -> None:
    clock = Clock()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    await send_one(mailer)  # returns at once: nothing is sent yet
    (row,) = await rows(engine)
    assert (row.status, row.attempts, row.recipients) == ("pending", 0, TO)

    assert await mailer.deliver_due(T0) == 0  # the server is down
    (row,) = await rows(engine)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "SMTPConnectError" in row.last_error and row.claimed_until is None
    assert row.next_attempt_at.replace(tzinfo=UTC) == T0 + timedelta(seconds=30)

    server.up()
    assert await mailer.deliver_due(T0 + timedelta(seconds=10)) == 0, "not due yet"
    assert not server.inbox.envelopes
    assert await mailer.deliver_due(T0 + timedelta(seconds=30)) == 1
    (envelope,) = server.inbox.envelopes
    assert envelope.rcpt_tos == [TO] and envelope.mail_from == "support@vendor.example"
    (row,) = await rows(engine)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert row.sent_at.replace(tzinfo=UTC) == T0 + timedelta(seconds=30)
    assert await mailer.deliver_due(T0 + timedelta(hours=1)) == 0, "sent once"
    assert len(server.inbox.envelopes) == 1


async def test_backoff_grows_then_repeats_hourly(engine: AsyncEngine, server: Server) -> None:
    clock = Clock()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    await send_one(mailer)
    now, waits = T0, []
    for _ in range(6):
        await mailer.deliver_due(now)
        (row,) = await rows(engine)
        due = row.next_attempt_at.replace(tzinfo=UTC)
        waits.append((due - now).total_seconds())
        now = due
    assert waits == [30, 120, 600, 3600, 3600, 3600]


async def test_a_restart_picks_up_pending_mail(engine: AsyncEngine, server: Server) -> None:
    first = queued(engine, SmtpMailer(server.url, sender=SENDER), retry_seconds=(0.05,))
    await send_one(first)
    await first.deliver_due()  # fails: the server is down; then this process "stops"
    await asyncio.sleep(0.1)  # the retry is due
    server.up()

    second = queued(engine, SmtpMailer(server.url, sender=SENDER))  # the next run, same database
    await second.start()
    try:
        for _ in range(200):
            if server.inbox.envelopes:
                break
            await asyncio.sleep(0.05)
    finally:
        await second.close()
    assert len(server.inbox.envelopes) == 1
    (row,) = await rows(engine)
    assert row.status == "sent"


async def test_the_delivery_task_sends_at_once_and_retries_on_its_own(
    engine: AsyncEngine, server: Server
) -> None:
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), retry_seconds=(0.05,))
    await mailer.start()
    try:
        await send_one(mailer)  # down: the task retries every 50 ms
        await asyncio.sleep(0.2)
        server.up()
        for _ in range(200):
            if server.inbox.envelopes:
                break
            await asyncio.sleep(0.05)
        await send_one(mailer)  # up: sent straight away
        for _ in range(200):
            if len(server.inbox.envelopes) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await mailer.close()
    assert len(server.inbox.envelopes) == 2
    assert [r.status for r in await rows(engine)] == ["sent", "sent"]


async def test_two_deliverers_never_send_the_same_mail_twice(engine: AsyncEngine, server: Server) -> None:
    server.up()
    clock = Clock()
    one = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    two = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    for _ in range(12):
        await send_one(one)
    sent = await asyncio.gather(one.deliver_due(T0), two.deliver_due(T0), one.deliver_due(T0))
    assert sum(sent) == 12
    ids = [m["Message-ID"] for m in server.inbox.messages()]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert {r.status for r in await rows(engine)} == {"sent"}


async def test_a_claimed_mail_is_left_alone_until_its_claim_runs_out(engine: AsyncEngine) -> None:
    class Slow:
        sender = SENDER

        def __init__(self) -> None:
            self.started = asyncio.Event()
            self.release = asyncio.Event()
            self.sent: list[bytes] = []

        async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
            self.started.set()
            await self.release.wait()
            self.sent.append(raw)

    slow, other = Slow(), Slow()
    other.release.set()
    one = queued(engine, slow, Clock(), lease=timedelta(minutes=5))
    two = queued(engine, other, Clock())
    await send_one(one)
    busy = asyncio.create_task(one.deliver_due(T0))
    await slow.started.wait()
    assert await two.deliver_due(T0 + timedelta(minutes=1)) == 0, "claimed by the first deliverer"
    slow.release.set()
    assert await busy == 1
    assert await two.deliver_due(T0 + timedelta(minutes=10)) == 0, "sent: nothing left"
    assert len(slow.sent) == 1 and not other.sent


async def test_a_claim_of_a_deliverer_that_died_runs_out(engine: AsyncEngine, server: Server) -> None:
    class Hangs:
        sender = SENDER

        async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
            await asyncio.Event().wait()

    dead = queued(engine, Hangs(), Clock(), lease=timedelta(minutes=5))
    await send_one(dead)
    task = asyncio.create_task(dead.deliver_due(T0))
    await asyncio.sleep(0.1)
    task.cancel()  # the worker died in the middle of sending
    with pytest.raises(asyncio.CancelledError):
        await task
    server.up()
    alive = queued(engine, SmtpMailer(server.url, sender=SENDER))
    assert await alive.deliver_due(T0 + timedelta(minutes=4)) == 0
    assert await alive.deliver_due(T0 + timedelta(minutes=6)) == 1
    assert len(server.inbox.envelopes) == 1


async def test_mail_never_accepted_is_marked_failed_after_48_hours(
    engine: AsyncEngine, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    await send_one(mailer)
    caplog.set_level(logging.INFO, logger="supportbot")
    now = T0
    while True:
        await mailer.deliver_due(now)
        (row,) = await rows(engine)
        if row.status != "pending":
            break
        now = row.next_attempt_at.replace(tzinfo=UTC)
        assert now - T0 < timedelta(hours=50)
    assert row.status == "failed" and now - T0 >= timedelta(hours=48)
    assert row.attempts == 52  # at 0 s, 30 s, 2.5 min, 12.5 min, 72.5 min, then hourly past 48 h
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"mail {row.id}" in error.getMessage() and "given up" in error.getMessage()
    # (The Message-ID's random digits may spell anything, "4711" too: only the rest is the body's.)
    logged = re.sub(r"<[^<>\s]+@[^<>\s]+>", "<message-id>", caplog.text)
    assert BODY not in logged and "4711" not in logged
    server.up()
    assert await mailer.deliver_due(now + timedelta(days=1)) == 0, "failed mail stays failed"
    assert not server.inbox.envelopes


async def test_the_html_alternative_and_attachments_survive_the_queue(
    engine: AsyncEngine, server: Server
) -> None:
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER))
    data = bytes(range(256)) * 40
    await send_one(
        mailer,
        html="<p>Hej <b>Anna</b> – åäö</p>",
        attachments=[
            ("rapport.xlsx", "application/vnd.ms-excel", data),
            ("rapport.csv", "text/csv", b"a;b\n1;2\n"),
        ],
    )
    await mailer.deliver_due()
    server.up()
    await mailer.deliver_due(datetime.now(UTC) + timedelta(minutes=1))
    (mail,) = server.inbox.messages()
    assert mail["To"] == TO and mail["Subject"] == "Er orderrapport"
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().strip() == BODY
    assert "<b>Anna</b> – åäö" in html.get_content()
    attached = {part.get_filename(): part.get_payload(decode=True) for part in mail.iter_attachments()}
    assert attached == {"rapport.xlsx": data, "rapport.csv": b"a;b\n1;2\n"}
    (row,) = await rows(engine)
    assert row.status == "sent"


async def test_no_secret_and_no_body_in_logs_or_last_error(
    engine: AsyncEngine, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"smtp://support-user:{PASSWORD}@127.0.0.1:{server.port}"
    mailer = queued(engine, SmtpMailer(url, sender=SENDER))
    await send_one(mailer)
    await mailer.deliver_due()  # down: connection refused
    server.up()  # up, but it offers no AUTH without TLS: the login fails
    await mailer.deliver_due(datetime.now(UTC) + timedelta(minutes=1))
    (row,) = await rows(engine)
    assert row.status == "pending" and row.attempts == 2 and row.last_error
    for text in (caplog.text, row.last_error):
        assert PASSWORD not in text and "support-user" not in text
        assert BODY not in text and "Er orderrapport" not in text


async def test_the_embedded_outbox_writes_the_eml_file_before_send_returns(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    folder = tmp_path / "outbox"
    mailer = queued(engine, OutboxMailer(folder, sender=SENDER), immediate=True)
    await send_one(mailer, html="<p>Hej</p>")
    (path,) = folder.glob("*.eml")
    mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["To"] == TO and mail.get_body(("html",)) is not None
    (row,) = await rows(engine)
    assert row.status == "sent"


async def test_send_raises_mail_unavailable_only_when_the_mail_cannot_be_queued(
    tmp_path: Path, free_port: int
) -> None:
    broken = create_async_engine(f"postgresql+asyncpg://nobody@127.0.0.1:{free_port}/down")  # nothing there
    try:
        mailer = queued(broken, OutboxMailer(tmp_path / "outbox", sender=SENDER), immediate=True)
        with pytest.raises(MailUnavailable) as caught:
            await send_one(mailer)
        assert BODY not in str(caught.value) and caught.value.__cause__ is None
        assert caught.value.__suppress_context__, "a database error's text would carry the body"
        assert not (tmp_path / "outbox").exists()
    finally:
        await broken.dispose()


async def test_a_plain_text_mail_gets_its_html_part_in_the_outbox_s_eml_file(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    folder = tmp_path / "outbox"
    mailer = queued(engine, OutboxMailer(folder, sender=SENDER), immediate=True)
    await mailer.send(
        to=TO,
        subject="Er orderrapport",
        text="Hej Anna,\n\nrapporten: http://127.0.0.1:8080/r?a=1&b=2\n\nVänliga hälsningar",
        language="sv",
        attachments=[("rapport.csv", "text/csv", b"a;b\n1;2\n")],
    )
    (path,) = folder.glob("*.eml")
    mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(mail, EmailMessage) and mail.get_content_type() == "multipart/mixed"
    alternative = next(mail.iter_parts())
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    html = mail.get_body(("html",))
    assert html is not None
    document = html.get_content()
    assert '<html lang="sv"' in document and "Vänliga hälsningar" in document
    assert '<a href="http://127.0.0.1:8080/r?a=1&amp;b=2"' in document
    assert {p.get_filename() for p in mail.iter_attachments()} == {"rapport.csv"}


class Heard:
    def __init__(self) -> None:
        self.outcomes: list[DeliveryOutcome] = []

    async def __call__(self, outcome: DeliveryOutcome) -> None:
        self.outcomes.append(outcome)


async def test_listeners_hear_when_a_referenced_mail_is_sent(engine: AsyncEngine, server: Server) -> None:
    clock = Clock()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), clock)
    heard = Heard()
    mailer.on_outcome(heard)
    await send_one(mailer, reference="invoice.forward:7")
    await send_one(mailer)  # no reference: nobody is told
    assert await mailer.deliver_due(T0) == 0
    assert heard.outcomes == [], "a failed attempt that is retried is no outcome"
    server.up()
    assert await mailer.deliver_due(T0 + timedelta(minutes=1)) == 2
    (outcome,) = heard.outcomes
    (first, _) = await rows(engine)
    assert outcome == DeliveryOutcome(
        reference="invoice.forward:7", message_id=first.message_id, sent=True, at=T0 + timedelta(minutes=1)
    )


async def test_listeners_hear_when_a_referenced_mail_is_given_up(engine: AsyncEngine, server: Server) -> None:
    clock = Clock()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER), clock, give_up=timedelta(hours=1))
    heard = Heard()
    mailer.on_outcome(heard)
    await send_one(mailer, reference="invoice.forward:8")
    await mailer.deliver_due(T0)
    assert heard.outcomes == []
    await mailer.deliver_due(T0 + timedelta(hours=2))
    (outcome,) = heard.outcomes
    assert (outcome.reference, outcome.sent, outcome.at) == (
        "invoice.forward:8",
        False,
        T0 + timedelta(hours=2),
    )
    (row,) = await rows(engine)
    assert row.status == "failed"


async def test_a_failing_listener_is_logged_and_the_mail_stays_sent(
    engine: AsyncEngine, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.up()
    mailer = queued(engine, SmtpMailer(server.url, sender=SENDER))

    async def broken(outcome: DeliveryOutcome) -> None:
        raise RuntimeError(f"database down, {BODY}")

    heard = Heard()
    mailer.on_outcome(broken)
    mailer.on_outcome(heard)
    await send_one(mailer, reference="invoice.forward:9")
    assert await mailer.deliver_due() == 1
    assert [o.reference for o in heard.outcomes] == ["invoice.forward:9"], "the others are still told"
    (row,) = await rows(engine)
    assert row.status == "sent" and len(server.inbox.envelopes) == 1
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "invoice.forward:9" in error.getMessage() and "RuntimeError" in error.getMessage()
    assert BODY not in caplog.text


async def test_an_outbox_table_made_before_references_gets_the_column(tmp_path: Path, server: Server) -> None:
    """A database of an earlier version: its pending mail is still sent, and new mail has references."""
    built = sqlite_engine(tmp_path / "old.sqlite3")
    try:
        old = MetaData()
        old_table = Table(
            mail_outbox.name,
            old,
            *(
                Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                for c in mail_outbox.columns
                if c.name != "reference"
            ),
        )
        async with built.begin() as conn:
            await conn.run_sync(old.create_all)
            await conn.execute(
                insert(old_table).values(
                    message_id="<old@vendor.example>",
                    recipients=TO,
                    message=b"From: support@vendor.example\r\nTo: " + TO.encode() + b"\r\n\r\nHej\r\n",
                    status="pending",
                    attempts=0,
                    next_attempt_at=T0,
                    created_at=T0,
                )
            )
        await migrate(built)
        await migrate(built)  # and again at the next start: nothing to add
        async with built.connect() as conn:
            names = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("mail_outbox")}
            )
        assert "reference" in names
        server.up()
        mailer = queued(built, SmtpMailer(server.url, sender=SENDER))
        heard = Heard()
        mailer.on_outcome(heard)
        await send_one(mailer, reference="invoice.forward:1")
        assert await mailer.deliver_due(datetime.now(UTC)) == 2
        assert [o.reference for o in heard.outcomes] == ["invoice.forward:1"]
    finally:
        await built.dispose()


class HeldOnce:
    """A transport whose first delivery waits for ``release`` before it goes on: a delivery pass held
    in the middle of sending a mail."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sender = inner.sender
        self.delivering = asyncio.Event()
        self.release = asyncio.Event()
        self.events: list[str] = []

    async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
        if not self.delivering.is_set():
            self.delivering.set()
            await self.release.wait()
        await self.inner.deliver(raw, recipients=recipients)
        self.events.append("delivered")


class HeldAfterAdding(MailOutbox):
    """An outbox whose ``add`` waits for ``go_on`` once the mail is committed; a claim made while
    the transport is held lets the transport go on."""

    def __init__(self, engine: AsyncEngine, transport: HeldOnce) -> None:
        super().__init__(engine)
        self.transport = transport
        self.added = asyncio.Event()
        self.go_on = asyncio.Event()

    async def add(self, mail: Any) -> int:
        mail_id = await super().add(mail)
        self.added.set()
        await self.go_on.wait()
        return mail_id

    async def claim(self, mail_id: int, now: datetime, *, until: datetime, worker: str) -> Any:
        claimed = await super().claim(mail_id, now, until=until, worker=worker)
        if self.transport.delivering.is_set():
            self.transport.release.set()
        return claimed


@pytest.mark.parametrize("transport", ["smtp", "eml"])
async def test_send_returns_once_its_mail_is_out_even_when_a_delivery_pass_found_it_first(
    engine: AsyncEngine, server: Server, tmp_path: Path, transport: str
) -> None:
    """With a first attempt inside ``send``, the mail is out when ``send`` returns: also when the
    delivery pass (woken by an earlier mail) found it between its commit and that attempt, and
    was still sending it. It is sent once."""
    server.up()
    folder = tmp_path / "outbox"
    inner = (
        SmtpMailer(server.url, sender=SENDER) if transport == "smtp" else OutboxMailer(folder, sender=SENDER)
    )
    held = HeldOnce(inner)
    outbox = HeldAfterAdding(engine, held)
    mailer = QueuedMailer(outbox, held, immediate=True)

    async def send() -> None:
        await send_one(mailer)
        held.events.append("send returned")

    sending = asyncio.create_task(send())
    await outbox.added.wait()  # the mail is committed; send has not tried to deliver it yet
    passing = asyncio.create_task(mailer.deliver_due())
    await held.delivering.wait()  # the pass claimed it and is sending it
    outbox.go_on.set()
    # send's own attempt lets the pass go on (its claim); should send wait without claiming, so does this
    asyncio.get_running_loop().call_later(0.5, held.release.set)
    await sending
    assert await passing == 1

    assert held.events == ["delivered", "send returned"]
    delivered = len(server.inbox.envelopes) if transport == "smtp" else len(list(folder.glob("*.eml")))
    assert delivered == 1
    assert [r.status for r in await rows(engine)] == ["sent"]
