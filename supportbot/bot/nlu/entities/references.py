"""References to something already talked about: "my latest order", "den andra", "it", "that order".

A reference names a place in the conversation ("it", "the other one", "the first one"); one that also
names a kind of record ("that order", "this machine", "det avtalet") is an ``about`` entity, whose value
is the kind: the dialog takes that kind's record talked about last, or what is linked to it (the
machine's contract), and reads a reference within it ("den" of "den ordern") as part of it. It is kept
beside what else the words are, so the classifier sees them as before. "Not that one" ("inte den")
points away from the record: ``negated`` tells the dialog so.
"""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

TRIGGERS = wordset(
    """
    the my our min mitt mina vår vårt våra den det latest most newest senaste nyaste last first
    second other andra första sista it its that this same samma
    """
)
"""Words a reference starts with: without one of them the pattern is not run."""
_DET_AS_IT = (
    "(?:"
    + "|".join(
        rf"(?<={verb}\s)"
        for verb in (
            "skicka",
            "mejla",
            "maila",
            "visa",
            "öppna",
            "signera",
            "godkänn",
            "vidarebefordra",
            "ut",
            "mig",
            "oss",
        )
    )
    + r")det(?!\s+(?:är|var|blir|finns|gäller|går|kommer|står)\b)"
)
"""Swedish "det" is "it" only as the object of a verb that acts on a record ("skicka det till mig",
"mejla mig det", "skriv ut det"): anywhere else it is far too common ("det är fel på…") to point back."""
_REFERENCE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<latest>(?:(?:the\s+|my\s+|our\s+)?(?:latest|most\s+recent|newest)|(?:min|mitt|mina|vår|vårt|våra|den|det)"
    r"\s+(?:senaste|nyaste)|senaste|nyaste|(?:my|our)\s+last|last(?=\s+(?:order|invoice|delivery|shipment|"
    r"request|ticket|contract|bill|statement)))(?!\s+(?:version|versionen|versions|versioner)\b))"
    r"|(?P<other>the\s+other(?:\s+one)?|(?:den|det)\s+andra(?!\s+(?:kvartalet|kvartal|\w+ari|mars|april|maj|"
    r"juni|juli|augusti|\w+ber))|the\s+remaining\s+one)"
    r"|(?P<first>the\s+first(?:\s+one)?|first\s+one|(?:den|det)\s+första(?!\s+(?:kvartalet|kvartal)))"
    r"|(?P<second>the\s+second(?:\s+one)?|second\s+one)"
    r"|(?P<last>the\s+last\s+one|last\s+one|(?:den|det)\s+sista)"
    r"|(?P<it>its?|that\s+one|this\s+one|den\s+här|den\s+där|den(?!\s+\d)|" + _DET_AS_IT + ")"
    r")(?![\w-])",
    re.IGNORECASE,
)
_PLACES = wordset(
    """
    latest most newest senaste nyaste last other andra remaining first första second sista it its one den det
    """
)
"""A word every reference has ("the other one" has "other", "that one" has "one")."""
_NOT = re.compile(r"(?i)(?:\bnot|\binte)\s*$")
"""Said right before a reference, it points away from it: "not that one, the other"."""

# fmt: off
_KINDS: dict[str, tuple[str, ...]] = {
    "order": ("order", "ordern", "beställningen", "beställning", "delivery", "leveransen", "shipment"),
    "invoice": ("invoice", "bill", "fakturan", "faktura"),
    "contract": ("contract", "agreement", "avtalet", "avtal", "kontraktet", "kontrakt"),
    "item": (
        "machine", "server", "system", "device", "item", "box", "unit", "licence", "license", "product",
        "maskinen", "maskin", "servern", "server", "systemet", "enheten", "utrustningen", "datorn",
        "licensen", "produkten",
    ),
    "request": ("request", "ticket", "case", "ärendet", "ärende"),
}
# fmt: on
_KIND_OF = {word: kind for kind, ws in _KINDS.items() for word in ws}
KIND_WORDS = frozenset(_KIND_OF)
"""Words that name a kind of record talked about ("machine", "avtalet"), lower-cased."""
_POINTERS = wordset("that this same den det samma")
"""A word every ``about`` phrase begins with (beside one of ``KIND_WORDS``)."""
_ABOUT = re.compile(
    r"(?<![\w-])(?:that|this|the\s+same|same|(?:den|det)(?:\s+(?:här|där))?|samma)\s+(?P<kind>"
    + "|".join(sorted(_KIND_OF, key=len, reverse=True))
    + r")(?![\w-])(?!\s*[#:]?\s*\d)",
    re.IGNORECASE,
)


def references(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """References and records pointed at by kind. ``words``, the lower-cased words of a text in ASCII
    (where lower-casing is exactly how the patterns ignore case), lets a pattern be skipped when the
    words it needs are not there."""
    if words is None or not _PLACES.isdisjoint(words):
        for m in _REFERENCE.finditer(text):
            claims.add(Found("reference", m.lastgroup, m.start(), m.end()))
    if words is not None and (_POINTERS.isdisjoint(words) or KIND_WORDS.isdisjoint(words)):
        return
    for m in _ABOUT.finditer(text):
        # Beside the words' other readings ("den" of "den ordern" stays a reference for the classifier).
        claims.beside(Found("about", _KIND_OF[m["kind"].lower()], m.start(), m.end()))


def negated(text: str, start: int) -> bool:
    """Whether a reference at ``start`` is said after "not"/"inte": "not that one" points away from it."""
    return _NOT.search(text, 0, start) is not None
