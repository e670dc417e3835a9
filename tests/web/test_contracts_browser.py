"""The contract card in the web chat, in real headless Chromium against the real server: its terms,
what it covers as buttons that ask the inventory tool, what waits for the customer, and its PDF link."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.web.test_webchat_browser import chromium, last_bot, live_server, open_chat, page, say, sign_in

__all__ = ["chromium", "live_server", "page"]

pytestmark = pytest.mark.browser


def test_the_contract_card_in_the_web_chat(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "what is the status of contract C-1004")
    reply = last_bot(page)
    card = reply.locator(".sbw-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_contain_text("C-1004")
    for shown in ("Software subscription", "Renews automatically for 12 months", "Last day to give notice",
                  "SEK", "5765-CD3-0042", "Approval of version 2"):  # fmt: skip
        expect(card).to_contain_text(shown)
    expect(card).not_to_contain_text("software_subscription")
    link = card.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(r"/documents/contract/C-1004\.pdf\?"))
    expect(card.get_by_role("button", name="Approve version 2")).to_be_visible()
    # A covered item's button asks the inventory tool about it.
    card.get_by_role("button", name=re.compile("5765-CD3-0042")).click()
    expect(page.locator(".sbw-from-user").last).to_contain_text("show item 5765-CD3-0042")
