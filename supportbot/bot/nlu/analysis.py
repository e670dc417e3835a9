"""From a message and its entities to the words the classifier sees: entity text becomes a placeholder.

"where is order 4711" and "where is order 5801" are the same question, so both read
"where is order #ordno"; an example and a message are analysed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from supportbot.bot.nlu.entities import Found
from supportbot.bot.nlu.text import WORD, apostrophes

PLACEHOLDERS = {
    "order_number": "#ordno",
    "po_number": "#po",
    "invoice_number": "#inv",
    "credit_number": "#cn",
    "contract_number": "#contract",
    "request_number": "#rq",
    "access_request_number": "#ar",
    "customer_number": "#cust",
    "serial_number": "#serial",
    "date": "#date",
    "date_range": "#date",
    "amount": "#amount",
    "email": "#email",
    "site": "#site",
    "reference": "#ref",
}
RECORDS = frozenset(PLACEHOLDERS[t] for t in PLACEHOLDERS if t.endswith("_number")) | {"#n"}
"""The placeholders of a record's number: a message with one names its own record."""
_CLITICS = frozenset({"s", "m", "re", "ve", "ll", "d"})
NUMBER = "#n"
"""A number no extractor claimed ("3 items", "version 2", "4712" alone)."""


class Word(NamedTuple):
    text: str
    """Lower-cased, or a placeholder such as ``#inv``."""
    capitalised: bool
    """Written with a capital inside the sentence: a name when the vocabulary does not know it."""


def words(text: str, entities: Sequence[Found]) -> list[Word]:
    """The message's words in order, entity text replaced by its placeholder."""
    raws = raw_words(text, entities)
    if not raws:
        return []
    cache = _READINGS
    out: list[Word] = []
    for raw in raws:
        reading = cache.get(raw)
        if reading is None:
            reading = _reading(raw)
        out.append(reading[1])
    out[0] = _reading(raws[0])[0]  # the first word is capitalised as every sentence is
    return out


def raw_words(text: str, entities: Sequence[Found]) -> list[str]:
    """The message's words as written, entity text replaced by its placeholder (``reading`` reads one)."""
    if entities:
        pieces: list[str] = []
        pos = 0
        for entity in entities:
            placeholder = PLACEHOLDERS.get(entity.type)
            if placeholder is None or entity.start < pos:
                continue
            pieces.append(text[pos : entity.start])
            pieces.append(f" {placeholder} ")
            pos = entity.end
        pieces.append(text[pos:])
        text = "".join(pieces)
    return WORD.findall(apostrophes(text))


def reading(raw: str) -> tuple[Word, Word]:
    """The word ``raw`` (as ``raw_words`` gives it) as the first word of a message and as a later one."""
    found = _READINGS.get(raw)
    return found if found is not None else _reading(raw)


_READINGS: dict[str, tuple[Word, Word]] = {}
"""Per written word: how it reads first in a message and how it reads later on."""
_READINGS_LIMIT = 100_000


def _reading(raw: str) -> tuple[Word, Word]:
    """The word ``raw`` as the first word of a message and as a later one (cached)."""
    reading = _READINGS.get(raw)
    if reading is not None:
        return reading
    if raw[0] == "#":
        word = Word(raw, False)
        reading = (word, word)
    elif raw.isdigit():
        word = Word(NUMBER, False)
        reading = (word, word)
    else:
        lower = raw.lower()
        if "'" in lower:
            base, _, ending = lower.rpartition("'")
            if ending in _CLITICS:
                lower = base  # "where's" → "where", "i'm" → "i"; "can't" stays
        reading = (Word(lower, False), Word(lower, raw[0].isupper()))
    if len(_READINGS) > _READINGS_LIMIT:
        _READINGS.clear()
    _READINGS[raw] = reading
    return reading
