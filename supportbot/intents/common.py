"""Pieces several intent families share."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Reply
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
    "tool.not_connected": {
        "en": "I understand what you're asking, but that tool isn't connected to me yet. "
        "I can open a support request for it, or put you in touch with a person.",
        "sv": "Jag förstår vad du frågar efter, men det verktyget är inte kopplat till mig ännu. "
        "Jag kan öppna ett ärende om det, eller koppla dig till en person.",
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
"""Sentences several families say (a tool not connected yet, links that expire, asking for a period)."""
words(WORDS)


def offer_help_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    """A request or a person, offered where the bot could not help: a request opened next starts with
    what the customer asked (``TurnContext.fell_short``)."""
    ctx.fell_short()
    return (
        Button(label=ctx.t("button.open_request"), value=ctx.t("button.open_request.value")),
        Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value")),
    )


async def not_connected(ctx: TurnContext) -> Reply:
    """An intent whose tool is not connected yet says so honestly and offers a request or a person."""
    return Reply(
        text=ctx.t("tool.not_connected"),
        buttons=offer_help_buttons(ctx),
        language=ctx.language,
        intent=ctx.parse.intent,
    )


def found_text(ctx: TurnContext, key: str, filters: str, offset: int, shown: int, has_more: bool) -> str:
    """The line above a page of found records: how many there are when they all fit on the first page
    ("I found 1 order", ``key.all``), else which of them this page shows ("11–20", or "number 21")."""
    if offset == 0 and not has_more:
        return ctx.t(f"{key}.all", count=shown, filters=filters)
    return ctx.t(key, count=shown, first=offset + 1, last=offset + shown, filters=filters)
