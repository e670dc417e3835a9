"""The one ``MetaData`` every table of the application's database is defined on, and its timestamp type.

The back end's tables (``schema``), the assistant's own state (``state``) and the mail outbox
(``outbox``) share one database, so they share one metadata: migrations compare the whole database
with it. Its naming convention names every constraint and index from its table and columns, so the
same definition always gives the same names, on SQLite as on PostgreSQL, and a migration can refer
to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.engine import processors
from sqlalchemy.types import TypeDecorator

__all__ = ["NAMING_CONVENTION", "UTCDateTime", "metadata"]

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

_SQLITE_TEXT = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
"""SQLAlchemy's default text of a SQLite timestamp, which ``UTCDateTime`` writes the short way."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware, on SQLite as on PostgreSQL.

    SQLite has no time zones: the value is stored as naive UTC text, which also keeps its ordering
    right for range queries; PostgreSQL gets a ``timestamptz``. A naive value is refused rather than
    guessed at, so no reader ever has to patch a zone on.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the database stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """``process_bind_param`` and then the driver type's conversion, in one function. On SQLite
        that conversion writes SQLAlchemy's default text ("2026-11-21 09:14:00.000000"), which
        ``isoformat`` writes too, for a fifth of the cost: a chat turn writes four timestamps, and the
        two calls ``TypeDecorator`` nests and the named format cost more than the rest of its row."""
        general = super().bind_processor(dialect)
        if dialect.name != "sqlite" or getattr(self.impl_instance, "_storage_format", None) != _SQLITE_TEXT:
            return general
        utc = UTC

        def to_text(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not utc:
                if value.tzinfo is None:
                    raise ValueError(f"naive datetime {value!r}: the database stores timezone-aware UTC only")
                value = value.astimezone(utc)
            return value.isoformat(" ", "microseconds")[:26]  # without its "+00:00"

        return to_text

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None]:
        """``process_result_value`` after the driver type's own conversion (SQLite's text parsed), in
        one function: a chat turn's order read converts a handful of timestamps, and the two calls
        ``TypeDecorator`` nests for each cost more than the parsing."""
        parse = self.impl_instance.result_processor(dialect, coltype)
        utc = UTC

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if parse is not None:
                value = parse(value)
            assert isinstance(value, datetime)
            return value.replace(tzinfo=utc) if value.tzinfo is None else value.astimezone(utc)

        if parse is not processors.str_to_datetime:
            return process
        from_text = datetime.fromisoformat

        def process_text(value: Any) -> datetime | None:
            # SQLite's naive UTC text read as UTC in one parse: what ``fromisoformat`` and then
            # ``replace(tzinfo=UTC)`` give (the same ``UTC``), without ``replace``'s keyword parsing,
            # which costs more than the parse. Text with a zone of its own takes the way above.
            try:
                made = from_text(value + "+00:00")
            except (TypeError, ValueError):
                return process(value)
            return made if made.tzinfo is utc else process(value)  # a date alone ignores the zone

        return process_text
