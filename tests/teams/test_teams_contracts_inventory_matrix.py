"""Every contract and inventory intent in Teams (emulator mode), in English and in Swedish: Anna's
activities in, the Adaptive Cards the connector stand-in received out. One conversation a language
walks the eight intents in turn: status, document, history, approve and sign (each with its card's
button), the hardware at a site, a move opened as a request, and a question the data answers and one
that becomes a request. What the presses did is read back from the database."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from supportbot.adapters.app import Application
from tests.teams.teams_helpers import ANNA, Sent, Teams

ANNA_USER = "anna.berg@nordisk.example"


@dataclass(frozen=True)
class Words:
    """What Anna types and presses in one language, and what the cards must show."""

    lang: str
    status: str
    status_shows: tuple[str, ...]
    document: str
    document_shows: tuple[str, ...]
    pdf_file: str
    history: str
    history_shows: tuple[str, ...]
    approve: str
    approve_button: str
    approved: str
    sign: str
    sign_button: str
    signed: str
    hardware: str
    hardware_shows: tuple[str, ...]
    hardware_lacks: tuple[str, ...]
    move: tuple[str, ...]
    """The message, then the buttons pressed until the request card's own."""
    open_button: str
    moved: str
    moved_item: str
    opened: str
    service_level: str
    service_level_shows: tuple[str, ...]
    question: str
    questioned: str
    foreign: tuple[str, ...]
    """Words of the other language that must not appear anywhere in the conversation."""


ENGLISH = Words(
    lang="en",
    status="status of contract C-1001",
    status_shows=(
        "Contract C-1001",
        "is active",
        "Hardware maintenance",
        "Last day to give notice",
        "Notice period",
        "SEK 96,000.00",
        "78ABC12",
        "78TAP77",
    ),
    document="pdf of contract C-1001",
    document_shows=("Here is contract C-1001, version 2", "Its last page records the signature"),
    pdf_file="C-1001-v2.pdf",
    history="history of contract C-1001",
    history_shows=(
        "The history of contract C-1001, newest first",
        "Signed by Anna Berg on paper",
        "Initial agreement",
    ),
    approve="approve contract C-1004",
    approve_button="Approve",
    approved="Approved. Version 2 of contract C-1004 is approved by Anna Berg on",
    sign="sign contract C-1003",
    sign_button="Sign",
    signed="Signed. Version 2 of contract C-1003 is signed electronically by Anna Berg",
    hardware="what hardware do we have in Kista?",
    hardware_shows=(
        "I found 3 installed items (hardware) at Kista",
        "78ABC12",
        "78TAP77",
        "78PWR09",
        "LAPSED",
        "Download as spreadsheet",
    ),
    hardware_lacks=("78XYZ34",),
    move=("we need to move the FlashSystem to Kista",),
    open_button="Open",
    moved="Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista",
    moved_item="78XYZ34",
    opened="I've opened request RQ-",
    service_level="what's the service level of 78XYZ34?",
    service_level_shows=(
        "Maintenance: next business day",
        "under contract C-1002",
        "Leased from IBM Global Financing",
    ),
    question="I have a question about the tape library",
    questioned="with your question about IBM TS4300 Tape Library (78TAP77)",
    foreign=("Avtal", "avtal", "Godkänn", "Signera", "ärende", "hårdvara"),
)

SWEDISH = Words(
    lang="sv",
    status="status på avtal C-1001",
    status_shows=(
        "Avtal C-1001",
        "är aktivt",
        "Hårdvaruunderhåll",
        "Sista dag för uppsägning",
        "Uppsägningstid",
        "96 000,00 SEK",
        "78ABC12",
        "78TAP77",
    ),
    document="pdf av avtal C-1001 version 1",
    document_shows=(
        "Här är avtal C-1001, version 1",
        "Det är inte den gällande versionen: det är version 2",
        "Sista sidan visar underskriften",
    ),
    pdf_file="C-1001-v1.pdf",
    history="historik för avtal C-1001",
    history_shows=(
        "Historiken för avtal C-1001, nyast först",
        "Signerad av Anna Berg på papper",
        "Händelse",
    ),
    approve="godkänn avtal C-1004",
    approve_button="Godkänn",
    approved="Godkänt. Version 2 av avtal C-1004 är godkänd av Anna Berg den",
    sign="signera avtal C-1003",
    sign_button="Signera",
    signed="Signerat. Version 2 av avtal C-1003 är elektroniskt signerad av Anna Berg",
    hardware="vilken hårdvara har vi i Göteborg",
    hardware_shows=(
        "Jag hittade 2 installerade enheter (hårdvara) i Göteborg",
        "78XYZ34",
        "78GBG21",
        "Ladda ner som kalkylark",
    ),
    hardware_lacks=("78ABC12", "78TAP77"),
    move=("flytta bandbiblioteket", "Göteborg"),
    open_button="Öppna",
    moved="Flytt av IBM TS4300 Tape Library (78TAP77) från Kista till Göteborg",
    moved_item="78TAP77",
    opened="Jag har öppnat ärende RQ-",
    service_level="vilken servicenivå har 78ABC12",
    service_level_shows=("Underhåll: 24x7, 4-hour response", "enligt avtal C-1001", "öppna ett ärende"),
    question="jag har en fråga om bandbiblioteket",
    questioned="med din fråga om IBM TS4300 Tape Library (78TAP77)",
    foreign=("Contract C-", "Approve", "Sign]", "request RQ-", "Maintenance", "hardware)"),
)


