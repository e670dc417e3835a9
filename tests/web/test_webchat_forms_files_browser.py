"""The request form and file uploads in the widget, in real headless Chromium against the real server:
a customer opens a request through the form (a wrong send comes back marked beside the field), and
adds files to a request with the paper clip and by dropping them on the chat."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer
from tests.web import test_webchat_browser as widget_tests
from tests.web.test_webchat_browser import last_bot, open_chat, say, sign_in

pytestmark = pytest.mark.browser

# The widget tests' fixtures: a server and a Chromium of this module's own, a fresh page for each test.
live_server = widget_tests.live_server
chromium = widget_tests.chromium
page = widget_tests.page

ERIK = "erik.lund@nordisk.example"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n"


def database(live_server: LiveServer) -> Path:
    return live_server.settings.data_dir / "supportbot.sqlite3"


def query(live_server: LiveServer, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(database(live_server)) as conn:
        return list(conn.execute(sql, params))


def erik_s_request(live_server: LiveServer) -> str:
    ((number,),) = query(live_server, "SELECT number FROM requests WHERE subject LIKE 'Can order 4712%'")
    assert isinstance(number, str)
    return number


def documents(live_server: LiveServer, number: str) -> list[tuple[object, ...]]:
    return query(
        live_server,
        "SELECT d.name, d.content_type, d.size, d.sha256 FROM request_documents d "
        "JOIN requests r ON r.id = d.request_id WHERE r.number = ? ORDER BY d.id",
        number,
    )


def test_a_customer_opens_a_request_through_the_form(page: Page, live_server: LiveServer) -> None:
    open_chat(page)
    sign_in(page, ERIK)
    say(page, "I'd like to open a support request")
    forms = page.get_by_role("form", name="New support request")
    expect(forms).to_have_count(1)
    form = forms.nth(0)
    expect(form).to_be_visible()
    # The profile is a read-only summary; the inputs are labelled and say what they need.
    details = form.locator(".sbw-form-info")
    expect(details).to_contain_text("Erik Lund")
    expect(details).to_contain_text("1000123")
    expect(details).to_contain_text(ERIK)
    subject = form.get_by_label("Subject")
    expect(subject).to_have_attribute("maxlength", "300")
    expect(subject).to_have_attribute("required", "")
    expect(form.get_by_label("Description")).to_have_attribute("maxlength", "5000")
    expect(form.get_by_role("radio", name="Normal")).to_be_checked()

    # Sent without a subject: the form comes back with the error beside the field, focused there.
    form.get_by_label("Category").select_option(label="Technical")
    form.get_by_label("Description").fill("Since this morning the server stops with error B2001234.")
    bots = page.locator(".sbw-from-bot").count()
    form.get_by_role("button", name="Send request").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 1)
    expect(form.get_by_role("button", name="Send request")).to_be_disabled()  # the sent one is done
    expect(forms).to_have_count(2)
    again = forms.nth(1)
    expect(last_bot(page)).to_contain_text("Please check the marked fields")
    subject = again.get_by_label("Subject")
    expect(subject).to_have_attribute("aria-invalid", "true")
    expect(subject).to_have_accessible_description("Please fill this in.")
    expect(subject).to_be_focused()
    expect(again.get_by_label("Category")).not_to_have_attribute("aria-invalid", "true")
    # What was written is still there.
    expect(again.get_by_label("Description")).to_have_value(re.compile("B2001234"))
    expect(again.get_by_label("Category")).to_have_value("technical")

    subject.fill("Power server in Kista does not boot")
    # Filled in, the field no longer says "Please fill this in." (the server checks it again).
    expect(subject).not_to_have_attribute("aria-invalid", "true")
    expect(again.get_by_text("Please fill this in.")).to_have_count(0)
    again.get_by_role("radio", name="High").check()
    before = query(live_server, "SELECT count(*) FROM requests")[0][0]
    again.get_by_role("button", name="Send request").click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 2)
    reply = last_bot(page)
    expect(reply).to_contain_text("I've opened request RQ-")
    number = re.search(r"RQ-\d{4}-\d{6}", reply.inner_text())
    assert number is not None
    expect(again.get_by_role("button", name="Send request")).to_be_disabled()
    # The user's line shows what was sent, with the form's labels.
    sent = page.locator(".sbw-from-user").last
    expect(sent).to_contain_text("Subject: Power server in Kista does not boot")
    expect(sent).to_contain_text("Priority: High")
    assert query(live_server, "SELECT count(*) FROM requests")[0][0] == before + 1
    assert query(live_server, "SELECT priority FROM requests WHERE number = ?", number.group()) == [("high",)]

    # After a reload the sent form shows as sent, and no old form can be sent again.
    page.reload()
    expect(page.locator(".sbw-from-user").last).to_contain_text(
        "Subject: Power server in Kista does not boot"
    )
    for button in page.get_by_role("button", name="Send request").all():
        expect(button).to_be_disabled()


def test_cancel_leaves_the_form(page: Page) -> None:
    open_chat(page)
    sign_in(page, ERIK)
    say(page, "open a ticket")
    form = page.get_by_role("form", name="New support request").nth(0)
    bots = page.locator(".sbw-from-bot").count()
    form.get_by_role("button", name="Cancel").click()
    expect(page.locator(".sbw-from-user").last).to_have_text(re.compile("cancel"))
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 1)
    expect(form.get_by_role("button", name="Send request")).to_be_disabled()


def test_a_customer_adds_files_to_a_request(page: Page, live_server: LiveServer) -> None:
    number = erik_s_request(live_server)
    before = documents(live_server, number)
    open_chat(page)
    sign_in(page, ERIK)

    # The paper clip: the chosen file shows as a chip until it is sent.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    chooser.value.set_files({"name": "front panel.png", "mimeType": "image/png", "buffer": PNG})
    chips = page.get_by_role("list", name="Files to send")
    expect(chips.get_by_role("listitem")).to_have_count(1)
    expect(chips).to_contain_text("front panel.png")
    expect(page.locator(".sbw-uploading")).to_have_count(0)
    say(page, f"here is a photo for {number}")
    expect(chips).to_be_hidden()
    sent = page.locator(".sbw-from-user").last
    expect(sent).to_contain_text(f"here is a photo for {number}")
    expect(sent.get_by_role("list", name="Files sent")).to_have_text("front panel.png")
    expect(last_bot(page)).to_contain_text(f"I've added front panel.png to request {number}")
    png = ("front panel.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())
    assert documents(live_server, number) == [*before, png]

    # Dropped on the chat, without a type from the browser (the name says it is a log), and sent alone:
    # it goes to the request the conversation is about.
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, { type: "" }));
            return transfer;
        }""",
        ["boot.log", LOG.decode()],
    )
    page.locator(".sbw-log").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.get_by_role("list", name="Files to send")).to_contain_text("boot.log")
    expect(page.locator(".sbw-uploading")).to_have_count(0)
    bots = page.locator(".sbw-from-bot").count()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots + 1)
    expect(page.locator(".sbw-from-user").last.get_by_role("list", name="Files sent")).to_have_text(
        "boot.log"
    )
    expect(last_bot(page)).to_contain_text(f"I've added boot.log to request {number}")
    log = ("boot.log", "text/plain", len(LOG), hashlib.sha256(LOG).hexdigest())
    assert documents(live_server, number) == [*before, png, log]

    # The request's history lists both documents.
    say(page, f"status of {number}")
    history = last_bot(page)
    expect(history).to_contain_text("front panel.png")
    expect(history).to_contain_text("boot.log")
    expect(history).to_contain_text("Document")  # what happened, in words: a document was added


