"""``supportbot serve --workers 2``: one port, two worker processes; a worker killed with SIGKILL is
replaced, the other goes on serving, and the scheduled contract notices both run are sent once."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import suppress
from email import message_from_bytes, policy
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import TEST_SECRET
from tests.crash.harness import ROOT, free_port
from tests.scale.conftest import _forget, fresh_database, redis_or_skip, run
from tests.scale.workers import Worker, customer
from tests.web.webchat_helpers import ERIK

STARTED = re.compile(r"worker (\d+) started \(pid (\d+)\)")


class Supervised:
    """``supportbot serve --workers N`` as a process, its log in the data folder."""

    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 2) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "serve.log"
        self.env = {
            **os.environ,
            "SUPPORTBOT_DATA_DIR": str(data_dir),
            "SUPPORTBOT_SECRET_KEY": TEST_SECRET,
            "SUPPORTBOT_PUBLIC_URL": self.url,
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.command = [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", str(self.port)]
        self.command += ["--workers", str(workers)]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Supervised:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> dict[int, int]:
        """Each worker slot's newest process id, as the parent logged them."""
        return {int(slot): int(pid) for slot, pid in STARTED.findall(self.output())}

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def answers(port: int) -> bool:
    with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


async def until(condition: object, what: str, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, f"timed out waiting: {what}"
        await asyncio.sleep(0.1)


async def ready(http: aiohttp.ClientSession, url: str) -> dict[str, object]:
    async with http.get(f"{url}/readyz") as response:
        body = await response.json()
        assert response.status == 200, body
        return dict(body)


@pytest.fixture
def database_url() -> Iterator[str]:
    yield from fresh_database()


@pytest.fixture
def redis_env() -> Iterator[dict[str, str]]:
    prefix = f"sbtest-{uuid.uuid4().hex[:10]}:"
    yield {"SUPPORTBOT_REDIS_URL": redis_or_skip(), "SUPPORTBOT_REDIS_PREFIX": prefix}
    run(_forget(prefix))


@pytest.mark.scale
@pytest.mark.postgres
async def test_two_workers_serve_one_port_and_a_killed_one_is_replaced(
    database_url: str, redis_env: dict[str, str], tmp_path: Path
) -> None:
    server = Supervised(
        tmp_path,
        {
            **redis_env,
            "SUPPORTBOT_DATABASE_URL": database_url,
            "SUPPORTBOT_NOTICE_INTERVAL_MINUTES": "0.02",  # every worker looks every 1.2 s
        },
    ).start()
    try:
        await until(lambda: server.output().count(" serving") == 2, "two workers up")
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            assert (await ready(http, server.url))["checks"] == {
                "database": "ok",
                "migrations": "ok",
                "redis": "ok",
            }
            # Both workers look for contract notices, again and again; each notice is claimed once.
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while not (notices := await _rows(database_url, "SELECT key, mailed_at FROM notices")) or not all(
                at for _, at in notices
            ):
                assert loop.time() < deadline, "no contract notices were sent"
                await asyncio.sleep(0.2)
            await asyncio.sleep(3)  # a few more passes of each worker, which find nothing left to send

            site = Worker(tmp_path, port=server.port)  # only its address is used
            browser = customer(site, http)
            assert (await browser.login(ERIK)).status == 200
            chat = await browser.chat(lang="en")
            assert "PostNord" in json.dumps((await chat.say("where is my order 4711?"))["reply"])

            first = server.workers()
            os.kill(first[1], signal.SIGKILL)
            await until(lambda: server.workers().get(1) not in (None, first[1]), "worker 1 replaced")
            assert server.workers()[2] == first[2]  # the other one went on
            assert f"worker 1 (pid {first[1]}) ended with signal SIGKILL" in server.output()
            await until(lambda: f"worker pid {server.workers()[1]} serving" in server.output(), "it serves")

            # The chat on the killed worker (or the other) is opened again and answered by whichever
            # worker takes it; the conversation goes on where it was.
            await chat.close()
            await until(lambda: answers(server.port), "the port answers")
            again = await browser.chat(lang="en")
            assert "4711" in (await again.say("and when will it arrive?"))["reply"]["text"]
            await ready(http, server.url)
        assert server.stop() == 0
        assert "stopping 2 worker(s)" in server.output()
        mailed = [key for key, at in await _rows(database_url, "SELECT key, mailed_at FROM notices") if at]
        outbox = sorted((tmp_path / "outbox").glob("*.eml"))
        ids = {str(message_from_bytes(p.read_bytes(), policy=policy.default)["Message-ID"]) for p in outbox}
        queued = await _rows(database_url, "SELECT id FROM mail_outbox")
        assert len(queued) == len(mailed) == len(ids) == len(outbox)
        told = await _rows(
            database_url,
            "SELECT delivery_id, count(*) FROM turns WHERE delivery_id IN (SELECT key FROM notices) "
            "GROUP BY delivery_id",
        )
        assert told and all(count == 1 for _, count in told)
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait()


async def _rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()


def test_several_workers_refuse_to_start_without_redis_or_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from supportbot.adapters.cli import main

    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SUPPORTBOT_REDIS_URL", raising=False)
    monkeypatch.delenv("SUPPORTBOT_DATABASE_URL", raising=False)
    assert main(["serve", "--workers", "2", "--port", str(free_port())]) == 2
    assert "--workers 2 needs SUPPORTBOT_REDIS_URL" in capsys.readouterr().err

    monkeypatch.setenv("SUPPORTBOT_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert main(["serve", "--workers", "2", "--port", str(free_port())]) == 2
    said = capsys.readouterr().err
    assert "--workers 2 needs PostgreSQL" in said and "SQLite" in said
    assert not (tmp_path / "supportbot.sqlite3").exists()  # refused before anything was opened
