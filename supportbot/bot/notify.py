"""Proactive notices: the bot tells a user something outside the conversation they are in.

A notice (an administrator's "Erik asks for access to invoices", with Approve / Deny buttons) is a
bot turn appended to the user's own inbox conversation, ``ConversationRef(channel="inbox",
conversation_id=<user id>)``, and then published on the bus under ``user:<user id>``. An open chat of
that user (the web chat) forwards it live; a chat opened later shows the inbox's notices in its
history, interleaved by time. Storing before publishing means a notice is never lost, only perhaps
not seen live. Buttons in a notice are ordinary buttons: pressing one types its value in whatever
conversation the user is in.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from supportbot.bot.bus import PRINCIPALS_TOPIC, MessageBus, user_topic
from supportbot.bot.locks import KeyedLocks
from supportbot.bot.messages import ConversationRef, Reply
from supportbot.bot.store import Conflict, Store, TurnRecord

log = logging.getLogger(__name__)

INBOX_CHANNEL = "inbox"
_ATTEMPTS = 3


def inbox_ref(user_id: str) -> ConversationRef:
    return ConversationRef(channel=INBOX_CHANNEL, conversation_id=user_id)


def notice_message(reply: Reply, at: datetime) -> dict[str, Any]:
    """What the bus carries for a notice: JSON-able, so any bus can carry it."""
    return {"type": "notice", "reply": reply.model_dump(mode="json"), "at": at.isoformat()}


ChannelDelivery = Callable[[str, Reply], Awaitable[bool]]
"""Sends a notice to a user in one channel (Slack, Teams); ``False`` when the user is not reachable there."""


class Notifier:
    """Delivers notices (inbox, then bus, then every channel the user is reachable in) and announces
    changed principals on the bus.

    Channel deliveries run in the process that creates the notice, once, so several workers never
    send the same notice twice; a channel that fails is logged and the others still get it.
    """

    def __init__(self, store: Store, bus: MessageBus, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.bus = bus
        self._clock = clock or (lambda: datetime.now(UTC))
        self._locks = KeyedLocks()
        self._channels: dict[str, ChannelDelivery] = {}

    def add_channel(self, name: str, deliver: ChannelDelivery) -> None:
        """A channel adapter registers how it reaches a user; called once at start-up."""
        self._channels[name] = deliver

    async def notify(self, user_id: str, reply: Reply) -> None:
        await self._tell(user_id, reply, once=None)

    async def notify_once(self, user_id: str, reply: Reply, *, key: str) -> bool:
        """Tells ``user_id`` unless the notice named ``key`` was told before (``False`` then).

        For a notice that must reach the user once, however often it is given (a scheduled pass that
        died after telling, finished by another): its inbox line carries ``key``, which the inbox holds
        only once, and a repeat is neither stored, published nor sent to a channel.
        """
        return await self._tell(user_id, reply, once=key)

    async def _tell(self, user_id: str, reply: Reply, *, once: str | None) -> bool:
        ref = inbox_ref(user_id)
        at = self._clock()
        payload = {**reply.model_dump(mode="json"), "notice": True}
        record = TurnRecord(role="bot", text=reply.text, payload=payload, at=at, delivery_id=once)
        async with self._locks.hold(ref.key):
            for attempt in range(_ATTEMPTS):
                conv = await self.store.load(ref.key, channel=INBOX_CHANNEL, user_id=user_id)
                conv.language = reply.language
                try:
                    await self.store.save_turn(conv, record)
                    break
                except Conflict:
                    # Another worker appended to the same inbox first: read it again and retry.
                    self.store.forget(ref.key)
                    if once is not None and await self.store.has_delivery(ref.key, once):
                        return False
                    if attempt == _ATTEMPTS - 1:
                        raise
        await self.bus.publish(user_topic(user_id), notice_message(reply, at))
        for name, deliver in self._channels.items():
            try:
                await deliver(user_id, reply)
            except Exception:
                log.warning("could not deliver a notice to %s in %s", user_id, name, exc_info=True)
        return True

    async def deliver(self, channel: str, user_id: str, reply: Reply) -> bool:
        """Send ``reply`` to ``user_id`` in one channel only (an agent's line to a Slack or Teams customer);
        ``False`` when that channel is not registered or cannot reach them."""
        deliver = self._channels.get(channel)
        if deliver is None:
            return False
        try:
            return await deliver(user_id, reply)
        except Exception:
            log.warning("could not deliver a message to %s in %s", user_id, channel, exc_info=True)
            return False

    async def principal_changed(self, user_id: str) -> None:
        """Grants or role of ``user_id`` changed: every worker drops its cached principal."""
        await self.bus.publish(PRINCIPALS_TOPIC, {"user_id": user_id})

    async def inbox(self, user_id: str, *, limit: int = 100) -> list[TurnRecord]:
        return await self.store.history(inbox_ref(user_id).key, limit=limit)

    async def with_inbox(
        self, turns: Sequence[TurnRecord], user_id: str | None, *, limit: int = 100
    ) -> list[TurnRecord]:
        """A conversation's transcript with the user's notices put in by time, the last ``limit`` lines."""
        if user_id is None:
            return list(turns)
        notices = await self.inbox(user_id, limit=limit)
        if not notices:
            return list(turns)
        merged = sorted([*turns, *notices], key=lambda turn: turn.at or _NEVER)
        return merged[-limit:]


_NEVER = datetime.min.replace(tzinfo=UTC)
"""Where a line without a time sorts: first."""