def test_a_file_over_the_limit_is_refused_before_it_is_sent(page: Page) -> None:
    open_chat(page)
    sign_in(page, ERIK)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    chooser.value.set_files(
        {"name": "dump.zip", "mimeType": "application/zip", "buffer": b"\0" * (10 * 1024 * 1024 + 1)}
    )
    expect(page.locator(".sbw-notice-error")).to_have_text(
        "dump.zip is too large: files can be at most 10 MB."
    )
    expect(page.get_by_role("list", name="Files to send")).to_be_hidden()


def test_a_guest_has_no_paper_clip(page: Page) -> None:
    open_chat(page)
    page.get_by_role("button", name="Continue as guest").click()
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    expect(page.get_by_role("button", name="Attach files")).to_have_count(0)
    transfer = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["x"], "a.txt", { type: "text/plain" }));
            return transfer;
        }"""
    )
    page.locator(".sbw-log").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator(".sbw-notice-error")).to_have_text("Please sign in to send files.")


def test_a_web_page_renamed_pdf_is_refused_with_the_servers_words(page: Page) -> None:
    open_chat(page)
    sign_in(page, ERIK)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    chooser.value.set_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"<html><script>alert(1)</script>"}
    )
    expect(page.locator(".sbw-notice-error")).to_contain_text(
        "Sorry, I can't take invoice.pdf: that kind of file isn't accepted. You can send PDFs"
    )
    expect(page.get_by_role("list", name="Files to send")).to_be_hidden()
