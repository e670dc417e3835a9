"""What the inventory family reads from words: serial numbers as entities, and the products that words
like "the FlashSystem" or "bandbiblioteket" point at among a company's own."""

from __future__ import annotations

from datetime import date

import pytest

from supportbot.bot.nlu.entities import EntityExtractor
from supportbot.intents.inventory import match_products

EXTRACTOR = EntityExtractor(("Kista", "Göteborg"))
NORDISK = (
    "IBM AIX 7.3 Standard Edition", "IBM FlashSystem 5200", "IBM MQ Advanced", "IBM Power S1012",
    "IBM Power S1022", "IBM Power S914", "IBM Storage Protect", "IBM TS4300 Tape Library",
)  # fmt: skip


def serials(text: str) -> list[tuple[str, str]]:
    return [
        (f.value, text[f.start : f.end])
        for f in EXTRACTOR.extract(text, today=date(2026, 6, 17))
        if f.type == "serial_number"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show item 78ABC12", [("78ABC12", "78ABC12")]),
        ("what's the service level of 78xyz34?", [("78XYZ34", "78xyz34")]),
        ("visa enhet 5765-CD3-0042", [("5765-CD3-0042", "5765-CD3-0042")]),
        ("move 78PWR09 and 78TAP77 to Kista", [("78PWR09", "78PWR09"), ("78TAP77", "78TAP77")]),
        ("where is order 4711?", []),
        ("the FlashSystem 5200", []),
        ("contract C-1001 and invoice INV-2031", []),
        ("part 5725-W98 from the catalogue", []),
    ],
)
def test_serial_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert serials(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we need to move the FlashSystem to Kista", ["IBM FlashSystem 5200"]),
        ("show our Power servers", ["IBM Power S1012", "IBM Power S1022", "IBM Power S914"]),
        ("upgrade the Power S1022", ["IBM Power S1022"]),
        ("de-install the tape library", ["IBM TS4300 Tape Library"]),
        ("avinstallera bandbiblioteket", ["IBM TS4300 Tape Library"]),
        ("flytta Power-servern", ["IBM Power S1012", "IBM Power S1022", "IBM Power S914"]),
        ("what storage protect licences do we have", ["IBM Storage Protect"]),
        ("which AIX version do we run", ["IBM AIX 7.3 Standard Edition"]),
        # Words every product shares, or none has, name no product.
        ("what hardware do we have in Kista?", []),
        ("show all IBM systems", []),
        ("move our storage to Göteborg", []),
        ("add a server at Göteborg", []),
    ],
)
def test_product_words(text: str, expected: list[str]) -> None:
    assert match_products(text, NORDISK) == expected
