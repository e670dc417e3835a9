"""Password reset from the web chat: "Forgot your password?" mails a signed link to a page on this
server where the user chooses a new password.

Asking never tells whether an address has an account: the answer is the same, and it is sent before
anything is looked up; the look-up and the mail happen after it. The link names the user, expires
after 30 minutes and carries a keyed fingerprint of the password hash it was made under, so it works
once: a new password changes the hash, and with it every link and every web session made under the
old one stops working. A link that is expired, tampered with or used gets one polite answer, without
saying which.

The token travels in the link's fragment (``/webchat/reset?lang=en#token=...``), which browsers never
send: it appears in no request line, so in no access log of this server or of a proxy in front of it.
The page's own script (``reset.js``, no inline script) takes it from there, removes it from the
address bar and history, checks it, and puts it in the form, which posts it in its body.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aiohttp import web

from supportbot.adapters.background import Background
from supportbot.adapters.web.security import NO_STORE, problem
from supportbot.adapters.web.tokens import EXPIRES, SignedTokens, purpose_key
from supportbot.adapters.webchat.context import (
    WebChat,
    reset_attempt_rule,
    reset_mail_rule,
    reset_request_rule,
)
from supportbot.adapters.webchat.registration import (
    MAX_PASSWORD,
    MAX_TOKEN,
    MIN_PASSWORD,
    acceptable_password,
    valid_email,
)
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import LANGUAGES, translate
from supportbot.integrations.errors import BackendUnavailable, MailUnavailable

log = logging.getLogger(__name__)

RESET_TTL = 30 * 60
"""Seconds a reset link works."""
MAX_REQUEST_BODY = 8 * 1024
MAX_FORM_BODY = 8 * 1024
MAX_EMAIL_CHARS = 1024
"""Before trimming; the address itself is then checked like one at registration."""


def parse_reset_request(body: bytes) -> str | None:
    """The e-mail address (trimmed, lower-cased) of ``{"email": "..."}``; ``None`` for any other shape."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str) or not email.strip() or len(email) > MAX_EMAIL_CHARS:
        return None
    return email.strip().lower()


# --- the signed link ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResetClaim:
    user_id: str
    language: str
    expires: int
    credentials: str
    """The fingerprint of the password hash the link was made under."""


