"""The channel-blind pipeline: identity → state → NLU → dialog → transcript, one turn at a time."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Final, Protocol

from supportbot.bot.dialog import DialogEngine, is_cancel, tool_refusal
from supportbot.bot.files import HANDOFF_FILE_TTL
from supportbot.bot.handoff import QUEUED, Handoff, Handoffs
from supportbot.bot.i18n import Formatter
from supportbot.bot.learning import Learning
from supportbot.bot.locks import ConversationLocks, KeyedLocks
from supportbot.bot.messages import MAX_INBOUND_BYTES, ConversationRef, Message, Reply
from supportbot.bot.nlu.clauses import Questions, last_sentence, may_hold_several
from supportbot.bot.nlu.recipients import speaks_of_mail
from supportbot.bot.nlu.types import NONE_INTENT, Parse
from supportbot.bot.state import DialogState, SlotValue
from supportbot.bot.store import Conflict, ConversationState, Store, TurnRecord
from supportbot.faults import crash_point
from supportbot.integrations.documents import DocumentRefused, kept_type
from supportbot.integrations.errors import AccessDenied, BackendUnavailable
from supportbot.integrations.models import Principal
from supportbot.integrations.protocols import DirectoryBackend

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
"""Longer messages are answered politely but not interpreted; they are still kept in the transcript."""
MAX_STORED_CHARS = 100_000


@dataclass(frozen=True)
class Answer:
    reply: Reply
    repeat: bool = False
    """The message repeated a delivery answered before; ``reply`` is that earlier answer."""
    payload: dict[str, Any] | None = None
    """``reply`` as the transcript keeps it (``reply.model_dump(mode="json")``), made once in the turn
    (``None`` for a repeat): a channel that sends the reply as JSON may start from it rather than
    dump the reply again. Shared with the store's cache: read it, never change it."""


class Understands(Protocol):
    def parse(
        self, text: str, *, today: Any, language_hint: str | None = None, topic: str | None = None
    ) -> Parse: ...


class _PrincipalCache:
    """Principals for a few seconds, so a chat turn costs no directory queries in a busy conversation.
    When one expires, one lookup refreshes it and the user's other turns meanwhile wait for that one
    rather than each asking the directory too."""

    def __init__(self, directory: DirectoryBackend, *, ttl: float, clock: Callable[[], float]) -> None:
        self._directory = directory
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal | None]] = {}
        self._lookups: dict[str, asyncio.Task[Principal | None]] = {}
        """The lookup under way per user: the one every turn of theirs waits for."""

    def fresh(self, user_id: str) -> tuple[Principal | None] | None:
        """The cached principal while it is fresh (a turn's usual case, without a coroutine)."""
        hit = self._entries.get(user_id)
        if hit is not None and self._clock() - hit[0] < self._ttl:
            return (hit[1],)
        return None

    async def get(self, user_id: str) -> Principal | None:
        hit = self._entries.get(user_id)
        if hit is not None and self._clock() - hit[0] < self._ttl:
            return hit[1]
        lookup = self._lookups.get(user_id)
        if lookup is None:
            lookup = self._lookups[user_id] = asyncio.ensure_future(self._look_up(user_id))
            lookup.add_done_callback(_retrieved)
        return await asyncio.shield(lookup)  # a turn cancelled meanwhile leaves it to the others

    async def _look_up(self, user_id: str) -> Principal | None:
        now = self._clock()
        try:
            principal = await self._directory.principal_for(user_id)
        finally:
            current = self._lookups.get(user_id) is asyncio.current_task()
            if current:
                del self._lookups[user_id]
        if current:  # not forgotten meanwhile: what it read may be cached
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[user_id] = (now, principal)
        return principal

    def forget(self, user_id: str | None = None) -> None:
        """Drops cached principals; a lookup under way is no longer cached (it may have read the
        grants before they changed), and the next turn looks up again."""
        if user_id is None:
            self._entries.clear()
            self._lookups.clear()
        else:
            self._entries.pop(user_id, None)
            self._lookups.pop(user_id, None)


def _retrieved(lookup: asyncio.Future[Any]) -> None:
    """Takes a lookup's failure, which its waiters were given, or none waited (all cancelled)."""
    if not lookup.cancelled():
        lookup.exception()


