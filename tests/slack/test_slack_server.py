"""Slack through the real stack: signed, real-shaped requests to /slack/events, and what the local
stand-in of the Slack Web API received."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from supportbot.adapters.slack.render import button_values
from supportbot.bot.locks import LockUnavailable
from supportbot.bot.messages import Reply
from tests.slack.conftest import Slack, payload
from tests.slack.slack_standin import BOT_USER


def dm(
    text: str, *, user: str = "U0ANNA", event_id: str = "Ev0001", channel: str | None = None
) -> dict[str, Any]:
    data = payload("message_im")
    data["event"].update(text=text, user=user, channel=channel or f"D{user[1:]}")
    data["event_id"] = event_id
    return data


def blocks_text(blocks: Any) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False)


# --- verification ---------------------------------------------------------------------------------


async def test_url_verification_is_answered(slack: Slack) -> None:
    status, body = await slack.event(payload("url_verification"))
    assert status == 200
    assert json.loads(body) == {"challenge": payload("url_verification")["challenge"]}


async def test_a_bad_signature_is_refused(slack: Slack) -> None:
    status, _ = await slack.event(dm("where is my order 4711?"), secret="not-the-signing-secret")
    assert status == 401
    status, _ = await slack.event(payload("url_verification"), secret="not-the-signing-secret")
    assert status == 401
    assert slack.standin.calls == []


async def test_an_old_timestamp_is_refused(slack: Slack) -> None:
    status, _ = await slack.event(dm("where is my order 4711?"), timestamp=int(time.time()) - 10 * 60)
    assert status == 401
    assert slack.standin.calls == []


async def test_missing_or_garbled_signature_headers_are_refused(slack: Slack) -> None:
    body = json.dumps(dm("hello"))
    for headers in (
        {"X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": "yesterday"},
        {"X-Slack-Signature": "v0=" + "0" * 64},
    ):
        status, _ = await slack.post(body, "application/json", headers=headers)
        assert status == 401, headers
    response = await slack.client.post("/slack/events", data=body)
    assert response.status == 401
    assert slack.standin.calls == []


async def test_malformed_payloads_get_a_clear_400_and_nothing_is_done(slack: Slack) -> None:
    no_user = dm("where is my order 4711?")
    del no_user["event"]["user"]
    no_event_id = dm("where is my order 4711?")
    del no_event_id["event_id"]
    no_value = payload("block_actions")
    del no_value["actions"][0]["value"]
    cases = [
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("", "application/json"),
        (json.dumps(no_user), "application/json"),
        (json.dumps(no_event_id), "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("hello=world", "application/x-www-form-urlencoded"),
    ]
    for body, content_type in cases:
        status, text = await slack.post(body, content_type)
        assert status == 400, body
        assert json.loads(text) == {"error": "bad request"}
    status, _ = await slack.interaction(no_value)
    assert status == 400
    command = payload("slash_command")
    del command["response_url"]
    status, _ = await slack.command(command)
    assert status == 400
    assert slack.standin.calls == []


# --- conversations --------------------------------------------------------------------------------


async def test_a_direct_message_is_answered_with_block_kit(slack: Slack) -> None:
    status, body = await slack.event(dm("where is my order 4711?"))
    assert status == 200
    assert body == ""
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert post.headers["Authorization"] == "Bearer xoxb-test"
    assert post.args["channel"] == "D0ANNA"
    shown = blocks_text(post.args["blocks"])
    assert "PostNord" in shown and "NV-PO-889" in shown
    assert "https://tracking.postnord.com/se/?id=00370712345678901234" in shown
    assert "PostNord" in post.args["text"]
    # anna was linked by the e-mail Slack reports for her
    [info] = slack.standin.called("users.info")
    assert info.args["user"] == "U0ANNA"


async def test_the_link_is_remembered_so_users_info_is_asked_once(slack: Slack) -> None:
    await slack.event(dm("where is my order 4711?", event_id="Ev1"))
    await slack.standin.wait_for("chat.postMessage", 1)
    await slack.event(dm("and 4712?", event_id="Ev2"))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert "4712" in posts[1].args["text"]
    assert len(slack.standin.called("users.info")) == 1


async def test_a_swedish_message_is_answered_in_swedish(slack: Slack) -> None:
    await slack.event(dm("var är min order 4711?"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "är skickad med PostNord" in post.args["text"]
    assert "Spårningsnummer" in blocks_text(post.args["blocks"]) or "Spåra" in blocks_text(
        post.args["blocks"]
    )


async def test_an_unknown_email_is_a_guest(slack: Slack) -> None:
    await slack.event(dm("where is my order 4711?", user="U0STRANGER"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "customer number" in post.args["text"]
    assert "PostNord" not in blocks_text(post.args["blocks"])


async def test_a_slack_user_without_an_email_is_a_guest(slack: Slack) -> None:
    await slack.event(dm("where is my order 4711?", user="U0NOMAIL"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "customer number" in post.args["text"]


async def test_pressing_a_button_types_its_value(slack: Slack) -> None:
    await slack.event(dm("help"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    values = button_values(
        json.loads(post.args["blocks"]) if isinstance(post.args["blocks"], str) else post.args["blocks"]
    )
    assert "My open orders" in values
    press = payload("block_actions")
    press["actions"][0]["value"] = "My open orders"
    shown = json.loads(post.args["blocks"]) if isinstance(post.args["blocks"], str) else post.args["blocks"]
    press["message"]["blocks"] = shown
    status, _ = await slack.interaction(press)
    assert status == 200
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert posts[1].args["channel"] == "D0ANNA"
    assert "4712" in blocks_text(posts[1].args["blocks"])
    # The question's buttons are gone (it cannot be answered twice) and it says what was chosen.
    [update] = await slack.standin.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == ("D0ANNA", "1764370001.000300")
    updated = (
        json.loads(update.args["blocks"]) if isinstance(update.args["blocks"], str) else update.args["blocks"]
    )
    assert button_values(updated) == []
    assert "\u2713 *My open orders*" in json.dumps(updated, ensure_ascii=False)
    history = await slack.channel.app.pipeline.history("slack:T0SUPPORT:D0ANNA:U0ANNA")
    assert [t.payload for t in history if t.role == "user"][-1] == {"button": True}


async def test_a_link_button_is_only_acknowledged(slack: Slack) -> None:
    press = payload("block_actions")
    press["actions"][0] = {
        "action_id": "supportbot_link_1",
        "block_id": "b1",
        "text": {"type": "plain_text", "text": "Track the shipment"},
        "type": "button",
        "action_ts": "1764370400.000001",
    }
    status, _ = await slack.interaction(press)
    assert status == 200
    await slack.channel.drain()
    assert slack.standin.called("chat.postMessage") == []


async def test_the_support_command_answers_through_the_response_url(slack: Slack) -> None:
    command = payload("slash_command")
    command["response_url"] = slack.standin.response_url("command")
    status, _ = await slack.command(command)
    assert status == 200
    [answer] = await slack.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "PostNord" in blocks_text(answer.args["blocks"])
    assert slack.standin.called("chat.postMessage") == []


def view_of(call: Any) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


async def test_an_empty_support_command_opens_the_question_modal(slack: Slack) -> None:
    command = payload("slash_command")
    command.update(text="  ", response_url=slack.standin.response_url("help"))
    status, body = await slack.command(command)
    assert status == 200 and body == ""
    [opened] = await slack.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == command["trigger_id"]
    view = view_of(opened)
    assert view["type"] == "modal" and view["callback_id"] == "supportbot_ask"
    [question] = view["blocks"]
    assert question["type"] == "input"
    assert question["element"]["type"] == "plain_text_input" and question["element"]["multiline"] is True
    assert view["title"]["text"] == "Fråga supporten"  # anna's language
    await slack.settle(1)
    assert slack.standin.called("response_url") == []


async def test_an_expired_trigger_still_gets_help_through_the_response_url(slack: Slack) -> None:
    command = payload("slash_command")
    command.update(text="", trigger_id="expired.1", response_url=slack.standin.response_url("help"))
    await slack.command(command)
    [answer] = await slack.standin.wait_for("response_url")
    assert "what I can do" in answer.args["text"] or "kan hjälpa" in answer.args["text"]


async def test_the_home_tabs_ask_button_opens_the_modal(slack: Slack) -> None:
    press = payload("block_actions")
    press["container"] = {"type": "view", "view_id": "V0HOME"}
    del press["channel"], press["message"], press["response_url"]
    press["actions"][0] = {
        "action_id": "supportbot_ask",
        "block_id": "ask",
        "text": {"type": "plain_text", "text": "Ask a question"},
        "type": "button",
        "action_ts": "1764370400.000002",
    }
    status, _ = await slack.interaction(press)
    assert status == 200
    [opened] = await slack.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == press["trigger_id"]
    assert view_of(opened)["callback_id"] == "supportbot_ask"
    await slack.settle(1)
    assert slack.standin.called("chat.postMessage") == []


async def test_a_submitted_question_is_answered_in_the_dm(slack: Slack) -> None:
    status, body = await slack.interaction(payload("view_submission"))
    assert status == 200
    assert body == ""  # the modal closes at once; the answer follows in the DM
    [opened] = await slack.standin.wait_for("conversations.open")
    assert opened.args["users"] == "U0ANNA"
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0ANNA"
    assert "PostNord" in blocks_text(post.args["blocks"])
    history = await slack.channel.app.pipeline.history("slack:T0SUPPORT:D0ANNA:U0ANNA")
    assert [t.text for t in history if t.role == "user"] == ["where is my order 4711?"]


async def test_an_empty_question_gets_a_polite_error_on_the_input(slack: Slack) -> None:
    submission = payload("view_submission")
    submission["view"]["state"]["values"]["question"]["text"]["value"] = "   "
    status, body = await slack.interaction(submission)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert "Skriv" in answer["errors"]["question"]  # the language the modal was opened in
    submission["view"]["private_metadata"] = ""
    submission["view"]["state"]["values"]["question"]["text"]["value"] = None
    status, body = await slack.interaction(submission)
    assert json.loads(body)["errors"]["question"].startswith("Please write your question")
    await slack.channel.drain()
    assert [c.method for c in slack.standin.calls if c.method != "auth.test"] == []  # bolt's own check


async def test_a_submission_of_another_view_is_refused(slack: Slack) -> None:
    submission = payload("view_submission")
    submission["view"]["callback_id"] = "someone_elses_modal"
    status, _ = await slack.interaction(submission)
    assert status == 400
    assert slack.standin.calls == []


async def test_an_app_mention_is_answered_only_to_the_person_who_asked(slack: Slack) -> None:
    status, _ = await slack.event(payload("app_mention"))
    assert status == 200
    [answer] = await slack.standin.wait_for("chat.postEphemeral")
    assert answer.args["channel"] == "C0PURCHASING"
    assert answer.args["user"] == "U0ANNA"
    assert "PostNord" in blocks_text(answer.args["blocks"])
    assert slack.standin.called("chat.postMessage") == []


async def test_the_home_tab_is_published(slack: Slack) -> None:
    status, _ = await slack.event(payload("app_home_opened"))
    assert status == 200
    [publish] = await slack.standin.wait_for("views.publish")
    assert publish.args["user_id"] == "U0ANNA"
    view = publish.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert "/support" in blocks_text(view["blocks"])


async def test_bots_edits_and_other_subtypes_are_ignored(slack: Slack) -> None:
    for name in ("bot_message", "message_changed"):
        status, _ = await slack.event(payload(name))
        assert status == 200
    own = dm("Order 4711 has shipped", user=BOT_USER, event_id="Ev0OWN")
    status, _ = await slack.event(own)
    assert status == 200
    await slack.channel.drain()
    assert slack.standin.called("chat.postMessage") == []


# --- delivery -------------------------------------------------------------------------------------


async def test_a_redelivered_event_is_answered_once(slack: Slack) -> None:
    event = dm("where is my order 4711?", event_id="Ev0RETRY")
    await slack.event(event)
    await slack.standin.wait_for("chat.postMessage")
    status, _ = await slack.event(
        event, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert status == 200
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 1


async def test_a_retry_racing_the_first_delivery_is_still_answered_once(slack: Slack) -> None:
    event = dm("where is my order 4711?", event_id="Ev0RACE")
    await slack.event(event)
    await slack.event(event, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    await slack.settle(2)
    assert len(slack.standin.called("chat.postMessage")) == 1


async def test_a_rate_limited_post_is_retried_after_retry_after(slack: Slack) -> None:
    slack.standin.rate_limit_once("chat.postMessage", retry_after=1)
    started = time.monotonic()
    await slack.event(dm("where is my order 4711?"))
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert time.monotonic() - started >= 1.0
    assert posts[0].args == posts[1].args
    await slack.settle(1)
    assert len(slack.standin.called("chat.postMessage")) == 2  # the 429 and the one that went through


async def test_an_order_report_is_uploaded_with_files_upload_v2(slack: Slack) -> None:
    await slack.event(dm("send me a report of last month's orders"))
    [post] = await slack.standin.wait_for("chat.postMessage")
    assert "report" in post.args["text"].lower()
    [complete] = await slack.standin.wait_for("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D0ANNA"
    names = [c.args["filename"] for c in slack.standin.called("files.getUploadURLExternal")]
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".csv") for n in names)
    uploads = slack.standin.called("upload")
    assert any(u.body.startswith(b"PK") for u in uploads)  # the XLSX itself (a zip), not a link to it
    assert "/files/" not in blocks_text(post.args["blocks"])


# --- notices --------------------------------------------------------------------------------------


def posts_to(slack: Slack, channel: str) -> list[Any]:
    return [c for c in slack.standin.called("chat.postMessage") if c.args["channel"] == channel]


async def posted_to(slack: Slack, channel: str, *, having: str, timeout: float = 15.0) -> Any:
    """The last post to ``channel`` whose blocks contain ``having``, once it has arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found = [p for p in posts_to(slack, channel) if having in blocks_text(p.args["blocks"])]
        if found:
            return found[-1]
        seen = [(p.args["channel"], p.args["text"]) for p in slack.standin.called("chat.postMessage")]
        assert time.monotonic() < deadline, f"no post to {channel} with {having!r}; got {seen}"
        await asyncio.sleep(0.02)


