"""A customer tells what is broken rather than asking for a request: "my printer is broken", "servern
startar inte", "server 78ABC12 keeps rebooting". The bot takes it as the fault report it is: a
technical request with the report as its subject, or a request about the machine it names, in the
customer's language. Words of another world ("my car won't start") and words that only look alike
("our balance is down") are answered as before. Played through the real pipeline.
"""

from __future__ import annotations

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from supportbot.integrations.models import SupportRequest
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


async def _latest(application: Application, user: str) -> SupportRequest | None:
    principal = await application.pipeline.principal(user)
    found = await application.backends.requests.list_requests(principal, limit=1)
    return found[0] if found else None


async def test_a_fault_told_opens_a_technical_request_with_it_as_the_subject(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: my printer is broken
        bot:  [request.open]
        bot:  (en)
        bot:  ~ sorry to hear that
        bot:  ~ describe the problem
        user: It stopped printing this morning, error E-42 on its display.
        bot:  ~ How urgent
        press: High
        bot:  ~ Open this request?
        bot:  ~ Technical
        bot:  ~ My printer is broken
        press: Open
        bot:  [request.open]
        bot:  ~ I've opened request RQ-
    """)
    opened = await _latest(application, ERIK)
    assert opened is not None
    assert (opened.subject, opened.category, opened.priority) == ("My printer is broken", "technical", "high")
    assert "error E-42" in opened.description


async def test_a_fault_told_in_swedish_is_asked_about_in_swedish(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: skärmen i receptionen flimrar
        bot:  [request.open]
        bot:  (sv)
        bot:  ~ Tråkigt att höra
        bot:  ~ beskriv problemet
        user: Den flimrar sedan i går, vi har startat om den.
        bot:  ~ Hur brådskande
        press: Normal
        bot:  ~ Teknisk
        bot:  ~ Skärmen i receptionen flimrar
        press: Öppna
        bot:  ~ Jag har öppnat ärende RQ-
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None and opened.category == "technical"
    assert opened.subject == "Skärmen i receptionen flimrar"


async def test_a_fault_of_no_machine_in_particular_asks_for_the_details(bot: BotDriver) -> None:
    """Read as a question about the installed equipment, but naming no machine: the request's questions,
    not a request about "our installed equipment" opened from four words."""
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: servern startar inte
        bot:  [request.open]
        bot:  (sv)
        bot:  ~ beskriv problemet
    """)


async def test_a_fault_of_a_named_machine_is_a_request_about_that_machine(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    """Opened at once, technical, with the machine in its subject and the report as its text, even when
    the report also says where the machine stands (not a question the data answers)."""
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: server 78ABC12 keeps rebooting
        bot:  [request.open]
        bot:  (en)
        bot:  ~ sorry to hear that
        bot:  ~ I've opened request RQ-
        bot:  ~ the fault on IBM Power S1022 (78ABC12)
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None and opened.category == "technical"
    assert opened.subject == "Fault on IBM Power S1022 (78ABC12) at Kista"
    assert opened.description == "server 78ABC12 keeps rebooting"
    (mail,) = [
        m.read_text() for m in (settings.data_dir / "outbox").glob("*.eml") if opened.number in m.read_text()
    ]
    assert "report of a fault on IBM Power S1022 (78ABC12)" in mail
    again = await chat.say("servern 78ABC12 som är installerad i Kista har gått sönder")
    assert again.language == "sv" and "om felet på IBM Power S1022 (78ABC12)" in again.text, again.text


async def test_it_after_a_machine_was_shown_is_that_machine(bot: BotDriver, application: Application) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: show 78XYZ34
        bot:  [inventory.show]
        user: it keeps crashing
        bot:  [request.open]
        bot:  ~ IBM FlashSystem 5200 (78XYZ34)
        bot:  ~ RQ-
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None and "78XYZ34" in opened.subject


async def test_a_fault_of_another_companys_machine_is_answered_as_an_unknown_one(bot: BotDriver) -> None:
    chat = bot.as_user(MAX)
    theirs = await chat.say("server 78ABC12 keeps rebooting")
    unknown = await chat.say("server 78ZZZ99 keeps rebooting")
    assert "RQ-" not in theirs.text and "IBM Power" not in theirs.plain_text()
    assert theirs.text.replace("78ABC12", "#") == unknown.text.replace("78ZZZ99", "#")


async def test_a_fault_while_the_request_asks_what_it_is_about_is_a_technical_one(bot: BotDriver) -> None:
    """A fault to report is a technical request without asking; the report is kept as the subject."""
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: I want to report a fault
        bot:  ~ What's the subject
        user: the printer in Kista is broken
        bot:  ~ describe the problem
        user: Paper jams on every page.
        bot:  ~ How urgent
        press: Normal
        bot:  ~ Technical
        bot:  ~ the printer in Kista is broken
    """)


async def test_what_only_looks_like_a_fault_is_answered_as_before(
    bot: BotDriver, application: Application
) -> None:
    principal = await application.pipeline.principal(ANNA)
    before = await application.backends.requests.list_requests(principal, limit=50)
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: my car won't start
        bot:  [none]
        user: our balance is down
        bot:  [statement.show]
        user: my login doesn't work
        bot:  [account.login]
    """)
    assert await application.backends.requests.list_requests(principal, limit=50) == before  # none opened


