"""What an NLU reload (an agent's "Learned") costs the server: how long it takes, and how long the event
loop stalls meanwhile.

    .venv/bin/python bench/nlu_reload_bench.py [--reloads 5] [--heap 300000]

``LearnedNLU.reload`` is run as the server runs it, the NLU built on a thread (``asyncio.to_thread``),
while a probe on the event loop sleeps 1 ms again and again: its overshoot is the loop's stall. The
process holds ``--heap`` more live objects, as a served process does (a full garbage collection
walks them all); ``--served`` sets the collector as ``supportbot serve`` does (start-up frozen, and each
NLU a reload swaps in frozen too; ``--no-refreeze`` leaves the new NLU to the collector, as ``serve``
did before). Prints, per reload: its wall time, the process's CPU, the full collections during it
and the longest pause of any collection (every thread stops for one), and the probe's p99 and longest
stall, up to a second after the reload; then how long a full collection takes after the reload, what
every later one costs the event loop. Asserts nothing; figures move with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportbot.bot.learning import LearnedNLU, Understanding
from supportbot.bot.nlu import NLU
from supportbot.intents import all_intents


class _Rows:
    """The review's rows as a reload reads them: a version that moved, one example."""

    def __init__(self) -> None:
        self.bumped = 0

    async def version(self) -> int:
        return self.bumped

    async def examples(self) -> list[Any]:
        return []


class _Pauses:
    """Every garbage collection's pause, by generation, while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.found: list[tuple[int, float]] = []
        self._start = 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.on:
            self.found.append((int(info["generation"]), time.perf_counter() - self._start))


async def _probe(stop: asyncio.Event, stalls: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        stalls.append(time.perf_counter() - start - 0.001)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reloads", type=int, default=5)
    parser.add_argument("--heap", type=int, default=300_000, help="more live objects in the process")
    parser.add_argument(
        "--served", action="store_true", help="the collector as `supportbot serve` sets it (frozen start-up)"
    )
    parser.add_argument(
        "--no-refreeze", action="store_true", help="with --served: the new NLU is not frozen after a reload"
    )
    args = parser.parse_args()
    intents = all_intents()

    async def build(examples: Mapping[str, Sequence[str]]) -> Understanding:
        return await asyncio.to_thread(lambda: NLU(intents, extra_examples=examples))

    rows = _Rows()
    nlu = LearnedNLU(NLU(intents), build=build, rows=rows)  # type: ignore[arg-type]
    ballast = [[i] for i in range(args.heap)]
    if args.served:
        from supportbot.adapters.cli import YOUNG_COLLECTION_THRESHOLD, freeze_long_lived

        freeze_long_lived()
        if not args.no_refreeze:
            nlu.on_swap(freeze_long_lived)
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    pauses = _Pauses()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {len(ballast)} objects held")
    walls, stalls_max, fulls = [], [], []
    for n in range(args.reloads):
        rows.bumped += 1
        stop, stalls = asyncio.Event(), []
        probe = asyncio.create_task(_probe(stop, stalls))
        pauses.found.clear()
        pauses.on = True
        start, cpu = time.perf_counter(), time.process_time()
        await nlu.reload()
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        full = sum(1 for g, _ in pauses.found if g == 2)
        await asyncio.sleep(1.0)  # what the reload leaves for the collector after it
        pauses.on = False
        stop.set()
        await probe
        stalls.sort()
        longest = max((p for _, p in pauses.found), default=0.0)
        collecting = time.perf_counter()
        gc.collect()  # what each later full collection walks
        after = time.perf_counter() - collecting
        walls.append(wall)
        stalls_max.append(stalls[-1])
        fulls.append(after)
        print(
            f"reload {n + 1}: {wall:.2f} s, process CPU {used:.2f} s; full collections during it {full}, "
            f"longest collection {longest * 1000:.0f} ms; loop stall p99 "
            f"{stalls[int(len(stalls) * 0.99)] * 1000:.0f} ms, longest {stalls[-1] * 1000:.0f} ms; "
            f"a full collection after it {after * 1000:.0f} ms ({gc.get_freeze_count()} objects frozen)"
        )
    print(
        f"median: reload {statistics.median(walls):.2f} s, longest loop stall "
        f"{statistics.median(stalls_max) * 1000:.0f} ms, a full collection after it "
        f"{statistics.median(fulls) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
