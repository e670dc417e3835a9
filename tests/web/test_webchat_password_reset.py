"""Password reset: "Forgot your password?" → a mailed, signed, single-use link → a page that sets a new
password and ends every session made under the old one. Through the real aiohttp stack, and once in
real headless Chromium."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.sessions import COOKIE_NAME, Session, SessionCodec
from supportbot.adapters.settings import Settings
from supportbot.adapters.webchat.password_reset import ResetCodec
from supportbot.adapters.webchat.routes import PASSWORD_RESETS, REGISTRATIONS
from supportbot.integrations.sql.passwords import password_stamp
from tests.conftest import make_settings
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, Browser, NewBrowser

try:  # the one test in real Chromium borrows the widget tests' live server and browser
    from playwright.sync_api import Page, expect

    from tests.browser import LiveServer
    from tests.web import test_webchat_browser as widget_tests
    from tests.web.test_webchat_browser import open_chat, sign_in

    live_server = widget_tests.live_server
    chromium = widget_tests.chromium
    page = widget_tests.page
    HAVE_PLAYWRIGHT = True
except (ImportError, pytest.skip.Exception):  # pragma: no cover - the browser test says so itself
    HAVE_PLAYWRIGHT = False

on_the_module_loop = pytest.mark.asyncio(loop_scope="module")

Client = TestClient[web.Request, web.Application]
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
_addresses = itertools.count(1)


def client_address() -> str:
    """A client address of its own for each test, so the limits per address of one test leave the others be."""
    n = next(_addresses)
    return f"198.18.{n // 250}.{n % 250 + 1}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    """This module's server believes ``X-Forwarded-For``, so each test can be a client of its own."""
    folder = tmp_path_factory.mktemp("password-reset")
    shutil.copy(seeded_template, folder / "supportbot.sqlite3")
    settings = make_settings(folder, trust_forwarded_for=True)
    test_server = TestServer(create_web_app(await build_application(settings)))
    await test_server.start_server()
    yield test_server
    await test_server.close()


# --- helpers ------------------------------------------------------------------------------------------


def outbox(server: TestServer) -> Path:
    return Path(server.app[APP_KEY].settings.data_dir) / "outbox"


def mails_to(folder: Path, address: str) -> list[Message]:
    found = (
        [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]
        if folder.exists()
        else []
    )
    return [m for m in found if m["To"] == address]


def text_of(mail: Message, subtype: str = "plain") -> str:
    for part in mail.walk():
        if part.get_content_type() == f"text/{subtype}":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


LINK = re.compile(r"http://\S+/webchat/reset\?lang=(?P<lang>en|sv)#token=(?P<token>\S+)")


def link_of(mail: Message) -> re.Match[str]:
    match = LINK.search(text_of(mail))
    assert match is not None, text_of(mail)
    return match


def token_of(mail: Message) -> str:
    return link_of(mail)["token"]


async def settled(server: TestServer) -> None:
    """The reset mails are prepared after the answer: wait for them."""
    await server.app[PASSWORD_RESETS].settled()


async def new_user(browser: Browser, address: str) -> str:
    """A newly registered user, confirmed and signed in in ``browser``; their password is ``PASSWORD``."""
    email = f"reset.{uuid.uuid4().hex[:10]}@nordisk.example"
    response = await browser.session.post(
        browser.url("/webchat/api/register"),
        json={"name": "Rut Reset", "email": email, "customer_number": "1000123", "password": PASSWORD},
        headers={"Origin": browser.origin, "X-Forwarded-For": address},
    )
    assert response.status == 200, await response.text()
    # The account is made after the answer, and is of use once the mailed link is opened.
    server = browser.client.server
    await server.app[REGISTRATIONS].settled()
    (mail,) = mails_to(outbox(server), email)
    confirm = re.search(r"http://\S+(/webchat/confirm\?token=\S+)", text_of(mail))
    assert confirm is not None
    assert (await browser.session.get(browser.url(confirm[1]))).status == 200
    assert (await browser.login(email, PASSWORD)).status == 200
    return email


async def ask_reset(
    browser: Browser, email: str, address: str, *, language: str = "en", origin: str | None = None
) -> tuple[int, dict[str, Any], aiohttp.ClientResponse]:
    response = await browser.session.post(
        browser.url("/webchat/api/password-reset"),
        json={"email": email},
        headers={
            "Origin": origin or browser.origin,
            "Accept-Language": language,
            "X-Forwarded-For": address,
        },
    )
    data = await response.json()
    assert isinstance(data, dict)
    return response.status, data, response


