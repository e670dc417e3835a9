"""Entities of access requests: AR numbers, and the tools a message asks access to."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from supportbot.bot.nlu.entities import EntityExtractor

TODAY = date(2026, 6, 17)
EXTRACTOR = EntityExtractor(("Kista", "Göteborg", "München"))


def found(text: str, entity_type: str) -> list[tuple[Any, str]]:
    return [
        (f.value, text[f.start : f.end])
        for f in EXTRACTOR.extract(text, today=TODAY)
        if f.type == entity_type
    ]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("approve access request AR-000012", "AR-000012", "AR-000012"),
        ("godkänn behörighetsbegäran ar-12", "AR-000012", "ar-12"),
        ("AR-7", "AR-000007", "AR-7"),
    ],
)
def test_access_request_numbers(text: str, value: str, span: str) -> None:
    assert found(text, "access_request_number") == [(value, span)]


@pytest.mark.parametrize("text", ["var ar min order 4711", "AR 12", "CAR-12", "ar-"])
def test_not_access_request_numbers(text: str) -> None:
    assert found(text, "access_request_number") == []


@pytest.mark.parametrize(
    ("text", "tools"),
    [
        ("I need access to invoices and contracts", ["invoices", "contracts"]),
        ("jag behöver behörighet till fakturor", ["invoices"]),
        ("request access to installed equipment", ["inventory"]),
        ("begär behörighet till installerad utrustning", ["inventory"]),
        ("request access to account statements", ["statements"]),
        ("request access to support requests", ["requests"]),
        ("begär behörighet till ärenden", ["requests"]),
        ("revoke erik's access to orders", ["orders"]),
        ("can I get access to all tools", ["all"]),
        ("invoices", ["invoices"]),  # the answer to "which tool?"
        ("fakturor och avtal", ["invoices", "contracts"]),
    ],
)
def test_tools(text: str, tools: list[str]) -> None:
    assert [value for value, _ in found(text, "tool")] == tools


@pytest.mark.parametrize(
    "text",
    [
        "the invoice 2031 for order 4711",  # documents, not tools
        "show my orders from last month",
        "show pending access requests",  # access requests are not the requests tool
        "approve access request AR-000012",
    ],
)
def test_no_tools_outside_talk_of_access(text: str) -> None:
    assert found(text, "tool") == []
