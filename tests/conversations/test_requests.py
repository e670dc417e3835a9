"""My requests as transcripts: opening one by conversation (profile pre-filled, confirmation, tracking
number, mail), status of one with its dated history and of all mine, comments, and an agent's answer
reaching the customer — in English and Swedish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.settings import Settings
from supportbot.integrations.errors import AccessDenied, MailUnavailable
from supportbot.integrations.models import Principal, RequestStatus
from supportbot.services.answers import notify_answer
from tests.conftest import BotDriver, Conversation, Inbox, make_settings
from tests.conversations.test_access import body, mails_to, notices

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


def _outbox(settings: Settings) -> list[str]:
    return [p.read_text(errors="replace") for p in sorted((settings.data_dir / "outbox").glob("*.eml"))]


async def test_open_a_request_by_conversation(bot: BotDriver, settings: Settings) -> None:
    chat = bot.as_user(ERIK)
    await chat.transcript("""
        user: I'd like to open a support request
        bot:  [request.open]
        bot:  ~ What is it about?
        bot:  ~ [Technical]
        press: Technical
        bot:  ~ subject
        user: Power server in Kista does not boot
        bot:  ~ describe the problem
        user: Since this morning the server stops with error B2001234 after power-on.
        bot:  ~ How urgent
        bot:  ~ [Normal]
        press: High
        bot:  ~ Open this request?
        bot:  ~ Erik Lund
        bot:  ~ Nordisk Verkstad AB
        bot:  ~ 1000123
        bot:  ~ erik.lund@nordisk.example
        bot:  ~ Power server in Kista does not boot
        bot:  ~ [Open]
        bot:  ~ [Cancel]
        press: Open
        bot:  [request.open]
        bot:  ~ I've opened request RQ-
        bot:  ~ will answer by
        bot:  ~ sent a confirmation to erik.lund@nordisk.example
    """)
    number = next(w.rstrip(":") for w in chat.last.text.split() if w.startswith("RQ-"))
    (mail,) = [m for m in _outbox(settings) if number in m]
    assert "erik.lund@nordisk.example" in mail
    assert f"http://127.0.0.1:8080/?ask=status+of+{number}" in mail
    await chat.transcript(f"""
        user: status of {number}
        bot:  [request.status]
        bot:  ~ Request {number}
        bot:  ~ open
        bot:  ~ opened
        bot:  ~ Since this morning the server stops
    """)


async def test_cancel_at_the_confirmation_opens_nothing(bot: BotDriver, application: Application) -> None:
    async with application.engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one()
    await bot.as_user(ANNA).transcript("""
        user: open a ticket
        user: other
        user: A question about training
        user: Do you offer courses for the FlashSystem?
        user: normal
        bot:  ~ Open this request?
        press: Cancel
        bot:  [dialog.cancel]
    """)
    async with application.engine.connect() as conn:
        after = (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one()
    assert after == before


async def test_open_a_request_in_swedish(bot: BotDriver, settings: Settings) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: jag vill öppna ett supportärende
        bot:  (sv)
        bot:  ~ Vad gäller det?
        press: Faktura
        bot:  ~ rubriken
        user: Fel fakturaadress på våra fakturor
        bot:  ~ Beskriv problemet
        user: Fakturorna skickas fortfarande till vår gamla adress i Solna.
        bot:  ~ Hur brådskande
        press: Normal
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Anna Berg
        bot:  ~ Kundnummer
        press: Öppna
        bot:  ~ Jag har öppnat ärende RQ-
        bot:  ~ Vi svarar senast
    """)
    assert any("Ditt ärende RQ-" in m or "Fel fakturaadress" in m for m in _outbox(settings))


