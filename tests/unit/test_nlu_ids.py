"""Document numbers, one extractor at a time: values in the catalogue's shape, spans on the right text."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from supportbot.bot.nlu.entities import EntityExtractor
from supportbot.bot.nlu.entities.ids import is_plural, named_kind

TODAY = date(2026, 6, 17)
EXTRACTOR = EntityExtractor(("Kista", "Göteborg", "München"))


def found(text: str, entity_type: str | None = None) -> list[tuple[str, Any, str]]:
    """(type, value, the text the span covers) for every entity, or those of one type."""
    return [
        (f.type, f.value, text[f.start : f.end])
        for f in EXTRACTOR.extract(text, today=TODAY)
        if entity_type is None or f.type == entity_type
    ]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("where is order 4711?", "4711", "4711"),
        ("What's the status of order no. 4712", "4712", "4712"),
        ("order number: 5801 please", "5801", "5801"),
        ("kan du kolla ordernummer 4711", "4711", "4711"),
        ("var är ordern 4712?", "4712", "4712"),
        ("has #4711 shipped yet?", "4711", "#4711"),
        ("4711", "4711", "4711"),
        ("it's 4712", "4712", "4712"),
        ("when will 5801 be delivered", "5801", "5801"),
        ("har beställning 4711 skickats", "4711", "4711"),
        ("track 1234567890 for me", "1234567890", "1234567890"),
        ("check 4711", "4711", "4711"),
        ("why is 4712 taking so long?", "4712", "4712"),  # what is said of a late delivery
        ("varför dröjer 4711?", "4711", "4711"),
        ("we are still waiting for 4711", "4711", "4711"),
        ("what about 4712?", "4712", "4712"),
        ("4711 tack", "4711", "4711"),
        ("any news on 4712?", "4712", "4712"),
        ("något nytt om 4712?", "4712", "4712"),
        ("var är 4711?", "4711", "4711"),  # a Swedish word before it, as written ("är")
        ("details on 4712 please", "4712", "4712"),
        ("Varför är 4712 försenad?", "4712", "4712"),  # late: said of an order
        ("why is 4712 delayed", "4712", "4712"),
        ("var e min leverns 4711", "4711", "4711"),  # an order's word with one slip
        ("where is my shippment 4711", "4711", "4711"),
        ("update on 5801?", "5801", "5801"),
        ("kan ni ändra leveransadressen för 4712", "4712", "4712"),  # a compound of an order word
        ("vad är leveransdatumet för 4711?", "4711", "4711"),
        ("leveranstiden för 4711", "4711", "4711"),
        ("purchase 4712 status", "4712", "4712"),  # a purchase is an order
        ("where is my purchase 4711?", "4711", "4711"),
        ("var är köpet 4711?", "4711", "4711"),
        # After an order's word, a number as long as a customer's own systems write one.
        ("order 370795561790 status", "370795561790", "370795561790"),
        ("how to locate order 00004587345?", "00004587345", "00004587345"),
        ("purchase 113542617735902 status", "113542617735902", "113542617735902"),
        ("var är beställning 00012345678901", "00012345678901", "00012345678901"),
        # Greeted first, or its question word typed with a slip.
        ("hey where is 4711", "4711", "4711"),
        ("hej! var är 4711?", "4711", "4711"),
        ("good morning, any news on 4712?", "4712", "4712"),
        ("whre is 4711", "4711", "4711"),
        ("chek 4712 pls", "4712", "4712"),
        # A contracted question word, an aside or a pause around it.
        ("where's 5801", "5801", "5801"),
        ("where is 4711 btw", "4711", "4711"),
        ("hang on, where is 4711 again?", "4711", "4711"),
        ("vänta, var är 4712 förresten?", "4712", "4712"),
        ("ok. 4712 then", "4712", "4712"),
        ("4711 istället", "4711", "4711"),
    ],
)
def test_order_numbers(text: str, value: str, span: str) -> None:
    assert found(text, "order_number") == [("order_number", value, span)]


def test_several_order_numbers_in_one_message() -> None:
    assert [v for _, v, _ in found("compare orders 4711 and 4712", "order_number")] == ["4711", "4712"]
    assert [v for _, v, _ in found("ordrar 4711, 4712 och 5801", "order_number")] == ["4711", "4712", "5801"]


@pytest.mark.parametrize(
    "text",
    [
        "show my orders from 2026",  # a year
        "orders in 2025 please",
        "invoice of 1200 SEK for my order",  # an amount
        "beställningen på 4 500 kr",
        "order placed on 2026-05-01",  # a date
        "track parcel 00370712345678901234",  # a tracking number (20 digits)
        "customer number 1000123, where is my order",  # a customer number
        "the FlashSystem 5200 order",  # a model number
        "order 100 units of toner",  # a quantity
        "call me on 070 123 4567",  # no order context
        "my flight 4711 is late",
        "I was born in 1985",
        "support 24/7 for orders",
        "leveransvillkoren gäller från 2026",  # a year beside a compound of an order word
        "leveransen kom med FlashSystem 5200",  # a model number beside one
        "purchase 100 licenses",  # a quantity to buy
        "my purchases 2025",  # a year of them
        "call me on 0046701234567 about the order",  # a long number not after the order's word
        "hey, we have 3000 licences",  # a greeting is no order's word
        "hi there, room 4711 please",
    ],
)
def test_no_false_order_numbers(text: str) -> None:
    assert found(text, "order_number") == []


@pytest.mark.parametrize(
    ("text", "entity_type", "value", "span"),
    [
        ("where is PO NV-PO-889", "po_number", "NV-PO-889", "NV-PO-889"),
        ("status på inköpsorder NV-PO-889", "po_number", "NV-PO-889", "NV-PO-889"),
        ("our ref is ab-po-12345", "po_number", "AB-PO-12345", "ab-po-12345"),
        ("purchase order 4500012345 has not arrived", "po_number", "4500012345", "4500012345"),
        ("PO# 778899", "po_number", "778899", "778899"),
        ("show invoice INV-2031", "invoice_number", "INV-2031", "INV-2031"),
        ("visa faktura inv2031", "invoice_number", "INV-2031", "inv2031"),
        ("INV 2032 is paid?", "invoice_number", "INV-2032", "INV 2032"),
        ("show me invoice 2031", "invoice_number", "INV-2031", "2031"),
        ("purchase order 4711", "po_number", "4711", "4711"),
        ("fakturanummer 3050", "invoice_number", "INV-3050", "3050"),
        ("a copy of credit note CN-0107", "credit_number", "CN-0107", "CN-0107"),
        ("kreditnota cn0107", "credit_number", "CN-0107", "cn0107"),
        ("when does C-1001 expire", "contract_number", "C-1001", "C-1001"),
        ("visa avtal 2001", "contract_number", "C-2001", "2001"),
        ("när går avtal C 1001 ut?", "contract_number", "C-1001", "C 1001"),  # spaced, after its word
        ("status of RQ-2026-000123", "request_number", "RQ-2026-000123", "RQ-2026-000123"),
        ("ärende rq-2026-123", "request_number", "RQ-2026-000123", "rq-2026-123"),
        # a number of another shape after a request's word: looked up as typed (and not found)
        ("what's the status of request 904512?", "request_number", "904512", "904512"),
        ("hur går det med mitt ärende 551203", "request_number", "551203", "551203"),
        ("customer number 1000123 and order 4711", "customer_number", "1000123", "1000123"),
        ("mitt kundnummer är 2000456", "customer_number", "2000456", "2000456"),
        ("kundnumret ar 1000123", "customer_number", "1000123", "1000123"),  # "är" typed without its dots
        (
            "send it to erik.lund@nordisk.example",
            "email",
            "erik.lund@nordisk.example",
            "erik.lund@nordisk.example",
        ),
        (
            "mejla Anna.Berg@Nordisk.Example",
            "email",
            "anna.berg@nordisk.example",
            "Anna.Berg@Nordisk.Example",
        ),
    ],
)
def test_document_numbers(text: str, entity_type: str, value: str, span: str) -> None:
    assert found(text, entity_type) == [(entity_type, value, span)]


def test_prefixed_ids_are_not_order_numbers_or_years() -> None:
    assert found("INV-2031") == [("invoice_number", "INV-2031", "INV-2031")]
    assert found("RQ-2026-000123") == [("request_number", "RQ-2026-000123", "RQ-2026-000123")]
    assert found("C-2001") == [("contract_number", "C-2001", "C-2001")]


def test_a_bare_number_after_invoice_is_the_invoice_not_an_order() -> None:
    assert found("the invoice 2031 for order 4711") == [
        ("invoice_number", "INV-2031", "2031"),
        ("order_number", "4711", "4711"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "what's the difference between power10 and power11",  # "po" begins "power": no PO word
        "is the order10x model still sold",
        "billing2031 export",
    ],
)
def test_a_record_word_inside_another_word_names_no_record(text: str) -> None:
    assert found(text) == []


def test_a_number_right_after_a_record_word_is_its_own() -> None:
    assert found("PO12345 status", "po_number") == [("po_number", "12345", "12345")]
    assert found("invoice2031") == [("invoice_number", "INV-2031", "2031")]


def test_the_word_check_passes_over_no_number_after_a_record_word() -> None:
    """Given a message's words, one with no word that begins as a record word does is passed over
    before the keyword pattern runs; the numbers found must be those running it always finds."""
    import re

    from supportbot.bot.nlu.entities.found import Claims
    from supportbot.bot.nlu.entities.ids import keyword_ids
    from supportbot.intents import all_intents

    texts = [line for spec in all_intents() for lines in spec.examples.values() for line in lines]
    texts += [
        "p.o. 4711-A",
        "P.O. 4711",
        "INVOICE NUMBER 2031",
        "kund-nr 1000123",
        "order-nr 4711",
        "credit  note 107",
        "orders4711",
        "the 4711 invoice",
        "cust. 1000123",
        "ticket # 2026-12",
    ]
    found = 0
    for text in texts:
        if not text.isascii() or not any(ch.isdigit() for ch in text):
            continue
        words = frozenset(re.findall(r"[^\W\d_]+|\w+", text.lower()))
        always, checked = Claims(), Claims()
        keyword_ids(text, always)
        keyword_ids(text, checked, words=words)
        assert checked.found == always.found, text
        found += len(always.found)
    assert found > 20


@pytest.mark.parametrize("extractor", ["keyword_ids", "typo_keyword_ids", "amounts", "statuses"])
def test_the_word_checks_hold_in_latin_1_text(extractor: str) -> None:
    """Given the words of a message in ASCII or Latin-1 (where lower-casing is how the patterns ignore
    case), an extractor that checks them before its pattern runs finds what running it always finds:
    record words, their typos (with "nr" written on), amounts and status phrases, in any case."""
    import re

    from supportbot.bot.nlu.entities.amounts import amounts
    from supportbot.bot.nlu.entities.found import Claims
    from supportbot.bot.nlu.entities.ids import keyword_ids, typo_keyword_ids
    from supportbot.bot.nlu.entities.status import statuses
    from supportbot.intents import all_intents

    run = {
        "keyword_ids": keyword_ids,
        "typo_keyword_ids": typo_keyword_ids,
        "amounts": amounts,
        "statuses": statuses,
    }[extractor]
    texts = [line for spec in all_intents() for lines in spec.examples.values() for line in lines]
    texts += [
        "var är ordr 4712?",
        "ORDRNR 4712",
        "fakutranr 2031",
        "Ärende 2026-12",
        "ÄRENDET 2026-13",
        "BESTÄLLNING 4711",
        "beställnign 4711",
        "kontarkt 1001",
        "BELOPP 500",
        "summan är 1 200,50",
        "£20 för frakten",
        "100kr",
        "5 000:-",
        "€ 300",
        "öppna ordrar på väg",
        "ÖPPNA ORDRAR",
        "PÅ VÄG sedan i går",
        "inte levererade beställningar",
        "ordrar i produktion",
    ]
    tried = found = 0
    for variant in (variant for text in texts for variant in (text, text.upper())):
        if not variant or not (variant.isascii() or (max(variant) < "\u0100" and "\u00b5" not in variant)):
            continue
        always, checked = Claims(), Claims()
        run(variant, always)
        run(variant, checked, words=frozenset(re.findall(r"[^\W\d_]+|\w+", variant.lower())))
        assert checked.found == always.found, variant
        tried += 1
        found += len(always.found)
    assert tried > 100 and found > 10


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("fakturor", "invoice_number"),
        ("fakturorna", "invoice_number"),
        ("bills", "invoice_number"),
        ("avtalen", "contract_number"),
        ("ärenden", "request_number"),
        ("tickets", "request_number"),
    ],
)
def test_a_plural_names_its_kind_of_record_and_several_of_them(word: str, kind: str) -> None:
    assert named_kind(word) == kind and is_plural(word)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("vårt kundnummer är 1 000 123 om jag inte minns fel", "1000123"),
        ("customer number 1 000 123", "1000123"),
        ("kundnummer 1000123", "1000123"),
    ],
)
def test_a_customer_number_written_in_groups_is_one_number(text: str, value: str) -> None:
    assert [
        e.value
        for e in EntityExtractor().extract(text, today=date(2026, 6, 17))
        if e.type == "customer_number"
    ] == [value]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("what's the status of order 4 712?", "order_number", ["4712"]),
        ("var är order nr. 4\u00a0711", "order_number", ["4711"]),
        ("status of order (4 712)", "order_number", ["4712"]),
        ("faktura 2 031", "invoice_number", ["INV-2031"]),
        ("order 4 712 and 4711", "order_number", ["4712", "4711"]),
        ("orders 4711 4712", "order_number", ["4711", "4712"]),
        ("order 4711 2 units", "order_number", ["4711"]),
    ],
)
def test_a_record_number_written_in_groups_of_three_is_one_number(
    text: str, kind: str, value: list[str]
) -> None:
    """Swedes group a figure's digits with a space: after the record's word it is one number, never
    the last group alone (order 712) nor a list of two."""
    assert [v for _, v, _ in found(text, kind)] == value


@pytest.mark.parametrize("text", ["vitamin C 1000 mg", "building C 1001", "C 1001"])
def test_a_spaced_c_and_number_is_a_contract_only_after_its_word(text: str) -> None:
    assert found(text, "contract_number") == []


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("I have two orders open, 4711 and 4712. where's the first one?", ["4711", "4712"]),
        ("where's 5801, the DHL one", ["5801"]),
        ("tja, 4712 skulle varit klar förra veckan, kan ni kolla?", ["4712"]),
        ("vad ar status pa 4712 da", ["4712"]),
        ("ok, var ar 4712 da", ["4712"]),  # only small words around it, typed without å, ä, ö
        ("hm. and 5801?", ["5801"]),
        ("the FlashSystem, 5200 model", []),
        ("room 4711 is booked", []),
    ],
)
def test_a_bare_number_in_a_message_of_orders(text: str, numbers: list[str]) -> None:
    """In a message with a word of orders (a carrier's name too) or one asking for a look-up, a bare
    number after a comma starts a list, and one after a small word typed without its å is an order's."""
    assert [v for _, v, _ in found(text, "order_number")] == numbers
