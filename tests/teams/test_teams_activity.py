"""The pure halves of the Teams adapter, on recorded real-shaped activities."""

from __future__ import annotations

import pytest
from yarl import URL

from supportbot.adapters.teams.activity import (
    CARD_CONTENT_TYPE,
    BadActivity,
    FileLink,
    adaptive_card,
    clean_text,
    device_time_zone,
    external_id,
    file_links,
    parse_activity,
    sent_card,
    to_activity,
    to_message,
)
from supportbot.adapters.teams.files import HostPolicy
from supportbot.bot.messages import (
    Attachment,
    Button,
    Card,
    Choice,
    Field,
    Form,
    FormField,
    FormSubmission,
    Reply,
    Table,
)
from tests.teams.teams_helpers import load


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


def test_the_time_zone_is_the_teams_clients_own() -> None:
    raw = load("personal_message")
    raw["localTimezone"] = "America/New_York"
    assert to_message(parse_activity(raw), None).time_zone == "America/New_York"
    del raw["localTimezone"]  # older clients: the clientInfo entity's
    assert to_message(parse_activity(raw), None).time_zone == "Europe/Stockholm"


@pytest.mark.parametrize(
    "zone", ["", "Mars/Olympus_Mons", "../../etc/passwd", "UTC; DROP", 5, ["Europe/Oslo"]]
)
def test_a_time_zone_that_is_not_a_real_one_is_none(zone: object) -> None:
    raw = load("personal_message")
    raw["localTimezone"] = None
    raw["entities"] = [{"type": "clientInfo", "timezone": zone}]
    activity = parse_activity(raw)
    assert device_time_zone(activity) is None
    assert to_message(activity, None).time_zone is None  # the company's country's zone is used


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


def test_a_quoted_reply_is_kept_as_quoted_lines() -> None:
    """A Teams reply quotes the message it answers in a <blockquote>: its words are someone else's, so
    they reach the reading as quoted lines ("> …"), not as the user's request."""
    text = (
        '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply"><strong>Lars</strong>'
        "<p>Hi Anna, please approve INV-2031 before Friday.</p></blockquote>"
        "<p>what&#39;s the amount and due date?</p>"
    )
    assert (
        clean_text(text)
        == "> Lars\n> Hi Anna, please approve INV-2031 before Friday.\nwhat's the amount and due date?"
    )


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


# --- forms -----------------------------------------------------------------------------------------

FORM = Form(
    id="request.open",
    title="Nytt ärende",
    fields=(
        FormField(name="name", label="Namn", kind="info", value="Erik Lund"),
        FormField(name="customer_number", label="Kundnummer", kind="info", value="1000123"),
        FormField(
            name="category",
            label="Kategori",
            kind="choice",
            choices=(Choice(label="Teknisk", value="technical"), Choice(label="Faktura", value="invoice")),
            required=True,
            error="Välj ett alternativ.",
        ),
        FormField(name="subject", label="Rubrik", value="Disk", required=True, max_length=300),
        FormField(name="description", label="Beskrivning", kind="textarea", required=True, max_length=5000),
        FormField(
            name="priority",
            label="Prioritet",
            kind="choice",
            value="normal",
            choices=(Choice(label="Normal", value="normal"), Choice(label="Hög", value="high")),
            required=True,
        ),
    ),
    submit_label="Skicka ärendet",
    cancel_label="Avbryt",
    open_label="Fyll i ärendeformuläret",
    open_value="öppna ett ärende",
)
FORM_REPLY = Reply(
    text="Kontrollera de markerade fälten.",
    form=FORM,
    language="sv",
    buttons=(Button(label="Hjälp", value="hjälp"),),
)
NONCE = "Zm9ybS1ub25jZS0xMjM0NTY3OA"
MISSING = object()


