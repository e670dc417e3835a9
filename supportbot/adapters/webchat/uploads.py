"""Files from the web chat: ``POST /webchat/upload`` keeps one file for its signed-in sender for an
hour and answers its id; a message frame then names the ids it sends (``connection.py``)."""

from __future__ import annotations

import logging

from aiohttp import web

from supportbot.adapters.web.security import json_response, problem
from supportbot.adapters.webchat.context import WebChat
from supportbot.adapters.webchat.protocol import upload_content_type, upload_name
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import Formatter, translate
from supportbot.bot.limits import Rule
from supportbot.bot.messages import MAX_INBOUND_BYTES, InboundFile
from supportbot.integrations.documents import DocumentRefused, kept_type

log = logging.getLogger(__name__)

NAME_HEADER = "X-Filename"
"""The file's name, percent-encoded UTF-8. A header a page of another site cannot send without the
browser asking first (a CORS preflight, which this server never grants), so it also guards the cookie."""
UPLOAD_WINDOW = 10.0
"""Uploads per user may come at ``Settings.webchat_rate_limit`` in this many seconds, as messages do."""
UPLOADS_PER_HOUR = 100
"""And at most this many an hour, so the hour's kept files stay bounded for each user."""
CHUNK = 64 * 1024
MEBIBYTE = 1024 * 1024


class UploadApi:
    def __init__(self, chat: WebChat) -> None:
        self.chat = chat
        self.rate_limit = chat.app.settings.webchat_rate_limit

    async def upload(self, request: web.Request) -> web.Response:
        """The body is the file itself; its type is the ``Content-Type`` the browser gave it."""
        if self.chat.door.cross_site(request):
            return problem(request, 403, "forbidden", "request.forbidden")
        visitor = await self.chat.visitor(request)
        if visitor.user_id is None:
            return problem(request, 401, "unauthorized", "upload.sign_in")
        name = upload_name(request.headers.get(NAME_HEADER))
        if name is None:
            return problem(request, 400, "bad_request", "upload.bad_request")
        if request.content_length is not None and request.content_length > MAX_INBOUND_BYTES:
            return self._too_large(request)
        owner = visitor.user_id
        burst = Rule(f"upload:burst:{owner}", self.rate_limit, UPLOAD_WINDOW)
        hourly = Rule(f"upload:hour:{owner}", UPLOADS_PER_HOUR, 3600.0)
        if not await self.chat.limits.hit(burst, hourly):
            log.warning("webchat: uploads of %s rate-limited", owner)
            return problem(request, 429, "rate_limited", "upload.rate_limited")
        data = bytearray()
        # Streamed and counted, whatever the headers said: a chunked body has no length to check first.
        async for chunk in request.content.iter_chunked(CHUNK):
            data += chunk
            if len(data) > MAX_INBOUND_BYTES:
                return self._too_large(request)
        if not data:
            return problem(request, 400, "empty", "upload.empty")
        try:
            # The core's rule, here too, so a file that could never be used is not kept for an hour.
            kind = kept_type(
                name, upload_content_type(request.headers.get("Content-Type"), name), bytes(data)
            )
        except DocumentRefused as refused:
            log.info("webchat: an upload of %s refused: %s", owner, refused)
            return self._refused(request, name, mismatch=refused.mismatch)
        file = InboundFile(name=name, content_type=kind, data=bytes(data))
        try:
            file_id = await self.chat.app.files.stash(owner=owner, file=file)
        except Exception as exc:
            log.error("webchat: an upload of %s could not be kept: %s", owner, type(exc).__name__)
            return problem(request, 500, "internal", "error.internal")
        log.info("webchat: %s uploaded %d bytes (%s)", owner, file.size, file.content_type)
        return json_response(
            {"id": file_id, "name": file.name, "content_type": file.content_type, "size": file.size}
        )

    def _refused(self, request: web.Request, name: str, *, mismatch: bool) -> web.Response:
        """415, saying why in the visitor's language; for a refused type, which types are accepted."""
        language = pick_language(accept_language(request.headers.get("Accept-Language")))
        if mismatch:
            message = translate("webchat.upload.mismatch", language, name=name)
        else:
            accepted = Formatter(language).t("request.file.accepted_types")
            message = f"{translate('webchat.upload.refused_type', language, name=name)} {accepted}"
        error = "mismatch" if mismatch else "unsupported_type"
        return json_response({"error": error, "message": message}, status=415)

    def _too_large(self, request: web.Request) -> web.Response:
        language = pick_language(accept_language(request.headers.get("Accept-Language")))
        message = translate("webchat.upload.too_large", language, limit=MAX_INBOUND_BYTES // MEBIBYTE)
        # The rest of the body is not kept: aiohttp drains it for a few seconds, so the browser still
        # reads this answer, then closes the connection.
        return json_response({"error": "too_large", "message": message}, status=413)
