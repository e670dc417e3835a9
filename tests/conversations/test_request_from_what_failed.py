"""Where the bot could not help and offers a request, the request form starts with what the customer
asked: its category from what it was about, their last message as the subject and their words as the
description, to check and send. A turn the bot did answer in between starts the form afresh.

Played through the real pipeline in a channel that shows forms (the web chat, Slack, Teams).
"""

from __future__ import annotations

from supportbot.adapters.app import Application
from supportbot.bot.messages import Form, Reply
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"


def _chat(bot: BotDriver, user: str) -> Conversation:
    chat = bot.as_user(user)
    chat.capabilities = frozenset({"forms", "files"})
    return chat


def _values(reply: Reply) -> dict[str, str]:
    form = reply.form
    assert isinstance(form, Form), reply.plain_text()
    return {f.name: f.value for f in form.fields if f.kind != "info"}


async def test_after_two_misses_the_request_starts_with_the_customers_words(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ANNA)
    await chat.transcript("""
        user: the purple elephant sings at midnight
        bot:  [none]
        user: quantum banana flux capacitor
        bot:  [none]
        bot:  ~ open a support request with what you asked
    """)
    form = await chat.press("Open a request")
    assert form.intent == "request.open" and "started with what you asked me" in form.text
    values = _values(form)
    assert values["subject"] == "quantum banana flux capacitor"
    assert values["description"] == "the purple elephant sings at midnight\n\nquantum banana flux capacitor"
    assert values["category"] == ""  # not understood: the customer chooses
    opened = await chat.submit(category="technical")
    assert opened.intent == "request.open" and "RQ-" in opened.text
    principal = await application.pipeline.principal(ANNA)
    (latest, *_) = await application.backends.requests.list_requests(principal, limit=1)
    assert latest.subject == "quantum banana flux capacitor"
    assert "the purple elephant sings at midnight" in latest.description


async def test_a_user_without_requests_is_offered_a_person_only(bot: BotDriver) -> None:
    guest = bot.as_guest()
    await guest.say("the purple elephant sings at midnight")
    second = await guest.say("quantum banana flux capacitor")
    assert [b.label for b in second.buttons] == ["Talk to a person"]


async def test_a_sign_in_problem_becomes_an_access_request_in_swedish(bot: BotDriver) -> None:
    chat = _chat(bot, ANNA)
    await chat.transcript("""
        user: mitt konto är låst, jag kan inte logga in
        bot:  [account.login]
        bot:  (sv)
    """)
    form = await chat.press("Öppna ett ärende")
    assert form.language == "sv" and "påbörjat med det du frågade mig" in form.text
    values = _values(form)
    assert values["category"] == "access"
    assert values["subject"] == "mitt konto är låst, jag kan inte logga in"
    assert values["description"] == "mitt konto är låst, jag kan inte logga in"


async def test_an_answered_turn_in_between_starts_the_form_afresh(bot: BotDriver) -> None:
    chat = _chat(bot, ANNA)
    await chat.transcript("""
        user: the purple elephant sings at midnight
        bot:  [none]
        user: where is my order 4711?
        bot:  [order.status]
        user: open a request
        bot:  [request.open]
        bot:  !~ started with what you asked
    """)
    values = _values(chat.last)
    assert values["subject"] == "" and values["description"] == ""
