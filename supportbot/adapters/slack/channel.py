"""The Slack host: a slack-bolt ``AsyncApp`` behind POST /slack/events (or Socket Mode).

Bolt verifies, acknowledges and dispatches; the listeners acknowledge at once and hand the slow part
(identity, pipeline, posting) to a task this channel owns, so Slack always has its answer within
three seconds and a shutdown waits for work in flight. A redelivered event keeps its ``event_id``,
which is the message's delivery id: the pipeline answers it from the store and nothing is posted.

``/support`` without text and the Home tab's "Ask a question" open a modal (``views.open``); its
submission is checked and acknowledged at once, and the question is answered in the person's DM.
Notices (an administrator's approval request, its outcome) reach a linked person as a DM too:
``send_notice`` is the ``Notifier``'s deliverer for Slack.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
from supportbot.adapters.slack.inbound import (
    CHANNEL,
    Inbound,
    ModalQuestion,
    ModalRequest,
    PayloadError,
    decode_body,
    from_action,
    from_command,
    from_event,
    from_view,
    is_ask_action,
    modal_request,
    wants_modal,
)
from supportbot.adapters.slack.render import ask_errors, ask_view, fallback_text, home_view, to_blocks
from supportbot.adapters.slack.surface import ASK_ACTION, ASK_VIEW, BUTTON_ACTION, COMMAND, LINK_ACTION
from supportbot.adapters.slack.wording import say
from supportbot.bot.errors import InvalidLink
from supportbot.bot.messages import Reply

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 10.0
"""Seconds a stopping server waits for answers in flight before cancelling them."""


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


class SlackChannel:
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
        try:
            user_id = await self.app.identity.resolve(
                CHANNEL, found.external_id, email=lambda: self._email(found.user), matched_by="email"
            )
            answer = await self.app.pipeline.answer(found.message(user_id=user_id))
        except Exception:
            log.exception("slack: could not answer in conversation %s", key)
            await self._safely(
                self._deliver(found, Reply(text=say("error.internal", "en")), user_id=None), key
            )
            return
        if answer.repeat:
            log.info("slack: delivery %s in %s was answered before", found.delivery_id, key)
            return
        if answer.reply.silent:  # an agent has the conversation
            return
        await self._safely(self._deliver(found, answer.reply, user_id=user_id), key)

    async def _safely(self, work: Awaitable[None], key: str) -> None:
        try:
            await work
        except (TimeoutError, SlackClientError, OSError):
            log.exception("slack: could not deliver the answer in conversation %s", key)

    async def _email(self, slack_user: str) -> str | None:
        """The e-mail Slack has verified for the person, or ``None`` (bots, deleted, unconfirmed)."""
        try:
            response = await self.client.users_info(user=slack_user)
        except SlackApiError as exc:
            log.warning("slack: users.info failed for %s: %s", slack_user, exc.response.get("error"))
            return None
        user = response.get("user") or {}
        if user.get("deleted") or user.get("is_bot") or user.get("is_email_confirmed") is False:
            return None
        email = (user.get("profile") or {}).get("email")
        return email if isinstance(email, str) and "@" in email else None

    async def _deliver(self, found: Inbound, reply: Reply, *, user_id: str | None) -> None:
        text = fallback_text(reply)
        if found.route == "respond":
            assert found.response_url is not None
            hook = AsyncWebhookClient(found.response_url, retry_handlers=retry_handlers())
            response = await hook.send(
                text=text, blocks=to_blocks(reply) or None, response_type="ephemeral", replace_original=False
            )
            if response.status_code != 200:
                log.warning("slack: response_url answered %s", response.status_code)
            return
        if found.route == "ephemeral":
            await self.client.chat_postEphemeral(
                channel=found.channel,
                user=found.user,
                text=text,
                blocks=to_blocks(reply) or None,
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

    async def _publish_home(self, team_id: str, slack_user: str) -> None:
        try:
            user_id = await self.app.identity.resolve(
                CHANNEL, f"{team_id}:{slack_user}", email=lambda: self._email(slack_user), matched_by="email"
            )
            principal = await self.app.pipeline.principal(user_id)
            view = home_view(principal.locale or "en", name=principal.name or None, guest=principal.is_guest)
            await self.client.views_publish(user_id=slack_user, view=view)
        except Exception:
            log.exception("slack: could not publish the Home tab for %s", slack_user)

    # --- the question modal -----------------------------------------------------------------------

    async def _language(self, team_id: str, slack_user: str) -> str:
        """The linked person's language (linking them first if need be), English for a guest."""
        try:
            user_id = await self.app.identity.resolve(
                CHANNEL, f"{team_id}:{slack_user}", email=lambda: self._email(slack_user), matched_by="email"
            )
            principal = await self.app.pipeline.principal(user_id)
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

    async def _open_dm(self, slack_user: str) -> str:
        """The id of the bot's DM with the person (``conversations.open`` returns the existing one)."""
        response = await self.client.conversations_open(users=slack_user)
        channel = response.get("channel") or {}
        channel_id = channel.get("id") if isinstance(channel, dict) else None
        if not isinstance(channel_id, str) or not channel_id:
            raise SlackClientError("conversations.open returned no channel")
        return channel_id

    # --- notices ----------------------------------------------------------------------------------

    async def send_notice(self, user_id: str, reply: Reply) -> bool:
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
