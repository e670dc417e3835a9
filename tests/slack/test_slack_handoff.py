"""A Slack customer hands off to an agent: the bot posts nothing while the agent has the
conversation, the customer's lines reach the agent and the agent's lines and the bot's return reach
the customer in Slack, after which the bot answers again; with no agent online it becomes a request."""

from __future__ import annotations

from sqlalchemy import text

from supportbot.adapters.app import Application
from supportbot.bot.handoff import OfficeHours
from tests.slack.conftest import Slack
from tests.slack.test_slack_server import blocks_text, dm

SARA = "sara@support.example"


async def test_the_bot_is_silent_while_an_agent_has_the_conversation(
    slack: Slack, slack_app: Application
) -> None:
    handoffs = slack_app.handoffs
    handoffs.office_hours = OfficeHours.parse("")  # whenever the test runs
    await handoffs.agent_online(SARA)
    await slack.event(dm("talk to a person", event_id="Ev1"))
    [queued] = await slack.standin.wait_for("chat.postMessage", 1)
    assert "HO-" in queued.args["text"]
    number = "HO-" + queued.args["text"].split("HO-", 1)[1][:6]
    assert await handoffs.take(number, SARA)
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert posts[1].args["text"] == "Sara from support has joined the chat."

    await slack.event(dm("are you there?", event_id="Ev2"))
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 2  # nothing posted for it
    key = "slack:T0SUPPORT:D0ANNA:U0ANNA"
    lines = await handoffs.transcript(key)
    assert lines[-1] == "user: are you there?"  # what the agent sees of the conversation

    assert await handoffs.reply(number, SARA, "Sara", "Yes, I'm here.")
    posts = await slack.standin.wait_for("chat.postMessage", 3)
    assert posts[2].args["text"] == "Sara: Yes, I'm here."
    assert await handoffs.hand_back(number, SARA)
    posts = await slack.standin.wait_for("chat.postMessage", 4)
    assert "Sara has left the chat, and I'm back" in posts[3].args["text"]

    # The bot has the conversation again and answers the next message itself.
    await slack.event(dm("where is my order 4711?", event_id="Ev3"))
    posts = await slack.standin.wait_for("chat.postMessage", 5)
    assert "PostNord" in blocks_text(posts[4].args["blocks"])
    closed = await handoffs.get(number)
    assert closed is not None and not closed.open


async def test_a_queued_customer_may_withdraw(slack: Slack, slack_app: Application) -> None:
    handoffs = slack_app.handoffs
    handoffs.office_hours = OfficeHours.parse("")
    await handoffs.agent_online(SARA)
    await slack.event(dm("talk to a person", user="U0ERIK", event_id="EvQ1"))
    [queued] = await slack.standin.wait_for("chat.postMessage")
    assert "HO-" in queued.args["text"]
    await slack.event(dm("avbryt", user="U0ERIK", event_id="EvQ2"))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert "tagit tillbaka" in posts[1].args["text"] or "withdrawn" in posts[1].args["text"]
    assert await handoffs.queue() == []


async def test_with_no_agent_online_the_handoff_becomes_a_request(
    slack: Slack, slack_app: Application
) -> None:
    slack_app.handoffs.office_hours = OfficeHours.parse("")  # office hours, but nobody at a console
    async with slack_app.engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one()
    await slack.event(dm("I want to talk to a person", event_id="EvN1"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "RQ-" in post.args["text"] and "one business day" in post.args["text"]
    async with slack_app.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one() == before + 1
    assert await slack_app.handoffs.queue() == []
