"""A conversation's state, typed: what the dialog engine keeps between turns.

The engine owns it. It holds the engine's own parts (the question it is waiting on, one question
paused for another request and offered back, the misses in a row, the last intent and its slots, what
the conversation is about and what each record of it links to, the handoff it is in) and, per intent family, a
namespaced place for that family's own context (the orders family's last search). A family declares
its context as a pydantic model (``FamilyContext``); the engine keeps it under the family's name and a
handler reaches only its own, typed, through the turn's context.

At rest the state is one compact JSON document per conversation (``dump``). A document from before
it had a ``version`` (everything but the pending question and the misses under ``memory``) loads as
well (``load``), so conversations going on during an upgrade carry on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

log = logging.getLogger(__name__)

STATE_VERSION = 1
"""The document's schema version; a document without one is the untyped one of earlier releases."""

RECENT_KEPT = 5
"""Values remembered per slot for "the other one"."""


@dataclass(frozen=True)
class SlotValue:
    """A slot's value and the entity type it came as ("order_number", "date_range", "form")."""

    type: str
    value: Any


class FamilyContext(BaseModel):
    """What one intent family keeps between turns; a family subclasses it and declares it on its intents.

    Unknown fields are ignored when loading, so a family may drop a field without breaking stored
    conversations; a renamed field starts empty.
    """

    model_config = ConfigDict(extra="ignore")


ContextT = TypeVar("ContextT", bound=FamilyContext)


class Pending(BaseModel):
    """The question the engine is waiting on: the intent, the slot asked for and the slots so far."""

    intent: str
    asking: str | None = None
    slots: dict[str, SlotValue] = Field(default_factory=dict)
    files: list[str] = Field(default_factory=list)
    """Ids of the files sent while the question was asked, held for the intent that takes them."""


class Topic(BaseModel):
    """What the conversation is about, per slot name: for "it", "the other one", "the first one"."""

    current: dict[str, SlotValue] = Field(default_factory=dict)
    """The value talked about now."""
    recent: dict[str, list[SlotValue]] = Field(default_factory=dict)
    """The last values talked about, oldest first, the current one last."""
    shown: dict[str, list[Any]] = Field(default_factory=dict)
    """The values of the list shown last."""
    marks: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    """Per slot, what sets each value of the list shown last apart (its status, its site), for "the paid
    one", "den i Göteborg"."""
    linked: dict[str, dict[str, SlotValue]] = Field(default_factory=dict)
    """Per slot, what its current record links to: the records made current in the same turn (the
    invoice's order, the machine's contract), for "the contract for that machine"."""


UNHELPED_KEPT = 3
"""How many of the customer's messages the bot fell short on are kept for a request made of them."""
UNHELPED_CHARS = 1000


class Unhelped(BaseModel):
    """What the customer asked in the turns the bot could not help with, in their own words, and what
    it was about (an intent family, ``none`` when not understood): a request opened next starts
    with it."""

    topic: str = "none"
    words: list[str] = Field(default_factory=list)


