"""What a writing back-end call carries besides its data: the action's idempotency key, and the mail
that belongs to the action.

A user's action that writes (open a request, comment on one, approve or forward an invoice, ask for
access) may reach the back end twice: a browser resends a frame after a reconnect, a server dies
after the write but before the turn was stored. ``Action.key`` names the user's message (its
conversation and delivery id); the back end records it in the same transaction as the write, and a
call with a key it has seen returns the first outcome and writes nothing. ``Action.mails`` builds the
action's mail from the outcome (the request's number is known only once it is written); the back end
queues it in that same transaction, so there is never a request without its confirmation, nor a
confirmation twice, and a mail that cannot be built rolls the whole write back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Mail:
    """One mail to queue with an action; ``reference`` names it to the outbox's delivery listeners."""

    to: str
    subject: str
    text: str
    language: str | None = None
    attachments: tuple[tuple[str, str, bytes], ...] = ()
    reference: str | None = None


def _no_mail(_: Any) -> Sequence[Mail]:
    return ()


@dataclass(frozen=True)
class Action(Generic[T]):
    """How one writing call is done: at most once per ``key``, its ``mails`` queued with the write."""

    key: str | None = None
    """The idempotency key: the user's message, scoped by conversation and user (``None``: none)."""
    mails: Callable[[T], Sequence[Mail]] = field(default=_no_mail)
    """The mail of the action, built from its outcome inside the back end's transaction."""


class MailQueue(Protocol):
    """Where the built-in back end queues an action's mail: the outbox table in its own database.

    ``queue_in`` runs inside the back end's transaction (its connection); ``queued`` after the commit,
    to start delivery. A mail that cannot be built raises ``MailUnavailable``.
    """

    async def queue_in(self, conn: Any, mails: Sequence[Mail]) -> list[int]: ...

    async def queued(self, ids: Sequence[int]) -> None: ...