async def test_status_of_one_request_shows_its_dated_history(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: what's the status of my request RQ-2026-000001
        bot:  [request.status]
        bot:  ~ Request RQ-2026-000001 (Move IBM FlashSystem 5200
        bot:  ~ in progress
        bot:  ~ When | What | Who | Text
        bot:  ~ opened | Anna Berg | We are consolidating storage
        bot:  ~ status | Sara Lindqvist | In progress: our logistics team
        bot:  ~ [Add a comment]
        user: visa historiken för ärende RQ-2026-000001
        bot:  (sv)
        bot:  ~ Ärende RQ-2026-000001
        bot:  ~ under arbete
        bot:  ~ När | Vad | Vem | Text
    """)


async def test_my_requests_and_my_open_requests(bot: BotDriver, application: Application) -> None:
    # Erik sees his own; Anna, the company's administrator, sees all of Nordisk's; nobody sees Contoso's.
    await bot.as_user(ERIK).transcript("""
        user: my requests
        bot:  [request.status]
        bot:  ~ You have 1 request:
        bot:  ~ Can order 4712 be delivered earlier?
        bot:  !~ FlashSystem
        bot:  !~ INV-3050
    """)
    await bot.as_user(ANNA).transcript("""
        user: show my open requests
        bot:  ~ Your open requests (2)
        bot:  ~ FlashSystem
        bot:  ~ order 4712
        bot:  !~ INV-3050
        user: the first one
        bot:  [request.status]
        bot:  ~ Request RQ-2026-000002
        user: visa mina stängda ärenden
        bot:  = Du har inga stängda ärenden.
    """)
    await bot.as_user(MAX).transcript("""
        user: which of my cases are still open
        bot:  = You have no open requests.
        user: my answered requests
        bot:  ~ You have 1 answered request:
        user: list all my requests
        bot:  ~ Question about invoice INV-3050
        bot:  ~ answered
    """)


async def test_another_users_request_looks_like_a_missing_one(bot: BotDriver) -> None:
    erik = bot.as_user(ERIK)
    foreign = await erik.say("status of RQ-2026-000001")  # Anna's: Erik is no administrator
    missing = await erik.say("status of RQ-2026-999999")
    assert foreign.text.replace("RQ-2026-000001", "#") == missing.text.replace("RQ-2026-999999", "#")
    assert "can't find" in foreign.text and "FlashSystem" not in foreign.plain_text()


async def test_add_a_comment_to_a_request(bot: BotDriver, application: Application) -> None:
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: add a comment to RQ-2026-000002
        bot:  [request.comment]
        bot:  ~ What should I add to request RQ-2026-000002?
        user: We could also accept a partial delivery.
        bot:  ~ added your comment to request RQ-2026-000002
        user: status of RQ-2026-000002
        bot:  ~ comment | Erik Lund | We could also accept a partial delivery.
        user: lägg till i ärendet: felet kom tillbaka i morse
        bot:  (sv)
        bot:  ~ lagt till din kommentar i ärende RQ-2026-000002
        user: add a comment to RQ-2026-000001
        bot:  ~ can't find request RQ-2026-000001
    """)


async def test_comment_without_a_number_offers_my_open_requests(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: I have more information for my case
        bot:  ~ Which request?
        press: RQ-2026-000002
        bot:  ~ What should I add to request RQ-2026-000002?
        user: The project start moved to next month.
        bot:  ~ added your comment
    """)


async def test_a_confirmation_that_cannot_be_queued_opens_nothing(
    bot: BotDriver, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request and its confirmation are one action: no request without its mail."""

    async def down(*_: Any, **__: Any) -> list[int]:
        raise MailUnavailable("the outbox refused it")

    assert application.outbox is not None
    monkeypatch.setattr(application.outbox, "queue_in", down)
    await bot.as_user(MAX).transcript("""
        user: open a ticket
        press: Contract
        user: Renewal of C-2001
        user: Please send us an offer for another year.
        press: Low
        bot:  ~ Contoso GmbH
        bot:  ~ 2000456
        press: Open
        bot:  [request.open]
        bot:  ~ couldn't open your request just now, so nothing was saved
    """)
    mine = await application.backends.requests.list_requests(await _principal(application, MAX))
    assert "Renewal of C-2001" not in [r.subject for r in mine]


async def test_a_guest_cannot_open_a_request(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: open a ticket
        bot:  ~ sign in
    """)


async def test_an_agents_answer_reaches_the_customer_in_chat_and_by_mail(
    application: Application, settings: Settings
) -> None:
    agent = await _principal(application, "sara@support.example")
    answered = await notify_answer(
        application,
        agent=agent,
        request_number="RQ-2026-000003",
        text="We have corrected the invoice.",
        public_url=settings.public_url,
    )
    assert answered is not None and answered.status is RequestStatus.ANSWERED
    assert answered.history[-1].kind == "answer" and answered.history[-1].author == "Sara Lindqvist"
    [notice] = await notices(application, MAX)
    assert notice.language == "en"
    assert "Sara Lindqvist has answered your request RQ-2026-000003" in notice.text
    assert "We have corrected the invoice." in notice.text
    [mail] = mails_to(application, MAX)
    assert "RQ-2026-000003" in mail["Subject"]
    assert "http://127.0.0.1:8080/?ask=status+of+RQ-2026-000003" in body(mail)
    # a customer is no agent; an unknown number is None
    with pytest.raises(AccessDenied):
        await notify_answer(
            application,
            agent=await _principal(application, ERIK),
            request_number="RQ-2026-000002",
            text="x",
            public_url=settings.public_url,
        )
    assert (
        await notify_answer(
            application,
            agent=agent,
            request_number="RQ-2026-999999",
            text="x",
            public_url=settings.public_url,
        )
        is None
    )


async def test_the_answer_is_in_swedish_for_a_swedish_company(
    application: Application, settings: Settings
) -> None:
    agent = await _principal(application, "sara@support.example")
    await notify_answer(
        application,
        agent=agent,
        request_number="RQ-2026-000001",
        text="Flytten sker på tisdag.",
        public_url="http://x",
    )
    [notice] = await notices(application, ANNA)
    assert notice.language == "sv" and "har svarat på ditt ärende RQ-2026-000001" in notice.text


async def _principal(application: Application, user_id: str) -> Principal:
    principal = await application.backends.directory.principal_for(user_id)
    assert principal is not None
    return principal


async def test_the_confirmation_is_mailed_over_smtp(data_dir: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        chat = Conversation(app, ERIK)
        for step in (
            "open a ticket",
            "technical",
            "Disk warning",
            "Disk 3 shows a predictive failure.",
            "urgent",
        ):
            await chat.say(step)
        reply = await chat.press("Open")
    finally:
        await app.close()
    assert "I've opened request RQ-" in reply.text, reply.text
    number = next(w.rstrip(":") for w in reply.text.split() if w.startswith("RQ-"))
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [ERIK]
    (mail,) = inbox.messages()
    assert number in mail["Subject"]
    text_part = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert isinstance(text_part, bytes)
    content = text_part.decode()
    assert f"Tracking number: {number}" in content and "Priority: urgent" in content
    assert f"http://127.0.0.1:8080/?ask=status+of+{number}" in content
    assert not list((data_dir / "outbox").glob("*.eml"))


async def test_the_form_renders_in_every_channel(bot: BotDriver) -> None:
    """The confirmation is one channel-neutral reply: each channel shows the profile and both buttons."""
    from supportbot.adapters.console import render_text
    from supportbot.adapters.slack.render import button_values, to_blocks
    from supportbot.adapters.teams.activity import adaptive_card
    from supportbot.adapters.webchat.protocol import reply_json

    chat = bot.as_user(ANNA)
    for step in (
        "open a ticket",
        "access",
        "Access for a new colleague",
        "Please add Lisa to the portal.",
        "low",
    ):
        await chat.say(step)
    form = chat.last
    assert form.intent == "request.open" and "Open this request?" in form.text
    assert button_values(to_blocks(form)) == ["open", "cancel"]
    card = str(adaptive_card(form))
    assert "Nordisk Verkstad AB" in card and "'open'" in card and "'cancel'" in card
    web = reply_json(form)
    assert [b["value"] for b in web["cards"][0]["buttons"]] == ["open", "cancel"]
    console = render_text(form)
    assert "Anna Berg" in console and "1) Open" in console and "2) Cancel" in console


async def test_asked_to_attach_a_file_the_bot_says_it_takes_text(bot: BotDriver) -> None:
    # The console cannot send files; channels that can are in test_request_forms_files.py.
    await bot.as_user(ERIK).transcript("""
        user: attach a screenshot to RQ-2026-000002
        bot:  [request.comment]
        bot:  ~ can't take files in this chat, but
        user: The screen shows error B2001234.
        bot:  ~ added your comment to request RQ-2026-000002
        user: bifoga en loggfil till RQ-2026-000002
        bot:  ~ kan inte ta emot filer
    """)


async def test_asking_whether_anyone_looked_at_a_request_is_its_status(bot: BotDriver) -> None:
    """ "Did anyone look at the request I opened last week?" asks after it; nothing is added to it."""
    await bot.as_user(ANNA).transcript("""
        user: did anyone look at the request I opened last week?
        bot:  [request.status]
        user: Jag öppnade ett ärende förra veckan men har inte hört något. Har någon tittat på det?
        bot:  [request.status]
        bot:  (sv)
        user: jag öppnade ett ärende om en sen leverans igår, hur går det med det?
        bot:  [request.status]
        bot:  !~ Vad gäller det
        user: I opened a ticket yesterday about a late delivery, any update?
        bot:  [request.status]
    """)


async def test_a_short_question_while_the_description_is_asked_is_answered(bot: BotDriver) -> None:
    """ "Status på ärendet?" to "Describe the problem" asks the bot something: answered, with the
    request offered back; it is no description."""
    await bot.as_user(ERIK).transcript("""
        user: skapa ett ärende om förseningen
        bot:  [request.open]
        user: order
        user: 4712 är försenad, vi behöver nytt lev.datum
        bot:  ~ Beskriv problemet
        user: status på ärendet?
        bot:  [request.status]
        bot:  ~ Ska vi göra klart det du bad om?
    """)


async def test_a_priority_typed_to_the_description_is_the_priority(
    bot: BotDriver, application: Application
) -> None:
    """ "Hög prio" to "Describe the problem" answers the priority asked later, not the description: the
    description is asked again, and the request is opened with both as told."""
    await bot.as_user(ERIK).transcript("""
        user: skapa ett ärende om förseningen
        user: order
        user: 4712 är försenad
        bot:  ~ Beskriv problemet
        user: hög prio
        bot:  ~ Beskriv problemet
        user: vi behöver ett nytt leveransdatum före jul
        bot:  ~ öppna
        bot:  !~ Hur brådskande
        user: ja
        bot:  ~ RQ-
    """)
    principal = await application.pipeline.principal(ERIK)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert (opened.priority, opened.description) == ("high", "vi behöver ett nytt leveransdatum före jul")


async def test_a_request_asked_for_with_its_category_priority_and_subject_asks_only_the_rest(
    bot: BotDriver, application: Application
) -> None:
    """ "Please open a high priority technical request: …" is a request whatever its words are about
    (equipment here), and what it says is not asked again: only the description is."""
    await bot.as_user(ANNA).transcript("""
        user: Please open a high priority technical request: the FlashSystem 5200 in Göteborg lost one controller
        bot:  [request.open]
        bot:  ~ describe the problem
        user: it started this morning, the array shows degraded
        bot:  ~ Open this request?
        bot:  !~ How urgent
        user: yes
        bot:  ~ RQ-
    """)
    principal = await application.pipeline.principal(ANNA)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert (opened.category, opened.priority) == ("technical", "high")
    assert opened.subject == "The FlashSystem 5200 in Göteborg lost one controller"


async def test_a_request_asked_for_last_and_a_thing_told_to_the_category_are_kept(bot: BotDriver) -> None:
    """ "… for this order, please open a request" is a request, though changing an address alone is not
    ours to do: an order's, with what was told as its subject. A sentence told to "What is it about?"
    is kept for the subject, not refused."""
    await bot.as_user(ERIK).transcript("""
        user: where is order 4711
        bot:  [order.status]
        user: I need to change the delivery address for this order, please open a request
        bot:  [request.open]
        bot:  ~ How urgent
        press: Normal
        bot:  ~ Open this request?
        bot:  ~ Order
        bot:  ~ I need to change the delivery address for this order
        user: cancel
        bot:  [dialog.cancel]
        user: please open a request
        bot:  ~ What is it about?
        user: it started this morning, the array shows degraded
        bot:  ~ kept what you wrote
        bot:  !~ isn't one of the choices
    """)


async def test_a_comment_asked_for_and_then_called_off_adds_nothing(bot: BotDriver) -> None:
    """Whatever is typed to "what should I add?" is the comment, unless it calls the question off
    first ("nej förresten, strunta i det. …"): then nothing is added and the rest is answered."""
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: add a comment to RQ-2026-000002
        bot:  ~ What should I add to request RQ-2026-000002?
        user: nej förresten, strunta i det. var är order 4712?
        bot:  [order.status]
        bot:  ~ 4712
        bot:  !~ kommentar
        user: add a comment to RQ-2026-000002
        bot:  ~ What should I add
        user: no wait, forget it
        bot:  [dialog.cancel]
        user: status of RQ-2026-000002
        bot:  !~ comment | Erik Lund
        user: open a request
        user: invoice
        bot:  ~ subject
        user: never mind, cancel that
        bot:  [dialog.cancel]
        user: avbryt, glöm det tack
        bot:  !~ förstod
    """)


async def test_a_question_put_first_while_the_form_asks_is_answered_not_written_down(
    bot: BotDriver, application: Application
) -> None:
    """ "Vänta, en grej först: var är order 4712?" and "hang on, where is 4711?" while a new request asks
    what it is about are questions of their own, answered, with the request offered back."""
    async with application.engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one()
    await bot.as_user(ANNA).transcript("""
        user: jag vill öppna ett ärende
        bot:  [request.open]
        user: vänta, en grej först: var är order 4712?
        bot:  [order.status]
        bot:  ~ Order 4712 är i produktion
        bot:  ~ Ska vi göra klart det du bad om?
        user: ja
        bot:  [request.open]
        user: hang on, where is 4711?
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped
        user: yes
        user: wait, first: has order 4712 shipped yet?
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        bot:  !~ kept what you wrote
        user: yes
        user: actually wait, what's the status of 4712 right now?
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        bot:  !~ kept what you wrote
        user: yes
        user: technical
        bot:  ~ subject
        user: förresten, vad är saldot på kontot?
        bot:  [statement.show]
        bot:  ~ saldo 125 000,00 SEK
        bot:  ~ Ska vi göra klart det du bad om?
    """)
    async with application.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one() == before


async def test_a_request_headed_with_its_subject_and_a_record_asks_neither_again(
    bot: BotDriver, application: Application
) -> None:
    """ "New request: wrong items delivered on 4711" is a request (not the order's status) with its
    subject said after the colon, and of an order's kind (it names one): only what is still missing is
    asked. A question put first while the
    form asks is answered, not taken for the answer."""
    await bot.as_user(ERIK).transcript("""
        user: new request: wrong items delivered on 4711
        bot:  [request.open]
        bot:  ~ Please describe the problem
        user: wait, before that - is order 4712 shipped yet?
        bot:  [order.status]
        bot:  ~ 4712
        bot:  ~ Shall we finish your request?
        user: yes
        bot:  ~ Please describe the problem
        user: Two of the three disks were the wrong model.
        bot:  ~ How urgent
        press: High
        bot:  ~ Open this request?
        bot:  ~ wrong items delivered on 4711
        press: Open
        bot:  ~ I've opened request RQ-
    """)
    principal = await application.pipeline.principal(ERIK)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert (opened.subject, opened.category, opened.priority) == (
        "Wrong items delivered on 4711",
        "order",
        "high",
    )
    assert "wrong model" in opened.description


async def test_a_request_asked_for_after_a_few_words_first_is_opened(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: where is order 4712?
        bot:  [order.status]
        user: ok, then open a request: we need 4712 delivered before the 20th
        bot:  [request.open]
        bot:  !~ in production
    """)


async def test_back_to_my_request_takes_the_paused_form_up_with_what_follows(
    bot: BotDriver, application: Application
) -> None:
    """A question in the middle of a request's questions is answered and the request offered back; "back
    to my request: …" takes it up and what follows is kept for it, nothing asked twice (an order named:
    the order category, not asked)."""
    await bot.as_user(ERIK).transcript("""
        user: I'd like to raise a support request
        bot:  ~ What is it about?
        user: btw, what's the status of order 4712?
        bot:  [order.status]
        bot:  ~ Shall we finish your request?
        user: ok thanks. back to my request: it's about order 4712, we need it delivered to Göteborg instead of Kista
        bot:  [request.open]
        bot:  ~ describe the problem
        user: The site in Kista is closed from the 18th.
        bot:  ~ How urgent
        press: Normal
        bot:  ~ Open this request?
        press: Open
        bot:  ~ I've opened request RQ-
    """)
    principal = await _principal(application, ERIK)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert opened.subject.startswith("it's about order 4712, we need it delivered to Göteborg")
    assert opened.category == "order"
    await bot.as_user(ERIK).transcript("""
        user: öppna ett ärende
        bot:  ~ Vad gäller det?
        user: var är order 4711?
        bot:  ~ Ska vi göra klart
        user: tillbaka till ärendet
        bot:  [request.open]
        bot:  ~ Vad gäller det?
    """)


async def test_what_a_message_tells_to_the_first_question_is_kept_and_a_question_after_thanks_is_answered(
    bot: BotDriver, application: Application
) -> None:
    """Told the machine and its trouble to "What is it about?", the bot keeps it for the subject and takes
    it for a technical request rather than asking again as if nothing was said; the category and the
    priority said again to the description's question are taken, and it is asked again; "tack, and what's the status of it now?" is a question of
    its own, answered, and the request offered back, not written in as its description."""
    await bot.as_user(ANNA).transcript("""
        user: hej, jag behöver open a ticket om vår server
        bot:  ~ Vad gäller det?
        user: it's the one i Kista, 78ABC12, den låter som en dammsugare
        bot:  ~ Beskriv problemet
        user: technical, prio normal
        bot:  ~ Noterat. Beskriv problemet
        user: tack, and what's the status of it now?
        bot:  [request.status]
        bot:  ~ Shall we finish your request?
        user: yes
        bot:  ~ describe the problem
        user: It has been very loud since the firmware update on Friday.
        bot:  ~ Open this request?
        press: Open
        bot:  ~ RQ-
    """)
    principal = await _principal(application, ANNA)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert opened.subject.startswith("it's the one i Kista, 78ABC12")
    assert opened.description == "It has been very loud since the firmware update on Friday."
    assert (opened.category, opened.priority) == ("technical", "normal")


async def test_asking_for_the_request_again_keeps_nothing(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: open a request
        bot:  ~ What is it about?
        user: I would like to open a support request please
        bot:  ~ What is it about?
        bot:  !~ kept what you wrote
    """)


async def test_nvm_cancels_the_form_and_just_show_me_is_a_request_of_its_own(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: open a request pls
        bot:  ~ What is it about?
        user: just show me my open requests
        bot:  [request.status]
        bot:  ~ Shall we finish your request?
        user: actually nvm
        bot:  [dialog.cancel]
    """)


async def test_more_added_before_the_request_is_confirmed_is_in_its_description(
    bot: BotDriver, application: Application
) -> None:
    """ "Add a comment to it: …" while "Open this request?" waits: added to the description, the request
    shown again to confirm; a comment for another request named by its number goes to that one."""
    await bot.as_user(ANNA).transcript("""
        user: open a request
        user: technical
        user: license key does not activate
        user: Activation fails with error 0x80070005 on the Kista server
        user: normal
        bot:  ~ Open this request?
        user: add a comment to it: it also fails on the second server
        bot:  ~ added
        bot:  ~ Open this request?
        user: yes
        bot:  ~ RQ-
    """)
    principal = await application.pipeline.principal(ANNA)
    (opened,) = await application.backends.requests.list_requests(principal, limit=1)
    assert opened.description == (
        "Activation fails with error 0x80070005 on the Kista server\nit also fails on the second server"
    )


async def test_what_is_told_with_the_request_is_not_asked_again(bot: BotDriver) -> None:
    """Asked for with what it is about, before or after the asking ("…, open a request", "open a
    request about it, …"), a request takes its category from what is named (a fault, a record, a word
    of a kind, or what "it" was) and its subject from what is told: only the rest is asked. A priority
    said to another question is taken, saying so."""
    await bot.as_user(ERIK).transcript("""
        user: what orders do we have in production?
        bot:  [order.search]
        user: open a request about it, we need it two weeks earlier
        bot:  [request.open]
        bot:  ~ Please describe the problem
        user: normal priority
        bot:  ~ Noted. Please describe the problem
        user: The project starts on site and the server must be racked first.
        bot:  ~ Open this request?
        bot:  ~ Order
        bot:  ~ We need it two weeks earlier
        bot:  ~ Normal
        user: send it
        bot:  ~ I've opened request RQ-
    """)
    await bot.as_user(ANNA).transcript("""
        user: the FlashSystem reports a failed disk, open a request
        bot:  [request.open]
        bot:  ~ Please describe the problem
        user: Drive 7 shows amber since this morning.
        bot:  ~ How urgent
        user: it's urgent
        bot:  ~ Open this request?
        bot:  ~ Technical
        bot:  ~ The FlashSystem reports a failed disk
        bot:  ~ Urgent
        user: cancel
        bot:  [dialog.cancel]
        user: ok, open a request: we want a quote for a hardware maintenance contract
        bot:  ~ Please describe the problem
        user: it's urgent
        bot:  ~ Noted.
        user: Two more years for the Power servers in Kista.
        bot:  ~ Open this request?
        bot:  ~ Contract
        bot:  ~ Urgent
    """)


async def test_a_category_and_a_priority_said_as_parts_of_their_own_are_taken(bot: BotDriver) -> None:
    """ "…: technical, high, …" and "…, teknisk, normal prioritet": each a part between commas, taken as
    the category and the priority and no part of the subject."""
    await bot.as_user(ANNA).transcript("""
        user: open a request: technical, high, FlashSystem 78XYZ34 reports a failed drive
        bot:  ~ Please describe the problem
        user: Drive 7 has shown amber since Monday.
        bot:  ~ Open this request?
        bot:  ~ Technical
        bot:  ~ High
        bot:  ~ Subject: FlashSystem 78XYZ34 reports a failed drive
        user: cancel
        bot:  [dialog.cancel]
        user: jag vill anmäla ett fel: Power S1022 i Kista blir väldigt varm, teknisk, normal prioritet
        bot:  ~ Beskriv problemet
        user: Fläktarna går på full fart sedan i morse.
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Teknisk
        bot:  ~ Rubrik: Power S1022 i Kista blir väldigt varm
    """)


async def test_a_request_about_it_names_the_record_talked_about(bot: BotDriver) -> None:
    """ "Öppna ett ärende om det, …" right after C-1001: its subject names which contract "det" is."""
    await bot.as_user(ANNA).transcript("""
        user: när går avtal C-1001 ut?
        bot:  [contract.status]
        user: öppna ett ärende om det, vi vill förlänga tre år till
        bot:  [request.open]
        bot:  ~ Beskriv problemet
        user: Samma villkor som idag.
        bot:  ~ Hur brådskande
        press: Normal
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Kategori: Avtal
        bot:  ~ Rubrik: Vi vill förlänga tre år till (C-1001)
    """)


async def test_a_request_number_of_another_shape_is_looked_up_and_not_found(bot: BotDriver) -> None:
    """A number after a request's word that is in no shape of ours ("request 904512", "ärende 551203",
    from another system or a sticky note) is looked up as typed: not found, said with the number, rather
    than every request listed as if it were the one asked about."""
    await bot.as_user(ANNA).transcript("""
        user: what's the status of request 904512?
        bot:  [request.status]
        bot:  ~ 904512
        bot:  !~ RQ-2026-000001
        user: hur gar det med mitt arende 551203
        bot:  [request.status]
        bot:  ~ 551203
        bot:  (sv)
        user: add a comment to request 730019: the engineer can come on Tuesday
        bot:  [request.comment]
        bot:  ~ 730019
    """)


async def test_how_a_request_is_doing_is_its_status_and_a_second_question_does_not_open_one(
    bot: BotDriver,
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: how is my support request doing?
        bot:  [request.status]
        bot:  ~ RQ-2026-000001
        user: where is order 4712, and how is my support request RQ-2026-000001 doing?
        bot:  ~ Order 4712
        bot:  ~ RQ-2026-000001
        bot:  !~ subject
    """)


