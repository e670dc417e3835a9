"""scrypt password hashes: the stored form, verification, and the dummy check for unknown users."""

from __future__ import annotations

import base64

import pytest

from supportbot.integrations.sql.passwords import hash_password, verify_password


def test_hash_has_the_documented_form() -> None:
    stored = hash_password("demo")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("demo") != hash_password("demo")


def test_verify() -> None:
    stored = hash_password("correct horse")
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horse ", stored)
    assert not verify_password("Correct horse", stored)
    assert not verify_password("", stored)


def test_unicode_passwords() -> None:
    stored = hash_password("lösenord-ÅÄÖ")
    assert verify_password("lösenord-ÅÄÖ", stored) and not verify_password("losenord-AAO", stored)


@pytest.mark.parametrize(
    "stored",
    [
        None,  # unknown user: a dummy hash is checked, and it never matches
        "",
        "plain",
        "bcrypt$12$x$y$z$w",
        "scrypt$16384$8$1$!!!$!!!",
        "scrypt$1048577$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # absurd cost refused, not run
        "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # n not a power of two
    ],
)
def test_missing_or_malformed_hashes_never_match(stored: str | None) -> None:
    assert verify_password("demo", stored) is False
