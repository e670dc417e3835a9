"""Contract notices in Slack: a user the bot knows in Slack gets each notice once as a DM, with its button,
in their language; a user Slack never saw is told in the web chat's inbox and by mail only."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from supportbot.adapters.app import Application
from supportbot.adapters.slack.render import button_values
from tests.conftest import TEST_SECRET
from tests.slack.conftest import SIGNING_SECRET, Slack
from tests.slack.slack_standin import TOKEN
from tests.slack.test_slack_server import blocks_text, dm, posts_to


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


async def test_the_notices_command_cron_runs_reaches_slack_too(slack: Slack, data_dir: Path) -> None:
    await slack.event(dm("hello", user="U0MAX", event_id="Ev0MAX"))
    await slack.settle(1)
    before = len(posts_to(slack, "D0MAX"))
    environment = dict(
        os.environ,
        SUPPORTBOT_DATA_DIR=str(data_dir),
        SUPPORTBOT_SECRET_KEY=TEST_SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{slack.standin.base_url}/api/",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "supportbot.adapters.cli", "--log-level", "WARNING", "notices", "--run-once",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=environment,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == "5 contract notices sent, 5 mailed"
    (notice,) = posts_to(slack, "D0MAX")[before:]
    assert "C-2002" in notice.args["text"]
