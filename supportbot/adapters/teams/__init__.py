"""The Microsoft Teams channel (Bot Framework via botbuilder): POST /api/messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from supportbot.adapters.app import Application


def setup(web_app: web.Application, app: Application) -> None:
    """Adds POST /api/messages; does nothing when Teams is switched off."""
