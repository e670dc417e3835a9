"""The support managers' figures against a seeded history with known counts, on SQLite and PostgreSQL.

The history, in Stockholm time, over the period Monday 16 to Sunday 29 March 2026 (summer time
begins on the 29th, at 02:00):

- Monday 16: three web conversations (two handed off, taken after 120 s and 600 s) and one Slack
  conversation (handed off, taken after 60 s); three requests: answered the same afternoon, closed
  the next morning (both within the business day, due Tuesday 23:59) and answered on Wednesday (late).
- Tuesday 17, 00:30 (still Monday in UTC): a web conversation, contained; three misses (two web, one
  of them only low confidence; one Slack).
- Friday 20: a web conversation whose customer asked for a person when none was there (the bot
  answered `handoff.agent` with a request, no handoff), and a request nobody answered yet (a
  customer's comment is no answer).
- Sunday 29: a Teams conversation whose handoff was cancelled before anyone took it, and a web
  conversation at 23:30 (21:30 UTC, in summer time).
- Outside: Sunday 15 at 23:59, Monday 30 at 00:10 (22:10 UTC on the 29th), a request of the 14th.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.bot.store.stats import ALL, DayFigures, Period, StatsRows, percentile
from supportbot.integrations.business_days import one_business_day_later
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.schema import request_events, requests
from supportbot.integrations.sql.state import conversations, handoffs, nlu_misses, turns
from tests.integrations.conftest import postgres_schema_engine, sqlite_engine

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PERIOD = Period(date(2026, 3, 16), date(2026, 3, 29), STOCKHOLM)


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=STOCKHOLM).astimezone(UTC)


async def seed_history(engine: AsyncEngine) -> None:
    """The history of the module's docstring, written row by row."""
    chats = [  # key, channel, began, (queued, seconds until taken or None) or None
        ("web:w0", "web", local(15, 23, 59), (local(15, 23, 59), 30)),
        ("web:w1", "web", local(16, 10), (local(16, 10, 5), 120)),
        ("web:w2", "web", local(16, 11), (local(16, 11, 5), 600)),
        ("web:w3", "web", local(16, 12), None),
        ("slack:s1", "slack", local(16, 13), (local(16, 13, 5), 60)),
        ("web:w4", "web", local(17, 0, 30), None),
        ("web:w7", "web", local(20, 16, 30), None),  # asked for a person: a request, no handoff
        ("teams:t1", "teams", local(29, 12), (local(29, 12, 5), None)),
        ("web:w5", "web", local(29, 23, 30), None),
        ("web:w6", "web", local(30, 0, 10), None),
    ]
    bot_lines = [  # key, at, intent
        ("web:w0", local(15, 23, 59), "order.status"),
        ("web:w1", local(16, 10, 1), "order.status"),
        ("web:w1", local(16, 10, 6), "handoff.relay"),
        ("web:w1", local(16, 10, 7), "handoff.relay"),
        ("web:w3", local(16, 12, 1), "order.status"),
        ("web:w3", local(16, 12, 2), "order.status"),
        ("web:w3", local(16, 12, 3), "none"),
        ("slack:s1", local(16, 13, 1), "invoice.show"),
        ("web:w7", local(20, 16, 31), "handoff.agent"),
        ("web:w6", local(30, 0, 11), "invoice.show"),
    ]
    async with engine.begin() as conn:
        for key, channel, began, handoff in chats:
            await conn.execute(
                insert(conversations).values(
                    key=key,
                    channel=channel,
                    language="en",
                    state={},
                    seq=0,
                    created_at=began,
                    updated_at=began,
                )
            )
            if handoff is not None:
                queued, wait = handoff
                taken = queued + timedelta(seconds=wait) if wait is not None else None
                await conn.execute(
                    insert(handoffs).values(
                        conversation_key=key,
                        channel=channel,
                        status="closed",
                        agent="sara@support.example" if taken else None,
                        created_at=queued,
                        taken_at=taken,
                        closed_at=queued + timedelta(hours=1),
                    )
                )
        for seq, (key, at, intent) in enumerate(bot_lines, start=1):
            await conn.execute(
                insert(turns).values(conversation_key=key, seq=seq, at=at, role="user", text="hi")
            )
            await conn.execute(
                insert(turns).values(
                    conversation_key=key,
                    seq=seq + 100,
                    at=at,
                    role="bot",
                    text="…",
                    payload={"intent": intent},
                )
            )
        await conn.execute(  # a conversation's updated_at follows its latest line
            conversations.update().where(conversations.c.key == "web:w3").values(updated_at=local(16, 12, 3))
        )
        opened = [  # opened, events (kind, at)
            (local(14, 9), [("answer", local(14, 10))]),
            (local(16, 9), [("comment", local(16, 9, 30)), ("answer", local(16, 15))]),
            (local(16, 10), [("answer", local(18, 9)), ("closed", local(18, 10))]),
            (local(16, 11), [("closed", local(17, 8))]),
            (local(20, 16), [("comment", local(20, 17))]),
        ]
        for i, (created, events) in enumerate(opened, start=1):
            request_id = (
                await conn.execute(
                    insert(requests).values(
                        number=f"RQ-2026-9{i:05d}",
                        requester_name="Guest",
                        category="other",
                        subject="Chat handoff",
                        description="…",
                        priority="normal",
                        status=events[-1][0] if events[-1][0] == "closed" else "open",
                        created_at=created,
                        due_at=one_business_day_later(created, "SE"),
                    )
                )
            ).inserted_primary_key[0]
            for kind, at in [("created", created), *events]:
                await conn.execute(
                    insert(request_events).values(
                        request_id=request_id, at=at, kind=kind, author="x", text="…"
                    )
                )
        misses = [  # at, channel, reason, status
            (local(17, 9), "web", "not_understood", "open"),
            (local(17, 10), "web", "low_confidence", "dismissed"),
            (local(17, 11), "slack", "not_understood", "assigned"),
            (local(30, 0, 10), "web", "not_understood", "open"),
        ]
        for i, (at, channel, reason, status) in enumerate(misses):
            await conn.execute(
                insert(nlu_misses).values(
                    id=f"m{i}",
                    at=at,
                    conversation_key="web:w4",
                    channel=channel,
                    language="en",
                    text="blorp",
                    fingerprint=f"f{i}",
                    intent="none",
                    confidence=0.1,
                    reason=reason,
                    status=status,
                )
            )


