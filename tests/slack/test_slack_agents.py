"""The Slack agents' channel through the real stack: a handoff becomes a thread with a *Take over*
button, a linked agent takes it over (one wins), replies in the thread reach the customer in web chat
or Slack, the customer's lines come into the thread, and *hand back* gives the conversation back to
the bot. Signed, real-shaped requests go in; the local stand-in of the Slack Web API shows what the
bot sent to Slack.

sara@support.example is the demo agent; a second agent, Olle, is added to the directory here.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.slack.agents import (
    BACK_ACTION,
    CLOSE_ACTION,
    TAKE_ACTION,
    SlackAgentChannel,
    agent_press,
    command,
    thread_line,
)
from supportbot.bot.errors import ConfigurationError
from supportbot.bot.handoff import ACTIVE, CLOSED, QUEUED, conversation_topic
from supportbot.bot.locks import LockUnavailable
from supportbot.integrations.sql.schema import users
from supportbot.integrations.sql.state import handoff_threads
from tests.conftest import Conversation
from tests.slack.conftest import Slack, payload, slack_settings
from tests.slack.slack_standin import Call, SlackStandIn
from tests.slack.test_slack_server import dm

AGENTS = "C0AGENTS"
SARA = "sara@support.example"
OLLE = "olle@support.example"
ANNA = "anna.berg@nordisk.example"
T = TypeVar("T")


# --- the desk: the server with an agents' channel, and what agents do in Slack ------------------------


class Desk:
    """The server with ``SLACK_AGENT_CHANNEL`` set, seen from Slack and from the stand-in."""

    def __init__(self, slack: Slack, app: Application) -> None:
        self.slack = slack
        self.app = app
        self.standin = slack.standin
        self._stamp = 0

    @property
    def agents(self) -> SlackAgentChannel:
        agents = self.slack.channel.agents
        assert agents is not None
        return agents

    def stamp(self) -> str:
        self._stamp += 1
        return f"{int(time.time())}.{self._stamp:06d}"

    async def settle(self) -> None:
        """Everything in flight done: answers, posts, relays (each may start another)."""
        for _ in range(3):
            await self.slack.channel.drain()
            await self.agents.drain()

    async def until(self, check: Callable[[], T | None], *, timeout: float = 15.0) -> T:
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found:
                return found
            assert time.monotonic() < deadline, f"not seen within {timeout}s; calls: {self.methods()}"
            await asyncio.sleep(0.02)

    def methods(self) -> list[str]:
        return [f"{c.method}({c.args.get('channel', '')})" for c in self.standin.calls]

    # --- what reached Slack ------------------------------------------------------------------------

    def threads(self) -> list[Call]:
        """The handoffs' first messages in the agents' channel."""
        return [
            c
            for c in self.standin.called("chat.postMessage")
            if c.args.get("channel") == AGENTS and not c.args.get("thread_ts")
        ]

    def in_thread(self, ts: str) -> list[str]:
        return [
            str(c.args.get("text"))
            for c in self.standin.called("chat.postMessage")
            if c.args.get("channel") == AGENTS and c.args.get("thread_ts") == ts
        ]

    def updates(self, ts: str) -> list[Call]:
        return [c for c in self.standin.called("chat.update") if c.args.get("ts") == ts]

    def ephemerals(self, user: str) -> list[str]:
        return [
            str(c.args.get("text"))
            for c in self.standin.called("chat.postEphemeral")
            if c.args.get("user") == user
        ]

    def dms(self, user: str = "U0ANNA") -> list[str]:
        return [
            str(c.args.get("text"))
            for c in self.standin.called("chat.postMessage")
            if c.args.get("channel") == f"D{user[1:]}"
        ]

    async def thread_of(self, number: str) -> str:
        """The ts of the handoff's thread, as the bot keeps it."""

        async def read() -> str | None:
            async with self.app.engine.connect() as conn:
                return (
                    await conn.execute(
                        select(handoff_threads.c.thread).where(handoff_threads.c.number == number)
                    )
                ).scalar()

        deadline = time.monotonic() + 15
        while (ts := await read()) is None:
            assert time.monotonic() < deadline, f"no thread for {number}"
            await asyncio.sleep(0.02)
        return ts

    # --- what agents do ------------------------------------------------------------------------------

    async def press(self, user: str, action_id: str, number: str) -> int:
        data = payload("block_actions")
        data["user"].update(id=user, username=user.lower(), name=user.lower())
        data["channel"] = {"id": AGENTS, "name": "support-agents"}
        data["container"] = {
            "type": "message",
            "message_ts": "1764370001.000300",
            "channel_id": AGENTS,
            "is_ephemeral": False,
        }
        data["response_url"] = self.standin.response_url("agents")
        data["actions"] = [
            {
                "action_id": action_id,
                "block_id": f"handoff_{number}",
                "text": {"type": "plain_text", "text": "Take over"},
                "value": number,
                "type": "button",
                "action_ts": self.stamp(),
            }
        ]
        status, _ = await self.slack.interaction(data)
        return status

    async def write(self, user: str, text: str, *, thread_ts: str | None, event_id: str | None = None) -> int:
        """A message in the agents' channel: a reply in a thread, or a top-level one."""
        data = payload("message_im")
        event = data["event"]
        event.update(text=text, user=user, channel=AGENTS, channel_type="channel", ts=self.stamp())
        event["event_ts"] = event["ts"]
        event.pop("blocks", None)
        event.pop("client_msg_id", None)
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        data["event_id"] = event_id or f"Ev{self.stamp().replace('.', '')}"
        status, _ = await self.slack.event(data)
        return status


