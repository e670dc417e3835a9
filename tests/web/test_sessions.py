"""Sessions kept on the server, one sign-in for both doors, and message limits across connections.

Through the real aiohttp stack on a copy of the demo database: signing out ends a session for good
(its cookie and its open WebSockets, web chat and agent console alike); "sign out everywhere" and a
new password end all of a user's sessions; sessions end after an idle time and a lifetime; the web
chat's and the agent console's sign-in share one set of limits and give one answer for every failure;
and a session's or a user's messages are limited together, however many WebSockets carry them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.sessions import COOKIE_NAME
from supportbot.adapters.webchat import connection
from supportbot.integrations.sql.schema import users
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.test_webchat_password_reset import mailed_token, set_password
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, Browser, Chat, new_id

pytestmark = pytest.mark.asyncio(loop_scope="module")

SARA = "sara@support.example"
AGENT_COOKIE = "sb_agent"
PASSWORD = "correct horse battery"
_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own for each use, so one test's limits per address leave the others be."""
    n = next(_addresses)
    return f"198.19.{n // 250}.{n % 250 + 1}"


class Clock:
    """The server's clock, moved on by the tests: sessions age without anyone waiting."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path, clock: Clock
) -> AsyncIterator[TestServer]:
    """Client addresses from ``X-Forwarded-For`` (each test has its own) and the test's clock."""
    settings = web_settings(demo_data_dir(tmp_path_factory, seeded_template), trust_forwarded_for=True)
    app = await build_application(settings, clock=clock)
    test_server = TestServer(create_web_app(app))
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def jars() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


class Visitor(Browser):
    """A browser that comes from one client address (the web chat's and the agent console's doors)."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession, address: str) -> None:
        super().__init__(server, session)  # type: ignore[arg-type]  # make_url is all it uses
        self.address = address

    @property
    def headers(self) -> dict[str, str]:
        return {"Origin": self.origin, "X-Forwarded-For": self.address}

    async def post(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(path), json=body or {}, headers=self.headers) as response:
            return response.status, await response.json()

    async def login(self, user: str, password: str = DEMO_PASSWORD) -> aiohttp.ClientResponse:  # type: ignore[override]
        response = await self.session.post(
            self.url("/webchat/api/login"), json={"user": user, "password": password}, headers=self.headers
        )
        await response.read()
        return response

    async def agent_login(self, user: str, password: str = DEMO_PASSWORD) -> tuple[int, dict[str, Any]]:
        return await self.post("/agents/api/login", {"user": user, "password": password})

    async def agent_session(self, cookie: str | None = None) -> Any:
        cookies = {AGENT_COOKIE: cookie} if cookie is not None else None
        async with self.session.get(self.url("/agents/api/session"), cookies=cookies) as response:
            return (await response.json())["agent"]

    async def agent_ws(self) -> aiohttp.ClientWebSocketResponse:
        ws = await self.session.ws_connect(self.url("/agents/ws"), headers={"Origin": self.origin})
        assert json.loads((await ws.receive(timeout=5)).data)["type"] == "ready"
        return ws

    def agent_cookie(self) -> str | None:
        return next((c.value for c in self.session.cookie_jar if c.key == AGENT_COOKIE), None)


async def visitor(
    server: TestServer, jars: list[aiohttp.ClientSession], address: str | None = None
) -> Visitor:
    jar = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    jars.append(jar)
    browser = Visitor(server, jar, address or new_address())
    await browser.whoami()
    return browser


async def new_user(server: TestServer, *, agent: bool = False) -> str:
    """A user of its own for a test (a copy of Anna, or of the demo agent), with the demo password."""
    user_id = f"{'agent' if agent else 'user'}.{uuid.uuid4().hex[:10]}@example.test"
    app = server.app[APP_KEY]
    async with app.engine.begin() as conn:
        row = (
            (await conn.execute(select(users).where(users.c.user_id == (SARA if agent else ANNA))))
            .mappings()
            .one()
        )
        await conn.execute(users.insert().values({**row, "user_id": user_id}))
    return user_id


async def closed_with(ws: aiohttp.ClientWebSocketResponse, *, timeout: float = 5.0) -> int | None:
    """The close code the server sent, skipping frames that came before it."""
    while True:
        message = await ws.receive(timeout=timeout)
        if message.type is aiohttp.WSMsgType.CLOSE:
            return int(message.data)
        if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code
        assert message.type is aiohttp.WSMsgType.TEXT, message


async def ready_user(browser: Browser, cookie: str) -> Any:
    """Who the WebSocket's ready frame says a connection with this web chat cookie is."""
    ws = await browser.session.ws_connect(
        browser.url("/webchat/ws"), headers={"Origin": browser.origin, "Cookie": f"{COOKIE_NAME}={cookie}"}
    )
    try:
        return json.loads((await ws.receive(timeout=5)).data)["user"]
    finally:
        await ws.close()


