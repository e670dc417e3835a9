"""Figures for support managers over a period: conversations, handoffs, requests, misses, intents.

Every query is bounded by the period and aggregates in the database (``count``, ``sum`` grouped by
day and channel); only the waits of the handoffs taken in the period come back as rows, because a
median and a 90th percentile cannot be computed portably in SQL. Days are the days of one time zone
(``Period.zone``): their boundaries are computed here as UTC instants, daylight saving time included,
and a row is put in its day by a ``CASE`` over those instants, so SQLite and PostgreSQL bucket alike
and a range on the timestamp column bounds what is read.

Where each fact lives:

- a conversation is a ``conversations`` row, counted on the day it began (``created_at``), in its
  channel; it was *handed off* when a ``handoffs`` row names it (queued, taken or cancelled) or the
  bot answered a request for a person in it (``handoff.agent``: a request opened when no agent was
  there), else it was *contained*: answered without a person;
- a handoff is a ``handoffs`` row, counted on the day it was queued; its wait is ``taken_at -
  created_at`` when an agent took it;
- a customer's request is a ``requests`` row of the built-in back end, counted on the day it was
  opened; it was answered *within the business day* when the first ``answer`` or ``closed`` event of
  its history is at or before its ``due_at`` (one business day after it was opened, in its country);
  requests carry no channel;
- a message not understood is an ``nlu_misses`` row (every reason), and ``not_understood`` the ones
  the assistant answered with "I did not understand";
- an intent is the ``intent`` of a bot line of the transcripts (``turns``) in the period.

Indexes: ``nlu_misses`` is read through its (status, at, id) index, ``requests`` through its
(status, due_at, id) index (a request is due at most ``DUE_WITHIN`` after it was opened), a
request's first answer through (request_id, at) of ``request_events``, a conversation's handoff
through ``handoffs.conversation_key`` (and its lines through (conversation_key, seq)) and the bot's lines of the conversations active in the period
through (conversation_key, seq) of ``turns``, and a period's conversations and handoffs through
their ``created_at`` (and ``updated_at``) indexes (revision 0006).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store.misses import ASSIGNED, DISMISSED, NOT_UNDERSTOOD, OPEN, OUT_OF_SCOPE
from supportbot.integrations.models import RequestStatus
from supportbot.integrations.sql.schema import request_events, requests
from supportbot.integrations.sql.state import conversations, handoffs, nlu_misses, turns

__all__ = ["ALL", "MAX_DAYS", "DayFigures", "Figures", "Period", "StatsRows", "percentile"]

MAX_DAYS = 366
"""The longest period asked for at once."""
ALL = ""
"""The channel of a row that adds every channel up."""
DUE_WITHIN = timedelta(days=21)
"""A request is due one business day after it was opened: never further off than this, even across
Christmas and New Year; so its ``due_at`` bounds the read of the (status, due_at) index."""
RESPONSES = ("answer", "closed")
"""The events of a request's history that answer the customer: an agent's answer, or closing it."""
PERSON_INTENT = "handoff.agent"
"""The bot's answer to "talk to a person": queued for an agent, or a request when none was there."""
_MISS_STATUSES = (OPEN, ASSIGNED, OUT_OF_SCOPE, DISMISSED)
_SKIPPED_INTENTS = ("handoff.relay", "handoff.joined", "handoff.back")
"""Lines that answer no request: a customer's line while an agent has the conversation (the assistant
said nothing), and the lines telling the customer a person joined and that the assistant is back."""


@dataclass(frozen=True)
class Period:
    """The days ``first`` to ``last`` (both included) in ``zone``."""

    first: date
    last: date
    zone: ZoneInfo

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("the period ends before it begins")
        if (self.last - self.first).days + 1 > MAX_DAYS:
            raise ValueError(f"a period is at most {MAX_DAYS} days")

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def boundaries(self) -> list[datetime]:
        """Midnight of each day and of the day after the last, in ``zone``, as UTC instants."""
        days = [*self.days, self.last + timedelta(days=1)]
        return [datetime.combine(d, time(0), tzinfo=self.zone).astimezone(UTC) for d in days]


