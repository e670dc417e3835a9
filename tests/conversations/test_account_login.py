"""account.login: help with signing in, for guests and signed-in users, in English and Swedish."""

from __future__ import annotations

import pytest

from supportbot.bot.i18n import translate
from supportbot.intents.account import login_topic
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"


async def test_a_guest_asks_how_to_sign_in(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: how do I sign in?
        bot:  [account.login]
        bot:  ~ "Sign in" at the top of the chat
        bot:  ~ your e-mail address
        bot:  ~ Create an account
        bot:  (en)
    """)


async def test_a_guest_asks_how_to_sign_in_in_swedish(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: hur loggar jag in?
        bot:  [account.login]
        bot:  ~ "Logga in" högst upp i chatten
        bot:  ~ Skapa ett konto
        bot:  (sv)
    """)


async def test_a_signed_in_user_is_told_who_they_are(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript(f"""
        user: how do I sign in?
        bot:  ~ You're signed in as {ANNA}
    """)


async def test_a_forgotten_password_points_to_the_reset(bot: BotDriver) -> None:
    conversation = bot.as_guest()
    await conversation.transcript("""
        user: I forgot my password
        bot:  [account.login]
        bot:  ~ "Forgot your password?"
        bot:  ~ a link for choosing a new password
        bot:  ~ 30 minutes
        bot:  !~ no self-service
        bot:  ~ Talk to a person
        bot:  !~ Open a request
        user: the password reset link has expired
        bot:  ~ ask for a new one
    """)


async def test_a_signed_in_user_with_requests_may_also_open_one(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: I forgot my password
        bot:  ~ "Forgot your password?"
        bot:  ~ Open a request
        bot:  ~ Talk to a person
    """)


async def test_a_forgotten_password_in_swedish(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: jag har glömt mitt lösenord
        bot:  [account.login]
        bot:  ~ "Glömt lösenordet?"
        bot:  ~ en länk där du väljer ett nytt lösenord
        bot:  !~ ingen självbetjäning
        bot:  ~ Prata med en person
        bot:  (sv)
    """)


async def test_slack_and_teams_users_are_recognised_by_e_mail(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: how do I sign in from Teams
        bot:  ~ e-mail address of your Slack or Teams account
        user: hur loggar jag in från Teams
        bot:  ~ känner jag igen dig på e-postadressen
        bot:  (sv)
    """)


async def test_locked_out(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: my account is locked
        bot:  ~ 15 minutes
        bot:  ~ "Forgot your password?"
        user: mitt konto är låst
        bot:  ~ 15 minuter
        bot:  ~ "Glömt lösenordet?"
    """)


async def test_registration_trouble(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: I can't register
        bot:  [account.login]
        bot:  ~ customer number
        bot:  ~ at least 10 characters
        user: the verification email never came
        bot:  ~ spam folder
        user: how do I log out
        bot:  ~ "Sign out"
    """)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("how do I sign in?", "how"),
        ("I forgot my username", "username"),
        ("the password reset link has expired", "password"),
        ("the registration link doesn't work", "confirmation"),
        ("unlock my account", "locked"),
        ("reset my PIN", "password"),
        ("hur loggar jag ut", "logout"),
        ("jag kan inte registrera mig", "register"),
        ("how do I sign in from Slack", "channels"),
    ],
)
def test_the_topic_of_a_sign_in_question(text: str, topic: str) -> None:
    assert login_topic(text) == topic


@pytest.mark.parametrize(
    ("text", "language"), [("how do I create an account?", "en"), ("hur skapar jag ett konto?", "sv")]
)
async def test_creating_an_account_is_answered_with_how_to_register(
    bot: BotDriver, text: str, language: str
) -> None:
    reply = await bot.as_guest().say(text)
    assert reply.intent == "account.access"
    assert reply.text == translate("account.login.register", language), reply.text
