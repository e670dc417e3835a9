"""Money amounts: a number with a currency ("125 000,00 SEK", "€1,200.50", "500 kr", "5 000:-").

A number without a currency is not an amount (it may be an order number), except after a word that
says so ("belopp 500", "amount of 500"), which gives the currency None.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from supportbot.bot.nlu.entities.found import Claims, Found, WordTest

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_BEFORE = r"€|\$|£|sek|eur|usd|gbp|nok|dkk|chf"
_AFTER = r"kronor|kr\.?|sek|euros?|eur|€|usd|\$|dollars?|gbp|£|pounds?|nok|dkk|chf|:-"

_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?P<cb>{_BEFORE})\s?(?P<nb>{_NUMBER})(?![\d])"
    rf"|(?P<na>{_NUMBER})\s?(?P<ca>{_AFTER})(?!\w)"
    rf"|(?:amount|belopp|beloppet|summa|summan)(?:\s+(?:of|på|av|is|är))?\s+(?P<nk>{_NUMBER})(?![\w.,])"
    r")",
    re.IGNORECASE,
)

# fmt: off
_CURRENCY = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "kr": "SEK", "kr.": "SEK", "kronor": "SEK", "sek": "SEK", ":-": "SEK",
    "nok": "NOK", "dkk": "DKK", "chf": "CHF",
}
# fmt: on


def parse_number(text: str) -> Decimal | None:
    """Read "125 000,00", "1,200.50", "1.200,50" or "1,5": the last separator before 1-2 digits is decimal."""
    compact = re.sub(r"[ \u00a0\u202f]", "", text)
    last = max(compact.rfind(","), compact.rfind("."))
    if last >= 0 and len(compact) - last - 1 in (1, 2):
        whole, decimals = compact[:last], compact[last + 1 :]
    else:
        whole, decimals = compact, ""
    whole = whole.replace(",", "").replace(".", "")
    try:
        return Decimal(f"{whole}.{decimals or '0'}")
    except InvalidOperation:
        return None


_SIGNS = (
    "sek", "eur", "usd", "gbp", "nok", "dkk", "chf", "kr", "dollar", "pound", "amount", "belopp", "summa",
)  # fmt: skip
"""The letters every currency and amount word of ``_AMOUNT`` holds ("kronor" has "kr", "euros" "eur")."""
_SAYS_AMOUNT = WordTest(lambda w: any(sign in w for sign in _SIGNS))


def amounts(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """``words``, the lower-cased words of a text where lower-casing is how the pattern ignores case
    (ASCII and the Latin-1 letters: "€" is neither), let a message with no currency sign nor currency
    or amount word be passed over before the pattern runs (the signs of ``_SIGNS`` are letters: one is
    in the lower-cased text exactly when it is in one of its words, each a whole run of letters)."""
    if (
        words is not None
        and "$" not in text
        and "£" not in text
        and ":-" not in text
        and not _SAYS_AMOUNT.any(words)
    ):
        return
    for m in _AMOUNT.finditer(text):
        number = m["nb"] or m["na"] or m["nk"]
        symbol = (m["cb"] or m["ca"] or "").lower()
        value = parse_number(number)
        if value is None:
            continue
        currency = _CURRENCY.get(symbol) if symbol else None
        start = m.start() if m["nk"] is None else m.start("nk")
        claims.add(Found("amount", {"value": f"{value:.2f}", "currency": currency}, start, m.end()))
