"""One worker beside two (``serve --workers 2``), both on PostgreSQL and Redis, under the same load.

Drives each set-up as ``webchat_bench.py`` does (N signed-in users asking order questions one after
another) and prints messages/s, p50/p90/p99 latency and the CPU per message of all its worker
processes together (their own user and system time over the measured window), then the two-worker
figures as a ratio of the one-worker ones. The database must exist; the demo data is seeded into it
on the first start.

    python bench/workers_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1/bench \\
        --redis-url redis://127.0.0.1:6379/0 --users 50 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from webchat_bench import cpu_seconds, drive, free_port, percentile, start, stop, wait_until_up


def workers_of(pid: int) -> list[int]:
    """The process and its children (Linux ``/proc``): a ``--workers`` parent and its workers."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(child) for child in children)]


async def measured(pids: list[int], warmup: float, seconds: float) -> float:
    """The CPU all ``pids`` use over the measured window (the same window ``drive`` counts in)."""
    await asyncio.sleep(warmup)
    before = sum(cpu_seconds(pid) for pid in pids)
    await asyncio.sleep(seconds)
    return sum(cpu_seconds(pid) for pid in pids) - before


async def run(name: str, workers: int, env: dict[str, str], args: argparse.Namespace) -> tuple[float, float]:
    port = free_port()
    command = [sys.executable, "-m", "supportbot.adapters.cli", "--log-level", "WARNING", "serve"]
    bot = start([*command, "--port", str(port), "--workers", str(workers)], env)
    try:
        await wait_until_up(f"http://127.0.0.1:{port}/readyz", timeout=120)
        expected = workers + 1 if workers > 1 else 1  # the parent and its workers, or the one process
        for _ in range(600):
            if len(pids := workers_of(bot.pid)) >= expected:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(3 if workers > 1 else 0)  # every worker up, not only the first
        url = f"http://127.0.0.1:{port}"
        load = drive(
            f"ws://127.0.0.1:{port}/webchat/ws",
            users=args.users,
            seconds=args.seconds,
            warmup=args.warmup,
            login_url=f"{url}/webchat/api/login",
            origin=url,
            server_pid=bot.pid,
        )
        (count, latencies, *_), cpu = await asyncio.gather(load, measured(pids, args.warmup, args.seconds))
    finally:
        stop(bot)
    rate, per_message = count / args.seconds, cpu / count * 1000 if count else float("nan")
    print(
        f"{name:<26} {rate:>7.0f} msg/s   CPU {per_message:5.2f} ms/msg (all workers)   "
        f"p50 {percentile(latencies, 50) * 1000:6.1f} ms   p90 {percentile(latencies, 90) * 1000:6.1f} ms   "
        f"p99 {percentile(latencies, 99) * 1000:6.1f} ms"
    )
    return rate, per_message


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="postgresql+asyncpg://… (an existing database)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            SUPPORTBOT_DATA_DIR=tmp,
            SUPPORTBOT_SECRET_KEY="bench-secret-key-0123456789abcdef",
            SUPPORTBOT_WEBCHAT_RATE_LIMIT="1000000",  # the load is far faster than any person types
            SUPPORTBOT_DATABASE_URL=args.database_url,
            SUPPORTBOT_REDIS_URL=args.redis_url,
            SUPPORTBOT_REDIS_PREFIX=f"bench-{uuid.uuid4().hex[:8]}:",
            SUPPORTBOT_NOTICE_INTERVAL_MINUTES="0",
        )
        print(
            f"{args.users} users, {args.seconds:.0f} s each after {args.warmup:.0f} s warm-up, "
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}"
        )
        one_rate, one_cpu = await run("1 worker", 1, env, args)
        two_rate, two_cpu = await run("2 workers (--workers 2)", 2, env, args)
        print(
            f"two workers: {two_rate / one_rate:.2f}× the messages/s, {two_cpu / one_cpu:.2f}× the CPU per message"
        )


if __name__ == "__main__":
    asyncio.run(main())
