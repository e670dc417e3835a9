"""How an intent is declared: mostly data, then a short handler.

The dialog engine, not the handler, asks for missing slots (with the slot's own question and
buttons), checks and re-asks an answer the slot refuses, takes a stated default, checks the tool
grant and carries context over from earlier turns; a handler gets its slots filled and checked and
returns a ``Reply``. A family's own context between turns is a typed model it declares
(``IntentSpec.context``) and reaches through ``TurnContext.context``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeVar

from supportbot.bot.i18n import translate
from supportbot.bot.messages import (
    Button,
    Capability,
    Card,
    ConversationRef,
    FormSubmission,
    InboundFile,
    Reply,
)
from supportbot.bot.nlu.types import Parse
from supportbot.bot.state import ContextT, DialogState, FamilyContext, SlotValue, Unhelped
from supportbot.integrations.actions import Action, Mail
from supportbot.integrations.models import Principal, Tool

if TYPE_CHECKING:
    from supportbot.bot.handoff import Handoffs
    from supportbot.bot.i18n import Formatter
    from supportbot.bot.limits import Limits
    from supportbot.integrations.protocols import Backends


T = TypeVar("T")

_RECORD_KINDS: Final = {
    "order": "order_number",
    "invoice": "invoice_number",
    "contract": "contract_number",
    "item": "serial_number",
    "request": "request_number",
}
"""The kind of record a slot of that name holds, for a list of one shown (``TurnContext.set_shown``)."""

_DENIED = re.compile(
    r"(?i)(?<![\w'])(?:not|never|don'?t|do\s+not|doesn'?t|does\s+not|won'?t|without|no\s+need|inte|ej|icke|aldrig"
    r"|utan\s+att|before|after|until|innan|efter|tills|före)\s+(?:\w+\s+){0,2}$"
)
"""A denial just before a word an intent requires: "do not approve", "I don't want to sign", "inte
godkänna", "utan att signera"; or a time it is put off to: "I'll check with my manager before
approving it", "innan jag godkänner den"."""


