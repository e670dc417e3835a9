"""Order conversations, played as transcripts through the real pipeline and the built-in back end."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, timedelta
from email import message_from_bytes
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from sqlalchemy import update

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.i18n import Formatter
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.sql.demo import demo_today
from supportbot.integrations.sql.schema import orders
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


async def test_order_status_by_number(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: Where is my order 4711?
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped with PostNord
        bot:  ~ 00370712345678901234
        bot:  ~ https://tracking.postnord.com/se/?id=00370712345678901234
        bot:  ~ NV-PO-889
        bot:  (en)
    """)


async def test_a_purchase_is_an_order(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: purchase 4712 status
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        user: var är mitt köp 4711?
        bot:  [order.status]
        bot:  (sv)
        bot:  ~ PostNord
        user: when will I receive purchase 00123842?
        bot:  ~ can't find order 00123842
    """)


async def test_an_order_number_from_the_customer_s_own_systems_is_looked_up(bot: BotDriver) -> None:
    """A long number after an order's word is the order's: not ours, so not found, rather than
    the question of which order the customer meant, which they had just said."""
    await bot.as_user(ANNA).transcript("""
        user: what's the status of order 370795561790?
        bot:  [order.status]
        bot:  ~ can't find order 370795561790
        user: where is my purchase 113542617735902?
        bot:  ~ can't find order 113542617735902
        user: order 00012345678901
        bot:  ~ can't find order 00012345678901
    """)


async def test_an_order_the_customer_cannot_find_is_looked_up(bot: BotDriver) -> None:
    """Words of looking for an order read as asking where it is, in both languages; letters alike
    in an out-of-scope example ("I can't locate" and "I want to cancel") do not make it one."""
    await bot.as_user(ANNA).transcript("""
        user: I can't locate order 4711
        bot:  [order.status]
        bot:  ~ PostNord
        user: I want help to track order 4712
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        user: jag hittar inte order 4711
        bot:  [order.status]
        bot:  (sv)
        bot:  ~ PostNord
    """)
    await bot.as_user(ANNA).transcript("""
        user: cancel order 4711
        bot:  ~ can't cancel or change an order here
        user: avbeställ order 4711
        bot:  ~ kan inte avbeställa eller ändra en order här
    """)


async def test_order_status_asks_for_the_number(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is my order?
        bot:  ~ order number
        user: 4711
        bot:  ~ PostNord
    """)