async def test_a_cancel_said_with_more_words_drops_the_form_and_says_so(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: Kan du öppna ett ärende om att FlashSystem 5200 i Göteborg piper hela tiden?
        bot:  [request.open]
        user: nej vänta, avbryt, jag ringer istället
        bot:  [dialog.cancel]
        bot:  (sv)
        user: ja
        bot:  !~ RQ-
    """)
    await bot.as_user(ANNA).transcript("""
        user: open a request
        bot:  [request.open]
        user: no wait, cancel, I'll call you instead
        bot:  [dialog.cancel]
    """)


async def test_thanks_or_a_list_asked_for_while_a_request_is_described_are_no_description(
    bot: BotDriver,
) -> None:
    """ "Tack" to "Describe the problem" is thanks, and "what requests do I have open" asks for the
    list: neither becomes the new request's description; the request is offered back."""
    await bot.as_user(ERIK).transcript("""
        user: open a request asking for a delivery date for 4712
        bot:  [request.open]
        bot:  ~ describe
        user: what requests do i have open
        bot:  [request.status]
        bot:  ~ RQ-2026-000002
        bot:  ~ Shall we finish your request?
    """)
    await bot.as_user(ERIK).transcript("""
        user: öppna ett nytt ärende: vi behöver leverans innan v.12 för 4712
        bot:  [request.open]
        user: vilka ärenden har vi öppna nu
        bot:  [request.status]
        user: ja
        bot:  [request.open]
        bot:  ~ Beskriv
        user: tack
        bot:  [smalltalk.thanks]
        bot:  ~ Ska vi göra klart
    """)


async def test_how_that_request_is_looking_and_a_fault_reported_in_one_word(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: hows that request looking
        bot:  [request.status]
        user: jag vill felanmäla power s1022
        bot:  [request.open]
        bot:  ~ Tråkigt att höra
    """)
