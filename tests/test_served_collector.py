"""``serve`` keeps what lives as long as the process out of the garbage collector's reach: what
start-up built, and each NLU an agent's "Learned" swaps in later, so a full collection never walks
the NLU's tens of thousands of objects again on a turn's way. What a turn left as garbage is
collected first, never frozen with them."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from supportbot.adapters.app import Application
from supportbot.adapters.cli import collect_as_served


class _TurnLeftover:
    """A turn's garbage: objects in a cycle, which only the collector frees."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as it was, afterwards: the rest of the tests run unfrozen."""
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.fixture
async def served(application: Application, collector: None) -> Application:
    collect_as_served(application)
    return application


async def test_an_nlu_swapped_in_by_a_reload_is_frozen_and_a_turn_s_garbage_is_not(
    served: Application,
) -> None:
    before = served.nlu.current
    frozen = gc.get_freeze_count()
    gc.disable()  # no collection on its own: the leftover below is freed by the reload's, or never
    leftover = _TurnLeftover()
    gone = weakref.ref(leftover)
    del leftover

    await served.nlu.reload()

    nlu = served.nlu.current
    assert nlu is not before
    parts = [part for part in gc.get_referents(nlu) if gc.is_tracked(part)]
    assert parts  # the model's tables and vectors, which a full collection would walk
    collected = {id(tracked) for tracked in gc.get_objects()}  # every generation but the frozen one
    assert id(nlu) not in collected
    assert not [part for part in parts if id(part) in collected]
    assert gc.get_freeze_count() > frozen + 10_000  # the new NLU, not a handful of objects
    assert gone() is None  # collected before the freeze, not kept for good
