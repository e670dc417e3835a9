"""Slack fixtures: the real server (bolt behind aiohttp) on the seeded demo data, a local stand-in of the
Slack Web API, and a client that signs requests exactly as Slack does."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.slack.channel import CHANNEL_KEY, SlackChannel
from tests.conftest import make_settings
from tests.slack.slack_standin import TOKEN, SlackStandIn

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PAYLOADS = Path(__file__).parent / "payloads"

USERS = {
    "U0ANNA": "anna.berg@nordisk.example",
    "U0ERIK": "erik.lund@nordisk.example",
    "U0MAX": "max.muller@contoso.example",
    "U0STRANGER": "someone@elsewhere.example",
    "U0NOMAIL": None,
}


def payload(name: str) -> dict[str, Any]:
    """A recorded payload from ``payloads/`` (a fresh copy each time, to change freely)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def sign(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature headers: HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


class Slack:
    """What Slack's servers do to ours: signed POSTs to /slack/events."""

    def __init__(self, client: TestClient[web.Request, web.Application], standin: SlackStandIn) -> None:
        self.client = client
        self.standin = standin

    @property
    def channel(self) -> SlackChannel:
        return self.client.app[CHANNEL_KEY]

    async def post(
        self, body: str, content_type: str, *, headers: dict[str, str] | None = None, **signing: Any
    ) -> tuple[int, str]:
        all_headers = {"Content-Type": content_type, **sign(body, **signing), **(headers or {})}
        response = await self.client.post("/slack/events", data=body.encode(), headers=all_headers)
        return response.status, await response.text()

    async def event(self, data: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return await self.post(json.dumps(data), "application/json", **kwargs)

    async def interaction(self, data: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return await self.post(
            urlencode({"payload": json.dumps(data)}), "application/x-www-form-urlencoded", **kwargs
        )

    async def command(self, form: dict[str, str], **kwargs: Any) -> tuple[int, str]:
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    async def settle(self, finished: int, *, timeout: float = 15.0) -> None:
        """Wait until the channel has finished ``finished`` pieces of work after their acks."""
        deadline = time.monotonic() + timeout
        while self.channel.finished < finished:
            assert time.monotonic() < deadline, f"only {self.channel.finished} of {finished} finished"
            await asyncio.sleep(0.02)
        await self.channel.drain()


@pytest.fixture
async def standin(free_port: int) -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn()
    server.users.update(USERS)
    await server.start(free_port)
    yield server
    await server.close()


def slack_settings(data_dir: Path, standin: SlackStandIn, **overrides: object) -> Any:
    values: dict[str, object] = {
        "slack_signing_secret": SIGNING_SECRET,
        "slack_bot_token": TOKEN,
        "slack_api_url": f"{standin.base_url}/api/",
        "slack_file_hosts": (standin.base_url,),  # shared files are served by the stand-in
    }
    values.update(overrides)
    return make_settings(data_dir, **values)


@pytest.fixture
async def slack_app(data_dir: Path, standin: SlackStandIn) -> Application:
    return await build_application(slack_settings(data_dir, standin))  # the web app's cleanup closes it


@pytest.fixture
async def slack(slack_app: Application, standin: SlackStandIn) -> AsyncIterator[Slack]:
    async with TestClient(TestServer(create_web_app(slack_app))) as client:
        yield Slack(client, standin)
