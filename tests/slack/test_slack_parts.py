"""The Slack adapter's pure parts on recorded, real-shaped payloads: payload → Message, Reply → Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from supportbot.adapters.settings import Settings
from supportbot.adapters.slack import mode
from supportbot.adapters.slack.channel import allowed_origin, socket_mode_handler
from supportbot.adapters.slack.inbound import (
    PayloadError,
    decode_body,
    from_form_view,
    from_view,
    inbound,
    modal_request,
    plain_text,
    slack_file,
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
    form_view,
    home_view,
    pressed,
    table_text,
    to_blocks,
)
from supportbot.adapters.slack.wording import files_unavailable
from supportbot.bot.messages import (
    MAX_INBOUND_BYTES,
    Attachment,
    Button,
    Card,
    Choice,
    Field,
    Form,
    FormField,
    Reply,
    Table,
)
from tests.conftest import make_settings
from tests.slack.conftest import payload

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


# --- forms and files --------------------------------------------------------------------------------


def _request_form(**changes: object) -> Form:
    form = Form(
        id="request.open",
        title="A title far longer than Slack's twenty-four characters",
        fields=(
            FormField(name="name", label="Name", kind="info", value="Erik <Lund>"),
            FormField(name="phone", label="Phone", kind="info", value=""),
            FormField(
                name="category",
                label="Category",
                kind="choice",
                choices=(Choice(label="Technical", value="technical"), Choice(label="Other", value="other")),
                value="other",
                required=True,
            ),
            FormField(name="subject", label="Subject", value="Disk", required=True, max_length=300),
            FormField(name="description", label="Description", kind="textarea", max_length=5000),
        ),
        submit_label="Send request",
        cancel_label="Cancel",
        open_label="Fill in the request form",
        open_value="open a request",
    )
    return form.model_copy(update=changes)


def test_every_message_from_slack_can_show_forms_and_send_files() -> None:
    for body in (payload("message_im"), payload("block_actions"), payload("slash_command")):
        message = to_message(body, user_id=None, received_at=AT)
        assert message is not None and message.capabilities == frozenset({"forms", "files"})


def test_a_reply_with_a_form_shows_a_button_that_opens_it() -> None:
    reply = Reply(
        text="Here is the request form.", form=_request_form(), buttons=(Button(label="Help", value="help"),)
    )
    blocks = to_blocks(reply)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    opener, helper = actions["elements"]
    assert opener == {
        "type": "button",
        "text": {"type": "plain_text", "text": "Fill in the request form", "emoji": True},
        "action_id": "supportbot_form",
        "value": "open a request",
        "style": "primary",
    }
    assert helper["action_id"].startswith("supportbot_button")
    assert "Erik" not in json.dumps(blocks)  # the form itself is only in the modal


def test_a_refused_form_lists_the_marked_fields_above_the_button() -> None:
    form = _request_form()
    marked = form.model_copy(
        update={
            "fields": tuple(
                f.model_copy(update={"error": "Please fill this in."}) if f.name == "subject" else f
                for f in form.fields
            )
        }
    )
    blocks = to_blocks(Reply(text="Please check the marked fields.", form=marked))
    assert blocks[1]["text"]["text"] == ":warning: *Subject*: Please fill this in."
    assert blocks[2]["elements"][0]["action_id"] == "supportbot_form"


def test_the_form_modal_shows_the_profile_and_pre_filled_inputs_within_slacks_limits() -> None:
    view = form_view(_request_form(), language="sv", reply_to="D0ERIK")
    assert view["callback_id"] == "supportbot_form"
    assert json.loads(view["private_metadata"]) == {
        "form": "request.open",
        "channel": "D0ERIK",
    }
    assert len(view["title"]["text"]) <= 24 and view["title"]["text"].endswith("…")
    assert (view["submit"]["text"], view["close"]["text"]) == ("Send request", "Cancel")
    profile, category, subject, description, where = view["blocks"]
    assert [f["text"] for f in profile["fields"]] == ["*Name*\nErik &lt;Lund&gt;", "*Phone*\n(saknas)"]
    assert category["block_id"] == "category" and category["optional"] is False
    select = category["element"]
    assert select["type"] == "static_select" and select["action_id"] == "value"
    assert select["initial_option"] == {
        "text": {"type": "plain_text", "text": "Other", "emoji": True},
        "value": "other",
    }
    assert select["placeholder"]["text"] == "Välj ett alternativ"
    assert subject["element"] == {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": False,
        "max_length": 300,
        "initial_value": "Disk",
    }
    assert description["optional"] is True
    assert description["element"]["multiline"] is True and description["element"]["max_length"] == 3000
    assert where["type"] == "context"
    no_dm = form_view(_request_form(cancel_label=None), language="en", reply_to=None)
    assert json.loads(no_dm["private_metadata"])["channel"] is None
    assert no_dm["close"]["text"] == "Cancel"


def test_a_sent_form_modal_is_a_form_submission_for_the_dm() -> None:
    sent = from_form_view(payload("form_submission"))
    assert sent.form.id == "request.open"
    assert sent.form.values == {
        "category": "technical",
        "subject": "Power server in Kista does not boot",
        "description": "Since this morning the server stops with error B2001234 after power-on.",
        "priority": "high",
    }
    assert (sent.reply_to, sent.external_id) == ("D0ERIK", "T0SUPPORT:U0ERIK")
    message = sent.in_dm("D0ERIK").message(user_id="erik.lund@nordisk.example", received_at=AT)
    assert message.form == sent.form and message.text == ""
    assert message.delivery_id == "slack-view:V0FORM0001"
    assert message.conversation.key == "slack:T0SUPPORT:D0ERIK:U0ERIK"


def test_an_empty_optional_input_is_sent_empty_and_bad_metadata_is_refused() -> None:
    data = payload("form_submission")
    values = data["view"]["state"]["values"]
    values["description"]["value"]["value"] = None
    values["category"]["value"]["selected_option"] = None
    del values["subject"]
    sent = from_form_view(data)
    assert (sent.form.values["description"], sent.form.values["category"], sent.form.values["subject"]) == (
        "",
        "",
        "",
    )
    foreign = payload("form_submission")
    foreign["view"]["private_metadata"] = json.dumps({"form": "request.open", "channel": "C0PURCHASING"})
    assert from_form_view(foreign).reply_to is None  # only ever answered in a DM
    for metadata in ("", "[]", json.dumps({"channel": "D0ERIK"})):
        broken = payload("form_submission")
        broken["view"]["private_metadata"] = metadata
        with pytest.raises(PayloadError):
            from_form_view(broken)
    wrong = payload("form_submission")
    wrong["view"]["state"]["values"]["subject"]["value"]["value"] = ["not", "text"]
    with pytest.raises(PayloadError):
        from_form_view(wrong)


def test_files_shared_in_a_dm_come_with_the_message() -> None:
    found = inbound(payload("file_share"))
    assert found is not None and found.route == "post"
    assert found.text == "here is the log for RQ-2026-000002"
    [file] = found.files
    assert (file.id, file.name, file.content_type, file.size) == ("F0LOG0001", "boot.log", "text/plain", 52)
    assert file.url == "https://files.slack.com/files-pri/T0SUPPORT-F0LOG0001/download/boot.log"
    assert file.too_large(MAX_INBOUND_BYTES) is None
    big = slack_file(
        {"id": "F1", "name": "dump.zip", "mimetype": "application/zip", "size": MAX_INBOUND_BYTES + 1}
    )
    assert big is not None and big.url is None
    refused = big.too_large(MAX_INBOUND_BYTES)
    assert refused is not None and refused.declared_size == MAX_INBOUND_BYTES + 1 and refused.data == b""
    hidden = slack_file({"id": "F2", "file_access": "check_file_info"})
    assert hidden is not None and (hidden.name, hidden.size, hidden.url) == ("F2", None, None)


def test_file_shares_elsewhere_or_without_files_are_not_taken() -> None:
    in_channel = payload("file_share")
    in_channel["event"]["channel_type"] = "channel"
    assert inbound(in_channel) is None
    for files in (None, [], [{"name": "no id"}]):
        broken = payload("file_share")
        broken["event"]["files"] = files
        with pytest.raises(PayloadError):
            inbound(broken)
    other_subtype = payload("file_share")
    other_subtype["event"]["subtype"] = "message_deleted"
    assert inbound(other_subtype) is None


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://files.slack.com/files-pri/T-F/download/a.png", True),
        ("https://FILES.slack.com:443/files-pri/T-F/download/a.png", True),
        ("http://files.slack.com/files-pri/T-F/download/a.png", False),
        ("https://files.slack.com:8443/x", False),
        ("https://files.slack.com.evil.example/x", False),
        ("https://evil.example/files.slack.com/x", False),
        ("https://user:pw@files.slack.com/x", False),
        ("https://169.254.169.254/latest/meta-data", False),
        ("http://127.0.0.1:8765/files-pri/x", True),
        ("http://127.0.0.1:8766/files-pri/x", False),
        ("http://localhost:8765/files-pri/x", False),
        ("file:///etc/passwd", False),
        ("/files-pri/x", False),
        ("https://files.slack.com:99999/x", False),
    ],
)
def test_files_are_fetched_only_from_allowed_hosts(url: str, allowed: bool) -> None:
    assert allowed_origin(url, ("files.slack.com", "http://127.0.0.1:8765")) is allowed


def test_files_that_could_not_be_fetched_are_named() -> None:
    assert files_unavailable(["a.png"], "en").startswith("I couldn't fetch a.png from Slack")
    assert "a.png, b.log och c.pdf från Slack" in files_unavailable(["a.png", "b.log", "c.pdf"], "sv")


def test_the_file_hosts_setting_reads_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_settings(tmp_path).slack_file_hosts == ("files.slack.com",)
    monkeypatch.setenv("SLACK_FILE_HOSTS", "files.slack.com, files-edu.slack.com")
    assert Settings(data_dir=tmp_path).slack_file_hosts == ("files.slack.com", "files-edu.slack.com")


def test_a_pressed_question_keeps_its_links_and_says_what_was_chosen() -> None:
    blocks = to_blocks(
        Reply(
            text="Which order?",
            buttons=(
                Button(label="4711", value="status of 4711"),
                Button(label="4712", value="status of 4712"),
            ),
            cards=(Card(title="Order 4711", url="https://track.example/4711", url_label="Track"),),
        )
    )
    after = pressed(blocks, "4711 <b>")
    assert button_values(after) == []
    assert "track.example" in json.dumps(after)  # the link button still opens
    marks = [b for b in after if b["type"] == "context"]
    assert [m["elements"][0]["text"] for m in marks] == ["\u2713 *4711 &lt;b&gt;*"]
    assert pressed(after, "again") == after  # nothing left to press: nothing changes