async def add_olle(app: Application) -> None:
    """A second agent: a copy of Sara with another id."""
    async with app.engine.begin() as conn:
        row = (await conn.execute(select(users).where(users.c.user_id == SARA))).mappings().one()
        await conn.execute(users.insert().values({**row, "user_id": OLLE, "name": "Olle Ek"}))


async def agents_app(data_dir: Path, standin: SlackStandIn) -> Application:
    """The assistant with the agents' channel, office hours around the clock."""
    settings = slack_settings(data_dir, standin, slack_agent_channel=AGENTS, office_hours="")
    return await build_application(settings)


@asynccontextmanager
async def serving(app: Application, standin: SlackStandIn) -> AsyncIterator[Desk]:
    async with TestClient(TestServer(create_web_app(app))) as client:
        yield Desk(Slack(client, standin), app)


@pytest.fixture
async def desk(data_dir: Path, standin: SlackStandIn) -> AsyncIterator[Desk]:
    standin.users.update({"U0SARA": SARA, "U0OLLE": OLLE})
    app = await agents_app(data_dir, standin)
    await add_olle(app)
    async with serving(app, standin) as desk:
        yield desk


def number_in(text: str) -> str:
    assert "HO-" in text, text
    return "HO-" + text.split("HO-", 1)[1][:6]


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks")
    return list(json.loads(blocks) if isinstance(blocks, str) else blocks or [])


def action_ids(call: Call) -> list[str]:
    return [e["action_id"] for b in blocks_of(call) if b["type"] == "actions" for e in b["elements"]]


async def web_customer(desk: Desk) -> tuple[Conversation, str, list[dict[str, Any]]]:
    """Anna in web chat asks for a person; what her open chat would show is collected."""
    anna = Conversation(desk.app, ANNA, channel="web")
    shown: list[dict[str, Any]] = []

    async def show(message: dict[str, Any]) -> None:
        shown.append(message)

    await desk.app.bus.subscribe(conversation_topic(anna.ref.key), show)
    await anna.say("where is my order 4711?")
    reply = await anna.say("talk to a person")
    return anna, number_in(reply.text), shown


# --- the whole way, in web chat and in Slack ---------------------------------------------------------


