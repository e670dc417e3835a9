"""Learning from misses: the messages the NLU missed go to the agents' review list, and what the agents
make of them becomes this deployment's own examples, used after a reload without a restart.

A message is kept (``Learning.note``, once per turn, written in the turn's own transaction) when

- it was **not understood**: the NLU said ``none`` and the bot answered that it did not understand;
- it was answered with **low confidence**: below ``LOW_CONFIDENCE_MARGIN`` above the NLU's rejection
  threshold, where most of its wrong answers are;
- it was **rephrased**: the next message was understood after a miss (the bot then suggests the
  intent it was understood as), or said nearly the same words (``SIMILAR``) and was understood as
  another intent than the first;
- it was followed by **"talk to a person"** (``handoff.agent``) right after (unless it was small talk
  understood well: "hello" then "talk to a person" says nothing about "hello").

What is kept: the text with e-mail addresses, phone numbers and personal identity numbers masked
(``mask``; order, invoice, request and serial numbers stay: they are records, not persons, and they
are what makes a message about a record), the intent guessed and its confidence, the message's
language, why it was kept, the channel, the time and the conversation's key. Never a user id.

To compare a message with the one before, the turn keeps a masked copy of the last message the NLU
read (``HEARD``) in the conversation's stored state, beside the dialog's own.

``LearnedNLU`` is what the pipeline asks: the NLU built with the catalogue's examples and this
deployment's. An agent's assignment bumps a version in the database and rebuilds the NLU of that
worker at once (in a thread, then swapped in with one assignment); every other worker compares the
version at most every ``CHECK_SECONDS``, in the background of a turn, and rebuilds when it moved.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from supportbot.bot.messages import Message, Reply
from supportbot.bot.nlu.text import fold
from supportbot.bot.nlu.types import NONE_INTENT, Parse
from supportbot.bot.store.misses import (
    HANDOFF,
    LOW_CONFIDENCE,
    NOT_UNDERSTOOD,
    REPHRASED,
    MissRows,
    by_intent,
)
from supportbot.bot.store.writer import Statement

log = logging.getLogger(__name__)

LOW_CONFIDENCE_MARGIN = 0.1
"""An intent answered with a confidence below the rejection threshold plus this is kept for review.
On the development set most wrong answers lie there (and a third of the right ones)."""
SIMILAR = 0.6
"""Two messages share at least this part of their words (Jaccard): the second says the first again."""
CHECK_SECONDS = 30.0
"""How often a worker compares its NLU's version with the database's, at most."""
HEARD = "heard"
"""The key of the last message the NLU read in the conversation's stored state."""
PERSON_INTENT = "handoff.agent"
SMALL_TALK = "smalltalk."
"""Greetings, thanks, goodbyes: answered well, a person asked for next says nothing of them."""
KEPT_CHARS = 1000
"""A kept message's text is cut to this many characters."""

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_IDENTITY = re.compile(r"(?<![\w-])(?:\d{2})?\d{6}[-+]\d{4}(?![\w-])")
"""A Swedish personal identity number (ÅÅMMDD-NNNN, ÅÅÅÅMMDD-NNNN)."""
_PHONE = re.compile(r"(?<![\w+-])(?:\+|0)[\d ().-]{5,}\d(?![\w-])|(?<![\w+-])\d{11,15}(?![\w-])")
_DATE = re.compile(r"(?<!\d)(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)")
"""A date written with dots or slashes, or ISO: a run of digits holding one is not a phone number."""
_WORD = re.compile(r"[^\W\d_]{2,}")


def mask(text: str) -> str:
    """The text without e-mail addresses, phone numbers and personal identity numbers.

    A run of digits (with spaces, dashes, dots, brackets) is a phone number when it starts with ``+``
    and has at least seven digits, or with ``0`` and at least eight ("070-123 45 67", "+46 8 123 456
    78", "0049 89 1234567"); so is one unbroken number of eleven to fifteen digits ("46701234567").
    Order, invoice and request numbers (up to ten digits, never starting with 0 in this product),
    lists of them and dates stay."""
    if "@" not in text and len(_DIGIT.findall(text)) < 7:  # (most messages: nothing to look for)
        return text
    text = _EMAIL.sub("[e-mail]", text)
    text = _IDENTITY.sub("[personal number]", text)
    return _PHONE.sub(_phone, text)


_DIGIT = re.compile(r"\d")
"""Every text ``mask`` changes has an "@", or seven digits or more (a phone number has seven at least,
a personal identity number ten)."""
_MASKS = re.compile(r"\[(?:e-mail|phone|personal number)\]")


