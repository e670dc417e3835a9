"""The account family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected


ACCESS_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

LOGIN_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="account.access", examples=ACCESS_EXAMPLES, handler=not_connected, guest_ok=True),
    IntentSpec(name="account.login", examples=LOGIN_EXAMPLES, handler=not_connected, guest_ok=True),
]
