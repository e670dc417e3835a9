"""``supportbot serve --workers 2``: one port, two worker processes; a worker killed with SIGKILL is
replaced, the other goes on serving, and the scheduled contract notices both run are sent once. A scrape
of either worker gives the figures of both, and keeps what a killed one counted."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import stat
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
        # The fresh database was migrated and seeded once, before any worker started.
        said = server.output()
        assert said.count("database created at revision") == said.count("seeded the demo data") == 1
        assert said.index("seeded the demo data") < said.index("worker 1 started")
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


@pytest.mark.scale
@pytest.mark.postgres
async def test_workers_whose_parent_was_killed_outright_stop_and_free_the_port(
    database_url: str, redis_env: dict[str, str], tmp_path: Path
) -> None:
    """A parent killed with SIGKILL cannot pass SIGTERM on: its workers notice and stop by themselves,
    gracefully, rather than serve the port on unsupervised (a restarted service could not bind it)."""
    server = Supervised(tmp_path, {**redis_env, "SUPPORTBOT_DATABASE_URL": database_url}).start()
    workers: dict[int, int] = {}
    try:
        await until(lambda: server.output().count(" serving") == 2, "two workers up")
        workers = server.workers()
        assert server.process is not None
        server.process.kill()
        server.process.wait()
        await until(lambda: not any(_alive(pid) for pid in workers.values()), "the workers stopped")
        assert server.output().count("is gone; stopping") == 2
        assert not answers(server.port)
    finally:
        for pid in workers.values():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.scale
@pytest.mark.postgres
async def test_the_next_start_removes_the_metrics_folder_a_parent_killed_outright_left_and_nothing_else(
    database_url: str, redis_env: dict[str, str], tmp_path: Path
) -> None:
    """A parent killed with SIGKILL cannot remove its run's metrics folder; the next start does, and only
    folders it can tell are such leftovers: not a running deployment's, another user's, an unmarked one,
    a link, or anything else in the temporary folder."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(mode=0o700)
    env = {**redis_env, "SUPPORTBOT_DATABASE_URL": database_url, "TMPDIR": str(temporary)}
    ended = _ended()
    here = os.readlink("/proc/self/ns/pid")
    kept = {
        "running": _metrics_folder(temporary, "running", f"{os.getpid()} {_start_ticks(os.getpid())} {here}"),
        "unmarked": _metrics_folder(temporary, "unmarked", None),
        "other name": _metrics_folder(temporary, "x", f"{ended.pid} - {here}", prefix="metrics-"),
        "not a folder": temporary / "supportbot-metrics-file",
        "link": temporary / "supportbot-metrics-link",
        "another container's": _metrics_folder(temporary, "container", f"{ended.pid} - pid:[1]"),
    }
    kept["not a folder"].write_text(f"{ended.pid} - {here}\n")
    kept["link"].symlink_to(_metrics_folder(tmp_path, "target", f"{ended.pid} - {here}"))
    # Its owner's id now names another process, which started later: the owner has ended.
    reused = _metrics_folder(temporary, "reused", f"{os.getpid()} 1 {here}")
    if os.geteuid() == 0:  # another user's folder, though its owner has ended
        kept["another user's"] = _metrics_folder(temporary, "nobody", f"{ended.pid} - {here}")
        os.chown(kept["another user's"], 65534, 65534)

    first = Supervised(tmp_path, env).start()
    workers: dict[int, int] = {}
    try:
        await until(lambda: first.output().count(" serving") == 2, "two workers up")
        workers = first.workers()
        assert not reused.exists()
        (left,) = set(temporary.glob("supportbot-metrics-*")) - set(kept.values())
        assert first.process is not None
        assert (left / "supportbot-owner").read_text().split()[0] == str(first.process.pid)
        first.process.kill()
        first.process.wait()
        await until(lambda: not any(_alive(pid) for pid in workers.values()), "the workers stopped")
        assert left.is_dir()  # nothing of the killed run could remove it
    finally:
        for pid in workers.values():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    (tmp_path / "serve.log").rename(tmp_path / "first.log")
    second = Supervised(tmp_path, env).start()
    try:
        await until(lambda: second.output().count(" serving") == 2, "two workers up again")
        assert not left.exists()
        assert f"removed {left}" in second.output()
        assert all(path.exists() or path.is_symlink() for path in kept.values()), kept
        (own,) = set(temporary.glob("supportbot-metrics-*")) - set(kept.values())
        assert stat.S_IMODE(own.stat().st_mode) == 0o700
        assert second.stop() == 0
        assert not own.exists()
        assert all(path.exists() or path.is_symlink() for path in kept.values()), kept
    finally:
        if second.process is not None and second.process.poll() is None:
            second.process.kill()
            second.process.wait()
            for pid in second.workers().values():
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _ended() -> subprocess.Popen[bytes]:
    """A process that has ended (and was reaped): its id runs no more."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process


def _metrics_folder(root: Path, name: str, owner: str | None, prefix: str = "supportbot-metrics-") -> Path:
    """A folder named as a run's metrics folder is, marked with ``owner`` (pid, start and pid namespace)
    unless ``None``."""
    folder = root / f"{prefix}{name}"
    folder.mkdir(mode=0o700)
    if owner is not None:
        (folder / "supportbot-owner").write_text(f"{owner}\n")
    return folder


def _start_ticks(pid: int) -> str:
    """When ``pid`` started, as ``/proc`` says (clock ticks since boot)."""
    with open(f"/proc/{pid}/stat") as stat_file:
        return stat_file.read().rsplit(")", 1)[1].split()[19]


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, reaped by no parent, has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat_file:
            return stat_file.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


class Only:
    """The one worker accepting new connections: the others are stopped (SIGSTOP) meanwhile, so whatever
    is opened now is this worker's, and stays so after they go on (SIGCONT)."""

    def __init__(self, server: Supervised, pid: int) -> None:
        self.others = [other for other in server.workers().values() if other != pid]

    def __enter__(self) -> None:
        for pid in self.others:
            os.kill(pid, signal.SIGSTOP)

    def __exit__(self, *_: object) -> None:
        for pid in self.others:
            os.kill(pid, signal.SIGCONT)


