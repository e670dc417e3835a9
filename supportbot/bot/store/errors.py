"""What the store's writes raise instead of the database's own errors, so no caller needs to know SQL."""

from __future__ import annotations

from supportbot.bot.errors import SupportbotError


class StoreError(SupportbotError):
    """Root of the store's domain errors."""


class Conflict(StoreError):
    """Another writer (a worker, a retried delivery) changed the same rows first: read them again and
    decide anew. Nothing of the failed write was kept."""


class AlreadyDone(Conflict):
    """The row to create exists already: whatever it stands for was claimed or done by someone else."""
