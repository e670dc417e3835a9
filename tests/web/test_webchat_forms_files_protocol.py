"""The pure parts of forms and files in the web chat protocol: the ``form`` frame and a message's
``files``, strictly checked; the ``Message`` they become; a reply's form as JSON; the history's user
lines with their form and files; an upload's name and type."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from supportbot.adapters.webchat.protocol import (
    MAX_FILE_NAME_CHARS,
    MAX_FORM_VALUE_CHARS,
    FormFrame,
    FrameError,
    MessageFrame,
    form_fields,
    history_item,
    parse_frame,
    reply_frame,
    reply_json,
    to_message,
    upload_content_type,
    upload_name,
)
from supportbot.bot.messages import Choice, Form, FormField, FormSubmission, InboundFile, Message, Reply
from supportbot.bot.store import TurnRecord

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
VALUES = {
    "category": "technical",
    "subject": "Server down",
    "description": "Since 07:00.",
    "priority": "high",
}


def request_form(language: str = "en", **errors: str) -> Form:
    return Form(
        id="request.open",
        title="New support request",
        fields=(
            FormField(name="name", label="Name", kind="info", value="Erik Lund"),
            FormField(name="email", label="E-mail", kind="info", value="erik.lund@nordisk.example"),
            FormField(
                name="category",
                label="Category",
                kind="choice",
                choices=(Choice(label="Technical", value="technical"), Choice(label="Order", value="order")),
                required=True,
                error=errors.get("category"),
            ),
            FormField(name="subject", label="Subject", required=True, max_length=300),
            FormField(
                name="description", label="Description", kind="textarea", required=True, max_length=5000
            ),
            FormField(name="priority", label="Priority", kind="choice", value="normal", required=True),
        ),
        submit_label="Send request",
        cancel_label="Cancel",
        open_label="Fill in the request form",
        open_value="open a request",
    )


def form_frame(**overrides: Any) -> str:
    return json.dumps({"type": "form", "id": "m-1", "form": "request.open", "values": VALUES, **overrides})


# --- the form frame -----------------------------------------------------------------------------------


def test_a_form_frame_parses() -> None:
    frame = parse_frame(form_frame(extra={"ignored": True}))
    assert frame == FormFrame(id="m-1", form="request.open", values=VALUES)


@pytest.mark.parametrize(
    ("changes", "in_reply_to"),
    [
        ({"id": None}, None),
        ({"id": "<b>"}, None),
        ({"form": None}, "m-1"),
        ({"form": ""}, "m-1"),
        ({"form": "request open"}, "m-1"),
        ({"form": "x" * 65}, "m-1"),
        ({"values": None}, "m-1"),
        ({"values": ["subject", "x"]}, "m-1"),
        ({"values": "subject=x"}, "m-1"),
        ({"values": {"subject": 5}}, "m-1"),
        ({"values": {"subject": None}}, "m-1"),
        ({"values": {"subject": ["x"]}}, "m-1"),
        ({"values": {"subject": {"text": "x"}}}, "m-1"),
        ({"values": {"": "x"}}, "m-1"),
        ({"values": {"sub ject": "x"}}, "m-1"),
        ({"values": {"k" * 65: "x"}}, "m-1"),
        ({"values": {f"field{n}": "x" for n in range(33)}}, "m-1"),
    ],
)
def test_a_form_frame_of_the_wrong_shape_is_a_bad_frame(
    changes: dict[str, Any], in_reply_to: str | None
) -> None:
    raw = json.loads(form_frame())
    raw.update(changes)
    if changes.get("id", "") is None:
        del raw["id"]
    with pytest.raises(FrameError) as refused:
        parse_frame(json.dumps(raw))
    assert refused.value.code == "bad_frame"
    assert refused.value.in_reply_to == in_reply_to


def test_a_form_value_above_the_bound_is_too_large() -> None:
    with pytest.raises(FrameError) as refused:
        parse_frame(form_frame(values={"description": "x" * (MAX_FORM_VALUE_CHARS + 1)}))
    assert refused.value.code == "too_large" and refused.value.in_reply_to == "m-1"
    # Up to the bound it is the core's to judge against the form's own limits (it marks the field).
    frame = parse_frame(form_frame(values={"description": "x" * 5001}))
    assert isinstance(frame, FormFrame)


def test_a_sent_form_becomes_a_form_message_of_the_web_chat() -> None:
    frame = FormFrame(id="m-1", form="request.open", values={**VALUES, "name": "Mallory", "admin": "yes"})
    message = to_message(
        frame,
        sid="abc",
        user_id="erik.lund@nordisk.example",
        received_at=NOW,
        shown_fields={"category", "subject", "description", "priority"},
    )
    assert message.form == FormSubmission(id="request.open", values=VALUES)  # unknown names dropped
    assert message.text == "" and not message.is_button
    assert message.delivery_id == "form:m-1"
    assert message.capabilities == frozenset({"forms", "files", "password"})
    assert message.conversation.key == "web:abc"


def test_a_form_the_conversation_never_showed_keeps_no_values() -> None:
    frame = FormFrame(id="m-1", form="invoice.get", values={"invoice": "INV-3050"})
    message = to_message(frame, sid="abc", user_id=None, received_at=NOW)
    assert message.form == FormSubmission(id="invoice.get", values={})


def test_the_fields_of_the_form_the_conversation_showed() -> None:
    shown = Reply(text="Here is the form.", form=request_form())
    turns = [
        TurnRecord(role="user", text="open a request"),
        TurnRecord(role="bot", text=shown.text, payload=shown.model_dump(mode="json")),
        TurnRecord(role="bot", text="plain", payload=Reply(text="plain").model_dump(mode="json")),
    ]
    assert form_fields(turns, "request.open") == {"category", "subject", "description", "priority"}
    assert form_fields(turns, "invoice.get") == frozenset()
    assert form_fields([], "request.open") == frozenset()


# --- files with a message -------------------------------------------------------------------------------


def test_a_message_may_carry_up_to_five_upload_ids() -> None:
    frame = parse_frame(
        json.dumps({"type": "message", "id": "m-2", "text": "", "files": ["a1", "b-2", "a1"]})
    )
    assert frame == MessageFrame(id="m-2", text="", files=("a1", "b-2"))
    file = InboundFile(name="boot.log", content_type="text/plain", data=b"log")
    assert isinstance(frame, MessageFrame)
    message = to_message(
        frame, sid="abc", user_id="erik.lund@nordisk.example", received_at=NOW, files=(file,)
    )
    assert message.files == (file,) and message.form is None
    assert message.capabilities == frozenset({"forms", "files", "password"})
    assert message.delivery_id == "m-2"


@pytest.mark.parametrize(
    "files",
    [None, "abc", {"id": "abc"}, [1], [None], ["a b"], ["../etc"], ["x" * 65], [f"f{n}" for n in range(6)]],
)
def test_files_of_the_wrong_shape_are_a_bad_frame(files: Any) -> None:
    with pytest.raises(FrameError) as refused:
        parse_frame(json.dumps({"type": "message", "id": "m-3", "text": "hi", "files": files}))
    assert refused.value.code == "bad_frame" and refused.value.in_reply_to == "m-3"


def test_a_plain_message_still_says_what_the_channel_can_do() -> None:
    message = to_message(MessageFrame(id="m-4", text="hi"), sid="abc", user_id=None, received_at=NOW)
    assert message.files == () and message.capabilities == frozenset({"forms", "files", "password"})


# --- a reply's form as JSON ----------------------------------------------------------------------------


def test_a_reply_s_form_as_json() -> None:
    rendered = reply_json(Reply(text="Here is the form.", form=request_form(category="Please choose one.")))
    form = rendered["form"]
    assert form["id"] == "request.open" and form["title"] == "New support request"
    assert form["submit_label"] == "Send request" and form["cancel_label"] == "Cancel"
    assert form["cancel_value"] == "cancel"
    assert form["open_label"] == "Fill in the request form" and form["open_value"] == "open a request"
    fields = {f["name"]: f for f in form["fields"]}
    assert fields["name"] == {
        "name": "name",
        "label": "Name",
        "kind": "info",
        "value": "Erik Lund",
        "choices": [],
        "required": False,
        "max_length": None,
        "error": None,
    }
    assert fields["category"]["choices"] == [
        {"label": "Technical", "value": "technical"},
        {"label": "Order", "value": "order"},
    ]
    assert fields["category"]["error"] == "Please choose one." and fields["category"]["required"] is True
    assert fields["subject"]["max_length"] == 300 and fields["description"]["kind"] == "textarea"
    json.dumps(rendered)


def test_the_cancel_word_follows_the_reply_s_language() -> None:
    form = reply_json(Reply(text="Här är formuläret.", form=request_form(), language="sv"))["form"]
    assert form["cancel_value"] == "avbryt"
    without = request_form().model_copy(update={"cancel_label": None})
    assert reply_json(Reply(text="x", form=without))["form"]["cancel_value"] is None


def test_a_reply_without_a_form_has_no_form_key() -> None:
    assert "form" not in reply_json(Reply(text="Hello"))


def test_a_reply_frame_may_carry_a_warning() -> None:
    warning = {"code": "files_missing", "message": "Sorry"}
    assert reply_frame("m-1", Reply(text="x"), warning=warning)["warning"] == warning
    assert "warning" not in reply_frame("m-1", Reply(text="x"))


# --- history --------------------------------------------------------------------------------------------


def _user_turn(message: Message) -> TurnRecord:
    """A user line as the pipeline keeps it (see ``Pipeline._turn``)."""
    payload: dict[str, Any] = {}
    if message.form is not None:
        payload["form"] = {"id": message.form.id, "values": dict(message.form.values)}
    if message.files:
        payload["files"] = [
            {"name": f.name, "content_type": f.content_type, "size": f.size} for f in message.files
        ]
    return TurnRecord(role="user", text=message.transcript_text(), payload=payload or None, at=NOW)


def test_a_history_line_with_files_shows_the_words_and_the_names_apart() -> None:
    files = (
        InboundFile(name="boot.log", content_type="text/plain", data=b"12345"),
        InboundFile(name="front panel.png", content_type="image/png", data=b"\x89PNG"),
    )
    message = to_message(
        MessageFrame(id="m-1", text="here is the log\nfor RQ-2026-000002", files=("a", "b")),
        sid="abc",
        user_id="erik.lund@nordisk.example",
        received_at=NOW,
        files=files,
    )
    item = history_item(_user_turn(message))
    assert item is not None
    assert item["text"] == "here is the log\nfor RQ-2026-000002"
    assert item["files"] == [{"name": "boot.log", "size": 5}, {"name": "front panel.png", "size": 4}]
    frame = MessageFrame(id="m-2", text="", files=("a",))
    alone = to_message(frame, sid="abc", user_id="u", received_at=NOW, files=files[:1])
    item = history_item(_user_turn(alone))
    assert item is not None and item["text"] == "" and item["files"] == [{"name": "boot.log", "size": 5}]


def test_a_history_line_of_a_sent_form_has_its_values() -> None:
    values = {**VALUES, "description": "Line one.\nLine two."}
    message = to_message(
        FormFrame(id="m-1", form="request.open", values=values),
        sid="abc",
        user_id="u",
        received_at=NOW,
        shown_fields=set(values),
    )
    item = history_item(_user_turn(message))
    assert item is not None
    assert item["text"] == ""
    assert item["form"] == {"id": "request.open", "values": values}


def test_a_plain_history_line_is_unchanged() -> None:
    item = history_item(TurnRecord(role="user", text="hi", at=NOW))
    assert item == {"role": "user", "text": "hi", "reply": None, "at": "2026-05-01T12:00:00Z"}


# --- uploads --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("boot.log", "boot.log"),
        ("front%20panel.png", "front panel.png"),
        ("r%C3%A4kning.pdf", "räkning.pdf"),
        ("C%3A%5CUsers%5Canna%5Cscan.pdf", "scan.pdf"),
        ("..%2F..%2Fetc%2Fpasswd", "passwd"),
        ("evil%0D%0AX-Header%3A%201.txt", "evilX-Header: 1.txt"),
        ("%E2%80%AEfdp.exe", "fdp.exe"),  # a right-to-left override is a format character: dropped
        ("  spaced   out .txt ", "spaced out .txt"),
        ("", None),
        (None, None),
        ("..", None),
        ("%2F", None),
        ("%FF%FE.txt", None),  # not UTF-8
    ],
)
def test_the_upload_s_name(header: str | None, name: str | None) -> None:
    assert upload_name(header) == name


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    name = upload_name("a" * 500 + ".pdf")
    assert name is not None and len(name) == MAX_FILE_NAME_CHARS and name.endswith("aaa.pdf")


@pytest.mark.parametrize(
    ("header", "name", "content_type"),
    [
        ("image/png", "photo.png", "image/png"),
        ("text/plain; charset=utf-8", "boot.log", "text/plain"),
        ("Application/PDF", "x.pdf", "application/pdf"),
        ("application/octet-stream", "report.pdf", "application/pdf"),
        ("application/octet-stream", "data.csv", "text/csv"),
        ("application/octet-stream", "boot.log", "text/plain"),
        ("", "picture.jpeg", "image/jpeg"),
        (None, "notes.txt", "text/plain"),
        ("application/octet-stream", "firmware.bin", "application/octet-stream"),
        ("application/octet-stream", "no-extension", "application/octet-stream"),
        ("not a type", "scan.png", "image/png"),
        ("text/html\r\nX-Evil: 1", "x.txt", "text/plain"),
    ],
)
def test_the_upload_s_type(header: str | None, name: str, content_type: str) -> None:
    assert upload_content_type(header, name) == content_type
