"""Registration, the e-mail confirmation link and the sign-in limits, through the real aiohttp stack."""

from __future__ import annotations

import sqlite3
import time
import uuid
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.sessions import COOKIE_NAME, Session
from supportbot.adapters.settings import Settings
from supportbot.adapters.webchat.registration import ConfirmationCodec
from supportbot.adapters.webchat.routes import REGISTRATIONS
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, ERIK, Browser, NewBrowser

pytestmark = pytest.mark.asyncio(loop_scope="module")

Client = TestClient[web.Request, web.Application]
PASSWORD = "correct horse battery"


def new_email() -> str:
    return f"new.user.{uuid.uuid4().hex[:8]}@nordisk.example"


def outbox(server: TestServer) -> Path:
    return Path(server.app[APP_KEY].settings.data_dir) / "outbox"


def mails_to(server: TestServer, address: str) -> list[Message]:
    folder = outbox(server)
    found = (
        [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]
        if folder.exists()
        else []
    )
    return [m for m in found if m["To"] == address]


def text_of(mail: Message, subtype: str) -> str:
    for part in mail.walk():
        if part.get_content_type() == f"text/{subtype}":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def confirmed_at(server: TestServer, user_id: str) -> Any:
    database = Path(server.app[APP_KEY].settings.data_dir) / "supportbot.sqlite3"
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT email_confirmed_at FROM users WHERE user_id = ?", (user_id,)).fetchone()
    assert row is not None, f"{user_id} is not registered"
    return row[0]


async def register(browser: Browser, *, language: str = "en", **fields: str) -> tuple[int, dict[str, Any]]:
    body = {"name": "Nora Nyström", "email": new_email(), "customer_number": "1000123", "password": PASSWORD}
    body.update(fields)
    response = await browser.session.post(
        browser.url("/webchat/api/register"),
        json=body,
        headers={"Origin": browser.origin, "Accept-Language": language},
    )
    data = await response.json()
    assert isinstance(data, dict)
    return response.status, data


def confirm_path(mail: Message) -> str:
    link = next(line for line in text_of(mail, "plain").splitlines() if "/webchat/confirm?token=" in line)
    parts = urlsplit(link.strip())
    return f"{parts.path}?{parts.query}"


# --- registration end to end -------------------------------------------------------------------------


async def settled(server: TestServer) -> None:
    """The mails of a registration are prepared after its answer: wait for them."""
    await server.app[REGISTRATIONS].settled()


async def test_registering_answers_the_same_and_signs_nobody_in_until_the_link_is_opened(
    server: TestServer, client: Client, browser: Browser
) -> None:
    guest_cookie = browser.cookie()
    email = new_email()
    status, data = await register(browser, email=email)
    assert status == 200, data
    assert data == {"status": "check_email", "message": data["message"]}
    assert "e-mail" in data["message"]
    assert browser.cookie() == guest_cookie  # not signed in: the account waits for its address
    assert (await browser.whoami())["user"] is None
    await settled(server)

    (mail,) = mails_to(server, email)
    assert mail["Subject"] == "Confirm your e-mail address"
    plain = text_of(mail, "plain")
    assert "Nora Nyström" in plain and "48 hours" in plain
    assert "Nordisk Verkstad AB" in plain and "1000123" in plain  # which company, to the address only
    path = confirm_path(mail)
    assert f'<a href="http://127.0.0.1:8080{path.replace("&", "&amp;")}"' in text_of(mail, "html")
    assert '<html lang="en"' in text_of(mail, "html")
    assert confirmed_at(server, email) is None

    # Before the link is opened the password opens nothing; the answer says what to do.
    response = await browser.login(email, PASSWORD)
    assert response.status == 403
    refusal = await response.json()
    assert refusal["error"] == "unconfirmed" and "link" in refusal["message"]
    assert browser.cookie() == guest_cookie
    assert (await browser.login(email, "a wrong password")).status == 401

    response = await browser.session.get(browser.url(path))
    page = await response.text()
    assert response.status == 200, page
    assert "Your e-mail address is confirmed" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"  # the token does not leak onwards
    assert confirmed_at(server, email) is not None

    assert (await browser.login(email, PASSWORD)).status == 200
    assert (await browser.whoami())["user"] == {
        "id": email,
        "name": "Nora Nyström",
        "company": "Nordisk Verkstad AB",
    }