def teachable(examples: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The examples without the masks' placeholders: "call me on [phone]" teaches "call me on", not a
    word "phone" the customer never said."""
    taught: dict[str, list[str]] = {}
    for intent, texts in examples.items():
        kept = [" ".join(_MASKS.sub(" ", text).split()) for text in texts]
        taught[intent] = [text for text in kept if text]
    return taught


def _phone(found: re.Match[str]) -> str:
    run = found.group(0)
    digits = sum(ch.isdigit() for ch in run)
    if digits >= (7 if run.startswith("+") else 8) and not _DATE.search(run):
        return "[phone]"
    return run


def fingerprint(text: str) -> str:
    """The same for the repeats of one message: folded, its whitespace collapsed, hashed."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def similar(first: str, second: str) -> bool:
    a, b = _words(first), _words(second)
    return bool(a and b) and len(a & b) / len(a | b) >= SIMILAR


class Understanding(Protocol):
    @property
    def threshold(self) -> float: ...

    @property
    def intents(self) -> list[str]: ...

    def parse(
        self, text: str, *, today: Any, language_hint: str | None = None, topic: str | None = None
    ) -> Parse: ...


Build = Callable[[Mapping[str, Sequence[str]]], Awaitable[Understanding]]
"""Builds an NLU with the deployment's examples (intent → texts), off the event loop."""


class LearnedNLU:
    """The NLU the pipeline asks: swapped for a new one, built with the deployment's examples, on a
    reload; a turn asks whichever is current and never waits for a build."""

    def __init__(
        self,
        nlu: Understanding,
        *,
        build: Build,
        rows: MissRows,
        version: int = 0,
        check_seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.current = nlu
        self.version = version
        """The examples' version the current NLU was built with."""
        self._build = build
        self._rows = rows
        self._check_seconds = check_seconds
        self._clock = clock
        self._checked = clock()
        self._checking: asyncio.Task[None] | None = None
        self._reloading = asyncio.Lock()
        self._swapped: list[Callable[[], None]] = []

    @classmethod
    async def start(cls, *, build: Build, rows: MissRows, check_seconds: float = CHECK_SECONDS) -> LearnedNLU:
        """The NLU with the deployment's examples as the database holds them now."""
        version = await rows.version()
        nlu = await build(teachable(by_intent(await rows.examples())))
        return cls(nlu, build=build, rows=rows, version=version, check_seconds=check_seconds)

    @property
    def threshold(self) -> float:
        return self.current.threshold

    @property
    def intents(self) -> list[str]:
        return self.current.intents

    def parse(
        self, text: str, *, today: Any, language_hint: str | None = None, topic: str | None = None
    ) -> Parse:
        return self.current.parse(text, today=today, language_hint=language_hint, topic=topic)

    def on_swap(self, listener: Callable[[], None]) -> None:
        """``listener`` is called right after each new NLU is swapped in (``serve`` moves it out of the
        garbage collector's reach, as it did the first one at start-up)."""
        self._swapped.append(listener)

    async def reload(self) -> int:
        """Builds a new NLU with the examples the database holds now and swaps it in; the version."""
        async with self._reloading:
            version = await self._rows.version()
            examples = teachable(by_intent(await self._rows.examples()))
            self.current = await self._build(examples)  # one assignment: a turn sees the old or the new
            self.version = version
            for listener in self._swapped:
                listener()
            self._checked = self._clock()
            log.info(
                "the NLU reloaded with %d example(s) of this deployment (version %d)",
                sum(len(texts) for texts in examples.values()),
                version,
            )
            return version

    async def refresh(self) -> bool:
        """Reloads at once when the examples changed since this NLU was built (another worker's review
        was told on the bus); whether it reloaded."""
        if await self._rows.version() == self.version:
            return False
        await self.reload()
        return True

    def tick(self) -> None:
        """Called on every turn: at most every ``check_seconds`` compares the version in the background."""
        now = self._clock()
        if now - self._checked < self._check_seconds or self._checking is not None:
            return
        self._checked = now
        self._checking = asyncio.get_running_loop().create_task(self._check(), name="nlu version check")

    async def _check(self) -> None:
        try:
            if await self._rows.version() != self.version:
                await self.reload()
        except Exception:
            log.warning("could not check the NLU's version", exc_info=True)
        finally:
            self._checking = None

    async def close(self) -> None:
        if self._checking is not None:
            await asyncio.gather(self._checking, return_exceptions=True)


class Learning:
    """Decides, once per turn, what of it goes to the review list (see the module)."""

    def __init__(self, nlu: LearnedNLU, *, margin: float = LOW_CONFIDENCE_MARGIN) -> None:
        self.nlu = nlu
        self._margin = margin
        self._id_prefix = secrets.token_hex(8)
        self._counter = itertools.count(1)
        """Each message's id for the review list is 16 random hex digits per process and 16 counted
        ones: unique as 32 random digits were, without asking the system for randomness every turn."""

    def note(
        self,
        *,
        message: Message,
        parse: Parse | None,
        reply: Reply,
        before: Mapping[str, Any],
        after: dict[str, Any],
        at: datetime,
    ) -> list[Statement]:
        """The statements that keep this turn's miss, and add to the last one. ``before`` is the
        conversation's stored state before the turn, ``after`` the one stored now: this turn's
        message is remembered in it (masked) for the next turn to compare with."""
        self.nlu.tick()
        heard = before.get(HEARD)
        previous = heard if isinstance(heard, dict) and isinstance(heard.get("text"), str) else None
        read = parse is not None and not message.is_button and not reply.silent
        statements: list[Statement] = []
        conversation = message.conversation
        if previous is not None and parse is not None and not reply.silent:
            followed = self._followed(previous, parse, reply, button=message.is_button)
            if followed is not None:
                by, suggestion = followed
                if previous.get("kept"):
                    statements.append(MissRows.followed(str(previous["id"]), by=by, suggestion=suggestion))
                else:
                    statements.append(
                        MissRows.kept(
                            id=str(previous["id"]),
                            at=_time(previous.get("at"), at),
                            conversation_key=conversation.key,
                            channel=conversation.channel,
                            language=str(previous.get("language", "en")),
                            text=previous["text"],
                            fingerprint=fingerprint(previous["text"]),
                            intent=str(previous.get("intent", NONE_INTENT)),
                            confidence=float(previous.get("confidence", 0.0)),
                            reason=REPHRASED if by == REPHRASED else HANDOFF,
                            followed_by=by,
                            suggestion=suggestion,
                        )
                    )
        if not read or parse is None:
            after.pop(HEARD, None)
            return statements
        text = mask(parse.text)[:KEPT_CHARS]
        worded = _has_words(parse)
        reason = self._reason(parse, reply) if worded else None
        miss_id = f"{self._id_prefix}{next(self._counter):016x}"
        after[HEARD] = {
            "id": miss_id,
            "text": text,
            "intent": parse.intent,
            "confidence": round(parse.confidence, 4),
            "language": parse.language,
            "at": at.isoformat(),
            "kept": reason is not None,
            "words": worded,
        }
        if reason is not None:
            statements.append(
                MissRows.kept(
                    id=miss_id,
                    at=at,
                    conversation_key=conversation.key,
                    channel=conversation.channel,
                    language=parse.language,
                    text=text,
                    fingerprint=fingerprint(text),
                    intent=parse.intent,
                    confidence=parse.confidence,
                    reason=reason,
                )
            )
        return statements

    def _reason(self, parse: Parse, reply: Reply) -> str | None:
        if parse.intent == NONE_INTENT:
            return NOT_UNDERSTOOD if reply.intent == NONE_INTENT else None
        if reply.intent == parse.intent and parse.confidence < self.nlu.threshold + self._margin:
            return LOW_CONFIDENCE
        return None

    @staticmethod
    def _followed(
        previous: Mapping[str, Any], parse: Parse, reply: Reply, *, button: bool
    ) -> tuple[str, str | None] | None:
        """What this turn says of the one before: ``(handoff, None)``, ``(rephrased, intent)`` or nothing."""
        if not previous.get("words"):
            return None
        if parse.intent == PERSON_INTENT and reply.intent == PERSON_INTENT:
            earlier = str(previous.get("intent"))
            if earlier == PERSON_INTENT or (not previous.get("kept") and earlier.startswith(SMALL_TALK)):
                return None
            return HANDOFF, None
        if button or parse.intent in (NONE_INTENT, PERSON_INTENT) or reply.intent != parse.intent:
            return None
        if previous.get("kept") and previous.get("intent") != parse.intent:
            return REPHRASED, parse.intent  # understood right after a miss
        if previous.get("intent") != parse.intent and similar(str(previous["text"]), parse.text):
            return REPHRASED, parse.intent  # nearly the same words, another intent: the first was misread
        return None


def _has_words(parse: Parse) -> bool:
    """Whether the message has words of its own beside its numbers, dates and references: only those
    are worth an example ("4711" alone is the dialog's to place, not the NLU's)."""
    text = parse.text
    for entity in sorted(parse.entities, key=lambda e: e.start, reverse=True):
        text = text[: entity.start] + " " + text[entity.end :]
    return bool(_WORD.search(text))


def _time(value: Any, default: datetime) -> datetime:
    if isinstance(value, str):
        try:
            found = datetime.fromisoformat(value)
        except ValueError:
            return default
        return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
    return default
