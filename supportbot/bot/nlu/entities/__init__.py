"""Entity extraction: each extractor claims its spans in priority order, so no text counts twice."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from supportbot.bot.nlu.entities.amounts import amounts
from supportbot.bot.nlu.entities.dates import TRIGGERS as DATE_TRIGGERS
from supportbot.bot.nlu.entities.dates import dates
from supportbot.bot.nlu.entities.email import emails
from supportbot.bot.nlu.entities.faults import faults
from supportbot.bot.nlu.entities.found import Claims, Found, WordTest
from supportbot.bot.nlu.entities.ids import bare_order_numbers, keyword_ids, prefixed_ids, typo_keyword_ids
from supportbot.bot.nlu.entities.references import TRIGGERS as REFERENCE_TRIGGERS
from supportbot.bot.nlu.entities.references import references
from supportbot.bot.nlu.entities.serials import serials
from supportbot.bot.nlu.entities.sites import OTHER_TRIGGERS, SiteMatcher, other_site
from supportbot.bot.nlu.entities.status import TRIGGERS as STATUS_TRIGGERS
from supportbot.bot.nlu.entities.status import statuses
from supportbot.bot.nlu.entities.tools import STARTS as TOOL_STARTS
from supportbot.bot.nlu.entities.tools import tools

__all__ = ["EntityExtractor", "Found"]

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+|\w+")


class EntityExtractor:
    """Runs every extractor over a message; the most specific shapes go first."""

    def __init__(self, site_names: Sequence[str] = (), *, vocabulary: frozenset[str] = frozenset()) -> None:
        self._sites = SiteMatcher(site_names, ignore=vocabulary)

    def extract(self, text: str, *, today: date) -> list[Found]:
        """Every entity of ``text``, in text order; cheap word checks skip extractors that cannot match."""
        claims = Claims()
        digits = _DIGIT.search(text) is not None
        words = frozenset(_WORD.findall(text.lower()))
        ascii = text.isascii()
        exact = words if ascii else None  # in ASCII, lower-casing is how the patterns ignore case
        # So it is in the Latin-1 letters, the micro sign aside (the checks that rely on this say so).
        latin = words if ascii or (max(text) < "\u0100" and "\u00b5" not in text) else None
        if "@" in text:
            emails(text, claims)
        if digits:  # every ID and amount has a digit
            serials(text, claims)
            prefixed_ids(text, claims)
            keyword_ids(text, claims, words=latin)
            typo_keyword_ids(text, claims, words=latin)
            amounts(text, claims, words=latin)
        if digits or not DATE_TRIGGERS.isdisjoint(words):
            dates(text, claims, today=today, words=words)
        if digits:
            bare_order_numbers(text, claims)
        self._sites.extract(text, claims, words=words)
        if not OTHER_TRIGGERS.isdisjoint(words):
            other_site(text, claims)
        if not STATUS_TRIGGERS.isdisjoint(words):
            statuses(text, claims, words=latin)
        if not REFERENCE_TRIGGERS.isdisjoint(words):
            references(text, claims, words=exact)
        if exact is None or _NAMES_TOOL.any(words):
            tools(text, claims, words=exact)
        faults(text, claims, words=words)
        return sorted(claims.found, key=lambda f: f.start)


_NAMES_TOOL = WordTest(lambda w: w.startswith(TOOL_STARTS))
"""Whether one of a message's words begins as a tool word does (``TOOL_STARTS``)."""
