"""The agent console over the real server: agents sign in, see the queue live, race for a
conversation (one wins), talk with the customer in the web chat both ways, hand back and close.

sara@support.example is the demo agent; a second agent is added to the directory here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import InboundFile
from supportbot.integrations.sql.schema import users
from tests.conftest import Conversation
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, Browser, Chat

pytestmark = pytest.mark.asyncio(loop_scope="module")

SARA = "sara@support.example"
OLLE = "olle@support.example"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    """Office hours around the clock, and a second agent (a copy of Sara with another id)."""
    settings = web_settings(demo_data_dir(tmp_path_factory, seeded_template), office_hours="")
    test_server = await server_with_two_agents(settings)
    yield test_server
    await test_server.close()


async def server_with_two_agents(settings: Settings) -> TestServer:
    """A started server on ``settings`` whose demo data has a second agent, Olle (a copy of Sara)."""
    app = await build_application(settings)
    async with app.engine.begin() as conn:
        row = (await conn.execute(select(users).where(users.c.user_id == SARA))).mappings().one()
        await conn.execute(users.insert().values({**row, "user_id": OLLE, "name": "Olle"}))
    test_server = TestServer(create_web_app(app))
    await test_server.start_server()
    return test_server


class Agent:
    """One agent's browser: its own cookie jar, signed in to the console, with its WebSocket."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.origin = str(server.make_url("/").origin())
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.seen: list[dict[str, Any]] = []

    async def login(self, user: str, password: str = DEMO_PASSWORD) -> aiohttp.ClientResponse:
        response = await self.session.post(
            self.server.make_url("/agents/api/login"),
            json={"user": user, "password": password},
            headers={"Origin": self.origin},
        )
        await response.read()
        return response

    async def connect(self) -> dict[str, Any]:
        self.ws = await self.session.ws_connect(
            self.server.make_url("/agents/ws"), headers={"Origin": self.origin}
        )
        ready = await self.frame()
        assert ready["type"] == "ready", ready
        queue = await self.frame()
        assert queue["type"] == "queue", queue
        return queue

    async def frame(self, timeout: float = 10.0) -> dict[str, Any]:
        assert self.ws is not None
        message = await self.ws.receive(timeout=timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame = json.loads(message.data)
        self.seen.append(frame)
        return dict(frame)

    async def until(self, kind: str, **match: Any) -> dict[str, Any]:
        while True:
            frame = await self.frame()
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(frame))


@pytest_asyncio.fixture(loop_scope="module")
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


async def new_agent(server: TestServer, sessions: list[aiohttp.ClientSession], user: str | None) -> Agent:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    agent = Agent(server, session)
    if user is not None:
        response = await agent.login(user)
        assert response.status == 200, response.status
    return agent


async def customer_browser(server: TestServer, sessions: list[aiohttp.ClientSession]) -> Browser:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    browser = Browser(server, session)  # type: ignore[arg-type]  # make_url is all it uses
    await browser.whoami()
    assert (await browser.login(ANNA)).status == 200
    return browser


async def customer(server: TestServer, sessions: list[aiohttp.ClientSession]) -> Chat:
    return await (await customer_browser(server, sessions)).chat()


async def handed_off(chat: Chat) -> str:
    reply = (await chat.say("talk to a person"))["reply"]
    assert "HO-" in reply["text"], reply
    return "HO-" + reply["text"].split("HO-", 1)[1][:6]


async def test_an_agent_signs_in_and_sees_the_queue(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    agent = await new_agent(server, sessions, SARA)
    async with agent.session.get(server.make_url("/agents/api/session")) as response:
        assert (await response.json())["agent"]["id"] == SARA
    queue = await agent.connect()
    assert isinstance(queue["items"], list)
    async with agent.session.get(server.make_url("/agents")) as page:
        assert page.status == 200
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]


