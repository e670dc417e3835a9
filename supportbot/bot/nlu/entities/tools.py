"""The tools a user asks access to: "access to invoices and contracts", "behörighet till fakturor".

A tool word counts only where the message is about access (or is nothing but tool words, the answer
to "which tool?"): in "the invoice 2031 for order 4711" the words name documents, not tools.
"""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.lexicon import STOPWORDS
from supportbot.bot.nlu.text import fold, wordset

_TOOL = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<all>all\s+(?:the\s+|of\s+the\s+)?tools|every\s+tool|alla\s+verktyg(?:en)?)"
    r"|(?P<invoices>invoic\w*|bills|billing|faktur\w*)"
    r"|(?P<statements>(?:account\s+)?statements?|kontoutdrag\w*|reskontra\w*)"
    r"|(?P<contracts>contracts?|agreements?|avtal\w*|kontrakt\w*)"
    r"|(?P<inventory>inventor\w*|inventari\w*|(?:installed\s+)?equipment|(?:installerad\s+)?utrustning\w*)"
    r"|(?P<requests>(?:support\s+)?requests|tickets|ärenden\w*|ärendeverktyg\w*|request\s+tool)"
    r"|(?P<orders>orders?|ordrar\w*|orderverktyg\w*|beställningar\w*)"
    r")(?![\w-])",
    re.IGNORECASE,
)

STARTS = (
    "all", "every", "invoic", "bill", "faktur", "account", "statement", "kontoutdrag", "reskontra",
    "contract", "agreement", "avtal", "kontrakt", "inventor", "inventari", "installed", "equipment",
    "installerad", "utrustning", "support", "request", "ticket", "ärende", "order", "ordrar", "beställningar",
)  # fmt: skip
"""How every match of the tool pattern begins, lower-cased: a message with no word that begins so
has no tool in it. (Only for ASCII text, where lower-casing is exactly the pattern's ignoring of case.)"""

TRIGGERS = frozenset(
    fold(w)
    for w in wordset(
        """
        access acess permission permissions permision authorised authorized authorisation
        authorization rights right grant grants granted revoke revoked withdraw
        tillgång tillgången behörighet behörigheten behörigheter behörigheterna behörihet
        rättighet rättigheter åtkomst återkalla återkallar dra
        """
    )
)
"""Words that make a message about access; without one, only a bare list of tools counts."""

_FILLERS = wordset("tool tools verktyg verktyget please tack also också both båda plus")
_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


_CONSUMED = (*STARTS, "the", "of", "tool", "verktyg")
"""How every word a match of the tool pattern takes begins ("all of the tools", "alla verktygen")."""


def tools(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """``words``, the lower-cased words of a text in ASCII, let a message that cannot name a tool here
    be passed over before the pattern runs: one not about access with a digit, or with a word that is
    neither a tool word nor a word that may stand beside one."""
    if words is not None and "_" not in text and not _about_access(words):
        if _DIGIT.search(text) is not None:
            return
        if not all(w.startswith(_CONSUMED) for w in words.difference(STOPWORDS, _FILLERS)):
            return
    matches = list(_TOOL.finditer(text))
    if not matches:
        return
    folded = [fold(w) for w in _WORDS.findall(text)]
    about_access = any(w in TRIGGERS for w in folded)
    if not about_access:
        if any(ch.isdigit() for ch in text):
            return
        rest = _WORDS.findall(_TOOL.sub(" ", text).lower())
        if not all(w in STOPWORDS or w in _FILLERS for w in rest):
            return
    for m in matches:
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "requests":
            before = _WORDS.findall(text[max(0, m.start() - 20) : m.start()])
            if before and fold(before[-1]) in {"access", "acess"}:
                continue  # "pending access requests" are not the requests tool
        claims.add(Found("tool", kind, m.start(), m.end()))


def _about_access(words: frozenset[str]) -> bool:
    """Whether a word of ``words`` (or a run of letters in one: "4711access") is about access."""
    if not TRIGGERS.isdisjoint(words):
        return True
    return any(not w.isalpha() and not TRIGGERS.isdisjoint(_WORDS.findall(w)) for w in words)
