"""Teams fixtures: the real server (in the local emulator mode) and a stand-in of the connector it calls."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings
from tests.teams.teams_helpers import Connector, Listener, Teams, start_connector, start_listener


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    stand_in, server = await start_connector()
    yield stand_in
    await server.close()


@pytest.fixture
async def attacker() -> AsyncIterator[Listener]:
    """Someone else's server on another loopback port: forged activities name it as their serviceUrl."""
    listener, server = await start_listener()
    yield listener
    await server.close()


@pytest.fixture
async def teams_app(settings: Settings) -> Application:
    """The assistant with Teams in the local emulator mode (no tokens; loopback connectors only);
    the server of ``teams`` closes it."""
    return await build_application(settings.model_copy(update={"teams_emulator": True}))


@pytest.fixture
async def teams(teams_app: Application, connector: Connector) -> AsyncIterator[Teams]:
    """The whole server with Teams in the emulator mode; closing it closes the assistant."""
    server = TestServer(create_web_app(teams_app))
    async with TestClient(server) as client:
        yield Teams(client, connector)
