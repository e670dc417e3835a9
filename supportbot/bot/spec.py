"""How an intent is declared: mostly data, then a short handler.

The dialog engine, not the handler, asks for missing slots, checks the tool grant and carries
context over from earlier turns; a handler gets its slots filled and returns a ``Reply``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from supportbot.bot.messages import Capability, ConversationRef, FormSubmission, InboundFile, Reply
from supportbot.bot.nlu.types import Parse
from supportbot.integrations.actions import Action, Mail
from supportbot.integrations.models import Principal, Tool

if TYPE_CHECKING:
    from supportbot.bot.handoff import Handoffs
    from supportbot.bot.i18n import Formatter
    from supportbot.integrations.protocols import Backends


T = TypeVar("T")


@dataclass(frozen=True)
class Slot:
    """A value an intent needs, filled from entities of these types.

    ``question`` is a message-catalogue key asked when the slot is missing and required.
    ``carry`` lets the value come from the conversation's context (the order talked about before).
    """

    name: str
    entities: tuple[str, ...]
    question: str | None = None
    required: bool = True
    carry: bool = True
    pattern: str | None = None
    """A whole answer matching this regex fills the slot when it was just asked for (a bare number)."""


@dataclass(frozen=True)
class IntentSpec:
    name: str
    examples: Mapping[str, Sequence[str]]
    handler: Handler | None = None
    tool: Tool | None = None
    slots: tuple[Slot, ...] = ()
    guest_ok: bool = False
    """A guest may use it (smalltalk, help); with ``guest_slots`` it asks guests for those instead."""
    guest_slots: tuple[Slot, ...] | None = None
    claims: tuple[str, ...] = ()
    """Entity types that, said on their own ("4711"), mean this intent."""
    form: bool = False
    """It shows a ``Form`` with its own name as id, and a submitted one comes back to it."""
    files: bool = False
    """It takes files the user sends; a file sent to any other intent comes here instead."""

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]


class Files(Protocol):
    """Keeps a generated file and gives a signed, expiring link bound to the user."""

    ttl: timedelta
    """How long a link it gives stays valid (``publish``, ``document_link``)."""

    async def publish(
        self, *, owner: str | None, name: str, content_type: str, data: bytes, tool: Tool | None
    ) -> str: ...

    def document_link(self, *, owner: str, kind: Literal["invoice", "credit_note"], number: str) -> str:
        """A signed, expiring link to a document by number, rendered for its owner only when opened."""
        ...

    async def stash(self, *, owner: str, file: InboundFile, ttl: timedelta = ...) -> str:
        """Keeps a file the user sent for a while (until they say which request it is for); its id."""
        ...

    async def unstash(self, *, owner: str | None, file_id: str) -> InboundFile | None:
        """A stashed file, only for its owner (``None``: an agent); ``None`` once expired or for others."""
        ...


class Mailer(Protocol):
    """Sends one mail; raises ``MailUnavailable`` when it could not."""

    async def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        language: str | None = None,
        reference: str | None = None,
    ) -> None:
        """Without ``html``, the HTML part is made from ``text``, marked as ``language`` (default "en").
        ``reference`` names the mail to whoever listens for its delivery (an invoice's forward record)."""
        ...


class Notices(Protocol):
    """Tells users things outside the current conversation (see ``bot.notify``)."""

    async def notify(self, user_id: str, reply: Reply) -> None: ...

    async def principal_changed(self, user_id: str) -> None:
        """That user's grants changed: cached principals are dropped, so it takes effect at once."""
        ...


@dataclass
class TurnContext:
    """Everything a handler may use for one turn; built by the dialog engine."""

    principal: Principal
    parse: Parse
    slots: dict[str, Any]
    language: str
    fmt: Formatter
    backends: Backends
    files: Files
    mailer: Mailer
    memory: dict[str, Any]
    """The conversation's context, persisted: handlers record what they showed (``remember``)."""
    now: datetime
    public_url: str
    support_email: str
    """Where customers write to support: said when no person or administrator can be reached here."""
    handoffs: Handoffs | None = None
    """The queue to human agents; ``None`` where none are connected (the handoff gives the address)."""
    notices: Notices | None = None
    asking: str | None = None
    """An optional slot the handler asked for itself (``ask``): the next answer fills it."""
    conversation: ConversationRef | None = None
    """Where the turn happens (the handoff queues this conversation)."""
    submitted: FormSubmission | None = None
    """The form the user sent this turn, when it was sent to this intent."""
    uploads: tuple[InboundFile, ...] = ()
    """Files the user sent this turn."""
    capabilities: frozenset[Capability] = frozenset()
    action_key: str | None = None
    """The user's message as an idempotency key (its conversation, user and delivery id), if it has one."""

    def action(self, mails: Callable[[T], Sequence[Mail]] | None = None) -> Action[T]:
        """The back-end action of this turn: done once per message, with ``mails`` queued with it."""
        return Action(key=self.action_key, mails=mails) if mails is not None else Action(key=self.action_key)

    def can(self, capability: Capability) -> bool:
        """Whether the user's channel shows forms / sends files."""
        return capability in self.capabilities

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def link_minutes(self) -> int:
        """How long the links ``files`` gives stay valid, in whole minutes, as the replies say it."""
        return int(self.files.ttl.total_seconds()) // 60

    def t(self, key: str, **params: Any) -> str:
        return self.fmt.t(key, **params)

    def slot(self, name: str) -> SlotValue | None:
        value = self.slots.get(name)
        return value if isinstance(value, SlotValue) else None

    def period(self, slot: str = "period") -> tuple[str | None, str | None]:
        """A date or date-range slot as inclusive ISO bounds; ``(None, None)`` when not said."""
        value = self.slot(slot)
        if value is None:
            return None, None
        if value.type == "date_range" and isinstance(value.value, dict):
            return value.value.get("start"), value.value.get("end")
        if value.type == "date":
            return str(value.value), str(value.value)
        return None, None

    def ask(self, slot: str) -> None:
        """The reply asks for ``slot`` (with buttons, say): the engine treats the answer as its value."""
        self.asking = slot

    def set_current(self, slot: str, entity_type: str, value: Any) -> None:
        """Remember what the conversation is now about, for "it" and "and when will it arrive?"."""
        entry = {"type": entity_type, "value": value}
        self.memory.setdefault("current", {})[slot] = entry
        recent = [r for r in self.memory.setdefault("recent", {}).get(slot, []) if r["value"] != value]
        self.memory["recent"][slot] = [*recent, entry][-5:]

    def set_shown(self, slot: str, values: Sequence[Any]) -> None:
        """Remember a list just shown, for "the first one" and "the other one"."""
        self.memory.setdefault("shown", {})[slot] = list(values)


@dataclass(frozen=True)
class SlotValue:
    type: str
    value: Any


Handler = Callable[[TurnContext], Awaitable[Reply]]
