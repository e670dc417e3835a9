"""Database outage benchmark: how fast customers hear of it and how fast service is back.

Starts a real ``supportbot serve`` on a throw-away PostgreSQL database behind a TCP proxy (the fault
tests' ``tests/faults/proxy.py``), signs a customer in, and cuts the database off for ``--seconds``
twice: once as a host that went away (every connection reset, new ones refused) and once as a network
that went quiet (nothing reset, nothing answered). During each cut the customer sends a message every
second and the time to its apology (or answer) is measured; after the heal, the time until ``/readyz``
says 200 and the time of the first message's full answer. Prints figures; asserts nothing.

    .venv/bin/python bench/outage_bench.py [--seconds 10] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
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

from tests.crash.harness import Chat, Server, browser
from tests.faults.proxy import TcpProxy

ANNA = "anna.berg@nordisk.example"


async def outage(url: str, seconds: float, *, silent: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = make_url(url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
        through = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        server = Server(Path(folder), env={"SUPPORTBOT_DATABASE_URL": through}).start()
        try:
            async with browser() as anna:
                await anna.login(server, ANNA)
                async with anna.chat(server) as chat:
                    await chat.say("where is my order 4711?", "warm-up")
                    proxy.cut(silent=silent)
                    cut_at = time.monotonic()
                    waits, kinds, n = [], [], 0
                    while time.monotonic() - cut_at < seconds:
                        n += 1
                        started = time.monotonic()
                        try:
                            got = await asyncio.wait_for(
                                chat.say("where is my order 4712?", f"cut-{n}"), seconds
                            )
                        except TimeoutError:
                            got = None
                        waits.append(time.monotonic() - started)
                        kinds.append("none" if got is None else got.get("code", got["type"]))
                        await asyncio.sleep(max(0.0, 1.0 - waits[-1]))
                    proxy.heal()
                    healed_at = time.monotonic()
                    ready = await _ready_after(anna.session, server.url)
                    answered = await _answered(chat)
                    print(
                        f"{'silent' if silent else 'reset '} cut of {seconds:.0f} s: {len(waits)} messages, "
                        f"{dict(Counter(kinds))}; to the answer: "
                        f"median {1000 * statistics.median(waits):.0f} ms, max {1000 * max(waits):.0f} ms; "
                        f"after the heal: /readyz 200 in {1000 * (ready - healed_at):.0f} ms, "
                        f"a full answer in {1000 * (answered - healed_at):.0f} ms; "
                        f"same process: {server.process is not None and server.process.poll() is None}"
                    )
        finally:
            server.stop()
            proxy.stop()


async def _ready_after(session: aiohttp.ClientSession, url: str) -> float:
    while True:
        async with session.get(f"{url}/readyz") as response:
            if response.status == 200:
                return time.monotonic()
        await asyncio.sleep(0.05)


async def _answered(chat: Chat) -> float:
    n = 0
    while True:
        n += 1
        got = await chat.say("show my open orders", f"after-{n}")
        if got is not None and got["type"] == "reply":
            return time.monotonic()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    name = f"sb_outage_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(args.postgres, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    try:
        await outage(url, args.seconds, silent=False)
        await outage(url, args.seconds, silent=True)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
