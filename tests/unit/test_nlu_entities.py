"""Amounts, sites, order status words and references, each on real-looking messages in both languages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from supportbot.bot.nlu.entities import EntityExtractor
from supportbot.bot.nlu.entities.references import marks_said, negated
from supportbot.bot.nlu.entities.sites import OTHER_SITE

TODAY = date(2026, 6, 17)
EXTRACTOR = EntityExtractor(("Kista", "Göteborg", "München"))


def found(text: str, entity_type: str) -> list[tuple[Any, str]]:
    return [
        (f.value, text[f.start : f.end])
        for f in EXTRACTOR.extract(text, today=TODAY)
        if f.type == entity_type
    ]


@pytest.mark.parametrize(
    ("text", "value", "currency", "span"),
    [
        ("INV-2031 is 125 000,00 SEK incl. VAT", "125000.00", "SEK", "125 000,00 SEK"),
        ("we were charged €1,200.50 twice", "1200.50", "EUR", "€1,200.50"),
        ("fakturan på 500 kr", "500.00", "SEK", "500 kr"),
        ("ordrar över 100 000 kronor", "100000.00", "SEK", "100 000 kronor"),
        ("it was 5 000:- too much", "5000.00", "SEK", "5 000:-"),
        ("1.200,50 EUR", "1200.50", "EUR", "1.200,50 EUR"),
        ("the total is $99.90", "99.90", "USD", "$99.90"),
        ("SEK 1200 for order 4711", "1200.00", "SEK", "SEK 1200"),
        ("beloppet är 3 450", "3450.00", None, "3 450"),
    ],
)
def test_amounts(text: str, value: str, currency: str | None, span: str) -> None:
    assert found(text, "amount") == [({"value": value, "currency": currency}, span)]


def test_numbers_without_currency_are_not_amounts() -> None:
    assert found("order 4711", "amount") == []
    assert found("between 1 and 15 October", "amount") == []


@pytest.mark.parametrize(
    ("text", "site", "span"),
    [
        ("what hardware do we have at Kista", "Kista", "Kista"),
        ("utrustning i kista", "Kista", "kista"),
        ("move it to gothenburg", "Göteborg", "gothenburg"),
        ("inventory in goteborg", "Göteborg", "goteborg"),
        ("servers in Gotheborg", "Göteborg", "Gotheborg"),
        ("what is installed in GÖTEBORG", "Göteborg", "GÖTEBORG"),
        ("Kistas servrar", "Kista", "Kistas"),
        ("equipment in munich", "München", "munich"),
        ("lagring i Munchen", "München", "Munchen"),
    ],
)
def test_sites_are_matched_fuzzily_to_the_canonical_name(text: str, site: str, span: str) -> None:
    assert found(text, "site") == [(site, span)]


@pytest.mark.parametrize(
    "text", ["show me a list", "the lista of invoices", "my monitor is broken", "Stockholm"]
)
def test_ordinary_words_are_not_sites(text: str) -> None:
    assert found(text, "site") == []


def test_no_sites_without_site_names() -> None:
    assert [f for f in EntityExtractor().extract("equipment in Kista", today=TODAY) if f.type == "site"] == []


@pytest.mark.parametrize(
    ("text", "status", "span"),
    [
        ("show my open orders", "open", "open"),
        ("visa mina öppna ordrar", "open", "öppna"),
        ("which orders are still open", "open", "open"),
        ("orders not yet delivered", "open", "not yet delivered"),
        ("ordrar som inte levererats än", "open", "inte levererats"),
        ("orders not shipped yet", "unshipped", "not shipped"),
        ("and the ones not yet shipped?", "unshipped", "not yet shipped"),
        ("vilka ordrar har inte skickats än", "unshipped", "inte skickats"),
        ("shipped orders this week", "shipped", "shipped"),
        ("ordrar som skickats igår", "shipped", "skickats"),
        ("visa levererade ordrar i maj", "delivered", "levererade"),
        ("orders in production", "in_production", "in production"),
        ("ordrar i produktion", "in_production", "i produktion"),
        ("cancelled orders", "cancelled", "cancelled"),
        ("makulerade ordrar", "cancelled", "makulerade"),
    ],
)
def test_order_status_words(text: str, status: str, span: str) -> None:
    assert found(text, "order_status") == [(status, span)]


@pytest.mark.parametrize(
    "text", ["open a ticket", "öppna ett ärende", "open invoice 2031", "visa öppna fakturor"]
)
def test_open_as_a_verb_or_about_invoices_is_no_order_status(text: str) -> None:
    assert found(text, "order_status") == []


@pytest.mark.parametrize(
    ("text", "reference", "span"),
    [
        ("status of my latest order", "latest", "my latest"),
        ("where is my last order", "latest", "my last"),
        ("var är min senaste order", "latest", "min senaste"),
        ("and the other one?", "other", "the other one"),
        ("den andra då?", "other", "den andra"),
        ("the first one please", "first", "the first one"),
        ("den första", "first", "den första"),
        ("the second one", "second", "the second one"),
        ("show the 2nd one", "second", "the 2nd one"),
        ("show me the third order", "third", "the third"),
        ("visa den tredje", "third", "den tredje"),
        ("den fjärde då", "fourth", "den fjärde"),
        ("the fifth one", "fifth", "the fifth one"),
        ("when will it arrive?", "it", "it"),
        ("när kommer den?", "it", "den"),
        ("skicka det till mig", "it", "det"),
        ("kan du mejla mig det?", "it", "det"),
        ("skriv ut det", "it", "det"),
    ],
)
def test_references(text: str, reference: str, span: str) -> None:
    assert found(text, "reference") == [(reference, span)]


def test_a_date_is_not_a_reference() -> None:
    assert found("levererad den 3 juni", "reference") == []
    assert found("orders from the last 30 days", "reference") == []
    # "den" as the article of a period, or an ordinal of a day or a quarter
    assert found("och den förra månaden?", "reference") == []
    assert found("visa ordrar den här veckan", "reference") == []
    assert found("levererad den tredje maj", "reference") == []
    assert found("fakturor från det andra kvartalet", "reference") == []
    assert found("visa den här", "reference") == [("it", "den här")]


def test_the_latest_version_is_the_records_not_the_latest_record() -> None:
    # "approve the latest version" right after contract C-1001: of C-1001, not the newest contract.
    assert found("I need to approve the latest version", "reference") == []
    assert found("sign the most recent version", "reference") == []
    assert found("show my latest invoice", "reference") == [("latest", "my latest")]


@pytest.mark.parametrize(
    "text",
    ["det är fel på min leverans", "var är det för fel?", "visa det är fel", "hur går det med order 4711"],
)
def test_swedish_det_points_back_only_as_the_object_of_a_verb_on_a_record(text: str) -> None:
    """ "det" is Swedish's commonest word: only "skicka det", "mejla mig det" point at the record."""
    assert found(text, "reference") == []


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("can I get the invoice for that order?", "order", "that order"),
        ("and the contract for that machine", "item", "that machine"),
        ("is this server under maintenance", "item", "this server"),
        ("fakturan för den ordern", "order", "den ordern"),
        ("visa avtalet för den här maskinen", "item", "den här maskinen"),
        ("skicka det avtalet", "contract", "det avtalet"),
        ("the same invoice again", "invoice", "the same invoice"),
    ],
)
def test_a_reference_naming_a_kind_of_record_is_about_it(text: str, kind: str, span: str) -> None:
    assert found(text, "about") == [(kind, span)]


