"""Contract notices in the web chat: an open chat gets one live, with its button; a user who was away
finds it in the history of the next chat they open; ``serve`` runs the passes itself."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from supportbot.adapters import server as server_module
from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, NOTICES_KEY, create_web_app
from tests.web.conftest import web_settings
from tests.web.webchat_helpers import MAX, Browser, Chat, NewBrowser

pytestmark = pytest.mark.asyncio(loop_scope="module")

LENA = "lena.wagner@contoso.example"


async def next_notice(chat: Chat) -> dict[str, Any]:
    while True:
        frame = await chat.frame()
        if frame["type"] == "notice":
            return frame
        assert frame["type"] in {"typing", "pong"}, frame


async def test_an_open_chat_gets_the_notice_live_and_an_absent_user_at_the_next_visit(
    browser: Browser, new_browser: NewBrowser
) -> None:
    await browser.login(MAX)
    chat = await browser.chat(lang="en")
    app = browser.client.app
    assert app is not None
    notices = app[APP_KEY].contract_notices
    assert notices is not None

    done = await notices.run_once()
    assert done.sent == 5

    notice = await next_notice(chat)
    assert notice["reply"]["text"].startswith(
        "Contract C-2002 (Hardware maintenance: IBM Power S1014) ends in 55 days"
    )
    (button,) = notice["reply"]["buttons"]
    assert button == {"label": "Show contract C-2002", "value": "show contract C-2002"}
    pressed = await chat.ask(button["value"], button=True)
    assert pressed["reply"]["text"], "the button's command is answered in the chat"
    await chat.close()

    # Lena was not connected: the notice waits in the history of her next chat, and is not sent again.
    assert (await notices.run_once()).sent == 0
    lena_browser = await new_browser()
    await lena_browser.login(LENA)
    lena = await lena_browser.chat(lang="en")
    shown = [item for item in lena.history if "C-2002" in item["text"]]
    assert len(shown) == 1 and shown[0]["role"] == "bot"
    assert shown[0]["reply"]["buttons"] == [
        {"label": "Show contract C-2002", "value": "show contract C-2002"}
    ]
    await lena.close()


async def test_serve_runs_a_pass_shortly_after_start_and_stops_it_at_shutdown(
    tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(seeded_template, tmp_path / "supportbot.sqlite3")
    monkeypatch.setattr(server_module, "NOTICES_FIRST_SECONDS", 0.0)
    app = await build_application(web_settings(tmp_path, notice_interval_minutes=60))
    web_app = create_web_app(app)
    test_server = TestServer(web_app)
    await test_server.start_server()
    try:
        schedule = web_app[NOTICES_KEY]
        for _ in range(500):
            if schedule.passes:
                break
            await asyncio.sleep(0.02)
        assert schedule.passes == 1, "one pass soon after start, the next an hour later"
        assert len(await app.notifier.inbox(MAX)) == 1
    finally:
        await test_server.close()  # shutdown stops the schedule before the application closes
    assert schedule.passes == 1


async def test_without_an_interval_serve_leaves_the_passes_to_cron(
    tmp_path: Path, seeded_template: Path
) -> None:
    shutil.copy(seeded_template, tmp_path / "supportbot.sqlite3")
    web_app = create_web_app(await build_application(web_settings(tmp_path, notice_interval_minutes=0)))
    test_server = TestServer(web_app)
    await test_server.start_server()
    await test_server.close()
    assert NOTICES_KEY not in web_app
