"""A back-end write on SQLite waits for the write lock without stopping the event loop.

The lock's holder may be a transaction of the other engine (aiosqlite: the handoffs' presence, the
mail outbox) whose next step needs the loop; a write that waited in SQLite's busy handler on the
loop would stall both until the timeout and then fail. Here the other transaction holds the lock
across an ``await`` and the back-end write must still go through, while the loop keeps running.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from supportbot.adapters.app import Application

ERIK = "erik.lund@nordisk.example"


async def test_a_write_waits_for_a_lock_held_across_an_await(application: Application) -> None:
    principal = await application.pipeline.principal(ERIK)
    assert application.engine.dialect.name == "sqlite"
    holding = asyncio.Event()
    ticks = 0

    async def other_engine_holds_the_lock() -> None:
        async with application.store.engine.begin() as conn:
            await conn.execute(text("UPDATE users SET name = name WHERE user_id = :u"), {"u": ERIK})
            holding.set()
            for _ in range(10):  # holds the write lock across awaits, as an aiosqlite transaction does
                await asyncio.sleep(0.02)
                nonlocal ticks
                ticks += 1

    holder = asyncio.create_task(other_engine_holds_the_lock())
    await holding.wait()
    updated = await application.backends.requests.add_comment(principal, "RQ-2026-000002", "still waiting")
    await holder
    assert updated is not None and updated.history[-1].text == "still waiting"
    assert ticks == 10  # the holder finished its awaits: the loop ran while the write waited
