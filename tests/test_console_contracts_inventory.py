"""The contracts and inventory tools in the terminal console (`supportbot chat`): plain text, buttons
chosen by their number, in English and Swedish, through the real pipeline on the demo data."""

from __future__ import annotations

import io
from pathlib import Path

from supportbot.adapters.app import build_application
from supportbot.adapters.console import ConsoleChannel
from tests.conftest import make_settings

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"


class Terminal(io.StringIO):
    """Typed lines, as from a person at a terminal: the console prompts and marks its answers."""

    def isatty(self) -> bool:
        return True


async def chat(data_dir: Path, user: str, *lines: str) -> list[str]:
    """The console's answers, one a line typed."""
    app = await build_application(make_settings(data_dir))
    try:
        out = io.StringIO()
        console = ConsoleChannel(app.pipeline, json_mode=False)
        assert await console.run(user_id=user, stdin=Terminal("".join(f"{line}\n" for line in lines)),
                                 stdout=out) == 0  # fmt: skip
    finally:
        await app.close()
    answers = [a.split("you> ")[0].strip() for a in out.getvalue().split("bot> ")[1:]]
    assert len(answers) == len(lines), out.getvalue()
    return answers


async def test_anna_follows_a_contract_from_its_card_to_her_signature_in_english(data_dir: Path) -> None:
    status, history, sign_offer, signed = await chat(
        data_dir, ANNA, "status of contract C-1003", "history of contract C-1003", "sign contract C-1003", "1"
    )
    assert "C-1003" in status and "Services: managed backup" in status
    assert "signature" in status.lower()  # what waits for her
    assert "services" in status.lower() and "awaiting_signature" not in status
    assert "Amendment 1" in history and "Initial agreement" in history
    assert "version 2" in sign_offer.lower() and "1) Sign" in sign_offer
    assert "Signed" in signed and "Anna Berg" in signed


async def test_anna_asks_about_her_contracts_and_machines_in_swedish(data_dir: Path) -> None:
    contracts, item, hardware = await chat(
        data_dir,
        ANNA,
        "vilka avtal går ut inom 70 dagar",
        "visa serienummer 78PWR09",
        "vilken hårdvara har vi i Kista",
    )
    assert "C-1001" in contracts and "C-1003" in contracts and "C-2001" not in contracts
    assert "IBM Power S914" in item and "78PWR09" in item
    assert "UPPHÖRDE" in item.upper()  # its maintenance lapsed, said in Swedish
    assert "78ABC12" in hardware and "78TAP77" in hardware and "78XYZ34" not in hardware  # Göteborg's


async def test_a_move_becomes_a_request_with_a_tracking_number(data_dir: Path) -> None:
    answers = await chat(data_dir, ANNA, "we need to move the FlashSystem to Kista", "1")
    prepared, opened = answers[0], answers[-1]
    assert "78XYZ34" in prepared and "Kista" in prepared and "Göteborg" in prepared
    assert "RQ-" in opened


async def test_another_company_s_contract_and_machine_are_not_there_for_max(data_dir: Path) -> None:
    foreign_contract, missing_contract, foreign_item, missing_item = await chat(
        data_dir,
        MAX,
        "status of contract C-1001",
        "status of contract C-9999",
        "show item 78ABC12",
        "show item 78QQQ99",
    )
    assert foreign_contract.replace("C-1001", "C-9999") == missing_contract
    assert foreign_item.replace("78ABC12", "78QQQ99") == missing_item


async def test_every_contract_and_inventory_intent_in_swedish(data_dir: Path) -> None:
    pdf, history, approve_offer, approved, sign_offer, signed, move, opened, asked, question = await chat(
        data_dir, ANNA,
        "pdf av avtal C-1001", "historik för avtal C-1001", "godkänn avtal C-1004", "1", "signera avtal C-1003", "1",
        "vi behöver flytta FlashSystem till Kista", "1", "jag har en fråga om bandbiblioteket", "1",
    )  # fmt: skip
    assert "C-1001-v2.pdf" in pdf and "/documents/contract/C-1001.html" in pdf and "skriva ut" in pdf
    assert "Signerad av Anna Berg på papper" in history and "nyast först" in history
    assert "väntar på ert godkännande" in approve_offer and "1) Godkänn" in approve_offer
    assert "Godkänt" in approved and "Anna Berg" in approved and "SHA-256" in approved
    assert "Vill du signera?" in sign_offer and "1) Signera" in sign_offer
    assert "Signerat" in signed and "via konsolen" in signed
    assert (
        "Flytt av IBM FlashSystem 5200 (78XYZ34) från Göteborg till Kista" in move and "Utrustning" in move
    )  # the category, in words
    assert "Jag har öppnat ärende RQ-" in opened and "Flytt av IBM FlashSystem 5200" in opened
    assert "Ska jag skicka den?" in asked and "1) Öppna" in asked and "RQ-" not in asked
    assert "Jag har öppnat ärende RQ-" in question and "IBM TS4300 Tape Library (78TAP77)" in question


async def test_every_contract_and_inventory_intent_in_english(data_dir: Path) -> None:
    pdf, approve_offer, approved, hardware, level, asked, question = await chat(
        data_dir, ANNA,
        "I need a pdf of contract C-1001 version 1", "approve contract C-1004", "1",
        "what hardware do we have in Kista?", "what's the service level of 78XYZ34?",
        "I have a question about the tape library", "1",
    )  # fmt: skip
    assert "C-1001-v1.pdf" in pdf and "version 1" in pdf
    assert "1) Approve" in approve_offer and "C-1004" in approve_offer
    assert "Approved" in approved and "Anna Berg" in approved
    assert "78ABC12" in hardware and "78PWR09" in hardware and "78XYZ34" not in hardware
    assert "78XYZ34" in level and "next business day" in level.lower()
    assert "Shall I send it?" in asked and "1) Open" in asked and "RQ-" not in asked
    assert "RQ-" in question and "78TAP77" in question