def test_a_record_pointed_at_leaves_the_words_as_the_classifier_read_them() -> None:
    # "den" stays a reference beside it, so the classifier sees "#ref ordern" as it always did.
    assert found("fakturan för den ordern", "reference") == [("it", "den")]
    assert found("the invoice for that order", "reference") == []


def test_that_order_with_a_number_is_the_number() -> None:
    assert found("that order 4711", "about") == []
    assert found("that order 4711", "order_number") == [("4711", "4711")]


@pytest.mark.parametrize("text", ["not that one, the other", "nej, inte den, den andra"])
def test_not_that_one_points_away(text: str) -> None:
    references = [f for f in EXTRACTOR.extract(text, today=TODAY) if f.type == "reference"]
    assert [(f.value, negated(text, f.start)) for f in references] == [("it", True), ("other", False)]


@pytest.mark.parametrize(
    ("text", "entity_type", "value", "span"),
    [
        ("wheres my ordr 4712", "order_number", "4712", "4712"),
        ("whre is ordre 4711", "order_number", "4711", "4711"),
        ("oder nr 4711", "order_number", "4711", "4711"),
        ("fakutra 2031", "invoice_number", "INV-2031", "2031"),
        ("invocie 2032 please", "invoice_number", "INV-2032", "2032"),
        ("kontarkt 1001", "contract_number", "C-1001", "1001"),
        ("kontrakt C-1001", "contract_number", "C-1001", "C-1001"),
        ("fakutra INV-2031", "invoice_number", "INV-2031", "INV-2031"),
        ("beställnign 4711", "order_number", "4711", "4711"),
    ],
)
def test_a_typo_around_the_record_word_still_finds_the_number(
    text: str, entity_type: str, value: str, span: str
) -> None:
    assert found(text, entity_type) == [(value, span)]