async def test_a_web_chat_handoff_is_taken_over_answered_and_closed_in_the_thread(desk: Desk) -> None:
    anna, number, shown = await web_customer(desk)

    [first] = await desk.until(desk.threads)
    assert number in first.args["text"] and "Anna Berg" in first.args["text"]
    text = json.dumps(blocks_of(first), ensure_ascii=False)
    for fact in ("Nordisk Verkstad AB", "1000123", "web chat", "number 1 in the queue", "invoices"):
        assert fact in text, fact
    take = next(b for b in blocks_of(first) if b["type"] == "actions")["elements"][0]
    assert (take["action_id"], take["value"], take["text"]["text"]) == (TAKE_ACTION, number, "Take over")
    ts = await desk.thread_of(number)
    [history] = await desk.until(lambda: desk.in_thread(ts))
    assert "*Customer:* where is my order 4711?" in history
    assert "*Customer:* talk to a person" in history
    assert "*Bot:*" in history

    assert await desk.press("U0SARA", TAKE_ACTION, number) == 200
    [taken] = await desk.until(lambda: desk.updates(ts))
    assert "Taken over by Sara Lindqvist" in taken.args["text"]
    assert action_ids(taken) == [BACK_ACTION, CLOSE_ACTION]
    greeting = await desk.until(lambda: [m for m in shown if m["type"] == "agent"])
    assert "taken over your conversation" in greeting[0]["text"]
    assert greeting[0]["agent"] == "Sara"  # customers know agents by their first name

    await desk.write("U0SARA", "Order 4711 left Kista yesterday &amp; arrives on Friday.", thread_ts=ts)
    lines = await desk.until(lambda: [m for m in shown if m["type"] == "agent"][1:])
    assert lines[0]["text"] == "Order 4711 left Kista yesterday & arrives on Friday."
    await desk.write("U0SARA", "<@U0OLLE> can you call PostNord?", thread_ts=ts)  # to a colleague
    await desk.write("U0SARA", "<@U0BOT> See <https://www.postnord.se/|PostNord's page>", thread_ts=ts)
    lines = await desk.until(lambda: [m for m in shown if m["type"] == "agent"][2:])
    assert [m["text"] for m in lines] == ["See PostNord's page (https://www.postnord.se/)"]

    await anna.say("Great, <thanks>!")
    await desk.until(lambda: [t for t in desk.in_thread(ts) if "Great" in t])
    assert desk.in_thread(ts)[-1] == "*Customer:* Great, &lt;thanks&gt;!"  # no mention or link of its own

    await desk.write("U0SARA", "Close the lid and restart it, please.", thread_ts=ts)  # a line, not a command
    relayed = await desk.until(lambda: [m for m in shown if m["type"] == "agent"][3:])
    assert relayed[-1]["text"] == "Close the lid and restart it, please."
    await desk.write("U0SARA", "close: Delivery date given", thread_ts=ts)
    back = await desk.until(lambda: [m for m in shown if m["type"] == "bot"])
    assert "closed this conversation" in back[0]["reply"]["text"]
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == CLOSED and handoff.resolution == "Delivery date given"
    await desk.until(lambda: [t for t in desk.in_thread(ts) if "Closed by Sara Lindqvist" in t])
    await desk.settle()
    assert action_ids(desk.updates(ts)[-1]) == []  # nothing left to press
    assert not [
        t for t in desk.in_thread(ts) if "taken over your conversation" in t
    ]  # her own lines stay hers


async def test_a_web_chat_guest_is_marked_as_not_verified_with_no_company_data(desk: Desk) -> None:
    guest = Conversation(desk.app, None, channel="web", capabilities=frozenset({"forms"}))
    await guest.say("talk to a person")
    reply = await guest.submit(
        guest_name="Eva <Svensson>", guest_email="eva@example.org", guest_customer_number="1000123"
    )
    number = number_in(reply.text)
    [first] = await desk.until(desk.threads)
    assert number in first.args["text"] and "(guest, not verified)" in first.args["text"]
    text = json.dumps(blocks_of(first), ensure_ascii=False)
    for fact in ("Guest, not signed in", "(name not verified)", "eva@example.org (e-mail not verified)",
                 "1000123 (stated by the visitor, not verified)", "web chat"):  # fmt: skip
        assert fact in text, fact
    for business in ("Nordisk", "*Company*", "*Access*", "*Recent orders*", "*Recent requests*", "4711"):
        assert business not in text, business
    assert "Eva &lt;Svensson&gt;" in text  # what a guest typed never makes a mention or a link


