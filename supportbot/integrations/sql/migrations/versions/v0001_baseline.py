"""The schema as it stood when migrations began: every table, made at once on an empty database.

The tables are written out here, frozen, rather than taken from the application's table modules:
later revisions change those, while this revision must always make the same schema. A database
made before migrations existed is brought to this revision by ``migrate`` (missing tables, columns
and indexes added from ``baseline_metadata``, constraint names put right) and then stamped with it.

Revision ID: 0001
Revises:
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    baseline_metadata().create_all(op.get_bind())


def downgrade() -> None:
    baseline_metadata().drop_all(op.get_bind())


def baseline_metadata() -> sa.MetaData:
    """The baseline's tables, with the names the naming convention gave their constraints and indexes."""
    metadata = sa.MetaData()
    sa.Table(
        "action_keys",
        metadata,
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=255), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", "kind", name="pk_action_keys"),
    )
    sa.Table(
        "agent_presence",
        metadata,
        sa.Column("connection", sa.String(length=64), nullable=False),
        sa.Column("agent", sa.String(length=255), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connection", name="pk_agent_presence"),
    )
    _index(metadata, "ix_agent_presence_seen_at", "agent_presence", ["seen_at"], unique=False)
    sa.Table(
        "companies",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
        sa.UniqueConstraint("customer_number", name="uq_companies_customer_number"),
    )
    sa.Table(
        "conversation_refs",
        metadata,
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "user_id", name="pk_conversation_refs"),
    )
    sa.Table(
        "conversations",
        metadata,
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_conversations"),
    )
    _index(metadata, "ix_conversations_user_id", "conversations", ["user_id"], unique=False)
    sa.Table(
        "files",
        metadata,
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("tool", sa.String(length=32), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
    )
    _index(metadata, "ix_files_expires_at", "files", ["expires_at"], unique=False)
    sa.Table(
        "handoff_threads",
        metadata,
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=64), nullable=False),
        sa.Column("thread", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", "channel", name="pk_handoff_threads"),
    )
    _index(metadata, "ix_handoff_threads_place_thread", "handoff_threads", ["place", "thread"], unique=False)
    sa.Table(
        "handoffs",
        metadata,
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("conversation_key", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agent", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
        sa.UniqueConstraint("number", name="uq_handoffs_number"),
    )
    _index(metadata, "ix_handoffs_conversation_key", "handoffs", ["conversation_key"], unique=False)
    _index(metadata, "ix_handoffs_status", "handoffs", ["status"], unique=False)
    sa.Table(
        "mail_outbox",
        metadata,
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("recipients", sa.String(length=1000), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_outbox"),
    )
    _index(metadata, "ix_mail_outbox_due", "mail_outbox", ["status", "next_attempt_at"], unique=False)
    sa.Table(
        "rate_counts",
        metadata,
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("worker", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", "slot", "worker", name="pk_rate_counts"),
    )
    _index(metadata, "ix_rate_counts_expires", "rate_counts", ["expires"], unique=False)
    sa.Table(
        "sign_ins",
        metadata,
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idle_seconds", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sign_ins"),
    )
    _index(metadata, "ix_sign_ins_expires_at", "sign_ins", ["expires_at"], unique=False)
    _index(metadata, "ix_sign_ins_user_id", "sign_ins", ["user_id"], unique=False)
    sa.Table(
        "turns",
        metadata,
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("conversation_key", sa.String(length=255), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("delivery_id", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_turns"),
        sa.UniqueConstraint("conversation_key", "delivery_id", name="uq_turns_delivery"),
        sa.UniqueConstraint("conversation_key", "seq", name="uq_turns_conversation_seq"),
    )
    sa.Table(
        "contracts",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("annual_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("service_level", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_contracts_company_id_companies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contracts"),
        sa.UniqueConstraint("number", name="uq_contracts_number"),
    )
    _index(metadata, "ix_contracts_company_id_ends_on", "contracts", ["company_id", "ends_on"], unique=False)
    sa.Table(
        "sites",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_sites_company_id_companies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("company_id", "name", name="uq_sites_company_id_name"),
    )
    sa.Table(
        "users",
        metadata,
        sa.Column("user_id", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_users_company_id_companies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
    )
    _index(metadata, "ix_users_company_id", "users", ["company_id"], unique=False)
    sa.Table(
        "access_requests",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.String(length=254), nullable=False),
        sa.Column("tools", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_access_requests_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.user_id"],
            name="fk_access_requests_requester_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_access_requests"),
    )
    _index(
        metadata,
        "ix_access_requests_company_id_status_created_at",
        "access_requests",
        ["company_id", "status", "created_at"],
        unique=False,
    )
    _index(
        metadata,
        "ix_access_requests_requester_id_status",
        "access_requests",
        ["requester_id", "status"],
        unique=False,
    )
    sa.Table(
        "contract_versions",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document_text", sa.Text(), nullable=False),
        sa.Column("signed_by", sa.String(length=254), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name="fk_contract_versions_contract_id_contracts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contract_versions"),
        sa.UniqueConstraint("contract_id", "version", name="uq_contract_versions_contract_id_version"),
    )
    sa.Table(
        "grants",
        metadata,
        sa.Column("user_id", sa.String(length=254), nullable=False),
        sa.Column("tool", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_grants_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "tool", name="pk_grants"),
    )
    sa.Table(
        "identity_links",
        metadata,
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=254), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("matched_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_identity_links_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("channel", "external_id", name="pk_identity_links"),
    )
    _index(metadata, "ix_identity_links_user_id", "identity_links", ["user_id"], unique=False)
    sa.Table(
        "inventory_items",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("service_level", sa.String(length=100), nullable=True),
        sa.Column("maintenance_until", sa.Date(), nullable=True),
        sa.Column("leased_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_inventory_items_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name="fk_inventory_items_contract_id_contracts",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_inventory_items_site_id_sites", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_inventory_items"),
        sa.UniqueConstraint("company_id", "serial", name="uq_inventory_items_company_id_serial"),
    )
    _index(metadata, "ix_inventory_items_site_id", "inventory_items", ["site_id"], unique=False)
    sa.Table(
        "orders",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("po_number", sa.String(length=64), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_delivery", sa.Date(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_orders_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_orders_site_id_sites", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.UniqueConstraint("number", name="uq_orders_number"),
    )
    _index(
        metadata,
        "ix_orders_company_id_ordered_at_id",
        "orders",
        ["company_id", "ordered_at", "id"],
        unique=False,
    )
    _index(
        metadata,
        "ix_orders_company_id_po_number_ordered_at",
        "orders",
        ["company_id", "po_number", "ordered_at"],
        unique=False,
    )
    _index(
        metadata,
        "ix_orders_company_id_site_id_ordered_at",
        "orders",
        ["company_id", "site_id", "ordered_at"],
        unique=False,
    )
    _index(
        metadata,
        "ix_orders_company_id_status_ordered_at",
        "orders",
        ["company_id", "status", "ordered_at"],
        unique=False,
    )
    sa.Table(
        "requests",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.String(length=254), nullable=True),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("related", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_requests_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.user_id"], name="fk_requests_requester_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.UniqueConstraint("number", name="uq_requests_number"),
    )
    _index(
        metadata,
        "ix_requests_company_id_created_at_id",
        "requests",
        ["company_id", "created_at", "id"],
        unique=False,
    )
    _index(
        metadata,
        "ix_requests_company_id_requester_id_created_at",
        "requests",
        ["company_id", "requester_id", "created_at"],
        unique=False,
    )
    _index(metadata, "ix_requests_status_due_at_id", "requests", ["status", "due_at", "id"], unique=False)
    sa.Table(
        "invoices",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("vat_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("approved_by", sa.String(length=254), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_invoices_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_invoices_order_id_orders", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invoices"),
        sa.UniqueConstraint("number", name="uq_invoices_number"),
    )
    _index(
        metadata,
        "ix_invoices_company_id_issued_on_id",
        "invoices",
        ["company_id", "issued_on", "id"],
        unique=False,
    )
    _index(metadata, "ix_invoices_company_id_order_id", "invoices", ["company_id", "order_id"], unique=False)
    _index(
        metadata,
        "ix_invoices_company_id_status_due_on",
        "invoices",
        ["company_id", "status", "due_on"],
        unique=False,
    )
    sa.Table(
        "order_events",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_events_order_id_orders", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_order_events"),
    )
    _index(metadata, "ix_order_events_order_id_at", "order_events", ["order_id", "at"], unique=False)
    sa.Table(
        "order_lines",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_lines_order_id_orders", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_order_lines"),
        sa.UniqueConstraint("order_id", "line_no", name="uq_order_lines_order_id_line_no"),
    )
    sa.Table(
        "request_documents",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name="fk_request_documents_request_id_requests",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_request_documents"),
    )
    _index(
        metadata,
        "ix_request_documents_request_id_at",
        "request_documents",
        ["request_id", "at"],
        unique=False,
    )
    sa.Table(
        "request_events",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_request_events_request_id_requests", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
    )
    _index(metadata, "ix_request_events_request_id_at", "request_events", ["request_id", "at"], unique=False)
    sa.Table(
        "shipments",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expected_at", sa.Date(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_shipments_order_id_orders", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shipments"),
    )
    _index(metadata, "ix_shipments_order_id", "shipments", ["order_id"], unique=False)
    _index(metadata, "ix_shipments_tracking_number", "shipments", ["tracking_number"], unique=False)
    sa.Table(
        "credit_notes",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_credit_notes_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="fk_credit_notes_invoice_id_invoices", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_credit_notes"),
        sa.UniqueConstraint("number", name="uq_credit_notes_number"),
    )
    _index(
        metadata,
        "ix_credit_notes_company_id_invoice_id",
        "credit_notes",
        ["company_id", "invoice_id"],
        unique=False,
    )
    _index(
        metadata,
        "ix_credit_notes_company_id_issued_on",
        "credit_notes",
        ["company_id", "issued_on"],
        unique=False,
    )
    sa.Table(
        "invoice_events",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="fk_invoice_events_invoice_id_invoices", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_events"),
    )
    _index(metadata, "ix_invoice_events_invoice_id_at", "invoice_events", ["invoice_id", "at"], unique=False)
    sa.Table(
        "invoice_lines",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("vat_rate", sa.String(length=8), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("vat_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="fk_invoice_lines_invoice_id_invoices", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_lines"),
        sa.UniqueConstraint("invoice_id", "line_no", name="uq_invoice_lines_invoice_id_line_no"),
    )
    sa.Table(
        "payments",
        metadata,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_payments_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="fk_payments_invoice_id_invoices", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.UniqueConstraint("reference", name="uq_payments_reference"),
    )
    _index(
        metadata, "ix_payments_company_id_invoice_id", "payments", ["company_id", "invoice_id"], unique=False
    )
    _index(metadata, "ix_payments_company_id_paid_on", "payments", ["company_id", "paid_on"], unique=False)

    return metadata


def _index(metadata: sa.MetaData, name: str, table: str, columns: list[str], *, unique: bool) -> None:
    sa.Index(name, *(metadata.tables[table].c[column] for column in columns), unique=unique)
