"""The widget in real headless Chromium against the real server: one server and one browser per module,
a fresh browser context (cookies, storage) per test."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiohttp import web

try:
    from playwright.sync_api import Browser, Locator, Page, WebSocketRoute, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer, launched_chromium

pytestmark = pytest.mark.browser

ANNA = "anna.berg@nordisk.example"
TRACKING_NUMBER = "00370712345678901234"
VENDOR_PAGE = """<!doctype html>
<html lang="de"><head><title>Vendor</title><link rel="icon" href="data:,"></head>
<body><h1>Vendor</h1><div id="help" style="height: 560px"></div>
<script src="/webchat/widget.js" data-target="help" data-lang="sv"></script></body></html>
"""


async def vendor_page(request: web.Request) -> web.Response:
    """A vendor's own page embedding the widget in a container (served for the test only)."""
    return web.Response(text=VENDOR_PAGE, content_type="text/html")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("webchat-browser")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    server = LiveServer(data_dir, pages={"/test/vendor.html": vendor_page}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            # a wrong password, an address not confirmed yet, or a refused file, on purpose
            if message.type == "error" and not any(f"status of {s}" in message.text for s in (401, 403, 415))
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "ws://127.0.0.1", "data:"))
            else problems.append(f"external request: {request.url}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            and not (response.status in {401, 403} and response.url.endswith("/api/login"))
            and not (response.status == 415 and response.url.endswith("/webchat/upload"))
            else None
        ),
    )
    yield page
    context.close()
    assert problems == []


# --- helpers ---------------------------------------------------------------------------------------


