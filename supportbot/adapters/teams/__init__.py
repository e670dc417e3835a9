"""The Microsoft Teams channel (Bot Framework via botbuilder): POST /api/messages.

botbuilder's types stay inside this package: ``activity`` holds the pure translation both ways,
``channel`` the thin host around botbuilder's CloudAdapter, ``outgoing`` retrying and pacing of
connector calls, ``auth`` the authentication made from our settings, ``manifest`` the app package.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from supportbot.adapters.app import Application
    from supportbot.adapters.teams.channel import TeamsChannel

log = logging.getLogger(__name__)

TEAMS_PATH = "/api/messages"


def setup(web_app: web.Application, app: Application) -> None:
    """Adds POST /api/messages; does nothing when Teams is switched off."""
    if not app.settings.teams_enabled:
        return
    from supportbot.adapters.teams.channel import TeamsChannel

    mount(web_app, TeamsChannel(app))


def mount(web_app: web.Application, channel: TeamsChannel) -> None:
    """Serve ``channel`` at /api/messages (tests mount one with stubbed outgoing credentials)."""
    from supportbot.adapters.teams.channel import handler

    if channel.authenticated:
        log.info("teams: /api/messages checks Bot Framework tokens for app %s", channel.config.APP_ID)
    else:
        log.warning(
            "teams: MICROSOFT_APP_ID is not set: /api/messages accepts UNAUTHENTICATED requests "
            "(for local use with the Bot Framework Emulator only; never expose it)"
        )
    web_app.router.add_post(TEAMS_PATH, handler(channel))
    channel.app.notifier.add_channel("teams", channel.send_proactive)
