"""Two workers, A and B, as two ``supportbot serve`` processes on one PostgreSQL database and one Redis:
whatever worker a request reaches, people see one assistant."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from supportbot.adapters.webchat.connection import SIGNED_OUT
from tests.crash.harness import free_port
from tests.scale.conftest import _forget, fresh_database, redis_or_skip, run
from tests.scale.workers import (
    OLLE,
    SARA,
    SLACK_USERS,
    Agent,
    Worker,
    add_second_agent,
    customer,
    data_dir,
    dm,
    sign,
    worker_env,
)
from tests.slack.slack_standin import SlackStandIn
from tests.teams.teams_helpers import ANNA as TEAMS_ANNA
from tests.teams.teams_helpers import activity, start_connector
from tests.web.webchat_helpers import ANNA, ERIK, Chat, new_id

pytestmark = [pytest.mark.scale, pytest.mark.postgres]


@dataclass
class Pair:
    a: Worker
    b: Worker
    database_url: str
    slack_port: int


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    redis_url = redis_or_skip()
    prefix = f"sbtest-{uuid.uuid4().hex[:10]}:"
    for database_url in fresh_database():
        slack_port = free_port()
        env = worker_env(database_url, redis_url, prefix, f"http://127.0.0.1:{slack_port}")
        base = tmp_path_factory.mktemp("workers")
        a = Worker(data_dir(base, "a"), env=env).start()  # migrates and seeds the demo data
        b: Worker | None = None
        try:
            run(add_second_agent(database_url))
            b = Worker(data_dir(base, "b"), env=env).start()
            yield Pair(a, b, database_url, slack_port)
        finally:
            a.stop()
            if b is not None:
                b.stop()
            run(_forget(prefix))


@pytest.fixture
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


def browser_session(sessions: list[aiohttp.ClientSession]) -> aiohttp.ClientSession:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    return session


async def agent(worker: Worker, user: str, sessions: list[aiohttp.ClientSession]) -> Agent:
    return await Agent(worker, browser_session(sessions)).sign_in(user)


async def signed_in_chat(worker: Worker, user: str, sessions: list[aiohttp.ClientSession]) -> Chat:
    browser = customer(worker, browser_session(sessions))
    assert (await browser.login(user)).status == 200
    return await browser.chat(lang="en")


async def handed_off(chat: Chat) -> str:
    reply = (await chat.say("talk to a person"))["reply"]
    assert "HO-" in reply["text"], reply
    return "HO-" + reply["text"].split("HO-", 1)[1][:6]


async def rows(database_url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]
    finally:
        await engine.dispose()


async def test_a_customer_on_a_and_an_agent_on_b_talk_both_ways(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await agent(pair.b, SARA, sessions)
    anna = await signed_in_chat(pair.a, ANNA, sessions)
    number = await handed_off(anna)
    assert (await sara.until("queued"))["handoff"]["number"] == number  # the queue changed on A

    await sara.send({"type": "take", "number": number})
    assert (await sara.until("result", number=number))["ok"]
    await sara.until("conversation")
    joined = await anna.until("notice")  # told on A that a person from B joined
    assert (joined["event"], joined["reply"]["text"]) == (
        "agent_joined",
        "Sara from support has joined the chat.",
    )

    silent = await anna.say("my invoice looks wrong")
    assert silent["reply"]["text"] == ""  # the agent has the conversation
    line = await sara.until("message", number=number)
    assert (line["role"], line["text"]) == ("user", "my invoice looks wrong")
    await anna.send({"type": "typing", "on": True})
    assert (await sara.until("typing", number=number))["on"] is True

    await sara.send({"type": "typing", "number": number, "on": True})
    assert await anna.until("typing") == {
        "type": "typing",
        "on": True,
        "agent": "Sara",
    }  # typed on B, named on A
    await sara.send({"type": "reply", "number": number, "text": "Hi Anna, let me check."})
    said = await anna.until("agent")
    assert said["text"] == "Hi Anna, let me check."

    await sara.send({"type": "hand_back", "number": number})
    assert (await sara.until("result", number=number, action="hand_back"))["ok"]
    assert "I'm back" in (await anna.until("notice"))["reply"]["text"]
    reply = (await anna.say("where is my order 4711?"))["reply"]
    assert "PostNord" in json.dumps(reply)


async def test_two_agents_on_two_workers_take_one_handoff_and_one_wins(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    sara, olle = await agent(pair.a, SARA, sessions), await agent(pair.b, OLLE, sessions)
    erik = await signed_in_chat(pair.b, ERIK, sessions)
    number = await handed_off(erik)
    for someone in (sara, olle):
        assert (await someone.until("queued"))["handoff"]["number"] == number
    await asyncio.gather(
        sara.send({"type": "take", "number": number}), olle.send({"type": "take", "number": number})
    )
    results = [await sara.until("result", number=number), await olle.until("result", number=number)]
    assert sorted(r["ok"] for r in results) == [False, True]
    winner = SARA if results[0]["ok"] else OLLE
    for someone in (sara, olle):  # both consoles see who has it, whichever worker they are on
        while not any(f["type"] == "taken" and f.get("number") == number for f in someone.seen):
            await someone.frame()
        taken = [f["agent"] for f in someone.seen if f["type"] == "taken" and f.get("number") == number]
        assert taken == [winner]
    assert await rows(
        pair.database_url, "SELECT status, agent FROM handoffs WHERE number = :n", n=number
    ) == [("active", winner)]
    await (sara if winner == SARA else olle).send({"type": "hand_back", "number": number})


async def test_signing_out_on_a_ends_the_chat_open_on_b(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    session = browser_session(sessions)
    on_a, on_b = customer(pair.a, session), customer(pair.b, session)
    assert (await on_a.login(ANNA)).status == 200
    chat = await on_b.chat(lang="en")
    assert "PostNord" in json.dumps((await chat.say("where is my order 4711?"))["reply"])

    assert (await on_a.logout()).status == 200
    closed = await chat.ws.receive(timeout=15)  # nothing is sent on B: only the bus can tell it
    assert (closed.type, closed.data) == (aiohttp.WSMsgType.CLOSE, SIGNED_OUT), closed
    assert (await on_b.whoami())["user"] is None


async def test_one_conversation_answered_alternately_by_a_and_b_keeps_its_state_and_order(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    session = browser_session(sessions)
    on_a, on_b = customer(pair.a, session), customer(pair.b, session)
    assert (await on_a.login(ERIK)).status == 200
    a, b = await on_a.chat(lang="en"), await on_b.chat(lang="en")

    first = new_id()
    assert "PostNord" in json.dumps((await a.say("where is my order 4711?", message_id=first))["reply"])
    assert "4711" in (await b.say("and when will it arrive?"))["reply"]["text"]  # A's turn, read on B
    form = (await a.say("I'd like to open a support request"))["reply"]["form"]
    assert form["id"] == "request.open"
    values = {
        "category": "technical",
        "subject": "Power server in Kista does not boot",
        "description": "Since this morning the server stops with error B2001234 after power-on.",
        "priority": "high",
    }
    opened = await b.submit("request.open", values)  # the form A showed, sent to B
    assert opened["type"] == "reply" and "I've opened request RQ-" in opened["reply"]["text"], opened
    repeat = await a.submit("request.open", values, message_id=opened["in_reply_to"])
    assert repeat["repeat"] is True  # the same message again, at the other worker: answered as before
    assert "can't find order 5801" in (await b.say("where is order 5801?"))["reply"]["text"]

    lines = await rows(
        pair.database_url,
        "SELECT seq, role FROM turns WHERE conversation_key = "
        "(SELECT conversation_key FROM turns WHERE delivery_id = :first) ORDER BY seq",
        first=first,
    )
    assert [role for _, role in lines] == ["user", "bot"] * 5
    assert [seq for seq, _ in lines] == list(range(1, 11))  # one after the other, nothing doubled


async def test_a_slack_retry_reaching_the_other_worker_is_answered_once(pair: Pair) -> None:
    standin = SlackStandIn()
    standin.users.update(SLACK_USERS)
    await standin.start(pair.slack_port)
    try:
        async with aiohttp.ClientSession() as http:

            async def deliver(worker: Worker, event: dict[str, object], *, retry: bool = False) -> None:
                body = json.dumps(event)
                headers = {"Content-Type": "application/json", **sign(body)}
                if retry:
                    headers |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                async with http.post(worker.make_url("/slack/events"), data=body, headers=headers) as r:
                    assert r.status == 200

            first = dm("where is my order 4711?", event_id=f"Ev{uuid.uuid4().hex[:8]}")
            await deliver(pair.a, first)
            await standin.wait_for("chat.postMessage", 1)
            await deliver(pair.b, first, retry=True)  # Slack thought A's answer was lost

            racing = dm("where is my order 4712?", event_id=f"Ev{uuid.uuid4().hex[:8]}")
            await asyncio.gather(deliver(pair.a, racing), deliver(pair.b, racing, retry=True))

            # A message after them on each worker: once both are answered, so were the retries before.
            for worker in (pair.b, pair.a):
                await deliver(worker, dm("hello", event_id=f"Ev{uuid.uuid4().hex[:8]}"))
            posts = await standin.wait_for("chat.postMessage", 4)
        said = [json.dumps(p.args.get("blocks") or p.args.get("text")) for p in posts]
        assert len(said) == 4
        assert sum("4711" in s for s in said) == 1
        assert sum("4712" in s for s in said) == 1
        user_lines = await rows(
            pair.database_url,
            "SELECT delivery_id FROM turns WHERE role = 'user' AND delivery_id IN (:a, :b)",
            a=str(first["event_id"]),
            b=str(racing["event_id"]),
        )
        assert len(user_lines) == 2  # each event stored once
    finally:
        await standin.close()


async def test_two_messages_of_one_conversation_at_a_and_b_at_once_are_answered_one_after_the_other(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    session = browser_session(sessions)
    on_a, on_b = customer(pair.a, session), customer(pair.b, session)
    assert (await on_a.login(ANNA)).status == 200
    a, b = await on_a.chat(lang="en"), await on_b.chat(lang="en")
    sent: list[str] = []
    for round_ in range(3):
        first, second = new_id(), new_id()
        sent.append(first)
        await asyncio.gather(
            a.send({"type": "message", "id": first, "text": "where is my order 4711?"}),
            b.send({"type": "message", "id": second, "text": "where is my order 4712?"}),
        )
        answered = [await a.answer(first), await b.answer(second)]
        assert [frame["type"] for frame in answered] == ["reply", "reply"], (round_, answered)

    lines = await rows(
        pair.database_url,
        "SELECT seq, role FROM turns WHERE conversation_key = "
        "(SELECT conversation_key FROM turns WHERE delivery_id = :sent) ORDER BY seq",
        sent=sent[0],
    )
    # Each worker waited for the other's turn: every question is followed by its own answer.
    assert [role for _, role in lines] == ["user", "bot"] * 6
    assert [seq for seq, _ in lines] == list(range(1, 13))


async def test_an_agent_answering_a_request_on_b_reaches_the_customer_and_the_consoles_on_a(
    pair: Pair, sessions: list[aiohttp.ClientSession]
) -> None:
    anna = await signed_in_chat(pair.a, ANNA, sessions)
    sara, olle = await agent(pair.b, SARA, sessions), await agent(pair.a, OLLE, sessions)
    number = "RQ-2026-000001"  # Anna's request in the demo data
    await sara.send({"type": "request", "number": number})
    assert (await sara.until("request"))["request"]["number"] == number
    answer = "The move is planned for Tuesday; the technician brings the rails."
    await sara.send({"type": "answer", "number": number, "text": answer})
    assert (await sara.until("result", action="answer"))["ok"]

    changed = await olle.until("request_changed")  # Olle's list, on the other worker, follows
    assert (changed["request"]["number"], changed["request"]["status"]) == (number, "answered")
    live = await anna.until("notice")  # Anna's open chat, on the other worker, at once
    assert number in live["reply"]["text"] and answer in live["reply"]["text"]


async def test_a_teams_redelivery_reaching_the_other_worker_is_answered_once(pair: Pair) -> None:
    connector, server = await start_connector()
    try:
        async with aiohttp.ClientSession() as http:

            async def post(worker: Worker, activity_id: str) -> None:
                body = activity(
                    "personal_message", service_url=connector.url, id=activity_id, sender=TEAMS_ANNA
                )
                body["text"] = "where is my order 4711?"
                async with http.post(worker.make_url("/api/messages"), json=body) as response:
                    assert response.status == 200

            same = uuid.uuid4().hex
            await post(pair.a, same)
            assert len(connector.activities()) == 1
            await post(pair.b, same)  # the Bot Framework service sends it again, to the other worker
            assert len(connector.activities()) == 1
            await post(pair.b, uuid.uuid4().hex)  # a new message is answered as ever
        replies = connector.activities()
        assert len(replies) == 2 and all("4711" in sent.shown for sent in replies)
    finally:
        await server.close()
