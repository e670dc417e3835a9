"""One typed Protocol per back end.

Every method takes the caller's ``Principal`` first. The back end, never the caller, decides what
that principal may see: a record of another company is returned exactly as a record that does not
exist (``None``, or absent from a list). A method of a tool the principal has no grant for raises
``AccessDenied``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from supportbot.integrations.models import (
    Contract,
    CreditNote,
    GuestOrderStatus,
    InventoryItem,
    Invoice,
    InvoiceStatus,
    NewRequest,
    Order,
    OrderStatus,
    OrderSummary,
    Page,
    Principal,
    RequestStatus,
    Site,
    Statement,
    SupportRequest,
)


@runtime_checkable
class DirectoryBackend(Protocol):
    """Users, companies and grants: who someone is and what they may see."""

    async def authenticate(self, user_id: str, password: str) -> Principal | None:
        """The principal when the password is right; ``None`` for a wrong password or unknown user."""
        ...

    async def principal_for(self, user_id: str) -> Principal | None: ...

    async def sites(self, principal: Principal) -> Sequence[Site]: ...

    async def all_site_names(self) -> Sequence[str]:
        """Site names for the NLU's gazetteer; names only, no company attached."""
        ...


@runtime_checkable
class OrdersBackend(Protocol):
    async def get_order(self, principal: Principal, number: str) -> Order | None: ...

    async def find_by_po(self, principal: Principal, po_number: str) -> Sequence[OrderSummary]: ...

    async def latest_order(self, principal: Principal) -> Order | None: ...

    async def search_orders(
        self,
        principal: Principal,
        *,
        statuses: frozenset[OrderStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        site: str | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[OrderSummary]:
        """Newest first; ``has_more`` tells whether another page follows."""
        ...

    def iter_orders(
        self,
        principal: Principal,
        *,
        statuses: frozenset[OrderStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        batch_size: int = 1000,
    ) -> AsyncIterator[OrderSummary]:
        """Every matching order, oldest first, streamed in batches (for reports)."""
        ...

    async def guest_order_status(self, order_number: str, customer_number: str) -> GuestOrderStatus | None:
        """Status for someone not signed in who knows both numbers; ``None`` unless both match."""
        ...


@runtime_checkable
class InvoicesBackend(Protocol):
    async def get_invoice(self, principal: Principal, number: str) -> Invoice | None: ...

    async def invoice_for_order(self, principal: Principal, order_number: str) -> Invoice | None: ...

    async def latest_invoice(self, principal: Principal) -> Invoice | None: ...

    async def list_invoices(
        self,
        principal: Principal,
        *,
        statuses: frozenset[InvoiceStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[Invoice]: ...

    async def get_credit_note(self, principal: Principal, number: str) -> CreditNote | None: ...


@runtime_checkable
class StatementsBackend(Protocol):
    async def statement(
        self, principal: Principal, *, date_from: date | None = None, date_to: date | None = None
    ) -> Statement: ...


@runtime_checkable
class ContractsBackend(Protocol):
    async def get_contract(self, principal: Principal, number: str) -> Contract | None: ...

    async def list_contracts(
        self, principal: Principal, *, active_only: bool = False
    ) -> Sequence[Contract]: ...


@runtime_checkable
class InventoryBackend(Protocol):
    async def list_items(
        self, principal: Principal, *, site: str | None = None
    ) -> Sequence[InventoryItem]: ...

    async def get_item(self, principal: Principal, serial: str) -> InventoryItem | None: ...


@runtime_checkable
class RequestsBackend(Protocol):
    async def create_request(self, principal: Principal, new: NewRequest) -> SupportRequest: ...

    async def get_request(self, principal: Principal, number: str) -> SupportRequest | None: ...

    async def list_requests(
        self, principal: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 20
    ) -> Sequence[SupportRequest]: ...


class Backends:
    """The set of back ends the intents work with; built once by the composition root."""

    def __init__(
        self,
        *,
        directory: DirectoryBackend,
        orders: OrdersBackend,
        invoices: InvoicesBackend,
        statements: StatementsBackend,
        contracts: ContractsBackend,
        inventory: InventoryBackend,
        requests: RequestsBackend,
    ) -> None:
        self.directory = directory
        self.orders = orders
        self.invoices = invoices
        self.statements = statements
        self.contracts = contracts
        self.inventory = inventory
        self.requests = requests
