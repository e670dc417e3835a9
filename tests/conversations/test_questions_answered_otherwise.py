"""What customers say to a question the bot asked that is not its answer: another request of their own
("approve the current version" to "Which contract?"), the answer to a question still to come ("it's
urgent" to "What is it about?"), a yes where words are asked for, or a thing told that answers the
question too ("Det gäller order 4712 som är försenad"). And a few things said around a question: a
quoted mail, a customer number said again, a question after an approval."""

from __future__ import annotations

from supportbot.adapters.app import Application
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"


async def test_an_action_asked_for_instead_of_the_answer_is_done(bot: BotDriver) -> None:
    """An action's verb first, said to a question with fixed answers, is a request of its own: the
    approval of the contract awaiting it, not "approve the current version" refused as a contract."""
    await bot.as_user(ANNA).transcript("""
        user: any contracts that need action from us?
        bot:  [contract.status]
        user: what changed between the versions?
        bot:  ~ Which contract
        user: approve the current version
        bot:  [contract.approve]
        bot:  ~ C-1004
        bot:  !~ couldn't take
    """)
    await bot.as_user(ERIK).transcript("""
        user: add a comment to my request
        bot:  [request.comment]
        user: forward INV-2031 to erik.lund@nordisk.example
        bot:  [invoice.forward]
        bot:  !~ couldn't take
    """)


async def test_a_kind_of_record_named_alone_is_the_one_talked_about(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is 4711?
        bot:  [order.status]
        user: invoice?
        bot:  [invoice.get]
        bot:  ~ INV-2031
        user: skicka den som pdf
        bot:  [invoice.get]
        bot:  ~ INV-2031
        bot:  !~ Till vilken e-postadress
    """)


async def test_a_question_after_an_approval_approves_nothing(
    bot: BotDriver, application: Application
) -> None:
    """ "is it aproved yet?" (one p) asks after the invoice; approving is recorded at once, so a
    question must never do it."""
    await bot.as_user(ANNA).transcript("""
        user: show me invoice INV-2031
        bot:  [invoice.get]
        user: is it aproved yet?
        bot:  [invoice.get]
        bot:  ~ awaiting approval
    """)
    principal = await application.pipeline.principal(ANNA)
    invoice = await application.backends.invoices.get_invoice(principal, "INV-2031")
    assert invoice is not None and invoice.status.value == "awaiting_approval"


async def test_answers_to_the_request_form_said_otherwise(bot: BotDriver) -> None:
    """The category said with an article; the priority said before it is asked, taken and said so; a
    yes is no subject; told with a record, a thing kept for later answers the category too."""
    await bot.as_user(ANNA).transcript("""
        user: jag vill öppna ett ärende
        bot:  ~ Vad gäller det?
        user: its urgent
        bot:  ~ Noterat. Då öppnar vi ett ärende
        user: det gäller en faktura
        bot:  ~ Vad är rubriken
        user: ja tack
        bot:  ~ Jag kunde inte ta "ja tack" som svar
        user: Moms debiterad två gånger
        bot:  ~ Beskriv problemet
        user: På INV-2031 står momsen två gånger.
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Faktura
        bot:  ~ Brådskande
        user: avbryt
        bot:  [dialog.cancel]
        user: öppna ett ärende
        bot:  ~ Vad gäller det?
        user: vad är saldot på vårt konto förresten?
        bot:  [statement.show]
        user: okej, tillbaka till ärendet. Det gäller order 4712 som är försenad
        bot:  [request.open]
        bot:  ~ Beskriv problemet
        user: normal prio räcker
        bot:  ~ Noterat.
        user: Den skulle ha kommit förra veckan.
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Order
        bot:  ~ Det gäller order 4712 som är försenad
        user: ja kör
        bot:  ~ ärende RQ-
    """)


async def test_a_quoted_mail_is_not_what_is_asked(bot: BotDriver) -> None:
    mail = (
        "> From: Nordisk support\n> Your order 4711 has been shipped with PostNord.\n>\n"
        "Thanks, but what about 4712? that one was supposed to arrive at the same time"
    )
    reply = await bot.as_user(ERIK).say(mail)
    assert reply.intent == "order.status"
    assert "4712" in reply.plain_text() and "4711" not in reply.plain_text()


async def test_a_guest_saying_our_number_again_corrects_the_customer_number(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: status of order 5801 please
        bot:  ~ customer number
        user: 1000123
        bot:  ~ I can't find an order 5801 for customer number 1000123
        user: sorry, our number is 2000456
        bot:  [order.status]
        bot:  ~ Order 5801 was delivered
    """)


