"""Which channels this server runs: every one its settings configure, built once, in mounting order.

The web chat and the agent console always run. Slack runs with its bot token and a signing secret or
an app token (and its agents' channel with ``SLACK_AGENT_CHANNEL``); Teams with ``MICROSOFT_APP_ID``
or its local emulator mode; Direct Line (Microsoft's WebChat) with ``SUPPORTBOT_DIRECTLINE_ENABLED``. A channel whose settings are missing is not built at all, so nothing of
it is served or called. To add a channel, build it here (see docs/adding-a-channel.md).
"""

from __future__ import annotations

from supportbot.adapters import directline, slack, teams
from supportbot.adapters.agents.routes import AgentConsole
from supportbot.adapters.app import Application
from supportbot.adapters.channel import Channel
from supportbot.adapters.webchat.routes import WebChatChannel


def build_channels(app: Application) -> list[Channel]:
    """The configured channels; Slack's agents' channel comes before Slack, so it starts first and
    stops first (its threads still post while the customers' channel finishes its answers)."""
    channels: list[Channel] = [WebChatChannel(app), AgentConsole(app)]
    slack_channel = slack.build(app)
    if slack_channel is not None:
        if slack_channel.agents is not None:
            channels.append(slack_channel.agents)
        channels.append(slack_channel)
    teams_channel = teams.build(app)
    if teams_channel is not None:
        channels.append(teams_channel)
    directline_channel = directline.build(app)
    if directline_channel is not None:
        channels.append(directline_channel)
    return channels
