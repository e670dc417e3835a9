"""Forms and files in the web chat through the real aiohttp stack, pipeline and demo back end: the
request form sent as a ``form`` frame (once, however often it is repeated), malformed frames, the
upload endpoint (who may, from where, how much, how often) and uploads sent with a message."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from supportbot.adapters.sessions import SessionCodec
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import MAX_INBOUND_BYTES
from tests.web.webchat_helpers import ANNA, ERIK, MAX, Browser, Chat, NewBrowser, new_id

pytestmark = pytest.mark.asyncio(loop_scope="module")

Client = TestClient[web.Request, web.Application]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n"
FORM_VALUES = {
    "category": "technical",
    "subject": "Power server in Kista does not boot",
    "description": "Since this morning the server stops with error B2001234 after power-on.",
    "priority": "high",
}


def app_of(client: Client) -> Application:
    return client.app[APP_KEY]


async def scalar(client: Client, sql: str, **params: Any) -> Any:
    async with app_of(client).engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def documents(client: Client, number: str) -> list[tuple[Any, ...]]:
    async with app_of(client).engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT d.name, d.content_type, d.size, d.sha256 FROM request_documents d "
                "JOIN requests r ON r.id = d.request_id WHERE r.number = :n ORDER BY d.id"
            ),
            {"n": number},
        )
        return [tuple(r) for r in rows]


async def erik_s_request(client: Client) -> str:
    """Erik's demo request (its year is the seeding's)."""
    number = await scalar(client, "SELECT number FROM requests WHERE subject LIKE 'Can order 4712%'")
    assert isinstance(number, str)
    return number


def conversation_key(client: Client, browser: Browser) -> str:
    session = SessionCodec(app_of(client).secret_key).decode(browser.cookie())
    assert session is not None
    return f"web:{session.sid}"


async def signed_in(browser: Browser, user: str) -> Chat:
    assert (await browser.login(user)).status == 200
    return await browser.chat(lang="en")


async def the_form(chat: Chat) -> dict[str, Any]:
    reply = (await chat.say("I'd like to open a support request"))["reply"]
    form = reply["form"]
    assert isinstance(form, dict)
    return form


# --- the request form ----------------------------------------------------------------------------------


async def test_the_form_comes_in_the_reply_pre_filled(browser: Browser) -> None:
    chat = await signed_in(browser, ERIK)
    form = await the_form(chat)
    assert form["id"] == "request.open" and form["title"] == "New support request"
    fields = {f["name"]: f for f in form["fields"]}
    assert fields["name"]["kind"] == "info" and fields["name"]["value"] == "Erik Lund"
    assert fields["customer_number"]["value"] == "1000123"
    assert fields["category"]["kind"] == "choice" and fields["category"]["required"] is True
    assert fields["subject"]["max_length"] == 300 and fields["description"]["kind"] == "textarea"
    assert fields["priority"]["value"] == "normal"
    assert form["submit_label"] == "Send request"
    assert form["cancel_label"] == "Cancel" and form["cancel_value"] == "cancel"


async def test_sending_the_form_opens_one_request_however_often_it_comes(
    client: Client, browser: Browser
) -> None:
    chat = await signed_in(browser, ERIK)
    await the_form(chat)
    before = await scalar(client, "SELECT count(*) FROM requests")
    message_id = new_id()
    done = await chat.submit("request.open", FORM_VALUES, message_id=message_id)
    assert done["type"] == "reply" and "repeat" not in done
    assert "I've opened request RQ-" in done["reply"]["text"]
    assert "form" not in done["reply"]
    number = next(w.rstrip(":.,") for w in done["reply"]["text"].split() if w.startswith("RQ-"))
    assert await scalar(client, "SELECT priority FROM requests WHERE number = :n", n=number) == "high"

    again = await chat.submit("request.open", FORM_VALUES, message_id=message_id)
    assert again["repeat"] is True and again["reply"] == done["reply"]
    await chat.close()
    chat = await browser.chat()  # a resend after a reconnect
    third = await chat.submit("request.open", FORM_VALUES, message_id=message_id)
    assert third["repeat"] is True
    assert await scalar(client, "SELECT count(*) FROM requests") == before + 1

    # The history shows the sent form as its values, not as a line of text.
    (sent,) = [item for item in chat.history if item.get("form")]
    assert sent["role"] == "user" and sent["text"] == ""
    assert sent["form"] == {"id": "request.open", "values": FORM_VALUES}


async def test_a_form_with_wrong_values_comes_back_marked(client: Client, browser: Browser) -> None:
    chat = await signed_in(browser, ERIK)
    await the_form(chat)
    before = await scalar(client, "SELECT count(*) FROM requests")
    back = await chat.submit("request.open", {**FORM_VALUES, "subject": "   ", "category": "weather"})
    reply = back["reply"]
    assert "check the marked fields" in reply["text"]
    errors = {f["name"]: f["error"] for f in reply["form"]["fields"] if f["error"]}
    assert errors == {"subject": "Please fill this in.", "category": "Please choose one."}
    assert await scalar(client, "SELECT count(*) FROM requests") == before


async def test_unknown_names_in_a_form_are_dropped(client: Client, browser: Browser) -> None:
    chat = await signed_in(browser, ERIK)
    await the_form(chat)
    values = {**FORM_VALUES, "name": "Mallory", "email": "mallory@evil.example", "role": "admin"}
    done = await chat.submit("request.open", values)
    assert "sent a confirmation to erik.lund@nordisk.example" in done["reply"]["text"]
    history = await app_of(client).pipeline.history(conversation_key(client, browser))
    (sent,) = [t for t in history if t.role == "user" and t.payload and "form" in t.payload]
    assert sent.payload is not None and sent.payload["form"]["values"] == FORM_VALUES
    assert "Mallory" not in sent.text and "admin" not in sent.text


async def test_a_form_never_shown_is_not_filled_in(client: Client, browser: Browser) -> None:
    chat = await signed_in(browser, ERIK)
    before = await scalar(client, "SELECT count(*) FROM requests")
    back = await chat.submit("request.open", FORM_VALUES)  # no form in this conversation yet
    assert back["reply"]["form"]["id"] == "request.open"  # it comes back to be filled in
    assert await scalar(client, "SELECT count(*) FROM requests") == before


async def test_a_guest_s_form_asks_to_sign_in(client: Client, browser: Browser) -> None:
    chat = await browser.chat(lang="en")
    before = await scalar(client, "SELECT count(*) FROM requests")
    reply = await chat.submit("request.open", FORM_VALUES)
    assert "sign in" in reply["reply"]["text"].lower()
    assert await scalar(client, "SELECT count(*) FROM requests") == before


async def test_cancel_is_the_cancel_word_as_a_button(browser: Browser) -> None:
    chat = await signed_in(browser, ERIK)
    form = await the_form(chat)
    reply = (await chat.say(form["cancel_value"], button=True))["reply"]
    assert "form" not in reply and reply["text"]


@pytest.mark.parametrize(
    ("frame", "code", "in_reply_to"),
    [
        (
            {"type": "form", "id": "f-bad-1", "form": "request.open", "values": "subject=x"},
            "bad_frame",
            "f-bad-1",
        ),
        (
            {"type": "form", "id": "f-bad-2", "form": "request.open", "values": {"subject": 1}},
            "bad_frame",
            "f-bad-2",
        ),
        ({"type": "form", "id": "f-bad-3", "form": 7, "values": {}}, "bad_frame", "f-bad-3"),
        ({"type": "form", "form": "request.open", "values": {}}, "bad_frame", None),
        (
            {
                "type": "form",
                "id": "f-bad-4",
                "form": "request.open",
                "values": {"description": "x" * 20_001},
            },
            "too_large",
            "f-bad-4",
        ),
    ],
)
async def test_a_malformed_form_is_refused_politely_and_nothing_is_stored(
    client: Client, browser: Browser, frame: dict[str, Any], code: str, in_reply_to: str | None
) -> None:
    chat = await signed_in(browser, ERIK)
    await the_form(chat)
    history = await app_of(client).pipeline.history(conversation_key(client, browser))
    await chat.send(frame)
    error = await chat.frame()
    assert error["type"] == "error" and error["code"] == code
    assert error.get("in_reply_to") == in_reply_to
    assert error["message"].startswith(("Sorry", "That message"))
    assert await app_of(client).pipeline.history(conversation_key(client, browser)) == history
    assert (await chat.say("hello"))["reply"]["text"]  # the conversation goes on


# --- the upload endpoint --------------------------------------------------------------------------------


async def test_an_upload_is_kept_for_its_sender(client: Client, browser: Browser) -> None:
    await browser.login(ERIK)
    response = await browser.upload("front panel.png", PNG, content_type="image/png")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = await response.json()
    assert data["name"] == "front panel.png" and data["content_type"] == "image/png"
    assert data["size"] == len(PNG)
    kept = await app_of(client).files.unstash(owner=ERIK, file_id=data["id"])
    assert kept is not None and kept.data == PNG
    assert await app_of(client).files.unstash(owner=ANNA, file_id=data["id"]) is None


async def test_an_upload_s_type_is_guessed_when_the_browser_does_not_know(browser: Browser) -> None:
    await browser.login(ERIK)
    response = await browser.upload("scan.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/octet-stream")
    assert (await response.json())["content_type"] == "application/pdf"
    response = await browser.upload("b\u00e4ttre logg.txt", LOG, content_type="text/plain; charset=utf-8")
    data = await response.json()
    assert data["content_type"] == "text/plain" and data["name"] == "b\u00e4ttre logg.txt"


async def test_a_guest_may_not_upload(client: Client, browser: Browser) -> None:
    rows = await scalar(client, "SELECT count(*) FROM files")
    response = await browser.upload("a.png", PNG)
    assert response.status == 401
    data = await response.json()
    assert data["error"] == "unauthorized" and data["message"] == "Please sign in to send files."
    assert await scalar(client, "SELECT count(*) FROM files") == rows


async def test_an_upload_from_another_site_is_refused(client: Client, browser: Browser) -> None:
    await browser.login(ERIK)
    rows = await scalar(client, "SELECT count(*) FROM files")
    response = await browser.upload("a.png", PNG, headers={"Origin": "https://evil.example"})
    assert response.status == 403 and (await response.json())["error"] == "forbidden"
    assert await scalar(client, "SELECT count(*) FROM files") == rows


@pytest.mark.parametrize(
    ("headers", "body", "error"),
    [
        ({"X-Filename": ""}, PNG, "bad_request"),  # without the header (a form of another site can't send it)
        ({"X-Filename": "%2F"}, PNG, "bad_request"),
        ({"X-Filename": "%FF.png"}, PNG, "bad_request"),
        ({}, b"", "empty"),
    ],
)
async def test_a_malformed_upload_is_400(
    client: Client, browser: Browser, headers: dict[str, str], body: bytes, error: str
) -> None:
    await browser.login(ERIK)
    rows = await scalar(client, "SELECT count(*) FROM files")
    response = await browser.upload("a.png", body, headers=headers)
    assert response.status == 400
    data = await response.json()
    assert data["error"] == error and data["message"]
    assert await scalar(client, "SELECT count(*) FROM files") == rows


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/agents/api/session')</script></body></html>"


@pytest.mark.parametrize("body", [HTML, ELF, MZ], ids=["html", "elf", "mz"])
async def test_an_upload_that_is_not_what_its_name_says_is_refused_politely(
    client: Client, browser: Browser, body: bytes
) -> None:
    await browser.login(ERIK)
    rows = await scalar(client, "SELECT count(*) FROM files")
    response = await browser.upload("invoice.pdf", body, content_type="application/pdf")
    assert response.status == 415
    assert (await response.json())["message"] == (
        "Sorry, I can't take invoice.pdf: that kind of file isn't accepted. You can send PDFs, pictures (PNG, JPEG, "
        "GIF, WebP), text and CSV files, Word and Excel documents and ZIP archives."
    )
    response = await browser.upload("faktura.pdf", body, headers={"Accept-Language": "sv"})
    assert response.status == 415
    assert (await response.json())["message"].startswith(
        "Förlåt, jag kan inte ta emot faktura.pdf: den sortens fil accepteras inte. Du kan skicka PDF:er"
    )
    assert await scalar(client, "SELECT count(*) FROM files") == rows


async def test_an_upload_whose_content_does_not_match_its_name_is_refused_politely(
    client: Client, browser: Browser
) -> None:
    await browser.login(ERIK)
    response = await browser.upload("scan.pdf", PNG, content_type="application/pdf")
    assert response.status == 415
    assert (await response.json())["message"].startswith(
        "Sorry, I can't take scan.pdf: what it contains doesn't match its name."
    )


async def test_a_real_pdf_and_png_are_taken(client: Client, browser: Browser) -> None:
    await browser.login(ERIK)
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    for name, body, declared in (("scan.pdf", pdf, "application/pdf"), ("panel.png", PNG, "image/png")):
        response = await browser.upload(name, body, content_type=declared)
        assert response.status == 200, await response.text()
        assert (await response.json())["content_type"] == declared


async def test_an_upload_above_the_cap_is_413_whether_announced_or_not(
    client: Client, browser: Browser
) -> None:
    await browser.login(ERIK)
    rows = await scalar(client, "SELECT count(*) FROM files")
    big = b"\0" * (MAX_INBOUND_BYTES + 1)
    response = await browser.upload("dump.zip", big, headers={"Accept-Language": "sv"})
    assert response.status == 413
    assert (await response.json()) == {
        "error": "too_large",
        "message": "Filen är för stor: filer får vara högst 10 MB.",
    }

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: the stream itself is counted
        for _ in range(11):
            yield b"\0" * (1024 * 1024)

    response = await browser.upload("dump.zip", chunked())
    assert response.status == 413
    assert await scalar(client, "SELECT count(*) FROM files") == rows
    # Exactly the cap is fine.
    response = await browser.upload(
        "full.zip", zip_of_size(MAX_INBOUND_BYTES), content_type="application/zip"
    )
    assert response.status == 200


def zip_of_size(size: int) -> bytes:
    """A real zip archive (one stored member) of exactly ``size`` bytes."""

    def build(member: int) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("dump.bin", b"\0" * member)
        return buffer.getvalue()

    overhead = len(build(0))
    data = build(size - overhead)
    assert len(data) == size
    return data


async def test_uploads_are_rate_limited(own_settings: Settings) -> None:
    app = await build_application(own_settings.model_copy(update={"webchat_rate_limit": 3}))
    async with TestClient(TestServer(create_web_app(app))) as client:
        browser = Browser(client, client.session)
        await browser.login(ERIK)
        statuses = [(await browser.upload(f"{n}.log", LOG)).status for n in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = await browser.upload("late.log", LOG)
        assert (await response.json())["error"] == "rate_limited"


# --- files with a message -------------------------------------------------------------------------------


async def test_a_file_sent_with_a_message_lands_in_the_request(client: Client, browser: Browser) -> None:
    number = await erik_s_request(client)
    chat = await signed_in(browser, ERIK)
    file_id = await browser.uploaded("post.png", PNG, content_type="image/png")
    before = await documents(client, number)
    message_id = new_id()
    reply = await chat.send_files(f"here is a photo for {number}", [file_id], message_id=message_id)
    assert reply["type"] == "reply" and "warning" not in reply
    assert f"I've added post.png to request {number}" in reply["reply"]["text"]
    expected = ("post.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())
    assert await documents(client, number) == [*before, expected]

    # Sent again (a resend after a reconnect): answered once, added once.
    again = await chat.send_files(f"here is a photo for {number}", [file_id], message_id=message_id)
    assert again["repeat"] is True and again["reply"] == reply["reply"]
    assert await documents(client, number) == [*before, expected]

    # The history shows the words and the file apart.
    await chat.close()
    chat = await browser.chat()
    (sent,) = [item for item in chat.history if item.get("files")]
    assert sent["text"] == f"here is a photo for {number}"
    assert sent["files"] == [{"name": "post.png", "size": len(PNG)}]


async def test_a_file_alone_waits_for_the_request_number(client: Client, browser: Browser) -> None:
    number = await erik_s_request(client)
    chat = await signed_in(browser, ERIK)
    file_id = await browser.uploaded("boot.log", LOG, content_type="text/plain")
    asked = await chat.send_files("", [file_id])
    assert "Which request should I add the file to?" in asked["reply"]["text"]
    done = (await chat.say(number, button=True))["reply"]
    assert f"I've added boot.log to request {number}" in done["text"]
    assert ("boot.log", "text/plain", len(LOG), hashlib.sha256(LOG).hexdigest()) in await documents(
        client, number
    )


async def test_someone_else_s_upload_cannot_be_sent(
    client: Client, browser: Browser, new_browser: NewBrowser
) -> None:
    anna = await new_browser()
    await anna.login(ANNA)
    annas = await anna.uploaded("secret.pdf", b"%PDF-1.7 Anna's\n%%EOF\n", content_type="application/pdf")
    number = await erik_s_request(client)
    chat = await signed_in(browser, ERIK)
    before = await documents(client, number)
    history = await app_of(client).pipeline.history(conversation_key(client, browser))

    # Nothing but a foreign file: not processed, not stored; said politely.
    message_id = new_id()
    refused = await chat.send_files("", [annas], message_id=message_id)
    assert refused["type"] == "error" and refused["code"] == "files_missing"
    assert refused["in_reply_to"] == message_id
    assert "attach it again" in refused["message"]
    assert await app_of(client).pipeline.history(conversation_key(client, browser)) == history

    # With words and a file of his own: those go on, and the reply says one file was left out.
    mine = await browser.uploaded("boot.log", LOG)
    reply = await chat.send_files(f"the log for {number}", [annas, mine])
    assert reply["type"] == "reply"
    assert reply["warning"]["code"] == "files_missing"
    assert "1 of the files you attached could no longer be found" in reply["warning"]["message"]
    assert f"I've added boot.log to request {number}" in reply["reply"]["text"]
    assert [d[0] for d in await documents(client, number)] == [*(d[0] for d in before), "boot.log"]


async def test_an_expired_or_made_up_id_is_missing_too(client: Client, browser: Browser) -> None:
    chat = await signed_in(browser, MAX)
    refused = await chat.send_files("", ["made-up-id-0123456789abcd"])
    assert refused["type"] == "error" and refused["code"] == "files_missing"
    assert (await chat.say("hello"))["reply"]["text"]


async def test_a_resend_of_an_answered_message_whose_file_expired_gets_its_answer(
    client: Client, browser: Browser
) -> None:
    number = await erik_s_request(client)
    chat = await signed_in(browser, ERIK)
    file_id = await browser.uploaded("boot.log", LOG)
    message_id = new_id()
    first = await chat.send_files(number, [file_id], message_id=message_id)
    assert "I've added boot.log" in first["reply"]["text"]
    async with app_of(client).engine.begin() as conn:  # the hour has passed
        await conn.execute(text("DELETE FROM files WHERE id = :id"), {"id": file_id})
    again = await chat.send_files(number, [file_id], message_id=message_id)
    assert again["type"] == "reply" and again["repeat"] is True and "warning" not in again
    alone = new_id()
    gone = await chat.send_files("", [file_id], message_id=alone)
    assert gone["type"] == "error" and gone["code"] == "files_missing"


@pytest.mark.parametrize("files", ["abc", [1], ["a b"], [f"id{n}" for n in range(6)], {"0": "abc"}])
async def test_malformed_file_lists_are_bad_frames(client: Client, browser: Browser, files: Any) -> None:
    chat = await signed_in(browser, ERIK)
    message_id = new_id()
    await chat.send(json.dumps({"type": "message", "id": message_id, "text": "hi", "files": files}))
    error = await chat.frame()
    assert error == {
        "type": "error",
        "code": "bad_frame",
        "message": "Sorry, that message wasn't in a form I understand. Please try sending it again.",
        "in_reply_to": message_id,
    }
