"""The Slack channel (slack-bolt): events, interactivity and the /support command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from supportbot.adapters.app import Application


def setup(web_app: web.Application, app: Application) -> None:
    """Adds POST /slack/events when Slack is configured; does nothing otherwise."""
