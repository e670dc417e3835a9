"""A customer in the web chat widget and an agent in the agent console, both in real headless Chromium
against the real server: queue, take over, messages both ways, hand back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from test_webchat_browser import CHROMIUM_ARGS, LiveServer, chromium_path, last_bot, open_chat, say, sign_in

pytestmark = pytest.mark.browser

SARA = "sara@support.example"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("agent-console-browser")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    server = LiveServer(data_dir)
    server.settings = server.settings.model_copy(update={"office_hours": ""})  # agents around the clock
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found: set SUPPORTBOT_CHROMIUM or install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(chromium: Browser, live_server: LiveServer, problems: list[str]) -> Page:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
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
    return page


def test_customer_and_agent_talk_through_a_handoff(chromium: Browser, live_server: LiveServer) -> None:
    problems: list[str] = []
    agent = new_page(chromium, live_server, problems)
    customer = new_page(chromium, live_server, problems)

    agent.goto("/agents")
    agent.locator("#user").fill(SARA)
    agent.locator("#password").fill("demo")
    agent.get_by_role("button", name="Sign in").click()
    expect(agent.locator("#who")).to_contain_text("Signed in as")
    expect(agent.locator("#queue")).to_contain_text("No one is waiting")

    open_chat(customer)
    sign_in(customer)
    box = customer.get_by_role("textbox", name="Your message")
    box.fill("talk to a person")
    box.press("Enter")
    expect(customer.locator(".sbw-from-bot").last).to_contain_text("HO-")

    queued = agent.locator("#queue li").filter(has_text="HO-")
    expect(queued).to_contain_text("waiting, number 1")
    queued.get_by_role("button", name="Take over").click()
    expect(agent.locator("#transcript")).to_contain_text("talk to a person")
    expect(agent.locator("#customer")).to_contain_text("Nordisk Verkstad AB")

    bots_before = customer.locator(".sbw-from-bot").count()
    box.fill("my invoice looks wrong")
    box.press("Enter")
    expect(agent.locator("#transcript")).to_contain_text("my invoice looks wrong")
    expect(customer.locator(".sbw-pending")).to_have_count(0)
    expect(customer.locator(".sbw-from-bot")).to_have_count(bots_before)  # the bot kept quiet

    agent.locator("#reply-text").fill("<b>Hi Anna</b>, let me check.")
    agent.get_by_role("button", name="Send").click()
    said = customer.locator(".sbw-from-agent").last
    expect(said).to_contain_text("<b>Hi Anna</b>, let me check.")  # shown as text, never as markup
    expect(said.locator("b")).to_have_count(0)

    agent.get_by_role("button", name="Hand back to the bot").click()
    expect(customer.locator(".sbw-from-bot").last).to_contain_text("I'm back")
    expect(agent.locator("#queue")).to_contain_text("No one is waiting")

    agent.context.close()
    customer.context.close()
    assert problems == []


def test_an_agent_answers_a_request_and_the_customer_sees_it_live(
    chromium: Browser, live_server: LiveServer
) -> None:
    problems: list[str] = []
    agent = new_page(chromium, live_server, problems)
    customer = new_page(chromium, live_server, problems)
    open_chat(customer)
    sign_in(customer)

    agent.goto("/agents")
    agent.locator("#user").fill(SARA)
    agent.locator("#password").fill("demo")
    agent.get_by_role("button", name="Sign in").click()
    # Anna's demo request about the FlashSystem move: in progress for days, so overdue.
    item = agent.locator("#requests li").filter(has_text="Move IBM FlashSystem 5200")
    expect(item).to_contain_text("Nordisk Verkstad AB (1000123)")
    expect(item).to_contain_text("Overdue since")
    expect(agent.locator("#requests")).to_contain_text("Contoso GmbH")
    item.get_by_role("button").click()
    expect(agent.locator("#request-title")).to_contain_text("Request RQ-")
    number = agent.locator("#request-title").inner_text().removeprefix("Request ")
    expect(agent.locator("#request-history")).to_contain_text("our logistics team is planning the move")
    expect(agent.locator("#conversation")).to_be_hidden()

    agent.locator("#answer-text").fill("<b>The move</b> is planned for Tuesday.")
    agent.get_by_role("button", name="Answer", exact=True).click()
    said = customer.locator(".sbw-from-bot").last
    expect(said).to_contain_text(number)
    expect(said).to_contain_text("<b>The move</b> is planned for Tuesday.")  # as text, never as markup
    expect(said.locator("b")).to_have_count(0)
    expect(agent.locator("#request-facts")).to_contain_text("answered")
    expect(agent.locator("#request-history")).to_contain_text("<b>The move</b> is planned for Tuesday.")
    expect(agent.locator("#answer-text")).to_have_value("")

    agent.locator("#request-resolution").fill("Moved to Kista.")
    agent.get_by_role("button", name="Close request").click()
    expect(agent.locator("#request-facts")).to_contain_text("closed")
    expect(agent.locator("#request-history")).to_contain_text("Moved to Kista.")
    expect(agent.locator("#requests")).not_to_contain_text(number)

    agent.context.close()
    customer.context.close()
    assert problems == []


def test_an_agent_assigns_a_missed_message_in_the_review_list(
    chromium: Browser, live_server: LiveServer
) -> None:
    """A message the assistant did not understand, given its intent in the console's Review list: the
    customer's next message of that kind is understood, with the server still running."""
    problems: list[str] = []
    agent = new_page(chromium, live_server, problems)
    customer = new_page(chromium, live_server, problems)
    open_chat(customer)
    sign_in(customer)
    say(customer, "has the courier picked up my crate")
    expect(last_bot(customer)).to_contain_text("not sure I understood")

    agent.goto("/agents")
    agent.locator("#user").fill(SARA)
    agent.locator("#password").fill("demo")
    agent.get_by_role("button", name="Sign in").click()
    agent.get_by_role("button", name="Refresh").last.click()
    miss = agent.locator("#review li").filter(has_text="has the courier picked up my crate")
    expect(miss).to_contain_text("not understood")
    expect(miss).to_contain_text("conversation web:")
    miss.get_by_label("Intent").select_option("order.status")
    miss.get_by_role("button", name="Assign").click()
    expect(agent.locator("#review-note")).to_contain_text("Learned")
    expect(agent.locator("#review")).not_to_contain_text("has the courier picked up my crate")

    say(customer, "did the courier pick up my crate yet")
    expect(last_bot(customer)).not_to_contain_text("not sure I understood")

    agent.context.close()
    customer.context.close()
    assert problems == []
