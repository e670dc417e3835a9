"""What operations needs from a worker: liveness, readiness and Prometheus metrics.

- ``/healthz``: the process answers (no database round trip: a load balancer may ask every second).
- ``/readyz``: the database answers and its schema is the newest revision; 503 with the failing checks
  otherwise, so a load balancer sends no customer to a worker that cannot answer them.
- ``/metrics``: the Prometheus text format. Turns and their latency by channel and intent, messages the
  NLU did not understand, and, read from the database when scraped (indexed counts, a few a scrape): the
  handoff queue's length and its longest wait, requests past their due time, the mail outbox's backlog,
  and the web chats open on this worker.

The metrics live in the application's own registry (never the process-global one), so several
applications in one process (tests) each count their own.

Under ``serve --workers N`` a scrape reaches one worker, whichever the kernel hands the connection to,
and answers for all of them. The parent gives its workers a private folder of its own
(``PROMETHEUS_MULTIPROC_DIR``: prometheus_client's multiprocess mode, chosen when it is first imported):
each worker keeps its counters, histograms and open web chats in a memory-mapped file there, named by
its process id, and a scrape sums every file. A worker that dies leaves its counters' file, so what it
counted stays in the sums; the parent removes its open chats' file before it starts another. The
database's figures are read once, by the worker that answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from supportbot.adapters.workers import SHARED_FOLDER
from supportbot.bot.messages import Message
from supportbot.bot.nlu.types import NONE_INTENT
from supportbot.integrations.sql.operations import figures, schema_state

if TYPE_CHECKING:
    from supportbot.adapters.app import Application
    from supportbot.bot.pipeline import Answer

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.Response]]

TURN_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Seconds: a turn costs about a millisecond; a slow back end shows in the upper buckets."""
READY_TIMEOUT = 2.0
"""Seconds ``/readyz`` waits for the database before it says the worker is not ready."""
SCRAPE_TIMEOUT = 2.0
"""Seconds a scrape waits for the database's figures; without them it still gives the counters."""
CHATS_EVERY = 1.0
"""Seconds between a worker's updates of its open web chats in the shared folder (a scrape of the worker
itself counts its own as of then)."""
WEBSOCKETS_HELP = "Web chats open on this worker (under serve --workers, on all its workers)."


def shared_folder() -> Path | None:
    """The folder this process shares its figures in, when it is a worker of ``serve --workers`` (and
    prometheus_client took the multiprocess mode when it was first imported)."""
    path = os.environ.get(SHARED_FOLDER)
    if not path or not getattr(values.ValueClass, "_multiprocess", False):
        return None
    return Path(path)


class Metrics:
    """One application's counters and histograms, and the figures read when scraped."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter(
            "supportbot_turns",
            "Messages answered, by channel and the intent of the answer.",
            ("channel", "intent"),
            registry=self.registry,
        )
        self.turn_seconds = Histogram(
            "supportbot_turn_seconds",
            "Seconds from a message's arrival at the pipeline to its stored answer.",
            ("channel", "intent"),
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        self.not_understood = Counter(
            "supportbot_nlu_misses",
            "Messages the assistant did not understand, by channel.",
            ("channel",),
            registry=self.registry,
        )
        self.open_websockets: Callable[[], int] = lambda: 0
        """How many web chats are open on this worker (the web chat tells, once it is hosted)."""
        self.figures: dict[str, float] = {}
        """The database's figures of the last scrape: ``Metrics.read`` fills them."""
        self._children: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._misses: dict[str, Any] = {}
        self.shared = shared = shared_folder()
        """The folder of ``serve --workers``' figures, or ``None``: this worker's own."""
        self.exposed = self.registry
        """What a scrape shows: this registry, or under ``serve --workers`` the sums of the shared folder."""
        self._chats: Gauge | None = None
        self._chats_shared = -1
        if shared is None:
            self.registry.register(_Figures(self, chats=True))
        else:
            self._chats = Gauge(
                "supportbot_websockets_open", WEBSOCKETS_HELP, multiprocess_mode="livesum", registry=None
            )
            self.exposed = CollectorRegistry(auto_describe=True)
            MultiProcessCollector(self.exposed, path=str(shared))  # type: ignore[no-untyped-call]
            self.exposed.register(_Figures(self, chats=False))

    def share_chats(self) -> None:
        """Writes this worker's open web chats to the shared folder, if their number changed."""
        if self._chats is None:
            return
        count = self.open_websockets()
        if count != self._chats_shared:
            self._chats.set(count)
            self._chats_shared = count

    def turn(self, message: Message, answer: Answer, seconds: float) -> None:
        """Counts one answered message (a repeated delivery is not a new turn)."""
        if answer.repeat:
            return
        channel = message.conversation.channel
        intent = answer.reply.intent or NONE_INTENT
        children = self._children.get((channel, intent))
        if children is None:  # a label lookup takes a lock and builds a key: once per pair, not per turn
            children = self._children[(channel, intent)] = (
                self.turns.labels(channel, intent),
                self.turn_seconds.labels(channel, intent),
            )
        children[0].inc()
        children[1].observe(seconds)
        if intent == NONE_INTENT:
            misses = self._misses.get(channel)
            if misses is None:
                misses = self._misses[channel] = self.not_understood.labels(channel)
            misses.inc()

    async def read(self, app: Application) -> None:
        """The figures that live in the database, as of now."""
        self.figures = {name: float(value) for name, value in asdict(await figures(app.engine)).items()}