async def test_order_status_by_po_number_and_latest(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: what's the status of PO NV-PO-889
        bot:  ~ Order 4711
        user: how is my latest order doing?
        bot:  [order.status]
        bot:  ~ Order
    """)


async def test_context_carries_over_between_orders(bot: BotDriver) -> None:
    expected = Formatter("en", country="SE").date(demo_today() + timedelta(days=3))
    await bot.as_user(ANNA).transcript(f"""
        user: status of order 4711 please
        bot:  ~ PostNord
        user: and when will it arrive?
        bot:  ~ {expected}
        user: what about 4712?
        bot:  ~ Order 4712 is in production
        user: and the other one?
        bot:  ~ Order 4711
    """)


async def test_a_number_said_with_a_typo_is_never_answered_with_the_order_before(bot: BotDriver) -> None:
    """The word for order misspelt, the number still the one asked about; a number that is no order of
    theirs is said to be unknown, never answered with the order talked about before."""
    await bot.as_user(ANNA).transcript("""
        user: where is order 4712
        bot:  ~ Order 4712 is in production
        user: and whre is ordre 4711
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped with PostNord
        bot:  !~ 4712
        user: and ordr 5801?
        bot:  !~ 4712
        bot:  !~ 4711
        bot:  !~ DHL
        bot:  ~ 5801
    """)


async def test_a_correction_may_say_what_it_is_not(bot: BotDriver) -> None:
    """ "Sorry, 4712 not 4711" is 4712: the record it says it is not is no value of it. A lead typed
    without its letters ("ursakta") or run into "menade" is a lead all the same."""
    await bot.as_user(ANNA).transcript("""
        user: track 4711 please, in a rush
        bot:  ~ Order 4711 has shipped with PostNord
        bot:  !~ can't cancel or change
        user: sorry, 4712 not 4711
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        bot:  !~ PostNord
    """)
    # What it says it is not was never asked about: no correction of the last look-up (a credit note).
    await bot.as_user(ANNA).transcript("""
        user: show me the credit note
        bot:  ~ CN-0107
        user: sorry, 4712 not 4711
        bot:  !~ INV-4712
        bot:  !~ CN-0107
    """)
    await bot.as_user(ERIK).transcript("""
        user: var ar ordr 4711
        bot:  ~ Order 4711
        user: ursakta menade 4712
        bot:  [order.status]
        bot:  ~ Order 4712 är i produktion
    """)
    await bot.as_guest().transcript("""
        user: status order 4711 customer no 2000456
        bot:  ~ can't find an order 4711
        user: sorry typo, it's 1000123
        bot:  ~ Order 4711 is shipped
    """)
    await bot.as_guest().transcript("""
        user: order 5801, kundnummer 1000123
        bot:  (sv)
        bot:  ~ Jag hittar ingen order 5801
        user: hmm, kanske kundnr 2000456 då?
        bot:  [order.status]
        bot:  ~ Order 5801 levererades
    """)


async def test_a_bare_number_with_a_word_of_orders_anywhere_is_an_order(bot: BotDriver) -> None:
    """A bare number is an order's beside a carrier's name, a "kolla" said after it, or a small word
    typed without its å ("status pa 4712")."""
    await bot.as_user(ANNA).transcript("""
        user: tja, 4712 skulle varit klar förra veckan, kan ni kolla?
        bot:  [order.status]
        bot:  ~ Order 4712 är i produktion
        user: vad ar status pa 4711 da
        bot:  ~ Order 4711 är skickad
    """)
    await bot.as_user(MAX).transcript("""
        user: where's 5801, the DHL one
        bot:  [order.status]
        bot:  ~ Order 5801
        bot:  ~ DHL
    """)


async def test_a_status_said_after_a_search_searches_again_however_it_reads(bot: BotDriver) -> None:
    """ "Ok and in production?" right after a search (whose words alone read as a report) is the search
    asked again with that status, not a spreadsheet."""
    await bot.as_user(ANNA).transcript("""
        user: show orders delivered last month
        bot:  [order.search]
        user: ok and in production?
        bot:  [order.search]
        bot:  ~ with status in production
        bot:  !~ report
    """)


async def test_of_several_orders_named_the_one_asked_about_is_answered(bot: BotDriver) -> None:
    """Two orders told first, then one asked about by its place or its number said again: that one is
    answered, and "the other one" is the other; asked about both, both are."""
    await bot.as_user(ANNA).transcript("""
        user: I have two orders open, 4711 and 4712. where's the first one?
        bot:  ~ Order 4711 has shipped
        bot:  !~ Order 4712
        user: and the other one?
        bot:  ~ Order 4712 is in production
        user: vi har två ordrar ute, 4711 och 4712. var är 4712?
        bot:  ~ Order 4712 är i produktion
        bot:  !~ Order 4711
        user: och den andra?
        bot:  ~ Order 4711 är skickad
        user: where are 4711 and 4712?
        bot:  ~ Order 4711 has shipped
        bot:  ~ Order 4712 is in production
    """)


async def test_a_number_in_groups_of_three_is_the_order_said(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: what's the status of order (4 712)?
        bot:  ~ Order 4712 is in production
        bot:  !~ 712 among
    """)


async def test_swedish_conversation_is_answered_in_swedish(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: hej! var är min order 4712?
        bot:  (sv)
        bot:  ~ i produktion
        user: och order 4711?
        bot:  ~ skickad med PostNord
        bot:  ~ 100 000,00 SEK
    """)


async def test_foreign_order_looks_exactly_like_a_missing_one(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    foreign = await anna.say("where is order 5801?")
    missing = await anna.say("where is order 5899?")
    assert foreign.text == missing.text.replace("5899", "5801")
    assert foreign.cards == missing.cards == ()
    assert "DHL" not in foreign.plain_text() and "Contoso" not in foreign.plain_text()
    contoso = await bot.as_user(MAX).say("where is order 5801?")
    assert "DHL" in contoso.plain_text() or "delivered" in contoso.text


async def test_user_without_the_grant_is_told_what_access_is_needed(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: where is order 4712
        bot:  ~ in production
        user: show me invoice INV-2031
        bot:  ~ access to invoices
        bot:  !~ 125
    """)


async def test_guest_gets_status_and_date_only(bot: BotDriver) -> None:
    guest = bot.as_guest()
    await guest.transcript("""
        user: where is my order 4711?
        bot:  ~ customer number
        user: 1000123
        bot:  ~ Order 4711 is shipped
        bot:  ~ Sign in
        bot:  !~ SEK
        bot:  !~ PostNord
        bot:  !~ 0037071234
    """)
    assert guest.last.cards == () and guest.last.table is None and guest.last.attachments == ()


