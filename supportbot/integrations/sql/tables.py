"""Every table of the application's database, on the one ``metadata``: importing this defines them all.

The back end's (``schema``), the assistant's own state (``state``) and the mail outbox (``outbox``).
The migrations compare the database with this ``metadata``; a table defined anywhere else would be
invisible to them.
"""

from __future__ import annotations

from supportbot.integrations.sql import outbox, schema, state
from supportbot.integrations.sql.metadata import metadata

__all__ = ["TABLE_MODULES", "metadata"]

TABLE_MODULES = (schema, state, outbox)
"""The modules whose tables make up ``metadata``."""
