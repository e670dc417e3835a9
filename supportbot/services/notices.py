"""Contract notices: before a contract ends, and while a version of it waits for the customer, every user of
that company with the contracts grant is told once, in every channel they use and by mail.

A pass (``ContractNotices.run_once``, run by ``serve`` on an interval and by ``supportbot notices
--run-once``) asks the directory who holds the contracts grant and reads each user's contracts with
that user's own principal, so a notice says nothing the user could not ask for in chat. For each
contract it decides at most:

- one expiry notice, for the most pressing threshold crossed (``60,30,7`` days by default): a contract
  ending in 25 days gets the 30-day notice, not the 60-day one as well, and a later pass 7 days before
  its end the 7-day one; an expired or terminated contract gets none;
- one notice per version waiting for the customer's approval or signature.

Each notice is claimed in the store (``store.notices``) before it is sent, under
``<kind>:<contract>:<threshold or version>:<user>``: of several workers and passes exactly one sends it.
The claimant puts it in the user's inbox (shown live in an open web chat, or at the next visit, and
sent as a Slack DM or a Teams message) once, by the same key, then queues its mail in the transaction
that marks it mailed. A pass that died between claiming and finishing is finished by a later pass
once the claim's lease has run out: nothing is sent twice, and nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote_plus

from supportbot.bot.i18n import Entry, Formatter, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.store import AlreadyDone, NoticeRows
from supportbot.integrations.actions import Mail, MailQueue
from supportbot.integrations.errors import BackendError, MailUnavailable
from supportbot.integrations.models import Contract, ContractStatus, ContractVersion, Principal, Tool
from supportbot.integrations.protocols import ContractsBackend, DirectoryBackend
from supportbot.services.customers import language_of, local_formatter

log = logging.getLogger(__name__)

DEFAULT_DAYS: tuple[int, ...] = (60, 30, 7)
DEFAULT_LEASE = timedelta(minutes=10)
"""How long a claimed notice may stay unfinished before another pass finishes it: far longer than a pass
takes to send one."""

EXPIRY = "contract.expiry"
APPROVAL = "contract.approval"
SIGNATURE = "contract.signature"
_KEY_LENGTH = 255

# --- words: what users are told of their contracts ---------------------------------------------------------

WORDS: dict[str, Entry] = {
    "contract.notice.expiry": {
        "plural": "days",
        "en": {
            "one": "Contract {number} ({title}) ends tomorrow, on {ends_on}.",
            "other": "Contract {number} ({title}) ends in {days} days, on {ends_on}.",
        },
        "sv": {
            "one": "Avtal {number} ({title}) löper ut i morgon, den {ends_on}.",
            "other": "Avtal {number} ({title}) löper ut om {days} dagar, den {ends_on}.",
        },
    },
    "contract.notice.expiry.today": {
        "en": "Contract {number} ({title}) ends today, {ends_on}.",
        "sv": "Avtal {number} ({title}) löper ut i dag, {ends_on}.",
    },
    "contract.notice.renews": {
        "plural": "months",
        "en": {
            "one": "It renews automatically for {months} month unless it is cancelled by {notice_on}.",
            "other": "It renews automatically for {months} months unless it is cancelled by {notice_on}.",
        },
        "sv": {
            "one": "Det förnyas automatiskt med {months} månad om det inte sägs upp senast {notice_on}.",
            "other": "Det förnyas automatiskt med {months} månader om det inte sägs upp senast {notice_on}.",
        },
    },
    "contract.notice.renews.any": {
        "en": "It renews automatically unless it is cancelled by {notice_on}.",
        "sv": "Det förnyas automatiskt om det inte sägs upp senast {notice_on}.",
    },
    "contract.notice.renews.late": {
        "en": "It renews automatically: the last day to cancel it was {notice_on}.",
        "sv": "Det förnyas automatiskt: sista dagen att säga upp det var {notice_on}.",
    },
    "contract.notice.manual": {
        "en": "It is not renewed automatically: if you want to keep it, ask us to renew it before it ends.",
        "sv": "Det förnyas inte automatiskt: vill ni behålla det, be oss förnya det innan det löper ut.",
    },
    "contract.notice.no_renewal": {
        "en": "It will not be renewed.",
        "sv": "Det kommer inte att förnyas.",
    },
    "contract.notice.signature": {
        "en": "Version {version} of contract {number} ({title}) is waiting for your signature: {summary}",
        "sv": "Version {version} av avtal {number} ({title}) väntar på er underskrift: {summary}",
    },
    "contract.notice.approval": {
        "en": "Version {version} of contract {number} ({title}) is waiting for your approval: {summary}",
        "sv": "Version {version} av avtal {number} ({title}) väntar på ert godkännande: {summary}",
    },
    "contract.notice.value": {
        "en": "Annual value: {value}.",
        "sv": "Årligt värde: {value}.",
    },
    "contract.notice.button.show": {"en": "Show contract {number}", "sv": "Visa avtal {number}"},
    "contract.notice.button.show.value": {"en": "show contract {number}", "sv": "visa avtal {number}"},
    "contract.notice.button.sign": {"en": "Sign contract {number}", "sv": "Signera avtal {number}"},
    "contract.notice.button.sign.value": {"en": "sign contract {number}", "sv": "signera avtal {number}"},
    "contract.notice.button.approve": {"en": "Approve contract {number}", "sv": "Godkänn avtal {number}"},
    "contract.notice.button.approve.value": {
        "en": "approve contract {number}",
        "sv": "godkänn avtal {number}",
    },
    "contract.mail.expiry.subject": {
        "en": "Contract {number} ends on {ends_on}",
        "sv": "Avtal {number} löper ut den {ends_on}",
    },
    "contract.mail.signature.subject": {
        "en": "Contract {number}: version {version} is waiting for your signature",
        "sv": "Avtal {number}: version {version} väntar på er underskrift",
    },
    "contract.mail.approval.subject": {
        "en": "Contract {number}: version {version} is waiting for your approval",
        "sv": "Avtal {number}: version {version} väntar på ert godkännande",
    },
    "contract.mail.body": {
        "en": "Hello {name},\n\n{notice}\n\nTo {action}, write \u201c{command}\u201d to the support assistant "
        "in the chat you use, or open this link: {link}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\n{notice}\n\nFör att {action}, skriv \u201d{command}\u201d till supportassistenten "
        "i den chatt ni använder, eller öppna den här länken: {link}\n\nVänliga hälsningar\nKundsupport",
    },
    "contract.mail.action.show": {"en": "see the contract", "sv": "se avtalet"},
    "contract.mail.action.sign": {"en": "sign it", "sv": "signera det"},
    "contract.mail.action.approve": {"en": "approve it", "sv": "godkänna det"},
}
words(WORDS)


# --- what a pass decides ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    """Why a user is told about a contract: ``kind`` (``EXPIRY``, ``APPROVAL``, ``SIGNATURE``) and the
    threshold in days (an expiry) or the version waiting (an approval, a signature)."""

    kind: str
    contract: Contract
    mark: int
    version: ContractVersion | None = None


def expiry_threshold(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The most pressing threshold crossed ``days_left`` before the end: 25 days with (60, 30, 7) is
    30; ``None`` while none is crossed."""
    crossed = [t for t in thresholds if 0 <= days_left <= t]
    return min(crossed) if crossed else None


