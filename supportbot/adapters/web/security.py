"""The request checks both web doors (the web chat and the agent console) make, written once.

- Origins: a browser on another site must not drive a customer's chat, or an agent's console, with
  their cookie. An origin is scheme, host and port together: ``https://host:8080`` is another site
  than ``http://host:8080``, so the scheme a request came in on is compared too, not taken from the
  claim. A WebSocket needs its own origin (``same_origin``); a plain POST is refused only when it names
  a foreign one (``cross_site``).
- JSON bodies: a same-site POST of ``application/json``, no larger than the endpoint allows; anything
  else gets one polite error shape, ``{"error": <code>, "message": <the web chat's sentence>}``.
- Sign-in: the same form at both doors: a user ID of at most ``MAX_USER_CHARS`` and a password of at
  most ``MAX_PASSWORD_CHARS``; longer input is refused, never cut to fit, and answered as the web chat
  answers it. A refused attempt (``signin.Outcome``) gets the same answer at both doors.
- Session cookies: each door its own name, path and SameSite rule, written and read one way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from aiohttp import web

from supportbot.adapters.sessions import Session, SessionCodec
from supportbot.adapters.settings import Settings
from supportbot.adapters.signin import Outcome
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import translate
from supportbot.integrations.models import Principal

NO_STORE = {"Cache-Control": "no-store"}
MAX_LOGIN_BODY = 8 * 1024
MAX_USER_CHARS = 320
MAX_PASSWORD_CHARS = 1024

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_WEB_SCHEMES = {"ws": "http", "wss": "https"}


def _authority(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an absolute http(s) URL, ports made explicit, ws(s) read as http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = _WEB_SCHEMES.get(parts.scheme, parts.scheme)
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[parts.scheme]


def same_origin(origin: str | None, host: str | None, *, scheme: str, trusted: Iterable[str] = ()) -> bool:
    """Whether ``Origin`` names the site that serves us: the request's own ``scheme`` and ``Host``, or a
    trusted public URL (behind a proxy that ends TLS, the public ``https://`` URL is that site).

    A missing or opaque (``null``) origin is refused: every browser sends one on a WebSocket upgrade.
    """
    if not origin or origin == "null":
        return False
    claimed = _authority(origin)
    if claimed is None:
        return False
    if host:
        served = _authority(f"{scheme}://{host}")
        if served is not None and served == claimed:
            return True
    for url in trusted:
        allowed = _authority(url)
        if allowed is not None and allowed == claimed:
            return True
    return False


def cross_site(origin: str | None, host: str | None, *, scheme: str, trusted: Iterable[str] = ()) -> bool:
    """For plain requests: a request that names a foreign origin. No ``Origin`` at all is not a browser's
    cross-site request, so it passes (a non-browser client cannot carry the customer's cookie anyway)."""
    return origin is not None and not same_origin(origin, host, scheme=scheme, trusted=trusted)


def client_address(request: web.Request, *, trust_forwarded_for: bool) -> str:
    """The peer's address; behind a trusted proxy, the address that proxy saw (its own entry, the last)."""
    if trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded[:64]
    return request.remote or "unknown"


def json_response(data: dict[str, Any], *, status: int = 200) -> web.Response:
    """A JSON answer no cache keeps: every answer of a door's API is about one session."""
    return web.json_response(data, status=status, headers=NO_STORE)


def problem(request: web.Request, status: int, error: str, key: str) -> web.Response:
    """The one polite error shape: a code for the page's script and the sentence ``key`` of the web
    chat's wording, in the language the browser asks for."""
    language = pick_language(accept_language(request.headers.get("Accept-Language")))
    return json_response({"error": error, "message": translate(f"webchat.{key}", language)}, status=status)


def parse_credentials(body: bytes) -> tuple[str, str] | None:
    """``(user, password)`` from a sign-in body, or ``None`` when it is not the documented shape:
    malformed JSON, a field missing or empty, or one longer than its limit."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    user, password = data.get("user"), data.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        return None
    user = user.strip()
    if not user or not password or len(user) > MAX_USER_CHARS or len(password) > MAX_PASSWORD_CHARS:
        return None
    return user, password


def admitted(request: web.Request, outcome: Outcome) -> Principal | web.Response:
    """Who a sign-in let in, or the answer refusing it: one answer for a wrong password and for
    someone the door does not admit, so neither is told apart."""
    if outcome.result == "rate_limited":
        return problem(request, 429, "rate_limited", "login.rate_limited")
    if outcome.result == "unavailable":
        return problem(request, 503, "unavailable", "error.internal")
    if outcome.result == "internal":
        return problem(request, 500, "internal", "error.internal")
    if outcome.principal is None or outcome.principal.user_id is None:
        return problem(request, 401, "invalid_credentials", "login.failed")
    return outcome.principal


@dataclass(frozen=True)
class WebDoor:
    """One web door's view of a request: which origins are its own besides the request's (the public
    URL, behind a proxy that ends TLS), and whether a proxy's ``X-Forwarded-For`` is believed."""

    trusted: tuple[str, ...]
    trust_forwarded_for: bool

    @classmethod
    def of(cls, settings: Settings) -> WebDoor:
        """A door of this server: its public URL is its own origin too."""
        return cls(trusted=(settings.public_url,), trust_forwarded_for=settings.trust_forwarded_for)

    def same_origin(self, request: web.Request) -> bool:
        return same_origin(
            request.headers.get("Origin"), request.host, scheme=request.scheme, trusted=self.trusted
        )

    def cross_site(self, request: web.Request) -> bool:
        return cross_site(
            request.headers.get("Origin"), request.host, scheme=request.scheme, trusted=self.trusted
        )

    def client_address(self, request: web.Request) -> str:
        return client_address(request, trust_forwarded_for=self.trust_forwarded_for)

    async def json_body(self, request: web.Request, *, limit: int, key: str) -> bytes | web.Response:
        """The body of a same-site JSON POST of at most ``limit`` bytes, or the polite problem to answer
        (``key`` names its message): 403 cross-site, 415 not JSON, 413 announced too large, 400 longer."""
        if self.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        if request.content_type != "application/json":
            return problem(request, 415, "bad_request", key)
        if request.content_length is not None and request.content_length > limit:
            return problem(request, 413, "bad_request", key)
        body = await request.content.read(limit + 1)
        if len(body) > limit:
            return problem(request, 400, "bad_request", key)
        return body

    async def credentials(self, request: web.Request) -> tuple[str, str] | web.Response:
        """The user ID and password of a sign-in POST, or the answer refusing it (400 for anything
        but the documented shape within its limits)."""
        body = await self.json_body(request, limit=MAX_LOGIN_BODY, key="login.bad_request")
        if isinstance(body, web.Response):
            return body
        given = parse_credentials(body)
        if given is None:
            return problem(request, 400, "bad_request", "login.bad_request")
        return given


@dataclass(frozen=True)
class SessionCookie:
    """A door's session cookie: signed by its own codec, sent only to its own path, never to scripts."""

    name: str
    path: str
    same_site: Literal["Lax", "Strict"]
    secure: bool
    codec: SessionCodec

    def read(self, request: web.Request) -> Session | None:
        """The request's session; ``None`` when there is none or it is tampered or too old."""
        return self.codec.decode(request.cookies.get(self.name))

    def set(self, response: web.StreamResponse, session: Session) -> None:
        response.set_cookie(
            self.name,
            self.codec.encode(session),
            max_age=self.codec.max_age,
            path=self.path,
            httponly=True,
            samesite=self.same_site,
            secure=self.secure,
        )

    def clear(self, response: web.StreamResponse) -> None:
        response.del_cookie(self.name, path=self.path)