def said_undenied(words: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` says ``words`` somewhere without a denial just before ("do not approve")."""
    return any(
        _DENIED.search(text, max(0, found.start() - 40), found.start()) is None
        for found in words.finditer(text)
    )


SAID = "said"
"""The slot that keeps what the user first said to an intent that ``keeps_text`` while the bot asks."""
SAID_LIMIT = 5000
"""At most this much of what the user said to an intent that ``keeps_text`` is kept: a request's
description holds no more."""


@dataclass(frozen=True)
class Question:
    """A slot asked for: the words and what to answer with."""

    text: str
    buttons: tuple[Button, ...] = ()
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class Refused:
    """An answer a slot's check refuses: the catalogue key (and parameters) saying why; asked again."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[["TurnContext", SlotValue], Awaitable[SlotValue | Refused | None]]
"""A slot's value cleaned (the word said mapped to its key); ``None``: as if not said, so asked for."""
Ask = Callable[["TurnContext"], Awaitable[Question | Reply]]
"""How a slot is asked for; a ``Reply`` answers instead (what the question is about does not exist)."""


@dataclass(frozen=True)
class Slot:
    """A value an intent needs, filled from entities of these types.

    ``question`` is a message-catalogue key asked when the slot is missing and required.
    ``carry`` lets the value come from the conversation's context (the order talked about before).
    """

    name: str
    entities: tuple[str, ...]
    question: str | None = None
    required: bool | Callable[[TurnContext], bool] = True
    """Asked for when missing; a function decides per turn (a comment is not needed with a file)."""
    carry: bool = True
    pattern: str | None = None
    """A whole answer matching this regex fills the slot when it was just asked for (a bare number)."""
    free_text: bool = False
    """When asked for, the whole answer is its value (a subject, a comment)."""
    inline: str | None = None
    """A regex whose group ``text`` gives the value from a message saying this intent ("RQ-1: text")."""
    default: Any = None
    """When asked for, a stated default ("skip", "default", "hoppa över") gives it this value."""
    check: Check | None = None
    """Run on every value before the handler: cleans it, or refuses it and the slot is asked again."""
    choices: Callable[[TurnContext], tuple[Button, ...]] | None = None
    """Buttons to answer with: shown with the question, and again when an answer is refused."""
    ask: Ask | None = None
    """Asks with words, buttons or a card depending on the turn, instead of ``question``."""
    infer: Callable[[Parse, DialogState], SlotValue | None] | None = None
    """A value worked out from the message that started the intent when it says none outright (a
    request's category from the record it names: "open a request, order 4711 came without cables"):
    tried before the slot would be asked, and checked as any value."""

    def needed(self, ctx: TurnContext) -> bool:
        return self.required(ctx) if callable(self.required) else self.required


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
    """It takes files the user sends; a file sent to any other intent comes here instead, and files
    sent while it asks are held by the engine until the question is answered (``TurnContext.held``)."""
    context: type[FamilyContext] | None = None
    """The family's own context between turns (its last search); one model for the whole family."""
    forgets: bool = False
    """The conversation ends with it ("bye"): what was talked about no longer counts."""
    keeps_text: bool = False
    """Its handler reads what the user first said to it (``TurnContext.said``), kept while the bot asks
    for its slots: a question's own words for a request, not "INV-2031" given to "which invoice?"."""
    takes_over: bool = False
    """A person takes the conversation from here ("talk to a person"): a question left for it is
    dropped, not offered back."""
    called: Mapping[str, str] | None = None
    """What the family's record is called, per language (``{"en": "invoice", "sv": "fakturan"}``):
    a follow-up that points at the record talked about without naming it ("how much is it?", "kan
    jag få den som PDF?") is read as if it named it ("how much is the invoice?"). Given on one of the
    family's intents."""
    answers_several: bool = False
    """Its handler answers each record of its kind one message names ("where are 4711 and 4712?"); a
    family with none such has a message naming several of its records asked one record at a time
    (``Pipeline._questions``)."""
    acts: bool = False
    """It changes its record in the back end (an approval): like an intent that ``sends``, never answered
    again unasked ("how much?" right after approving an invoice shows the invoice)."""
    sends: bool = False
    """It sends its family's record somewhere (by mail, to the user). "send it to me" is worded alike
    for every kind of record, so said right after another family's record it goes to that family's
    intent that sends."""
    requires: re.Pattern[str] | None = None
    """Words without which the NLU's reading of a message as this intent is not taken: an intent that
    acts with consequences (signing a contract) is started only when the message says so ("sign",
    "signera", "skriva under"); "contract for 78ABC12" read as signing goes to the record it names,
    or the family's intent that shows its records. An answer to its own question is not checked."""
    refused_by: re.Pattern[str] | None = None
    """Words that say the customer does not want this intent ("I don't want to open a ticket", "jag
    vill inte skapa något ärende"): the NLU reads a message without them ("…, just tell me the status
    of 4711" is an order's question) and never answers it with this intent; a message that only
    refuses is none."""
    hears_faults: bool | Callable[[str], bool] = False
    """A report that something is broken (a ``fault`` entity: "our printer is broken", "servern
    startar inte") read as this intent is taken as this intent: a request's, a person's, a sign-in
    problem's; or only when its text says what the intent is about (an invoice's question hears a
    payment that fails, not "det är fel på servern" read as one). Read as any other intent ("my
    printer is broken" leaning to contracts), or as none, it goes to an intent that
    ``takes_faults``."""
    takes_faults: bool = False
    """Where a fault report goes, read as an intent that does not hear it or as one of these: the one
    whose record slot the report fills (a machine named by serial number, or "it" after one was
    shown), else the one whose slots take the ``fault`` entity itself (a new request, the report as
    its subject)."""
    asked_by: Callable[[str], bool] | None = None
    """Whether a message asks exactly this intent's question, however the classifier read it ("can I
    pay by card?", "vad är ert bankgiro?": how to pay, an invoice question, read as the account
    statement or as none): the NLU reads such a message as this intent, unless the classifier read a
    person's intent and the message names a person (``nlu.lexicon.names_a_person``). Kept to
    questions said in few, unmistakable words."""
    documents: bool = False
    """It gives one record of its family as a document (the invoice's PDF, the contract's): right after
    a record of the family was talked about, a message that asks only for a document ("pdf?", "as a
    PDF please", "och kopian?") means this intent, for that record (``nlu.lexicon.DOCUMENT_WORDS``)."""
    exports_after: tuple[str, ...] = ()
    """The listings it makes a spreadsheet of: right after one of these, a message that asks only for a
    file ("as a spreadsheet", "export that to Excel", "som kalkylark") means this intent, for what was
    listed. The words of a file choose an intent within a family, never the family
    (``nlu.lexicon.FORMATS``): here the family is the one just listed."""

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]

    def said_in(self, text: str) -> bool:
        """Whether ``text`` says the words this intent ``requires``, not denied: "don't approve it,
        just show it" and "jag vill inte godkänna den" say "approve" but do not ask for it."""
        return self.requires is None or said_undenied(self.requires, text)


class Files(Protocol):
    """Keeps a generated file and gives a signed, expiring link bound to the user."""

    ttl: timedelta
    """How long a link it gives stays valid (``publish``, ``document_link``)."""

    async def publish(
        self, *, owner: str | None, name: str, content_type: str, data: bytes, tool: Tool | None
    ) -> str: ...

    def document_link(
        self,
        *,
        owner: str,
        kind: Literal["invoice", "credit_note", "contract"],
        number: str,
        version: int | None = None,
        form: Literal["pdf", "html"] = "pdf",
    ) -> str:
        """A signed, expiring link to a document by number, rendered for its owner only when opened; a
        contract's may name a version and ask for the page to print (``form="html"``)."""
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
    state: DialogState
    """The engine's. A handler reads and writes it only through the methods below."""
    now: datetime
    public_url: str
    support_email: str
    """Where customers write to support: said when no person or administrator can be reached here."""
    handoffs: Handoffs | None = None
    """The queue to human agents; ``None`` where none are connected (the handoff gives the address)."""
    notices: Notices | None = None
    limits: Limits | None = None
    """The rate limits every worker shares (a re-typed password's attempts); ``None`` where none are kept."""
    asking: str | None = None
    """An optional slot the handler asked for itself (``ask``): the next answer fills it."""
    conversation: ConversationRef | None = None
    """Where the turn happens (the handoff queues this conversation)."""
    submitted: FormSubmission | None = None
    """The form the user sent this turn, when it was sent to this intent."""
    uploads: tuple[InboundFile, ...] = ()
    """Files the user sent this turn."""
    capabilities: frozenset[Capability] = frozenset()
    make_action_key: Callable[[], str | None] | None = None
    """Makes ``action_key``; called only when the turn acts (most turns only read)."""
    spec: IntentSpec | None = None
    """The intent answering: its family's context is the one the handler may use."""
    held: tuple[InboundFile, ...] = ()
    """Files sent with earlier turns of the question this turn answers, held by the engine meanwhile."""
    short: bool = False
    """The handler could not help (``fell_short``)."""

    @cached_property
    def action_key(self) -> str | None:
        """The user's message as an idempotency key (its conversation, user and delivery id), if it has one."""
        return self.make_action_key() if self.make_action_key is not None else None

    def action(self, mails: Callable[[T], Sequence[Mail]] | None = None, *, part: int = 0) -> Action[T]:
        """The back-end action of this turn: done once per message, with ``mails`` queued with it.
        ``part``: one of several actions of one message (each invoice of "email me INV-2031 and
        INV-2032"), each done once; part 0 is the message's own key."""
        key = self.action_key
        if part and key is not None:
            key = hashlib.sha256(f"{key}/{part}".encode()).hexdigest()
        return Action(key=key, mails=mails) if mails is not None else Action(key=key)

    def can(self, capability: Capability) -> bool:
        """Whether the user's channel shows forms / sends files."""
        return capability in self.capabilities

    @property
    def today(self) -> date:
        """The user's own date (``Principal.today``), the one the back ends count from too."""
        return self.principal.today(self.now)

    @property
    def link_minutes(self) -> int:
        """How long the links ``files`` gives stay valid, in whole minutes, as the replies say it."""
        return int(self.files.ttl.total_seconds()) // 60

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.fmt.language, **params)  # what ``fmt.t`` says, a call fewer

    def slot(self, name: str) -> SlotValue | None:
        value = self.slots.get(name)
        return value if isinstance(value, SlotValue) else None

    @property
    def said(self) -> str:
        """What the user first said to this intent, for an intent that ``keeps_text``: this message, or
        the one that started it when the bot asked something since."""
        kept = self.slots.get(SAID)
        return str(kept.value) if isinstance(kept, SlotValue) else self.parse.text

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
        """The reply asks for ``slot`` (with buttons, say): the engine treats the answer as its value.

        For a question that depends on what the handler found (which tools the user lacks); a slot
        always asked when missing is declared on the ``Slot`` instead."""
        self.asking = slot

    def reply(self, text: str, *, intent: str | None = None, **parts: Any) -> Reply:
        """A reply in the turn's language, from this turn's intent unless ``intent`` says otherwise."""
        name = intent if intent is not None else self.spec.name if self.spec is not None else None
        return Reply(text=text, language=self.language, intent=name, **parts)

    def context(self, model: type[ContextT]) -> ContextT:
        """This intent family's own context, typed; what the handler changes in it is kept."""
        if self.spec is None or self.spec.context is not model:
            raise TypeError(f"{model.__name__} is not the context of this turn's intent family")
        return self.state.family(self.spec.family, model)

    @property
    def last_intent(self) -> str | None:
        """The intent of the turn before, answered by a handler."""
        return self.state.last_intent

    def current(self, slot: str) -> SlotValue | None:
        """The value of ``slot`` the conversation is about now, if any."""
        return self.state.topic.current.get(slot)

    def shown(self, slot: str) -> list[Any]:
        """The values of the list shown last for ``slot``."""
        return list(self.state.topic.shown.get(slot, ()))

    def shown_marked(self, slot: str, mark: str) -> list[Any]:
        """The values of the list shown last for ``slot`` that ``set_shown`` marked ``mark``."""
        marks = self.state.topic.marks.get(slot, {})
        return [value for value in self.state.topic.shown.get(slot, ()) if mark in marks.get(str(value), ())]

    def set_current(self, slot: str, entity_type: str, value: Any) -> None:
        """Remember what the conversation is now about, for "it" and "and when will it arrive?".

        Records made current in one turn are linked: made current with the invoice, its order is
        what "the order for that invoice" means; with a machine, its contract."""
        self.state.set_current(slot, entity_type, value)

    def set_shown(
        self, slot: str, values: Sequence[Any], marks: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Remember a list just shown, for "the first one" and "the other one"; with ``marks``, per value,
        what sets it apart (its status as ``MARK_WORDS`` keys it, its site lower-cased), for "the paid
        one" and "den i Göteborg". A list of one record makes it the record talked about: "when will that
        one ship?" after the one order in production."""
        self.state.set_shown(slot, values, marks)
        if len(values) == 1 and (kind := _RECORD_KINDS.get(slot)) is not None:
            self.state.set_current(slot, kind, values[0])

    def fell_short(self) -> None:
        """The reply could not help (nothing found, a tool not there, a sign-in problem) and offers a
        request or a person: a request opened next starts with the customer's words of this turn."""
        self.short = True

    @property
    def unhelped(self) -> Unhelped | None:
        """What the customer asked in the turns just before that the bot could not help with."""
        return self.state.unhelped

    def handed_off(self, number: str) -> None:
        """The conversation is queued for a person (handoff ``number``): the bot stays silent meanwhile."""
        self.state.handoff = number


Handler = Callable[[TurnContext], Awaitable[Reply]]
