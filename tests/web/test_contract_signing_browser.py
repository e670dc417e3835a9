"""Signing a contract in the widget, in real headless Chromium against the real server: the bot shows
the version's hash, asks, then asks for the password once more in a password field; a wrong password
is asked again beside the field, the right one signs; neither password is kept anywhere (the
transcript, the conversation's state, the database file, the logs), nor shown in the chat."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer
from tests.web import test_webchat_browser as widget_tests
from tests.web.test_webchat_browser import ANNA, last_bot, open_chat, say, sign_in

pytestmark = pytest.mark.browser

live_server = widget_tests.live_server
chromium = widget_tests.chromium
page = widget_tests.page

RIGHT = "demo"
WRONG = "Wrong-Horse-Battery-7731"


def query(live_server: LiveServer, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(live_server.settings.data_dir / "supportbot.sqlite3") as conn:
        return list(conn.execute(sql, params))


def signature(live_server: LiveServer) -> tuple[object, ...]:
    ((row),) = query(
        live_server,
        "SELECT v.signed_by, v.signed_name, v.signed_channel, v.awaiting, v.sha256 FROM contract_versions v "
        "JOIN contracts c ON c.id = v.contract_id WHERE c.number = 'C-1003' AND v.version = 2",
    )
    return tuple(row)


def test_anna_signs_with_her_password_asked_again(
    page: Page, live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sha = signature(live_server)[4]
    open_chat(page)
    sign_in(page, ANNA)
    say(page, "sign contract C-1003")
    offer = last_bot(page)
    expect(offer).to_contain_text(str(sha))  # the full hash, as signed
    expect(offer).to_contain_text("Amendment 1: Göteborg added to the managed backup")
    expect(offer).to_contain_text("I'll ask for your password once more")

    bots = page.locator(".sbw-from-bot").count()
    offer.get_by_role("button", name="Sign").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 1)
    forms = page.get_by_role("form", name="Confirm your signature")
    expect(forms).to_have_count(1)
    password = forms.nth(0).get_by_label("Your password")
    expect(password).to_have_attribute("type", "password")
    expect(forms.nth(0).locator(".sbw-form-info")).to_contain_text(str(sha))
    assert signature(live_server)[0] is None  # nothing signed before the password

    # A wrong password: asked again, the error beside the field, nothing signed.
    password.fill(WRONG)
    forms.nth(0).get_by_role("button", name="Sign").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 2)
    expect(last_bot(page)).to_contain_text("That password isn't right")
    expect(forms).to_have_count(2)
    again = forms.nth(1).get_by_label("Your password")
    expect(again).to_have_accessible_description("That password isn't right. Please try again.")
    expect(again).to_have_value("")
    expect(password).to_have_value("")  # the sent one is not left in the page
    assert signature(live_server)[0] is None

    again.fill(RIGHT)
    forms.nth(1).get_by_role("button", name="Sign").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 3)
    expect(last_bot(page)).to_contain_text("Signed. Version 2 of contract C-1003 is signed electronically")
    expect(last_bot(page)).to_contain_text("through web chat")
    assert signature(live_server)[:4] == (ANNA, "Anna Berg", "web", None)

    # The chat shows that a password was sent, never the password; after a reload, the history has
    # nothing of it to show but the form's title (the server never kept it).
    for shown in (page.locator(".sbw-from-user").last, page.locator(".sbw-from-user").nth(-2)):
        expect(shown).to_contain_text("Your password: ••••••")
    assert WRONG not in page.content() and f": {RIGHT}" not in page.content()
    page.reload()
    expect(last_bot(page)).to_contain_text("Signed. Version 2 of contract C-1003")
    expect(page.locator(".sbw-from-user").last).to_contain_text("Confirm your signature")
    expect(page.locator(".sbw-from-user").last).not_to_contain_text("password")
    assert WRONG not in page.content()

    # Nothing keeps either password: not the transcript, not the state, not the file, not the logs.
    turns = query(live_server, "SELECT text, payload FROM turns")
    states = query(live_server, "SELECT * FROM conversations")
    for row in (*turns, *states):
        assert WRONG not in str(row) and f'{RIGHT}"' not in str(row) and f": {RIGHT}" not in str(row)
    for path in Path(live_server.settings.data_dir).glob("supportbot.sqlite3*"):
        assert WRONG.encode() not in path.read_bytes(), path.name
    assert WRONG not in caplog.text
