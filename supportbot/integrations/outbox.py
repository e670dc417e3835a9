"""A persisted mail outbox: ``send`` stores the finished message and returns; a delivery task sends it.

``QueuedMailer`` implements the bot's ``Mailer``: it builds the message (RFC 5322 bytes, with its
HTML alternative and attachments), stores it in ``mail_outbox`` and returns, so a chat reply never
waits for an SMTP server. ``deliver_due`` hands every due message to the real transport (SMTP, or
the .eml folder of the embedded default); a failure is retried with backoff (30 s, 2 min, 10 min,
1 h, then hourly by default) until the message is 48 hours old, when it is marked ``failed`` and
logged at error level. The background task started by ``start`` calls ``deliver_due`` whenever a
message is queued and when the next retry is due; pending messages of an earlier run are picked up
at start.

Several workers may share the database: a message is claimed (``UPDATE ... WHERE id = ? AND
claimed_until < now``, one row either way on SQLite and PostgreSQL) before it is sent, for a lease
longer than a transport may take, so two deliverers never send the same message. Delivery is at
least once: a worker that dies between the server's acceptance and recording it leaves the claim to
expire, and the message is sent again (with the same Message-ID).

An action's own mail (a request's confirmation) is queued with ``queue_in`` on the back end's
connection, inside the transaction of the action's write, so both are committed or neither is;
``queued`` then starts its delivery. ``send`` is for mail that stands alone.

A mail may carry a ``reference`` (say ``invoice.forward:42``): when it is accepted, or given up on,
every listener added with ``on_outcome`` hears so, on whichever worker delivered it, so what the
mail was for (an invoice's forward record) can say whether it arrived. A listener that fails is
logged; the mail's own state is already recorded by then.

Logs and ``last_error`` name the message by its row id and Message-ID only: never the body, never
the transport's credentials.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    inspect,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.faults import crash_point
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.mail import build_message, recipients_of

log = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS: tuple[float, ...] = (30, 120, 600, 3600)
"""Waits after the 1st, 2nd, 3rd, 4th failed attempt; the last one repeats."""
DEFAULT_GIVE_UP = timedelta(hours=48)

PENDING, SENT, FAILED = "pending", "sent", "failed"

outbox_metadata = MetaData()

mail_outbox = Table(
    "mail_outbox",
    outbox_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("message_id", String(255), nullable=False),
    Column("recipients", String(1000), nullable=False),  # the envelope recipients, comma-separated
    Column("message", LargeBinary, nullable=False),  # the whole message, RFC 5322 bytes as sent
    Column("status", String(16), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("reference", String(255), nullable=True),  # what the mail is for, told to ``on_outcome``
    Index("ix_mail_outbox_due", "status", "next_attempt_at"),
)


async def create_outbox_schema(engine: AsyncEngine) -> None:
    """Creates the outbox table where it does not exist yet (in the application's database), and adds
    the nullable columns that came later to a table made before them."""
    async with engine.begin() as conn:
        await conn.run_sync(outbox_metadata.create_all)
        await conn.run_sync(_add_missing_columns)


def _add_missing_columns(conn: Connection) -> None:
    present = {column["name"] for column in inspect(conn).get_columns(mail_outbox.name)}
    quote = conn.dialect.identifier_preparer.quote
    for column in mail_outbox.columns:
        if column.name not in present and column.nullable:
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(
                f"ALTER TABLE {quote(mail_outbox.name)} ADD COLUMN {quote(column.name)} {kind}"
            )


@dataclass(frozen=True)
class DeliveryOutcome:
    """How a referenced mail ended: accepted by the mail server (``sent``), or given up on."""

    reference: str
    message_id: str
    sent: bool
    at: datetime


DeliveryListener = Callable[[DeliveryOutcome], Awaitable[None]]


class MailTransport(Protocol):
    """What actually sends a finished message: ``SmtpMailer`` or the .eml ``OutboxMailer``."""

    sender: str

    async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None: ...


def _utc(value: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they were stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _describe(exc: BaseException) -> str:
    """A failure for logs and ``last_error``: the transport's own safe text, else the type only.

    ``MailUnavailable`` from ``SmtpMailer`` names the host and the error type, never credentials;
    any other exception's text could carry anything, so only its type (and an OS error's reason).
    """
    if isinstance(exc, MailUnavailable):
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{type(exc).__name__}: {exc.strerror}"
    else:
        text = type(exc).__name__
    return text[:500]


class QueuedMailer:
    """The ``Mailer`` the application uses: persisted, retried, never blocking the chat."""

    def __init__(
        self,
        engine: AsyncEngine,
        transport: MailTransport,
        *,
        retry_seconds: Sequence[float] = DEFAULT_RETRY_SECONDS,
        give_up: timedelta = DEFAULT_GIVE_UP,
        lease: timedelta = timedelta(minutes=5),
        immediate: bool = False,
        clock: Callable[[], datetime] | None = None,
        max_wait: float = 60.0,
    ) -> None:
        """``immediate``: try the first delivery inside ``send`` (for a local transport such as the
        .eml folder, which takes a file write, never a network round trip); a failure is queued
        for retry all the same. ``lease`` must exceed the longest a transport may take."""
        if not retry_seconds or any(s <= 0 for s in retry_seconds):
            raise ValueError("the retry schedule needs at least one positive number of seconds")
        self.engine = engine
        self.transport = transport
        self.retry_seconds = tuple(float(s) for s in retry_seconds)
        self.give_up = give_up
        self.lease = lease
        self.immediate = immediate
        self.clock = clock or (lambda: datetime.now(UTC))
        self.max_wait = max_wait
        self.worker = uuid.uuid4().hex
        """Names this deliverer's claims."""
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._listeners: list[DeliveryListener] = []

    def on_outcome(self, listener: DeliveryListener) -> None:
        """``listener`` hears how each mail sent with a ``reference`` ended (sent, or given up on)."""
        self._listeners.append(listener)

    # --- the Mailer protocol ------------------------------------------------------------------

    async def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        language: str | None = None,
        reference: str | None = None,
    ) -> None:
        """Stores the mail for delivery; ``MailUnavailable`` only when even that fails.

        Without ``html`` the HTML part is rendered from ``text`` in ``language`` (English by default);
        ``reference`` names the mail to the ``on_outcome`` listeners."""
        mail = Mail(
            to=to,
            subject=subject,
            text=text,
            language=language,
            attachments=tuple(attachments),
            reference=reference,
        )
        values = self._row(mail, html=html)
        try:
            async with self.engine.begin() as conn:
                result = await conn.execute(insert(mail_outbox).values(**values))
                mail_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        except (SQLAlchemyError, OSError) as exc:
            # not chained: a database error's text carries the statement's parameters, the body
            raise MailUnavailable(f"the mail could not be queued: {type(exc).__name__}") from None
        await self.queued([mail_id])

    def _row(self, mail: Mail, *, html: str | None = None) -> dict[str, Any]:
        """The outbox row of one mail: the finished message, due now. ``MailUnavailable`` when the
        mail cannot be built (no recipient, an address that would span header lines)."""
        try:
            msg = build_message(
                sender=self.transport.sender,
                to=mail.to,
                subject=mail.subject,
                text=mail.text,
                html=html,
                attachments=mail.attachments,
                language=mail.language,
            )
        except (ValueError, TypeError, LookupError) as exc:
            raise MailUnavailable(f"the mail could not be built: {type(exc).__name__}") from None
        recipients = recipients_of(mail.to)
        if not recipients:
            raise MailUnavailable("the mail has no recipient address")
        now = self.clock()
        return {
            "message_id": str(msg["Message-ID"] or "")[:255],
            "recipients": ",".join(recipients),
            "message": msg.as_bytes(),
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "reference": mail.reference[:255] if mail.reference else None,
        }

    async def queue_in(self, conn: Any, mails: Sequence[Mail]) -> list[int]:
        """Queues the mail of an action in the caller's transaction (``conn``, on this database), so it
        is committed, or rolled back, with the action's own write; ``queued`` after the commit."""
        ids = []
        for mail in mails:
            values = self._row(mail)
            ids.append(
                int(await conn.scalar(insert(mail_outbox).values(**values).returning(mail_outbox.c.id)))
            )
        return ids

    async def queued(self, ids: Sequence[int]) -> None:
        """Committed mail is there to deliver: at once for a local transport, else by the task."""
        for mail_id in ids:
            log.info("mail %d queued", mail_id)
            if self.immediate:
                try:
                    await self._attempt(mail_id, self.clock())
                except Exception as exc:  # noqa: BLE001 - it is queued: the delivery task retries it
                    log.warning(
                        "mail %d: first delivery not recorded (%s); retried later", mail_id, _describe(exc)
                    )
        self._wake.set()

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver_due(self, now: datetime | None = None, *, limit: int = 100) -> int:
        """Sends every message due at ``now`` that no other deliverer holds; returns how many were sent."""
        now = now or self.clock()
        t = mail_outbox
        async with self.engine.connect() as conn:
            ids = (
                (
                    await conn.execute(
                        select(t.c.id)
                        .where(
                            t.c.status == PENDING,
                            t.c.next_attempt_at <= now,
                            or_(t.c.claimed_until.is_(None), t.c.claimed_until < now),
                        )
                        .order_by(t.c.next_attempt_at, t.c.id)
                        .limit(limit)
                    )
                )
                .scalars()
                .all()
            )
        sent = 0
        for mail_id in ids:
            if await self._attempt(int(mail_id), now):
                sent += 1
        return sent

    async def _attempt(self, mail_id: int, now: datetime) -> bool:
        """Claims one message, hands it to the transport and records the outcome."""
        t = mail_outbox
        async with self.engine.begin() as conn:
            claimed = await conn.execute(
                update(t)
                .where(
                    t.c.id == mail_id,
                    t.c.status == PENDING,
                    t.c.next_attempt_at <= now,
                    or_(t.c.claimed_until.is_(None), t.c.claimed_until < now),
                )
                .values(claimed_until=now + self.lease, claimed_by=self.worker)
            )
            if claimed.rowcount != 1:
                return False  # another deliverer has it, or it is done
            row = (
                await conn.execute(
                    select(
                        t.c.message,
                        t.c.recipients,
                        t.c.attempts,
                        t.c.created_at,
                        t.c.message_id,
                        t.c.reference,
                    ).where(t.c.id == mail_id)
                )
            ).one()
        mine = and_(t.c.id == mail_id, t.c.claimed_by == self.worker)
        try:
            await self.transport.deliver(bytes(row.message), recipients=row.recipients.split(","))
            crash_point("mail.delivered")
        except Exception as exc:  # noqa: BLE001 - any transport failure is retried, never lost
            error = _describe(exc)
            attempts = row.attempts + 1
            if now - _utc(row.created_at) >= self.give_up:
                values: dict[str, Any] = {"status": FAILED}
                log.error(
                    "mail %d (%s) given up after %d attempts since %s: %s",
                    mail_id, row.message_id, attempts, _utc(row.created_at).isoformat(), error,
                )  # fmt: skip
            else:
                wait = self.retry_seconds[min(attempts, len(self.retry_seconds)) - 1]
                values = {"next_attempt_at": now + timedelta(seconds=wait)}
                log.warning("mail %d attempt %d failed (%s); next in %gs", mail_id, attempts, error, wait)
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(t)
                    .where(mine)
                    .values(
                        attempts=attempts, last_error=error, claimed_until=None, claimed_by=None, **values
                    )
                )
            if values.get("status") == FAILED:
                await self._tell(mail_id, row, sent=False, at=now)
            return False
        async with self.engine.begin() as conn:
            await conn.execute(
                update(t)
                .where(mine)
                .values(
                    status=SENT,
                    sent_at=now,
                    attempts=row.attempts + 1,
                    last_error=None,
                    claimed_until=None,
                    claimed_by=None,
                )
            )
        log.info("mail %d sent (%s)", mail_id, row.message_id)
        await self._tell(mail_id, row, sent=True, at=now)
        return True

    async def _tell(self, mail_id: int, row: Any, *, sent: bool, at: datetime) -> None:
        """The listeners hear how a referenced mail ended; one that fails is logged, never retried."""
        if not row.reference:
            return
        outcome = DeliveryOutcome(reference=row.reference, message_id=row.message_id, sent=sent, at=at)
        for listener in self._listeners:
            try:
                await listener(outcome)
            except Exception as exc:  # noqa: BLE001 - the mail's own state is recorded already
                log.error(
                    "mail %d (%s): telling %s that it was %s failed: %s",
                    mail_id, row.message_id, row.reference, "sent" if sent else "given up", _describe(exc),
                )  # fmt: skip

    async def seconds_to_next(self, now: datetime | None = None) -> float:
        """How long until a pending message is due (or its claim runs out), at most ``max_wait``."""
        now = now or self.clock()
        t = mail_outbox
        later = case(
            (
                and_(t.c.claimed_until.is_not(None), t.c.claimed_until > t.c.next_attempt_at),
                t.c.claimed_until,
            ),
            else_=t.c.next_attempt_at,
        )
        async with self.engine.connect() as conn:
            due = await conn.scalar(
                select(type_coerce(func.min(later), DateTime(timezone=True))).where(t.c.status == PENDING)
            )
        if due is None:
            return self.max_wait
        # never spin: at least the first retry wait (or a second) between passes
        floor = min(1.0, self.retry_seconds[0])
        return min(self.max_wait, max(floor, (_utc(due) - now).total_seconds()))

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        """Starts the delivery task; it first sends whatever an earlier run left pending."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="mail-outbox")

    async def close(self, *, timeout: float = 5.0) -> None:
        """Stops the delivery task after one last pass over due mail (bounded by ``timeout``)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("mail delivery still busy at shutdown; what is left is sent at the next start")
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            wait = await self._pass()
            if self._stopping:
                break
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
        await self._pass()

    async def _pass(self) -> float:
        """One delivery pass; returns how long to sleep. A database failure is logged and retried."""
        try:
            await self.deliver_due()
            return await self.seconds_to_next()
        except Exception as exc:  # noqa: BLE001 - the task must outlive a database outage
            log.warning("mail delivery pass failed (%s); trying again shortly", _describe(exc))
            return min(self.max_wait, max(1.0, self.retry_seconds[0]))
