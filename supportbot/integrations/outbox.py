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

With ``immediate`` (a local transport), ``send`` returns once its mail's first attempt is over, also
when the delivery task found the mail first and was sending it: the attempt waits for the one under
way, so the .eml file is there when the chat answers, and the mail is sent once.

An action's own mail (a request's confirmation) is queued with ``queue_in`` on the back end's
connection, inside the transaction of the action's write, so both are committed or neither is;
``queued`` then starts its delivery. ``send`` is for mail that stands alone.

A mail may carry a ``reference`` (say ``invoice.forward:42``): when it is accepted, or given up on,
every listener added with ``on_outcome`` hears so, on whichever worker delivered it, so what the
mail was for (an invoice's forward record) can say whether it arrived. A listener that fails is
logged; the mail's own state is already recorded by then.

Logs and ``last_error`` name the message by its row id and Message-ID only: never the body, never
the transport's credentials. The table and its queries are ``integrations.sql.outbox.MailOutbox``.
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

from supportbot.faults import crash_point
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.mail import build_message, recipients_of
from supportbot.integrations.sql.outbox import ClaimedMail, MailOutbox, OutboxMail

log = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS: tuple[float, ...] = (30, 120, 600, 3600)
"""Waits after the 1st, 2nd, 3rd, 4th failed attempt; the last one repeats."""
DEFAULT_GIVE_UP = timedelta(hours=48)


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
        outbox: MailOutbox,
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
        self.outbox = outbox
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
        self._attempting: dict[int, asyncio.Event] = {}
        """The mails this deliverer is sending right now, each set once its attempt is over."""

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
        await self.queued([await self.outbox.add(self._row(mail, html=html))])

    def _row(self, mail: Mail, *, html: str | None = None) -> OutboxMail:
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
        return OutboxMail(
            message_id=str(msg["Message-ID"] or "")[:255],
            recipients=",".join(recipients),
            message=msg.as_bytes(),
            at=self.clock(),
            reference=mail.reference[:255] if mail.reference else None,
        )

    async def queue_in(self, conn: Any, mails: Sequence[Mail]) -> list[int]:
        """Queues the mail of an action in the caller's transaction (``conn``, on this database), so it
        is committed, or rolled back, with the action's own write; ``queued`` after the commit."""
        return await self.outbox.add_in(conn, [self._row(mail) for mail in mails])

    async def queued(self, ids: Sequence[int]) -> None:
        """Committed mail is there to deliver: at once for a local transport, else by the task."""
        for mail_id in ids:
            log.info("mail %d queued", mail_id)
            if self.immediate:
                try:
                    await self._attempt(mail_id, self.clock())
                except Exception as exc:
                    log.warning(
                        "mail %d: first delivery not recorded (%s); retried later", mail_id, _describe(exc)
                    )
        self._wake.set()

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver_due(self, now: datetime | None = None, *, limit: int = 100) -> int:
        """Sends every message due at ``now`` that no other deliverer holds; returns how many were sent."""
        now = now or self.clock()
        ids = await self.outbox.due(now, limit=limit)
        sent = 0
        for mail_id in ids:
            if await self._attempt(mail_id, now):
                sent += 1
        return sent

    async def _attempt(self, mail_id: int, now: datetime) -> bool:
        """Claims one message, hands it to the transport and records the outcome.

        An attempt this deliverer already has under way for the same message is waited for first:
        ``send``'s first attempt finds its mail claimed when the delivery pass listed it between its
        commit and that attempt, and must not return before the pass has sent it (a mail that
        arrived "after" the answer). The claim that follows finds it sent, or due again, or free."""
        while (running := self._attempting.get(mail_id)) is not None:
            await running.wait()
        done = self._attempting[mail_id] = asyncio.Event()
        try:
            return await self._claimed_attempt(mail_id, now)
        finally:
            del self._attempting[mail_id]
            done.set()

    async def _claimed_attempt(self, mail_id: int, now: datetime) -> bool:
        row = await self.outbox.claim(mail_id, now, until=now + self.lease, worker=self.worker)
        if row is None:
            return False  # another deliverer has it, or it is done
        try:
            await self.transport.deliver(row.message, recipients=row.recipients.split(","))
            crash_point("mail.delivered")
        except Exception as exc:
            await self._failed(mail_id, row, _describe(exc), now)
            return False
        await self.outbox.sent(mail_id, self.worker, attempts=row.attempts + 1, at=now)
        log.info("mail %d sent (%s)", mail_id, row.message_id)
        await self._tell(mail_id, row, sent=True, at=now)
        return True

    async def _failed(self, mail_id: int, row: ClaimedMail, error: str, now: datetime) -> None:
        """A failed attempt: retried after the schedule's wait, or given up on once the mail is too old."""
        attempts = row.attempts + 1
        if now - row.created_at >= self.give_up:
            log.error(
                "mail %d (%s) given up after %d attempts since %s: %s",
                mail_id, row.message_id, attempts, row.created_at.isoformat(), error,
            )  # fmt: skip
            await self.outbox.give_up(mail_id, self.worker, attempts=attempts, error=error)
            await self._tell(mail_id, row, sent=False, at=now)
            return
        wait = self.retry_seconds[min(attempts, len(self.retry_seconds)) - 1]
        log.warning("mail %d attempt %d failed (%s); next in %gs", mail_id, attempts, error, wait)
        await self.outbox.retry_at(
            mail_id, self.worker, attempts=attempts, error=error, at=now + timedelta(seconds=wait)
        )

    async def _tell(self, mail_id: int, row: ClaimedMail, *, sent: bool, at: datetime) -> None:
        """The listeners hear how a referenced mail ended; one that fails is logged, never retried."""
        if not row.reference:
            return
        outcome = DeliveryOutcome(reference=row.reference, message_id=row.message_id, sent=sent, at=at)
        for listener in self._listeners:
            try:
                await listener(outcome)
            except Exception as exc:
                log.error(
                    "mail %d (%s): telling %s that it was %s failed: %s",
                    mail_id, row.message_id, row.reference, "sent" if sent else "given up", _describe(exc),
                )  # fmt: skip

    async def seconds_to_next(self, now: datetime | None = None) -> float:
        """How long until a pending message is due (or its claim runs out), at most ``max_wait``."""
        now = now or self.clock()
        due = await self.outbox.next_due()
        if due is None:
            return self.max_wait
        # never spin: at least the first retry wait (or a second) between passes
        floor = min(1.0, self.retry_seconds[0])
        return min(self.max_wait, max(floor, (due - now).total_seconds()))

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
        except Exception as exc:
            log.warning("mail delivery pass failed (%s); trying again shortly", _describe(exc))
            return min(self.max_wait, max(1.0, self.retry_seconds[0]))
