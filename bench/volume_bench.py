"""A chat turn's time at a small and a large back end: does it grow with the number of orders and invoices?

Builds two SQLite databases with the demo data plus generated volume, all of it for Nordisk Verkstad
AB (anna.berg's company): a small one (``--small-orders`` 10 000 orders, ``--small-invoices`` 10 000
invoices) and a large one (``--large-orders`` 1 000 000, ``--large-invoices`` 100 000). Seeding a
million orders takes minutes; progress is printed, and smaller numbers can be given. Then plays the
same order and invoice questions through the real pipeline as anna.berg on each, prints each turn's
median wall-clock and CPU milliseconds at both sizes and their ratio (target: within 1.5x), and the
query plan (EXPLAIN QUERY PLAN) of every statement the large database's turns read, flagging a
``SCAN`` of an order or invoice table.

    python bench/volume_bench.py
    python bench/volume_bench.py --large-orders 200000 --rounds 5

No assertions (``tests/integrations/test_sql_query_plans.py`` holds the plans to account); on a
shared machine read the CPU column rather than the wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from supportbot.adapters.app import build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import ConversationRef, Message
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import VOLUME_TABLES, seed_demo, seed_volume

ANNA = "anna.berg@nordisk.example"
COMPANY = "1000123"


@dataclass
class Size:
    orders: int
    invoices: int
    folder: Path
    order_number: str = ""
    invoice_number: str = ""
    timings: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.orders:,} orders, {self.invoices:,} invoices"

    @property
    def path(self) -> Path:
        return self.folder / "supportbot.sqlite3"


def turns(size: Size) -> list[tuple[str, str]]:
    """(intent expected, what anna says): a demo order and a generated one deep in the volume, the
    same for invoices, the lists that read the newest, and the lists by status (rare ones, or
    several at once) and the statement, which read a status's own index each."""
    return [
        ("order.status", "where is my order 4711?"),
        ("order.status", f"status of order {size.order_number}"),
        ("order.search", "show my orders"),
        ("invoice.get", "show me invoice INV-2031"),
        ("invoice.get", f"show me invoice {size.invoice_number}"),
        ("invoice.get", "my latest invoice"),
        ("invoice.list", "which invoices are overdue"),
        ("invoice.list", "show my unpaid invoices"),
        ("statement.show", "show my statement of account"),
        ("statement.show", "show all open and overdue items"),
        ("order.search", "which orders are delayed"),
        ("order.search", "show my delivered and cancelled orders"),
    ]


