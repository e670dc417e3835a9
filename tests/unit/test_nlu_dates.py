"""Dates and periods resolved against a fixed today (Wednesday 17 June 2026), in English and Swedish."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from supportbot.bot.nlu.entities import EntityExtractor

TODAY = date(2026, 6, 17)
EXTRACTOR = EntityExtractor()


def dates(text: str, today: date = TODAY) -> list[tuple[str, Any, str]]:
    return [
        (f.type, f.value, text[f.start : f.end])
        for f in EXTRACTOR.extract(text, today=today)
        if f.type in ("date", "date_range")
    ]


def period(start: str, end: str) -> dict[str, str]:
    return {"start": start, "end": end}


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("orders from last month", period("2026-05-01", "2026-05-31"), "last month"),
        ("a copy of last months statement", period("2026-05-01", "2026-05-31"), "last months"),  # no '
        ("this years invoices", period("2026-01-01", "2026-12-31"), "this years"),
        ("visa ordrar från förra månaden", period("2026-05-01", "2026-05-31"), "förra månaden"),
        ("invoices this month", period("2026-06-01", "2026-06-30"), "this month"),
        ("fakturor den här månaden", period("2026-06-01", "2026-06-30"), "den här månaden"),
        ("what shipped last week", period("2026-06-08", "2026-06-14"), "last week"),
        ("vad skickades förra veckan", period("2026-06-08", "2026-06-14"), "förra veckan"),
        ("orders this week", period("2026-06-15", "2026-06-21"), "this week"),
        ("förra månadens fakturor", period("2026-05-01", "2026-05-31"), "förra månadens"),
        ("förra veckans ordrar", period("2026-06-08", "2026-06-14"), "förra veckans"),
        ("orders since 1 May", period("2026-05-01", "2026-06-17"), "since 1 May"),
        ("ordrar sedan 1 maj", period("2026-05-01", "2026-06-17"), "sedan 1 maj"),
        ("delivered in May", period("2026-05-01", "2026-05-31"), "May"),
        ("levererade ordrar i maj", period("2026-05-01", "2026-05-31"), "maj"),
        ("between 1 and 15 October", period("2025-10-01", "2025-10-15"), "between 1 and 15 October"),
        ("mellan 1 och 15 oktober", period("2025-10-01", "2025-10-15"), "mellan 1 och 15 oktober"),
        ("from 1 May to 15 June", period("2026-05-01", "2026-06-15"), "from 1 May to 15 June"),
        ("2026-05-01 to 2026-05-31", period("2026-05-01", "2026-05-31"), "2026-05-01 to 2026-05-31"),
        ("orders this year", period("2026-01-01", "2026-12-31"), "this year"),
        ("ordrar i år", period("2026-01-01", "2026-12-31"), "i år"),
        ("last year", period("2025-01-01", "2025-12-31"), "last year"),
        ("fakturor i fjol", period("2025-01-01", "2025-12-31"), "i fjol"),
        ("orders in 2025", period("2025-01-01", "2025-12-31"), "in 2025"),
        ("in the last 30 days", period("2026-05-19", "2026-06-17"), "in the last 30 days"),
        ("de senaste 30 dagarna", period("2026-05-19", "2026-06-17"), "de senaste 30 dagarna"),
        ("past two weeks", period("2026-06-04", "2026-06-17"), "past two weeks"),
        ("Q1", period("2026-01-01", "2026-03-31"), "Q1"),
        ("orders in Q3", period("2025-07-01", "2025-09-30"), "Q3"),
        ("Q3 2026", period("2026-07-01", "2026-09-30"), "Q3 2026"),
        ("tredje kvartalet", period("2025-07-01", "2025-09-30"), "tredje kvartalet"),
        ("last quarter", period("2026-01-01", "2026-03-31"), "last quarter"),
        ("förra kvartalet", period("2026-01-01", "2026-03-31"), "förra kvartalet"),
        # Periods to come: what falls due, what is expected.
        ("invoices due next month", period("2026-07-01", "2026-07-31"), "next month"),
        ("fakturor som förfaller nästa månad", period("2026-07-01", "2026-07-31"), "nästa månad"),
        ("arriving next week", period("2026-06-22", "2026-06-28"), "next week"),
        ("kommande kvartal", period("2026-07-01", "2026-09-30"), "kommande kvartal"),
        ("contracts ending next year", period("2027-01-01", "2027-12-31"), "next year"),
        ("due in the next 30 days", period("2026-06-17", "2026-07-16"), "in the next 30 days"),
        ("inom de kommande 3 månaderna", period("2026-06-17", "2026-09-16"), "inom de kommande 3 månaderna"),
    ],
)
def test_periods(text: str, value: dict[str, str], span: str) -> None:
    assert dates(text) == [("date_range", value, span)]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("shipped yesterday", "2026-06-16", "yesterday"),
        ("skickades igår", "2026-06-16", "igår"),
        ("skickades i går", "2026-06-16", "i går"),
        ("delivered today", "2026-06-17", "today"),
        ("levereras i morgon", "2026-06-18", "i morgon"),
        ("placed on 2026-05-01", "2026-05-01", "2026-05-01"),
        ("order placed 1/5", "2026-05-01", "1/5"),
        ("bestellt am 01.05.2026", "2026-05-01", "01.05.2026"),
        ("levererad den 3 juni", "2026-06-03", "den 3 juni"),
        ("delivered on June 3rd", "2026-06-03", "June 3rd"),
        ("due 15 January 2027", "2027-01-15", "15 January 2027"),
    ],
)
def test_single_days(text: str, value: str, span: str) -> None:
    assert dates(text) == [("date", value, span)]


def test_a_day_without_year_is_the_nearest_one() -> None:
    assert dates("arrives 20 December", today=date(2026, 11, 29)) == [("date", "2026-12-20", "20 December")]
    assert dates("shipped 20 December", today=date(2027, 1, 10)) == [("date", "2026-12-20", "20 December")]


def test_from_a_day_without_an_end_runs_to_today() -> None:
    assert dates("orders from 1/5") == [("date_range", period("2026-05-01", "2026-06-17"), "from 1/5")]


def test_since_never_starts_in_the_future() -> None:
    assert dates("since 1 May", today=date(2026, 3, 1)) == [
        ("date_range", period("2025-05-01", "2026-03-01"), "since 1 May")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "may I see my invoices",  # "may" the verb
        "we offer support 24/7",
        "the FlashSystem 5200",
        "orders 4711 and 4712",
        "finns det liv på Mars",
        "I need 1.5 hours",
        "orders from the last months",  # some months, not one
        "invoices of the last months please",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert dates(text) == []


def test_only_the_alternatives_a_message_may_need_are_tried() -> None:
    """Given a message's words, the date pattern runs with only the alternatives whose signs are there
    (a year's digits, a month word, "q3", "last"...); it must find what the whole pattern finds."""
    from itertools import product

    from supportbot.bot.nlu.entities.dates import dates as find_dates
    from supportbot.bot.nlu.entities.found import Claims

    heads = ["", "orders ", "ordrar sedan ", "between ", "since ", "in ", "Q3 ", "kvartal 2 ", "the "]
    bodies = [
        "1 May", "May 3rd", "3-5 maj", "2026-05-01", "2026-05-01 to 2026-05-31", "1/5", "01.05.2026",
        "24/7", "last 30 days", "SENASTE 3 VECKORNA", "i dag", "igår", "i förrgår", "i fjol", "ytd",
        "first quarter of 2025", "2026q3", "k4", "last month", "this calendar year", "mars 2025",
        "fy2025", "4711", "INV-2031", "may I", "Mäj 1", "år 2025", "1st", "june", "the day before yesterday",
    ]  # fmt: skip
    tails = ["", " and 15 June", " till 3 maj", ", 2025", " please", "-2026-06-01"]
    found = 0
    for head, body, tail in product(heads, bodies, tails):
        text = head + body + tail
        words = frozenset(re.findall(r"[^\W\d_]+|\w+", text.lower()))
        always, checked = Claims(), Claims()
        find_dates(text, always, today=TODAY)
        find_dates(text, checked, today=TODAY, words=words)
        assert checked.found == always.found, text
        found += len(always.found)
    assert found > 1000
