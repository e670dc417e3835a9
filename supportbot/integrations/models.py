"""Shared, immutable models the back ends return and the core passes around.

Amounts are integers of minor units (öre, cent) so that every figure adds up exactly;
``Money`` turns them into ``Decimal`` where something needs to compute or format.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict

from supportbot.integrations.business_days import country_timezone


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


F = TypeVar("F", bound=BaseModel)
_new = object.__new__
_set = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
"""``BaseModel``'s own slots, set as ``object.__setattr__`` sets them, without looking them up by name."""
_FIELD_COUNTS: dict[type[BaseModel], int] = {}
"""A model's number of fields when it is made of them alone (``trusted``'s short way), else -1."""


def trusted(model: type[F], /, **values: Any) -> F:
    """``model`` of values already of its fields' types, every field given: what ``model_construct``
    makes (nothing validated) without its look-ups field by field, which cost more than the rest of
    building a back end's answer or a reply. With a field left out (or private attributes, or a
    ``model_post_init``), it is ``model_construct`` itself, which fills in the defaults."""
    count = _FIELD_COUNTS.get(model)
    if count is None:
        count = _FIELD_COUNTS[model] = _field_count(model)
    if len(values) != count:
        return model.model_construct(**values)
    made = _new(model)
    _set(made, "__dict__", values)
    _set_fields_set(made, set(values))
    _set_extra(made, None)
    _set_private(made, None)
    return made


def _field_count(model: type[BaseModel]) -> int:
    plain = not (
        model.__private_attributes__
        or model.__pydantic_post_init__
        or model.__pydantic_root_model__
        or model.model_config.get("extra") == "allow"
    )
    return len(model.__pydantic_fields__) if plain else -1


class Tool(StrEnum):
    """A back-end tool a company administrator grants per user."""

    ORDERS = "orders"
    INVOICES = "invoices"
    STATEMENTS = "statements"
    CONTRACTS = "contracts"
    INVENTORY = "inventory"
    REQUESTS = "requests"


class Role(StrEnum):
    GUEST = "guest"
    USER = "user"
    COMPANY_ADMIN = "company_admin"
    AGENT = "agent"
    SUPPORT_ADMIN = "support_admin"
    """A support agent who also manages the support team: canned replies, the dashboard."""


class VerifiedBy(StrEnum):
    """How we know an e-mail address belongs to the person using it."""

    DIRECTORY = "directory"  # the vendor put them in its customer records
    EMAIL = "email"  # they registered and opened the link mailed to the address
    SLACK = "slack"  # their Slack workspace vouched for the address (a confirmed e-mail)
    TEAMS = "teams"  # their Microsoft Teams organisation vouched for it (the sign-in name)


class Verification(Frozen):
    """What an administrator is told before granting anything: how the address was verified, and when."""

    by: VerifiedBy
    at: datetime | None = None


class Principal(Frozen):
    """Who is asking: every back-end call carries one, and the back end filters by it."""

    user_id: str | None = None
    name: str = ""
    email: str | None = None
    phone: str | None = None
    company_id: int | None = None
    company_name: str | None = None
    customer_numbers: tuple[str, ...] = ()
    country: str | None = None
    currency: str | None = None
    role: Role = Role.GUEST
    grants: frozenset[Tool] = frozenset()
    locale: str = "en"
    verification: Verification | None = None
    """``None`` for a guest and for a registration whose address is not confirmed yet: such a person
    may ask for no access and is granted none, whatever else a principal says."""
    time_zone: str | None = None
    """The user's own time zone when their channel tells it (an IANA name it checked, as the web chat
    sends the browser's); ``None``: their company's country's."""

    @classmethod
    def guest(cls) -> Principal:
        return cls()

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def is_agent(self) -> bool:
        """A support agent (a support administrator is one too): serves every company's customers."""
        return self.user_id is not None and self.role in (Role.AGENT, Role.SUPPORT_ADMIN)

    @property
    def is_support_admin(self) -> bool:
        return self.user_id is not None and self.role is Role.SUPPORT_ADMIN

    def may(self, tool: Tool) -> bool:
        return tool in self.grants

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the user's day is in: their own where known, else their company's country's."""
        if self.time_zone:
            try:
                return ZoneInfo(self.time_zone)
            except (ValueError, ZoneInfoNotFoundError):
                pass  # a name no zone database here knows: the country's day, as without one
        return country_timezone(self.country)

    def today(self, now: datetime) -> date:
        """The user's own date at ``now``: what "today", "overdue" and "ends in 3 days" are counted
        from, by every back end alike. At 23:30 UTC it is already tomorrow in Stockholm."""
        return now.astimezone(self.zone).date()

    def in_zone(self, time_zone: str | None) -> Principal:
        """This principal in the time zone the user's channel told (``None``: as it is)."""
        if not time_zone or time_zone == self.time_zone:
            return self
        return self.model_copy(update={"time_zone": time_zone})


