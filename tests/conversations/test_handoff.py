"""Handoff to a person: queued with a tracking number, the bot silent while an agent has the
conversation, lines both ways stored and relayed through the bus, hand back and close, and the
request it becomes when no agent is online.

Played through the real pipeline and ``bot.handoff`` on the demo data; sara@support.example is the agent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from supportbot.adapters.app import Application, build_application
from supportbot.bot.handoff import (
    AGENTS_TOPIC,
    PRESENCE_TTL,
    OfficeHours,
    conversation_topic,
    handoff_topic,
)
from supportbot.bot.messages import InboundFile, Reply
from supportbot.integrations.sql.state import agent_presence
from tests.conftest import BotDriver, Conversation, make_settings

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"
SARA = "sara@support.example"


@pytest.fixture
async def application(data_dir: Path) -> AsyncIterator[Application]:
    """Office hours around the clock, so the tests do not depend on when they run."""
    app = await build_application(make_settings(data_dir, office_hours=""))
    try:
        yield app
    finally:
        await app.close()


class Heard:
    """What the bus carried on some topics."""

    def __init__(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = {}

    async def listen(self, app: Application, *topics: str) -> None:
        for topic in topics:

            async def got(message: dict[str, Any], topic: str = topic) -> None:
                self.messages.setdefault(topic, []).append(message)

            await app.bus.subscribe(topic, got)

    def on(self, topic: str) -> list[dict[str, Any]]:
        return self.messages.get(topic, [])


async def queued(bot: BotDriver, user: str = ANNA) -> tuple[Conversation, str]:
    chat = bot.as_user(user)
    await chat.transcript("""
        user: talk to a person
        bot:  [handoff.agent]
        bot:  ~ HO-
    """)
    number = chat.last.text.split("HO-", 1)[1][:6]
    return chat, f"HO-{number}"


async def test_handoff_queues_with_a_number_and_a_place(bot: BotDriver, application: Application) -> None:
    heard = Heard()
    await heard.listen(application, AGENTS_TOPIC)
    await application.handoffs.agent_online(SARA)
    first, number = await queued(bot)
    assert "number 1 in the queue" in first.last.text
    second = bot.as_user(MAX)
    await second.transcript("""
        user: I want to speak to a human
        bot:  ~ number 2 in the queue
    """)
    assert [m["type"] for m in heard.on(AGENTS_TOPIC)] == ["queued", "queued"]
    assert heard.on(AGENTS_TOPIC)[0]["handoff"]["number"] == number
    queue = await application.handoffs.queue()
    assert [h.position for h in queue] == [1, 2]


async def test_the_bot_is_silent_while_queued_and_the_agents_hear_it(
    bot: BotDriver, application: Application
) -> None:
    await application.handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    heard = Heard()
    await heard.listen(application, handoff_topic(number))
    reply = await chat.say("where is my order 4711?")
    assert reply.silent
    assert [m["text"] for m in heard.on(handoff_topic(number))] == ["where is my order 4711?"]
    history = await application.store.history(chat.ref.key)
    assert [t.role for t in history][-1] == "user"  # stored, and no bot line after it


async def test_a_queued_customer_may_cancel(bot: BotDriver, application: Application) -> None:
    await application.handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    await chat.transcript("""
        user: cancel
        bot:  [handoff.cancel]
        user: where is my order 4711?
        bot:  ~ PostNord
    """)
    handoff = await application.handoffs.get(number)
    assert handoff is not None and handoff.status == "closed"
    assert not await application.handoffs.take(number, SARA)


async def test_agent_takes_over_replies_and_hands_back(bot: BotDriver, application: Application) -> None:
    handoffs = application.handoffs
    await handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    heard = Heard()
    await heard.listen(application, conversation_topic(chat.ref.key), handoff_topic(number), AGENTS_TOPIC)

    assert await handoffs.take(number, SARA)
    assert not await handoffs.take(number, "someone.else@support.example")  # one agent owns it
    assert heard.on(AGENTS_TOPIC)[-1] == {"type": "taken", "number": number, "agent": SARA}

    joined = heard.on(conversation_topic(chat.ref.key))[0]
    assert (joined["type"], joined["agent"]) == ("joined", "Sara")  # the directory's Sara, first name only
    assert joined["reply"]["text"] == "Sara from support has joined the chat."

    assert (await chat.say("my invoice is wrong")).silent
    assert await handoffs.reply(number, SARA, "Sara Lindqvist", "Hello Anna, I'll look into it.")
    assert not await handoffs.reply(number, "someone.else@support.example", "X", "not mine")
    await handoffs.typing(number, SARA, on=True)
    customer_side = heard.on(conversation_topic(chat.ref.key))[1:]
    assert customer_side[0] == {
        "type": "agent",
        "text": "Hello Anna, I'll look into it.",
        "agent": "Sara",
        "at": customer_side[0]["at"],
    }
    assert customer_side[1] == {"type": "typing", "on": True, "agent": "Sara"}
    assert [(m["role"], m["text"], m.get("agent")) for m in heard.on(handoff_topic(number))] == [
        ("user", "my invoice is wrong", None),
        ("agent", "Hello Anna, I'll look into it.", "Sara Lindqvist"),  # agents see the whole name
    ]

    assert await handoffs.hand_back(number, SARA)
    back = heard.on(conversation_topic(chat.ref.key))[-1]
    assert back["type"] == "bot" and back["event"] == "left"
    # The agent answered the last question: nothing is pending.
    assert back["reply"]["text"] == "Sara has left the chat, and I'm back. What else can I help you with?"
    assert back["reply"]["buttons"] == []
    history = await application.store.history(chat.ref.key)
    assert [(t.role, t.text) for t in history][-4:] == [
        ("bot", "Sara from support has joined the chat."),
        ("user", "my invoice is wrong"),
        ("agent", "Hello Anna, I'll look into it."),
        ("bot", back["reply"]["text"]),
    ]
    await chat.transcript("""
        user: where is my order 4711?
        bot:  ~ PostNord
    """)


async def test_a_question_nobody_answered_is_offered_again(bot: BotDriver, application: Application) -> None:
    """Asked while waiting, never answered: when the bot is back it quotes the question, and its button
    asks it again, which the bot then answers."""
    handoffs = application.handoffs
    await handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    assert (await chat.say("where is my order 4711?")).silent
    assert await handoffs.take(number, SARA)
    assert (await chat.say("hello?")).silent
    assert (await chat.say("where is my order 4711 now?")).silent
    assert await handoffs.hand_back(number, SARA)
    back = (await application.store.history(chat.ref.key))[-1]
    assert back.text == (
        "Sara has left the chat, and I'm back. What else can I help you with?\n"
        "You asked earlier: “where is my order 4711 now?” Shall I answer that now?"
    )
    assert back.payload is not None
    assert back.payload["buttons"] == [{"label": "Yes, answer it", "value": "where is my order 4711 now?"}]
    await chat.transcript("""
        user: [button] where is my order 4711 now?
        bot:  ~ PostNord
    """)


async def test_in_swedish_and_closed_the_agent_is_named_too(bot: BotDriver, application: Application) -> None:
    handoffs = application.handoffs
    await handoffs.agent_online(SARA)
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: jag vill prata med en person
        bot:  [handoff.agent]
        bot:  ~ HO-
    """)
    number = "HO-" + chat.last.text.split("HO-", 1)[1][:6]
    assert await handoffs.take(number, SARA)
    assert await handoffs.reply(number, SARA, "Sara Lindqvist", "Hej Anna!")
    assert await handoffs.close(number, SARA, "Explained")
    lines = [t.text for t in await application.store.history(chat.ref.key) if t.role == "bot"][-2:]
    assert lines == [
        "Sara från supporten har anslutit till chatten.",
        "Sara har avslutat konversationen, och jag är tillbaka. Vad mer kan jag hjälpa dig med?",
    ]


