"""The web chat protocol's pure parts: client frames in, ``Message`` out, ``Reply`` to JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from supportbot.adapters.web.security import parse_credentials
from supportbot.adapters.webchat.protocol import (
    MAX_FRAME_BYTES,
    FrameError,
    MessageFrame,
    PingFrame,
    TypingFrame,
    agent_frame,
    error_frame,
    history_frame,
    history_item,
    last_language,
    parse_frame,
    ready_frame,
    reply_frame,
    reply_json,
    safe_url,
    time_zone,
    to_message,
)
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Attachment, Button, Card, ConversationRef, Field, Reply, Table
from supportbot.bot.store import TurnRecord
from supportbot.integrations.models import Principal

FRAMES = Path(__file__).parent / "frames"


def recorded(name: str) -> str:
    return (FRAMES / name).read_text()


def order_reply() -> Reply:
    return Reply(
        text="Order 4711 has shipped with PostNord and is expected on 14 May 2026.",
        cards=(
            Card(
                title="Order 4711",
                subtitle="Shipped",
                fields=(
                    Field(label="Status", value="Shipped"),
                    Field(label="Carrier", value="PostNord"),
                    Field(label="Tracking number", value="00370712345678901234"),
                ),
                url="https://tracking.postnord.com/?id=00370712345678901234",
                url_label="Track the shipment",
            ),
        ),
        table=Table(
            columns=("#", "Line", "", "Total"),
            rows=(("1", "IBM Power S1022 (9105-22A)", "1 ×", "SEK 100,000.00"),),
        ),
        buttons=(Button(label="Talk to a person", value="talk to a person"),),
        attachments=(
            Attachment(
                name="orders.csv",
                url="http://127.0.0.1:8080/files/abc/orders.csv?exp=1&sig=x",
                content_type="text/csv",
                size=120,
            ),
        ),
        language="en",
        intent="order.status",
    )


# --- client → server ------------------------------------------------------------------------------


def test_a_recorded_message_frame_parses() -> None:
    frame = parse_frame(recorded("message.json"))
    assert frame == MessageFrame(id="m-1f3a9c0d2b4e5f60718293a4", text="where is my order 4711?")


def test_a_button_press_is_marked() -> None:
    frame = parse_frame(recorded("button.json"))
    assert isinstance(frame, MessageFrame) and frame.button and frame.text == "status of order 4711"


def test_ping() -> None:
    assert parse_frame(recorded("ping.json")) == PingFrame()


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_a_message_the_pipeline_answers(text: str) -> None:
    frame = parse_frame(json.dumps({"type": "message", "id": "a", "text": text}))
    assert isinstance(frame, MessageFrame) and frame.text == text


@pytest.mark.parametrize(
    "data",
    ["{", "not json", '{"type": "message", "id": "a", "text": "x"', "[" * 20_000],
)
def test_malformed_json_is_bad_json(data: str) -> None:
    with pytest.raises(FrameError) as refused:
        parse_frame(data)
    assert refused.value.code == "bad_json"


@pytest.mark.parametrize(
    ("raw", "in_reply_to"),
    [
        ([], None),
        ("hello", None),
        (42, None),
        ({}, None),
        ({"type": "message", "id": "a"}, "a"),
        ({"type": "message", "id": "a", "text": 5}, "a"),
        ({"type": "message", "id": "a", "text": None}, "a"),
        ({"type": "message", "id": "a", "text": ["x"]}, "a"),
        ({"type": "message", "text": "hi"}, None),
        ({"type": "message", "id": "", "text": "hi"}, None),
        ({"type": "message", "id": "x" * 65, "text": "hi"}, None),
        ({"type": "message", "id": "<script>", "text": "hi"}, None),
        ({"type": "message", "id": 7, "text": "hi"}, None),
        ({"type": "message", "id": "a", "text": "hi", "button": "yes"}, "a"),
        ({"type": "shout", "id": "a", "text": "hi"}, "a"),
        ({"type": None, "text": "hi"}, None),
        ({"text": "hi", "id": "a"}, "a"),
    ],
)
def test_the_wrong_shape_is_bad_frame(raw: Any, in_reply_to: str | None) -> None:
    with pytest.raises(FrameError) as refused:
        parse_frame(json.dumps(raw))
    assert refused.value.code == "bad_frame"
    assert refused.value.in_reply_to == in_reply_to


def test_unknown_fields_are_ignored() -> None:
    frame = parse_frame(json.dumps({"type": "message", "id": "a", "text": "hi", "v": 2, "meta": {}}))
    assert frame == MessageFrame(id="a", text="hi")


def test_a_frame_above_64_kib_is_too_large_without_parsing() -> None:
    with pytest.raises(FrameError) as refused:
        parse_frame(json.dumps({"type": "message", "id": "a", "text": "x" * 100_000}))
    assert refused.value.code == "too_large"
    with pytest.raises(FrameError) as not_even_json:
        parse_frame("{" * (MAX_FRAME_BYTES + 1))
    assert not_even_json.value.code == "too_large"


def test_the_limit_counts_utf8_bytes() -> None:
    text = "ö" * 33_000  # 33 000 characters, 66 000 bytes
    with pytest.raises(FrameError) as refused:
        parse_frame(json.dumps({"type": "message", "id": "a", "text": text}, ensure_ascii=False))
    assert refused.value.code == "too_large"
    ok = parse_frame(json.dumps({"type": "message", "id": "a", "text": "ö" * 30_000}, ensure_ascii=False))
    assert isinstance(ok, MessageFrame)


def test_frame_to_message() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    message = to_message(
        MessageFrame(id="m-1", text="status of order 4711", button=True),
        sid="abc",
        user_id="anna.berg@nordisk.example",
        received_at=now,
        language_hint="sv",
    )
    assert message.conversation.key == "web:abc"
    assert message.conversation.channel == "web"
    assert message.delivery_id == "m-1"
    assert message.is_button
    assert message.user_id == "anna.berg@nordisk.example"
    assert message.received_at == now
    assert message.language_hint == "sv"


def test_an_open_chat_passes_its_own_conversation() -> None:
    frame, now = MessageFrame(id="m-1", text="status of order 4711"), datetime.now(UTC)
    by_sid = to_message(frame, sid="abc", user_id=None, received_at=now)
    conversation = ConversationRef(channel="web", conversation_id="abc")
    assert to_message(frame, conversation=conversation, user_id=None, received_at=now) == by_sid
    with pytest.raises(TypeError):
        to_message(frame, user_id=None, received_at=now)


def test_a_guest_message_has_no_user() -> None:
    message = to_message(
        MessageFrame(id="m-1", text="hi"), sid="abc", user_id=None, received_at=datetime.now(UTC)
    )
    assert message.user_id is None and not message.is_button


# --- sign-in body ---------------------------------------------------------------------------------


def test_credentials() -> None:
    body = json.dumps({"user": " anna.berg@nordisk.example ", "password": " demo "}).encode()
    assert parse_credentials(body) == ("anna.berg@nordisk.example", " demo ")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'{"user": "a@b.example"}',
        b'{"user": "", "password": "x"}',
        b'{"user": "a@b.example", "password": ""}',
        b'{"user": 1, "password": "x"}',
        b'{"user": "a@b.example", "password": null}',
        json.dumps({"user": "a" * 400, "password": "x"}).encode(),
    ],
)
def test_bad_credentials_bodies(body: bytes) -> None:
    assert parse_credentials(body) is None


# --- server → client ------------------------------------------------------------------------------


def test_reply_renders_as_the_recorded_frame() -> None:
    expected = json.loads(recorded("order_reply.json"))
    assert reply_frame("m-1f3a9c0d2b4e5f60718293a4", order_reply()) == expected


def test_the_rendered_reply_is_json_and_keeps_the_intent_on_the_server() -> None:
    rendered = reply_json(order_reply())
    assert "intent" not in rendered
    json.dumps(rendered)


def test_a_plain_reply() -> None:
    assert reply_json(Reply(text="Hej!", language="sv")) == {
        "text": "Hej!",
        "language": "sv",
        "cards": [],
        "table": None,
        "buttons": [],
        "attachments": [],
    }


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://tracking.postnord.com/?id=1", True),
        ("http://127.0.0.1:8080/files/a/b.csv?sig=1", True),
        ("/files/a/b.csv", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("vbscript:x", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_links_reach_the_browser(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


def test_a_card_with_a_script_link_loses_the_link_not_the_card() -> None:
    reply = Reply(text="x", cards=(Card(title="Order 1", url="javascript:alert(1)", url_label="Track"),))
    assert reply_json(reply)["cards"][0]["link"] is None
    reply = Reply(text="x", attachments=(Attachment(name="a.pdf", url="javascript:alert(1)"),))
    assert reply_json(reply)["attachments"] == []


def test_history_items() -> None:
    at = datetime(2026, 5, 1, 10, 30)  # naive, as SQLite hands it back: UTC
    turns = [
        TurnRecord(role="user", text="where is my order 4711?", at=at, delivery_id="m-1"),
        TurnRecord(role="bot", text=order_reply().text, payload=order_reply().model_dump(mode="json"), at=at),
        TurnRecord(role="system", text="handoff started", at=at),
        TurnRecord(role="bot", text="legacy line", payload=None, at=None),
    ]
    frame = history_frame(turns)
    assert frame["type"] == "history"
    user, bot, legacy = frame["items"]
    assert user == {
        "role": "user",
        "text": "where is my order 4711?",
        "reply": None,
        "at": "2026-05-01T10:30:00Z",
    }
    assert bot["role"] == "bot" and bot["reply"]["cards"][0]["fields"][1]["value"] == "PostNord"
    assert legacy == {"role": "bot", "text": "legacy line", "reply": None, "at": None}


def test_an_unreadable_stored_reply_shows_as_text() -> None:
    item = history_item(TurnRecord(role="bot", text="old", payload={"cards": "nonsense"}))
    assert item is not None and item["reply"] is None and item["text"] == "old"


def test_the_language_of_the_latest_reply() -> None:
    turns = [
        TurnRecord(role="bot", text="Hi", payload={"text": "Hi", "language": "en"}),
        TurnRecord(role="user", text="var är min order"),
        TurnRecord(role="bot", text="Hej", payload={"text": "Hej", "language": "sv"}),
    ]
    assert last_language(turns) == "sv"
    assert last_language([]) is None


def test_ready_frames() -> None:
    assert ready_frame(Principal.guest(), None) == {"type": "ready", "user": None, "language": None}
    anna = Principal(
        user_id="anna.berg@nordisk.example", name="Anna Berg", company_name="Nordisk Verkstad AB"
    )
    assert ready_frame(anna, "sv")["user"] == {
        "id": "anna.berg@nordisk.example",
        "name": "Anna Berg",
        "company": "Nordisk Verkstad AB",
    }


def test_error_frames() -> None:
    assert error_frame("bad_json", "Sorry") == {"type": "error", "code": "bad_json", "message": "Sorry"}
    assert error_frame("internal", "Sorry", in_reply_to="m-1")["in_reply_to"] == "m-1"


def test_a_repeated_delivery_is_flagged() -> None:
    assert reply_frame("m-1", Reply(text="x"), repeat=True)["repeat"] is True
    assert "repeat" not in reply_frame("m-1", Reply(text="x"))


def test_a_typing_frame() -> None:
    assert parse_frame('{"type": "typing", "on": true}') == TypingFrame(on=True)
    with pytest.raises(FrameError):
        parse_frame('{"type": "typing", "on": "yes"}')


def test_a_handoff_as_the_customer_sees_it() -> None:
    """Who joined and who left are events; agents are known by their first name; their typing too."""
    at = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    joined = Reply(text="Sara from support has joined the chat.", intent="handoff.joined")
    back = Reply(text="Sara has left the chat, and I'm back.", intent="handoff.back")
    turns = [
        TurnRecord(role="bot", text=joined.text, payload={**joined.model_dump(mode="json"), "agent": "Sara"}),
        TurnRecord(
            role="agent",
            text="Hello",
            payload={**Reply(text="Hello").model_dump(), "agent": "Sara Lindqvist"},
        ),
        TurnRecord(role="bot", text=back.text, payload={**back.model_dump(mode="json"), "agent": "Sara"}),
        TurnRecord(role="bot", text="4711 has shipped", payload=order_reply().model_dump(mode="json")),
    ]
    items = history_frame(turns)["items"]
    assert [(i.get("event"), i.get("agent")) for i in items] == [
        ("agent_joined", None),
        (None, "Sara"),
        ("agent_left", None),
        (None, None),
    ]

    published = {"reply": joined.model_dump(mode="json"), "agent": "Sara", "at": at.isoformat()}
    assert agent_frame({"type": "joined", **published}) == {
        "type": "notice",
        "reply": reply_json(joined),
        "at": "2026-05-01T10:30:00Z",
        "event": "agent_joined",
    }
    left = agent_frame({"type": "bot", "event": "left", **published})
    assert left is not None and left["event"] == "agent_left"
    assert agent_frame({"type": "typing", "on": True, "agent": "Sara"}) == {
        "type": "typing",
        "on": True,
        "agent": "Sara",
    }
    assert agent_frame({"type": "typing", "on": False}) == {"type": "typing", "on": False}
    line = agent_frame({"type": "agent", "text": "Hi", "agent": "Sara", "at": at.isoformat()})
    assert line == {"type": "agent", "text": "Hi", "agent": "Sara", "at": "2026-05-01T10:30:00Z"}
    assert agent_frame({"type": "something else"}) is None


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Europe/Stockholm", "Europe/Stockholm"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("Mars/Olympus_Mons", None),
        ("../../etc/passwd", None),
        ("Europe", None),
        ("", None),
        (None, None),
    ],
)
def test_the_browser_s_time_zone_is_kept_only_when_it_is_one(given: str | None, kept: str | None) -> None:
    assert time_zone(given) == kept


def test_a_message_carries_the_browser_s_time_zone_and_replies_label_their_times() -> None:
    frame = MessageFrame(id="m-1", text="status of RQ-2026-000001")
    message = to_message(frame, sid="s", user_id=None, received_at=None, time_zone="Europe/Stockholm")
    assert message.time_zone == "Europe/Stockholm"
    winter, summer = datetime(2026, 12, 3, 13, 5, tzinfo=UTC), datetime(2026, 6, 3, 12, 5, tzinfo=UTC)
    stockholm = Formatter("en", tz="Europe/Stockholm")
    assert stockholm.datetime(winter) == "3 Dec 2026 14:05 CET"
    assert stockholm.datetime(summer) == "3 Jun 2026 14:05 CEST"
    assert Formatter("sv", tz="Europe/London").datetime(winter) == "3 dec. 2026 13:05 GMT"
