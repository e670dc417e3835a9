"""Installed equipment in Slack, through the real stack: a signed DM answered with the items in Block
Kit (lapsed maintenance flagged), and a move prepared, confirmed with the request card's button and
opened as a request."""

from __future__ import annotations

import json
from typing import Any

from supportbot.adapters.slack.render import button_values
from tests.slack.conftest import Slack, payload
from tests.slack.test_slack_server import blocks_text, dm


def _blocks(post: Any) -> list[dict[str, Any]]:
    blocks = post.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


async def test_inventory_by_site_and_a_move_confirmed_with_a_button(slack: Slack) -> None:
    status, _ = await slack.event(dm("what hardware do we have in Kista?", event_id="Ev1"))
    assert status == 200
    [post] = await slack.standin.wait_for("chat.postMessage")
    shown = blocks_text(post.args["blocks"])
    for fact in ("78ABC12", "78TAP77", "78PWR09", "LAPSED on", "C-1001"):
        assert fact in shown, fact
    assert "78XYZ34" not in shown
    assert "download this inventory as a spreadsheet" in button_values(_blocks(post))

    await slack.event(dm("we need to move the FlashSystem to Kista", event_id="Ev2"))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    card = _blocks(posts[1])
    assert "Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista" in blocks_text(card)
    assert "open" in button_values(card)
    press = payload("block_actions")
    press["actions"][0]["value"] = "open"
    press["message"]["blocks"] = card
    status, _ = await slack.interaction(press)
    assert status == 200
    posts = await slack.standin.wait_for("chat.postMessage", 3)
    assert "I've opened request RQ-" in posts[2].args["text"]
    assert "Move IBM FlashSystem 5200 (78XYZ34)" in posts[2].args["text"]