async def check(browser: Browser, token: str, address: str) -> tuple[int, dict[str, Any]]:
    """What the page's script asks before it shows the form."""
    async with browser.session.post(
        browser.url("/webchat/api/password-reset/check"),
        json={"token": token},
        headers={"Origin": browser.origin, "X-Forwarded-For": address},
    ) as response:
        data = await response.json()
        assert isinstance(data, dict)
        return response.status, data


async def set_password(
    browser: Browser,
    token: str,
    password: str,
    address: str,
    *,
    repeat: str | None = None,
    origin: str | None = None,
) -> tuple[int, str]:
    """The page's form sent, as a browser sends it."""
    async with browser.session.post(
        browser.url("/webchat/reset"),
        data={"token": token, "password": password, "repeat": password if repeat is None else repeat},
        headers={"Origin": origin or browser.origin, "X-Forwarded-For": address},
    ) as response:
        return response.status, await response.text()


async def login_status(browser: Browser, user: str, password: str, address: str) -> int:
    async with browser.session.post(
        browser.url("/webchat/api/login"),
        json={"user": user, "password": password},
        headers={"Origin": browser.origin, "X-Forwarded-For": address},
    ) as response:
        return response.status


def titled(server: TestServer, address: str, subject: str) -> list[Message]:
    return [m for m in mails_to(outbox(server), address) if m["Subject"] == subject]


async def mailed_token(server: TestServer, browser: Browser, email: str, address: str) -> str:
    """Ask for a link and read the token from the new mail."""
    before = {m["Message-ID"] for m in mails_to(outbox(server), email)}
    status, _, _ = await ask_reset(browser, email, address)
    assert status == 200
    await settled(server)
    (mail,) = [m for m in titled(server, email, "Choose a new password") if m["Message-ID"] not in before]
    return token_of(mail)


FAILED = "this link for choosing a new password doesn"


# --- the whole way ------------------------------------------------------------------------------------


