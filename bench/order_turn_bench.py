"""CPU per web chat order question inside one process, without the network: where the server's time goes.

Builds the whole assistant on a fresh SQLite database with the demo data (or on ``--database-url``),
then runs N conversations of one signed-in user concurrently, each asking order questions one after
another as the web chat does: the frame parsed, the rate limits counted, the pipeline's turn (NLU,
state, back-end lookup, transcript committed), the reply frame encoded. Prints the process's CPU per
turn (every thread: the store's writer too), the event loop's thread's share apart, and, with
``--profile FILE``, writes a cProfile of the measured turns (the event loop's thread only).

    python bench/order_turn_bench.py --conversations 50 --turns 40
    python bench/order_turn_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import event
from thread_usage import between, threads, usage_line

QUESTIONS = (
    "where is my order 4711?",
    "status of order 4712",
    "var är order 4711?",
    "when will order 4711 arrive?",
)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=40, help="measured turns per conversation")
    parser.add_argument("--database-url", help="instead of a fresh SQLite file")
    parser.add_argument("--profile", help="write a cProfile of the measured turns here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SUPPORTBOT_DATA_DIR=tmp, SUPPORTBOT_SECRET_KEY="bench-secret-key-0123456789abcdef")
        if args.database_url:
            os.environ["SUPPORTBOT_DATABASE_URL"] = args.database_url
        from supportbot.adapters.app import build_application
        from supportbot.adapters.settings import Settings
        from supportbot.adapters.web.handlers import encode_frame
        from supportbot.adapters.webchat.protocol import MessageFrame, parse_frame, reply_frame, to_message
        from supportbot.bot.limits import Rule

        app = await build_application(Settings())
        opened = [0]

        def _opened(*_: object) -> None:
            opened[0] += 1

        if not app.database.sqlite:  # connections the pool opened during the measured turns
            event.listen(app.database.engine.sync_engine, "connect", _opened)
        anna = await app.backends.directory.authenticate("anna.berg@nordisk.example", "demo")
        assert anna is not None

        async def conversation(n: int, turns: int) -> None:
            sid = uuid.uuid4().hex
            rules = [Rule(f"chat:session:{sid}", 10**9, 10), Rule(f"chat:user:{anna.user_id}", 10**9, 10)]
            for i in range(turns):
                data = json.dumps({"type": "message", "id": uuid.uuid4().hex, "text": QUESTIONS[(n + i) % 4]})
                frame = parse_frame(data)
                assert isinstance(frame, MessageFrame) and await app.limits.hit(*rules)
                message = to_message(frame, sid=sid, user_id=anna.user_id, received_at=datetime.now(UTC))
                answer = await app.pipeline.answer(message)
                encode_frame(reply_frame(frame.id, answer.payload or answer.reply))  # as the server does

        try:
            await asyncio.gather(*(conversation(n, 10) for n in range(args.conversations)))  # warm-up
            gc.collect()
            gc.freeze()  # as `supportbot serve` does once it is built
            opened[0] = 0
            profile = cProfile.Profile() if args.profile else None
            cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
            threads_before = threads(os.getpid())
            if profile is not None:
                profile.enable()
            await asyncio.gather(*(conversation(n, args.turns) for n in range(args.conversations)))
            if profile is not None:
                profile.disable()
                profile.dump_stats(args.profile)
            loop_cpu = time.thread_time() - loop_cpu
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            names = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
            usage = between(os.getpid(), threads_before, threads(os.getpid()), names)
        finally:
            await app.close()
    turns = args.conversations * args.turns
    print(
        f"{turns} turns in {args.conversations} conversations, Python {sys.version.split()[0]}: "
        f"CPU {cpu / turns * 1000:.3f} ms per turn (the event loop's thread {loop_cpu / turns * 1000:.3f} ms, "
        f"other threads {(cpu - loop_cpu) / turns * 1000:.3f} ms), {turns / wall:.0f} turns/s"
        + ("" if app.database.sqlite else f", {opened[0]} database connections opened")
    )
    print(usage_line(usage, turns))


if __name__ == "__main__":
    asyncio.run(main())
