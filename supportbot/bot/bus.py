"""The message bus: parts of the assistant tell each other things by topic, e.g. a notice for a user.

Messages are JSON-able dicts, so the Redis pub/sub bus of several workers (``bot.redis.RedisBus``)
replaces the in-process one without a change to publishers or subscribers. Delivery is at most once: what must
not be lost is stored first (a notice is in the user's inbox before it is published).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

Subscriber = Callable[[dict[str, Any]], Awaitable[None]]
Unsubscribe = Callable[[], None]


def user_topic(user_id: str) -> str:
    """Where everything for one user is published: open chats of that user listen here."""
    return f"user:{user_id}"


PRINCIPALS_TOPIC = "principals"
"""``{"user_id": ...}``: that user's grants or role changed; cached principals must be dropped."""


class MessageBus(Protocol):
    async def publish(self, topic: str, message: dict[str, Any]) -> None: ...

    async def subscribe(self, topic: str, subscriber: Subscriber) -> Unsubscribe:
        """Calls ``subscriber`` with every message published on ``topic`` until unsubscribed."""
        ...


class InProcessBus:
    """One process's bus: ``publish`` returns once every subscriber has had the message.

    A failing subscriber is logged and does not keep the message from the others.
    """

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Subscriber]] = {}

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        for subscriber in list(self._subscribers.get(topic, ())):
            try:
                await subscriber(message)
            except Exception:
                log.exception("bus: a subscriber of %s failed", topic)

    async def subscribe(self, topic: str, subscriber: Subscriber) -> Unsubscribe:
        self._subscribers.setdefault(topic, []).append(subscriber)

        def unsubscribe() -> None:
            listeners = self._subscribers.get(topic, [])
            if subscriber in listeners:
                listeners.remove(subscriber)
            if not listeners:
                self._subscribers.pop(topic, None)

        return unsubscribe

    def subscribers(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))
