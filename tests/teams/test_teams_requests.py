"""My requests and the handoff to people, end to end in Teams (emulator mode): signed-shape activities in,
Adaptive Cards at the connector stand-in, mail at a local SMTP server, agents in the agent console.

- a request opened with the card's form, confirmed by mail; the card becomes what was sent, and the
  same card sent again opens nothing; an agent's answer arrives in Teams and by mail;
- files sent in the chat are downloaded (from allowed hosts only, capped in size) and added to a
  request with their checksum;
- a handoff: queued, taken in the agent console, lines both ways, handed back; no agent → a request.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from email.header import decode_header, make_header
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import text
from yarl import URL

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import MAX_INBOUND_BYTES
from supportbot.services.answers import notify_answer
from tests.conftest import Inbox, make_settings
from tests.teams.teams_helpers import ANNA, ERIK, Connector, Sent, Teams, activity, load

ERIK_CHAT = "a:1personal-chat-erik"
ANNA_CHAT = "a:1personal-chat-anna"
ERIK_USER = "erik.lund@nordisk.example"
SARA = "sara@support.example"
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n" * 40
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


@pytest.fixture
def settings(data_dir: Path, smtp_server: tuple[Inbox, int], connector: Connector) -> Settings:
    """Mail over SMTP, agents around the clock, and files from the connector stand-in's host only."""
    _, port = smtp_server
    stand_in = URL(connector.url)
    return make_settings(
        data_dir,
        smtp_url=f"smtp://127.0.0.1:{port}",
        office_hours="",
        teams_file_hosts=(f"{stand_in.host}:{stand_in.port}",),
    )


async def until(check: Callable[[], Any], *, timeout: float = 10.0) -> Any:
    """Waits until ``check()`` returns something true (a mail delivered, a proactive message sent)."""
    for _ in range(int(timeout / 0.05)):
        result = check()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("waited in vain")


async def mail(inbox: Inbox, to: str, *, about: str) -> EmailMessage:
    def find() -> EmailMessage | None:
        for envelope, message in zip(inbox.envelopes, inbox.messages(), strict=True):
            if to in envelope.rcpt_tos and about in str(make_header(decode_header(message["Subject"]))):
                return message
        return None

    found: EmailMessage = await until(find)
    return found


def body(message: EmailMessage) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def requests_count(app: Application) -> int:
    async with app.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one())


async def documents(app: Application, number: str) -> list[tuple[str, str, int, str]]:
    async with app.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT d.name, d.content_type, d.size, d.sha256 FROM request_documents d "
                "JOIN requests r ON r.id = d.request_id WHERE r.number = :n ORDER BY d.id"
            ),
            {"n": number},
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]


def number_in(shown: str, prefix: str = "RQ") -> str:
    found = re.search(rf"{prefix}-(?:\d{{4}}-)?\d{{6}}", shown)
    assert found, shown
    return found.group(0)


# --- the request form ------------------------------------------------------------------------------