async def test_guest_with_the_wrong_customer_number_learns_nothing(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: status of order 4711, customer number 2000456
        bot:  ~ can't find an order 4711 for customer number 2000456
        user: show my orders from last month
        bot:  ~ sign in
    """)


async def test_guest_corrects_a_number_and_the_other_is_kept(bot: BotDriver) -> None:
    """A guest's look-up needs two numbers. The one typed again after "not found" replaces the one
    it resembles: seven digits are the customer number, four the order's. Nothing is shown until
    both belong together."""
    await bot.as_guest().transcript("""
        user: status of order 4711, customer no 2000456
        bot:  ~ can't find an order 4711 for customer number 2000456
        bot:  !~ shipped
        user: ok sorry, 1000123
        bot:  ~ Order 4711 is shipped
        user: and 4712?
        bot:  ~ Order 4712 is in production
    """)
    await bot.as_guest().transcript("""
        user: where is order 4712, customer number 2000456
        bot:  ~ can't find an order 4712
        user: 1000123
        bot:  ~ Order 4712 is in production
        bot:  !~ I also need your customer number
        user: 5801
        bot:  ~ can't find an order 5801 for customer number 1000123
    """)


async def test_open_orders_are_listed_and_paged(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say("show my open orders")
    assert reply.intent == "order.search"
    assert reply.table is not None
    numbers = [row[0] for row in reply.table.rows]
    assert "4711" in numbers and "4712" in numbers and "5801" not in numbers
    statuses = {row[3] for row in reply.table.rows}
    assert statuses <= {"Received", "Confirmed", "In production", "Shipped"}
    await anna.transcript("""
        user: the first one
        bot:  [order.status]
    """)


async def test_search_by_period_then_report(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say("which orders did we place this year?")
    assert reply.intent == "order.search", reply.plain_text()
    report = await anna.press("spreadsheet")
    assert report.intent == "order.report", report.plain_text()
    names = [a.name for a in report.attachments]
    assert names[0].endswith(".xlsx") and names[1].endswith(".csv")
    url = urlsplit(report.attachments[0].url)
    file_id = url.path.split("/")[2]
    query = parse_qs(url.query)
    stored = await application.files.open(file_id, expires=query["exp"][0], sig=query["sig"][0])
    sheet = openpyxl.load_workbook(io.BytesIO(stored.data)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[0] == "Order" and "Total excl. VAT" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) >= 2
    assert all(isinstance(r[2], datetime) for r in rows), "order dates are date cells"
    assert all(isinstance(r[header.index("Total excl. VAT")], (int, float)) for r in rows), (
        "amounts are numbers"
    )
    by_number = {r[0]: r for r in rows}
    if "4711" in by_number:
        assert (
            by_number["4711"][header.index("Total excl. VAT")] == 100000.0
            or by_number["4711"][header.index("Total excl. VAT")] > 0
        )


async def test_report_asks_for_the_period_and_can_be_mailed(bot: BotDriver, settings: Settings) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: I need an order report
        bot:  ~ which period
        user: this year
        bot:  [order.report]
        bot:  ~ is ready
        user: e-mail me a report of my orders for this year
        bot:  ~ e-mailed
        bot:  ~ anna.berg@nordisk.example
    """)
    mails = list((settings.data_dir / "outbox").glob("*.eml"))
    assert len(mails) == 1
    mail = message_from_bytes(mails[0].read_bytes())
    assert mail["To"] == ANNA
    attachments = [part.get_filename() for part in mail.walk() if part.get_filename()]
    assert any(name.endswith(".xlsx") for name in attachments)
    assert any(name.endswith(".csv") for name in attachments)


async def test_cancel_leaves_a_question(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where's my order
        bot:  ~ which order
        user: cancel
        bot:  ~ dropped
        user: 4712
        bot:  ~ in production
    """)
    await bot.as_user(ANNA).transcript("""
        user: var är min order?
        bot:  ~ vilken order
        user: avbryt
        bot:  ~ släpper
    """)


async def test_unclear_text_is_not_guessed(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: what's the weather like in Paris tomorrow?
        bot:  [none]
        bot:  ~ rather not guess
        bot:  ~ Talk to a person
        user: vad blir det för väder i morgon?
        bot:  [none]
        bot:  (sv)
    """)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("", "input.empty"),
        ("    \n\t ", "input.empty"),
        ("x" * 100_000, "input.too_long"),
        ("\x00\x01\x02\x03\x04\x05\ufffd\ufffd", "input.unreadable"),
    ],
)
async def test_bad_input_gets_a_clear_answer_and_the_conversation_goes_on(
    bot: BotDriver, text: str, intent: str
) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say(text)
    assert reply.intent == intent
    assert reply.text
    await anna.transcript("""
        user: where is order 4711
        bot:  ~ PostNord
    """)


