"""Signed tokens (``adapters.web.tokens``): what is refused, and that the tokens already issued (session
cookies, confirmation and reset links) still read as they did."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from supportbot.adapters.sessions import Session, SessionCodec
from supportbot.adapters.web.tokens import SignedTokens, purpose_key
from supportbot.adapters.webchat.password_reset import ResetCodec
from supportbot.adapters.webchat.registration import ConfirmationCodec

KEY = b"k" * 32
NOW = 1_000_000


def tokens(purpose: str = "test", max_length: int = 2048) -> SignedTokens:
    return SignedTokens(KEY, purpose, max_length=max_length)


def encoded(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_a_token_reads_back_to_its_object() -> None:
    data = {"u": "nora@nordisk.example", "n": 3, "e": NOW + 60}
    token = tokens().sign(data)
    assert "=" not in token and token.count(".") == 1
    assert tokens().read(token, now=NOW) == data


def test_a_tampered_payload_or_signature_is_refused() -> None:
    token = tokens().sign({"u": "nora@nordisk.example"})
    payload, _, signature = token.partition(".")
    other = tokens().sign({"u": "anna.berg@nordisk.example"}).partition(".")[0]
    assert tokens().read(f"{other}.{signature}") is None  # another payload under this signature
    flipped = "0" if signature[-1] != "0" else "1"
    assert tokens().read(f"{payload}.{signature[:-1]}{flipped}") is None
    assert tokens().read(f"{payload}.") is None and tokens().read(payload) is None  # unsigned


def test_a_token_of_another_purpose_or_key_is_refused() -> None:
    token = tokens("password-reset").sign({"u": "nora@nordisk.example"})
    assert tokens("email-confirmation").read(token) is None
    assert SignedTokens(b"o" * 32, "password-reset", max_length=2048).read(token) is None


def test_an_over_long_token_is_refused_before_anything_else() -> None:
    token = tokens().sign({"pad": "x" * 200})
    assert tokens(max_length=len(token)).read(token) is not None
    assert tokens(max_length=len(token) - 1).read(token) is None


@pytest.mark.parametrize(
    "payload",
    [
        "not*base64!",  # not base64
        "YWJj",  # base64 of "abc": not JSON
        "_-8",  # base64 of bytes that are not UTF-8
        encoded([1, 2, 3]),  # JSON, but not an object
        encoded({"e": "soon"}),  # an expiry that is not a number
    ],
)
def test_a_genuinely_signed_payload_that_is_no_object_is_refused(payload: str) -> None:
    signature = hmac.new(purpose_key(KEY, "test"), payload.encode(), hashlib.sha256).hexdigest()
    assert tokens().read(f"{payload}.{signature}", now=NOW) is None


def test_a_token_expires_at_its_second() -> None:
    token = tokens().sign({"u": "nora@nordisk.example", "e": NOW + 60})
    assert tokens().read(token, now=NOW + 59) is not None
    assert tokens().read(token, now=NOW + 60) is None
    assert tokens().read(tokens().sign({"u": "x"}), now=10**12) is not None  # none named: none checked


@pytest.mark.parametrize("token", [None, "", "garbage", "é.é", "\ud800.abc"])
def test_what_is_no_token_at_all_is_refused_without_an_error(token: str | None) -> None:
    assert tokens().read(token) is None


# Made by the codecs before they shared this module: every one must still read, and be made the same.
SESSION = (
    "eyJzIjoiczEiLCJ1IjoiYW5uYUB4LmV4YW1wbGUiLCJ0IjoxMDAwMDAwLCJrIjoiZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZm"
    "ZmZmYiLCJ4IjoidDEifQ.f1699c1a6041d1406c7b789346928153b0652627128c802c8d26a4d14de201b7"
)
AGENT_SESSION = "eyJzIjoiczEiLCJ1IjpudWxsLCJ0IjoxMDAwMDAwfQ.de1d0db6c8675636dbf79dc8c726ace68f7b5a38d14b70822a1def166bdaa5b2"
RESET = (
    "eyJ1Ijoibm9yYUB4LmV4YW1wbGUiLCJsIjoic3YiLCJlIjoxMDAxODAwLCJmIjoiYjc5MzQ1MDNkNjYxNGU3ZjhiZWI3ZmI5MTRjMWFj"
    "NjIifQ.901e9d179e7f470efd09e90c4d2707e13af6135ec4669d972cff1f3adc0e9424"
)
CONFIRMATION = "eyJ1Ijoibm9yYUB4LmV4YW1wbGUiLCJsIjoic3YiLCJlIjoxMTcyODAwfQ.14d0f211e45ae72cf00eb030f050b3637752e16fecdd30e39bd8eb59f3b8d229"


def test_the_tokens_issued_before_still_read_and_are_made_byte_for_byte() -> None:
    session = Session(sid="s1", user_id="anna@x.example", issued_at=NOW, credentials="f" * 32, token="t1")
    assert SessionCodec(KEY).encode(session) == SESSION
    assert SessionCodec(KEY).decode(SESSION, now=NOW) == session
    guest = Session(sid="s1", user_id=None, issued_at=NOW)
    agents = SessionCodec(b"agent-console\x00" + KEY)
    assert agents.encode(guest) == AGENT_SESSION and agents.decode(AGENT_SESSION, now=NOW) == guest
    assert SessionCodec(KEY).decode(AGENT_SESSION, now=NOW) is None  # the console's is no web chat's

    reset = ResetCodec(KEY)
    assert reset.encode("nora@x.example", "sv", "stamp", now=NOW) == RESET
    claim = reset.decode(RESET, now=NOW)
    assert claim is not None and claim.user_id == "nora@x.example" and reset.current(claim, "stamp")

    confirmation = ConfirmationCodec(KEY)
    assert confirmation.encode("nora@x.example", "sv", now=NOW) == CONFIRMATION
    confirmed = confirmation.decode(CONFIRMATION, now=NOW)
    assert confirmed is not None and (confirmed.user_id, confirmed.language) == ("nora@x.example", "sv")
    assert confirmation.decode(RESET, now=NOW) is None and reset.decode(CONFIRMATION, now=NOW) is None
