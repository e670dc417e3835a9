"""Which language a message is in: English or Swedish, by counting words only one of them uses."""

from __future__ import annotations

from collections.abc import Sequence

from supportbot.bot.nlu.lexicon import MARKERS_EN, MARKERS_SV, SWEDISH_LETTERS

LANGUAGES = ("en", "sv")


def detect_language(words: Sequence[str], *, hint: str | None = None) -> str:
    """Guess "en" or "sv" from lower-cased words; a message with no clue keeps the hint (else "en").

    ``words`` should leave out entity text: a site called "Göteborg" in an English sentence is no
    sign of Swedish.
    """
    en = sv = 0.0
    for word in words:
        if word in MARKERS_SV:
            sv += 1.0
        elif word in MARKERS_EN:
            en += 1.0
        elif not SWEDISH_LETTERS.isdisjoint(word):
            sv += 1.5
    fallback = hint if hint in LANGUAGES else "en"
    if en == sv:
        return fallback
    return "sv" if sv > en else "en"