async def test_a_slack_customer_gets_the_agent_and_the_bot_back(desk: Desk) -> None:
    await desk.slack.event(dm("talk to a person", event_id="EvHand1"))
    queued = await desk.until(desk.dms)
    number = number_in(queued[0])
    [first] = await desk.until(desk.threads)
    assert "Slack" in json.dumps(blocks_of(first))
    ts = await desk.thread_of(number)

    await desk.press("U0SARA", TAKE_ACTION, number)
    told = await desk.until(lambda: desk.dms()[2:])
    assert desk.dms()[1] == "Sara from support has joined the chat."
    assert told[0].startswith("Sara: Hi, I'm from the support team")

    await desk.write("U0SARA", "Which order is it about?", thread_ts=ts)
    said = await desk.until(lambda: desk.dms()[3:])
    assert said[0] == "Sara: Which order is it about?"

    await desk.slack.event(dm("It's 4711", event_id="EvHand2"))
    await desk.until(lambda: [t for t in desk.in_thread(ts) if t == "*Customer:* It's 4711"])
    await desk.settle()
    assert len(desk.dms()) == 4  # the bot said nothing to it

    await desk.write("U0OLLE", "Sara, their contract C-1001 expires soon", thread_ts=ts)
    await desk.write("U0SARA", "hand back", thread_ts=ts)
    back = await desk.until(lambda: desk.dms()[4:])
    assert "Sara has left the chat, and I'm back" in back[0]
    assert "You asked earlier: “It's 4711”" in back[0]  # nobody answered it: offered again
    assert not [d for d in desk.dms() if "C-1001" in d]  # Olle's line stayed in the thread
    await desk.until(
        lambda: [t for t in desk.in_thread(ts) if "Handed back to the bot by Sara Lindqvist" in t]
    )

    await desk.slack.event(dm("where is my order 4711?", event_id="EvHand3"))
    answer = await desk.until(lambda: desk.dms()[5:])
    assert "PostNord" in answer[0]  # the bot answers again


async def test_the_hand_back_button_works_too(desk: Desk) -> None:
    _, number, shown = await web_customer(desk)
    ts = await desk.thread_of(number)
    await desk.press("U0SARA", TAKE_ACTION, number)
    await desk.until(lambda: desk.updates(ts))
    await desk.press("U0OLLE", BACK_ACTION, number)
    await desk.until(lambda: desk.ephemerals("U0OLLE"))
    assert "Only Sara Lindqvist" in desk.ephemerals("U0OLLE")[0]
    await desk.press("U0SARA", BACK_ACTION, number)
    back = await desk.until(lambda: [m for m in shown if m["type"] == "bot"])
    assert "I'm back" in back[0]["reply"]["text"]
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == CLOSED


# --- who may take it ---------------------------------------------------------------------------------


async def test_someone_who_is_not_an_agent_is_refused(desk: Desk) -> None:
    _, number, shown = await web_customer(desk)
    await desk.thread_of(number)
    for user in ("U0ANNA", "U0STRANGER"):
        await desk.press(user, TAKE_ACTION, number)
        refusal = await desk.until(lambda user=user: desk.ephemerals(user))
        assert "Only support agents" in refusal[0]
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == QUEUED
    assert not [m for m in shown if m["type"] == "agent"]


