"""The agent workspace over the real server: canned replies (support administrators manage them, agents
read them, customers reach nothing), internal notes that no channel ever receives, transfer to another
agent, the away status the handoff decision respects, and search in transcripts.

Sara and Olle are agents, Jonas is a support administrator (an agent who also manages the team).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from supportbot.adapters.server import APP_KEY
from supportbot.bot.handoff import conversation_topic
from supportbot.bot.messages import Reply
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.test_agent_console import (
    OLLE,
    SARA,
    Agent,
    customer_browser,
    handed_off,
    new_agent,
    server_with_two_agents,
    sessions,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

__all__ = ["sessions"]  # the fixture, shared with the console's tests

JONAS = "jonas@support.example"
THANKS = {"language": "en", "shortcut": "thanks", "title": "Thanks", "text": "Thanks for waiting, {name}."}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    settings = web_settings(demo_data_dir(tmp_path_factory, seeded_template), office_hours="")
    test_server = await server_with_two_agents(settings)
    yield test_server
    await test_server.close()


async def canned(
    agent: Agent, method: str, path: str = "", body: Any = None, origin: str | None = None
) -> tuple[int, Any]:
    headers = {"Origin": origin or agent.origin}
    async with agent.session.request(
        method, agent.server.make_url("/agents/api/canned" + path), json=body, headers=headers
    ) as response:
        data = await response.json() if response.content_type == "application/json" else None
        return response.status, data


async def test_support_administrators_manage_canned_replies_and_agents_only_read_them(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    jonas, sara = await new_agent(server, sessions, JONAS), await new_agent(server, sessions, SARA)
    await sara.connect()

    status, made = await canned(jonas, "POST", body=THANKS)
    assert status == 201 and made["shortcut"] == "thanks" and made["updated_by"] == JONAS
    assert (await sara.until("canned_changed"))["type"] == "canned_changed"  # open consoles hear of it
    assert (await canned(jonas, "POST", body=THANKS))[0] == 409  # one /thanks per language
    swedish = {**THANKS, "language": "sv", "text": "Tack för att du väntade, {name}."}
    assert (await canned(jonas, "POST", body=swedish))[0] == 201

    status, listed = await canned(sara, "GET")
    assert status == 200 and {(c["language"], c["shortcut"]) for c in listed["items"]} == {
        ("en", "thanks"),
        ("sv", "thanks"),
    }
    status, only_swedish = await canned(sara, "GET", "?language=sv")
    assert [c["text"] for c in only_swedish["items"]] == ["Tack för att du väntade, {name}."]

    # An agent who is not a support administrator reads them but changes nothing.
    assert (await canned(sara, "POST", body={**THANKS, "shortcut": "mine"}))[0] == 403
    assert (await canned(sara, "PUT", f"/{made['id']}", body={**THANKS, "text": "x"}))[0] == 403
    assert (await canned(sara, "DELETE", f"/{made['id']}"))[0] == 403

    # The administrator's own changes: refused when not the documented shape, or from another site.
    for bad in (
        {**THANKS, "language": "de"},
        {**THANKS, "shortcut": "Two words"},
        {**THANKS, "text": ""},
        [],
    ):
        assert (await canned(jonas, "POST", body=bad))[0] == 400, bad
    assert (await canned(jonas, "POST", body=THANKS, origin="https://evil.example"))[0] == 403
    status, changed = await canned(jonas, "PUT", f"/{made['id']}", body={**THANKS, "title": "Thank you"})
    assert status == 200 and changed["title"] == "Thank you"
    assert (await canned(jonas, "PUT", "/999999", body=THANKS))[0] == 404
    assert (await canned(jonas, "DELETE", f"/{made['id']}"))[0] == 204
    assert (await canned(jonas, "DELETE", f"/{made['id']}"))[0] == 404
    await sara.send({"type": "canned"})
    assert [c["language"] for c in (await sara.until("canned"))["items"]] == ["sv"]


async def test_customers_and_strangers_reach_none_of_the_workspace(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    """A signed-in customer's web chat cookie opens neither the canned replies nor the console's socket,
    where notes, transfers, statuses and the search live."""
    anna = await customer_browser(server, sessions)
    stranger = await new_agent(server, sessions, None)
    for who in (Agent(server, anna.session), stranger):
        assert (await canned(who, "GET"))[0] == 401
        assert (await canned(who, "POST", body=THANKS))[0] == 401
        assert (await canned(who, "DELETE", "/1"))[0] == 401
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await who.connect()
        assert refused.value.status == 401


async def test_a_note_reaches_agents_and_no_channel_of_the_customer(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    app = server.app[APP_KEY]
    sara, olle = await new_agent(server, sessions, SARA), await new_agent(server, sessions, OLLE)
    await sara.connect()
    await olle.connect()
    browser = await customer_browser(server, sessions)
    chat = await browser.chat()
    number = await handed_off(chat)
    handoff = await app.handoffs.get(number)
    assert handoff is not None
    # Everything that could carry a line to the customer: the live chat's topic and the outside channels.
    heard: list[dict[str, Any]] = []
    unsubscribe = await app.bus.subscribe(conversation_topic(handoff.conversation_key), _record(heard))
    outside: list[Reply] = []
    real_outside = app.handoffs._outside

    async def record_outside(channel: str, user_id: str, reply: Reply) -> bool:
        outside.append(reply)
        return True

    app.handoffs._outside = record_outside
    try:
        await sara.send({"type": "take", "number": number})
        assert (await sara.until("result", number=number, action="take"))["ok"]
        assert (await chat.until("notice"))["event"] == "agent_joined"
        await olle.send({"type": "open", "number": number})
        await olle.until("conversation")
        note = "Dispute: check credit note CN-12 before answering"
        await sara.send({"type": "note", "number": number, "text": note})
        assert (await sara.until("result", action="note", number=number))["ok"]
        seen_by_olle = await olle.until("note", number=number)
        assert (seen_by_olle["text"], seen_by_olle["agent"]) == (note, SARA)
        await sara.send({"type": "reply", "number": number, "text": "Let me check that for you."})
        assert (await chat.until("agent"))["text"] == "Let me check that for you."

        assert all(note not in str(frame) for frame in chat.seen)  # the open chat
        assert all(note not in str(message) for message in heard) and heard  # its topic, on any worker
        assert all(note not in reply.text for reply in outside)  # Slack, Teams
        turns = await app.store.history(handoff.conversation_key, limit=200)
        assert all(note not in turn.text for turn in turns)  # the transcript, which every channel reads
        again = await browser.chat()  # a reload
        assert all(note not in str(item) for item in again.history)
        await again.close()

        await olle.send({"type": "open", "number": number})  # agents find it again with the conversation
        reopened = await olle.until("conversation")
        assert [n["text"] for n in reopened["notes"]] == [note]
        await sara.send({"type": "note", "number": number, "text": " "})
        assert (await sara.until("error", number=number))["code"] == "bad_frame"
    finally:
        app.handoffs._outside = real_outside
        unsubscribe()
    await sara.send({"type": "hand_back", "number": number})
    await sara.until("result", action="hand_back", number=number)
    await chat.close()


async def test_a_transfer_gives_the_conversation_to_another_agent(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara, olle = await new_agent(server, sessions, SARA), await new_agent(server, sessions, OLLE)
    await sara.connect()
    await olle.connect()
    chat = await (await customer_browser(server, sessions)).chat()
    number = await handed_off(chat)
    await sara.send({"type": "take", "number": number})
    assert (await sara.until("result", number=number, action="take"))["ok"]
    assert (await chat.until("notice"))["event"] == "agent_joined"

    await olle.send({"type": "transfer", "number": number, "to": SARA})  # not his to give away
    assert not (await olle.until("result", action="transfer"))["ok"]
    await sara.send({"type": "transfer", "number": number, "to": "anna.berg@nordisk.example"})
    assert not (await sara.until("result", action="transfer"))["ok"]  # a customer is no agent
    await sara.send({"type": "transfer", "number": number, "to": OLLE})
    assert (await sara.until("result", action="transfer"))["ok"]
    taken = await olle.until("taken", number=number, agent=OLLE)
    assert taken["transferred_by"] == SARA
    told = await chat.until("notice")  # the customer knows who has the chat now
    assert (told["event"], told["reply"]["text"]) == (
        "agent_joined",
        "Olle from support has taken over the chat.",
    )

    await sara.send({"type": "reply", "number": number, "text": "Still me?"})
    assert not (await sara.until("result", action="reply"))["ok"]  # Sara's no longer
    await olle.send({"type": "reply", "number": number, "text": "Olle here, I'll take it from now."})
    said = await chat.until("agent")
    assert (said["text"], said["agent"]) == ("Olle here, I'll take it from now.", "Olle")
    await olle.send({"type": "hand_back", "number": number})
    assert (await olle.until("result", action="hand_back"))["ok"]
    await chat.close()


async def test_away_agents_do_not_count_as_available(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    app = server.app[APP_KEY]
    sara, olle = await new_agent(server, sessions, SARA), await new_agent(server, sessions, OLLE)
    await sara.connect()
    await olle.connect()
    assert await app.handoffs.agents_online() >= 2
    await sara.send({"type": "agents"})
    present = {a["id"]: a["status"] for a in (await sara.until("agents"))["items"]}
    assert present[SARA] == present[OLLE] == "available"

    for agent in (sara, olle):
        await agent.send({"type": "status", "status": "away"})
        assert (await agent.until("result", action="status"))["status"] == "away"
    heard = [f["status"] for f in olle.seen if f["type"] == "agent_status" and f["agent"] == SARA]
    assert heard == ["away"]  # every console hears it, for the list to transfer to
    assert await app.handoffs.agents_online() == 0
    chat = await (await customer_browser(server, sessions)).chat()
    reply = (await chat.say("talk to a person"))["reply"]
    assert "HO-" not in reply["text"] and "RQ-" in reply["text"]  # a request: nobody is available
    request = "RQ-" + reply["text"].split("RQ-", 1)[1][:11]
    assert (await sara.until("request_new"))["number"] == request  # on every console's work list, live

    await sara.send({"type": "status", "status": "available"})
    await sara.until("result", action="status")
    assert await app.handoffs.agents_online() == 1
    number = await handed_off(chat)  # queued now that Sara is back
    assert (await sara.until("queued"))["handoff"]["number"] == number
    await sara.send({"type": "status", "status": "busy"})
    assert (await sara.until("error"))["code"] == "bad_frame"
    await olle.send({"type": "status", "status": "available"})
    await olle.until("result", action="status")
    await sara.send({"type": "take", "number": number})
    await sara.until("result", action="take", number=number)
    await sara.send({"type": "hand_back", "number": number})
    await sara.until("result", action="hand_back", number=number)
    await chat.close()


async def test_search_finds_lines_of_handed_off_conversations(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    chat = await (await customer_browser(server, sessions)).chat()
    number = await handed_off(chat)
    await chat.say("the Zephyr-9 rack arrived with a broken 50%_rail")
    await sara.send({"type": "search", "text": "zephyr-9 RACK"})
    found = await sara.until("search")
    assert [(hit["number"], hit["role"]) for hit in found["items"]] == [(number, "user")]
    await sara.send({"type": "search", "text": "50%_r"})  # the wildcards of LIKE are just characters
    assert [hit["number"] for hit in (await sara.until("search"))["items"]] == [number]
    await sara.send({"type": "search", "text": "0%"})
    assert all("0%" in hit["text"] for hit in (await sara.until("search"))["items"])
    await sara.send({"type": "search", "text": "nothing like this was ever said"})
    assert (await sara.until("search"))["items"] == []
    for words in ("z", "x" * 101, None):
        await sara.send({"type": "search", "text": words})
        assert (await sara.until("error"))["code"] == "bad_frame"
    await sara.send({"type": "take", "number": number})
    await sara.until("result", action="take", number=number)
    await sara.send({"type": "hand_back", "number": number})
    await sara.until("result", action="hand_back", number=number)
    await chat.close()


def _record(into: list[dict[str, Any]]) -> Any:
    async def record(message: dict[str, Any]) -> None:
        into.append(message)

    return record
