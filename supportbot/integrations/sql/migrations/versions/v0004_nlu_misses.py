"""Learning from misses: the messages the NLU missed, the agents' review of them, the deployment's own
examples made of them, and the version every worker compares to reload its NLU.

- ``nlu_misses``: a message not understood, answered with low confidence, rephrased or followed by a
  request for a person; masked, with its conversation's key and no user id.
- ``learned_examples``: the texts agents gave an intent (or marked out of scope, ``none``).
- ``nlu_versions``: one counter per kind of change (``examples``).

Revision ID: 0004
Revises: 0003
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nlu_misses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation_key", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("followed_by", sa.String(length=20), nullable=True),
        sa.Column("suggestion", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned", sa.String(length=64), nullable=True),
        sa.Column("resolved_by", sa.String(length=255), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nlu_misses")),
    )
    with op.batch_alter_table("nlu_misses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nlu_misses_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_nlu_misses_status_at_id"), ["status", "at", "id"], unique=False)

    op.create_table(
        "learned_examples",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("miss_id", sa.String(length=32), nullable=True),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_examples")),
    )
    with op.batch_alter_table("learned_examples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learned_examples_intent_id"), ["intent", "id"], unique=False)

    op.create_table(
        "nlu_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_nlu_versions")),
    )


def downgrade() -> None:
    op.drop_table("nlu_versions")
    with op.batch_alter_table("learned_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learned_examples_intent_id"))
    op.drop_table("learned_examples")
    with op.batch_alter_table("nlu_misses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nlu_misses_status_at_id"))
        batch_op.drop_index(batch_op.f("ix_nlu_misses_fingerprint"))
    op.drop_table("nlu_misses")
