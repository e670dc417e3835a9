"""Accuracy floor on our own Swedish evaluation set; the NLU is deterministic, so this is not flaky."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from supportbot.bot.nlu import NLU, NONE_INTENT
from supportbot.intents import all_intents

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu_sv.csv"
TODAY = date(2026, 6, 17)

# Achieved when the floors were set: see bench/nlu_bench.py for the current figures.
IN_SCOPE_FLOOR = 0.88
FAMILY_FLOOR = 0.91
REJECTION_FLOOR = 0.85


def _family(intent: str) -> str:
    return intent.split(".", 1)[0]


def test_swedish_set_meets_its_floor() -> None:
    nlu = NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 150
    assert {r["source"] for r in rows} == {"own:sv"}
    in_rows = [r for r in rows if r["kind"] == "in"]
    neg_rows = [r for r in rows if r["kind"] == "neg"]
    exact = family = rejected = 0
    for row in in_rows:
        good = [row["intent"], *filter(None, row["accept"].split("|"))]
        predicted = nlu.parse(row["text"], today=TODAY).intent
        exact += predicted in good
        family += _family(predicted) in {_family(g) for g in good}
    for row in neg_rows:
        predicted = nlu.parse(row["text"], today=TODAY).intent
        rejected += predicted == NONE_INTENT or predicted.startswith("smalltalk.")
    assert exact / len(in_rows) >= IN_SCOPE_FLOOR
    assert family / len(in_rows) >= FAMILY_FLOOR
    assert rejected / len(neg_rows) >= REJECTION_FLOOR
