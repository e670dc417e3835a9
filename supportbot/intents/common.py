"""Pieces several intent families share."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button
from supportbot.bot.spec import TurnContext
from supportbot.bot.state import FamilyContext


class Listing(BaseModel):
    """A list shown page by page: what it was filtered by and where the page shown starts ("more")."""

    filters: dict[str, Any]
    offset: int = 0


class ListingContext(FamilyContext):
    """The context of a family that lists records: the listing shown last."""

    listing: Listing | None = None


# --- words ----------------------------------------------------------------------------------------

WORDS: dict[str, Entry] = {
    "download.links": {
        "plural": "minutes",
        "en": {
            "one": " The links work for {minutes} minute.",
            "other": " The links work for {minutes} minutes.",
        },
        "sv": {
            "one": " Länkarna fungerar i {minutes} minut.",
            "other": " Länkarna fungerar i {minutes} minuter.",
        },
    },
    "request.open.not_saved": {
        "en": "Sorry, I couldn't open your request just now, so nothing was saved. "
        "Please send it again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, jag kunde inte öppna ditt ärende just nu, så inget har sparats. "
        "Skicka det igen om en stund, eller be att få prata med en person.",
    },
    "order.ask_period": {
        "en": 'Which period should the report cover? For example "last month", "this year" or "since 1 May".',
        "sv": 'Vilken period ska rapporten gälla? Till exempel "förra månaden", "i år" eller "sedan 1 maj".',
    },
}
"""Sentences several families say (links that expire, a request not saved, asking for a period)."""
words(WORDS)


def offer_help_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    """A request or a person, offered where the bot could not help: a request opened next starts with
    what the customer asked (``TurnContext.fell_short``)."""
    ctx.fell_short()
    return (
        Button(label=ctx.t("button.open_request"), value=ctx.t("button.open_request.value")),
        Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value")),
    )


def found_text(ctx: TurnContext, key: str, filters: str, offset: int, shown: int, has_more: bool) -> str:
    """The line above a page of found records: how many there are when they all fit on the first page
    ("I found 1 order", ``key.all``), else which of them this page shows ("11–20", or "number 21")."""
    if offset == 0 and not has_more:
        return ctx.t(f"{key}.all", count=shown, filters=filters)
    return ctx.t(key, count=shown, first=offset + 1, last=offset + shown, filters=filters)
