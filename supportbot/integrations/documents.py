"""What a customer may attach to a request: size and type limits, and the checksum it is kept with."""

from __future__ import annotations

import hashlib
import re

from supportbot.integrations.errors import InvalidRequest

MAX_BYTES = 10 * 1024 * 1024
"""10 MiB: a photo, a log or a PDF; anything larger goes through the agent, not the chat."""

TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
"""Documents, pictures, logs and archives; no executables, scripts or HTML."""

_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def checked(name: str, content_type: str, data: bytes) -> tuple[str, str, str]:
    """The safe file name, the bare content type and the SHA-256 of ``data``; ``InvalidRequest`` if refused."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in TYPES:
        raise InvalidRequest(f"documents of type {kind or 'unknown'} are not accepted")
    if not data:
        raise InvalidRequest("the document is empty")
    if len(data) > MAX_BYTES:
        raise InvalidRequest(f"the document is larger than {MAX_BYTES} bytes")
    safe = _NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")[:200] or "document"
    return safe, kind, hashlib.sha256(data).hexdigest()