async def test_a_session_of_an_unconfirmed_account_is_a_guest(
    server: TestServer, client: Client, browser: Browser
) -> None:
    """Such as one a registration made before it waited for the address (registering signed one in)."""
    email = new_email()
    await register(browser, email=email)
    await settled(server)
    chat = server.app[REGISTRATIONS].chat
    session, _ = await chat.signed_in_session(Session.new_guest(), email)
    cookie = chat.cookie.codec.encode(session)
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: cookie})
    assert (await response.json())["user"] is None
    (mail,) = mails_to(server, email)
    assert (await browser.session.get(browser.url(confirm_path(mail)))).status == 200
    server.app[APP_KEY].pipeline.forget_principal(email)
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: cookie})
    assert (await response.json())["user"]["id"] == email


async def registration_answer(new_browser: NewBrowser, email: str, customer_number: str) -> tuple[Any, ...]:
    """Everything a caller sees of one registration: status, headers that vary, body bytes, cookies."""
    browser = await new_browser()
    response = await browser.session.post(
        browser.url("/webchat/api/register"),
        json={
            "name": "Nora Nyström",
            "email": email,
            "customer_number": customer_number,
            "password": PASSWORD,
        },
        headers={"Origin": browser.origin, "Accept-Language": "en"},
    )
    body = await response.read()
    cookies = sorted(response.headers.getall("Set-Cookie", []))
    kept = {name: value for name, value in response.headers.items() if name not in {"Date", "Set-Cookie"}}
    return response.status, kept, body, cookies


async def test_the_answer_tells_nothing_of_the_customer_number_or_the_address(
    server: TestServer, new_browser: NewBrowser
) -> None:
    unknown, foreign, known = new_email(), new_email(), new_email()
    answers = {
        "unknown number": await registration_answer(new_browser, unknown, "9999999"),
        "another company's number": await registration_answer(new_browser, foreign, "2000456"),
        "the right number": await registration_answer(new_browser, known, "1000123"),
        "an address with an account": await registration_answer(new_browser, ERIK, "1000123"),
    }
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, _, body, cookies = answers["unknown number"]
    assert status == 200 and cookies == []
    assert b"Nordisk" not in body and b"Contoso" not in body
    await settled(server)

    # Only the address's owner learns what happened, by mail.
    (mail,) = mails_to(server, unknown)
    assert mail["Subject"] == "Your registration: customer number not found"
    assert "no customer with that number" in text_of(mail, "plain")
    assert "/webchat/confirm" not in text_of(mail, "plain")
    assert confirmed_at_or_none(server, unknown) == "no account"
    (mail,) = mails_to(server, foreign)
    assert "Contoso GmbH" in text_of(mail, "plain") and "/webchat/confirm" in text_of(mail, "plain")
    (mail,) = mails_to(server, known)
    assert "Nordisk Verkstad AB" in text_of(mail, "plain")
    (warning,) = mails_to(server, ERIK)
    assert warning["Subject"] == "Someone tried to register with your e-mail address"
    assert (await (await new_browser()).login(ERIK, PASSWORD)).status == 401  # Erik's account untouched


def confirmed_at_or_none(server: TestServer, user_id: str) -> Any:
    database = Path(server.app[APP_KEY].settings.data_dir) / "supportbot.sqlite3"
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT email_confirmed_at FROM users WHERE user_id = ?", (user_id,)).fetchone()
    return "no account" if row is None else row[0]


async def test_the_mail_and_the_page_are_in_the_user_s_language(server: TestServer, browser: Browser) -> None:
    email = new_email()
    status, data = await register(browser, email=email, language="sv-SE,sv;q=0.9")
    assert status == 200 and "e-post" in data["message"]
    await settled(server)
    (mail,) = mails_to(server, email)
    assert mail["Subject"] == "Bekräfta din e-postadress"
    assert "Nordisk Verkstad AB" in text_of(mail, "plain")
    response = await browser.session.get(browser.url(confirm_path(mail)))
    assert "Din e-postadress är bekräftad" in await response.text()


async def confirmed_and_signed_in(server: TestServer, browser: Browser) -> str:
    email = new_email()
    status, _ = await register(browser, email=email)
    assert status == 200
    await settled(server)
    (mail,) = mails_to(server, email)
    assert (await browser.session.get(browser.url(confirm_path(mail)))).status == 200
    assert (await browser.login(email, PASSWORD)).status == 200
    return email