def shown(sent: Sent) -> str:
    """What the card shows, with the no-break spaces of Swedish amounts and dates as plain spaces."""
    return sent.shown.replace("\u00a0", " ").replace("\u202f", " ")


def number_in(sent: Sent) -> str:
    found = re.search(r"RQ-\d{4}-\d{6}", sent.shown)
    assert found, sent.shown
    return found.group(0)


async def _contract_version(app: Application, number: str) -> tuple[str | None, ...]:
    async with app.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT v.approved_by, v.signed_by, v.signed_channel, v.awaiting FROM contract_versions v "
                    "JOIN contracts c ON c.id = v.contract_id WHERE c.number = :n AND v.version = 2"
                ),
                {"n": number},
            )
        ).one()
    return tuple(row)


async def _request(app: Application, number: str) -> tuple[str, str | None]:
    async with app.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT category, related FROM requests WHERE number = :n"), {"n": number}
            )
        ).one()
    return row.category, row.related


class Chat:
    """Anna's personal chat: each message or press must be answered with one card in her language."""

    def __init__(self, teams: Teams, words: Words) -> None:
        self.teams, self.words = teams, words
        self.answers: list[Sent] = []

    def _check(self, sent: Sent | None) -> Sent:
        assert sent is not None, "no answer"
        assert sent.card["type"] == "AdaptiveCard" and sent.card["lang"] == self.words.lang, sent.shown
        self.answers.append(sent)
        return sent

    async def say(self, line: str, *shows: str) -> Sent:
        sent = self._check(await self.teams.say(text=line, sender=ANNA))
        for fact in shows:
            assert fact in shown(sent), f"{fact!r} not in the answer to {line!r}:\n{sent.shown}"
        return sent

    async def press(self, card: Sent, title: str, *shows: str) -> Sent:
        (button,) = [b for b in card.buttons() if b["title"] == title]
        sent = self._check(await self.teams.say("card_submit", sender=ANNA, value=button["data"]))
        for fact in shows:
            assert fact in shown(sent), f"{fact!r} not in the answer to [{title}]:\n{sent.shown}"
        return sent


@pytest.mark.parametrize("words", [ENGLISH, SWEDISH], ids=["english", "swedish"])
async def test_every_contract_and_inventory_intent(
    teams: Teams, teams_app: Application, words: Words
) -> None:
    chat = Chat(teams, words)

    # contract.status: the contract's card, its covered items as buttons
    status = await chat.say(words.status, *words.status_shows)
    assert any(b["title"].startswith("78ABC12") for b in status.buttons()), status.shown

    # contract.document: the PDF and the page to print as the card's links
    document = await chat.say(words.document, *words.document_shows)
    links = [a for a in document.card.get("actions", []) if a["type"] == "Action.OpenUrl"]
    assert len(links) == 2, links
    pdf, page = links
    assert pdf["title"].startswith(words.pdf_file) and f"/{words.pdf_file}?" in pdf["url"], pdf
    version = words.pdf_file.removesuffix(".pdf").rsplit("-v", 1)[1]
    assert "/documents/contract/C-1001.html" in page["url"] and f"v={version}" in page["url"], page

    # contract.history
    await chat.say(words.history, *words.history_shows)

    # contract.approve: the card's button approves, and it is recorded
    assert (await _contract_version(teams_app, "C-1004"))[::3] == (None, "approval")
    offer = await chat.say(words.approve, "C-1004", "SHA-256")
    await chat.press(offer, words.approve_button, words.approved)
    approved_by, _, _, awaiting = await _contract_version(teams_app, "C-1004")
    assert (approved_by, awaiting) == (ANNA_USER, None)

    # contract.sign: Teams vouches for Anna, so the button suffices; the channel is recorded
    assert (await _contract_version(teams_app, "C-1003"))[1:] == (None, None, "signature")
    offer = await chat.say(words.sign, "C-1003", "SHA-256")
    assert "password" not in offer.shown and "lösenord" not in offer.shown, "Teams' identity suffices"
    await chat.press(offer, words.sign_button, words.signed, "Microsoft Teams")
    _, signed_by, channel, awaiting = await _contract_version(teams_app, "C-1003")
    assert (signed_by, channel, awaiting) == (ANNA_USER, "teams", None)

    # inventory.show: that site's items only
    hardware = await chat.say(words.hardware, *words.hardware_shows)
    for serial in words.hardware_lacks:
        assert serial not in hardware.shown, f"{serial} is at another site"

    # inventory.change: the request card, then its Open button, and the request is stored
    card = await chat.say(words.move[0])
    for choice in words.move[1:]:
        card = await chat.press(card, choice)
    assert words.moved in card.shown, card.shown
    opened = await chat.press(card, words.open_button, words.opened, words.moved)
    assert await _request(teams_app, number_in(opened)) == ("inventory", words.moved_item)

    # inventory.question: answered from the data (no request), then one that becomes a request
    answered = await chat.say(words.service_level, *words.service_level_shows)
    assert "RQ-" not in answered.shown
    shown = await chat.say(words.question, "IBM TS4300 Tape Library (78TAP77)")
    assert "RQ-" not in shown.shown  # a question is a request once confirmed
    asked = await chat.press(shown, words.open_button, words.opened, words.questioned)
    assert await _request(teams_app, number_in(asked)) == ("inventory", "78TAP77")

    everything = "\n".join(a.shown for a in chat.answers)
    for word in words.foreign:
        assert word not in everything, f"{word!r} in a {words.lang} conversation"
