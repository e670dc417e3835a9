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
down_revision: str | Sequence[str] | None = "0001"  # rebased onto 0002 at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database adopted at the baseline (made before migrations, by tables of a newer release) may
    # have some of these already: only what is missing is added.
    found = sa.inspect(op.get_bind())
    columns = {table: {c["name"] for c in found.get_columns(table)} for table in ("handoffs", "requests")}
    indexes = {i["name"] for i in found.get_indexes("orders")}
    added = [("guest_name", 200), ("guest_email", 254), ("guest_customer_number", 32)]
    with op.batch_alter_table("handoffs") as table:
        for name, length in added:
            if name not in columns["handoffs"]:
                table.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table("requests") as table:
        table.alter_column("company_id", existing_type=sa.Integer(), nullable=True)
        for name, length in added[1:]:
            if name not in columns["requests"]:
                table.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    if "ix_orders_company_id_status_expected_delivery" not in indexes:
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
