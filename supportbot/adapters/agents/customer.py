"""What an agent sees of the customer whose conversation they serve."""

from __future__ import annotations

import logging
from typing import Any

from supportbot.bot.i18n import Formatter
from supportbot.bot.store import TurnRecord
from supportbot.integrations.models import GuestContact, Principal, RequestStatus, Tool
from supportbot.integrations.protocols import Backends

log = logging.getLogger(__name__)

RECENT = 5


def serving(customer: Principal) -> Principal:
    """The customer's principal as an agent uses it while serving them: the same company, and every
    tool, because an agent may see what the customer's company has with us in order to help. This is
    the one place an agent reaches a customer's data; the back end still filters by that company."""
    return customer.model_copy(update={"grants": frozenset(Tool)})


def guest_context(guest: GuestContact) -> dict[str, Any]:
    """A web chat guest as agents see them: what they stated, marked as not verified, and nothing else.
    No company, grants, orders or requests: a stated customer number is shown as stated and opens
    nothing, since anyone can type anyone's."""
    return {
        "user_id": None,
        "guest": True,
        "verified": False,
        "name": guest.name,
        "email": guest.email,
        "stated_customer_number": guest.customer_number,
        "company": None,
        "customer_numbers": [],
        "grants": [],
        "orders": [],
        "requests": [],
        "invoices": [],
    }


def _empty(user_id: str | None) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "name": None,
        "company": None,
        "customer_numbers": [],
        "grants": [],
        "grant_labels": [],
        "orders": [],
        "invoices": [],
        "requests": [],
    }


def _request_status(status: RequestStatus, words: Formatter) -> str:
    """A request's status as an agent reads it: "waiting for the customer", not the customer's "for you"."""
    if status is RequestStatus.WAITING_FOR_CUSTOMER:
        return "väntar på kunden" if words.language == "sv" else "waiting for the customer"
    return words.t(f"request.status.{status.value}")


async def customer_context(
    backends: Backends, user_id: str | None, *, language: str = "en", tz: str = "Europe/Stockholm"
) -> dict[str, Any]:
    """The customer's company, grants, recent orders, invoices and requests, each value also as the
    agent reads it (``*_label``, dates and amounts formatted in the agent's ``language``, times in
    ``tz``); what a back end cannot give stays empty."""
    if user_id is None:
        return _empty(None)
    customer = await backends.directory.principal_for(user_id)
    if customer is None:
        return _empty(user_id)
    words = Formatter(language, tz=tz)
    grants = sorted(customer.grants, key=lambda tool: tool.value)
    context: dict[str, Any] = {
        **_empty(user_id),
        "name": customer.name,
        "email": customer.email,
        "company": customer.company_name,
        "customer_numbers": list(customer.customer_numbers),
        "country": customer.country,
        "grants": [tool.value for tool in grants],
        "grant_labels": [words.t(f"tool.{tool.value}") for tool in grants],
    }
    principal = serving(customer)
    try:
        page = await backends.orders.search_orders(principal, limit=RECENT)
        context["orders"] = [
            {
                "number": order.number,
                "po_number": order.po_number,
                "status": order.status.value,
                "status_label": words.t(f"order.status.{order.status.value}"),
                "ordered_at": order.ordered_at.date().isoformat(),
                "ordered_label": words.date(order.ordered_at),
                "expected_label": words.date(order.expected_delivery) if order.expected_delivery else None,
                "total_label": words.money(order.total),
                "site": order.site,
            }
            for order in page.items
        ]
    except Exception:
        log.warning("agents: could not read the orders of %s", user_id, exc_info=True)
    try:
        invoices = await backends.invoices.list_invoices(principal, limit=RECENT)
        context["invoices"] = [
            {
                "number": invoice.number,
                "status": invoice.status.value,
                "status_label": words.t(f"invoice.status.{invoice.status.value}"),
                "issued_label": words.date(invoice.issued_on),
                "due_label": words.date(invoice.due_on),
                "total_label": words.money(invoice.total),
                "open_label": words.money(invoice.open_amount) if invoice.open_amount.minor else None,
                "order_number": invoice.order_number,
            }
            for invoice in invoices.items
        ]
    except Exception:
        log.warning("agents: could not read the invoices of %s", user_id, exc_info=True)
    try:
        found = await backends.requests.list_requests(principal, limit=RECENT)
        context["requests"] = [
            {
                "number": r.number,
                "subject": r.subject,
                "status": r.status.value,
                "status_label": _request_status(r.status, words),
                "due_at": r.due_at.isoformat() if r.due_at is not None else None,
                "due_label": words.datetime(r.due_at) if r.due_at is not None else None,
            }
            for r in found
        ]
    except Exception:
        log.warning("agents: could not read the requests of %s", user_id, exc_info=True)
    return context


def transcript_json(turns: list[TurnRecord]) -> list[dict[str, Any]]:
    items = []
    for turn in turns:
        if turn.role not in {"user", "bot", "agent"} or not turn.text:
            continue
        item: dict[str, Any] = {"role": turn.role, "text": turn.text, "at": _iso(turn)}
        if turn.role == "agent":
            item["agent"] = str((turn.payload or {}).get("agent") or "")
        files = (turn.payload or {}).get("files") if turn.role == "user" else None
        if isinstance(files, list) and files:
            item["files"] = [_file_json(f) for f in files if isinstance(f, dict)]
        items.append(item)
    return items


def _file_json(entry: dict[str, Any]) -> dict[str, Any]:
    """A file the customer sent: its name and size, and the id agents open it by when it was kept."""
    shown: dict[str, Any] = {"name": str(entry.get("name") or ""), "size": entry.get("size")}
    if entry.get("id"):
        shown["id"] = str(entry["id"])
    return shown


def _iso(turn: TurnRecord) -> str | None:
    return turn.at.isoformat() if turn.at is not None else None
