"""One message asking after records of different kinds, one question each: "where is order 4711 and
when is INV-2031 due?", "status of order 4711 and contract C-1001", "Var är order 4711? Och när går
avtal C-1001 ut?".

The message is cut where one question ends and the next begins: between a record of one kind and
the next record of another kind, at a sentence's end or a joining word ("and", "och", "plus", a
comma). Records of different kinds with no such joint between them are one question about both
("is INV-2031 the invoice for order 4711?", "fakturan för order 4711"), and the message is not cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from supportbot.bot.nlu.types import NONE_INTENT, Entity, Parse

if TYPE_CHECKING:
    from supportbot.bot.spec import IntentSpec

MAX_QUESTIONS: Final = 3
"""At most this many questions are read out of one message; one naming more is read as a whole."""

_JOINT: Final = re.compile(
    r"(?i)(?P<end>[.?!;]+)\s*(?:(?:and|och|also|också|plus|samt)\b[\s,]*)?"
    r"|[\s,]*(?<![\w-])(?:and|och|o|plus|samt|as\s+well\s+as|liksom|&)(?![\w-])\s*(?:also\s+|också\s+)?"
    r"|,\s*"
)
"""Where one question ends and the next begins: a sentence's end (kept with the question it ends), a
joining word ("o" is "och" as a chat types it), a comma."""


def may_hold_several(text: str) -> bool:
    """Whether a message may have a joint of ``_JOINT``'s between words, so that it may hold several
    questions: a cheap look, plain substrings only, before any of them is read apart (most messages
    have none; a question mark at the end is none)."""
    if "," in text or ";" in text or "&" in text:
        return True
    inner = text.rstrip(" .?!")
    if "." in inner or "?" in inner or "!" in inner:
        return True
    low = text.lower()  # (each word looked for in turn: a generator costs more than the looks)
    return (
        " and " in low
        or " och " in low
        or " o " in low  # ("status på 4712 o faktura INV-2032": "och" as typed in a chat)
        or " plus " in low
        or " samt " in low
        or " liksom " in low
        or " as well as " in low
    )


MAX_CUTS: Final = 4
"""At most this many joints of a message are tried as the end of a first question (``Questions.cuts``)."""


@dataclass(frozen=True, slots=True)
class Questions:
    """How a message is read apart, knowing the catalogue: the families of a back end's records that a
    question read out of a message may ask of (``families``: not thanks, a greeting or a person), the
    family whose record each kind of record number is (``family_of_record``: the numbers their intents
    claim), and those whose intents answer one record at a time (``one_at_a_time``)."""

    families: frozenset[str]
    family_of_record: Mapping[str, str]
    one_at_a_time: frozenset[str] = frozenset()

    @classmethod
    def of(cls, intents: Iterable[IntentSpec]) -> Questions:
        """Read from the intents: a family none of whose intents ``answers_several`` is asked one
        record at a time ("status på avtal C-1001 och C-2001")."""
        tools = [spec for spec in intents if spec.tool is not None]
        several = {spec.family for spec in tools if spec.answers_several}
        families = frozenset(spec.family for spec in tools)
        return cls(
            families=families,
            family_of_record={kind: spec.family for spec in tools for kind in spec.claims},
            one_at_a_time=families - several,
        )

    def records(self, parse: Parse) -> list[Entity]:
        """The records the message names by number, in the order named."""
        return sorted((e for e in parse.entities if e.type in self.family_of_record), key=_start)

    def questions(self, parse: Parse) -> list[str] | None:
        """The message's questions, one per run of records of one family, when it names records of
        more than one family and each change of family comes after a joint; otherwise None. Records
        of a family asked one at a time are each a question of their own where a joint is between
        them."""
        named = self.records(parse)
        if len(named) < 2:
            return None
        text, family_of = parse.text, self.family_of_record
        cut_at: list[tuple[int, int]] = []
        for before, after in pairwise(named):
            same = family_of[before.type] == family_of[after.type]
            if same and family_of[before.type] not in self.one_at_a_time:
                continue
            joint = _JOINT.search(text, before.end, after.start)
            if joint is not None:
                cut_at.append(_cut(joint))
            elif not same:
                return None  # ("is INV-2031 the invoice for order 4711?": one question about both)
        if not cut_at or len(cut_at) >= MAX_QUESTIONS:
            return None
        parts, start = [], 0
        for cut_start, cut_end in cut_at:
            parts.append(text[start:cut_start].strip())
            start = cut_end
        parts.append(text[start:].strip())
        return parts if all(parts) else None

    def cuts(self, parse: Parse) -> list[tuple[str, str]]:
        """The message cut in two at each of its first joints, for a message that names a record (or
        a number, which may be one in a part of its own): the questions it may hold when one of them
        names no record of its own ("where is 4712 and what's our balance?", "var är 4711 och kan ni
        skicka fakturan för den till ekonomi@…"). Which cut, if any, holds two questions is for the
        reading of each part to say."""
        text = parse.text
        if not self.records(parse) and not any(ch.isdigit() for ch in text):
            return []  # ("where is 4712 and …": a bare number is an order's only in a part of its own)
        found = []
        for joint in _JOINT.finditer(text):
            cut_start, cut_end = _cut(joint)
            first, then = text[:cut_start].strip(), text[cut_end:].strip()
            if first and then:
                found.append((first, then))
                if len(found) == MAX_CUTS:
                    break
        return found

    def family(self, parse: Parse) -> str | None:
        """The family a part of a message asks of: its intent's, or for a record said alone, the
        record's."""
        if parse.intent != NONE_INTENT:
            return parse.intent.split(".", 1)[0]
        named = self.records(parse)
        return self.family_of_record[named[0].type] if named else None


def _cut(joint: re.Match[str]) -> tuple[int, int]:
    """Where a joint cuts: from its start (or after a sentence's end, kept with its sentence) to its end."""
    return (joint.end("end") if joint["end"] else joint.start(), joint.end())


_SENTENCE_END: Final = re.compile(r"[.!?:;]\s+")


def last_sentence(text: str) -> str:
    """The last sentence of a part, without what was said before it ("hej! två saker: var är 4711"):
    the question itself, when the part's whole reads as its greeting or preamble."""
    ends = list(_SENTENCE_END.finditer(text))
    return text[ends[-1].end() :] if ends else text


def _start(entity: Entity) -> int:
    return entity.start
