"""``UTCDateTime`` read back: its one-call result processor gives what ``TypeDecorator``'s two nested
calls gave (the driver type's conversion, then ``process_result_value``), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.dialects.sqlite.pysqlite import dialect as pysqlite_dialect
from sqlalchemy.engine import Dialect

from supportbot.integrations.sql.metadata import UTCDateTime

_CET = timezone(timedelta(hours=1))


def _as_before(dialect: Dialect) -> Any:
    """The conversion ``TypeDecorator.result_processor`` composes: the dialect's own type, then ours."""
    kind = UTCDateTime().dialect_impl(dialect)
    parse = kind.impl_instance.result_processor(dialect, None)  # type: ignore[attr-defined]
    return lambda value: kind.process_result_value(parse(value) if parse else value, dialect)


@pytest.mark.parametrize(
    ("dialect", "values"),
    [
        (
            pysqlite_dialect(),
            [
                "2026-11-21 09:14:00.000000",
                "2026-11-21 09:14:00",
                "2026-12-31 23:59:59.999999",
                "2026-11-21T09:14",
                "2026-11-21",  # a date alone: fromisoformat takes a zone after it and drops it
                "2026-11-21 10:14:00+01:00",  # a zone of its own, written by something else
                "2026-11-21 09:14:00Z",
            ],
        ),
        (
            asyncpg_dialect(),
            [datetime(2026, 11, 21, 9, 14, tzinfo=UTC), datetime(2026, 11, 21, 10, 14, tzinfo=_CET)],
        ),
    ],
    ids=["sqlite", "asyncpg"],
)
def test_a_timestamp_is_read_as_before_aware_and_in_utc(dialect: Dialect, values: list[Any]) -> None:
    process = UTCDateTime().dialect_impl(dialect)._cached_result_processor(dialect, None)
    before = _as_before(dialect)
    assert process is not None
    for value in values:
        read = process(value)
        assert read == before(value) and read is not None
        assert read.tzinfo is UTC and read.utcoffset() == timedelta(0)
    assert process(None) is None
