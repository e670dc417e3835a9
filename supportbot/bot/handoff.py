"""Handoffs to human agents: a queue in the store, one agent per conversation, relays through the bus.

A handoff is a row of the store's ``handoffs``: ``queued`` until an agent takes it (atomically: one
agent wins), ``active`` while that agent owns the conversation, ``closed`` once handed back or
closed with a resolution. The conversation's ``DialogState.handoff`` holds the number while
it is open, so the pipeline looks the row up only then and keeps silent while it is open.

Every line either side says is stored in the customer's transcript before it is published, so a
restart loses nothing; the bus carries it live, which works unchanged with a bus between workers:

- ``agents``: the queue changed (``queued``, ``taken``, ``closed``), for every agent console;
- ``handoff:<number>``: a line of that conversation (``message``), for the agent consoles showing it;
- ``conversation:<key>``: what the customer's open chat shows (``joined``, ``agent``, ``typing``, ``bot``).

Customers know an agent by their first name only ("Sara from support has joined the chat", "Sara is
typing…", "Sara: …", "Sara has left the chat, and I'm back"); a question the customer asked that no
agent answered is offered again when the bot is back.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo

from supportbot.bot.bus import MessageBus
from supportbot.bot.i18n import Formatter
from supportbot.bot.limits import Limits, Rule
from supportbot.bot.locks import ConversationLocks
from supportbot.bot.messages import Button, ConversationRef, Reply
from supportbot.bot.state import DialogState
from supportbot.bot.store import ACTIVE, CLOSED, QUEUED, Conflict, Handoff, HandoffRows, Store, TurnRecord
from supportbot.bot.store.writer import Statement
from supportbot.integrations.business_days import is_holiday, known_timezone
from supportbot.integrations.models import GuestContact

log = logging.getLogger(__name__)

__all__ = [
    "ACTIVE",
    "AGENTS_TOPIC",
    "BACK",
    "CLOSED",
    "JOINED",
    "LIVE_CHANNEL",
    "LIVE_CHANNELS",
    "PRESENCE_HEARTBEAT",
    "PRESENCE_TTL",
    "QUEUED",
    "AgentNames",
    "Handoff",
    "Handoffs",
    "OfficeHours",
    "OutsideDelivery",
    "conversation_topic",
    "first_name",
    "handoff_topic",
    "pending_question",
]

AGENTS_TOPIC = "agents"
_ATTEMPTS = 3
PRESENCE_HEARTBEAT = 30.0
"""Seconds between an open agent console's presence updates."""
PRESENCE_TTL = timedelta(seconds=3 * PRESENCE_HEARTBEAT)
"""A console not heard from for this long (its worker died) no longer counts as online."""
GUEST_HANDOFFS = 3
"""A guest's requests for a person per conversation in ``GUEST_HANDOFF_WINDOW`` seconds."""
GUEST_HANDOFF_WINDOW = 3600.0
GUEST_MAILS = 3
"""Guests' requests for a person per stated e-mail address in ``GUEST_MAIL_WINDOW`` seconds: outside
office hours each one mails that address, which nobody confirmed, so nobody can flood a mailbox."""
GUEST_MAIL_WINDOW = 86400.0
LIVE_CHANNEL = "web"
LIVE_CHANNELS = frozenset({LIVE_CHANNEL, "directline"})
"""The channels whose open chats listen on ``conversation:<key>`` (the web chat, Microsoft's WebChat
over Direct Line); others get lines through ``outside``."""

OutsideDelivery = Callable[[str, str, Reply], Awaitable[bool]]
"""``(channel, user_id, reply)``: sends a line to a customer in Slack or Teams (``Notifier.deliver``)."""
AgentNames = Callable[[str], Awaitable[str | None]]
"""An agent's user id to their full name (the directory's), or ``None`` when it is not known."""
JOINED = "handoff.joined"
BACK = "handoff.back"
"""The intents of the bot lines that say an agent joined and that the bot is back (see ``protocol``)."""
_QUESTION_SHOWN = 200
"""Characters of a pending question quoted when the bot is back; pressing the button sends it whole."""
_QUESTION_SENT = 2000


