"""Every contract and inventory intent in a Slack DM, in English and in Swedish, through the real stack:
signed events and button presses in, the Block Kit the stand-in of the Slack Web API received out.

One conversation per language: Anna looks at contract C-1001's card, opens its PDF (a Slack link that
serves the PDF) and its history, approves C-1004 and signs C-1003 with the buttons (recorded as done
through Slack), lists her hardware at a site, moves the FlashSystem with the request card's button,
asks what the data answers and asks what it does not (a request). Each answer names the right record,
in the words of the conversation's language; each recorded effect is checked in the back end."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from supportbot.adapters.slack.render import button_values
from supportbot.bot.i18n import Formatter
from supportbot.integrations.sql.demo import demo_today
from tests.slack.conftest import Slack, payload
from tests.slack.slack_standin import Call
from tests.slack.test_slack_server import blocks_text, dm

ANNA = "anna.berg@nordisk.example"
REQUEST = re.compile(r"RQ-\d{4}-\d{6}")


_AMENDED = Formatter("en").date(demo_today() - timedelta(days=400))
"""The day C-1001's version 2 was made: 400 days before the demo data's day."""


@dataclass(frozen=True)
class Words:
    """What Anna types and the words the answers must hold, in one language."""

    status: str
    status_says: tuple[str, ...]
    card_buttons: tuple[str, ...]
    document: str
    document_says: str
    document_file: str
    history: str
    history_says: tuple[str, ...]
    approve: str
    approve_asks: str
    approve_buttons: tuple[str, str]
    approved: str
    sign: str
    sign_asks: str
    sign_buttons: tuple[str, str]
    signed: str
    show: str
    show_says: tuple[str, ...]
    show_not: str
    spreadsheet: str
    change: str
    change_card: str
    change_buttons: tuple[str, str]
    opened: str
    answerable: str
    answer_says: tuple[str, ...]
    question: str
    question_says: str


ENGLISH = Words(
    status="status of contract C-1001",
    status_says=(
        "Contract C-1001",
        "is active",
        "Hardware maintenance",
        "SEK 96,000.00",
        "24x7, 4-hour response",
    ),
    card_buttons=(
        "show item 78ABC12",
        "show item 78TAP77",
        "pdf of contract C-1001",
        "history of contract C-1001",
    ),
    document="pdf of contract C-1001",
    document_says=f"Here is contract C-1001, version 2 of {_AMENDED}, as a PDF",
    document_file="C-1001-v2.pdf",
    history="history of contract C-1001",
    history_says=("newest first", "Signed by Anna Berg on paper", "Initial agreement", "version 1 (PDF)"),
    approve="approve contract C-1004",
    approve_asks="Version 2 of contract C-1004, Software subscription: IBM AIX 7.3, is waiting for your approval",
    approve_buttons=("yes, approve", "don't approve"),
    approved="Approved. Version 2 of contract C-1004 is approved by Anna Berg",
    sign="sign contract C-1003",
    sign_asks="Amendment 1: Göteborg added",
    sign_buttons=("yes, sign", "don't sign"),
    signed="Signed. Version 2 of contract C-1003 is signed electronically by Anna Berg",
    show="what hardware do we have in Kista?",
    show_says=("3 installed items (hardware) at Kista", "78ABC12", "78TAP77", "78PWR09", "LAPSED on"),
    show_not="78XYZ34",
    spreadsheet="download this inventory as a spreadsheet",
    change="we need to move the FlashSystem to Kista",
    change_card="Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista",
    change_buttons=("open", "cancel"),
    opened="I've opened request RQ-",
    answerable="what's the service level of 78XYZ34?",
    answer_says=(
        "Maintenance: next business day",
        "under contract C-1002",
        "Leased from IBM Global Financing",
    ),
    question="I have a question about the tape library",
    question_says="I've opened request RQ-",
)

SWEDISH = Words(
    status="status på avtal C-1001",
    status_says=(
        "Avtal C-1001",
        "är aktivt",
        "Hårdvaruunderhåll",
        "96 000,00 SEK",
        "Sista dag för uppsägning",
    ),
    card_buttons=(
        "visa serienummer 78ABC12",
        "visa serienummer 78TAP77",
        "pdf av avtal C-1001",
        "historik för avtal C-1001",
    ),
    document="pdf av avtal C-1001 version 1",
    document_says="Det är inte den gällande versionen: det är version 2",
    document_file="C-1001-v1.pdf",
    history="historik för avtal C-1001",
    history_says=(
        "nyast först",
        "Signerad av Anna Berg på papper",
        "upprättad av Karin Holm",
        "version 1 (pdf)",
    ),
    approve="godkänn avtal C-1004",
    approve_asks="Version 2 av avtal C-1004, Software subscription: IBM AIX 7.3, väntar på ert godkännande",
    approve_buttons=("ja, godkänn", "godkänn inte"),
    approved="Godkänt. Version 2 av avtal C-1004 är godkänd av Anna Berg",
    sign="signera avtal C-1003",
    sign_asks="Amendment 1: Göteborg added",
    sign_buttons=("ja, signera", "signera inte"),
    signed="Signerat. Version 2 av avtal C-1003 är elektroniskt signerad av Anna Berg",
    show="vilken hårdvara har vi i Göteborg",
    show_says=(
        "2 installerade enheter (hårdvara) i Göteborg",
        "78XYZ34",
        "78GBG21",
        "Serienummer",
        "Anläggning",
    ),
    show_not="78ABC12",
    spreadsheet="ladda ner utrustningen som kalkylark",
    change="vi behöver flytta FlashSystem till Kista",
    change_card="Flytt av IBM FlashSystem 5200 (78XYZ34) från Göteborg till Kista",
    change_buttons=("öppna", "avbryt"),
    opened="Jag har öppnat ärende RQ-",
    answerable="vilken servicenivå har 78ABC12",
    answer_says=("Underhåll: 24x7, 4-hour response", "enligt avtal C-1001", "serienummer 78ABC12, hårdvara"),
    question="jag har en fråga om bandbiblioteket",
    question_says="Jag har öppnat ärende RQ-",
)


def _blocks(post: Call) -> list[dict[str, Any]]:
    blocks = post.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


class Dm:
    """Anna's DM with the bot: each message or press answered by one new ``chat.postMessage``."""

    def __init__(self, slack: Slack) -> None:
        self.slack = slack
        self.events = 0

    def _posted(self) -> int:
        return len(self.slack.standin.called("chat.postMessage"))

    async def _answer(self, before: int) -> Call:
        """The one post that answers what was sent when ``before`` posts had been made (counted before
        sending: the answer may be posted before the acknowledgement reaches the test)."""
        posts = await self.slack.standin.wait_for("chat.postMessage", before + 1)
        assert len(posts) == before + 1
        return posts[-1]

    async def say(self, message: str) -> Call:
        self.events += 1
        before = self._posted()
        status, _ = await self.slack.event(dm(message, event_id=f"EvMatrix{self.events}"))
        assert status == 200
        return await self._answer(before)

    async def press(self, post: Call, value: str) -> Call:
        """A click on the button of ``post`` whose value is ``value``, as Slack sends it."""
        blocks = _blocks(post)
        [button] = [
            element
            for block in blocks
            if block.get("type") == "actions"
            for element in block["elements"]
            if element.get("value") == value
        ]
        press = payload("block_actions")
        self.events += 1
        press["actions"][0].update(
            action_id=button["action_id"],
            value=value,
            text=button["text"],
            action_ts=f"1764370300.{self.events:06d}",
        )
        press["message"]["blocks"] = blocks
        before = self._posted()
        status, _ = await self.slack.interaction(press)
        assert status == 200
        return await self._answer(before)


