"""The schema's migrations: a fresh database at the newest revision matches the tables exactly, a
database made before migrations is adopted with every row kept, and workers migrating at once on
PostgreSQL take turns.

The empty-diff tests are also the guard for changing a table: without a new revision in
``migrations/versions`` (``new_revision``), the database the migrations make differs from the
tables, and they fail.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, String, event, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.adapters.app import prepare_database
from supportbot.bot.errors import ConfigurationError
from supportbot.bot.store import Store
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.database import Database, open_engine
from supportbot.integrations.sql.migrate import BASELINE, alembic_config, head_revision, is_current, migrate
from supportbot.integrations.sql.migrations.versions.v0001_baseline import baseline_metadata
from supportbot.integrations.sql.outbox import mail_outbox
from supportbot.integrations.sql.tables import metadata
from tests.conftest import make_settings
from tests.integrations.conftest import ANNA, clock, postgres_schema_engine

BEFORE_MIGRATIONS = Path(__file__).resolve().parents[1] / "data" / "sqlite_before_migrations.sql"
"""A database made by the schema code before migrations (the demo data, one web chat conversation
with a question about order 4711, one sent mail), dumped as SQL."""


def differences(engine: AsyncEngine, tables: MetaData = metadata) -> Any:
    async def compare() -> list[Any]:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), tables))

    return compare()


def _old_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript(BEFORE_MIGRATIONS.read_text(encoding="utf-8"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a database without any table, on SQLite and (when reachable) PostgreSQL."""
    if request.param == "sqlite":
        engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}")
        try:
            yield engine
        finally:
            await engine.dispose()
    else:
        async with postgres_schema_engine(request.getfixturevalue("postgres_url")) as engine:
            yield engine


async def test_a_fresh_database_at_the_newest_revision_matches_the_tables(empty: AsyncEngine) -> None:
    assert not await is_current(empty)
    done = await migrate(empty)
    assert done.before is None and not done.adopted and done.applied[0] == BASELINE
    assert done.describe() == f"database created at revision {done.after} (ran {', '.join(done.applied)})"
    assert await differences(empty) == []
    assert await is_current(empty)
    again = await migrate(empty)
    assert again.applied == () and again.after == done.after
    assert again.describe() == f"database already at the newest revision, {done.after}"


def test_the_newest_revision_read_from_the_file_names_is_alembics_one_head() -> None:
    """A start on a current database and ``/readyz`` go by the file names, without loading Alembic: a
    revision named against the convention (or a second head) would make them disagree."""
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [head_revision()]
    assert script.get_revision(BASELINE).down_revision is None


async def test_a_changed_table_without_a_revision_is_found(empty: AsyncEngine) -> None:
    """What the empty-diff test catches: a column added to a table, but to no revision."""
    await migrate(empty)
    changed = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["handoffs"].append_column(Column("priority", String(16), nullable=True))
    (difference,) = await differences(empty, changed)
    assert difference[0] == "add_column" and difference[3].name == "priority"


async def test_a_database_made_before_migrations_is_adopted_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "supportbot.sqlite3"
    _old_database(path)
    engine = open_engine(f"sqlite+aiosqlite:///{path}")
    try:
        assert await differences(engine) != []  # unnamed constraints, no alembic_version
        done = await migrate(engine)
        assert done.adopted and done.before is None
        assert done.describe().startswith(f"database made before migrations adopted at revision {BASELINE}")
        assert await differences(engine) == []
        assert not (await migrate(engine)).applied

        backends = sql_backends(engine, clock=clock)
        anna = await backends.directory.principal_for(ANNA)
        assert anna is not None and anna.name == "Anna Berg"
        order = await backends.orders.get_order(anna, "4711")
        assert order is not None and order.number == "4711"
        assert await backends.invoices.get_invoice(anna, "INV-2031") is not None

        store = Store(engine)
        try:
            turns = await store.history("web:upgrade-test")
        finally:
            await store.close()
        assert [t.role for t in turns] == ["user", "bot"]
        assert turns[0].text == "where is order 4711" and turns[0].at is not None
        assert turns[0].at.tzinfo is not None and "4711" in turns[1].text
        async with engine.connect() as conn:
            (status,) = (await conn.execute(select(mail_outbox.c.status))).scalars().all()
        assert status == "sent"
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_postgres_constraints_named_by_the_server_are_renamed(postgres_url: str) -> None:
    """Tables made without the naming convention have PostgreSQL's own constraint names; adopting
    the database gives them the baseline's."""
    async with postgres_schema_engine(postgres_url) as engine:
        async with engine.begin() as conn:  # the baseline's tables, as the code before migrations made them
            await conn.run_sync(baseline_metadata().create_all)
            await conn.execute(text("ALTER TABLE handoffs RENAME CONSTRAINT pk_handoffs TO handoffs_pkey"))
            await conn.execute(
                text("ALTER TABLE handoffs RENAME CONSTRAINT uq_handoffs_number TO handoffs_number_key")
            )
        assert await differences(engine) != []
        assert (await migrate(engine)).adopted

        def names(conn: Connection) -> tuple[str | None, list[str | None]]:
            found = inspect(conn)
            uniques = [u["name"] for u in found.get_unique_constraints("handoffs")]
            return found.get_pk_constraint("handoffs")["name"], uniques

        async with engine.connect() as conn:
            assert await conn.run_sync(names) == ("pk_handoffs", ["uq_handoffs_number"])
        assert await differences(engine) == []