class Money(Frozen):
    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        return minor_units_amount(self.minor)


_CENT = Decimal("0.01")


def minor_units_amount(minor: int) -> Decimal:
    """An amount in minor units (öre, cent) as the ``Decimal`` of its whole units, to the cent."""
    return (Decimal(minor) / 100).quantize(_CENT)


class Site(Frozen):
    id: int
    name: str
    city: str
    country: str


class OrderStatus(StrEnum):
    """An order's way from entry to delivery, in order."""

    RECEIVED = "received"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Carrier(StrEnum):
    POSTNORD = "postnord"
    DHL = "dhl"
    UPS = "ups"
    FEDEX = "fedex"
    DB_SCHENKER = "dbschenker"


class OrderLine(Frozen):
    line_no: int
    product_code: str
    description: str
    quantity: int
    unit_price: Money
    total: Money


class Shipment(Frozen):
    carrier: Carrier
    tracking_number: str
    tracking_url: str
    shipped_at: datetime | None = None
    expected_at: date | None = None
    delivered_at: datetime | None = None


class OrderSummary(Frozen):
    """What lists and reports show of an order; no lines, no shipments."""

    number: str
    po_number: str | None = None
    status: OrderStatus
    ordered_at: datetime
    expected_delivery: date | None = None
    delivered_at: datetime | None = None
    total: Money
    site: str | None = None
    customer_number: str


class Order(OrderSummary):
    """An order with its lines and shipments, for the one the customer asked about."""

    lines: tuple[OrderLine, ...] = ()
    shipments: tuple[Shipment, ...] = ()
    history: tuple[OrderEvent, ...] = ()


class OrderEvent(Frozen):
    status: OrderStatus
    at: datetime


class GuestOrderStatus(Frozen):
    """All a guest may learn: the status and the expected date, nothing else."""

    number: str
    status: OrderStatus
    expected_delivery: date | None = None
    delivered_at: datetime | None = None


T = TypeVar("T")


class Page(Frozen, Generic[T]):
    items: tuple[T, ...]
    offset: int
    limit: int
    has_more: bool


class InvoiceStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"
    CANCELLED = "cancelled"


class InvoiceLine(Frozen):
    line_no: int
    description: str
    quantity: int
    unit_price: Money
    vat_rate: Decimal
    net: Money
    vat: Money


class Invoice(Frozen):
    number: str
    customer_number: str
    order_number: str | None = None
    issued_on: date
    due_on: date
    status: InvoiceStatus
    net: Money
    vat: Money
    total: Money
    paid: Money
    approved_by: str | None = None
    approved_at: datetime | None = None
    lines: tuple[InvoiceLine, ...] = ()

    @property
    def open_amount(self) -> Money:
        return Money(minor=self.total.minor - self.paid.minor, currency=self.total.currency)


class InvoiceEvent(Frozen):
    """Something done to an invoice: approved, forwarded by e-mail, questioned."""

    at: datetime
    kind: str  # "approved" | "forwarded" | "questioned"
    actor: str
    detail: str = ""
    reference: str | None = None
    """Names a forward to ``forward_delivered`` and ``withdraw_forward``."""
    delivery: str | None = None
    """A forward's mail: "queued", then "sent" or "failed"; ``None`` for what is no mail."""
    delivered_at: datetime | None = None
    """When the mail server accepted a forward's mail, or when it was given up on."""


class ForwardDelivery(Frozen):
    """A forward whose mail just ended: who sent which invoice to whom, and whether it arrived."""

    invoice_number: str
    actor: str
    to: str
    sent: bool


