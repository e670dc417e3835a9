"""Microsoft's own WebChat, the unmodified ``botframework-webchat`` bundle from npm, in real headless
Chromium against the real server: a page signs in to the web chat, asks the server for a Direct Line
token, starts WebChat with it, asks where order 4711 is and sees the order's card.

The bundle is installed by the test set-up (``ensure_webchat_bundle`` in scripts/lib.sh, from
``tests/directline/webchat/package.json``), never committed; without it the test is skipped and says
how to get it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer, launched_chromium

pytestmark = pytest.mark.browser

BUNDLE = Path(__file__).parent / "webchat" / "node_modules" / "botframework-webchat" / "dist" / "webchat.js"
ANNA = "anna.berg@nordisk.example"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Support</title><link rel="icon" href="data:,"></head>
<body style="margin: 0"><div id="webchat" style="height: 640px"></div>
<script src="/test/webchat.js"></script>
<script>
  (async function () {
    // The sign-in step loads this page only for its origin: no WebChat (and no stream) starts there.
    if (new URLSearchParams(location.search).has('signin')) return;
    const answer = await fetch('/v3/directline/tokens/generate', { method: 'POST', credentials: 'same-origin' });
    const { token } = await answer.json();
    const directLine = window.WebChat.createDirectLine({
      token,
      domain: location.origin + '/v3/directline',
      webSocket: new URLSearchParams(location.search).get('mode') !== 'polling',
      pollingInterval: 500
    });
    window.WebChat.renderWebChat({ directLine, locale: 'en-US' }, document.getElementById('webchat'));
  })();
</script></body></html>
"""


async def webchat_page(request: web.Request) -> web.Response:
    """The vendor's page with Microsoft's WebChat on it (served by the test only)."""
    return web.Response(text=PAGE, content_type="text/html")


async def bundle(request: web.Request) -> web.FileResponse:
    return web.FileResponse(BUNDLE, headers={"Content-Type": "text/javascript; charset=utf-8"})


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    if not BUNDLE.is_file():
        pytest.skip(
            "Microsoft's WebChat bundle is not installed: scripts/test installs it with npm "
            "(or run `npm ci` in tests/directline/webchat)"
        )
    data_dir = tmp_path_factory.mktemp("directline-browser")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    pages = {"/test/webchat.html": webchat_page, "/test/webchat.js": bundle}
    server = LiveServer(data_dir, pages=pages, directline_enabled=True).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "ws://127.0.0.1", "data:", "blob:"))
            else problems.append(f"external request: {request.url}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}") if response.status >= 400 else None
        ),
    )
    yield page
    context.close()
    assert problems == []


def sign_in(page: Page, user: str = ANNA) -> None:
    """The web chat's sign-in, as the site's own page makes it (the session cookie is set)."""
    page.goto("/test/webchat.html?signin")
    status = page.evaluate(
        """async (user) => (await fetch('/webchat/api/login', {
            method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({user, password: 'demo'})})).status""",
        user,
    )
    assert status == 200


@pytest.mark.parametrize("mode", ["websocket", "polling"])
def test_webchat_signs_in_asks_for_order_4711_and_shows_its_card(page: Page, mode: str) -> None:
    sign_in(page)
    streams: list[str] = []
    page.on("websocket", lambda ws: streams.append(ws.url))
    page.goto(f"/test/webchat.html?mode={mode}")
    box = page.get_by_role("textbox").first
    expect(box).to_be_enabled()
    box.fill("where is order 4711?")
    box.press("Enter")
    card = page.locator(".ac-adaptiveCard").last
    expect(card).to_contain_text("4711")
    expect(card).to_contain_text("PostNord")
    expect(card.get_by_role("button", name="Track the shipment")).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text="where is order 4711?")).to_be_visible()
    # Sent, not "Send failed": the server's echo of the message reached WebChat.
    expect(page.get_by_text("Send failed", exact=False)).to_have_count(0)
    # Streaming WebChat read the answer from the stream URL; polling WebChat opened none.
    opened = [url for url in streams if "/v3/directline/conversations/" in url and "/stream?" in url]
    assert len(opened) == (1 if mode == "websocket" else 0), streams
