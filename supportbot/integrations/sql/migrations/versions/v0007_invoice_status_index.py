"""Invoices and requests of a status are read newest first through an index, not by walking the
company's history; the balance sums the unsettled invoices' amounts from an index alone.

On PostgreSQL the indexes are built with ``CREATE INDEX CONCURRENTLY`` (and dropped so), outside any
transaction: the tables they index are large and busy, and a plain build would block every write to
them until it finished. A concurrent build that failed half-way (cancelled, the server restarted, a
deadline) leaves its index behind marked invalid, to be dropped before it is built again; one that
was built whole is kept. SQLite builds them as it always did.

Revision ID: 0007
Revises: 0006
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = (
    ("invoices", "ix_invoices_company_id_status_issued_on_id_due_on", ["company_id", "status", "issued_on", "id", "due_on"]),
    ("invoices", "ix_invoices_company_id_status_due_on_total_minor_paid_minor", ["company_id", "status", "due_on", "total_minor", "paid_minor"]),
    ("requests", "ix_requests_company_id_status_created_at_id", ["company_id", "status", "created_at", "id"]),
)  # fmt: skip
"""(table, index, columns) of the indexes this revision adds."""
REPLACED = ("invoices", "ix_invoices_company_id_status_due_on", ["company_id", "status", "due_on"])
"""The index the balance's index replaces."""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            for table, name, columns in NEW:
                _build_concurrently(table, name, columns)
            _drop_concurrently(*REPLACED[:2])
        return
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        for table, name, columns in NEW:
            if table == "invoices":
                batch_op.create_index(batch_op.f(name), columns, unique=False)
        batch_op.drop_index(batch_op.f(REPLACED[1]))
    with op.batch_alter_table("requests", schema=None) as batch_op:
        for table, name, columns in NEW:
            if table == "requests":
                batch_op.create_index(batch_op.f(name), columns, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            _build_concurrently(*REPLACED)
            for table, name, _ in reversed(NEW):
                _drop_concurrently(table, name)
        return
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(NEW[2][1]))
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f(REPLACED[1]), REPLACED[2], unique=False)
        batch_op.drop_index(batch_op.f(NEW[1][1]))
        batch_op.drop_index(batch_op.f(NEW[0][1]))


def _build_concurrently(table: str, name: str, columns: list[str]) -> None:
    """Builds the index without blocking writes to ``table``; an invalid one of that name, left by a
    build that failed, is dropped first, and a valid one is kept (built by an earlier attempt)."""
    valid = (
        op.get_bind()
        .execute(
            sa.text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"), {"name": name}
        )
        .scalar()
    )
    if valid:
        return
    if valid is not None:
        _drop_concurrently(table, name)
    op.create_index(op.f(name), table, columns, unique=False, postgresql_concurrently=True)


def _drop_concurrently(table: str, name: str) -> None:
    op.drop_index(op.f(name), table_name=table, postgresql_concurrently=True, if_exists=True)
