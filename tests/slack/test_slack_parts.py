"""The Slack adapter's pure parts on recorded, real-shaped payloads: payload → Message, Reply → Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import payload

from supportbot.adapters.slack import mode, socket_mode_handler
from supportbot.adapters.slack.inbound import (
    PayloadError,
    decode_body,
    from_view,
    inbound,
    modal_request,
    plain_text,
    to_message,
    wants_modal,
)
from supportbot.adapters.slack.render import (
    MAX_FIELDS,
    ask_errors,
    ask_view,
    button_values,
    escape,
    fallback_text,
    home_view,
    table_text,
    to_blocks,
)
from supportbot.bot.messages import Attachment, Button, Card, Field, Reply, Table
from tests.conftest import make_settings

AT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


# --- payload → Message ----------------------------------------------------------------------------


def test_a_direct_message_becomes_a_message() -> None:
    message = to_message(payload("message_im"), user_id="anna.berg@nordisk.example", received_at=AT)
    assert message is not None
    assert message.text == "where is my order 4711?"
    assert message.conversation.channel == "slack"
    assert message.conversation.conversation_id == "T0SUPPORT:D0ANNA:U0ANNA"
    assert message.delivery_id == "Ev0ANNA0001"
    assert message.user_id == "anna.berg@nordisk.example"
    assert not message.is_button


def test_a_direct_message_is_posted_back_into_the_dm() -> None:
    found = inbound(payload("message_im"))
    assert found is not None
    assert (found.route, found.channel, found.external_id) == ("post", "D0ANNA", "T0SUPPORT:U0ANNA")


def test_an_app_mention_loses_the_mention_and_is_answered_privately() -> None:
    found = inbound(payload("app_mention"), bot_user_id="U0BOT")
    assert found is not None
    assert found.text == "where is my order 4711?"
    assert found.route == "ephemeral"
    assert found.delivery_id == "Ev0MENTION01"
    without_id = inbound(payload("app_mention"))
    assert without_id is not None and without_id.text == "where is my order 4711?"


@pytest.mark.parametrize("name", ["bot_message", "message_changed"])
def test_bots_and_edits_are_not_answered(name: str) -> None:
    assert inbound(payload(name), bot_user_id="U0BOT") is None


def test_a_channel_message_is_not_answered_only_a_mention_is() -> None:
    data = payload("message_im")
    data["event"]["channel_type"] = "channel"
    assert inbound(data) is None


def test_a_button_press_types_its_value() -> None:
    message = to_message(payload("block_actions"), user_id=None, received_at=AT)
    assert message is not None
    assert message.text == "My open orders"
    assert message.is_button
    assert message.delivery_id == "action:U0ANNA:1764370300.123456"
    assert message.conversation.conversation_id == "T0SUPPORT:D0ANNA:U0ANNA"


def test_a_button_in_an_ephemeral_message_answers_through_the_response_url() -> None:
    data = payload("block_actions")
    data["container"]["is_ephemeral"] = True
    found = inbound(data)
    assert found is not None and found.route == "respond"
    assert found.response_url == data["response_url"]


def test_a_link_button_types_nothing() -> None:
    data = payload("block_actions")
    data["actions"][0]["action_id"] = "supportbot_link_1"
    assert inbound(data) is None


def test_a_slash_command_is_a_message_and_an_empty_one_asks_for_help() -> None:
    found = inbound(payload("slash_command"))
    assert found is not None
    assert found.text == "where is my order 4711?"
    assert found.route == "respond"
    assert found.delivery_id.startswith("command:7612345678902.")
    empty = payload("slash_command") | {"text": "  "}
    found = inbound(empty)
    assert found is not None and found.text == "help"


def test_a_slash_command_without_text_wants_the_modal() -> None:
    assert not wants_modal(payload("slash_command"))
    empty = payload("slash_command") | {"text": " "}
    assert wants_modal(empty)
    request = modal_request(empty)
    assert (request.team_id, request.user) == ("T0SUPPORT", "U0ANNA")
    assert request.trigger_id == empty["trigger_id"]


def test_a_submitted_modal_is_a_question_for_the_dm() -> None:
    question = from_view(payload("view_submission"))
    assert question.text == "where is my order 4711?"
    assert question.language == "sv"
    assert question.external_id == "T0SUPPORT:U0ANNA"
    found = question.in_dm("D0ANNA")
    assert found.route == "post" and found.channel == "D0ANNA"
    assert found.delivery_id == "view:V0MODAL1"
    message = found.message(user_id="anna.berg@nordisk.example", received_at=AT)
    assert message.conversation.key == "slack:T0SUPPORT:D0ANNA:U0ANNA"
    assert not message.is_button


def test_an_empty_or_foreign_modal_submission() -> None:
    blank = payload("view_submission")
    blank["view"]["state"]["values"] = {}
    blank["view"]["private_metadata"] = "not json"
    question = from_view(blank)
    assert question.text == "" and question.language is None
    foreign = payload("view_submission")
    foreign["view"]["callback_id"] = "other"
    with pytest.raises(PayloadError):
        from_view(foreign)
    no_user = payload("view_submission")
    del no_user["user"]
    with pytest.raises(PayloadError):
        from_view(no_user)


def test_the_modal_has_one_multiline_input_in_the_users_language() -> None:
    view = ask_view("sv")
    assert view["type"] == "modal" and view["callback_id"] == "supportbot_ask"
    assert json.loads(view["private_metadata"]) == {"language": "sv"}
    [block] = view["blocks"]
    assert block["type"] == "input" and block["block_id"] == "question"
    assert block["element"] == {**block["element"], "action_id": "text", "multiline": True}
    assert view["submit"]["text"] == "Skicka"
    assert ask_view("en")["title"]["text"] == "Ask support"
    assert ask_view("de")["title"]["text"] == "Ask support"  # a language without wording: English
    assert list(ask_errors("sv")) == ["question"]
    assert ask_errors("en")["question"].startswith("Please")


def test_slack_text_is_decoded() -> None:
    assert (
        plain_text("invoice &lt;INV-2031&gt; &amp; <mailto:a@b.se|a@b.se>") == "invoice <INV-2031> & a@b.se"
    )
    assert plain_text("see <https://x.example/a|the page> <@U0BOT> now", bot_user_id="U0BOT") == (
        "see the page   now"
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("event"),
        lambda d: d.pop("event_id"),
        lambda d: d["event"].pop("user"),
        lambda d: d["event"].pop("channel"),
        lambda d: d["event"].update(text=None),
    ],
)
def test_an_event_missing_fields_is_refused(change: object) -> None:
    data = payload("message_im")
    change(data)  # type: ignore[operator]
    with pytest.raises(PayloadError):
        inbound(data)


def test_bodies_are_decoded_like_bolt_does_or_refused() -> None:
    assert decode_body(json.dumps(payload("message_im")), "application/json")["event_id"] == "Ev0ANNA0001"
    assert decode_body("command=%2Fsupport&text=hi", "application/x-www-form-urlencoded")["text"] == "hi"
    assert decode_body('payload={"type":"block_actions"}', "application/x-www-form-urlencoded") == {
        "type": "block_actions"
    }
    for body in ("", "{", "[]", "a=b", "payload=nope"):
        with pytest.raises(PayloadError):
            decode_body(body, "application/x-www-form-urlencoded" if "=" in body else "application/json")


# --- Reply → Block Kit ----------------------------------------------------------------------------


def test_text_is_an_escaped_mrkdwn_section() -> None:
    blocks = to_blocks(Reply(text="Tom & Jerry <@U123> <!channel>"))
    assert blocks == [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Tom &amp; Jerry &lt;@U123&gt; &lt;!channel&gt;"},
        }
    ]
    assert fallback_text(Reply(text="a < b")) == "a &lt; b"


def test_a_card_has_a_title_fields_buttons_and_its_link() -> None:
    card = Card(
        title="Order 4711",
        subtitle="Shipped",
        fields=tuple(Field(label=f"L{i}", value=f"v{i}") for i in range(12)),
        buttons=(Button(label="Invoice", value="invoice for order 4711"),),
        url="https://tracking.postnord.com/se/?id=1",
        url_label="Track the shipment",
    )
    blocks = to_blocks(Reply(text="Here it is.", cards=(card,)))
    assert blocks[1]["text"]["text"] == "*Order 4711*\nShipped"
    assert [len(b["fields"]) for b in blocks if "fields" in b] == [MAX_FIELDS, 2]
    [actions] = [b for b in blocks if b["type"] == "actions"]
    invoice, track = actions["elements"]
    assert invoice["value"] == "invoice for order 4711" and invoice["action_id"].startswith(
        "supportbot_button"
    )
    assert track["url"] == "https://tracking.postnord.com/se/?id=1" and "value" not in track
    assert track["action_id"].startswith("supportbot_link")


def test_unsafe_links_are_dropped() -> None:
    card = Card(title="x", url="javascript:alert(1)")
    assert not [b for b in to_blocks(Reply(text="t", cards=(card,))) if b["type"] == "actions"]


def test_buttons_act_like_typed_text_with_unique_action_ids() -> None:
    reply = Reply(
        text="Pick one", buttons=tuple(Button(label=f"B{i}", value=f"value {i}") for i in range(30))
    )
    blocks = to_blocks(reply)
    assert button_values(blocks) == [f"value {i}" for i in range(30)]
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids))
    assert all(len(b["elements"]) <= 25 for b in blocks if b["type"] == "actions")


def test_a_table_is_a_code_block() -> None:
    table = Table(columns=("#", "Product"), rows=(("1", "Memory <64 GB>"), ("2", "Flash")))
    blocks = to_blocks(Reply(text="Lines", table=table))
    assert blocks[1]["text"]["text"].startswith("```#  Product")
    assert "Memory &lt;64 GB&gt;" in blocks[1]["text"]["text"]
    assert table_text(Table(columns=("a",), rows=tuple((str(i),) for i in range(40)))).endswith("… +10")


def test_attachments_are_links_unless_uploaded() -> None:
    reply = Reply(
        text="Your report",
        attachments=(
            Attachment(name="orders.xlsx", url="https://bot.example/files/abc/orders.xlsx?exp=1&sig=2"),
        ),
    )
    linked = json.dumps(to_blocks(reply))
    assert "<https://bot.example/files/abc/orders.xlsx?exp=1&sig=2|orders.xlsx>" in linked
    assert "orders.xlsx" not in json.dumps(to_blocks(reply, link_attachments=False))


def test_long_text_is_split_to_fit_slack() -> None:
    text = "\n".join(f"line {i} " + "x" * 200 for i in range(40))
    blocks = to_blocks(Reply(text=text))
    assert len(blocks) > 1 and all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert escape("<&>") == "&lt;&amp;&gt;"


def test_the_home_view_speaks_the_users_language() -> None:
    view = home_view("sv", name="Anna", guest=False)
    assert view["type"] == "home"
    assert "Hej Anna" in json.dumps(view, ensure_ascii=False)
    assert "kundkonto" in json.dumps(home_view("sv", name=None, guest=True), ensure_ascii=False)
    [actions] = [b for b in view["blocks"] if b["type"] == "actions"]
    assert actions["elements"][0]["action_id"] == "supportbot_ask"
    assert actions["elements"][0]["text"]["text"] == "Ställ en fråga"


# --- which mode ------------------------------------------------------------------------------------


def test_slack_is_off_without_its_settings(tmp_path: Path) -> None:
    assert mode(make_settings(tmp_path)) is None
    assert mode(make_settings(tmp_path, slack_signing_secret="s")) is None
    assert mode(make_settings(tmp_path, slack_bot_token="xoxb-1")) is None
    assert mode(make_settings(tmp_path, slack_bot_token="xoxb-1", slack_signing_secret="s")) == "http"
    assert mode(make_settings(tmp_path, slack_bot_token="xoxb-1", slack_app_token="xapp-1")) == "socket"


async def test_socket_mode_uses_bolts_handler_without_connecting(application: object, tmp_path: Path) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from supportbot.adapters.app import Application
    from supportbot.adapters.slack.channel import SlackChannel

    assert isinstance(application, Application)
    application.settings = make_settings(
        tmp_path, slack_bot_token="xoxb-1", slack_app_token="xapp-1", slack_api_url="http://127.0.0.1:9/api/"
    )
    channel = SlackChannel(application)
    handler = socket_mode_handler(channel, "xapp-1")
    try:
        assert isinstance(handler, AsyncSocketModeHandler)
        assert handler.app is channel.bolt
        assert handler.client.app_token == "xapp-1"
        assert handler.client.web_client is channel.client
    finally:
        await handler.close_async()