def occasions(contract: Contract, today: date, thresholds: Sequence[int]) -> list[Occasion]:
    """What to tell about ``contract`` on ``today`` (the user's day): nothing once it ended."""
    if contract.status in (ContractStatus.EXPIRED, ContractStatus.TERMINATED) or contract.ends_on < today:
        return []
    found: list[Occasion] = []
    if contract.status is ContractStatus.ACTIVE:
        threshold = expiry_threshold((contract.ends_on - today).days, thresholds)
        if threshold is not None:
            found.append(Occasion(EXPIRY, contract, threshold))
    for version in contract.versions:
        if version.awaiting == "approval":
            found.append(Occasion(APPROVAL, contract, version.version, version))
        elif version.awaiting == "signature":
            found.append(Occasion(SIGNATURE, contract, version.version, version))
    return found


def notice_key(occasion: Occasion, user_id: str) -> str:
    """``contract.expiry:C-1001:30:anna@…``; a user id too long for the column is named by its hash."""
    key = f"{occasion.kind}:{occasion.contract.number}:{occasion.mark}:{user_id}"
    if len(key) <= _KEY_LENGTH:
        return key
    digest = hashlib.sha256(user_id.encode()).hexdigest()
    return f"{occasion.kind}:{occasion.contract.number}:{occasion.mark}:{digest}"


