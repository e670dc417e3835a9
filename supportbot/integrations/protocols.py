"""One typed Protocol per back end.

Every method takes the caller's ``Principal`` first. The back end, never the caller, decides what
that principal may see: a record of another company is returned exactly as a record that does not
exist (``None``, or absent from a list). A method of a tool the principal has no grant for raises
``AccessDenied``.

A method that writes for a user's action takes an optional ``Action`` (``integrations.actions``): the
back end records its key in the same transaction as the write and answers a repeated key with the
first outcome, writing nothing, and queues the action's mail with the write, so that one either
happens whole or not at all.

Where a method counts from "today" (a delayed order, an overdue invoice, an expired contract, one
ending within days), that is the principal's own date, ``Principal.today``, not the server's: at
23:30 UTC it is already tomorrow for a customer in Stockholm.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Protocol, TypeVar, cast, runtime_checkable

from supportbot.integrations.actions import Action
from supportbot.integrations.models import (
    AccessOutcome,
    AccessRequest,
    ApprovalOutcome,
    CompanyUser,
    Contract,
    ContractDocument,
    ContractHistory,
    ContractPage,
    ContractStatus,
    ContractStepOutcome,
    CoveredItems,
    CreditNote,
    ForwardDelivery,
    GuestContact,
    GuestOrderStatus,
    InventoryItem,
    Invoice,
    InvoiceEvent,
    InvoiceStatus,
    ItemPage,
    NewRequest,
    Order,
    OrderStatus,
    OrderSummary,
    Page,
    Principal,
    RequestDetail,
    RequestDocumentData,
    RequestStatus,
    RequestSummary,
    Site,
    Statement,
    StatementOrder,
    SupportRequest,
    Tool,
)


@runtime_checkable
class DirectoryBackend(Protocol):
    """Users, companies and grants: who someone is and what they may see."""

    async def authenticate(self, user_id: str, password: str) -> Principal | None:
        """The principal when the password is right; ``None`` for a wrong password or unknown user."""
        ...

    async def principal_for(self, user_id: str) -> Principal | None: ...

    async def users_with_grant(self, tool: Tool) -> Sequence[str]:
        """Every active user of a customer company holding ``tool``, company by company: for work the
        system does of itself (a scheduled notice), which then reads as each user, with their principal."""
        ...

    async def sites(self, principal: Principal) -> Sequence[Site]: ...

    async def all_site_names(self) -> Sequence[str]:
        """Site names for the NLU's gazetteer; names only, no company attached."""
        ...

    async def company_by_customer_number(self, customer_number: str) -> str | None:
        """The company's name, for registration; ``None`` when no company has that customer number."""
        ...

    async def register_user(
        self, *, user_id: str, name: str, customer_number: str, password: str
    ) -> Principal | None:
        """A new ``user`` of that company with no grants and an unconfirmed e-mail.

        ``None`` when the user id (the e-mail address) is taken; the password is hashed either way, so
        both answers take as long. Raises ``InvalidRequest`` for an unknown customer number.
        """
        ...

    async def confirm_email(self, user_id: str) -> bool:
        """Marks the user's e-mail confirmed (once; later calls keep the first time); ``False`` if unknown."""
        ...

    async def credential_stamp(self, user_id: str) -> str | None:
        """An opaque value that changes whenever the user's password does (never the hash itself), so a
        reset link or a web session made under one password dies with it; ``None`` for an unknown or
        inactive user."""
        ...

    async def set_password(self, user_id: str, password: str, *, stamp: str) -> bool:
        """Replaces the password (hashed with scrypt) only while ``stamp`` is still the user's current
        one, so a reset link works once even when it is sent twice at the same moment; ``False``, and
        nothing changed, otherwise."""
        ...

    async def linked_user(self, channel: str, external_id: str) -> str | None:
        """The user id linked to a channel's id for a person, if any."""
        ...

    async def linked_ids(self, user_id: str, channel: str) -> Sequence[str]:
        """The channel's ids linked to this user (to reach them there), oldest link first."""
        ...

    async def link_identity(
        self, channel: str, external_id: str, *, email: str, matched_by: str
    ) -> str | None:
        """Links the channel's person to the active user with this e-mail (case-insensitive) and
        returns the user id; ``None`` (and nothing stored) when no user has it."""
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
        delayed: bool = False,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[OrderSummary]:
        """One page of the orders matching every filter given; ``has_more`` tells whether another
        follows. Newest order first; ``date_from`` and ``date_to`` bound the order date (whole days
        of the user's time zone, ``Principal.zone``: the days the order dates are shown in; both ends
        included).

        ``delayed``: only the orders still on their way (received, confirmed, in production or
        shipped; ``statuses`` narrows these) whose expected delivery date is before the principal's
        today (``Principal.today``), the longest overdue first: earliest expected date first."""
        ...

    def iter_orders(
        self,
        principal: Principal,
        *,
        statuses: frozenset[OrderStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        delayed: bool = False,
        batch_size: int = 1000,
    ) -> AsyncIterator[OrderSummary]:
        """Every matching order, oldest first, streamed in batches (for reports); ``delayed`` as
        ``search_orders`` has it."""
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
        due_from: date | None = None,
        due_to: date | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[Invoice]:
        """A page of the company's invoices of ``statuses`` (any if none), issued ``date_from`` to
        ``date_to`` and falling due ``due_from`` to ``due_to`` (both ends included): newest first by
        issue date, or, when a due date bounds them, the soonest due first."""
        ...

    async def get_credit_note(self, principal: Principal, number: str) -> CreditNote | None: ...

    async def approve_invoice(
        self, principal: Principal, number: str, *, action: Action[ApprovalOutcome] | None = None
    ) -> ApprovalOutcome | None:
        """Approves an invoice awaiting approval, recording who and when; approving again changes
        nothing (``changed`` False); ``None`` when the company has no such invoice."""
        ...

    async def record_forward(
        self,
        principal: Principal,
        number: str,
        to: str,
        *,
        queued: bool = False,
        action: Action[str] | None = None,
    ) -> str | None:
        """Records in the invoice's history that it was e-mailed to ``to``: the record's reference, or
        ``None`` if no such invoice. ``queued``: the mail waits in an outbox, and the record says so
        until ``forward_delivered`` tells how its delivery ended; otherwise it was sent."""
        ...

    async def forward_delivered(self, reference: str, *, sent: bool, at: datetime) -> ForwardDelivery | None:
        """The queued mail of a forward was accepted by the mail server (``sent``) or given up on.

        Called by the mail outbox, on no one's behalf: it changes that record's delivery and nothing
        else. It tells who forwarded which invoice to whom (so they can be told of a failure) only
        when a queued forward of that reference was there; a repeated report gets ``None``."""
        ...

    async def withdraw_forward(self, principal: Principal, reference: str) -> bool:
        """Removes a queued forward the principal recorded whose mail could not even be queued."""
        ...

    async def invoice_history(self, principal: Principal, number: str) -> Sequence[InvoiceEvent]:
        """What was done to the invoice (approved, forwarded), oldest first; empty if no such invoice."""
        ...


@runtime_checkable
class StatementsBackend(Protocol):
    async def statement(
        self, principal: Principal, *, date_from: date | None = None, date_to: date | None = None
    ) -> Statement: ...

    async def statement_page(
        self,
        principal: Principal,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        kinds: frozenset[str] = frozenset(),
        open_only: bool = False,
        overdue_only: bool = False,
        order: StatementOrder = StatementOrder.NEWEST,
        offset: int = 0,
        limit: int = 10,
    ) -> Statement:
        """Balance and overdue as ``statement``, with one page of the period's items in ``order``
        (newest first, largest amount first, or oldest due date first); ``has_more`` tells whether
        more match. Reads a page, not the period."""
        ...


@runtime_checkable
class ContractsBackend(Protocol):
    async def get_contract(self, principal: Principal, number: str) -> Contract | None: ...

    async def list_contracts(
        self, principal: Principal, *, active_only: bool = False
    ) -> Sequence[Contract]: ...

    async def approve(
        self,
        principal: Principal,
        number: str,
        version: int | None = None,
        *,
        channel: str | None = None,
        action: Action[None] | None = None,
    ) -> ContractStepOutcome | None:
        """Approves the version awaiting approval (``version``, or the one there is), recording who, when
        and the version's hash; approving again writes nothing (``ALREADY``). ``None`` when the company
        has no such contract."""
        ...

    async def sign(
        self,
        principal: Principal,
        number: str,
        version: int,
        sha256: str,
        channel: str,
        *,
        action: Action[None] | None = None,
    ) -> ContractStepOutcome | None:
        """Signs ``version`` only while it is the current version awaiting signature and only if
        ``sha256``, the hash the signer was shown, is its hash; records who, when, through which
        channel. Signing again writes nothing (``ALREADY``). ``None`` when the company has no such
        contract."""
        ...

    async def search_contracts(
        self,
        principal: Principal,
        *,
        kinds: Collection[str] = (),
        statuses: Collection[ContractStatus] = (),
        site: str | None = None,
        awaiting: Collection[str] = (),
        ending_within: int | None = None,
        after: str | None = None,
        limit: int = 10,
    ) -> ContractPage:
        """Soonest end first, a page at a time (``after``: the previous page's ``after``); every filter
        given must hold. ``statuses`` as the customer sees them; ``awaiting`` "approval"/"signature"."""
        ...

    async def covered_items(self, principal: Principal, number: str, *, limit: int = 10) -> CoveredItems:
        """The first items the contract covers and how many in all; none for a contract not theirs."""
        ...

    async def contract_history(self, principal: Principal, number: str) -> ContractHistory | None: ...

    async def contract_document(
        self, principal: Principal, number: str, version: int | None = None
    ) -> ContractDocument | None:
        """A version (the current one unless ``version``) with its text."""
        ...

    async def record_forward(
        self,
        principal: Principal,
        number: str,
        version: int,
        to: str,
        *,
        channel: str | None = None,
        action: Action[str] | None = None,
    ) -> str | None:
        """Records that the version was sent to ``to``, queuing the action's mail with it; the record's
        reference, ``None`` for a contract that is not theirs or a version it does not have."""
        ...


@runtime_checkable
class InventoryBackend(Protocol):
    """The hardware and software installed at a company's sites."""

    async def list_items(self, principal: Principal, *, site: str | None = None) -> Sequence[InventoryItem]:
        """Every item (of one site), by site, product and serial: for small installations only; a
        chat turn pages with ``search_items``."""
        ...

    async def get_item(self, principal: Principal, serial: str) -> InventoryItem | None: ...

    async def search_items(
        self,
        principal: Principal,
        *,
        site: str | None = None,
        kind: str | None = None,
        products: Collection[str] = (),
        contract: str | None = None,
        uncovered_on: date | None = None,
        leased: bool = False,
        after: tuple[str, str] | None = None,
        limit: int = 10,
    ) -> ItemPage:
        """The items matching every filter given, by product then serial, starting after the
        (product, serial) ``after`` (keyset paging: a page far on costs what the first does).

        ``site`` is a site's name, ``kind`` "hardware" or "software", ``products`` exact product names
        (see ``product_names``), ``contract`` a contract number, ``uncovered_on`` a day on which the
        items have no maintenance in force (none at all, or ended before that day), ``leased`` only the
        items on a lease. An unknown site or contract, like another company's, matches nothing."""
        ...

    async def count_items(
        self,
        principal: Principal,
        *,
        site: str | None = None,
        kind: str | None = None,
        products: Collection[str] = (),
        contract: str | None = None,
        uncovered_on: date | None = None,
        leased: bool = False,
    ) -> int:
        """How many items ``search_items`` would list with these filters."""
        ...

    async def product_names(self, principal: Principal) -> Sequence[str]:
        """The company's distinct product names, sorted: what words like "the FlashSystem" are matched
        against before searching by product."""
        ...


@runtime_checkable
class RequestsBackend(Protocol):
    async def create_request(
        self, principal: Principal, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        """Opens a request (its subject kept on one line); ``action`` as in this module's docstring."""
        ...

    async def create_guest_request(
        self, guest: GuestContact, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        """Opens a web chat guest's request: of no company and no user, with the name, address and
        customer number they stated, none of it verified. It reads nothing, so it needs no principal;
        only agents see it (the work list), never a customer."""
        ...

    async def get_request(self, principal: Principal, number: str) -> SupportRequest | None: ...

    async def list_requests(
        self, principal: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 20
    ) -> Sequence[SupportRequest]: ...

    async def add_comment(
        self,
        principal: Principal,
        number: str,
        text: str,
        *,
        action: Action[SupportRequest] | None = None,
    ) -> SupportRequest | None:
        """The customer's comment on a request they may see; ``None`` when there is no such request."""
        ...

    async def add_document(
        self,
        principal: Principal,
        number: str,
        *,
        name: str,
        content_type: str,
        data: bytes,
        action: Action[SupportRequest] | None = None,
    ) -> SupportRequest | None:
        """A document on a request the customer may see, kept with its SHA-256; ``InvalidRequest`` when
        its size or type is refused (``integrations.documents``), ``None`` when there is no such request."""
        ...

    async def answer_request(self, agent: Principal, number: str, text: str) -> SupportRequest | None:
        """A support agent's answer (any company's request); ``None`` for an unknown number."""
        ...

    # What follows is for support agents only, across every company (they serve all customers);
    # anyone else gets ``AccessDenied`` before anything is read.

    async def work_list(
        self, agent: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 50
    ) -> Sequence[RequestSummary]:
        """Requests not closed (or only those of ``statuses``; ``CLOSED`` is ``InvalidRequest``): first
        those waiting for support (open, in progress), then the rest; each group oldest due first."""
        ...

    async def request_for_agent(self, agent: Principal, number: str) -> RequestDetail | None:
        """One request with its history and its documents listed (not their bytes); ``None`` if unknown."""
        ...

    async def document_for_agent(
        self, agent: Principal, number: str, document_id: str
    ) -> RequestDocumentData | None:
        """One document of that request with its bytes; ``None`` unless both the request and the
        document exist and belong together."""
        ...

    async def close_request(self, agent: Principal, number: str, resolution: str) -> SupportRequest | None:
        """Closes the request with a resolution ("closed" in its history); a closed one stays as it was.
        ``None`` for an unknown number."""
        ...


@runtime_checkable
class AccessBackend(Protocol):
    """Requests for tools and the grants an administrator decides; the directory says who holds what.

    Administrators act only within their own company: another company's request or user is
    exactly as missing as one that does not exist. A non-administrator gets ``NotAdministrator``.
    """

    async def request_access(
        self,
        principal: Principal,
        tools: Collection[Tool],
        *,
        language: str = "en",
        action: Action[AccessOutcome] | None = None,
    ) -> AccessOutcome:
        """Records a pending request; a pending one already covering these tools is returned unchanged."""
        ...

    async def get_access_request(self, principal: Principal, number: str) -> AccessRequest | None:
        """The requester's own request, or any of the company's for its administrator."""
        ...

    async def pending_for_admin(self, admin: Principal) -> Sequence[AccessRequest]:
        """The company's undecided requests, oldest first."""
        ...

    async def decide(self, admin: Principal, number: str, *, approve: bool) -> AccessOutcome | None:
        """Approves (granting the tools) or denies; deciding again changes nothing (``changed`` False)."""
        ...

    async def list_grants(self, admin: Principal) -> Sequence[CompanyUser]:
        """The company's active users and their tools, by name."""
        ...

    async def revoke(self, admin: Principal, user_id: str, tool: Tool) -> bool:
        """Takes a tool from a user of the company; ``False`` when there was nothing to take."""
        ...

    async def company_admins(self, principal: Principal) -> Sequence[CompanyUser]:
        """The active administrators of the principal's company (none for a guest)."""
        ...


B = TypeVar("B")


@dataclass(frozen=True)
class BackendKey(Generic[B]):
    """Names a back end added by an intent family outside the built-in set, and the Protocol it has.

    The family declares one (``WARRANTY: BackendKey[WarrantyBackend] = BackendKey("warranty")``),
    the composition root adds the implementation under it (``Backends.extend``) and the family's
    handlers get it back, typed, with ``Backends.extension``.
    """

    name: str


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
        access: AccessBackend,
    ) -> None:
        self.directory = directory
        self.orders = orders
        self.invoices = invoices
        self.statements = statements
        self.contracts = contracts
        self.inventory = inventory
        self.requests = requests
        self.access = access
        self._extensions: dict[str, object] = {}

    def extend(self, key: BackendKey[B], backend: B) -> None:
        """Adds a family's own back end; a name added twice fails, at start-up."""
        if key.name in self._extensions:
            raise ValueError(f"back end {key.name!r} is added twice")
        self._extensions[key.name] = backend

    def extension(self, key: BackendKey[B]) -> B:
        """The back end added under ``key``; a family used without its back end fails loudly here."""
        try:
            return cast(B, self._extensions[key.name])
        except KeyError:
            raise LookupError(f"no back end {key.name!r} was added") from None
