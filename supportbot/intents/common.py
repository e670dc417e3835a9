"""Pieces several intent families share."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

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


def offer_help_buttons(ctx: TurnContext) -> tuple[Button, ...]:
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
