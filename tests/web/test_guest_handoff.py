"""A web chat guest reaches a person, through the real server: the form asks for a name and an e-mail
address (checked), and a customer number if they like. In office hours with an agent online the
guest is queued with a tracking number, and the agent who takes over sees them marked as not verified
and no company's data, though a customer number was stated. Outside office hours it becomes a
guest's request, confirmed by a mail (caught by a local SMTP server) that says nothing but its number.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from supportbot.adapters.app import build_application
from supportbot.adapters.server import APP_KEY, create_web_app
from tests.conftest import Inbox
from tests.web.conftest import demo_data_dir, web_settings
from tests.web.test_agent_console import SARA, Agent, new_agent
from tests.web.webchat_helpers import Browser, Chat

pytestmark = pytest.mark.asyncio(loop_scope="module")

EVA = {"guest_name": "Eva Svensson", "guest_email": "eva@example.org", "guest_customer_number": "1000123"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> AsyncIterator[TestServer]:
    """Office hours around the clock: an agent online takes chats."""
    settings = web_settings(demo_data_dir(tmp_path_factory, seeded_template), agents_around_the_clock=True)
    test_server = TestServer(create_web_app(await build_application(settings)))
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def sessions() -> AsyncIterator[list[aiohttp.ClientSession]]:
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))


async def guest_chat(
    server: TestServer, sessions: list[aiohttp.ClientSession], lang: str | None = None
) -> Chat:
    """A visitor who is not signed in."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    sessions.append(session)
    browser = Browser(server, session)  # type: ignore[arg-type]  # make_url is all it uses
    assert (await browser.whoami())["user"] is None
    return await browser.chat(lang=lang)


def errors(reply: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["error"] for f in reply["form"]["fields"] if f.get("error")}


async def test_the_form_refuses_an_empty_name_and_a_bad_address(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    chat = await guest_chat(server, sessions)
    asked = (await chat.say("talk to a person"))["reply"]
    assert "not signed in" in asked["text"] and asked["form"]["id"] == "handoff.agent"
    assert [f["name"] for f in asked["form"]["fields"]] == [
        "guest_name",
        "guest_email",
        "guest_customer_number",
    ]
    back = (
        await chat.submit(
            "handoff.agent",
            {"guest_name": "   ", "guest_email": "eva at example", "guest_customer_number": ""},
        )
    )["reply"]
    assert "check the marked fields" in back["text"] and "HO-" not in back["text"]
    assert errors(back) == {
        "guest_name": "Please fill this in.",
        "guest_email": "That doesn't look like an e-mail address. Please give one like name@company.example.",
    }
    assert back["form"]["fields"][1]["value"] == "eva at example"  # nothing typed is lost
    assert await server.app[APP_KEY].handoffs.queue() == []
    await chat.close()


async def test_swedish_form_refuses_a_bad_customer_number(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    chat = await guest_chat(server, sessions, lang="sv")
    asked = (await chat.say("jag vill prata med en person"))["reply"]
    assert asked["language"] == "sv" and "inte är inloggad" in asked["text"]
    back = (await chat.submit("handoff.agent", {**EVA, "guest_customer_number": "1000123; DROP"}))["reply"]
    assert "Kontrollera de markerade fälten" in back["text"]
    assert set(errors(back)) == {"guest_customer_number"}
    await chat.close()


async def test_in_hours_the_guest_is_queued_and_the_agent_sees_no_business_data(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara: Agent = await new_agent(server, sessions, SARA)
    await sara.connect()
    chat = await guest_chat(server, sessions)
    await chat.say("is order 4711 on its way?")
    await chat.say("talk to a person")
    queued = (await chat.submit("handoff.agent", EVA))["reply"]
    assert "HO-" in queued["text"] and "number 1 in the queue" in queued["text"]
    number = "HO-" + queued["text"].split("HO-", 1)[1][:6]

    seen = await sara.until("queued")
    assert seen["handoff"]["number"] == number and seen["handoff"]["user_id"] is None
    assert seen["handoff"]["guest"] == {
        "name": "Eva Svensson",
        "email": "eva@example.org",
        "customer_number": "1000123",
        "verified": False,
    }
    await sara.send({"type": "take", "number": number})
    assert (await sara.until("result", number=number))["ok"]
    conversation = await sara.until("conversation")
    customer = conversation["customer"]
    assert customer["guest"] is True and customer["verified"] is False
    assert (customer["name"], customer["email"]) == ("Eva Svensson", "eva@example.org")
    assert customer["stated_customer_number"] == "1000123"  # shown as stated, opens nothing
    assert customer["company"] is None and customer["customer_numbers"] == []
    assert customer["grants"] == [] and customer["orders"] == [] and customer["requests"] == []
    assert "Nordisk" not in json.dumps(customer)
    assert (await chat.until("notice"))["reply"]["text"] == "Sara from support has joined the chat."

    silent = (await chat.say("it's urgent, please"))["reply"]
    assert silent["text"] == ""  # the agent has the conversation
    line = await sara.until("message", number=number)
    assert (line["role"], line["text"]) == ("user", "it's urgent, please")
    await sara.send({"type": "reply", "number": number, "text": "Hello Eva, I'm looking at it."})
    assert (await chat.until("agent"))["text"] == "Hello Eva, I'm looking at it."
    await sara.send({"type": "hand_back", "number": number})
    await chat.close()


# --- outside office hours: a request and a mail ------------------------------------------------------


def _text(mail: EmailMessage) -> str:
    part = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_out_of_hours_a_guests_request_and_a_mail_that_says_only_its_number(
    tmp_path_factory: pytest.TempPathFactory,
    seeded_template: Path,
    smtp_server: tuple[Inbox, int],
    sessions: list[aiohttp.ClientSession],
) -> None:
    inbox, port = smtp_server
    settings = web_settings(
        demo_data_dir(tmp_path_factory, seeded_template),
        office_hours="08:00-17:00",
        office_days="",  # never open
        smtp_url=f"smtp://127.0.0.1:{port}",
    )
    app = await build_application(settings)
    own = TestServer(create_web_app(app))
    await own.start_server()
    try:
        chat = await guest_chat(own, sessions)
        await chat.say("my server in Kista is down <a href='https://evil.example'>click</a>")
        await chat.say("talk to a person")
        done = (await chat.submit("handoff.agent", {**EVA, "guest_name": "Eva <b>Svensson</b>"}))["reply"]
        assert "RQ-" in done["text"] and "eva@example.org" in done["text"]
        assert "within one business day" in done["text"]
        number = "RQ-" + done["text"].split("RQ-", 1)[1][:11]
        await chat.close()

        agent = await app.pipeline.principal(SARA)
        work = await app.backends.requests.work_list(agent)
        (mine,) = [r for r in work if r.number == number]
        assert (mine.company, mine.customer_number, mine.requester) == ("", "", "")
        assert (mine.guest_email, mine.guest_customer_number) == ("eva@example.org", "1000123")
        detail = await app.backends.requests.request_for_agent(agent, number)
        assert detail is not None and "my server in Kista is down" in detail.description  # for the agents
        customer = await app.pipeline.principal("anna.berg@nordisk.example")
        assert number not in [r.number for r in await app.backends.requests.list_requests(customer)]
    finally:
        await own.close()  # the outbox makes its last pass: the mail is delivered
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["eva@example.org"]
    (mail,) = inbox.messages()
    assert number in mail["Subject"]
    body = _text(mail)
    assert number in body and "If it wasn't you" in body
    for said in ("Eva", "Svensson", "Kista", "evil.example", "1000123", "Nordisk"):
        assert said not in body and said not in mail["Subject"], said