async def test_two_agents_press_at_once_and_one_wins(desk: Desk) -> None:
    _, number, shown = await web_customer(desk)
    ts = await desk.thread_of(number)
    await asyncio.gather(desk.press("U0SARA", TAKE_ACTION, number), desk.press("U0OLLE", TAKE_ACTION, number))
    await desk.settle()
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == ACTIVE and handoff.agent in (SARA, OLLE)
    loser = "U0OLLE" if handoff.agent == SARA else "U0SARA"
    winner_name = "Sara Lindqvist" if handoff.agent == SARA else "Olle Ek"
    assert desk.ephemerals(loser) == [f"{winner_name} has already taken this conversation over."]
    assert [m["agent"] for m in shown if m["type"] == "agent"] == [winner_name.split()[0]]  # greeted once
    assert f"Taken over by {winner_name}" in desk.updates(ts)[-1].args["text"]

    await desk.write(loser, "I can take this one", thread_ts=ts)  # the loser's line is not relayed
    await desk.settle()
    assert len([m for m in shown if m["type"] == "agent"]) == 1


# --- the channel is no customer's chat ----------------------------------------------------------------


async def test_lines_outside_a_handoff_thread_are_ignored(desk: Desk) -> None:
    _, number, _ = await web_customer(desk)
    ts = await desk.thread_of(number)
    await desk.until(lambda: desk.in_thread(ts))
    await desk.settle()
    before = len(desk.standin.calls)

    assert await desk.write("U0ANNA", "where is my order 4711?", thread_ts=None) == 200
    assert await desk.write("U0SARA", "hand back", thread_ts="1764000000.000001") == 200
    mention = payload("app_mention")
    mention["event"].update(channel=AGENTS, user="U0ANNA", text="<@U0BOT> where is my order 4711?")
    assert (await desk.slack.event(mention))[0] == 200
    await desk.write("U0SARA", "hello?", thread_ts=ts)  # not taken: nobody's reply yet
    await desk.settle()

    assert [c.method for c in desk.standin.calls[before:] if c.method.startswith("chat.")] == []
    conversations = await desk.app.store.history(f"slack:T0SUPPORT:{AGENTS}:U0ANNA")
    assert conversations == []  # nobody's conversation with the bot
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == QUEUED


