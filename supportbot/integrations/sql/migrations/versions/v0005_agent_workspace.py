"""The agent workspace: canned replies, internal notes and each agent's status.

- ``canned_replies``: replies agents insert by shortcut, one set per language (support administrators
  manage them).
- ``agent_notes``: agents' internal notes on a conversation, apart from its transcript.
- ``agent_status``: each agent's status (available, away); an away agent is not offered new handoffs.

Revision ID: 0005
Revises: 0004
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_status",
        sa.Column("agent", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agent", name=op.f("pk_agent_status")),
    )
    op.create_table(
        "agent_notes",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("conversation_key", sa.String(length=255), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("agent", sa.String(length=255), nullable=False),
        sa.Column("agent_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_notes")),
    )
    with op.batch_alter_table("agent_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agent_notes_conversation_key_id"), ["conversation_key", "id"], unique=False
        )
    op.create_table(
        "canned_replies",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("shortcut", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=255), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("language", "shortcut", name=op.f("uq_canned_replies_language_shortcut")),
    )


def downgrade() -> None:
    op.drop_table("canned_replies")
    with op.batch_alter_table("agent_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_notes_conversation_key_id"))
    op.drop_table("agent_notes")
    op.drop_table("agent_status")
