"""My requests in Slack, through the real stack: the request form as a modal (a signed press, the
``views.open`` the stand-in captured, a signed ``view_submission``), the confirmation and the agent's
answer by mail over a local SMTP server and in the DM, and files shared in the DM added to a request
— each delivered twice where Slack may repeat it, acting once."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiosmtpd.controller import Controller
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.bot.messages import MAX_INBOUND_BYTES
from supportbot.integrations.models import Principal
from supportbot.services.answers import notify_answer
from tests.conftest import Inbox
from tests.slack.conftest import Slack, payload, slack_settings
from tests.slack.slack_standin import SlackStandIn
from tests.slack.test_slack_server import blocks_text, dm, view_of

ERIK = "erik.lund@nordisk.example"
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


# --- fixtures: Slack with a real SMTP server behind the mail queue ------------------------------------


def _another_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server (aiosmtpd) on a port of its own: the stand-in has ``free_port``."""
    inbox = Inbox()
    port = _another_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
async def mailing_app(data_dir: Path, standin: SlackStandIn, smtp: tuple[Inbox, int]) -> Application:
    settings = slack_settings(data_dir, standin, smtp_url=f"smtp://127.0.0.1:{smtp[1]}")
    return await build_application(settings)  # the web app's cleanup closes it


@pytest.fixture
async def slack_mail(mailing_app: Application, standin: SlackStandIn) -> AsyncIterator[Slack]:
    async with TestClient(TestServer(create_web_app(mailing_app))) as client:
        yield Slack(client, standin)


async def mails_about(
    inbox: Inbox, needle: str, count: int, *, to: str = ERIK, timeout: float = 15.0
) -> list[Any]:
    """The mails to ``to`` whose subject names ``needle``, once the queue has delivered ``count``."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            mail
            for envelope, mail in zip(inbox.envelopes, inbox.messages(), strict=True)
            if envelope.rcpt_tos == [to] and needle in str(mail["Subject"])
        ]
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"{len(found)} of {count} mails about {needle} to {to}"
        await asyncio.sleep(0.05)


def mail_text(mail: Any) -> str:
    part = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data.decode()


# --- helpers: what Slack sends ------------------------------------------------------------------------


def blocks_of(call: Any) -> list[dict[str, Any]]:
    blocks = call.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def form_button(call: Any) -> dict[str, Any]:
    [button] = [
        e
        for b in blocks_of(call)
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "supportbot_form"
    ]
    return button


def press(
    button: dict[str, Any],
    *,
    user: str = "U0ERIK",
    trigger: str = "7612345678905.1.trigger",
    stamp: str = "1",
) -> dict[str, Any]:
    """A signed ``block_actions`` of ``button`` in the person's DM, with a fresh trigger."""
    data = payload("block_actions")
    channel = f"D{user[1:]}"
    data["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0SUPPORT"}
    data["channel"] = {"id": channel, "name": "directmessage"}
    data["container"]["channel_id"] = channel
    data["trigger_id"] = trigger
    data["actions"][0] = {
        **{k: button[k] for k in ("action_id", "value", "text")},
        "block_id": "Fm0b",
        "type": "button",
        "action_ts": f"1764370650.00000{stamp}",
    }
    return data


def submission(
    view: dict[str, Any], values: dict[str, str], *, user: str = "U0ERIK", view_id: str = "V0FORM0001"
) -> dict[str, Any]:
    """A signed ``view_submission`` of the modal ``view`` as Slack would send it with ``values`` in it."""
    data = payload("form_submission")
    sent = {**data["view"], **{k: view[k] for k in ("callback_id", "private_metadata", "title", "blocks")}}
    sent["id"] = sent["root_view_id"] = view_id
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        value = values.get(block["block_id"])
        if element["type"] == "static_select":
            chosen = next(
                (o for o in element["options"] if o["value"] == value), element.get("initial_option")
            )
            state[block["block_id"]] = {"value": {"type": "static_select", "selected_option": chosen}}
        else:
            state[block["block_id"]] = {
                "value": {"type": "plain_text_input", "value": value or element.get("initial_value")}
            }
    sent["state"] = {"values": state}
    data["view"] = sent
    data["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0SUPPORT"}
    return data


