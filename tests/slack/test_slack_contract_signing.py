"""Signing a contract in Slack, through the real stack: Slack vouches for who the user is, so the
version shown (its full SHA-256) and a press of "Sign" are the whole signature; it is recorded with
the channel "slack", and a second press of the same button signs nothing more."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from supportbot.adapters.slack.render import button_values
from tests.slack.conftest import Slack, payload
from tests.slack.test_slack_server import blocks_text, dm

ANNA = "anna.berg@nordisk.example"


def _blocks(post: Any) -> list[Any]:
    blocks = post.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


async def _version(slack: Slack) -> Any:
    async with slack.channel.app.engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT v.sha256, v.signed_by, v.signed_name, v.signed_channel, v.awaiting "
                    "FROM contract_versions v JOIN contracts c ON c.id = v.contract_id "
                    "WHERE c.number = 'C-1003' AND v.version = 2"
                )
            )
        ).one()


async def test_anna_signs_with_the_button_and_slack_is_recorded(slack: Slack) -> None:
    before = await _version(slack)
    await slack.event(dm("sign contract C-1003"))
    [offer] = await slack.standin.wait_for("chat.postMessage")
    shown = blocks_text(offer.args["blocks"])
    assert before.sha256 in shown and "Amendment 1: Göteborg added" in shown
    assert "password" not in offer.args["text"]  # Slack's identity suffices
    assert button_values(_blocks(offer)) == ["yes, sign", "don't sign"]

    press = payload("block_actions")
    press["actions"][0].update(value="yes, sign", text={"type": "plain_text", "text": "Sign"})
    press["message"]["blocks"] = _blocks(offer)
    status, _ = await slack.interaction(press)
    assert status == 200
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert (
        "Signed. Version 2 of contract C-1003 is signed electronically by Anna Berg" in posts[1].args["text"]
    )
    assert "through Slack" in posts[1].args["text"]
    after = await _version(slack)
    assert (after.signed_by, after.signed_name, after.signed_channel, after.awaiting) == (
        ANNA,
        "Anna Berg",
        "slack",
        None,
    )

    # The same press again (Slack retries, or a second click): nothing more is signed.
    press["actions"][0]["action_ts"] = "1764370300.999999"
    status, _ = await slack.interaction(press)
    assert status == 200
    await slack.settle(3)
    assert await _version(slack) == after
    async with slack.channel.app.engine.connect() as conn:
        events = (await conn.execute(text("SELECT kind, channel FROM contract_events"))).all()
    assert [tuple(e) for e in events] == [("signed", "slack")]
