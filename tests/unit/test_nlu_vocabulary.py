"""How typed words are mapped onto the examples' vocabulary: inflections, typos, look-alikes, compounds."""

from __future__ import annotations

import pytest

from supportbot.bot.nlu import NLU
from supportbot.bot.nlu.vocabulary import Vocabulary
from supportbot.intents import all_intents


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    words = ["invoice", "status", "close", "engineer", "again", "faktura", "nummer", "leverans", "tack"]
    return Vocabulary(words, stopwords=frozenset({"the", "my"}))


@pytest.fixture(scope="module")
def ours() -> Vocabulary:
    """The vocabulary of the project's own examples and word lists."""
    return NLU(all_intents())._vocabulary


@pytest.mark.parametrize(
    ("typed", "known"),
    [("invoice", "invoice"), ("invoices", "invoice"), ("fakturan", "faktura"), ("Invoice", "invoice")],
)
def test_known_words_and_their_inflections_are_no_guesses(
    vocabulary: Vocabulary, typed: str, known: str
) -> None:
    assert vocabulary.resolve(typed.lower()) == ((known,), False)


@pytest.mark.parametrize(
    ("typed", "known"), [("invoic", "invoice"), ("stauts", "status"), ("leverasn", "leverans")]
)
def test_a_typo_is_corrected_and_marked_as_a_guess(vocabulary: Vocabulary, typed: str, known: str) -> None:
    assert vocabulary.resolve(typed) == ((known,), True)
    assert vocabulary.lookup(typed) == (known,)


@pytest.mark.parametrize("typed", ["closest", "engine", "against"])
def test_another_word_that_merely_looks_alike_stays_unknown(vocabulary: Vocabulary, typed: str) -> None:
    """Two letters more or less at the end make another word, not a typo: "closest" is not "close"."""
    assert vocabulary.resolve(typed) == (None, False)


def test_a_compound_is_two_known_words(vocabulary: Vocabulary) -> None:
    assert vocabulary.resolve("fakturanummer") == (("faktura", "nummer"), False)


@pytest.mark.parametrize(
    ("typed", "known"), [("invocie", "invoice"), ("kontarkt", "kontrakt"), ("fakutra", "faktura")]
)
def test_two_letters_swapped_are_the_word_they_spell_swapped_back(typed: str, known: str) -> None:
    """A record word with two letters swapped is that word, even where another known word (a plural,
    a typo the examples hold, a word one letter shorter) looks more alike letter by letter."""
    vocabulary = Vocabulary(["invoice", "invocies", "kontrakt", "kontakt", "faktura", "faktrua"])
    assert vocabulary.resolve(typed) == ((known,), True)


def test_what_customers_shorten_is_the_word_in_full() -> None:
    """ "inv", "ord", "dl" typed on a phone are the words in full, when the examples know those; a
    shorthand whose word the examples lack stays unknown, and a known word is never read as one."""
    vocabulary = Vocabulary(["invoice", "order", "ord"])
    assert vocabulary.resolve("inv") == (("invoice",), False)
    assert vocabulary.resolve("ord") == (("ord",), False)  # known as itself (Swedish "word")
    assert vocabulary.resolve("dl") == (None, False)
    assert Vocabulary(["order"]).lookup("ord") == ("order",)
    assert Vocabulary(["document", "thanks"]).resolve("doc") == (("document",), False)
    assert Vocabulary(["document", "thanks"]).resolve("thanx") == (("thanks",), False)


@pytest.mark.parametrize(
    ("typed", "not_read_as"),
    [
        ("istället", "installed"),
        ("medan", "mean"),
        ("tråkigt", "trasigt"),
        ("fortsätt", "fraktsätt"),
        ("stanna", "stänga"),
        ("building", "billing"),
        ("strange", "storage"),
        ("inför", "inform"),
    ],
)
def test_an_everyday_word_is_never_corrected_into_one_of_ours(
    ours: Vocabulary, typed: str, not_read_as: str
) -> None:
    """Common words the examples do not use are known as saying nothing, rather than corrected into the
    example word they look like ("istället" is "instead", not "installed"; "tråkigt" is no fault)."""
    known, guessed = ours.resolve(typed)
    assert not guessed and (known is None or not_read_as not in known)
