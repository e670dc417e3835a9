"""The handoff family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.bot.messages import Reply
from supportbot.bot.spec import TurnContext


AGENT_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


async def handoff_not_connected(ctx: TurnContext) -> Reply:
    """Until agents are connected, say how to reach them rather than pretend."""
    email = str(ctx.extra.get("support_email", ""))
    return Reply(text=ctx.t("handoff.not_connected", email=email), language=ctx.language, intent="handoff.agent")


INTENTS = [
    IntentSpec(name="handoff.agent", examples=AGENT_EXAMPLES, handler=handoff_not_connected, guest_ok=True),
]
