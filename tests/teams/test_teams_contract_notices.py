"""Contract notices in Teams: a user the bot has met in Teams gets each notice once as a proactive message
in their personal chat, in their language, with a button that acts."""

from __future__ import annotations

from supportbot.adapters.app import Application
from tests.teams.teams_helpers import ANNA, Teams


async def test_contract_notices_reach_the_personal_chat_proactively(
    teams: Teams, teams_app: Application
) -> None:
    await teams.say(text="hej", sender=ANNA)
    before = len(teams.connector.activities())
    assert teams_app.contract_notices is not None

    done = await teams_app.contract_notices.run_once()
    assert done.sent == 5

    sent = teams.connector.activities()[before:]
    assert len(sent) == 3, "Anna's three notices; Max and Lena are not known in Teams"
    assert {s.conversation_id for s in sent} == {"a:1personal-chat-anna"}
    shown = " ".join(s.shown for s in sent)
    assert "Avtal C-1001" in shown and "löper ut om 25 dagar" in shown
    assert "väntar på er underskrift" in shown and "väntar på ert godkännande" in shown
    values = [button["data"] for s in sent for button in s.buttons()]
    assert any("signera avtal C-1003" in str(value) for value in values), values
    assert any("godkänn avtal C-1004" in str(value) for value in values), values

    assert (await teams_app.contract_notices.run_once()).sent == 0
    assert len(teams.connector.activities()) == before + 3
