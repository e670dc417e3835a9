"""The contracts family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected
from supportbot.integrations.models import Tool


STATUS_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

DOCUMENT_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

HISTORY_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

APPROVE_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

SIGN_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="contract.status", examples=STATUS_EXAMPLES, handler=not_connected, tool=Tool.CONTRACTS,),
    IntentSpec(name="contract.document", examples=DOCUMENT_EXAMPLES, handler=not_connected, tool=Tool.CONTRACTS,),
    IntentSpec(name="contract.history", examples=HISTORY_EXAMPLES, handler=not_connected, tool=Tool.CONTRACTS,),
    IntentSpec(name="contract.approve", examples=APPROVE_EXAMPLES, handler=not_connected, tool=Tool.CONTRACTS,),
    IntentSpec(name="contract.sign", examples=SIGN_EXAMPLES, handler=not_connected, tool=Tool.CONTRACTS,),
]
