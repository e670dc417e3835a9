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


def test_a_timestamp_is_written_as_before_in_utc_text_on_sqlite() -> None:
    """The one-call bind processor writes the text ``TypeDecorator``'s two nested calls wrote: any
    zone turned to UTC, microseconds always shown; a naive value is still refused."""
    dialect = pysqlite_dialect()
    kind = UTCDateTime().dialect_impl(dialect)
    write = kind._cached_bind_processor(dialect)
    to_text = kind.impl_instance.bind_processor(dialect)  # type: ignore[attr-defined]
    assert write is not None and to_text is not None
    for value in [
        datetime(2026, 11, 21, 9, 14, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 11, 21, 10, 14, 0, 5, tzinfo=_CET),  # 09:14 UTC
        datetime(2027, 1, 1, 0, 30, tzinfo=timezone(timedelta(0))),  # UTC, not the same object
        datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
    ]:
        assert write(value) == to_text(kind.process_bind_param(value, dialect))
    assert write(datetime(2026, 11, 21, 10, 14, tzinfo=_CET)) == "2026-11-21 09:14:00.000000"
    assert write(None) is None
    with pytest.raises(ValueError, match="naive"):
        write(datetime(2026, 11, 21, 9, 14))


def test_postgres_gets_the_aware_value_itself() -> None:
    dialect = asyncpg_dialect()
    write = UTCDateTime().dialect_impl(dialect)._cached_bind_processor(dialect)
    value = datetime(2026, 11, 21, 10, 14, tzinfo=_CET)
    written = write(value) if write is not None else value
    assert written == value and written.utcoffset() == timedelta(0)