async def user_of(browser: Browser, cookie: str) -> Any:
    response = await browser.session.get(browser.url("/webchat/api/session"), cookies={COOKIE_NAME: cookie})
    return (await response.json())["user"]


# --- item 3: signing out ends the session --------------------------------------------------------------


async def test_after_sign_out_the_old_web_cookie_is_a_guest_over_http_and_websocket(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    browser = await visitor(server, jars)
    user = await new_user(server)
    assert (await browser.login(user)).status == 200
    old = browser.cookie()
    assert old is not None and (await user_of(browser, old))["id"] == user
    assert (await browser.post("/webchat/api/logout"))[0] == 200
    other = await visitor(server, jars)  # someone who kept a copy of the cookie
    assert await user_of(other, old) is None
    assert await ready_user(other, old) is None


async def test_sign_out_closes_that_session_s_open_chat_at_once(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    browser, elsewhere = await visitor(server, jars), await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    assert (await elsewhere.login(user)).status == 200
    chat, other_chat = await browser.chat(), await elsewhere.chat()
    assert (await browser.post("/webchat/api/logout"))[0] == 200
    assert await closed_with(chat.ws) == 4001
    # the same user's other session goes on
    reply = await other_chat.say("hello")
    assert reply["type"] == "reply"
    await other_chat.close()


async def test_after_sign_out_the_old_agent_cookie_is_refused_and_its_console_closes(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    agent = await new_user(server, agent=True)
    browser = await visitor(server, jars)
    assert (await browser.agent_login(agent))[0] == 200
    old = browser.agent_cookie()
    assert old is not None
    ws = await browser.agent_ws()
    assert (await browser.post("/agents/api/logout"))[0] == 200
    assert await closed_with(ws) == 4001
    other = await visitor(server, jars)
    assert await other.agent_session(old) is None
    other.session.cookie_jar.update_cookies(
        {AGENT_COOKIE: old}, response_url=browser.client.make_url("/agents/")
    )
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await other.agent_ws()
    assert refused.value.status == 401


async def test_sign_out_everywhere_ends_every_session_of_the_user(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    laptop, phone, stranger = [await visitor(server, jars) for _ in range(3)]
    assert (await laptop.login(user)).status == 200
    assert (await phone.login(user)).status == 200
    assert (await stranger.login(ANNA)).status == 200  # another user's session is not touched
    phone_cookie = phone.cookie()
    assert phone_cookie is not None
    phone_chat, stranger_chat = await phone.chat(), await stranger.chat()
    status, body = await laptop.post("/webchat/api/logout-everywhere")
    assert status == 200 and body["user"] is None
    assert await closed_with(phone_chat.ws) == 4001
    assert await user_of(phone, phone_cookie) is None
    assert (await laptop.whoami())["user"] is None
    assert (await stranger.whoami())["user"]["id"] == ANNA
    assert (await stranger_chat.say("hello"))["type"] == "reply"
    await stranger_chat.close()


async def test_sign_out_everywhere_from_the_console_ends_the_agent_s_other_consoles(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    agent = await new_user(server, agent=True)
    desk, laptop = await visitor(server, jars), await visitor(server, jars)
    assert (await desk.agent_login(agent))[0] == 200
    assert (await laptop.agent_login(agent))[0] == 200
    ws = await laptop.agent_ws()
    assert (await desk.post("/agents/api/logout-everywhere"))[0] == 200
    assert await closed_with(ws) == 4001
    assert await laptop.agent_session() is None
    assert await desk.agent_session() is None


async def test_a_new_password_ends_every_server_side_session(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    browser, console = await visitor(server, jars), await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    assert (await console.agent_login(user))[0] == 401  # not an agent: only the web session exists
    sessions = server.app[APP_KEY].sessions
    assert [s.user_id for s in await sessions.active(user)] == [user]
    token = await mailed_token(server, browser, user, browser.address)
    status, page = await set_password(browser, token, "a brand new passphrase", browser.address)
    assert status == 200, page
    assert await sessions.active(user) == []


async def test_a_session_ends_after_its_idle_time(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock
) -> None:
    user = await new_user(server)
    browser = await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    cookie = browser.cookie()
    assert cookie is not None
    clock.advance(hours=11, minutes=50)
    assert (await user_of(browser, cookie))["id"] == user  # used: the idle time starts again
    clock.advance(hours=11, minutes=50)
    assert (await user_of(browser, cookie))["id"] == user
    clock.advance(hours=12, minutes=1)
    assert await user_of(browser, cookie) is None
    assert await ready_user(browser, cookie) is None


async def test_a_session_ends_after_its_lifetime_however_busy(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock
) -> None:
    user = await new_user(server)
    browser = await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    cookie = browser.cookie()
    assert cookie is not None
    for _ in range(13 * 2):
        clock.advance(hours=12, minutes=-1)
        assert (await user_of(browser, cookie))["id"] == user
    clock.advance(days=1)
    assert await user_of(browser, cookie) is None


async def test_an_open_chat_ends_with_its_session_at_its_next_message(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await new_user(server)
    browser = await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    chat = await browser.chat()
    monkeypatch.setattr(connection, "RECHECK", 0.0)  # the chat checks its session at every message
    assert (await chat.say("hello"))["type"] == "reply"
    clock.advance(hours=12, minutes=1)
    await chat.send({"type": "message", "id": new_id(), "text": "hello again"})
    assert await closed_with(chat.ws) == 4001


async def test_an_open_chat_closes_when_its_session_s_lifetime_ends(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock
) -> None:
    user = await new_user(server)
    browser = await visitor(server, jars)
    assert (await browser.login(user)).status == 200
    ends = clock.now + timedelta(days=14)
    while clock.now + timedelta(hours=11) < ends:
        clock.advance(hours=11)
        assert (await browser.whoami())["user"]["id"] == user
    clock.now = ends - timedelta(seconds=1)
    chat = await browser.chat()
    assert await closed_with(chat.ws) == 4001


async def test_an_open_console_closes_when_its_session_s_lifetime_ends(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock
) -> None:
    agent = await new_user(server, agent=True)
    browser = await visitor(server, jars)
    assert (await browser.agent_login(agent))[0] == 200
    ends = clock.now + timedelta(hours=12)
    while clock.now + timedelta(hours=1) < ends:
        clock.advance(hours=1)
        assert (await browser.agent_session())["id"] == agent
    clock.now = ends - timedelta(seconds=1)
    ws = await browser.agent_ws()
    assert await closed_with(ws) == 4001


async def test_an_agent_session_ends_after_its_shorter_idle_time(
    server: TestServer, jars: list[aiohttp.ClientSession], clock: Clock
) -> None:
    agent = await new_user(server, agent=True)
    browser = await visitor(server, jars)
    assert (await browser.agent_login(agent))[0] == 200
    clock.advance(minutes=119)
    assert (await browser.agent_session())["id"] == agent
    clock.advance(minutes=121)
    assert await browser.agent_session() is None


# --- item 5: one sign-in for both doors ---------------------------------------------------------------


async def lock_out(browser: Visitor, user: str, *, door: str) -> None:
    """Ten wrong passwords for ``user`` at one door: the eleventh attempt is refused."""
    path = "/webchat/api/login" if door == "web" else "/agents/api/login"
    for _ in range(10):
        status, _ = await browser.post(path, {"user": user, "password": "a wrong guess"})
        assert status == 401
    assert (await browser.post(path, {"user": user, "password": "a wrong guess"}))[0] == 429


async def test_the_agent_door_answers_a_customer_s_right_and_wrong_password_alike(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    browser = await visitor(server, jars)
    right = await browser.agent_login(user, DEMO_PASSWORD)
    wrong = await browser.agent_login(user, "a wrong guess")
    assert right == wrong and right[0] == 401
    assert (await browser.agent_login("nobody@example.test", "a wrong guess")) == right


async def test_a_locked_out_customer_gets_the_same_answer_at_the_agent_door_for_any_password(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    guesser = await visitor(server, jars)
    await lock_out(guesser, user, door="web")
    for browser in (guesser, await visitor(server, jars)):  # the guesser's address, and a fresh one
        right = await browser.agent_login(user, DEMO_PASSWORD)
        wrong = await browser.agent_login(user, "another guess")
        assert right == wrong, browser.address
        assert right[0] in (401, 429)


async def test_a_lockout_at_the_web_chat_applies_at_the_agent_console(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    agent = await new_user(server, agent=True)
    browser = await visitor(server, jars)
    await lock_out(browser, agent, door="web")
    assert (await browser.agent_login(agent, DEMO_PASSWORD))[0] == 429
    assert browser.agent_cookie() is None


async def test_a_lockout_at_the_agent_console_applies_at_the_web_chat(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    agent = await new_user(server, agent=True)
    browser = await visitor(server, jars)
    await lock_out(browser, agent, door="agents")
    assert (await browser.login(agent, DEMO_PASSWORD)).status == 429
    assert (await browser.whoami())["user"] is None


async def test_failures_at_either_door_count_against_one_address_limit(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    browser = await visitor(server, jars)
    for n in range(30):
        path = "/webchat/api/login" if n % 2 else "/agents/api/login"
        status, _ = await browser.post(path, {"user": f"guess{n}@example.test", "password": "x"})
        assert status == 401
    agent = await new_user(server, agent=True)
    assert (await browser.agent_login(agent))[0] == 429
    assert (await browser.login(ANNA)).status == 429


async def test_failed_sign_ins_are_logged_without_the_password(
    server: TestServer, jars: list[aiohttp.ClientSession], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    browser = await visitor(server, jars)
    user = await new_user(server)
    await browser.agent_login(user, "my secret guess")
    await browser.post("/webchat/api/login", {"user": user, "password": "my other secret"})
    failures = [r for r in caplog.records if "sign-in failed" in r.getMessage()]
    assert len(failures) == 2, caplog.text
    assert {r.levelno for r in failures} == {logging.WARNING}
    assert "agents" in failures[0].getMessage() and "webchat" in failures[1].getMessage()
    assert "my secret guess" not in caplog.text and "my other secret" not in caplog.text


# --- item 10: message limits across connections -------------------------------------------------------


async def flood(chats: list[Chat], per_chat: int) -> list[str]:
    """Every chat sends ``per_chat`` messages at once; the answers' types, in no particular order."""
    ids = {chat: [new_id() for _ in range(per_chat)] for chat in chats}
    for chat, sent in ids.items():
        for message_id in sent:
            await chat.send({"type": "message", "id": message_id, "text": "hello"})
    kinds: list[str] = []
    for chat, sent in ids.items():
        waiting = set(sent)
        while waiting:  # refusals come at once, replies after the pipeline: in no fixed order
            frame = await chat.frame()
            if frame["type"] in {"reply", "error"} and frame.get("in_reply_to") in waiting:
                waiting.discard(frame["in_reply_to"])
                kinds.append(frame["type"] if frame["type"] == "reply" else frame["code"])
    return kinds


async def test_ten_websockets_of_one_session_share_one_limit(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    browser = await visitor(server, jars)  # a guest: the limit is the session's
    chats = [await browser.chat(lang="en") for _ in range(10)]
    kinds = await flood(chats, 5)
    assert kinds.count("reply") == 20 and kinds.count("rate_limited") == 30
    for chat in chats:
        await chat.close()


async def test_a_user_s_sessions_share_one_limit(
    server: TestServer, jars: list[aiohttp.ClientSession]
) -> None:
    user = await new_user(server)
    chats = []
    for _ in range(5):
        browser = await visitor(server, jars)
        assert (await browser.login(user)).status == 200
        chats.append(await browser.chat(lang="en"))
    kinds = await flood(chats, 20)  # each session within its own limit
    assert kinds.count("reply") == 60 and kinds.count("rate_limited") == 40
    for chat in chats:
        await chat.close()