async def scrape(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(f"{url}/metrics") as response:
        assert response.status == 200, response.status
        return await response.text()


def once(metrics: str, name: str) -> float:
    """The value of the one unlabelled sample ``name``: the database's figures are read once a scrape,
    never summed over the workers."""
    lines = [line for line in metrics.splitlines() if line.startswith(f"{name} ")]
    assert len(lines) == 1, lines
    return float(lines[0].split()[1])


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the Prometheus text ``metrics``: ``name`` with exactly ``labels``."""
    for line in metrics.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if (
            match
            and match.group(1) == name
            and dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or "")) == labels
        ):
            return float(match.group(3))
    return None


def total(metrics: str, name: str) -> float:
    """The sum of every sample ``name``, whatever its labels."""
    return sum(float(line.split()[-1]) for line in metrics.splitlines() if re.match(rf"{name}[ {{]", line))


@pytest.mark.scale
@pytest.mark.postgres
async def test_a_scrape_of_either_worker_counts_the_turns_of_both_and_of_a_killed_one(
    database_url: str, redis_env: dict[str, str], tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = Supervised(
        tmp_path, {**redis_env, "SUPPORTBOT_DATABASE_URL": database_url, "TMPDIR": str(temporary)}
    ).start()
    order = {"channel": "web", "intent": "order.status"}
    # A new connection for every request: a kept-alive one would stay with the worker that took it.
    connector = aiohttp.TCPConnector(force_close=True)
    try:
        await until(lambda: server.output().count(" serving") == 2, "two workers up")
        one, two = server.workers()[1], server.workers()[2]
        (folder,) = temporary.glob("supportbot-metrics-*")  # the run's own, made by the parent
        async with aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector
        ) as http:
            browser = customer(Worker(tmp_path, port=server.port), http)
            assert (await browser.login(ERIK)).status == 200
            with Only(server, two):
                chat = await browser.chat(lang="en")
                assert "PostNord" in json.dumps((await chat.say("where is my order 4711?"))["reply"])
                await chat.close()
            with Only(server, one):
                kept = await browser.chat(lang="en")  # open on worker 1 until it is killed
                assert "PostNord" in json.dumps((await kept.say("where is my order 4711?"))["reply"])
                await kept.say("blorp fizzle wub")  # not understood
            # Each worker counted its own turns in a file of its own.
            assert {p.name for p in folder.glob("counter_*.db")} == {f"counter_{one}.db", f"counter_{two}.db"}

            for pid in (one, two):
                with Only(server, pid):
                    metrics = await scrape(http, server.url)
                assert sample(metrics, "supportbot_turns_total", **order) == 2, pid
                assert sample(metrics, "supportbot_turn_seconds_count", **order) == 2
                assert sample(metrics, "supportbot_turns_total", channel="web", intent="none") == 1
                assert sample(metrics, "supportbot_nlu_misses_total", channel="web") == 1
                assert once(metrics, "supportbot_websockets_open") == 1  # worker 1's, from either
                assert once(metrics, "supportbot_handoffs_queued") == 0
                assert once(metrics, "supportbot_mail_outbox_pending") >= 0

            # The figures are the server's user's only.
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}

            os.kill(one, signal.SIGKILL)
            await until(lambda: server.workers()[1] != one, "worker 1 replaced")
            await until(lambda: f"worker pid {server.workers()[1]} serving" in server.output(), "it serves")
            with suppress(Exception):
                await kept.close()
            three = server.workers()[1]
            for pid in (two, three):
                with Only(server, pid):
                    metrics = await scrape(http, server.url)
                # What the killed worker counted is still counted; its chat is no longer open.
                assert sample(metrics, "supportbot_turns_total", **order) == 2, pid
                assert sample(metrics, "supportbot_nlu_misses_total", channel="web") == 1
                assert once(metrics, "supportbot_websockets_open") == 0
            with Only(server, three):
                again = await browser.chat(lang="en")
                assert "4711" in (await again.say("and when will it arrive?"))["reply"]["text"]
                await again.close()
            with Only(server, two):
                metrics = await scrape(http, server.url)
            assert total(metrics, "supportbot_turns_total") == 4  # three before the kill, one after
            assert (await ready(http, server.url))["checks"]["redis"] == "ok"
        assert server.stop() == 0
        assert not folder.exists()  # nothing of this run is counted by the next
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait()
            for pid in server.workers().values():  # orphaned by the kill: not left serving the port
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


async def _rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()


@pytest.mark.postgres
def test_a_server_told_not_to_migrate_leaves_a_fresh_database_alone_and_says_what_to_do(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SUPPORTBOT_DATA_DIR": str(tmp_path),
        "SUPPORTBOT_SECRET_KEY": TEST_SECRET,
        "SUPPORTBOT_DATABASE_URL": database_url,
        "SUPPORTBOT_MIGRATE_ON_START": "false",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "the database is not at the newest schema revision: run `supportbot migrate` first" in done.stderr
    assert "could not be prepared" not in done.stderr  # no process was started to prepare it
    assert run(_rows(database_url, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")) == [
        (0,)
    ]


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
