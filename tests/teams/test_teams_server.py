"""Teams end to end in the emulator mode (no tokens): activities in, Adaptive Cards at the connector stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from supportbot.adapters.app import Application
from supportbot.adapters.teams.channel import TeamsChannel, send_proactive
from supportbot.bot.locks import LockUnavailable
from supportbot.bot.messages import Reply
from tests.teams.teams_helpers import ANNA, BOT_ID, ERIK, GUEST, Teams, activity


async def test_anna_asks_for_her_order_in_personal_chat(teams: Teams) -> None:
    sent = await teams.say(text="where is my order 4711?", sender=ANNA)
    assert sent is not None
    assert "PostNord" in sent.shown
    card = sent.card
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert sent.conversation_id == "a:1personal-chat-anna"
    assert sent.reply_to is not None  # a reply to the user's activity
    assert sent.body["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert teams.connector.lookups == [ANNA]  # the roster was asked once, for the UPN


async def test_a_card_button_acts_like_typed_text(teams: Teams, teams_app: Application) -> None:
    first = await teams.say(text="hello", sender=ANNA)
    assert first is not None
    buttons = first.buttons()
    assert buttons, first.shown
    data = buttons[0]["data"]
    assert data["supportbot"] == "button"
    pressed = await teams.say("card_submit", sender=ANNA, value=data)
    assert pressed is not None
    assert pressed.shown != first.shown
    history = await teams_app.pipeline.history("teams:a:1personal-chat-anna")
    assert history[-2].payload == {"button": True}
    assert history[-2].text == data["text"]


async def test_an_adaptive_card_execute_invoke_is_answered(teams: Teams) -> None:
    body = activity("card_invoke", service_url=teams.connector.url)
    response = await teams.client.post("/api/messages", json=body)
    assert response.status == 200
    assert (await response.json())["statusCode"] == 200
    assert teams.connector.activities(), "the reply to the pressed button was sent"


async def test_swedish_is_answered_in_swedish(teams: Teams) -> None:
    sent = await teams.say(text="var är min order 4711?", sender=ANNA)
    assert sent is not None
    assert sent.card["lang"] == "sv"
    assert "PostNord" in sent.shown


async def test_someone_matching_no_user_is_a_guest(teams: Teams, teams_app: Application) -> None:
    sent = await teams.say(text="where is my order 4711?", sender=GUEST)
    assert sent is not None
    assert "PostNord" not in sent.shown
    assert "customer number" in sent.shown.lower()
    assert (
        await teams_app.backends.directory.linked_user("teams", "9a8b7c6d-0000-4e5f-8a9b-0c1d2e3f4a5b")
        is None
    )


async def test_group_chat_mention(teams: Teams) -> None:
    sent = await teams.say("group_mention", sender=ANNA)
    assert sent is not None
    assert sent.conversation_id == "19:group-chat-nordisk@thread.v2"
    assert "4711" in sent.shown


async def test_channel_mention(teams: Teams) -> None:
    sent = await teams.say("channel_mention", sender=ERIK)
    assert sent is not None
    assert sent.conversation_id.startswith("19:support-channel@thread.tacv2")
    assert "PostNord" in sent.shown


async def test_a_repeated_activity_posts_nothing_new(teams: Teams) -> None:
    assert await teams.say(id="1715678467999", text="where is my order 4711?", sender=ANNA) is not None
    assert await teams.say(id="1715678467999", text="where is my order 4711?", sender=ANNA) is None
    assert len(teams.connector.activities()) == 1


async def test_being_added_says_what_the_bot_can_do(teams: Teams) -> None:
    sent = await teams.say("members_added")
    assert sent is not None
    assert sent.card["lang"] == "sv"


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[]",
        b'{"type": "message"}',
        json.dumps({"type": "message", "id": "1", "channelId": "msteams", "serviceUrl": "ftp://x"}).encode(),
    ],
)
async def test_malformed_payloads_are_refused_and_nothing_is_sent(teams: Teams, raw: bytes) -> None:
    assert await teams.post(None, raw=raw) == 400
    assert teams.connector.sent == []


@pytest.mark.parametrize("missing", ["conversation", "from", "serviceUrl", "id", "recipient"])
async def test_an_activity_missing_a_field_is_refused(teams: Teams, missing: str) -> None:
    body = activity("personal_message", service_url=teams.connector.url)
    del body[missing]
    assert await teams.post(body) == 400
    assert teams.connector.sent == []


async def test_a_throttled_reply_is_sent_again_after_retry_after(teams: Teams) -> None:
    teams.connector.fail_next(429, **{"Retry-After": "1"})
    sent = await teams.say(text="where is my order 4711?", sender=ANNA)
    assert sent is not None
    attempts = teams.connector.activities()
    assert len(attempts) == 2
    assert attempts[0].body == attempts[1].body
    assert attempts[1].at - attempts[0].at >= 0.9


async def test_proactive_message_reaches_the_personal_chat(teams: Teams, teams_app: Application) -> None:
    await teams.say(text="hello", sender=ANNA)
    before = len(teams.connector.activities())
    delivered = await send_proactive(
        teams_app, "anna.berg@nordisk.example", Reply(text="Your order 4711 has shipped")
    )
    assert delivered
    sent = teams.connector.activities()[before:]
    assert len(sent) == 1
    assert sent[0].conversation_id == "a:1personal-chat-anna"
    assert "4711 has shipped" in sent[0].shown


async def test_proactive_message_opens_a_personal_chat_when_only_a_team_is_known(
    teams: Teams, teams_app: Application
) -> None:
    await teams.say("channel_mention", sender=ERIK)
    channel = TeamsChannel(teams_app)
    assert await channel.deliver("erik.lund@nordisk.example", Reply(text="Access granted"))
    assert teams.connector.created, "a conversation was created"
    created = teams.connector.created[0]
    assert created["members"] == [{"id": ERIK}]
    assert created["bot"]["id"] == BOT_ID
    sent = teams.connector.activities()[-1]
    assert sent.conversation_id == "a:proactive-1"
    assert not await channel.deliver("max.muller@contoso.example", Reply(text="never seen in Teams"))


async def test_every_manifest_command_is_answered_by_its_intent(teams: Teams, teams_app: Application) -> None:
    from supportbot.adapters.teams.manifest import COMMANDS

    for title, intent in COMMANDS.items():
        conversation = f"a:1command-{title.replace(' ', '-')}"
        assert await teams.say(text=title, sender=ANNA, conversation_id=conversation) is not None
        history = await teams_app.pipeline.history(f"teams:{conversation}")
        assert history[-1].payload is not None and history[-1].payload["intent"] == intent, title


async def test_an_access_request_reaches_the_administrator_in_teams(teams: Teams) -> None:
    """Anna talks to the bot in Teams; Erik asks for invoices there; Anna's approval request and
    Erik's answer arrive in their Teams chats, with buttons that work like typed text."""
    await teams.say(text="hello", sender=ANNA)
    await teams.say(text="hello", sender=ERIK, conversation_id="a:1personal-chat-erik")
    asked = await teams.say(
        text="I need access to invoices", sender=ERIK, conversation_id="a:1personal-chat-erik"
    )
    assert asked is not None and "AR-" in asked.shown
    to_anna = [a for a in teams.connector.activities() if a.conversation_id == "a:1personal-chat-anna"][-1]
    assert "AR-" in to_anna.shown and ("invoices" in to_anna.shown or "fakturor" in to_anna.shown)
    deny = next(b for b in to_anna.buttons() if b["title"] in {"Deny", "Avslå"})
    await teams.say("card_submit", sender=ANNA, value=deny["data"])
    to_erik = [a for a in teams.connector.activities() if a.conversation_id == "a:1personal-chat-erik"][-1]
    assert "denied" in to_erik.shown


class _Unreachable:
    """Conversation locks whose service (Redis, with several workers) does not answer."""

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        raise LockUnavailable("the conversation's lock could not be taken (ConnectionError)")
        yield  # pragma: no cover


async def test_a_message_that_cannot_have_its_lock_gets_an_apology_and_nothing_is_stored(
    teams: Teams, teams_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    locks = teams_app.pipeline._locks
    monkeypatch.setattr(teams_app.pipeline, "_locks", _Unreachable())
    sent = await teams.say(text="where is my order 4711?", sender=ANNA)
    assert sent is not None and "Sorry, I can't reach our systems right now" in sent.shown, sent
    assert await teams_app.pipeline.history("teams:a:1personal-chat-anna") == []

    monkeypatch.setattr(teams_app.pipeline, "_locks", locks)  # back: sent again, answered
    sent = await teams.say(text="where is my order 4711?", sender=ANNA)
    assert sent is not None and "PostNord" in sent.shown