class _Figures(Collector):
    """Gauges of the last read figures and of the open web chats."""

    HELP: ClassVar[dict[str, str]] = {
        "handoffs_queued": "Conversations waiting for an agent.",
        "handoff_longest_wait_seconds": "Seconds the longest-waiting conversation has waited for an agent.",
        "requests_past_due": "Open requests past their due time.",
        "mail_outbox_pending": "Mails queued and not yet accepted by the mail server.",
    }

    def __init__(self, metrics: Metrics, *, chats: bool) -> None:
        self.metrics = metrics
        self.chats = chats
        """Whether the open web chats are this worker's to count (not the shared folder's)."""

    def collect(self) -> Iterable[Metric]:
        if self.chats:
            yield GaugeMetricFamily(
                "supportbot_websockets_open", WEBSOCKETS_HELP, value=self.metrics.open_websockets()
            )
        for name, value in self.metrics.figures.items():
            yield GaugeMetricFamily(f"supportbot_{name}", self.HELP[name], value=value)

    def describe(self) -> Iterator[Metric]:
        return iter(())


async def healthz(request: web.Request) -> web.Response:
    """Alive: the event loop answers."""
    return web.json_response({"ok": True}, headers={"Cache-Control": "no-store"})


def readyz(app: Application) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        """Ready: the database (and Redis, when set) answer within ``READY_TIMEOUT`` and the schema is
        current."""
        checks: dict[str, str] = {}
        try:
            async with asyncio.timeout(READY_TIMEOUT):
                state = await schema_state(app.engine)
                checks["database"] = "ok"
                checks["migrations"] = state
        except Exception as exc:  # unreachable, refused, timed out: not ready, and why
            log.warning("readyz: the database is not reachable (%s)", type(exc).__name__)
            checks.setdefault("database", "unreachable")
        if app.shared_ready is not None:  # several workers: Redis carries their bus and locks
            try:
                async with asyncio.timeout(READY_TIMEOUT):
                    checks["redis"] = "ok" if await app.shared_ready() else "unreachable"
            except TimeoutError:
                checks["redis"] = "unreachable"
        ready = all(value == "ok" for value in checks.values())
        return web.json_response(
            {"ready": ready, "checks": checks},
            status=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )

    return handle


LOOPBACK = frozenset({"127.0.0.1", "::1"})
FORWARDING = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
"""Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its peer address."""


def may_scrape(request: web.Request, token: str | None) -> bool:
    """With a token, the scraper must send it; without one, only this machine may scrape."""
    if token is not None:
        return hmac.compare_digest(
            request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
        )
    return request.remote in LOOPBACK and not any(h in request.headers for h in FORWARDING)


def metrics_handler(app: Application) -> Handler:
    secret = app.settings.metrics_token
    token = secret.get_secret_value() if secret is not None else None

    async def handle(request: web.Request) -> web.Response:
        """The Prometheus text format; the database's figures as of this scrape when it answers."""
        if not may_scrape(request, token):
            return web.Response(status=403, text="Forbidden", headers={"Cache-Control": "no-store"})
        metrics = app.metrics
        started = time.perf_counter()
        try:
            async with asyncio.timeout(SCRAPE_TIMEOUT):
                await metrics.read(app)
        except Exception as exc:  # the counters are still worth having; the stale figures are dropped
            log.warning("metrics: the database's figures could not be read (%s)", type(exc).__name__)
            metrics.figures = {}
        metrics.share_chats()
        body = generate_latest(metrics.exposed)
        log.debug("metrics: scraped in %.1f ms", 1000 * (time.perf_counter() - started))
        return web.Response(
            body=body,
            headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"},
        )

    return handle


def mount(web_app: web.Application, app: Application) -> None:
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz(app))
    web_app.router.add_get("/metrics", metrics_handler(app))
    if app.metrics.shared is not None:
        web_app.cleanup_ctx.append(_sharing_chats(app.metrics))


def _sharing_chats(
    metrics: Metrics,
) -> Callable[[web.Application], contextlib.AbstractAsyncContextManager[None]]:
    """Under ``serve --workers``: the worker's open web chats, written where the others' scrapes read them."""

    async def share() -> None:
        while True:
            metrics.share_chats()
            await asyncio.sleep(CHATS_EVERY)

    @contextlib.asynccontextmanager
    async def sharing(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.get_running_loop().create_task(share(), name="metrics: open web chats")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return sharing