async def test_a_customer_or_a_stranger_is_refused(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    anna = await new_agent(server, sessions, None)
    assert (await anna.login(ANNA)).status == 401  # like a wrong password: nothing tells it was right
    assert (await anna.login(SARA, "wrong")).status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await anna.connect()
    assert refused.value.status == 401
    sara = await new_agent(server, sessions, SARA)
    with pytest.raises(aiohttp.WSServerHandshakeError) as cross_site:
        await sara.session.ws_connect(
            server.make_url("/agents/ws"), headers={"Origin": "https://evil.example"}
        )
    assert cross_site.value.status == 403


async def test_two_agents_race_and_one_wins(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara, olle = await new_agent(server, sessions, SARA), await new_agent(server, sessions, OLLE)
    await sara.connect()
    await olle.connect()
    chat = await customer(server, sessions)
    number = await handed_off(chat)
    for agent in (sara, olle):
        queued = await agent.until("queued")
        assert queued["handoff"]["number"] == number
    await asyncio.gather(
        sara.send({"type": "take", "number": number}), olle.send({"type": "take", "number": number})
    )
    results = [await sara.until("result", number=number), await olle.until("result", number=number)]
    assert sorted(r["ok"] for r in results) == [False, True]
    winner = SARA if results[0]["ok"] else OLLE
    for agent in (sara, olle):
        while not any(f["type"] == "taken" for f in agent.seen):
            await agent.frame()
        taken = [f for f in agent.seen if f["type"] == "taken" and f["number"] == number]
        assert [f["agent"] for f in taken] == [winner]  # both see who has it
    await chat.close()


async def test_relay_both_ways_and_hand_back(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    browser = await customer_browser(server, sessions)
    chat = await browser.chat()
    await chat.say("where is my order 4711?")
    number = await handed_off(chat)
    await sara.send({"type": "take", "number": number})
    assert (await sara.until("result", number=number))["ok"]
    conversation = await sara.until("conversation")
    assert conversation["handoff"]["number"] == number
    assert conversation["customer"]["company"] == "Nordisk Verkstad AB"
    assert "invoices" in conversation["customer"]["grants"]
    assert any(o["number"] == "4711" for o in conversation["customer"]["orders"])
    first = next(r for r in conversation["customer"]["requests"] if r["number"] == "RQ-2026-000001")
    assert first["due_at"].startswith("20")  # agents see when the answer is due
    assert [line["text"] for line in conversation["transcript"]][:1] == ["where is my order 4711?"]
    joined = await chat.until("notice")  # the customer is told who joined, by first name
    assert joined["event"] == "agent_joined"
    assert joined["reply"]["text"] == "Sara from support has joined the chat."

    silent = await chat.say("my invoice looks wrong")
    assert silent["reply"]["text"] == ""
    line = await sara.until("message", number=number)
    assert (line["role"], line["text"]) == ("user", "my invoice looks wrong")

    await sara.send({"type": "typing", "number": number, "on": True})
    assert (await chat.until("typing")) == {"type": "typing", "on": True, "agent": "Sara"}
    await sara.send({"type": "reply", "number": number, "text": "Hi Anna, <b>let me</b> check."})
    said = await chat.until("agent")
    assert said["text"] == "Hi Anna, <b>let me</b> check."  # as text: the widget never parses it as HTML
    assert said["agent"] == sara.seen[0]["agent"]["name"].split()[0] == "Sara"
    again = await browser.chat()  # a reload: the agent's line is in the history, with who wrote it
    assert again.history[-1] == {
        "role": "bot",
        "text": "Hi Anna, <b>let me</b> check.",
        "reply": again.history[-1]["reply"],
        "at": again.history[-1]["at"],
        "agent": said["agent"],
    }
    await again.close()

    await sara.send({"type": "hand_back", "number": number})
    assert (await sara.until("result", number=number, action="hand_back"))["ok"]
    back = await chat.until("notice")
    assert back["event"] == "agent_left"
    assert back["reply"]["text"].startswith("Sara has left the chat, and I'm back.")
    assert back["reply"]["buttons"] == []  # the agent answered the last question
    reply = (await chat.say("where is my order 4711?"))["reply"]
    assert "PostNord" in json.dumps(reply)
    await chat.close()


async def test_close_with_a_resolution(server: TestServer, sessions: list[aiohttp.ClientSession]) -> None:
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    chat = await customer(server, sessions)
    number = await handed_off(chat)
    await sara.send({"type": "take", "number": number})
    await sara.until("conversation")
    await sara.send({"type": "close", "number": number, "resolution": "Answered on the phone"})
    assert (await sara.until("result", number=number, action="close"))["ok"]
    assert (await chat.until("notice"))["event"] == "agent_joined"
    assert "Sara has closed this conversation" in (await chat.until("notice"))["reply"]["text"]
    app = server.app[APP_KEY]
    handoff = await app.handoffs.get(number)
    assert handoff is not None and handoff.resolution == "Answered on the phone"
    await chat.close()


async def test_the_agent_sees_the_customer_typing(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    chat = await customer(server, sessions)
    await chat.send({"type": "typing", "on": True})  # not handed off: nobody hears it, nothing is answered
    number = await handed_off(chat)
    await sara.send({"type": "take", "number": number})
    await sara.until("conversation")
    await chat.send({"type": "typing", "on": False})
    await chat.send({"type": "typing", "on": True})
    typing = await sara.until("typing", number=number, on=True)
    assert typing["on"] is True and typing["role"] == "user"
    await sara.send({"type": "hand_back", "number": number})
    await chat.close()


async def test_a_file_the_customer_sends_reaches_the_agent_and_only_agents(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await new_agent(server, sessions, SARA)
    await sara.connect()
    app = server.app[APP_KEY]
    chat = Conversation(app, ANNA, capabilities=frozenset({"forms", "files"}))
    reply = await chat.say("talk to a person")
    number = "HO-" + reply.text.split("HO-", 1)[1][:6]
    await sara.send({"type": "take", "number": number})
    await sara.until("conversation")

    log = InboundFile(name='boot "1".log', content_type="text/plain", data=b"B2001234 at power-on\n")
    silent = await chat.say("here is the log", files=(log,))
    assert silent.silent  # the agent has the conversation: the bot says nothing, the agent gets it
    line = await sara.until("message", number=number)
    assert line["text"].startswith("here is the log")
    (sent,) = line["files"]
    assert (sent["name"], sent["size"]) == ('boot "1".log', len(log.data))

    url = server.make_url(f"/agents/api/files/{sent['id']}")
    async with sara.session.get(url) as response:
        assert response.status == 200
        assert await response.read() == log.data
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    customer_session = (await customer_browser(server, sessions)).session
    async with customer_session.get(url) as response:
        assert response.status == 401  # the customer's own web session is not an agent's
    async with sara.session.get(server.make_url("/agents/api/files/not-a-file")) as response:
        assert response.status == 404

    # The transcript the next agent opens keeps the file too.
    await sara.send({"type": "open", "number": number})
    opened = await sara.until("conversation")
    assert any(f.get("id") == sent["id"] for t in opened["transcript"] for f in t.get("files", []))


async def test_a_changed_password_ends_the_agents_console_session(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    olle = await new_agent(server, sessions, OLLE)
    async with olle.session.get(server.make_url("/agents/api/session")) as response:
        assert (await response.json())["agent"]["id"] == OLLE
    directory = server.app[APP_KEY].backends.directory
    stamp = await directory.credential_stamp(OLLE)
    assert stamp is not None
    assert await directory.set_password(OLLE, "a brand new passphrase", stamp=stamp)
    async with olle.session.get(server.make_url("/agents/api/session")) as response:
        assert (await response.json())["agent"] is None  # the old cookie no longer signs Olle in
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await olle.connect()
    assert refused.value.status == 401
    assert (await olle.login(OLLE)).status == 401  # the old password is gone
    assert (await olle.login(OLLE, "a brand new passphrase")).status == 200
    async with olle.session.get(server.make_url("/agents/api/session")) as response:
        assert (await response.json())["agent"]["id"] == OLLE


async def test_the_console_speaks_the_agents_language(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    """The page's words come from the registry: the language asked for, else the browser's, else the
    account's; counted sentences carry their plural forms. The WebSocket follows the page's choice."""
    agent = await new_agent(server, sessions, SARA)
    words = server.make_url("/agents/api/words")
    async with agent.session.get(words, params={"lang": "sv"}) as response:
        swedish = await response.json()
    assert swedish["language"] == "sv"
    assert swedish["words"]["take"] == "Ta över"
    assert swedish["words"]["unread"] == {"one": "{n} oläst", "other": "{n} olästa"}
    assert swedish["plural"]["unread"] == "n"
    assert swedish["wait_target"] == 300
    async with agent.session.get(words, headers={"Accept-Language": "sv-SE,sv;q=0.9"}) as response:
        assert (await response.json())["language"] == "sv"
    async with agent.session.get(words, params={"lang": "xx"}, headers={"Accept-Language": "de"}) as response:
        english = await response.json()
    assert english["language"] == "en"
    assert english["words"]["take"] == "Take over"
    async with agent.session.get(server.make_url("/agents/api/session")) as response:
        assert (await response.json())["agent"]["language"] == "en"  # the account's, the last choice

    agent.ws = await agent.session.ws_connect(
        server.make_url("/agents/ws").with_query(lang="sv"), headers={"Origin": agent.origin}
    )
    ready = await agent.frame()
    assert ready["agent"]["language"] == "sv"
    assert ready["wait_target"] == 300


async def test_the_wait_target_is_a_setting(
    tmp_path_factory: pytest.TempPathFactory,
    seeded_template: Path,
    sessions: list[aiohttp.ClientSession],
) -> None:
    settings = web_settings(
        demo_data_dir(tmp_path_factory, seeded_template), office_hours="", handoff_wait_target_minutes=12
    )
    test_server = await server_with_two_agents(settings)
    try:
        agent = await new_agent(test_server, sessions, SARA)
        async with agent.session.get(test_server.make_url("/agents/api/words")) as response:
            assert (await response.json())["wait_target"] == 12 * 60
        agent.ws = await agent.session.ws_connect(
            test_server.make_url("/agents/ws"), headers={"Origin": agent.origin}
        )
        assert (await agent.frame())["wait_target"] == 12 * 60
    finally:
        await test_server.close()