async def test_unknown_order_number(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is order 99999?
        bot:  ~ can't find order 99999
    """)


async def test_repeated_delivery_is_answered_once(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    first = await anna.say("where is order 4711", delivery_id="d-1")
    again = await anna.say("where is order 4711", delivery_id="d-1")
    assert again == first
    history = await application.store.history(anna.ref.key)
    assert [t.role for t in history] == ["user", "bot"]


async def test_messages_of_one_conversation_are_handled_in_order(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    texts = [f"where is order {n}" for n in (4711, 4712, 4711, 4712, 4711, 4712)]
    await asyncio.gather(*(anna.say(t) for t in texts))
    history = await application.store.history(anna.ref.key)
    assert [t.text for t in history if t.role == "user"] == texts
    bots = [t.text for t in history if t.role == "bot"]
    assert all(("4711" in b) == ("4711" in u) for u, b in zip(texts, bots, strict=True))


async def test_a_restart_loses_nothing(settings: Settings) -> None:
    app = await build_application(settings)
    conversation = Conversation(app, ANNA)
    await conversation.say("where is order 4712")
    await app.close()

    app = await build_application(settings)
    try:
        after = Conversation(app, ANNA, conversation_id=conversation.conversation_id)
        reply = await after.say("and when will it arrive?")
        assert "4712" in reply.text
        history = await app.store.history(after.ref.key)
        assert len(history) == 4
    finally:
        await app.close()


class _DownOrders:
    def __getattr__(self, name: str) -> object:
        async def fail(*args: object, **kwargs: object) -> object:
            raise BackendUnavailable("connection refused")

        return fail


async def test_a_back_end_that_is_down_gets_an_apology(bot: BotDriver, application: Application) -> None:
    application.backends.orders = _DownOrders()  # type: ignore[assignment]
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711
        bot:  ~ can't reach our systems
    """)


async def _late(application: Application, number: str, days: int) -> None:
    """Order ``number`` was expected ``days`` days ago."""
    async with application.engine.begin() as conn:
        await conn.execute(
            update(orders)
            .where(orders.c.number == number)
            .values(expected_delivery=date.today() - timedelta(days=days))
        )


async def test_delayed_orders_are_those_past_their_date_and_not_delivered(
    bot: BotDriver, application: Application
) -> None:
    await _late(application, "4712", 3)  # in production, three days late
    await _late(application, "4711", 1)  # shipped, a day late
    await _late(application, "5801", 9)  # Contoso's: not Anna's to see
    await bot.as_user(ANNA).transcript("""
        user: which orders are delayed?
        bot:  [order.search]
        bot:  ~ that are delayed (expected before today, not delivered yet)
        bot:  ~ 4712
        bot:  ~ 4711
        bot:  !~ 5801
    """)
    chat = bot.as_user(ANNA)
    shown = await chat.say("försenade ordrar")
    assert shown.intent == "order.search" and "som är försenade" in shown.text and shown.language == "sv"
    assert shown.table is not None
    # The latest first; delivered orders, late or not, never.
    assert [row[0] for row in shown.table.rows] == ["4712", "4711"]


async def test_a_report_of_the_delayed_orders_holds_only_them(
    bot: BotDriver, application: Application
) -> None:
    """The report says "that are delayed": it holds those alone, as the list does (it once held every
    order under that title). Swedish typed without å, ä and ö asks for them too."""
    await _late(application, "4712", 3)
    await _late(application, "4711", 1)
    await _late(application, "4702", 5)  # delivered: late once, delayed no more
    await bot.as_user(ANNA).transcript("""
        user: email me a report of all delayed orders
        bot:  [order.report]
        bot:  ~ that are delayed
        bot:  ~ (2 orders)
        bot:  ~ anna.berg@nordisk.example
        user: har nagra ordrar blivit forsenade?
        bot:  [order.search]
        bot:  ~ som är försenade
        bot:  ~ 4712
        bot:  ~ 4711
        bot:  !~ 4702
    """)


async def test_no_delayed_orders_is_said_so(bot: BotDriver) -> None:
    await bot.as_user(MAX).transcript("""
        user: show delayed orders
        bot:  [order.search]
        bot:  ~ that are delayed
        bot:  !~ 5801
    """)


async def test_a_bare_number_asked_after_is_the_order_in_the_language_asked(bot: BotDriver) -> None:
    """ "any news on 4712?" reads like a question about a request, but request numbers look otherwise
    (RQ-2026-000001): the number is an order's, and the order is answered, not a list of requests in
    its place. Anna's profile says Swedish; asked in English she is answered in English."""
    await bot.as_user(ANNA).transcript("""
        user: any news on 4712?
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
    """)
    await bot.as_user(ANNA).transcript("""
        user: något nytt om 4712?
        bot:  [order.status]
        bot:  (sv)
        bot:  ~ 4712
    """)
    await bot.as_user(ANNA).transcript("""
        user: what is the status of my request about order 4711
        bot:  [request.status]
    """)


