"""Every contract and inventory intent in the web chat, in English and in Swedish, in real headless
Chromium against the real server: Anna asks about a contract's status, fetches its PDF, reads its
history, approves one version and signs another (her password asked once more in a password field),
lists the hardware of a site, moves an item and asks a question about one; each a request (confirmed) with its
tracking number. Every language gets a freshly seeded server of its own, so both approve and sign."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # pragma: no cover - a test dependency, but say so rather than fail
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from tests.browser import LiveServer
from tests.web.test_webchat_browser import ANNA, chromium, last_bot, open_chat, page, sign_in

pytestmark = pytest.mark.browser

__all__ = ["chromium", "page"]  # the widget's own fixtures; ``live_server`` is this module's own


@dataclass(frozen=True)
class Script:
    """One language's messages, the buttons pressed and the words its replies must show."""

    language: str
    message_box: str  # the widget speaks the conversation's language, its message box too
    status: str
    status_shows: tuple[str, ...]
    document: str
    document_shows: tuple[str, ...]
    history: str
    history_shows: tuple[str, ...]
    approve: str
    approve_button: str
    approved: str
    sign: str
    sign_button: str
    password_form: str
    password_label: str
    signed: str
    hardware: str
    hardware_shows: tuple[str, ...]
    hardware_serials: tuple[str, ...]
    move: tuple[
        tuple[str, str, str], ...
    ]  # (say, press or card: the words, the reply's button or its card's; shown)
    moved_item: str
    opened: str
    question: str
    question_item: str
    never: tuple[str, ...]  # words of the other language that must not show


ENGLISH = Script(
    language="en",
    message_box="Your message",
    status="status of contract C-1001",
    status_shows=("Contract C-1001", "Hardware maintenance", "Notice period", "SEK 96,000.00", "78ABC12"),
    document="pdf of contract C-1001",
    document_shows=("C-1001-v2.pdf",),
    history="history of contract C-1001",
    history_shows=("newest first", "2 versions", "Signed by Anna Berg on paper"),
    approve="approve contract C-1004",
    approve_button="Approve",
    approved="Approved. Version 2 of contract C-1004 is approved by Anna Berg",
    sign="sign contract C-1003",
    sign_button="Sign",
    password_form="Confirm your signature",
    password_label="Your password",
    signed="Signed. Version 2 of contract C-1003 is signed electronically",
    hardware="what hardware do we have in Kista?",
    hardware_shows=("3 installed items (hardware) at Kista", "Maintenance has LAPSED on 78PWR09"),
    hardware_serials=("78ABC12", "78TAP77", "78PWR09"),
    move=(
        (
            "say",
            "we need to move the FlashSystem to Kista",
            "Move IBM FlashSystem 5200 (78XYZ34) from Göteborg",
        ),
        ("card", "Open", "I've opened request RQ-"),
    ),
    moved_item="78XYZ34",
    opened="I've opened request RQ-",
    question="I have a question about the tape library",
    question_item="your question about IBM TS4300 Tape Library (78TAP77)",
    never=("Avtal ", "ärende", "hårdvara"),
)

SWEDISH = Script(
    language="sv",
    message_box="Ditt meddelande",
    status="status på avtal C-1001",
    status_shows=("Avtal C-1001", "Uppsägningstid", "96 000,00 SEK", "78ABC12"),
    document="pdf av avtal C-1001 version 1",
    document_shows=("version 1", "inte den gällande versionen", "C-1001-v1.pdf"),
    history="historik för avtal C-1001",
    history_shows=("nyast först", "2 versioner"),
    approve="godkänn avtal C-1004",
    approve_button="Godkänn",
    approved="Godkänt. Version 2 av avtal C-1004 är godkänd av Anna Berg",
    sign="signera avtal C-1003",
    sign_button="Signera",
    password_form="Bekräfta din underskrift",
    password_label="Ditt lösenord",
    signed="Signerat. Version 2 av avtal C-1003 är elektroniskt signerad av Anna Berg",
    hardware="vilken hårdvara har vi i Göteborg",
    hardware_shows=("2 installerade enheter (hårdvara) i Göteborg",),
    hardware_serials=("78XYZ34", "78GBG21"),
    move=(
        ("say", "flytta bandbiblioteket", "Vart ska IBM TS4300 Tape Library (78TAP77) flyttas?"),
        ("press", "Göteborg", "Flytt av IBM TS4300 Tape Library (78TAP77) från Kista till Göteborg"),
        ("card", "Öppna", "Jag har öppnat ärende RQ-"),
    ),
    moved_item="78TAP77",
    opened="Jag har öppnat ärende RQ-",
    question="jag har en fråga om bandbiblioteket",
    question_item="din fråga om IBM TS4300 Tape Library (78TAP77)",
    never=("Contract ", "request RQ-", "hardware"),
)


@pytest.fixture(scope="module", params=[ENGLISH, SWEDISH], ids=lambda s: s.language)
def script(request: pytest.FixtureRequest) -> Script:
    assert isinstance(request.param, Script)
    return request.param


