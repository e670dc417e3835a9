"""What the server keeps on disk is its own user's only: the data folder 0700 and every file in it 0600,
whatever the umask of whoever started it, for every kind of file a running server writes."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from supportbot.adapters.app import build_application
from supportbot.bot.messages import InboundFile
from tests.conftest import Conversation, make_settings
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, Chat, new_id

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def modes(folder: Path) -> dict[str, str]:
    """Every folder and file under ``folder`` (itself included) with its permission bits."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in sorted(folder.rglob("*")):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def loose(folder: Path) -> dict[str, str]:
    """The entries that are not private: folders other than 0700, files other than 0600."""
    return {
        name: mode
        for name, mode in modes(folder).items()
        if mode != ("0o700" if (folder / name).is_dir() else "0o600")
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """``supportbot serve`` on a data folder it creates itself, started with the usual umask 022."""
    port = _free_port()
    data_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    env.update(SUPPORTBOT_DATA_DIR=str(data_dir), SUPPORTBOT_PUBLIC_URL=f"http://127.0.0.1:{port}")
    server = subprocess.Popen(
        [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: os.umask(0o022),  # noqa: PLW1509 - the umask is what the test is about
    )
    try:
        yield f"http://127.0.0.1:{port}", data_dir, server
    finally:
        server.terminate()
        server.communicate(timeout=30)


async def _wait_up(session: aiohttp.ClientSession, url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            async with session.get(f"{url}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        assert server.poll() is None, "the server exited"
        assert time.monotonic() < deadline, "the server did not come up"
        await asyncio.sleep(0.2)


async def test_every_file_a_running_server_writes_is_private(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, data_dir, server = served
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        await _wait_up(session, url, server)
        origin = {"Origin": url}
        async with session.post(
            f"{url}/webchat/api/login", json={"user": ANNA, "password": DEMO_PASSWORD}, headers=origin
        ) as response:
            assert response.status == 200
        # a chat turn (the database and its journal)
        chat = await Chat(await session.ws_connect(f"{url}/webchat/ws", headers=origin)).start()
        reply = await chat.say("where is my order 4711?")
        assert "PostNord" in reply["reply"]["text"]
        # a file sent in the chat, added to a request
        async with session.post(
            f"{url}/webchat/upload",
            data=PNG,
            headers={**origin, "Content-Type": "image/png", "X-Filename": "panel.png"},
        ) as response:
            assert response.status == 200, await response.text()
            file_id = (await response.json())["id"]
        sent = await chat.send_files("for RQ-2026-000001", [file_id], message_id=new_id())
        assert sent["type"] == "reply"
        await chat.close()
        # a password reset mail, with its live link, to the outbox
        async with session.post(
            f"{url}/webchat/api/password-reset", json={"email": ANNA}, headers=origin
        ) as r:
            assert r.status == 200
        deadline = time.monotonic() + 20
        while not list((data_dir / "outbox").glob("*.eml")):
            assert time.monotonic() < deadline, "no mail reached the outbox"
            await asyncio.sleep(0.1)

    written = modes(data_dir)
    assert {"secret.key", "supportbot.sqlite3", "supportbot.sqlite3-wal", "outbox"} <= set(written)
    assert any(name.endswith(".eml") for name in written)
    assert loose(data_dir) == {}, "while serving"
    server.terminate()
    server.communicate(timeout=30)
    assert loose(data_dir) == {}, "after a clean stop"


async def test_a_data_folder_of_an_older_version_is_made_private_at_start(
    tmp_path: Path, seeded_template: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Folders and files left readable by an earlier version are narrowed, and the log says so."""
    data_dir = tmp_path / "var"
    (data_dir / "outbox").mkdir(parents=True, mode=0o755)
    data_dir.chmod(0o755)
    shutil.copyfile(seeded_template, data_dir / "supportbot.sqlite3")
    (data_dir / "outbox" / "20261101T101010-0123abcd.eml").write_bytes(b"Subject: reset\r\n\r\nlink\r\n")
    for path in (data_dir / "supportbot.sqlite3", data_dir / "outbox" / "20261101T101010-0123abcd.eml"):
        path.chmod(0o644)
    assert loose(data_dir) != {}
    old = os.umask(0o022)
    try:
        with caplog.at_level(logging.INFO):
            app = await build_application(make_settings(data_dir))
            try:
                await app.mailer.send(to=ANNA, subject="Hello", text="A mail written now.")
            finally:
                await app.close()
    finally:
        os.umask(old)
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 2
    assert loose(data_dir) == {}
    assert any("0700" in r.getMessage() and str(data_dir) in r.getMessage() for r in caplog.records)


async def test_files_are_private_by_their_own_mode_not_by_the_umask(tmp_path: Path) -> None:
    """Built in a process whose umask lets everyone read (an embedding host, a test runner), the
    server's files are still 0600: the key, the database and its journals, the outbox, kept uploads."""
    data_dir = tmp_path / "var"
    old = os.umask(0o022)
    try:
        settings = make_settings(data_dir, secret_key=None)
        app = await build_application(settings)
        try:
            chat = Conversation(app, ANNA)
            assert "PostNord" in (await chat.say("where is my order 4711?")).text
            await app.files.stash(
                owner=ANNA, file=InboundFile(name="a.png", content_type="image/png", data=PNG)
            )
            await app.mailer.send(to=ANNA, subject="Hello", text="A mail written now.")
            written = modes(data_dir)
            assert {"secret.key", "supportbot.sqlite3-wal", "supportbot.sqlite3-shm"} <= set(written)
            assert any(name.endswith(".eml") for name in written)
            assert loose(data_dir) == {}
        finally:
            await app.close()
    finally:
        os.umask(old)
    assert loose(data_dir) == {}
