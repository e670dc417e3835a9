"""A family's own back end is added once under its typed key and found by it; misuse fails at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from supportbot.integrations.protocols import BackendKey, Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.database import open_engine


class Clock:
    def tell(self) -> str:
        return "noon"


CLOCK: BackendKey[Clock] = BackendKey("clock")


@pytest.fixture
async def backends() -> AsyncIterator[Backends]:
    engine = open_engine("sqlite+aiosqlite://")  # never connected: only the set of back ends is used
    yield sql_backends(engine)
    await engine.dispose()


def test_an_added_back_end_is_found_by_its_key(backends: Backends) -> None:
    clock = Clock()
    backends.extend(CLOCK, clock)
    assert backends.extension(CLOCK) is clock
    assert backends.extension(BackendKey[Clock]("clock")).tell() == "noon"  # the name is the key


def test_a_back_end_added_twice_fails(backends: Backends) -> None:
    backends.extend(CLOCK, Clock())
    with pytest.raises(ValueError, match="'clock' is added twice"):
        backends.extend(CLOCK, Clock())


def test_a_back_end_never_added_fails_loudly(backends: Backends) -> None:
    with pytest.raises(LookupError, match="no back end 'clock'"):
        backends.extension(CLOCK)
