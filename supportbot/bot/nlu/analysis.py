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
_CLITICS = frozenset({"s", "m", "re", "ve", "ll", "d"})
NUMBER = "#n"
"""A number no extractor claimed ("3 items", "version 2")."""


class Word(NamedTuple):
    text: str
    """Lower-cased, or a placeholder such as ``#inv``."""
    capitalised: bool
    """Written with a capital inside the sentence: a name when the vocabulary does not know it."""


def words(text: str, entities: Sequence[Found]) -> list[Word]:
    """The message's words in order, entity text replaced by its placeholder."""
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
    out: list[Word] = []
    for i, raw in enumerate(WORD.findall(apostrophes(text))):
        if raw[0] == "#":
            out.append(Word(raw, False))
        elif raw.isdigit():
            out.append(Word(NUMBER, False))
        else:
            lower = raw.lower()
            if "'" in lower:
                base, _, ending = lower.rpartition("'")
                if ending in _CLITICS:
                    lower = base  # "where's" → "where", "i'm" → "i"; "can't" stays
            out.append(Word(lower, i > 0 and raw[0].isupper()))
    return out
