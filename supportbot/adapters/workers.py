"""``supportbot serve --workers N``: one parent binds the port and keeps N worker processes serving it.

The parent opens the listening socket once and starts each worker as ``supportbot serve --listen-fd``
with the socket inherited, so the workers accept connections from the one port side by side (the
kernel hands each connection to one of them). The parent serves nothing itself: it restarts a worker
that dies (after a pause that grows while a worker keeps dying young, so a broken set-up does not spin),
and on SIGTERM or SIGINT it passes SIGTERM on to every worker, waits for their graceful shutdown
(turns finished, chats told to reconnect) and exits. A worker whose parent is gone (killed outright)
stops by itself (``watch_parent``).

Workers share nothing in memory: several of them need Redis (``SUPPORTBOT_REDIS_URL``) for the bus,
the conversations' locks and the rate limits, and PostgreSQL, since SQLite is one process's file.

Their metrics are shared through a private folder the parent makes for the run (``SHARED_FOLDER`` in each
worker's environment, see ``adapters.ops``): each worker writes its own files there, a scrape of any one
sums them all. When a worker dies the parent drops its open web chats' file (its counters stay counted)
before starting another; the folder is removed when the parent exits. A parent killed outright cannot
remove it: the next start removes the folders such parents left (``remove_left_behind``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from prometheus_client.multiprocess import mark_process_dead

from supportbot.adapters.settings import Settings
from supportbot.bot.errors import ConfigurationError
from supportbot.integrations.private import write_private

log = logging.getLogger(__name__)

PARENT = "SUPPORTBOT_WORKERS_PARENT"
"""The environment variable that gives a worker its parent's process id (``watch_parent``)."""
SHARED_FOLDER = "PROMETHEUS_MULTIPROC_DIR"
"""The environment variable that gives a worker the folder of its metrics' files (prometheus_client reads
it when first imported; ``adapters.ops`` sums the folder's files when scraped)."""
STOP_SECONDS = 25.0
"""How long the parent waits for the workers' graceful shutdown before it kills what is left (within
the 30 seconds a service manager gives before its own SIGKILL)."""
YOUNG_SECONDS = 10.0
"""A worker that dies younger than this is restarted after a longer pause each time."""
MAX_PAUSE_SECONDS = 30.0
METRICS_PREFIX = "supportbot-metrics-"
"""How the name of a run's metrics folder begins (the rest is random)."""
OWNER_FILE = "supportbot-owner"
"""In a run's metrics folder: the process id of the parent that made it, when that process started
(``/proc``'s clock ticks since boot), so a later process that got the same id is told apart, and the
process-id namespace it was counted in (a container's own), so an id of another one is never looked up
here; ``-`` for what there is no ``/proc`` to tell."""


async def watch_parent(parent: int) -> None:
    """A worker whose parent is gone (killed outright, so it never passed SIGTERM on) stops as if told
    to: its turns finished, its chats told to reconnect. It is never left serving the port alone."""
    while os.getppid() == parent:  # noqa: ASYNC110 - nothing sets an event when a parent dies
        await asyncio.sleep(1.0)
    log.warning("the workers' parent (pid %d) is gone; stopping", parent)
    os.kill(os.getpid(), signal.SIGTERM)


def check_several_workers(settings: Settings, workers: int) -> None:
    """Several workers need what they share outside any one of them; say plainly what is missing."""
    if workers < 1:
        raise ConfigurationError("--workers must be 1 or more")
    if workers == 1:
        return
    if settings.redis_url is None:
        raise ConfigurationError(
            f"--workers {workers} needs SUPPORTBOT_REDIS_URL: the workers relay chats between customers and "
            "agents, end signed-out sessions and order each conversation's turns through Redis "
            "(redis://host:6379/0). Without Redis, run one worker"
        )
    if settings.resolved_database_url().startswith("sqlite"):
        raise ConfigurationError(
            f"--workers {workers} needs PostgreSQL (SUPPORTBOT_DATABASE_URL=postgresql+asyncpg://...): the "
            "SQLite file of the embedded default is written by one process. Without PostgreSQL, run one worker"
        )


@dataclass
class _Slot:
    number: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    pause: float = 0.0
    due: float = 0.0
    """When a dead worker of this slot is started again."""