class ResetCodec:
    """A signed token (``web.tokens``, a key for this purpose only) of the user id,
    the mail's language, the expiry and a fingerprint of the user's password hash at the time."""

    def __init__(self, secret_key: bytes, *, ttl: int = RESET_TTL) -> None:
        self._tokens = SignedTokens(secret_key, "password-reset", max_length=MAX_TOKEN)
        self._fingerprint_key = purpose_key(secret_key, "password-reset-hash")
        self.ttl = ttl

    def fingerprint(self, stamp: str) -> str:
        """What a link carries of the password's stamp (``DirectoryBackend.credential_stamp``)."""
        return hmac.new(self._fingerprint_key, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    def encode(self, user_id: str, language: str, stamp: str, *, now: float | None = None) -> str:
        expires = int(now if now is not None else time.time()) + self.ttl
        return self._tokens.sign(
            {"u": user_id, "l": language, EXPIRES: expires, "f": self.fingerprint(stamp)}
        )

    def decode(self, token: str | None, *, now: float | None = None) -> ResetClaim | None:
        """The claim of a genuine, unexpired token; whether it is still unused is for ``current`` to say."""
        data = self._tokens.read(token, now=now)
        if data is None:
            return None
        try:
            return ResetClaim(
                user_id=str(data["u"]),
                language=str(data["l"]),
                expires=int(data[EXPIRES]),
                credentials=str(data["f"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def current(self, claim: ResetClaim, stamp: str | None) -> bool:
        """Whether the link was made under the password the user has now (so it has not been used)."""
        return stamp is not None and hmac.compare_digest(self.fingerprint(stamp), claim.credentials)


# --- the pages ------------------------------------------------------------------------------------


PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The page's own files only: its script is ``/webchat/reset.js``; nothing inline."""

RESET_PATH = "/webchat/reset"


def reset_link(base_url: str, token: str, language: str) -> str:
    """The link in the mail; the token in the fragment, which no request ever carries."""
    return f"{base_url.rstrip('/')}{RESET_PATH}?lang={language}#token={token}"


def _html_page(language: str, title: str, main: str, *, status: int) -> web.Response:
    body = (
        f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="icon" href="/webchat/favicon.svg"><link rel="stylesheet" href="/webchat/demo.css">'
        f'</head><body><main class="wrap page">{main}'
        f'<p><a href="/">{html.escape(translate("webchat.confirm.back", language))}</a></p></main></body></html>\n'
    )
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={
            **NO_STORE,
            "Content-Security-Policy": PAGE_POLICY,
            "X-Frame-Options": "DENY",
            # Not ``no-referrer``: under it a browser sends ``Origin: null`` with the form, which the
            # same-origin check must refuse. The address carries no secret (the token is in the fragment,
            # which no referrer ever includes), and this policy sends it to this site only.
            "Referrer-Policy": "same-origin",
        },
    )


def message_page(language: str, title: str, text: str, *, status: int) -> web.Response:
    return _html_page(
        language, title, f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>", status=status
    )


def form_page(
    language: str,
    *,
    minutes: int,
    token: str | None = None,
    user_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    """The new password, twice.

    Opened from the mail (no ``token``), the form waits hidden until the page's script has taken the
    token from the fragment and the server has found it good; otherwise the script shows the failure
    beside it. Sent back with a reason (``errors``: field → what is wrong), it shows at once, with the
    token in it and each reason beside its field.
    """
    errors = errors or {}
    e = html.escape

    def field(name: str, label: str, *, hint: str | None = None) -> str:
        described = " ".join(
            part
            for part in (f"{name}-hint" if hint else "", f"{name}-error" if name in errors else "")
            if part
        )
        attributes = (
            f'id="{name}" name="{name}" type="password" autocomplete="new-password" '
            f'maxlength="{MAX_PASSWORD}"'
            + (f' aria-describedby="{described}"' if described else "")
            + (' aria-invalid="true" autofocus' if name in errors else "")
        )
        return (
            f'<label for="{name}">{e(translate(f"webchat.{label}", language))}</label><input {attributes}>'
            + (f'<p class="hint" id="{name}-hint">{e(hint)}</p>' if hint else "")
            + (f'<p class="field-error" id="{name}-error">{e(errors[name])}</p>' if name in errors else "")
        )

    summary = (
        f'<p class="form-error" role="alert">{e(translate("webchat.reset.invalid", language))}</p>'
        if errors
        else ""
    )
    title = translate("webchat.reset.title", language)
    failed_title = translate("webchat.reset.failed.title", language)
    main = (
        f'<section id="reset-form-section"{"" if token else " hidden"}>'
        f"<h1>{e(title)}</h1><p>{e(translate('webchat.reset.intro', language))}</p>"
        f'<p class="user" id="reset-user">{e(user_id or "")}</p>{summary}'
        f'<form id="reset-form" class="form" method="post" action="{RESET_PATH}" accept-charset="utf-8">'
        f'<input type="hidden" name="token" value="{e(token or "")}">'
        # for password managers: which account the new password belongs to
        f'<input type="email" name="username" autocomplete="username" value="{e(user_id or "")}" '
        "hidden readonly>"
        + field(
            "password", "reset.password", hint=translate("webchat.reset.hint", language, min=MIN_PASSWORD)
        )
        + field("repeat", "reset.repeat")
        + f'<button type="submit">{e(translate("webchat.reset.submit", language))}</button></form></section>'
        f'<section id="reset-failed" hidden><h1 tabindex="-1">{e(failed_title)}</h1>'
        f"<p>{e(translate('webchat.reset.failed', language, minutes=minutes))}</p></section>"
        f"<noscript><h1>{e(title)}</h1><p>{e(translate('webchat.reset.script', language))}</p></noscript>"
        '<script src="/webchat/reset.js" defer></script>'
    )
    return _html_page(language, title, main, status=status)


# --- the endpoints --------------------------------------------------------------------------------


class PasswordResetApi:
    def __init__(self, chat: WebChat) -> None:
        self.chat = chat
        self.tokens = ResetCodec(chat.app.secret_key)
        self._background = Background("webchat password reset")

    @property
    def _minutes(self) -> int:
        return self.tokens.ttl // 60

    async def request_link(self, request: web.Request) -> web.StreamResponse:
        """``POST /webchat/api/password-reset``: the same answer, sent first, whether or not there is an account."""
        body = await self.chat.door.json_body(request, limit=MAX_REQUEST_BODY, key="reset.bad_request")
        if isinstance(body, web.Response):
            return body
        email = parse_reset_request(body)
        if email is None:
            return problem(request, 400, "bad_request", "reset.bad_request")
        language = pick_language(accept_language(request.headers.get("Accept-Language")))
        if not valid_email(email):
            # Syntax only: an address that cannot be one has no account, so this tells nothing.
            return web.json_response(
                {
                    "error": "invalid",
                    "message": translate("webchat.register.invalid", language),
                    "fields": {"email": translate("webchat.register.email", language)},
                },
                status=400,
                headers=NO_STORE,
            )
        if not await self.chat.limits.hit(reset_request_rule(self.chat.door.client_address(request))):
            log.warning("webchat: password reset refused, too many from one address")
            return problem(request, 429, "rate_limited", "reset.rate_limited")
        # Counted for every address asked about, with or without an account: past the limit the answer
        # is the same and no mail goes out.
        mail = await self.chat.limits.hit(reset_mail_rule(email))
        response = web.json_response(
            {
                "status": "check_email",
                "message": translate(
                    "webchat.reset.check_email", language, email=email, minutes=self._minutes
                ),
            },
            headers={**NO_STORE, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"},
        )
        # The answer leaves before the look-up begins, so its timing cannot tell an account from none.
        await response.prepare(request)
        await response.write_eof()
        if mail:
            self._background.later(self._mail_link(email, language))
        else:
            log.info("webchat: no more password reset mails to one address for now")
        return response

    async def page(self, request: web.Request) -> web.Response:
        """``GET /webchat/reset?lang=sv``: the page the mailed link opens (the token is in its fragment)."""
        language = self._language(request, request.query.get("lang"))
        return form_page(language, minutes=self._minutes)

    async def check(self, request: web.Request) -> web.Response:
        """``POST /webchat/api/password-reset/check`` ``{"token": ...}``: whether the link still works,
        and for whom. Expired, tampered, used or made up: the same ``{"valid": false, ...}``."""
        body = await self.chat.door.json_body(request, limit=MAX_REQUEST_BODY, key="reset.bad_request")
        if isinstance(body, web.Response):
            return body
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            data = None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str):
            return problem(request, 400, "bad_request", "reset.bad_request")
        if not await self.chat.limits.hit(reset_attempt_rule(self.chat.door.client_address(request))):
            log.warning("webchat: reset link check refused, too many attempts from one address")
            return problem(request, 429, "rate_limited", "reset.too_many")
        claim = self.tokens.decode(token)
        try:
            valid = claim is not None and await self._stamp(claim) is not None
        except BackendUnavailable:
            log.warning("webchat: directory unavailable at a password reset")
            return problem(request, 503, "unavailable", "reset.unavailable")
        if claim is None or not valid:
            language = self._language(request, None)
            message = translate("webchat.reset.failed", language, minutes=self._minutes)
            return web.json_response({"valid": False, "message": message}, headers=NO_STORE)
        return web.json_response({"valid": True, "user": claim.user_id}, headers=NO_STORE)

    async def submit(self, request: web.Request) -> web.Response:
        """``POST /webchat/reset``: the form sent; sets the password, ends the old sessions, tells the user."""
        language = self._language(request, None)
        if self.chat.door.cross_site(request):
            return message_page(
                language,
                translate("webchat.reset.failed.title", language),
                translate("webchat.request.forbidden", language),
                status=403,
            )
        if not await self.chat.limits.hit(reset_attempt_rule(self.chat.door.client_address(request))):
            log.warning("webchat: new password refused, too many attempts from one address")
            return message_page(
                language,
                translate("webchat.reset.failed.title", language),
                translate("webchat.reset.too_many", language),
                status=429,
            )
        form = await self._read_form(request)
        claim = self.tokens.decode(form.get("token")) if form is not None else None
        if form is None or claim is None:
            return self._failed(language)
        language = self._language(request, claim.language)
        directory = self.chat.app.backends.directory
        try:
            stamp = await self._stamp(claim)
            if stamp is None:
                return self._failed(language)
            password, repeat = form.get("password", ""), form.get("repeat", "")
            if not acceptable_password(password):
                errors = {"password": translate("webchat.register.password", language, min=MIN_PASSWORD)}
            elif password != repeat:
                errors = {"repeat": translate("webchat.reset.mismatch", language)}
            else:
                errors = {}
            if errors:
                return form_page(
                    language,
                    minutes=self._minutes,
                    token=form["token"],
                    user_id=claim.user_id,
                    errors=errors,
                    status=400,
                )
            if not await directory.set_password(claim.user_id, password, stamp=stamp):
                return self._failed(language)  # used by another request in the meantime
            principal = await directory.principal_for(claim.user_id)
        except BackendUnavailable:
            log.warning("webchat: directory unavailable at a password reset")
            return self._unavailable(language)
        except Exception as exc:
            log.error("webchat: password reset failed with %s", type(exc).__name__)
            return message_page(
                language,
                translate("webchat.reset.failed.title", language),
                translate("webchat.error.internal", language),
                status=500,
            )
        log.info("webchat: %s chose a new password with a reset link", claim.user_id)
        # Every session of the user ends (web chat and agent console), and their open chats, in every
        # worker, close at once. One made under the old password that slips in between is refused
        # anyway: it is bound to the old password (``WebChat.current``).
        try:
            await self.chat.app.sessions.end_all(claim.user_id)
        except Exception:
            log.warning("webchat: could not end the sessions of %s", claim.user_id, exc_info=True)
        name = principal.name if principal is not None else ""
        await self._send(
            claim.user_id,
            translate("webchat.mail.changed.subject", language),
            translate(
                "webchat.mail.changed.body",
                language,
                name=name or claim.user_id,
                email=claim.user_id,
                support=self.chat.app.settings.support_email,
            ),
            language,
        )
        return message_page(
            language,
            translate("webchat.reset.done.title", language),
            translate("webchat.reset.done", language),
            status=200,
        )

    async def settled(self) -> None:
        """Waits for the mails being prepared in the background (at shutdown, and in tests)."""
        await self._background.settled()

    # --- the parts ---------------------------------------------------------------------------------

    async def _mail_link(self, email: str, language: str) -> None:
        """After the answer: a link for an active account's address; nothing at all for any other."""
        directory = self.chat.app.backends.directory
        try:
            stamp = await directory.credential_stamp(email)
            principal = await directory.principal_for(email) if stamp is not None else None
            if stamp is None or principal is None or principal.user_id is None:
                log.info("webchat: a password reset was asked for an address without an account")
                return
            token = self.tokens.encode(principal.user_id, language, stamp)
            link = reset_link(self.chat.app.settings.public_url, token, language)
            text = translate(
                "webchat.mail.reset.body",
                language,
                name=principal.name or principal.user_id,
                email=principal.user_id,
                link=link,
                minutes=self._minutes,
                support=self.chat.app.settings.support_email,
            )
        except Exception as exc:
            log.warning("webchat: password reset mail not prepared: %s", type(exc).__name__)
            return
        await self._send(principal.user_id, translate("webchat.mail.reset.subject", language), text, language)
        log.info("webchat: password reset link mailed to %s", principal.user_id)

    async def _send(self, to: str, subject: str, text: str, language: str) -> None:
        try:
            await self.chat.app.mailer.send(to=to, subject=subject, text=text, language=language)
        except MailUnavailable as exc:
            log.warning("webchat: password reset mail not sent: %s", exc)

    async def _stamp(self, claim: ResetClaim) -> str | None:
        """The user's current stamp when the link was made under it (unused, the user still active)."""
        stamp = await self.chat.app.backends.directory.credential_stamp(claim.user_id)
        if not self.tokens.current(claim, stamp):
            log.info("webchat: a password reset link was refused")
            return None
        return stamp

    async def _read_form(self, request: web.Request) -> dict[str, str] | None:
        """The posted fields (the first of each name), or ``None`` for anything but a small form."""
        if request.content_type != "application/x-www-form-urlencoded":
            return None
        if request.content_length is not None and request.content_length > MAX_FORM_BODY:
            return None
        body = await request.content.read(MAX_FORM_BODY + 1)
        if len(body) > MAX_FORM_BODY:
            return None
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=8)
        except (UnicodeDecodeError, ValueError):
            return None
        form: dict[str, str] = {}
        for name, value in pairs:
            form.setdefault(name, value)
        return form

    def _language(self, request: web.Request, claimed: str | None) -> str:
        return pick_language(
            claimed if claimed in LANGUAGES else None, accept_language(request.headers.get("Accept-Language"))
        )

    def _failed(self, language: str) -> web.Response:
        return message_page(
            language,
            translate("webchat.reset.failed.title", language),
            translate("webchat.reset.failed", language, minutes=self._minutes),
            status=400,
        )

    def _unavailable(self, language: str) -> web.Response:
        return message_page(
            language,
            translate("webchat.reset.failed.title", language),
            translate("webchat.reset.unavailable", language),
            status=503,
        )
