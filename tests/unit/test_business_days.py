"""When a request is due: one business day in the customer's country, weekends and holidays skipped."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from supportbot.integrations.business_days import is_business_day, one_business_day_later
from supportbot.integrations.sql.request_records import one_business_day_later as backend_rule

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BERLIN = ZoneInfo("Europe/Berlin")


def _due(opened: str, country: str) -> str:
    tz = STOCKHOLM if country == "SE" else BERLIN
    moment = datetime.fromisoformat(opened).replace(tzinfo=tz)
    due = one_business_day_later(moment, country)
    assert due.tzinfo is UTC
    return due.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("opened", "country", "due"),
    [
        # an ordinary weekday: the same time the next day
        ("2026-11-24 10:30", "SE", "Wed 2026-11-25 10:30"),
        # Friday afternoon: Monday at that time
        ("2026-11-27 15:00", "SE", "Mon 2026-11-30 15:00"),
        ("2026-11-27 15:00", "DE", "Mon 2026-11-30 15:00"),
        # opened on a weekend: the clock starts on Monday, due at its end
        ("2026-11-28 10:00", "SE", "Mon 2026-11-30 23:59"),
        ("2026-11-29 03:00", "DE", "Mon 2026-11-30 23:59"),
        # Swedish midsummer: midsommarafton (Friday) is a de facto holiday, midsommardagen a public one
        ("2026-06-18 10:00", "SE", "Mon 2026-06-22 10:00"),
        ("2026-06-19 10:00", "SE", "Mon 2026-06-22 23:59"),
        # ... and an ordinary Friday in Germany
        ("2026-06-18 10:00", "DE", "Fri 2026-06-19 10:00"),
        # Christmas: julafton, juldagen, annandag jul in Sweden; the 24th is a working day in Germany
        ("2026-12-23 09:00", "SE", "Mon 2026-12-28 09:00"),
        ("2026-12-23 09:00", "DE", "Thu 2026-12-24 09:00"),
        ("2026-12-24 09:00", "DE", "Mon 2026-12-28 09:00"),
        # New Year: nyårsafton and nyårsdagen in Sweden
        ("2026-12-30 09:00", "SE", "Mon 2027-01-04 09:00"),
        ("2026-12-30 09:00", "DE", "Thu 2026-12-31 09:00"),
        # Easter: Good Friday and Easter Monday in both countries
        ("2026-04-02 09:00", "SE", "Tue 2026-04-07 09:00"),
        ("2026-04-02 09:00", "DE", "Tue 2026-04-07 09:00"),
        # Swedish holidays that are not German, and German ones that are not Swedish
        ("2026-01-05 12:00", "SE", "Wed 2026-01-07 12:00"),  # trettondedag jul
        ("2026-01-05 12:00", "DE", "Tue 2026-01-06 12:00"),
        ("2025-10-02 12:00", "DE", "Mon 2025-10-06 12:00"),  # Tag der Deutschen Einheit, a Friday
        ("2025-10-02 12:00", "SE", "Fri 2025-10-03 12:00"),
        ("2026-05-22 12:00", "DE", "Tue 2026-05-26 12:00"),  # Pfingstmontag
        ("2026-06-05 12:00", "SE", "Mon 2026-06-08 12:00"),  # nationaldagen is a Saturday in 2026
        ("2026-05-13 12:00", "SE", "Fri 2026-05-15 12:00"),  # Kristi himmelsfärd
    ],
)
def test_one_business_day_later(opened: str, country: str, due: str) -> None:
    assert _due(opened, country) == due


def test_the_local_date_decides_not_the_utc_one() -> None:
    # Friday 23:30 in Stockholm is still Friday there, though 22:30 UTC: due on Monday, not Tuesday.
    moment = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    assert one_business_day_later(moment, "SE").astimezone(STOCKHOLM).strftime("%a %H:%M") == "Mon 23:30"


def test_a_country_without_known_holidays_skips_weekends_only() -> None:
    assert is_business_day(datetime(2026, 12, 25).date(), "ZZ")
    assert not is_business_day(datetime(2026, 12, 26).date(), "ZZ")  # a Saturday


def test_the_sql_back_end_uses_the_company_country() -> None:
    moment = datetime(2026, 6, 18, 8, 0, tzinfo=UTC)
    assert backend_rule(moment, "SE") == one_business_day_later(moment, "SE")
    assert backend_rule(moment, "DE").date().isoformat() == "2026-06-19"
