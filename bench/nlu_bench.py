"""NLU benchmark: throughput and accuracy on the development set and on our own Swedish set.

    .venv/bin/python bench/nlu_bench.py [--data PATH] [--sv PATH] [--seconds 3] [--by-source] [--errors N]

Prints figures; asserts nothing. Scoring:
- in-scope accuracy: rows of kind ``in`` whose predicted intent is the labelled one or one of ``accept``;
- family accuracy: the same, comparing families (the part before the dot);
- negative rejection: rows of kind ``neg`` answered with ``none`` or a ``smalltalk.*`` intent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportbot.bot.nlu import NLU
from supportbot.intents import all_intents

TODAY = date(2026, 6, 17)
SITES = ("Kista", "Göteborg", "München")


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    accept: tuple[str, ...]
    kind: str
    source: str


@dataclass
class Score:
    in_total: int = 0
    in_intent: int = 0
    in_family: int = 0
    neg_total: int = 0
    neg_rejected: int = 0
    neg_strict: int = 0

    def line(self) -> str:
        return (
            f"in-scope accuracy {_pct(self.in_intent, self.in_total)}  "
            f"family accuracy {_pct(self.in_family, self.in_total)}  "
            f"(n={self.in_total})  |  negative rejection {_pct(self.neg_rejected, self.neg_total)} "
            f"(strict none {_pct(self.neg_strict, self.neg_total)}, n={self.neg_total})"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f} %" if whole else "   n/a"


def _family(intent: str) -> str:
    return intent.split(".", 1)[0]


def _right(row: Row, predicted: str) -> bool:
    """Right as family accuracy and rejection count it."""
    if row.kind == "neg":
        return predicted == "none" or predicted.startswith("smalltalk.")
    return _family(predicted) in {_family(g) for g in (row.intent, *row.accept)}


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                text=r["text"],
                intent=r["intent"],
                accept=tuple(a for a in r.get("accept", "").split("|") if a),
                kind=r["kind"],
                source=r.get("source", ""),
            )
            for r in csv.DictReader(handle)
        ]


def score(
    nlu: NLU, rows: list[Row], *, by_source: bool, errors: list[tuple[Row, str]] | None = None
) -> tuple[Score, dict[str, Score]]:
    """Figures over ``rows`` (and per source); the rows scored wrong are added to ``errors``."""
    total = Score()
    sources: dict[str, Score] = {}
    for row in rows:
        predicted = nlu.parse(row.text, today=TODAY).intent
        if errors is not None and not _right(row, predicted):
            errors.append((row, predicted))
        source = (
            "clinc:* (other topics)" if row.kind == "neg" and row.source.startswith("clinc:") else row.source
        )
        for s in (total, sources.setdefault(source, Score()) if by_source else None):
            if s is None:
                continue
            if row.kind == "neg":
                s.neg_total += 1
                s.neg_rejected += predicted == "none" or predicted.startswith("smalltalk.")
                s.neg_strict += predicted == "none"
            else:
                good = (row.intent, *row.accept)
                s.in_total += 1
                s.in_intent += predicted in good
                s.in_family += _family(predicted) in {_family(g) for g in good}
    return total, sources


@dataclass(frozen=True)
class Speed:
    cold: float
    """The first pass of a fresh NLU: every word it has not seen yet is looked up and cached."""
    overall: float
    """All repeated passes together."""
    best: float
    """The fastest single pass: the figure least disturbed by other work on the machine."""
    cpu: float
    """All repeated passes per second of this process's CPU time: steadier than the clock when
    other work shares the cores, though sharing still slows every instruction somewhat."""


def throughput(rows: list[Row], *, seconds: float) -> Speed:
    """Utterances per second in this one process: a cold pass, then passes repeated for ``seconds``.
    Every pass classifies every message anew: the classifier keeps no readings' answers here (a
    served NLU does, ``readings_kept``, and answers a reading it has seen for the price of its
    entities and words alone)."""
    texts = [r.text for r in rows]
    nlu = NLU(all_intents(), site_names=SITES, readings_kept=0)
    start = time.perf_counter()
    for text in texts:
        nlu.parse(text, today=TODAY)
    cold = len(texts) / (time.perf_counter() - start)
    done, best = 0, 0.0
    start, cpu_start = time.perf_counter(), time.process_time()
    while True:
        lap = time.perf_counter()
        for text in texts:
            nlu.parse(text, today=TODAY)
        now = time.perf_counter()
        best = max(best, len(texts) / (now - lap))
        done += len(texts)
        if now - start >= seconds:
            cpu = done / max(time.process_time() - cpu_start, 1e-9)
            return Speed(cold=cold, overall=done / (now - start), best=best, cpu=cpu)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "nlu_dev.csv")
    parser.add_argument("--sv", type=Path, default=ROOT / "tests" / "data" / "nlu_sv.csv")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--by-source", action="store_true", help="also print figures per source")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print N wrongly scored rows per set"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    nlu = NLU(all_intents(), site_names=SITES, threshold=args.threshold)
    build = time.perf_counter() - start
    print(f"NLU built in {build * 1000:.0f} ms ({len(nlu.intents)} intents)")

    for label, path in (("dev", args.data), ("sv", args.sv)):
        if not path.exists():
            print(f"{label}: {path} not found")
            continue
        rows = load(path)
        print(f"\n== {label}: {path} ({len(rows)} rows)")
        speed = throughput(rows, seconds=args.seconds if label == "dev" else 1.0)
        print(
            f"throughput: {speed.overall:,.0f} utterances/s over repeated passes "
            f"(fastest pass {speed.best:,.0f}/s; {speed.cpu:,.0f} per CPU second; "
            f"first pass with cold caches {speed.cold:,.0f}/s)"
        )
        errors: list[tuple[Row, str]] = []
        total, sources = score(nlu, rows, by_source=args.by_source, errors=errors)
        print(total.line())
        for row, predicted in errors[: args.errors]:
            print(f"  wrong: {row.kind:3s} {row.intent:20s} -> {predicted:20s} {row.text}")
        if args.by_source:
            for source, s in sorted(sources.items()):
                print(f"  {source:34s} {s.line()}")
        kinds = Counter(r.kind for r in rows)
        print(f"rows by kind: {dict(kinds)}")


if __name__ == "__main__":
    main()
