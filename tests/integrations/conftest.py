"""Back ends under test, each holding the demo data: SQLite always, PostgreSQL when one is reachable.

A new implementation of the Protocols joins the contract tests by adding one entry to
``IMPLEMENTATIONS``: a name and an async context manager that yields its ``Backends`` with the
named demo records of the seed module (integrations/sql/seed.py), seeded for ``TODAY`` and with its clock at ``NOW``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from alembic import command
from sqlalchemy import Connection, event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from supportbot.integrations.models import Principal
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.migrate import BASELINE, alembic_config, migrate
from supportbot.integrations.sql.schema import companies, request_documents, request_events, requests
from supportbot.integrations.sql.seed import seed_demo, seed_volume

TODAY = date(2026, 3, 18)  # a Wednesday: requests opened "now" are due on Thursday
NOW = datetime.combine(TODAY, time(12, 0), tzinfo=UTC)
POSTGRES_URL = os.environ.get(
    "SUPPORTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"
LENA = "lena.wagner@contoso.example"
SARA = "sara@support.example"


def clock() -> datetime:
    return NOW


def run_in_thread(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Runs a coroutine to completion on its own loop in another thread.

    Session fixtures may first be requested from inside a running test loop, where
    ``asyncio.run`` is not allowed.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


async def kill_a_pooled_connection(engine: AsyncEngine) -> int:
    """Ends, from another connection, the PostgreSQL backend of the connection ``engine`` pools now (as
    a server restart or a network cut would), and returns its process id."""
    async with engine.connect() as conn:
        pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
    admin = create_async_engine(engine.url)
    try:
        async with admin.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await admin.dispose()
    return pid


def sqlite_engine(path: Path) -> AsyncEngine:
    """A SQLite engine set up like the application's: foreign keys enforced."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


# --- PostgreSQL ------------------------------------------------------------------------------------