@on_the_module_loop
async def test_forgot_mail_link_new_password_and_the_old_sessions_end(
    server: TestServer, browser: Browser, new_browser: NewBrowser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    address = client_address()
    email = await new_user(browser, address)  # signed in here: the session that must end
    old_cookie = browser.cookie()
    assert old_cookie is not None
    old_chat = await browser.chat()
    assert old_chat.ready["user"]["id"] == email

    stranger = await new_browser()  # the user on another device, not signed in
    status, data, response = await ask_reset(stranger, email, address)
    assert status == 200
    assert data == {
        "status": "check_email",
        "message": f"If {email} has an account with us, we've sent a link to it for choosing a new "
        "password. The link works for 30 minutes; please look in your spam folder too.",
    }
    assert response.headers["Cache-Control"] == "no-store"
    await settled(server)
    (mail,) = titled(server, email, "Choose a new password")
    body = text_of(mail)
    assert "Hello Rut Reset" in body and email in body and "within 30 minutes" in body
    link = link_of(mail)
    assert link.group().startswith("http://127.0.0.1:8080/webchat/reset?lang=en#token=")
    assert f'<a href="{link.group()}"' in text_of(mail, "html")
    assert '<html lang="en"' in text_of(mail, "html")
    token = link["token"]

    # the page: what the server gets of the link has no token; its script reads the fragment
    async with stranger.session.get(stranger.url("/webchat/reset?lang=en")) as response:
        page = await response.text()
        assert response.status == 200
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self';" in csp and "unsafe" not in csp
        assert "form-action 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
    assert '<script src="/webchat/reset.js" defer></script>' in page
    assert re.findall(r"<script[^>]*>([^<]*)</script>", page) == [""]  # nothing inline
    assert '<section id="reset-form-section" hidden>' in page and "Choose a new password" in page
    async with stranger.session.get(stranger.url("/webchat/reset.js")) as response:
        assert response.status == 200 and "location.hash" in await response.text()

    assert await check(stranger, token, address) == (200, {"valid": True, "user": email})
    status, page = await set_password(stranger, token, NEW_PASSWORD, address)
    assert status == 200, page
    assert "Your password is changed" in page

    # the chat that was open under the old password is closed, and its cookie is a guest's now
    closing = await old_chat.ws.receive(timeout=5)
    assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4001
    response = await browser.client.get("/webchat/api/session", cookies={COOKIE_NAME: old_cookie})
    assert (await response.json())["user"] is None
    assert (await browser.whoami())["user"] is None
    assert browser.cookie() != old_cookie
    ws = await browser.session.ws_connect(
        browser.url("/webchat/ws"),
        headers={"Origin": browser.origin, "Cookie": f"{COOKIE_NAME}={old_cookie}"},
    )
    assert json.loads((await ws.receive(timeout=5)).data)["user"] is None
    await ws.close()

    assert await login_status(stranger, email, PASSWORD, address) == 401
    assert await login_status(stranger, email, NEW_PASSWORD, address) == 200
    assert (await stranger.whoami())["user"]["id"] == email  # a session made since goes on
    chat = await stranger.chat()
    assert chat.ready["user"]["id"] == email
    await chat.close()

    (notice,) = titled(server, email, "Your password was changed")
    assert "signed out" in text_of(notice) and "support@vendor.example" in text_of(notice)
    assert "/webchat/reset" not in text_of(notice)

    # the link worked once
    assert (await check(stranger, token, address))[1]["valid"] is False
    status, page = await set_password(stranger, token, "yet another passphrase", address)
    assert status == 400 and FAILED in page
    assert await login_status(stranger, email, NEW_PASSWORD, address) == 200

    # neither the token nor a password ever reaches the log (the access log included)
    assert "GET /webchat/reset?lang=en " in caplog.text
    for secret in (token, token.partition(".")[0], token.partition(".")[2], PASSWORD, NEW_PASSWORD):
        assert secret not in caplog.text


@on_the_module_loop
async def test_an_address_without_an_account_gets_the_same_answer_and_no_mail(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    nobody = f"nobody.{uuid.uuid4().hex[:10]}@nordisk.example"
    known = await ask_reset(browser, email, address)
    unknown = await ask_reset(browser, nobody, address)
    assert known[0] == unknown[0] == 200
    assert known[1] == {**unknown[1], "message": unknown[1]["message"].replace(nobody, email)}
    assert set(known[2].headers) - {"Date"} == set(unknown[2].headers) - {"Date"}
    assert not known[2].cookies and not unknown[2].cookies
    await settled(server)
    assert mails_to(outbox(server), nobody) == []
    assert len(mails_to(outbox(server), email)) == 2  # the confirmation at registration, and the link


@on_the_module_loop
async def test_the_answer_leaves_before_the_account_is_looked_up(own_settings: Settings) -> None:
    """The answer cannot take longer for an account than for none: it is sent before the look-up."""
    app = await build_application(own_settings.model_copy(update={"trust_forwarded_for": True}))
    gate = asyncio.Event()
    looked_up: list[str] = []
    real = app.backends.directory

    class HeldDirectory:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        async def credential_stamp(self, user_id: str) -> str | None:
            looked_up.append(user_id)
            await gate.wait()
            return await real.credential_stamp(user_id)

    app.backends.directory = HeldDirectory()  # type: ignore[assignment]
    server = TestServer(create_web_app(app))
    await server.start_server()
    try:
        async with TestClient(server) as client:
            browser = Browser(client, client.session)
            for email in (ANNA, "nobody@nordisk.example"):
                status, data, _ = await asyncio.wait_for(ask_reset(browser, email, client_address()), 5)
                assert (status, data["status"]) == (200, "check_email")
            await asyncio.sleep(0.05)
            assert looked_up == [ANNA, "nobody@nordisk.example"]  # answered while the look-ups wait
            assert mails_to(outbox(server), ANNA) == []
            gate.set()
            await settled(server)
            assert len(mails_to(outbox(server), ANNA)) == 1
    finally:
        await server.close()


@on_the_module_loop
async def test_the_mail_and_the_pages_are_in_the_user_s_language(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    status, data, _ = await ask_reset(browser, email, address, language="sv-SE,sv;q=0.9")
    assert status == 200 and data["message"].startswith(f"Om {email} har ett konto hos oss")
    await settled(server)
    (mail,) = titled(server, email, "Välj ett nytt lösenord")
    assert "inom 30 minuter" in text_of(mail) and '<html lang="sv"' in text_of(mail, "html")
    assert link_of(mail)["lang"] == "sv"
    async with browser.session.get(browser.url("/webchat/reset?lang=sv")) as response:
        page = await response.text()
    assert '<html lang="sv"' in page and "Nytt lösenord igen" in page and "Länken fungerar inte" in page
    status, page = await set_password(browser, token_of(mail), "kort", address)
    assert status == 400 and "minst 10 tecken" in page and '<html lang="sv"' in page
    status, page = await set_password(browser, token_of(mail), NEW_PASSWORD, address)
    assert status == 200 and "Ditt lösenord är ändrat" in page
    assert len(titled(server, email, "Ditt lösenord har ändrats")) == 1
    status, page = await set_password(browser, token_of(mail), NEW_PASSWORD, address)
    assert status == 400 and "Länken fungerar inte" in page


# --- links that do not work ---------------------------------------------------------------------------


@on_the_module_loop
async def test_expired_tampered_reused_and_made_up_links_are_refused_alike(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    codec = ResetCodec(server.app[APP_KEY].secret_key)
    stamp = await server.app[APP_KEY].backends.directory.credential_stamp(email)
    assert stamp is not None
    token = await mailed_token(server, browser, email, address)
    payload, _, signature = token.partition(".")
    refused = [
        codec.encode(email, "en", stamp, now=time.time() - 30 * 60 - 1),  # expired
        codec.encode("nobody@nordisk.example", "en", stamp),  # no such user
        token[:7] + ("A" if token[7] != "A" else "B") + token[8:],  # tampered payload
        f"{codec.encode(ANNA, 'en', stamp).partition('.')[0]}.{signature}",  # another user's payload
        f"{payload}.{'0' * len(signature)}",  # a made-up signature
        ResetCodec(b"another secret key entirely").encode(email, "en", stamp),  # not our key
        "",
        "x.y",
    ]
    checks = {json.dumps(await check(browser, t, address), sort_keys=True) for t in refused}
    pages = {await set_password(browser, t, NEW_PASSWORD, address) for t in refused}
    assert (await set_password(browser, token, NEW_PASSWORD, address))[0] == 200
    checks.add(json.dumps(await check(browser, token, address), sort_keys=True))  # used
    pages.add(await set_password(browser, token, "yet another passphrase", address))
    # one answer, one page, whatever was wrong
    assert len(checks) == 1, checks
    status, answer = json.loads(checks.pop())
    assert status == 200 and set(answer) == {"valid", "message"} and answer["valid"] is False
    assert FAILED in answer["message"]
    assert len(pages) == 1, pages
    ((status, page),) = pages
    assert status == 400 and FAILED in page and email not in page and "30 minutes" in page
    assert await login_status(browser, email, NEW_PASSWORD, address) == 200


@on_the_module_loop
async def test_a_link_made_before_another_reset_dies_with_the_old_password(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    first = await mailed_token(server, browser, email, address)
    second = await mailed_token(server, browser, email, address)
    assert (await set_password(browser, second, NEW_PASSWORD, address))[0] == 200
    status, page = await set_password(browser, first, "yet another passphrase", address)
    assert status == 400 and FAILED in page
    assert await login_status(browser, email, NEW_PASSWORD, address) == 200


@on_the_module_loop
async def test_one_link_used_twice_at_once_sets_one_password(server: TestServer, browser: Browser) -> None:
    address = client_address()
    email = await new_user(browser, address)
    token = await mailed_token(server, browser, email, address)
    first, second = "first of two at once", "second of two at once"
    results = await asyncio.gather(
        set_password(browser, token, first, address), set_password(browser, token, second, address)
    )
    assert sorted(status for status, _ in results) == [200, 400]
    winner, loser = (first, second) if results[0][0] == 200 else (second, first)
    assert await login_status(browser, email, winner, address) == 200
    assert await login_status(browser, email, loser, address) == 401


# --- the new password ---------------------------------------------------------------------------------


@on_the_module_loop
async def test_a_weak_or_mistyped_password_is_refused_with_the_reason(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    token = await mailed_token(server, browser, email, address)
    status, page = await set_password(browser, token, "short", address)
    assert status == 400
    assert "Please choose a password of at least 10 characters." in page
    assert '<input id="password" name="password" type="password"' in page
    assert 'aria-describedby="password-hint password-error" aria-invalid="true"' in page
    assert '<section id="reset-form-section">' in page  # shown at once, with the token in it
    assert f'<input type="hidden" name="token" value="{token}">' in page and email in page
    assert 'value="short"' not in page  # what was typed is not sent back
    status, page = await set_password(browser, token, NEW_PASSWORD, address, repeat=NEW_PASSWORD + "!")
    assert status == 400 and "The two passwords are not the same" in page
    status, page = await set_password(browser, token, "x" * 1025, address)
    assert status == 400 and "at least 10 characters" in page
    assert await login_status(browser, email, PASSWORD, address) == 200  # nothing changed so far
    # the link still works after refused attempts
    assert (await set_password(browser, token, NEW_PASSWORD, address))[0] == 200


# --- refusals -----------------------------------------------------------------------------------------


@on_the_module_loop
async def test_another_site_may_neither_ask_nor_set(server: TestServer, browser: Browser) -> None:
    address = client_address()
    email = await new_user(browser, address)
    status, data, _ = await ask_reset(browser, email, address, origin="https://evil.example")
    assert (status, data["error"]) == (403, "forbidden")
    await settled(server)
    assert len(mails_to(outbox(server), email)) == 1  # the confirmation only
    token = await mailed_token(server, browser, email, address)
    status, _ = await set_password(browser, token, NEW_PASSWORD, address, origin="https://evil.example")
    assert status == 403
    assert await login_status(browser, email, PASSWORD, address) == 200


@on_the_module_loop
@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"mail": "a@b.example"}', "application/json", 400),
        (b'{"email": ""}', "application/json", 400),
        (b'{"email": 1}', "application/json", 400),
        (b"not json", "application/json", 400),
        (b"email=a%40b.example", "application/x-www-form-urlencoded", 415),
        (b"{" + b" " * 9000 + b"}", "application/json", 413),
    ],
)
async def test_a_malformed_request(client: Client, body: bytes, content_type: str, status: int) -> None:
    response = await client.post(
        "/webchat/api/password-reset", data=body, headers={"Content-Type": content_type}
    )
    assert response.status == status
    assert (await response.json())["error"] == "bad_request"


@on_the_module_loop
async def test_an_address_that_cannot_be_one_is_a_field_error(browser: Browser) -> None:
    status, data, _ = await ask_reset(browser, "not an address", client_address())
    assert status == 400 and data["error"] == "invalid" and set(data["fields"]) == {"email"}


@on_the_module_loop
async def test_too_many_requests_from_one_client_address(server: TestServer, browser: Browser) -> None:
    address = client_address()
    for n in range(10):
        status, _, _ = await ask_reset(browser, f"nobody{n}@nordisk.example", address)
        assert status == 200
    status, data, _ = await ask_reset(browser, ANNA, address)
    assert (status, data["error"]) == (429, "rate_limited")
    assert "Too many password resets" in data["message"]
    assert (await ask_reset(browser, ANNA, client_address()))[0] == 200  # another client is not affected


@on_the_module_loop
async def test_at_most_three_mails_an_hour_to_one_address_and_the_answer_stays_the_same(
    server: TestServer, browser: Browser
) -> None:
    address = client_address()
    email = await new_user(browser, address)
    answers = [await ask_reset(browser, email, client_address()) for _ in range(5)]
    assert {(status, data["message"]) for status, data, _ in answers} == {(200, answers[0][1]["message"])}
    await settled(server)
    links = titled(server, email, "Choose a new password")
    assert len(links) == 3
    # the mails that were sent still work: a flood of requests cannot keep the owner from a link
    assert (await set_password(browser, token_of(links[0]), NEW_PASSWORD, address))[0] == 200


@on_the_module_loop
async def test_too_many_new_passwords_from_one_address(server: TestServer, browser: Browser) -> None:
    address = client_address()
    for _ in range(20):
        assert (await set_password(browser, "made.up", NEW_PASSWORD, address))[0] == 400
    status, page = await set_password(browser, "made.up", NEW_PASSWORD, address)
    assert status == 429 and "Too many attempts" in page


@on_the_module_loop
async def test_a_cookie_not_bound_to_a_password_is_a_guest(client: Client, server: TestServer) -> None:
    """Sessions carry a fingerprint of the password; one without (from before that) is signed out."""
    codec = SessionCodec(server.app[APP_KEY].secret_key)
    unbound = codec.encode(Session(sid="unbound", user_id=ANNA, issued_at=int(time.time())))
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: unbound})
    assert (await response.json())["user"] is None
    bound = Session(sid="made-up", user_id=ANNA, issued_at=int(time.time()), credentials="0" * 32)
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: codec.encode(bound)})
    assert (await response.json())["user"] is None


