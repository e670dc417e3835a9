"""Web chat fixtures: the real aiohttp server on a copy of the seeded demo database, and browsers with
their own cookie jars.

Building the assistant (the NLU above all) costs a few tenths of a second, so one server serves a
whole test module; every test still gets new browsers, hence new sessions and new conversations.
Tests in a module that uses ``server`` run in the module's event loop: put
``pytestmark = pytest.mark.asyncio(loop_scope="module")`` at its top.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings
from tests.conftest import make_settings
from tests.web.webchat_helpers import Browser, NewBrowser

TEST_SECRET = "web-test-secret-key-not-for-production-0123"


def web_settings(data_dir: Path, **overrides: object) -> Settings:
    return make_settings(data_dir, **{"secret_key": TEST_SECRET, **overrides})


def demo_data_dir(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("webchat")
    shutil.copy(seeded_template, folder / "supportbot.sqlite3")
    return folder


class SharedServerClient(TestClient[web.Request, web.Application]):
    """A test client of a server that outlives it: closing the client leaves the server running."""

    async def close(self) -> None:
        for ws in self._websockets:
            await ws.close()
        for response in self._responses:
            response.close()
        await self.session.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    settings = web_settings(demo_data_dir(tmp_path_factory, seeded_template))
    test_server = TestServer(create_web_app(await build_application(settings)))
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def client(server: TestServer) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """A fresh cookie jar against the module's server."""
    async with SharedServerClient(server) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="module")
async def browser(client: TestClient[web.Request, web.Application]) -> Browser:
    """The test client's own cookie jar, with a guest session already issued."""
    browser = Browser(client, client.session)
    await browser.whoami()
    return browser


@pytest_asyncio.fixture(loop_scope="module")
async def new_browser(client: TestClient[web.Request, web.Application]) -> AsyncIterator[NewBrowser]:
    """Another browser (its own cookie jar) against the same server."""
    sessions: list[aiohttp.ClientSession] = []

    async def make() -> Browser:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        sessions.append(session)
        browser = Browser(client, session)
        await browser.whoami()
        return browser

    yield make
    await asyncio.gather(*(s.close() for s in sessions))


@pytest.fixture
def own_settings(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Settings:
    """Settings for a test that needs a server of its own (other options, or state it must not share)."""
    return web_settings(demo_data_dir(tmp_path_factory, seeded_template))