@dataclass
class DayFigures:
    """One day's figures in one channel (``ALL``: every channel). Requests have no channel: their
    figures are in the ``ALL`` rows only."""

    day: date
    channel: str
    conversations: int = 0
    handed_off: int = 0
    """Conversations begun that day that a handoff named: the rest were contained."""
    handoffs: int = 0
    taken: int = 0
    waits: list[float] = field(default_factory=list)
    """Seconds from queued to taken, of each handoff queued that day and taken, in order."""
    requests: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    misses: int = 0
    not_understood: int = 0

    def add(self, other: DayFigures) -> None:
        """Adds another row's counts and waits to this one's."""
        self.conversations += other.conversations
        self.handed_off += other.handed_off
        self.handoffs += other.handoffs
        self.taken += other.taken
        self.waits.extend(other.waits)
        self.requests += other.requests
        self.answered_in_time += other.answered_in_time
        self.answered_late += other.answered_late
        self.misses += other.misses
        self.not_understood += other.not_understood

    @property
    def contained(self) -> int:
        return self.conversations - self.handed_off

    @property
    def unanswered(self) -> int:
        return self.requests - self.answered_in_time - self.answered_late


@dataclass(frozen=True)
class Figures:
    period: Period
    days: list[DayFigures]
    """Per day, per channel seen in the period, and ``ALL`` per day; days without anything included."""
    intents: dict[str, dict[str, int]]
    """Bot lines per intent and channel (``ALL`` too), most frequent intent first."""

    @property
    def channels(self) -> list[str]:
        return sorted({d.channel for d in self.days} - {ALL})

    def by_week(self) -> list[DayFigures]:
        """The days summed per week (Monday to Sunday), each labelled with its Monday; the first and
        the last week hold only the period's days of that week."""
        weeks: dict[tuple[date, str], DayFigures] = {}
        for f in self.days:
            monday = f.day - timedelta(days=f.day.weekday())
            week = weeks.setdefault((monday, f.channel), DayFigures(monday, f.channel))
            week.add(f)
        return list(weeks.values())


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least ``share`` of them at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