async def test_cancelling_or_changing_an_order_is_not_done_here_and_says_who_can(bot: BotDriver) -> None:
    """The chat cannot cancel or change an order: it says so with the order's status, and offers a
    request that starts with what the customer asked, or a person. Asking after a change in the
    status is an ordinary status question."""
    anna = bot.as_user(ANNA)
    anna.capabilities = frozenset({"forms", "files"})  # a web chat: the request is a form
    asked = await anna.say("please cancel order 4712")
    assert asked.intent == "order.status"
    assert asked.text.startswith("I can't cancel or change an order here in the chat")
    assert "Order 4712 is in production" in asked.text
    assert [b.label for b in asked.buttons][:2] == ["Open a request", "Talk to a person"]
    request = await anna.press("Open a request")
    assert request.intent == "request.open"
    assert request.form is not None and "started with what you asked me" in request.text
    values = {f.name: f.value for f in request.form.fields if f.kind != "info"}
    assert "please cancel order 4712" in values["description"]
    swedish = await bot.as_user(ANNA).say("jag vill avbeställa order 4712")
    assert swedish.text.startswith("Jag kan inte avbeställa eller ändra en order här i chatten")
    # The number alone after a Swedish compound of an order word ("leveransadressen") is the order's.
    address = await bot.as_user(ANNA).say("kan ni ändra leveransadressen för 4712")
    assert address.intent == "order.status"
    assert address.text.startswith("Jag kan inte avbeställa eller ändra en order här i chatten")
    assert "4712" in address.text
    status = await bot.as_user(ANNA).say("any change in the status of 4711?")
    assert status.intent == "order.status" and "I can't" not in status.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("expedite order 4712, we need it by friday", "I can't cancel or change an order here"),
        ("split order 4711 into two deliveries", "I can't cancel or change an order here"),
        ("I want to add 3 more licences to order 4712", "I can't cancel or change an order here"),
        ("can you remove one line from our order 4712", "I can't cancel or change an order here"),
        ("kan ni påskynda order 4712", "Jag kan inte avbeställa eller ändra en order här"),
        ("vi vill lägga till två licenser på order 4712", "Jag kan inte avbeställa eller ändra en order här"),
    ],
)
async def test_hurrying_splitting_or_adding_to_an_order_is_a_change_too(
    bot: BotDriver, text: str, said: str
) -> None:
    """Every change to an order goes to the order desk: the chat shows the order and says who can."""
    reply = await bot.as_user(ANNA).say(text)
    assert reply.intent == "order.status"
    assert reply.text.startswith(said)
    assert any(number in reply.text for number in ("4711", "4712"))


async def test_asking_to_be_told_is_no_change_to_an_order(bot: BotDriver) -> None:
    reply = await bot.as_user(ANNA).say("where is order 4712? please add tracking when it ships")
    assert reply.intent == "order.status" and "I can't" not in reply.text


async def test_the_tracking_link_and_when_it_comes_follow_the_order_in_swedish(bot: BotDriver) -> None:
    """Asked right after an order, "skicka spårningslänken" is that order's tracking, not a report to
    send; and "vet du när den kommer?" asked while a report's period is asked is a question of its
    own about the order, not a failed answer."""
    await bot.as_user(ANNA).transcript("""
        user: var är order 4711?
        bot:  [order.status]
        user: kan du skicka spårningslänken?
        bot:  [order.status]
        bot:  ~ 4711
        bot:  ~ PostNord
        user: skicka en orderrapport
        bot:  [order.report]
        bot:  ~ vilken period
        user: vet du när den kommer?
        bot:  [order.status]
        bot:  ~ Order 4711
        bot:  !~ kunde inte ta
    """)


async def test_several_orders_named_are_each_answered_and_the_second_is_the_other(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where are 4711 and 4712
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped
        bot:  ~ Order 4712 is in production
        user: the second one, when does it ship?
        bot:  ~ Order 4712
        bot:  !~ Order 4711
    """)
    await bot.as_user(ANNA).transcript("""
        user: kolla 4711 o 4712 åt mig
        bot:  (sv)
        bot:  ~ Order 4711 är skickad
        bot:  ~ Order 4712 är i produktion
        user: den andra, när skeppas den?
        bot:  ~ Order 4712
        bot:  !~ Order 4711
    """)


async def test_another_company_s_order_among_several_reads_like_a_missing_one(bot: BotDriver) -> None:
    missing = await bot.as_user(MAX).say("where is order 4799")
    both = await bot.as_user(MAX).say("where are 4711 and 5801")
    assert missing.text.replace("4799", "4711") in both.text, both.text
    assert "5801" in both.text and "PostNord" not in both.text and "NV-PO-889" not in both.text


async def test_a_guest_s_customer_number_shortened_is_read(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: hi, wheres order 4711? cust nr 1000123
        bot:  [order.status]
        bot:  ~ Order 4711 is shipped
        bot:  !~ I also need your customer number
    """)


