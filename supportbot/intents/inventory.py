"""The inventory family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected
from supportbot.integrations.models import Tool


SHOW_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

CHANGE_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

QUESTION_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="inventory.show", examples=SHOW_EXAMPLES, handler=not_connected, tool=Tool.INVENTORY,),
    IntentSpec(name="inventory.change", examples=CHANGE_EXAMPLES, handler=not_connected, tool=Tool.INVENTORY,),
    IntentSpec(name="inventory.question", examples=QUESTION_EXAMPLES, handler=not_connected, tool=Tool.INVENTORY,),
]
