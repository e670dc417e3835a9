"""The widget as a customer sees it, in real headless Chromium at a desktop (1280 px) and a phone (390 px):
nothing wider than the screen, tables readable at every width, statuses and categories in words, one
labelled time zone, and a person joining, typing and leaving during a handoff.

The agent's side is played through ``Application.handoffs`` on the server's own loop, so these tests
depend on the customer's widget only, not on how an agent's console looks.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from supportbot.integrations.models import (
    AccessRequestStatus,
    ContractStatus,
    InvoiceStatus,
    OrderStatus,
    RequestStatus,
)
from supportbot.intents.requests import CATEGORIES, PRIORITIES

try:
    from playwright.sync_api import Browser, Locator, Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer
from tests.web.test_webchat_browser import chromium, last_bot, open_chat, say, sign_in

pytestmark = pytest.mark.browser

__all__ = ["chromium"]  # the fixture, shared with the widget's own tests

SARA = "sara@support.example"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}

RAW_VALUES = sorted(
    {s.value for s in (*OrderStatus, *InvoiceStatus, *RequestStatus, *ContractStatus, *AccessRequestStatus)}
    | set(CATEGORIES)
    | set(PRIORITIES)
)
"""What the back end calls statuses, categories and priorities: never a value shown on its own."""


WIDE_PAGE = """<!doctype html>
<html lang="en"><head><title>Vendor</title><link rel="icon" href="data:,"></head>
<body style="margin: 0"><div id="help" style="width: 1000px; height: 760px"></div>
<script src="/webchat/widget.js" data-target="help" data-open="true"></script></body></html>
"""


async def wide_page(request: web.Request) -> web.Response:
    """A vendor's page with the chat in a wide container (served for the test only)."""
    return web.Response(text=WIDE_PAGE, content_type="text/html")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("webchat-layout-browser")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    server = LiveServer(
        data_dir, pages={"/test/wide.html": wide_page}, office_hours=""
    )  # agents around the clock
    server.start()
    server.run(server.app.handoffs.agent_online(SARA))
    yield server
    server.stop()


@pytest.fixture(params=sorted(WIDTHS))
def page(request: pytest.FixtureRequest, chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    width, height = WIDTHS[request.param]
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",  # not the zone of Anna's company (Sweden)
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}") if response.status >= 400 else None
        ),
    )
    yield page
    context.close()
    assert problems == []