def row(figures: list[DayFigures], day: int, channel: str = ALL) -> DayFigures:
    (found,) = [f for f in figures if f.day == date(2026, 3, day) and f.channel == channel]
    return found


async def check_figures(engine: AsyncEngine) -> None:
    await migrate(engine)
    await seed_history(engine)
    figures = await StatsRows(engine).figures(PERIOD)

    assert figures.channels == ["slack", "teams", "web"]
    assert [f.day for f in figures.days if f.channel == ALL] == PERIOD.days  # empty days too

    monday = row(figures.days, 16)
    assert (monday.conversations, monday.handed_off, monday.contained) == (4, 3, 1)
    assert (monday.handoffs, monday.taken, sorted(monday.waits)) == (3, 3, [60.0, 120.0, 600.0])
    assert (monday.requests, monday.answered_in_time, monday.answered_late, monday.unanswered) == (3, 2, 1, 0)
    web = row(figures.days, 16, "web")
    assert (web.conversations, web.handed_off, web.handoffs, web.waits) == (3, 2, 2, [120.0, 600.0])
    assert web.requests == 0  # requests have no channel: the day's total holds them
    slack = row(figures.days, 16, "slack")
    assert (slack.conversations, slack.handed_off, slack.waits) == (1, 1, [60.0])

    tuesday = row(figures.days, 17)  # 00:30 in Stockholm, 23:30 on Monday in UTC
    assert (tuesday.conversations, tuesday.contained, tuesday.handoffs) == (1, 1, 0)
    assert (tuesday.misses, tuesday.not_understood) == (3, 2)
    assert (row(figures.days, 17, "web").misses, row(figures.days, 17, "slack").not_understood) == (2, 1)

    friday = row(figures.days, 20)
    assert (friday.conversations, friday.handed_off, friday.contained, friday.handoffs) == (1, 1, 0, 0)
    assert (friday.requests, friday.answered_in_time, friday.answered_late, friday.unanswered) == (1, 0, 0, 1)

    sunday = row(figures.days, 29)  # summer time: 23:30 is 21:30 UTC; Monday's 00:10 is not counted
    assert (sunday.conversations, sunday.handed_off, sunday.handoffs, sunday.taken) == (2, 1, 1, 0)
    assert sunday.waits == [] and sunday.misses == 0
    assert row(figures.days, 29, "teams").handed_off == 1

    quiet = [f for f in figures.days if f.channel == ALL and f.day.day not in (16, 17, 20, 29)]
    assert all(f == DayFigures(f.day, ALL) for f in quiet)

    weeks = {(w.day, w.channel): w for w in figures.by_week()}
    first, second = weeks[(date(2026, 3, 16), ALL)], weeks[(date(2026, 3, 23), ALL)]
    assert (first.conversations, first.contained, first.handed_off, first.handoffs) == (6, 2, 4, 3)
    assert (first.requests, first.answered_in_time, first.answered_late, first.unanswered) == (4, 2, 1, 1)
    assert (first.misses, first.not_understood) == (3, 2)
    assert (percentile(first.waits, 0.5), percentile(first.waits, 0.9)) == (120.0, 600.0)
    assert (second.conversations, second.handed_off, second.taken, second.requests) == (2, 1, 0, 0)
    assert weeks[(date(2026, 3, 16), "web")].conversations == 5

    assert figures.intents == {
        "order.status": {"web": 3, ALL: 3},
        "handoff.agent": {"web": 1, ALL: 1},
        "invoice.show": {"slack": 1, ALL: 1},
        "none": {"web": 1, ALL: 1},
    }
    assert list(figures.intents) == ["order.status", "handoff.agent", "invoice.show", "none"]  # ties by name


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert (percentile([4.0, 1.0, 3.0, 2.0], 0.5), percentile([4.0, 1.0, 3.0, 2.0], 0.9)) == (2.0, 4.0)
    waits = [float(s) for s in range(1, 21)]
    assert (percentile(waits, 0.5), percentile(waits, 0.9)) == (10.0, 18.0)


