"""A principal's "today": the user's own date, in their channel's time zone where it says one, else
their company's country's; a zone name nobody knows falls back to the country's, never to UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from supportbot.integrations.models import Principal

LATE = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # 00:30 on 5 December in Stockholm and Berlin
EARLY = datetime(2026, 12, 5, 3, 30, tzinfo=UTC)  # 22:30 on 4 December in New York


@pytest.mark.parametrize(
    ("country", "time_zone", "now", "today"),
    [
        ("SE", None, LATE, date(2026, 12, 5)),
        ("DE", None, LATE, date(2026, 12, 5)),
        (None, None, LATE, date(2026, 12, 5)),  # no country: Sweden's, as business days count
        ("SE", "America/New_York", EARLY, date(2026, 12, 4)),
        ("SE", "America/New_York", LATE, date(2026, 12, 4)),
        ("SE", "Not/A_Zone", LATE, date(2026, 12, 5)),
        ("SE", "../../etc/passwd", LATE, date(2026, 12, 5)),
    ],
)
def test_the_users_own_date(country: str | None, time_zone: str | None, now: datetime, today: date) -> None:
    principal = Principal(user_id="u", country=country).in_zone(time_zone)
    assert principal.today(now) == today


def test_a_channel_without_a_time_zone_leaves_the_principal_as_it_is() -> None:
    anna = Principal(user_id="anna", country="SE")
    assert anna.in_zone(None) is anna
    in_new_york = anna.in_zone("America/New_York")
    assert in_new_york.time_zone == "America/New_York" and anna.time_zone is None
    assert in_new_york.in_zone("America/New_York") is in_new_york
