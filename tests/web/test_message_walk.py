"""The walk of one web chat message: adapter → pipeline → dialog → handler → back end → render.

Every call made inside the ``supportbot`` package while the server answers one order question is
recorded with its chain of callers (the coroutine chain, which is what a reader follows). In no chain
does a module come back after the walk has gone on to another one: a module that calls out never
gets called back by what it called. That keeps the layers honest at run time, not only in imports.
"""

from __future__ import annotations

import json
import sys
from types import FrameType
from typing import Any

import pytest

from tests.web.webchat_helpers import ANNA, Browser

pytestmark = pytest.mark.asyncio(loop_scope="module")

PACKAGE = "supportbot."
ONE_PART = ("supportbot.integrations.sql",)
"""Packages walked as one part: the SQL back end's modules hand each other work (its tenant scope runs
a query function of the back end that asked), which is the inside of one back end, not a way back."""


def _part(name: str) -> str:
    return next((part for part in ONE_PART if name.startswith(part + ".")), name)


def _chain(frame: FrameType | None) -> tuple[str, ...]:
    """The supportbot modules on ``frame``'s chain of callers, outermost first, repeats collapsed."""
    modules: list[str] = []
    while frame is not None:
        name = _part(frame.f_globals.get("__name__", ""))
        if name.startswith(PACKAGE) and (not modules or modules[-1] != name):
            modules.append(name)
        frame = frame.f_back
    return tuple(reversed(modules))


def _returns(chain: tuple[str, ...]) -> str | None:
    """The first module that appears twice in ``chain`` (called back by something it called)."""
    seen: set[str] = set()
    for module in chain:
        if module in seen:
            return module
        seen.add(module)
    return None


async def test_one_order_question_walks_the_layers_once(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat()
    chains: set[tuple[str, ...]] = set()

    def record(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_globals.get("__name__", "").startswith(PACKAGE):
            chains.add(_chain(frame))

    sys.setprofile(record)
    try:
        frame = await chat.say("where is my order 4711?")
    finally:
        sys.setprofile(None)
    await chat.close()

    assert "4711" in json.dumps(frame["reply"])
    walked = {module for chain in chains for module in chain}
    for layer in ("adapters.webchat", "bot.pipeline", "bot.dialog", "intents.orders", "integrations.sql"):
        assert any(module.startswith(PACKAGE + layer) for module in walked), f"the walk skipped {layer}"
    back = sorted({f"{_returns(chain)} in {' → '.join(chain)}" for chain in chains if _returns(chain)})
    assert not back, "a module was called back by what it called:\n" + "\n".join(back)