class Pipeline:
    def __init__(
        self,
        *,
        store: Store,
        nlu: Understands,
        dialog: DialogEngine,
        directory: DirectoryBackend,
        principal_ttl: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        handoffs: Handoffs | None = None,
        learning: Learning | None = None,
    ) -> None:
        self.store = store
        self.nlu = nlu
        self.dialog = dialog
        self.handoffs = handoffs
        self.learning = learning
        """Keeps the NLU's misses for the agents' review list (``bot.learning``)."""
        self._parsed: dict[str, Parse] = {}
        """What the NLU made of the message a conversation's turn is answering (turns of one
        conversation never overlap): for ``learning``."""
        # Shared with the handoffs: an agent's line and a customer's turn never interleave.
        self._locks: ConversationLocks = handoffs.locks if handoffs is not None else KeyedLocks()
        self._principals = _PrincipalCache(directory, ttl=principal_ttl, clock=time.monotonic)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.observers: list[Callable[[Message, Answer, float], None]] = []
        """Told of every answered message with the seconds it took (metrics); they must not raise."""
        self._apart = Questions.of(dialog.intents.values())
        """How a message is read into several questions (``_questions``)."""

    def forget_principal(self, user_id: str | None = None) -> None:
        """Drop cached principals, e.g. after grants change."""
        self._principals.forget(user_id)

    async def principal(self, user_id: str | None) -> Principal:
        if user_id is None:
            return Principal.guest()
        return await self._principals.get(user_id) or Principal.guest()

    async def handle(self, message: Message) -> Reply:
        """Answer one message. Messages of one conversation are answered strictly in arrival order."""
        return (await self.answer(message)).reply

    async def answer(self, message: Message) -> Answer:
        """Like ``handle``, also telling whether the message was a repeat of one answered before."""
        key = message.conversation.key
        started = time.perf_counter()
        async with self._locks.hold(key):
            conv = await self.store.load(key, channel=message.conversation.channel, user_id=message.user_id)
            try:
                answer = await self._turn(message, conv)
            except BaseException:
                self._parsed.pop(key, None)
                self.store.forget(key)  # the state may be changed half-way: reload it next time
                raise
        for observe in self.observers:
            observe(message, answer, time.perf_counter() - started)
        return answer

    async def _turn(self, message: Message, conv: ConversationState) -> Answer:
        key = message.conversation.key
        if message.delivery_id and conv.exists:
            if conv.deliveries is not None:  # from the cache: no query, no coroutine
                earlier = conv.deliveries.get(message.delivery_id)
            else:
                earlier = await self.store.reply_for_delivery(key, message.delivery_id, conv=conv)
            if earlier is not None:
                return _repeated(earlier)
        conv.user_id = message.user_id
        fresh = self._principals.fresh(message.user_id) if message.user_id is not None else None
        if fresh is not None:
            principal = fresh[0] or Principal.guest()
        else:
            principal = await self.principal(message.user_id)
        text = _clean(message.transcript_text())
        language = conv.language if conv.exists else principal.locale
        # The state the last turn left, kept alive in the cache; parsed from its document otherwise.
        live = conv.live
        state = live if isinstance(live, DialogState) else DialogState.load(conv.state)
        handoff = await self._open_handoff(state)
        if handoff is not None:
            reply = await self._handed_off(handoff, text, conv.language, state)
        else:
            reply = await self._answer(message, text, language, state, principal, message.conversation)
        before, conv.state = conv.state, state.dump()
        conv.language = reply.language
        user_turn_files: list[dict[str, Any]] = []
        relay = handoff is not None and reply.silent  # the agents get this line
        if relay and message.files:
            user_turn_files = await self._keep_for_agent(message)
            refused = [str(f["name"]) for f in user_turn_files if f.get("refused")]
            if refused:
                reply = _files_not_passed_on(refused, conv.language)
        user_turn = TurnRecord(
            role="user",
            text=text[:MAX_STORED_CHARS],
            payload=_user_payload(message, user_turn_files),
            delivery_id=message.delivery_id,
            at=message.received_at,
        )
        payload = reply.model_dump(mode="json")
        bot_turn = TurnRecord(role="bot", text=reply.text, payload=payload)
        parsed = self._parsed.pop(key, None)
        also = (
            self.learning.note(
                message=message,
                parse=parsed,
                reply=reply,
                before=before,
                after=conv.state,
                at=message.received_at or self._clock(),
            )
            if self.learning is not None
            else ()
        )
        conv.keep_live(state)
        crash_point("turn.before_save")
        try:
            # While an agent has the conversation the bot says nothing: only the customer's line is stored.
            await self.store.save_turn(
                conv, *((user_turn,) if reply.silent else (user_turn, bot_turn)), also=also
            )
        except Conflict:
            # Another worker took the same delivery first: answer as it did.
            if message.delivery_id:
                earlier = await self.store.reply_for_delivery(key, message.delivery_id)
                if earlier is not None:
                    return _repeated(earlier)
            raise
        if handoff is not None and self.handoffs is not None and relay:
            await self.handoffs.customer_said(
                handoff, text[:MAX_STORED_CHARS], message.received_at, files=user_turn_files
            )
        return Answer(reply, payload=payload)

    async def _keep_for_agent(self, message: Message) -> list[dict[str, Any]]:
        """Files sent while an agent has the conversation are kept with the transcript for the agents."""
        owner = message.user_id or message.conversation.key
        kept = []
        for file in message.files:
            entry: dict[str, Any] = {"name": file.name, "content_type": file.content_type, "size": file.size}
            if file.data and file.size <= MAX_INBOUND_BYTES:
                try:
                    # The agent opens it on their own computer: the same rule as for a request's documents.
                    kind = kept_type(file.name, file.content_type, file.data)
                except DocumentRefused as refused:
                    log.info("a file for an agent refused in conversation %s: %s", owner, refused)
                    entry["refused"] = True
                else:
                    entry["content_type"] = kind
                    typed = file.model_copy(update={"content_type": kind})
                    entry["id"] = await self.dialog.files.stash(owner=owner, file=typed, ttl=HANDOFF_FILE_TTL)
            kept.append(entry)
        return kept

    async def _open_handoff(self, state: DialogState) -> Handoff | None:
        """The conversation's queued or active handoff; looked up only when its state says there is one."""
        if self.handoffs is None or not state.handoff:
            return None
        handoff = await self.handoffs.get(state.handoff)
        if handoff is None or not handoff.open:
            state.handoff = None
            return None
        return handoff

    async def _handed_off(self, handoff: Handoff, text: str, language: str, state: DialogState) -> Reply:
        """Silent (the agents get the line), except that a customer still queued may cancel."""
        assert self.handoffs is not None
        if handoff.status == QUEUED and is_cancel(text) and await self.handoffs.cancel(handoff.number):
            state.handoff = None
            fmt = Formatter(language)
            return Reply(text=fmt.t("handoff.cancelled"), language=fmt.language, intent="handoff.cancel")
        return Reply(text="", language=language, intent="handoff.relay")

    async def _answer(
        self,
        message: Message,
        text: str,
        language: str,
        state: DialogState,
        principal: Principal,
        conversation: ConversationRef | None = None,
    ) -> Reply:
        hint = message.language_hint or language or principal.locale
        principal = principal.in_zone(message.time_zone)  # "yesterday" is the user's yesterday
        fmt = Formatter(hint, country=principal.country)
        now = self._clock()
        if message.files:
            text = _clean(message.text)  # the words only: the NLU never sees file names
        if message.form is not None or (message.files and not message.text.strip()):
            # A form says what it is for; files alone go where files go. Neither needs the NLU.
            parse = Parse(
                text=text,
                intent=message.form.id if message.form is not None else NONE_INTENT,
                confidence=1.0 if message.form is not None else 0.0,
                language=fmt.language,
            )
            return await self._step(message, parse, state, principal, conversation, now)
        if _unreadable(message.text):
            return Reply(text=fmt.t("input.unreadable"), language=fmt.language, intent="input.unreadable")
        if not text.strip():
            return Reply(text=fmt.t("input.empty"), language=fmt.language, intent="input.empty")
        if len(text) > MAX_MESSAGE_CHARS:
            return Reply(
                text=fmt.t("input.too_long", length=len(text), limit=fmt.count(MAX_MESSAGE_CHARS)),
                language=fmt.language,
                intent="input.too_long",
            )
        parse = self.nlu.parse(text, today=principal.today(now), language_hint=hint, topic=_topic(state))
        self._parsed[message.conversation.key] = parse
        if (
            state.pending is None
            and (parse.entities or any(ch.isdigit() for ch in parse.text))
            and may_hold_several(parse.text)
        ):
            together = await self._several_questions(message, parse, state, principal, conversation, now)
            if together is not None:
                return together
        return await self._step(message, parse, state, principal, conversation, now)

    async def _several_questions(
        self,
        message: Message,
        parse: Parse,
        state: DialogState,
        principal: Principal,
        conversation: ConversationRef | None,
        now: datetime,
    ) -> Reply | None:
        """Each question of a message that asks after several things ("where is order 4711 and when is
        INV-2031 due?", "where is 4712 and what's our balance?"), answered in turn and said in one
        reply; None when the message is one question (``_questions``).

        Every question but the last must be a look-up (``ANSWERED_TOGETHER``) that speaks of no mail;
        they are answered first, on a copy of the state, and when one of them asks something back or
        is answered otherwise, the copy is dropped and the message answered whole, as before: nothing
        was done. The last question may be anything (an action, a request that asks for its subject);
        once it is answered the copy is kept (``DialogState.take``) and the last question's record is
        the one talked about."""
        parses = self._questions(parse, principal, now, state)
        if parses is None:
            return None
        trial = DialogState.load(state.dump())
        replies = []
        answered: tuple[str | None, dict[str, SlotValue]] | None = None
        for part in parses[:-1]:
            reply = await self._step(message, part, trial, principal, conversation, now)
            if reply.intent not in ANSWERED_TOGETHER or reply.form is not None or trial.pending is not None:
                return None
            replies.append(reply)
            if self._apart.records(part):
                answered = (trial.last_intent, dict(trial.last_slots))
        last = await self._step(message, parses[-1], trial, principal, conversation, now)
        replies.append(last)
        if answered is not None and _shows_nothing(last) and trial.pending is None:
            # ("show contract C-2001 and our open requests", none open: "download it as pdf" is the
            # contract's, the last record answered about, not the empty list's)
            trial.last_intent, trial.last_slots = answered
        state.take(trial)
        return _together(replies, asks_last=trial.pending is not None)

    def _questions(
        self, parse: Parse, principal: Principal, now: datetime, state: DialogState
    ) -> list[Parse] | None:
        """The message's questions read apart, in its language: cut between records of different
        families (``Questions.questions``), or at the first joint where a part naming a record and a
        part of another family meet (``Questions.cuts``: a part of its own family is a follow-up of the
        same question, "where is 4711 and when will it arrive?"). Each question but the last a look-up
        without a word of mail; every one asks of a family with records (no thanks, no person)."""

        def read(text: str) -> Parse:
            return self.nlu.parse(
                text, today=principal.today(now), language_hint=parse.language, topic=_topic(state)
            )

        def looks_up(part: Parse) -> bool:
            return (part.intent in ANSWERED_TOGETHER or part.intent == NONE_INTENT) and not speaks_of_mail(
                part.text
            )

        apart = self._apart
        parts = apart.questions(parse)
        if parts is not None:
            parses = [read(part) for part in parts]
            if all(looks_up(p) for p in parses[:-1]) and all(
                apart.family(p) in apart.families for p in parses
            ):
                return parses
            return None

        def sure(part: Parse) -> bool:
            """A part naming no record stands as a question only when the NLU is sure of it ("nej
            förlåt" of "nej förlåt, 4712 menade jag" is no question of its own)."""
            return bool(apart.records(part)) or part.confidence >= SURE_PART

        for first, then in apart.cuts(parse):
            asked = read(first)
            if apart.family(asked) not in apart.families and (question := last_sentence(first)) != first:
                asked = read(question)  # ("hej! två saker: var är 4711 och …": the greeting left aside)
            if apart.family(asked) not in apart.families or not looks_up(asked) or not sure(asked):
                continue
            after = read(then)
            if (
                apart.family(after) in apart.families
                and apart.family(after) != apart.family(asked)
                and sure(after)
                and (apart.records(asked) or apart.records(after))
            ):
                return [asked, after]
        return None

    async def _step(
        self,
        message: Message,
        parse: Parse,
        state: DialogState,
        principal: Principal,
        conversation: ConversationRef | None,
        now: datetime,
    ) -> Reply:
        try:
            return await self.dialog.step(
                parse=parse,
                principal=principal,
                state=state,
                now=now,
                conversation=conversation,
                form=message.form,
                files=message.files,
                capabilities=message.capabilities,
                make_action_key=partial(action_key, message),
                time_zone=message.time_zone,
            )
        except BackendUnavailable:
            log.warning("back end unavailable in conversation %s", message.conversation.key)
            return Reply(
                text=Formatter(parse.language).t("error.backend_unavailable"),
                language=parse.language,
                intent=parse.intent,
            )
        except AccessDenied as denied:
            fmt = Formatter(parse.language, country=principal.country)
            return tool_refusal(denied.tool, fmt, language=parse.language, intent=parse.intent)
        except Exception:
            log.exception("unexpected error in conversation %s", message.conversation.key)
            state.pending = None
            return Reply(
                text=Formatter(parse.language).t("error.internal"), language=parse.language, intent="error"
            )

    async def history(self, message_key: str, *, limit: int = 100) -> list[TurnRecord]:
        return await self.store.history(message_key, limit=limit)


