"""Conversation benchmark: how many written conversations the assistant holds, and what a turn costs.

Plays every conversation of ``tests/data/conversations_*.jsonl`` (or the files given) through the real
pipeline, each on a fresh copy of the seeded demo data, as the conversation tests do, and prints per file
the conversations held and the turns played, with the process's CPU time per turn (the turns only, not the
start-up of each application) beside turns per CPU-second. With ``--failures`` it prints what broke.

    .venv/bin/python bench/conversations_bench.py [--failures] [FILE.jsonl ...]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportbot.adapters.settings import Settings
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import seed_demo
from tests.conversations.player import conversation_files, load, play

SECRET = "bench-secret-key-not-for-production-0123456789"


async def _seed(path: Path) -> None:
    engine = open_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(engine)
        await seed_demo(engine, today=date.today())
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="conversation files (default: the test data)")
    parser.add_argument("--failures", action="store_true", help="print what each failing conversation broke")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    files = args.files or conversation_files()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.sqlite3"
        await _seed(template)
        total_held = total_convs = total_turns = 0
        total_cpu = 0.0
        for path in files:
            conversations = load(path)
            held = turns = 0
            cpu = 0.0
            for number, conversation in enumerate(conversations):
                folder = Path(tmp) / f"{path.stem}-{number}"
                folder.mkdir()
                shutil.copy(template, folder / "supportbot.sqlite3")
                settings = Settings(
                    data_dir=folder,
                    public_url="http://127.0.0.1:8080",
                    secret_key=SECRET,  # type: ignore[arg-type]
                    notice_interval_minutes=0,
                )
                played = await play(settings, conversation)
                held += not played.problems
                turns += played.turns
                cpu += played.cpu_seconds
                if played.problems and args.failures:
                    print(f"  ✗ {conversation['name']}")
                    for problem in played.problems:
                        print(f"      {problem}")
            print(
                f"{path.name:32} held {held:3}/{len(conversations):<3}  turns {turns:4}  "
                f"CPU per turn {1000 * cpu / max(turns, 1):6.2f} ms  ({turns / max(cpu, 1e-9):7.0f} turns/CPU-s)"
            )
            total_held += held
            total_convs += len(conversations)
            total_turns += turns
            total_cpu += cpu
        print(
            f"{'all':32} held {total_held:3}/{total_convs:<3}  turns {total_turns:4}  "
            f"CPU per turn {1000 * total_cpu / max(total_turns, 1):6.2f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
