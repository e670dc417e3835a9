"""Greetings, thanks, help and goodbye: open to guests, answered without a back end."""

from __future__ import annotations

from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import IntentSpec, TurnContext

GREETING_EXAMPLES = {
    "en": [
        "hello",
    ],
    "sv": [
        "hej",
    ],
}

THANKS_EXAMPLES = {
    "en": [
        "thank you",
    ],
    "sv": [
        "tack",
    ],
}

HELP_EXAMPLES = {
    "en": [
        "what can you do",
    ],
    "sv": [
        "vad kan du hjälpa till med",
    ],
}

GOODBYE_EXAMPLES = {
    "en": [
        "bye",
    ],
    "sv": [
        "hej då",
    ],
}


def _starters(ctx: TurnContext) -> tuple[Button, ...]:
    if ctx.principal.is_guest:
        return ()
    keys = ("button.help.order_status", "button.help.order_search", "button.help.order_report")
    return tuple(Button(label=ctx.t(k), value=ctx.t(k)) for k in keys)


async def greeting(ctx: TurnContext) -> Reply:
    first_name = ctx.principal.name.split(" ")[0] if ctx.principal.name else ""
    text = ctx.t("smalltalk.greeting", name=f" {first_name}" if first_name else "")
    return Reply(text=text, buttons=_starters(ctx), language=ctx.language, intent="smalltalk.greeting")


async def thanks(ctx: TurnContext) -> Reply:
    return Reply(text=ctx.t("smalltalk.thanks"), language=ctx.language, intent="smalltalk.thanks")


async def help_(ctx: TurnContext) -> Reply:
    key = "smalltalk.help.guest" if ctx.principal.is_guest else "smalltalk.help"
    return Reply(text=ctx.t(key), buttons=_starters(ctx), language=ctx.language, intent="smalltalk.help")


async def goodbye(ctx: TurnContext) -> Reply:
    ctx.memory.clear()
    return Reply(text=ctx.t("smalltalk.goodbye"), language=ctx.language, intent="smalltalk.goodbye")


INTENTS = [
    IntentSpec(name="smalltalk.greeting", examples=GREETING_EXAMPLES, handler=greeting, guest_ok=True),
    IntentSpec(name="smalltalk.thanks", examples=THANKS_EXAMPLES, handler=thanks, guest_ok=True),
    IntentSpec(name="smalltalk.help", examples=HELP_EXAMPLES, handler=help_, guest_ok=True),
    IntentSpec(name="smalltalk.goodbye", examples=GOODBYE_EXAMPLES, handler=goodbye, guest_ok=True),
]
