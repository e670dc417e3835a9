"""Direct Line's pure pieces: activities in and out, watermarks, and the tokens."""

from __future__ import annotations

import time

import pytest

from supportbot.adapters.directline.activities import (
    BadActivity,
    Posted,
    activity_set,
    parse_activity,
    parse_watermark,
    reply_attachments,
    to_message,
)
from supportbot.adapters.directline.tokens import DirectLineTokens, Grant, new_conversation_id
from supportbot.bot.messages import Attachment, Card, Field, Reply
from supportbot.bot.store import TurnRecord

SECRET = b"directline-test-secret-0123456789abcdef"
CONVERSATION = "abcdefghijklmnopqrstuvwx"


def test_a_message_is_its_text_and_the_clients_id() -> None:
    inbound = parse_activity(
        {
            "type": "message",
            "text": "where is order 4711?",
            "locale": "sv-SE",
            "channelData": {"clientActivityID": "1701619200000abc"},
        }
    )
    message = to_message(Posted(CONVERSATION, inbound, inbound.delivery_id or ""), user_id="anna")
    assert (message.text, message.delivery_id, message.language_hint) == (
        "where is order 4711?",
        "1701619200000abc",
        "sv",
    )
    assert message.conversation.key == f"directline:{CONVERSATION}" and message.capabilities == {"forms"}


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"text": "no type"},
        {"type": "message", "text": 4711},
        {"type": "message", "text": "  "},
        {"type": "message", "text": "hi", "channelData": {"clientActivityID": "has spaces in it"}},
        {"type": "message", "text": "hi", "attachments": [{"contentType": "image/png"}]},
        {"type": "message", "value": {"supportbot": "button", "text": ["not", "text"]}},
        {"type": "message", "value": {"supportbot_form": "../admin", "supportbot_nonce": "n" * 24}},
    ],
)
def test_what_webchat_never_sends_is_refused(raw: object) -> None:
    with pytest.raises(BadActivity):
        parse_activity(raw)


def test_other_activity_types_are_taken_and_not_answered() -> None:
    assert parse_activity({"type": "typing"}).type == "typing"


def test_a_system_line_moves_the_watermark_but_is_not_shown() -> None:
    turns = [
        TurnRecord(role="user", text="talk to a person", seq=1, delivery_id="c-1"),
        TurnRecord(role="system", text="handoff started", seq=2),
        TurnRecord(
            role="agent", text="Hi, Sara here", payload={"text": "Hi, Sara here", "agent": "Sara"}, seq=3
        ),
    ]
    shown, watermark = activity_set(CONVERSATION, turns, user_id="anna", after=None)
    assert watermark == 3
    assert [(a["from"]["role"], a.get("text")) for a in shown] == [
        ("user", "talk to a person"),
        ("bot", "Hi, Sara here"),
    ]
    assert shown[1]["from"]["name"] == "Sara"
    assert activity_set(CONVERSATION, turns, user_id="anna", after=3) == ([], 3)


@pytest.mark.parametrize("given", [None, "", "-", "abc", "1" * 13])
def test_a_watermark_that_is_not_ours_means_from_the_start(given: str | None) -> None:
    assert parse_watermark(given) is None


def test_a_reply_is_a_card_and_its_files_as_links() -> None:
    reply = Reply(
        text="Order 4711 is on its way.",
        cards=(Card(title="Order 4711", fields=(Field(label="Carrier", value="PostNord"),)),),
        attachments=(
            Attachment(
                name="report.xlsx",
                url="https://x.example/files/1/report.xlsx?sig=a",
                content_type="application/vnd.ms-excel",
            ),
            Attachment(name="evil", url="javascript:alert(1)", content_type="text/html"),
        ),
    )
    card, file = reply_attachments(reply)
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["items"][0]["text"] == "Order 4711"  # the text is the activity's own
    assert file == {
        "contentType": "application/vnd.ms-excel",
        "contentUrl": "https://x.example/files/1/report.xlsx?sig=a",
        "name": "report.xlsx",
    }


def test_a_token_is_refused_when_tampered_expired_or_of_another_purpose() -> None:
    tokens = DirectLineTokens(SECRET)
    grant = Grant(new_conversation_id(), "anna", "h" * 64, "p" * 32, int(time.time()) + 60)
    token = tokens.issue(grant)
    assert tokens.read(token) == grant
    assert tokens.read(token, now=grant.expires) is None
    assert tokens.read(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert tokens.read(tokens.stream(grant)) is None and tokens.read_stream(token) is None
    assert DirectLineTokens(SECRET[::-1]).read(token) is None
    # A user's token always names the session it holds by; a guest's names none.
    assert tokens.read(tokens.issue(Grant(grant.conversation_id, "anna", None, None, grant.expires))) is None
