"""The thin host: POST /api/messages through botbuilder's CloudAdapter into the pipeline and back.

The request is checked in this order, and nothing is sent unless all pass: a valid Bot Framework
token (401 — every failure of botbuilder's validation, whatever it raises — before the body is read),
a JSON body (else 400), an activity with the fields a reply needs (400), the token issued for this
activity (401), and its ``serviceUrl`` a connector the bot calls (403: ``service.ServicePolicy``).
Then the turn runs: the sender is linked to a user by their Teams user principal name, the message
goes through the pipeline, and the reply goes back as an Adaptive Card — unless the activity is a
repeat, which is answered by nothing new.

Files in the message are downloaded first (``files``: allowed hosts only, capped in size); a sent
form's card is then replaced by what was sent, read-only, so the same card cannot be sent twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web
from botbuilder.core import Bot, BotAdapter, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    ResourceResponse,
)
from botframework.connector.auth import ServiceClientCredentialsFactory

from supportbot.adapters.channel import Arrival
from supportbot.adapters.teams.activity import (
    CAPABILITIES,
    CHANNEL,
    BadActivity,
    card_activity,
    conversation_ref,
    external_id,
    file_links,
    parse_activity,
    sent_card,
    tenant_id,
    to_activity,
    to_message,
)
from supportbot.adapters.teams.auth import Authentication, BotConfig
from supportbot.adapters.teams.files import Downloader, Fetched
from supportbot.adapters.teams.outgoing import ConversationPacer, RetryPolicy, with_retries
from supportbot.adapters.teams.service import ServicePolicy, host_of
from supportbot.adapters.teams.wording import language_of
from supportbot.bot.i18n import Formatter, translate
from supportbot.bot.messages import Form, FormSubmission, Message, Reply
from supportbot.integrations.errors import BackendUnavailable

if TYPE_CHECKING:
    from supportbot.adapters.app import Application

log = logging.getLogger(__name__)

TEAMS_PATH = "/api/messages"

MATCHED_BY = "upn"
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"


class TeamsAdapter(CloudAdapter):  # type: ignore[misc]  # botbuilder is untyped: CloudAdapter is Any
    """botbuilder's CloudAdapter whose sends are paced per conversation and retried when throttled."""

    def __init__(
        self, authentication: Authentication, *, pacer: ConversationPacer, policy: RetryPolicy
    ) -> None:
        super().__init__(authentication)
        self.pacer = pacer
        self.policy = policy

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type == ActivityTypes.message and activity.conversation is not None:
                await self.pacer.wait(activity.conversation.id)

            async def send(one: Activity = activity) -> list[ResourceResponse]:
                sent: list[ResourceResponse] = await super(TeamsAdapter, self).send_activities(context, [one])
                return sent

            responses.extend(await with_retries(send, policy=self.policy, what="send activity"))
        return responses


class TeamsBot(Bot):  # type: ignore[misc]  # botbuilder is untyped: Bot is Any
    """What a turn does: messages and card actions go to the pipeline; being added says hello."""

    def __init__(self, channel: TeamsChannel) -> None:
        self.channel = channel

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.message:
            await self.channel.answer(context)
        elif activity.type == ActivityTypes.invoke and activity.name == ADAPTIVE_CARD_ACTION:
            await self.channel.answer(context)
            await context.send_activity(
                Activity(
                    type=ActivityTypes.invoke_response,
                    value=InvokeResponse(
                        status=int(HTTPStatus.OK),
                        body={
                            "statusCode": 200,
                            "type": "application/vnd.microsoft.activity.message",
                            "value": "",
                        },
                    ),
                )
            )
        elif activity.type == ActivityTypes.conversation_update:
            added = activity.members_added or []
            if any(member.id == activity.recipient.id for member in added):
                await self.channel.welcome(context)


