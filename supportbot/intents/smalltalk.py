"""Greetings, thanks, help and goodbye: open to guests, answered without a back end."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec

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

INTENTS = [
    IntentSpec(name="smalltalk.greeting", examples=GREETING_EXAMPLES, guest_ok=True),
    IntentSpec(name="smalltalk.thanks", examples=THANKS_EXAMPLES, guest_ok=True),
    IntentSpec(name="smalltalk.help", examples=HELP_EXAMPLES, guest_ok=True),
    IntentSpec(name="smalltalk.goodbye", examples=GOODBYE_EXAMPLES, guest_ok=True),
]