class StatsRows:
    """Read-only figures over the assistant's state and the built-in back end's requests."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def figures(self, period: Period) -> Figures:
        bounds = period.boundaries()
        days = period.days
        grid: dict[tuple[date, str], DayFigures] = {}

        def at(day_index: int, channel: str) -> DayFigures:
            key = (days[day_index], channel)
            if key not in grid:
                grid[key] = DayFigures(days[day_index], channel)
            return grid[key]

        async with self.engine.connect() as conn:
            # Conversations begun in the period, and whether the customer asked for a person: a
            # handoff names it, or the bot answered "a person" with a request (no agent was there).
            handed = or_(
                exists().where(handoffs.c.conversation_key == conversations.c.key),
                exists().where(
                    turns.c.conversation_key == conversations.c.key,
                    turns.c.role == "bot",
                    turns.c.payload["intent"].as_string() == PERSON_INTENT,
                ),
            )
            inner = (
                select(
                    _day(conversations.c.created_at, bounds).label("day"),
                    conversations.c.channel.label("channel"),
                    case((handed, 1), else_=0).label("handed"),
                )
                .where(*_within(conversations.c.created_at, bounds))
                .subquery()
            )
            for row in await conn.execute(
                select(inner.c.day, inner.c.channel, func.count(), func.sum(inner.c.handed)).group_by(
                    inner.c.day, inner.c.channel
                )
            ):
                figures = at(row[0], row[1])
                figures.conversations, figures.handed_off = row[2], int(row[3] or 0)

            # Handoffs queued in the period; the waits of those taken.
            inner = (
                select(
                    _day(handoffs.c.created_at, bounds).label("day"),
                    handoffs.c.channel.label("channel"),
                    case((handoffs.c.taken_at.is_not(None), 1), else_=0).label("taken"),
                )
                .where(*_within(handoffs.c.created_at, bounds))
                .subquery()
            )
            for row in await conn.execute(
                select(inner.c.day, inner.c.channel, func.count(), func.sum(inner.c.taken)).group_by(
                    inner.c.day, inner.c.channel
                )
            ):
                figures = at(row[0], row[1])
                figures.handoffs, figures.taken = row[2], int(row[3] or 0)
            waits = await conn.execute(
                select(
                    _day(handoffs.c.created_at, bounds),
                    handoffs.c.channel,
                    handoffs.c.created_at,
                    handoffs.c.taken_at,
                )
                .where(*_within(handoffs.c.created_at, bounds), handoffs.c.taken_at.is_not(None))
                .order_by(handoffs.c.created_at, handoffs.c.id)
            )
            for row in waits:
                at(row[0], row[1]).waits.append(max(0.0, (row[3] - row[2]).total_seconds()))

            # Customers' requests opened in the period, and when support first answered each.
            first_response = (
                select(func.min(request_events.c.at))
                .where(
                    request_events.c.request_id == requests.c.id,
                    request_events.c.kind.in_(RESPONSES),
                )
                .scalar_subquery()
            )
            inner = (
                select(
                    _day(requests.c.created_at, bounds).label("day"),
                    requests.c.due_at.label("due_at"),
                    first_response.label("answered_at"),
                )
                .where(
                    requests.c.status.in_([s.value for s in RequestStatus]),
                    requests.c.due_at >= bounds[0],
                    requests.c.due_at < bounds[-1] + DUE_WITHIN,
                    *_within(requests.c.created_at, bounds),
                )
                .subquery()
            )
            answered = inner.c.answered_at.is_not(None)
            for row in await conn.execute(
                select(
                    inner.c.day,
                    func.count(),
                    func.sum(case((and_(answered, inner.c.answered_at <= inner.c.due_at), 1), else_=0)),
                    func.sum(case((and_(answered, inner.c.answered_at > inner.c.due_at), 1), else_=0)),
                ).group_by(inner.c.day)
            ):
                figures = at(row[0], ALL)
                figures.requests = row[1]
                figures.answered_in_time, figures.answered_late = int(row[2] or 0), int(row[3] or 0)

            # Messages the assistant missed, through the (status, at, id) index.
            inner = (
                select(
                    _day(nlu_misses.c.at, bounds).label("day"),
                    nlu_misses.c.channel.label("channel"),
                    case((nlu_misses.c.reason == NOT_UNDERSTOOD, 1), else_=0).label("not_understood"),
                )
                .where(nlu_misses.c.status.in_(_MISS_STATUSES), *_within(nlu_misses.c.at, bounds))
                .subquery()
            )
            for row in await conn.execute(
                select(inner.c.day, inner.c.channel, func.count(), func.sum(inner.c.not_understood)).group_by(
                    inner.c.day, inner.c.channel
                )
            ):
                figures = at(row[0], row[1])
                figures.misses, figures.not_understood = row[2], int(row[3] or 0)

            # The intents of the bot's lines in the period: the conversations active since it began,
            # then their lines through the (conversation_key, seq) index, never the whole transcript.
            intent = turns.c.payload["intent"].as_string()
            active = select(conversations.c.key).where(conversations.c.updated_at >= bounds[0])
            inner = (
                select(intent.label("intent"), conversations.c.channel.label("channel"))
                .select_from(turns.join(conversations, conversations.c.key == turns.c.conversation_key))
                .where(
                    turns.c.conversation_key.in_(active),
                    turns.c.role == "bot",
                    *_within(turns.c.at, bounds),
                )
                .subquery()
            )
            counted = await conn.execute(
                select(inner.c.intent, inner.c.channel, func.count())
                .where(inner.c.intent.is_not(None), inner.c.intent.not_in(_SKIPPED_INTENTS))
                .group_by(inner.c.intent, inner.c.channel)
            )
            intents: dict[str, dict[str, int]] = defaultdict(dict)
            for name, channel, count in counted:
                intents[name][channel] = count
                intents[name][ALL] = intents[name].get(ALL, 0) + count

        return Figures(period, _with_totals(grid, days), _ranked(intents))


def _day(column: Any, bounds: list[datetime], low: int = 0, high: int | None = None) -> ColumnElement[int]:
    """The index of the day ``column`` falls in (``column`` within ``bounds``): ``CASE`` expressions over
    the days' boundaries (UTC instants), the same on every database and right across a change of
    daylight saving time. They nest as a binary search, so a row of a year's period is put in its day
    with nine comparisons, not hundreds."""
    high = len(bounds) - 1 if high is None else high
    if high - low == 1:
        return literal(low, Integer)
    middle = (low + high) // 2
    return case(
        (column < bounds[middle], _day(column, bounds, low, middle)), else_=_day(column, bounds, middle, high)
    )


def _within(column: Any, bounds: list[datetime]) -> list[ColumnElement[bool]]:
    return [column >= bounds[0], column < bounds[-1]]


def _with_totals(grid: dict[tuple[date, str], DayFigures], days: list[date]) -> list[DayFigures]:
    """Every day's ``ALL`` row (with its requests) followed by its channels' rows, in day order."""
    rows: list[DayFigures] = []
    for day in days:
        total = grid.get((day, ALL)) or DayFigures(day, ALL)
        channels = sorted((f for (d, c), f in grid.items() if d == day and c != ALL), key=lambda f: f.channel)
        for f in channels:
            total.add(f)  # a channel's row has no requests: they stay the total's own
        rows.append(total)
        rows.extend(channels)
    return rows


def _ranked(intents: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    order = sorted(intents, key=lambda name: (-intents[name][ALL], name))
    return {name: dict(intents[name]) for name in order}