class TeamsChannel:
    """The Teams channel of one worker: its adapter, its bot and the way to the pipeline."""

    name = CHANNEL
    capabilities = CAPABILITIES
    """The most a conversation can do; a group chat or a channel cannot send files (``capabilities``)."""

    def __init__(
        self,
        app: Application,
        *,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
        pacer: ConversationPacer | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.app = app
        self.config = BotConfig(app.settings)
        self.services = ServicePolicy.for_settings(app.settings)
        self.authentication = Authentication(
            self.config,
            services=self.services,
            emulator=app.settings.teams_emulator,
            credentials_factory=credentials_factory,
        )
        self.adapter = TeamsAdapter(
            self.authentication, pacer=pacer or ConversationPacer(), policy=policy or RetryPolicy()
        )
        self.adapter.on_turn_error = self._turn_error
        self.bot = TeamsBot(self)
        self.downloader = Downloader(app.settings.teams_file_hosts, services=self.services)
        self._refs: dict[str, dict[str, Any]] = {}
        """The conversation reference last stored per user, so an unchanged one costs no write."""

    @property
    def authenticated(self) -> bool:
        return self.config.authenticated

    @property
    def emulator(self) -> bool:
        """The local emulator mode: no tokens, loopback connectors only."""
        return bool(self.authentication.emulator)

    # --- the channel ------------------------------------------------------------------------------

    def mount(self, web_app: web.Application) -> None:
        """Serve POST /api/messages, saying at start-up how it is trusted."""
        if self.authenticated:
            log.info(
                "teams: /api/messages checks Bot Framework tokens for app %s; connectors called: %s",
                self.config.APP_ID,
                self.services.describe(),
            )
        elif self.emulator:
            log.warning(
                "teams: EMULATOR mode: /api/messages accepts activities WITHOUT a token and answers "
                "connectors on loopback addresses only (for the Bot Framework Emulator on this machine)"
            )
        else:
            log.warning("teams: neither an app id nor the emulator mode: every request is refused")
        web_app.router.add_post(TEAMS_PATH, self.handle)

    def to_message(self, inbound: Activity, arrival: Arrival) -> Message:
        return to_message(inbound, arrival.user_id, received_at=arrival.received_at, files=arrival.files)

    def render(self, reply: Reply) -> Activity:
        return to_activity(reply)

    # --- HTTP --------------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        try:
            auth = await self.authentication.authenticate_header(request.headers.get("Authorization"))
        except Exception as exc:
            log.info("teams: refused a request (%s: %s)", exc.__class__.__name__, exc)
            return _error(401, "unauthorized")
        try:
            raw = json.loads(await request.read())
        except (ValueError, RecursionError):
            return _error(400, "the body is not JSON")
        try:
            activity = parse_activity(raw)
        except BadActivity as bad:
            return _error(400, str(bad))
        try:
            self.authentication.bind(auth, activity)
        except PermissionError as exc:
            log.info("teams: refused a request (%s)", exc)
            return _error(401, "unauthorized")
        if not self.services.allows(activity.service_url):
            log.warning(
                "teams: refused an activity naming the connector %s, which is not an allowed service host",
                host_of(activity.service_url),
            )
            return _error(403, "the serviceUrl is not an allowed Bot Framework connector")
        try:
            invoke = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        except Exception:
            log.exception("teams: the turn failed in conversation %s", activity.conversation.id)
            return _error(502, "the reply could not be delivered")
        if invoke is not None:
            return web.json_response(invoke.body, status=invoke.status)
        return web.Response(status=200)

    async def _turn_error(self, context: TurnContext, error: Exception) -> None:
        raise error

    # --- the turn ----------------------------------------------------------------------------------

    async def answer(self, context: TurnContext) -> None:
        activity = context.activity
        user_id = await self.app.identity.resolve(
            CHANNEL, external_id(activity), email=lambda: self._upn(context), matched_by=MATCHED_BY
        )
        if user_id is not None:
            await self._remember(user_id, activity)
        fetched = Fetched()
        links = file_links(activity)
        if links:
            if (
                await self.app.store.reply_for_delivery(conversation_ref(activity).key, activity.id)
                is not None
            ):
                log.info("teams: activity %s was answered before", activity.id)
                return  # a redelivery: nothing is downloaded again
            fetched = await self.downloader.fetch(
                links, service_url=activity.service_url, token=lambda: self._token(context)
            )
        message = self.to_message(activity, Arrival(user_id, datetime.now(UTC), tuple(fetched.files)))
        if fetched.failed and not message.files and not message.text.strip():
            principal = await self.app.pipeline.principal(user_id)
            language = principal.locale if user_id else language_of(activity.locale)
            await context.send_activity(_not_received(fetched.failed, language))
            return
        shown = await self._shown_form(message) if message.form is not None else None
        try:
            answer = await self.app.pipeline.answer(message)
        except BackendUnavailable as exc:  # the database, or Redis (the lock): nothing was stored
            log.info("teams: apologised for activity %s: %s", activity.id, exc)
            language = language_of(activity.locale)
            await context.send_activity(
                to_activity(Reply(text=translate("teams.error.unavailable", language), language=language))
            )
            return
        if answer.repeat:
            log.info("teams: activity %s was answered before", activity.id)
            return
        if message.form is not None:
            await self._freeze_form(context, shown, message.form, answer.reply.language)
        if not answer.reply.silent:  # silent: an agent has the conversation
            await context.send_activity(to_activity(answer.reply))
        if fetched.failed:
            await context.send_activity(_not_received(fetched.failed, answer.reply.language))

    async def _token(self, context: TurnContext) -> str | None:
        """The bot's token for the connector of this turn (``None`` in the emulator mode)."""
        client = context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
        credentials = getattr(getattr(client, "config", None), "credentials", None)
        if credentials is None or not getattr(credentials, "microsoft_app_id", None):
            return None
        token = await asyncio.to_thread(credentials.get_access_token)  # MSAL may call out: not on the loop
        return str(token) if token else None

    async def _shown_form(self, message: Message) -> tuple[Form, str] | None:
        """The form the user's card showed (the last of its id in the transcript) and its language."""
        assert message.form is not None
        for turn in reversed(await self.app.pipeline.history(message.conversation.key, limit=30)):
            shown = (turn.payload or {}).get("form") if turn.role == "bot" else None
            if isinstance(shown, dict) and shown.get("id") == message.form.id:
                try:
                    language = str((turn.payload or {}).get("language") or "en")
                    return Form.model_validate(shown), language
                except ValueError:
                    return None
        return None

    async def _freeze_form(
        self, context: TurnContext, shown: tuple[Form, str] | None, sent: FormSubmission, language: str
    ) -> None:
        """Replace the sent form's card by what was sent, read-only. Best effort: a failure is logged."""
        card_id = context.activity.reply_to_id
        if not card_id:
            return
        form, language = shown if shown is not None else (None, language)
        update = card_activity(sent_card(form, sent, language), activity_id=card_id)
        try:
            await with_retries(
                lambda: context.update_activity(update), policy=self.adapter.policy, what="card update"
            )
        except Exception as exc:
            log.warning("teams: could not mark a sent form's card (%s)", exc.__class__.__name__)

    async def welcome(self, context: TurnContext) -> None:
        """The bot was added to a chat or team: say what it can do, in the installer's language."""
        locale = (context.activity.locale or "en").split("-")[0].lower()
        formatter = Formatter("sv" if locale == "sv" else "en")
        reply = Reply(text=formatter.t("smalltalk.help.guest"), language=formatter.language)
        await context.send_activity(to_activity(reply))

    async def _upn(self, context: TurnContext) -> str | None:
        """The sender's user principal name (or e-mail) from the Teams roster."""
        try:
            member = await with_retries(
                lambda: TeamsInfo.get_member(context, context.activity.from_property.id),
                policy=self.adapter.policy,
                what="roster look-up",
            )
        except Exception as exc:
            log.warning("teams: roster look-up failed (%s)", exc.__class__.__name__)
            return None
        address = getattr(member, "user_principal_name", None) or getattr(member, "email", None)
        return str(address) if address else None

    async def _remember(self, user_id: str, activity: Activity) -> None:
        """Store where the user can be reached later; their personal chat wins over a group or team."""
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None
        stored = reference.serialize()
        stored["tenantId"] = tenant_id(activity)
        known = self._refs.get(user_id)
        if known is None:
            known = await self.app.store.conversation_ref(CHANNEL, user_id)
        if known == stored:
            self._refs[user_id] = stored
            return
        personal = _is_personal(stored)
        if known is not None and _is_personal(known) and not personal:
            self._refs[user_id] = known
            return
        await self.app.store.save_conversation_ref(CHANNEL, user_id, stored)
        if len(self._refs) > 10_000:
            self._refs.clear()
        self._refs[user_id] = stored

    # --- proactive ---------------------------------------------------------------------------------

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Write to the user outside any turn: in their personal chat, opening one if needed.

        Returns ``False`` when the bot has never seen the user in Teams, or saw them at a connector it
        does not call (one stored before the service hosts were narrowed).
        """
        stored = await self.app.store.conversation_ref(CHANNEL, user_id)
        if stored is None:
            return False
        reference = ConversationReference().deserialize(stored)
        if not self.services.allows(reference.service_url):
            log.warning(
                "teams: a stored conversation names the connector %s, which is not an allowed service "
                "host: nothing is sent there",
                host_of(reference.service_url),
            )
            return False
        activity = self.render(reply)

        async def send(context: TurnContext) -> None:
            await context.send_activity(activity)

        bot_id = self.config.APP_ID or None
        if _is_personal(stored):
            await self.adapter.continue_conversation(reference, send, bot_app_id=bot_id)
            return True
        tenant = stored.get("tenantId")
        parameters = ConversationParameters(
            is_group=False,
            bot=reference.bot,
            members=[ChannelAccount(id=reference.user.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        await self.adapter.create_conversation(
            bot_id, send, parameters, reference.channel_id, reference.service_url, None
        )
        return True


def _not_received(names: list[str], language: str) -> Activity:
    text = translate("teams.files.failed", language, names=", ".join(names), count=len(names))
    return to_activity(Reply(text=text, language=language))


def _is_personal(stored: dict[str, Any]) -> bool:
    conversation = stored.get("conversation") or {}
    return bool(conversation.get("conversationType") == "personal")


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def send_proactive(
    app: Application, user_id: str, reply: Reply, *, channel: TeamsChannel | None = None
) -> bool:
    """Write ``reply`` to ``user_id`` in Teams, outside a turn; ``False`` when Teams never saw the user."""
    return await (channel or TeamsChannel(app)).deliver(user_id, reply)
