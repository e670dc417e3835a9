"""Tables of the assistant's own state: conversations, transcripts, files, handoffs, sessions, limits.

They sit in the application's database beside the back end's tables, on the same ``metadata``, so
the migrations see every table. Only the bot's store (``supportbot.bot.store``) reads and writes
them; they are defined down here because the migrations, in this layer, must know them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from supportbot.integrations.sql.metadata import UTCDateTime, metadata

__all__ = [
    "agent_notes",
    "agent_presence",
    "agent_status",
    "canned_replies",
    "conversation_refs",
    "conversations",
    "files",
    "handoff_threads",
    "handoffs",
    "learned_examples",
    "nlu_misses",
    "nlu_versions",
    "notices",
    "rate_counts",
    "sign_ins",
    "turns",
]

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("user_id", String(255), nullable=True, index=True),
    Column("language", String(8), nullable=False, default="en"),
    Column("state", JSON, nullable=False),
    Column("seq", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "created_at"),  # the dashboard's conversations of a period
    Index(None, "updated_at"),  # and those active in it
)

turns = Table(
    "turns",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("conversation_key", String(255), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("role", String(16), nullable=False),  # "user" | "bot" | "agent" | "system"
    Column("text", Text, nullable=False),
    Column("payload", JSON, nullable=True),
    Column("delivery_id", String(255), nullable=True),
    UniqueConstraint("conversation_key", "seq", name="uq_turns_conversation_seq"),
    UniqueConstraint("conversation_key", "delivery_id", name="uq_turns_delivery"),
)

files = Table(
    "files",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(255), nullable=True),
    Column("name", String(255), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("tool", String(32), nullable=True),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_files_expires_at", "expires_at"),
)

conversation_refs = Table(
    "conversation_refs",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("user_id", String(255), primary_key=True),
    Column("reference", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
"""Where a channel can reach a user later (a Teams conversation reference): for proactive messages."""

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("number", String(32), nullable=True, unique=True),  # "HO-000012", from the id
    Column("conversation_key", String(255), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("user_id", String(255), nullable=True),
    Column("status", String(16), nullable=False, index=True),  # "queued" | "active" | "closed"
    Column("agent", String(255), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("taken_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("resolution", Text, nullable=True),
    # A web chat guest who asked for a person: what they said about themselves, none of it verified.
    Column("guest_name", String(200), nullable=True),
    Column("guest_email", String(254), nullable=True),
    Column("guest_customer_number", String(32), nullable=True),
    Index(None, "created_at"),  # the dashboard's handoffs of a period
)
"""A customer's conversation handed to a person (``bot.handoff``): queued, then owned by one agent, then closed."""

agent_presence = Table(
    "agent_presence",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("agent", String(255), nullable=False),
    Column("seen_at", UTCDateTime, nullable=False, index=True),
)
"""Open agent console connections of every worker, kept fresh by a heartbeat; a stale row is ignored."""

agent_status = Table(
    "agent_status",
    metadata,
    Column("agent", String(255), primary_key=True),
    Column("status", String(16), nullable=False),  # "available" | "away"
    Column("changed_at", UTCDateTime, nullable=False),
)
"""Each agent's own status: an ``away`` agent is not offered new handoffs nor counted as available."""