async def test_a_line_that_cannot_reach_the_customer_is_said_so_to_its_agent(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, number, shown = await web_customer(desk)
    ts = await desk.thread_of(number)
    assert await desk.press("U0SARA", TAKE_ACTION, number) == 200
    await desk.until(lambda: [m for m in shown if m["type"] == "agent"])  # her greeting
    await desk.settle()

    # The conversation's lock cannot be had (with several workers: Redis is out of reach).
    @asynccontextmanager
    async def out_of_reach(key: str) -> AsyncIterator[None]:
        raise LockUnavailable("the conversation's lock could not be taken (ConnectionError)")
        yield

    with monkeypatch.context() as patched:
        patched.setattr(desk.app.handoffs.locks, "hold", out_of_reach)
        await desk.write("U0SARA", "It arrives on Friday.", thread_ts=ts)
        await desk.write("U0SARA", "<@U0OLLE> can you call PostNord?", thread_ts=ts)  # to a colleague
        await desk.settle()
    [not_sent] = desk.ephemerals("U0SARA")
    assert "was not sent to the customer" in not_sent and "send it again" in not_sent
    assert [m["text"] for m in shown if m["type"] == "agent"][1:] == []
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == ACTIVE
    transcript = await desk.app.store.history(handoff.conversation_key)
    assert not [t for t in transcript if "Friday" in t.text]  # not stored either

    # Sent again once the lock can be had: it reaches the customer, once.
    await desk.write("U0SARA", "It arrives on Friday.", thread_ts=ts)
    lines = await desk.until(lambda: [m for m in shown if m["type"] == "agent"][1:])
    await desk.settle()
    assert [m["text"] for m in lines] == ["It arrives on Friday."]
    assert len(desk.ephemerals("U0SARA")) == 1


async def test_a_rate_limited_post_is_retried(desk: Desk) -> None:
    desk.standin.rate_limit_once("chat.postMessage", retry_after=1)
    _, number, _ = await web_customer(desk)
    ts = await desk.thread_of(number)
    await desk.until(lambda: desk.in_thread(ts))
    await desk.settle()
    first, again = desk.threads()  # Slack answered 429 to the first, and the client waited and retried
    assert first.args["text"] == again.args["text"]
    assert len(desk.in_thread(ts)) == 1


# --- a restart ---------------------------------------------------------------------------------------


async def test_a_restart_keeps_the_thread(data_dir: Path, standin: SlackStandIn) -> None:
    standin.users.update({"U0SARA": SARA})
    app = await agents_app(data_dir, standin)
    async with serving(app, standin) as desk:
        anna = Conversation(desk.app, ANNA, channel="web")
        number = number_in((await anna.say("talk to a person")).text)
        ts = await desk.thread_of(number)
        await desk.settle()
    assert len(desk.threads()) == 1

    app = await agents_app(data_dir, standin)  # the same database, a new process
    async with serving(app, standin) as desk:
        shown: list[dict[str, Any]] = []

        async def show(message: dict[str, Any]) -> None:
            shown.append(message)

        await desk.app.bus.subscribe(conversation_topic(f"web:{anna.conversation_id}"), show)
        await desk.settle()
        assert len(desk.threads()) == 1  # not posted again
        await desk.press("U0SARA", TAKE_ACTION, number)
        await desk.until(lambda: [u for u in desk.updates(ts) if "Taken over" in u.args["text"]])
        await desk.write("U0SARA", "Hello again", thread_ts=ts)
        lines = await desk.until(lambda: [m for m in shown if m["type"] == "agent"][1:])
        assert lines[0]["text"] == "Hello again"
        anna.app = desk.app
        await anna.say("Hi Sara")
        await desk.until(lambda: [t for t in desk.in_thread(ts) if t == "*Customer:* Hi Sara"])


async def test_a_handoff_queued_while_the_channel_was_off_is_posted_at_start(
    data_dir: Path, standin: SlackStandIn
) -> None:
    app = await agents_app(data_dir, standin)
    await app.handoffs.agent_online(SARA)  # a console keeps the desk open before the server starts
    anna = Conversation(app, ANNA, channel="web")
    number = number_in((await anna.say("talk to a person")).text)
    async with serving(app, standin) as desk:
        [first] = await desk.until(desk.threads)
        assert number in first.args["text"]


# --- the pure parts ----------------------------------------------------------------------------------


def test_commands_in_the_thread() -> None:
    assert command("hand back") == ("back", "")
    assert command("Hand back.") == ("back", "")
    assert command("close") == ("close", "")
    assert command("close: Delivery date given") == ("close", "Delivery date given")
    assert command("Close : Answered on the phone") == ("close", "Answered on the phone")
    assert command("Close the lid and restart it") is None  # a line for the customer
    assert command("closed it yesterday") is None
    assert command("I'll hand back the laptop") is None


def test_payloads_that_are_not_the_agents() -> None:
    press = payload("block_actions")
    assert agent_press(press) is None  # a customer's button
    press["actions"][0].update(action_id=TAKE_ACTION, value="HO-000001")
    assert agent_press(press) is not None
    press["actions"][0]["value"] = "<script>"
    assert agent_press(press) is None
    message = payload("message_im")
    assert thread_line(message, AGENTS) is None  # a DM
    message["event"].update(channel=AGENTS, channel_type="channel")
    assert thread_line(message, AGENTS) is None  # top level
    message["event"]["thread_ts"] = "1764370000.000001"
    assert thread_line(message, AGENTS) is not None
    message["event"]["subtype"] = "message_changed"
    assert thread_line(message, AGENTS) is None


async def test_a_channel_name_instead_of_an_id_is_a_configuration_error(
    data_dir: Path, standin: SlackStandIn
) -> None:
    settings = slack_settings(data_dir, standin, slack_agent_channel="#support-agents")
    app = await build_application(settings)
    try:
        with pytest.raises(ConfigurationError, match="channel id"):
            create_web_app(app)
    finally:
        await app.close()
