"""A message asking after records of different kinds at once ("where is order 4711 and when is INV-2031
due?") gets each answered, in the order asked, in one reply; the record asked about last is the one
talked about next. A message about two records that is one question ("is INV-2031 the invoice for
order 4711?") stays one, and a part that would act is never answered on its own."""

from __future__ import annotations

from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"


async def test_an_order_and_an_invoice_asked_after_in_one_message_are_both_answered(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: where is order 4711 and when is INV-2031 due?
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped with PostNord
        bot:  ~ Invoice INV-2031 of
        bot:  ~ due
        user: status of order 4711 and contract C-1001
        bot:  ~ Order 4711 has shipped
        bot:  ~ Contract C-1001
        user: when does it expire?
        bot:  [contract.status]
        bot:  ~ C-1001
        bot:  !~ Order 4711
    """)


async def test_two_questions_in_swedish_each_a_sentence(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: Var är order 4711? Och när går avtal C-1001 ut?
        bot:  (sv)
        bot:  ~ Order 4711 är skickad med PostNord
        bot:  ~ Avtal C-1001
        user: hur ser det ut med order 4712, och faktura INV-2032?
        bot:  ~ Order 4712
        bot:  ~ Faktura INV-2032
    """)


async def test_one_question_about_two_records_stays_one(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: is INV-2031 the invoice for order 4711?
        bot:  [invoice.get]
        bot:  ~ It bills order 4711
        bot:  !~ PostNord
    """)


async def test_a_part_that_would_act_is_not_answered_apart(bot: BotDriver) -> None:
    """ "Approve INV-2031 and where is order 4711" is answered as one message, as before: the approval,
    done once; the order is not looked up on its own beside it."""
    chat = bot.as_user(ANNA)
    reply = await chat.say("approve INV-2031 and where is order 4711")
    assert reply.intent == "invoice.approve" and "PostNord" not in reply.text, reply.text


async def test_another_companys_record_in_one_part_looks_like_none_and_the_other_is_answered(
    bot: BotDriver,
) -> None:
    """Max of Contoso asks after his own order and Nordisk's contract: his order is answered, and the
    contract reads exactly as one that does not exist."""
    theirs = await bot.as_user(MAX).say("where is order 5801 and what about contract C-1001?")
    unknown = await bot.as_user(MAX).say("where is order 5801 and what about contract C-1999?")
    assert "Order 5801 was delivered" in theirs.text, theirs.text
    assert "IBM Power" not in theirs.text and "C-1001" in theirs.text
    assert theirs.text == unknown.text.replace("C-1999", "C-1001")


async def test_a_question_without_a_record_of_its_own_beside_one_with_a_record(bot: BotDriver) -> None:
    """The second question need not name a record: "what's our balance" beside an order, either way
    round. A listing is said last, so that its words lead to its rows."""
    await bot.as_user(ANNA).transcript("""
        user: where is 4712 and whats our balance
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        bot:  ~ balance
        user: whats our balance and where is 4712?
        bot:  [statement.show]
        bot:  ~ Order 4712 is in production
    """)
    both = await bot.as_user(ANNA).say("whats our balance and where is 4712?")
    assert both.table is not None and both.text.index("Order 4712") < both.text.index("balance"), both.text


async def test_a_greeting_before_two_questions_and_an_action_asked_last(bot: BotDriver) -> None:
    """ "Hej! Två saker: var är 4711 och kan ni skicka fakturan för den till ekonomi@…": the greeting
    is left aside, the order answered, and its invoice mailed (the last question may act; "den" is
    the order just answered)."""
    await bot.as_user(ANNA).transcript("""
        user: hej! två saker: var är 4711 och kan ni skicka fakturan för den till ekonomi@nordisk.example
        bot:  (sv)
        bot:  ~ Order 4711 är skickad med PostNord
        bot:  ~ mejlat faktura INV-2031
        bot:  ~ ekonomi@nordisk.example
    """)


async def test_two_contracts_named_are_each_answered(bot: BotDriver) -> None:
    """Contracts are answered one at a time: both named are answered, and another company's one
    reads as one that does not exist."""
    await bot.as_user(ANNA).transcript("""
        user: status på avtal C-1001 och C-2001
        bot:  ~ Avtal C-1001
        bot:  ~ Jag hittade inte avtal C-2001
    """)
    await bot.as_user(ANNA).transcript("""
        user: var finns serienummer 78ABC12 och 78XYZ34?
        bot:  ~ 78ABC12
        bot:  ~ Kista
        bot:  ~ 78XYZ34
        bot:  ~ Göteborg
    """)


async def test_a_follow_up_of_the_same_thing_stays_one_question(bot: BotDriver) -> None:
    """ "Where is order 4711 and when will it arrive?" is one question about one order, not two."""
    reply = await bot.as_user(ANNA).say("where is order 4711 and when will it arrive?")
    assert reply.intent == "order.status" and reply.text.count("4711") == 1, reply.text


async def test_it_after_a_record_and_an_empty_list_asked_together_is_the_record(bot: BotDriver) -> None:
    """Max's contract and his open requests, of which he has none: "it" next is the contract."""
    await bot.as_user(MAX).transcript("""
        user: show contract C-2001 and our open requests
        bot:  ~ Contract C-2001
        bot:  ~ no open requests
        user: download it as pdf
        bot:  [contract.document]
        bot:  ~ C-2001
    """)


async def test_two_orders_asked_by_number_alone_are_the_orders(bot: BotDriver) -> None:
    """ "Show me 4711 and 4712" names two orders and no word of invoices: the orders, not the invoice
    of the first."""
    await bot.as_user(ANNA).transcript("""
        user: show me 4711 and 4712
        bot:  [order.status]
        bot:  ~ Order 4711
        bot:  ~ Order 4712
        bot:  !~ INV-2031
    """)
