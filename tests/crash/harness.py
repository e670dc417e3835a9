"""A real ``supportbot serve`` process to kill: start it on a loopback port with its own data folder,
sign in and chat over its WebSocket, kill it with SIGKILL (at a named crash point, see
``supportbot.faults``, or after a few milliseconds), start it again on the same data, and read what
the database and the mail outbox hold."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import aiohttp

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One ``supportbot serve`` process on ``data_dir``; ``crash_at`` names the point it dies at."""

    def __init__(
        self,
        data_dir: Path,
        *,
        crash_at: str | None = None,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.crash_at = crash_at
        self.env = env or {}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / f"server-{self.port}.log"

    def start(self) -> Server:
        env = {
            **os.environ,
            "SUPPORTBOT_DATA_DIR": str(self.data_dir),
            "SUPPORTBOT_SECRET_KEY": TEST_SECRET,
            "SUPPORTBOT_PUBLIC_URL": self.url,
            "SUPPORTBOT_MAIL_RETRY_SECONDS": "1",
            "SUPPORTBOT_NOTICE_INTERVAL_MINUTES": "0",  # no contract notices among the mail counted
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SUPPORTBOT_CRASH_AT", None)
        env.pop("SUPPORTBOT_DATABASE_URL", None)
        env.pop("SUPPORTBOT_SMTP_URL", None)
        if self.crash_at:
            env["SUPPORTBOT_CRASH_AT"] = self.crash_at
        env.update(self.env)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, f"the server exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"the server did not come up:\n{self.output()}"
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL now, as a power cut would."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    async def died(self, timeout: float = 10.0) -> int:
        """Waits for the process to end; its return code (``-9`` when it was killed)."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "the server did not die at its crash point"
            await asyncio.sleep(0.02)
        return self.process.returncode


class Browser:
    """One browser's cookie jar: signed in once, it keeps its session (and so its conversation)
    across restarts of the server on the same port."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def login(self, server: Server, user: str) -> None:
        async with self.session.post(
            f"{server.url}/webchat/api/login",
            json={"user": user, "password": PASSWORD},
            headers={"Origin": server.url},
        ) as response:
            assert response.status == 200, await response.text()

    @asynccontextmanager
    async def chat(self, server: Server) -> AsyncIterator[Chat]:
        ws = await self.session.ws_connect(f"{server.url}/webchat/ws", headers={"Origin": server.url})
        chat = Chat(ws)
        await chat.start()
        try:
            yield chat
        finally:
            await ws.close()


@asynccontextmanager
async def browser() -> AsyncIterator[Browser]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield Browser(session)


class Chat:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def start(self) -> None:
        for kind in ("ready", "history"):
            frame = await self.frame()
            assert frame is not None and frame["type"] == kind, frame

    async def frame(self, timeout: float = 15.0) -> dict[str, Any] | None:
        """The next frame; ``None`` when the server went away."""
        message = await self.ws.receive(timeout=timeout)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return None
        assert message.type is aiohttp.WSMsgType.TEXT, message
        return cast(dict[str, Any], json.loads(message.data))

    async def send(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """Sends a frame; its reply or error frame, or ``None`` when the server died first."""
        try:
            await self.ws.send_str(json.dumps(frame))
        except (ConnectionError, RuntimeError):
            return None
        while True:
            try:
                got = await self.frame()
            except (ConnectionError, aiohttp.ClientError):
                return None
            if got is None:
                return None
            if got["type"] in {"reply", "error"} and got.get("in_reply_to") == frame.get("id"):
                return got

    async def say(self, text: str, message_id: str) -> dict[str, Any] | None:
        return await self.send({"type": "message", "id": message_id, "text": text})

    async def submit(self, form: str, values: dict[str, str], message_id: str) -> dict[str, Any] | None:
        return await self.send({"type": "form", "id": message_id, "form": form, "values": values})


def query(data_dir: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows from the server's SQLite database (read while no server writes, or in WAL beside one)."""
    with sqlite3.connect(data_dir / "supportbot.sqlite3") as conn:
        return list(conn.execute(sql, params))


def queued_mails(data_dir: Path, needle: str) -> list[EmailMessage]:
    """The outbox rows whose message mentions ``needle``, parsed."""
    rows = query(data_dir, "SELECT message FROM mail_outbox ORDER BY id")
    mails = [cast(EmailMessage, message_from_bytes(bytes(r[0]), policy=policy.default)) for r in rows]
    return [mail for mail in mails if needle in _text(mail)]


def delivered_mails(data_dir: Path, needle: str) -> dict[str, EmailMessage]:
    """The .eml files in the outbox folder that mention ``needle``, by Message-ID (a mail delivered
    twice after a crash between delivery and its record is the same message, once)."""
    found: dict[str, EmailMessage] = {}
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        mail = cast(EmailMessage, message_from_bytes(path.read_bytes(), policy=policy.default))
        if needle in _text(mail):
            found[str(mail["Message-ID"])] = mail
    return found


def _text(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    return f"{mail['Subject']}\n{body.get_content() if body is not None else ''}"


async def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)
