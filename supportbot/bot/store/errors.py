"""What the store's writes raise instead of the database's own errors, so no caller needs to know SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from supportbot.bot.errors import SupportbotError
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.sql.database import unreachable


class StoreError(SupportbotError):
    """Root of the store's domain errors."""


class Conflict(StoreError):
    """Another writer (a worker, a retried delivery) changed the same rows first: read them again and
    decide anew. Nothing of the failed write was kept."""


class AlreadyDone(Conflict):
    """The row to create exists already: whatever it stands for was claimed or done by someone else."""


class Unavailable(StoreError, BackendUnavailable):
    """The database could not be reached (refused, reset, timed out). Nothing of a failed write is
    kept, unless its commit went through and only the answer was lost: a resend of the same message
    then finds it. A ``BackendUnavailable`` too, so whoever apologises for a back end that is down
    apologises for the store in the same words."""


@asynccontextmanager
async def reachable(what: str) -> AsyncIterator[None]:
    """Around a read or write: the database's errors of being out of reach become ``Unavailable``."""
    try:
        yield
    except Exception as exc:
        if unreachable(exc):
            raise Unavailable(f"{what}: the database is unreachable ({type(exc).__name__})") from exc
        raise
