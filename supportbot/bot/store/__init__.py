"""The bot's store: everything the assistant keeps of its own in the database, behind typed methods.

``Store`` holds conversations, transcripts and files, and hands out the repositories of handoffs
(``store.handoffs``), agents' presence (``store.presence``), agents' channel threads
(``store.threads``), the claims of proactive notices (``store.notices``) and the NLU's misses with
the deployment's own examples (``store.misses``); ``SqlSessionStore`` and ``SqlLimits`` keep sessions and rate limits. Their
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

__all__ = [
    "ACTIVE",
    "CLOSED",
    "QUEUED",
    "AgentPresence",
    "AlreadyDone",
    "Conflict",
    "ConversationState",
    "Example",
    "Handoff",
    "HandoffRows",
    "HandoffThread",
    "HandoffThreads",
    "Miss",
    "MissRows",
    "NoticeClaim",
    "NoticeRows",
    "SqlLimits",
    "SqlSessionStore",
    "Store",
    "StoreError",
    "StoredFile",
    "TurnRecord",
    "Unavailable",
]
