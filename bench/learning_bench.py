"""What learning from misses costs a turn, and what a reload costs.

    .venv/bin/python bench/learning_bench.py [--turns 20000] [--examples 200]

Prints figures; asserts nothing. ``note`` is timed on its own (masking, the comparison with the
message before, the statements of a miss) over a mix of turns understood well, not understood and
rephrased, beside the NLU's ``parse`` of the same messages; then an NLU is built with that many
deployment examples, as a reload does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportbot.bot.learning import LearnedNLU, Learning
from supportbot.bot.messages import ConversationRef, Message, Reply
from supportbot.bot.nlu import NLU
from supportbot.intents import all_intents

TODAY = date(2026, 6, 17)
SAID = (
    "where is my order 4711",
    "has the courier picked up my crate",
    "show me my invoices from last month",
    "the blue elephant sings loudly, call 070-123 45 67",
    "my open orders",
    "status of my open orders",
    "hej",
    "visa mina fakturor",
)


class _NoRows:
    async def version(self) -> int:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20_000)
    parser.add_argument("--examples", type=int, default=200)
    args = parser.parse_args()
    intents = all_intents()
    nlu = NLU(intents)
    learned = LearnedNLU(nlu, build=None, rows=_NoRows(), check_seconds=1e9)  # type: ignore[arg-type]
    learning = Learning(learned)
    ref = ConversationRef(channel="bench", conversation_id="c1")
    parses = [nlu.parse(text, today=TODAY) for text in SAID]
    messages = [Message(conversation=ref, text=text) for text in SAID]
    replies = [Reply(text="", intent=p.intent) for p in parses]
    at = datetime(2026, 6, 17, tzinfo=UTC)

    start = time.perf_counter()
    for i in range(args.turns):
        nlu.parse(SAID[i % len(SAID)], today=TODAY)
    parse_seconds = time.perf_counter() - start

    async def notes() -> float:
        state: dict[str, Any] = {}
        begun = time.perf_counter()
        for i in range(args.turns):
            k = i % len(SAID)
            after: dict[str, Any] = {}
            learning.note(
                message=messages[k], parse=parses[k], reply=replies[k], before=state, after=after, at=at
            )
            state = after
        return time.perf_counter() - begun

    note_seconds = asyncio.run(notes())
    print(f"parse: {args.turns / parse_seconds:,.0f}/s ({parse_seconds / args.turns * 1e6:.1f} µs a message)")
    print(f"note:  {args.turns / note_seconds:,.0f}/s ({note_seconds / args.turns * 1e6:.1f} µs a turn)")

    examples = {"order.status": [f"has the courier picked up crate number {i}" for i in range(args.examples)]}
    start = time.perf_counter()
    NLU(intents, extra_examples=examples)
    print(
        f"reload: an NLU with {args.examples} examples of this deployment built in {time.perf_counter() - start:.2f} s"
    )


if __name__ == "__main__":
    main()
