"""Speaking to a customer outside a conversation (a notice, a mail): their language and local time."""

from __future__ import annotations

from supportbot.bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Formatter
from supportbot.integrations.business_days import country_timezone
from supportbot.integrations.models import Principal


def language_of(person: Principal | None) -> str:
    """The language a person chose, when the assistant speaks it; otherwise the default (no turn
    carries a language then, nor a person the directory no longer knows)."""
    return person.locale if person is not None and person.locale in LANGUAGES else DEFAULT_LANGUAGE


def local_formatter(language: str, country: str | None) -> Formatter:
    """Dates in the user's language and the time zone of the company's country."""
    return Formatter(language, country=country, tz=country_timezone(country).key)