ANSWERED_TOGETHER: Final = frozenset(
    {
        "order.status",
        "order.search",
        "invoice.get",
        "invoice.list",
        "statement.show",
        "contract.status",
        "contract.history",
        "request.status",
        "inventory.show",
        "inventory.question",
    }
)
"""The look-ups a message may ask before another question (``Pipeline._several_questions``): each
answers from the records asked after and acts on nothing (asked without a word of mail)."""
SURE_PART: Final = 0.6
"""How sure the NLU must be of a part of a message that names no record to read it as a question."""


LISTINGS: Final = frozenset({"order.search", "invoice.list", "statement.show"})
"""Look-ups whose table is their answer (a record's table only details its card)."""


def _shows_nothing(reply: Reply) -> bool:
    """Whether a reply shows nothing to point back at: no card, table, button or file (an empty list)."""
    return not (reply.cards or reply.table or reply.buttons or reply.attachments)


def _together(replies: list[Reply], *, asks_last: bool) -> Reply:
    """The replies to a message's questions as one, in the order asked: the first one's intent and
    language, every text, card, button and file. A reply shows one table, under all the texts: a
    listing's if there is one (its rows are its answer), else the first. A listing is said last, so
    that its words lead to its rows, unless the last reply asks something (a question stays last)."""
    first = replies[0]
    with_table = [r for r in replies if r.table is not None]
    kept = next((r for r in with_table if r.intent in LISTINGS), with_table[0] if with_table else None)
    if kept is not None and kept.intent in LISTINGS and not asks_last:
        replies = [r for r in replies if r is not kept] + [kept]
    buttons = {b.value: b for r in replies for b in r.buttons}
    return first.model_copy(
        update={
            "text": "\n\n".join(r.text for r in replies),
            "cards": tuple(c for r in replies for c in r.cards),
            "table": kept.table if kept is not None else None,
            "buttons": tuple(buttons.values()),
            "attachments": tuple(a for r in replies for a in r.attachments),
        }
    )


