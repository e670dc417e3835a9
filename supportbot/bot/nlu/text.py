"""Text helpers every NLU part shares, so extractors and classifier see words the same way."""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "é": "e",
        "è": "e",
        "ø": "o",
        "æ": "a",
        "á": "a",
        "à": "a",
        "ó": "o",
        "í": "i",
        "ß": "s",
        "’": "'",
        "‘": "'",
    }
)

WORD = re.compile(r"#[a-z]+|[^\W\d_]+(?:'[^\W\d_]+)*|\d+")
"""A word, a placeholder (``#inv``) or a run of digits; apostrophes stay inside words ("what's")."""


def wordset(text: str) -> frozenset[str]:
    """A word table written as running text, one or more words a line."""
    return frozenset(text.split())


def fold(text: str) -> str:
    """Lower-case and drop diacritics, so "Göteborg", "goteborg" and "GÖTEBORG" compare equal."""
    return text.lower().translate(_FOLD)


def apostrophes(text: str) -> str:
    """Typographic apostrophes become ASCII ones, so "what’s" and "what's" are one word."""
    return text.replace("’", "'").replace("‘", "'")
