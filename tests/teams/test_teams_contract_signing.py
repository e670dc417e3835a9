"""Signing a contract in Microsoft Teams (emulator mode): Teams vouches for who the user is, so the
card with the version's full SHA-256 and a press of "Sign" sign it, recorded with the channel "teams";
the same card submitted again signs nothing more."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from supportbot.adapters.app import Application
from tests.teams.teams_helpers import ANNA, Teams

ANNA_USER = "anna.berg@nordisk.example"


async def _version(app: Application) -> Any:
    async with app.engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT v.sha256, v.signed_by, v.signed_name, v.signed_channel, v.awaiting "
                    "FROM contract_versions v JOIN contracts c ON c.id = v.contract_id "
                    "WHERE c.number = 'C-1003' AND v.version = 2"
                )
            )
        ).one()


async def test_anna_signs_with_the_card_button_and_teams_is_recorded(
    teams: Teams, teams_app: Application
) -> None:
    before = await _version(teams_app)
    offer = await teams.say(text="sign contract C-1003", sender=ANNA)
    assert offer is not None
    assert before.sha256 in offer.shown and "Amendment 1: Göteborg added" in offer.shown
    assert "password" not in offer.shown  # Teams' identity suffices
    sign = next(b for b in offer.buttons() if b["title"] == "Sign")
    assert sign["data"]["text"] == "yes, sign"

    done = await teams.say("card_submit", sender=ANNA, value=sign["data"])
    assert done is not None
    assert "Signed. Version 2 of contract C-1003 is signed electronically by Anna Berg" in done.shown
    assert "through Microsoft Teams" in done.shown
    after = await _version(teams_app)
    assert (after.signed_by, after.signed_name, after.signed_channel, after.awaiting) == (
        ANNA_USER,
        "Anna Berg",
        "teams",
        None,
    )

    await teams.say("card_submit", sender=ANNA, value=sign["data"])  # the card pressed again
    assert await _version(teams_app) == after
    async with teams_app.engine.connect() as conn:
        events = (await conn.execute(text("SELECT kind, channel FROM contract_events"))).all()
    assert [tuple(e) for e in events] == [("signed", "teams")]
