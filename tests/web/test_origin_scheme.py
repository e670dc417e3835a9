"""An origin is scheme, host and port: a page served over https is another site than the same host's
plain http one, so its requests must not drive a session of the http site (nor the other way round)."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, Browser

pytestmark = pytest.mark.asyncio(loop_scope="module")

Client = TestClient[web.Request, web.Application]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def https_twin(browser: Browser) -> str:
    """The test server's own host and port, but with https: the page of another origin."""
    assert browser.origin.startswith("http://")
    return "https://" + browser.origin.removeprefix("http://")


async def test_a_websocket_from_the_https_twin_of_the_site_is_refused(browser: Browser) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.chat(origin=https_twin(browser))
    assert refused.value.status == 403
    chat = await browser.chat()  # the site's own origin still talks
    assert chat.ready["type"] == "ready"


async def test_a_sign_in_from_the_https_twin_of_the_site_is_refused(browser: Browser) -> None:
    response = await browser.session.post(
        browser.url("/webchat/api/login"),
        json={"user": ANNA, "password": DEMO_PASSWORD},
        headers={"Origin": https_twin(browser)},
    )
    assert response.status == 403
    assert (await browser.whoami())["user"] is None
    assert (await browser.login(ANNA)).status == 200


async def test_an_upload_from_the_https_twin_of_the_site_is_refused(browser: Browser) -> None:
    await browser.login(ANNA)
    refused = await browser.upload(
        "a.png", PNG, content_type="image/png", headers={"Origin": https_twin(browser)}
    )
    assert refused.status == 403
    assert (await browser.upload("a.png", PNG, content_type="image/png")).status == 200


async def test_the_agents_console_refuses_the_https_twin_of_the_site(
    client: Client, browser: Browser
) -> None:
    response = await browser.session.post(
        browser.url("/agents/api/login"),
        json={"user": "sara@support.example", "password": DEMO_PASSWORD},
        headers={"Origin": https_twin(browser)},
    )
    assert response.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.session.ws_connect(browser.url("/agents/ws"), headers={"Origin": https_twin(browser)})
    assert refused.value.status in (401, 403)
