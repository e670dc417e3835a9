"""Web chat at a person's pace, and the memory an open chat costs.

Starts the real assistant (`supportbot serve`) as its own process on a fresh SQLite database with the
demo data, as ``webchat_bench.py`` does, then runs one of two loads:

``--mode paced`` (default): N signed-in users (default 400), each on its own WebSocket, asking an order
question every ``--interval`` seconds (2 s; each user starts at a random moment in the first interval)
for ``--seconds``. Prints messages/s, p50/p90/p99 latency (send to reply), the server's CPU per
message over the measured window (and its threads' apart, with their context switches per message:
``thread_usage.py``), and the server's resident memory (VmRSS) before the load, at its
peak under load and after it.

``--mode hold``: opens ``--chats`` web chats (default 1 000; signed-in, or ``--guests``), each saying
one message and waiting for its answer, and holds them all open. Prints the server's RSS idle (after
one warm-up chat), after the sign-ins (all done before any chat opens, so what a sign-in leaves
behind is told apart), with every chat open, and the figures per chat. With ``--trace`` the server
traces its allocations (``tracemalloc``, from the idle moment on) and the bench prints the largest
growths by source line (``--frames N``: by call chain): where an open chat's Python memory goes.
Tracing slows the server several times over; keep ``--frames`` small.

    python bench/paced_bench.py --users 400 --seconds 30
    python bench/paced_bench.py --mode hold --chats 1000
    python bench/paced_bench.py --mode hold --chats 1000 --trace

The load generator runs on the same machine; on a shared machine compare CPU per message and memory
rather than latency, and run more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from thread_usage import Usage, between, threads, usage_line
from webchat_bench import QUESTIONS, cpu_seconds, free_port, percentile, stop, wait_until_up

USER = {"user": "anna.berg@nordisk.example", "password": "demo"}

TRACED_SERVER = """
import runpy, signal, sys, tracemalloc
frames, folder, taken = int(sys.argv[1]), sys.argv[2], [0]
def dump(*_):
    if not tracemalloc.is_tracing():
        tracemalloc.start(frames)
    taken[0] += 1
    tracemalloc.take_snapshot().dump(f"{folder}/snapshot-{taken[0]}.bin")
signal.signal(signal.SIGUSR1, dump)
sys.argv = ["supportbot", *sys.argv[3:]]
runpy.run_module("supportbot.adapters.cli", run_name="__main__")
"""
"""The server with ``tracemalloc`` at hand: the first SIGUSR1 starts tracing (the start-up is not
slowed) and each writes a snapshot into the given folder, so the second holds what was allocated
since the first and is still alive."""


STALLS_SERVER = """
import asyncio, collections, gc, json, os, runpy, signal, sys, threading, time, traceback
report, stall_ms = sys.argv[1], float(sys.argv[2])
main, beat, measuring = threading.get_ident(), [time.perf_counter()], [False]
stalls, where = [], collections.Counter()
collections_ = {g: [] for g in range(3)}
started = [0.0, 0.0]
def on_gc(phase, info):
    if phase == "start":
        started[:] = time.thread_time(), time.perf_counter()
    elif measuring[0]:
        cpu, wall = time.thread_time() - started[0], time.perf_counter() - started[1]
        collections_[info["generation"]].append((cpu * 1000, wall * 1000))
