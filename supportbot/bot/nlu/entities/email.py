"""E-mail addresses, for forwarding an invoice or mailing a report to someone."""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)


def emails(text: str, claims: Claims) -> None:
    for m in _EMAIL.finditer(text):
        claims.add(Found("email", m.group().lower(), m.start(), m.end()))
