"""Orders: status by number, PO or "my latest", search by status and period, and reports."""

from __future__ import annotations

from supportbot.bot.spec import IntentSpec, Slot
from supportbot.integrations.models import Tool

# --- examples (the NLU's training data for this family) -------------------------------------------

STATUS_EXAMPLES = {
    "en": [
        "where is my order",
        "what is the status of order 4711",
    ],
    "sv": [
        "var är min order",
        "vad är status på order 4711",
    ],
}

SEARCH_EXAMPLES = {
    "en": [
        "show my orders from last month",
    ],
    "sv": [
        "visa mina ordrar från förra månaden",
    ],
}

REPORT_EXAMPLES = {
    "en": [
        "download a spreadsheet of my orders",
    ],
    "sv": [
        "ladda ner ett kalkylark med mina ordrar",
    ],
}

# --- handlers -------------------------------------------------------------------------------------


INTENTS = [
    IntentSpec(
        name="order.status",
        examples=STATUS_EXAMPLES,
        tool=Tool.ORDERS,
        slots=(Slot(name="order", entities=("order_number", "po_number", "reference"), question="order.ask_number"),),
    ),
    IntentSpec(name="order.search", examples=SEARCH_EXAMPLES, tool=Tool.ORDERS),
    IntentSpec(name="order.report", examples=REPORT_EXAMPLES, tool=Tool.ORDERS),
]
