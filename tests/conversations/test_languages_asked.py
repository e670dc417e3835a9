"""Asked which languages it speaks, the assistant says so (English and Swedish) with what it can do,
in the language asked in: no person is called and no request opened for it, while asking to speak to
a person still reaches one. Played through the real pipeline."""

from __future__ import annotations

from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"


async def test_which_languages_is_answered_not_handed_over(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: can you speak german?
        bot:  [smalltalk.help]
        bot:  (en)
        bot:  ~ I speak English and Swedish
        bot:  ~ Here's what I can do
        bot:  !~ RQ-
        user: vilka språk kan du?
        bot:  [smalltalk.help]
        bot:  (sv)
        bot:  ~ Jag talar svenska och engelska
        bot:  !~ RQ-
        user: what can you do
        bot:  [smalltalk.help]
        bot:  !~ I speak English
        user: I want to speak to a person
        bot:  [handoff.agent]
    """)
