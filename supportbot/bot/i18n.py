"""Text for customers in English and Swedish, with amounts and dates in the user's locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from supportbot.bot.catalogue import CATALOGUE
from supportbot.integrations.models import Money

LANGUAGES = ("en", "sv")
DEFAULT_LANGUAGE = "en"

# Babel locale per language. English readers get en_GB numbers and dates wherever the company is;
# the currency is always its ISO code, so "SEK 125,000.00" is unambiguous.
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def babel_locale(language: str, country: str | None = None) -> str:
    return _LOCALES.get(language, _LOCALES[DEFAULT_LANGUAGE])


class Formatter:
    """Formats for one user in one language; cheap to create for every turn."""

    def __init__(self, language: str, *, country: str | None = None, tz: str = "Europe/Stockholm") -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.locale = babel_locale(self.language, country)
        self.tz = ZoneInfo(tz)

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.language, **params)

    def money(self, money: Money | None) -> str:
        if money is None:
            return "–"
        return format_amount(money.amount, money.currency, self.locale)

    def amount(self, value: Decimal, currency: str) -> str:
        return format_amount(value, currency, self.locale)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            value = value.astimezone(self.tz).date() if value.tzinfo else value.date()
        return _format_date(value, self.locale)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return "–"
        return format_datetime(value, "d MMM y HH:mm", tzinfo=self.tz, locale=self.locale)


def translate(key: str, language: str, **params: Any) -> str:
    entry = CATALOGUE[key]
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


@lru_cache(maxsize=4096)
def _format_date(value: date, locale: str) -> str:
    return format_date(value, "d MMMM y", locale=locale)


@lru_cache(maxsize=65536)
def format_amount(value: Decimal, currency: str, locale: str) -> str:
    """``125 000,00 SEK`` in Swedish, ``SEK 125,000.00`` in English: the ISO code, never a bare 'kr'."""
    number = format_decimal(value, format="#,##0.00", locale=locale)
    if locale.startswith("sv"):
        return f"{number}\u00a0{currency}"
    return f"{currency}\u00a0{number}"
