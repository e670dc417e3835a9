"""Password hashing with scrypt from the standard library: no extra dependency, memory-hard.

Stored form: ``scrypt$n$r$p$salt_b64$hash_b64``. The parameters travel with the hash so they can be
raised later without invalidating stored passwords.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["hash_password", "password_stamp", "verify_password"]

_N = 2**14
_R = 8
_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_MAX_N = 2**20  # refuse absurd parameters from a tampered row instead of exhausting memory

# A hash of a random password, verified when the user does not exist so that an unknown user id
# costs as much time as a wrong password and timing does not reveal who has an account.
_DUMMY_HASH = "scrypt$16384$8$1$3y1q8n0dLq4Gm8m2hB8x0g==$vC1wH0m3y9b8i2H5m4a9q7bW0kQ3N5dS8tR1uV2xY4Q="


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=256 * n * r * p + 2**20
    )


def hash_password(password: str) -> str:
    """A fresh salted hash of ``password`` in the stored form."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, _N, _R, _P, _HASH_BYTES)
    return "$".join(
        (
            "scrypt",
            str(_N),
            str(_R),
            str(_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; with ``None`` (no such user) a dummy hash is checked.

    Always runs one scrypt and compares in constant time, so a missing user, a malformed hash and a
    wrong password take about the same time and all return ``False``.
    """
    candidate = stored if stored is not None else _DUMMY_HASH
    try:
        scheme, n_text, r_text, p_text, salt_b64, hash_b64 = candidate.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        if (
            scheme != "scrypt"
            or not (1 < n <= _MAX_N)
            or n & (n - 1)
            or not (0 < r <= 32)
            or not (0 < p <= 16)
        ):
            raise ValueError("unsupported parameters")
        if not expected:
            raise ValueError("empty hash")
    except ValueError:
        # Spend the same time as a real check, then fail.
        _scrypt(password, b"\0" * _SALT_BYTES, _N, _R, _P, _HASH_BYTES)
        return False
    actual = _scrypt(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected) and stored is not None


def password_stamp(stored: str | None) -> str:
    """An opaque value that changes whenever ``stored`` (the password hash) does, and reveals nothing of it.

    Reset links and web sessions carry a keyed fingerprint of it, so both stop working once the
    password changes. A user without a password has a stamp too (of the empty hash).
    """
    return hashlib.sha256(b"supportbot-credentials\x00" + (stored or "").encode()).hexdigest()
