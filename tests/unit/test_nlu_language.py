"""Language per message: Swedish and English words decide; short or neutral text keeps the hint."""

from __future__ import annotations

import pytest

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
