"""``trusted``: a model of values already checked, the same as pydantic would make of them."""

from __future__ import annotations

from datetime import UTC, datetime

from supportbot.bot.state import DialogState
from supportbot.integrations.models import Carrier, Money, Order, OrderStatus, Shipment, trusted


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
