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


def test_every_word_the_tool_pattern_takes_begins_as_the_extractor_looks_for() -> None:
    """The extractor runs the tool pattern only on a message with a word of ``STARTS``: a tool word that
    begins otherwise would be missed. Every word of the examples, as written and in capitals, shows it."""
    from supportbot.bot.nlu.entities.tools import _TOOL, STARTS
    from supportbot.intents import all_intents

    said = {
        w
        for spec in all_intents()
        for lines in spec.examples.values()
        for line in lines
        for w in line.split()
    }
    said |= {"invoices", "bills", "billing", "statements", "equipment", "tickets", "requests", "ordrar"}
    taken = [w for w in said for written in (w, w.upper()) if w.isascii() and _TOOL.search(written)]
    assert taken
    assert [w for w in taken if not w.lower().strip(".,!?:;()\"'").startswith(STARTS)] == []


@pytest.mark.parametrize(
    ("text", "tools"),
    [
        ("ACCESS TO INVOICES AND CONTRACTS", ["invoices", "contracts"]),
        ("Billing, Orders", ["invoices", "orders"]),
    ],
)
def test_tools_in_capitals_are_found(text: str, tools: list[str]) -> None:
    assert [value for value, _ in found(text, "tool")] == tools


def test_the_word_checks_pass_over_no_tool() -> None:
    """Given a message's words, a message that cannot name a tool (not about access, and a digit or a
    word no tool phrase takes) is passed over before the pattern runs; the tools found must be those
    running it always finds."""
    import re

    from supportbot.bot.nlu.entities.found import Claims
    from supportbot.bot.nlu.entities.tools import tools
    from supportbot.intents import all_intents

    texts = [line for spec in all_intents() for lines in spec.examples.values() for line in lines]
    texts += [
        "invoices and contracts",
        "Billing, Orders",
        "all of the tools please",
        "alla verktygen",
        "access to invoice_x",
        "4711access to orders",
        "invoice-related access",
        "the invoices, the orders",
        "contracts 2",
        "ACCESS TO INVOICES AND CONTRACTS",
    ]
    found = 0
    for text in texts:
        if not text.isascii():
            continue
        words = frozenset(re.findall(r"[^\W\d_]+|\w+", text.lower()))
        always, checked = Claims(), Claims()
        tools(text, always)
        tools(text, checked, words=words)
        assert checked.found == always.found, text
        found += len(always.found)
    assert found > 20