def first_name(name: str | None) -> str | None:
    """What a customer calls an agent: the first word of their name ("Sara" of "Sara Lindqvist")."""
    words = (name or "").split()
    return words[0] if words else None


def handoff_topic(number: str) -> str:
    return f"handoff:{number}"


def conversation_topic(key: str) -> str:
    """What the customer's open chat of conversation ``key`` shows live."""
    return f"conversation:{key}"


@dataclass(frozen=True)
class OfficeHours:
    """When agents work: ``08:00-17:00`` on the given weekdays (0 = Monday), except public holidays.

    The holidays are the customer's country's, and the hours are read in its time zone where we know
    it (``business_days.TIMEZONES``), else in ``zone``: a German customer finds the desk closed on
    Whit Monday, a Swedish one on midsummer eve. Without a country, the default country's holidays
    (``business_days.DEFAULT_COUNTRY``). Hours configured as always open (``""``) know no holidays.
    """

    start: time
    end: time
    days: frozenset[int]
    zone: ZoneInfo
    holidays: bool = True
    """Closed on public holidays."""

    @classmethod
    def parse(cls, hours: str, *, days: str = "0-4", zone: str = "Europe/Stockholm") -> OfficeHours:
        """``"08:00-17:00"`` and weekdays like ``"0-4"`` or ``"0,1,2"``; an empty ``hours`` is always open."""
        if not hours.strip():
            return cls(
                time(0, 0), time(23, 59, 59, 999999), frozenset(range(7)), ZoneInfo(zone), holidays=False
            )
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", hours)
        if match is None:
            raise ValueError(f"office hours must look like 08:00-17:00, not {hours!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        weekdays: set[int] = set()
        for part in days.split(","):
            if "-" in part:
                first, last = part.split("-", 1)
                weekdays.update(range(int(first), int(last) + 1))
            elif part.strip():
                weekdays.add(int(part))
        return cls(time(h1, m1), time(h2, m2), frozenset(weekdays), ZoneInfo(zone))

    @property
    def always(self) -> bool:
        """Open every hour of every day, holidays too (hours configured as ``""``)."""
        return (
            not self.holidays
            and self.days == frozenset(range(7))
            and self.start == time(0, 0)
            and self.end >= time(23, 59)
        )

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def open_at(self, now: datetime, country: str | None = None) -> bool:
        """Agents work at ``now`` for a customer of ``country`` (see the class)."""
        local = self._local(now, country)
        return (
            local.weekday() in self.days
            and self.start <= local.time() < self.end
            and not self.holiday_at(now, country)
        )

    def holiday_at(self, now: datetime, country: str | None = None) -> bool:
        """It is a public holiday (on a day agents would otherwise work) for a customer of ``country``."""
        local = self._local(now, country)
        return self.holidays and local.weekday() in self.days and is_holiday(local.date(), country)

    def _local(self, now: datetime, country: str | None) -> datetime:
        return now.astimezone(known_timezone(country) or self.zone)


class Handoffs:
    """The handoff queue and the relays between a customer and the agent who owns their conversation.

    ``locks`` are the pipeline's per-conversation locks: an agent's line and a customer's turn are
    appended to the same transcript strictly one after the other.
    """

    def __init__(
        self,
        store: Store,
        bus: MessageBus,
        *,
        locks: ConversationLocks,
        office_hours: OfficeHours | None = None,
        clock: Callable[[], datetime] | None = None,
        outside: OutsideDelivery | None = None,
        limits: Limits | None = None,
        names: AgentNames | None = None,
    ) -> None:
        self.store = store
        self._names = names
        self._first_names: dict[str, str | None] = {}
        self.limits = limits
        self.bus = bus
        self.locks = locks
        self._outside = outside
        self.office_hours = office_hours or OfficeHours.parse("")
        self._clock = clock or (lambda: datetime.now(UTC))

    # --- presence -----------------------------------------------------------------------------------

    async def agent_online(self, agent: str) -> str:
        """An agent console connected (on any worker): its id, for ``still_online`` and ``agent_offline``."""
        connection = secrets.token_hex(16)
        await self.store.presence.add(connection, agent, at=self._clock())
        return connection

    async def still_online(self, connection: str) -> None:
        """The heartbeat of an open console, every ``PRESENCE_HEARTBEAT`` seconds."""
        await self.store.presence.seen(connection, at=self._clock())

    async def agent_offline(self, connection: str) -> None:
        await self.store.presence.remove(connection)

    async def agents_online(self) -> int:
        """Available agents (not away) with an open console on any worker, heard from lately."""
        return await self.store.presence.agents_seen_since(self._clock() - PRESENCE_TTL)

    async def agents_present(self) -> dict[str, str]:
        """Every agent with an open console heard from lately, with their status (available, away)."""
        agents = await self.store.presence.agents_since(self._clock() - PRESENCE_TTL)
        return await self.store.statuses.of(agents)

    async def set_status(self, agent: str, status: str) -> None:
        """The agent is ``available`` or ``away``: away, they are not counted for new handoffs. Every
        console hears of it (``agent_status``), for the list of agents to transfer to."""
        await self.store.statuses.set(agent, status, at=self._clock())
        await self.bus.publish(AGENTS_TOPIC, {"type": "agent_status", "agent": agent, "status": status})

    async def available(self, now: datetime | None = None, *, country: str | None = None) -> bool:
        """A customer of ``country`` may be queued now: it is within their office hours (a working day
        that is no public holiday there) and an agent is online."""
        return self.office_hours.open_at(now or self._clock(), country) and await self.agents_online() > 0

    # --- reading ------------------------------------------------------------------------------------

    async def get(self, number: str) -> Handoff | None:
        return await self.store.handoffs.get(number)

    async def open_for(self, conversation_key: str) -> Handoff | None:
        return await self.store.handoffs.open_for(conversation_key)

    async def queue(self) -> list[Handoff]:
        """Open handoffs: the queue in order, then the active ones."""
        return await self.store.handoffs.open_ones()

    async def transcript(self, conversation_key: str, *, limit: int = 20) -> list[str]:
        """The last lines of a conversation as ``role: text``, for a request made of it."""
        turns = await self.store.history(conversation_key, limit=limit)
        return [f"{turn.role}: {turn.text}" for turn in turns if turn.text]

    # --- the customer's side ------------------------------------------------------------------------

    async def guest_may_ask(self, conversation_key: str, email: str) -> bool:
        """A guest's request for a person is counted, and refused past the limits: per conversation,
        and per stated address, since the address is not confirmed and a request made outside office
        hours mails it. Without limits (a set-up that has none) every request is allowed."""
        if self.limits is None:
            return True
        return await self.limits.hit(
            Rule(f"guest-handoff:conversation:{conversation_key}", GUEST_HANDOFFS, GUEST_HANDOFF_WINDOW),
            Rule(f"guest-handoff:email:{email.lower()}", GUEST_MAILS, GUEST_MAIL_WINDOW),
        )

    async def open(
        self, conversation: ConversationRef, *, user_id: str | None, guest: GuestContact | None = None
    ) -> Handoff:
        """Queue the conversation (or return its open handoff) and tell the agents. A web chat guest
        has no user id but ``guest``: who they said they are, shown to agents as not verified."""
        existing = await self.open_for(conversation.key)
        if existing is not None:
            return existing
        number = await self.store.handoffs.add(
            conversation.key, channel=conversation.channel, user_id=user_id, at=self._clock(), guest=guest
        )
        handoff = await self.get(number)
        assert handoff is not None
        await self.bus.publish(AGENTS_TOPIC, {"type": "queued", "handoff": handoff.to_json()})
        return handoff

    async def customer_said(
        self, handoff: Handoff, text: str, at: datetime | None, *, files: Sequence[dict[str, Any]] = ()
    ) -> None:
        """A customer's line, already stored by the pipeline: the agents showing it see it live, with
        the files it brought (name, type, size and the id agents open it by)."""
        line: dict[str, Any] = {"type": "message", "number": handoff.number, "role": "user", "text": text}
        line["at"] = at.isoformat() if at is not None else None
        if files:
            line["files"] = list(files)
        await self.bus.publish(handoff_topic(handoff.number), line)

    async def customer_typing(self, conversation_key: str, *, on: bool) -> None:
        """The customer is typing: the agent who has their conversation sees it. Costs no query unless
        the conversation is handed off."""
        conv = await self.store.load(conversation_key, channel="", user_id=None)
        number = DialogState.load(conv.state).handoff if conv.exists else None
        if not number:
            return
        handoff = await self.get(number)
        if handoff is None or handoff.status != ACTIVE:
            return
        await self.bus.publish(
            handoff_topic(handoff.number),
            {"type": "typing", "number": handoff.number, "role": "user", "on": on},
        )

    async def cancel(self, number: str) -> bool:
        """The customer withdraws a queued handoff; ``False`` when an agent took it meanwhile."""
        closed = await self._close_row(number, statuses=(QUEUED,), resolution="cancelled by the customer")
        if closed:
            await self.bus.publish(AGENTS_TOPIC, {"type": "closed", "number": number, "by": None})
        return closed

    # --- the agent's side ---------------------------------------------------------------------------

    async def take(self, number: str, agent: str) -> bool:
        """The agent takes a queued conversation over; of agents racing for it exactly one gets ``True``."""
        won = await self.store.handoffs.take(number, agent, at=self._clock())
        if won:
            await self.bus.publish(AGENTS_TOPIC, {"type": "taken", "number": number, "agent": agent})
            handoff = await self.get(number)
            try:
                if handoff is not None:
                    await self._joined(handoff, await self.agent_first_name(agent))
            except Exception:  # taken all the same: the agent's first line tells the customer too
                log.exception("handoff %s: could not tell the customer who joined", number)
        return won

    async def _joined(self, handoff: Handoff, name: str | None, *, took_over: bool = False) -> None:
        """The customer is told, in their conversation's language, that a person joined (or took over
        from a colleague): stored, sent to Slack or Teams, and shown live in the web chat."""
        at = self._clock()
        said: dict[str, Reply] = {}
        key = "handoff.took_over" if took_over else JOINED

        def joined_line(language: str) -> TurnRecord:
            words = Formatter(language)
            text = words.t(key, name=name) if name else words.t(f"{key}.unnamed")
            reply = said["reply"] = Reply(text=text, language=language, intent=JOINED)
            payload = {**reply.model_dump(mode="json"), "agent": name or ""}
            return TurnRecord(role="bot", text=text, payload=payload, at=at)

        await self._append(handoff, joined_line, clear=False)
        await self._to_outside(handoff, said["reply"])
        await self.bus.publish(
            conversation_topic(handoff.conversation_key),
            {
                "type": "joined",
                "agent": name or "",
                "reply": said["reply"].model_dump(mode="json"),
                "at": at.isoformat(),
            },
        )

    async def agent_first_name(self, agent: str) -> str | None:
        """The first name customers know the agent by (kept once looked up); ``None`` if unknown."""
        if agent not in self._first_names:
            name = None
            if self._names is not None:
                try:
                    name = await self._names(agent)
                except Exception:  # a name is a courtesy: the handoff goes on without it
                    log.warning("handoff: could not look up the name of an agent", exc_info=True)
                    return None
            if len(self._first_names) > 1000:
                self._first_names.clear()
            self._first_names[agent] = first_name(name)
        return self._first_names[agent]

    async def transfer(self, number: str, agent: str, to: str) -> bool:
        """The owning agent hands the conversation to another agent, who owns it from now on; every
        console hears of it as ``taken`` by ``to``, with ``transferred_by``."""
        if to == agent or not await self.store.handoffs.transfer(number, from_agent=agent, to_agent=to):
            return False
        await self.bus.publish(
            AGENTS_TOPIC, {"type": "taken", "number": number, "agent": to, "transferred_by": agent}
        )
        try:
            handoff = await self.get(number)
            if handoff is not None:
                await self._joined(handoff, await self.agent_first_name(to), took_over=True)
        except Exception:  # transferred all the same: the new agent's first line carries their name
            log.exception("handoff %s: could not tell the customer who took over", number)
        return True

    async def reply(self, number: str, agent: str, agent_name: str, text: str) -> bool:
        """The owning agent's line: stored in the customer's transcript, then sent to the customer live."""
        handoff = await self.get(number)
        if handoff is None or handoff.status != ACTIVE or handoff.agent != agent:
            return False
        at = self._clock()

        def agent_line(language: str) -> TurnRecord:
            payload = {**Reply(text=text, language=language).model_dump(mode="json"), "agent": agent_name}
            return TurnRecord(role="agent", text=text, payload=payload, at=at)

        language = await self._append(handoff, agent_line, clear=False)
        shown = first_name(agent_name) or agent_name
        await self._to_outside(handoff, Reply(text=f"{shown}: {text}", language=language))
        await self.bus.publish(
            conversation_topic(handoff.conversation_key),
            {"type": "agent", "text": text, "agent": shown, "at": at.isoformat()},
        )
        await self.bus.publish(
            handoff_topic(number),
            {
                "type": "message",
                "number": number,
                "role": "agent",
                "text": text,
                "agent": agent_name,
                "at": at.isoformat(),
            },
        )
        return True

    async def typing(self, number: str, agent: str, *, on: bool) -> None:
        handoff = await self.get(number)
        if handoff is None or handoff.status != ACTIVE or handoff.agent != agent:
            return
        name = await self.agent_first_name(agent)
        await self.bus.publish(
            conversation_topic(handoff.conversation_key), {"type": "typing", "on": on, "agent": name or ""}
        )

    async def hand_back(self, number: str, agent: str, *, resolution: str | None = None) -> bool:
        """The agent gives the conversation back to the bot (closing it, with a resolution if given);
        the bot says it is back, in the conversation's language.

        All or nothing: the conversation's lock is had before anything changes, so when it cannot be
        (with several workers: Redis out of reach) ``LockUnavailable`` leaves the handoff open for the
        caller to say so; under it the handoff is closed in the transaction that stores the bot's
        line, so a database that fails on the way (``Unavailable``) leaves both undone for the agent
        to try again, and only then is the line delivered. Kept in the transcript, it reaches a web
        chat that missed it live when the chat shows its history again."""
        handoff = await self.get(number)
        if not _owned(handoff, agent):
            return False
        at = self._clock()
        key = "handoff.closed" if resolution else BACK
        name = await self.agent_first_name(agent)
        back: dict[str, Reply] = {}
        closing = HandoffRows.handed_back(
            number, agent=agent, resolution=(resolution or "handed back to the bot")[:2000], at=at
        )
        async with self.locks.hold(handoff.conversation_key):
            # Under the lock: the customer's last turn is stored, and no other hand-back runs meanwhile.
            if not _owned(await self.get(number), agent):
                return False
            question = pending_question(await self.store.history(handoff.conversation_key, limit=40))

            def bot_line(language: str) -> TurnRecord:
                words = Formatter(language)
                text = words.t(key, name=name or words.t("handoff.someone"))
                buttons: list[Button] = []
                if question:
                    quoted = (
                        question if len(question) <= _QUESTION_SHOWN else question[:_QUESTION_SHOWN] + "…"
                    )
                    text += "\n" + words.t("handoff.pending", question=quoted)
                    buttons.append(Button(label=words.t("handoff.pending.button"), value=question))
                reply = Reply(text=text, language=language, intent=BACK, buttons=buttons)
                back["reply"] = reply
                payload = {**reply.model_dump(mode="json"), "agent": name or ""}
                return TurnRecord(role="bot", text=reply.text, payload=payload, at=at)

            try:
                await self._save(handoff, bot_line, clear=True, also=(closing,))
            except Conflict:
                # Refused because the handoff is not the agent's active one any more (transferred
                # or closed on another worker meanwhile): nothing was written.
                if not _owned(await self.get(number), agent):
                    return False
                raise
        await self._to_outside(handoff, back["reply"])
        await self.bus.publish(
            conversation_topic(handoff.conversation_key),
            {
                "type": "bot",
                "event": "left",
                "agent": name or "",
                "reply": back["reply"].model_dump(mode="json"),
                "at": at.isoformat(),
            },
        )
        await self.bus.publish(AGENTS_TOPIC, {"type": "closed", "number": number, "by": agent})
        return True

    async def close(self, number: str, agent: str, resolution: str) -> bool:
        """Close with a resolution; the conversation goes back to the bot."""
        return await self.hand_back(number, agent, resolution=resolution.strip() or "closed")

    # --- writing ------------------------------------------------------------------------------------

    async def _to_outside(self, handoff: Handoff, reply: Reply) -> None:
        """A customer in Slack or Teams gets the line there; the web chats listen on the bus instead."""
        if handoff.channel in LIVE_CHANNELS or handoff.user_id is None or self._outside is None:
            return
        if not await self._outside(handoff.channel, handoff.user_id, reply):
            log.info("handoff %s: %s could not reach the customer", handoff.number, handoff.channel)

    async def _close_row(self, number: str, *, statuses: tuple[str, ...], resolution: str) -> bool:
        return await self.store.handoffs.close(
            number, statuses=statuses, resolution=resolution[:2000], at=self._clock()
        )

    async def _append(self, handoff: Handoff, make: Callable[[str], TurnRecord], *, clear: bool) -> str:
        """Append a line to the customer's transcript under the conversation's lock; returns its language."""
        async with self.locks.hold(handoff.conversation_key):
            return await self._save(handoff, make, clear=clear)

    async def _save(
        self,
        handoff: Handoff,
        make: Callable[[str], TurnRecord],
        *,
        clear: bool,
        also: Sequence[Statement] = (),
    ) -> str:
        """Append a line to the customer's transcript, the conversation's lock held, with ``also`` in
        the same transaction; returns its language."""
        key = handoff.conversation_key
        for attempt in range(_ATTEMPTS):
            conv = await self.store.load(key, channel=handoff.channel, user_id=handoff.user_id)
            record = make(conv.language)
            if clear:
                conv.state = _handed_back(conv.state, handoff.number)
            try:
                await self.store.save_turn(conv, record, also=also)
                return conv.language
            except Conflict:
                self.store.forget(key)  # another worker appended first: read it again
                if attempt == _ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


def pending_question(turns: Sequence[TurnRecord]) -> str | None:
    """The customer's last question of a handoff that nobody answered: a line of theirs after the
    bot's last word (the handoff's start: "you're number 1 in the queue") with no agent's line after
    it. The agent joining is no answer; a form or files alone are no question."""
    for turn in reversed(turns):
        payload = turn.payload or {}
        if turn.role == "agent":
            return None
        if turn.role == "bot":
            if payload.get("intent") == JOINED or not turn.text.strip():
                continue
            return None
        if turn.role != "user" or isinstance(payload.get("form"), dict):
            continue
        said = payload.get("said")
        text = (said if isinstance(said, str) else turn.text).strip()
        if text:
            return text[:_QUESTION_SENT]
    return None


def _owned(handoff: Handoff | None, agent: str) -> TypeGuard[Handoff]:
    """Whether the handoff is active and ``agent``'s."""
    return handoff is not None and handoff.status == ACTIVE and handoff.agent == agent


def _handed_back(document: dict[str, Any], number: str) -> dict[str, Any]:
    """The conversation's state once handoff ``number`` closed: the bot answers again."""
    state = DialogState.load(document)
    if state.handoff != number:
        return document
    state.handoff = None
    return state.dump()