agent_notes = Table(
    "agent_notes",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("conversation_key", String(255), nullable=False),
    Column("number", String(32), nullable=False),  # the handoff it was written in
    Column("agent", String(255), nullable=False),
    Column("agent_name", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_agent_notes_conversation_key_id", "conversation_key", "id"),
)
"""Agents' internal notes on a conversation: kept apart from its transcript, never sent to the customer."""

canned_replies = Table(
    "canned_replies",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("language", String(8), nullable=False),
    Column("shortcut", String(32), nullable=False),
    Column("title", String(120), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_by", String(255), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("language", "shortcut", name="uq_canned_replies_language_shortcut"),
)
"""Replies agents insert by shortcut, one set per language, managed by support administrators."""

handoff_threads = Table(
    "handoff_threads",
    metadata,
    Column("number", String(32), primary_key=True),
    Column("channel", String(32), primary_key=True),  # "slack"
    Column("place", String(64), nullable=False),  # the agents' channel
    Column("thread", String(64), nullable=True),  # its message (Slack's ts); null while being posted
    Column("owner", String(255), nullable=True),  # who took the handoff over there (team:user)
    Column("seq", Integer, nullable=False, default=0),  # the transcript is relayed up to this line
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_handoff_threads_place_thread", "place", "thread"),
)
"""Where an agents' channel (Slack's) shows a handoff: the row is claimed before the thread is posted,
so one worker posts it; ``seq`` is claimed the same way for each line relayed into it."""

sign_ins = Table(
    "sign_ins",
    metadata,
    Column("id", String(64), primary_key=True),  # a hash of the token the cookie carries, never the token
    Column("user_id", String(255), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "web" | "agent"
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("idle_seconds", Integer, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)
"""Signed-in sessions (``bot.sessions``): a cookie signs someone in only while its row says so."""

rate_counts = Table(
    "rate_counts",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("slot", BigInteger, primary_key=True),  # the slot's start, in seconds since the epoch
    Column("worker", String(32), primary_key=True),  # which worker counted them
    Column("count", Integer, nullable=False),
    Column("expires", BigInteger, nullable=False, index=True),  # when the slot leaves every window
)
"""Events per key in slots of a tenth of their window (``bot.limits``), shared by every worker: each
worker writes its own rows and reads the others'."""

notices = Table(
    "notices",
    metadata,
    # what the notice is about, for whom, at which threshold: "contract.expiry:C-1001:30:<user id>"
    Column("key", String(255), primary_key=True),
    Column("user_id", String(255), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),  # inserting the row claims the notice, once
    Column("claimed_by", String(64), nullable=False),  # which worker (or pass) claimed it
    Column("delivered_at", UTCDateTime),  # in a chat channel, or the inbox shown at the next visit
    Column("mailed_at", UTCDateTime),
)
"""Proactive notices a scheduled pass decided to send (``services.notices``): the primary key makes
each one claimed by exactly one worker, so several workers and restarts never send it twice."""

nlu_misses = Table(
    "nlu_misses",
    metadata,
    Column("id", String(32), primary_key=True),  # made by the turn, so a later turn can add to the row
    Column("at", UTCDateTime, nullable=False),
    Column("conversation_key", String(255), nullable=False),  # the link to the transcript; no user id
    Column("channel", String(32), nullable=False),
    Column("language", String(8), nullable=False),
    Column("text", Text, nullable=False),  # with e-mail addresses and phone numbers masked
    Column("fingerprint", String(64), nullable=False, index=True),  # the text folded: its repeats
    Column("intent", String(64), nullable=False),  # what the NLU made of it ("none": not understood)
    Column("confidence", Float, nullable=False),
    Column("reason", String(20), nullable=False),  # not_understood | low_confidence | rephrased | handoff
    Column("followed_by", String(20), nullable=True),  # rephrased | handoff: what the next message did
    Column("suggestion", String(64), nullable=True),  # the intent the rephrase was understood as
    Column("status", String(16), nullable=False),  # open | assigned | out_of_scope | dismissed
    Column("assigned", String(64), nullable=True),  # the intent an agent gave it ("none": out of scope)
    Column("resolved_by", String(255), nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Index("ix_nlu_misses_status_at_id", "status", "at", "id"),
)
"""Messages the NLU missed, kept for the agents' review list (``bot.learning``): newest open first."""

learned_examples = Table(
    "learned_examples",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("intent", String(64), nullable=False),  # "none": out of scope
    Column("language", String(8), nullable=False),
    Column("miss_id", String(32), nullable=True),
    Column("added_by", String(255), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Index("ix_learned_examples_intent_id", "intent", "id"),
)
"""This deployment's own examples, given by agents in the review list; the NLU learns them on reload."""

nlu_versions = Table(
    "nlu_versions",
    metadata,
    Column("name", String(32), primary_key=True),  # "examples"
    Column("version", Integer, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)
"""Bumped with every change to ``learned_examples``: every worker compares it now and then and reloads."""
