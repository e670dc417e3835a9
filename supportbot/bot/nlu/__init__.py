"""Natural-language understanding: intent, entities and language of one message, without I/O."""

from __future__ import annotations

from supportbot.bot.nlu.engine import NLU
from supportbot.bot.nlu.types import NONE_INTENT, Entity, Parse

__all__ = ["NLU", "NONE_INTENT", "Entity", "Parse"]