async def test_a_status_corrected_or_followed_up_asks_the_search_again_for_the_same_period(
    bot: BotDriver,
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: visa ordrar från förra månaden
        bot:  [order.search]
        user: nej vänta, dom som ar skickade menar jag
        bot:  [order.search]
        bot:  ~ med status skickad från
        user: the delivered ones I mean
        bot:  [order.search]
        bot:  ~ with status delivered from
        user: and the shipped ones?
        bot:  [order.search]
        bot:  ~ with status shipped from
        bot:  !~ report
    """)


async def test_a_guest_s_customer_number_in_groups_of_three_is_read(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: var är order 4712?
        bot:  ~ kundnummer
        user: vårt kundnummer är 1 000 123 om jag inte minns fel
        bot:  [order.status]
        bot:  ~ Order 4712 är i produktion
    """)


async def test_a_number_said_with_an_ok_to_a_question_offered_back_is_asked_about(bot: BotDriver) -> None:
    """ "Ok. 4712 then" to "Shall we finish your request?" is not a bare yes that asks "which order?"
    again: the order it names is answered. A number put after a pause or an aside is heard too."""
    await bot.as_user(ERIK).transcript("""
        user: check an order for me
        bot:  ~ Which order do you mean?
        user: can you show INV-2031 instead?
        bot:  ~ You don't have access to invoices
        bot:  ~ Shall we finish your request?
        user: ok. 4712 then
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        user: where's 4711 btw
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped
    """)


async def test_a_guest_s_customer_number_corrected_in_a_sentence_answers_the_order_again(
    bot: BotDriver,
) -> None:
    """ "Oops, our customer number is 2000456" after an order not found for another customer number is
    the correction of that number, not a question about an account statement."""
    await bot.as_guest().transcript("""
        user: status for order 5801, customer number 1000123
        bot:  ~ I can't find an order 5801 for customer number 1000123
        user: oops, our customer number is 2000456
        bot:  [order.status]
        bot:  ~ Order 5801 was delivered
        user: var är order 4712? kundnummer 2000456
        bot:  ~ hittar ingen order 4712
        user: nej förlåt, vårt kundnummer är 1000123
        bot:  [order.status]
        bot:  ~ Order 4712 är i produktion
    """)


async def test_a_year_alone_answers_which_period_a_report_covers(bot: BotDriver) -> None:
    """ "2024" or "hela 2025" to "Which period should the report cover?" is that calendar year."""
    year = date.today().year
    await bot.as_user(ANNA).transcript(f"""
        user: orders report please
        bot:  ~ Which period should the report cover?
        user: {year - 1}
        bot:  [order.report]
        bot:  ~ 1 January {year - 1} to 31 December {year - 1}
        user: jag vill ha en orderrapport
        bot:  ~ Vilken period
        user: hela {year}
        bot:  [order.report]
        bot:  ~ 1 januari {year} till 31 december {year}
    """)