def test_a_period_is_one_to_366_days_and_its_days_follow_the_zone() -> None:
    with pytest.raises(ValueError, match="ends before"):
        Period(date(2026, 3, 2), date(2026, 3, 1), STOCKHOLM)
    with pytest.raises(ValueError, match="at most 366"):
        Period(date(2025, 1, 1), date(2026, 1, 2), STOCKHOLM)
    bounds = Period(date(2026, 3, 29), date(2026, 3, 29), STOCKHOLM).boundaries()
    assert bounds == [datetime(2026, 3, 28, 23, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC)]


async def test_figures_on_sqlite(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "stats.sqlite3")
    try:
        await check_figures(engine)
    finally:
        await engine.dispose()


async def test_the_reads_that_have_an_index_use_it(tmp_path: Path) -> None:
    """SQLite's plans: misses through (status, at, id), requests through (status, due_at, id) and their
    first answer through (request_id, at), bot lines through (conversation_key, seq), a period's
    conversations and handoffs through their time: no read walks a whole table."""
    engine = sqlite_engine(tmp_path / "plans.sqlite3")
    try:
        await migrate(engine)
        await seed_history(engine)
        statements: list[tuple[str, Any]] = []

        def grab(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
            statements.append((statement, params))

        event.listen(engine.sync_engine, "before_cursor_execute", grab)
        await StatsRows(engine).figures(PERIOD)
        event.remove(engine.sync_engine, "before_cursor_execute", grab)
        plans: dict[str, str] = {}
        async with engine.connect() as conn:
            for statement, params in statements:
                rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                read = next(
                    t for t in ("JSON_EXTRACT", "nlu_misses", "requests", "handoffs") if t in statement
                )
                plans[read] = plans.get(read, "") + "\n".join(str(r[3]) for r in rows) + "\n"
    finally:
        await engine.dispose()
    assert "USING INDEX ix_nlu_misses_status_at_id (status=? AND at>? AND at<?)" in plans["nlu_misses"]
    assert (
        "USING INDEX ix_requests_status_due_at_id (status=? AND due_at>? AND due_at<?)" in plans["requests"]
    )
    assert "USING INDEX ix_request_events_request_id_at (request_id=?)" in plans["requests"]
    assert "SEARCH turns USING INDEX" in plans["JSON_EXTRACT"] and "SCAN turns" not in plans["JSON_EXTRACT"]
    assert "SCAN" not in "".join(plans.values()).replace("SCAN CONSTANT ROW", ""), plans


@pytest.mark.postgres
async def test_figures_on_postgres(postgres_url: str) -> None:
    async with postgres_schema_engine(postgres_url) as engine:
        await check_figures(engine)


def test_lines_that_answer_no_request_are_not_counted_as_intents() -> None:
    """The lines saying an agent joined and that the assistant is back are the handoff's, not answers."""
    from supportbot.bot import handoff
    from supportbot.bot.store import stats

    assert {handoff.JOINED, handoff.BACK, "handoff.relay"} <= set(stats._SKIPPED_INTENTS)