@on_the_module_loop
async def test_a_signed_in_session_survives_while_the_password_stays(browser: Browser) -> None:
    address = client_address()
    assert await login_status(browser, ANNA, DEMO_PASSWORD, address) == 200
    assert (await browser.whoami())["user"]["id"] == ANNA
    assert (await browser.chat()).ready["user"]["id"] == ANNA


# --- the pure parts -----------------------------------------------------------------------------------


def test_a_reset_token_names_its_user_expires_and_is_bound_to_the_password() -> None:
    codec = ResetCodec(b"k" * 32)
    stamp, later = password_stamp("scrypt$old"), password_stamp("scrypt$new")
    token = codec.encode("nora@nordisk.example", "sv", stamp, now=1_000_000)
    claim = codec.decode(token, now=1_000_000 + 29 * 60)
    assert claim is not None and (claim.user_id, claim.language) == ("nora@nordisk.example", "sv")
    assert codec.current(claim, stamp) and not codec.current(claim, later) and not codec.current(claim, None)
    assert codec.decode(token, now=1_000_000 + 30 * 60) is None  # expired after 30 minutes
    assert ResetCodec(b"o" * 32).decode(token, now=1_000_000) is None  # another key
    assert stamp not in token and codec.fingerprint(stamp) != stamp  # nothing of the hash itself
    assert codec.decode(None) is None and codec.decode("garbage") is None and codec.decode("a" * 5000) is None


