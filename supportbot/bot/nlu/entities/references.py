"""References to something already talked about: "my latest order", "den andra", "it"."""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

TRIGGERS = wordset(
    """
    the my our min mitt mina vår vårt våra den det latest most newest senaste nyaste last first
    second other andra första sista it that this
    """
)
"""Words a reference starts with: without one of them the pattern is not run."""
_REFERENCE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<latest>(?:the\s+|my\s+|our\s+)?(?:latest|most\s+recent|newest)|(?:min|mitt|mina|vår|vårt|våra|den|det)\s+"
    r"(?:senaste|nyaste)|senaste|nyaste|(?:my|our)\s+last|last(?=\s+(?:order|invoice|delivery|shipment|"
    r"request|ticket|contract|bill|statement)))"
    r"|(?P<other>the\s+other(?:\s+one)?|(?:den|det)\s+andra(?!\s+(?:kvartalet|kvartal|\w+ari|mars|april|maj|"
    r"juni|juli|augusti|\w+ber))|the\s+remaining\s+one)"
    r"|(?P<first>the\s+first(?:\s+one)?|first\s+one|(?:den|det)\s+första(?!\s+(?:kvartalet|kvartal)))"
    r"|(?P<second>the\s+second(?:\s+one)?|second\s+one)"
    r"|(?P<last>the\s+last\s+one|last\s+one|(?:den|det)\s+sista)"
    r"|(?P<it>it|that\s+one|this\s+one|den\s+här|den\s+där|den(?!\s+\d))"
    r")(?![\w-])",
    re.IGNORECASE,
)


def references(text: str, claims: Claims) -> None:
    for m in _REFERENCE.finditer(text):
        claims.add(Found("reference", m.lastgroup, m.start(), m.end()))
