"""A request and its confirmation mail are one action: a line break typed in a subject is cleaned where
it is typed and can never reach a mail header, and a failure after the decision (building the mail,
say) leaves nothing behind, so a retry opens exactly one request."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Any

import pytest
from sqlalchemy import text

import supportbot.integrations.outbox as outbox_module
from supportbot.adapters.app import Application
from supportbot.bot.messages import FormSubmission
from supportbot.integrations.mail import build_message
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
CHANNEL = frozenset({"forms", "files"})


def _chat(bot: BotDriver) -> Conversation:
    chat = bot.as_user(ANNA)
    chat.capabilities = CHANNEL
    return chat


async def _rows(app: Application, sql: str, **params: Any) -> list[Any]:
    async with app.engine.connect() as conn:
        return list(await conn.execute(text(sql), params))


async def _mails_about(app: Application, needle: str) -> list[Any]:
    rows = await _rows(app, "SELECT message FROM mail_outbox")
    mails = [message_from_bytes(bytes(r.message), policy=policy.default) for r in rows]
    return [m for m in mails if needle in str(m["Subject"])]


async def test_a_line_break_in_the_subject_is_cleaned_and_the_request_opened_once(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot)
    await chat.say("open a support request")
    done = await chat.submit(
        category="technical",
        subject="Printer jam\r\nBcc: everyone@elsewhere.example\x00",
        description="It jams.\nEvery time.",
        priority="normal",
    )
    assert done.intent == "request.open" and "I've opened request RQ-" in done.text, done.plain_text()
    rows = await _rows(application, "SELECT number, subject FROM requests WHERE subject LIKE 'Printer jam%'")
    assert [r.subject for r in rows] == ["Printer jam Bcc: everyone@elsewhere.example"]
    (mail,) = await _mails_about(application, rows[0].number)
    assert mail["Bcc"] is None and mail["To"] == ANNA
    assert "\n" not in str(mail["Subject"]) and "\r" not in str(mail["Subject"])


async def test_a_failure_after_the_decision_rolls_the_whole_request_back(
    bot: BotDriver, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: Any) -> Any:
        raise ValueError("the mail could not be built")

    chat = _chat(bot)
    await chat.say("open a support request")
    values = {"category": "technical", "subject": "Rollback please", "description": "x", "priority": "low"}
    monkeypatch.setattr(outbox_module, "build_message", broken)
    failed = await chat.submit(**values)
    assert failed.intent == "request.open", failed.plain_text()  # a polite answer, not an internal error
    assert "nothing was saved" in failed.text, failed.text
    assert await _rows(application, "SELECT id FROM requests WHERE subject = 'Rollback please'") == []
    assert await _mails_about(application, "Rollback please") == []

    monkeypatch.setattr(outbox_module, "build_message", build_message)
    await chat.say("open a support request")
    done = await chat.submit(**values)
    assert "I've opened request RQ-" in done.text, done.text
    (row,) = await _rows(application, "SELECT number FROM requests WHERE subject = 'Rollback please'")
    assert len(await _mails_about(application, row.number)) == 1


async def test_a_resent_form_answers_with_the_same_number_and_queues_no_second_mail(
    bot: BotDriver, application: Application
) -> None:
    """The same delivery again after its turn was lost (a crash): the back end's key, not the transcript."""
    chat = _chat(bot)
    await chat.say("open a support request")
    values = {"category": "technical", "subject": "Only once", "description": "x", "priority": "low"}
    form = FormSubmission(id="request.open", values=values)
    first = await chat.say("", form=form, delivery_id="form:once-1")
    # Forget the stored turn, as a crash between the back end's commit and saving the turn would.
    async with application.engine.begin() as conn:
        await conn.execute(text("DELETE FROM turns WHERE delivery_id = 'form:once-1'"))
    application.store.forget(chat.ref.key)
    again = await chat.say("", form=form, delivery_id="form:once-1")
    assert again.text == first.text
    (row,) = await _rows(application, "SELECT number FROM requests WHERE subject = 'Only once'")
    assert len(await _mails_about(application, row.number)) == 1


def test_every_mail_header_is_built_on_one_line() -> None:
    msg = build_message(
        sender="Support <support@vendor.example>",
        to="anna.berg@nordisk.example",
        subject="Hello\r\nBcc: x@y.example\u2028there",
        text="body",
    )
    assert str(msg["Subject"]) == "Hello Bcc: x@y.example there"
    assert msg["Bcc"] is None
    with pytest.raises(ValueError, match="line break"):
        build_message(sender="s@vendor.example", to="a@x.example\r\nBcc: b@y.example", subject="s", text="b")


async def test_a_subject_typed_over_two_lines_in_the_chat_is_one_line(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)  # a channel without forms: the bot asks for each value
    await chat.transcript("""
        user: open a ticket
        press: Technical
    """)
    await chat.say("Printer jam\nBcc: everyone@elsewhere.example")
    await chat.say("It jams every time.")
    await chat.press("Normal")
    done = await chat.press("Open")
    assert "I've opened request RQ-" in done.text, done.plain_text()
    rows = await _rows(application, "SELECT number, subject FROM requests WHERE subject LIKE 'Printer jam%'")
    assert [r.subject for r in rows] == ["Printer jam Bcc: everyone@elsewhere.example"]
    (mail,) = await _mails_about(application, rows[0].number)
    assert mail["Bcc"] is None
