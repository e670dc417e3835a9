"""Business days per country: when a request is due, one business day after it was opened.

A business day is a weekday that is not a public holiday of the customer's country (``holidays``).
In Sweden the de facto holidays — midsummer eve, Christmas eve and New Year's eve — count as holidays
too: offices are closed and nobody expects an answer then, although the law does not name them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_COUNTRY = "SE"
TIMEZONES = {"SE": "Europe/Stockholm", "DE": "Europe/Berlin"}
"""The time zone a country's business days are counted in; an unknown country uses Sweden's."""

END_OF_DAY = time(23, 59)

_EXTRA_CATEGORIES = {"SE": ("de_facto",)}


def country_timezone(country: str | None) -> ZoneInfo:
    code = (country or DEFAULT_COUNTRY).upper()
    return ZoneInfo(TIMEZONES.get(code, TIMEZONES[DEFAULT_COUNTRY]))


def known_timezone(country: str | None) -> ZoneInfo | None:
    """The country's time zone when it is one of ours; ``None`` for any other (or no) country."""
    zone = TIMEZONES.get((country or "").upper())
    return ZoneInfo(zone) if zone else None


@lru_cache(maxsize=256)
def _holidays(country: str, year: int) -> frozenset[date]:
    # Imported when a holiday is first asked about: the package loads every country it knows (megabytes)
    # on the first one, and a server whose agents work around the clock never asks.
    import holidays

    try:
        cls = holidays.country_holidays(country)
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()
    supported = getattr(cls, "supported_categories", ("public",))
    categories = tuple(c for c in ("public", *_EXTRA_CATEGORIES.get(country, ())) if c in supported)
    return frozenset(holidays.country_holidays(country, years=year, categories=categories))


def is_holiday(day: date, country: str | None) -> bool:
    """A public holiday of the country (Sweden's de facto ones included), whatever the weekday."""
    code = (country or DEFAULT_COUNTRY).upper()
    return day in _holidays(code, day.year)


def is_business_day(day: date, country: str | None) -> bool:
    return day.weekday() < 5 and not is_holiday(day, country)


def one_business_day_later(moment: datetime, country: str | None = None) -> datetime:
    """The same local time on the first business day after ``moment``'s local date, in UTC.

    Opened on Friday 15:00 → due Monday 15:00; opened on the day before midsummer eve in Sweden →
    due the Monday after midsummer at that hour. Opened on a weekend or holiday, the clock starts with
    the next business day: due at its end (23:59 local), so Saturday and Sunday give the same time.
    """
    tz = country_timezone(country)
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz)
    opened_on_business_day = is_business_day(local.date(), country)
    day = local.date() + timedelta(days=1)
    while not is_business_day(day, country):
        day += timedelta(days=1)
    if not opened_on_business_day:
        # The clock starts with the next business day: the request is due at its end.
        return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(UTC)
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz).astimezone(UTC)