def _topic(state: DialogState) -> str | None:
    """The family of the last answer, for the NLU to read a follow-up that names no record of its own
    in ("what's the total?" after an invoice; the NLU knows which families are of records); while a
    question waits, the family of the question's intent (the dialog reads the message as its answer
    first: this only says what a request of its own is about, "which ones are waiting for approval?"
    asked which invoice to approve)."""
    if state.pending is not None:
        return state.pending.intent.split(".", 1)[0]
    last = state.last_intent
    if last is None:
        return None
    return last.split(".", 1)[0]


def _repeated(earlier: dict[str, Any]) -> Answer:
    """The answer to a repeated delivery: the reply stored for its first one."""
    return Answer(Reply.model_validate(earlier) if earlier else Reply(text=""), repeat=True)


def _user_payload(message: Message, kept: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """What the transcript keeps beside the text: a button press, a form's values, the files' names
    (and, for files kept for an agent, their ids)."""
    payload: dict[str, Any] = {}
    if message.is_button:
        payload["button"] = True
    if message.form is not None or message.files:
        payload["said"] = _clean(message.text)[:MAX_STORED_CHARS]  # the words alone, for the channels
    if message.form is not None:
        payload["form"] = {"id": message.form.id, "values": dict(message.form.values)}
    if kept:
        payload["files"] = kept
    elif message.files:
        payload["files"] = [
            {"name": f.name, "content_type": f.content_type, "size": f.size} for f in message.files
        ]
    return payload or None


def _files_not_passed_on(names: list[str], language: str) -> Reply:
    """Said while an agent has the conversation: which files did not reach the agent, and what may."""
    fmt = Formatter(language)
    lines = [fmt.t("handoff.file_refused", name=name) for name in names]
    lines.append(fmt.t("request.file.accepted_types"))
    return Reply(text="\n".join(lines), language=fmt.language, intent="handoff.file_refused")


def action_key(message: Message) -> str | None:
    """The message as an idempotency key for the back end: its delivery id, scoped by conversation and
    user so that nobody's id can collide with another's (hashed: any length, one size)."""
    if not message.delivery_id:
        return None
    scoped = "\0".join((message.conversation.key, message.user_id or "", message.delivery_id))
    return hashlib.sha256(scoped.encode()).hexdigest()


def _clean(text: str) -> str:
    """Drop control characters (keeping line breaks and tabs) and normalise to NFC."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no control, surrogate or private-use character (most messages)
        return text
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co"})


def _unreadable(text: str) -> bool:
    """Mostly replacement or unassigned characters: binary data that went through a text decoder."""
    if text.isprintable() and "\ufffd" not in text:  # none of them (most messages)
        return False
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch not in "\n\r\t" and unicodedata.category(ch) in {"Cc", "Cn", "Co", "Cs"})
    )
    return bad > 0 and bad * 4 >= len(text.strip())
