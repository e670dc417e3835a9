"""Site names, matched fuzzily: "kista" → "Kista", "gothenburg"/"goteborg" → "Göteborg"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import fold

# Other names people use for a place; used only for sites the company really has.
_EXONYMS: dict[str, tuple[str, ...]] = {
    "goteborg": ("gothenburg", "gothenborg", "gbg", "goteburg"),
    "munchen": ("munich", "muenchen", "monaco di baviera"),
    "koln": ("cologne", "koeln"),
    "wien": ("vienna",),
    "kobenhavn": ("copenhagen", "kopenhamn"),
    "praha": ("prague",),
    "warszawa": ("warsaw",),
    "zurich": ("zuerich",),
    "geneve": ("geneva",),
    "bruxelles": ("brussels",),
    "nurnberg": ("nuremberg", "nuernberg"),
    "malmo": ("malmoe",),
    "helsinki": ("helsingfors",),
    "oslo": ("kristiania",),
}
_WORD = re.compile(r"[^\W\d_]+")
OTHER_SITE = "\u2026other"
"""The value of a site said as "the other site" ("och den andra anläggningen?"): which one that is
depends on the company's sites and the one talked about (``DialogEngine.step`` puts it in place)."""
_OTHER_SITE = re.compile(
    r"(?i)(?<![\w-])(?:(?:the|our|that)\s+)?other\s+(?:sites?|locations?|offices?|plants?|premises|one\s+site)"
    r"|(?<![\w-])(?:(?:den|vår|det|vårt)\s+)?andra\s+(?:anläggning(?:en)?|site[nt]?|kontor(?:et)?|plats(?:en)?|"
    r"ort(?:en)?|sajt(?:en)?)(?![\w-])"
)
OTHER_TRIGGERS = frozenset({"other", "andra"})
"""A word without which no site is said as the other one."""


def other_site(text: str, claims: Claims) -> None:
    """ "The other site", "den andra anläggningen": a site, which one to be decided by the dialog."""
    for m in _OTHER_SITE.finditer(text):
        claims.add(Found("site", OTHER_SITE, m.start(), m.end()))


_MIN_FUZZY = 5
_CUTOFF = 85.0
_CACHE_LIMIT = 50_000


class SiteMatcher:
    """Finds the company's site names in a message, tolerating typos, missing diacritics and exonyms."""

    def __init__(self, site_names: Sequence[str], *, ignore: frozenset[str] = frozenset()) -> None:
        """``ignore`` holds ordinary words (the examples' vocabulary) that must never become a site."""
        self._aliases: dict[str, str] = {}
        self._max_words = 1
        for name in site_names:
            key = fold(name)
            self._aliases[key] = name
            self._max_words = max(self._max_words, len(key.split()))
            for alias in _EXONYMS.get(key, ()):
                self._aliases.setdefault(alias, name)
        self._keys = list(self._aliases)
        self._ignore = ignore
        self._cache: dict[str, str | None] = {}
        self._no_site: set[str] = set()
        """Words looked up and found to be no site name (a part of the cache)."""
        self._no_site_in: set[str] = set()
        """Lower-cased words of messages (as ``EntityExtractor`` splits them) with no site name in them."""

    def __bool__(self) -> bool:
        return bool(self._aliases)

    def extract(self, text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
        """``words``, if given, are the message's lower-cased words (letters, or a run of word characters
        that begins otherwise): a message whose words are all known to hold no site name is passed over
        before it is folded and split."""
        if not self._aliases:
            return
        if words is not None and self._max_words == 1 and not self._may_hold_site(words):
            return
        folded = fold(text)  # one character for one: spans stay valid
        if self._max_words == 1:
            # Most messages name no site: look before placing, and at once past words known to be none.
            runs = _WORD.findall(folded)
            if self._no_site.issuperset(runs):
                return
            for run in runs:
                if self._lookup(run) is not None:
                    break
            else:
                return
            for m in _WORD.finditer(folded):
                name = self._lookup(m.group())
                if name is not None:
                    claims.add(Found("site", name, m.start(), m.end()))
            return
        spans = list(_WORD.finditer(folded))
        i = 0
        while i < len(spans):
            matched = 0
            for n in range(min(self._max_words, len(spans) - i), 0, -1):
                start, end = spans[i].start(), spans[i + n - 1].end()
                name = self._lookup(" ".join(w.group() for w in spans[i : i + n]))
                if name is not None and claims.add(Found("site", name, start, end)):
                    matched = n
                    break
            i += matched or 1

    def _may_hold_site(self, words: frozenset[str]) -> bool:
        """Whether a site name may be among the letters of ``words`` (each word's runs of letters are what
        ``extract`` looks up, folded: the same runs the whole message has)."""
        new = words - self._no_site_in
        if not new:
            return False
        for word in new:
            if any(self._lookup(part) is not None for part in _WORD.findall(fold(word))):
                return True
        if len(self._no_site_in) > _CACHE_LIMIT:
            self._no_site_in.clear()
        self._no_site_in.update(new)
        return False

    def _lookup(self, phrase: str) -> str | None:
        try:
            return self._cache[phrase]
        except KeyError:
            pass
        name = self._aliases.get(phrase)
        if name is None and phrase.endswith("s") and phrase[:-1] in self._aliases:
            name = self._aliases[phrase[:-1]]  # Swedish genitive: "Kistas"
        if name is None and len(phrase) >= _MIN_FUZZY and phrase not in self._ignore:
            best = process.extractOne(phrase, self._keys, scorer=fuzz.ratio, score_cutoff=_CUTOFF)
            if best is not None:
                name = self._aliases[best[0]]
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
            self._no_site.clear()
        self._cache[phrase] = name
        if name is None:
            self._no_site.add(phrase)
        return name
