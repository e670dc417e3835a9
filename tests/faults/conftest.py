"""Fault tests: real ``supportbot serve`` processes on a throw-away PostgreSQL database, reached
directly or through a TCP proxy that a test cuts (``proxy.TcpProxy``). Skipped, with the reason, when no
PostgreSQL server answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.faults.proxy import TcpProxy
from tests.fresh_postgres import fresh_database


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """A fresh database on the server, dropped afterwards; a visible skip when there is no server."""
    async with fresh_database("sb_faults") as url:
        yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database, for reading what the servers stored."""
    engine = create_async_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def proxy(database_url: str) -> Iterator[TcpProxy]:
    """A proxy in front of the test's PostgreSQL server."""
    url = make_url(database_url)
    running = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        yield running
    finally:
        running.stop()


def through(proxy: TcpProxy, database_url: str) -> str:
    """The database URL as a server behind the proxy uses it."""
    return make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The server's own folder (logs, files); its database is PostgreSQL."""
    folder = tmp_path / "var"
    folder.mkdir()
    return folder
