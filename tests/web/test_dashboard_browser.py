"""The dashboard in real headless Chromium for Jonas, a support administrator, at desktop and phone
widths: its charts and its table render from the seeded history, nothing is wider than the screen,
the page speaks Swedish when asked, and Sara, a plain agent, is told it is not for her."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from supportbot.integrations.sql.database import open_engine
from tests.browser import LiveServer, launched_chromium
from tests.integrations.conftest import run_in_thread
from tests.integrations.test_dashboard_stats import seed_history

pytestmark = pytest.mark.browser

JONAS = "jonas@support.example"
SARA = "sara@support.example"
PERIOD = "/agents/dashboard?from=2026-03-16&to=2026-03-29"

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const node of document.querySelectorAll("body *")) {
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      wide.push(`${node.tagName.toLowerCase()}#${node.id}.${node.getAttribute("class") || ""} ${box.left}-${box.right}`);
    }
  }
  if (document.documentElement.scrollWidth > width) wide.push(`page scrolls to ${document.documentElement.scrollWidth}`);
  return wide;
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("dashboard-browser")
    database = data_dir / "supportbot.sqlite3"
    shutil.copy(seeded_template, database)

    async def seed() -> None:
        engine = open_engine(f"sqlite+aiosqlite:///{database}")
        try:
            await seed_history(engine)
        finally:
            await engine.dispose()

    run_in_thread(seed)  # the browser's fixtures may hold this thread's loop
    server = LiveServer(data_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launched_chromium() as browser:
        yield browser


def signed_in_page(
    chromium: Browser, live_server: LiveServer, user: str, width: int, problems: list[str]
) -> Page:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "ws://127.0.0.1", "data:"))
            else problems.append(f"external request: {request.url}")
        ),
    )
    page.goto("/agents")
    page.locator("#user").fill(user)
    page.locator("#password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_contain_text("Signed in as")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_jonas_sees_charts_and_a_table_that_fit_the_screen(
    chromium: Browser, live_server: LiveServer, width: int
) -> None:
    problems: list[str] = []
    page = signed_in_page(chromium, live_server, JONAS, width, problems)
    page.goto(PERIOD)

    expect(page.locator("#who")).to_have_text("Signed in as Jonas Ek")
    expect(page.locator("#figures")).to_be_visible()
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(5)
    for name, series in (("conversations", 2), ("waits", 2), ("requests", 3), ("misses", 2)):
        chart = page.locator(f'figure[data-chart="{name}"] svg')
        expect(chart).to_be_visible()
        expect(chart.locator("rect.bar")).to_have_count(14 * series)  # a bar of each series per day
    expect(page.locator('figure[data-chart="intents"] rect.bar')).to_have_count(4)
    expect(page.locator('figure[data-chart="intents"]')).to_contain_text("order.status")
    label = page.locator('figure[data-chart="conversations"] svg').get_attribute("aria-label") or ""
    assert "16 Mar: Without a person 1, Handed to a person 3" in label

    totals = page.locator("#totals")
    expect(totals).to_contain_text("Conversations8")
    expect(totals).to_contain_text("Median wait2 min")
    expect(totals).to_contain_text("Within the business day50%")
    expect(page.locator("#tables table")).to_have_count(4)  # conversations, handoffs, requests, misses
    rows = page.locator('#tables table[data-subject="conversations"] tbody tr')
    expect(rows).to_have_count(14)
    handoffs = page.locator('#tables table[data-subject="handoffs"] tbody tr').nth(0)
    expect(handoffs.locator("td")).to_have_text(["3", "3", "2 min", "10 min"])
    monday = rows.nth(0)
    expect(monday.locator("th")).to_have_text("16 Mar 2026")
    expect(monday.locator("td").nth(0)).to_have_text("4")  # conversations
    expect(monday.locator("td").nth(2)).to_have_text("25%")  # containment

    page.locator("#by").select_option("week")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("Week of 16 Mar 2026")
    page.locator("#channel").select_option("web")
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("5")
    expect(page.locator("#notes")).to_contain_text("counted under all channels only")
    href = page.locator("#export").get_attribute("href") or ""
    assert href.startswith("/agents/api/dashboard.csv?") and "by=week" in href and "from=2026-03-16" in href

    assert page.evaluate(OVERFLOW) == []

    page.locator("#lang").select_option("sv")
    expect(page.locator("h1")).to_have_text("Supportöversikt")
    expect(page.locator("#totals")).to_contain_text("Samtal8")
    assert page.evaluate(OVERFLOW) == []
    page.context.close()
    assert problems == []


def test_sara_is_told_the_dashboard_is_for_administrators(chromium: Browser, live_server: LiveServer) -> None:
    problems: list[str] = []
    page = signed_in_page(chromium, live_server, SARA, 1280, problems)
    page.goto(PERIOD)
    expect(page.locator("#status")).to_have_text("Only support administrators see the dashboard.")
    expect(page.locator("#figures")).to_be_hidden()
    page.context.close()
    assert problems == []