async def test_an_error_or_a_problem_of_a_machine_is_a_fault_and_of_an_invoice_a_question(
    bot: BotDriver,
) -> None:
    """ "An error" or "a problem" said of a machine is a fault told ("there is an error on the server",
    "det är något fel på servern"), however the words for what is wrong lean; said of an invoice or a
    payment it stays the invoice's question."""
    for said, sorry, language in (
        ("there is an error on the server", "sorry to hear that", "en"),
        ("det är något fel på servern", "Tråkigt att höra", "sv"),
        ("vi har problem med skrivaren", "Tråkigt att höra", "sv"),
    ):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "request.open" and reply.language == language, (said, reply.plain_text())
        assert sorry in reply.text, (said, reply.text)
    invoice = await bot.as_user(ANNA).say("there is an error on my invoice")
    assert invoice.intent == "invoice.question" and "sorry" not in invoice.text, invoice.plain_text()
    paying = await bot.as_user(ANNA).say("betalningen av INV-2031 fungerar inte")
    assert paying.intent == "invoice.question" and "Ska jag skicka den?" in paying.text, paying.plain_text()


async def test_a_request_asked_for_with_the_fault_told_opens_with_it(
    bot: BotDriver, application: Application
) -> None:
    """ "Open a ticket pls: 78XYZ34 … throws disk errors" tells all a request needs: it is not asked
    for again piece by piece."""
    await bot.as_user(ANNA).transcript("""
        user: open a ticket pls: 78XYZ34 in göteborg throws disk errors since yesterday
        bot:  ~ I've opened request RQ-
        bot:  ~ the fault on IBM FlashSystem 5200 (78XYZ34)
        bot:  !~ What is it about
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None and opened.category == "technical"
    assert "throws disk errors" in opened.description


async def test_a_fault_told_in_full_is_its_own_description(bot: BotDriver, application: Application) -> None:
    """What happened, where and since when, told at once, is not asked for again: the report is the
    description, its first clause the subject, and the bot goes on to how urgent it is."""
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: Hi team, our storage array in Kista has been beeping since this morning and one disk shows an amber light, I'd like to report this
        bot:  [request.open]
        bot:  (en)
        bot:  ~ sorry to hear that
        bot:  ~ How urgent
        bot:  !~ describe the problem
        press: High
        bot:  ~ Open this request?
        press: Open
        bot:  ~ I've opened request RQ-
        bot:  ~ Our storage array in Kista has been beeping since this morning.
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None
    assert opened.subject == "Our storage array in Kista has been beeping since this morning"
    assert "one disk shows an amber light" in opened.description
    assert (opened.category, opened.priority) == ("technical", "high")


async def test_a_long_swedish_fault_report_is_kept_whole_and_headed_in_few_words(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: servern i Kista har startat om sig hela tiden sedan uppdateringen i går kväll, vi har provat att dra ur strömmen
        bot:  [request.open]
        bot:  (sv)
        bot:  ~ Tråkigt att höra
        bot:  ~ Hur brådskande
        user: normal
        bot:  ~ Ska jag öppna det här ärendet?
        user: ja
        bot:  ~ Jag har öppnat ärende RQ-
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None
    assert opened.subject == "Servern i Kista har startat om sig hela tiden sedan uppdateringen i går kväll"
    assert opened.description.endswith("vi har provat att dra ur strömmen")


async def test_several_answers_in_one_message_fill_the_questions_still_to_come(
    bot: BotDriver, application: Application
) -> None:
    """ "technical, prio normal" to "What is it about?": the category and the priority, not asked again."""
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: open a request
        bot:  ~ What is it about?
        user: technical, prio high
        bot:  ~ What's the subject
        user: Fan noise
        bot:  ~ describe the problem
        user: The fan of the server in Kista is very loud since Monday.
        bot:  ~ Open this request?
        bot:  !~ How urgent
        press: Open
        bot:  ~ I've opened request RQ-
    """)
    opened = await _latest(application, ERIK)
    assert opened is not None
    assert (opened.category, opened.priority, opened.subject) == ("technical", "high", "Fan noise")


