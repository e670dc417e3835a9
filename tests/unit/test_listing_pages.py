"""When a message asks for the next page of a list shown, and when its "next" or "more" is a period or a
comparison: "does any of them expire within the next 3 months?" after a list of contracts is a question
about the contracts, not a page of them."""

from __future__ import annotations

import pytest

from supportbot.intents.common import asks_for_more


@pytest.mark.parametrize(
    "text",
    [
        "more",
        "show more please",
        "next",
        "next page",
        "the next ones",
        "nästa",
        "fler",
        "visa mer",
        "visa resten",
    ],
)
def test_a_page_asked_for(text: str) -> None:
    assert asks_for_more(text)


@pytest.mark.parametrize(
    "text",
    [
        "does any of them expire within the next 3 months?",
        "which are due next month?",
        "nästa vecka",
        "vilka förfaller nästa månad",
        "more than 30 days overdue",
        "fakturor på mer än 10 000 kr",
        "fler än fem ordrar",
    ],
)
def test_a_period_or_a_comparison_is_no_page(text: str) -> None:
    assert not asks_for_more(text)
