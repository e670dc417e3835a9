"""The web chat's small pure helpers: origin checks, wording and the frames' encoding."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from supportbot.adapters.web.handlers import encode_frame
from supportbot.adapters.web.security import cross_site, same_origin
from supportbot.adapters.webchat.connection import _Inbox
from supportbot.adapters.webchat.context import TypingClock
from supportbot.adapters.webchat.protocol import MessageFrame
from supportbot.adapters.webchat.wording import WORDS, accept_language, pick_language
from supportbot.bot.i18n import LANGUAGES, translate


@pytest.mark.parametrize(
    ("origin", "scheme", "host", "ok"),
    [
        ("http://127.0.0.1:8080", "http", "127.0.0.1:8080", True),
        ("https://support.vendor.example", "https", "support.vendor.example", True),
        ("https://support.vendor.example", "https", "support.vendor.example:443", True),
        ("http://Support.Vendor.Example", "http", "support.vendor.example", True),
        ("https://support.vendor.example:8443", "https", "support.vendor.example", False),
        ("http://127.0.0.1:8081", "http", "127.0.0.1:8080", False),
        ("https://evil.example", "https", "support.vendor.example", False),
        ("https://support.vendor.example.evil.example", "https", "support.vendor.example", False),
        ("null", "http", "127.0.0.1:8080", False),
        (None, "http", "127.0.0.1:8080", False),
        ("", "http", "127.0.0.1:8080", False),
        ("file://", "http", "127.0.0.1:8080", False),
        ("http://[::1]:8080", "http", "[::1]:8080", True),
        ("http://127.0.0.1:99999", "http", "127.0.0.1:99999", False),
        # the scheme is part of the origin: the same host and port over the other scheme is another site
        ("https://127.0.0.1:8080", "http", "127.0.0.1:8080", False),
        ("http://support.vendor.example:443", "https", "support.vendor.example", False),
        ("https://support.vendor.example", "http", "support.vendor.example", False),
    ],
)
def test_same_origin(origin: str | None, scheme: str, host: str, ok: bool) -> None:
    assert same_origin(origin, host, scheme=scheme) is ok


def test_a_trusted_public_url_passes_behind_a_proxy_that_rewrites_host() -> None:
    public = ("https://support.vendor.example",)
    assert same_origin("https://support.vendor.example", "10.0.0.5:8080", scheme="http", trusted=public)
    assert not same_origin("http://support.vendor.example", "10.0.0.5:8080", scheme="http", trusted=public)


def test_a_proxy_that_ends_tls_is_trusted_through_the_public_url_only() -> None:
    """Behind a proxy that ends TLS the request comes in over http with the public Host: the https
    page passes as the public URL, never as the Host's own (http) origin."""
    public = ("https://support.vendor.example",)
    host = "support.vendor.example"
    assert same_origin("https://support.vendor.example", host, scheme="http", trusted=public)
    assert not same_origin("https://support.vendor.example", host, scheme="http")
    assert not same_origin("http://support.vendor.example:443", host, scheme="http", trusted=public)


def test_cross_site_for_plain_requests() -> None:
    assert not cross_site(None, "127.0.0.1:8080", scheme="http")
    assert not cross_site("http://127.0.0.1:8080", "127.0.0.1:8080", scheme="http")
    assert cross_site("https://127.0.0.1:8080", "127.0.0.1:8080", scheme="http")
    assert cross_site("https://evil.example", "127.0.0.1:8080", scheme="http")
    assert cross_site("null", "127.0.0.1:8080", scheme="http")


def test_every_sentence_in_both_languages() -> None:
    for key, entry in WORDS.items():
        assert set(entry) - {"plural"} == set(LANGUAGES), key
        for language in LANGUAGES:
            text = entry[language]
            assert all(form.strip() for form in text.values()) if isinstance(text, dict) else text.strip(), (
                key
            )


def test_language_choice() -> None:
    assert pick_language("sv-SE") == "sv"
    assert pick_language(None, "de", "en-GB") == "en"
    assert pick_language() == "en"
    assert accept_language("de-DE,sv;q=0.9,en;q=0.8") == "sv"
    assert accept_language("en;q=0.5,sv;q=0.95") == "sv"
    assert accept_language("de") is None
    assert accept_language(None) is None
    assert translate("webchat.error.too_large", "sv").startswith("Meddelandet")
    assert translate("webchat.error.too_large", "de") == translate("webchat.error.too_large", "en")


def test_a_frame_goes_out_as_utf8_json_text() -> None:
    frame = {"type": "agent", "text": "Hej då, vi ses 😀", "agent": "Sara", "at": None, "n": [1, True]}
    sent = encode_frame(frame)
    assert json.loads(sent) == frame
    assert "Hej då, vi ses 😀".encode() in sent  # as it is, not \\u-escaped


def test_a_lone_surrogate_goes_out_escaped_as_the_standard_library_writes_it() -> None:
    frame = {"type": "agent", "text": "a\ud800b", "agent": "Sara"}
    sent = encode_frame(frame)
    assert json.loads(sent) == frame
    assert sent.isascii()


async def test_the_typing_clock_shows_only_the_answers_still_coming() -> None:
    clock = TypingClock()
    shown: list[str] = []

    def show(name: str) -> Callable[[], None]:
        return lambda: shown.append(name)

    fast, slow, later = show("fast"), show("slow"), show("later")
    clock.start(fast, 0.01)
    clock.start(slow, 0.01)
    clock.start(later, 0.05)
    clock.stop(fast)  # answered in time: no indicator
    await asyncio.sleep(0.03)
    assert shown == ["slow"]
    await asyncio.sleep(0.05)
    assert shown == ["slow", "later"]
    clock.start(fast, 0.01)  # the clock sets itself again for a new answer
    await asyncio.sleep(0.03)
    assert shown == ["slow", "later", "fast"]


async def test_a_chats_inbox_keeps_the_order_and_its_bound() -> None:
    inbox = _Inbox(2)
    a, b, c = (MessageFrame(id=name, text=name) for name in "abc")
    assert inbox.put(a) and inbox.put(b)
    assert not inbox.put(c)  # full: the connection answers rate_limited
    assert inbox.put(None)  # the end always fits
    assert [await inbox.get() for _ in range(3)] == [a, b, None]
    waiting = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    assert inbox.put(c)
    assert await waiting == c
