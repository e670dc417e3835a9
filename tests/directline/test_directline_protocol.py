"""Direct Line 3.0 as Microsoft's WebChat speaks it, against the real server: tokens only for the web
chat's session and origin, a token good for its own conversation alone, polling with a watermark,
the stream, and a message sent twice answered once."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from supportbot.adapters.directline.tokens import DirectLineTokens, Grant
from supportbot.adapters.server import APP_KEY
from supportbot.bot.handoff import conversation_topic
from supportbot.bot.messages import ConversationRef, Reply
from tests.conftest import TEST_SECRET
from tests.directline.directline_helpers import DL, NewPage, Page

pytestmark = pytest.mark.asyncio(loop_scope="module")

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"
CARD = "application/vnd.microsoft.card.adaptive"


async def signed_in(new_page: NewPage, user: str = ANNA) -> Page:
    page = await new_page()
    await page.login(user)
    await page.start()
    return page


def texts(activities: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(a["from"]["role"], a.get("text")) for a in activities]  # type: ignore[index]


async def test_anna_asks_for_her_order_and_polls_with_a_watermark(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    status, posted = await page.say("where is my order 4711?", "c-4711-a")
    assert status == 200
    assert posted["id"].startswith(f"{page.conversation}|")

    status, first = await page.poll()
    assert status == 200
    user, bot = first["activities"]
    # Her own line comes back with the client's id: that is how WebChat knows it was delivered.
    assert user["id"] == posted["id"]
    assert user["from"]["role"] == "user" and user["text"] == "where is my order 4711?"
    assert user["channelData"] == {"clientActivityID": "c-4711-a"}
    assert bot["from"]["role"] == "bot" and bot["replyToId"] == user["id"]
    assert "PostNord" in json.dumps(bot)
    card = next(a for a in bot["attachments"] if a["contentType"] == CARD)["content"]
    assert card["type"] == "AdaptiveCard" and "4711" in json.dumps(card["body"])
    assert first["watermark"] == bot["id"].split("|")[1].lstrip("0")

    # Nothing new after the watermark; a new message shows alone, the watermark moves on.
    status, again = await page.poll(first["watermark"])
    assert (status, again) == (200, {"activities": [], "watermark": first["watermark"]})
    await page.say("thanks", "c-thanks")
    _, later = await page.poll(first["watermark"])
    assert texts(later["activities"])[0] == ("user", "thanks")
    assert int(later["watermark"]) > int(first["watermark"])


async def test_a_message_sent_twice_is_answered_once(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    first = await page.say("where is my order 4711?", "c-twice")
    second = await page.say("where is my order 4711?", "c-twice")
    assert first == second and first[0] == 200
    _, polled = await page.poll()
    assert [a["from"]["role"] for a in polled["activities"]] == ["user", "bot"]


async def test_tokens_are_given_only_to_the_web_chats_own_pages(new_page: NewPage) -> None:
    page = await new_page()
    await page.login(ANNA)
    refused = await page.generate(origin="https://evil.example")
    assert refused.status == 403
    # A guest (no sign-in) gets a guest's token, whose conversation sees no orders.
    guest = await new_page()
    await guest.start()
    await guest.say("where is my order 4711?", "g-1")
    _, polled = await guest.poll()
    assert "PostNord" not in json.dumps(polled)


async def test_no_token_a_bad_one_or_an_expired_one_is_refused(new_page: NewPage, server: TestServer) -> None:
    page = await signed_in(new_page)
    path = f"{DL}/conversations/{page.conversation}/activities"
    anonymous = Page(server, page.session)
    assert (await anonymous.call("GET", path))[0] == 401
    assert page.token is not None
    tampered = page.token[:-2] + ("00" if not page.token.endswith("00") else "11")
    assert (await page.call("GET", path, token=tampered))[0] == 403
    tokens = DirectLineTokens(TEST_SECRET.encode())
    grant = tokens.read(page.token)
    assert grant is not None
    expired = tokens.issue(Grant(grant.conversation_id, grant.user_id, grant.handle, grant.credentials, 1))
    assert (await page.call("GET", path, token=expired))[0] == 403
    # A stream URL's token opens the stream only; it is no bearer token.
    assert (await page.call("GET", path, token=tokens.stream(grant)))[0] == 403
    # A token forged for the same user with a session that is not hers is refused too.
    forged = tokens.issue(
        Grant(grant.conversation_id, grant.user_id, "0" * 64, grant.credentials, int(time.time()) + 60)
    )
    assert (await page.call("GET", path, token=forged))[0] == 403


async def test_another_users_conversation_is_answered_as_a_missing_one(new_page: NewPage) -> None:
    anna = await signed_in(new_page)
    await anna.say("where is my order 4711?", "a-1")
    max_ = await signed_in(new_page, MAX)
    assert anna.conversation is not None
    theirs = await max_.call("GET", f"{DL}/conversations/{anna.conversation}/activities")
    missing = await max_.call("GET", f"{DL}/conversations/{'x' * 24}/activities")
    assert theirs == missing and theirs[0] == 404
    posted = await max_.call(
        "POST",
        f"{DL}/conversations/{anna.conversation}/activities",
        json={"type": "message", "text": "hello", "channelData": {"clientActivityID": "m-1"}},
    )
    assert posted == missing
    assert (await max_.call("GET", f"{DL}/conversations/{anna.conversation}?watermark=0")) == (
        await max_.call("GET", f"{DL}/conversations/{'x' * 24}?watermark=0")
    )
    _, polled = await anna.poll()
    assert [a.get("text") for a in polled["activities"] if a["from"]["role"] == "user"] == [
        "where is my order 4711?"
    ]


async def test_signing_out_ends_the_token(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    assert (await page.call("POST", f"{DL}/tokens/refresh"))[0] == 200
    await page.logout()
    assert (await page.call("POST", f"{DL}/tokens/refresh"))[0] == 403
    assert (await page.poll())[0] == 403


async def test_refresh_keeps_the_conversation(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    status, renewed = await page.call("POST", f"{DL}/tokens/refresh")
    assert status == 200 and renewed["conversationId"] == page.conversation
    assert (await page.poll(token=renewed["token"]))[0] == 200


async def test_bad_activities_are_refused(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    path = f"{DL}/conversations/{page.conversation}/activities"
    assert (await page.call("POST", path, raw=b"{not json"))[0] == 400
    assert (await page.call("POST", path, json=["a list"]))[0] == 400
    assert (await page.call("POST", path, json={"type": "message", "text": 5}))[0] == 400
    too_long = {"type": "message", "text": "x" * (70 * 1024)}
    assert (await page.call("POST", path, json=too_long))[0] == 413
    _, polled = await page.poll()
    assert polled["activities"] == []


async def test_the_stream_sends_the_echo_and_the_answer(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    status, conversation = await page.call("GET", f"{DL}/conversations/{page.conversation}?watermark=")
    assert status == 200
    url = conversation["streamUrl"]
    assert url.startswith("ws://") and f"/conversations/{page.conversation}/stream?" in url
    # A foreign page cannot open it; the site's own can.
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await page.session.ws_connect(url, headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403
    async with page.session.ws_connect(url, headers={"Origin": page.origin}) as ws:
        await page.say("where is my order 4711?", "s-1")
        seen: list[dict[str, object]] = []
        while len(seen) < 2:
            frame = await ws.receive_json(timeout=15)
            assert set(frame) == {"activities", "watermark"} and isinstance(frame["watermark"], str)
            seen.extend(frame["activities"])
        assert [a["from"]["role"] for a in seen] == ["user", "bot"]  # type: ignore[index]
        assert seen[0]["channelData"] == {"clientActivityID": "s-1"}
        assert "4711" in json.dumps(seen[1])
    # WebChat reconnects from its watermark: the new stream sends only what came after it.
    asked = str(seen[0]["id"]).split("|")[1].lstrip("0")
    _, again = await page.call("GET", f"{DL}/conversations/{page.conversation}?watermark={asked}")
    async with page.session.ws_connect(again["streamUrl"], headers={"Origin": page.origin}) as ws:
        frame = await ws.receive_json(timeout=15)
        assert [a["id"] for a in frame["activities"]] == [seen[1]["id"]]


async def test_the_stream_closes_when_the_session_ends(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    _, conversation = await page.call("GET", f"{DL}/conversations/{page.conversation}")
    async with page.session.ws_connect(conversation["streamUrl"]) as ws:
        await page.logout()
        closed = await ws.receive(timeout=15)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == 4001


async def test_files_come_as_signed_download_links(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    await page.say("order report for this year", "f-1")
    _, polled = await page.poll()
    bot = polled["activities"][-1]
    files = [a for a in bot["attachments"] if "contentUrl" in a]
    assert [a["name"].rsplit(".", 1)[1] for a in files] == ["xlsx", "csv"]
    url = urlsplit(files[0]["contentUrl"])
    assert "sig=" in url.query  # a signed link, bound to Anna: it opens in her browser
    async with page.session.get(page.url(urlunsplit(("", "", url.path, url.query, "")))) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]


async def test_a_cards_button_is_sent_as_webchat_posts_it(new_page: NewPage) -> None:
    page = await signed_in(new_page)
    await page.say("what's the weather on Mars?", "b-1")
    _, polled = await page.poll()
    card = next(a for a in polled["activities"][-1]["attachments"] if a["contentType"] == CARD)["content"]
    submit = card["actions"][0]
    assert submit["type"] == "Action.Submit"
    # WebChat posts a pressed Action.Submit as a message whose value is the action's data, no text.
    status, _ = await page.call(
        "POST",
        f"{DL}/conversations/{page.conversation}/activities",
        json={"type": "message", "value": submit["data"], "channelData": {"clientActivityID": "b-2"}},
    )
    assert status == 200
    _, after = await page.poll(polled["watermark"])
    pressed, answer = after["activities"]
    assert pressed["text"] == submit["data"]["text"] and pressed["channelData"]["clientActivityID"] == "b-2"
    assert answer["from"]["role"] == "bot" and answer["text"]


async def test_too_many_messages_are_refused_as_in_the_web_chat(new_page: NewPage) -> None:
    guest = await new_page()
    await guest.start()
    statuses = [(await guest.say("hi", f"r-{n}"))[0] for n in range(25)]
    assert statuses[:20] == [200] * 20  # SUPPORTBOT_WEBCHAT_RATE_LIMIT in 10 s
    assert 429 in statuses[20:]


ERIK = "erik.lund@nordisk.example"


async def test_a_request_opened_with_the_cards_form(new_page: NewPage, server: TestServer) -> None:
    page = await signed_in(new_page, ERIK)
    await page.say("I'd like to open a support request", "q-1")
    _, shown = await page.poll()
    card = next(a for a in shown["activities"][-1]["attachments"] if a["contentType"] == CARD)["content"]
    submit = next(
        action
        for item in _walk(card)
        if item.get("type") == "ActionSet"
        for action in item["actions"]
        if "supportbot_form" in action.get("data", {})
    )
    # WebChat posts the submit's data with every input's value by its id.
    value = {
        **submit["data"],
        "category": "technical",
        "subject": "Power server in Kista does not boot",
        "description": "Since this morning the server stops with error B2001234 after power-on.",
        "priority": "high",
        "smuggled": "not a field of the form",
    }
    path = f"{DL}/conversations/{page.conversation}/activities"
    first = await page.call(
        "POST", path, json={"type": "message", "value": value, "channelData": {"clientActivityID": "q-2"}}
    )
    assert first[0] == 200
    _, after = await page.poll(shown["watermark"])
    sent, done = after["activities"]
    assert "I've opened request RQ-" in done["text"], done["text"]
    assert sent["channelData"]["postBack"] is True  # WebChat shows no line for a card's submit
    history = await server.app[APP_KEY].pipeline.history(f"directline:{page.conversation}")
    stored = next(t for t in reversed(history) if t.role == "user")
    assert stored.payload is not None and stored.payload["form"]["values"]["priority"] == "high"
    assert "smuggled" not in stored.payload["form"]["values"]  # only the form's own inputs are kept
    # The same card sent again (a second click, a new client id) opens nothing more.
    second = await page.call(
        "POST", path, json={"type": "message", "value": value, "channelData": {"clientActivityID": "q-3"}}
    )
    assert second == first
    assert (await page.poll(after["watermark"]))[1]["activities"] == []


def _walk(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


async def test_an_agent_typing_shows_on_the_stream(new_page: NewPage, server: TestServer) -> None:
    page = await signed_in(new_page)
    _, conversation = await page.call("GET", f"{DL}/conversations/{page.conversation}")
    async with page.session.ws_connect(conversation["streamUrl"], headers={"Origin": page.origin}) as ws:
        # What the handoff tells a conversation when its agent writes (bot.handoff.typing).
        bus = server.app[APP_KEY].notifier.bus
        await bus.publish(
            conversation_topic(f"directline:{page.conversation}"), {"type": "typing", "on": True}
        )
        frame = await ws.receive_json(timeout=15)
        (typing,) = frame["activities"]
        assert typing["type"] == "typing" and typing["from"]["role"] == "bot"
        assert frame["watermark"] == "0"  # no line of the transcript


async def test_a_person_who_takes_over_reaches_the_directline_customer_through_the_transcript(
    new_page: NewPage, server: TestServer
) -> None:
    """An agent's lines reach a Direct Line customer as activities of the conversation, the way the web
    chat's do, never through the outside delivery meant for Slack and Teams."""
    page = await signed_in(new_page)
    await page.say("where is my order 4711?", "c-before-handoff")
    app = server.app[APP_KEY]
    outside: list[tuple[str, str]] = []
    real_outside = app.handoffs._outside

    async def record_outside(channel: str, user_id: str, reply: Reply) -> bool:
        outside.append((channel, reply.text))
        return False

    app.handoffs._outside = record_outside
    try:
        ref = ConversationRef(channel="directline", conversation_id=page.conversation or "")
        handoff = await app.handoffs.open(ref, user_id=ANNA)
        assert await app.handoffs.take(handoff.number, "sara@support.example")
        assert await app.handoffs.reply(handoff.number, "sara@support.example", "Sara Lindqvist", "Hi Anna!")
    finally:
        app.handoffs._outside = real_outside
    _, polled = await page.poll()
    said = [a.get("text") for a in polled["activities"] if a["from"]["role"] != "user"]
    assert "Sara from support has joined the chat." in said
    assert any(text and "Hi Anna!" in str(text) for text in said)
    assert outside == []