@pytest.mark.parametrize(
    "text",
    ["servers older than 2020", "antal 100 licenser", "under 5000 kronor", "Power S1022 fan", "ordrs 2025"],
)
def test_words_of_their_own_are_no_typos_of_record_words(text: str) -> None:
    kinds = ("order_number", "invoice_number", "contract_number")
    assert [f for kind in kinds for f in found(text, kind)] == []


def _said() -> list[str]:
    """Every example message, and phrases made of the words the word checks look for."""
    from supportbot.bot.nlu.out_of_scope import OUT_OF_SCOPE
    from supportbot.intents import all_intents

    lines = [line for spec in all_intents() for texts in spec.examples.values() for line in texts]
    lines += [line for texts in OUT_OF_SCOPE.values() for line in texts]
    lines += [
        "my orders in production",
        "orders being built or in transit",
        "orders sent out",
        "the order is on its way",
        "orders not yet delivered",
        "the most recent one",
        "that one, not the other one",
        "the same machine",
        "THE LAST ONE",
        "is IT shipped",
        "Open Orders In Production",
    ]
    return lines


def test_the_word_checks_skip_no_status_nor_reference() -> None:
    """Given a message's words, the status and reference patterns are not run when the words a phrase
    needs are missing; what they find must be what running them always finds."""
    from supportbot.bot.nlu.entities.found import Claims
    from supportbot.bot.nlu.entities.references import references
    from supportbot.bot.nlu.entities.status import statuses

    found = 0
    for text in _said():
        if not text.isascii():
            continue
        words = frozenset(re.findall(r"[^\W\d_]+|\w+", text.lower()))
        for extract in (statuses, references):
            always, checked = Claims(), Claims()
            extract(text, always)
            extract(text, checked, words=words)
            assert checked.found == always.found, text
            found += len(always.found)
    assert found > 20


def test_the_word_check_skips_no_site() -> None:
    """Given a message's words, a message whose words are known to hold no site name is passed over
    before it is folded and split; the sites found must be those a full look finds, in any order of
    messages (words looked up before, or not)."""
    from supportbot.bot.nlu.entities.found import Claims
    from supportbot.bot.nlu.entities.sites import SiteMatcher

    texts = [*_said(), "servers in Gotheborg", "Kistas servrar", "lagring i Munchen", "4711kista", "x_kista"]
    checked_first = SiteMatcher(("Kista", "Göteborg", "München"))
    looked_first = SiteMatcher(("Kista", "Göteborg", "München"))
    found = 0
    for text in texts:
        words = frozenset(re.findall(r"[^\W\d_]+|\w+", text.lower()))
        always, checked, later = Claims(), Claims(), Claims()
        checked_first.extract(text, checked, words=words)
        looked_first.extract(text, always)
        looked_first.extract(text, later, words=words)
        assert checked.found == always.found == later.found, text
        found += len(always.found)
    assert found >= 5


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("my printer is broken", "is broken"),
        ("our laptop won't start", "won't start"),
        ("the server is down", "is down"),
        ("it's down again", "'s down"),
        ("server 78ABC12 keeps rebooting", "keeps rebooting"),
        ("the screen on the kiosk is flickering", "flickering"),
        ("the storage doesn't even power on", "doesn't even power on"),
        ("disk failure on 78ABC12", "disk failure"),
        ("the fan makes a strange noise", "makes a strange noise"),
        ("Printer not working", "not working"),
        ("skrivaren är trasig", "trasig"),
        ("servern startar inte", "startar inte"),
        ("datorn har gått sönder", "gått sönder"),
        ("skärmen flimrar", "flimrar"),
        ("lagringen har slutat fungera", "slutat fungera"),
        ("servern gick ner i natt", "gick ner"),
        ("Skrivaren Skriver Inte Ut", "Skriver Inte Ut"),
        ("there is an error on the server", "error on the server"),  # an error of a machine
        ("we have issues with one of our servers", "issues with one of our servers"),
        ("det är något fel på servern", "fel på servern"),
        ("vi har problem med skrivaren", "problem med skrivaren"),
        ("78XYZ34 in göteborg throws disk errors since yesterday", "throws disk errors"),
        ("the storage has read errors", "read errors"),
        ("our storage has been beeping since this morning", "has been beeping"),
        ("one disk shows amber", "shows amber"),
        ("servern i Kista piper", "piper"),
        ("en disk lyser orange", "lyser orange"),
        ("servern har startat om sig hela tiden", "startat om sig"),
        ("den startade om av sig själv", "startade om av sig själv"),
        ("the server has been rebooting all night", "has been rebooting"),
        ("it shows an amber warning LED on the front panel", "shows an amber"),
        ("one amber warning LED is on", "amber warning LED"),
        ("the management GUI reports a degraded array", "reports a degraded"),
        ("the fan is very loud", "fan is very loud"),  # loud said of a machine
        ("fläkten låter väldigt mycket", "fläkten låter väldigt mycket"),
        ("the server in Kista is really noisy", "server in Kista is really noisy"),
    ],
)
def test_a_fault_told_by_what_went_wrong(text: str, span: str) -> None:
    """A fault is found by its words for what went wrong, whatever broke; its value is the whole report."""
    assert found(text, "fault") == [(text, span)]


