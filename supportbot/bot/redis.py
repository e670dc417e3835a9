"""What several workers share through Redis: the bus, the conversations' locks and the rate limits.

Built by the composition root when ``SUPPORTBOT_REDIS_URL`` is set; the only module that imports redis.
Every key and channel starts with the deployment's prefix (``supportbot:``), so deployments may share
one Redis (its pub/sub channels are shared by all its databases).

- ``RedisBus``: the ``MessageBus`` over Redis pub/sub, JSON messages; a worker hears its own
  messages back, so each subscriber gets a message once, in the order it was published.
- ``RedisLocks``: a conversation's lock, held by one worker at a time (``SET NX PX`` with a token,
  renewed while the turn runs, released only by its holder).
- ``RedisLimits``: the ``Limits`` as sliding windows, counted and checked in one Lua script.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from supportbot.bot.bus import Subscriber, Unsubscribe
from supportbot.bot.limits import LimitsUnavailable, Rule
from supportbot.bot.locks import KeyedLocks, LockUnavailable

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "supportbot:"
SOCKET_SECONDS = 1.0
"""A command that has no answer within this long fails (an unreachable Redis is told quickly): a web
chat message that finds Redis silent is apologised for after about this long, well within 2 s."""
CONFIRM_SECONDS = 2.0
"""``subscribe`` waits this long, at most, for Redis to confirm that the topic is heard."""
RECONNECT_MAX_SECONDS = 1.0
"""The longest wait between attempts to listen again after the connection dropped: the bus hears
again within about a second of Redis answering."""
LOCK_TTL_SECONDS = 10.0
"""A conversation's lock expires this long after it was taken or last renewed (a worker that died
holding it keeps the conversation waiting no longer); a turn renews it every third of that."""
CLEANUP_SECONDS = 60.0
"""How long, at most, a lock whose ``SET`` got no answer is looked after (``RedisLocks._forget``)."""
CLEANUPS = 1000
"""At most this many such locks are looked after at once; past it, a late lock simply expires."""
LOCK_WAIT_SECONDS = 15.0
"""A turn waits this long, at most, for its conversation's lock; then ``LockUnavailable``."""


def connect(url: str) -> aioredis.Redis:
    """A client for ``url`` (``redis://[:password@]host:6379/0``, ``rediss://`` for TLS). A command
    that Redis does not answer gives up after ``SOCKET_SECONDS``, not retried (a silent Redis would
    only keep the caller waiting twice as long); one whose connection was dropped or reset is tried
    once more at once on a fresh connection (a pooled connection may have died with a Redis restart),
    which fails at once too while Redis refuses connections."""
    return aioredis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=SOCKET_SECONDS,
        socket_timeout=SOCKET_SECONDS,
        health_check_interval=15,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )


async def reachable(client: aioredis.Redis) -> bool:
    """Whether Redis answers a PING (for ``/readyz``)."""
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False


def _failure(exc: BaseException) -> str:
    """What went wrong, for the log: the error's kind only, never the URL or a password it may carry."""
    return type(exc).__name__


class Outage:
    """Whether Redis answered the last command of the locks and limits: one warning when it stops
    answering and one when it answers again, rather than a line (or a traceback) per message refused
    meanwhile."""

    def __init__(self) -> None:
        self.since: float | None = None
        """``time.monotonic()`` of the first failure of the current outage; ``None`` while Redis answers."""

    def failed(self, exc: BaseException) -> None:
        if self.since is None:
            self.since = time.monotonic()
            log.warning(
                "Redis is out of reach (%s): messages are apologised for until it answers again",
                _failure(exc),
            )

    def answered(self) -> None:
        if self.since is not None:
            log.warning("Redis answers again, after %.1f s out of reach", time.monotonic() - self.since)
            self.since = None


# --- the bus -----------------------------------------------------------------------------------------