async def test_a_request_opened_with_the_card_form_is_confirmed_answered_and_sent_once(
    teams: Teams, teams_app: Application, smtp_server: tuple[Inbox, int], settings: Settings
) -> None:
    inbox, _ = smtp_server
    connector = teams.connector
    shown = await teams.say(text="I'd like to open a support request", sender=ERIK, conversation_id=ERIK_CHAT)
    assert shown is not None and shown.card["version"] == "1.5"
    profile = {f["title"]: f["value"] for f in shown.elements("FactSet")[0]["facts"]}
    assert profile["Name"] == "Erik Lund" and profile["Customer number"] == "1000123"
    assert profile["Company"] == "Nordisk Verkstad AB" and profile["E-mail"] == ERIK_USER
    inputs = {i["id"]: i for i in [*shown.elements("Input.Text"), *shown.elements("Input.ChoiceSet")]}
    assert set(inputs) == {"category", "subject", "description", "priority"}
    assert inputs["category"]["style"] == "compact" and inputs["category"]["isRequired"]
    assert inputs["priority"]["value"] == "normal"
    assert inputs["description"]["isMultiline"] and inputs["description"]["maxLength"] == 5000

    before = await requests_count(teams_app)
    value = shown.form_value(
        category="technical",
        subject="Power server in Kista does not boot",
        description="Since this morning the server stops with error B2001234 after power-on.",
        priority="high",
    )
    done = await teams.say(
        "form_submit",
        sender=ERIK,
        conversation_id=ERIK_CHAT,
        value=value,
        replyToId=shown.id,
        id="1715679072118",
    )
    assert done is not None and "I've opened request RQ-" in done.shown
    number = number_in(done.shown)
    assert await requests_count(teams_app) == before + 1
    history = await teams_app.pipeline.history(f"teams:{ERIK_CHAT}")
    sent_line = next(t for t in reversed(history) if t.role == "user")
    assert sent_line.payload is not None and sent_line.payload["form"]["values"]["priority"] == "high"

    # The card that was sent now shows what was sent, and can no longer be sent.
    [update] = connector.updates
    assert update.conversation_id == ERIK_CHAT and update.reply_to == shown.id
    assert "Power server in Kista does not boot" in update.shown and "Technical" in update.shown
    assert update.buttons() == [] and update.elements("Input.Text") == []

    # The same activity delivered again, or the same card sent again (a double click): nothing new.
    posted = len(connector.activities())
    for again in ("1715679072118", "1715679072999"):
        assert (
            await teams.say(
                "form_submit",
                sender=ERIK,
                conversation_id=ERIK_CHAT,
                value=value,
                replyToId=shown.id,
                id=again,
            )
            is None
        )
    assert len(connector.activities()) == posted and len(connector.updates) == 1
    assert await requests_count(teams_app) == before + 1

    confirmation = await mail(inbox, ERIK_USER, about=number)
    assert f"Tracking number: {number}" in body(confirmation) and "Priority: high" in body(confirmation)

    # An agent answers: the customer hears it in their Teams chat and by mail.
    agent = await teams_app.backends.directory.principal_for(SARA)
    assert agent is not None
    seen = len(connector.in_conversation(ERIK_CHAT))
    answered = await notify_answer(
        teams_app,
        agent=agent,
        request_number=number,
        text="We are sending a technician tomorrow at 9.",
        public_url=settings.public_url,
    )
    assert answered is not None
    [notice] = connector.in_conversation(ERIK_CHAT)[seen:]
    assert number in notice.shown and "We are sending a technician tomorrow at 9." in notice.shown
    assert "har svarat på ditt ärende" in notice.shown  # Erik's company is Swedish
    answer_mail = await mail(inbox, ERIK_USER, about=f"Svar på ditt ärende {number}")
    assert "We are sending a technician tomorrow at 9." in body(answer_mail)
    # The notice's button works like typed text in the chat.
    history_button = notice.buttons()[0]
    status = await teams.say(
        "card_submit", sender=ERIK, conversation_id=ERIK_CHAT, value=history_button["data"]
    )
    assert status is not None and number in status.shown and "technician" in status.shown


