"""Signed download links: they work for their owner, expire, and are refused alike when tampered with,
expired, opened by another signed-in user, or when the owner has lost the tool's grant."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
import openpyxl
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings
from tests.web.webchat_helpers import ANNA, ERIK, Browser

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
async def served(own_settings: Settings) -> tuple[Application, Client]:  # type: ignore[misc]
    app = await build_application(own_settings)
    client = TestClient(TestServer(create_web_app(app)))
    await client.start_server()
    yield app, client  # type: ignore[misc]
    await client.close()


async def browser_of(client: Client, user: str | None) -> Browser:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    browser = Browser(client, session)
    await browser.whoami()
    if user is not None:
        assert (await browser.login(user)).status == 200
    return browser


async def report_link(browser: Browser) -> str:
    chat = await browser.chat(lang="en")
    frame = await chat.say("order report for this year")
    await chat.close()
    (xlsx, _csv) = frame["reply"]["attachments"]
    assert xlsx["name"].endswith(".xlsx")
    return str(xlsx["url"])


def local(url: str) -> str:
    """The link's path and query, to open on the test server."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


async def test_the_owner_downloads_a_real_workbook(served: tuple[Application, Client]) -> None:
    _, client = served
    anna = await browser_of(client, ANNA)
    url = await report_link(anna)
    async with anna.session.get(client.make_url(local(url))) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "attachment" in response.headers["Content-Disposition"]
        workbook = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert workbook.active is not None and workbook.active.max_row > 1
    await anna.session.close()


async def test_every_bad_link_gets_the_same_bare_403(served: tuple[Application, Client]) -> None:
    app, client = served
    anna = await browser_of(client, ANNA)
    url = await report_link(anna)
    erik = await browser_of(client, ERIK)
    guest = await browser_of(client, None)
    sig = dict(parse_qsl(urlsplit(url).query))["sig"]
    bad = {
        "tampered signature": (anna, with_query(url, sig=("0" if sig[0] != "0" else "1") + sig[1:])),
        "later expiry": (
            anna,
            with_query(url, exp=str(int(dict(parse_qsl(urlsplit(url).query))["exp"]) + 3600)),
        ),
        "no signature": (anna, with_query(url, sig="")),
        "unknown file": (anna, local(url).replace("/files/", "/files/x")),
        "another user's link": (erik, local(url)),
    }
    bodies = set()
    for label, (browser, path) in bad.items():
        async with browser.session.get(client.make_url(path)) as response:
            assert response.status == 403, label
            bodies.add(await response.text())
    assert bodies == {"Forbidden"}, "no detail tells one refusal from another"

    async with guest.session.get(client.make_url(local(url))) as response:
        assert response.status == 200, "the signed link itself is the key when no one is signed in"

    app.files.ttl = timedelta(seconds=-1)
    expired = await report_link(anna)
    async with anna.session.get(client.make_url(local(expired))) as response:
        assert response.status == 403 and await response.text() == "Forbidden"
    for browser in (anna, erik, guest):
        await browser.session.close()


async def test_a_link_stops_working_when_the_grant_is_gone(served: tuple[Application, Client]) -> None:
    app, client = served
    anna = await browser_of(client, ANNA)
    url = await report_link(anna)
    async with app.engine.begin() as conn:
        await conn.execute(text("DELETE FROM grants WHERE tool = 'orders' AND user_id = :u"), {"u": ANNA})
    async with anna.session.get(client.make_url(local(url))) as response:
        assert response.status == 403
    await anna.session.close()


def test_settings_never_show_the_secret(own_settings: Settings) -> None:
    assert own_settings.secret_key is not None
    assert own_settings.secret_key.get_secret_value() not in repr(own_settings)
