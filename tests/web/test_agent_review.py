"""The agent console's review list over the real server: a customer's message the assistant did not
understand shows up (masked, with its conversation, without the customer), an agent assigns it an
intent and the same kind of message is understood at once, with the server still running; out of
scope and dismissed ones leave the list; the examples export as CSV. Only a signed-in agent gets any
of it, and only from the console's own origin.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from supportbot.adapters.app import Application
from supportbot.adapters.server import APP_KEY
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.test_agent_console import (
    OLLE,
    SARA,
    Agent,
    customer,
    customer_browser,
    new_agent,
    server_with_two_agents,
)
from tests.web.webchat_helpers import ANNA

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOT_UNDERSTOOD = "has the courier picked up my crate"
SAME_KIND = "did the courier pick up my crate yet"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    """The demo data and a second agent (a copy of Sara with another id)."""
    test_server = await server_with_two_agents(web_settings(demo_data_dir(tmp_path_factory, seeded_template)))
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


def application(server: TestServer) -> Application:
    return server.app[APP_KEY]


async def review(agent: Agent) -> dict[str, Any]:
    await agent.send({"type": "review"})
    return await agent.until("review")


def line(listing: dict[str, Any], text: str) -> dict[str, Any]:
    found = [item for item in listing["items"] if item["text"] == text]
    assert len(found) == 1, listing["items"]
    return found[0]


async def examples(agent: Agent) -> list[dict[str, str]]:
    async with agent.session.get(agent.server.make_url("/agents/api/review/examples.csv")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.headers["Content-Disposition"].startswith("attachment;")
        text = (await response.read()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


async def intents_said(app: Application, conversation: str) -> list[str | None]:
    return [
        t.payload.get("intent") if t.payload else None
        for t in await app.store.history(conversation)
        if t.role == "bot"
    ]


async def test_a_miss_assigned_in_the_console_is_understood_without_a_restart(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    app = application(server)
    chat = await customer(server, sessions)
    await chat.say(f"{NOT_UNDERSTOOD}? mail me at anna.berg@nordisk.example")
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    listing = await review(sara)
    assert "order.status" in listing["intents"] and "none" not in listing["intents"]
    miss = line(listing, f"{NOT_UNDERSTOOD}? mail me at [e-mail]")
    assert (miss["reason"], miss["intent"], miss["language"], miss["channel"]) == (
        "not_understood",
        "none",
        "en",
        "web",
    )
    assert ANNA not in str(miss) and miss["conversation"]
    assert await intents_said(app, miss["conversation"]) == ["none"]  # the link leads to the transcript

    await sara.send({"type": "review_assign", "id": miss["id"], "intent": "order.status"})
    result = await sara.until("result", action="review_assign")
    assert result["ok"] and result["version"] == 1
    (changed,) = [f for f in sara.seen if f["type"] == "review_changed"]  # every console's, before the result
    assert (changed["id"], changed["status"], changed["assigned"]) == (miss["id"], "assigned", "order.status")
    assert all(item["id"] != miss["id"] for item in (await review(sara))["items"])

    await chat.say(SAME_KIND)  # the same server, the same kind of message: understood now
    assert (await intents_said(app, miss["conversation"]))[-1] == "order.status"
    assert {"text": f"{NOT_UNDERSTOOD}? mail me at [e-mail]", "intent": "order.status", "language": "en"} in (
        await examples(sara)
    )

    await sara.send({"type": "review_assign", "id": miss["id"], "intent": "order.search"})
    late = await sara.until("result", action="review_assign")
    assert not late["ok"]  # resolved already: nothing changes
    await chat.close()


async def test_out_of_scope_and_dismissed_leave_the_list_and_only_the_first_is_learned(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    chat = await customer(server, sessions)
    await chat.say("the blue elephant sings loudly")
    await chat.say("zebras dance at midnight")
    sara, olle = await new_agent(server, sessions, SARA), await new_agent(server, sessions, OLLE)
    await sara.connect()
    await olle.connect()
    listing = await review(sara)
    elephant = line(listing, "the blue elephant sings loudly")
    zebras = line(listing, "zebras dance at midnight")

    await sara.send({"type": "review_out_of_scope", "id": elephant["id"]})
    assert (await sara.until("result", action="review_out_of_scope"))["ok"]
    changed = await olle.until("review_changed")  # another agent's list follows
    assert (changed["id"], changed["status"], changed["assigned"]) == (elephant["id"], "out_of_scope", "none")
    await sara.send({"type": "review_dismiss", "id": zebras["id"]})
    assert (await sara.until("result", action="review_dismiss"))["ok"]
    left = {item["text"] for item in (await review(sara))["items"]}
    assert not left & {"the blue elephant sings loudly", "zebras dance at midnight"}
    learned = await examples(sara)
    assert {"text": "the blue elephant sings loudly", "intent": "none", "language": "en"} in learned
    assert all(row["text"] != "zebras dance at midnight" for row in learned)

    await sara.send({"type": "review_reload"})
    reloaded = await sara.until("result", action="review_reload")
    assert reloaded["ok"] and reloaded["version"] >= 1
    await chat.close()


async def test_frames_that_are_not_a_review_action_are_refused(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    chat = await customer(server, sessions)
    await chat.say("purple monkeys juggle quietly")
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    miss = line(await review(sara), "purple monkeys juggle quietly")
    for frame in (
        {"type": "review_assign", "id": miss["id"], "intent": "not.an.intent"},
        {"type": "review_assign", "id": miss["id"], "intent": "none"},  # that is "out of scope"
        {"type": "review_assign", "id": miss["id"]},
        {"type": "review_dismiss"},
        {"type": "review_dismiss", "id": "x" * 33},
        {"type": "review_anything", "id": miss["id"]},
    ):
        await sara.send(frame)
        assert (await sara.until("error"))["code"] == "bad_frame", frame
    assert line(await review(sara), "purple monkeys juggle quietly")["status"] == "open"
    await chat.close()


async def test_only_a_signed_in_agent_from_the_console_gets_the_review(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    url = server.make_url("/agents/api/review/examples.csv")
    stranger = await new_agent(server, sessions, None)
    async with stranger.session.get(url) as response:
        assert response.status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await stranger.connect()
    assert refused.value.status == 401

    anna = await customer_browser(server, sessions)  # a customer signed in to the web chat
    async with anna.session.get(url) as response:  # type: ignore[attr-defined]
        assert response.status == 401
    assert (await Agent(server, anna.session).login(ANNA)).status == 401  # type: ignore[attr-defined]
    async with anna.session.get(url) as response:  # type: ignore[attr-defined]
        assert response.status == 401

    sara = await new_agent(server, sessions, SARA)
    with pytest.raises(aiohttp.WSServerHandshakeError) as cross_site:
        await sara.session.ws_connect(
            server.make_url("/agents/ws"), headers={"Origin": "https://evil.example"}
        )
    assert cross_site.value.status == 403  # review frames travel only on the console's own WebSocket
    async with sara.session.get(url) as response:
        assert response.status == 200
