"""Swedish typed without å, ä and ö ("forra veckan", "nar kommer den?", "forsenade ordrar"), as people
type on a keyboard without them: the words read with their letters back, so that what reads dates,
statuses and the rest finds them as it finds the words written out.

Only words the examples write with those letters are restored, and only where the word without them
is no word of the examples itself and stands for one word alone ("nar" is "när"; "for" stays "for",
the English word, and "ar" is "år" after a number or "i", else "är"). A message typed with any of
the letters is read as typed. Restoring changes no lengths, so what is found in the restored text
is at the same place in the message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from supportbot.bot.nlu.text import fold, wordset

_MARKED = re.compile("[åäöÅÄÖ]")
_EXTRA = {
    "nar": "när",  # (also "når", seldom asked)
    "aret": "året",
    "manad": "månad",
    "fore": "före",
    "pagar": "pågår",
    "forsenad": "försenad",
    "forsenat": "försenat",
    "forseningen": "förseningen",
}
"""Words the examples do not write but customers do, or whose other reading is rare."""
_IF_SWEDISH = {
    "later": "låter",
    "star": "står",
    "over": "över",
    "lost": "löst",
    "far": "får",
    "at": "åt",
    "an": "än",
    "for": "för",
    "last": "låst",
}
"""Words that are English words as typed: restored only in a message that is Swedish by its other words
(another word restored or one of ``_SWEDISH``, and none of ``_ENGLISH``): "fläkten later jättemycket"
is "låter"."""
_SWEDISH = wordset(
    "den det dem dom vi jag och inte mig dig oss ni var vad hur vem vilken vilket vilka har kan ska vill som"
    " med till sen nu"
)
"""Swedish words typed the same without å, ä and ö: with one of them and no English word, a word that is
English as typed is read as the Swedish one ("var star den?" is "var står den?")."""
_ENGLISH = wordset(
    "the is are was my your our you it this that and to of with what where when how can please we i'm"
    " have has not no yes do does"
)
_NOT_RESTORED = wordset(
    "mar slack stall sag lat val gang hog kor lander hande tacks da satt hant sla anda agg ga hor vag lang saga"
    " kvall"
)
"""Words that are also English words, names or abbreviations ("Mar 1", "Slack", "GA", "saga"): left as typed."""
_LETTERS = re.compile("[a-z]+")
_WORD = re.compile(r"(?<![\w@./-])[A-Za-z]+(?![\w@/-]|\.\w)")
"""A word of letters alone, not part of an address, a number or a file name."""
_YEAR_OR_IS = re.compile(
    r"(?i)(?<![\w@./-])(?:(?P<count>(?:i|per|om|varje|ett|två|tva|tre|fyra|fem|sex|\d+)\s+)ar"
    r"|ar)(?![\w@/-]|\.\w)"
)


class Accents:
    """The Swedish words of ``words`` (the examples' vocabulary) restored in text typed without å, ä, ö."""

    __slots__ = ("_swedish", "_table")

    def __init__(self, words: Iterable[str]) -> None:
        marked: dict[str, set[str]] = defaultdict(set)
        plain: set[str] = set()
        for written in words:
            word = written.lower()
            if _MARKED.search(word) is not None:
                marked[fold(word)].add(word)
            elif word.isalpha():
                plain.add(word)
        table = {}
        for folded, spelled in marked.items():
            word = next(iter(spelled))
            if (
                len(spelled) == 1
                and folded not in plain
                and folded not in _NOT_RESTORED
                and len(folded) == len(word)
            ):
                table[folded] = word
        table.update(_EXTRA)
        self._table = table
        self._swedish = {**table, **_IF_SWEDISH}

    def restored(self, text: str) -> str:
        """``text`` with its Swedish words' å, ä and ö back; as it is when it has any of them."""
        # (the cheapest test first: most messages have no such word; the careful one only when one has)
        letters = _LETTERS.findall(text.lower())
        restoring = not self._table.keys().isdisjoint(letters)
        swedish = (
            not _IF_SWEDISH.keys().isdisjoint(letters)
            and _ENGLISH.isdisjoint(letters)
            and (restoring or not _SWEDISH.isdisjoint(letters))
        )
        if not (restoring or swedish or "ar" in letters) or _MARKED.search(text) is not None:
            return text
        if restoring or swedish:
            table = self._swedish if swedish else self._table
            text = _WORD.sub(lambda found: _spelled(found[0], table), text)
        if "ar" in letters:
            text = _YEAR_OR_IS.sub(_year_or_is, text)
        return text


def _spelled(typed: str, table: dict[str, str]) -> str:
    """``typed`` with its letters back when ``table`` has it, in the case it was typed in."""
    word = table.get(typed.lower())
    return typed if word is None else _as_typed(typed, word)


def _year_or_is(found: re.Match[str]) -> str:
    typed = found[0]
    return typed[:-2] + _as_typed(typed[-2:], "år" if found["count"] else "är")


def _as_typed(typed: str, word: str) -> str:
    """``word`` in the case ``typed`` was written in ("Forra" → "Förra", "NAR" → "NÄR")."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
