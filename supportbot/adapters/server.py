"""The aiohttp server that hosts every channel of one worker, and the signed downloads."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from supportbot.adapters import ops
from supportbot.adapters.app import Application
from supportbot.adapters.background import Periodic
from supportbot.adapters.channel import Channel
from supportbot.adapters.channels import build_channels
from supportbot.adapters.logs import install_request_data_redaction
from supportbot.adapters.sessions import COOKIE_NAME, SessionCodec
from supportbot.adapters.web.security import problem
from supportbot.bot.errors import InvalidLink
from supportbot.bot.i18n import Formatter
from supportbot.integrations.errors import AccessDenied, BackendUnavailable
from supportbot.integrations.models import Tool
from supportbot.services.contract_pdf import contract_page, contract_pdf
from supportbot.services.invoice_pdf import PDF_TYPE, credit_note_pdf, invoice_pdf

log = logging.getLogger(__name__)

APP_KEY = web.AppKey("supportbot", Application)
CODEC_KEY = web.AppKey("sessions", SessionCodec)
NOTICES_KEY = web.AppKey("contract_notices", Periodic)
NOTICES_FIRST_SECONDS = 5.0
"""The first pass over contract notices comes this long after start, once the channels are up."""


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@web.middleware
async def out_of_reach(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A request that failed because a service is out of reach (the database, or Redis with several
    workers: a rate limit that could not be counted) is answered ``503 unavailable`` with the web
    chat's polite sentence, and logged in one line rather than with a traceback."""
    try:
        return await handler(request)
    except BackendUnavailable as exc:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            raise  # a WebSocket answers its own frames
        log.warning("%s %s: a service is out of reach (%s)", request.method, request.path, exc)
        return problem(request, 503, "unavailable", "error.unavailable")


async def signed_in_user(request: web.Request) -> str | None:
    """Who the web chat cookie signs in: ``None`` for a guest, a bad cookie or a session that ended."""
    session = request.app[CODEC_KEY].decode(request.cookies.get(COOKIE_NAME))
    if session is None or session.user_id is None:
        return None
    record = await request.app[APP_KEY].sessions.check(session.token, kind="web", user_id=session.user_id)
    return session.user_id if record is not None else None


async def download(request: web.Request) -> web.Response:
    """A signed link: genuine, current, its owner still entitled, and not opened by another signed-in user."""
    app = request.app[APP_KEY]
    forbidden = web.Response(status=403, text="Forbidden", headers={"Cache-Control": "no-store"})
    try:
        stored = await app.files.open(
            request.match_info["file_id"],
            expires=request.query.get("exp", ""),
            sig=request.query.get("sig", ""),
        )
    except InvalidLink:
        return forbidden
    if stored.owner is not None:
        user = await signed_in_user(request)
        if user is not None and user != stored.owner:
            return forbidden
        if stored.tool is not None:
            principal = await app.backends.directory.principal_for(stored.owner)
            if principal is None or not principal.may(Tool(stored.tool)):
                return forbidden
    return web.Response(
        body=stored.data,
        content_type=stored.content_type.split(";")[0],
        charset="utf-8" if "charset=utf-8" in stored.content_type else None,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.name)}",
            "Cache-Control": "private, no-store",
        },
    )


async def document(request: web.Request) -> web.Response:
    """A lazy document link: genuine and current, its owner still entitled to the document's tool, not
    opened by another signed-in user, and the document one the owner's company may see; rendered only
    now. A contract's link may name a version, and its ``.html`` form is the page to print."""
    app = request.app[APP_KEY]
    forbidden = web.Response(status=403, text="Forbidden", headers={"Cache-Control": "no-store"})
    kind = request.match_info["kind"]
    number = request.match_info["number"]
    form = "html" if request.path.endswith(".html") else "pdf"
    owner = request.query.get("u", "")
    version = request.query.get("v", "")
    if not app.files.verify_document_link(
        kind,
        number,
        owner,
        request.query.get("exp", ""),
        request.query.get("sig", ""),
        version=version,
        form=form,
    ):
        return forbidden
    user = await signed_in_user(request)
    if user is not None and user != owner:
        return forbidden
    principal = await app.backends.directory.principal_for(owner)
    tool = Tool.CONTRACTS if kind == "contract" else Tool.INVOICES
    if principal is None or not principal.may(tool):
        return forbidden
    fmt = Formatter(principal.locale, country=principal.country)
    name = number
    try:
        if kind == "contract":
            found = await app.backends.contracts.contract_document(
                principal, number, int(version) if version else None
            )
            if found is None:
                return forbidden
            name = f"{found.contract.number}-v{found.version.version}"
            if form == "html":
                page = await contract_page(found, principal=principal, fmt=fmt)
                return web.Response(
                    text=page,
                    content_type="text/html",
                    charset="utf-8",
                    headers={
                        "Cache-Control": "private, no-store",
                        # Everything on the page is escaped text; nothing may run or load besides its style.
                        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
                    },
                )
            data = await contract_pdf(found, principal=principal, fmt=fmt)
        elif kind == "invoice":
            invoice = await app.backends.invoices.get_invoice(principal, number)
            if invoice is None:
                return forbidden
            data = await invoice_pdf(invoice, principal=principal, fmt=fmt)
        else:
            note = await app.backends.invoices.get_credit_note(principal, number)
            if note is None:
                return forbidden
            data = await credit_note_pdf(note, principal=principal, fmt=fmt)
    except AccessDenied:
        return forbidden
    return web.Response(
        body=data,
        content_type=PDF_TYPE,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name + '.pdf')}",
            "Cache-Control": "private, no-store",
        },
    )


def host(web_app: web.Application, channel: Channel) -> None:
    """Serve ``channel`` and let notices reach people through it (``bot.notify``)."""
    channel.mount(web_app)
    web_app[APP_KEY].notifier.add_channel(channel.name, channel.deliver)


def schedule_notices(web_app: web.Application, app: Application) -> None:
    """Contract notices every ``notice_interval_minutes`` (none at 0: cron runs ``supportbot notices
    --run-once`` instead), the first pass shortly after start; stopped at shutdown, before
    the channels and the application close."""
    minutes = app.settings.notice_interval_minutes
    if app.contract_notices is None or minutes <= 0:
        return
    web_app[NOTICES_KEY] = Periodic(
        "contract-notices", app.contract_notices.run_once, every=minutes * 60, first=NOTICES_FIRST_SECONDS
    )

    async def start(web_app: web.Application) -> None:
        web_app[NOTICES_KEY].start()

    async def stop(web_app: web.Application) -> None:
        await web_app[NOTICES_KEY].stop()

    web_app.on_startup.append(start)
    web_app.on_shutdown.append(stop)  # before the channels and the application close


def create_web_app(app: Application) -> web.Application:
    install_request_data_redaction()  # a bad request's headers never reach the log, however it is run
    web_app = web.Application(middlewares=[security_headers, out_of_reach], client_max_size=2 * 1024 * 1024)
    web_app[APP_KEY] = app
    web_app[CODEC_KEY] = SessionCodec(app.secret_key)
    ops.mount(web_app, app)  # /healthz, /readyz, /metrics
    web_app.router.add_get("/files/{file_id}/{name}", download)
    web_app.router.add_get(r"/documents/{kind}/{number}.pdf", document)
    web_app.router.add_get(r"/documents/{kind}/{number}.html", document)
    for channel in build_channels(app):
        host(web_app, channel)

    schedule_notices(web_app, app)

    async def close(_: web.Application) -> None:
        await app.close()

    web_app.on_cleanup.append(close)
    return web_app