@pytest.fixture(scope="module")
def live_server(
    script: Script, tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> Iterator[LiveServer]:
    """A freshly seeded server for each language: both conversations approve and sign."""
    data_dir = tmp_path_factory.mktemp(f"webchat-matrix-{script.language}")
    shutil.copy(seeded_template, data_dir / "supportbot.sqlite3")
    server = LiveServer(data_dir).start()
    yield server
    server.stop()


def query(live_server: LiveServer, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(live_server.settings.data_dir / "supportbot.sqlite3") as conn:
        return list(conn.execute(sql, params))


def version(live_server: LiveServer, number: str) -> tuple[object, ...]:
    """Who approved and who signed version 2 of a contract, through which channel, and what waits."""
    ((row),) = query(
        live_server,
        "SELECT v.approved_by, v.signed_by, v.signed_channel, v.awaiting FROM contract_versions v "
        "JOIN contracts c ON c.id = v.contract_id WHERE c.number = ? AND v.version = 2",
        number,
    )
    return tuple(row)


def request_row(live_server: LiveServer, reply: Locator) -> tuple[object, ...]:
    """The stored request whose tracking number the reply gives: its category, item, requester, company."""
    found = re.search(r"RQ-[0-9A-Z-]*[0-9A-Z]", reply.inner_text())
    assert found, reply.inner_text()
    ((row),) = query(
        live_server,
        "SELECT r.category, r.related, r.requester_id, c.name FROM requests r "
        "JOIN companies c ON c.id = r.company_id WHERE r.number = ?",
        found.group(0),
    )
    return tuple(row)


def press(page: Page, reply: Locator, label: str) -> Locator:
    """Press a button of a reply; the bot's answer to it."""
    bots_before = page.locator(".sbw-from-bot").count()
    reply.get_by_role("button", name=label, exact=True).first.click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    return last_bot(page)


def ask(page: Page, script: Script, text: str, *shows: str) -> Locator:
    """Type a message, send it with Enter; the bot's answer, showing these words and none of the other
    language's."""
    bots_before = page.locator(".sbw-from-bot").count()
    box = page.get_by_role("textbox", name=re.compile(f"^({script.message_box}|Your message)$"))
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(page.locator(".sbw-pending")).to_have_count(0)
    reply = last_bot(page)
    for words in shows:
        expect(reply).to_contain_text(words)
    for words in script.never:
        expect(reply).not_to_contain_text(words)
    return reply


def test_every_contract_and_inventory_intent_in_one_conversation(
    page: Page, live_server: LiveServer, script: Script
) -> None:
    open_chat(page)
    sign_in(page, ANNA)

    # contract.status: the contract's card, its PDF link and the machines it covers as buttons.
    card = ask(page, script, script.status, *script.status_shows).locator(".sbw-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_contain_text("C-1001")
    expect(card.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"/documents/contract/C-1001\.pdf\?")
    )
    expect(card.get_by_role("button", name=re.compile("78TAP77"))).to_be_visible()

    # contract.document: a PDF the signed-in owner downloads.
    reply = ask(page, script, script.document, *script.document_shows)
    pdf = reply.locator("a.sbw-file", has_text=re.compile(r"C-1001-v\d\.pdf"))
    expect(pdf).to_have_count(1)
    href = pdf.get_attribute("href")
    assert href is not None
    download = page.request.get(href)
    assert download.status == 200 and download.body().startswith(b"%PDF")

    # contract.history: both versions in a table, newest first, each version's PDF linked.
    reply = ask(page, script, script.history, *script.history_shows)
    expect(reply.locator(".sbw-table tbody tr").first).to_contain_text("Anna Berg")
    expect(reply.locator("a.sbw-file")).to_have_count(2)

    # contract.approve: the button approves, and the approval is recorded as hers.
    assert version(live_server, "C-1004")[0] is None
    offer = ask(page, script, script.approve, "C-1004")
    expect(press(page, offer, script.approve_button)).to_contain_text(script.approved)
    assert version(live_server, "C-1004")[0] == ANNA and version(live_server, "C-1004")[3] is None

    # contract.sign: the button asks for her password once more, in a password field; then signed.
    offer = ask(page, script, script.sign, "C-1003")
    asked = press(page, offer, script.sign_button)
    form = asked.get_by_role("form", name=script.password_form)
    password = form.get_by_label(script.password_label)
    expect(password).to_have_attribute("type", "password")
    assert version(live_server, "C-1003")[1] is None  # nothing signed before the password
    bots_before = page.locator(".sbw-from-bot").count()
    password.fill("demo")
    form.get_by_role("button", name=script.sign_button).click()
    expect(page.locator(".sbw-from-bot")).to_have_count(bots_before + 1)
    expect(last_bot(page)).to_contain_text(script.signed)
    assert version(live_server, "C-1003")[1:] == (ANNA, "web", None)

    # inventory.show: the site's items in a table, and only that site's.
    table = ask(page, script, script.hardware, *script.hardware_shows).locator(".sbw-table")
    expect(table.locator("tbody tr")).to_have_count(len(script.hardware_serials))
    for serial in script.hardware_serials:
        expect(table).to_contain_text(serial)

    # inventory.change: the request card, confirmed, becomes a request with a tracking number.
    reply = last_bot(page)
    for kind, what, shows in script.move:
        if kind == "card":  # the request card, shown before it is opened
            expect(reply.locator(".sbw-card").get_by_role("button", name=what, exact=True)).to_be_visible()
        reply = ask(page, script, what) if kind == "say" else press(page, reply, what)
        expect(reply).to_contain_text(shows)
    category, item, requester, company = request_row(live_server, reply)
    assert (category, item, requester) == ("inventory", script.moved_item, ANNA) and "Nordisk" in str(company)

    # inventory.question: a question the data cannot answer is shown as a request about the item, and
    # becomes one with its Open button.
    shown = ask(page, script, script.question, script.question_item)
    expect(shown).not_to_contain_text("RQ-")
    open_label = next(what for kind, what, _ in script.move if kind == "card")
    reply = press(page, shown, open_label)
    expect(reply).to_contain_text(script.opened)
    expect(reply).to_contain_text(script.question_item)
    expect(page.get_by_role("textbox", name=script.message_box)).to_be_visible()
    category, item, requester, company = request_row(live_server, reply)
    assert (category, item, requester) == ("inventory", "78TAP77", ANNA) and "Nordisk" in str(company)
