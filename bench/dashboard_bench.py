"""Dashboard benchmark: what reading the support managers' figures costs over a year of history.

Writes ``--conversations`` conversations (default 100 000) spread over the year before 1 December
2026 into a fresh SQLite file, with four transcript lines each, a handoff for one in eight (most taken
after a few minutes), a miss for one in ten and a request for one in twenty, then reads the figures
of the last 28 days and of the whole year (366 days) a few times and prints the wall time of each read.

    .venv/bin/python bench/dashboard_bench.py [--conversations N]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from supportbot.bot.store.stats import Period, StatsRows
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.schema import request_events, requests
from supportbot.integrations.sql.state import conversations, handoffs, nlu_misses, turns

END = datetime(2026, 12, 1, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Stockholm")
CHANNELS = ("web", "web", "web", "slack", "teams")


async def fill(engine: object, count: int) -> None:
    rng = random.Random(15)
    batch = 5_000
    for start in range(0, count, batch):
        convs, lines, hos, misses, reqs = [], [], [], [], []
        for i in range(start, min(count, start + batch)):
            began = END - timedelta(seconds=rng.randrange(365 * 24 * 3600))
            key = f"bench:{i}"
            channel = rng.choice(CHANNELS)
            convs.append(
                {"key": key, "channel": channel, "language": "en", "state": {}, "seq": 4}
                | {"created_at": began, "updated_at": began + timedelta(minutes=3)}
            )
            for seq in range(1, 5):
                intent = rng.choice(("order.status", "invoice.show", "none", "contract.show"))
                lines.append(
                    {"conversation_key": key, "seq": seq, "at": began + timedelta(seconds=seq * 30)}
                    | {"role": "user" if seq % 2 else "bot", "text": "…", "payload": {"intent": intent}}
                )
            if i % 8 == 0:
                taken = began + timedelta(seconds=rng.randrange(30, 900)) if i % 16 else None
                hos.append(
                    {"conversation_key": key, "channel": channel, "status": "closed", "created_at": began}
                    | {"taken_at": taken}
                )
            if i % 10 == 0:
                misses.append(
                    {
                        "id": f"b{i}",
                        "at": began,
                        "conversation_key": key,
                        "channel": channel,
                        "language": "en",
                    }
                    | {"text": "…", "fingerprint": f"f{i}", "intent": "none", "confidence": 0.1}
                    | {"reason": "not_understood", "status": rng.choice(("open", "dismissed"))}
                )
            if i % 20 == 0:
                reqs.append(
                    {"number": f"RQ-B-{i:07d}", "requester_name": "x", "category": "other", "subject": "s"}
                    | {"description": "…", "priority": "normal", "status": "answered", "created_at": began}
                    | {"due_at": began + timedelta(days=1)}
                )
        async with engine.begin() as conn:  # type: ignore[attr-defined]
            await conn.execute(insert(conversations), convs)
            await conn.execute(insert(turns), lines)
            if hos:
                await conn.execute(insert(handoffs), hos)
            if misses:
                await conn.execute(insert(nlu_misses), misses)
            for row in reqs:
                request_id = (await conn.execute(insert(requests).values(row))).inserted_primary_key[0]
                answered = row["created_at"] + timedelta(hours=rng.randrange(1, 40))
                await conn.execute(
                    insert(request_events).values(
                        request_id=request_id, at=answered, kind="answer", author="x", text="…"
                    )
                )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            await migrate(engine)
            began = time.perf_counter()
            await fill(engine, args.conversations)
            print(f"history: {args.conversations} conversations in {time.perf_counter() - began:.1f} s")
            stats = StatsRows(engine)
            last = date(2026, 11, 30)
            for days in (28, 366):
                period = Period(last - timedelta(days=days - 1), last, ZONE)
                times = []
                for _ in range(3):
                    began = time.perf_counter()
                    figures = await stats.figures(period)
                    times.append(time.perf_counter() - began)
                total = sum(f.conversations for f in figures.days if f.channel == "")
                print(
                    f"{days:>3} days: {total} conversations, "
                    f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
                )
        finally:
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