class RedisBus:
    """The ``MessageBus`` between workers, over Redis pub/sub.

    One connection listens on the channels of the topics this worker has subscribers for; a reader
    task takes messages off it and a dispatcher hands them to the subscribers one after the other (a
    subscriber may itself subscribe). When the connection drops, the reader listens again on every
    topic as soon as Redis is back; what was published meanwhile is lost (delivery is at most once,
    as ``bot.bus`` says: what must not be lost is stored first). A failed publish is logged, not raised.
    """

    def __init__(self, client: aioredis.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._prefix = prefix + "bus:"
        self._subscribers: dict[str, list[Subscriber]] = {}
        self._pubsub = client.pubsub()
        self._commands = asyncio.Lock()
        """Subscribing, unsubscribing and reconnecting one at a time."""
        self._confirmed: dict[str, asyncio.Future[None]] = {}
        self._wake = asyncio.Event()
        self._inbox: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="bus-reader")
        self._dispatcher = asyncio.get_running_loop().create_task(self._dispatch(), name="bus-dispatch")

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        data = json.dumps(message, separators=(",", ":"))
        try:
            await self._client.publish(self._prefix + topic, data)
        except (RedisError, OSError) as exc:
            log.warning("bus: a message on %s was not published (%s)", topic.split(":")[0], _failure(exc))

    async def subscribe(self, topic: str, subscriber: Subscriber) -> Unsubscribe:
        listeners = self._subscribers.setdefault(topic, [])
        listeners.append(subscriber)
        if len(listeners) == 1:
            await self._listen(topic)
        elif (pending := self._confirmed.get(self._prefix + topic)) is not None and not pending.done():
            with suppress(TimeoutError):  # another subscriber's listening is not confirmed yet: wait for it
                await asyncio.wait_for(asyncio.shield(pending), CONFIRM_SECONDS)

        def unsubscribe() -> None:
            listeners = self._subscribers.get(topic)
            if listeners is not None and subscriber in listeners:
                listeners.remove(subscriber)
            if listeners is not None and not listeners:
                del self._subscribers[topic]
                self._later(self._stop_listening(topic))

        return unsubscribe

    def subscribers(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    async def close(self) -> None:
        self._closed = True
        for task in (self._reader, self._dispatcher, *self._tasks):
            task.cancel()
        await asyncio.gather(self._reader, self._dispatcher, *self._tasks, return_exceptions=True)
        with suppress(RedisError, OSError):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]

    # --- listening ---------------------------------------------------------------------------------

    async def _listen(self, topic: str) -> None:
        """Subscribes the topic's channel and waits until Redis confirms it: a message published
        after ``subscribe`` returned reaches the subscriber."""
        channel = self._prefix + topic
        async with self._commands:
            if topic not in self._subscribers:
                return  # unsubscribed meanwhile
            confirmed = self._confirmed.get(channel)
            if confirmed is None or confirmed.done():
                confirmed = self._confirmed[channel] = asyncio.get_running_loop().create_future()
            try:
                await self._pubsub.subscribe(channel)
            except (RedisError, OSError) as exc:
                log.warning("bus: not listening on %s yet (%s)", topic.split(":")[0], _failure(exc))
                self._confirmed.pop(channel, None)
                return  # the reader listens on it again once Redis is back
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(confirmed), CONFIRM_SECONDS)
        except TimeoutError:
            log.warning("bus: Redis did not confirm listening on %s in time", topic.split(":")[0])

    async def _stop_listening(self, topic: str) -> None:
        async with self._commands:
            if topic in self._subscribers:
                return  # subscribed again meanwhile
            with suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(self._prefix + topic)

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        if self._closed:  # a chat closing after the bus: nothing listens any more
            work.close()
            return
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self) -> None:
        while not self._closed:
            if not self._pubsub.subscribed:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                message = await self._pubsub.get_message(timeout=5.0)
            except (RedisError, OSError, RuntimeError) as exc:
                log.warning("bus: the connection to Redis dropped (%s); listening again", _failure(exc))
                await self._reconnect()
                continue
            if message is None:
                continue
            kind, channel = message.get("type"), message.get("channel")
            if kind == "subscribe":
                confirmed = self._confirmed.pop(str(channel), None)
                if confirmed is not None and not confirmed.done():
                    confirmed.set_result(None)
            elif kind == "message" and isinstance(channel, str):
                self._inbox.put_nowait((channel[len(self._prefix) :], message.get("data")))

    async def _reconnect(self) -> None:
        """A new connection listening on every topic that has subscribers, as soon as Redis answers."""
        delay = 0.1
        while not self._closed:
            async with self._commands:
                with suppress(RedisError, OSError):
                    await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
                self._pubsub = self._client.pubsub()
                channels = [self._prefix + topic for topic in self._subscribers]
                if not channels:
                    return
                try:
                    await self._pubsub.subscribe(*channels)
                except (RedisError, OSError) as exc:
                    log.debug("bus: Redis not back yet (%s)", _failure(exc))
                else:
                    log.info("bus: listening again on %d topic(s)", len(channels))
                    return
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    async def _dispatch(self) -> None:
        while True:
            topic, data = await self._inbox.get()
            try:
                message = json.loads(data)
            except (TypeError, ValueError):
                log.warning("bus: ignored a message on %s that is not JSON", topic.split(":")[0])
                continue
            for subscriber in list(self._subscribers.get(topic, ())):
                try:
                    await subscriber(message)
                except Exception:
                    log.exception("bus: a subscriber of %s failed", topic.split(":")[0])


