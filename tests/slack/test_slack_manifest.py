"""The Slack app manifest declares exactly what the adapter handles, and the command fills its URLs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from supportbot.adapters.cli import main
from supportbot.adapters.slack.manifest import TEMPLATE, build_manifest, load_template, write_slack_manifest
from supportbot.adapters.slack.surface import COMMAND, EVENTS, SCOPES
from tests.slack.conftest import Slack, payload


def test_the_template_is_at_the_repository_root() -> None:
    assert Path(__file__).parents[2] / "manifest" / "slack.yaml" == TEMPLATE


def test_the_manifest_declares_what_the_adapter_handles() -> None:
    manifest = load_template()
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == sorted(EVENTS)
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(SCOPES)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    home = manifest["features"]["app_home"]
    assert (
        home["home_tab_enabled"]
        and home["messages_tab_enabled"]
        and not home["messages_tab_read_only_enabled"]
    )
    for needed in (
        "chat:write",
        "im:history",
        "im:write",
        "app_mentions:read",
        "users:read",
        "users:read.email",
    ):
        assert needed in SCOPES


def test_every_request_url_points_at_the_server() -> None:
    manifest = build_manifest("https://support.example.com/")
    url = "https://support.example.com/slack/events"
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["features"]["slash_commands"][0]["url"] == url
    assert "{base_url}" not in json.dumps(manifest)


def test_the_cli_prints_or_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "slack", "--url", "https://bot.example.com"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["settings"]["event_subscriptions"]["request_url"] == "https://bot.example.com/slack/events"
    out = tmp_path / "slack.yaml"
    assert write_slack_manifest(url="https://bot.example.com", out=str(out)) == 0
    assert yaml.safe_load(out.read_text()) == printed


@pytest.mark.parametrize(
    "url", ["http://bot.example.com", "bot.example.com", "https://", "https://x.example/?a=1"]
)
def test_a_url_slack_would_not_call_is_refused(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert write_slack_manifest(url=url, out=None) == 2
    assert "--url" in capsys.readouterr().err


def _event(kind: str) -> dict[str, Any]:
    if kind == "message.im":
        return payload("message_im")
    if kind == "app_mention":
        return payload("app_mention")
    if kind in {"message.channels", "message.groups"}:  # Slack sends these as "message" events
        data = payload("message_im")
        data["event"].update(channel="C0GENERAL", channel_type=kind.split(".")[1].rstrip("s"))
        return data
    data = payload("app_home_opened")
    data["event"]["type"] = kind
    return data


@pytest.mark.parametrize("kind", sorted(load_template()["settings"]["event_subscriptions"]["bot_events"]))
async def test_each_declared_event_has_a_listener(slack: Slack, kind: str) -> None:
    status, _ = await slack.event(_event(kind))
    assert status == 200  # bolt answers 404 to an event nobody listens to


async def test_an_undeclared_event_has_none(slack: Slack) -> None:
    status, _ = await slack.event(_event("reaction_added"))
    assert status == 404


async def test_the_declared_command_has_a_listener(slack: Slack) -> None:
    for command in load_template()["features"]["slash_commands"]:
        form = payload("slash_command") | {
            "command": command["command"],
            "response_url": slack.standin.response_url(),
        }
        status, _ = await slack.command(form)
        assert status == 200
    await slack.standin.wait_for("response_url")


async def test_interactivity_has_listeners_for_buttons_and_the_modal(slack: Slack) -> None:
    """Interactivity (on in the manifest) carries button presses and the question modal's submission."""
    assert load_template()["settings"]["interactivity"]["is_enabled"] is True
    ask = payload("block_actions")
    ask["actions"][0] = {"action_id": "supportbot_ask", "type": "button", "action_ts": "1764370400.000003"}
    for body in (payload("block_actions"), ask, payload("view_submission")):
        status, _ = await slack.interaction(body)
        assert status == 200  # bolt answers 404 to a payload nobody listens to
    await slack.standin.wait_for("views.open")
    await slack.standin.wait_for("chat.postMessage", 2)
