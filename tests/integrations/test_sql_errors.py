"""Database failures reach the caller as BackendUnavailable, never as a driver exception."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import NewRequest, Principal, Role, Tool
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.database import PING_AFTER_IDLE, open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import seed_demo

from .conftest import ERIK, TODAY, clock, postgres_schema_engine, sqlite_engine

LOCKED = ("users", "sites", "orders", "invoices", "contracts", "inventory_items", "requests")

ANYONE = Principal(user_id="x@nordisk.example", company_id=1, role=Role.COMPANY_ADMIN, grants=frozenset(Tool))


async def every_call(backends: Backends) -> list[str]:
    """Runs one call of each back end and names those that did not raise BackendUnavailable."""
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "authenticate": lambda: backends.directory.authenticate(ERIK, "demo"),
        "principal_for": lambda: backends.directory.principal_for(ERIK),
        "sites": lambda: backends.directory.sites(ANYONE),
        "get_order": lambda: backends.orders.get_order(ANYONE, "4711"),
        "search_orders": lambda: backends.orders.search_orders(ANYONE, site="Kista"),
        "guest_order_status": lambda: backends.orders.guest_order_status("4711", "1000123"),
        "get_invoice": lambda: backends.invoices.get_invoice(ANYONE, "INV-2031"),
        "statement": lambda: backends.statements.statement(ANYONE),
        "list_contracts": lambda: backends.contracts.list_contracts(ANYONE),
        "list_items": lambda: backends.inventory.list_items(ANYONE),
        "create_request": lambda: backends.requests.create_request(
            ANYONE, NewRequest(category="c", subject="s", description="d")
        ),
    }
    survivors = []
    for name, call in calls.items():
        try:
            await call()
        except BackendUnavailable:
            continue
        survivors.append(name)
    try:
        [o async for o in backends.orders.iter_orders(ANYONE)]
    except BackendUnavailable:
        pass
    else:
        survivors.append("iter_orders")
    return survivors


async def test_a_database_that_cannot_be_opened(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "no" / "such" / "folder" / "db.sqlite3")
    try:
        assert await every_call(sql_backends(engine, clock=clock)) == []
    finally:
        await engine.dispose()
        await aiosqlite_threads_done()


async def aiosqlite_threads_done() -> None:
    """Waits, with the loop running, for aiosqlite worker threads to end.

    After a failed connect aiosqlite stops its worker thread without awaiting it; the thread then
    reports back to the loop, which must still be open (else: "Event loop is closed" in the thread).
    """
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name:
            await asyncio.to_thread(thread.join, 5)


async def test_a_database_without_the_tables(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "empty.sqlite3")
    try:
        assert await every_call(sql_backends(engine, clock=clock)) == []
    finally:
        await engine.dispose()


async def test_a_locked_sqlite_database(sqlite_demo_template: Path, tmp_path: Path) -> None:
    """Another process holds the write lock longer than the busy timeout: the call gives up."""
    path = tmp_path / "locked.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0.2})
    try:
        assert await every_call(sql_backends(engine, clock=clock)) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        await engine.dispose()


@pytest.mark.postgres
async def test_a_postgres_server_that_is_too_slow(postgres_url: str) -> None:
    """A table lock held elsewhere makes every query wait; the call's deadline turns that into an apology."""
    async with postgres_schema_engine(postgres_url) as engine:
        await migrate(engine)
        await seed_demo(engine, today=TODAY)
        async with engine.connect() as holder:
            await holder.execute(text(f"LOCK TABLE {', '.join(LOCKED)} IN ACCESS EXCLUSIVE MODE"))
            slow = sql_backends(engine, clock=clock, timeout=0.3)
            assert await every_call(slow) == []
            await holder.rollback()
        # and once the lock is gone, the same back end answers again
        assert await slow.orders.guest_order_status("4711", "1000123") is not None


@pytest.mark.postgres
async def test_a_postgres_server_that_does_not_answer() -> None:
    engine = create_async_engine(
        "postgresql+asyncpg://postgres@127.0.0.1:1/test", connect_args={"timeout": 2}
    )
    try:
        assert await every_call(sql_backends(engine, clock=clock)) == []
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_pooled_connection_that_died_while_resting_is_replaced_before_use(postgres_url: str) -> None:
    """A busy worker's connections are not pinged on every use; one that rested, and whose server
    process went away meanwhile (a database restart, a proxy's cut), is pinged and replaced."""
    engine = open_engine(postgres_url)
    admin = create_async_engine(postgres_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            first = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with admin.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await asyncio.sleep(PING_AFTER_IDLE + 0.2)
        async with engine.connect() as conn:
            again = await conn.scalar(text("SELECT pg_backend_pid()"))
        assert again is not None and again != first
    finally:
        await admin.dispose()
        await engine.dispose()


@pytest.mark.postgres
async def test_the_pool_hands_out_the_connection_returned_last(postgres_url: str) -> None:
    """A light load keeps using its few warm connections (no ping: they never rest), while the
    rest of the pool rests, rather than cycling through every connection, each one pinged."""
    engine = open_engine(postgres_url)
    try:
        async with engine.connect() as one, engine.connect() as two:
            first = await one.scalar(text("SELECT pg_backend_pid()"))
            second = await two.scalar(text("SELECT pg_backend_pid()"))
            await one.close()  # back first; the second comes back last
        for _ in range(3):
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT pg_backend_pid()")) == second != first
    finally:
        await engine.dispose()


def test_today_is_fixed_for_these_tests() -> None:
    assert TODAY.isoformat() == "2026-03-18"