def watch():
    stalled = 0.0
    while True:
        time.sleep(0.002)
        lag = (time.perf_counter() - beat[0]) * 1000
        if lag > stall_ms and measuring[0]:
            frame = sys._current_frames().get(main)
            if frame is not None:
                stack = traceback.extract_stack(frame)[-8:]
                where[" <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(stack))] += 1
            stalled = max(stalled, lag)
        elif stalled:
            stalls.append(stalled)
            stalled = 0.0
async def tick():
    while True:
        beat[0] = time.perf_counter()
        await asyncio.sleep(0.001)
def toggle(*_):
    if not measuring[0]:
        measuring[0] = True
        return
    measuring[0] = False
    with open(report, "w") as f:
        json.dump({"stalls": stalls, "where": where.most_common(8), "gc": collections_}, f)
signal.signal(signal.SIGUSR2, toggle)
run_forever = asyncio.BaseEventLoop.run_forever
watching = []
def watched(loop):
    if not watching:
        watching.append(threading.Thread(target=watch, daemon=True))
        watching[0].start()
    ticking = loop.create_task(tick())
    try:
        return run_forever(loop)
    finally:
        if not loop.is_closed():  # a start-up loop ends too: its tick ends with it, quietly
            ticking.cancel()
            ticking.add_done_callback(lambda _: loop.stop())
            run_forever(loop)
asyncio.BaseEventLoop.run_forever = watched
gc.callbacks.append(on_gc)
sys.argv = ["supportbot", *sys.argv[3:]]
runpy.run_module("supportbot.adapters.cli", run_name="__main__")
"""
"""The server with its event loop watched (``--stalls MS``): a task notes the time every millisecond, a
thread notes each stretch of more than MS milliseconds in which it did not (the loop was busy with
something, or waited for the GIL) and where the loop was meanwhile (sampled every 2 ms), and the
collector's passes are timed. The first SIGUSR2 starts the watch, the second writes the report."""


def rss_kb(pid: int) -> int:
    """The process's resident memory (``VmRSS`` in ``/proc/<pid>/status``), in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


class Chat:
    """One browser tab: its own cookies (a session of its own), one WebSocket read all the time (as a
    browser does: the server's heartbeat pings are answered however long the chat is idle)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None
        self.waiting: dict[str, asyncio.Future[float]] = {}

    async def sign_in(self) -> None:
        async with self.session.post(f"{self.base}/webchat/api/login", json=USER) as r:
            if r.status != 200:
                raise RuntimeError(f"sign-in failed: {r.status}")

    async def open(self) -> None:
        self.ws = await self.session.ws_connect(
            f"{self.base.replace('http', 'ws', 1)}/webchat/ws",
            headers={"Origin": self.base},
            max_msg_size=0,
        )
        self.reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        problem: Exception | None = None
        async for raw in ws:
            if raw.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(raw.data)
            reply_to = data.get("in_reply_to")
            if data.get("type") == "error":
                problem = RuntimeError(f"error frame: {data}")
            if reply_to in self.waiting and (data.get("type") == "reply" or problem):
                waiter = self.waiting.pop(reply_to)
                if problem:
                    waiter.set_exception(problem)
                else:
                    waiter.set_result(time.perf_counter())
        closed = RuntimeError(f"connection closed: {ws.close_code}")
        for waiter in self.waiting.values():
            waiter.set_exception(closed)

    async def ask(self, text: str) -> float:
        """Sends one message; the seconds until its reply."""
        assert self.ws is not None
        msg_id = uuid.uuid4().hex
        answered = self.waiting[msg_id] = asyncio.get_running_loop().create_future()
        sent = time.perf_counter()
        await self.ws.send_str(json.dumps({"type": "message", "id": msg_id, "text": text}))
        return await answered - sent

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader
        await self.session.close()


async def sign_in(chats: list[Chat], parallel: int = 20) -> None:
    """Signs every chat in, ``parallel`` at a time (each sign-in hashes a password)."""
    gate = asyncio.Semaphore(parallel)

    async def one(chat: Chat) -> None:
        async with gate:
            await chat.sign_in()

    await asyncio.gather(*(one(chat) for chat in chats))


async def open_chats(chats: list[Chat], parallel: int = 50) -> None:
    gate = asyncio.Semaphore(parallel)
    done = 0

    async def one(chat: Chat) -> None:
        nonlocal done
        async with gate:
            await chat.open()
        done += 1
        if done % 250 == 0:
            print(f"  {done} chats open", flush=True)

    await asyncio.gather(*(one(chat) for chat in chats))


async def paced(base: str, pid: int, args: argparse.Namespace, report: Path | None) -> None:
    print(f"signing in {args.users} users ...", flush=True)
    before = rss_kb(pid)
    chats = [Chat(base) for _ in range(args.users)]
    await sign_in(chats)
    await open_chats(chats)
    connected = rss_kb(pid)
    latencies: list[float] = []
    peak = connected
    started = time.monotonic()
    measure_from = started + args.interval  # every user has started by then
    measure_to = measure_from + args.seconds

    async def user(n: int, chat: Chat) -> None:
        rng = random.Random(n)  # a bench's jitter, the same every run
        at = started + rng.uniform(0, args.interval)
        i = n
        while at < measure_to:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            sent_at = time.monotonic()
            elapsed = await chat.ask(QUESTIONS[i % len(QUESTIONS)])
            i += 1
            if measure_from <= sent_at < measure_to:
                latencies.append(elapsed)
            at += args.interval

    async def watch() -> tuple[float, Usage]:
        nonlocal peak
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        cpu, threads_before = cpu_seconds(pid), threads(pid)
        if report is not None:
            os.kill(pid, signal.SIGUSR2)
        while time.monotonic() < measure_to:
            peak = max(peak, rss_kb(pid))
            await asyncio.sleep(0.5)
        if report is not None:
            os.kill(pid, signal.SIGUSR2)
        return cpu_seconds(pid) - cpu, between(pid, threads_before, threads(pid))

    watched, *_ = await asyncio.gather(watch(), *(user(n, c) for n, c in enumerate(chats)))
    cpu, usage = watched
    await asyncio.gather(*(chat.close() for chat in chats))
    await asyncio.sleep(2.0)
    after = rss_kb(pid)
    count = len(latencies)
    print(
        f"{args.users} users, one order question each every {args.interval:g} s, "
        f"{args.seconds:g} s measured; {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(
        f"  {count / args.seconds:.0f} msg/s   server CPU {cpu / count * 1000:.2f} ms/msg   "
        f"p50 {percentile(latencies, 50) * 1000:.1f} ms   p90 {percentile(latencies, 90) * 1000:.1f} ms   "
        f"p99 {percentile(latencies, 99) * 1000:.1f} ms   max {max(latencies) * 1000:.1f} ms"
    )
    print(usage_line(usage, count))
    print(
        f"  server RSS: before {mb(before)}, {args.users} chats open {mb(connected)}, "
        f"peak under load {mb(peak)}, after the chats closed {mb(after)}"
    )
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if report is not None:
        print_stalls(json.loads(await asyncio.to_thread(report.read_text)), args)


def print_stalls(found: dict[str, Any], args: argparse.Namespace) -> None:
    """What ``--stalls`` saw over the measured window: the loop's stalls, where it was, the collector."""
    stalls = sorted(found["stalls"])
    print(
        f"  event loop stalls over {args.stalls:g} ms: {len(stalls)}, "
        f"{sum(stalls) / 1000:.2f} s in all, longest {max(stalls, default=0.0):.0f} ms"
    )
    for generation, passes in found["gc"].items():
        if passes:
            cpu = sorted(c for c, _ in passes)
            wall = sorted(w for _, w in passes)
            print(
                f"  collector generation {generation}: {len(passes)} passes, CPU {sum(cpu):.0f} ms in all, "
                f"median {cpu[len(cpu) // 2]:.1f} ms, longest {cpu[-1]:.1f} ms (wall {wall[-1]:.1f} ms)"
            )
    for stack, samples in found["where"]:
        print(f"  {samples * 2:6d} ms stalled at {stack}")


async def hold(base: str, pid: int, args: argparse.Namespace, snapshots: Path | None) -> None:
    kind = "guest" if args.guests else "signed-in"
    warm = Chat(base)  # the first chat loads what every chat needs (NLU, templates): not a chat's cost
    if not args.guests:
        await warm.sign_in()
    await warm.open()
    await warm.ask(QUESTIONS[0])
    await warm.close()
    await asyncio.sleep(1.0)
    if snapshots is not None:
        os.kill(pid, signal.SIGUSR1)
        await asyncio.sleep(3.0)
    idle = rss_kb(pid)
    chats = [Chat(base) for _ in range(args.chats)]
    signed_in = idle
    if not args.guests:
        print(f"signing in {args.chats} sessions ...", flush=True)
        await sign_in(chats)
        await asyncio.sleep(1.0)
        signed_in = rss_kb(pid)
    print(f"opening {args.chats} {kind} chats, each saying one message ...", flush=True)
    await open_chats(chats)
    gate = asyncio.Semaphore(50)

    async def say(n: int, chat: Chat) -> None:
        async with gate:
            await chat.ask(QUESTIONS[n % len(QUESTIONS)])

    await asyncio.gather(*(say(n, c) for n, c in enumerate(chats)))
    await asyncio.sleep(2.0)
    held = rss_kb(pid)
    if snapshots is not None:
        os.kill(pid, signal.SIGUSR1)
        await asyncio.sleep(5.0)
    print(f"{args.chats} {kind} web chats open, each having said one message; {os.cpu_count()} cores")
    if args.guests:
        print(f"  server RSS idle {mb(idle)}")
    else:
        print(
            f"  server RSS idle {mb(idle)}, after {args.chats} sign-ins {mb(signed_in)} "
            f"({(signed_in - idle) / args.chats:.1f} KB per sign-in: sessions, and what the password "
            "hashing left in the allocator)"
        )
    print(
        f"  server RSS with {args.chats} open chats {mb(held)}: {(held - idle) / args.chats:.1f} KB per chat "
        f"over idle, {(held - signed_in) / args.chats:.1f} KB per open chat "
        "(targets: <= 200 MB, <= 50 KB per open chat)"
    )
    await asyncio.gather(*(chat.close() for chat in chats))
    await asyncio.sleep(2.0)
    print(f"  after they closed {mb(rss_kb(pid))}")
    if snapshots is not None:
        first = tracemalloc.Snapshot.load(str(snapshots / "snapshot-1.bin"))
        second = tracemalloc.Snapshot.load(str(snapshots / "snapshot-2.bin"))
        diff = second.compare_to(first, "traceback" if args.frames > 1 else "lineno")
        total = sum(d.size_diff for d in diff)
        print(f"  traced Python memory grew {total / 1024:.0f} KB ({total / args.chats:.0f} B per chat):")
        for d in diff[: args.top]:
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(d.traceback))
            print(
                f"    {d.size_diff / args.chats:8.0f} B/chat {d.count_diff / args.chats:6.1f} blocks/chat  {where}"
            )


def launch(cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """The server in its own process group, its output in ``log_path`` (the tail is shown at the end)."""
    with log_path.open("wb") as log:
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mode", choices=("paced", "hold"), default="paced")
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a user's messages")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--guests", action="store_true", help="hold guest chats, not signed-in ones")
    parser.add_argument(
        "--stalls",
        type=float,
        default=0.0,
        help="paced mode: watch the server's event loop for stalls over MS",
    )
    parser.add_argument("--trace", action="store_true", help="hold mode: tracemalloc in the server")
    parser.add_argument("--frames", type=int, default=1, help="with --trace: call frames kept")
    parser.add_argument("--top", type=int, default=25, help="with --trace: lines of the diff to print")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            SUPPORTBOT_DATA_DIR=tmp,
            SUPPORTBOT_SECRET_KEY="bench-secret-key-0123456789abcdef",
            SUPPORTBOT_WEBCHAT_RATE_LIMIT="1000000",  # every chat is one user's: their limit is shared
        )
        port = free_port()
        serve = ["--log-level", "WARNING", "serve", "--port", str(port)]
        snapshots = Path(tmp) if args.trace and args.mode == "hold" else None
        report = Path(tmp) / "stalls.json" if args.stalls > 0 and args.mode == "paced" else None
        if snapshots is not None:
            cmd = [sys.executable, "-c", TRACED_SERVER, str(args.frames), str(snapshots), *serve]
        elif report is not None:
            cmd = [sys.executable, "-c", STALLS_SERVER, str(report), str(args.stalls), *serve]
        else:
            cmd = [sys.executable, "-m", "supportbot.adapters.cli", *serve]
        log_path = Path(tmp) / "server.log"
        server = launch(cmd, env, log_path)
        base = f"http://127.0.0.1:{port}"
        try:
            await wait_until_up(f"{base}/healthz")
            if args.mode == "paced":
                await paced(base, server.pid, args, report)
            else:
                await hold(base, server.pid, args, snapshots)
        finally:
            stop(server)
            lines = log_path.read_text(errors="replace").splitlines()
            if lines:
                print(f"server log, last {min(len(lines), 15)} of {len(lines)} lines:")
                print("\n".join(lines[-15:]))


if __name__ == "__main__":
    asyncio.run(main())
