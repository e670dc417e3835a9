"""A record of a list just shown, told by what sets it apart rather than by its number or place: "the
paid one", "den obetalda", "den som har skickats", "the one in Göteborg", "the expired one". The one
record that fits is answered; when several fit, the bot asks which, offering those as buttons; a list
never shown, or words that fit none, are never guessed. Played through the real pipeline on the demo
data (Nordisk: five invoices, one of them unpaid; eight orders, one in production; five contracts, one
expired, four active)."""

from __future__ import annotations

from email import message_from_bytes

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"


async def test_the_unpaid_one_of_the_invoices_listed(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: visa mina fakturor
        bot:  [invoice.list]
        user: den obetalda
        bot:  [invoice.get]
        bot:  ~ Faktura INV-2031
        bot:  ~ väntar på attest
    """)
    await bot.as_user(ANNA).transcript("""
        user: show me our invoices
        bot:  [invoice.list]
        user: the one that is not paid yet
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2031
    """)


async def test_several_that_fit_are_offered_to_choose_from(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: show me our invoices
        bot:  [invoice.list]
        user: the paid one
        bot:  [invoice.get]
        bot:  ~ not sure which one you mean
        bot:  ~ [INV-2030]
        bot:  !~ [INV-2031]
        press: INV-2032
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2032
        bot:  ~ Status: paid
    """)


async def test_a_status_or_a_site_tells_an_order_or_a_contract(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show my orders
        bot:  [order.search]
        user: the one that is in production
        bot:  [order.status]
        bot:  ~ Order 4712 is in production
        user: show our contracts
        bot:  [contract.status]
        user: the expired one
        bot:  [contract.status]
        bot:  ~ C-0950
        bot:  ~ expired
    """)
    await bot.as_user(ANNA).transcript("""
        user: visa våra avtal
        bot:  [contract.status]
        user: den aktiva
        bot:  ~ Vilken av dessa menar du?
        bot:  ~ [C-1001]
        bot:  !~ [C-0950]
        press: C-1003
        bot:  ~ C-1003
    """)


async def test_words_that_fit_nothing_shown_are_not_guessed(bot: BotDriver, application: Application) -> None:
    await bot.as_user(ANNA).transcript("""
        user: the paid one
        bot:  !~ INV-
        user: show our contracts
        bot:  [contract.status]
        user: the one in Stockholm
        bot:  ~ Which of these do you mean?
    """)


async def test_words_that_only_look_alike_are_no_pick(bot: BotDriver) -> None:
    """ "Den leasade lagringen" is a thing of its own, "skicka den i morgon" is "it" sent tomorrow: no
    record of a list is picked by them."""
    await bot.as_user(ANNA).transcript("""
        user: visa mina fakturor
        bot:  [invoice.list]
        user: vad händer med den leasade lagringen när avtalet går ut
        bot:  !~ Vilken av dessa
    """)


async def test_a_record_told_by_what_no_record_shown_is_is_never_another(bot: BotDriver) -> None:
    """ "Den som har skickats" after a list of one order in production is not that order: the bot asks
    which order rather than answer about one the words rule out."""
    await bot.as_user(ANNA).transcript("""
        user: kan du ta fram alla ordrar som är i produktion
        bot:  [order.search]
        bot:  ~ 4712
        user: och den som har skickats, vilket PO hade den?
        bot:  ~ Vilken order menar du?
        bot:  !~ 4712 är i produktion
    """)


async def test_that_one_of_several_items_is_asked_with_the_list_as_buttons(bot: BotDriver) -> None:
    """ "Move that one to Kista" or "is it covered?" after a list of several items: which one, with the
    list's items to press; the words said wait for the answer."""
    await bot.as_user(ANNA).transcript("""
        user: list all our installed hardware
        bot:  [inventory.show]
        user: move that one to Kista
        bot:  [inventory.change]
        bot:  ~ not sure which one you mean
        bot:  ~ [78XYZ34]
        press: 78XYZ34
        bot:  [inventory.change]
        bot:  ~ Kista
        bot:  ~ Shall I send it
    """)
    await bot.as_user(ANNA).transcript("""
        user: what do we have installed at Kista?
        bot:  [inventory.show]
        user: is it covered?
        bot:  [inventory.question]
        bot:  ~ not sure which one you mean
        bot:  !~ pass your question
        press: 78ABC12
        bot:  ~ under contract C-1001
    """)


async def test_that_one_of_several_contracts_is_asked_with_the_list_and_then_sent_on(
    bot: BotDriver, settings: Settings
) -> None:
    """ "History of that one" after five contracts were listed: which one, with the five to press (not a
    bare question for a number); what is then pointed at ("can I print it?", "send it to erik@…") is the
    one chosen."""
    await bot.as_user(ANNA).transcript("""
        user: what contracts do we have
        bot:  [contract.status]
        user: history of that one
        bot:  [contract.history]
        bot:  ~ not sure which one you mean
        bot:  ~ [C-1001]
        press: C-1001
        bot:  [contract.history]
        bot:  ~ history of contract C-1001
        user: can I print it?
        bot:  [contract.document]
        bot:  ~ C-1001-v2.pdf
        user: send it to erik.lund@nordisk.example
        bot:  ~ erik.lund@nordisk.example
    """)
    (mail,) = (settings.data_dir / "outbox").glob("*.eml")
    sent = message_from_bytes(mail.read_bytes())
    assert sent["To"] == "erik.lund@nordisk.example" and "C-1001" in sent["Subject"]


async def test_the_lease_and_the_credit_note_are_the_one_of_the_list(bot: BotDriver) -> None:
    """A list with one leased item: "when does the lease end?" is that item's; the statement with one
    credit note: "och kreditnotan?" is that one; "the open one" is the invoice still to pay."""
    await bot.as_user(ANNA).transcript("""
        user: hej, vad har vi för utrustning i göteborg?
        bot:  [inventory.show]
        user: när går leasingen ut?
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  ~ Leasad från
        user: vad har vi installerat i göteborg då?
        user: leasingen, när tar den slut?
        bot:  ~ 78XYZ34
        bot:  ~ Leasad från
        bot:  !~ inte säker
        user: vad har vi installerat i göteborg då?
        user: hur lange ar den leasad?
        bot:  ~ 78XYZ34
        bot:  ~ Leasad från
        bot:  !~ supportteam
        user: show me our invoices
        bot:  [invoice.list]
        user: the open one
        bot:  [invoice.get]
        bot:  ~ Invoice INV-2031
    """)


async def test_a_pick_with_its_kind_after_it(bot: BotDriver) -> None:
    """ "send me a copy of that overdue invoice" right after the statement is its overdue invoice, as "the
    overdue one" is; with nothing listed it asks which invoice (not which order)."""
    await bot.as_user("max.muller@contoso.example").transcript("""
        user: account statement please
        bot:  [statement.show]
        user: send me a copy of that overdue invoice
        bot:  [invoice.get]
        bot:  ~ INV-3050
    """)
    await bot.as_user(ANNA).transcript("""
        user: send me the unpaid invoice
        bot:  [invoice.get]
        bot:  ~ Which invoice
    """)
