"""A Slack customer hands off to an agent: the bot posts nothing while the agent has the
conversation, and the agent's lines and the bot's return reach the customer in Slack."""

from __future__ import annotations

from conftest import Slack
from test_slack_server import dm

from supportbot.adapters.app import Application
from supportbot.bot.handoff import OfficeHours

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

    await slack.event(dm("are you there?", event_id="Ev2"))
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 1  # nothing posted for it

    assert await handoffs.reply(number, SARA, "Sara", "Yes, I'm here.")
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert posts[1].args["text"] == "Sara: Yes, I'm here."
    assert await handoffs.hand_back(number, SARA)
    posts = await slack.standin.wait_for("chat.postMessage", 3)
    assert "I'm back" in posts[2].args["text"]
