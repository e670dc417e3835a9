"""The typed conversation state: a document as stored before it had a version loads into it, what is
stored is compact and loads back the same, and a family's context is typed and kept apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from supportbot.bot.state import DialogState, FamilyContext, SlotValue
from supportbot.intents.common import ListingContext
from supportbot.intents.requests import RequestContext

UNTYPED: dict[str, Any] = {
    # As the release before stored it after: a refused request form, "show my shipped orders", "status of
    # order 4711", "status of order 4712", "show my invoices", "show my account statement", and "add a
    # comment to my request" with a file, which asked which request.
    "memory": {
        "last_intent": "request.comment",
        "request_form_draft": {
            "at": "2026-12-03T07:55:00.195528+00:00",
            "values": {
                "category": "technical",
                "subject": "Fan noise",
                "description": "",
                "priority": "normal",
            },
        },
        "search": {
            "filters": {
                "statuses": ["shipped"],
                "status_words": ["shipped"],
                "start": None,
                "end": None,
                "site": None,
            },
            "offset": 0,
        },
        "shown": {"order": ["4711"], "invoice": ["INV-2031", "INV-2030", "INV-2032", "INV-2018", "INV-2011"]},
        "current": {"order": {"type": "order_number", "value": "4712"}},
        "recent": {
            "order": [{"type": "order_number", "value": "4711"}, {"type": "order_number", "value": "4712"}]
        },
        "invoice_list": {"filters": {"statuses": [], "words": [], "start": None, "end": None}, "offset": 0},
        "statement": {
            "filters": {
                "start": None,
                "end": None,
                "overdue": False,
                "open": False,
                "largest": False,
                "kinds": [],
            },
            "offset": 0,
        },
    },
    "misses": 0,
    "pending": {
        "intent": "request.comment",
        "slots": {"uploads": {"type": "uploads", "value": ["BwfRac87q3olOjFmXph_QvEH"]}},
        "asking": "request",
    },
}


def test_an_untyped_document_loads_with_every_part_in_its_place() -> None:
    state = DialogState.load(UNTYPED)
    assert state.version == 1
    assert state.pending is not None
    assert (state.pending.intent, state.pending.asking) == ("request.comment", "request")
    assert state.pending.slots == {} and state.pending.files == ["BwfRac87q3olOjFmXph_QvEH"]
    assert state.misses == 0 and state.last_intent == "request.comment" and state.handoff is None
    assert state.topic.current == {"order": SlotValue("order_number", "4712")}
    assert state.topic.recent["order"] == [
        SlotValue("order_number", "4711"),
        SlotValue("order_number", "4712"),
    ]
    assert state.topic.shown["invoice"][0] == "INV-2031"
    orders = state.family("order", ListingContext).listing
    assert orders is not None and orders.filters["statuses"] == ["shipped"] and orders.offset == 0
    invoices = state.family("invoice", ListingContext).listing
    assert invoices is not None and invoices.filters["words"] == []
    statement = state.family("statement", ListingContext).listing
    assert statement is not None and statement.filters["largest"] is False
    draft = state.family("request", RequestContext).draft
    assert draft is not None and draft.at == datetime(2026, 12, 3, 7, 55, 0, 195528, tzinfo=UTC)
    assert draft.values["subject"] == "Fan noise"


def test_an_untyped_handoff_marker_and_pending_slots_load() -> None:
    state = DialogState.load(
        {
            "memory": {"handoff": "HO-000007"},
            "misses": 2,
            "pending": {
                "intent": "order.status",
                "slots": {
                    "period": {"type": "date_range", "value": {"start": "2026-11-01", "end": "2026-11-30"}}
                },
                "asking": "order",
            },
        }
    )
    assert state.handoff == "HO-000007" and state.misses == 2
    assert state.pending is not None
    assert state.pending.slots["period"] == SlotValue(
        "date_range", {"start": "2026-11-01", "end": "2026-11-30"}
    )


def test_the_stored_document_is_compact_and_loads_back_the_same() -> None:
    assert DialogState().dump() == {"version": 1}
    state = DialogState.load(UNTYPED)
    document = state.dump()
    assert document["version"] == 1 and "memory" not in document and "misses" not in document
    assert document["families"]["order"]["listing"] == UNTYPED["memory"]["search"]  # as stored, unread
    again = DialogState.load(document)
    assert again == state and again.dump() == document


class _Seen(FamilyContext):
    numbers: list[str] = Field(default_factory=list)


def test_the_stored_document_leaves_out_exactly_what_is_as_new() -> None:
    state = DialogState()
    state.begin_turn()
    state.set_current("order", "order_number", "4711")
    state.set_current("invoice", "invoice_number", "INV-2031")
    state.last_intent, state.misses = "order.status", 1
    expected = state.model_dump(mode="json", exclude_defaults=True, exclude={"families"}) | {"version": 1}
    assert state.dump() == expected and "linked" in expected["topic"]
    state.forget()
    assert "topic" not in state.dump() and state.dump() == {
        "version": 1,
        "last_intent": "order.status",
        "misses": 1,
    }


def test_a_family_context_is_typed_kept_under_its_name_and_dropped_when_empty() -> None:
    state = DialogState()
    state.family("order", _Seen).numbers.append("4711")
    document = state.dump()
    assert document["families"] == {"order": {"numbers": ["4711"]}}
    loaded = DialogState.load(document)
    assert loaded.family("order", _Seen).numbers == ["4711"]
    loaded.family("order", _Seen).numbers.clear()
    assert "families" not in loaded.dump()


def test_a_family_context_that_no_longer_fits_starts_afresh() -> None:
    state = DialogState.load({"version": 1, "families": {"order": {"numbers": "not a list"}}})
    assert state.family("order", _Seen).numbers == []


def test_forgetting_keeps_only_what_the_engine_needs_next() -> None:
    state = DialogState.load(UNTYPED)
    state.handoff = "HO-000001"
    state.forget()
    assert state.topic.current == {} and state.handoff is None
    assert state.family("order", ListingContext).listing is None
    assert state.pending is not None  # the engine decides about the question, not forgetting


def test_what_sets_a_listed_record_apart_is_kept_with_the_list_and_goes_with_it() -> None:
    state = DialogState()
    state.set_shown("invoice", ["INV-2031", "INV-2030"], [("awaiting_approval", "unpaid"), ("paid",)])
    document = state.dump()
    assert document["topic"]["marks"] == {
        "invoice": {"INV-2031": ["awaiting_approval", "unpaid"], "INV-2030": ["paid"]}
    }
    again = DialogState.load(document)
    assert again.topic.marks == state.topic.marks
    again.set_shown("invoice", ["INV-2018"])  # a list shown without marks: the old ones no longer hold
    assert "marks" not in again.dump()["topic"]