async def test_a_technician_asked_for_while_a_request_is_asked_is_a_person(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: lägg till en kommentar på mitt ärende
        bot:  [request.comment]
        user: kan jag prata med en tekniker direkt?
        bot:  [handoff.agent]
    """)


async def test_a_yes_with_what_to_do_confirms(bot: BotDriver, application: Application) -> None:
    """ "Yes please open a request for that" to "Shall I send it?" is the yes, not a new form; the
    question is opened once."""
    principal = await application.pipeline.principal(ANNA)
    before = await application.backends.requests.list_requests(principal, limit=50)
    await bot.as_user(ANNA).transcript("""
        user: show me invoice INV-2031
        bot:  [invoice.get]
        user: the VAT on it looks wrong, you charged VAT on the freight twice
        bot:  ~ Shall I send it?
        user: yes please open a request for that
        bot:  [invoice.question]
        bot:  ~ I've opened request RQ-
    """)
    after = await application.backends.requests.list_requests(principal, limit=50)
    assert len(after) == len(before) + 1


async def test_a_copy_to_someone_else_after_a_file_is_that_files(bot: BotDriver) -> None:
    """ "And send a copy to erik@… too" right after a report or the statement was made: the report's or
    the statement's, which mail only to the user's own address and say so, not an invoice to forward."""
    await bot.as_user(ANNA).transcript("""
        user: email me a report of all orders this year
        bot:  [order.report]
        user: and send a copy to erik.lund@nordisk.example too
        bot:  [order.report]
        bot:  ~ only to your own address, not to erik.lund@nordisk.example
        user: ladda ner kontoutdraget som csv
        bot:  [statement.download]
        user: skicka det till erik.lund@nordisk.example också
        bot:  [statement.download]
        bot:  ~ inte till erik.lund@nordisk.example
    """)


async def test_a_payment_said_made_is_a_question_for_the_invoicing_team(bot: BotDriver) -> None:
    await bot.as_user("max.muller@contoso.example").transcript("""
        user: INV-3050 is marked overdue but we paid it on time, please check
        bot:  [invoice.question]
        bot:  ~ INV-3050
        user: when can I expect an answer?
        bot:  [request.status]
    """)


async def test_an_answer_given_before_is_changed_in_so_many_words(
    bot: BotDriver, application: Application
) -> None:
    """ "Hmm no, actually it's an invoice thing, not technical" to the subject's question changes the
    category; "sätt prioriteten till normal i stället" while the request waits to be confirmed changes
    the priority; each request is opened once."""
    principal = await application.pipeline.principal(ANNA)
    before = await application.backends.requests.list_requests(principal, limit=50)
    await bot.as_user(ANNA).transcript("""
        user: I want to report a problem
        bot:  ~ What is it about?
        press: Technical
        bot:  ~ What's the subject
        user: hmm no, actually it's an invoice thing, not technical
        bot:  ~ Noted. What's the subject
        user: INV-2031 references the wrong PO
        bot:  ~ Please describe the problem
        user: It should be NV-PO-889.
        bot:  ~ How urgent
        press: Normal
        bot:  ~ Category: Invoice
        user: Yes
        bot:  ~ I've opened request RQ-
        user: jag vill öppna ett ärende
        bot:  ~ Vad gäller det?
        user: teknisk, hög prioritet
        bot:  ~ Vad är rubriken
        user: FlashSystem 78XYZ34 varnar för en trasig disk
        bot:  ~ Beskriv problemet
        user: Disk 7 lyser gult sedan i morse.
        bot:  ~ Ska jag öppna det här ärendet?
        bot:  ~ Prioritet: Hög
        user: nej vänta, sätt prioriteten till normal i stället
        bot:  ~ Noterat. Ska jag öppna det här ärendet?
        bot:  ~ Prioritet: Normal
        user: kör
        bot:  ~ Jag har öppnat ärende RQ-
    """)
    after = await application.backends.requests.list_requests(principal, limit=50)
    assert len(after) == len(before) + 2
    assert (after[0].subject, after[0].priority) == (
        "FlashSystem 78XYZ34 varnar för en trasig disk",
        "normal",
    )
    assert (after[1].subject, after[1].category) == ("INV-2031 references the wrong PO", "invoice")


async def test_a_request_of_its_own_said_to_a_question_is_answered_and_the_question_offered_back(
    bot: BotDriver,
) -> None:
    """Asked in its own words ("…, open a request for it", "when can I expect an answer?") or a list
    asked for by its plural word ("status of my requests"), a request of its own is answered, whatever
    the bot asked, and what it asked is offered back."""
    await bot.as_user(ANNA).transcript("""
        user: I want the current version of the contract as a pdf
        bot:  ~ Which contract
        user: the fan on that server is making a lot of noise, open a request for it
        bot:  [request.open]
        bot:  !~ couldn't take
        user: status of my requests
        bot:  [request.status]
        bot:  ~ Shall we finish your request?
        user: yes
        bot:  ~ How urgent
        user: when can I expect an answer?
        bot:  [request.status]
    """)


async def test_more_said_to_be_added_while_the_priority_is_asked_is_added(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: open a request: the FlashSystem in Göteborg reports a failed drive since this morning and the array is degraded
        bot:  ~ How urgent
        user: add a comment to it: it also fails on the second shelf
        bot:  ~ Thanks, I've added that. I'm sorry to hear that. I'll open a support request for it. How urgent
        press: High
        bot:  ~ Open this request?
        bot:  ~ it also fails on the second shelf
    """)


async def test_thanks_said_with_signs_alone_is_thanks(bot: BotDriver) -> None:
    """ "🙏" or "🙏👍" after an answer, with nothing asked, is thanks; a thumb alone stays an "ok"."""
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711
        bot:  [order.status]
        user: 🙏👍
        bot:  [smalltalk.thanks]
        user: 👍
        bot:  [dialog.ack]
    """)
