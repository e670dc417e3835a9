"""Logging that never writes what a bad request carried.

aiohttp's server logs a request it cannot parse (an oversize or malformed header, a too long request
line) with the parser's exception, and that exception quotes the raw bytes: an ``Authorization`` or
``Cookie`` value, a reset token in a URL. The filter here keeps the fact (who, which kind of error,
the status) and drops the quote and the traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from aiohttp.http_exceptions import HttpProcessingError

SERVER_LOGGERS = ("aiohttp.server", "aiohttp.web")
"""Where aiohttp reports requests it could not read or handle."""


class RequestDataRedaction(logging.Filter):
    """Rewrites a record about an unreadable request to name the error's kind, not its content."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = _parse_error(record)
        if error is None:
            return True
        said = record.getMessage()
        record.msg = "%s: %s (status %s); what the request carried is not logged"
        record.args = (said, type(error).__name__, error.code)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        if record.levelno > logging.WARNING:
            # A client's malformed request is not the server's error.
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


def _parse_error(record: logging.LogRecord) -> HttpProcessingError | None:
    """The parser error behind ``record`` (itself, or a cause or context of its exception), if any."""
    error: BaseException | None = record.exc_info[1] if record.exc_info else None
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, HttpProcessingError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def install_request_data_redaction() -> None:
    """Puts the filter on aiohttp's server loggers, once, so it applies whatever handlers are set up."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RequestDataRedaction) for f in logger.filters):
            logger.addFilter(RequestDataRedaction())


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a record: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and, with an
    exception, ``exception`` (its traceback as text)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str, form: str = "text") -> None:
    """The process's one log handler, on standard error, as text or JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper()))
    logging.captureWarnings(True)  # a library's warning is a log line too, in the same form
