"""The Slack channel (slack-bolt): events, interactivity (buttons, the modal), /support and notices."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from supportbot.adapters.app import Application
    from supportbot.adapters.settings import Settings
    from supportbot.adapters.slack.channel import SlackChannel

log = logging.getLogger(__name__)

CHANNEL_KEY = web.AppKey["SlackChannel"]("slack")
"""The running ``SlackChannel`` of a server (tests wait on it)."""


def mode(settings: Settings) -> str | None:
    """``"socket"`` with an app token, ``"http"`` with a signing secret, ``None`` when Slack is off."""
    if settings.slack_bot_token is None:
        return None
    if settings.slack_app_token is not None:
        return "socket"
    if settings.slack_signing_secret is not None:
        return "http"
    log.warning("SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN: Slack is off")
    return None


def socket_mode_handler(channel: SlackChannel, app_token: str) -> AsyncSocketModeHandler:
    """Bolt's Socket Mode handler for the channel's app (create it inside the running loop)."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    return AsyncSocketModeHandler(channel.bolt, app_token, web_client=channel.client)


def setup(web_app: web.Application, app: Application) -> None:
    """Adds POST /slack/events when Slack is configured (and Socket Mode with an app token)."""
    chosen = mode(app.settings)
    if chosen is None:
        return
    from supportbot.adapters.slack.channel import SlackChannel
    from supportbot.adapters.slack.surface import EVENTS_PATH

    channel = SlackChannel(app)
    web_app[CHANNEL_KEY] = channel
    app.notifier.add_channel("slack", channel.send_notice)  # notices reach linked people as DMs
    if channel.agents is not None:
        channel.agents.attach(web_app)  # the agents' channel (SLACK_AGENT_CHANNEL) follows the bus
    if app.settings.slack_signing_secret is not None:
        web_app.router.add_post(EVENTS_PATH, channel.handle)
    handlers: list[AsyncSocketModeHandler] = []

    if chosen == "socket":
        assert app.settings.slack_app_token is not None
        app_token = app.settings.slack_app_token.get_secret_value()

        async def connect(_: web.Application) -> None:
            handler = socket_mode_handler(channel, app_token)
            handlers.append(handler)
            await handler.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack: connected in Socket Mode")

        web_app.on_startup.append(connect)

    async def stop(_: web.Application) -> None:
        for handler in handlers:
            await handler.close_async()  # type: ignore[no-untyped-call]
        await channel.drain()

    web_app.on_cleanup.append(stop)
