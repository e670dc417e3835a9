"""The web chat through the real aiohttp stack, pipeline and demo back end: pages, sessions, the
WebSocket conversation, and every kind of bad input."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.sessions import COOKIE_NAME, Session, SessionCodec
from supportbot.adapters.settings import Settings
from supportbot.adapters.webchat import connection
from supportbot.adapters.webchat.protocol import MAX_FRAME_BYTES
from supportbot.bot.messages import Message, Reply
from tests.web.webchat_helpers import ANNA, DEMO_PASSWORD, ERIK, MAX, Browser, Chat, NewBrowser, new_id, shown

pytestmark = pytest.mark.asyncio(loop_scope="module")

Client = TestClient[web.Request, web.Application]
TRACKING_NUMBER = "00370712345678901234"


def codec_of(client: Client) -> SessionCodec:
    return SessionCodec(client.app[APP_KEY].secret_key)


def set_cookie_header(response: aiohttp.ClientResponse) -> str:
    headers = response.headers.getall("Set-Cookie", [])
    matching = [h for h in headers if h.startswith(f"{COOKIE_NAME}=")]
    assert matching, f"no {COOKIE_NAME} cookie set: {headers}"
    return matching[-1]


# --- the page and the widget's files ---------------------------------------------------------------


async def test_the_demo_page_embeds_the_widget(client: Client) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert '<script src="/webchat/widget.js" defer></script>' in page
    assert '<html lang="en">' in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no external origins at all
    for resource in ("https://", "http://", "//"):
        assert f'src="{resource}' not in page and f'href="{resource}' not in page


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/webchat/widget.js", "text/javascript"),
        ("/webchat/widget.css", "text/css"),
        ("/webchat/demo.css", "text/css"),
    ],
)
async def test_the_widget_files(client: Client, path: str, content_type: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == content_type
    body = await response.text()
    assert "https://" not in body.replace("https://your.site", "")  # nothing from a CDN
    assert "@import" not in body and "@font-face" not in body


async def test_the_widget_never_uses_inner_html(client: Client) -> None:
    script = await (await client.get("/webchat/widget.js")).text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


async def test_unknown_static_paths_are_not_served(client: Client) -> None:
    for path in ("/webchat/../server.py", "/webchat/routes.py", "/webchat/static/widget.js"):
        assert (await client.get(path)).status == 404


# --- sessions and sign-in ----------------------------------------------------------------------------


async def test_a_new_visitor_is_a_guest_with_a_session_cookie(client: Client) -> None:
    response = await client.get("/webchat/api/session")
    assert response.status == 200
    assert await response.json() == {"user": None, "language": None}
    cookie = set_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie.replace("samesite", "")
    assert response.headers["Cache-Control"] == "no-store"


async def test_the_cookie_is_secure_when_configured(own_settings: Settings) -> None:
    app = await build_application(own_settings.model_copy(update={"cookie_secure": True}))
    async with TestClient(TestServer(create_web_app(app))) as secure_client:
        response = await secure_client.get("/webchat/api/session")
        assert "; secure" in set_cookie_header(response).lower()


async def test_sign_in(browser: Browser) -> None:
    guest_cookie = browser.cookie()
    response = await browser.login(ANNA)
    assert response.status == 200
    data = await response.json()
    assert data["user"] == {"id": ANNA, "name": "Anna Berg", "company": "Nordisk Verkstad AB"}
    cookie = set_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert browser.cookie() != guest_cookie
    assert (await browser.whoami())["user"]["id"] == ANNA


async def test_sign_in_gives_a_new_session_id(client: Client, browser: Browser) -> None:
    codec = codec_of(client)
    before = codec.decode(browser.cookie())
    await browser.login(ANNA)
    after = codec.decode(browser.cookie())
    assert before is not None and after is not None
    assert after.sid != before.sid and after.user_id == ANNA and before.user_id is None


@pytest.mark.parametrize(("user", "password"), [(ANNA, "wrong"), ("nobody@nowhere.example", DEMO_PASSWORD)])
async def test_a_failed_sign_in_is_401_with_one_generic_answer(
    browser: Browser, user: str, password: str
) -> None:
    guest_cookie = browser.cookie()
    response = await browser.login(user, password)
    assert response.status == 401
    data = await response.json()
    assert data["error"] == "invalid_credentials"
    assert data["message"] == "That user ID and password don't match. Please check them and try again."
    assert browser.cookie() == guest_cookie
    assert (await browser.whoami())["user"] is None


async def test_the_password_is_never_logged(browser: Browser, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await browser.login(ANNA, "s3cret-wrong-password")
    await browser.login(ERIK, DEMO_PASSWORD)
    assert "s3cret-wrong-password" not in caplog.text
    assert DEMO_PASSWORD not in caplog.text.replace("demo data", "")


async def test_a_failing_directory_at_sign_in_logs_no_input(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    directory = client.app[APP_KEY].backends.directory

    async def broken(user_id: str, password: str) -> None:
        raise RuntimeError(f"query failed for {user_id} / {password}")

    monkeypatch.setattr(directory, "authenticate", broken)
    response = await client.post("/webchat/api/login", json={"user": ANNA, "password": "hunter2-secret"})
    assert response.status == 500
    assert (await response.json())["error"] == "internal"
    assert "hunter2-secret" not in caplog.text and "RuntimeError" in caplog.text


async def test_sign_in_answers_in_swedish_when_asked(client: Client) -> None:
    response = await client.post(
        "/webchat/api/login",
        json={"user": ANNA, "password": "nej"},
        headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"},
    )
    assert response.status == 401
    assert (await response.json())["message"].startswith("Användar-id och lösenord")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"user": "anna.berg@nordisk.example"}', "application/json", 400),
        (b"{", "application/json", 400),
        (b'{"user": "", "password": ""}', "application/json", 400),
        (b"user=anna.berg%40nordisk.example&password=demo", "application/x-www-form-urlencoded", 415),
        (b'{"user": "anna.berg@nordisk.example", "password": "demo"}', "text/plain", 415),
        (json.dumps({"user": ANNA, "password": "x" * 10_000}).encode(), "application/json", 413),
    ],
)
async def test_a_malformed_sign_in(client: Client, body: bytes, content_type: str, status: int) -> None:
    response = await client.post("/webchat/api/login", data=body, headers={"Content-Type": content_type})
    assert response.status == status
    assert (await response.json())["error"] == "bad_request"


async def test_sign_in_from_another_site_is_refused(client: Client) -> None:
    response = await client.post(
        "/webchat/api/login",
        json={"user": ANNA, "password": DEMO_PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status == 403
    assert (await client.get("/webchat/api/session")).status == 200
    assert (await (await client.get("/webchat/api/session")).json())["user"] is None


async def test_repeated_failed_sign_ins_are_throttled(own_settings: Settings) -> None:
    async with TestClient(TestServer(create_web_app(await build_application(own_settings)))) as own:
        await _throttled(Browser(own, own.session))


async def _throttled(browser: Browser) -> None:
    for _ in range(10):
        assert (await browser.login(ERIK, "guess")).status == 401
    assert (await browser.login(ERIK, "guess")).status == 429
    assert (await browser.login(ERIK, DEMO_PASSWORD)).status == 429  # even the right one, for a while
    assert (await browser.login(ANNA, DEMO_PASSWORD)).status == 200  # another user is not affected


async def test_a_tampered_cookie_is_a_guest_with_a_new_session(client: Client, browser: Browser) -> None:
    await browser.login(ANNA)
    value = browser.cookie()
    assert value is not None
    payload, _, sig = value.rpartition(".")
    forged = codec_of(client).encode(Session(sid="x", user_id=MAX, issued_at=int(time.time())))
    for tampered in (
        f"{payload}.{'0' * len(sig)}",
        payload[:-2] + "AA" + "." + sig,
        forged.rpartition(".")[0] + "." + sig,
        "garbage",
    ):
        response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: tampered})
        assert (await response.json())["user"] is None, tampered
        fresh = codec_of(client).decode(set_cookie_header(response).split(";")[0].split("=", 1)[1])
        assert fresh is not None and fresh.user_id is None


async def test_a_tampered_cookie_on_the_websocket_is_a_guest(client: Client, browser: Browser) -> None:
    await browser.login(ANNA)
    value = browser.cookie()
    assert value is not None
    browser.session.cookie_jar.clear()
    browser.session.cookie_jar.update_cookies(
        {COOKIE_NAME: value[:-4] + "0000"}, response_url=URL(browser.origin)
    )
    assert browser.cookie() == value[:-4] + "0000"
    chat = await browser.chat()
    assert chat.ready["user"] is None


async def test_an_expired_cookie_is_a_guest(client: Client) -> None:
    old = Session(sid="old-sid", user_id=ANNA, issued_at=int(time.time()) - 15 * 24 * 3600)
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: codec_of(client).encode(old)})
    assert (await response.json())["user"] is None


async def test_a_cookie_for_a_user_who_does_not_exist_is_a_guest(client: Client) -> None:
    ghost = Session(sid="ghost-sid", user_id="ghost@nowhere.example", issued_at=int(time.time()))
    response = await client.get("/webchat/api/session", cookies={COOKIE_NAME: codec_of(client).encode(ghost)})
    assert (await response.json())["user"] is None
    fresh = codec_of(client).decode(set_cookie_header(response).split(";")[0].split("=", 1)[1])
    assert fresh is not None and fresh.sid != "ghost-sid"


async def test_sign_out_starts_a_fresh_guest_conversation(client: Client, browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat()
    await chat.say("where is my order 4711?")
    await chat.close()
    signed_in = codec_of(client).decode(browser.cookie())
    response = await browser.logout()
    assert response.status == 200 and await response.json() == {"user": None, "language": None}
    after = codec_of(client).decode(browser.cookie())
    assert after is not None and signed_in is not None
    assert after.user_id is None and after.sid != signed_in.sid
    chat = await browser.chat()
    assert chat.ready["user"] is None
    assert chat.history == []  # nothing of the signed-in conversation comes along


async def test_sign_out_from_another_site_is_refused(browser: Browser) -> None:
    await browser.login(ANNA)
    response = await browser.session.post(
        browser.url("/webchat/api/logout"), headers={"Origin": "https://evil.example"}
    )
    assert response.status == 403
    assert (await browser.whoami())["user"]["id"] == ANNA


# --- the WebSocket: origin -------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1.evil.example"])
async def test_a_cross_site_websocket_is_refused(browser: Browser, origin: str) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.session.ws_connect(browser.url("/webchat/ws"), headers={"Origin": origin})
    assert refused.value.status == 403


async def test_a_websocket_without_origin_is_refused(browser: Browser) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.session.ws_connect(browser.url("/webchat/ws"))
    assert refused.value.status == 403


async def test_a_websocket_from_the_other_port_of_the_same_host_is_refused(browser: Browser) -> None:
    port = int(browser.origin.rsplit(":", 1)[1])
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.chat(origin=f"http://127.0.0.1:{port + 1}")
    assert refused.value.status == 403


async def test_the_public_url_is_a_trusted_origin(browser: Browser) -> None:
    chat = await browser.chat(origin="http://127.0.0.1:8080")  # settings.public_url
    assert chat.ready["type"] == "ready"


async def test_a_plain_get_of_the_websocket_path(client: Client, browser: Browser) -> None:
    response = await client.get("/webchat/ws", headers={"Origin": browser.origin})
    assert response.status == 426


async def test_the_upgrade_without_a_cookie_sets_one(client: Client, new_browser: NewBrowser) -> None:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        origin = str(client.make_url("/").origin())
        ws = await session.ws_connect(client.make_url("/webchat/ws"), headers={"Origin": origin})
        chat = await Chat(ws).start()
        assert chat.ready["user"] is None
        assert any(c.key == COOKIE_NAME for c in session.cookie_jar)
        await chat.close()
    finally:
        await session.close()


# --- the WebSocket: conversations ----------------------------------------------------------------


async def test_anna_asks_where_her_order_is(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    assert chat.ready == {
        "type": "ready",
        "user": {"id": ANNA, "name": "Anna Berg", "company": "Nordisk Verkstad AB"},
        "language": chat.ready["language"],
    }
    message_id = new_id()
    await chat.send({"type": "message", "id": message_id, "text": "where is my order 4711?"})
    frame = await chat.frame()
    assert frame["type"] == "reply" and frame["in_reply_to"] == message_id, (
        "a quick answer comes without typing"
    )
    reply = frame["reply"]
    assert reply["language"] == "en"
    assert "PostNord" in reply["text"]
    (card,) = reply["cards"]
    assert card["title"].endswith("4711")
    assert card["link"] is not None and TRACKING_NUMBER in card["link"]["url"]
    assert card["link"]["url"].startswith("https://")
    assert any(f["value"] == TRACKING_NUMBER for f in card["fields"])
    assert "intent" not in reply


async def test_a_guest_gets_the_status_and_date_only(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    assert chat.ready["user"] is None and chat.ready["language"] is None
    replies = await chat.transcript(
        """
        user: where is my order 4711?
        bot:  ~ customer number
        user: 1000123
        bot:  ~ 4711
        bot:  ~ expected delivery
        bot:  !~ SEK
        bot:  !~ PostNord
        bot:  !~ 00370712345678901234
        bot:  !~ NV-PO-889
        bot:  !~ Kista
        """
    )
    reply = replies[-1]
    assert reply["cards"] == [] and reply["table"] is None and reply["attachments"] == []


async def test_a_guest_with_the_wrong_customer_number_learns_nothing(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    await chat.say("where is my order 4711?")
    reply = (await chat.say("2000456"))["reply"]
    assert "can't find" in reply["text"] and "shipped" not in reply["text"].lower()


async def test_erik_sees_orders(browser: Browser) -> None:
    await browser.login(ERIK)
    chat = await browser.chat(lang="en")
    assert chat.ready["user"]["id"] == ERIK
    await chat.transcript(
        """
        user: where is my order 4712?
        bot:  ~ 4712
        bot:  ~ in production
        user: where is my order 4711?
        bot:  ~ PostNord
        bot:  link ~ 00370712345678901234
        """
    )


async def test_another_company_s_order_is_not_found(browser: Browser) -> None:
    await browser.login(MAX)
    chat = await browser.chat(lang="en")
    reply = (await chat.say("where is my order 4711?"))["reply"]
    assert "can't find order 4711" in reply["text"]
    assert "PostNord" not in shown(reply)


async def test_an_unknown_order_number_gets_a_clear_answer(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    reply = (await chat.say("where is my order 999999?"))["reply"]
    assert "can't find order 999999" in reply["text"]
    assert reply["cards"] == []
    assert "PostNord" in shown((await chat.say("where is my order 4711?"))["reply"])


async def test_a_swedish_question_is_answered_in_swedish(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    await chat.transcript(
        """
        user: var är min order 4712?
        bot:  (sv)
        bot:  ~ 4712
        bot:  ~ i produktion
        """
    )


async def test_a_button_value_is_sent_like_text(client: Client, browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    offer = (await chat.say("what's the weather on Mars?"))["reply"]
    assert offer["buttons"], offer  # out of scope: the bot offers a person
    button = offer["buttons"][0]
    pressed = await chat.say(button["value"], button=True)
    assert pressed["reply"]["text"]
    turns = await client.app[APP_KEY].pipeline.history(_key(client, browser))
    pressed_turn = turns[-2]
    assert pressed_turn.role == "user" and pressed_turn.text == button["value"]
    assert pressed_turn.payload == {"button": True}


async def test_history_is_restored_on_reconnect(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    assert chat.history == []
    await chat.say("where is my order 4711?")
    await chat.close()
    again = await browser.chat()
    assert again.ready["language"] == "en"
    roles = [item["role"] for item in again.history]
    assert roles == ["user", "bot"]
    user, bot = again.history
    assert user["text"] == "where is my order 4711?" and user["reply"] is None
    assert user["at"].endswith("Z")
    assert "PostNord" in bot["text"]
    assert TRACKING_NUMBER in bot["reply"]["cards"][0]["link"]["url"]


async def test_each_browser_has_its_own_conversation(browser: Browser, new_browser: NewBrowser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat()
    await chat.say("where is my order 4711?")
    other = await new_browser()
    await other.login(ANNA)
    assert (await other.chat()).history == []


async def test_a_guest_conversation_goes_on_after_sign_in(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    await chat.say("hello")
    await chat.close()
    await browser.login(ANNA)
    chat = await browser.chat()
    assert chat.ready["user"]["id"] == ANNA
    assert [item["text"] for item in chat.history if item["role"] == "user"] == ["hello"]
    reply = (await chat.say("where is my order 4711?"))["reply"]
    assert "PostNord" in shown(reply)


async def test_switching_users_carries_nothing_across(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    await chat.say("where is my order 4711?")
    await chat.close()
    await browser.login(ERIK)
    chat = await browser.chat()
    assert chat.ready["user"]["id"] == ERIK
    assert chat.history == []


async def test_signing_in_again_keeps_the_conversation(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    await chat.say("where is my order 4711?")
    await chat.close()
    await browser.login(ANNA)
    chat = await browser.chat()
    assert [item["role"] for item in chat.history] == ["user", "bot"]


async def test_a_repeated_delivery_is_answered_once(client: Client, browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    first = await chat.say("where is my order 4711?", message_id="m-dup-1")
    assert "repeat" not in first
    await chat.close()
    chat = await browser.chat()  # a resend after a reconnect, with the same id
    second = await chat.say("where is my order 4711?", message_id="m-dup-1")
    assert second["repeat"] is True
    assert second["reply"] == first["reply"]
    third = await chat.say("where is my order 4711?", message_id="m-dup-1")
    assert third["reply"] == first["reply"]
    history = await client.app[APP_KEY].pipeline.history(_key(client, browser))
    assert [t.role for t in history] == ["user", "bot"]


def _key(client: Client, browser: Browser) -> str:
    session = codec_of(client).decode(browser.cookie())
    assert session is not None
    return f"web:{session.sid}"


async def test_messages_are_answered_in_order(browser: Browser) -> None:
    await browser.login(ANNA)
    chat = await browser.chat(lang="en")
    texts = ["where is my order 4711?", "where is my order 4712?", "hello", "where is my order 5801?"]
    ids = [new_id() for _ in texts]
    for message_id, text in zip(ids, texts, strict=True):
        await chat.send({"type": "message", "id": message_id, "text": text})
    replies = [await chat.until("reply") for _ in texts]
    assert [r["in_reply_to"] for r in replies] == ids
    assert "4711" in replies[0]["reply"]["text"] and "4712" in replies[1]["reply"]["text"]


async def test_ping(browser: Browser) -> None:
    chat = await browser.chat()
    await chat.send({"type": "ping"})
    assert await chat.frame() == {"type": "pong"}


# --- the WebSocket: bad input ----------------------------------------------------------------------


async def _goes_on(chat: Chat) -> None:
    """After bad input the connection is open and the conversation carries on."""
    reply = (await chat.say("hello"))["reply"]
    assert reply["text"]


@pytest.mark.parametrize("text", ["", "   ", " \n\t  "])
async def test_empty_text_is_answered_politely(browser: Browser, text: str) -> None:
    chat = await browser.chat(lang="en")
    reply = (await chat.say(text))["reply"]
    assert reply["text"] == "I didn't get any text. What can I help you with?"
    await _goes_on(chat)


async def test_a_100_000_character_message_is_too_large(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    message_id = new_id()
    await chat.send({"type": "message", "id": message_id, "text": "x" * 100_000})
    frame = await chat.frame()
    assert frame["type"] == "error" and frame["code"] == "too_large"
    assert "in_reply_to" not in frame  # nothing of the frame was read
    assert "too large" in frame["message"]
    await _goes_on(chat)


async def test_a_long_message_under_the_frame_limit_gets_the_pipeline_s_answer(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    reply = (await chat.say("where is my order " * 1000))["reply"]
    assert "too long" in reply["text"]
    await _goes_on(chat)


async def test_just_under_and_over_64_kib(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    envelope = len(json.dumps({"type": "message", "id": "t-edge", "text": ""}))
    fits = {"type": "message", "id": "t-edge", "text": "a" * (MAX_FRAME_BYTES - envelope)}
    assert len(json.dumps(fits)) == MAX_FRAME_BYTES
    await chat.send(fits)
    assert (await chat.answer("t-edge"))["type"] == "reply"
    over = {"type": "message", "id": "t-over", "text": "a" * (MAX_FRAME_BYTES - envelope + 1)}
    await chat.send(over)
    frame = await chat.until("error")
    assert frame["code"] == "too_large"


async def test_a_frame_over_a_mebibyte_closes_the_connection_but_not_the_server(browser: Browser) -> None:
    chat = await browser.chat()
    await chat.send("x" * (2 * 1024 * 1024))
    closing = await chat.ws.receive(timeout=10)
    assert closing.type in {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING}
    assert chat.ws.close_code == 1009
    await _goes_on(await browser.chat())


async def test_a_binary_frame_is_a_bad_frame(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    await chat.send(b"\x00\x01binary\xff")
    frame = await chat.frame()
    assert frame["type"] == "error" and frame["code"] == "bad_frame"
    await chat.send(json.dumps({"type": "message", "id": "t-bin", "text": "hello"}).encode())
    assert (await chat.frame())["code"] == "bad_frame"
    await _goes_on(chat)


@pytest.mark.parametrize(
    "data", ["{", "hello there", '{"type": "message", "id": "a", "text": "x",}', "[" * 5000]
)
async def test_malformed_json_is_bad_json(browser: Browser, data: str) -> None:
    chat = await browser.chat(lang="en")
    await chat.send(data)
    frame = await chat.frame()
    assert frame == {"type": "error", "code": "bad_json", "message": frame["message"]}
    assert frame["message"].startswith("Sorry")
    await _goes_on(chat)


@pytest.mark.parametrize(
    ("frame", "in_reply_to"),
    [
        ({"type": "message", "id": "t-shape-1"}, "t-shape-1"),
        ({"type": "message", "id": "t-shape-2", "text": 42}, "t-shape-2"),
        ({"type": "message", "id": "t-shape-3", "text": {"nested": "x"}}, "t-shape-3"),
        ({"type": "message", "text": "hello"}, None),
        ({"type": "shout", "id": "t-shape-4", "text": "hello"}, "t-shape-4"),
        ({"id": "t-shape-5", "text": "hello"}, "t-shape-5"),
        (["message", "hello"], None),
        ("just a string", None),
    ],
)
async def test_the_wrong_shape_is_a_bad_frame(browser: Browser, frame: Any, in_reply_to: str | None) -> None:
    chat = await browser.chat(lang="en")
    await chat.send(json.dumps(frame))
    error = await chat.frame()
    assert error["type"] == "error" and error["code"] == "bad_frame"
    assert error.get("in_reply_to") == in_reply_to
    await _goes_on(chat)


async def test_errors_follow_the_conversation_s_language(browser: Browser) -> None:
    chat = await browser.chat(lang="sv")
    await chat.send("{")
    assert (await chat.frame())["message"].startswith("Förlåt")


async def test_a_flood_is_rate_limited(
    client: Client, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [time.time()]  # the limits' clock, so the test neither waits ten seconds nor depends on speed
    monkeypatch.setattr(client.app[APP_KEY].limits, "clock", lambda: now[0])
    chat = await browser.chat(lang="en")
    ids = [new_id() for _ in range(25)]
    for message_id in ids:
        await chat.send({"type": "message", "id": message_id, "text": "hello"})
    answers: dict[str, dict[str, Any]] = {}
    while len(answers) < len(ids):
        frame = await chat.frame()
        if frame["type"] in {"reply", "error"}:
            answers[frame["in_reply_to"]] = frame
    assert [answers[i]["type"] for i in ids] == ["reply"] * 20 + ["error"] * 5
    assert {answers[i]["code"] for i in ids[20:]} == {"rate_limited"}
    assert "wait a few seconds" in answers[ids[-1]]["message"]
    now[0] += connection.RATE_WINDOW
    await _goes_on(chat)


async def test_junk_counts_against_the_rate_limit(browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    for _ in range(20):
        await chat.send("{")
    codes = [(await chat.frame())["code"] for _ in range(20)]
    assert codes == ["bad_json"] * 20
    await chat.send("{")
    assert (await chat.frame())["code"] == "rate_limited"


async def test_a_pipeline_failure_is_an_internal_error_frame(
    client: Client, browser: Browser, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = client.app[APP_KEY].pipeline
    original = pipeline.answer

    async def broken(message: Message) -> Reply:
        raise RuntimeError("database on fire: secret internals")

    monkeypatch.setattr(pipeline, "answer", broken)
    chat = await browser.chat(lang="en")
    message_id = new_id()
    frame = await chat.ask("where is my order 4711?", message_id=message_id)
    assert frame["type"] == "error" and frame["code"] == "internal" and frame["in_reply_to"] == message_id
    assert "secret internals" not in json.dumps(chat.seen) and "Traceback" not in json.dumps(chat.seen)
    assert "something went wrong" in frame["message"]
    assert _key(client, browser) in caplog.text and "database on fire" in caplog.text
    monkeypatch.setattr(pipeline, "answer", original)
    await _goes_on(chat)


async def test_the_server_stays_up_after_all_that(browser: Browser, client: Client) -> None:
    chat = await browser.chat(lang="en")
    for junk in (
        b"\x00",
        "{",
        json.dumps({"type": "nope"}),
        json.dumps({"type": "message", "id": "a", "text": 1}),
    ):
        await chat.send(junk)
        assert (await chat.frame())["type"] == "error"
    await chat.close()
    assert (await client.get("/healthz")).status == 200
    await _goes_on(await browser.chat())


class _SlowOrders:
    """The real orders back end, answering half a second late."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def slow(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0.5)
            return await method(*args, **kwargs)

        return slow


async def test_typing_is_shown_while_a_slow_answer_is_coming(own_settings: Settings) -> None:
    app = await build_application(own_settings)
    app.backends.orders = _SlowOrders(app.backends.orders)  # type: ignore[assignment]
    async with TestClient(TestServer(create_web_app(app))) as slow_client:
        browser = Browser(slow_client, slow_client.session)
        await browser.whoami()
        await browser.login(ANNA)
        chat = await browser.chat(lang="en")
        message_id = new_id()
        await chat.send({"type": "message", "id": message_id, "text": "where is my order 4711?"})
        assert await chat.frame() == {"type": "typing", "on": True}
        assert await chat.frame() == {"type": "typing", "on": False}
        frame = await chat.frame()
        assert frame["type"] == "reply" and frame["in_reply_to"] == message_id
        assert "PostNord" in frame["reply"]["text"]
        await chat.close()
