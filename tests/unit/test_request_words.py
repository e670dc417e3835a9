"""How a request's words are read: a long fault report's subject, a category or priority said with the
word for it ("hög prio", "teknisk fråga")."""

from __future__ import annotations

import re

import pytest

from supportbot.intents.requests import _CATEGORY_WORDS, _PRIORITY_WORDS, _headline, _pick, _words_pattern


@pytest.mark.parametrize(
    ("told", "headline"),
    [
        (
            "Hi team, our storage array in Kista has been beeping since this morning and one disk shows an "
            "amber light, I'd like to report this",
            "our storage array in Kista has been beeping since this morning",
        ),
        (
            "servern i Kista har startat om sig hela tiden sedan uppdateringen i går kväll, vi har provat att "
            "dra ur strömmen",
            "servern i Kista har startat om sig hela tiden sedan uppdateringen i går kväll",
        ),
        (
            "the tape library in the basement of our Göteborg office keeps failing every single backup job we "
            "run at night",
            "the tape library in the basement of our Göteborg office keeps failing every single backup…",
        ),
    ],
)
def test_a_long_fault_report_is_headed_by_its_first_clause(told: str, headline: str) -> None:
    assert _headline(told) == headline


@pytest.mark.parametrize(
    ("said", "priority"),
    [("hög prio", "high"), ("prio: low", "low"), ("urgent priority", "urgent"), ("normal", "normal")],
)
def test_a_priority_is_read_with_the_word_for_it(said: str, priority: str) -> None:
    assert _pick(_PRIORITY_WORDS, said) == priority
    assert re.fullmatch(_words_pattern(_PRIORITY_WORDS), said)


def test_a_category_is_read_with_the_word_for_a_question() -> None:
    assert _pick(_CATEGORY_WORDS, "teknisk fråga") == "technical"
