"""Invoice and statement chat turns on a company with a large ledger.

Seeds the demo data plus ``--invoices`` generated invoices (default 100 000), all for Nordisk Verkstad AB,
into a temporary SQLite file, then plays invoice.get / invoice.list / statement.show turns through the
real pipeline as anna.berg and prints each turn's latency. No assertions: the numbers are for reading.

    python bench/invoices_bench.py --invoices 100000 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportbot.adapters.app import build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import ConversationRef, Message
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import seed_demo, seed_volume

TURNS = (
    ("invoice.get", "show me invoice INV-2031"),
    ("invoice.get", "my latest invoice"),
    ("invoice.list", "list my invoices"),
    ("invoice.list", "which invoices are overdue"),
    ("statement.show", "show my account statement"),
    ("statement.show", "which items are overdue on our account"),
    ("statement.show", "show my statement sorted by amount"),
)


async def main(invoices: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        path = data_dir / "supportbot.sqlite3"
        engine = open_engine(f"sqlite+aiosqlite:///{path}")
        started = time.perf_counter()
        await migrate(engine)
        today = datetime.now(UTC).date()
        await seed_demo(engine, today=today)
        await seed_volume(engine, orders=0, invoices=invoices, company="1000123", seed=7, today=today)
        await engine.dispose()
        print(f"seeded {invoices:,} invoices for 1000123 in {time.perf_counter() - started:.1f} s")
        settings = Settings(
            data_dir=data_dir, public_url="http://127.0.0.1:8080", secret_key="bench-" + "x" * 40
        )
        app = await build_application(settings)
        try:
            timings: dict[str, list[float]] = {}
            for _ in range(rounds):
                conversation = ConversationRef(channel="bench", conversation_id=uuid.uuid4().hex)
                for intent, text in TURNS:
                    message = Message(
                        conversation=conversation,
                        text=text,
                        user_id="anna.berg@nordisk.example",
                        delivery_id=uuid.uuid4().hex,
                    )
                    t0 = time.perf_counter()
                    reply = await app.pipeline.handle(message)
                    elapsed = (time.perf_counter() - t0) * 1000
                    timings.setdefault(f"{intent:15} {text}", []).append(elapsed)
                    if reply.intent != intent:
                        print(f"  note: {text!r} answered by {reply.intent}")
            print(f"{'turn':62} {'median ms':>10} {'max ms':>10}")
            for name, values in timings.items():
                print(f"{name:62} {statistics.median(values):10.1f} {max(values):10.1f}")
        finally:
            await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.invoices, args.rounds))
