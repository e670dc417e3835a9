"""What the NLU returns for one utterance."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

NONE_INTENT = "none"

# Entity types the extractors produce (``Entity.type``) and the shape of ``Entity.value``:
#   order_number     "4711"                      (digits, 3 to 10 of them)
#   po_number        "NV-PO-889"                 (as written, upper-cased)
#   invoice_number   "INV-2031"
#   credit_number    "CN-0107"
#   contract_number  "C-1001"
#   request_number   "RQ-2026-000123"
#   customer_number  "1000123"                   (7 digits after "customer number"/"kundnummer")
#   date_range       {"start": "2026-10-01", "end": "2026-10-31"}   (ISO dates, inclusive)
#   date             "2026-05-01"
#   amount           {"value": "125000.00", "currency": "SEK" | None}
#   site             "Göteborg"                  (the canonical site name, fuzzy matched)
#   order_status     "shipped" | "delivered" | "in_production" | "open" | "unshipped" | ...
#   reference        "latest" | "other" | "first" … "fifth" | "last" | "it" | "marked"
#   about            "order" | "invoice" | "contract" | "item" | "request"   (a record pointed at by kind: "that order")
#   email            "someone@example.com"
#   access_request_number  "AR-000012"
#   tool             "invoices" | "contracts" | ... (a ``Tool`` value) | "all"   (only where access is talked about)
ENTITY_TYPES = (
    "order_number",
    "po_number",
    "invoice_number",
    "credit_number",
    "contract_number",
    "request_number",
    "customer_number",
    "date_range",
    "date",
    "amount",
    "site",
    "order_status",
    "reference",
    "about",
    "email",
    "access_request_number",
    "tool",
)


class Entity(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    value: Any
    text: str
    start: int
    end: int


class Parse(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    language: str = "en"

    def first(self, entity_type: str) -> Entity | None:
        return next((e for e in self.entities if e.type == entity_type), None)

    def values(self, entity_type: str) -> list[Any]:
        return [e.value for e in self.entities if e.type == entity_type]

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 3),
            "entities": [e.model_dump() for e in self.entities],
            "language": self.language,
        }
