"""``trusted``: a model of values already checked, the same as pydantic would make of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from supportbot.bot.nlu import NLU
from supportbot.bot.nlu.types import Entity, Parse
from supportbot.bot.state import DialogState
from supportbot.integrations.models import Carrier, Money, Order, OrderStatus, Shipment, trusted
from supportbot.intents import all_intents


def test_a_trusted_model_is_the_one_validation_makes() -> None:
    values = {
        "number": "4711",
        "po_number": None,
        "status": OrderStatus.SHIPPED,
        "ordered_at": datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        "expected_delivery": None,
        "delivered_at": None,
        "total": Money(minor=125_000, currency="SEK"),
        "site": "Kista",
        "customer_number": "1000123",
        "lines": (),
        "shipments": (Shipment(carrier=Carrier.DHL, tracking_number="JD1", tracking_url="https://x/JD1"),),
        "history": (),
    }
    made = trusted(Order, **values)
    validated = Order.model_validate(values)
    assert made == validated
    assert made.model_dump(mode="json") == validated.model_dump(mode="json")
    assert made.model_fields_set == set(values)


def test_a_field_left_out_gets_its_default() -> None:
    made = trusted(Shipment, carrier=Carrier.UPS, tracking_number="1Z", tracking_url="https://x/1Z")
    assert made.delivered_at is None and made.model_fields_set == {
        "carrier",
        "tracking_number",
        "tracking_url",
    }


def test_a_model_with_private_attributes_is_made_as_pydantic_makes_it() -> None:
    empty = DialogState()
    made = trusted(DialogState, **{name: getattr(empty, name) for name in DialogState.model_fields})
    assert made == empty and made._made_current == []


def test_the_nlus_parse_is_the_one_validation_makes() -> None:
    nlu = NLU(all_intents(), site_names=("Kista", "Göteborg"))
    said = [
        "where is my order 4711?",
        "var är order 4711 och faktura INV-2031?",
        "invoices from last month over 10 000 SEK",
        "the other one",
        "4711",
        "hej",
        "",
    ]
    for text in said:
        parse = nlu.parse(text, today=date(2026, 6, 17))
        validated = Parse.model_validate(parse.model_dump())
        assert parse == validated and repr(parse) == repr(validated), text
        assert type(parse.confidence) is float and parse.model_fields_set == set(Parse.model_fields)
        assert all(e.model_fields_set == set(Entity.model_fields) for e in parse.entities)
    assert {e.type for text in said for e in nlu.parse(text, today=date(2026, 6, 17)).entities} >= {
        "order_number",
        "invoice_number",
        "date_range",
        "amount",
        "reference",
    }
