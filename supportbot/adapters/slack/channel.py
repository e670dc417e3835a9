"""The Slack host: a slack-bolt ``AsyncApp`` behind POST /slack/events (or Socket Mode).

Bolt verifies, acknowledges and dispatches; the listeners acknowledge at once and hand the slow part
(identity, pipeline, posting) to a task this channel owns, so Slack always has its answer within
three seconds and a shutdown waits for work in flight. A redelivered event keeps its ``event_id``,
which is the message's delivery id: the pipeline answers it from the store and nothing is posted.

``/support`` without text and the Home tab's "Ask a question" open a modal (``views.open``); its
submission is checked and acknowledged at once, and the question is answered in the person's DM.
A reply that carries a form (the request form) shows a button; pressing it (or ``/support open a
request``) answers with the form again, which then opens as a modal with that press's trigger. The
sent modal is acknowledged at once and becomes a ``FormSubmission`` answered in the DM.
Files shared in a DM are downloaded with the bot token, only from the hosts ``SLACK_FILE_HOSTS``
allows and never beyond ``MAX_INBOUND_BYTES``, and handed to the core with the message.
Notices (an administrator's approval request, its outcome) reach a linked person as a DM too:
``deliver`` is the ``Notifier``'s deliverer for Slack.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from supportbot.adapters.app import Application
from supportbot.adapters.channel import Arrival
from supportbot.adapters.slack.agents import register_agent_channel
from supportbot.adapters.slack.inbound import (
    CAPABILITIES,
    CHANNEL,
    FormSent,
    Inbound,
    ModalQuestion,
    ModalRequest,
    PayloadError,
    SlackFile,
    decode_body,
    from_action,
    from_command,
    from_event,
    from_form_view,
    from_view,
    is_ask_action,
    is_dm_channel,
    modal_request,
    slack_file,
    view_callback,
    wants_modal,
)
from supportbot.adapters.slack.people import verified_email
from supportbot.adapters.slack.render import (
    Block,
    ask_errors,
    ask_view,
    fallback_text,
    form_view,
    home_view,
    pressed,
    to_blocks,
)
from supportbot.adapters.slack.surface import (
    ASK_ACTION,
    ASK_VIEW,
    BUTTON_ACTION,
    COMMAND,
    EVENTS_PATH,
    FORM_ACTION,
    FORM_VIEW,
    LINK_ACTION,
)
from supportbot.adapters.slack.wording import files_unavailable
from supportbot.bot.errors import InvalidLink, SupportbotError
from supportbot.bot.i18n import translate
from supportbot.bot.messages import MAX_INBOUND_BYTES, InboundFile, Message, Reply
from supportbot.integrations.errors import BackendUnavailable

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 10.0
"""Seconds a stopping server waits for answers in flight before cancelling them."""
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=120, sock_connect=10, sock_read=30)
MAX_REDIRECTS = 3
"""Redirects a download may take, each to an allowed host again."""
CHUNK = 64 * 1024


CHANNEL_KEY = web.AppKey["SlackChannel"]("slack")
"""The running ``SlackChannel`` of a server (tests wait on it)."""


def retry_handlers() -> list[AsyncRetryHandler]:
    """Slack's 429s are waited out (``Retry-After``), dropped connections retried once."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
    ]


def web_client(*, token: str, base_url: str) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers())


@dataclass(frozen=True)
class UploadFile:
    name: str
    content_type: str
    data: bytes


class FileUnavailable(SupportbotError):
    """A shared file that could not be fetched (not allowed, not found, not a file): the person is told."""


