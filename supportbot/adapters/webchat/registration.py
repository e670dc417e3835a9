"""Registration from the web chat, and the signed link in the mail that confirms the e-mail address.

A registration is of no use until the link is opened: the password signs nobody in, nobody can ask
for access or be granted any. The caller learns nothing from the answer (one "check your e-mail",
sent before anything is looked up, whatever the customer number and whether the address is taken);
the mail to the address says what happened: which company the account was linked to, that no
customer has the number, or that the address already has an account.
"""

from __future__ import annotations

import html
import json
import logging
import re
import time
from dataclasses import dataclass

from aiohttp import web

from supportbot.adapters.background import Background
from supportbot.adapters.web.security import NO_STORE, json_response, problem
from supportbot.adapters.web.tokens import EXPIRES, SignedTokens
from supportbot.adapters.webchat.context import WebChat, registration_rule, warning_rule
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import LANGUAGES, translate
from supportbot.bot.locks import KeyedLocks
from supportbot.integrations.errors import BackendUnavailable, InvalidRequest, MailUnavailable
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

MAX_REGISTER_BODY = 8 * 1024
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 200
MAX_EMAIL = 254
MAX_CUSTOMER_NUMBER = 32
CONFIRM_TTL = 48 * 3600
"""Seconds a confirmation link works."""
MAX_TOKEN = 2048
"""Characters of the longest token read from a mailed link (a confirmation or a password reset)."""

FIELDS = ("name", "email", "customer_number", "password")

_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True)
class NewAccount:
    name: str
    email: str
    customer_number: str
    password: str