async def seed(size: Size) -> None:
    engine = open_engine(f"sqlite+aiosqlite:///{size.path}")
    started = time.perf_counter()
    total = size.orders + size.invoices
    shown = [0.0]

    def progress(done: int) -> None:
        if time.perf_counter() - shown[0] >= 10 or done == total:
            shown[0] = time.perf_counter()
            print(f"  {done:,} of {total:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)

    try:
        await migrate(engine)
        today = datetime.now(UTC).date()
        await seed_demo(engine, today=today)
        await seed_volume(
            engine,
            orders=size.orders,
            invoices=size.invoices,
            company=COMPANY,
            seed=7,
            today=today,
            progress=progress,
        )
        async with engine.connect() as conn:
            # a generated order and invoice in the middle of the volume: not the newest, not the oldest
            size.order_number = str(
                await conn.scalar(
                    text("SELECT number FROM orders ORDER BY id LIMIT 1 OFFSET :n"),
                    {"n": size.orders // 2},
                )
            )
            size.invoice_number = str(
                await conn.scalar(
                    text("SELECT number FROM invoices ORDER BY id LIMIT 1 OFFSET :n"),
                    {"n": size.invoices // 2},
                )
            )
    finally:
        await engine.dispose()
    print(f"seeded {size.name} for {COMPANY} in {time.perf_counter() - started:.1f} s", flush=True)


class Statements:
    """Every statement any engine of this process sends while it listens."""

    def __init__(self) -> None:
        self.sent: dict[str, Any] = {}
        event.listen(Engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.sent.setdefault(statement, parameters)

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._record)


async def play(size: Size, rounds: int, *, listen: bool) -> Statements | None:
    """Times ``rounds`` of the turns; with ``listen``, one more round whose statements are kept."""
    settings = Settings(
        data_dir=size.folder, public_url="http://127.0.0.1:8080", secret_key="bench-" + "x" * 40
    )
    app = await build_application(settings)
    try:
        for round_ in range(rounds + 1):  # the first round warms the caches and is not counted
            conversation = ConversationRef(channel="bench", conversation_id=uuid.uuid4().hex)
            for number, (intent, said) in enumerate(turns(size)):
                message = Message(
                    conversation=conversation, text=said, user_id=ANNA, delivery_id=uuid.uuid4().hex
                )
                t0, c0 = time.perf_counter(), time.process_time()
                reply = await app.pipeline.handle(message)
                wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
                if round_ == 0:
                    if reply.intent != intent:
                        print(f"  note: {said!r} answered by {reply.intent}")
                    continue
                generic = said.replace(size.order_number, "<generated>").replace(
                    size.invoice_number, "<generated>"
                )
                size.timings.setdefault(f"{number} {generic}", []).append((wall, cpu))
        if not listen:
            return None
        statements = Statements()  # not while timing: the listener costs a little per statement
        try:
            conversation = ConversationRef(channel="bench", conversation_id=uuid.uuid4().hex)
            for _, said in turns(size):
                await app.pipeline.handle(
                    Message(conversation=conversation, text=said, user_id=ANNA, delivery_id=uuid.uuid4().hex)
                )
        finally:
            statements.close()
        return statements
    finally:
        await app.close()


def print_plans(size: Size, statements: Statements) -> None:
    print(f"\nquery plans on the large database ({size.name}):")
    flagged = 0
    with sqlite3.connect(size.path) as db:
        for sql, parameters in statements.sent.items():
            if not any(f" {table}" in sql for table in VOLUME_TABLES):
                continue
            try:
                plan = [str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql, parameters or ())]
            except sqlite3.Error as exc:
                print(f"-- (not explained: {exc}) {sql[:100]}")
                continue
            print("-- " + " ".join(sql.split())[:160])
            for line in plan:
                bad = line.startswith("SCAN ") and line.split()[1] in VOLUME_TABLES
                flagged += bad
                print(f"     {line}{'   <-- scan' if bad else ''}")
    print(f"{flagged} plan line(s) scanning an order or invoice table")


def report(small: Size, large: Size) -> None:
    print(
        f"\n{'turn (anna.berg, real pipeline, median)':44} {'small ms':>9} {'large ms':>9} {'ratio':>6}"
        f"   {'small CPU':>9} {'large CPU':>9} {'ratio':>6}"
    )
    for name, values in small.timings.items():
        big = large.timings[name]
        sw, lw = statistics.median(w for w, _ in values), statistics.median(w for w, _ in big)
        sc, lc = statistics.median(c for _, c in values), statistics.median(c for _, c in big)
        print(f"{name:44} {sw:9.2f} {lw:9.2f} {lw / sw:6.2f}   {sc:9.2f} {lc:9.2f} {lc / sc:6.2f}")
    print(f"small: {small.name}; large: {large.name}; target: large within 1.5x of small")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        small = Size(args.small_orders, args.small_invoices, Path(folder) / "small")
        large = Size(args.large_orders, args.large_invoices, Path(folder) / "large")
        for size in (small, large):
            size.folder.mkdir()
            await seed(size)
        await play(small, args.rounds, listen=False)
        statements = await play(large, args.rounds, listen=True)
        report(small, large)
        assert statements is not None
        print_plans(large, statements)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small-orders", type=int, default=10_000)
    parser.add_argument("--small-invoices", type=int, default=10_000)
    parser.add_argument("--large-orders", type=int, default=1_000_000)
    parser.add_argument("--large-invoices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7, help="measured rounds of every turn")
    asyncio.run(main(parser.parse_args()))
