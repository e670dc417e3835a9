"""Alembic's environment: the revisions run on the connection ``migrate`` hands over, behind its lock:
on SQLite inside its transaction, on PostgreSQL each in a transaction of its own (so one may build an
index concurrently, outside any)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from supportbot.integrations.sql.metadata import UTCDateTime
from supportbot.integrations.sql.tables import metadata


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """New revisions spell ``UTCDateTime`` as the column type the database sees, so they never import
    the application's code (a revision must keep working however that code changes later)."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "the migrations run through supportbot.integrations.sql.migrate, on its connection"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters a table by copying it
        render_item=_render_item,
        compare_type=True,
        transaction_per_migration=True,  # where ``migrate`` holds no transaction: PostgreSQL
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
