"""The web chat's small pure helpers: origin checks and wording."""

from __future__ import annotations

import pytest

from supportbot.adapters.webchat.origin import cross_site, same_origin
from supportbot.adapters.webchat.wording import WORDING, accept_language, pick_language, say
from supportbot.bot.i18n import LANGUAGES


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        ("http://127.0.0.1:8080", "127.0.0.1:8080", True),
        ("https://support.vendor.example", "support.vendor.example", True),
        ("https://support.vendor.example", "support.vendor.example:443", True),
        ("http://Support.Vendor.Example", "support.vendor.example", True),
        ("https://support.vendor.example:8443", "support.vendor.example", False),
        ("http://127.0.0.1:8081", "127.0.0.1:8080", False),
        ("https://evil.example", "support.vendor.example", False),
        ("https://support.vendor.example.evil.example", "support.vendor.example", False),
        ("null", "127.0.0.1:8080", False),
        (None, "127.0.0.1:8080", False),
        ("", "127.0.0.1:8080", False),
        ("file://", "127.0.0.1:8080", False),
        ("http://[::1]:8080", "[::1]:8080", True),
        ("http://127.0.0.1:99999", "127.0.0.1:99999", False),
    ],
)
def test_same_origin(origin: str | None, host: str, ok: bool) -> None:
    assert same_origin(origin, host) is ok


def test_a_trusted_public_url_passes_behind_a_proxy_that_rewrites_host() -> None:
    public = ("https://support.vendor.example",)
    assert same_origin("https://support.vendor.example", "10.0.0.5:8080", trusted=public)
    assert not same_origin("http://support.vendor.example", "10.0.0.5:8080", trusted=public)


def test_cross_site_for_plain_requests() -> None:
    assert not cross_site(None, "127.0.0.1:8080")
    assert not cross_site("http://127.0.0.1:8080", "127.0.0.1:8080")
    assert cross_site("https://evil.example", "127.0.0.1:8080")
    assert cross_site("null", "127.0.0.1:8080")


def test_every_sentence_in_both_languages() -> None:
    for key, entry in WORDING.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key


def test_language_choice() -> None:
    assert pick_language("sv-SE") == "sv"
    assert pick_language(None, "de", "en-GB") == "en"
    assert pick_language() == "en"
    assert accept_language("de-DE,sv;q=0.9,en;q=0.8") == "sv"
    assert accept_language("en;q=0.5,sv;q=0.95") == "sv"
    assert accept_language("de") is None
    assert accept_language(None) is None
    assert say("error.too_large", "sv").startswith("Meddelandet")
    assert say("error.too_large", "de") == say("error.too_large", "en")
