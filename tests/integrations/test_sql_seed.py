"""The SQL back end's demo seed and volume generator: idempotent, deterministic, consistent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.models import InvoiceStatus, OrderStatus
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.schema import (
    companies,
    invoices,
    order_lines,
    orders,
    payments,
    shipments,
)
from supportbot.integrations.sql.seed import VOLUME_TABLES, seed_demo, seed_volume
from supportbot.integrations.sql.tables import metadata

from .conftest import ANNA, MAX, TODAY, as_made_before_migrations, clock, sqlite_engine


async def count_rows(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: (await conn.scalar(select(func.count()).select_from(table))) or 0
            for table in metadata.sorted_tables
        }


async def dump(engine: AsyncEngine, table: str) -> list[tuple[Any, ...]]:
    async with engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


async def test_seed_demo_is_idempotent(empty_engine: AsyncEngine) -> None:
    assert await seed_demo(empty_engine, today=TODAY) is True
    before = await count_rows(empty_engine)
    assert await seed_demo(empty_engine, today=TODAY + timedelta(days=3)) is False
    assert await count_rows(empty_engine) == before
    await migrate(empty_engine)  # also harmless when the tables exist
    assert await count_rows(empty_engine) == before
    assert before["companies"] == 2 and before["users"] == 6 and before["orders"] >= 10


async def test_an_index_added_later_reaches_an_existing_database(empty_engine: AsyncEngine) -> None:
    """A database made before migrations, and before an index was added, gets the index when migrated."""
    name = "ix_requests_status_due_at_id"

    async def indexes() -> set[str]:
        async with empty_engine.connect() as conn:
            found = await conn.run_sync(lambda sync: inspect(sync).get_indexes("requests"))
        return {str(index["name"]) for index in found}

    assert name in await indexes()
    await as_made_before_migrations(empty_engine)
    async with empty_engine.begin() as conn:
        await conn.execute(text(f"DROP INDEX {name}"))
    assert name not in await indexes()
    assert (await migrate(empty_engine)).adopted
    assert name in await indexes()
    assert not (await migrate(empty_engine)).applied  # and only once


async def test_seed_demo_balances_the_nordisk_account(sqlite_demo_engine: AsyncEngine) -> None:
    """INV-2031 is the only open item: CN-0107 and a payment settled INV-2032."""
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    statement = await backends.statements.statement(anna, date_from=TODAY - timedelta(days=3650))
    assert statement.balance.minor == 12_500_000 and statement.overdue.minor == 0
    invoice_2032 = await backends.invoices.get_invoice(anna, "INV-2032")
    note = await backends.invoices.get_credit_note(anna, "CN-0107")
    assert invoice_2032 is not None and note is not None and note.invoice_number == "INV-2032"
    assert invoice_2032.total.minor == 6_250_000


async def test_demo_records_are_consistent_with_each_other(sqlite_demo_engine: AsyncEngine) -> None:
    """Statuses, histories, shipments, invoices and orders of the demo tell one story."""
    backends = sql_backends(sqlite_demo_engine, clock=clock)
    for user in (ANNA, MAX):
        principal = await backends.directory.principal_for(user)
        assert principal is not None
        async for summary in backends.orders.iter_orders(principal):
            order = await backends.orders.get_order(principal, summary.number)
            assert order is not None
            when = {event.status: event.at for event in order.history}
            assert order.history[-1].status is order.status and order.history[0].at == order.ordered_at
            assert order.total.minor == sum(line.total.minor for line in order.lines)
            assert order.delivered_at == when.get(OrderStatus.DELIVERED)
            if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                (shipment,) = order.shipments
                assert shipment.shipped_at == when[OrderStatus.SHIPPED]
                assert shipment.delivered_at == order.delivered_at
                assert shipment.expected_at == order.expected_delivery
            else:
                assert order.shipments == ()
        for invoice in (await backends.invoices.list_invoices(principal, limit=100)).items:
            assert invoice.total.minor == invoice.net.minor + invoice.vat.minor
            assert invoice.net.minor == sum(line.net.minor for line in invoice.lines)
            assert invoice.vat.minor == sum(line.vat.minor for line in invoice.lines)
            assert (invoice.status is InvoiceStatus.PAID) == (invoice.open_amount.minor == 0)
            if invoice.order_number is not None:
                billed = await backends.orders.get_order(principal, invoice.order_number)
                assert billed is not None and billed.total == invoice.net
                assert billed.ordered_at.date() <= invoice.issued_on


async def test_seed_volume_is_deterministic(tmp_path: Path) -> None:
    async def build(name: str, seed: int) -> dict[str, list[tuple[Any, ...]]]:
        engine = sqlite_engine(tmp_path / name)
        try:
            await migrate(engine)
            await seed_demo(engine, today=TODAY)
            await seed_volume(
                engine, orders=1_200, invoices=500, items=900, seed=seed, today=TODAY, batch_size=500
            )
            return {table: await dump(engine, table) for table in (*VOLUME_TABLES, "inventory_items")}
        finally:
            await engine.dispose()

    first, again, other = await build("a.db", 7), await build("b.db", 7), await build("c.db", 8)
    assert first == again
    assert first["orders"] != other["orders"]
    assert len(first["orders"]) > 1_200 and len(first["invoices"]) > 500
    assert first["inventory_items"] != other["inventory_items"] and len(first["inventory_items"]) == 911


async def test_generated_items_are_dealt_to_every_company_some_under_contracts(
    empty_engine: AsyncEngine,
) -> None:
    await seed_demo(empty_engine, today=TODAY)
    await seed_volume(empty_engine, items=2_000, seed=3, today=TODAY, batch_size=700)
    async with empty_engine.connect() as conn:
        per_company = dict(
            (
                await conn.execute(
                    text("SELECT company_id, count(*) FROM inventory_items GROUP BY company_id")
                )
            ).all()
        )
        foreign_cover = await conn.scalar(
            text(
                "SELECT count(*) FROM inventory_items i JOIN contracts c ON c.id = i.contract_id "
                "WHERE c.company_id <> i.company_id"
            )
        )
        covered = await conn.scalar(
            text("SELECT count(*) FROM inventory_items WHERE contract_id IS NOT NULL")
        )
        lapsed = await conn.scalar(
            text("SELECT count(*) FROM inventory_items WHERE maintenance_until < :today"), {"today": TODAY}
        )
        software = await conn.scalar(
            text("SELECT count(*) FROM inventory_items WHERE kind = 'software' AND licences > 0")
        )
    assert sorted(per_company.values()) == [1_003, 1_008], "1 000 each beside the demo's 8 and 3"
    assert foreign_cover == 0, "an item is only ever under its own company's contract"
    assert covered > 500 and lapsed > 50 and software > 150


async def test_seed_volume_numbers_progress_and_consistency(empty_engine: AsyncEngine) -> None:
    await seed_demo(empty_engine, today=TODAY)
    reported: list[int] = []
    await seed_volume(
        empty_engine, orders=2_500, invoices=700, today=TODAY, batch_size=1_000, progress=reported.append
    )
    assert reported == [1_000, 2_000, 2_500, 3_200]
    await seed_volume(empty_engine, orders=10, invoices=3, today=TODAY, seed=9)  # continues, no collision

    async with empty_engine.connect() as conn:
        numbers = sorted(
            int(n) for n in (await conn.execute(select(orders.c.number))).scalars() if len(n) >= 6
        )
        assert numbers == list(range(100_000, 102_510))
        invoice_numbers = (
            await conn.execute(select(invoices.c.number).where(invoices.c.number.like("INV-1%")))
        ).scalars()
        assert sorted(invoice_numbers) == [f"INV-{n}" for n in range(100_000, 100_703)]
        # every order's total is the sum of its lines
        line_sums = (
            select(order_lines.c.order_id, func.sum(order_lines.c.total_minor).label("lines"))
            .group_by(order_lines.c.order_id)
            .subquery()
        )
        mismatched = await conn.scalar(
            select(func.count())
            .select_from(orders.outerjoin(line_sums, line_sums.c.order_id == orders.c.id))
            .where(func.coalesce(line_sums.c.lines, -1) != orders.c.total_minor)
        )
        assert mismatched == 0
        # shipped and delivered orders have a shipment, no other has
        shipped_states = [OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value]
        with_shipment = select(shipments.c.order_id)
        assert not await conn.scalar(
            select(func.count()).where(orders.c.status.in_(shipped_states), orders.c.id.not_in(with_shipment))
        )
        assert not await conn.scalar(
            select(func.count()).where(orders.c.status.not_in(shipped_states), orders.c.id.in_(with_shipment))
        )
        # a paid invoice is settled by its payment
        unpaid = await conn.scalar(
            select(func.count())
            .select_from(invoices.outerjoin(payments, payments.c.invoice_id == invoices.c.id))
            .where(invoices.c.status == "paid", invoices.c.number.like("INV-1%"))
            .where(func.coalesce(payments.c.amount_minor, 0) != invoices.c.total_minor)
        )
        assert unpaid == 0
        tomorrow = datetime.combine(TODAY + timedelta(days=1), time.min, tzinfo=UTC)
        assert not await conn.scalar(select(func.count()).where(orders.c.ordered_at >= tomorrow))

    # and the ledger adds up for both companies
    backends = sql_backends(empty_engine, clock=clock)
    for user in (ANNA, MAX):
        principal = await backends.directory.principal_for(user)
        assert principal is not None
        statement = await backends.statements.statement(principal, date_from=TODAY - timedelta(days=5000))
        assert statement.balance.minor == sum(item.open_amount.minor for item in statement.items)


async def test_seed_volume_for_one_company(empty_engine: AsyncEngine) -> None:
    await seed_demo(empty_engine, today=TODAY)
    await seed_volume(empty_engine, orders=300, company="2000456", today=TODAY)
    async with empty_engine.connect() as conn:
        nordisk = await conn.scalar(select(companies.c.id).where(companies.c.customer_number == "1000123"))
        rows = await conn.execute(select(orders.c.company_id, func.count()).group_by(orders.c.company_id))
        per_company: dict[int, int] = dict(rows.all())  # type: ignore[arg-type]
    assert per_company[nordisk] == 8  # the demo's own
    assert sum(per_company.values()) == 8 + 5 + 300
    with pytest.raises(ValueError, match="no company"):
        await seed_volume(empty_engine, orders=1, company="9999999", today=TODAY)


async def test_seed_volume_needs_companies(empty_engine: AsyncEngine) -> None:
    with pytest.raises(ValueError, match="seed the demo"):
        await seed_volume(empty_engine, orders=1)


async def test_iter_orders_streams_generated_volume(empty_engine: AsyncEngine) -> None:
    await seed_demo(empty_engine, today=TODAY)
    await seed_volume(empty_engine, orders=3_000, company="1000123", today=TODAY, seed=3)
    backends = sql_backends(empty_engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None

    streamed = [o async for o in backends.orders.iter_orders(anna, batch_size=257)]
    assert len(streamed) == 3_008 and len({o.number for o in streamed}) == 3_008
    assert all(a.ordered_at <= b.ordered_at for a, b in pairwise(streamed))

    period = (TODAY - timedelta(days=365), TODAY - timedelta(days=180))
    delivered = [
        o
        async for o in backends.orders.iter_orders(
            anna,
            statuses=frozenset({OrderStatus.DELIVERED}),
            date_from=period[0],
            date_to=period[1],
            batch_size=100,
        )
    ]
    expected = [
        o.number
        for o in streamed
        if o.status is OrderStatus.DELIVERED and period[0] <= o.ordered_at.date() <= period[1]
    ]
    assert [o.number for o in delivered] == expected and expected

    page = await backends.orders.search_orders(anna, limit=100, offset=200)
    newest_first = list(reversed(streamed))
    assert [o.number for o in page.items] == [o.number for o in newest_first[200:300]] and page.has_more


async def test_iter_orders_breaks_ties_on_the_same_timestamp(empty_engine: AsyncEngine) -> None:
    """Keyset pagination on (ordered_at, id): orders placed in the same second are neither lost nor repeated."""
    await seed_demo(empty_engine, today=TODAY)
    async with empty_engine.begin() as conn:
        template = (await conn.execute(select(orders).where(orders.c.number == "4711"))).one()._asdict()
        template.pop("id")
        await conn.execute(
            orders.insert(), [{**template, "number": f"T{n:03d}", "po_number": "TIE"} for n in range(25)]
        )
    backends = sql_backends(empty_engine, clock=clock)
    anna = await backends.directory.principal_for(ANNA)
    assert anna is not None
    for batch_size in (1, 4, 7, 25, 26):
        streamed = [o.number async for o in backends.orders.iter_orders(anna, batch_size=batch_size)]
        ties = [n for n in streamed if n.startswith("T") or n == "4711"]
        assert ties == ["4711", *(f"T{n:03d}" for n in range(25))], batch_size
        assert len(streamed) == len(set(streamed)) == 8 + 25
