"""Teams fixtures: the real server (unauthenticated local mode) and a stand-in of the connector it calls."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from teams_helpers import Connector, Teams, start_connector

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    stand_in, server = await start_connector()
    yield stand_in
    await server.close()


@pytest.fixture
async def teams_app(settings: Settings) -> Application:
    """The assistant; the server of ``teams`` closes it."""
    return await build_application(settings)


@pytest.fixture
async def teams(teams_app: Application, connector: Connector) -> AsyncIterator[Teams]:
    """The whole server with Teams in local (unauthenticated) mode; closing it closes the assistant."""
    server = TestServer(create_web_app(teams_app))
    async with TestClient(server) as client:
        yield Teams(client, connector)
