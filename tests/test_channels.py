"""The channel contract: every channel the settings configure is built, keeps the contract and
declares what it can do; a channel whose settings are missing is not built at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from supportbot.adapters.app import build_application
from supportbot.adapters.channel import Arrival, Channel, ConversationChannel
from supportbot.adapters.channels import build_channels
from supportbot.adapters.console import ConsoleChannel, ConsoleLine, render_text
from supportbot.bot.messages import Button, Capability, Reply
from tests.conftest import make_settings

REPLY = Reply(text="Which order?", buttons=(Button(label="Order 4711", value="order 4711"),))
EVERY_CAPABILITY = frozenset(get_args(Capability))


async def test_every_configured_channel_is_built_and_keeps_the_contract(data_dir: Path) -> None:
    settings = make_settings(
        data_dir,
        slack_bot_token="xoxb-not-a-real-token",
        slack_signing_secret="not-a-real-secret",
        slack_agent_channel="C0123ABCD",
        teams_emulator=True,
        directline_enabled=True,
    )
    app = await build_application(settings)
    try:
        channels = build_channels(app)
        assert [c.name for c in channels] == ["web", "agents", "slack-agents", "slack", "teams", "directline"]
        for channel in channels:
            assert isinstance(channel, Channel), channel
            assert channel.capabilities <= EVERY_CAPABILITY, channel.name
        chats = [c for c in channels if isinstance(c, ConversationChannel)]
        assert [c.name for c in chats] == ["web", "slack", "teams", "directline"]
        # Only the web chat's users sign in there with a password it can ask for again; Slack and
        # Teams vouch for their users themselves.
        assert [c.name for c in chats if "password" in c.capabilities] == ["web"]
        for chat in chats:
            # People chat in these: they show forms and send files (Microsoft's WebChat gets files
            # as links but is never asked for one), and each renders a reply its way.
            wanted = {"forms"} if chat.name == "directline" else {"forms", "files"}
            assert chat.capabilities >= wanted, chat.name
            wire = chat.render(REPLY)
            shown = json.dumps(wire.serialize() if hasattr(wire, "serialize") else wire)  # a Teams Activity
            assert "Order 4711" in shown and "order 4711" in shown, chat.name  # the button, pressable
        # Agent-facing channels declare nothing beyond text; agents hear of their work on the bus.
        for channel in channels:
            if channel.name in ("agents", "slack-agents", "web", "directline"):
                assert await channel.deliver("anna.berg@nordisk.example", REPLY) is False
    finally:
        await app.close()


async def test_a_channel_without_its_settings_is_not_built(data_dir: Path) -> None:
    app = await build_application(make_settings(data_dir))
    try:
        assert [c.name for c in build_channels(app)] == ["web", "agents"]
    finally:
        await app.close()


async def test_the_console_keeps_the_contract(data_dir: Path) -> None:
    app = await build_application(make_settings(data_dir))
    try:
        console = ConsoleChannel(app.pipeline, json_mode=False)
        assert isinstance(console, ConversationChannel)
        assert console.capabilities == frozenset()  # no forms and no files: the core never asks for them
        message = console.to_message(ConsoleLine("c-1", "order 4711", is_button=True), Arrival("anna"))
        assert (message.conversation.key, message.user_id, message.is_button) == ("console:c-1", "anna", True)
        assert message.capabilities == frozenset()
        assert console.render(REPLY) == render_text(REPLY)
        assert await console.deliver("anna", REPLY) is False
    finally:
        await app.close()
