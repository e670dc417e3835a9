"""Pieces several intent families share."""

from __future__ import annotations

from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import TurnContext


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