def test_a_form_becomes_card_inputs() -> None:
    card = adaptive_card(FORM_REPLY, nonce=NONCE)
    [form] = [item for item in card["body"] if item.get("id") == "supportbot-form"]
    assert _all(form, "FactSet")[0]["facts"] == [
        {"title": "Namn", "value": "Erik Lund"},
        {"title": "Kundnummer", "value": "1000123"},
    ]
    category, priority = _all(form, "Input.ChoiceSet")
    assert category == {
        "type": "Input.ChoiceSet",
        "id": "category",
        "label": "Kategori",
        "value": "",
        "style": "compact",
        "choices": [{"title": "Teknisk", "value": "technical"}, {"title": "Faktura", "value": "invoice"}],
        "isRequired": True,
        "errorMessage": "Välj ett alternativ.",
    }
    assert priority["value"] == "normal"
    subject, description = _all(form, "Input.Text")
    assert subject["value"] == "Disk" and subject["maxLength"] == 300 and not subject["isMultiline"]
    assert description["isMultiline"] and description["maxLength"] == 5000
    assert description["isRequired"] and description["errorMessage"] == "Fyll i det här."
    # The refusal sits right under its input, in the attention colour.
    items = form["items"]
    after = items[items.index(category) + 1]
    assert (
        after["type"] == "TextBlock"
        and after["text"] == "Välj ett alternativ."
        and after["color"] == "Attention"
    )
    send, cancel = _all(form, "Action.Submit")
    assert send["data"] == {"supportbot_form": "request.open", "supportbot_nonce": NONCE}
    assert send["title"] == "Skicka ärendet" and "associatedInputs" not in send
    assert (
        cancel["data"] == {"supportbot": "button", "text": "avbryt"} and cancel["associatedInputs"] == "none"
    )
    # The reply's own buttons neither check nor carry the form's inputs.
    assert card["actions"][0]["associatedInputs"] == "none"
    assert "Kundnummer: 1000123" in card["fallbackText"]
    assert adaptive_card(FORM_REPLY)["body"] != adaptive_card(FORM_REPLY)["body"], "a new nonce each time"


def test_a_sent_form_comes_back_as_the_forms_message() -> None:
    card = adaptive_card(FORM_REPLY, nonce=NONCE)
    [send] = [a for a in _all(card, "Action.Submit") if "supportbot_form" in a["data"]]  # type: ignore[operator]
    inputs = [*_all(card, "Input.Text"), *_all(card, "Input.ChoiceSet")]
    value = {
        **send["data"],  # type: ignore[dict-item]
        **{i["id"]: i["value"] for i in inputs},
        "category": "invoice",
        "description": "Fel",
    }
    raw = load("form_submit")
    raw["value"] = value
    message = to_message(parse_activity(raw), "erik.lund@nordisk.example")
    assert message.form == FormSubmission(
        id="request.open",
        values={"category": "invoice", "subject": "Disk", "description": "Fel", "priority": "normal"},
    )
    assert message.text == "" and not message.is_button
    assert message.delivery_id == f"form:{NONCE}", "the card, not the activity: a second send is a repeat"
    assert message.capabilities == {"forms", "files"}


def test_the_recorded_form_submit() -> None:
    message = to_message(parse_activity(load("form_submit")), None)
    assert message.form is not None and message.form.values["priority"] == "high"
    assert message.delivery_id == "form:3q2-7wYhQk6b1T0mJxV9aZc4"


@pytest.mark.parametrize(
    "change",
    [
        {"priority": 3},
        {"priority": None},
        {"priority": ["high"]},
        {"description": "x" * 10_001},
        {"supportbot_form": "../../admin"},
        {"supportbot_form": 7},
        {"supportbot_nonce": MISSING},
        {"supportbot_nonce": None},
        {"supportbot_nonce": "short"},
        {"Subject": "upper case name"},
        {"supportbot": "button"},
        {f"field_{n}": "v" for n in range(41)},
        {f"field_{n}": "v" * 9_000 for n in range(6)},
    ],
)
def test_a_form_not_as_we_made_it_is_refused(change: dict[str, object]) -> None:
    raw = load("form_submit")
    raw["value"] = {k: v for k, v in {**raw["value"], **change}.items() if v is not MISSING}
    with pytest.raises(BadActivity):
        parse_activity(raw)