async def test_a_customer_in_another_channel_gets_the_agents_lines_there(
    bot: BotDriver, application: Application
) -> None:
    """Slack and Teams register a delivery with the notifier; the conversations here are channel "test"."""
    delivered: list[tuple[str, str]] = []

    async def deliver(user_id: str, reply: Reply) -> bool:
        delivered.append((user_id, reply.text))
        return True

    application.notifier.add_channel("test", deliver)
    await application.handoffs.agent_online(SARA)
    _, number = await queued(bot)
    assert await application.handoffs.take(number, SARA)
    assert await application.handoffs.reply(number, SARA, "Sara", "Hello from support")
    assert await application.handoffs.hand_back(number, SARA)
    assert delivered == [
        (ANNA, "Sara from support has joined the chat."),
        (ANNA, "Sara: Hello from support"),
        (ANNA, "Sara has left the chat, and I'm back. What else can I help you with?"),
    ]


async def test_close_with_a_resolution(bot: BotDriver, application: Application) -> None:
    await application.handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    assert await application.handoffs.take(number, SARA)
    assert await application.handoffs.close(number, SARA, "Explained the invoice")
    handoff = await application.handoffs.get(number)
    assert (
        handoff is not None and handoff.status == "closed" and handoff.resolution == "Explained the invoice"
    )
    history = await application.store.history(chat.ref.key)
    assert history[-1].role == "bot" and "closed this conversation" in history[-1].text
    assert not await application.handoffs.reply(number, SARA, "Sara", "too late")