def parse_registration(body: bytes) -> NewAccount | None:
    """The four fields as strings, or ``None`` when the body is not the documented shape."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(name), str) for name in FIELDS):
        return None
    return NewAccount(
        name=" ".join(data["name"].split()),
        email=data["email"].strip().lower(),
        customer_number=data["customer_number"].strip(),
        password=data["password"],
    )


def valid_email(address: str) -> bool:
    match = _EMAIL.fullmatch(address)
    return match is not None and len(address) <= MAX_EMAIL and len(match["local"]) <= 64


def acceptable_password(password: str) -> bool:
    """The rule for a new password, at registration and at a reset alike."""
    return MIN_PASSWORD <= len(password) <= MAX_PASSWORD


def problems(account: NewAccount) -> dict[str, str]:
    """Field name → wording key of what is wrong with it; empty when the form is fine as typed."""
    found: dict[str, str] = {}
    if not account.name or len(account.name) > MAX_NAME:
        found["name"] = "register.name"
    if not valid_email(account.email):
        found["email"] = "register.email"
    if not account.customer_number or len(account.customer_number) > MAX_CUSTOMER_NUMBER:
        found["customer_number"] = "register.customer_number"
    if not acceptable_password(account.password):
        found["password"] = "register.password"  # noqa: S105 (a wording key)
    return found


# --- the signed link ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Confirmation:
    user_id: str
    language: str
    expires: int


class ConfirmationCodec:
    """A signed token (``web.tokens``, a key for this purpose only) of the user id, the language of the
    mail and the expiry, so a link confirms one user, for 48 hours."""

    def __init__(self, secret_key: bytes, *, ttl: int = CONFIRM_TTL) -> None:
        self._tokens = SignedTokens(secret_key, "email-confirmation", max_length=MAX_TOKEN)
        self.ttl = ttl

    def encode(self, user_id: str, language: str, *, now: float | None = None) -> str:
        expires = int(now if now is not None else time.time()) + self.ttl
        return self._tokens.sign({"u": user_id, "l": language, EXPIRES: expires})

    def decode(self, token: str | None, *, now: float | None = None) -> Confirmation | None:
        data = self._tokens.read(token, now=now)
        if data is None:
            return None
        try:
            return Confirmation(user_id=str(data["u"]), language=str(data["l"]), expires=int(data[EXPIRES]))
        except (ValueError, KeyError, TypeError):
            return None


# --- mail and page --------------------------------------------------------------------------------


PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def page(language: str, title: str, text: str, back: str, *, status: int) -> web.Response:
    body = (
        f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="icon" href="/webchat/favicon.svg"><link rel="stylesheet" href="/webchat/demo.css">'
        f'</head><body><main class="wrap"><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>'
        f'<p><a href="/">{html.escape(back)}</a></p></main></body></html>\n'
    )
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={**NO_STORE, "Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY"},
    )


# --- the endpoints --------------------------------------------------------------------------------


class RegistrationApi:
    def __init__(self, chat: WebChat) -> None:
        self.chat = chat
        self.tokens = ConfirmationCodec(chat.app.secret_key)
        self._background = Background("webchat registration")
        self._addresses = KeyedLocks()
        """Registrations of one address are made in the order they came: the first one's password stands."""

    @property
    def _base(self) -> str:
        return self.chat.app.settings.public_url.rstrip("/")

    async def register(self, request: web.Request) -> web.StreamResponse:
        """``POST /webchat/api/register``: one answer, sent before anything is looked up, whatever the
        customer number and the address; what happened is told by mail to the address."""
        body = await self.chat.door.json_body(request, limit=MAX_REGISTER_BODY, key="register.bad_request")
        if isinstance(body, web.Response):
            return body
        account = parse_registration(body)
        if account is None:
            return problem(request, 400, "bad_request", "register.bad_request")
        if not await self.chat.limits.hit(registration_rule(self.chat.door.client_address(request))):
            log.warning("webchat: registration refused, too many from one address")
            return problem(request, 429, "rate_limited", "register.rate_limited")
        language = pick_language(accept_language(request.headers.get("Accept-Language")))
        fields = problems(account)  # the form as typed only: it tells nothing about anyone
        if fields:
            return json_response(
                {
                    "error": "invalid",
                    "message": translate("webchat.register.invalid", language),
                    "fields": {
                        name: translate(f"webchat.{key}", language, min=MIN_PASSWORD)
                        for name, key in fields.items()
                    },
                },
                status=400,
            )
        # Nobody is signed in and no cookie is set: the account is of no use before its address is
        # confirmed, and a session would show which company the number belongs to.
        response = json_response(
            {"status": "check_email", "message": translate("webchat.register.check_email", language)}
        )
        await response.prepare(request)
        await response.write_eof()
        self._background.later(self._register(account, language))
        return response

    async def settled(self) -> None:
        """Waits for the registrations being made in the background (at shutdown, and in tests)."""
        await self._background.settled()

    async def _register(self, account: NewAccount, language: str) -> None:
        """After the answer: the account, if the number is a customer's and the address is free, and a
        mail to the address saying which of those it was."""
        async with self._addresses.hold(account.email.casefold()):
            await self._register_now(account, language)

    async def _register_now(self, account: NewAccount, language: str) -> None:
        directory = self.chat.app.backends.directory
        try:
            try:
                principal = await directory.register_user(
                    user_id=account.email,
                    name=account.name,
                    customer_number=account.customer_number,
                    password=account.password,
                )
            except InvalidRequest:  # no customer has that number
                await self._mail_unknown_number(account.email, language)
                return
            if principal is not None:
                log.info("webchat: %s registered", principal.user_id)
                await self._mail_confirmation(principal, language)
                return
            existing = await directory.principal_for(account.email)
        except Exception as exc:
            log.warning("webchat: registration not completed: %s", type(exc).__name__)
            return
        if existing is not None and existing.verification is None:
            # Registered before and not confirmed yet (the link may have expired): a new link, for the
            # account as it is. Its password stays the first one: a second registration changes nothing.
            if await self._may_warn(account.email):
                await self._mail_confirmation(existing, language)
            return
        if await self._may_warn(account.email):
            text = translate(
                "webchat.mail.taken.body",
                language,
                email=account.email,
                support=self.chat.app.settings.support_email,
            )
            await self._send(account.email, translate("webchat.mail.taken.subject", language), text, language)

    async def _mail_confirmation(self, principal: Principal, language: str) -> None:
        """The link, and which company the account is linked to: only the address's owner learns it."""
        assert principal.user_id is not None
        link = f"{self._base}/webchat/confirm?token={self.tokens.encode(principal.user_id, language)}"
        text = translate(
            "webchat.mail.confirm.body",
            language,
            name=principal.name,
            email=principal.user_id,
            company=principal.company_name or "",
            customer_number=", ".join(principal.customer_numbers),
            link=link,
            support=self.chat.app.settings.support_email,
        )
        await self._send(
            principal.user_id, translate("webchat.mail.confirm.subject", language), text, language
        )

    async def _mail_unknown_number(self, email: str, language: str) -> None:
        if not await self._may_warn(email):
            return
        text = translate(
            "webchat.mail.unknown_number.body",
            language,
            email=email,
            support=self.chat.app.settings.support_email,
        )
        await self._send(email, translate("webchat.mail.unknown_number.subject", language), text, language)

    async def _may_warn(self, email: str) -> bool:
        """A few mails a day to one address about registrations it did not lead to: anyone can type it."""
        if await self.chat.limits.hit(warning_rule(email)):
            return True
        log.info("webchat: no more registration mails to one address today")
        return False

    async def _send(self, to: str, subject: str, text: str, language: str) -> None:
        """Plain text and, rendered from it by the mail layer, HTML with its links, in ``language``."""
        try:
            await self.chat.app.mailer.send(to=to, subject=subject, text=text, language=language)
        except MailUnavailable as exc:
            # The answer stays the same: it must not tell a taken address from a new one.
            log.warning("webchat: registration mail not sent: %s", exc)

    async def confirm(self, request: web.Request) -> web.Response:
        """Opening the mailed link; anything wrong with it gets one polite page, without detail."""
        claim = self.tokens.decode(request.query.get("token"))
        language = pick_language(
            claim.language if claim else None, accept_language(request.headers.get("Accept-Language"))
        )
        if claim is None or claim.language not in LANGUAGES:
            return self._failed(language)
        visitor = await self.chat.visitor(request)
        if visitor.user_id not in (None, claim.user_id):
            log.info("webchat: a confirmation link opened by another signed-in user")
            return self._failed(language)
        try:
            confirmed = await self.chat.app.backends.directory.confirm_email(claim.user_id)
        except BackendUnavailable:
            log.warning("webchat: directory unavailable at e-mail confirmation")
            return self._page(language, "confirm.failed.title", "confirm.unavailable", status=503)
        if not confirmed:
            return self._failed(language)
        self.chat.app.pipeline.forget_principal(claim.user_id)
        log.info("webchat: %s confirmed their e-mail address", claim.user_id)
        return self._page(language, "confirm.title", "confirm.done", status=200)

    def _failed(self, language: str) -> web.Response:
        return self._page(language, "confirm.failed.title", "confirm.failed", status=400)

    def _page(self, language: str, title: str, text: str, *, status: int) -> web.Response:
        return page(
            language,
            translate(f"webchat.{title}", language),
            translate(f"webchat.{text}", language),
            translate("webchat.confirm.back", language),
            status=status,
        )
