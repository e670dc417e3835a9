"""Web chat throughput and latency, beside a bare aiohttp WebSocket echo measured in the same run.

Starts two servers as separate processes on loopback — the real assistant (`supportbot serve` on a
fresh SQLite database with the demo data) and a bare aiohttp WebSocket echo — then drives each with
the same load: N concurrent users, each signed in, asking order questions one after another (send,
wait for the answer, send the next). Every answer is a full turn: NLU, conversation state and
transcript committed, back-end lookup. Prints messages/s, the server's CPU per message (its own user and
system time over the measured window, stable where wall-clock figures are not) and p50/p90/p99 latency
for both, and the ratio; for the assistant also its threads' CPU per message (the event loop's thread
apart from the others) and their voluntary and involuntary context switches per message
(``thread_usage.py``).

    python bench/webchat_bench.py --users 100 --seconds 15
    python bench/webchat_bench.py --users 30 --database-url postgresql+asyncpg://postgres@127.0.0.1/bench

With ``--database-url`` the assistant runs on that database (seeded with the demo data if it has none)
instead of a fresh SQLite file. Compare CPU per message rather than messages/s on a shared machine,
and run each variant more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from thread_usage import Usage, between, threads, usage_line

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
QUESTIONS = (
    "where is my order 4711?",
    "status of order 4712",
    "var är order 4711?",
    "when will order 4711 arrive?",
)

ECHO_SERVER = """
import sys
from aiohttp import web, WSMsgType

async def ws(request):
    sock = web.WebSocketResponse()
    await sock.prepare(request)
    async for msg in sock:
        if msg.type == WSMsgType.TEXT:
            await sock.send_str(msg.data)
    return sock

app = web.Application()
app.router.add_get("/ws", ws)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far (Linux ``/proc``): stable under a noisy machine,
    where wall-clock rates are not."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def drive(
    ws_url: str,
    *,
    users: int,
    seconds: float,
    warmup: float,
    login_url: str | None,
    origin: str,
    server_pid: int,
) -> tuple[int, list[float], float, Usage]:
    """Each user: sign in, open a WebSocket, then ask, wait, ask again until the time is up. The
    warm-up starts once every user is signed in: a sign-in's password hashing (on the server's
    threads) is not counted as a message's work."""
    latencies: list[float] = []
    count = 0
    measured_cpu: list[float] = []
    measured_threads: list[Usage] = []
    signed_in, everyone_in = 0, asyncio.Event()
    window = [float("inf"), float("inf")]  # the measured window's start and end, once known

    async def user(n: int) -> None:
        nonlocal count, signed_in
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            if login_url:
                async with session.post(
                    login_url, json={"user": "anna.berg@nordisk.example", "password": "demo"}
                ) as r:
                    if r.status != 200:
                        raise RuntimeError(f"sign-in failed: {r.status}")
            async with session.ws_connect(ws_url, headers={"Origin": origin}, max_msg_size=0) as ws:
                signed_in += 1
                if signed_in == users:
                    everyone_in.set()
                i = n
                while True:
                    now = time.monotonic()
                    if now >= window[1]:
                        return
                    msg_id = uuid.uuid4().hex
                    text = QUESTIONS[i % len(QUESTIONS)]
                    i += 1
                    frame = json.dumps({"type": "message", "id": msg_id, "text": text})
                    sent = time.perf_counter()
                    await ws.send_str(frame)
                    while True:
                        raw = await ws.receive()
                        if raw.type != aiohttp.WSMsgType.TEXT:
                            raise RuntimeError(f"connection closed: {raw.type}")
                        if login_url is None:
                            break
                        data = json.loads(raw.data)
                        if data.get("type") == "reply" and data.get("in_reply_to") == msg_id:
                            break
                        if data.get("type") == "error":
                            raise RuntimeError(f"error frame: {data}")
                    elapsed = time.perf_counter() - sent
                    if window[0] <= time.monotonic() < window[1]:
                        count += 1
                        latencies.append(elapsed)

    async def server_cpu() -> None:
        """The server's CPU over exactly the measured window."""
        await everyone_in.wait()
        window[:] = [time.monotonic() + warmup, time.monotonic() + warmup + seconds]
        await asyncio.sleep(max(0.0, window[0] - time.monotonic()))
        before, threads_before = cpu_seconds(server_pid), threads(server_pid)
        await asyncio.sleep(max(0.0, window[1] - time.monotonic()))
        measured_cpu.append(cpu_seconds(server_pid) - before)
        measured_threads.append(between(server_pid, threads_before, threads(server_pid)))

    await asyncio.gather(server_cpu(), *(user(n) for n in range(users)))
    return count, latencies, measured_cpu[0], measured_threads[0]


def report(
    name: str, count: int, latencies: list[float], seconds: float, cpu: float, usage: Usage | None = None
) -> float:
    rate = count / seconds
    per_message = cpu / count * 1000 if count else float("nan")
    print(
        f"{name:<28} {rate:>9.0f} msg/s   server CPU {per_message:5.2f} ms/msg   "
        f"p50 {percentile(latencies, 50) * 1000:6.2f} ms   "
        f"p90 {percentile(latencies, 90) * 1000:6.2f} ms   p99 {percentile(latencies, 99) * 1000:6.2f} ms"
    )
    if usage is not None:
        print(usage_line(usage, count, indent=" " * 29))
    return rate


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--database-url", help="run the assistant on this database instead of a fresh SQLite file"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            SUPPORTBOT_DATA_DIR=tmp,
            SUPPORTBOT_SECRET_KEY="bench-secret-key-0123456789abcdef",
            SUPPORTBOT_WEBCHAT_RATE_LIMIT="1000000",  # the load is far faster than any person types
        )
        if args.database_url:
            env["SUPPORTBOT_DATABASE_URL"] = args.database_url
        echo_port, bot_port = free_port(), free_port()
        echo = start([sys.executable, "-c", ECHO_SERVER, str(echo_port)], env)
        bot = start(
            [
                sys.executable,
                "-m",
                "supportbot.adapters.cli",
                "--log-level",
                "WARNING",
                "serve",
                "--port",
                str(bot_port),
            ],
            env,
        )
        try:
            await wait_until_up(f"http://127.0.0.1:{echo_port}/ws")
            await wait_until_up(f"http://127.0.0.1:{bot_port}/healthz")
            print(
                f"{args.users} users, {args.seconds:.0f} s each after {args.warmup:.0f} s warm-up, "
                f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
            )
            count, lat, cpu, _ = await drive(
                f"ws://127.0.0.1:{echo_port}/ws",
                users=args.users,
                seconds=args.seconds,
                warmup=args.warmup,
                login_url=None,
                origin=f"http://127.0.0.1:{echo_port}",
                server_pid=echo.pid,
            )
            echo_rate = report("bare aiohttp WebSocket echo", count, lat, args.seconds, cpu)
            count, lat, cpu, usage = await drive(
                f"ws://127.0.0.1:{bot_port}/webchat/ws",
                users=args.users,
                seconds=args.seconds,
                warmup=args.warmup,
                login_url=f"http://127.0.0.1:{bot_port}/webchat/api/login",
                origin=f"http://127.0.0.1:{bot_port}",
                server_pid=bot.pid,
            )
            bot_rate = report("supportbot order question", count, lat, args.seconds, cpu, usage)
            print(f"{'ratio':<28} {bot_rate / echo_rate:>9.2f} (target >= 0.50)")
        finally:
            stop(bot)
            stop(echo)


if __name__ == "__main__":
    asyncio.run(main())
