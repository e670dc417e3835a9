"""The examples' vocabulary, and how a typed word is mapped onto it (typos, diacritics, compounds).

A word the vocabulary does not know, and cannot be corrected into a known word with confidence, stays
unknown: unknown words are the strongest sign that a message is about something we do not offer, so
correction is deliberately conservative (same first letter, high similarity, longer words only).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from supportbot.bot.nlu.text import fold

_CACHE_LIMIT = 200_000
# fmt: off
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("ying", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
    ("es", ""), ("s", ""), ("ly", ""),
    ("orna", ""), ("erna", ""), ("arna", ""), ("orna", "a"), ("en", ""), ("et", ""), ("na", ""),
    ("er", ""), ("ar", ""), ("or", "a"), ("or", ""), ("n", ""), ("t", ""), ("a", ""),
)
# fmt: on
"""Inflections tried before fuzzy matching: "checking" → "check", "fakturorna" → "faktura"."""
_SHORTHAND = {
    "inv": "invoice",
    "invs": "invoices",
    "ord": "order",
    "ords": "orders",
    "req": "request",
    "reqs": "requests",
    "dl": "download",
    "stmt": "statement",
    "acct": "account",
    "fakt": "faktura",
    "doc": "document",
    "docs": "documents",
    "dok": "dokument",
    "thanx": "thanks",
    "thnx": "thanks",
    "thx": "thanks",
    "tnx": "thanks",
    "tks": "thanks",
    "sry": "sorry",
    "eta": "arrive",
    "mvh": "hejdå",
}
"""What customers typing on a phone shorten ("inv list pls", "whre is ord 4711"): taken for the word
in full when the examples know that word and not the short one."""
_MIN_CORRECT = 5
_MIN_PART = 3
_MAX_LENGTH_CHANGE = 2


def _cutoff(length: int) -> float:
    """How similar a typo must be to a known word: stricter for short words, where one letter matters."""
    if length <= 6:
        return 83.0
    return 80.0


def _plausible_typo(typed: str, known: str) -> bool:
    """Whether ``typed`` may be ``known`` mistyped rather than another word that looks like it.

    A typo changes a letter or two; it seldom adds or drops two letters at the end of a word, which
    is how another word looks ("closest" / "close", "engine" / "engineer", "against" / "again").
    Short words may change length by one letter only.
    """
    change = abs(len(typed) - len(known))
    if change > (_MAX_LENGTH_CHANGE if min(len(typed), len(known)) > 6 else 1):
        return False
    if change == 2:
        shorter, longer = (typed, known) if len(typed) < len(known) else (known, typed)
        if longer.startswith(shorter):
            return False
    return True


def _swapped(typed: str, known: str) -> bool:
    """Whether ``typed`` is ``known`` with two neighbouring letters swapped."""
    if len(typed) != len(known):
        return False
    differ = [i for i, (a, b) in enumerate(zip(typed, known, strict=True)) if a != b]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and typed[differ[0]] == known[differ[1]]
        and typed[differ[1]] == known[differ[0]]
    )


class Vocabulary:
    """Known words and a cached map from any typed word to known words (or ``None``: unknown)."""

    def __init__(
        self, words: Iterable[str], *, stopwords: frozenset[str] = frozenset(), frequent: Iterable[str] = ()
    ) -> None:
        """``frequent`` words win ties when several known words fold to the same form."""
        known = set(words) | stopwords
        self._known = frozenset(known)
        self._parts = frozenset(w for w in known if w not in stopwords and len(w) >= _MIN_PART)
        order = list(dict.fromkeys([*frequent, *sorted(known)]))
        self._folded: dict[str, str] = {}
        for word in order:
            if word in known:
                self._folded.setdefault(fold(word), word)
        by_initial: dict[str, list[str]] = {}
        for word in order:
            if word in known and len(word) >= _MIN_PART and word.isalpha():
                by_initial.setdefault(fold(word)[0], []).append(word)
        self._by_initial = {k: ([fold(w) for w in ws], ws) for k, ws in by_initial.items()}
        self._cache: dict[str, tuple[tuple[str, ...] | None, bool]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self._known

    @property
    def words(self) -> frozenset[str]:
        return self._known

    def lookup(self, word: str) -> tuple[str, ...] | None:
        """The known word(s) ``word`` stands for; a compound may give two: "fakturakopia" → faktura, kopia."""
        return self.resolve(word)[0]

    def resolve(self, word: str) -> tuple[tuple[str, ...] | None, bool]:
        """Like ``lookup``, and whether the answer is a guess: a typo corrected by similarity alone.

        "invoic" is "invoice", but "seattle" is not "satte" nor "black" "back": a corrected word is
        evidence with a doubt attached, which the caller may weigh.
        """
        if word in self._known:
            return (word,), False
        try:
            return self._cache[word]
        except KeyError:
            pass
        found = self._resolve(word)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = found
        return found

    def _resolve(self, word: str) -> tuple[tuple[str, ...] | None, bool]:
        folded = self._folded.get(fold(word))
        if folded is not None:
            return (folded,), False
        full = _SHORTHAND.get(word)
        if full is not None and full in self._known:
            return (full,), False
        if not word.isalpha():
            return None, False
        stem = self._stem(word)
        if stem is not None:
            return (stem,), False
        corrected = self._correct(word)
        if corrected is not None:
            return (corrected,), True
        return self._split(word)

    def _stem(self, word: str) -> str | None:
        for ending, replacement in _ENDINGS:
            if len(word) - len(ending) < _MIN_PART or not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] + replacement
            if stem in self._known:
                return stem
            if (
                not replacement
                and len(stem) > _MIN_PART
                and stem[-1] == stem[-2]
                and stem[:-1] in self._known
            ):
                return stem[:-1]  # "shipping" → "ship"
        return None

    def _correct(self, word: str) -> str | None:
        if len(word) < _MIN_CORRECT:
            return None
        folded = fold(word)
        candidates = self._by_initial.get(folded[0])
        if candidates is None:
            return None
        cutoff = _cutoff(len(word))
        plausible = [
            (not _swapped(folded, choice), rank, index)
            for rank, (choice, _, index) in enumerate(
                process.extract(
                    folded, candidates[0], scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=3
                )
            )
            if _plausible_typo(folded, choice)
        ]
        # Two letters swapped is the commonest slip and loses no letter: "invocie" is "invoice" (not
        # the more similar "invocies"), "kontarkt" is "kontrakt" (not "kontakt"). Otherwise the most similar.
        return candidates[1][min(plausible)[2]] if plausible else None

    def _split(self, word: str) -> tuple[tuple[str, ...] | None, bool]:
        """Swedish compounds ("leveransdatum", "avtalsnummer") as two known words, longest head first."""
        if len(word) < 2 * _MIN_PART + 1:
            return None, False
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if head not in self._known or len(head) < _MIN_PART:
                continue
            for rest in (tail, tail[1:] if tail[0] == "s" else ""):
                if rest in self._parts:
                    return (head, rest), False
            if head not in self._parts:
                continue
            if len(tail) >= 5:
                corrected = self._correct(tail)
                if corrected is not None:
                    return (head, corrected), True
        return None, False