async def test_an_access_request_reaches_the_administrator_in_slack(slack: Slack) -> None:
    """Anna and Erik have talked to the bot in Slack; Erik asks for invoices; Anna's approval request
    and Erik's answer arrive as DMs, with buttons that work like any button."""
    await slack.event(dm("hello", user="U0ANNA", event_id="Ev0N1"))
    await slack.event(dm("hello", user="U0ERIK", event_id="Ev0N2"))
    await slack.settle(2)
    await slack.event(dm("I need access to invoices", user="U0ERIK", event_id="Ev0N3"))
    notice = await posted_to(slack, "D0ANNA", having="AR-")
    blocks = notice.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert "invoices" in notice.args["text"] or "fakturor" in notice.args["text"]
    [buttons] = [b["elements"] for b in blocks if b["type"] == "actions"]
    labels = {b["text"]["text"]: b for b in buttons}
    assert labels.keys() in ({"Approve", "Deny"}, {"Godkänn", "Avslå"})
    deny = labels.get("Deny") or labels["Avslå"]
    assert [c.args["users"] for c in slack.standin.called("conversations.open")] == ["U0ANNA"]
    await posted_to(slack, "D0ERIK", having="AR-")  # erik's own answer: the request is on its way

    press = payload("block_actions")
    press["message"]["blocks"] = blocks
    press["actions"][0] = {**press["actions"][0], **{k: deny[k] for k in ("action_id", "value", "text")}}
    status, _ = await slack.interaction(press)
    assert status == 200
    await slack.settle(4)  # both hellos, erik's request and anna's press
    outcome = await posted_to(slack, "D0ERIK", having="denied")
    assert "AR-" in outcome.args["text"]
    to_anna = [p for p in posts_to(slack, "D0ANNA") if "AR-" in p.args["text"]]
    assert len(to_anna) == 2 and to_anna[0] is notice  # the notice, then the answer to her press
    history = await slack.channel.app.pipeline.history("slack:T0SUPPORT:D0ANNA:U0ANNA")
    assert [t.payload for t in history if t.role == "user"][-1] == {"button": True}


