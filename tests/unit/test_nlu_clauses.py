"""Where a message asking after records of different kinds is cut into its questions, and where it is
one question about both and stays whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final

import pytest

from supportbot.bot.nlu import NLU
from supportbot.bot.nlu.clauses import Questions, last_sentence, may_hold_several
from supportbot.intents import all_intents

TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def nlu() -> NLU:
    return NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))


READ: Final = Questions.of(all_intents())
TOGETHER: Final = replace(READ, one_at_a_time=frozenset())
"""The catalogue's reading, and one that asks no family's records one at a time."""
questions, cuts, family = TOGETHER.questions, READ.cuts, READ.family


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("where is order 4711 and when is INV-2031 due?", ["where is order 4711", "when is INV-2031 due?"]),
        ("status of order 4711 and contract C-1001", ["status of order 4711", "contract C-1001"]),
        (
            "Var är order 4711? Och när går avtal C-1001 ut?",
            ["Var är order 4711?", "när går avtal C-1001 ut?"],
        ),
        ("order 4711, and is INV-2031 paid?", ["order 4711", "is INV-2031 paid?"]),
        ("visa order 4712 samt ärende RQ-2026-000123", ["visa order 4712", "ärende RQ-2026-000123"]),
        ("staus på odrer 4712 o faktura inv-2032", ["staus på odrer 4712", "faktura inv-2032"]),
        (
            "order 4711 and INV-2031, and request RQ-2026-000123",
            ["order 4711", "INV-2031", "request RQ-2026-000123"],
        ),
    ],
)
def test_questions_about_records_of_different_kinds_are_cut_apart(
    nlu: NLU, text: str, parts: list[str]
) -> None:
    assert questions(nlu.parse(text, today=TODAY)) == parts


@pytest.mark.parametrize(
    "text",
    [
        "where is order 4711?",  # one record
        "status of orders 4711 and 4712",  # records of one kind: the dialog's to answer together
        "is INV-2031 the invoice for order 4711?",  # no joint between them: one question about both
        "fakturan INV-2031 för order 4711",
        "INV-2031 is for order 4712 right?",
        "order 4711, INV-2031, C-1001 and RQ-2026-000123",  # more questions than are read apart
    ],
)
def test_one_question_stays_whole(nlu: NLU, text: str) -> None:
    assert questions(nlu.parse(text, today=TODAY)) is None


def test_a_message_with_a_record_is_offered_cut_at_each_of_its_first_joints(nlu: NLU) -> None:
    parse = nlu.parse("hej! två saker: var är 4711 och kan ni skicka fakturan för den", today=TODAY)
    assert cuts(parse) == [
        ("hej!", "två saker: var är 4711 och kan ni skicka fakturan för den"),
        ("hej! två saker: var är 4711", "kan ni skicka fakturan för den"),
    ]
    assert last_sentence("hej! två saker: var är 4711") == "var är 4711"
    assert cuts(nlu.parse("where is 4712 and whats our balance", today=TODAY))[0] == (
        "where is 4712",
        "whats our balance",
    ), "a bare number may be an order's in a part of its own"
    assert cuts(nlu.parse("show my invoices and my contracts", today=TODAY)) == [], "no record, no number"


def test_the_family_a_part_asks_of(nlu: NLU) -> None:
    assert family(nlu.parse("whats our balance", today=TODAY)) == "statement"
    assert family(nlu.parse("C-1001", today=TODAY)) == "contract", "a record said alone is its family's"
    assert family(nlu.parse("hmm", today=TODAY)) is None


def test_records_of_one_family_are_cut_apart_only_for_a_family_answered_one_at_a_time(nlu: NLU) -> None:
    parse = nlu.parse("status på avtal C-1001 och C-2001", today=TODAY)
    assert questions(parse) is None
    assert replace(TOGETHER, one_at_a_time=frozenset({"contract"})).questions(parse) == [
        "status på avtal C-1001",
        "C-2001",
    ]


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ("where is my order 4711?", False),
        ("var är order 4711?", False),
        ("where is 4712 and whats our balance", True),
        ("Var är order 4711? Och när går avtal C-1001 ut?", True),
        ("status of 4711, thanks", True),
        ("visa order 4712 samt ärende RQ-2026-000123", True),
    ],
)
def test_the_cheap_look_for_a_joint_comes_first(text: str, may: bool) -> None:
    """Most messages have no joint between words and are never read apart; one with a joint may be."""
    assert may_hold_several(text) is may
