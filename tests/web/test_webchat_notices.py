"""Notices over the web chat: an administrator's open chat gets an access request live, with its buttons,
and finds it in the history when it opens the chat again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from supportbot.adapters.server import APP_KEY
from supportbot.adapters.webchat.protocol import notice_frame
from supportbot.bot.bus import InProcessBus, user_topic
from supportbot.bot.messages import Button, Reply
from supportbot.bot.notify import notice_message
from tests.web.webchat_helpers import ANNA, ERIK, Browser, Chat, NewBrowser, new_id

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def next_notice(chat: Chat) -> dict[str, Any]:
    while True:
        frame = await chat.frame()
        if frame["type"] == "notice":
            return frame
        assert frame["type"] in {"typing", "pong"}, frame


async def test_a_notice_frame_is_the_reply_as_the_widget_renders_it() -> None:
    reply = Reply(
        text="Erik Lund asks for access to invoices (request AR-000001).",
        buttons=(Button(label="Approve", value="approve access request AR-000001"),),
        intent="account.access",
    )
    at = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    frame = notice_frame(notice_message(reply, at))
    assert frame == {
        "type": "notice",
        "reply": {
            "text": reply.text,
            "language": "en",
            "cards": [],
            "table": None,
            "buttons": [{"label": "Approve", "value": "approve access request AR-000001"}],
            "attachments": [],
        },
        "at": "2026-05-01T10:30:00Z",
    }
    assert notice_frame({"type": "notice", "reply": None}) is None


async def test_an_open_admin_chat_receives_the_request_live(
    browser: Browser, new_browser: NewBrowser
) -> None:
    await browser.login(ANNA)
    anna = await browser.chat(lang="en")
    erik_browser = await new_browser()
    await erik_browser.login(ERIK)
    erik = await erik_browser.chat(lang="en")

    asked = await erik.say("request access to invoices")
    assert "AR-0" in asked["reply"]["text"]

    notice = await next_notice(anna)
    assert "Erik Lund" in notice["reply"]["text"] and "intent" not in notice["reply"]
    assert notice["at"].endswith("Z")
    approve = next(b for b in notice["reply"]["buttons"] if b["label"] == "Godkänn")

    # Pressing the notice's button in the open chat decides; Erik's open chat hears the outcome live.
    message_id = new_id()
    decided = await anna.ask(approve["value"], button=True, message_id=message_id)
    assert "Erik Lund har nu behörighet till fakturor" in decided["reply"]["text"]
    outcome = await next_notice(erik)
    assert "approved" in outcome["reply"]["text"]

    # A chat opened later has the notice in its history, in time order.
    await anna.close()
    again = await browser.chat(lang="en")
    texts = [item["text"] for item in again.history]
    assert any("Erik Lund" in text and "AR-0" in text for text in texts)
    noticed = next(item for item in again.history if "Erik Lund" in item["text"] and "AR-0" in item["text"])
    assert noticed["role"] == "bot" and noticed["reply"]["buttons"]
    assert texts.index(noticed["text"]) < len(texts) - 1, "the decision came after the notice"
    await again.close()
    await erik.close()


async def test_a_closed_chat_stops_listening(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    app = browser.client.app
    assert app is not None
    bus = app[APP_KEY].notifier.bus
    assert isinstance(bus, InProcessBus)
    listening = bus.subscribers(user_topic(ANNA))
    assert listening >= 1
    await chat.close()
    for _ in range(100):
        if bus.subscribers(user_topic(ANNA)) < listening:
            break
        await asyncio.sleep(0.02)
    assert bus.subscribers(user_topic(ANNA)) == listening - 1