async def test_a_greeting_with_an_order_number_asks_about_the_order(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: tja! läget med 4712?
        bot:  [order.status]
        bot:  ~ Order 4712
        user: sorry 4711 menade jag
        bot:  [order.status]
        bot:  ~ Order 4711
        user: and what's its status now?
        bot:  [order.status]
        bot:  ~ Order 4711
    """)


async def test_a_list_fetched_is_shown_and_a_report_asked_meanwhile_is_made(bot: BotDriver) -> None:
    """ "Ta fram" a list is the list in the chat; "gör en rapport …" while the bot asks which order is a
    request of its own, not a wrong answer. The one order in a list is what "the order" means next."""
    await bot.as_user(ANNA).transcript("""
        user: kan du ta fram alla ordrar som är i produktion
        bot:  [order.search]
        bot:  ~ 4712
        user: när kommer ordern?
        bot:  ~ Order 4712
    """)
    await bot.as_user(ANNA).transcript("""
        user: var är ordern?
        bot:  ~ Vilken order
        user: gör en rapport på alla ordrar i år som excel
        bot:  [order.report]
        bot:  !~ som svar
    """)


async def test_a_request_of_another_family_while_a_record_is_asked_for_is_made(bot: BotDriver) -> None:
    """ "Ok and a report of all orders delivered this year, emailed to me" to "Which invoice do you
    mean?" is no wrong answer but a request of its own: the report is mailed, the question offered back."""
    await bot.as_user(MAX).transcript("""
        user: invoice for it?
        bot:  ~ Which invoice do you mean?
        user: ok and a report of all orders delivered this year, emailed to me
        bot:  [order.report]
        bot:  ~ e-mailed your order report
        bot:  !~ as the answer
    """)


async def test_an_order_taken_back_in_the_same_message_and_its_invoice(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: status of order 4712, no sorry, 4711
        bot:  [order.status]
        bot:  ~ Order 4711
        bot:  !~ 4712
        user: and the invoice for it?
        bot:  [invoice.get]
        bot:  ~ INV-2031
    """)


async def test_a_site_corrected_or_asked_next_keeps_the_rest_of_the_search(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show my orders delivered to Kista
        bot:  [order.search]
        bot:  ~ status delivered for Kista
        user: sorry, I meant Göteborg
        bot:  [order.search]
        bot:  ~ status delivered for Göteborg
        user: and in München?
        bot:  [order.search]
        bot:  ~ status delivered for München
        user: show my orders
        bot:  [order.search]
        bot:  ~ I found 8 orders
    """)


async def test_when_exactly_right_after_an_order_is_that_order_again(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is order 4712
        bot:  [order.status]
        bot:  ~ in production
        user: when exactly?
        bot:  [order.status]
        bot:  ~ Order 4712
        bot:  ~ Expected delivery
        user: visa avtal C-1001
        bot:  [contract.status]
        user: hur länge då?
        bot:  [contract.status]
        bot:  (sv)
        bot:  ~ C-1001
    """)


async def test_orders_of_a_status_said_in_few_words_are_listed_and_a_report_only_when_asked(
    bot: BotDriver,
) -> None:
    """ "Orders in production" lists them here (a spreadsheet only with a report's, a file's or a mail's
    words: "report on orders in production")."""
    listed = await bot.as_user(ANNA).say("orders in production")
    assert listed.intent == "order.search" and listed.table is not None, listed.plain_text()
    assert [str(row[0]) for row in listed.table.rows] == ["4712"]
    report = await bot.as_user(ANNA).say("report on orders in production")
    assert report.intent == "order.report" and any(a.name.endswith(".xlsx") for a in report.attachments)


async def test_a_mistyped_number_corrected_in_words_is_looked_up(bot: BotDriver) -> None:
    """ "oj, skrev fel, 4711 ska det vara", "sorry typo, it should be 4712": the number the correction says
    is the order asked about, not words nobody understood."""
    await bot.as_user(ANNA).transcript("""
        user: sök order 4117
        bot:  [order.status]
        bot:  ~ 4117
        user: oj, skrev fel, 4711 ska det vara
        bot:  [order.status]
        bot:  ~ Order 4711 är skickad
        user: status of order 4172
        user: sorry typo, it should be 4712
        bot:  [order.status]
        bot:  ~ 4712
    """)


async def test_orders_of_a_po_that_has_none_are_none(bot: BotDriver) -> None:
    """A PO number may be split over orders, so "orders with PO …" asks for that PO's orders: none when
    it has none, never every order in its place."""
    await bot.as_user(ANNA).transcript("""
        user: find orders with PO NV-PO-888
        bot:  [order.status]
        bot:  ~ NV-PO-888
        bot:  !~ 4712
        user: list orders with PO NV-PO-889
        bot:  ~ 4711
        bot:  !~ 4712
    """)


async def test_the_period_before_or_after_the_one_asked(bot: BotDriver) -> None:
    """ "och veckan innan?", "and the month before?" right after a search by period: the same search, the
    period moved back (or on) by a week or a month."""
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    week_before = monday - timedelta(days=14)
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month's first day
    month_before = (first - timedelta(days=1)).replace(day=1)
    chat = bot.as_user(ANNA)
    await chat.say("visa ordrar förra veckan")
    moved = await chat.say("och veckan innan?")
    assert moved.intent == "order.search" and moved.language == "sv"
    assert Formatter("sv", country="SE").date(week_before) in moved.text, moved.text
    await chat.say("orders last month")
    moved = await chat.say("and the month before?")
    assert moved.intent == "order.search"
    assert Formatter("en", country="SE").date(month_before) in moved.text, moved.text


async def test_the_whole_year_answers_which_period(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: rapport över ordrar per status, som excel
        bot:  [order.report]
        bot:  ~ Vilken period
        user: för hela året
        bot:  [order.report]
        bot:  ~ 1 januari
        bot:  ~ XLSX
    """)


async def test_a_question_pointing_at_the_order_shows_it_again(bot: BotDriver) -> None:
    """ "vilket inköpsordernummer hade den?", "what was in it?" right after an order read unsurely as an
    invoice's or a contract's question: the order pointed at, shown again with its PO and its lines."""
    await bot.as_user(ANNA).transcript("""
        user: ordernummer 4712, vad ingick i den?
        bot:  [order.status]
        user: vilket inköpsordernummer hade den?
        bot:  [order.status]
        bot:  ~ NV-PO-902
        user: what was in it?
        bot:  [order.status]
        bot:  ~ 4712
    """)
    # A number said with a PO's word is the order's, never the order talked about before in its place.
    await bot.as_user(ANNA).transcript("""
        user: visa order 4708
        bot:  ~ 4708
        user: var är 4712, vilket inköpsordernummer hade den?
        bot:  [order.status]
        bot:  ~ Order 4712
        bot:  ~ NV-PO-902
        bot:  !~ 4708
    """)


async def test_who_carries_it_and_what_was_in_it_are_the_order_talked_about(bot: BotDriver) -> None:
    """The carrier and the contents asked of the order just shown, in words of their own ("carrying",
    "levererar", "ingick"), are that order's answer, not "I didn't understand"."""
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711?
        bot:  [order.status]
        user: who is carrying it?
        bot:  [order.status]
        bot:  ~ PostNord
        user: what did it contain?
        bot:  [order.status]
        bot:  ~ 4711
    """)
    await bot.as_user(ERIK).transcript("""
        user: Hej! Var är order 4711?
        bot:  [order.status]
        user: vem levererar den?
        bot:  [order.status]
        bot:  ~ PostNord
        bot:  (sv)
    """)


async def test_a_bare_number_asked_why_it_takes_so_long_is_an_order(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: do we have any delayed orders?
        bot:  [order.search]
        user: why is 4712 taking so long?
        bot:  [order.status]
        bot:  ~ Order 4712
        user: varför dröjer 4711?
        bot:  [order.status]
        bot:  ~ Order 4711
    """)