@dataclass(frozen=True)
class Notice:
    """One notice for one user, in their language: the chat notice and its mail."""

    key: str
    kind: str
    user_id: str
    reply: Reply
    mail: Mail | None


def compose(occasion: Occasion, user: Principal, *, today: date, public_url: str) -> Notice:
    """The notice of ``occasion`` for ``user``: their language, their dates and amounts, a button to act."""
    assert user.user_id is not None
    language = language_of(user)
    fmt = local_formatter(language, user.country)
    contract = occasion.contract
    params: dict[str, Any] = {
        "number": contract.number,
        "title": contract.title,
        "ends_on": fmt.date(contract.ends_on),
    }
    if occasion.kind == EXPIRY:
        headline = _expiry_sentence(contract, today, fmt, params)
        act, subject, intent = "show", fmt.t("contract.mail.expiry.subject", **params), "contract.status"
    else:
        version = occasion.version
        assert version is not None
        what = "signature" if occasion.kind == SIGNATURE else "approval"
        params |= {"version": version.version, "summary": version.summary}
        headline = fmt.t(f"contract.notice.{what}", **params)
        act = "sign" if occasion.kind == SIGNATURE else "approve"
        subject, intent = fmt.t(f"contract.mail.{what}.subject", **params), f"contract.{act}"
    text = f"{headline}\n\n{fmt.t('contract.notice.value', value=fmt.money(contract.annual_value))}"
    command = fmt.t(f"contract.notice.button.{act}.value", number=contract.number)
    buttons = [Button(label=fmt.t(f"contract.notice.button.{act}", number=contract.number), value=command)]
    if act != "show":
        buttons.append(
            Button(
                label=fmt.t("contract.notice.button.show", number=contract.number),
                value=fmt.t("contract.notice.button.show.value", number=contract.number),
            )
        )
    reply = Reply(text=text, buttons=tuple(buttons), language=language, intent=intent)
    mail = None
    if user.email:
        body = fmt.t(
            "contract.mail.body",
            name=user.name or user.email,
            notice=text,
            action=fmt.t(f"contract.mail.action.{act}"),
            command=command,
            link=_ask_link(public_url, command),
        )
        mail = Mail(to=user.email, subject=subject, text=body, language=language)
    return Notice(notice_key(occasion, user.user_id), occasion.kind, user.user_id, reply, mail)


def _expiry_sentence(contract: Contract, today: date, fmt: Formatter, params: dict[str, Any]) -> str:
    days = (contract.ends_on - today).days
    ends = (
        fmt.t("contract.notice.expiry.today", **params)
        if days == 0
        else fmt.t("contract.notice.expiry", days=days, **params)
    )
    notice_on = contract.ends_on - timedelta(days=contract.notice_days)
    if contract.renewal == "automatic":
        if notice_on < today:
            renewal = fmt.t("contract.notice.renews.late", notice_on=fmt.date(notice_on))
        elif contract.renewal_months:
            renewal = fmt.t(
                "contract.notice.renews", months=contract.renewal_months, notice_on=fmt.date(notice_on)
            )
        else:
            renewal = fmt.t("contract.notice.renews.any", notice_on=fmt.date(notice_on))
    elif contract.renewal == "none":
        renewal = fmt.t("contract.notice.no_renewal")
    else:
        renewal = fmt.t("contract.notice.manual")
    return f"{ends} {renewal}"


def _ask_link(public_url: str, command: str) -> str:
    """A link the web chat opens with ``command`` ready to send, as a request's tracking link is."""
    return f"{public_url.rstrip('/')}/?ask={quote_plus(command)}"


# --- the pass --------------------------------------------------------------------------------------------


