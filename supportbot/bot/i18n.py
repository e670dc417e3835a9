"""Text for customers in English and Swedish, with amounts, dates and counts in the user's locale.

A catalogue entry is ``{"en": text, "sv": text}``. A sentence with a count gives, per language, a text
for each of the language's CLDR plural categories and names the parameter that picks one::

    {"plural": "minutes",
     "en": {"one": "It works for {minutes} minute.", "other": "It works for {minutes} minutes."},
     "sv": {"one": "Den fungerar i {minutes} minut.", "other": "Den fungerar i {minutes} minuter."}}

so that "1 minute" and "1 order" come out right in either language, and the count is written as the
language writes numbers ("100,000" and "100 000").

Words live with their owner: the core's in ``bot/catalogue.py``, an intent family's in its module, a
channel's in its adapter. Each owner hands its entries to ``words`` when it is imported, and they all
land in one registry that ``translate`` and ``Formatter.t`` read (a dict lookup per sentence). A key
registered twice fails at import, so two owners can never quietly disagree about a sentence.

A new intent family writes its sentences as ``WORDS: dict[str, Entry]`` right after its examples, keyed
under its own name (``warranty.ask_serial``), and calls ``words(WORDS)``; being listed in
``supportbot.intents`` imports it and so registers them. A channel registers with a ``prefix``
(``"teams."``) so that its keys cannot meet anyone else's. The tests walk the whole registry: both
languages, the same placeholders in each, a plural entry with exactly its language's CLDR categories,
and every key the code passes to ``t`` or ``translate`` registered by someone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.plural import PluralRule

from supportbot.bot.catalogue import WORDS as CORE_WORDS
from supportbot.integrations.models import Money, minor_units_amount

LANGUAGES = ("en", "sv")
DEFAULT_LANGUAGE = "en"

Forms = dict[str, str]
"""A sentence per CLDR plural category of a language (``one``, ``other``)."""
Entry = dict[str, str | Forms]
"""``{"en": ..., "sv": ...}``, each a text or ``Forms``; with forms, ``PLURAL`` names the count."""
PLURAL = "plural"


class DuplicateWords(ValueError):
    """Two owners registered the same key: raised at import, before the assistant says anything."""


@dataclass(frozen=True)
class Words:
    """One owner's registered sentences, under their full keys, and the languages each must speak."""

    entries: Mapping[str, Entry]
    languages: tuple[str, ...]


_ENTRIES: dict[str, Entry] = {}
_CATALOGUES: list[Words] = []


def words(entries: Mapping[str, Entry], *, prefix: str = "", languages: tuple[str, ...] = LANGUAGES) -> None:
    """Registers an owner's sentences, each key as ``prefix + key``: once, in the module that owns them.

    ``languages`` is what every entry must speak (checked by the tests, not at each lookup): both, unless
    an audience reads one only (the agents' shared channel is in English).
    """
    registered = {prefix + key: entry for key, entry in entries.items()}
    if twice := sorted(registered.keys() & _ENTRIES.keys()):
        raise DuplicateWords(f"already registered by another owner: {', '.join(twice)}")
    _ENTRIES.update(registered)
    _CATALOGUES.append(Words(MappingProxyType(registered), languages))


words(CORE_WORDS)


def catalogues() -> Iterator[Words]:
    """Every registered catalogue, for the tests that hold each entry to its rules."""
    return iter(tuple(_CATALOGUES))


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
        text = _TEXTS.get((key, self.language))
        if text is None:
            return translate(key, self.language, **params)
        return text.format(**params) if params else text

    def count(self, value: int | Decimal) -> str:
        """A number as the user's language writes it, where no plural form follows it ("at most 4 000")."""
        return format_count(value, self.language)

    def listing(self, items: Sequence[str]) -> str:
        """Items as the user's language lists them: "INV-2031, INV-2032 and INV-2033", "… och …"."""
        return format_list(list(items), locale=self.locale)

    def money(self, money: Money | None) -> str:
        if money is None:
            return "–"
        return _format_minor(money.minor, money.currency, self.locale)

    def amount(self, value: Decimal, currency: str) -> str:
        return format_amount(value, currency, self.locale)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            value = value.astimezone(self.tz).date() if value.tzinfo else value.date()
        return _format_date(value, self.locale)

    def datetime(self, value: datetime | None, *, zone: bool = True) -> str:
        """A date and time in the user's time zone, labelled with the zone's abbreviation as the time
        zone database has it ("3 Dec 2026 14:05 CET"), as the web chat labels its own times."""
        if value is None:
            return "–"
        shown = format_datetime(value, "d MMM y HH:mm", tzinfo=self.tz, locale=self.locale)
        if not zone:
            return shown
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(self.tz)
        return f"{shown} {local.tzname() or self.tz.key}"


def translate(key: str, language: str | None, **params: Any) -> str:
    """The registered sentence ``key`` in ``language`` (else English); every owner's words, every channel."""
    text = _TEXTS.get((key, language))  # type: ignore[arg-type]
    if text is not None:
        return text.format(**params) if params else text
    try:
        entry = _ENTRIES[key]
    except KeyError:
        raise KeyError(f"no words registered as {key!r}: is the module that owns them imported?") from None
    if language in LANGUAGES:
        said = entry.get(language) or entry[DEFAULT_LANGUAGE]
        if isinstance(said, str):
            _TEXTS[key, language] = said
    return _render(entry, language, **params)


_TEXTS: dict[tuple[str, str], str] = {}
"""Each sentence without plural forms, per language, as registered: looked up in the registry once,
then only formatted (a few hundred at most; entries never change once registered)."""


def _render(entry: Entry, language: str | None, **params: Any) -> str:
    """One entry in ``language`` (else English), in the plural form its count asks for."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    if isinstance(text, dict):
        selector = entry[PLURAL]
        assert isinstance(selector, str), "a plural entry names the parameter that picks its form"
        count = params[selector]
        text = text.get(plural_category(count, language)) or text["other"]
        params = {**params, selector: format_count(count, language)}
    return text.format(**params) if params else text


def plural_category(count: int | Decimal, language: str) -> str:
    """The CLDR plural category of ``count`` in ``language``: ``one`` or ``other`` in English and Swedish."""
    return _plural_rule(language)(count)


def format_count(count: int | Decimal, language: str) -> str:
    """A count as the language writes numbers: ``100,000`` in English, ``100 000`` in Swedish."""
    return format_decimal(count, locale=babel_locale(language))


@lru_cache(maxsize=8)
def _plural_rule(language: str) -> PluralRule:
    return Locale.parse(babel_locale(language)).plural_form


@lru_cache(maxsize=4096)
def _format_date(value: date, locale: str) -> str:
    return format_date(value, "d MMMM y", locale=locale)


@lru_cache(maxsize=65536)
def _format_minor(minor: int, currency: str, locale: str) -> str:
    """``format_amount`` of an amount in minor units, without making its ``Decimal`` each time."""
    return format_amount(minor_units_amount(minor), currency, locale)


@lru_cache(maxsize=65536)
def format_amount(value: Decimal, currency: str, locale: str) -> str:
    """``125 000,00 SEK`` in Swedish, ``SEK 125,000.00`` in English: the ISO code, never a bare 'kr'."""
    number = format_decimal(value, format="#,##0.00", locale=locale)
    if locale.startswith("sv"):
        return f"{number}\u00a0{currency}"
    return f"{currency}\u00a0{number}"
