"""The bot's store: everything the assistant keeps of its own in the database, behind typed methods.

``Store`` holds conversations, transcripts and files, and hands out the repositories of handoffs
(``store.handoffs``), agents' presence (``store.presence``), agents' channel threads
(``store.threads``), the claims of proactive notices (``store.notices``), the NLU's misses with
the deployment's own examples (``store.misses``), and the agent workspace's canned replies, notes,
agents' statuses and transcript search (``store.canned``, ``store.notes``, ``store.statuses``,
``store.search``); ``SqlSessionStore`` and ``SqlLimits`` keep sessions and rate limits. Their
writes raise ``Conflict`` or ``AlreadyDone`` where the database refuses a row, and a turn's reads and
writes ``Unavailable`` when the database cannot be reached, so no caller outside this package (and
``integrations.sql``) touches SQLAlchemy.
"""

from __future__ import annotations

from supportbot.bot.store.conversations import ConversationState, Store, StoredFile, TurnRecord
from supportbot.bot.store.errors import AlreadyDone, Conflict, StoreError, Unavailable
from supportbot.bot.store.handoffs import ACTIVE, CLOSED, QUEUED, AgentPresence, Handoff, HandoffRows
from supportbot.bot.store.misses import Example, Miss, MissRows
from supportbot.bot.store.notices import NoticeClaim, NoticeRows
from supportbot.bot.store.rate_counts import SqlLimits
from supportbot.bot.store.sign_ins import SqlSessionStore
from supportbot.bot.store.threads import HandoffThread, HandoffThreads
from supportbot.bot.store.workspace import (
    AgentNotes,
    AgentStatuses,
    CannedReplies,
    CannedReply,
    Hit,
    Note,
    TranscriptSearch,
)

__all__ = [
    "ACTIVE",
    "CLOSED",
    "QUEUED",
    "AgentNotes",
    "AgentPresence",
    "AgentStatuses",
    "AlreadyDone",
    "CannedReplies",
    "CannedReply",
    "Conflict",
    "ConversationState",
    "Example",
    "Handoff",
    "HandoffRows",
    "HandoffThread",
    "HandoffThreads",
    "Hit",
    "Miss",
    "MissRows",
    "Note",
    "NoticeClaim",
    "NoticeRows",
    "SqlLimits",
    "SqlSessionStore",
    "Store",
    "StoreError",
    "StoredFile",
    "TranscriptSearch",
    "TurnRecord",
    "Unavailable",
]
