"""The Microsoft Teams channel (Bot Framework via botbuilder): POST /api/messages.

botbuilder's types stay inside this package: ``activity`` holds the pure translation both ways,
``channel`` the thin host around botbuilder's CloudAdapter, ``outgoing`` retrying and pacing of
connector calls, ``auth`` the authentication made from our settings, ``service`` the connectors the
bot calls, ``manifest`` the app package.

Teams is off unless it is configured: with an app id every request needs a Bot Framework token; the
emulator mode (no token) is for one machine only and refused on any address but loopback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from supportbot.bot.errors import ConfigurationError

if TYPE_CHECKING:
    from supportbot.adapters.app import Application
    from supportbot.adapters.settings import Settings
    from supportbot.adapters.teams.channel import TeamsChannel

log = logging.getLogger(__name__)

Mode = Literal["bot-framework", "emulator"]


def mode(settings: Settings) -> Mode | None:
    """How Teams is served: with Bot Framework tokens (an app id is set), in the local emulator mode
    (``SUPPORTBOT_TEAMS_EMULATOR``), or not at all — the default, so nothing is trusted unconfigured."""
    if not settings.teams_enabled:
        return None
    if settings.microsoft_app_id:
        return "bot-framework"
    return "emulator" if settings.teams_emulator else None


def check(settings: Settings) -> None:
    """Refuses settings under which the emulator mode would trust more than this machine."""
    if not settings.teams_enabled or not settings.teams_emulator:
        return
    from supportbot.adapters.teams.files import is_loopback

    if settings.microsoft_app_id:
        raise ConfigurationError(
            "SUPPORTBOT_TEAMS_EMULATOR is for local use without credentials, but MICROSOFT_APP_ID is set: "
            "unset one of them"
        )
    if not is_loopback(settings.host):
        raise ConfigurationError(
            "SUPPORTBOT_TEAMS_EMULATOR accepts activities without a token, so the server must listen on a "
            f"loopback address only (127.0.0.1, ::1 or localhost), not {settings.host!r}"
        )


def build(app: Application) -> TeamsChannel | None:
    """The Teams channel when Teams is configured; says at start-up why it is off otherwise."""
    check(app.settings)
    chosen = mode(app.settings)
    if chosen is None:
        why = (
            "SUPPORTBOT_TEAMS_ENABLED is false"
            if not app.settings.teams_enabled
            else "MICROSOFT_APP_ID is not set (SUPPORTBOT_TEAMS_EMULATOR=true serves it locally without one)"
        )
        log.info("teams: off: %s; /api/messages is not served", why)
        return None
    from supportbot.adapters.teams.channel import TeamsChannel

    return TeamsChannel(app)
