"""Whether the demo data are there, told without loading what writes them.

A server starting on a database that has them (every start but the first) asks this and nothing more:
``seed`` (the demo records, the generated volume, the holiday calendars their dates are counted in) is
only imported where the data are written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.sql.schema import companies

DEMO_CUSTOMER_NUMBERS: Final = ("1000123", "2000456")
"""The demo data's two customer companies; the first one there means the demo data are."""

DEMO_TIME_ZONE: Final = ZoneInfo("Europe/Stockholm")
"""Where the demo's companies are (Sweden and Germany, one calendar day): their dates are its dates."""


def demo_today() -> date:
    """The day the demo data are dated from: today where its customers are, not on the server's clock.

    "Ends in 55 days" is counted from the user's own date; seeded from a UTC date late in the evening
    it would say 54 to a user already in tomorrow."""
    return datetime.now(DEMO_TIME_ZONE).date()


async def demo_present(engine: AsyncEngine) -> bool:
    """Whether the demo data were written to the database of ``engine`` (it must be migrated)."""
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(companies.c.id).where(companies.c.customer_number == DEMO_CUSTOMER_NUMBERS[0])
        )
    return found is not None
