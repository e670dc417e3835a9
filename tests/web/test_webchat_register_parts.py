"""Registration's pure parts: the form's checks and the signed confirmation token."""

from __future__ import annotations

import pytest

from supportbot.adapters.webchat.registration import ConfirmationCodec, NewAccount, problems, valid_email


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("nora@nordisk.example", True),
        ("nora.nystrom+chat@sub.nordisk.example", True),
        ("nora@nordisk", False),
        ("nora@@nordisk.example", False),
        (".nora@nordisk.example", False),
        ("nora..n@nordisk.example", False),
        ("no ra@nordisk.example", False),
        ("nora@-nordisk.example", False),
        ("x" * 65 + "@nordisk.example", False),
        ("", False),
    ],
)
def test_e_mail_syntax(address: str, ok: bool) -> None:
    assert valid_email(address) is ok


def test_every_field_is_checked() -> None:
    found = problems(NewAccount(name="", email="nope", customer_number="", password="short"))
    assert set(found) == {"name", "email", "customer_number", "password"}
    assert (
        problems(NewAccount(name="Nora", email="nora@x.example", customer_number="1", password="a" * 10))
        == {}
    )


def test_a_confirmation_token_is_bound_to_its_user_and_expires() -> None:
    codec = ConfirmationCodec(b"k" * 32)
    token = codec.encode("nora@nordisk.example", "sv", now=1_000_000)
    claim = codec.decode(token, now=1_000_000 + 47 * 3600)
    assert claim is not None and claim.user_id == "nora@nordisk.example" and claim.language == "sv"
    assert codec.decode(token, now=1_000_000 + 48 * 3600) is None  # expired after 48 hours
    assert ConfirmationCodec(b"o" * 32).decode(token, now=1_000_000) is None  # another key
    sig = token.partition(".")[2]
    other = codec.encode("anna.berg@nordisk.example", "sv", now=1_000_000).partition(".")[0]
    assert codec.decode(f"{other}.{sig}", now=1_000_000) is None  # another user's payload, this signature
    assert codec.decode(None) is None and codec.decode("garbage") is None
