"""Two ``supportbot serve`` workers on one PostgreSQL database and one Redis, and the people who use
them: customers in the web chat (one browser's cookie works on either worker, as behind a load
balancer) and agents in the console."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from yarl import URL

from supportbot.integrations.sql.schema import users
from tests.crash.harness import Server
from tests.web.webchat_helpers import DEMO_PASSWORD, Browser

SARA = "sara@support.example"
OLLE = "olle@support.example"
SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_TOKEN = "xoxb-test"
SLACK_USERS = {"U0ANNA": "anna.berg@nordisk.example"}
"""Slack people the Web API stand-in knows: the e-mail users.info reports."""
SLACK_PAYLOADS = Path(__file__).resolve().parents[1] / "slack" / "payloads"


def sign(body: str) -> dict[str, str]:
    """Slack's v0 signature headers, as Slack signs every request it sends."""
    stamp = str(int(time.time()))
    digest = hmac.new(SLACK_SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def dm(text: str, *, event_id: str, user: str = "U0ANNA") -> dict[str, Any]:
    """A direct message to the bot, as Slack delivers it (the recorded payload, changed)."""
    data: dict[str, Any] = json.loads((SLACK_PAYLOADS / "message_im.json").read_text(encoding="utf-8"))
    data["event"].update(text=text, user=user, channel=f"D{user[1:]}")
    data["event_id"] = event_id
    return data


class Worker(Server):
    """A ``serve`` process; ``make_url`` lets the web chat's and the console's helpers talk to it."""

    def make_url(self, path: str) -> URL:
        return URL(self.url + path)


def worker_env(database_url: str, redis_url: str, prefix: str, slack_api: str) -> dict[str, str]:
    return {
        "SUPPORTBOT_DATABASE_URL": database_url,
        "SUPPORTBOT_REDIS_URL": redis_url,
        "SUPPORTBOT_REDIS_PREFIX": prefix,
        "SUPPORTBOT_AGENTS_AROUND_THE_CLOCK": "true",
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_API_URL": f"{slack_api}/api/",
        "SUPPORTBOT_TEAMS_EMULATOR": "true",  # Teams without tokens; it calls loopback connectors only
    }


async def add_second_agent(database_url: str) -> None:
    """Olle, a copy of the demo agent Sara with another id."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            row = (await conn.execute(select(users).where(users.c.user_id == SARA))).mappings().one()
            await conn.execute(users.insert().values({**row, "user_id": OLLE, "name": "Olle"}))
    finally:
        await engine.dispose()


def customer(worker: Worker, session: aiohttp.ClientSession) -> Browser:
    """One browser (``session`` is its cookie jar) talking to ``worker``: the same browser on the other
    worker shares the cookie, as every worker behind a load balancer would see it."""
    return Browser(worker, session)  # type: ignore[arg-type]  # make_url is all it uses


class Agent:
    """One agent's browser signed in to the console of one worker, with its WebSocket."""

    def __init__(self, worker: Worker, session: aiohttp.ClientSession) -> None:
        self.worker = worker
        self.session = session
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.seen: list[dict[str, Any]] = []

    async def sign_in(self, user: str) -> Agent:
        async with self.session.post(
            self.worker.make_url("/agents/api/login"),
            json={"user": user, "password": DEMO_PASSWORD},
            headers={"Origin": self.worker.url},
        ) as response:
            assert response.status == 200, await response.text()
        self.ws = await self.session.ws_connect(
            self.worker.make_url("/agents/ws"), headers={"Origin": self.worker.url}
        )
        assert (await self.frame())["type"] == "ready"
        assert (await self.frame())["type"] == "queue"
        return self

    async def frame(self, timeout: float = 15.0) -> dict[str, Any]:
        assert self.ws is not None
        message = await self.ws.receive(timeout=timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame = dict(json.loads(message.data))
        self.seen.append(frame)
        return frame

    async def until(self, kind: str, **match: Any) -> dict[str, Any]:
        while True:
            frame = await self.frame()
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(frame))


def data_dir(base: Path, name: str) -> Path:
    path = base / name
    path.mkdir(parents=True, exist_ok=True)
    return path
