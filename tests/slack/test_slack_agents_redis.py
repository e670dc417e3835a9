"""The Slack agents' channel with Redis out of reach: an agent who closes or hands back a conversation
from its thread, or with its buttons, while a TCP proxy between the server and Redis is cut, is told
(visibly only to them) that it did not go through, and nothing changed: the handoff is still theirs,
the customer heard nothing and their conversation is still with the agent. Done again once Redis is
back, it goes through whole: the handoff is closed and the customer is told.

A visible skip when the test Redis does not answer (``SUPPORTBOT_TEST_REDIS_URL``).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from supportbot.adapters.app import build_application
from supportbot.adapters.slack.agents import BACK_ACTION
from supportbot.bot.handoff import ACTIVE, BACK, CLOSED, conversation_topic
from supportbot.bot.state import DialogState
from tests.faults.proxy import TcpProxy, proxied_redis
from tests.scale.conftest import _forget, run
from tests.slack.conftest import slack_settings
from tests.slack.slack_standin import SlackStandIn
from tests.slack.test_slack_agents import (
    AGENTS,
    SARA,
    TAKE_ACTION,
    Desk,
    add_olle,
    number_in,
    serving,
    web_customer,
)
from tests.slack.test_slack_server import dm

NOT_CLOSED = "so the conversation was not closed"
NOT_HANDED_BACK = "so the conversation was not handed back"


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    """A proxy in front of the test Redis, for the server's client to be cut off by."""
    with proxied_redis() as running:
        yield running


@pytest.fixture
def prefix(redis_proxy: TcpProxy) -> Iterator[str]:
    value = f"sbtest-{uuid.uuid4().hex[:10]}:"
    yield value
    run(_forget(value))


@pytest.fixture
async def desk(
    data_dir: Path, standin: SlackStandIn, redis_proxy: TcpProxy, prefix: str
) -> AsyncIterator[Desk]:
    """The agents' channel on a server that shares its bus, locks and limits through Redis."""
    standin.users.update({"U0SARA": SARA, "U0OLLE": "olle@support.example"})
    settings = slack_settings(
        data_dir,
        standin,
        slack_agent_channel=AGENTS,
        office_hours="",
        redis_url=f"redis://127.0.0.1:{redis_proxy.port}/0",
        redis_prefix=prefix,
    )
    app = await build_application(settings)
    await add_olle(app)
    async with serving(app, standin) as desk:
        yield desk


async def bus_listens_again(desk: Desk, topic: str, shown: list[dict[str, Any]]) -> None:
    """After the heal: the bus hears ``topic`` again (it listens again by itself within a second)."""
    deadline = time.monotonic() + 15
    while not [m for m in shown if m.get("type") == "probe"]:
        assert time.monotonic() < deadline, "the bus did not listen again"
        await desk.app.bus.publish(topic, {"type": "probe"})
        await asyncio.sleep(0.2)


async def still_with_the_agent(desk: Desk, number: str) -> None:
    """Nothing changed: the handoff is the agent's, and the conversation keeps silent for them."""
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == ACTIVE and handoff.agent == SARA
    desk.app.store.forget(handoff.conversation_key)
    conv = await desk.app.store.load(handoff.conversation_key, channel=handoff.channel, user_id=None)
    assert DialogState.load(conv.state).handoff == number
    transcript = await desk.app.store.history(handoff.conversation_key)
    assert not [t for t in transcript if (t.payload or {}).get("intent") == BACK]


async def test_a_close_in_the_thread_with_redis_out_of_reach_is_refused_then_done_whole(
    desk: Desk, redis_proxy: TcpProxy
) -> None:
    anna, number, shown = await web_customer(desk)
    ts = await desk.thread_of(number)
    assert await desk.press("U0SARA", TAKE_ACTION, number) == 200
    await desk.until(lambda: [m for m in shown if m["type"] == "agent"])  # her greeting, through Redis
    await desk.settle()

    redis_proxy.cut()
    await desk.write("U0SARA", "close: Delivery date given", thread_ts=ts)
    await desk.settle()
    [told] = await desk.until(lambda: desk.ephemerals("U0SARA"))
    assert NOT_CLOSED in told and "try again" in told
    ephemeral = desk.standin.called("chat.postEphemeral")[-1]
    assert ephemeral.args.get("thread_ts") == ts  # in the thread, to her alone
    await still_with_the_agent(desk, number)
    assert not [t for t in desk.in_thread(ts) if "Closed by" in t]

    redis_proxy.heal()
    await bus_listens_again(desk, conversation_topic(anna.ref.key), shown)
    await desk.write("U0SARA", "close: Delivery date given", thread_ts=ts)  # sent again: a new event
    back = await desk.until(lambda: [m for m in shown if m["type"] == "bot"])
    assert "closed this conversation" in back[0]["reply"]["text"]
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == CLOSED and handoff.resolution == "Delivery date given"
    await desk.until(lambda: [t for t in desk.in_thread(ts) if "Closed by Sara Lindqvist" in t])
    transcript = await desk.app.store.history(handoff.conversation_key)
    assert len([t for t in transcript if (t.payload or {}).get("intent") == BACK]) == 1
    assert len(desk.ephemerals("U0SARA")) == 1


async def test_a_hand_back_pressed_with_redis_out_of_reach_leaves_a_slack_customer_with_the_agent(
    desk: Desk, redis_proxy: TcpProxy
) -> None:
    await desk.slack.event(dm("talk to a person", event_id="EvRedis1"))
    number = number_in((await desk.until(desk.dms))[0])
    ts = await desk.thread_of(number)
    await desk.press("U0SARA", TAKE_ACTION, number)
    await desk.until(lambda: desk.dms()[2:])  # joined, and her greeting
    await desk.settle()
    said = len(desk.dms())

    redis_proxy.cut(silent=True)  # a partition this time: Redis does not answer at all
    await desk.press("U0SARA", BACK_ACTION, number)
    [told] = await desk.until(lambda: desk.ephemerals("U0SARA"), timeout=30)
    assert NOT_HANDED_BACK in told and "try again" in told
    await desk.settle()
    assert len(desk.dms()) == said  # Anna heard nothing
    await still_with_the_agent(desk, number)

    redis_proxy.heal()
    await desk.press("U0SARA", BACK_ACTION, number)
    back = await desk.until(lambda: desk.dms()[said:])
    assert "Sara has left the chat, and I'm back" in back[0]
    handoff = await desk.app.handoffs.get(number)
    assert handoff is not None and handoff.status == CLOSED
    await desk.until(
        lambda: [t for t in desk.in_thread(ts) if "Handed back to the bot by Sara Lindqvist" in t]
    )