async def test_a_new_user_has_no_access_to_orders(server: TestServer, browser: Browser) -> None:
    await confirmed_and_signed_in(server, browser)
    chat = await browser.chat()
    replies = await chat.transcript("""
        user: where is order 4711?
        bot:  ~ orders
        bot:  !~ PostNord
        bot:  !~ 00370712345678901234
        bot:  !~ NV-PO-889
        user: show my invoices
        bot:  !~ INV-2031
        bot:  !~ 125
    """)
    assert not any(reply["cards"] or reply["table"] or reply["attachments"] for reply in replies)
    await chat.close()


async def test_registering_a_taken_address_warns_its_owner_and_changes_nothing(
    server: TestServer, browser: Browser
) -> None:
    status, data = await register(browser, email=ANNA, name="Someone Else", password="another-password-1")
    assert (status, data["status"]) == (200, "check_email")
    await settled(server)
    (warning,) = mails_to(server, ANNA)
    assert warning["Subject"] == "Someone tried to register with your e-mail address"
    assert "nothing was changed" in text_of(warning, "plain")
    assert "/webchat/confirm" not in text_of(warning, "plain")
    # Anna's account is untouched: her password still works, the attacker's does not
    assert (await browser.login(ANNA, "another-password-1")).status == 401
    assert (await browser.login(ANNA, DEMO_PASSWORD)).status == 200


async def test_registering_again_before_confirming_sends_a_new_link(
    server: TestServer, browser: Browser
) -> None:
    email = new_email()
    await register(browser, email=email)
    await register(browser, email=email, password="a different password")
    await settled(server)
    first, second = mails_to(server, email)
    assert first["Subject"] == second["Subject"] == "Confirm your e-mail address"
    assert (await browser.session.get(browser.url(confirm_path(second)))).status == 200
    # the first registration's password stands: a second one changes nothing
    assert (await browser.login(email, "a different password")).status == 401
    assert (await browser.login(email, PASSWORD)).status == 200


async def test_every_bad_field_is_named(browser: Browser) -> None:
    status, data = await register(browser, name=" ", email="not-an-address", password="short")
    assert status == 400
    assert set(data["fields"]) == {"name", "email", "password"}
    assert "at least 10 characters" in data["fields"]["password"]
    status, data = await register(browser, language="sv", password="kort")
    assert "minst 10 tecken" in data["fields"]["password"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"name": "Nora"}', "application/json", 400),
        (b"not json", "application/json", 400),
        (b'{"name": 1, "email": 2, "customer_number": 3, "password": 4}', "application/json", 400),
        (b"name=Nora", "application/x-www-form-urlencoded", 415),
        (b"{" + b" " * 9000 + b"}", "application/json", 413),
    ],
)
async def test_a_malformed_registration(client: Client, body: bytes, content_type: str, status: int) -> None:
    response = await client.post("/webchat/api/register", data=body, headers={"Content-Type": content_type})
    assert response.status == status
    assert (await response.json())["error"] == "bad_request"