def test_forms_everywhere_files_only_in_personal_chats() -> None:
    # Teams hands a bot files only in a personal chat: elsewhere the bot must not ask for one.
    for name in ("personal_message", "card_submit", "file_message"):
        assert to_message(parse_activity(load(name)), None).capabilities == {"forms", "files"}, name
    for name in ("group_mention", "channel_mention"):
        assert to_message(parse_activity(load(name)), None).capabilities == {"forms"}, name


def test_a_sent_forms_card_shows_what_was_sent_read_only() -> None:
    sent = FormSubmission(
        id="request.open",
        values={"category": "invoice", "subject": "Fel adress", "description": "Gamla.", "priority": "high"},
    )
    card = sent_card(FORM, sent, "sv")
    facts = {f["title"]: f["value"] for f in _all(card, "FactSet")[0]["facts"]}  # type: ignore[attr-defined]
    assert facts == {
        "Namn": "Erik Lund",
        "Kundnummer": "1000123",
        "Kategori": "Faktura",
        "Rubrik": "Fel adress",
        "Beskrivning": "Gamla.",
        "Prioritet": "Hög",
    }
    assert _all(card, "Action.Submit") == [] and _all(card, "Input.Text") == []
    assert "Skickat" in card["body"][-1]["text"]
    assert "Sent" in sent_card(None, sent, "en")["body"][-1]["text"]


# --- files -----------------------------------------------------------------------------------------


def test_a_file_from_the_compose_box_and_not_the_html_copy() -> None:
    activity = parse_activity(load("file_message"))
    [link] = file_links(activity)
    assert link == FileLink(
        name="boot.log",
        url=load("file_message")["attachments"][0]["content"]["downloadUrl"],
        content_type="text/plain",
        with_token=False,
    )
    assert to_message(activity, None).text == "here is the log for RQ-2026-000002"


def test_a_pasted_picture_needs_the_bots_token() -> None:
    activity = parse_activity(load("inline_image"))
    [link] = file_links(activity)
    assert link.name == "image.png" and link.content_type == "image/png" and link.with_token
    assert link.url.startswith("https://smba.trafficmanager.net/emea/v3/attachments/")


def test_a_message_without_files_has_no_links() -> None:
    assert file_links(parse_activity(load("personal_message"))) == []
    raw = load("file_message")
    raw["attachments"][0]["content"] = {"fileType": "log"}  # no download URL: nothing to fetch
    assert file_links(parse_activity(raw)) == []
    raw["attachments"] = "not a list"
    with pytest.raises(BadActivity):
        parse_activity(raw)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://smba.trafficmanager.net/emea/v3/attachments/x/views/original", True),
        ("https://nordisk-my.sharepoint.com/personal/x/_layouts/15/download.aspx?UniqueId=1", True),
        ("https://sharepoint.com/x", False),
        ("https://evil.example/?https://x.sharepoint.com/", False),
        ("https://x.sharepoint.com.evil.example/x", False),
        ("https://nordisk-my.sharepoint.com:8443/x", False),
        ("http://nordisk-my.sharepoint.com/x", False),
        ("https://user:pw@smba.trafficmanager.net/x", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://127.0.0.1:8080/x", False),
        ("http://127.0.0.1:4000/files/x", True),
        ("file:///etc/passwd", False),
        ("ftp://smba.trafficmanager.net/x", False),
    ],
)
def test_files_come_only_from_allowed_hosts(url: str, allowed: bool) -> None:
    policy = HostPolicy(["smba.trafficmanager.net", "*.sharepoint.com", "127.0.0.1:4000"])
    assert policy.allows(URL(url)) is allowed
