"""The Slack channel (slack-bolt): events, interactivity (buttons, the modal), /support and notices."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supportbot.adapters.app import Application
    from supportbot.adapters.settings import Settings
    from supportbot.adapters.slack.channel import SlackChannel

log = logging.getLogger(__name__)


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


def build(app: Application) -> SlackChannel | None:
    """The Slack channel (with the agents' channel, ``SLACK_AGENT_CHANNEL``) when Slack is configured."""
    if mode(app.settings) is None:
        return None
    from supportbot.adapters.slack.channel import SlackChannel

    return SlackChannel(app)