async def test_registration_from_another_site_is_refused(client: Client) -> None:
    response = await client.post(
        "/webchat/api/register",
        json={"name": "N", "email": new_email(), "customer_number": "1000123", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status == 403


# --- the link refused ---------------------------------------------------------------------------------


async def refused(browser: Browser, path: str) -> str:
    response = await browser.session.get(browser.url(path))
    page = await response.text()
    assert response.status == 400, page
    assert "this confirmation link doesn" in page
    return page


async def test_a_tampered_link_is_refused_politely(server: TestServer, browser: Browser) -> None:
    email = new_email()
    await register(browser, email=email)
    await settled(server)
    (mail,) = mails_to(server, email)
    path = confirm_path(mail)
    token = parse_qs(urlsplit(path).query)["token"][0]
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    page = await refused(browser, f"/webchat/confirm?token={flipped}")
    assert email not in page
    await refused(browser, "/webchat/confirm")
    await refused(browser, "/webchat/confirm?token=")
    assert confirmed_at(server, email) is None


async def test_an_expired_link_is_refused(server: TestServer, browser: Browser) -> None:
    email = new_email()
    await register(browser, email=email)
    await settled(server)
    codec = ConfirmationCodec(server.app[APP_KEY].secret_key)
    token = codec.encode(email, "en", now=time.time() - 48 * 3600 - 1)
    await refused(browser, f"/webchat/confirm?token={token}")
    assert confirmed_at(server, email) is None


async def test_another_user_s_link_is_refused(
    server: TestServer, browser: Browser, new_browser: NewBrowser
) -> None:
    email = new_email()
    await register(browser, email=email)
    await settled(server)
    (mail,) = mails_to(server, email)
    other = await new_browser()
    assert (await other.login(ERIK)).status == 200
    await refused(other, confirm_path(mail))  # Erik, signed in, opens Nora's link
    assert confirmed_at(server, email) is None
    codec = ConfirmationCodec(server.app[APP_KEY].secret_key)
    await refused(browser, f"/webchat/confirm?token={codec.encode('nobody@nordisk.example', 'en')}")
    # Nora herself, or a browser where nobody is signed in, may open it
    guest = await new_browser()
    response = await guest.session.get(guest.url(confirm_path(mail)))
    assert response.status == 200
    assert confirmed_at(server, email) is not None


async def test_a_tampered_cookie_of_a_new_user_is_a_guest(
    server: TestServer, client: Client, browser: Browser
) -> None:
    await confirmed_and_signed_in(server, browser)
    cookie = browser.cookie()
    assert cookie is not None
    payload, _, sig = cookie.rpartition(".")
    for tampered in (f"{payload}.{'0' * len(sig)}", payload[:-2] + "AA." + sig):
        response = await client.get("/webchat/api/session", cookies={"sb_session": tampered})
        assert (await response.json())["user"] is None, tampered


# --- sign-in limits: per user ID and per address -----------------------------------------------------


async def own_server(own_settings: Settings, **overrides: object) -> TestServer:
    settings = own_settings.model_copy(update=overrides)
    server = TestServer(create_web_app(await build_application(settings)))
    await server.start_server()
    return server


async def login_from(client: TestClient[Any, Any], address: str, user: str, password: str) -> int:
    response = await client.post(
        "/webchat/api/login", json={"user": user, "password": password}, headers={"X-Forwarded-For": address}
    )
    await response.read()
    return response.status


async def test_a_locked_user_id_still_signs_in_from_an_address_that_has_not_failed(
    own_settings: Settings,
) -> None:
    server = await own_server(own_settings, trust_forwarded_for=True)
    async with TestClient(server) as client:
        for _ in range(10):
            assert await login_from(client, "203.0.113.7", ERIK, "guess") == 401
        assert await login_from(client, "203.0.113.7", ERIK, DEMO_PASSWORD) == 429
        body = await (
            await client.post(
                "/webchat/api/login",
                json={"user": ERIK, "password": "guess"},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
        ).json()
        assert body["error"] == "rate_limited" and ERIK not in body["message"]
        # Erik, from his own address, gets in: a stranger cannot lock him out
        assert await login_from(client, "198.51.100.20", ERIK, DEMO_PASSWORD) == 200
        # but a wrong guess from a fresh address at a locked ID is refused, and that address is then out
        assert await login_from(client, "198.51.100.21", ERIK, "guess") == 429
        assert await login_from(client, "198.51.100.21", ERIK, DEMO_PASSWORD) == 429


async def test_too_many_failures_from_one_address_lock_that_address_out(own_settings: Settings) -> None:
    server = await own_server(own_settings, trust_forwarded_for=True)
    async with TestClient(server) as client:
        for n in range(30):
            assert await login_from(client, "203.0.113.9, 10.0.0.1", f"nobody{n}@x.example", "guess") == 401
        # the last entry counts: the one the trusted proxy added
        assert await login_from(client, "203.0.113.50, 10.0.0.1", ANNA, DEMO_PASSWORD) == 429
        assert await login_from(client, "10.0.0.1", ANNA, DEMO_PASSWORD) == 429
        assert await login_from(client, "203.0.113.9", ANNA, DEMO_PASSWORD) == 200


async def test_x_forwarded_for_is_ignored_unless_trusted(own_settings: Settings) -> None:
    server = await own_server(own_settings)
    async with TestClient(server) as client:
        for n in range(30):
            assert await login_from(client, f"203.0.113.{n}", f"nobody{n}@x.example", "guess") == 401
        assert await login_from(client, "198.51.100.1", ANNA, DEMO_PASSWORD) == 429
