"""Direct Line fixtures: the real server with Direct Line switched on, on a copy of the demo database,
and browsers (cookie jars) that sign in to the web chat and ask it for Direct Line tokens."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import create_web_app
from tests.conftest import make_settings
from tests.directline.directline_helpers import NewPage, Page


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    folder = tmp_path_factory.mktemp("directline")
    shutil.copy(seeded_template, folder / "supportbot.sqlite3")
    settings = make_settings(folder, directline_enabled=True)
    test_server = TestServer(create_web_app(await build_application(settings)))
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def new_page(server: TestServer) -> AsyncIterator[NewPage]:
    sessions: list[aiohttp.ClientSession] = []

    async def make() -> Page:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        sessions.append(session)
        return Page(server, session)

    yield make
    await asyncio.gather(*(s.close() for s in sessions))