async def test_answers_that_do_not_all_fit_are_not_taken_in_part(bot: BotDriver) -> None:
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: öppna ett ärende
        bot:  ~ Vad gäller det?
        user: teknisk fråga, hög prio
        bot:  ~ Vad är rubriken
        user: avbryt
        user: open a request
        bot:  ~ What is it about?
        user: technical, and quickly please
        bot:  ~ What is it about?
        bot:  !~ subject
    """)


async def test_a_category_said_first_with_more_after_it_answers_and_keeps_the_rest(
    bot: BotDriver, application: Application
) -> None:
    """ "Det är tekniskt, fläkten i Power S1022 78ABC12 låter väldigt mycket" to "Vad gäller det?": the
    category, and the rest kept for the subject; the category is not asked again."""
    await bot.as_user(ANNA).transcript("""
        user: jag vill öppna ett ärende
        bot:  ~ Vad gäller det?
        user: det är tekniskt, fläkten i Power S1022 78ABC12 låter väldigt mycket
        bot:  [request.open]
        bot:  ~ Beskriv problemet
        bot:  !~ Vad gäller det?
        user: den låter som en dammsugare sedan i morse, vi har inte provat något än
        bot:  ~ Hur brådskande
        user: normal
        user: ja
        bot:  ~ RQ-
    """)
    opened = await _latest(application, ANNA)
    assert opened is not None
    assert opened.category == "technical" and "fläkten" in opened.subject


async def test_a_fault_typed_without_swedish_letters_is_reported_and_a_status_asked_meanwhile(
    bot: BotDriver,
) -> None:
    """Typed on a keyboard without å, ä and ö, a fault on a named machine is reported as when written out;
    "status pa mitt arende?" to the request's free-text question shows the requests, not a subject."""
    await bot.as_user(ANNA).transcript("""
        user: flakten i servern 78ABC12 later jattemycket, vill gora en felanmalan
        bot:  ~ RQ-
        bot:  ~ 78ABC12
        user: jag vill öppna ett ärende
        user: det gäller fakturan
        bot:  [request.open]
        user: status pa mitt arende?
        bot:  [request.status]
        bot:  ~ RQ-
    """)


async def test_a_warning_a_machine_shows_is_a_fault(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: Hello - the FlashSystem in Göteborg is showing a disk warning. Can you help?
        bot:  [request.open]
        bot:  ~ sorry to hear that
    """)
    await bot.as_user(ANNA).transcript("""
        user: FlashSystem i Göteborg visar en diskvarning
        bot:  [request.open]
        bot:  (sv)
    """)