async def test_a_line_break_in_the_cards_subject_becomes_a_space_and_never_a_mail_header(
    teams: Teams, teams_app: Application, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp_server
    shown = await teams.say(text="I'd like to open a support request", sender=ERIK, conversation_id=ERIK_CHAT)
    assert shown is not None
    value = shown.form_value(
        category="technical",
        subject="Kista server\r\nBcc: everyone@elsewhere.example",
        description="It stops at B2001234.",
        priority="normal",
    )
    done = await teams.say(
        "form_submit",
        sender=ERIK,
        conversation_id=ERIK_CHAT,
        value=value,
        replyToId=shown.id,
        id="17156790721",
    )
    assert done is not None and "I've opened request RQ-" in done.shown, done
    number = number_in(done.shown)
    async with teams_app.engine.connect() as conn:
        subject = (
            await conn.execute(text("SELECT subject FROM requests WHERE number = :n"), {"n": number})
        ).scalar_one()
    assert subject == "Kista server Bcc: everyone@elsewhere.example"
    confirmation = await mail(inbox, ERIK_USER, about=number)
    assert confirmation["Bcc"] is None
    assert all("everyone@elsewhere.example" not in envelope.rcpt_tos for envelope in inbox.envelopes)


async def test_a_refused_form_comes_back_marked_on_a_new_card(teams: Teams, teams_app: Application) -> None:
    shown = await teams.say(text="öppna ett ärende", sender=ANNA)
    assert shown is not None and shown.card["lang"] == "sv"
    before = await requests_count(teams_app)
    value = shown.form_value(category="technical", subject="   ", description="Disk 3 larmar.")
    back = await teams.say(
        "form_submit", sender=ANNA, conversation_id=ANNA_CHAT, value=value, replyToId=shown.id
    )
    assert back is not None and "Kontrollera de markerade fälten" in back.shown
    marked = [b["text"] for b in back.elements("TextBlock") if b.get("color") == "Attention"]
    assert marked == ["Fyll i det här."]
    described = next(i for i in back.elements("Input.Text") if i["id"] == "description")
    assert described["value"] == "Disk 3 larmar.", "what was written is kept"
    assert await requests_count(teams_app) == before
    old_nonce = value["supportbot_nonce"]
    fixed = back.form_value(subject="Disklarm i Kista")
    assert fixed["supportbot_nonce"] != old_nonce, "a new card, a new nonce"
    done = await teams.say(
        "form_submit", sender=ANNA, conversation_id=ANNA_CHAT, value=fixed, replyToId=back.id
    )
    assert done is not None and "Jag har öppnat ärende RQ-" in done.shown
    assert await requests_count(teams_app) == before + 1
    assert [u.reply_to for u in teams.connector.updates] == [shown.id, back.id]


async def test_cancel_on_the_card_cancels(teams: Teams, teams_app: Application) -> None:
    shown = await teams.say(text="open a ticket", sender=ERIK, conversation_id=ERIK_CHAT)
    assert shown is not None
    cancel = next(b for b in shown.buttons() if b["title"] == "Cancel")
    assert cancel["associatedInputs"] == "none"
    before = await requests_count(teams_app)
    reply = await teams.say("card_submit", sender=ERIK, conversation_id=ERIK_CHAT, value=cancel["data"])
    assert reply is not None and reply.elements("Input.Text") == []
    assert await requests_count(teams_app) == before


async def test_a_forged_form_is_refused_and_opens_nothing(teams: Teams, teams_app: Application) -> None:
    before = await requests_count(teams_app)
    for forged in (
        {"priority": 3},
        {"subject": {"html": "<b>"}},
        {"supportbot_form": "../admin"},
        {"description": "x" * 20_000},
    ):
        raw = activity("form_submit", service_url=teams.connector.url)
        raw["value"] = {**raw["value"], **forged}
        assert await teams.post(raw) == 400, forged
    assert teams.connector.sent == [] and await requests_count(teams_app) == before


# --- files -----------------------------------------------------------------------------------------


def file_message(
    url: str, *, name: str = "boot.log", file_type: str = "log", **changes: Any
) -> dict[str, Any]:
    """The recorded file message with the file at ``url`` (text and id as given)."""
    raw = copy.deepcopy(load("file_message"))
    raw["attachments"][0]["name"] = name
    raw["attachments"][0]["content"] = {
        **raw["attachments"][0]["content"],
        "downloadUrl": url,
        "fileType": file_type,
    }
    if "text" in changes:
        raw["attachments"][1]["content"] = f"<p>{changes['text']}</p>"
    return {"attachments": raw["attachments"], **changes}


async def test_a_file_sent_in_the_chat_is_added_to_the_request(teams: Teams, teams_app: Application) -> None:
    connector = teams.connector
    url = connector.serve("boot.log", LOG, "application/octet-stream")
    sent = await teams.say("file_message", sender=ERIK, id="1715679602511", **file_message(url))
    assert sent is not None and "I've added boot.log to request RQ-2026-000002" in sent.shown
    assert await documents(teams_app, "RQ-2026-000002") == [
        ("boot.log", "text/plain", len(LOG), hashlib.sha256(LOG).hexdigest())
    ]
    assert connector.fetched == [("/files/boot.log", None)], "the download URL is pre-authenticated: no token"
    # Teams delivers the same activity again: nothing is fetched, stored or posted twice.
    assert await teams.say("file_message", sender=ERIK, id="1715679602511", **file_message(url)) is None
    assert len(connector.fetched) == 1 and len(await documents(teams_app, "RQ-2026-000002")) == 1


async def test_a_file_alone_waits_for_the_request_number(teams: Teams, teams_app: Application) -> None:
    url = teams.connector.serve("panel.png", PNG, "image/png")
    asked = await teams.say(
        "file_message", sender=ERIK, text="", **file_message(url, name="panel.png", file_type="png")
    )
    assert asked is not None and "Vilket ärende ska jag lägga till filen i?" in asked.shown
    [button] = [b for b in asked.buttons() if b["title"] == "RQ-2026-000002"]
    done = await teams.say("card_submit", sender=ERIK, conversation_id=ERIK_CHAT, value=button["data"])
    assert done is not None and "Jag har lagt till panel.png i ärende RQ-2026-000002" in done.shown
    [(name, kind, size, digest)] = await documents(teams_app, "RQ-2026-000002")
    assert (name, kind, size, digest) == ("panel.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())


async def test_a_pasted_picture_is_fetched_from_the_connector(teams: Teams, teams_app: Application) -> None:
    url = teams.connector.serve_picture("0-weu-d4-panel", PNG)
    raw = load("inline_image")
    raw["attachments"][0]["contentUrl"] = url
    sent = await teams.say(
        "inline_image", sender=ERIK, text="the front panel for RQ-2026-000002", attachments=raw["attachments"]
    )
    assert sent is not None and "image.png" in sent.shown
    assert [d[:3] for d in await documents(teams_app, "RQ-2026-000002")] == [
        ("image.png", "image/png", len(PNG))
    ]
    # The emulator mode has no token to give; the HTML copy's <img src> is never fetched.
    assert teams.connector.fetched == [("/v3/attachments/0-weu-d4-panel/views/original", None)]


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[TestServer, list[str]]]:
    """A server on a host:port that is not allowed: it must never be asked for anything."""
    hits: list[str] = []

    async def anything(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=b"secret metadata")

    app = web.Application()
    app.router.add_get("/{tail:.*}", anything)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server, hits
    await server.close()


async def test_files_from_hosts_not_allowed_are_never_fetched(
    teams: Teams, teams_app: Application, elsewhere: tuple[TestServer, list[str]]
) -> None:
    server, hits = elsewhere
    connector = teams.connector
    outside = str(server.make_url("/latest/meta-data/iam"))
    before = len(connector.activities())
    await teams.say(
        "file_message", sender=ERIK, text="", **file_message(outside, name="meta.txt", file_type="txt")
    )
    # A redirect from an allowed host to one that is not is not followed either.
    bounced = connector.redirect("report.pdf", outside)
    await teams.say(
        "file_message", sender=ERIK, text="", **file_message(bounced, name="report.pdf", file_type="pdf")
    )
    assert hits == []
    said = [s.shown for s in connector.activities()[before:]]
    assert len(said) == 2
    assert "Jag kunde inte hämta meta.txt från Teams" in said[0]
    assert "Jag kunde inte hämta report.pdf från Teams" in said[1]
    assert await documents(teams_app, "RQ-2026-000002") == []
    # A redirect within the allowed host is followed.
    served = connector.serve("report.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")
    hop = connector.redirect("hop.pdf", served)
    done = await teams.say(
        "file_message", sender=ERIK, **file_message(hop, name="report.pdf", file_type="pdf")
    )
    assert done is not None and "I've added report.pdf to request RQ-2026-000002" in done.shown


async def test_a_file_too_large_is_not_read_past_the_limit(teams: Teams, teams_app: Application) -> None:
    big = b"\0" * (MAX_INBOUND_BYTES + 512 * 1024)
    for announce in (True, False):  # with a Content-Length, and streamed without one
        url = teams.connector.serve("dump.zip", big, "application/zip", announce=announce)
        sent = await teams.say(
            "file_message",
            sender=ERIK,
            **file_message(url, name="dump.zip", file_type="zip", text="the dump for RQ-2026-000002"),
        )
        assert sent is not None and "dump.zip is too large: files can be at most 10 MB." in sent.shown, (
            announce
        )
    assert await documents(teams_app, "RQ-2026-000002") == []


async def test_a_file_that_cannot_be_fetched_is_said_beside_the_answer(teams: Teams) -> None:
    teams.connector.attachment_token = "only-the-real-bot-has-this"
    raw = load("inline_image")
    raw["attachments"][0]["contentUrl"] = teams.connector.serve_picture("0-weu-d4-x", PNG)
    before = len(teams.connector.activities())
    await teams.say(
        "inline_image", sender=ERIK, text="where is my order 4711?", attachments=raw["attachments"]
    )
    answer, notice = teams.connector.activities()[before:]
    assert "PostNord" in answer.shown
    assert "I couldn't fetch image.png from Teams" in notice.shown


# --- the handoff -----------------------------------------------------------------------------------


class Console:
    """An agent in the agent console of the same server: signed in, with its WebSocket."""

    def __init__(self, teams: Teams) -> None:
        self.client = teams.client
        self.origin = str(self.client.make_url("/").origin())
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.seen: list[dict[str, Any]] = []

    async def open(self, user: str = SARA) -> None:
        response = await self.client.post(
            "/agents/api/login", json={"user": user, "password": "demo"}, headers={"Origin": self.origin}
        )
        assert response.status == 200, response.status
        self.ws = await self.client.ws_connect("/agents/ws", headers={"Origin": self.origin})
        assert (await self.frame())["type"] == "ready"

    async def frame(self) -> dict[str, Any]:
        assert self.ws is not None
        message = await self.ws.receive(timeout=10)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame: dict[str, Any] = json.loads(message.data)
        self.seen.append(frame)
        return frame

    async def until(self, kind: str, **match: Any) -> dict[str, Any]:
        while True:
            frame = await self.frame()
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(frame))


