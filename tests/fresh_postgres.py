"""A fresh PostgreSQL database of a test's own on the test server, dropped afterwards; a visible skip
when there is no server. Tests that start real server processes need a database, not a schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

POSTGRES_URL = os.environ.get(
    "SUPPORTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def create_database(prefix: str) -> str:
    """A new database named ``<prefix>_<random>``; raises when the server does not answer."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"timeout": 3})
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return name


async def drop_database(name: str) -> None:
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def unreachable(exc: Exception) -> str:
    return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}: {exc}"


@asynccontextmanager
async def fresh_database(prefix: str) -> AsyncIterator[str]:
    """The URL of a new database, dropped afterwards; a visible skip when there is no server."""
    try:
        name = await create_database(prefix)
    except Exception as exc:
        pytest.skip(unreachable(exc))
    try:
        yield database_url(name)
    finally:
        await drop_database(name)
