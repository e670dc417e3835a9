"""What operations sees of a worker: liveness, readiness with the schema's revision, and Prometheus metrics
that count real turns of the web chat and read the queues from the database."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.settings import Settings
from tests.web.webchat_helpers import Browser, new_id, shown

ANNA = "anna.berg@nordisk.example"
SARA = "sara@support.example"
TOKEN = "scrape-token-0123456789abcdef"


@pytest_asyncio.fixture
async def client(own_settings: Settings) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    server = TestServer(create_web_app(await build_application(own_settings)))
    async with TestClient(server) as client:
        yield client


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the Prometheus text ``metrics``: ``name`` with exactly ``labels``."""
    for line in metrics.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match is None or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if found == labels:
            return float(match.group(3))
    return None


async def scrape(client: TestClient[web.Request, web.Application], **headers: str) -> str:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, response.status
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return await response.text()


async def test_a_live_worker_with_a_current_schema_is_ready(
    client: TestClient[web.Request, web.Application],
) -> None:
    alive = await client.get("/healthz")
    assert alive.status == 200 and await alive.json() == {"ok": True}
    ready = await client.get("/readyz")
    assert ready.status == 200
    assert await ready.json() == {"ready": True, "checks": {"database": "ok", "migrations": "ok"}}


async def test_a_worker_on_a_database_behind_the_code_is_not_ready(own_settings: Settings) -> None:
    server = TestServer(create_web_app(await build_application(own_settings)))
    async with TestClient(server) as client:
        # Another deployment step rolled the schema back under the running worker.
        with sqlite3.connect(own_settings.data_dir / "supportbot.sqlite3") as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0001'")
        ready = await client.get("/readyz")
        assert ready.status == 503
        assert await ready.json() == {"ready": False, "checks": {"database": "ok", "migrations": "behind"}}
        assert (await client.get("/healthz")).status == 200  # alive all the same: no restart needed


async def test_metrics_count_the_turns_the_misses_and_the_open_chats(
    client: TestClient[web.Request, web.Application], own_settings: Settings
) -> None:
    before = await scrape(client)
    assert sample(before, "supportbot_turns_total", channel="web", intent="order.status") is None
    assert sample(before, "supportbot_websockets_open") == 0

    browser = Browser(client, client.session)
    assert (await browser.login(ANNA)).status == 200
    chat = await browser.chat()
    assert sample(await scrape(client), "supportbot_websockets_open") == 1
    for number in ("4711", "4712"):
        reply = await chat.say(f"where is order {number}")
        assert f"Order {number}" in shown(reply["reply"])
    repeated = new_id()
    await chat.say("zxqv blorp", message_id=repeated)
    await chat.send({"type": "message", "id": repeated, "text": "zxqv blorp"})  # a resend: not a new turn
    await chat.answer(repeated)

    after = await scrape(client)
    assert sample(after, "supportbot_turns_total", channel="web", intent="order.status") == 2
    assert sample(after, "supportbot_turn_seconds_count", channel="web", intent="order.status") == 2
    assert sample(after, "supportbot_turns_total", channel="web", intent="none") == 1
    assert sample(after, "supportbot_nlu_misses_total", channel="web") == 1
    slowest = sample(after, "supportbot_turn_seconds_bucket", channel="web", intent="order.status", le="+Inf")
    assert slowest == 2

    # The queues, as the database has them now.
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(own_settings.data_dir / "supportbot.sqlite3") as conn:
        (past_due,) = conn.execute(
            "SELECT count(*) FROM requests WHERE status IN ('open', 'in_progress') AND due_at < ?", (now,)
        ).fetchone()
        (queued,) = conn.execute("SELECT count(*) FROM handoffs WHERE status = 'queued'").fetchone()
        (pending,) = conn.execute("SELECT count(*) FROM mail_outbox WHERE status = 'pending'").fetchone()
    assert sample(after, "supportbot_requests_past_due") == past_due
    assert sample(after, "supportbot_handoffs_queued") == queued
    assert sample(after, "supportbot_mail_outbox_pending") == pending

    await chat.close()
    assert sample(await scrape(client), "supportbot_websockets_open") == 0


async def test_a_waiting_customer_shows_in_the_handoff_queue(own_settings: Settings) -> None:
    settings = own_settings.model_copy(update={"agents_around_the_clock": True})  # whatever the hour
    server = TestServer(create_web_app(await build_application(settings)))
    async with TestClient(server) as client:
        await server.app[APP_KEY].handoffs.agent_online(SARA)  # an agent console is open
        browser = Browser(client, client.session)
        assert (await browser.login(ANNA)).status == 200
        chat = await browser.chat()
        before = sample(await scrape(client), "supportbot_handoffs_queued") or 0
        reply = await chat.say("talk to a person")
        assert "HO-" in shown(reply["reply"])  # the tracking number of the handoff
        after = await scrape(client)
        assert sample(after, "supportbot_handoffs_queued") == before + 1
        wait = sample(after, "supportbot_handoff_longest_wait_seconds")
        assert wait is not None and wait >= 0
        await chat.close()


async def test_metrics_are_for_this_machine_or_a_scraper_with_the_token(own_settings: Settings) -> None:
    server = TestServer(create_web_app(await build_application(own_settings)))
    async with TestClient(server) as client:
        # Through a reverse proxy the peer is local, but the request is not: refused.
        assert (await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})).status == 403
        assert (await client.get("/metrics", headers={"Forwarded": "for=203.0.113.9"})).status == 403
        assert (await client.get("/metrics")).status == 200

    tokened = own_settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
    server = TestServer(create_web_app(await build_application(tokened)))
    async with TestClient(server) as client:
        assert (await client.get("/metrics")).status == 403
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 403
        text = await scrape(client, Authorization=f"Bearer {TOKEN}", **{"X-Forwarded-For": "203.0.113.9"})
        assert "supportbot_turns_total" in text or "supportbot_turns" in text
