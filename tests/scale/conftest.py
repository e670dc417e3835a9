"""Several workers on one PostgreSQL database and one Redis: a fresh database and a fresh Redis prefix,
or a visible skip when either server does not answer."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import redis.asyncio as aioredis

from tests.fresh_postgres import create_database, database_url, drop_database, unreachable

REDIS_URL = os.environ.get("SUPPORTBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

T = TypeVar("T")


def run(work: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine on a loop of its own (a fixture may be set up inside a test's running loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _ping() -> None:
    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _forget(prefix: str) -> None:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def redis_or_skip() -> str:
    try:
        run(_ping())
    except Exception as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}: {exc}")
    return REDIS_URL


@pytest.fixture
def redis_url() -> str:
    """The test Redis, or a skip saying why."""
    return redis_or_skip()


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own: tests beside it on the same Redis never meet it; its keys are
    removed afterwards."""
    value = f"sbtest-{uuid.uuid4().hex[:10]}:"
    yield value
    run(_forget(value))


def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards; a visible skip when there is no server."""
    try:
        name = run(create_database("sb_scale"))
    except Exception as exc:
        pytest.skip(unreachable(exc))
    try:
        yield database_url(name)
    finally:
        run(drop_database(name))
