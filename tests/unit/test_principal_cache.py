"""The pipeline's principal cache: when a user's cached principal expires, their turns at that moment
(several conversations, or several frames in flight) wait for one directory lookup rather than each
making its own."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from supportbot.bot.pipeline import _PrincipalCache
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal, Role, Tool

ANNA = "anna.berg@nordisk.example"


def principal(*grants: Tool) -> Principal:
    return Principal(user_id=ANNA, company_id=1, role=Role.USER, grants=frozenset(grants))


class Directory:
    """A directory whose lookups wait until the test lets them answer, in order."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answers: asyncio.Queue[Principal | Exception] = asyncio.Queue()

    async def principal_for(self, user_id: str) -> Principal | None:
        self.asked.append(user_id)
        answer = await self.answers.get()
        if isinstance(answer, Exception):
            raise answer
        return answer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def cache(directory: Directory, clock: Clock) -> _PrincipalCache:
    return _PrincipalCache(directory, ttl=5.0, clock=clock)  # type: ignore[arg-type]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_turns_at_once_wait_for_one_lookup() -> None:
    directory, clock = Directory(), Clock()
    principals = cache(directory, clock)
    turns = [asyncio.ensure_future(principals.get(ANNA)) for _ in range(5)]
    await settle()
    assert directory.asked == [ANNA]
    directory.answers.put_nowait(principal(Tool.ORDERS))
    assert await asyncio.gather(*turns) == [principal(Tool.ORDERS)] * 5
    assert principals.fresh(ANNA) == (principal(Tool.ORDERS),)
    clock.now += 5.0  # expired: one lookup again for all
    turns = [asyncio.ensure_future(principals.get(ANNA)) for _ in range(3)]
    await settle()
    directory.answers.put_nowait(principal(Tool.INVOICES))
    assert await asyncio.gather(*turns) == [principal(Tool.INVOICES)] * 3
    assert directory.asked == [ANNA, ANNA]


async def test_a_failed_lookup_fails_the_turns_that_waited_and_the_next_turn_looks_again() -> None:
    directory = Directory()
    principals = cache(directory, Clock())
    turns = [asyncio.ensure_future(principals.get(ANNA)) for _ in range(3)]
    await settle()
    directory.answers.put_nowait(BackendUnavailable("directory down"))
    results: list[Any] = await asyncio.gather(*turns, return_exceptions=True)
    assert [type(r) for r in results] == [BackendUnavailable] * 3
    assert principals.fresh(ANNA) is None
    directory.answers.put_nowait(principal())
    assert await principals.get(ANNA) == principal()
    assert directory.asked == [ANNA, ANNA]


async def test_a_turn_cancelled_while_waiting_leaves_the_lookup_to_the_others() -> None:
    directory = Directory()
    principals = cache(directory, Clock())
    first, second = asyncio.ensure_future(principals.get(ANNA)), asyncio.ensure_future(principals.get(ANNA))
    await settle()
    first.cancel()  # the turn that started the lookup: its visitor went away
    await settle()
    directory.answers.put_nowait(principal(Tool.ORDERS))
    assert await second == principal(Tool.ORDERS)
    with pytest.raises(asyncio.CancelledError):
        await first
    assert directory.asked == [ANNA]
    assert principals.fresh(ANNA) == (principal(Tool.ORDERS),)


async def test_grants_changed_during_a_lookup_are_looked_up_again_and_cached() -> None:
    """The grants change while a lookup is under way (it may have read them before): the next turn
    looks up again, and the earlier lookup's answer is not the one cached."""
    directory = Directory()
    principals = cache(directory, Clock())
    before = asyncio.ensure_future(principals.get(ANNA))
    await settle()
    principals.forget(ANNA)
    after = asyncio.ensure_future(principals.get(ANNA))
    await settle()
    assert directory.asked == [ANNA, ANNA]
    directory.answers.put_nowait(principal())  # what the first read, before the change
    directory.answers.put_nowait(principal(Tool.INVOICES))
    assert await before == principal() and await after == principal(Tool.INVOICES)
    assert principals.fresh(ANNA) == (principal(Tool.INVOICES),)
