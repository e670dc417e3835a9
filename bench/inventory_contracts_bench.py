"""Inventory and contract turns on two companies with a large installed base.

Seeds the demo data plus ``--items`` generated installed items per company (default 100 000, two
companies, a share of them under the companies' contracts, C-1001 among them) into a temporary SQLite
file. Then:

- plays inventory turns through the real pipeline as anna.berg (by site, by serial, by product, pages
  further on) and prints each turn's wall-clock and CPU milliseconds;
- times the back-end calls a contract turn makes for C-1001's card (the contract, the count of the
  items it covers, the first of them);
- prints every query's plan (EXPLAIN QUERY PLAN), so index use can be read, and says whether any of
  them scans ``inventory_items``;
- with ``--postgres URL`` (or ``SUPPORTBOT_TEST_POSTGRES_URL`` when it answers), does the same
  back-end calls on PostgreSQL in a scratch schema and prints their EXPLAIN plans, flagging a Seq Scan.

No assertions: the numbers are for reading (``tests/integrations/test_sql_query_plans.py`` holds the
plans to account).

    python bench/inventory_contracts_bench.py --items 100000 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from supportbot.adapters.app import build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import ConversationRef, Message
from supportbot.integrations.models import ContractPage, CoveredItems, ItemPage, Principal
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import seed_demo, seed_volume

ANNA = "anna.berg@nordisk.example"
POSTGRES_URL = os.environ.get(
    "SUPPORTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)

Call = Callable[[Backends, Principal], Awaitable[Any]]


def inventory_turns(serial: str) -> tuple[tuple[str, str], ...]:
    """(intent, what the user says), in one conversation: "more" pages on from the listing before."""
    return (
        ("inventory.show", "what hardware do we have in Kista?"),
        ("inventory.show", "show more"),
        ("inventory.show", "show more"),
        ("inventory.show", f"show item {serial}"),
        ("inventory.show", "show our Power servers"),
        ("inventory.show", "show more"),
        ("inventory.show", "what software do we have installed"),
        ("inventory.show", "show equipment covered by contract C-1001"),
        ("inventory.show", "show more"),
        ("inventory.question", "what's the service level of 78XYZ34?"),
        ("contract.status", "status of contract C-1001"),
        ("contract.status", "which contracts expire in the next 60 days"),
        ("contract.history", "history of contract C-1001"),
    )


def backend_calls(serial: str, deep: tuple[str, str], deep_power: tuple[str, str]) -> dict[str, Call]:
    """Each back-end call of the turns above, and those of a contract turn for C-1001's card."""
    return {
        "inventory: by site": lambda b, p: b.inventory.search_items(p, site="Kista"),
        "inventory: by site, a page far on": lambda b, p: b.inventory.search_items(
            p, site="Kista", after=deep
        ),
        "inventory: by serial": lambda b, p: b.inventory.get_item(p, serial),
        "inventory: the company's products": lambda b, p: b.inventory.product_names(p),
        "inventory: by product": lambda b, p: b.inventory.search_items(
            p, products=("IBM Power S1012", "IBM Power S1022", "IBM Power S914")
        ),
        "inventory: by product, a page far on": lambda b, p: b.inventory.search_items(
            p, products=("IBM Power S1012", "IBM Power S1022", "IBM Power S914"), after=deep_power
        ),
        "inventory: by kind": lambda b, p: b.inventory.search_items(p, kind="software"),
        "contract: C-1001": lambda b, p: b.contracts.get_contract(p, "C-1001"),
        "contract: the card's covered items (first 5 and the count)": lambda b, p: b.contracts.covered_items(
            p, "C-1001", limit=5
        ),
        "contract: ending within 60 days": lambda b, p: b.contracts.search_contracts(p, ending_within=60),
        "contract: history of C-1001": lambda b, p: b.contracts.contract_history(p, "C-1001"),
        "contract: items covered, counted": lambda b, p: b.inventory.count_items(p, contract="C-1001"),
        "contract: items covered, first 5": lambda b, p: b.inventory.search_items(
            p, contract="C-1001", limit=5
        ),
    }


def describe(result: Any) -> str:
    if isinstance(result, int):
        return f"{result:,} items"
    if isinstance(result, ItemPage):
        return f"{len(result.items)} items, more: {result.has_more}"
    if isinstance(result, tuple):
        return f"{len(result)} names"
    if isinstance(result, CoveredItems):
        return f"{len(result.items)} items of {result.total:,}"
    if isinstance(result, ContractPage):
        return f"{len(result.items)} contracts, more: {result.has_more}"
    return "found" if result is not None else "none"