async def test_the_orders_not_shipped_yet_leave_out_the_shipped_ones(bot: BotDriver) -> None:
    """ "Not shipped yet" is before shipping (received, confirmed, in production); "not delivered" is
    every open order, shipped ones too. Order 4711 has shipped, 4712 is in production."""
    await bot.as_user(ANNA).transcript("""
        user: which orders have not shipped yet?
        bot:  [order.search]
        bot:  ~ 4712
        bot:  !~ 4711
        user: vilka ordrar har inte skickats än?
        bot:  [order.search]
        bot:  ~ 4712
        bot:  !~ 4711
        user: which orders are not delivered yet?
        bot:  [order.search]
        bot:  ~ 4711
        bot:  ~ 4712
    """)


async def test_a_list_picked_from_by_its_place_with_a_word_of_listing(bot: BotDriver) -> None:
    """ "Show the second one", "visa den tredje" right after a list read as listing again: the one picked
    from the list, never the whole list once more. The open orders, newest first: 4712, 4711, 4708."""
    await bot.as_user(ANNA).transcript("""
        user: vilka ordrar är öppna?
        bot:  [order.search]
        user: visa den andra
        bot:  [order.status]
        bot:  ~ Order 4711
        user: visa den tredje
        bot:  [order.status]
        bot:  ~ Order 4708
    """)
    await bot.as_user(ANNA).transcript("""
        user: show my open orders
        bot:  [order.search]
        user: show the second one
        bot:  [order.status]
        bot:  ~ Order 4711
        user: show me the third order
        bot:  [order.status]
        bot:  ~ Order 4708
    """)


async def test_the_month_before_said_with_den_is_a_period_not_a_record(bot: BotDriver) -> None:
    """ "Och den förra månaden?" right after a list: "den" is the article of the month, not "it"; the
    list is asked again for a period, never "which order do you mean?"."""
    await bot.as_user(ANNA).transcript("""
        user: visa mina ordrar från förra månaden
        bot:  [order.search]
        user: och den förra månaden?
        bot:  [order.search]
        bot:  !~ Vilken order
        user: och i år?
        bot:  [order.search]
    """)


async def test_chat_style_numbers_thanks_and_corrections(bot: BotDriver) -> None:
    """As typed in Slack or Teams: "ord-4711", "sry 4710" (a correction), "tnx", "ok mvh"."""
    await bot.as_user(ANNA).transcript("""
        user: hey whats the status of ord-4711
        bot:  [order.status]
        bot:  ~ Order 4711
        user: where is order 4790
        bot:  [order.status]
        user: sry 4712
        bot:  [order.status]
        bot:  ~ Order 4712
        user: tnx
        bot:  [smalltalk.thanks]
        user: ok mvh
        bot:  [smalltalk.goodbye]
    """)


async def test_an_eta_a_courier_and_what_an_order_holds_asked_the_chat_way(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is 4712
        bot:  [order.status]
        user: any eta?
        bot:  [order.status]
        bot:  ~ 4712
        user: vad innehåller 4711?
        bot:  [order.status]
        bot:  ~ 4711
        bot:  !~ Vilken faktura
        user: nej 4712 sorry
        bot:  [order.status]
        bot:  ~ 4712
        user: vem är budfirman för 4711
        bot:  [order.status]
        bot:  ~ PostNord
    """)


async def test_a_guest_giving_an_order_and_the_customer_number_bare_gets_the_order(bot: BotDriver) -> None:
    """ "4711 kundnummer 1000123" reads to the NLU like the account statement, which a guest may not see:
    a guest's order look-up it is, with the same check of the customer number; another company's
    customer number learns nothing."""
    await bot.as_guest().transcript("""
        user: 4711 kundnummer 1000123
        bot:  [order.status]
        bot:  ~ Order 4711
        bot:  !~ Logga in för att se det
    """)
    await bot.as_guest().transcript("""
        user: 4711 kundnummer 2000456
        bot:  [order.status]
        bot:  !~ skickad
        bot:  !~ PostNord
    """)
