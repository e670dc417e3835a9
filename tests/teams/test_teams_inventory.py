"""Installed equipment in Teams (emulator mode): the items as an Adaptive Card in Swedish with lapsed
maintenance flagged, and a question about an item that becomes a request with the card's button."""

from __future__ import annotations

from tests.teams.teams_helpers import ANNA, ERIK, Teams


async def test_inventory_in_swedish_and_a_change_from_the_items_card(teams: Teams) -> None:
    sent = await teams.say(text="vilken hårdvara har vi i Kista", sender=ANNA)
    assert sent is not None
    assert sent.card["type"] == "AdaptiveCard"
    for fact in ("78ABC12", "78PWR09", "UPPHÖRDE", "hårdvara", "Ladda ner som kalkylark"):
        assert fact in sent.shown, fact
    assert "hardware" not in sent.shown

    item = await teams.say(text="visa enhet 78TAP77", sender=ANNA)
    assert item is not None and "IBM TS4300 Tape Library" in item.shown
    (change,) = [b for b in item.buttons() if b["title"] == "Begär en ändring"]
    asked = await teams.say("card_submit", sender=ANNA, value=change["data"])
    assert asked is not None
    assert "Vad ska vi göra med IBM TS4300 Tape Library (78TAP77)?" in asked.shown
    (deinstall,) = [b for b in asked.buttons() if b["title"] == "Avinstallera"]
    confirm = await teams.say("card_submit", sender=ANNA, value=deinstall["data"])
    assert (
        confirm is not None and "Avinstallation av IBM TS4300 Tape Library (78TAP77) i Kista" in confirm.shown
    )
    (send,) = [b for b in confirm.buttons() if b["title"] == "Öppna"]
    opened = await teams.say("card_submit", sender=ANNA, value=send["data"])
    assert opened is not None and "Jag har öppnat ärende RQ-" in opened.shown


async def test_erik_is_told_which_access_he_lacks(teams: Teams) -> None:
    sent = await teams.say(text="what hardware do we have in Kista?", sender=ERIK)
    assert sent is not None
    assert "access to installed equipment" in sent.shown and "78ABC12" not in sent.shown