class ApprovalOutcome(Frozen):
    """The invoice as it now stands, and whether this call approved it (``False``: already done)."""

    invoice: Invoice
    changed: bool


class CreditNote(Frozen):
    number: str
    customer_number: str
    invoice_number: str | None = None
    issued_on: date
    total: Money
    reason: str = ""


class Payment(Frozen):
    reference: str
    customer_number: str
    invoice_number: str | None = None
    paid_on: date
    amount: Money


class StatementItem(Frozen):
    kind: str  # "invoice" | "credit_note" | "payment"
    number: str
    on: date
    due_on: date | None = None
    amount: Money
    open_amount: Money
    overdue: bool = False


class StatementOrder(StrEnum):
    """How a page of a statement is sorted."""

    NEWEST = "newest"
    """Newest first, by date."""
    LARGEST = "largest"
    """Largest amount first."""
    OLDEST_DUE = "oldest_due"
    """Oldest due date first (invoices); credit notes and payments, which fall due never, after them,
    oldest first."""


class Statement(Frozen):
    customer_number: str
    currency: str
    date_from: date
    date_to: date
    balance: Money
    overdue: Money
    items: tuple[StatementItem, ...]
    has_more: bool = False
    """A page of the items (``statement_page``): more match than were returned."""


class ContractStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_SIGNATURE = "awaiting_signature"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class ContractVersion(Frozen):
    version: int
    created_at: datetime
    summary: str
    sha256: str
    created_by: str | None = None
    awaiting: str | None = None
    """What this version waits for from the customer: "approval", "signature", or nothing."""
    approved_by: str | None = None
    approved_name: str | None = None
    approved_at: datetime | None = None
    signed_by: str | None = None
    signed_name: str | None = None
    signed_at: datetime | None = None
    signed_channel: str | None = None


class ContractEvent(Frozen):
    """One dated step in a contract's history beside its versions: approved, signed, forwarded."""

    version: int
    kind: str  # "approved" | "signed" | "forwarded"
    at: datetime
    actor: str
    actor_name: str
    channel: str | None = None
    sha256: str | None = None
    detail: str | None = None


class Contract(Frozen):
    number: str
    customer_number: str
    title: str
    kind: str  # "hardware_maintenance" | "software_subscription" | "lease" | "services"
    status: ContractStatus
    starts_on: date
    ends_on: date
    notice_days: int
    annual_value: Money
    service_level: str | None = None
    site: str | None = None
    """The site the contract is for; none when it covers the whole company."""
    renewal: str = "manual"  # "automatic" | "manual" | "none"
    renewal_months: int | None = None
    versions: tuple[ContractVersion, ...] = ()
    """Oldest first; the last one is the current version."""


class ContractStep(StrEnum):
    """What an approval or a signature call did to a contract's version."""

    DONE = "done"
    """Recorded by this call."""
    ALREADY = "already"
    """Recorded before (by whom and when is on the version): nothing was written."""
    NOT_AWAITING = "not_awaiting"
    """The version does not wait for this step: nothing was written."""
    NO_SUCH_VERSION = "no_such_version"
    SUPERSEDED = "superseded"
    """A newer version is current: only the current version may be signed."""
    CHANGED = "changed"
    """The hash the signer was shown is not the version's: nothing was signed."""


class ContractStepOutcome(Frozen):
    """An approval or a signature: what the call did, to which version, and the contract as it now stands."""

    step: ContractStep
    contract: Contract
    version: int
    """The version the call was about (asked for, or the one found awaiting approval)."""

    @property
    def changed(self) -> bool:
        return self.step is ContractStep.DONE

    @property
    def acted_on(self) -> ContractVersion | None:
        """That version as it now stands, with who approved or signed it and when."""
        return next((v for v in self.contract.versions if v.version == self.version), None)

    @property
    def current(self) -> ContractVersion | None:
        return self.contract.versions[-1] if self.contract.versions else None


class ContractPage(Frozen):
    """One page of a contract search, soonest end first; ``after`` continues it (keyset paging)."""

    items: tuple[Contract, ...]
    has_more: bool
    after: str | None = None
    """Where the next page starts: opaque to the caller, given back as ``after``."""


class ContractDocument(Frozen):
    """One version of a contract with its text: what its PDF and print page are made of."""

    contract: Contract
    version: ContractVersion
    text: str