def _says(post: Call, *facts: str) -> str:
    shown = post.args["text"] + "\n" + blocks_text(post.args.get("blocks", "[]"))
    # Amounts are held together by no-break spaces; the facts are written with plain ones.
    shown = shown.replace("\u00a0", " ").replace("\u202f", " ")
    for fact in facts:
        assert fact in shown, f"{fact!r} not in the answer:\n{shown}"
    return shown


async def _version(slack: Slack, number: str) -> Any:
    async with slack.channel.app.engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT v.approved_by, v.signed_by, v.signed_channel, v.awaiting FROM contract_versions v "
                    "JOIN contracts c ON c.id = v.contract_id WHERE c.number = :n AND v.version = 2"
                ),
                {"n": number},
            )
        ).one()


async def _request(slack: Slack, post: Call) -> Any:
    match = REQUEST.search(post.args["text"])
    assert match, post.args["text"]
    async with slack.channel.app.engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT category, related, requester_id FROM requests WHERE number = :n"),
                {"n": match.group()},
            )
        ).one()


@pytest.mark.parametrize("words", [ENGLISH, SWEDISH], ids=["english", "swedish"])
async def test_every_contract_and_inventory_intent_in_a_dm(slack: Slack, words: Words) -> None:
    anna = Dm(slack)

    # contract.status: the card with the terms, and buttons that ask for the items, the PDF and the history.
    card = await anna.say(words.status)
    assert card.args["channel"] == "D0ANNA"
    _says(card, *words.status_says)
    assert set(words.card_buttons) <= set(button_values(_blocks(card)))

    # contract.document: a Slack link (<url|name>) to the PDF, and the link serves it.
    document = await anna.say(words.document)
    shown = _says(document, words.document_says)
    link = re.search(
        rf"<(http[^|>]+/{re.escape(words.document_file)}\?[^|>]+)\|{re.escape(words.document_file)}>", shown
    )
    assert link, shown
    url = urlsplit(link.group(1))
    served = await slack.client.get(f"{url.path}?{url.query}")
    assert served.status == 200 and (await served.read()).startswith(b"%PDF")

    # contract.history: the versions and their signatures, newest first.
    history = await anna.say(words.history)
    _says(history, *words.history_says)

    # contract.approve: the version and its SHA-256 shown, the Approve button records the approval.
    asked = await anna.say(words.approve)
    _says(asked, words.approve_asks, "SHA-256")
    assert button_values(_blocks(asked)) == list(words.approve_buttons)
    approved = await anna.press(asked, words.approve_buttons[0])
    _says(approved, words.approved)
    after = await _version(slack, "C-1004")
    assert (after.approved_by, after.awaiting) == (ANNA, None)

    # contract.sign: Slack vouches for Anna, so the Sign button is the whole signature.
    asked = await anna.say(words.sign)
    _says(asked, words.sign_asks)
    assert button_values(_blocks(asked)) == list(words.sign_buttons)
    signed = await anna.press(asked, words.sign_buttons[0])
    _says(signed, words.signed)
    after = await _version(slack, "C-1003")
    assert (after.signed_by, after.signed_channel, after.awaiting) == (ANNA, "slack", None)
    async with slack.channel.app.engine.connect() as conn:
        events = (await conn.execute(text("SELECT kind, channel FROM contract_events ORDER BY id"))).all()
    assert [tuple(e) for e in events] == [("approved", "slack"), ("signed", "slack")]

    # inventory.show: the items at the site, and only those, with a spreadsheet to download.
    items = await anna.say(words.show)
    assert words.show_not not in _says(items, *words.show_says)
    assert words.spreadsheet in button_values(_blocks(items))

    # inventory.change: the request card, opened with its button, becomes request RQ-…
    prepared = await anna.say(words.change)
    _says(prepared, words.change_card)
    assert button_values(_blocks(prepared)) == list(words.change_buttons)
    opened = await anna.press(prepared, words.change_buttons[0])
    _says(opened, words.opened, "78XYZ34")
    move = await _request(slack, opened)
    assert (move.category, move.related, move.requester_id) == ("inventory", "78XYZ34", ANNA)

    # inventory.question: what the data answers is answered, with no request; what it doesn't becomes one.
    answer = await anna.say(words.answerable)
    assert "RQ-" not in _says(answer, *words.answer_says)
    shown = await anna.say(words.question)
    assert "RQ-" not in _says(shown, "IBM TS4300 Tape Library (78TAP77)")
    assert button_values(_blocks(shown)) == list(words.change_buttons)
    question = await anna.press(shown, words.change_buttons[0])  # a question is a request once confirmed
    _says(question, words.question_says, "IBM TS4300 Tape Library (78TAP77)")
    asked_about = await _request(slack, question)
    assert (asked_about.category, asked_about.related) == ("inventory", "78TAP77")