class DialogState(BaseModel):
    """One conversation's state. Only the dialog engine changes it (and the handoff clears its marker)."""

    version: int = STATE_VERSION
    pending: Pending | None = None
    misses: int = 0
    """Turns in a row not understood: the second one offers a person outright."""
    last_intent: str | None = None
    last_slots: dict[str, SlotValue] = Field(default_factory=dict)
    """The slots the last intent was answered with (not its free text): a correction changes one."""
    paused: Pending | None = None
    """A question left for another request: offered back once that one is answered."""
    offered: bool = False
    """The last reply offered the paused question back: a yes resumes it, anything else drops it."""
    topic: Topic = Field(default_factory=Topic)
    handoff: str | None = None
    """The number of the open handoff the conversation is in, while there is one."""
    unhelped: Unhelped | None = None
    """The bot fell short on the last turn(s): what the customer said then (``fell_short``)."""
    families: dict[str, Any] = Field(default_factory=dict)
    """Each family's context: as stored (a dict) until ``family`` reads it, then its typed model.
    Only the families a turn uses are validated: the state is loaded and stored on every turn."""
    _made_current: list[str] = PrivateAttr(default_factory=list)
    """The slots made current in this turn (not stored): each is linked to the others."""

    @classmethod
    def load(cls, document: Mapping[str, Any]) -> DialogState:
        """The state from its stored document, of this version or the untyped one before it."""
        return cls.model_validate(document if "version" in document else _from_untyped(document))

    def take(self, other: DialogState) -> None:
        """Become ``other``: a copy the turn was tried on, kept (``Pipeline._several_questions``)."""
        for name in type(self).model_fields:
            setattr(self, name, getattr(other, name))
        self._made_current = other._made_current

    def dump(self) -> dict[str, Any]:
        """The document to store: only what differs from a new conversation, plus the version."""
        # The topic apart: left to ``exclude_defaults`` it is compared with a new Topic() built for
        # the purpose, through pydantic's __eq__, which cost as much as dumping the rest.
        document = self.model_dump(mode="json", exclude_defaults=True, exclude=_DUMPED_APART)
        topic = self.topic.model_dump(mode="json", exclude_defaults=True)
        if topic:
            document["topic"] = topic
        families = {name: _stored(context) for name, context in self.families.items()}
        families = {name: values for name, values in families.items() if values}
        if families:
            document["families"] = families
        document["version"] = self.version
        return document

    def family(self, name: str, model: type[ContextT]) -> ContextT:
        """The family's context, typed; changes to it are stored with the state."""
        kept = self.families.get(name)
        if isinstance(kept, model):
            return kept
        try:
            typed = model.model_validate(kept if isinstance(kept, Mapping) else {})
        except ValidationError:
            # Kept by a release whose model differed: the family starts afresh rather than fail.
            log.warning("the stored context of intent family %s no longer fits; dropped", name)
            typed = model()
        self.families[name] = typed
        return typed

    # --- the topic --------------------------------------------------------------------------------

    def begin_turn(self) -> None:
        """A new turn: what it makes current is linked together, not to what earlier turns did."""
        self._made().clear()

    def _made(self) -> list[str]:
        """``_made_current``, read from pydantic's own store of private attributes: a read through
        the model's ``__getattr__`` cost about 2 us, as much as all the rest of ``set_current``."""
        private = self.__pydantic_private__
        assert private is not None
        made: list[str] = private["_made_current"]
        return made

    def set_current(self, slot: str, entity_type: str, value: Any) -> None:
        """The conversation is now about ``value``; records made current in the same turn link to each
        other (an invoice and the order it bills); a record made current in a later turn starts without links."""
        entry = SlotValue(entity_type, value)
        topic = self.topic
        topic.current[slot] = entry
        recent = [r for r in topic.recent.get(slot, []) if r.value != value]
        topic.recent[slot] = [*recent, entry][-RECENT_KEPT:]
        links = topic.linked
        made = self._made()
        if slot not in made:
            links.pop(slot, None)
            made.append(slot)
        for other in made:
            if other != slot and other in topic.current:
                links.setdefault(other, {})[slot] = entry
                links.setdefault(slot, {})[other] = topic.current[other]

    def set_shown(
        self, slot: str, values: Sequence[Any], marks: Sequence[Sequence[str]] | None = None
    ) -> None:
        topic = self.topic
        topic.shown[slot] = list(values)
        if marks:
            topic.marks[slot] = {str(v): list(m) for v, m in zip(values, marks, strict=True)}
        elif slot in topic.marks:
            del topic.marks[slot]

    def fell_short(self, topic: str, text: str) -> None:
        """The bot could not help with ``text`` (about ``topic``): kept, with the turns before it that
        it also fell short on, for a request the customer may open next."""
        said = text.strip()[:UNHELPED_CHARS]
        kept = self.unhelped.words if self.unhelped is not None else []
        words = [*kept, said][-UNHELPED_KEPT:] if said else kept
        if topic == "none" and self.unhelped is not None:
            topic = self.unhelped.topic  # not understood now, but what it was about before still holds
        self.unhelped = Unhelped(topic=topic, words=words)

    def forget(self) -> None:
        """The conversation ended: nothing said so far counts for what comes next."""
        self.topic = Topic()
        self.last_slots = {}
        self.paused = None
        self.offered = False
        self.families.clear()
        self.handoff = None
        self.unhelped = None


_DUMPED_APART = {"topic", "families"}
"""Dumped on their own by ``DialogState.dump`` (never changed)."""


def _stored(context: Any) -> Any:
    """A family's context as stored: a typed one without its defaults, one never read as it came."""
    if isinstance(context, FamilyContext):
        return context.model_dump(mode="json", exclude_defaults=True)
    return context


# --- the untyped document of earlier releases -----------------------------------------------------

_UNTYPED_FAMILY_KEYS = {
    "search": ("order", "listing"),
    "invoice_list": ("invoice", "listing"),
    "statement": ("statement", "listing"),
    "request_form_draft": ("request", "draft"),
}
"""Where each family's key under the untyped document's ``memory`` went: (family, field)."""


def _from_untyped(document: Mapping[str, Any]) -> dict[str, Any]:
    """The untyped document's parts under this version's names; what no longer exists is dropped."""
    memory = document.get("memory")
    memory = memory if isinstance(memory, Mapping) else {}
    families: dict[str, dict[str, Any]] = {}
    for key, (family, field) in _UNTYPED_FAMILY_KEYS.items():
        if key in memory:
            families.setdefault(family, {})[field] = memory[key]
    return {
        "version": STATE_VERSION,
        "pending": _pending_from_untyped(document.get("pending")),
        "misses": document.get("misses", 0),
        "last_intent": memory.get("last_intent"),
        "topic": {key: memory[key] for key in ("current", "recent", "shown") if key in memory},
        "handoff": memory.get("handoff"),
        "families": families,
    }


def _pending_from_untyped(pending: Any) -> Any:
    """The files a request comment kept in a slot of its own (``uploads``) are the question's files."""
    if not isinstance(pending, Mapping) or not isinstance(pending.get("slots"), Mapping):
        return pending
    slots = dict(pending["slots"])
    uploads = slots.pop("uploads", None)
    files = list(uploads.get("value") or []) if isinstance(uploads, Mapping) else []
    return {**pending, "slots": slots, "files": files}
