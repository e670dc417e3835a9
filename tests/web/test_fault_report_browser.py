"""A fault told in the real web chat, in headless Chromium, in English and Swedish: the bot says it is
sorry and takes the report as a technical request, whose tracking number the stored request carries;
a fault of a named machine is a request about that machine at once."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer
from tests.web.test_contracts_inventory_browser_matrix import query
from tests.web.test_webchat_browser import ANNA, chromium, last_bot, open_chat, page, sign_in

pytestmark = pytest.mark.browser

__all__ = ["chromium", "page"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("webchat-faults")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    server = LiveServer(data_dir).start()
    yield server
    server.stop()


def say(page: Page, text: str) -> str:
    bots_before = page.locator(".sbw-from-bot").count()
    box = page.get_by_role(
        "textbox", name=re.compile("^(Your message|Ditt meddelande|Skriv ett meddelande)$")
    )
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    return last_bot(page).inner_text()


def stored(live_server: LiveServer, shown: str) -> tuple[object, ...]:
    found = re.search(r"RQ-[0-9A-Z-]*[0-9A-Z]", shown)
    assert found, shown
    ((row),) = query(
        live_server, "SELECT category, subject, related FROM requests WHERE number = ?", found.group(0)
    )
    return tuple(row)


def test_a_fault_told_in_the_web_chat_becomes_a_technical_request(
    page: Page, live_server: LiveServer
) -> None:
    open_chat(page)
    sign_in(page, ANNA)
    shown = say(page, "server 78ABC12 keeps rebooting")
    assert "sorry to hear that" in shown and "IBM Power S1022 (78ABC12)" in shown, shown
    assert stored(live_server, shown) == (
        "technical",
        "Fault on IBM Power S1022 (78ABC12) at Kista",
        "78ABC12",
    )

    shown = say(page, "skrivaren i receptionen är trasig")
    assert "Tråkigt att höra" in shown, shown
    shown = say(page, "Den skriver inte ut sedan i morse, felkod E-42.")
    assert "brådskande" in shown, shown
    shown = say(page, "normal")
    assert "Teknisk" in shown and "Skrivaren i receptionen är trasig" in shown, shown
    shown = say(page, "ja")
    assert stored(live_server, shown) == ("technical", "Skrivaren i receptionen är trasig", None)
