"""Asked whether it is a person or a program, the assistant says it is the automated assistant, with
what it can do and a person offered, in the language asked in: nobody is queued and no request is
opened for the question (out of office hours a handoff becomes a request), while asking for a person
afterwards still reaches one. Played through the real pipeline."""

from __future__ import annotations

import pytest

from supportbot.bot.nlu.lexicon import asks_if_a_bot
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"


async def test_am_i_talking_to_a_person_is_answered_not_queued(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: am I speaking with a real person?
        bot:  [smalltalk.help]
        bot:  (en)
        bot:  ~ automated assistant, not a person
        bot:  ~ Here's what I can do
        bot:  !~ RQ-
        bot:  !~ queue
        user: är du en robot?
        bot:  [smalltalk.help]
        bot:  (sv)
        bot:  ~ automatiska assistent, inte en person
        bot:  !~ RQ-
        press: Prata med en person
        bot:  [handoff.agent]
        bot:  !~ automatiska assistent
    """)


async def test_asking_for_a_person_after_it_reaches_one(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: are you a bot?
        bot:  [smalltalk.help]
        user: ok, then I want a real person
        bot:  [handoff.agent]
    """)


async def test_a_guest_asking_gets_the_same_answer(bot: BotDriver) -> None:
    chat = bot.as_guest()
    await chat.transcript("""
        user: is this a bot or a human?
        bot:  [smalltalk.help]
        bot:  ~ automated assistant
        bot:  ~ As a guest
    """)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("am i speaking with ai or a real, live person", True),
        ("can you tell me if you are a real live person", True),
        ("are you human?", True),
        ("r u real", True),
        ("hej, är det här en bot?", True),
        ("pratar jag med en riktig människa?", True),
        # Asking for a person, or about something else, is not the question.
        ("is there a real person I can talk to", False),
        ("are you a person? I want to talk to one", False),
        ("I want a real person", False),
        ("is this real?", False),
    ],
)
def test_what_asks_if_it_is_a_bot(text: str, asks: bool) -> None:
    assert asks_if_a_bot(text) is asks
