"""Language per message: Swedish and English words decide; short or neutral text keeps the hint."""

from __future__ import annotations

import pytest

import supportbot.intents
from supportbot.bot.nlu.analysis import words as analysed
from supportbot.bot.nlu.language import detect_language


def words(text: str) -> list[str]:
    return text.lower().split()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("where is my order", "en"),
        ("var är min order", "sv"),
        ("nar kommer min order", "sv"),  # no å/ä/ö, but Swedish words
        ("visa mina fakturor", "sv"),
        ("show my invoices please", "en"),
        ("lösenordet fungerar inte", "sv"),
        ("hej", "sv"),
        ("tack", "sv"),
        ("thanks", "en"),
        ("can you show me the contract", "en"),
        ("kan du visa avtalet", "sv"),
        ("any news on 4712?", "en"),  # everyday words, no word of the trade
        ("cancel order 4712", "en"),
        ("the screen on the kiosk is flickering", "en"),
        ("logga in igen", "sv"),  # "in" is both languages' word: Swedish decides
        ("status på server 78ABC12", "sv"),
    ],
)
def test_detects_the_language(text: str, language: str) -> None:
    assert detect_language(words(text)) == language


@pytest.mark.parametrize("text", ["4711", "ok", "INV-2031", "", "xlsx"])
def test_neutral_text_keeps_the_hint(text: str) -> None:
    assert detect_language(words(text), hint="sv") == "sv"
    assert detect_language(words(text), hint="en") == "en"
    assert detect_language(words(text)) == "en"


def test_an_unknown_hint_falls_back_to_english() -> None:
    assert detect_language(["4711"], hint="de") == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ok thx", "en"),
        ("great, thanks!", "en"),
        ("cheers", "en"),
        ("yep", "en"),
        ("sure, please", "en"),
        ("ok tack", "sv"),
        ("japp", "sv"),
        ("visst", "sv"),
        ("toppen, tack!", "sv"),
        ("nej tack", "sv"),
    ],
)
def test_a_chat_word_is_evidence_enough_against_the_conversations_language(text: str, language: str) -> None:
    """ "ok thx" after a Swedish turn is English; "japp" after an English one Swedish."""
    other = "sv" if language == "en" else "en"
    assert detect_language(words(text), hint=other) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("invoices overdue", "en"),
        ("approved?", "en"),
        ("fakturorna", "sv"),
        ("avtalsstatus C-1001", "sv"),
        ("attestera", "sv"),
        ("kundnr", "sv"),
        ("kundnumret", "sv"),
    ],
)
def test_the_trades_own_words_tell_the_language_however_they_are_inflected(text: str, language: str) -> None:
    other = "sv" if language == "en" else "en"
    assert detect_language(words(text), hint=other) == language


def test_the_catalogues_examples_are_read_in_their_own_language_whatever_came_before() -> None:
    """Every example, said right after a turn in the other language, is answered in its own language,
    but for a few with no word of either ("order 4711", "ciao")."""
    wrong, total = [], 0
    for spec in supportbot.intents.all_intents():
        for language, lines in spec.examples.items():
            for line in lines:
                total += 1
                said = [w.text for w in analysed(line, []) if w.text[0] != "#"]
                if detect_language(said, hint="sv" if language == "en" else "en") != language:
                    wrong.append(line)
    assert len(wrong) <= total * 0.03, wrong
