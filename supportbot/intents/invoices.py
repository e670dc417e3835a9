"""The invoices family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec
from supportbot.intents.common import not_connected
from supportbot.integrations.models import Tool


GET_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

LIST_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}

FORWARD_EXAMPLES = {
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

QUESTION_EXAMPLES = {
    "en": [
    ],
    "sv": [
    ],
}


INTENTS = [
    IntentSpec(name="invoice.get", examples=GET_EXAMPLES, handler=not_connected, tool=Tool.INVOICES,),
    IntentSpec(name="invoice.list", examples=LIST_EXAMPLES, handler=not_connected, tool=Tool.INVOICES,),
    IntentSpec(name="invoice.forward", examples=FORWARD_EXAMPLES, handler=not_connected, tool=Tool.INVOICES,),
    IntentSpec(name="invoice.approve", examples=APPROVE_EXAMPLES, handler=not_connected, tool=Tool.INVOICES,),
    IntentSpec(name="invoice.question", examples=QUESTION_EXAMPLES, handler=not_connected, tool=Tool.INVOICES,),
]