async def test_no_agent_online_becomes_a_request(bot: BotDriver, application: Application) -> None:
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: where is my order 4711?
        user: talk to a person
        bot:  [handoff.agent]
        bot:  ~ within one business day
        bot:  ~ request
    """)
    requests = await application.backends.requests.list_requests(
        await application.pipeline.principal(ERIK), limit=5
    )
    assert requests[0].subject == "Chat handoff" and requests[0].category == "other"
    assert "where is my order 4711?" in requests[0].description
    assert requests[0].number in chat.last.text
    assert await application.handoffs.queue() == []


async def test_outside_office_hours_becomes_a_request(bot: BotDriver, application: Application) -> None:
    await application.handoffs.agent_online(SARA)
    application.handoffs.office_hours = OfficeHours.parse("08:00-17:00", days="")
    await bot.as_user(ANNA).transcript("""
        user: talk to a person
        bot:  ~ within one business day
    """)
    assert await application.handoffs.queue() == []


async def test_a_goodbye_in_words_of_talking_leaves_without_a_handoff(
    bot: BotDriver, application: Application
) -> None:
    """ "Nice to speak with you" speaks of talking, to the assistant: a goodbye, not a customer put in the
    queue as they leave, nor (no agent online) a request opened."""
    erik = await application.pipeline.principal(ERIK)
    before = await application.backends.requests.list_requests(erik, limit=50)
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: where is my order 4711?
        user: nice to speak with you
        bot:  [smalltalk.goodbye]
        user: it was good to talk to you today, bye
        bot:  [smalltalk.goodbye]
        user: kul att snacka med dig
        bot:  [smalltalk.goodbye]
        bot:  (sv)
        user: now let me speak to a human
        bot:  [handoff.agent]
    """)
    after = await application.backends.requests.list_requests(erik, limit=50)
    assert [r.subject for r in after if r not in before] == ["Chat handoff"]  # only the one asked for


async def test_a_guest_is_asked_who_they_are_first(bot: BotDriver, application: Application) -> None:
    await application.handoffs.agent_online(SARA)
    await bot.as_guest().transcript("""
        user: talk to a person
        bot:  [handoff.agent]
        bot:  ~ not signed in, what's your name
        bot:  !~ HO-
    """)
    assert await application.handoffs.queue() == []  # the whole guest's way: test_handoff_guests.py