# --- what a page must never do -----------------------------------------------------------------------

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  const clipped = (node) => {  // inside something visually hidden (clipped to nothing) for screen readers
    for (let up = node; up; ) {
      if (up.nodeType === 1 && getComputedStyle(up).clip === "rect(0px, 0px, 0px, 0px)") return true;
      const parent = up.parentNode;
      up = parent && parent.nodeType === 11 ? parent.host : parent;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > width) wide.push("document " + document.documentElement.scrollWidth);
  const walk = (root) => {
    for (const node of root.querySelectorAll("*")) {
      if (node.shadowRoot) walk(node.shadowRoot);
      const box = node.getBoundingClientRect();
      // Not drawn, read out only, or a skip link parked off the left edge until it has the focus.
      if (!box.width || !box.height || node.closest(".sbw-sr") || box.right <= 0 || clipped(node)) continue;
      if (box.left < -1 || box.right > width + 1) {
        wide.push(`${node.tagName.toLowerCase()}.${node.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
      }
    }
  };
  walk(document);
  return wide;
}"""


HEADER_CLASHES = """() => {
  const root = document.querySelector(".supportbot-webchat, #help").shadowRoot;
  const words = document.createRange();  // the title's text as drawn, even where it overflows its box
  words.selectNodeContents(root.querySelector(".sbw-title"));
  const lines = Array.from(words.getClientRects());
  const over = (r, t) => r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top;
  return Array.from(root.querySelectorAll(".sbw-header button"))
    .filter((b) => { const r = b.getBoundingClientRect(); return r.width && lines.some((t) => over(r, t)); })
    .map((b) => b.textContent);
}"""


def assert_fits(page: Page) -> None:
    """No element, in the page or the widget's shadow root, is wider than the viewport; no button of
    the chat's header lies over its title (at 390 px they once did)."""
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate(HEADER_CLASHES) == []


def shown_values(page: Page) -> list[str]:
    """Every value shown on its own: card fields, table cells, card subtitles."""
    values = page.locator(".sbw-field dd, .sbw-cell-value, .sbw-card-subtitle").all_inner_texts()
    return [value.strip() for value in values]


def assert_no_raw_values(page: Page) -> None:
    text = page.locator(".sbw-log").inner_text()
    assert not [raw for raw in RAW_VALUES if "_" in raw and raw in text]  # "in_production", "in_progress"
    assert not [value for value in shown_values(page) if value in RAW_VALUES]  # "open", "technical", "low"


def cards_of(table: Locator) -> list[dict[str, str]]:
    """A stacked table as its reader sees it: each row's values by the labels shown beside them."""
    rows = []
    for row in table.locator("tbody tr").all():
        cells = {}
        for cell in row.locator("td").all():
            label = cell.locator(".sbw-cell-label")
            if label.is_visible():
                cells[label.inner_text()] = cell.locator(".sbw-cell-value").inner_text()
        rows.append(cells)
    return rows


def readable(page: Page, table: Locator) -> None:
    """Every value of the table whole on screen; short ones (numbers, dates, amounts) on one line."""
    expect(table).to_be_visible()
    width = page.viewport_size["width"] if page.viewport_size else 0
    for value in table.locator(".sbw-cell-value").all():
        if not value.inner_text().strip():
            continue
        box = value.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        lines = value.evaluate(
            "v => Math.round(v.getBoundingClientRect().height / parseFloat(getComputedStyle(v).lineHeight))"
        )
        text = value.inner_text()
        # Numbers, dates and amounts on one line ("INV-/2031" and dates on three lines were not readable).
        assert lines == 1 or len(text) > 20, text


# --- tests -------------------------------------------------------------------------------------------


def test_statement_and_invoice_tables_read_well(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "show my account statement")
    statement = last_bot(page).locator(".sbw-table-wrap")
    columns = statement.locator("th").all_inner_texts()
    assert len(columns) == 7
    # In the chat's width (the floating panel, or the whole phone) each row is a small card.
    rows = cards_of(statement)
    assert rows and all(len(row) >= 5 for row in rows)
    invoice = next(row for row in rows if any("INV-2031" in v for v in row.values()))
    assert any(value.startswith("SEK") for value in invoice.values())  # the amounts are on screen
    readable(page, statement)

    say(page, "show me invoice INV-2031")
    lines = last_bot(page).locator(".sbw-table-wrap")
    expect(lines).to_contain_text("IBM Power S1022")
    assert lines.locator("th").all_inner_texts() == ["Description", "Qty", "Unit price", "VAT", "Net"]
    readable(page, lines)
    net = lines.locator(".sbw-cell-value").filter(has_text=re.compile(r"^SEK\s50,000\.00$"))
    net.scroll_into_view_if_needed()  # scrolled to in the conversation, the last column is whole
    expect(net).to_be_in_viewport(ratio=1)
    assert_fits(page)
    assert_no_raw_values(page)


def test_statuses_and_categories_are_words_and_times_one_labelled_zone(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "what's the status of my request RQ-2026-000001")
    card = last_bot(page).locator(".sbw-card").first
    fields = dict(
        zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(), strict=True)
    )
    assert fields["Status"][:1].isupper() and fields["Category"][:1].isupper()
    assert fields["Priority"] in {"Low", "Normal", "High", "Urgent"}
    # The card's times and the chat's are in the browser's zone (London), labelled alike, not in
    # the zone of the company's country (Stockholm).
    due = fields["Answer due by"]
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} (GMT|BST)", due), due
    times = page.locator(".sbw-time").all_inner_texts()
    assert times and all(re.fullmatch(r"\d{2}:\d{2} (GMT|BST)", t) for t in times), times
    for question in (
        "where is my order 4712?",
        "show my orders",
        "show my invoices",
        "show my requests",
        "show my contracts",
    ):
        say(page, question)
    assert_no_raw_values(page)
    assert_fits(page)


def test_the_greeting_the_support_address_and_the_icon(page: Page, live_server: LiveServer) -> None:
    open_chat(page)
    page.get_by_role("button", name="Continue as guest").click()
    greeting = page.locator(".sbw-welcome .sbw-bubble")
    expect(greeting).to_contain_text("As a guest")
    # The first bubble looks like the assistant's others.
    say(page, "what's the weather on Mars?")
    style = "b => [getComputedStyle(b).borderRadius, getComputedStyle(b).backgroundColor, getComputedStyle(b).padding]"
    assert greeting.evaluate(style) == last_bot(page).locator(".sbw-bubble").evaluate(style)
    icon = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")
    assert page.request.get("/favicon.ico").ok
    assert_fits(page)


def test_a_person_joins_types_answers_and_leaves(page: Page, live_server: LiveServer) -> None:
    handoffs = live_server.app.handoffs
    open_chat(page)
    sign_in(page)
    say(page, "talk to a person")
    number = re.search(r"HO-\d{6}", last_bot(page).inner_text())
    assert number is not None
    box = page.get_by_role("textbox", name="Your message")
    box.fill("my invoice INV-2031 looks wrong")
    box.press("Enter")
    expect(page.locator(".sbw-pending")).to_have_count(0)

    assert live_server.run(handoffs.take(number.group(), SARA))
    expect(page.locator(".sbw-agent-joined")).to_have_text(
        re.compile("Sara from support has joined the chat.")
    )
    live_server.run(handoffs.typing(number.group(), SARA, on=True))
    typing = page.locator(".sbw-typing")
    expect(typing).to_be_visible()
    expect(typing).to_have_text("Sara is typing…")
    assert "assistant" not in typing.inner_text()
    line = "Let me look at INV-2031, or mail support@vendor.example."
    assert live_server.run(handoffs.reply(number.group(), SARA, "Sara Lindqvist", line))
    said = page.locator(".sbw-from-agent").last
    expect(said.locator(".sbw-agent-name")).to_have_text("Sara (support):")
    expect(said.locator(".sbw-bubble")).to_have_text(line)
    mail = said.get_by_role("link", name="support@vendor.example")
    expect(mail).to_have_attribute("href", "mailto:support@vendor.example")  # the address is a link
    expect(typing).to_be_hidden()

    box.fill("and where is my order 4711?")
    box.press("Enter")
    expect(page.locator(".sbw-pending")).to_have_count(0)
    assert live_server.run(handoffs.hand_back(number.group(), SARA))
    left = page.locator(".sbw-agent-left")
    expect(left).to_contain_text("Sara has left the chat, and I'm back.")
    expect(left).to_contain_text("You asked earlier: “and where is my order 4711?”")
    assert_fits(page)
    assert_no_raw_values(page)

    bots = page.locator(".sbw-from-bot").count()
    left.get_by_role("button", name="Yes, answer it").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 1)
    expect(last_bot(page)).to_contain_text("PostNord")

    page.reload()  # the history tells the same story
    launcher = page.get_by_role("button", name="Chat with support")
    expect(page.locator(".sbw-log")).to_be_attached()
    if launcher.is_visible():
        launcher.click()
    expect(page.locator(".sbw-agent-joined")).to_have_count(1)
    expect(page.locator(".sbw-agent-left")).to_have_count(1)
    expect(page.locator(".sbw-from-agent .sbw-agent-name")).to_have_text("Sara (support):")


def test_in_a_wide_chat_a_table_stays_a_table(page: Page) -> None:
    """With room for its columns (a chat 1000 px wide on a vendor's page), the statement is a table."""
    if (page.viewport_size or {}).get("width", 0) < 1000:
        pytest.skip("the wide container needs a desktop")
    page.goto("/test/wide.html")
    page.get_by_role("button", name="Continue as guest").click()
    page.get_by_role("button", name="Sign in").first.click()
    sign_in(page)
    say(page, "show my account statement")
    statement = last_bot(page).locator(".sbw-table-wrap")
    expect(statement.locator("th").first).to_be_visible()
    expect(statement.locator(".sbw-cell-label").first).to_be_hidden()
    cells = statement.locator("tbody tr").first.locator("td")
    boxes = [box for box in (cell.bounding_box() for cell in cells.all()) if box]
    assert len({round(box["y"]) for box in boxes}) == 1  # a row is one line of cells, side by side
    assert statement.evaluate("w => w.scrollWidth <= w.clientWidth")  # nothing to scroll
    readable(page, statement)
    assert_fits(page)

    # The page narrows the chat (a window made smaller): the same table becomes stacked cards.
    page.evaluate("() => { document.getElementById('help').style.width = '380px'; }")
    expect(statement).to_have_class(re.compile("sbw-stacked"))
    expect(statement.locator(".sbw-cell-label").first).to_be_visible()
    readable(page, statement)
    assert_fits(page)
