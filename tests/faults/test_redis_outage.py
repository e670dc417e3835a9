"""Redis out of reach for ten seconds under two real workers (a TCP proxy between them and Redis resets
every connection and refuses new ones, then heals), with a customer on each worker and an agent talking
to one of them across the workers: customers are told at once that their message could not be
answered, nothing is stored for those messages, and once Redis is back the same workers answer again
without a restart: the messages sent again are answered exactly once, and the relay between the
customer and the agent works both ways again (each worker's bus listens again by itself).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.crash.harness import wait_for
from tests.faults.proxy import TcpProxy, proxied_redis
from tests.faults.transcripts import answers, conversations
from tests.scale.conftest import _forget, run
from tests.scale.workers import SARA, Agent, Worker, customer, data_dir, worker_env
from tests.web.webchat_helpers import ANNA, ERIK, Chat

pytestmark = [pytest.mark.postgres, pytest.mark.crash, pytest.mark.scale]

OUTAGE = 10.0
"""Seconds Redis stays out of reach."""
APOLOGY = "Sorry, I can't reach our systems right now"
OUT_OF_REACH = "Redis is out of reach"
"""The one warning a worker logs when Redis stops answering its locks and limits."""


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    """A proxy in front of the test Redis (a visible skip when Redis does not answer)."""
    with proxied_redis() as running:
        yield running


@pytest.fixture
def prefix() -> Iterator[str]:
    value = f"sbtest-{uuid.uuid4().hex[:10]}:"
    yield value
    run(_forget(value))


@pytest.fixture
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


def new_session(sessions: list[aiohttp.ClientSession]) -> aiohttp.ClientSession:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    return session


async def chat_of(worker: Worker, user: str, sessions: list[aiohttp.ClientSession]) -> Chat:
    browser = customer(worker, new_session(sessions))
    assert (await browser.login(user)).status == 200
    return await browser.chat(lang="en")


async def readiness(worker: Worker, session: aiohttp.ClientSession) -> tuple[int, dict[str, Any]]:
    async with session.get(worker.make_url("/readyz")) as response:
        return response.status, await response.json()


def apology(frame: dict[str, Any], frame_id: str, proxy: TcpProxy) -> None:
    """The ``unavailable`` error for that message, given while Redis was still cut off."""
    assert proxy.cut_off, f"{frame_id}: answered only after Redis was back"
    assert frame["type"] == "error" and frame["code"] == "unavailable", frame
    assert frame["in_reply_to"] == frame_id and frame["message"].startswith(APOLOGY), frame


async def answered_once(chat: Chat, text: str, frame_id: str) -> dict[str, Any]:
    """Sent again under its id, then once more: answered anew, then the same answer as a repeat."""
    first = await chat.ask(text, message_id=frame_id)
    assert first["type"] == "reply" and not first.get("repeat"), first
    again = await chat.ask(text, message_id=frame_id)
    assert again.get("repeat") is True and again["reply"] == first["reply"], again
    return first


def log_of(worker: Worker) -> str:
    return worker.log.read_text(errors="replace")


async def test_ten_seconds_without_redis(
    tmp_path: Path,
    database_url: str,
    database: AsyncEngine,
    redis_proxy: TcpProxy,
    prefix: str,
    sessions: list[aiohttp.ClientSession],
) -> None:
    env = worker_env(database_url, f"redis://127.0.0.1:{redis_proxy.port}/0", prefix, "http://127.0.0.1:9")
    a = Worker(data_dir(tmp_path, "a"), env=env).start()  # migrates and seeds the demo data
    b: Worker | None = None
    try:
        b = Worker(data_dir(tmp_path, "b"), env=env).start()
        assert a.process is not None and b.process is not None
        pids = (a.process.pid, b.process.pid)
        probe = new_session(sessions)

        # Before: Erik asks the bot on B; Anna on A talks to Sara, an agent whose console is on B.
        erik_browser = customer(b, new_session(sessions))
        assert (await erik_browser.login(ERIK)).status == 200
        erik = await erik_browser.chat(lang="en")
        assert "PostNord" in json.dumps(
            (await erik.say("where is my order 4711?", message_id="e-0"))["reply"]
        )
        sara = await Agent(b, new_session(sessions)).sign_in(SARA)
        anna = await chat_of(a, ANNA, sessions)
        reply = (await anna.say("talk to a person", message_id="a-0"))["reply"]
        number = "HO-" + reply["text"].split("HO-", 1)[1][:6]
        assert (await sara.until("queued"))["handoff"]["number"] == number
        await sara.send({"type": "take", "number": number})
        assert (await sara.until("result", number=number))["ok"]
        await anna.until("notice")  # Sara joined
        await sara.send({"type": "reply", "number": number, "text": "Hi Anna, what can I do?"})
        assert (await anna.until("agent"))["text"] == "Hi Anna, what can I do?"
        assert (await readiness(a, probe))[0] == 200

        redis_proxy.cut()
        cut_at = time.monotonic()
        # Every message through the outage is apologised for while Redis is still cut off.
        apology(await erik.ask("where is my order 4712?", message_id="e-1"), "e-1", redis_proxy)
        apology(await anna.ask("are you still there?", message_id="a-1"), "a-1", redis_proxy)
        assert await readiness(a, probe) == (
            503, {"ready": False, "checks": {"database": "ok", "migrations": "ok", "redis": "unreachable"}}
        )  # fmt: skip
        async with probe.get(b.make_url("/healthz")) as response:
            assert response.status == 200
        # A sign-in is refused too, politely: its attempts could not be counted (fails closed).
        refused = await customer(a, new_session(sessions)).login(ERIK)
        assert (refused.status, (await refused.json())["error"]) == (503, "unavailable")
        upload = await erik_browser.upload("note.txt", b"hello", content_type="text/plain")  # its limit too
        problem = await upload.json()
        assert (upload.status, problem["error"]) == (503, "unavailable") and problem["message"].startswith(
            APOLOGY
        ), problem
        await asyncio.sleep(OUTAGE / 2 - (time.monotonic() - cut_at))
        apology(await erik.ask("show my open orders", message_id="e-2"), "e-2", redis_proxy)  # never resent
        apology(await anna.ask("hello?", message_id="a-2"), "a-2", redis_proxy)
        await asyncio.sleep(OUTAGE - (time.monotonic() - cut_at))
        apology(await erik.ask("where is my order 4712?", message_id="e-1"), "e-1", redis_proxy)
        redis_proxy.heal()

        # The same processes, at once: ready, and the messages sent again answered exactly once.
        assert (await readiness(a, probe))[0] == 200 and (await readiness(b, probe))[0] == 200
        first = await answered_once(erik, "where is my order 4712?", "e-1")
        assert "in production" in first["reply"]["text"], first
        # Each worker's bus listens again by itself; then the relay works both ways, as before.
        for worker in (a, b):
            await wait_for(lambda w=worker: "bus: listening again" in log_of(w))
        silent = await anna.ask("are you still there?", message_id="a-1")
        assert silent["type"] == "reply" and silent["reply"]["text"] == "", silent  # Sara has it
        line = await sara.until("message", number=number, role="user")  # relayed from A to B
        assert line["text"] == "are you still there?", line
        await sara.send({"type": "reply", "number": number, "text": "Yes, I'm here."})
        assert (await anna.until("agent"))["text"] == "Yes, I'm here."
        assert (
            (a.process.pid, b.process.pid) == pids and a.process.poll() is None and b.process.poll() is None
        )
    finally:
        a.stop()
        if b is not None:
            b.stop()

    # Nothing was written for the messages apologised for; each resent one is stored once: Erik's
    # answered by the bot, Anna's (after a-0, which asked for a person) passed on to Sara.
    stored = await conversations(database, relayed=True)
    sent = sorted(
        line.delivery_id or "" for lines in stored.values() for line in lines if line.role == "user"
    )
    assert sent == ["a-0", "a-1", "e-0", "e-1"], stored  # e-2 and a-2: never stored
    assert all(len(texts) == 1 for lines in stored.values() for texts in answers(lines).values())
    assert ["e-0", "e-1"] in [sorted(answers(lines)) for lines in stored.values()]
    # One warning per worker for the outage, not a line (or a traceback) per message.
    logs = {"a": log_of(a), "b": log_of(b)}
    assert [logs[w].count(OUT_OF_REACH) for w in "ab"] == [1, 1], logs
    assert all("Traceback" not in text for text in logs.values()), logs
