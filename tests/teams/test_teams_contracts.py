"""A contract's card in Teams, through the real server in the emulator mode: the activity in, the
Adaptive Card the stand-in of the connector received out, and a covered item's button acting like
typed text that asks the inventory tool."""

from __future__ import annotations

import json

from supportbot.adapters.app import Application
from tests.teams.teams_helpers import ANNA, Teams


async def test_the_contract_card_in_personal_chat(teams: Teams, teams_app: Application) -> None:
    sent = await teams.say(text="what is the status of contract C-1001", sender=ANNA)
    assert sent is not None
    card = json.dumps(sent.card, ensure_ascii=False)
    for fact in ("Contract C-1001", "Hardware maintenance", "Notice period", "30 days", "Last day to give notice",
                 "Manual: a new version must be agreed", "24x7, 4-hour response", "78ABC12", "78TAP77",
                 "/documents/contract/C-1001.pdf"):  # fmt: skip
        assert fact in card, f"{fact!r} not on the card:\n{card}"
    assert "hardware_maintenance" not in card
    pressed = [b for b in sent.buttons() if b["data"].get("text") == "show item 78ABC12"]
    assert pressed, sent.shown
    answer = await teams.say("card_submit", sender=ANNA, value=pressed[0]["data"])
    assert answer is not None
    history = await teams_app.pipeline.history("teams:a:1personal-chat-anna")
    assert history[-2].text == "show item 78ABC12" and history[-2].payload == {"button": True}
    assert "Contract C-1001" not in answer.shown, "the item's question goes to the inventory tool"


async def test_the_history_in_swedish(teams: Teams) -> None:
    sent = await teams.say(text="historik för avtal C-1001", sender=ANNA)
    assert sent is not None
    assert "Historiken för avtal C-1001" in sent.shown
    assert "Signerad av Anna Berg på papper" in sent.shown
