"""Real headless Chromium against the real server, for the browser tests of every channel page: where
Chromium is, how it is started, and the server on a free port in a thread of its own."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.settings import Settings

try:
    from playwright.sync_api import Browser, expect, sync_playwright
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

expect.set_options(timeout=15_000)
"""How long a page's expectation waits before it fails: 15 s, not Playwright's 5. The whole suite
loads the machine beside the server's thread, and a dashboard signed in to there once took more than
5 s to say who it was; no browser test measures speed."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless on a machine without a network: nothing of Chromium's own calls out."""


def chromium_path() -> str | None:
    candidate = (
        os.environ.get("SUPPORTBOT_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "/usr/bin/chromium"
    )
    return candidate if Path(candidate).is_file() else None


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Chromium with a new, empty user data dir of its own; a visible skip when there is none."""
    executable = chromium_path()
    if executable is None:
        configured = os.environ.get("SUPPORTBOT_CHROMIUM")
        pytest.skip(
            f"no Chromium at SUPPORTBOT_CHROMIUM={configured}"
            if configured
            else "no Chromium found: set SUPPORTBOT_CHROMIUM or install chromium (looked for chromium, "
            "chromium-browser and /usr/bin/chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LiveServer:
    """The real server on 127.0.0.1 and a free port, in a thread with its own event loop. ``pages``
    are served beside it for the test only (a vendor's page embedding a chat, say)."""

    def __init__(self, data_dir: Path, *, pages: dict[str, Handler] | None = None, **settings: Any) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = Settings(
            data_dir=data_dir,
            public_url=self.url,
            secret_key="browser-test-secret-key-0123456789",
            notice_interval_minutes=0,
            **settings,
        )
        self.pages = dict(pages or {})
        self.loop = asyncio.new_event_loop()
        self.runner: web.AppRunner | None = None
        self.app: Application | None = None
        self.ready = threading.Event()
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        if not self.ready.wait(60) or self.failed is not None:
            raise RuntimeError(f"the server did not start: {self.failed!r}")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._serve())
        except Exception as exc:
            self.failed = exc
            self.ready.set()
            return
        self.ready.set()
        self.loop.run_forever()
        self.loop.close()

    async def _serve(self) -> None:
        self.app = await build_application(self.settings)
        web_app = create_web_app(self.app)
        for path, handler in self.pages.items():
            web_app.router.add_get(path, handler)
        self.runner = web.AppRunner(web_app, access_log=None)
        await self.runner.setup()
        await web.SockSite(self.runner, self.sock).start()

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Runs ``work`` on the server's loop (an agent taking a chat through the application, say)."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(30)

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
