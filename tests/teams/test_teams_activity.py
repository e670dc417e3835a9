"""The pure halves of the Teams adapter, on recorded real-shaped activities."""

from __future__ import annotations

import pytest
from teams_helpers import load

from supportbot.adapters.teams.activity import (
    CARD_CONTENT_TYPE,
    BadActivity,
    adaptive_card,
    clean_text,
    external_id,
    parse_activity,
    to_activity,
    to_message,
)
from supportbot.bot.messages import Attachment, Button, Card, Field, Reply, Table


def test_personal_message() -> None:
    message = to_message(parse_activity(load("personal_message")), "anna.berg@nordisk.example")
    assert message.text == "where is my order 4711?"
    assert message.user_id == "anna.berg@nordisk.example"
    assert message.delivery_id == "1715678467400"
    assert not message.is_button
    assert message.conversation.channel == "teams"
    assert message.conversation.conversation_id == "a:1personal-chat-anna"
    assert message.conversation.extra == {
        "service_url": "https://smba.trafficmanager.net/emea/",
        "tenant": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "conversation_type": "personal",
    }


def test_the_sender_is_named_by_their_entra_object_id() -> None:
    activity = parse_activity(load("personal_message"))
    assert external_id(activity) == "6f1c2a3e-aaaa-4b7e-9a51-0a1b2c3d4e5f"
    raw = load("personal_message")
    del raw["from"]["aadObjectId"]
    assert external_id(parse_activity(raw)) == "29:1anna-berg-teams-user-id"


def test_group_chat_mention_of_the_bot_is_removed() -> None:
    message = to_message(parse_activity(load("group_mention")), None)
    assert message.text == "my orders"
    assert message.conversation.extra["conversation_type"] == "groupChat"


def test_channel_mention_of_the_bot_is_removed() -> None:
    message = to_message(parse_activity(load("channel_mention")), None)
    assert message.text == "where is order 4711?"


def test_a_mention_of_someone_else_stays_as_their_name() -> None:
    raw = load("group_mention")
    raw["text"] = "<at>Support</at> ask <at>Erik Lund</at> about it &amp; more"
    raw["entities"].append(
        {"mentioned": {"id": "29:erik", "name": "Erik Lund"}, "text": "<at>Erik Lund</at>", "type": "mention"}
    )
    assert to_message(parse_activity(raw), None).text == "ask Erik Lund about it & more"


def test_a_card_submit_is_a_button_press() -> None:
    message = to_message(parse_activity(load("card_submit")), "anna.berg@nordisk.example")
    assert message.text == "my orders"
    assert message.is_button


def test_an_execute_invoke_is_a_button_press() -> None:
    message = to_message(parse_activity(load("card_invoke")), None)
    assert message.text == "help"
    assert message.is_button


def test_members_added_parses() -> None:
    activity = parse_activity(load("members_added"))
    assert activity.type == "conversationUpdate"
    assert [m.id for m in activity.members_added] == [activity.recipient.id]


@pytest.mark.parametrize(
    "change",
    [
        {"type": None},
        {"id": ""},
        {"serviceUrl": "javascript:alert(1)"},
        {"conversation": {"id": 5}},
        {"from": None},
        {"text": ["not", "text"]},
        {"entities": "nope"},
    ],
)
def test_malformed_activities(change: dict[str, object]) -> None:
    raw = load("personal_message")
    raw.update(change)
    with pytest.raises(BadActivity):
        parse_activity(raw)


def test_clean_text() -> None:
    assert clean_text("  <p>hej&nbsp;&nbsp;där</p>\n ") == "hej där"


REPLY = Reply(
    text="Order 4711 is on its way.",
    cards=(
        Card(
            title="Order 4711",
            subtitle="PO NV-PO-889",
            fields=(Field(label="Carrier", value="PostNord"),),
            buttons=(Button(label="Invoice", value="invoice for order 4711"),),
            url="https://tracking.example/0037",
            url_label="Track",
        ),
    ),
    table=Table(columns=("Order", "Status"), rows=(("4711", "shipped"), ("4712", "in production"))),
    buttons=(Button(label="Talk to a person", value="talk to a person"),),
    attachments=(Attachment(name="orders.xlsx", url="https://x.example/files/1/orders.xlsx", size=2048),),
    language="sv",
)


def _all(node: object, kind: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if node.get("type") == kind:
            found.append(node)
        for value in node.values():
            found.extend(_all(value, kind))
    elif isinstance(node, list):
        for value in node:
            found.extend(_all(value, kind))
    return found


def test_reply_as_adaptive_card() -> None:
    card = adaptive_card(REPLY)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5" and card["lang"] == "sv"
    assert card["body"][0] == {"type": "TextBlock", "text": "Order 4711 is on its way.", "wrap": True}
    facts = _all(card, "FactSet")
    assert facts[0]["facts"] == [{"title": "Carrier", "value": "PostNord"}]
    submits = _all(card, "Action.Submit")
    assert [s["data"] for s in submits] == [
        {"supportbot": "button", "text": "invoice for order 4711"},
        {"supportbot": "button", "text": "talk to a person"},
    ]
    links = _all(card, "Action.OpenUrl")
    assert {link["url"] for link in links} == {
        "https://tracking.example/0037",
        "https://x.example/files/1/orders.xlsx",
    }
    assert any(link["title"] == "orders.xlsx (2 kB)" for link in links)
    rows = _all(card, "ColumnSet")
    assert len(rows) == 3
    assert "PostNord" in card["fallbackText"] and "in production" in card["fallbackText"]


def test_many_links_become_a_markdown_list_in_the_body() -> None:
    """A statement page links to every item's copy: more links than Teams shows as card actions."""
    links = tuple(
        Attachment(name=f"Copy of INV-{n}", url=f"https://x.example/documents/invoice/INV-{n}.pdf?sig=s")
        for n in range(2030, 2040)
    )
    card = adaptive_card(
        Reply(text="Statement", attachments=links, buttons=(Button(label="More", value="more"),))
    )
    assert _all(card, "Action.OpenUrl") == []
    [submit] = _all(card, "Action.Submit")
    assert submit["data"]["text"] == "more"
    listed = card["body"][-1]["text"].splitlines()
    assert listed[0] == "- [Copy of INV-2030](https://x.example/documents/invoice/INV-2030.pdf?sig=s)"
    assert len(listed) == 10


def test_a_pressed_button_comes_back_as_its_value() -> None:
    submit = _all(adaptive_card(REPLY), "Action.Submit")[0]
    raw = load("card_submit")
    raw["value"] = submit["data"]
    message = to_message(parse_activity(raw), None)
    assert message.text == "invoice for order 4711" and message.is_button


def test_to_activity() -> None:
    activity = to_activity(Reply(text="Hej!"))
    assert activity.type == "message"
    assert activity.summary == "Hej!"
    assert activity.attachments[0].content_type == CARD_CONTENT_TYPE
    assert "actions" not in activity.attachments[0].content
