"""Accuracy floors on our own Swedish evaluation set and, where it is present, on the development set.

The NLU is deterministic, so these are not flaky; bench/nlu_bench.py prints the current figures.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from supportbot.bot.nlu import NLU, NONE_INTENT
from supportbot.intents import all_intents

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu_sv.csv"
DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "nlu_dev.csv"
"""Evaluation data from outside the project, next to the checkout as bench/nlu_bench.py expects it."""
TODAY = date(2026, 6, 17)

# The Swedish floors are a little under what was achieved when they were set (93.0 / 95.6 / 94.7 %);
# the development set's are the targets the NLU is held to (achieved: intent 94.3, family 95.9,
# rejection 96.6 %).
IN_SCOPE_FLOOR = 0.91
FAMILY_FLOOR = 0.94
REJECTION_FLOOR = 0.92
DEV_IN_SCOPE_FLOOR = 0.93
DEV_FAMILY_FLOOR = 0.95
DEV_REJECTION_FLOOR = 0.95


def _family(intent: str) -> str:
    return intent.split(".", 1)[0]


@pytest.fixture(scope="module")
def nlu() -> NLU:
    return NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))


def _score(nlu: NLU, rows: list[dict[str, str]]) -> tuple[float, float, float]:
    """In-scope accuracy, family accuracy and rejection of negatives (``none`` or small talk)."""
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
    return exact / len(in_rows), family / len(in_rows), rejected / len(neg_rows)


def test_swedish_set_meets_its_floor(nlu: NLU) -> None:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    assert {r["source"] for r in rows} == {"own:sv"}
    exact, family, rejected = _score(nlu, rows)
    assert exact >= IN_SCOPE_FLOOR
    assert family >= FAMILY_FLOOR
    assert rejected >= REJECTION_FLOOR


@pytest.mark.skipif(not DEV.exists(), reason="the development set is not next to this checkout")
def test_development_set_meets_its_floor(nlu: NLU) -> None:
    with DEV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    exact, family, rejected = _score(nlu, rows)
    assert exact >= DEV_IN_SCOPE_FLOOR
    assert family >= DEV_FAMILY_FLOOR
    assert rejected >= DEV_REJECTION_FLOOR