def allowed_origin(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether ``url`` may be fetched with the bot token: an exact allowed host over https (port 443),
    or an entry's exact ``scheme://host:port``. Anything else (another host, userinfo, a bare path)
    is refused, so a payload can never point the bot, and its token, at an arbitrary server."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.username or parts.password or not parts.hostname:
        return False
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    for entry in hosts:
        allowed = urlsplit(entry if "://" in entry else f"https://{entry}")
        try:
            allowed_port = allowed.port or (443 if allowed.scheme == "https" else 80)
        except ValueError:
            continue
        if (
            allowed.scheme == scheme
            and (allowed.hostname or "") == host
            and allowed_port == (port or (443 if scheme == "https" else 80))
        ):
            return True
    return False


def socket_mode_handler(channel: SlackChannel, app_token: str) -> AsyncSocketModeHandler:
    """Bolt's Socket Mode handler for the channel's app (create it inside the running loop)."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    return AsyncSocketModeHandler(channel.bolt, app_token, web_client=channel.client)


class SlackChannel:
    """The Slack channel of one worker: bolt's app, its listeners and the work they start."""

    name = CHANNEL
    capabilities = CAPABILITIES

    def __init__(self, app: Application) -> None:
        settings = app.settings
        if settings.slack_bot_token is None:
            raise ValueError("SlackChannel needs SLACK_BOT_TOKEN")
        self.app = app
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        self.verifier = SignatureVerifier(secret) if secret else None
        self.client = web_client(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=secret,
            request_verification_enabled=bool(secret),
            process_before_response=False,
            name="supportbot",
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self.finished = 0
        """Pieces of work done after an ack (answers, repeats, Home tabs): a health figure tests wait on."""
        self._register()

    # --- bolt listeners ---------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        self.agents = register_agent_channel(bolt, self.app, self.client)  # first: bolt runs the first match

        @bolt.event("message")
        async def on_message(body: dict[str, Any], context: Any) -> None:
            self._start_inbound(lambda: from_event(body, bot_user_id=context.bot_user_id))

        @bolt.event("app_mention")
        async def on_mention(body: dict[str, Any], context: Any) -> None:
            self._start_inbound(lambda: from_event(body, bot_user_id=context.bot_user_id))

        @bolt.event("app_home_opened")
        async def on_home(event: dict[str, Any], body: dict[str, Any]) -> None:
            if event.get("tab", "home") == "home" and isinstance(event.get("user"), str):
                team = body.get("team_id") or event.get("team") or ""
                self._spawn(self._publish_home(str(team), event["user"]), what="home")

        @bolt.action(re.compile(f"^{BUTTON_ACTION}"))
        async def on_button(ack: Callable[[], Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()
            self._start_inbound(lambda: from_action(body))
            self._spawn(self._mark_pressed(body), what="pressed")

        @bolt.action(FORM_ACTION)
        async def on_form_button(ack: Callable[[], Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()  # the answer (the form again) opens as a modal with this press's trigger
            self._start_inbound(lambda: from_action(body))

        @bolt.action(re.compile(f"^{LINK_ACTION}"))
        async def on_link(ack: Callable[[], Awaitable[Any]]) -> None:
            await ack()  # Slack opens the URL itself; it only needs to hear back

        @bolt.action(ASK_ACTION)
        async def on_ask(ack: Callable[[], Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()
            self._start_modal(lambda: modal_request(body), fallback=None)

        @bolt.command(COMMAND)
        async def on_command(ack: Callable[[], Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()
            if wants_modal(body):
                self._start_modal(lambda: modal_request(body), fallback=lambda: from_command(body))
            else:
                self._start_inbound(lambda: from_command(body))

        @bolt.view(ASK_VIEW)
        async def on_question(ack: Callable[..., Awaitable[Any]], body: dict[str, Any]) -> None:
            try:
                question = from_view(body)
            except PayloadError as exc:  # Socket Mode payloads do not pass the HTTP check
                log.warning("slack: ignored a view submission: %s", exc)
                await ack()
                return
            if not question.text:
                await ack(response_action="errors", errors=ask_errors(question.language or "en"))
                return
            await ack()  # an empty body closes the modal
            self._spawn(self._ask(question), what=f"view {question.view_id}")

        @bolt.view(FORM_VIEW)
        async def on_form(ack: Callable[..., Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()  # closes the modal; the answer (or the form, marked) follows in the DM
            try:
                sent = from_form_view(body)
            except PayloadError as exc:  # Socket Mode payloads do not pass the HTTP check
                log.warning("slack: ignored a form submission: %s", exc)
                return
            self._spawn(self._submit(sent), what=f"view {sent.view_id}")

    def _start_inbound(self, read: Callable[[], Inbound | None]) -> None:
        try:
            found = read()
        except PayloadError as exc:  # Socket Mode payloads do not pass the HTTP check
            log.warning("slack: ignored a payload: %s", exc)
            return
        if found is not None:
            self._spawn(self._answer(found), what=found.conversation.key)

    def _start_modal(
        self, read: Callable[[], ModalRequest], *, fallback: Callable[[], Inbound | None] | None
    ) -> None:
        try:
            request = read()
            answer_instead = fallback() if fallback is not None else None
        except PayloadError as exc:
            log.warning("slack: ignored a payload: %s", exc)
            return
        self._spawn(self._open_modal(request, answer_instead), what=f"modal {request.user}")

    def _spawn(self, work: Coroutine[Any, Any, None], *, what: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=f"slack {what}")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self.finished += 1

    async def drain(self, timeout: float = SHUTDOWN_GRACE) -> None:
        """Let answers in flight finish (within ``timeout``) before the application closes."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()

    # --- the channel ------------------------------------------------------------------------------

    def mount(self, web_app: web.Application) -> None:
        """POST /slack/events with a signing secret; Socket Mode's connection with an app token; and
        answers in flight let finish when the server stops."""
        web_app[CHANNEL_KEY] = self
        settings = self.app.settings
        if settings.slack_signing_secret is not None:
            web_app.router.add_post(EVENTS_PATH, self.handle)
        handlers: list[AsyncSocketModeHandler] = []
        if settings.slack_app_token is not None:
            app_token = settings.slack_app_token.get_secret_value()

            async def connect(_: web.Application) -> None:
                handler = socket_mode_handler(self, app_token)
                handlers.append(handler)
                await handler.connect_async()  # type: ignore[no-untyped-call]
                log.info("slack: connected in Socket Mode")

            web_app.on_startup.append(connect)

        async def stop(_: web.Application) -> None:
            for handler in handlers:
                await handler.close_async()  # type: ignore[no-untyped-call]
            await self.drain()

        web_app.on_cleanup.append(stop)

    def to_message(self, inbound: Inbound, arrival: Arrival) -> Message:
        return inbound.message(user_id=arrival.user_id, received_at=arrival.received_at, files=arrival.files)

    def render(self, reply: Reply) -> list[Block]:
        return to_blocks(reply)

    # --- HTTP -------------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/events: 401 unless signed and fresh, 400 unless a payload we can read, then bolt."""
        try:
            raw = await request.text()
        except UnicodeDecodeError:
            raw = None
        if self.verifier is None or raw is None or not self._signed(raw, request):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            body = decode_body(raw, request.content_type)
            if body.get("type") == "event_callback":
                from_event(body)
            elif body.get("type") == "block_actions":
                if is_ask_action(body):
                    modal_request(body)
                else:
                    from_action(body)
            elif body.get("type") == "view_submission":
                if view_callback(body) == FORM_VIEW:
                    from_form_view(body)
                else:
                    from_view(body)
            elif "command" in body:
                from_command(body)
        except PayloadError as exc:
            log.info("slack: refused a payload: %s", exc)
            return web.json_response({"error": "bad request"}, status=400)
        bolt_response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    def _signed(self, raw: str, request: web.Request) -> bool:
        assert self.verifier is not None
        try:
            return self.verifier.is_valid(
                raw,
                request.headers.get("X-Slack-Request-Timestamp"),
                request.headers.get("X-Slack-Signature"),
            )
        except ValueError:  # a timestamp that is not a number
            return False

    # --- the work after the ack -------------------------------------------------------------------

    async def _answer(self, found: Inbound) -> None:
        key = found.conversation.key
        unavailable: list[str] = []
        try:
            user_id = await self._user_id(found.team_id, found.user)
            files: tuple[InboundFile, ...] = ()
            if found.files:
                if await self.app.store.reply_for_delivery(key, found.delivery_id) is not None:
                    log.info("slack: delivery %s in %s was answered before", found.delivery_id, key)
                    return  # a redelivered file share: nothing to download again
                files, unavailable = await self._fetch_files(found.files, guest=user_id is None)
            if found.files and not files:
                # Nothing arrived to act on (and words sent with files are about them): say so only.
                language = (await self.app.pipeline.principal(user_id)).locale or "en"
                note = self._unavailable(unavailable, language)
                await self._safely(self._deliver(found, note, user_id=user_id), key)
                return
            answer = await self.app.pipeline.answer(self.to_message(found, Arrival(user_id, files=files)))
        except BackendUnavailable as exc:  # the database, or Redis (the lock): nothing was stored
            log.info("slack: apologised in conversation %s: %s", key, exc)
            await self._safely(
                self._deliver(found, Reply(text=translate("slack.error.unavailable", "en")), user_id=None),
                key,
            )
            return
        except Exception:
            log.exception("slack: could not answer in conversation %s", key)
            await self._safely(
                self._deliver(found, Reply(text=translate("slack.error.internal", "en")), user_id=None), key
            )
            return
        if answer.repeat:
            log.info("slack: delivery %s in %s was answered before", found.delivery_id, key)
            return
        if unavailable:
            await self._safely(
                self._deliver(found, self._unavailable(unavailable, answer.reply.language), user_id=user_id),
                key,
            )
        if answer.reply.silent:  # an agent has the conversation
            return
        await self._safely(self._deliver(found, answer.reply, user_id=user_id), key)

    @staticmethod
    def _unavailable(names: list[str], language: str) -> Reply:
        return Reply(text=files_unavailable(names, language), language=language)

    async def _mark_pressed(self, body: dict[str, Any]) -> None:
        """The message whose button was pressed loses its reply buttons and says what was chosen, so
        an old question cannot be answered twice. Only the bot's own messages in a DM are changed."""
        container = _object(body.get("container"))
        message = _object(body.get("message"))
        actions = body.get("actions")
        first = _object(actions[0]) if isinstance(actions, list) and actions else {}
        channel, ts = container.get("channel_id"), container.get("message_ts")
        blocks = message.get("blocks")
        label = _object(first.get("text")).get("text")
        if (
            not isinstance(channel, str)
            or not is_dm_channel(channel)
            or container.get("is_ephemeral")
            or not isinstance(ts, str)
            or not isinstance(blocks, list)
            or not blocks
            or not isinstance(label, str)
        ):
            return
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, text=str(message.get("text") or "…"), blocks=pressed(blocks, label)
            )
        except (TimeoutError, SlackClientError, OSError):
            log.warning("slack: could not mark a pressed button in %s", channel, exc_info=True)

    async def _safely(self, work: Awaitable[None], key: str) -> None:
        try:
            await work
        except (TimeoutError, SlackClientError, OSError):
            log.exception("slack: could not deliver the answer in conversation %s", key)

    async def _deliver(self, found: Inbound, reply: Reply, *, user_id: str | None) -> None:
        if reply.form is not None and found.trigger_id and await self._open_form(found, reply):
            return  # the form is on the person's screen; otherwise its button is posted below
        text = fallback_text(reply)
        if found.route == "respond":
            assert found.response_url is not None
            hook = AsyncWebhookClient(found.response_url, retry_handlers=retry_handlers())
            response = await hook.send(
                text=text,
                blocks=self.render(reply) or None,
                response_type="ephemeral",
                replace_original=False,
            )
            if response.status_code != 200:
                log.warning("slack: response_url answered %s", response.status_code)
            return
        if found.route == "ephemeral":
            await self.client.chat_postEphemeral(
                channel=found.channel,
                user=found.user,
                text=text,
                blocks=self.render(reply) or None,
                thread_ts=found.thread_ts,
            )
            return
        await self._post(found.channel, reply)

    async def _post(self, channel: str, reply: Reply) -> None:
        """The reply as a message in ``channel`` (a DM), its reports uploaded when they can be."""
        files = await self._files(reply)
        await self.client.chat_postMessage(
            channel=channel,
            text=fallback_text(reply),
            blocks=to_blocks(reply, link_attachments=not files) or None,
        )
        if files:
            try:
                await self.client.files_upload_v2(
                    channel=channel,
                    file_uploads=[{"content": f.data, "filename": f.name, "title": f.name} for f in files],
                )
            except SlackApiError as exc:
                log.warning("slack: upload failed (%s); sending links", exc.response.get("error"))
                links = Reply(text="", attachments=reply.attachments, language=reply.language)
                await self.client.chat_postMessage(
                    channel=channel, text=fallback_text(reply), blocks=to_blocks(links)
                )

    async def _files(self, reply: Reply) -> list[UploadFile]:
        """The bytes behind the reply's signed links (all of them, or none: then the links are shown)."""
        files: list[UploadFile] = []
        base = self.app.settings.public_url.rstrip("/") + "/files/"
        for attachment in reply.attachments:
            if not attachment.url.startswith(base):
                return []
            parts = urlsplit(attachment.url)
            file_id = parts.path.split("/files/", 1)[1].split("/", 1)[0]
            query = parse_qs(parts.query)
            try:
                stored = await self.app.files.open(
                    file_id, expires=query.get("exp", [""])[0], sig=query.get("sig", [""])[0]
                )
            except InvalidLink:
                return []
            files.append(
                UploadFile(name=attachment.name, content_type=attachment.content_type, data=stored.data)
            )
        return files

    async def _user_id(self, team_id: str, slack_user: str) -> str | None:
        """The person behind a Slack user, linked by their Slack-verified e-mail address on first sight."""
        return await self.app.identity.resolve(
            CHANNEL,
            f"{team_id}:{slack_user}",
            email=lambda: verified_email(self.client, slack_user),
            matched_by="email",
        )

    async def _publish_home(self, team_id: str, slack_user: str) -> None:
        try:
            principal = await self.app.pipeline.principal(await self._user_id(team_id, slack_user))
            view = home_view(principal.locale or "en", name=principal.name or None, guest=principal.is_guest)
            await self.client.views_publish(user_id=slack_user, view=view)
        except Exception:
            log.exception("slack: could not publish the Home tab for %s", slack_user)

    # --- the question modal -----------------------------------------------------------------------

    async def _language(self, team_id: str, slack_user: str) -> str:
        """The linked person's language (linking them first if need be), English for a guest."""
        try:
            principal = await self.app.pipeline.principal(await self._user_id(team_id, slack_user))
        except Exception:
            log.exception("slack: could not look up %s for the modal", slack_user)
            return "en"
        return principal.locale or "en"

    async def _open_modal(self, request: ModalRequest, fallback: Inbound | None) -> None:
        """``views.open`` with the trigger (valid for three seconds); help in its place if that fails."""
        view = ask_view(await self._language(request.team_id, request.user))
        try:
            await self.client.views_open(trigger_id=request.trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("slack: views.open failed: %s", exc.response.get("error"))
        except (TimeoutError, SlackClientError, OSError):
            log.exception("slack: views.open failed")
        else:
            return
        if fallback is not None:
            await self._answer(fallback)

    async def _ask(self, question: ModalQuestion) -> None:
        """A submitted question, answered in the person's DM with the bot."""
        try:
            channel = await self._open_dm(question.user)
        except (TimeoutError, SlackClientError, OSError):
            log.exception("slack: could not open the DM with %s for a modal's question", question.user)
            return
        await self._answer(question.in_dm(channel))

    # --- forms as modals --------------------------------------------------------------------------

    async def _open_form(self, found: Inbound, reply: Reply) -> bool:
        """``views.open`` of the reply's form with the press's trigger; ``False`` when Slack refused it
        (an expired trigger), and then the reply is posted with the button that opens it."""
        assert reply.form is not None and found.trigger_id is not None
        reply_to = found.channel if found.route == "post" and is_dm_channel(found.channel) else None
        view = form_view(reply.form, language=reply.language, reply_to=reply_to)
        try:
            await self.client.views_open(trigger_id=found.trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("slack: views.open of form %s failed: %s", reply.form.id, exc.response.get("error"))
            return False
        except (TimeoutError, SlackClientError, OSError):
            log.exception("slack: views.open of form %s failed", reply.form.id)
            return False
        return True

    async def _submit(self, sent: FormSent) -> None:
        """A sent form modal, answered in the person's DM with the bot (a refused one comes back marked)."""
        channel = sent.reply_to
        if channel is None:
            try:
                channel = await self._open_dm(sent.user)
            except (TimeoutError, SlackClientError, OSError):
                log.exception("slack: could not open the DM with %s for a sent form", sent.user)
                return
        await self._answer(sent.in_dm(channel))

    # --- files shared in a DM ---------------------------------------------------------------------

    async def _fetch_files(
        self, shared: tuple[SlackFile, ...], *, guest: bool
    ) -> tuple[tuple[InboundFile, ...], list[str]]:
        """The shared files for the core, and the names of those that could not be fetched.

        A file Slack says is too large is not downloaded (the core says so); a guest's files are not
        downloaded either (the core asks them to sign in first).
        """
        files: list[InboundFile] = []
        unavailable: list[str] = []
        async with aiohttp.ClientSession(timeout=DOWNLOAD_TIMEOUT, trust_env=False) as session:
            for described in shared:
                file = described
                try:
                    if file.url is None:
                        file = await self._file_info(file)
                    refused = file.too_large(MAX_INBOUND_BYTES)
                    if refused is not None or guest:
                        files.append(
                            refused
                            or InboundFile(
                                name=file.name, content_type=file.content_type, declared_size=file.size
                            )
                        )
                        continue
                    files.append(await self._download(session, file))
                except FileUnavailable as exc:
                    log.warning("slack: could not fetch file %s: %s", described.id, exc)
                    unavailable.append(described.name)
                except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                    log.warning("slack: could not fetch file %s: %r", described.id, exc)
                    unavailable.append(described.name)
        return tuple(files), unavailable

    async def _file_info(self, file: SlackFile) -> SlackFile:
        """The details an event left out (``file_access: check_file_info``), from ``files.info``."""
        try:
            response = await self.client.files_info(file=file.id)
        except SlackApiError as exc:
            raise FileUnavailable(f"files.info: {exc.response.get('error')}") from None
        except SlackClientError as exc:
            raise FileUnavailable(f"files.info: {exc}") from None
        described = slack_file(response.get("file"))
        if described is None or described.url is None:
            raise FileUnavailable("files.info gave no download URL")
        return described

    async def _download(self, session: aiohttp.ClientSession, file: SlackFile) -> InboundFile:
        """GET the file with the bot token from an allowed host, reading at most ``MAX_INBOUND_BYTES``.

        Redirects are followed by hand, each to an allowed host again; a file that turns out larger
        than announced is cut off there and refused as too large.
        """
        assert file.url is not None
        hosts = self.app.settings.slack_file_hosts
        token = self.client.token or ""
        url = file.url
        for _ in range(MAX_REDIRECTS + 1):
            if not allowed_origin(url, hosts):
                raise FileUnavailable(f"{urlsplit(url).hostname or url!r} is not an allowed file host")
            async with session.get(
                url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False
            ) as response:
                if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status != 200:
                    raise FileUnavailable(f"HTTP {response.status}")
                if response.content_type == "text/html" and not file.content_type.startswith("text/html"):
                    raise FileUnavailable("Slack answered with a sign-in page (is files:read granted?)")
                announced = response.content_length
                if announced is not None and announced > MAX_INBOUND_BYTES:
                    return InboundFile(
                        name=file.name, content_type=file.content_type, declared_size=announced
                    )
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data.extend(chunk)
                    if len(data) > MAX_INBOUND_BYTES:
                        return InboundFile(
                            name=file.name, content_type=file.content_type, declared_size=len(data)
                        )
                if not data:
                    raise FileUnavailable("empty download")
                return InboundFile(name=file.name, content_type=file.content_type, data=bytes(data))
        raise FileUnavailable("too many redirects")

    async def _open_dm(self, slack_user: str) -> str:
        """The id of the bot's DM with the person (``conversations.open`` returns the existing one)."""
        response = await self.client.conversations_open(users=slack_user)
        channel = response.get("channel") or {}
        channel_id = channel.get("id") if isinstance(channel, dict) else None
        if not isinstance(channel_id, str) or not channel_id:
            raise SlackClientError("conversations.open returned no channel")
        return channel_id

    # --- notices ----------------------------------------------------------------------------------

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """The ``Notifier``'s deliverer: ``reply`` as a DM to each Slack person linked to ``user_id``.

        ``False`` when the user has no Slack link (or no DM could be posted); buttons in the notice
        are ordinary buttons, answered in that DM.
        """
        sent = False
        for external_id in await self.app.backends.directory.linked_ids(user_id, CHANNEL):
            slack_user = external_id.rpartition(":")[2]
            if not slack_user:
                continue
            try:
                await self._post(await self._open_dm(slack_user), reply)
            except SlackApiError as exc:
                log.warning("slack: could not send a notice to %s: %s", slack_user, exc.response.get("error"))
                continue
            sent = True
        return sent


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
