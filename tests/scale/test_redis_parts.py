"""What two workers share through Redis, part by part: each worker is a client of its own here."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from supportbot.bot.limits import LimitsUnavailable, Rule
from supportbot.bot.locks import LockUnavailable
from supportbot.bot.redis import Outage, RedisBus, RedisLimits, RedisLocks, connect
from supportbot.integrations.errors import BackendUnavailable
from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.scale


@pytest.fixture
async def clients(redis_url: str) -> AsyncIterator[tuple[aioredis.Redis, aioredis.Redis]]:
    """Two workers' clients, each named so a test can cut its connections."""
    a = aioredis.Redis.from_url(redis_url, decode_responses=True, client_name=f"a-{uuid.uuid4().hex[:8]}")
    b = aioredis.Redis.from_url(redis_url, decode_responses=True, client_name=f"b-{uuid.uuid4().hex[:8]}")
    yield a, b
    await a.aclose()
    await b.aclose()


class Heard:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.changed = asyncio.Event()

    async def __call__(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        self.changed.set()

    async def until(self, count: int) -> list[dict[str, Any]]:
        while len(self.messages) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 10)
        return self.messages


async def test_a_message_published_on_one_worker_reaches_the_other_in_order(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a, b = RedisBus(clients[0], prefix=prefix), RedisBus(clients[1], prefix=prefix)
    other_deployment = RedisBus(clients[1], prefix=prefix + "other:")
    try:
        on_b, on_a, elsewhere = Heard(), Heard(), Heard()
        stop_b = await b.subscribe("user:anna", on_b)
        await a.subscribe("user:anna", on_a)
        await other_deployment.subscribe("user:anna", elsewhere)
        for n in range(5):
            await a.publish("user:anna", {"type": "notice", "n": n})
        assert [m["n"] for m in await on_b.until(5)] == [0, 1, 2, 3, 4]
        assert [m["n"] for m in await on_a.until(5)] == [0, 1, 2, 3, 4]  # the publisher hears it too, once

        stop_b()
        await a.publish("user:anna", {"type": "notice", "n": 5})
        await on_a.until(6)  # published after B stopped listening, heard by A
        assert len(on_b.messages) == 5
        assert elsewhere.messages == []  # another prefix, another deployment
    finally:
        await a.close()
        await b.close()
        await other_deployment.close()


async def test_a_worker_listens_again_after_its_connection_to_redis_dropped(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str, redis_url: str
) -> None:
    a, b = RedisBus(clients[0], prefix=prefix), RedisBus(clients[1], prefix=prefix)
    admin = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        heard = Heard()
        await b.subscribe("session:s1", heard)
        await a.publish("session:s1", {"type": "ended", "n": 1})
        await heard.until(1)

        name = await clients[1].client_getname()
        listeners = [c for c in await admin.client_list() if c["name"] == name and int(c["sub"]) > 0]
        assert listeners, "B listens on a connection of its own"
        for connection in listeners:
            await admin.client_kill_filter(_id=connection["id"])

        # Published until B hears one again: what is published while it is away is lost, not what
        # comes after it listens again.
        for n in range(2, 200):
            await a.publish("session:s1", {"type": "ended", "n": n})
            if len(heard.messages) > 1:
                break
            await asyncio.sleep(0.05)
        assert len(heard.messages) > 1, "B never listened again"
        later = heard.messages[-1]["n"] + 1
        await a.publish("session:s1", {"type": "ended", "n": later})
        assert (await heard.until(len(heard.messages) + 1))[-1]["n"] == later
    finally:
        await admin.aclose()
        await a.close()
        await b.close()


async def test_one_conversation_is_held_by_one_worker_at_a_time(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a, b = RedisLocks(clients[0], prefix=prefix), RedisLocks(clients[1], prefix=prefix)
    steps: list[str] = []
    a_holds, a_may_finish = asyncio.Event(), asyncio.Event()

    async def turn_on_a() -> None:
        async with a.hold("web:anna"):
            steps.append("a starts")
            a_holds.set()
            await a_may_finish.wait()
            steps.append("a ends")

    async def turn_on_b() -> None:
        await a_holds.wait()
        async with b.hold("web:anna"):
            steps.append("b starts")

    async def other_conversation_on_b() -> None:
        await a_holds.wait()
        async with b.hold("web:erik"):
            steps.append("erik on b")
        a_may_finish.set()  # B answered Erik while Anna's turn was still running on A

    await asyncio.gather(turn_on_a(), turn_on_b(), other_conversation_on_b())
    assert steps == ["a starts", "erik on b", "a ends", "b starts"]


async def test_a_turn_longer_than_the_lock_s_ttl_keeps_its_lock(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a = RedisLocks(clients[0], prefix=prefix, ttl=1.0)
    b = RedisLocks(clients[1], prefix=prefix, wait=0.2)
    async with a.hold("web:anna"):
        await asyncio.sleep(2.5)  # a slow back end: more than twice the TTL
        with pytest.raises(LockUnavailable):
            async with b.hold("web:anna"):
                pass
    async with b.hold("web:anna"):  # released at the end of the turn, not left to expire
        assert await clients[1].get(f"{prefix}lock:web:anna") is not None


async def test_a_lock_is_released_only_by_its_holder(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a = RedisLocks(clients[0], prefix=prefix)
    async with a.hold("web:anna"):
        # Say A's lock expired during a long pause and B took it: A must not delete B's lock.
        await clients[1].set(f"{prefix}lock:web:anna", "b's token")
    assert await clients[1].get(f"{prefix}lock:web:anna") == "b's token"


async def test_a_turn_that_cannot_have_the_lock_fails_rather_than_running_unlocked(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a = RedisLocks(clients[0], prefix=prefix)
    b = RedisLocks(clients[1], prefix=prefix, wait=0.3)
    ran: list[str] = []
    async with a.hold("web:anna"):
        with pytest.raises(LockUnavailable, match="still held"):
            async with b.hold("web:anna"):
                ran.append("b")

    unreachable = connect("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        with pytest.raises(LockUnavailable, match="could not be taken"):
            async with RedisLocks(unreachable, prefix=prefix).hold("web:anna"):
                ran.append("unreachable")
    finally:
        await unreachable.aclose()
    assert ran == []


async def test_rate_limits_are_counted_once_for_every_worker(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a, b = RedisLimits(clients[0], prefix=prefix), RedisLimits(clients[1], prefix=prefix)
    session, user = Rule("chat:session:s1", 3, 10), Rule("chat:user:anna", 4, 10)
    assert not await a.seen(session)
    assert [await a.hit(session, user), await b.hit(session, user), await a.hit(session, user)] == [True] * 3
    assert await b.full(session) and await b.seen(session)
    assert not await b.hit(session, user)  # the session is full: counted under neither rule
    assert not await a.full(user)
    assert await b.hit(Rule("chat:session:s2", 3, 10), user)  # another session of the same user
    assert not await a.hit(Rule("chat:session:s3", 3, 10), user)  # the user's limit is reached
    assert not await a.seen(Rule("chat:session:s3", 3, 10))


@pytest.fixture
def cut_redis(redis_url: str) -> Iterator[TcpProxy]:
    """A proxy in front of the test Redis, for a worker's client to be cut off by."""
    host, port = redis_url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    running = TcpProxy(host, int(port)).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("silent", [False, True], ids=["reset", "silent"])
async def test_with_redis_out_of_reach_a_turn_is_refused_and_service_is_back_after_the_heal(
    cut_redis: TcpProxy,
    clients: tuple[aioredis.Redis, aioredis.Redis],
    prefix: str,
    silent: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = connect(f"redis://127.0.0.1:{cut_redis.port}/0")
    outage = Outage()
    # A long TTL: a lock left behind by the outage would keep the turn after the heal waiting past
    # its wait, and fail it.
    locks = RedisLocks(worker, prefix=prefix, ttl=60.0, wait=30.0, outage=outage)
    limits = RedisLimits(worker, prefix=prefix, outage=outage)
    rule = Rule("chat:session:s1", 100, 10)
    ran: list[str] = []
    try:
        async with locks.hold("web:anna"):
            ran.append("before")
        assert await limits.hit(rule)

        cut_redis.cut(silent=silent)
        caplog.set_level(logging.INFO, logger="supportbot.bot.redis")
        for _ in range(3):
            with pytest.raises(LockUnavailable, match="could not be taken") as refused:
                async with locks.hold("web:anna"):
                    ran.append("during")
            assert isinstance(refused.value, BackendUnavailable)  # the channels' apology
            with pytest.raises(LimitsUnavailable):
                await limits.hit(rule)
        warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warned) == 1 and warned[0].startswith("Redis is out of reach"), warned
        cut_redis.heal()

        async with locks.hold("web:anna"):  # not kept waiting by a SET that reached Redis late
            ran.append("after")
        assert await limits.hit(rule)
        warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warned) == 2 and warned[1].startswith("Redis answers again"), warned
        assert ran == ["before", "after"]  # never run without the lock
    finally:
        await locks.close()
        await worker.aclose()
