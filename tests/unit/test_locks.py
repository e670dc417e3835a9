"""``KeyedLocks``: one turn of a conversation at a time, in arrival order; an entry lives only while
someone holds or waits for it."""

from __future__ import annotations

import asyncio

import pytest

from supportbot.bot.locks import KeyedLocks


async def test_the_turns_of_one_key_run_one_at_a_time_in_order() -> None:
    locks = KeyedLocks()
    seen: list[str] = []

    async def turn(key: str, name: str) -> None:
        async with locks.hold(key):
            seen.append(f"{name} in")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            seen.append(f"{name} out")

    await asyncio.gather(turn("a", "1"), turn("a", "2"), turn("b", "x"), turn("a", "3"))
    assert [s for s in seen if s[0] != "x"] == ["1 in", "1 out", "2 in", "2 out", "3 in", "3 out"]
    assert seen.index("x in") < seen.index("1 out")  # another key does not wait
    assert len(locks) == 0


async def test_a_failed_or_cancelled_turn_lets_go() -> None:
    locks = KeyedLocks()
    with pytest.raises(ValueError, match="the turn failed"):
        async with locks.hold("a"):
            raise ValueError("the turn failed")
    assert len(locks) == 0

    entered = asyncio.Event()

    async def holder() -> None:
        async with locks.hold("a"):
            entered.set()
            await asyncio.sleep(10)

    async def waiter() -> None:
        async with locks.hold("a"):
            raise AssertionError("never entered")

    holding = asyncio.create_task(holder())
    await entered.wait()
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    assert len(locks) == 1
    waiting.cancel()  # cancelled while it waits
    with pytest.raises(asyncio.CancelledError):
        await waiting
    holding.cancel()
    with pytest.raises(asyncio.CancelledError):
        await holding
    assert len(locks) == 0
    async with locks.hold("a"):  # and the key can be had again
        assert len(locks) == 1
    assert len(locks) == 0
