"""Contracts with sites, renewal, approvals, signatures and their history; inventory with leases and
software licences; the proactive notices' claims.

Revision ID: 0002
Revises: 0001
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _upgrade_contracts()
    _upgrade_inventory()
    _upgrade_notices()


def _upgrade_contracts() -> None:
    op.create_table(
        "contract_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_events_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_events")),
    )
    with op.batch_alter_table("contract_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_events_contract_id_at_id"), ["contract_id", "at", "id"], unique=False
        )

    with op.batch_alter_table("contract_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("awaiting", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("approved_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("signed_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("signed_channel", sa.String(length=20), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_contract_versions_awaiting_contract_id"), ["awaiting", "contract_id"], unique=False
        )

    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("renewal", sa.String(length=20), server_default="manual", nullable=False)
        )
        batch_op.add_column(sa.Column("renewal_months", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_contracts_company_id_kind_ends_on"),
            ["company_id", "kind", "ends_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_company_id_site_id_ends_on"),
            ["company_id", "site_id", "ends_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_company_id_status_ends_on"),
            ["company_id", "status", "ends_on"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contracts_site_id_sites"), "sites", ["site_id"], ["id"], ondelete="SET NULL"
        )


def _upgrade_inventory() -> None:
    with op.batch_alter_table("inventory_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lessor", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("software_version", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("licences", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("renews_on", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_inventory_items_company_id_kind_product_serial"),
            ["company_id", "kind", "product", "serial"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_inventory_items_company_id_product_serial"),
            ["company_id", "product", "serial"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_inventory_items_company_id_site_id_product_serial"),
            ["company_id", "site_id", "product", "serial"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_inventory_items_company_id_contract_id_product_serial"),
            ["company_id", "contract_id", "product", "serial"],
            unique=False,
        )


def _upgrade_notices() -> None:
    op.create_table(
        "notices",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inventory_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_items_company_id_contract_id_product_serial"))
        batch_op.drop_index(batch_op.f("ix_inventory_items_company_id_site_id_product_serial"))
        batch_op.drop_index(batch_op.f("ix_inventory_items_company_id_product_serial"))
        batch_op.drop_index(batch_op.f("ix_inventory_items_company_id_kind_product_serial"))
        batch_op.drop_column("renews_on")
        batch_op.drop_column("licences")
        batch_op.drop_column("software_version")
        batch_op.drop_column("lessor")

    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contracts_site_id_sites"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contracts_company_id_status_ends_on"))
        batch_op.drop_index(batch_op.f("ix_contracts_company_id_site_id_ends_on"))
        batch_op.drop_index(batch_op.f("ix_contracts_company_id_kind_ends_on"))
        batch_op.drop_column("renewal_months")
        batch_op.drop_column("renewal")
        batch_op.drop_column("site_id")

    with op.batch_alter_table("contract_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_versions_awaiting_contract_id"))
        batch_op.drop_column("signed_channel")
        batch_op.drop_column("signed_name")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_name")
        batch_op.drop_column("approved_by")
        batch_op.drop_column("awaiting")
        batch_op.drop_column("created_by")

    with op.batch_alter_table("contract_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_events_contract_id_at_id"))

    op.drop_table("contract_events")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_user_id"))

    op.drop_table("notices")