async def test_two_misunderstandings_offer_a_person(bot: BotDriver, application: Application) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: the purple elephant sings at midnight
        bot:  [none]
        bot:  !~ Shall I put you in touch
        user: quantum banana flux capacitor
        bot:  [none]
        bot:  ~ Shall I put you in touch with a person
    """)
    await application.handoffs.agent_online(SARA)
    await chat.transcript("""
        press: Talk to a person
        bot:  ~ HO-
    """)


async def test_an_agent_is_online_while_a_console_is_open(application: Application) -> None:
    handoffs = application.handoffs
    assert await handoffs.agents_online() == 0
    first, second = await handoffs.agent_online(SARA), await handoffs.agent_online(SARA)
    assert await handoffs.agents_online() == 1
    await handoffs.agent_offline(first)
    assert await handoffs.agents_online() == 1
    await handoffs.agent_offline(second)
    assert await handoffs.agents_online() == 0
    # A console whose worker died is not heard from again, and stops counting.
    await handoffs.agent_online(SARA)
    async with application.engine.begin() as conn:
        await conn.execute(
            update(agent_presence).values(seen_at=datetime.now(UTC) - PRESENCE_TTL - timedelta(seconds=1))
        )
    assert await handoffs.agents_online() == 0


async def test_a_restart_loses_nothing(data_dir: Path) -> None:
    settings = make_settings(data_dir, office_hours="")
    app = await build_application(settings)
    try:
        await app.handoffs.agent_online(SARA)
        chat, number = await queued(BotDriver(app))
        await chat.say("are you there?")
        assert await app.handoffs.take(number, SARA)
        assert await app.handoffs.reply(number, SARA, "Sara", "Yes, I am.")
    finally:
        await app.close()

    app = await build_application(settings)
    try:
        handoff = await app.handoffs.get(number)
        assert handoff is not None and handoff.status == "active" and handoff.agent == SARA
        chat.app = app
        assert (await chat.say("great, thanks")).silent  # still the agent's after the restart
        history = await app.store.history(chat.ref.key)
        assert [(t.role, t.text) for t in history][-4:] == [
            ("user", "are you there?"),
            ("bot", "Sara from support has joined the chat."),
            ("agent", "Yes, I am."),
            ("user", "great, thanks"),
        ]
    finally:
        await app.close()


async def test_a_file_for_the_agent_is_judged_by_its_content_too(
    bot: BotDriver, application: Application
) -> None:
    """A web page or a program renamed .pdf never reaches an agent's computer: it is not kept, the
    agents see only that it was refused, and the customer is told; a real PDF goes through."""
    await application.handoffs.agent_online(SARA)
    chat, number = await queued(bot)
    chat.capabilities = frozenset({"forms", "files"})
    assert await application.handoffs.take(number, SARA)
    heard = Heard()
    await heard.listen(application, handoff_topic(number))
    page = b"<!DOCTYPE html><html><body><script>fetch('/agents/api/session')</script></body></html>"
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    files = (
        InboundFile(name="invoice.pdf", content_type="application/pdf", data=page),
        InboundFile(name="tool.pdf", content_type="application/pdf", data=b"MZ\x90\x00" + bytes(60)),
        InboundFile(name="scan.pdf", content_type="application/pdf", data=pdf),
    )
    reply = await chat.say("here are the papers", files=files)
    assert "I couldn't pass invoice.pdf on" in reply.text and "I couldn't pass tool.pdf on" in reply.text
    assert "scan.pdf" not in reply.text
    (line,) = heard.on(handoff_topic(number))
    assert line["text"].startswith("here are the papers")
    sent = {f["name"]: f for f in line["files"]}
    assert "id" not in sent["invoice.pdf"] and sent["invoice.pdf"]["refused"] is True
    assert "id" not in sent["tool.pdf"]
    kept = await application.files.unstash(owner=None, file_id=sent["scan.pdf"]["id"])
    assert kept is not None and kept.data == pdf and kept.content_type == "application/pdf"
    handoff = await application.handoffs.get(number)
    assert handoff is not None and handoff.open, "the agent still has the conversation"


async def test_asking_for_a_person_while_a_question_waits_is_heard(
    bot: BotDriver, application: Application
) -> None:
    """ "Which order do you mean?" waits, and the customer has had enough: a person asked for is a
    request of its own, whatever else the message says, never a failed answer."""
    await application.handoffs.agent_online(SARA)
    await bot.as_user(ANNA).transcript("""
        user: can u order lunch for the team
        bot:  ~ Which order do you mean
        user: ugh just connect me to someone
        bot:  [handoff.agent]
        bot:  ~ number 1 in the queue
        bot:  !~ couldn't take
    """)


async def test_a_complaint_is_apologised_for_and_a_person_or_a_request_offered(bot: BotDriver) -> None:
    """ "This is not acceptable, we needed it last week" after an order is no look-up of last week's orders
    and no "I didn't understand": the bot apologises and offers a person and, to a user who may open
    requests, a request; "open a request about it" then opens one (it listed the open requests)."""
    await bot.as_user(ANNA).transcript("""
        user: where is order 4712?
        bot:  [order.status]
        user: this is not acceptable, we needed it last week
        bot:  [none]
        bot:  ~ sorry
        bot:  ~ Talk to a person
        bot:  ~ Open a request
        bot:  !~ not sure I understood
        user: open a request about it
        bot:  [request.open]
        bot:  !~ Your open requests
    """)
    await bot.as_user(ERIK).transcript("""
        user: var är order 4712?
        bot:  [order.status]
        user: det här är helt orimligt, jag är väldigt besviken
        bot:  [none]
        bot:  ~ beklagar
        bot:  ~ Prata med en person
        bot:  (sv)
    """)


async def test_a_complaint_that_asks_for_a_person_reaches_one(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: this bot is useless, human pls
        bot:  [handoff.agent]
    """)