async def scalar(app: Application, sql: str, **params: Any) -> Any:
    async with app.engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def documents(app: Application, number: str) -> list[tuple[str, str, int, str]]:
    async with app.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT d.name, d.content_type, d.size, d.sha256 FROM request_documents d "
                "JOIN requests r ON r.id = d.request_id WHERE r.number = :n ORDER BY d.id"
            ),
            {"n": number},
        )
        return [tuple(r) for r in rows]


def shared(data: dict[str, Any], *files: dict[str, Any]) -> dict[str, Any]:
    data["event"].update(subtype="file_share", files=list(files))
    return data


REQUEST = {
    "category": "technical",
    "subject": "Power server in Kista does not boot",
    "description": "Since this morning the server stops with error B2001234 after power-on.",
    "priority": "high",
}


# --- the request form as a modal ----------------------------------------------------------------------


async def test_a_request_opened_in_the_modal_is_confirmed_in_the_dm_and_by_mail_then_answered(
    slack_mail: Slack, mailing_app: Application, smtp: tuple[Inbox, int]
) -> None:
    slack, inbox = slack_mail, smtp[0]
    await slack.event(dm("I'd like to open a support request", user="U0ERIK", event_id="EvR1"))
    [offer] = await slack.standin.wait_for("chat.postMessage")
    assert offer.args["channel"] == "D0ERIK"
    assert "Here is the request form" in offer.args["text"]
    button = form_button(offer)
    assert button["text"]["text"] == "Fill in the request form" and button["value"] == "open a request"
    assert slack.standin.called("views.open") == []  # a message event has no trigger

    # Pressing the button asks for the form again; its answer opens as a modal with the press's trigger.
    status, _ = await slack.interaction(press(button, trigger="7612345678905.1.fresh"))
    assert status == 200
    [opened] = await slack.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "7612345678905.1.fresh"
    view = view_of(opened)
    assert view["type"] == "modal" and view["callback_id"] == "supportbot_form"
    assert json.loads(view["private_metadata"]) == {
        "form": "request.open",
        "channel": "D0ERIK",
    }
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "New support request",
        "Send request",
        "Cancel",
    )
    profile = blocks_text([b for b in view["blocks"] if b["type"] == "section"])
    for shown in ("Erik Lund", "Nordisk Verkstad AB", "1000123", ERIK, "+46 31 555 067 89"):
        assert shown in profile
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == ["category", "subject", "description", "priority"]
    assert inputs["category"]["element"]["type"] == "static_select" and not inputs["category"]["optional"]
    assert [o["value"] for o in inputs["category"]["element"]["options"]][:2] == ["technical", "order"]
    assert inputs["subject"]["element"] == {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": False,
        "max_length": 300,
    }
    assert inputs["description"]["element"]["multiline"] is True
    assert inputs["description"]["element"]["max_length"] == 3000  # Slack's most for an input
    assert inputs["priority"]["element"]["initial_option"]["value"] == "normal"  # pre-filled
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 1  # the modal instead of a post

    # Sending it closes the modal at once; the request is opened and confirmed in the DM.
    before = await scalar(mailing_app, "SELECT count(*) FROM requests")
    sent = submission(view, REQUEST)
    status, body = await slack.interaction(sent)
    assert status == 200 and body == ""
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    confirmation = posts[1]
    assert confirmation.args["channel"] == "D0ERIK"
    assert "I've opened request RQ-" in confirmation.args["text"]
    number = "RQ-" + confirmation.args["text"].split("RQ-", 1)[1][:11]
    assert number in blocks_text(confirmation.args["blocks"])
    assert slack.standin.called("conversations.open") == []  # the DM came in the modal's metadata
    assert await scalar(mailing_app, "SELECT count(*) FROM requests") == before + 1
    assert await scalar(mailing_app, "SELECT priority FROM requests WHERE number = :n", n=number) == "high"
    history = await mailing_app.pipeline.history("slack:T0SUPPORT:D0ERIK:U0ERIK")
    [form_turn] = [t for t in history if t.role == "user" and t.payload and "form" in t.payload]
    assert form_turn.payload is not None and form_turn.payload["form"]["values"] == REQUEST

    # The confirmation arrives over SMTP with the tracking number and its link.
    [confirmation_mail] = await mails_about(inbox, number, 1)
    assert f"Tracking number: {number}" in mail_text(confirmation_mail)
    assert f"http://127.0.0.1:8080/?ask=status+of+{number}" in mail_text(confirmation_mail)

    # Slack sends the same submission again: nothing more is opened or posted.
    status, _ = await slack.interaction(sent)
    assert status == 200
    await slack.settle(4)
    assert len(slack.standin.called("chat.postMessage")) == 2
    assert await scalar(mailing_app, "SELECT count(*) FROM requests") == before + 1

    # An agent answers: Erik hears of it in his Slack DM and by mail.
    agent = await mailing_app.backends.directory.principal_for("sara@support.example")
    assert isinstance(agent, Principal)
    answered = await notify_answer(
        mailing_app,
        agent=agent,
        request_number=number,
        text="Please replace the power supply; a new one is on its way.",
        public_url=mailing_app.settings.public_url,
    )
    assert answered is not None
    posts = await slack.standin.wait_for("chat.postMessage", 3)
    notice = posts[2]
    assert notice.args["channel"] == "D0ERIK"
    assert f"Sara Lindqvist har svarat på ditt ärende {number}" in notice.args["text"]  # his language
    assert "a new one is on its way" in blocks_text(notice.args["blocks"])
    _, answer_mail = await mails_about(inbox, number, 2)
    assert "a new one is on its way" in mail_text(answer_mail)


