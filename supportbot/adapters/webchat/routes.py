"""The web chat's routes: the demo page, the widget's files, its WebSocket, its session API and uploads."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from supportbot.adapters.web.handlers import asset, page
from supportbot.adapters.webchat.api import SessionApi
from supportbot.adapters.webchat.connection import websocket
from supportbot.adapters.webchat.context import WebChat
from supportbot.adapters.webchat.password_reset import PasswordResetApi
from supportbot.adapters.webchat.registration import RegistrationApi
from supportbot.adapters.webchat.uploads import UploadApi

STATIC = Path(__file__).parent / "static"
PASSWORD_RESETS = web.AppKey("webchat_password_resets", PasswordResetApi)
"""The password reset endpoints, whose mails are prepared after the answer (``settled`` waits for them)."""
REGISTRATIONS = web.AppKey("webchat_registrations", RegistrationApi)
"""The registration endpoints; the account and its mails are made after the answer (``settled`` waits)."""

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The demo page loads nothing but its own files; a vendor's page brings its own policy."""

_ASSETS = {
    "widget.js": "text/javascript",
    "widget.css": "text/css",
    "reset.js": "text/javascript",
    "demo.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
_ASSET_HEADERS = {"Cross-Origin-Resource-Policy": "same-site"}
"""The widget's files may be loaded by a vendor's page on a sibling site, not by any site."""


class WebChatChannel(WebChat):
    """The web chat as the server hosts it: the demo page, the widget's files, its WebSocket, its
    session API, registration, password resets and uploads."""

    def mount(self, web_app: web.Application) -> None:
        api = SessionApi(self)
        registration = web_app[REGISTRATIONS] = RegistrationApi(self)
        uploads = UploadApi(self)
        resets = web_app[PASSWORD_RESETS] = PasswordResetApi(self)
        router = web_app.router
        router.add_get("/", page(STATIC / "index.html", policy=PAGE_POLICY))
        for name, content_type in _ASSETS.items():
            router.add_get(f"/webchat/{name}", asset(STATIC / name, content_type, headers=_ASSET_HEADERS))

        async def favicon(request: web.Request) -> web.StreamResponse:
            """Browsers ask for ``/favicon.ico`` on pages that link no icon: they get the same one."""
            raise web.HTTPMovedPermanently("/webchat/favicon.svg")

        router.add_get("/favicon.ico", favicon)

        async def ws(request: web.Request) -> web.StreamResponse:
            return await websocket(self, request)

        router.add_get("/webchat/ws", ws)
        router.add_get("/webchat/api/session", api.session)
        router.add_post("/webchat/api/login", api.login)
        router.add_post("/webchat/api/logout", api.logout)
        router.add_post("/webchat/api/logout-everywhere", api.logout_everywhere)
        router.add_post("/webchat/api/register", registration.register)
        router.add_get("/webchat/confirm", registration.confirm)
        router.add_post("/webchat/api/password-reset", resets.request_link)
        router.add_post("/webchat/api/password-reset/check", resets.check)
        router.add_get("/webchat/reset", resets.page)
        router.add_post("/webchat/reset", resets.submit)
        router.add_post("/webchat/upload", uploads.upload)

        self.app.metrics.open_websockets = lambda: len(self.open_chats)

        async def settle(_: web.Application) -> None:
            # The chats are told to reconnect (each first finishes the message it is answering), and
            # mails being prepared are queued before the mail outbox stops.
            await asyncio.gather(*(chat.restart() for chat in list(self.open_chats)), return_exceptions=True)
            await resets.settled()
            await registration.settled()

        web_app.on_shutdown.append(settle)
