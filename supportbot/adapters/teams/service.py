"""Which Bot Framework connectors the bot calls: never a host that whoever posts an activity names.

An activity's ``serviceUrl`` says where the bot answers, asks the roster and fetches pasted pictures,
with its own token. Taken on trust it lets anyone who can reach /api/messages make the bot call, and
tell, a host of their choosing. So every connector call (a reply, a card update, a roster look-up, a
proactive message, a new conversation, the token for a picture) goes only to a URL this policy allows:
Bot Framework's public hosts (``BOT_FRAMEWORK_HOSTS``) and those added with
``SUPPORTBOT_TEAMS_SERVICE_HOSTS`` (the syntax of the file hosts: ``host``, ``*.domain``,
``host:port``; https, or http to a loopback address). In the emulator mode only loopback addresses
are allowed, on any port: the Bot Framework Emulator runs on the same machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from yarl import URL

from supportbot.adapters.teams.files import HostPolicy, is_loopback
from supportbot.bot.errors import SupportbotError

if TYPE_CHECKING:
    from supportbot.adapters.settings import Settings

BOT_FRAMEWORK_HOSTS: tuple[str, ...] = (
    "smba.trafficmanager.net",  # Teams, public cloud
    "smba.infra.gcc.teams.microsoft.com",  # Teams, US Government Community Cloud
    "smba.infra.gov.teams.microsoft.us",  # Teams, GCC High
    "smba.infra.dod.teams.microsoft.us",  # Teams, US Department of Defense
    "*.botframework.com",  # Bot Framework's other channels, public cloud
    "*.botframework.azure.us",  # and US Government
)
"""The connectors Bot Framework sends Teams activities from (the service URLs Microsoft documents for
proactive messages, and Bot Framework's own domains)."""


class UntrustedServiceUrl(SupportbotError):
    """A connector call to a service URL the policy does not allow: refused before anything is sent."""


def host_of(url: str | None) -> str:
    """The host of ``url`` alone, for a log line: never its user info, path or query."""
    try:
        return URL(url or "").host or "(no host)"
    except (TypeError, ValueError):
        return "(not a URL)"


class ServicePolicy:
    """The connectors the bot may call (see the module)."""

    def __init__(self, extra_hosts: Sequence[str] = (), *, loopback_only: bool = False) -> None:
        self.loopback_only = loopback_only
        self.hosts: tuple[str, ...] = () if loopback_only else (*BOT_FRAMEWORK_HOSTS, *extra_hosts)
        self._hosts = HostPolicy(self.hosts)

    @classmethod
    def for_settings(cls, settings: Settings) -> ServicePolicy:
        emulator = settings.teams_emulator and not settings.microsoft_app_id
        return cls(settings.teams_service_hosts, loopback_only=emulator)

    def allows(self, url: str | URL | None) -> bool:
        try:
            parsed = url if isinstance(url, URL) else URL(url or "")
        except (TypeError, ValueError):
            return False
        if not parsed.is_absolute() or parsed.user or parsed.password or not parsed.host:
            return False
        if self.loopback_only:
            return parsed.scheme in {"http", "https"} and is_loopback(parsed.host)
        return self._hosts.allows(parsed)

    def check(self, url: str | None) -> None:
        """Raises ``UntrustedServiceUrl`` unless ``url`` may be called."""
        if not self.allows(url):
            raise UntrustedServiceUrl(f"{host_of(url)} is not an allowed Bot Framework connector")

    def describe(self) -> str:
        return "loopback addresses only" if self.loopback_only else ", ".join(self.hosts)