async def test_the_support_command_opens_the_form_directly_and_the_answer_goes_to_the_dm(
    slack: Slack, slack_app: Application
) -> None:
    command = payload("slash_command")
    command.update(text="open a request", response_url=slack.standin.response_url("cmd"))
    status, body = await slack.command(command)
    assert status == 200 and body == ""
    [opened] = await slack.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == command["trigger_id"]
    view = view_of(opened)
    assert view["title"]["text"] == "New support request"  # the language she wrote in
    assert json.loads(view["private_metadata"])["channel"] is None  # opened in #purchasing
    await slack.settle(1)
    assert slack.standin.called("response_url") == []

    values = {
        "category": "other",
        "subject": "Training",
        "description": "Do you offer courses?",
        "priority": "low",
    }
    sent = submission(view, values, user="U0ANNA", view_id="V0FORM0002")
    await slack.interaction(sent)
    [found] = await slack.standin.wait_for("conversations.open")
    assert found.args["users"] == "U0ANNA"
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0ANNA" and "RQ-" in post.args["text"]
    assert await scalar(slack_app, "SELECT count(*) FROM requests WHERE subject = 'Training'") == 1


async def test_a_refused_form_comes_back_marked_with_the_button_to_open_it_again(
    slack: Slack, slack_app: Application
) -> None:
    await slack.event(dm("open a ticket", user="U0ERIK", event_id="EvR2"))
    [offer] = await slack.standin.wait_for("chat.postMessage")
    await slack.interaction(press(form_button(offer)))
    [opened] = await slack.standin.wait_for("views.open")
    before = await scalar(slack_app, "SELECT count(*) FROM requests")
    await slack.interaction(submission(view_of(opened), {**REQUEST, "subject": "   "}))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    back = posts[1]
    assert back.args["channel"] == "D0ERIK"
    assert "Please check the marked fields" in back.args["text"]
    shown = blocks_text(back.args["blocks"])
    assert "*Subject*: Please fill this in." in shown
    assert form_button(back)["value"] == "open a request"
    assert await scalar(slack_app, "SELECT count(*) FROM requests") == before

    # Pressed again, it opens a fresh modal with the new trigger.
    await slack.interaction(press(form_button(back), trigger="7612345678905.2.again", stamp="2"))
    opened_again = await slack.standin.wait_for("views.open", 2)
    assert opened_again[1].args["trigger_id"] == "7612345678905.2.again"


async def test_a_line_break_pasted_into_the_modals_subject_becomes_a_space(
    slack: Slack, slack_app: Application
) -> None:
    await slack.event(dm("open a ticket", user="U0ERIK", event_id="EvR9"))
    [offer] = await slack.standin.wait_for("chat.postMessage")
    await slack.interaction(press(form_button(offer)))
    [opened] = await slack.standin.wait_for("views.open")
    pasted = {**REQUEST, "subject": "Kista server\r\nBcc: everyone@elsewhere.example"}
    await slack.interaction(submission(view_of(opened), pasted))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert "I've opened request RQ-" in posts[1].args["text"], posts[1].args["text"]
    subject = await scalar(slack_app, "SELECT subject FROM requests ORDER BY id DESC LIMIT 1")
    assert subject == "Kista server Bcc: everyone@elsewhere.example"


