"""Whether the demo data are there, told without loading what writes them.

A server starting on a database that has them (every start but the first) asks this and nothing more:
``seed`` (the demo records, the generated volume, the holiday calendars their dates are counted in) is
only imported where the data are written.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.sql.schema import companies

DEMO_CUSTOMER_NUMBERS: Final = ("1000123", "2000456")
"""The demo data's two customer companies; the first one there means the demo data are."""


async def demo_present(engine: AsyncEngine) -> bool:
    """Whether the demo data were written to the database of ``engine`` (it must be migrated)."""
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(companies.c.id).where(companies.c.customer_number == DEMO_CUSTOMER_NUMBERS[0])
        )
    return found is not None
