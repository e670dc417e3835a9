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

    def __bool__(self) -> bool:
        return bool(self._aliases)

    def extract(self, text: str, claims: Claims) -> None:
        if not self._aliases:
            return
        folded = fold(text)  # one character for one: spans stay valid
        if self._max_words == 1:
            # Most messages name no site: look before placing, and at once past words known to be none.
            words = _WORD.findall(folded)
            if self._no_site.issuperset(words):
                return
            for word in words:
                if self._lookup(word) is not None:
                    break
            else:
                return
            for m in _WORD.finditer(folded):
                name = self._lookup(m.group())
                if name is not None:
                    claims.add(Found("site", name, m.start(), m.end()))
            return
        words = list(_WORD.finditer(folded))
        i = 0
        while i < len(words):
            matched = 0
            for n in range(min(self._max_words, len(words) - i), 0, -1):
                start, end = words[i].start(), words[i + n - 1].end()
                name = self._lookup(" ".join(w.group() for w in words[i : i + n]))
                if name is not None and claims.add(Found("site", name, start, end)):
                    matched = n
                    break
            i += matched or 1

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
