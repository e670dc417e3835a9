"""Installed equipment in the web chat, in real headless Chromium: the items of a site in a table with
lapsed maintenance flagged, the spreadsheet links downloadable by the signed-in owner, and a move
confirmed with the request card's button."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_webchat_browser import chromium, last_bot, live_server, open_chat, page, say, sign_in

pytestmark = pytest.mark.browser

__all__ = ["chromium", "live_server", "page"]  # the fixtures, shared with the widget's own tests


def test_inventory_by_site_download_and_a_move(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "what hardware do we have in Kista?")
    reply = last_bot(page)
    expect(reply).to_contain_text("Maintenance has LAPSED on 78PWR09")
    table = reply.locator(".sbw-table")
    expect(table).to_contain_text("78ABC12")
    expect(table).to_contain_text("IBM TS4300 Tape Library")
    expect(table.locator("tbody tr")).to_have_count(3)

    reply.get_by_role("button", name="Download as spreadsheet").click()
    expect(last_bot(page)).to_contain_text("as XLSX and CSV")
    links = last_bot(page).locator("a.sbw-file")
    expect(links).to_have_count(2)
    href = links.first.get_attribute("href")
    assert href is not None and ".xlsx" in links.first.inner_text() + href
    download = page.request.get(href)
    assert download.status == 200 and download.body().startswith(b"PK")

    say(page, "we need to move the FlashSystem to Kista")
    card = last_bot(page).locator(".sbw-card")
    expect(card).to_contain_text("Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista")
    bots_before = page.locator(".sbw-from-bot").count()
    card.get_by_role("button", name="Open").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(last_bot(page)).to_contain_text("I've opened request RQ-")
