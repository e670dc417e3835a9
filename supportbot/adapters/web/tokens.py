"""Signed tokens: a JSON object, base64url-encoded without padding, a dot, and the HMAC-SHA256 of the
encoded part in hex.

The web doors hand out three kinds: the session cookie, the link that confirms an e-mail address and
the link that resets a password. Each kind signs with a key derived for its purpose alone, so a token
made for one is refused as another, and each chooses its own fields; what they share is here: signing,
and refusing anything too long, unsigned, tampered with, malformed or expired, all alike (``None``),
so a caller never learns which.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

EXPIRES = "e"
"""The field, when a token has it, naming the Unix second from which the token no longer holds."""


def purpose_key(secret_key: bytes, purpose: str) -> bytes:
    """A key for ``purpose`` only, derived from the server's secret: SHA-256 of ``supportbot-<purpose>``,
    a NUL byte and the secret. Every token issued depends on this derivation: changing it voids them all."""
    return hashlib.sha256(f"supportbot-{purpose}".encode() + b"\x00" + secret_key).digest()


class SignedTokens:
    """Writes and reads the tokens of one purpose; a token is at most ``max_length`` characters."""

    def __init__(self, secret_key: bytes, purpose: str, *, max_length: int) -> None:
        self._key = purpose_key(secret_key, purpose)
        self.max_length = max_length

    def sign(self, data: Mapping[str, object]) -> str:
        """The token carrying ``data`` (compact JSON, fields in the order given)."""
        body = json.dumps(data, separators=(",", ":"))
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._signature(payload)}"

    def read(self, token: str | None, *, now: float | None = None) -> dict[str, Any] | None:
        """The object a genuine token carries, or ``None``: no token, too long, not ASCII (no token
        made here is), no signature, a wrong one, a payload that is not a JSON object, or expired
        (``EXPIRES`` at or before ``now``). Its fields are for the caller to check."""
        if not token or len(token) > self.max_length or not token.isascii() or "." not in token:
            return None
        payload, _, signature = token.rpartition(".")
        if not hmac.compare_digest(self._signature(payload), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return None
        if not isinstance(data, dict) or not _unexpired(data, now):
            return None
        return data

    def _signature(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()


def _unexpired(data: dict[str, Any], now: float | None) -> bool:
    """Whether ``data`` holds at ``now``: it names no expiry, or one that is an integer still ahead."""
    if EXPIRES not in data:
        return True
    try:
        expires = int(data[EXPIRES])
    except (ValueError, TypeError, OverflowError):
        return False
    return (now if now is not None else time.time()) < expires