class ContractHistory(Frozen):
    """A contract with its versions (on ``contract``) and the dated events beside them, oldest first."""

    contract: Contract
    events: tuple[ContractEvent, ...] = ()


class InventoryItem(Frozen):
    serial: str
    product: str
    kind: str  # "hardware" | "software"
    site: str
    location: str | None = None
    installed_on: date | None = None
    contract_number: str | None = None
    service_level: str | None = None
    maintenance_until: date | None = None
    lessor: str | None = None
    leased_until: date | None = None
    software_version: str | None = None
    licences: int | None = None
    renews_on: date | None = None

    def lapsed(self, today: date) -> bool:
        """Its maintenance cover ended before ``today`` (nothing lapses that never had cover)."""
        return self.maintenance_until is not None and self.maintenance_until < today


class ItemPage(Frozen):
    """One page of installed items in (product, serial) order; the next page starts after ``last``."""

    items: tuple[InventoryItem, ...]
    has_more: bool

    @property
    def last(self) -> tuple[str, str] | None:
        """Where the next page starts: the (product, serial) of this page's last item."""
        return (self.items[-1].product, self.items[-1].serial) if self.items else None


class CoveredItems(Frozen):
    """The first of the items a contract covers, and how many it covers in all."""

    items: tuple[InventoryItem, ...]
    total: int


class RequestStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    ANSWERED = "answered"
    CLOSED = "closed"


class RequestEvent(Frozen):
    at: datetime
    kind: str  # "created" | "comment" | "status" | "answer" | "attachment" | "closed"
    author: str
    text: str


class GuestContact(Frozen):
    """What a web chat guest who asks for a person says about themselves. None of it is verified: it
    names no user and opens no company's records, and agents are shown it as stated by the visitor."""

    name: str
    email: str
    customer_number: str | None = None


class SupportRequest(Frozen):
    number: str
    customer_number: str
    requester: str
    category: str
    subject: str
    description: str
    priority: str
    status: RequestStatus
    created_at: datetime
    due_at: datetime | None = None
    history: tuple[RequestEvent, ...] = ()


class RequestDocument(Frozen):
    """A document kept on a request, as agents see it listed: what, how big, its hash, who, when."""

    id: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    at: datetime


class RequestDocumentData(Frozen):
    """One document with its bytes, read one at a time for a download."""

    document: RequestDocument
    data: bytes


class RequestSummary(Frozen):
    """A line of the agents' work list: any company's request, whose it is and whether it is late.

    ``overdue``: still waiting for support (open or in progress) after its due time.
    """

    number: str
    company: str
    customer_number: str
    requester: str
    requester_name: str
    category: str
    subject: str
    priority: str
    status: RequestStatus
    created_at: datetime
    due_at: datetime | None = None
    overdue: bool = False
    guest_email: str | None = None
    """A web chat guest's request (no company): the address they gave, not verified."""
    guest_customer_number: str | None = None
    """The customer number a guest stated, not verified: it opens nothing."""


class RequestDetail(RequestSummary):
    """One request as an agent works on it: the summary, the text, the history and the documents."""

    description: str
    related: str | None = None
    history: tuple[RequestEvent, ...] = ()
    documents: tuple[RequestDocument, ...] = ()


class NewRequest(Frozen):
    category: str
    subject: str
    description: str
    priority: str = "normal"
    related: str | None = None  # e.g. an invoice or order number


class AccessRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class AccessRequest(Frozen):
    """A user's request for tools, decided by an administrator of the user's company."""

    number: str  # "AR-000012"
    requester_id: str
    requester_name: str
    tools: tuple[Tool, ...]
    status: AccessRequestStatus
    language: str = "en"
    """The language the user asked in: the outcome is told in it."""
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    requester_verification: Verification | None = None
    """How the requester's address is verified, as the directory says now: shown to the administrator."""


class AccessOutcome(Frozen):
    """A request as it now stands, and whether this call changed anything (recorded it, decided it)."""

    request: AccessRequest
    changed: bool


class CompanyUser(Frozen):
    """A user of a company as its administrator sees them: who, in which role, with which tools."""

    user_id: str
    name: str
    email: str
    role: Role
    locale: str = "en"
    grants: frozenset[Tool] = frozenset()


Order.model_rebuild()
