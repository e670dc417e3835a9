"""The statements family: declared with its examples; its tool is connected in a later release."""

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

DOWNLOAD_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="statement.show", examples=SHOW_EXAMPLES, handler=not_connected, tool=Tool.STATEMENTS,),
    IntentSpec(name="statement.download", examples=DOWNLOAD_EXAMPLES, handler=not_connected, tool=Tool.STATEMENTS,),
]
