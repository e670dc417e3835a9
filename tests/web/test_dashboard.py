"""The support managers' dashboard over the real server: only a support administrator reads it (Jonas);
a plain agent (Sara) gets 403, a customer's or nobody's session 401; the figures of a seeded history
come back exactly, in the agent's language, and as CSV that no spreadsheet runs as a formula."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import insert

from supportbot.adapters.agents.dashboard import safe_cell
from supportbot.adapters.app import build_application
from supportbot.adapters.server import create_web_app
from supportbot.integrations.sql.state import conversations
from tests.integrations.test_dashboard_stats import seed_history
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD

pytestmark = pytest.mark.asyncio(loop_scope="module")

JONAS = "jonas@support.example"
SARA = "sara@support.example"
PERIOD = "from=2026-03-16&to=2026-03-29"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    """The demo server with the history of ``test_dashboard_stats``, and on 1 April two conversations
    in channels whose names a spreadsheet would take for formulas."""
    app = await build_application(web_settings(demo_data_dir(tmp_path_factory, seeded_template)))
    await seed_history(app.engine)
    april = datetime(2026, 4, 1, 10, tzinfo=UTC)
    async with app.engine.begin() as conn:
        for key, channel in (("x:1", '=HYPERLINK("http://evil")'), ("x:2", "@SUM(A1)")):
            await conn.execute(
                insert(conversations).values(
                    key=key,
                    channel=channel,
                    language="en",
                    state={},
                    seq=0,
                    created_at=april,
                    updated_at=april,
                )
            )
    test_server = TestServer(create_web_app(app))
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


async def signed_in(
    server: TestServer, sessions: list[aiohttp.ClientSession], user: str | None, door: str = "agents"
) -> aiohttp.ClientSession:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    if user is not None:
        async with session.post(
            server.make_url(f"/{door}/api/login"),
            json={"user": user, "password": DEMO_PASSWORD},
            headers={"Origin": str(server.make_url("/").origin())},
        ) as response:
            assert response.status == 200, await response.text()
    return session


async def get(session: aiohttp.ClientSession, server: TestServer, path: str) -> tuple[int, Any]:
    async with session.get(server.make_url(path)) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.read()


async def test_only_a_support_administrator_reads_the_figures(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    nobody = await signed_in(server, sessions, None)
    customer = await signed_in(server, sessions, ANNA, door="webchat")
    sara = await signed_in(server, sessions, SARA)
    for path in (f"/agents/api/dashboard?{PERIOD}", f"/agents/api/dashboard.csv?{PERIOD}"):
        status, body = await get(nobody, server, path)
        assert (status, body["error"]) == (401, "sign_in")
        status, body = await get(customer, server, path)  # a web chat session opens nothing here
        assert (status, body["error"]) == (401, "sign_in")
        status, body = await get(sara, server, path)
        assert (status, body["error"]) == (403, "forbidden")
        assert body["message"] == "Only support administrators see the dashboard."

    # Nor does a customer's web chat cookie, handed to the console's door under its name.
    (cookie,) = [c for c in customer.cookie_jar if c.key != "sb_agent"]
    forged = await signed_in(server, sessions, None)
    forged.cookie_jar.update_cookies({"sb_agent": cookie.value}, server.make_url("/agents/"))
    status, body = await get(forged, server, f"/agents/api/dashboard?{PERIOD}")
    assert status == 401

    # And a customer cannot sign in at the console's door at all.
    async with nobody.post(
        server.make_url("/agents/api/login"),
        json={"user": ANNA, "password": DEMO_PASSWORD},
        headers={"Origin": str(server.make_url("/").origin())},
    ) as response:
        assert response.status == 401

    status, page = await get(nobody, server, "/agents/dashboard")  # the page itself is plain files
    assert status == 200 and b"/agents/dashboard.js" in page


async def test_the_figures_of_a_seeded_history(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    jonas = await signed_in(server, sessions, JONAS)
    status, data = await get(jonas, server, f"/agents/api/dashboard?{PERIOD}&lang=en")
    assert status == 200, data
    assert (data["admin"]["name"], data["zone"], data["from"], data["to"]) == (
        "Jonas Ek",
        "Europe/Stockholm",
        "2026-03-16",
        "2026-03-29",
    )
    assert data["channels"] == ["slack", "teams", "web"]
    assert data["totals"] == {
        "start": "2026-03-16",
        "channel": "",
        "conversations": 8,
        "contained": 3,
        "containment": 0.375,
        "handed_off": 5,
        "handoff_rate": 0.625,
        "handoffs": 4,
        "taken": 3,
        "wait_median": 120,
        "wait_p90": 600,
        "requests": 4,
        "answered_in_time": 2,
        "answered_late": 1,
        "unanswered": 1,
        "in_time_rate": 0.5,
        "misses": 3,
        "not_understood": 2,
    }
    days = {(r["start"], r["channel"]): r for r in data["day"]}
    assert len([r for r in data["day"] if r["channel"] == ""]) == 14
    monday = days[("2026-03-16", "")]
    assert (monday["conversations"], monday["containment"], monday["handoff_rate"]) == (4, 0.25, 0.75)
    assert (monday["wait_median"], monday["wait_p90"], monday["in_time_rate"]) == (120, 600, round(2 / 3, 4))
    web = days[("2026-03-16", "web")]
    assert (web["conversations"], web["handed_off"], web["wait_median"], web["wait_p90"]) == (3, 2, 120, 600)
    assert web["requests"] == 0 and web["in_time_rate"] is None
    assert days[("2026-03-18", "")]["containment"] is None  # nothing that day: no rate rather than 0
    weeks = {(r["start"], r["channel"]): r for r in data["week"]}
    assert set(weeks) == {
        ("2026-03-16", ""),
        ("2026-03-16", "web"),
        ("2026-03-16", "slack"),
        ("2026-03-23", ""),
        ("2026-03-23", "teams"),
        ("2026-03-23", "web"),
    }
    assert (weeks[("2026-03-23", "")]["conversations"], weeks[("2026-03-23", "")]["wait_median"]) == (2, None)
    assert data["intents"] == [
        {"intent": "order.status", "count": 3, "channels": {"web": 3}},
        {"intent": "handoff.agent", "count": 1, "channels": {"web": 1}},
        {"intent": "invoice.show", "count": 1, "channels": {"slack": 1}},
        {"intent": "none", "count": 1, "channels": {"web": 1}},
    ]
    assert data["words"]["conversations"] == "Conversations"

    status, swedish = await get(jonas, server, f"/agents/api/dashboard?{PERIOD}&lang=sv")
    assert (status, swedish["language"]) == (200, "sv")
    assert swedish["words"]["answered_in_time"] == "Besvarade inom arbetsdagen"
    assert swedish["totals"] == data["totals"]

    for bad in ("from=2026-03-29&to=2026-03-16", "from=2025-01-01&to=2026-03-01", "from=yesterday"):
        status, body = await get(jonas, server, f"/agents/api/dashboard?{bad}")
        assert (status, body["error"]) == (400, "bad_period"), bad


async def test_the_figures_as_csv(server: TestServer, sessions: list[aiohttp.ClientSession]) -> None:
    jonas = await signed_in(server, sessions, JONAS)
    async with jonas.get(server.make_url(f"/agents/api/dashboard.csv?{PERIOD}&by=week&lang=sv")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="supportbot-dashboard-week-20260316-20260329.csv"'
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        text = (await response.read()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Period", "Kanal", "Samtal", "Utan person"]
    assert "Väntetid, median (s)" in rows[0]
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["Period"], r["Kanal"]) for r in table] == [
        ("2026-03-16", "Alla kanaler"),
        ("2026-03-16", "slack"),
        ("2026-03-16", "web"),
        ("2026-03-23", "Alla kanaler"),
        ("2026-03-23", "teams"),
        ("2026-03-23", "web"),
    ]
    first = table[0]
    assert (first["Samtal"], first["Utan person"], first["Andel utan person"]) == ("6", "2", "0.3333")
    assert (first["Väntetid, median (s)"], first["Väntetid, 90:e percentilen (s)"]) == ("120", "600")
    assert (first["Ärenden"], first["Besvarade inom arbetsdagen"], first["Ännu inte besvarade"]) == (
        "4",
        "2",
        "1",
    )
    assert table[3]["Väntetid, median (s)"] == ""  # no wait to tell of

    # A channel named like a formula arrives as text.
    async with jonas.get(
        server.make_url("/agents/api/dashboard.csv?from=2026-04-01&to=2026-04-01")
    ) as response:
        rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["All channels", '\'=HYPERLINK("http://evil")', "'@SUM(A1)"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


async def test_a_cell_that_begins_like_a_formula_is_neutralised() -> None:
    assert [safe_cell(v) for v in ("=1+2", "+1", "-1", "@A1", "\tx", "web", "0.5", "")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "web",
        "0.5",
        "",
    ]
