"""Workers killed (SIGKILL) under load on one PostgreSQL database: six web chats keep sending, a few
messages at a time each with its own id; the first worker dies at a chosen point (its reply stored but
not sent), the chats reconnect to a second worker already running and resend what was not answered;
that one is killed from outside in the middle of the traffic, and the chats go on with a worker
started again on the first one's port. Every message sent is answered exactly once, and the
transcript tables hold each message and its answer once: nothing lost, nothing doubled.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.crash.harness import Server, browser
from tests.faults.transcripts import answers, conversations

pytestmark = [pytest.mark.postgres, pytest.mark.crash]

CUSTOMERS = (
    ("anna", "anna.berg@nordisk.example"),
    ("anna-phone", "anna.berg@nordisk.example"),  # a second session: a conversation of its own
    ("erik", "erik.lund@nordisk.example"),
    ("max", "max.muller@contoso.example"),
    ("max-phone", "max.muller@contoso.example"),
    ("lena", "lena.wagner@contoso.example"),
)
TEXTS = ("show my open orders", "what can you do?", "where is order 4711?", "thanks", "hello", "my invoices")
MESSAGES = 24
"""Messages each customer sends."""
IN_FLIGHT = 3
"""Messages a customer has sent and not yet had answered, at most (the widget does not wait)."""
FIRST_DIES_AT = "reply.before_send:25"
"""The first worker dies with its 25th reply stored and not sent: the resend must find it."""


class Workers:
    """Where the chats connect: the worker the load balancer sends them to now."""

    def __init__(self, first: Server) -> None:
        self.current = first


class Customer:
    """One browser's chat: sends ``MESSAGES`` messages, ``IN_FLIGHT`` at a time; when the worker goes
    away, reconnects (to whichever worker is current) and resends what was not answered, same ids."""

    def __init__(self, name: str, user: str, progress: asyncio.Event) -> None:
        self.name = name
        self.user = user
        self.progress = progress
        """Set at every reply."""
        self.sent: dict[str, str] = {}
        """Every message sent, by id, with its text."""
        self.replies: dict[str, list[dict[str, Any]]] = {}
        """The reply frames received for each id, over all connections."""
        self.waiting: list[str] = []
        """Ids sent and not answered yet, in order."""
        self.resent = 0
        self.errors: list[dict[str, Any]] = []

    @property
    def answered(self) -> int:
        return len(self.replies)

    async def run(self, workers: Workers) -> None:
        async with browser() as me:
            await me.login(workers.current, self.user)
            while len(self.sent) < MESSAGES or self.waiting:
                try:
                    async with me.chat(workers.current) as chat:
                        await self._talk(chat.ws, chat.frame)
                except (aiohttp.ClientError, ConnectionError, AssertionError):
                    pass  # the worker is gone (or not up yet): try again, wherever the chats go now
                await asyncio.sleep(0.05)

    async def _talk(self, ws: aiohttp.ClientWebSocketResponse, frame: Callable[..., Any]) -> None:
        for message_id in self.waiting:  # not answered as far as we know: the same id again
            self.resent += 1
            await self._send(ws, message_id)
        while len(self.sent) < MESSAGES or self.waiting:
            while len(self.waiting) < IN_FLIGHT and len(self.sent) < MESSAGES:
                message_id = f"{self.name}-{len(self.sent)}"
                self.sent[message_id] = TEXTS[len(self.sent) % len(TEXTS)]
                self.waiting.append(message_id)
                await self._send(ws, message_id)
            got = await frame()
            if got is None:
                return
            if got["type"] == "reply":
                self.replies.setdefault(got["in_reply_to"], []).append(got)
                self.progress.set()
                if got["in_reply_to"] in self.waiting:
                    self.waiting.remove(got["in_reply_to"])
            elif got["type"] == "error":
                self.errors.append(got)
                return

    async def _send(self, ws: aiohttp.ClientWebSocketResponse, message_id: str) -> None:
        frame = {"type": "message", "id": message_id, "text": self.sent[message_id]}
        await ws.send_str(json.dumps(frame))


async def answered_at_least(customers: list[Customer], count: int) -> None:
    while sum(c.answered for c in customers) < count:
        customers[0].progress.clear()
        await customers[0].progress.wait()


async def test_workers_killed_under_load_answer_every_message_once(
    data_dir: Path, database_url: str, database: AsyncEngine
) -> None:
    env = {"SUPPORTBOT_DATABASE_URL": database_url, "SUPPORTBOT_WEBCHAT_RATE_LIMIT": "1000"}
    first = Server(data_dir, crash_at=FIRST_DIES_AT, env=env).start()
    second = Server(data_dir, env=env).start()  # a second worker on the same database, idle so far
    third: Server | None = None
    workers = Workers(first)
    progress = asyncio.Event()
    customers = [Customer(name, user, progress) for name, user in CUSTOMERS]
    talking = asyncio.gather(*(c.run(workers) for c in customers))
    try:
        assert await first.died(timeout=60) == -9  # at its crash point, under load
        workers.current = second
        before = sum(c.answered for c in customers)
        await answered_at_least(customers, before + 30)
        second.kill()  # from outside, while messages are in flight
        third = Server(data_dir, port=first.port, env=env)
        await asyncio.to_thread(third.start)  # the first worker's place, started again
        workers.current = third
        await asyncio.wait_for(talking, timeout=120)
    finally:
        talking.cancel()
        for server in (first, second, third):
            if server is not None:
                server.stop()

    assert sum(c.resent for c in customers) > 0, "no message was resent: the kills came between messages"
    repeats = [r for c in customers for replies in c.replies.values() for r in replies if r.get("repeat")]
    assert repeats, "the reply the first worker stored and never sent reached nobody"
    stored = await conversations(database)  # every conversation whole
    assert len(stored) == len(customers)
    by_id = {i: texts for lines in stored.values() for i, texts in answers(lines).items()}
    for customer in customers:
        assert customer.errors == [], customer.errors
        assert sorted(customer.replies) == sorted(customer.sent), customer.name  # every message answered
        for message_id, replies in customer.replies.items():
            assert by_id[message_id] == [replies[0]["reply"]["text"]], message_id  # stored once, as sent
            assert all(r["reply"] == replies[0]["reply"] for r in replies), replies  # a resend: the same
            assert all(r.get("repeat") for r in replies[1:]), replies
    assert sorted(by_id) == sorted(i for c in customers for i in c.sent)  # nothing else stored