# --- conversation locks ------------------------------------------------------------------------------

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class RedisLocks:
    """``ConversationLocks`` across workers: a key ``lock:<conversation>`` holding a random token.

    Within a worker the turns of one conversation queue on an in-process lock first, so only one of
    them at a time asks Redis. The lock is taken with ``SET NX PX``, renewed every third of its TTL
    while the turn runs, and released with a compare-and-delete, so a worker never removes a lock that
    expired and was taken by another. When the lock cannot be had within ``wait`` seconds, or Redis
    does not answer, the turn fails with ``LockUnavailable``: it is never run without the lock.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl: float = LOCK_TTL_SECONDS,
        wait: float = LOCK_WAIT_SECONDS,
        outage: Outage | None = None,
    ) -> None:
        self._client = client
        self._outage = outage or Outage()
        self._prefix = prefix + "lock:"
        self._ttl_ms = int(ttl * 1000)
        self._wait = wait
        self._local = KeyedLocks()
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)
        self._cleanups: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._local.hold(key):
            name, token = self._prefix + key, secrets.token_hex(16)
            await self._acquire(name, token)
            renewal = asyncio.get_running_loop().create_task(self._keep(name, token), name="lock-renewal")
            try:
                yield
            finally:
                renewal.cancel()
                with suppress(asyncio.CancelledError):
                    await renewal
                try:
                    await self._release(keys=[name], args=[token])
                except (RedisError, OSError) as exc:  # it expires on its own
                    self._outage.failed(exc)
                    log.info("locks: a conversation's lock was not released (%s)", _failure(exc))

    async def _acquire(self, name: str, token: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait
        pause = 0.005
        while True:
            try:
                taken = await self._client.set(name, token, nx=True, px=self._ttl_ms)
            except (RedisError, OSError) as exc:
                self._outage.failed(exc)
                self._clean_up(name, token)
                raise LockUnavailable(
                    f"the conversation's lock could not be taken ({_failure(exc)})"
                ) from None
            self._outage.answered()
            if taken:
                return
            if loop.time() >= deadline:
                raise LockUnavailable(f"the conversation's lock was still held after {self._wait:g} s")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

    async def close(self) -> None:
        """Stops looking after locks whose ``SET`` got no answer (they expire on their own)."""
        for task in list(self._cleanups):
            task.cancel()
        await asyncio.gather(*self._cleanups, return_exceptions=True)

    def _clean_up(self, name: str, token: str) -> None:
        """A ``SET`` that got no answer may still reach Redis once the network is back (its bytes were
        on their way): that lock, which no turn holds, is removed as soon as Redis answers, rather
        than keeping its conversation waiting until it expires."""
        if len(self._cleanups) >= CLEANUPS:
            return
        task = asyncio.get_running_loop().create_task(self._forget(name, token), name="lock-cleanup")
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def _forget(self, name: str, token: str) -> None:
        """Compare-and-delete of a token no turn holds, again and again until the lock's TTL has
        passed since Redis answered (a late ``SET`` expires on its own by then), within
        ``CLEANUP_SECONDS``."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + CLEANUP_SECONDS
        until: float | None = None
        while loop.time() < give_up and (until is None or loop.time() < until):
            try:
                if await self._release(keys=[name], args=[token]):
                    return
                if until is None:
                    until = loop.time() + self._ttl_ms / 1000
            except (RedisError, OSError):
                pass
            await asyncio.sleep(0.5)

    async def _keep(self, name: str, token: str) -> None:
        """Renews the lock while the turn runs (a long back-end call outlives the TTL otherwise)."""
        while True:
            await asyncio.sleep(self._ttl_ms / 3000)
            try:
                if not await self._renew(keys=[name], args=[token, self._ttl_ms]):
                    log.error("locks: a conversation's lock expired while its turn was still running")
                    return
            except (RedisError, OSError) as exc:
                self._outage.failed(exc)
                log.info("locks: a conversation's lock was not renewed (%s)", _failure(exc))


# --- rate limits -------------------------------------------------------------------------------------

_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hit = ARGV[2] == 'hit'
local first = 0
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local events = redis.call('ZCARD', key)
  if hit and events >= tonumber(ARGV[1 + 2 * i]) then return -1 end
  if i == 1 then first = events end
end
if not hit then return first end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return 1
"""


class RedisLimits:
    """The ``Limits`` of ``bot.limits`` in Redis: each key a sorted set of its events' times (Redis's
    own clock), a strict sliding window. One script checks every rule of a ``hit`` and counts the
    event under all of them, or none, atomically across workers. ``LimitsUnavailable`` when Redis
    does not answer."""

    def __init__(
        self, client: aioredis.Redis, *, prefix: str = DEFAULT_PREFIX, outage: Outage | None = None
    ) -> None:
        self._outage = outage or Outage()
        self._prefix = prefix + "limit:"
        self._window = client.register_script(_WINDOW)

    def _args(self, rules: tuple[Rule, ...], mode: str) -> tuple[list[str], list[str | int]]:
        keys = [self._prefix + rule.key for rule in rules]
        args: list[str | int] = [secrets.token_hex(8), mode]
        for rule in rules:
            args += [rule.limit, max(1, int(rule.window * 1000))]
        return keys, args

    async def hit(self, *rules: Rule) -> bool:
        if not rules:
            return True
        keys, args = self._args(rules, "hit")
        return await self._run(keys, args) == 1

    async def _events(self, rule: Rule) -> int:
        keys, args = self._args((rule,), "count")
        return await self._run(keys, args)

    async def _run(self, keys: list[str], args: list[str | int]) -> int:
        try:
            result = int(await self._window(keys=keys, args=args))
        except (RedisError, OSError) as exc:
            self._outage.failed(exc)
            raise LimitsUnavailable(f"the limits could not be counted ({_failure(exc)})") from None
        self._outage.answered()
        return result

    async def full(self, rule: Rule) -> bool:
        return await self._events(rule) >= rule.limit

    async def seen(self, rule: Rule) -> bool:
        return await self._events(rule) > 0
