"""What an agent sees of the customer whose conversation they serve."""

from __future__ import annotations

import logging
from typing import Any

from supportbot.bot.store import TurnRecord
from supportbot.integrations.models import GuestContact, Principal, Tool
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
    }


async def customer_context(backends: Backends, user_id: str | None) -> dict[str, Any]:
    """The customer's company, grants, recent orders and requests; what a back end cannot give stays empty."""
    if user_id is None:
        return {"user_id": None, "name": None, "company": None, "customer_numbers": [], "grants": []}
    customer = await backends.directory.principal_for(user_id)
    if customer is None:
        return {"user_id": user_id, "name": None, "company": None, "customer_numbers": [], "grants": []}
    context: dict[str, Any] = {
        "user_id": user_id,
        "name": customer.name,
        "email": customer.email,
        "company": customer.company_name,
        "customer_numbers": list(customer.customer_numbers),
        "country": customer.country,
        "grants": sorted(tool.value for tool in customer.grants),
        "orders": [],
        "requests": [],
    }
    principal = serving(customer)
    try:
        page = await backends.orders.search_orders(principal, limit=RECENT)
        context["orders"] = [
            {
                "number": order.number,
                "po_number": order.po_number,
                "status": order.status.value,
                "ordered_at": order.ordered_at.date().isoformat(),
            }
            for order in page.items
        ]
    except Exception:
        log.warning("agents: could not read the orders of %s", user_id, exc_info=True)
    try:
        found = await backends.requests.list_requests(principal, limit=RECENT)
        context["requests"] = [
            {
                "number": r.number,
                "subject": r.subject,
                "status": r.status.value,
                "due_at": r.due_at.isoformat() if r.due_at is not None else None,
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
