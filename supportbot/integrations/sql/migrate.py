"""Bringing the application's database to the newest schema: Alembic, run from code.

``migrate`` upgrades the database to the newest revision in ``migrations/versions`` and says what it
did. Alembic is configured here, so no ``alembic.ini`` is needed. The upgrade takes the database's
migration lock first, so workers starting at once upgrade one after the other and the later ones find
nothing left to do. On SQLite it is one transaction begun with ``BEGIN IMMEDIATE``. On PostgreSQL
the lock is an advisory lock per schema held by the migrating connection's session
(``pg_advisory_lock``), not by a transaction: each revision runs in a transaction of its own, and a
revision may build an index with ``CREATE INDEX CONCURRENTLY`` outside any (Alembic's
``autocommit_block``), which does not block writes to the table while it builds, and the lock holds
across it. A migrator waits for the lock by asking for it again and again, each time in a transaction
of its own that ends at once: a concurrent index build waits for every older transaction of the
database to end, so a migrator waiting for the lock inside one and the build would wait for each other.

A database made before migrations existed (its tables there, no ``alembic_version``) is adopted:
what the start-up used to patch in is added (missing tables, nullable columns and indexes, from the
frozen baseline), PostgreSQL constraints get the names the baseline gives them, and the database is
stamped with the baseline revision; every row is kept. Then it is upgraded like any other.

To change the schema, change the tables and add a revision: ``new_revision("what changed")``
(``python -m supportbot.integrations.sql.migrate "what changed"``) writes one, generated from the
difference between the tables and a database at the newest revision; read it and fix it up before
committing it.

Whether a database is at the newest revision is read without Alembic: its ``alembic_version`` row
against the newest revision's number, which ``new_revision`` puts at the start of each revision's file
name. A server starting on a current database (every start but the first and the one after an upgrade)
and ``/readyz`` never load Alembic.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Inspector, Table, UniqueConstraint, create_engine, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "BASELINE",
    "Migration",
    "alembic_config",
    "head_revision",
    "is_current",
    "migrate",
    "new_revision",
]

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"
"""The first revision (``v0001_baseline``): the schema as it stood when migrations began."""
VERSION_TABLE = "alembic_version"
_REVISION_FILE = re.compile(r"v(\d{4})_\w+\.py")
LOCK_NAME = "supportbot.migrate"
"""Names the PostgreSQL advisory lock, with the schema the tables live in."""
LOCK_POLL_SECONDS = 0.2
"""A PostgreSQL migrator waiting for another's lock asks again after this long."""
_LOCK_KEY = "hashtext(:name || current_schema())"


@dataclass(frozen=True)
class Migration:
    """What ``migrate`` did."""

    before: str | None
    """The database's revision before: ``None`` for an empty database (or one made before migrations)."""
    after: str
    adopted: bool
    """The database was made before migrations: brought to the baseline and stamped first."""
    applied: tuple[str, ...]
    """The revisions run, oldest first (none when it was at the newest already)."""

    def describe(self) -> str:
        """One line for a person: ``database upgraded from revision 0001 to 0003 (ran 0002, 0003)``."""
        ran = f"(ran {', '.join(self.applied)})"
        if self.adopted:
            done = f"database made before migrations adopted at revision {BASELINE}"
            return done + (f", then upgraded to {self.after} {ran}" if self.applied else "")
        if not self.applied:
            return f"database already at the newest revision, {self.after}"
        if self.before is None:
            return f"database created at revision {self.after} {ran}"
        return f"database upgraded from revision {self.before} to {self.after} {ran}"


def head_revision() -> str:
    """The newest revision: the highest number among the revisions' files (``v0006_dashboard_indexes.py``
    is revision ``0006``; each revises the one numbered before it)."""
    return max(
        found.group(1)
        for path in (MIGRATIONS / "versions").iterdir()
        if (found := _REVISION_FILE.fullmatch(path.name))
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for these migrations; ``connection`` is what they run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine) -> Migration:
    """Upgrades the database of ``engine`` to the newest revision, adopting one made before migrations.

    A database at the newest revision already is told so without loading Alembic."""
    head = head_revision()
    if await _revisions(engine) == {head}:
        return Migration(before=head, after=head, adopted=False, applied=())
    if engine.dialect.name != "postgresql":
        async with engine.begin() as conn:
            return await conn.run_sync(_migrate)
    async with engine.connect() as conn:
        await _take_lock(conn)
        try:
            return await conn.run_sync(_migrate)
        finally:
            await _release_lock(conn)


async def _take_lock(conn: AsyncConnection) -> None:
    """The schema's migration lock for this session, until ``_release_lock``: asked for again and
    again (``pg_try_advisory_lock``), never waited for inside a transaction (see the module)."""
    while True:
        taken = (
            await conn.execute(text(f"SELECT pg_try_advisory_lock({_LOCK_KEY})"), {"name": LOCK_NAME})
        ).scalar()
        await conn.commit()
        if taken:
            return
        await asyncio.sleep(LOCK_POLL_SECONDS)


async def _release_lock(conn: AsyncConnection) -> None:
    """The lock is given back; when that fails (the connection broke), the connection is dropped
    rather than pooled, and its session's lock goes with it."""
    try:
        await conn.rollback()
        await conn.execute(text(f"SELECT pg_advisory_unlock({_LOCK_KEY})"), {"name": LOCK_NAME})
        await conn.commit()
    except Exception:
        await conn.invalidate()


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the database of ``engine`` is at the newest revision (nothing for ``migrate`` to do)."""
    return await _revisions(engine) == {head_revision()}


async def _revisions(engine: AsyncEngine) -> set[str]:
    """The revisions the database is stamped with: none for an empty one (or one made before migrations)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_stamped)