async def test_an_expired_trigger_posts_the_button_instead(slack: Slack) -> None:
    await slack.event(dm("open a ticket", user="U0ERIK", event_id="EvR3"))
    [offer] = await slack.standin.wait_for("chat.postMessage")
    await slack.interaction(press(form_button(offer), trigger="expired.7"))
    await slack.standin.wait_for("views.open")
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert form_button(posts[1])["value"] == "open a request"


async def test_a_form_nobody_shows_or_without_metadata_is_refused(slack: Slack) -> None:
    unknown = payload("form_submission")
    unknown["view"]["private_metadata"] = json.dumps({"form": "invoice.get", "channel": "D0ERIK"})
    status, _ = await slack.interaction(unknown)
    assert status == 200
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "form" in post.args["text"]  # the core says that form is not used any more
    broken = payload("form_submission")
    broken["view"]["private_metadata"] = "not json"
    status, _ = await slack.interaction(broken)
    assert status == 400


# --- files shared in the DM ---------------------------------------------------------------------------


async def test_a_file_shared_in_the_dm_is_added_to_the_request_once(
    slack: Slack, slack_app: Application
) -> None:
    event = payload("file_share")
    event["event"]["files"] = [slack.standin.share("boot.log", LOG, mimetype="text/plain")]
    status, _ = await slack.event(event)
    assert status == 200
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0ERIK"
    assert "I've added boot.log to request RQ-2026-000002" in post.args["text"]
    [download] = slack.standin.called("download")
    assert download.headers["Authorization"] == "Bearer xoxb-test"
    assert download.args["path"].endswith("/download/boot.log")
    assert await documents(slack_app, "RQ-2026-000002") == [
        ("boot.log", "text/plain", len(LOG), hashlib.sha256(LOG).hexdigest())
    ]
    history = await slack_app.pipeline.history("slack:T0SUPPORT:D0ERIK:U0ERIK")
    [sent] = [t for t in history if t.role == "user" and t.payload and "files" in t.payload]
    assert sent.payload is not None
    assert sent.payload["files"] == [{"name": "boot.log", "content_type": "text/plain", "size": len(LOG)}]

    # Slack delivers the event again: nothing is downloaded, added or posted a second time.
    status, _ = await slack.event(
        event, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert status == 200
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 1
    assert len(slack.standin.called("download")) == 1
    assert len(await documents(slack_app, "RQ-2026-000002")) == 1


async def test_a_file_alone_waits_while_the_bot_asks_which_request(
    slack: Slack, slack_app: Application
) -> None:
    event = shared(
        dm("", user="U0ERIK", event_id="EvF2"), slack.standin.share("panel.png", PNG, mimetype="image/png")
    )
    await slack.event(event)
    [question] = await slack.standin.wait_for("chat.postMessage")
    assert "Vilket ärende ska jag lägga till filen i?" in question.args["text"]  # Erik's language
    [choice] = [e for b in blocks_of(question) if b["type"] == "actions" for e in b["elements"]]
    assert choice["value"] == "RQ-2026-000002"
    assert await documents(slack_app, "RQ-2026-000002") == []
    await slack.interaction(press(choice))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert "Jag har lagt till panel.png i ärende RQ-2026-000002" in posts[1].args["text"]
    [(name, kind, size, digest)] = await documents(slack_app, "RQ-2026-000002")
    assert (name, kind, size, digest) == ("panel.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())


async def test_a_web_page_or_program_renamed_pdf_in_slack_is_refused_politely(
    slack: Slack, slack_app: Application
) -> None:
    page = b"<!DOCTYPE html><html><script>fetch('/agents/api/session')</script></html>"
    program = b"\x7fELF\x02\x01\x01\x00" + bytes(64)
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    event = shared(
        dm("for RQ-2026-000002", user="U0ERIK", event_id="EvF9"),
        slack.standin.share("invoice.pdf", page, mimetype="application/pdf"),
    )
    event["event"]["files"] += [
        slack.standin.share("update.pdf", program, mimetype="application/pdf"),
        slack.standin.share("scan.pdf", pdf, mimetype="application/pdf"),
    ]
    await slack.event(event)
    [post] = await slack.standin.wait_for("chat.postMessage")
    text = post.args["text"]
    assert "I can't add invoice.pdf: that kind of file isn't accepted." in text
    assert "I can't add update.pdf: that kind of file isn't accepted." in text
    assert "I've added scan.pdf to request RQ-2026-000002" in text
    assert [d[:2] for d in await documents(slack_app, "RQ-2026-000002")] == [("scan.pdf", "application/pdf")]


async def test_a_file_slack_says_is_too_large_is_refused_without_downloading(
    slack: Slack, slack_app: Application
) -> None:
    big = slack.standin.share("dump.zip", b"PK", mimetype="application/zip", size=MAX_INBOUND_BYTES + 1)
    await slack.event(shared(dm("for RQ-2026-000002", user="U0ERIK", event_id="EvF3"), big))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "dump.zip is too large: files can be at most 10 MB." in post.args["text"]
    assert slack.standin.called("download") == []
    assert await documents(slack_app, "RQ-2026-000002") == []


async def test_a_file_larger_than_announced_is_cut_off_at_the_limit(
    slack: Slack, slack_app: Application
) -> None:
    liar = slack.standin.share(
        "huge.log", b"x" * (MAX_INBOUND_BYTES + 512 * 1024), mimetype="text/plain", size=100, chunked=True
    )
    await slack.event(shared(dm("for RQ-2026-000002", user="U0ERIK", event_id="EvF4"), liar))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "huge.log is too large" in post.args["text"]
    assert await documents(slack_app, "RQ-2026-000002") == []


async def test_a_file_on_a_host_not_allowed_is_never_fetched(slack: Slack, slack_app: Application) -> None:
    """A payload pointing elsewhere (even this machine under another name) gets no request, no token."""
    elsewhere = slack.standin.share("a.png", PNG, mimetype="image/png")
    elsewhere["url_private_download"] = elsewhere["url_private_download"].replace("127.0.0.1", "localhost")
    redirected = slack.standin.share("b.png", PNG, mimetype="image/png")
    target = (
        slack.standin.base_url.replace("127.0.0.1", "localhost")
        + "/files-pri/T0SUPPORT-F0SHARE2/download/b.png"
    )
    redirected["url_private_download"] = f"{slack.standin.base_url}/elsewhere/b.png?to={target}"
    words = dm("here is the log for RQ-2026-000002", user="U0ERIK", event_id="EvF5")
    await slack.event(shared(words, elsewhere, redirected))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "Jag kunde inte hämta a.png och b.png från Slack" in post.args["text"]  # Erik's language
    assert slack.standin.called("download") == []  # neither the other host nor the redirect's target
    assert len(slack.standin.called("redirect")) == 1
    assert await documents(slack_app, "RQ-2026-000002") == []
    await slack.settle(1)
    assert (
        len(slack.standin.called("chat.postMessage")) == 1
    )  # the words went with the files: not taken alone


async def test_details_slack_left_out_come_from_files_info(slack: Slack, slack_app: Application) -> None:
    entry = slack.standin.share("boot.log", LOG, mimetype="text/plain")
    hidden = {"id": entry["id"], "mode": "hosted", "file_access": "check_file_info"}
    await slack.event(shared(dm("log for RQ-2026-000002", user="U0ERIK", event_id="EvF6"), hidden))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "I've added boot.log to request RQ-2026-000002" in post.args["text"]
    [info] = slack.standin.called("files.info")
    assert info.args["file"] == entry["id"]
    assert [d[0] for d in await documents(slack_app, "RQ-2026-000002")] == ["boot.log"]


async def test_a_guests_file_is_not_downloaded(slack: Slack, slack_app: Application) -> None:
    event = shared(
        dm("", user="U0STRANGER", event_id="EvF7"), slack.standin.share("a.png", PNG, mimetype="image/png")
    )
    await slack.event(event)
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "sign in" in post.args["text"]
    assert slack.standin.called("download") == []
    assert await scalar(slack_app, "SELECT count(*) FROM request_documents") == 0
