"""A contract's card in a Slack DM, through the real stack: a signed event in, the Block Kit the stand-in
of the Slack Web API received out, with the terms in the customer's words and the buttons that ask
the inventory tool about a covered item and sign the version that waits."""

from __future__ import annotations

from tests.slack.conftest import Slack
from tests.slack.test_slack_server import blocks_text, dm


async def test_the_contract_card_in_a_dm(slack: Slack) -> None:
    status, _ = await slack.event(dm("what is the status of contract C-1003"))
    assert status == 200
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0ANNA"
    shown = blocks_text(post.args["blocks"])
    for fact in ("Contract C-1003", "Services", "Renews automatically for 12 months", "Last day to give notice",
                 "SEK", "IBM Storage Protect", "Signature of version 2", "/documents/contract/C-1003.pdf"):  # fmt: skip
        assert fact in shown, f"{fact!r} not in the blocks:\n{shown}"
    assert "awaiting_signature" not in shown and "automatic_" not in shown
    assert "sign contract C-1003" in shown, "the button that signs the version waiting"
    assert "show item 5725-W98-0093" in shown, "the covered item's button asks the inventory tool"
    assert "C-1003" in post.args["text"]


async def test_swedish_in_a_dm(slack: Slack) -> None:
    await slack.event(dm("vilka avtal går ut inom 60 dagar"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    shown = blocks_text(post.args["blocks"])
    assert "som går ut inom 60 dagar" in post.args["text"]
    assert "C-1001" in shown and "Hårdvaruunderhåll" in shown and "C-1003" not in shown