def last_in(connector: Connector, conversation: str, words: str) -> Callable[[], Sent | None]:
    def find() -> Sent | None:
        return next((s for s in reversed(connector.in_conversation(conversation)) if words in s.shown), None)

    return find


async def test_handoff_in_teams_agent_takes_over_and_hands_back(teams: Teams) -> None:
    connector = teams.connector
    console = Console(teams)
    await console.open()
    queued = await teams.say(text="talk to a person", sender=ANNA)
    assert queued is not None
    number = number_in(queued.shown, "HO")
    joined = await console.until("queued")
    assert joined["handoff"]["number"] == number and joined["handoff"]["channel"] == "teams"

    await console.send({"type": "take", "number": number})
    assert (await console.until("result", number=number))["ok"]
    await console.until("conversation")

    # The customer writes: the bot posts nothing; the agent sees the line — once, however often delivered.
    posted = len(connector.activities())
    assert await teams.say(text="my invoice INV-2031 is wrong", sender=ANNA, id="1715680000001") is None
    assert await teams.say(text="my invoice INV-2031 is wrong", sender=ANNA, id="1715680000001") is None
    line = await console.until("message", number=number, role="user")
    assert line["text"] == "my invoice INV-2031 is wrong"
    assert len(connector.activities()) == posted

    # The agent's lines reach the customer's Teams chat.
    await console.send({"type": "reply", "number": number, "text": "Hello Anna, I'll look into it."})
    said = await until(last_in(connector, ANNA_CHAT, "look into it"))
    assert "Hello Anna, I'll look into it." in said.shown

    # Back to the bot, which says so in Teams and answers again.
    await console.send({"type": "hand_back", "number": number})
    assert (await console.until("result", number=number, action="hand_back"))["ok"]
    await until(last_in(connector, ANNA_CHAT, "I'm back"))
    users_lines = [f["text"] for f in console.seen if f["type"] == "message" and f.get("role") == "user"]
    assert users_lines == ["my invoice INV-2031 is wrong"]
    answer = await teams.say(text="where is my order 4711?", sender=ANNA)
    assert answer is not None and "PostNord" in answer.shown


async def test_handoff_with_no_agent_online_becomes_a_request(teams: Teams, teams_app: Application) -> None:
    before = await requests_count(teams_app)
    await teams.say(text="where is my order 4711?", sender=ERIK, conversation_id=ERIK_CHAT)
    reply = await teams.say(text="talk to a person", sender=ERIK, conversation_id=ERIK_CHAT)
    assert reply is not None and "within one business day" in reply.shown
    number = number_in(reply.shown)
    assert await requests_count(teams_app) == before + 1
    principal = await teams_app.pipeline.principal(ERIK_USER)
    [request, *_] = await teams_app.backends.requests.list_requests(principal, limit=5)
    assert request.number == number and "where is my order 4711?" in request.description
    assert await teams_app.handoffs.queue() == []