class Supervisor:
    """Starts ``workers`` processes of ``command`` (given the listening socket's descriptor at its end)
    and keeps them running until SIGTERM or SIGINT; ``metrics`` is the folder they share their figures
    in (``None``: each keeps its own)."""

    def __init__(
        self, listener: socket.socket, command: Sequence[str], workers: int, metrics: Path | None = None
    ) -> None:
        self.listener = listener
        self.command = list(command)
        self.slots = [_Slot(n) for n in range(1, workers + 1)]
        self.metrics = metrics
        self.env = {**os.environ, PARENT: str(os.getpid())}
        if metrics is not None:
            self.env[SHARED_FOLDER] = str(metrics)
        self._stopping = False

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in self.slots:
                self._start(slot)
            while not self._stopping:
                self._tend()
                time.sleep(0.2)
            return self._shut_down()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.listener.close()

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.slots if s.process is not None]

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _start(self, slot: _Slot) -> None:
        fd = self.listener.fileno()
        slot.process = subprocess.Popen([*self.command, str(fd)], pass_fds=(fd,), env=self.env)  # noqa: S603
        slot.started = time.monotonic()
        log.info("worker %d started (pid %d)", slot.number, slot.process.pid)

    def _tend(self) -> None:
        now = time.monotonic()
        for slot in self.slots:
            if slot.process is None:
                if now >= slot.due:
                    self._start(slot)
                continue
            code = slot.process.poll()
            if code is None:
                continue
            lived, pid = now - slot.started, slot.process.pid
            if self.metrics is not None:  # its open chats are gone; what it counted stays in the sums
                mark_process_dead(pid, str(self.metrics))  # type: ignore[no-untyped-call]
            slot.pause = min(max(slot.pause * 2, 1.0), MAX_PAUSE_SECONDS) if lived < YOUNG_SECONDS else 0.0
            slot.due, slot.process = now + slot.pause, None
            log.warning(
                "worker %d (pid %d) ended with %s after %.0f s; starting another%s",
                slot.number,
                pid,
                _how(code),
                lived,
                f" in {slot.pause:.0f} s" if slot.pause else "",
            )

    def _shut_down(self) -> int:
        running = [s.process for s in self.slots if s.process is not None and s.process.poll() is None]
        log.info("stopping %d worker(s)", len(running))
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker pid %d did not stop in time; killed", process.pid)
                process.kill()
                process.wait()
        return 0


def _how(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def listen(host: str, port: int) -> socket.socket:
    """The one listening socket the workers share, inherited by each."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    sock.set_inheritable(True)
    return sock


def serve_workers(settings: Settings, *, workers: int, worker_args: Sequence[str]) -> int:
    """Binds ``settings.host``:``settings.port`` and supervises ``workers`` workers; ``worker_args`` are
    the command-line options every worker gets before ``serve`` (log level and format)."""
    check_several_workers(settings, workers)
    settings.resolved_secret_key()  # made once here, never by workers racing for it
    command = [
        sys.executable,
        "-m",
        "supportbot.adapters.cli",
        *worker_args,
        "serve",
        "--host",
        settings.host,
        "--port",
        str(settings.port),
        "--listen-fd",
    ]
    metrics = shared_metrics()
    try:
        listener = listen(settings.host, settings.port)
        log.info("web chat on http://%s:%d/ with %d workers", settings.host, settings.port, workers)
        return Supervisor(listener, command, workers, metrics).run()
    finally:
        shutil.rmtree(metrics, ignore_errors=True)


def shared_metrics() -> Path:
    """A new folder, the server's user's only (0700), for this run's workers' figures: nothing of an
    earlier run is counted again. In the temporary folder (``TMPDIR``): best a memory-backed one, as the
    workers' files are mapped into memory and written on every turn. The folders runs killed outright
    left there are removed first, and this one is marked with its owner for the runs after it."""
    try:
        remove_left_behind(Path(tempfile.gettempdir()))
        folder = Path(tempfile.mkdtemp(prefix=METRICS_PREFIX))
        owner = f"{os.getpid()} {_started(os.getpid()) or '-'} {_namespace() or '-'}\n"
        write_private(folder / OWNER_FILE, owner.encode())
    except OSError as exc:
        raise ConfigurationError(
            f"--workers needs a writable temporary folder for the workers' metrics ({exc}); set TMPDIR"
        ) from exc
    return folder


def remove_left_behind(root: Path) -> list[Path]:
    """Removes from ``root`` the metrics folders of ``serve --workers`` parents that are gone (killed
    outright, so they never removed their own); returns them.

    Only a folder this program made and marked is considered: named ``METRICS_PREFIX``..., a real folder
    (no link), this user's, its ``OWNER_FILE`` naming a process of this process-id namespace that no longer
    runs. A folder of another user, of a running deployment or of another container stays, and so does
    one without a readable mark (one being made this moment, or by an earlier version): what cannot be
    told apart is never removed."""
    removed = []
    with os.scandir(root) as entries:
        for entry in entries:
            if not entry.name.startswith(METRICS_PREFIX):
                continue
            try:
                if (
                    not entry.is_dir(follow_symlinks=False)
                    or entry.stat(follow_symlinks=False).st_uid != os.getuid()
                ):
                    continue
                pid_text, started, namespace = (
                    (Path(entry.path) / OWNER_FILE).read_text(encoding="ascii").split()
                )
                pid = int(pid_text)
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            if namespace != (_namespace() or "-") or _running(pid, None if started == "-" else started):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            if os.path.lexists(entry.path):
                continue
            log.info(
                "removed %s: the workers' metrics of pid %d, which ended without removing them",
                entry.path,
                pid,
            )
            removed.append(Path(entry.path))
    return removed


def _running(pid: int, started: str | None) -> bool:
    """Whether process ``pid`` runs and (where ``started`` is known) is the one that started then."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return started is None or _started(pid) == started


def _namespace() -> str | None:
    """The process-id namespace this process counts in (``pid:[4026531836]``); ``None`` without ``/proc``."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None


def _started(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from ``/proc``); ``None`` where that is not
    known, or for a process that has ended but was not yet reaped (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return None if fields[0] == "Z" else fields[19]
