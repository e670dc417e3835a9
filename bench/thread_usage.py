"""A process's CPU and context switches thread by thread, from Linux ``/proc``: the event loop's
thread (the main one, whose id is the process's) apart from the others (the store's writer, the
database driver's threads, the executor's).

    before = threads(pid)
    ...
    print(usage_line(threads(pid), before, messages))

CPU is each thread's time on a CPU in nanoseconds (``schedstat``), not the clock ticks of ``stat``; a
context switch is voluntary when the thread waited (for the GIL, a lock, I/O, a queue) and
involuntary when the scheduler took the CPU from it. A thread that ended between the two readings
is not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Thread:
    name: str
    cpu: float
    """Seconds on a CPU so far."""
    voluntary: int
    involuntary: int


def threads(pid: int) -> dict[int, Thread]:
    """Every live thread of process ``pid`` by its id."""
    found: dict[int, Thread] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            cpu = int((task / "schedstat").read_text().split()[0]) / 1e9
            status = (task / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
            continue
        switches = dict(re.findall(r"^(\w+_ctxt_switches):\s+(\d+)", status, re.MULTILINE))
        found[int(task.name)] = Thread(
            name,
            cpu,
            int(switches.get("voluntary_ctxt_switches", 0)),
            int(switches.get("nonvoluntary_ctxt_switches", 0)),
        )
    return found


@dataclass(frozen=True)
class Usage:
    """What the threads did between two readings."""

    loop: Thread
    others: dict[str, Thread]
    """By thread name (threads of one name, such as a pool's, summed)."""

    @property
    def cpu(self) -> float:
        return self.loop.cpu + sum(t.cpu for t in self.others.values())

    @property
    def voluntary(self) -> int:
        return self.loop.voluntary + sum(t.voluntary for t in self.others.values())

    @property
    def involuntary(self) -> int:
        return self.loop.involuntary + sum(t.involuntary for t in self.others.values())


def between(
    pid: int, before: dict[int, Thread], after: dict[int, Thread], names: dict[int, str] | None = None
) -> Usage:
    """``names``: Python's names of threads by their native id, for a bench measuring its own process
    (the system's name of each is the program's: Python does not name its threads there)."""
    zero = Thread("", 0.0, 0, 0)
    loop = zero
    others: dict[str, Thread] = {}
    for tid, now in after.items():
        then = before.get(tid, zero)
        spent = Thread(
            now.name, now.cpu - then.cpu, now.voluntary - then.voluntary, now.involuntary - then.involuntary
        )
        if tid == pid:
            loop = spent
            continue
        name = (names or {}).get(tid, now.name)
        name = re.sub(r"[_-]?\d+$", "", name) or name
        had = others.get(name, Thread(name, 0.0, 0, 0))
        others[name] = Thread(
            name, had.cpu + spent.cpu, had.voluntary + spent.voluntary, had.involuntary + spent.involuntary
        )
    return Usage(loop, others)


def usage_line(usage: Usage, messages: int, *, indent: str = "  ") -> str:
    """Per message: CPU of the loop's thread and of the others (the busiest by name), and the
    voluntary and involuntary context switches of all threads and of the loop's."""
    if not messages:
        return f"{indent}no messages measured"
    per = 1000 / messages
    busy = sorted((t for t in usage.others.values() if t.cpu > 0), key=lambda t: -t.cpu)
    named = ", ".join(f"{t.name} {t.cpu * per:.3f}" for t in busy[:3])
    return (
        f"{indent}threads' CPU {usage.cpu * per:.3f} ms/msg: event loop {usage.loop.cpu * per:.3f}, "
        f"others {(usage.cpu - usage.loop.cpu) * per:.3f}{f' ({named})' if named else ''}\n"
        f"{indent}context switches per msg: voluntary {usage.voluntary / messages:.2f} "
        f"(event loop {usage.loop.voluntary / messages:.2f}), "
        f"involuntary {usage.involuntary / messages:.2f} (event loop {usage.loop.involuntary / messages:.2f})"
    )