def test_a_session_carries_its_password_fingerprint() -> None:
    codec = SessionCodec(b"k" * 32)
    session = Session.new_guest().signed_in(ANNA, credentials="f" * 32)
    assert codec.decode(codec.encode(session)) == session
    assert codec.decode(codec.encode(Session.new_guest())) is not None  # a guest has none


# --- in the widget, in real Chromium ------------------------------------------------------------------

ERIK = "erik.lund@nordisk.example"


def wait_for_mail(folder: Path, address: str, subject: str, *, timeout: float = 15.0) -> Message:
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mails_to(folder, address) if m["Subject"] == subject]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, f"no mail {subject!r} to {address}"
        time.sleep(0.1)


@pytest.mark.browser
@pytest.mark.skipif(not HAVE_PLAYWRIGHT, reason="the playwright package is not installed")
def test_forgot_your_password_in_the_widget(page: Page, chromium: Any, live_server: LiveServer) -> None:
    """Erik's chat is open elsewhere; he asks for a link in the sign-in form, sets a new password on the
    page it opens, and signs in with it; the chat that was open elsewhere goes on as a guest's."""
    elsewhere = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other = elsewhere.new_page()
    open_chat(other)
    sign_in(other, ERIK)

    open_chat(page)
    page.get_by_role("button", name="Forgot your password?").click()
    form = page.locator(".sbw-forgot")
    expect(form.get_by_label("E-mail address")).to_be_focused()
    form.get_by_label("E-mail address").fill(ERIK)
    form.get_by_role("button", name="Send the link").click()
    expect(form.get_by_role("status")).to_contain_text(f"If {ERIK} has an account with us")

    mail = wait_for_mail(live_server.settings.data_dir / "outbox", ERIK, "Choose a new password")
    link = link_of(mail).group()
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(page.locator("#reset-user")).to_have_text(ERIK)
    assert "token" not in page.url  # the script took it out of the address bar and the history
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading")).to_have_text("Your password is changed")
    wait_for_mail(live_server.settings.data_dir / "outbox", ERIK, "Your password was changed")
    page.goto(link)  # a second time: used
    expect(page.get_by_role("heading", name="This link doesn't work")).to_be_focused()
    expect(page.get_by_text("have been used already")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_be_hidden()

    # the chat that was open with the old password is a guest's now, and says why
    expect(other.locator(".sbw-who")).to_have_text("Chatting as a guest")
    expect(other.locator(".sbw-notice-info")).to_contain_text("your password was changed")
    elsewhere.close()

    page.get_by_role("link", name="Back to the support chat").click()
    expect(page.get_by_role("region", name="Support assistant")).to_be_visible()  # it stayed open
    page.get_by_label("User ID (your e-mail address)").fill(ERIK)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator(".sbw-login").get_by_role("button", name="Sign in").click()
    expect(page.locator(".sbw-login-error")).to_contain_text("don't match")
    sign_in(page, ERIK, NEW_PASSWORD)
