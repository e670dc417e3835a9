"""Office hours: weekdays 08:00–17:00, closed on the customer's country's public holidays, read in that
country's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from supportbot.bot.handoff import OfficeHours

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BERLIN = ZoneInfo("Europe/Berlin")
HOURS = OfficeHours.parse("08:00-17:00", days="0-4", zone="Europe/Stockholm")


def at(moment: str, zone: ZoneInfo = STOCKHOLM) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=zone)


@pytest.mark.parametrize(
    ("moment", "country", "open_"),
    [
        ("2026-06-17 10:00", "SE", True),  # a Wednesday in June
        ("2026-06-19 10:00", "SE", False),  # midsummer eve (de facto holiday in Sweden)
        ("2026-06-19 10:00", "DE", True),  # ... an ordinary Friday in Germany
        ("2026-12-24 10:00", "SE", False),  # Christmas eve in Sweden
        ("2026-12-25 10:00", "SE", False),  # Christmas Day
        ("2026-12-25 10:00", "DE", False),
        ("2026-05-25 10:00", "DE", False),  # Whit Monday (Pfingstmontag): a holiday in Germany
        ("2026-05-25 10:00", "SE", True),  # ... but not in Sweden since 2005
        ("2026-10-03 10:00", "DE", False),  # German Unity Day, a Saturday in 2026: closed anyway
        ("2026-11-21 10:00", "SE", False),  # a Saturday
        ("2026-11-24 07:59", "SE", False),  # a Tuesday, before and during office hours
        ("2026-11-24 08:00", "SE", True),
        ("2026-11-24 16:59", "DE", True),
        ("2026-11-24 17:00", "DE", False),
    ],
)
def test_open_on_working_days_that_are_no_public_holiday(moment: str, country: str, open_: bool) -> None:
    zone = BERLIN if country == "DE" else STOCKHOLM
    assert HOURS.open_at(at(moment, zone), country) is open_


def test_a_holiday_is_told_apart_from_an_evening_or_a_weekend() -> None:
    assert HOURS.holiday_at(at("2026-06-19 10:00"), "SE")
    assert HOURS.holiday_at(at("2026-06-19 20:00"), "SE"), "all day long"
    assert not HOURS.holiday_at(at("2026-06-18 20:00"), "SE"), "only closed for the evening"
    assert not HOURS.holiday_at(at("2026-06-20 10:00"), "SE"), "midsummer day is a Saturday: a weekend"
    assert not HOURS.holiday_at(at("2026-05-25 10:00"), "SE")
    assert HOURS.holiday_at(at("2026-05-25 10:00", BERLIN), "DE")


def test_the_hours_are_read_in_the_customer_s_time_zone() -> None:
    """An office configured in London time: 07:30 there is 08:30 in Stockholm and Berlin."""
    london = OfficeHours.parse("08:00-17:00", zone="Europe/London")
    moment = at("2026-11-24 07:30", ZoneInfo("Europe/London"))
    assert london.open_at(moment, "SE") and london.open_at(moment, "DE")
    assert not london.open_at(moment, None), "without a country: the configured zone"
    assert not london.open_at(moment, "GB"), "a country whose zone we do not keep: the configured zone"


def test_the_holiday_is_the_one_of_the_customer_s_local_date() -> None:
    """23:30 UTC on 23 December is already Christmas eve in Stockholm, but not yet in London."""
    round_the_clock = OfficeHours.parse("00:00-23:59", days="0-6", zone="Europe/London")
    moment = datetime.fromisoformat("2026-12-23T23:30:00+00:00")
    assert round_the_clock.holiday_at(moment, "SE") and not round_the_clock.open_at(moment, "SE")
    assert round_the_clock.open_at(moment, "GB"), "still the 23rd in the configured zone"


def test_without_a_country_the_default_country_s_holidays_apply() -> None:
    assert not HOURS.open_at(at("2026-06-19 10:00"))
    assert HOURS.open_at(at("2026-06-17 10:00"))


def test_another_country_s_holidays_are_its_own() -> None:
    """France is no country we keep a time zone for, but its holidays are known: Bastille Day."""
    assert not HOURS.open_at(at("2026-07-14 10:00"), "FR")
    assert HOURS.open_at(at("2026-07-14 10:00"), "SE")


def test_hours_configured_as_always_open_know_no_holiday() -> None:
    always = OfficeHours.parse("")
    for moment in ("2026-12-25 03:00", "2026-06-19 10:00", "2026-11-21 23:59"):
        assert always.open_at(at(moment), "SE") and not always.holiday_at(at(moment), "SE")