def open_chat(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Chat with support").click()
    expect(page.get_by_role("region", name="Support assistant")).to_be_visible()


def sign_in(page: Page, user: str = ANNA, password: str = "demo") -> None:
    page.get_by_label("User ID (your e-mail address)").fill(user)
    page.get_by_label("Password").fill(password)
    page.locator(".sbw-login").get_by_role("button", name="Sign in").click()
    expect(page.locator(".sbw-who")).to_contain_text("Signed in as")
    # The signed-in connection is open once its history is shown, with the notice under it; a
    # message typed before that waits in the page and is sent when it is.
    expect(page.locator(".sbw-notice").last).to_contain_text(re.compile("signed in as|inloggad som", re.I))


def say(page: Page, text: str) -> None:
    """Type a message and send it with Enter, then wait for the bot's answer to it."""
    bots_before = page.locator(".sbw-from-bot").count()
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(page.locator(".sbw-pending")).to_have_count(0)


def last_bot(page: Page) -> Locator:
    return page.locator(".sbw-from-bot").last


# --- tests -----------------------------------------------------------------------------------------


def test_the_page_loads_with_the_widget(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_title("Nordlys Systems — Customer support")
    launcher = page.get_by_role("button", name="Chat with support")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_be_hidden()
    expect(page.get_by_role("region", name="Support assistant")).to_be_visible()
    # a new visitor is offered to sign in or go on as a guest, and the focus is in the form
    expect(page.get_by_role("button", name="Continue as guest")).to_be_visible()
    expect(page.get_by_label("User ID (your e-mail address)")).to_be_focused()
    expect(page.get_by_role("log", name="Conversation")).to_be_hidden()


def test_sign_in_and_ask_about_order_4711(page: Page, tmp_path: Path) -> None:
    open_chat(page)
    sign_in(page)
    expect(page.locator(".sbw-who")).to_contain_text("Anna Berg")
    say(page, "where is my order 4711?")
    reply = last_bot(page)
    expect(reply).to_contain_text("PostNord")
    card = reply.locator(".sbw-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_contain_text("4711")
    link = card.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(TRACKING_NUMBER))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    shot = tmp_path / "webchat.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    keep = os.environ.get("SUPPORTBOT_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_a_wrong_password_is_said_politely(page: Page) -> None:
    open_chat(page)
    page.get_by_label("User ID (your e-mail address)").fill(ANNA)
    page.get_by_label("Password").fill("wrong")
    page.locator(".sbw-login").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That user ID and password don't match. Please check them and try again."
    )
    expect(page.get_by_label("Password")).to_be_focused()


def test_pressing_a_button_sends_its_value(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "what's the weather on Mars?")
    button = last_bot(page).get_by_role("button", name="Talk to a person")
    bots_before = page.locator(".sbw-from-bot").count()
    button.click()
    expect(page.locator(".sbw-from-user").last).to_contain_text("talk to a person")
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(last_bot(page).locator(".sbw-bubble")).not_to_be_empty()


def test_a_reload_restores_the_conversation(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "where is my order 4711?")
    page.reload()
    # the chat remembers it was open, and the history comes back with its card and link
    expect(page.get_by_role("region", name="Support assistant")).to_be_visible()
    expect(page.locator(".sbw-from-user")).to_have_count(1)
    expect(page.locator(".sbw-from-user")).to_contain_text("where is my order 4711?")
    expect(last_bot(page).locator(".sbw-card-link")).to_have_attribute("href", re.compile(TRACKING_NUMBER))
    expect(page.locator(".sbw-who")).to_contain_text("Anna Berg")


def test_the_guest_flow(page: Page) -> None:
    open_chat(page)
    page.get_by_role("button", name="Continue as guest").click()
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    expect(page.locator(".sbw-who")).to_have_text("Chatting as a guest")
    say(page, "where is my order 4711?")
    expect(last_bot(page)).to_contain_text("customer number")
    say(page, "1000123")
    reply = last_bot(page)
    expect(reply).to_contain_text("Expected delivery")
    expect(reply.locator(".sbw-card")).to_have_count(0)
    expect(reply).not_to_contain_text("SEK")
    expect(reply).not_to_contain_text("PostNord")


def test_text_is_never_markup(page: Page) -> None:
    open_chat(page)
    page.get_by_role("button", name="Continue as guest").click()
    page.evaluate("window.__xss = 0")
    say(page, '<img src=x onerror="window.__xss = 1"> <b>bold</b>\nsecond line')
    mine = page.locator(".sbw-from-user").last
    expect(mine).to_contain_text('<img src=x onerror="window.__xss = 1"> <b>bold</b>')
    assert mine.locator("img, b").count() == 0
    assert mine.locator("br").count() == 1
    assert page.evaluate("window.__xss") == 0


def test_a_swedish_conversation(page: Page) -> None:
    open_chat(page)
    sign_in(page)
    say(page, "var är min order 4712?")
    reply = last_bot(page)
    expect(reply).to_contain_text("i produktion")
    expect(reply).to_contain_text("Beräknad leverans")
    # the widget follows the reply's language
    expect(page.get_by_role("button", name="Skicka")).to_be_visible()
    expect(page.get_by_role("textbox", name="Ditt meddelande")).to_have_attribute(
        "placeholder", "Skriv din fråga…"
    )
    expect(page.locator(".sbw-who")).to_contain_text("Inloggad som Anna Berg")


def test_keyboard_only(page: Page) -> None:
    page.goto("/")
    launcher = page.get_by_role("button", name="Chat with support")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("User ID (your e-mail address)")).to_be_focused()
    page.keyboard.press("Escape")  # leaves the form for the chat
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    page.keyboard.type("where is my order 4711?")
    page.keyboard.press("Enter")
    expect(page.locator(".sbw-from-bot")).to_have_count(1)
    expect(page.locator(".sbw-from-bot")).to_contain_text("customer number")
    page.keyboard.press("Escape")  # closes the chat, focus back on the launcher
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_a_small_screen_gets_the_whole_screen(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    open_chat(page)
    box = page.get_by_role("region", name="Support assistant").bounding_box()
    assert box is not None and box["width"] == 375 and box["height"] == 700


def test_embedded_in_a_container_of_the_vendor_s_page(page: Page) -> None:
    page.goto("/test/vendor.html")
    panel = page.locator("#help").get_by_role("region", name="Supportassistent")
    expect(panel).to_be_visible()
    expect(page.get_by_role("button", name="Chatta med supporten")).to_have_count(0)
    page.get_by_role("button", name="Fortsätt som gäst").click()
    expect(page.get_by_role("textbox", name="Ditt meddelande")).to_be_focused()
    box = panel.bounding_box()
    assert box is not None and box["height"] == 560


def test_a_dropped_connection_resends_what_was_not_answered(page: Page) -> None:
    """Cut the connection once after the server answered (the reply is lost) and once before the
    message reached it: after reconnecting, each question shows once, with one answer each."""
    drop: dict[str, str | None] = {"way": None}
    seen_reply = threading.Event()
    routes: list[WebSocketRoute] = []

    def proxy(route: WebSocketRoute) -> None:
        server = route.connect_to_server()

        def up(message: str | bytes) -> None:
            if drop["way"] != "to_server":
                server.send(message)

        def down(message: str | bytes) -> None:
            if drop["way"] != "to_page":
                route.send(message)
            elif json.loads(message).get("type") == "reply":
                seen_reply.set()

        route.on_message(up)
        server.on_message(down)
        routes.append(route)

    page.route_web_socket(re.compile(r".*/webchat/ws.*"), proxy)
    open_chat(page)
    sign_in(page)
    box = page.get_by_role("textbox", name="Your message")

    drop["way"] = "to_page"  # the server answers, the answer is lost
    box.fill("where is my order 4711?")
    box.press("Enter")
    for _ in range(200):
        if seen_reply.is_set():
            break
        page.wait_for_timeout(50)
    assert seen_reply.is_set()
    drop["way"] = None
    routes[-1].close()
    expect(page.locator(".sbw-from-bot")).to_have_count(1)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    expect(page.locator(".sbw-from-user")).to_have_count(1)
    expect(page.locator(".sbw-from-bot")).to_contain_text("PostNord")

    drop["way"] = "to_server"  # the message never reaches the server
    box.fill("where is my order 4712?")
    box.press("Enter")
    expect(page.locator(".sbw-pending")).to_have_count(1)
    drop["way"] = None
    routes[-1].close()
    expect(page.locator(".sbw-from-bot")).to_have_count(2)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    expect(page.locator(".sbw-from-user")).to_have_count(2)
    expect(page.locator(".sbw-from-bot").last).to_contain_text("4712")
    expect(page.locator(".sbw-status")).to_be_empty()


def test_a_message_our_systems_could_not_take_is_sent_again_under_its_own_id(page: Page) -> None:
    """The server answers "unavailable" (its database out of reach, nothing kept): the message is marked
    not sent with a way to try again, and trying again sends the same message id, answered once."""
    sent: list[dict[str, object]] = []
    state = {"refuse": True}

    def proxy(route: WebSocketRoute) -> None:
        server = route.connect_to_server()

        def up(message: str | bytes) -> None:
            frame = json.loads(message)
            if frame.get("type") == "message":
                sent.append(frame)
                if state["refuse"]:
                    state["refuse"] = False
                    route.send(
                        json.dumps(
                            {
                                "type": "error",
                                "code": "unavailable",
                                "message": "Sorry, I can't reach our systems right now.",
                                "in_reply_to": frame["id"],
                            }
                        )
                    )
                    return
            server.send(message)

        route.on_message(up)
        server.on_message(route.send)

    page.route_web_socket(re.compile(r".*/webchat/ws.*"), proxy)
    open_chat(page)
    sign_in(page)
    box = page.get_by_role("textbox", name="Your message")
    box.fill("where is my order 4711?")
    box.press("Enter")
    expect(page.locator(".sbw-failed")).to_contain_text("Not sent.")
    expect(page.locator(".sbw-status, .sbw-notice").last).to_contain_text("can't reach our systems")
    page.locator(".sbw-failed").get_by_role("button", name="Try again").click()
    expect(page.locator(".sbw-from-bot").last).to_contain_text("PostNord")
    expect(page.locator(".sbw-failed")).to_have_count(0)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    expect(page.locator(".sbw-from-user")).to_have_count(1)
    assert [frame["id"] for frame in sent] == [sent[0]["id"]] * 2


def test_create_an_account_in_the_widget(page: Page, live_server: LiveServer) -> None:
    """A newcomer registers through the form, is told to look in their mail (not signed in), cannot sign
    in before opening the mailed link, can after it, and with no grants yet sees none of the company's
    orders."""
    open_chat(page)
    page.get_by_role("button", name="Create an account").click()
    form = page.locator(".sbw-register")
    expect(form.get_by_label("Your name")).to_be_focused()
    form.get_by_label("Your name").fill("Nora Nyström")
    form.get_by_label("E-mail address").fill("nora.browser@nordisk.example")
    form.get_by_label("Customer number").fill("1000123")
    form.get_by_label("Password").fill("correct horse battery")
    form.get_by_role("button", name="Create account").click()
    expect(form).to_be_hidden()
    expect(page.locator(".sbw-notice-info")).to_contain_text("We've sent a message")
    expect(page.locator(".sbw-who")).to_contain_text("Chatting as a guest")

    outbox = live_server.settings.data_dir / "outbox"
    deadline = time.monotonic() + 15
    mails: list[EmailMessage] = []
    while time.monotonic() < deadline:  # the mail is prepared after the answer
        found = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.glob("*.eml")]
        mails = [
            m for m in found if isinstance(m, EmailMessage) and m["To"] == "nora.browser@nordisk.example"
        ]
        if mails:
            break
        time.sleep(0.1)
    (mail,) = mails
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Nordisk Verkstad AB" in body.get_content()
    link = re.search(r"http://\S+/webchat/confirm\?token=\S+", body.get_content())
    assert link is not None

    page.get_by_role("button", name="Sign in").click()
    login = page.locator(".sbw-login")
    login.get_by_label("User ID (your e-mail address)").fill("nora.browser@nordisk.example")
    login.get_by_label("Password").fill("correct horse battery")
    login.get_by_role("button", name="Sign in").click()
    expect(page.locator(".sbw-login-error").first).to_contain_text("confirm your e-mail address first")

    page.goto(link.group())
    expect(page.get_by_role("heading")).to_have_text("E-mail address confirmed")

    page.goto("/")  # the chat opens again as it was left
    expect(page.get_by_role("region", name="Support assistant")).to_be_visible()
    sign_in(page, "nora.browser@nordisk.example", "correct horse battery")
    say(page, "where is order 4711?")
    expect(last_bot(page)).not_to_contain_text("PostNord")
    expect(last_bot(page)).to_contain_text("orders")


def test_an_access_request_reaches_the_open_chat_of_the_administrator(
    chromium: Browser, live_server: LiveServer
) -> None:
    """Erik asks for invoices; Anna's open chat shows the request live; she denies; Erik sees it live."""
    contexts = [
        chromium.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
        )
        for _ in range(2)
    ]
    try:
        anna, erik = (context.new_page() for context in contexts)
        for page, user in ((anna, ANNA), (erik, "erik.lund@nordisk.example")):
            page.set_default_timeout(15_000)
            open_chat(page)
            sign_in(page, user)
        say(erik, "I need access to invoices")
        expect(last_bot(erik)).to_contain_text("AR-")
        # Anna's account speaks Swedish, so her notice does; Erik asked in English and is told in English.
        notice = anna.locator(".sbw-from-bot").filter(has_text="Erik Lund").last
        expect(notice).to_contain_text("fakturor")
        notice.get_by_role("button", name="Avslå").click()
        expect(last_bot(anna)).to_contain_text(re.compile("avslag|avslog|nekad", re.IGNORECASE))
        expect(erik.locator(".sbw-from-bot").last).to_contain_text("denied")
    finally:
        for context in contexts:
            context.close()
