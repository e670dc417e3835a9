"""Serial numbers of installed items: machines ("78ABC12": two digits, three letters, two digits) and
software licences ("5765-CD3-0042": the product code, then the number of the licence)."""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found

_SERIAL = re.compile(
    r"(?<![\w-])(?P<serial>\d{2}[a-z]{3}\d{2}|\d{4}-[a-z0-9]{3}-\d{4,6})(?![\w-])",
    re.IGNORECASE,
)


def serials(text: str, claims: Claims) -> None:
    """Every serial number in ``text``, upper-cased as the inventory keeps them."""
    for m in _SERIAL.finditer(text):
        claims.add(Found("serial_number", m["serial"].upper(), m.start(), m.end()))
