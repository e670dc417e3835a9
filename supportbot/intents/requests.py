"""The requests family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected
from supportbot.integrations.models import Tool


OPEN_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

STATUS_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

COMMENT_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="request.open", examples=OPEN_EXAMPLES, handler=not_connected, tool=Tool.REQUESTS,),
    IntentSpec(name="request.status", examples=STATUS_EXAMPLES, handler=not_connected, tool=Tool.REQUESTS,),
    IntentSpec(name="request.comment", examples=COMMENT_EXAMPLES, handler=not_connected, tool=Tool.REQUESTS,),
]
