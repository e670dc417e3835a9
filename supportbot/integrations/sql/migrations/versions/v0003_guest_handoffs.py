"""Guests reach a person, and delayed orders are found by an index.

- ``handoffs``: a web chat guest's stated name, e-mail address and customer number (not verified).
- ``requests``: a guest's request has no company; it keeps the address and customer number the
  guest stated (not verified).
- ``orders``: (company, status, expected delivery) finds the orders expected before today and not
  delivered without reading the company's order history.

Revision ID: 0003
Revises: 0002
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    added = [("guest_name", 200), ("guest_email", 254), ("guest_customer_number", 32)]
    with op.batch_alter_table("handoffs") as table:
        for name, length in added:
            table.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table("requests") as table:
        table.alter_column("company_id", existing_type=sa.Integer(), nullable=True)
        for name, length in added[1:]:
            table.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    op.create_index(
        "ix_orders_company_id_status_expected_delivery",
        "orders",
        ["company_id", "status", "expected_delivery"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_orders_company_id_status_expected_delivery", table_name="orders")
    op.execute(sa.text("DELETE FROM requests WHERE company_id IS NULL"))
    with op.batch_alter_table("requests") as table:
        table.drop_column("guest_customer_number")
        table.drop_column("guest_email")
        table.alter_column("company_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("handoffs") as table:
        table.drop_column("guest_customer_number")
        table.drop_column("guest_email")
        table.drop_column("guest_name")