def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` when it answers."""

    async def probe() -> None:
        engine = create_async_engine(POSTGRES_URL, connect_args={"timeout": 3})
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        run_in_thread(probe)
    except Exception as exc:
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL URL, or a skip with the reason when the server does not answer."""
    problem = _postgres_problem()
    if problem is not None:
        pytest.skip(problem)
    return POSTGRES_URL


@asynccontextmanager
async def postgres_schema_engine(url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh, uniquely named schema (via search_path), dropped afterwards."""
    schema = f"sb_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_async_engine(url, connect_args={"server_settings": {"search_path": schema}})
        try:
            yield engine
        finally:
            await engine.dispose()
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


# --- implementations of the Protocols --------------------------------------------------------------


@dataclass(frozen=True)
class Implementation:
    name: str
    open: Callable[[pytest.FixtureRequest], AbstractAsyncContextManager[Backends]]
    marks: tuple[pytest.MarkDecorator, ...] = ()


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo data, seeded once; each test copies it (seeding hashes passwords)."""
    path = tmp_path_factory.mktemp("sql-backend") / "demo.sqlite3"

    async def seed() -> None:
        engine = sqlite_engine(path)
        try:
            await migrate(engine)
            assert await seed_demo(engine, today=TODAY)
        finally:
            await engine.dispose()

    run_in_thread(seed)
    return path


@asynccontextmanager
async def _sqlite_backends(request: pytest.FixtureRequest) -> AsyncIterator[Backends]:
    template: Path = request.getfixturevalue("sqlite_demo_template")
    tmp_path: Path = request.getfixturevalue("tmp_path")
    path = tmp_path / "backend.sqlite3"
    shutil.copy(template, path)
    engine = sqlite_engine(path)
    try:
        yield sql_backends(engine, clock=clock)
    finally:
        await engine.dispose()


@asynccontextmanager
async def _sqlite_inline_backends(request: pytest.FixtureRequest) -> AsyncIterator[Backends]:
    """The same back end over the inline SQLite engine the application reads through."""
    inline = pytest.importorskip("supportbot.integrations.sql.inline", reason="no inline SQLite engine")
    template: Path = request.getfixturevalue("sqlite_demo_template")
    path = request.getfixturevalue("tmp_path") / "backend-inline.sqlite3"
    shutil.copy(template, path)
    engine = inline.InlineSqliteEngine(f"sqlite:///{path}")
    try:
        yield sql_backends(cast(AsyncEngine, engine), clock=clock)
    finally:
        await engine.dispose()


@asynccontextmanager
async def _postgres_backends(request: pytest.FixtureRequest) -> AsyncIterator[Backends]:
    url: str = request.getfixturevalue("postgres_url")
    async with postgres_schema_engine(url) as engine:
        await migrate(engine)
        assert await seed_demo(engine, today=TODAY)
        yield sql_backends(engine, clock=clock)


IMPLEMENTATIONS: tuple[Implementation, ...] = (
    Implementation("sql-sqlite", _sqlite_backends),
    Implementation("sql-sqlite-inline", _sqlite_inline_backends),
    Implementation("sql-postgres", _postgres_backends, (pytest.mark.postgres,)),
)


@pytest.fixture(params=[pytest.param(i, id=i.name, marks=i.marks) for i in IMPLEMENTATIONS])
async def backends(request: pytest.FixtureRequest) -> AsyncIterator[Backends]:
    """Every implementation in turn, holding the demo data."""
    implementation: Implementation = request.param
    async with implementation.open(request) as built:
        yield built


@dataclass(frozen=True)
class People:
    anna: Principal
    erik: Principal
    max: Principal
    sara: Principal
    guest: Principal


@pytest.fixture
async def people(backends: Backends) -> People:
    async def load(user_id: str) -> Principal:
        principal = await backends.directory.principal_for(user_id)
        assert principal is not None, user_id
        return principal

    return People(
        anna=await load(ANNA), erik=await load(ERIK), max=await load(MAX), sara=await load(SARA),
        guest=Principal.guest(),
    )  # fmt: skip


# --- SQL-specific fixtures -------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database with the application's tables, on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path / "empty.sqlite3")
        try:
            await migrate(engine)
            yield engine
        finally:
            await engine.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as engine:
            await migrate(engine)
            yield engine


@pytest.fixture
async def sqlite_demo_engine(sqlite_demo_template: Path, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    engine = sqlite_engine(path)
    try:
        yield engine
    finally:
        await engine.dispose()


class StatementLog:
    """Records the SQL an engine sends, to count queries and explain them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.statements: list[tuple[str, Any]] = []
        self._engine = engine
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        self.statements.append((statement, parameters))

    def clear(self) -> None:
        self.statements.clear()

    def close(self) -> None:
        event.remove(self._engine.sync_engine, "before_cursor_execute", self._record)


@pytest.fixture
def statement_log(sqlite_demo_engine: AsyncEngine) -> Iterator[StatementLog]:
    log = StatementLog(sqlite_demo_engine)
    yield log
    log.close()


VOLUME_ORDERS = 6_000
VOLUME_INVOICES = 2_000
VOLUME_ITEMS = 8_000  # installed items, dealt to both companies, a share under their contracts
VOLUME_REQUESTS = 3_000


async def seed_request_volume(engine: AsyncEngine, count: int = VOLUME_REQUESTS) -> None:
    """Years of requests for both companies, nine in ten closed (as they pile up), each with an event
    and every tenth with a document: the agents' work list must not read the closed ones."""
    statuses = ("open", "in_progress", "waiting_for_customer", "answered")
    async with engine.begin() as conn:
        company_ids = list((await conn.execute(select(companies.c.id).order_by(companies.c.id))).scalars())
        first = int(await conn.scalar(select(func.coalesce(func.max(requests.c.id), 0)))) + 1
        rows, events, documents = [], [], []
        for i in range(count):
            created = NOW - timedelta(days=i % 900, hours=i % 24)
            rows.append(
                {
                    "id": first + i,
                    "number": f"RQ-{created.year}-{first + i:06d}",
                    "company_id": company_ids[i % len(company_ids)],
                    "requester_id": None,
                    "requester_name": "Generated",
                    "category": "other",
                    "subject": f"Generated request {i}",
                    "description": "Generated.",
                    "priority": "normal",
                    "status": "closed" if i % 10 else statuses[(i // 10) % len(statuses)],
                    "created_at": created,
                    "due_at": created + timedelta(days=1),
                }
            )
            events.append(
                {
                    "request_id": first + i,
                    "at": created,
                    "kind": "created",
                    "author": "Generated",
                    "text": "x",
                }
            )
            if i % 10 == 3:
                documents.append(
                    {
                        "request_id": first + i, "name": "log.txt", "content_type": "text/plain", "size": 1,
                        "sha256": "0" * 64, "data": b"x", "uploaded_by": "Generated", "at": created,
                    }
                )  # fmt: skip
        await conn.execute(insert(requests), rows)
        await conn.execute(insert(request_events), events)
        await conn.execute(insert(request_documents), documents)


@pytest.fixture(scope="session")
def sqlite_volume_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plus generated volume for both companies, seeded once: enough rows for real plans."""
    path = tmp_path_factory.mktemp("sql-volume") / "volume.sqlite3"

    async def seed() -> None:
        engine = sqlite_engine(path)
        try:
            await migrate(engine)
            assert await seed_demo(engine, today=TODAY)
            await seed_volume(
                engine,
                orders=VOLUME_ORDERS,
                invoices=VOLUME_INVOICES,
                items=VOLUME_ITEMS,
                seed=1,
                today=TODAY,
            )
            await seed_request_volume(engine)
        finally:
            await engine.dispose()

    run_in_thread(seed)
    return path


@pytest.fixture
async def sqlite_volume_engine(sqlite_volume_template: Path, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    path = tmp_path / "volume.sqlite3"
    shutil.copy(sqlite_volume_template, path)
    engine = sqlite_engine(path)
    try:
        yield engine
    finally:
        await engine.dispose()


async def as_made_before_migrations(engine: AsyncEngine) -> None:
    """Turns a database at the newest revision into one as the code before migrations made it: the
    baseline's schema without Alembic's table. The revisions run in transactions of their own, as
    ``migrate`` runs them (on PostgreSQL an index is dropped concurrently, outside any transaction)."""

    def downgrade(sync: Connection) -> None:
        sync.commit()
        command.downgrade(alembic_config(sync), BASELINE)

    async with engine.connect() as conn:
        await conn.run_sync(downgrade)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))