class NoticeDelivery(Protocol):
    """Puts a notice in a user's inbox and chat channels, once per key (``bot.notify.Notifier``)."""

    async def notify_once(self, user_id: str, reply: Reply, *, key: str) -> bool: ...


@dataclass(frozen=True)
class NoticePass:
    """What one pass did: notices told (in chat), mails queued, users whose contracts could not be read."""

    sent: int = 0
    mailed: int = 0
    failed: int = 0


class ContractNotices:
    """Decides and sends the contract notices; one ``run_once`` is one pass over every user."""

    def __init__(
        self,
        *,
        directory: DirectoryBackend,
        contracts: ContractsBackend,
        notices: NoticeDelivery,
        claims: NoticeRows,
        mail: MailQueue,
        public_url: str,
        days: Sequence[int] = DEFAULT_DAYS,
        lease: timedelta = DEFAULT_LEASE,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.directory = directory
        self.contracts = contracts
        self.notices = notices
        self.claims = claims
        self.mail = mail
        self.public_url = public_url
        self.days = tuple(sorted(set(days), reverse=True))
        self.lease = lease
        self.clock = clock or (lambda: datetime.now(UTC))
        self.worker = uuid.uuid4().hex
        """Names this process's claims."""

    async def run_once(self) -> NoticePass:
        """One pass: every notice due now that no one sent yet is sent. A user whose contracts cannot be
        read is logged and left to the next pass; the others are told all the same."""
        now = self.clock()
        sent = mailed = failed = 0
        for user_id in await self.directory.users_with_grant(Tool.CONTRACTS):
            try:
                user = await self.directory.principal_for(user_id)
                if user is None or user.user_id is None or user.verification is None:
                    continue  # gone, or an address not confirmed yet: nothing is said to it
                if not user.may(Tool.CONTRACTS):
                    continue
                today = user.today(now)
                for contract in await self.contracts.list_contracts(user):
                    for occasion in occasions(contract, today, self.days):
                        notice = compose(occasion, user, today=today, public_url=self.public_url)
                        told, queued = await self._send(notice, now)
                        sent += told
                        mailed += queued
            except BackendError as exc:
                failed += 1
                log.warning(
                    "contract notices for %s: left for the next pass (%s)", user_id, type(exc).__name__
                )
        if sent or mailed or failed:
            log.info(
                "contract notices: %d told, %d mailed, %d users left for the next pass", sent, mailed, failed
            )
        return NoticePass(sent=sent, mailed=mailed, failed=failed)

    async def _send(self, notice: Notice, now: datetime) -> tuple[int, int]:
        """Claims, tells and mails one notice; ``(0, 0)`` when another worker or pass has it."""
        try:
            claim = await self.claims.claim(
                notice.key, user_id=notice.user_id, kind=notice.kind, at=now, by=self.worker
            )
        except AlreadyDone:
            taken = await self.claims.take_over(
                notice.key, at=now, by=self.worker, stale_before=now - self.lease
            )
            if taken is None:
                return 0, 0
            log.info("contract notice %s: finishing what an earlier pass left", notice.kind)
            claim = taken
        told = mailed = 0
        if claim.delivered_at is None:
            told = int(await self.notices.notify_once(notice.user_id, notice.reply, key=notice.key))
            await self.claims.delivered(notice.key, at=self.clock())
        if claim.mailed_at is None:
            mailed = await self._mail(notice)
        return told, mailed

    async def _mail(self, notice: Notice) -> int:
        """Queues the notice's mail in the transaction that marks it mailed: once, whoever marks it."""
        mail = notice.mail
        at = self.clock()
        if mail is None:
            await self.claims.mailed(notice.key, at=at, queue=None)
            return 0

        async def queue(conn: Any) -> Sequence[int]:
            return await self.mail.queue_in(conn, [mail])

        try:
            ids = await self.claims.mailed(notice.key, at=at, queue=queue)
        except MailUnavailable:
            # The mail cannot be built (an address no mail server would take): it never will be.
            log.warning("contract notice %s: its mail cannot be built; told in chat only", notice.kind)
            await self.claims.mailed(notice.key, at=at, queue=None)
            return 0
        if ids:
            await self.mail.queued(ids)
        return len(ids)
