"""Contract notices in Slack: a user the bot knows in Slack gets each notice once as a DM, with its button,
in their language; a user Slack never saw is told in the web chat's inbox and by mail only."""

from __future__ import annotations

from conftest import Slack
from test_slack_server import blocks_text, dm, posts_to

from supportbot.adapters.app import Application
from supportbot.adapters.slack.render import button_values


async def test_a_contract_notice_reaches_the_slack_dm_once(slack: Slack, slack_app: Application) -> None:
    await slack.event(dm("hello", user="U0MAX", event_id="Ev0MAX"))
    await slack.settle(1)
    before = len(posts_to(slack, "D0MAX"))
    assert slack_app.contract_notices is not None

    done = await slack_app.contract_notices.run_once()
    assert done.sent == 5

    (notice,) = posts_to(slack, "D0MAX")[before:]
    assert notice.args["text"].startswith(
        "Contract C-2002 (Hardware maintenance: IBM Power S1014) ends in 55 days"
    )
    blocks = blocks_text(notice.args["blocks"])
    assert "Show contract C-2002" in blocks
    assert "show contract C-2002" in button_values(notice.args["blocks"])
    # Anna and Lena have not been seen in Slack: no DM is opened for them
    assert {c.args["users"] for c in slack.standin.called("conversations.open")} <= {"U0MAX"}

    assert (await slack_app.contract_notices.run_once()).sent == 0
    assert len(posts_to(slack, "D0MAX")) == before + 1