def _stamped(conn: Connection) -> set[str]:
    if not inspect(conn).has_table(VERSION_TABLE):
        return set()
    return {str(row[0]) for row in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}  # noqa: S608 (a constant)


def _migrate(conn: Connection) -> Migration:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    postgresql = conn.dialect.name == "postgresql"
    if not postgresql:
        _lock(conn)  # PostgreSQL's is the session's, taken already (``_take_lock``)
    config = alembic_config(conn)
    before = MigrationContext.configure(conn).get_current_revision()
    adopted = before is None and _made_before_migrations(conn)
    if adopted:
        _adopt(conn)
        command.stamp(config, BASELINE)
    if postgresql:
        conn.commit()  # the revisions run in transactions of Alembic's own (see the module)
    command.upgrade(config, "head")
    after = MigrationContext.configure(conn).get_current_revision()
    assert after is not None
    start = BASELINE if adopted else before
    script = ScriptDirectory.from_config(config)
    applied = tuple(reversed([r.revision for r in script.iterate_revisions(after, start)]))
    return Migration(before=before, after=after, adopted=adopted, applied=applied)


def _lock(conn: Connection) -> None:
    """SQLite's write lock until the transaction ends, so migrations run one at a time."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _made_before_migrations(conn: Connection) -> bool:
    from supportbot.integrations.sql.migrations.versions.v0001_baseline import baseline_metadata

    return bool(set(inspect(conn).get_table_names()) & set(baseline_metadata().tables))


def _adopt(conn: Connection) -> None:
    """Brings a database made before migrations to the baseline, keeping every row."""
    from supportbot.integrations.sql.migrations.versions.v0001_baseline import baseline_metadata

    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for table in baseline_metadata().sorted_tables:
        if table.name not in present:
            table.create(conn)
            continue
        _add_missing_columns(conn, inspector, table)
        _add_missing_indexes(conn, inspector, table)
        if conn.dialect.name == "postgresql":
            _rename_constraints(conn, inspector, table)
        elif any(not found["name"] for found in inspector.get_unique_constraints(table.name)):
            _rebuild(conn, table)


def _add_missing_columns(conn: Connection, inspector: Inspector, table: Table) -> None:
    """A table made before a nullable column was added to it gets the column (``ALTER TABLE ... ADD``)."""
    present = {column["name"] for column in inspector.get_columns(table.name)}
    quote = conn.dialect.identifier_preparer.quote
    for column in table.columns:
        if column.name in present or not column.nullable:
            continue
        kind = column.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}")


def _add_missing_indexes(conn: Connection, inspector: Inspector, table: Table) -> None:
    """A table made before an index was added to it gets the index."""
    present = {index["name"] for index in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in present:
            index.create(conn)


def _rename_constraints(conn: Connection, inspector: Inspector, table: Table) -> None:
    """PostgreSQL named the primary keys and unique constraints of tables made without the naming
    convention itself (``handoffs_pkey``, ``handoffs_number_key``): they get the baseline's names."""
    wanted: dict[str | None, str] = {}
    primary = inspector.get_pk_constraint(table.name)
    if table.primary_key.name:
        wanted[primary.get("name")] = str(table.primary_key.name)
    uniques = {
        tuple(c.name for c in constraint.columns): str(constraint.name)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.name
    }
    for found in inspector.get_unique_constraints(table.name):
        name = uniques.get(tuple(found["column_names"]))
        if name is not None:
            wanted[found["name"]] = name
    quote = conn.dialect.identifier_preparer.quote
    for old, new in wanted.items():
        if old and old != new:
            conn.exec_driver_sql(
                f"ALTER TABLE {quote(table.name)} RENAME CONSTRAINT {quote(old)} TO {quote(new)}"
            )


def _rebuild(conn: Connection, table: Table) -> None:
    """SQLite cannot rename a constraint, and a unique constraint made without the naming convention
    has no name at all: the table is copied into one made from the baseline, rows and all."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    with Operations(MigrationContext.configure(conn)).batch_alter_table(
        table.name, recreate="always", copy_from=table
    ):
        pass


def new_revision(message: str) -> Path:
    """Writes a new revision into ``migrations/versions``: what it takes to bring a database at the
    newest revision to the tables as they are now defined; returns its path.

    Revisions are numbered in order (``0002`` follows ``0001``), each in ``v<number>_<message>.py``.
    The revision is generated on a scratch SQLite database: review it (and how it behaves on
    PostgreSQL) before committing it."""
    from alembic import command
    from alembic.script import ScriptDirectory

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'head.sqlite3'}")
        try:
            with engine.begin() as conn:
                config = alembic_config(conn)
                command.upgrade(config, "head")
                head = ScriptDirectory.from_config(config).get_current_head()
                config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
                script = command.revision(
                    config, message=message, autogenerate=True, rev_id=f"{int(head or 0) + 1:04d}"
                )
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


if __name__ == "__main__":
    revision = new_revision(" ".join(sys.argv[1:]) or "schema change")
    print(revision)  # noqa: T201 (a developer's command)
