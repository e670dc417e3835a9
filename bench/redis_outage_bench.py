"""Redis outage benchmark: how fast web chat customers hear of it and how fast service is back.

Starts two real ``supportbot serve`` workers on a throw-away PostgreSQL database and on Redis behind a
TCP proxy (the fault tests' ``tests/faults/proxy.py``), signs a customer in on each and hands a third
over to an agent whose console is on the other worker; then cuts Redis off for ``--seconds`` twice:
once as a host that went away (every connection reset, new ones refused) and once as a network that
went quiet (nothing reset, nothing answered). During each cut the two customers send a message every
second and the time to its apology (or answer) is measured; after the heal, the time until both
workers' ``/readyz`` say 200, until a message is fully answered, and until an agent's line reaches the
customer on the other worker again (the bus listening again). Prints figures; asserts nothing.

    .venv/bin/python bench/redis_outage_bench.py [--seconds 10] [--redis redis://127.0.0.1:6379/0]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.faults.proxy import TcpProxy
from tests.scale.conftest import _forget
from tests.scale.workers import SARA, Agent, Worker, customer, data_dir, worker_env
from tests.web.webchat_helpers import ANNA, ERIK, Chat

LENA = "lena.wagner@contoso.example"


async def outage(database_url: str, redis_url: str, seconds: float, *, silent: bool) -> None:
    host, port = redis_url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    proxy = TcpProxy(host, int(port)).start()
    prefix = f"sbbench-{uuid.uuid4().hex[:8]}:"
    env = worker_env(database_url, f"redis://127.0.0.1:{proxy.port}/0", prefix, "http://127.0.0.1:9")
    sessions: list[aiohttp.ClientSession] = []
    with tempfile.TemporaryDirectory() as folder:
        a = Worker(data_dir(Path(folder), "a"), env=env).start()
        b = Worker(data_dir(Path(folder), "b"), env=env).start()
        try:

            async def chat_of(worker: Worker, user: str) -> Chat:
                session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                sessions.append(session)
                browser = customer(worker, session)
                assert (await browser.login(user)).status == 200
                return await browser.chat(lang="en")

            chats = [await chat_of(a, ANNA), await chat_of(b, ERIK)]
            for chat in chats:
                await chat.say("where is my order 4711?")
            relay_session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
            sessions.append(relay_session)
            sara = await Agent(b, relay_session).sign_in(SARA)
            lena = await chat_of(a, LENA)
            reply = (await lena.say("talk to a person"))["reply"]
            number = "HO-" + reply["text"].split("HO-", 1)[1][:6]
            await sara.until("queued")
            await sara.send({"type": "take", "number": number})
            await sara.until("result", number=number)
            await lena.until("notice")

            proxy.cut(silent=silent)
            cut_at = time.monotonic()
            waits: list[float] = []
            kinds: list[str] = []
            n = 0
            while time.monotonic() - cut_at < seconds:
                n += 1
                started = time.monotonic()
                for chat in chats:
                    asked = time.monotonic()
                    try:
                        got = await asyncio.wait_for(chat.ask("where is my order 4712?"), seconds)
                        kinds.append(got.get("code", got["type"]))
                    except TimeoutError:
                        kinds.append("none")
                    waits.append(time.monotonic() - asked)
                await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
            proxy.heal()
            healed_at = time.monotonic()
            ready = max([await _ready_after(sessions[0], worker) for worker in (a, b)])
            answered = await _answered(chats[1])
            relayed = await _relayed(sara, lena, number)
            print(
                f"{'silent' if silent else 'reset '} cut of {seconds:.0f} s: {len(waits)} messages, "
                f"{dict(Counter(kinds))}; to the answer: median {1000 * statistics.median(waits):.0f} ms, "
                f"max {1000 * max(waits):.0f} ms; after the heal: /readyz 200 on both in "
                f"{1000 * (ready - healed_at):.0f} ms, a full answer in {1000 * (answered - healed_at):.0f} ms, "
                f"an agent's line across workers in {1000 * (relayed - healed_at):.0f} ms; same processes: "
                f"{all(w.process is not None and w.process.poll() is None for w in (a, b))}"
            )
        finally:
            await asyncio.gather(*(s.close() for s in sessions))
            a.stop()
            b.stop()
            proxy.stop()
            await _forget(prefix)


async def _ready_after(session: aiohttp.ClientSession, worker: Worker) -> float:
    while True:
        async with session.get(worker.make_url("/readyz")) as response:
            if response.status == 200:
                return time.monotonic()
        await asyncio.sleep(0.05)


async def _answered(chat: Chat) -> float:
    while True:
        got = await chat.ask("show my open orders")
        if got["type"] == "reply":
            return time.monotonic()


async def _relayed(agent: Agent, chat: Chat, number: str) -> float:
    """The agent says a line every 100 ms until the customer on the other worker hears one live (the
    lines sent before the bus listened again are stored, not heard)."""
    n = 0
    while True:
        n += 1
        await agent.send({"type": "reply", "number": number, "text": f"still here {n}"})
        try:
            while True:
                frame = await chat.frame(timeout=0.1)
                if frame["type"] == "agent":
                    return time.monotonic()
        except TimeoutError:
            continue


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    admin = create_async_engine(args.postgres, isolation_level="AUTOCOMMIT")
    try:
        for silent in (False, True):  # a fresh database each time (the handoff starts anew)
            name = f"sb_redis_outage_bench_{uuid.uuid4().hex[:8]}"
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            try:
                await outage(url, args.redis, args.seconds, silent=silent)
            finally:
                async with admin.connect() as conn:
                    await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