class Statements:
    """The statements an engine sends while it listens."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.sent: list[tuple[str, Any]] = []
        event.listen(self.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.sent.append((statement, parameters))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


async def time_calls(
    engine: AsyncEngine, calls: dict[str, Call], rounds: int, *, explain: str
) -> list[tuple[str, list[str]]]:
    """Times each call (median of ``rounds``) and returns its plans (``explain``: the prefix to use)."""
    backends = sql_backends(engine)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    plans: list[tuple[str, list[str]]] = []
    print(f"{'back-end call':44} {'median ms':>10} {'CPU ms':>8}  result")
    for name, call in calls.items():
        walls, cpus = [], []
        result: Any = None
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            result = await call(backends, anna)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        shown = describe(result)
        print(f"{name:44} {statistics.median(walls):10.2f} {statistics.median(cpus):8.2f}  {shown}")
        log = Statements(engine)
        try:
            await call(backends, anna)
        finally:
            log.close()
        async with engine.connect() as conn:
            for sql, parameters in log.sent:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                if engine.dialect.name == "sqlite":
                    rows = await conn.exec_driver_sql(explain + sql, parameters)
                    details = [str(row._mapping["detail"]) for row in rows]
                else:
                    rows = await conn.exec_driver_sql(explain + sql, parameters)
                    details = [str(row[0]) for row in rows]
                plans.append((name, details))
    return plans


def print_plans(plans: list[tuple[str, list[str]]], *, bad: str) -> None:
    flagged = 0
    for name, details in plans:
        print(f"-- {name}")
        for detail in details:
            mark = "  <-- " + bad if bad in detail else ""
            flagged += bool(mark)
            print(f"     {detail}{mark}")
    print(f"{flagged} plan line(s) with {bad!r}\n")


async def seeded(engine: AsyncEngine, items: int) -> str:
    """Migrates and seeds ``engine``; returns the first generated serial of Nordisk."""
    today = datetime.now(UTC).date()
    await migrate(engine)
    await seed_demo(engine, today=today)
    await seed_volume(engine, items=2 * items, seed=11, today=today)
    async with engine.connect() as conn:
        serial = await conn.scalar(
            text(
                "SELECT min(i.serial) FROM inventory_items i JOIN companies c ON c.id = i.company_id "
                "WHERE c.customer_number = '1000123' AND i.serial LIKE '8%'"
            )
        )
    return str(serial)


async def deep_keys(engine: AsyncEngine) -> tuple[tuple[str, str], tuple[str, str]]:
    """Where a far page starts: a (product, serial) deep into Nordisk's items at Kista, and one in
    the middle of its IBM Power S1022s."""
    keys = []
    for where in ("s.name = 'Kista'", "i.product = 'IBM Power S1022' AND s.name IN ('Kista', 'Göteborg')"):
        items = f"FROM inventory_items i JOIN sites s ON s.id = i.site_id WHERE {where}"
        async with engine.connect() as conn:
            middle = int(await conn.scalar(text(f"SELECT count(*) {items}")) or 0) // 2
            row = (
                await conn.execute(
                    text(
                        f"SELECT i.product, i.serial {items} ORDER BY i.product DESC, i.serial DESC "
                        f"LIMIT 1 OFFSET {min(middle, 3000)}"
                    )
                )
            ).one()
        keys.append((str(row.product), str(row.serial)))
    return keys[0], keys[1]


async def pipeline_turns(data_dir: Path, serial: str, rounds: int) -> None:
    settings = Settings(data_dir=data_dir, public_url="http://127.0.0.1:8080", secret_key="bench-" + "x" * 40)
    app = await build_application(settings)
    try:
        timings: dict[str, list[tuple[float, float]]] = {}
        for _ in range(rounds):
            conversation = ConversationRef(channel="bench", conversation_id=uuid.uuid4().hex)
            for number, (intent, said) in enumerate(inventory_turns(serial)):
                message = Message(
                    conversation=conversation, text=said, user_id=ANNA, delivery_id=uuid.uuid4().hex
                )
                t0, c0 = time.perf_counter(), time.process_time()
                reply = await app.pipeline.handle(message)
                wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
                timings.setdefault(f"{number:2} {intent:18} {said}", []).append((wall, cpu))
                if reply.intent != intent:
                    print(f"  note: {said!r} answered by {reply.intent}")
        print(f"{'turn (real pipeline, anna.berg)':70} {'median ms':>10} {'max ms':>8} {'CPU ms':>8}")
        for name, values in timings.items():
            walls = [w for w, _ in values]
            cpus = [c for _, c in values]
            print(
                f"{name:70} {statistics.median(walls):10.1f} {max(walls):8.1f} {statistics.median(cpus):8.1f}"
            )
        print()
    finally:
        await app.close()


async def postgres(url: str, items: int, rounds: int) -> None:
    schema = f"sb_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_async_engine(url, connect_args={"server_settings": {"search_path": schema}})
        try:
            started = time.perf_counter()
            serial = await seeded(engine, items)
            print(f"PostgreSQL: seeded {items:,} items per company in {time.perf_counter() - started:.1f} s")
            calls = backend_calls(serial, *await deep_keys(engine))
            plans = await time_calls(engine, calls, rounds, explain="EXPLAIN ")
            print_plans(plans, bad="Seq Scan on inventory_items")
        finally:
            await engine.dispose()
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


async def reachable(url: str) -> bool:
    engine = create_async_engine(url)
    try:
        async with asyncio.timeout(3), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not here
        return False
    finally:
        await engine.dispose()


async def main(items: int, rounds: int, postgres_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        engine = open_engine(f"sqlite+aiosqlite:///{data_dir / 'supportbot.sqlite3'}")
        started = time.perf_counter()
        serial = await seeded(engine, items)
        print(
            f"SQLite: seeded {items:,} items per company (two companies) in {time.perf_counter() - started:.1f} s\n"
        )
        calls = backend_calls(serial, *await deep_keys(engine))
        plans = await time_calls(engine, calls, rounds, explain="EXPLAIN QUERY PLAN ")
        print()
        print_plans(plans, bad="SCAN inventory_items")
        await engine.dispose()
        await pipeline_turns(data_dir, serial, rounds)
    if postgres_url and await reachable(postgres_url):
        await postgres(postgres_url, items, rounds)
    elif postgres_url:
        print(f"PostgreSQL at {postgres_url} does not answer: skipped")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="installed items per company")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default=POSTGRES_URL, help="PostgreSQL URL ('' to skip)")
    args = parser.parse_args()
    asyncio.run(main(args.items, args.rounds, args.postgres or None))
