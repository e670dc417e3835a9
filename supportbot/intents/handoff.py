"""The handoff family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected



AGENT_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="handoff.agent", examples=AGENT_EXAMPLES, handler=not_connected, guest_ok=True,),
]
