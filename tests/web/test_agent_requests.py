"""Customers' requests in the agent console over the real server: the work list across companies, one
request with its history and documents, an answer that reaches the customer live, in chat and by mail,
closing with a resolution; and nobody but an agent gets any of it.

Each test opens its own requests (as the customer, through the back end), so the tests share the
module's server without depending on each other's order.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from email.message import EmailMessage
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from supportbot.adapters.app import Application
from supportbot.adapters.server import APP_KEY
from supportbot.integrations.models import NewRequest, Principal, RequestStatus
from tests.conversations.test_access import body, mails_to, notices
from tests.web import test_agent_console as console
from tests.web.test_agent_console import OLLE, SARA, Agent, customer_browser, new_agent
from tests.web.webchat_helpers import ANNA

pytestmark = pytest.mark.asyncio(loop_scope="module")

server = console.server  # the console's server: office hours around the clock, and a second agent


@pytest_asyncio.fixture(loop_scope="module")
async def sessions(server: TestServer) -> AsyncIterator[list[aiohttp.ClientSession]]:
    """Browsers of one test; afterwards their consoles are signed off before the next test begins.

    The server signs a console off (a write on the store's engine) after its socket closed; the next
    test's first write (a request opened through the inline back end) must not land in the middle of
    it, or it waits out the SQLite busy timeout on the event loop that would finish it.
    """
    made: list[aiohttp.ClientSession] = []
    yield made
    await asyncio.gather(*(s.close() for s in made))
    for _ in range(200):
        if await application(server).handoffs.agents_online() == 0:
            return
        await asyncio.sleep(0.025)


MAX = "max.muller@contoso.example"
WAITING_FOR_SUPPORT = {"open", "in_progress"}


def application(server: TestServer) -> Application:
    return server.app[APP_KEY]


async def customer_principal(server: TestServer, user_id: str) -> Principal:
    principal = await application(server).backends.directory.principal_for(user_id)
    assert principal is not None
    return principal


async def opened(server: TestServer, user_id: str, subject: str) -> str:
    """A new request of that customer, opened as they would in chat; its number."""
    created = await application(server).backends.requests.create_request(
        await customer_principal(server, user_id),
        NewRequest(category="technical", subject=subject, description=f"{subject}: details."),
    )
    return created.number


async def signed_in(server: TestServer, sessions: list[aiohttp.ClientSession], user: str = SARA) -> Agent:
    agent = await new_agent(server, sessions, user)
    await agent.connect()
    return agent


async def work_list(agent: Agent, **frame: Any) -> list[dict[str, Any]]:
    await agent.send({"type": "requests", **frame})
    answer = await agent.until("requests")
    items = answer["items"]
    assert isinstance(items, list)
    return items


async def mails_arrive(app: Application, to: str, number: str) -> list[EmailMessage]:
    """The mails to ``to`` about that request; the outbox writes them while the answer is recorded."""
    for _ in range(50):
        found = [m for m in mails_to(app, to) if number in str(m["Subject"])]
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail about {number} to {to}")


async def test_the_work_list_holds_every_company_s_requests_by_due_time(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    contoso = await opened(server, MAX, "Licence keys missing")
    sara = await signed_in(server, sessions)
    items = await work_list(sara)
    assert {r["company"] for r in items} >= {"Nordisk Verkstad AB", "Contoso GmbH"}
    mine = next(r for r in items if r["number"] == contoso)
    assert mine["customer_number"] == "2000456" and mine["subject"] == "Licence keys missing"
    assert (mine["requester"], mine["requester_name"]) == (MAX, "Max Müller")
    assert (mine["status"], mine["priority"], mine["overdue"]) == ("open", "normal", False)
    assert mine["due_at"] > mine["created_at"]
    assert set(mine) >= {"number", "subject", "company", "customer_number", "requester", "status"}
    assert all(r["status"] != "closed" for r in items)
    # What waits for support first, oldest due first (so the overdue ones lead); then the rest.
    waiting = [r for r in items if r["status"] in WAITING_FOR_SUPPORT]
    assert items[: len(waiting)] == waiting
    assert [r["due_at"] for r in waiting] == sorted(r["due_at"] for r in waiting)
    overdue = [r for r in waiting if r["overdue"]]
    assert waiting[: len(overdue)] == overdue and overdue  # the demo's Nordisk requests are late

    answered = await work_list(sara, status="answered")
    assert answered and {r["status"] for r in answered} == {"answered"}


async def test_an_agent_answers_and_the_customer_hears_it_everywhere(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    app = application(server)
    number = await opened(server, ANNA, "Power S1022 fan noise")
    browser = await customer_browser(server, sessions)
    chat = await browser.chat()
    sara, olle = await signed_in(server, sessions), await signed_in(server, sessions, OLLE)

    await sara.send({"type": "request", "number": number})
    shown = (await sara.until("request"))["request"]
    assert (shown["number"], shown["company"], shown["status"]) == (number, "Nordisk Verkstad AB", "open")
    assert shown["description"] == "Power S1022 fan noise: details."
    assert [e["kind"] for e in shown["history"]] == ["created"] and shown["documents"] == []

    answer = "Replace the fan tray <FRU 01AF123>; a technician comes on Monday."
    await sara.send({"type": "answer", "number": number, "text": f"  {answer}  "})
    result = await sara.until("result", action="answer")
    assert (result["number"], result["ok"]) == (number, True)
    updated = (await sara.until("request"))["request"]
    assert updated["status"] == "answered" and updated["overdue"] is False
    last = updated["history"][-1]
    assert (last["kind"], last["author"], last["text"]) == ("answer", "Sara Lindqvist", answer)
    changed = await olle.until("request_changed")  # every console's list follows
    assert (changed["request"]["number"], changed["request"]["status"]) == (number, "answered")

    live = await chat.until("notice")  # the customer's open web chat, at once
    assert number in live["reply"]["text"] and answer in live["reply"]["text"]
    assert any(answer in n.text for n in await notices(app, ANNA))
    (mail,) = await mails_arrive(app, ANNA, number)
    assert f"/?ask=status+of+{number}" in body(mail)
    assert answer in body(mail)

    record = await app.backends.requests.get_request(await customer_principal(server, ANNA), number)
    assert record is not None and record.status is RequestStatus.ANSWERED
    status = (await chat.say(f"status of {number}"))["reply"]
    assert answer in json.dumps(status, ensure_ascii=False)
    await chat.close()


async def test_documents_download_for_agents_only(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    app = application(server)
    number = await opened(server, MAX, "Error log from München")
    # A log that quotes markup (not at its start, where it would be refused as a web page).
    data = b'B2001234 at power-on <script>alert("not here")</script>\n'
    await app.backends.requests.add_document(
        await customer_principal(server, MAX),
        number,
        name='boot "1".log',
        content_type="text/plain",
        data=data,
    )
    sara = await signed_in(server, sessions)
    await sara.send({"type": "request", "number": number})
    shown = (await sara.until("request"))["request"]
    (document,) = shown["documents"]
    assert (document["name"], document["size"], document["content_type"]) == (
        "boot _1_.log",  # as the back end keeps it: no quotes, no path
        len(data),
        "text/plain",
    )
    assert document["sha256"] == hashlib.sha256(data).hexdigest() and document["uploaded_by"] == "Max Müller"
    assert "data" not in document and shown["history"][-1]["kind"] == "attachment"

    url = server.make_url(document["url"])
    async with sara.session.get(url) as response:
        assert response.status == 200
        assert await response.read() == data
        assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''boot%20_1_.log"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        assert response.headers["Cache-Control"] == "no-store"

    customer = (await customer_browser(server, sessions)).session  # a signed-in customer's web session
    async with customer.get(url) as response:
        assert response.status == 401
    async with aiohttp.ClientSession() as stranger, stranger.get(url) as response:
        assert response.status == 401
    other = await opened(server, ANNA, "Another request")
    for path in (
        f"/agents/api/requests/{number}/documents/999999",
        f"/agents/api/requests/{number}/documents/not-a-document",
        f"/agents/api/requests/{other}/documents/{document['id']}",  # not that request's document
        f"/agents/api/requests/RQ-2099-999999/documents/{document['id']}",
    ):
        async with sara.session.get(server.make_url(path)) as response:
            assert response.status == 404, path


async def test_close_a_request_with_a_resolution(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    number = await opened(server, ANNA, "Spare disk for Göteborg")
    sara = await signed_in(server, sessions)
    await sara.send({"type": "close_request", "number": number, "resolution": "Sent by courier today."})
    result = await sara.until("result", action="close_request")
    assert (result["number"], result["ok"]) == (number, True)
    closed = (await sara.until("request"))["request"]
    assert closed["status"] == "closed"
    assert (closed["history"][-1]["kind"], closed["history"][-1]["text"]) == (
        "closed",
        "Sent by courier today.",
    )
    assert number not in {r["number"] for r in await work_list(sara)}

    # Anna hears it, in her language, in chat and by mail; closing it again tells her nothing more.
    app = application(server)
    told = [n for n in await notices(app, ANNA) if number in n.text]
    assert (
        len(told) == 1
        and "har stängt ditt ärende" in told[0].text
        and "Sent by courier today." in told[0].text
    )
    (mail,) = await mails_arrive(app, ANNA, number)
    assert "är stängt" in str(mail["Subject"])
    await sara.send({"type": "close_request", "number": number, "resolution": "Again."})
    await sara.until("result", action="close_request")
    assert len([n for n in await notices(app, ANNA) if number in n.text]) == 1
    assert len([m for m in mails_to(app, ANNA) if number in str(m["Subject"])]) == 1

    chat = await (await customer_browser(server, sessions)).chat()
    status = (await chat.say(f"status of {number}"))["reply"]
    assert "Sent by courier today." in json.dumps(status, ensure_ascii=False)
    assert "closed" in json.dumps(status).lower()
    await chat.close()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "requests", "status": "closed"},  # closed requests are opened by number only
        {"type": "requests", "status": "whatever"},
        {"type": "requests", "status": 5},
        {"type": "request"},
        {"type": "request", "number": 12},
        {"type": "request", "number": "RQ-" + "9" * 40},
        {"type": "answer", "number": "{number}"},
        {"type": "answer", "number": "{number}", "text": "   "},
        {"type": "answer", "number": "{number}", "text": ["a list"]},
        {"type": "answer", "number": "{number}", "text": "x" * 4001},
        {"type": "close_request", "number": "{number}"},
        {"type": "close_request", "number": "{number}", "resolution": ""},
        {"type": "close_request", "number": "{number}", "resolution": "x" * 2001},
    ],
)
async def test_bad_frames_are_refused_and_change_nothing(
    server: TestServer, sessions: list[aiohttp.ClientSession], frame: dict[str, Any]
) -> None:
    number = await opened(server, ANNA, "Nothing must happen to this one")
    sara = await signed_in(server, sessions)
    await sara.send({k: (number if v == "{number}" else v) for k, v in frame.items()})
    refused = await sara.until("error")
    assert refused["code"] == "bad_frame"
    await sara.send({"type": "request", "number": number})
    shown = (await sara.until("request"))["request"]
    assert shown["status"] == "open" and [e["kind"] for e in shown["history"]] == ["created"]


async def test_an_unknown_request_is_not_found(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    sara = await signed_in(server, sessions)
    for frame in (
        {"type": "request", "number": "RQ-2099-999999"},
        {"type": "answer", "number": "RQ-2099-999999", "text": "Hello"},
        {"type": "close_request", "number": "RQ-2099-999999", "resolution": "Done"},
    ):
        await sara.send(frame)
        assert (await sara.until("error")) == {
            "type": "error",
            "code": "not_found",
            "number": "RQ-2099-999999",
        }


async def test_a_customer_reaches_none_of_it(
    server: TestServer, sessions: list[aiohttp.ClientSession]
) -> None:
    anna = await new_agent(server, sessions, None)
    assert (await anna.login(ANNA)).status == 401  # not an agent: no console cookie
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await anna.connect()
    assert refused.value.status == 401
    customer = (await customer_browser(server, sessions)).session
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await customer.ws_connect(server.make_url("/agents/ws"), headers={"Origin": anna.origin})
    assert refused.value.status == 401  # the web chat's cookie opens no console
