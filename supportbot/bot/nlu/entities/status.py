"""Order status words used as a filter: "open orders", "levererade ordrar", "in production"."""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

_STATUS = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<unshipped>not\s+(?:yet\s+)?(?:been\s+)?(?:shipped|sent\s+out|dispatched)|unshipped|"
    r"(?:ej|inte)\s+(?:än\s+|ännu\s+|har\s+)?(?:skickade?|skickats|utskickade?))"
    r"|(?P<open_not>not\s+(?:yet\s+)?(?:been\s+)?delivered|undelivered|"
    r"(?:ej|inte)\s+(?:än\s+|ännu\s+)?(?:levererade?|levererats)|olevererade?)"
    r"|(?P<in_production>in\s+production|being\s+(?:built|manufactured|produced)|in\s+manufacturing|"
    r"i\s+produktion|under\s+tillverkning|tillverkas)"
    r"|(?P<shipped>shipped|dispatched|sent\s+out|in\s+transit|on\s+(?:its|their|the)\s+way|"
    r"skickad|skickade|skickat|skickats|utskickade?|avsända?|på\s+väg|under\s+transport)"
    r"|(?P<delivered>delivered|levererad|levererade|levererat|levererats)"
    r"|(?P<cancelled>cancell?ed|makulerad|makulerade|makulerat|avbrutna|avbruten|annullerade?|stornerade?)"
    r"|(?P<confirmed>confirmed|bekräftad|bekräftade|bekräftat)"
    r"|(?P<open>open|pending|outstanding|öppen|öppna|öppet|pågående|väntande|oavslutade?)"
    r")(?![\w-])",
    re.IGNORECASE,
)
TRIGGERS = wordset(
    """
    not ej inte undelivered unshipped olevererad olevererade in i being under tillverkas shipped
    dispatched sent on på skickad skickade skickat skickats utskickad utskickade avsänd avsända
    delivered levererad levererade levererat levererats cancelled canceled makulerad makulerade makulerat
    avbrutna avbruten annullerad annullerade stornerad stornerade confirmed bekräftad bekräftade
    bekräftat open pending outstanding öppen öppna öppet pågående väntande oavslutad oavslutade
    """
)
"""The first word of every status phrase: without one of them the pattern is not run."""
_PAIRED = {
    "in": wordset("production manufacturing transit"),
    "i": wordset("produktion"),
    "being": wordset("built manufactured produced"),
    "under": wordset("tillverkning transport"),
    "sent": wordset("out"),
    "on": wordset("way"),
    "på": wordset("väg"),
}
"""First words that make a status phrase only with a later word: "in production", "on its way"."""
_PAIRED_FIRST = frozenset(_PAIRED)
_ALONE = TRIGGERS - _PAIRED.keys() - wordset("not ej inte")
"""Words that make a status phrase by themselves; "not"/"ej"/"inte" lead only to such words."""
_ORDER_NOUN = re.compile(
    r"(?<![\w-])(?:orders?|ordern|ordrar|ordrarna|beställning(?:en|ar|arna)?|deliver(?:y|ies)|"
    r"leverans(?:en|er|erna)?|shipments?)(?![\w-])",
    re.IGNORECASE,
)
_OTHER_NOUN = re.compile(
    r"(?<![\w-])(?:invoices?|bills?|faktur\w*|contracts?|agreements?|avtal\w*|requests?|tickets?|cases?|"
    r"ärende\w*|items|poster|posterna)(?![\w-])",
    re.IGNORECASE,
)
_NEAR = 24
"""How many characters away an order noun may be for "open"/"öppna" to describe orders."""


def statuses(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """Status words that filter orders; "open" only next to an order noun (it is also a verb).

    ``words``, the lower-cased words of a text where lower-casing is exactly how the pattern ignores
    case (ASCII, or Latin-1 without the micro sign), lets the pattern be skipped when the words of no
    status phrase are there.
    """
    if (
        words is not None
        and _ALONE.isdisjoint(words)
        and all(_PAIRED[first].isdisjoint(words) for first in _PAIRED_FIRST.intersection(words))
    ):
        return
    for m in _STATUS.finditer(text):
        kind = m.lastgroup or ""
        window = text[max(0, m.start() - _NEAR) : m.end() + _NEAR]
        if _OTHER_NOUN.search(window) and not _ORDER_NOUN.search(window):
            continue
        if kind == "open" and not _ORDER_NOUN.search(window):
            continue
        value = "open" if kind == "open_not" else kind
        claims.add(Found("order_status", value, m.start(), m.end()))