@pytest.mark.parametrize(
    "text",
    [
        "where is my order 4711?",
        "download the statement",
        "ladda ner fakturan",
        "hur fungerar det",
        "det låter bra",
        "I can't log in",
        "the invoice is wrong",
        "our balance is down",  # a figure goes down without anything broken
        "saldot ligger nere på noll",
        "open a ticket about the delivery",
        "does the contract cover the work in Kista?",
        "there is an error on my invoice",  # an error of no machine
        "problem with my order 4711",
        "fel på fakturan",
        "an issue with the delivery",
        "problem med inloggningen",
        "INV-2031 has errors",  # an invoice's errors are a question for invoicing
        "show red invoices",
        "the balance shows red",
        "the music is very loud",  # loud of no machine
        "det låter mycket",  # (a price that sounds like a lot)
        "vad är saldot, det är mycket",
    ],
)
def test_no_fault_where_nothing_is_said_to_be_broken(text: str) -> None:
    assert found(text, "fault") == []


def test_a_fault_stands_beside_what_it_is_about() -> None:
    """The machine and the site named in a report are still found: the report is about them."""
    text = "server 78ABC12 in Kista keeps rebooting"
    types = [f.type for f in EXTRACTOR.extract(text, today=TODAY)]
    assert {"serial_number", "site", "fault"} <= set(types)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("and the other site?", "the other site"),
        ("och den andra anläggningen?", "den andra anläggningen"),
        ("what about our other office", "our other office"),
    ],
)
def test_the_other_site_is_a_site_to_be_decided(text: str, span: str) -> None:
    assert found(text, "site") == [(OTHER_SITE, span)]


def test_the_other_one_is_no_site() -> None:
    assert found("the other one", "site") == []


@pytest.mark.parametrize(
    ("text", "span", "marks"),
    [
        ("the paid one", "the paid one", ["paid"]),
        ("no, the unpaid one", "the unpaid one", ["unpaid"]),
        ("the one that's not paid yet", "the one that's not paid", ["unpaid"]),
        ("the one in Göteborg", "the one in Göteborg", ["göteborg"]),
        ("den obetalda tack", "den obetalda", ["unpaid"]),
        ("den som har skickats, när kommer den?", "den som har skickats", ["shipped"]),
        ("den som inte är levererad", "den som inte är levererad", ["!delivered"]),
        ("den som står i Kista", "den som står i Kista", ["kista"]),
        ("ah right, I meant the open one", "the open one", ["open"]),
        ("den öppna", "den öppna", ["open"]),
        # with its kind after it, the kind left a word of the message
        ("send me a copy of that overdue invoice", "that overdue", ["overdue"]),
        ("den obetalda fakturan tack", "den obetalda", ["unpaid"]),
    ],
)
def test_a_record_of_a_list_told_by_what_sets_it_apart(text: str, span: str, marks: list[str]) -> None:
    assert ("marked", span) in found(text, "reference")
    assert marks_said(span) == marks


@pytest.mark.parametrize(
    "text",
    [
        "vad händer med den leasade lagringen",  # a thing of its own, named after
        "skicka den i morgon",  # "it", sent tomorrow
        "hur stort belopp står det på fakturan",
        "är den betald?",  # asked of it, not which
        "the one in the list",
        "show the delivered orders",  # a listing by status, no pick
        "the open invoices",
    ],
)
def test_words_that_only_look_like_a_pick_are_none(text: str) -> None:
    assert all(value != "marked" for value, _ in found(text, "reference"))