async def test_a_notice_to_someone_slack_never_saw_is_not_sent(slack: Slack) -> None:
    reply = Reply(text="Your request was approved.")
    assert await slack.channel.deliver("max.muller@contoso.example", reply) is False
    await slack.event(dm("hello", user="U0MAX", event_id="Ev0MAX"))
    await slack.settle(1)
    assert await slack.channel.deliver("max.muller@contoso.example", reply) is True
    [post] = posts_to(slack, "D0MAX")[-1:]
    assert post.args["text"] == "Your request was approved."


class _Unreachable:
    """Conversation locks whose service (Redis, with several workers) does not answer."""

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        raise LockUnavailable("the conversation's lock could not be taken (ConnectionError)")
        yield  # pragma: no cover


async def test_a_message_that_cannot_have_its_lock_gets_an_apology_and_its_retry_an_answer(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = slack.channel.app.pipeline
    locks = pipeline._locks
    monkeypatch.setattr(pipeline, "_locks", _Unreachable())
    event = dm("where is my order 4711?", event_id="Ev0OUTAGE")
    assert (await slack.event(event))[0] == 200
    [apology] = await slack.standin.wait_for("chat.postMessage")
    assert apology.args["text"].startswith("Sorry, I can't reach our systems right now"), apology.args

    monkeypatch.setattr(pipeline, "_locks", locks)  # Redis is back; Slack retries the event
    await slack.event(event, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    posts = await slack.standin.wait_for("chat.postMessage", 2)
    assert "PostNord" in posts[1].args["text"], posts[1].args