@pytest.mark.postgres
async def test_postgres_workers_migrating_at_once_take_turns(postgres_url: str) -> None:
    async with postgres_schema_engine(postgres_url) as engine:
        done = await asyncio.gather(*(migrate(engine) for _ in range(4)))
        assert sorted(bool(d.applied) for d in done) == [False, False, False, True]
        assert await differences(engine) == []


@pytest.mark.postgres
async def test_postgres_without_migrating_on_start_refuses_an_old_database(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, migrate_on_start=False)
    async with postgres_schema_engine(postgres_url) as engine:
        database = Database(engine, engine)
        with pytest.raises(ConfigurationError, match="supportbot migrate"):
            await prepare_database(database, settings)
        await migrate(engine)
        assert await prepare_database(database, settings) is None


REVISION_0007 = {
    "ix_invoices_company_id_status_issued_on_id_due_on",
    "ix_invoices_company_id_status_due_on_total_minor_paid_minor",
    "ix_requests_company_id_status_created_at_id",
}
"""The indexes revision 0007 builds, on PostgreSQL concurrently."""


async def _indexes(engine: AsyncEngine) -> dict[str, bool]:
    """The schema's indexes on invoices and requests, each with whether it is valid."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relnamespace = current_schema()::regnamespace"
                " AND i.indrelid IN ('invoices'::regclass, 'requests'::regclass)"
            )
        )
        return {str(name): bool(valid) for name, valid in rows}


@pytest.mark.postgres
async def test_postgres_0007_builds_its_indexes_concurrently_behind_the_lock(postgres_url: str) -> None:
    """Revision 0007 builds and drops its indexes with ``CONCURRENTLY`` (writes to the tables go on),
    outside any transaction, and the migration lock holds across it: of migrators starting together,
    one runs it. An index a failed concurrent build left invalid is dropped and built again."""
    async with postgres_schema_engine(postgres_url) as engine:
        await migrate(engine)
        async with engine.connect() as conn:  # down again, as an operator would: concurrently too
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0006"))
        indexes = await _indexes(engine)
        assert not REVISION_0007 & set(indexes) and indexes["ix_invoices_company_id_status_due_on"]
        async with engine.begin() as conn:  # what a build cancelled half-way leaves behind
            leftover = "ix_requests_company_id_status_created_at_id"
            await conn.execute(text(f"CREATE INDEX {leftover} ON requests (status)"))
            await conn.execute(
                text("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass(:name)"),
                {"name": leftover},
            )

        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(" ".join(statement.split()))

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        done = await asyncio.gather(*(migrate(engine) for _ in range(3)))
        event.remove(engine.sync_engine, "before_cursor_execute", seen)

        assert sorted(d.applied for d in done) == [(), (), ("0007",)]
        built = [s for s in statements if s.startswith("CREATE INDEX")]
        assert sorted(built) == sorted(
            f"CREATE INDEX CONCURRENTLY {name} ON {name.split('_')[1]} ({columns})"
            for name, columns in (
                ("ix_invoices_company_id_status_issued_on_id_due_on", "company_id, status, issued_on, id, due_on"),
                ("ix_invoices_company_id_status_due_on_total_minor_paid_minor", "company_id, status, due_on, total_minor, paid_minor"),
                ("ix_requests_company_id_status_created_at_id", "company_id, status, created_at, id"),
            )
        )  # fmt: skip
        dropped = [s for s in statements if s.startswith("DROP INDEX")]
        assert dropped == [
            "DROP INDEX CONCURRENTLY IF EXISTS ix_requests_company_id_status_created_at_id",
            "DROP INDEX CONCURRENTLY IF EXISTS ix_invoices_company_id_status_due_on",
        ]
        indexes = await _indexes(engine)
        assert set(indexes) >= REVISION_0007 and all(indexes.values())  # every index valid
        assert "ix_invoices_company_id_status_due_on" not in indexes
        assert await differences(engine) == []  # the leftover's columns were not kept
