"""Outgoing mail: SMTP (aiosmtplib) when configured, otherwise .eml files in an outbox folder.

These are the transports; the application sends through ``outbox.QueuedMailer``, which keeps each
mail in the database and hands it to a transport's ``deliver`` (retried until it is accepted).

Every mail is ``multipart/alternative``: the plain text, and an HTML part in the mail's language that
``mail_html`` renders from that text unless the caller brings its own; attachments go beside them
(``multipart/mixed``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiosmtplib

from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.mail_html import mail_language, render_mail_html
from supportbot.integrations.private import private_folder, write_private

log = logging.getLogger(__name__)


_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]")


def one_line(text: str) -> str:
    """Text for a one-line field (a mail subject, a request's subject): line breaks and other control
    characters become single spaces, so typed or pasted text can never start a new mail header."""
    text = unicodedata.normalize("NFC", text)
    cleaned = "".join(
        " " if _BREAKS.match(ch) or unicodedata.category(ch) in {"Cc", "Cs", "Co"} else ch for ch in text
    )
    return " ".join(cleaned.split())


def _address_header(value: str, name: str) -> str:
    """An address header must say what it says: one that would span lines is refused, never folded."""
    if _BREAKS.search(value) or any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError(f"the {name} address has a line break or a control character")
    return value


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    language: str | None = None,
) -> EmailMessage:
    """The finished message; without ``html`` its HTML part is rendered from ``text`` in ``language``.

    Every header is built safely, whoever typed its text: the subject is made one line (``one_line``),
    an address with a line break is refused with ``ValueError``.
    """
    lang = mail_language(language)
    subject = one_line(subject)
    msg = EmailMessage()
    msg["From"] = _address_header(sender, "sender")
    msg["To"] = _address_header(to, "recipient")
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    msg.set_content(text)
    msg.add_alternative(html or render_mail_html(text, language=lang, title=subject), subtype="html")
    for name, content_type, data in attachments:
        maintype, _, subtype = content_type.split(";")[0].partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
    msg["Content-Language"] = lang  # last: making the message multipart moves Content-* headers inward
    return msg


def recipients_of(to: str) -> list[str]:
    """The envelope recipients of a ``To`` value ("Name <a@x>, b@y" -> ["a@x", "b@y"])."""
    return [address for _, address in getaddresses([to]) if address]


class _Transport:
    """A way to deliver finished messages; ``send`` builds one and delivers it at once."""

    sender: str

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
        """Delivers at once: its outcome is its return (``reference`` is for a queue's listeners)."""
        msg = build_message(
            sender=self.sender,
            to=to,
            subject=subject,
            text=text,
            html=html,
            attachments=attachments,
            language=language,
        )
        await self.deliver(msg.as_bytes(), recipients=recipients_of(to))

    async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
        raise NotImplementedError


class OutboxMailer(_Transport):
    """The embedded default: every mail becomes an .eml file an operator can open."""

    def __init__(self, folder: Path, *, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
        """Writes one finished message (RFC 5322 bytes) as an .eml file, atomically."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"

        def write() -> None:
            private_folder(self.folder)
            write_private(path, raw)  # 0600: a mail may carry a live sign-in or reset link

        await asyncio.to_thread(write)
        log.info("mail to the outbox: %s", path.name)


class SmtpMailer(_Transport):
    def __init__(self, url: str, *, sender: str, timeout: float = 20.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("the SMTP URL must look like smtp://user:password@host:port")
        self.hostname = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.use_tls = parts.scheme == "smtps"
        self.sender = sender
        self.timeout = timeout

    async def deliver(self, raw: bytes, *, recipients: Sequence[str]) -> None:
        """Sends one finished message (RFC 5322 bytes); ``MailUnavailable`` names no secret."""
        # parsed again so aiosmtplib negotiates BODY=8BITMIME (or flattens to 7 bit) as for any message
        msg = message_from_bytes(raw, policy=policy.default)
        try:
            await aiosmtplib.send(
                msg,
                sender=parseaddr(self.sender)[1] or self.sender,
                recipients=list(recipients),
                hostname=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=False if self.use_tls else None,
                timeout=self.timeout,
            )
        except (OSError, aiosmtplib.SMTPException) as exc:
            raise MailUnavailable(
                f"mail to {self.hostname}:{self.port} failed: {type(exc).__name__}"
            ) from exc
