"""Invoices and requests of a status are read newest first through an index, not by walking the
company's history; the balance sums the unsettled invoices' amounts from an index alone.

Revision ID: 0007
Revises: 0006
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoices_company_id_status_issued_on_id_due_on"),
            ["company_id", "status", "issued_on", "id", "due_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_company_id_status_due_on_total_minor_paid_minor"),
            ["company_id", "status", "due_on", "total_minor", "paid_minor"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_invoices_company_id_status_due_on"))
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requests_company_id_status_created_at_id"),
            ["company_id", "status", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requests_company_id_status_created_at_id"))
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoices_company_id_status_due_on"),
            ["company_id", "status", "due_on"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_invoices_company_id_status_due_on_total_minor_paid_minor"))
        batch_op.drop_index(batch_op.f("ix_invoices_company_id_status_issued_on_id_due_on"))
