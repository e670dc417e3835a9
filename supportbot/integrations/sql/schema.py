"""Tables of the built-in back end: the vendor's business data that the chat reads and writes.

They are defined on the database's one ``metadata``, beside the assistant's own state, and made and
changed by the migrations (``migrate``) only. Every index below serves one chat-turn query, so no turn scans a whole table however many orders there are; the tests
check the query plans.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from supportbot.integrations.sql.metadata import UTCDateTime, metadata

__all__ = [
    "UTCDateTime",
    "access_requests",
    "action_keys",
    "companies",
    "contract_events",
    "contract_versions",
    "contracts",
    "credit_notes",
    "grants",
    "identity_links",
    "inventory_items",
    "invoice_events",
    "invoice_lines",
    "invoices",
    "order_events",
    "order_lines",
    "orders",
    "payments",
    "request_documents",
    "request_events",
    "requests",
    "shipments",
    "sites",
    "users",
]


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> Column[int]:
    return Column(name, Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


# --- directory ------------------------------------------------------------------------------------

companies = Table(
    "companies",
    metadata,
    _id(),
    Column("customer_number", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),  # ISO 3166-1 alpha-2
    Column("currency", String(3), nullable=False),  # ISO 4217
    Column("locale", String(10), nullable=False, default="en"),
)

users = Table(
    "users",
    metadata,
    # The e-mail address, lower-cased: one user id across every tool and channel.
    Column("user_id", String(254), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(40)),
    _fk("company_id", "companies.id", nullable=True),  # agents belong to no customer company
    Column("role", String(20), nullable=False, default="user"),
    Column("password_hash", String(200)),
    Column("active", Boolean, nullable=False, default=True),
    Column("email_confirmed_at", UTCDateTime),  # set when the user opens the signed link we mailed
    # Set when the person registered themselves (no value: the vendor put them in its records). Until
    # the address is confirmed, by the mailed link or a workspace's sign-in, they get no access.
    Column("registered_at", UTCDateTime),
    Index(None, "company_id"),
)

grants = Table(
    "grants",
    metadata,
    Column("user_id", String(254), ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True),
    Column("tool", String(20), primary_key=True),
)

sites = Table(
    "sites",
    metadata,
    _id(),
    _fk("company_id", "companies.id"),
    Column("name", String(100), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    UniqueConstraint("company_id", "name"),
)

# --- orders ---------------------------------------------------------------------------------------

orders = Table(
    "orders",
    metadata,
    _id(),
    # Globally unique (the guest lookup has only the number); its unique index also serves every
    # "(company_id, number)" lookup: at most one row matches, then the company is checked.
    Column("number", String(32), nullable=False, unique=True),
    _fk("company_id", "companies.id"),
    Column("po_number", String(64)),
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="SET NULL")),
    Column("status", String(20), nullable=False),
    Column("ordered_at", UTCDateTime, nullable=False),
    Column("expected_delivery", Date),
    Column("delivered_at", UTCDateTime),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    # "latest", date-range search and keyset streaming (newest or oldest first, id breaks ties)
    Index(None, "company_id", "ordered_at", "id"),
    Index(None, "company_id", "status", "ordered_at"),
    Index(None, "company_id", "po_number", "ordered_at"),  # and newest first without a sort
    Index(None, "company_id", "site_id", "ordered_at"),
    # "delayed": not delivered (a handful of statuses) and expected before today, most late first
    Index(None, "company_id", "status", "expected_delivery"),
)

order_lines = Table(
    "order_lines",
    metadata,
    _id(),
    _fk("order_id", "orders.id"),
    Column("line_no", Integer, nullable=False),
    Column("product_code", String(64), nullable=False),
    Column("description", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    UniqueConstraint("order_id", "line_no"),
)

order_events = Table(
    "order_events",
    metadata,
    _id(),
    _fk("order_id", "orders.id"),
    Column("status", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "order_id", "at"),
)

shipments = Table(
    "shipments",
    metadata,
    _id(),
    _fk("order_id", "orders.id"),
    Column("carrier", String(20), nullable=False),
    Column("tracking_number", String(64), nullable=False),
    Column("shipped_at", UTCDateTime),
    Column("expected_at", Date),
    Column("delivered_at", UTCDateTime),
    Index(None, "order_id"),
    Index(None, "tracking_number"),
)

# --- invoices, credit notes, payments -------------------------------------------------------------

invoices = Table(
    "invoices",
    metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("company_id", "companies.id"),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="SET NULL")),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("vat_minor", BigInteger, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    # What is settled, by payments and by credit notes set against the invoice.
    Column("paid_minor", BigInteger, nullable=False, default=0),
    Column("currency", String(3), nullable=False),
    Column("approved_by", String(254)),
    Column("approved_at", UTCDateTime),
    Index(None, "company_id", "issued_on", "id"),
    # A list by status, newest first: one walk per status, however many paid ones lie between; the
    # due date tells the open ones past due (shown as overdue) without reading their rows.
    Index(None, "company_id", "status", "issued_on", "id", "due_on"),
    # Unsettled by due date; the amounts make the balance's sum over them read the index alone.
    Index(None, "company_id", "status", "due_on", "total_minor", "paid_minor"),
    Index(
        None, "company_id", "order_id"
    ),  # both columns, so the planner prefers it for "the order's invoice"
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    _id(),
    _fk("invoice_id", "invoices.id"),
    Column("line_no", Integer, nullable=False),
    Column("description", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("vat_rate", String(8), nullable=False),  # a decimal as text ("25", "19", "7.7"): exact everywhere
    Column("net_minor", BigInteger, nullable=False),
    Column("vat_minor", BigInteger, nullable=False),
    UniqueConstraint("invoice_id", "line_no"),
)

invoice_events = Table(
    "invoice_events",
    metadata,
    _id(),
    _fk("invoice_id", "invoices.id"),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(20), nullable=False),  # "approved" | "forwarded"
    Column("actor", String(254), nullable=False),
    Column("detail", String(500), nullable=False, default=""),
    # a forward's mail: "queued" until the outbox reports "sent" or "failed"; NULL when not a mail
    Column("delivery", String(16), nullable=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Index(None, "invoice_id", "at"),
)

credit_notes = Table(
    "credit_notes",
    metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("company_id", "companies.id"),
    Column("invoice_id", Integer, ForeignKey("invoices.id", ondelete="SET NULL")),
    Column("issued_on", Date, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(500), nullable=False, default=""),
    Index(None, "company_id", "issued_on"),
    Index(None, "company_id", "invoice_id"),  # the unapplied ones (invoice_id IS NULL) for the balance
)

payments = Table(
    "payments",
    metadata,
    _id(),
    Column("reference", String(64), nullable=False, unique=True),
    _fk("company_id", "companies.id"),
    Column("invoice_id", Integer, ForeignKey("invoices.id", ondelete="SET NULL")),
    Column("paid_on", Date, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Index(None, "company_id", "paid_on"),
    Index(None, "company_id", "invoice_id"),  # the unapplied ones (invoice_id IS NULL) for the balance
)

# --- contracts ------------------------------------------------------------------------------------

contracts = Table(
    "contracts",
    metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),
    _fk("company_id", "companies.id"),
    Column("title", String(300), nullable=False),
    # hardware_maintenance | software_subscription | lease | services
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="SET NULL")),  # none: every site
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("notice_days", Integer, nullable=False, default=90),
    # automatic: renews by renewal_months unless cancelled within the notice period; manual: a new
    # version must be agreed; none: ends on ends_on
    Column("renewal", String(20), nullable=False, server_default="manual"),
    Column("renewal_months", Integer),
    Column("annual_value_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("service_level", String(100)),
    Index(None, "company_id", "ends_on"),
    Index(None, "company_id", "kind", "ends_on"),
    Index(None, "company_id", "status", "ends_on"),
    Index(None, "company_id", "site_id", "ends_on"),
)

contract_versions = Table(
    "contract_versions",
    metadata,
    _id(),
    _fk("contract_id", "contracts.id"),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200)),  # who at the vendor drew the version up
    Column("summary", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),  # of document_text as UTF-8: what a signature binds to
    Column("document_text", Text, nullable=False),
    # what the version waits for from the customer: "approval" | "signature" | none
    Column("awaiting", String(20)),
    Column("approved_by", String(254)),
    Column("approved_name", String(200)),
    Column("approved_at", UTCDateTime),
    Column("signed_by", String(254)),
    Column("signed_name", String(200)),
    Column("signed_at", UTCDateTime),
    Column("signed_channel", String(20)),
    UniqueConstraint("contract_id", "version"),
    Index(None, "awaiting", "contract_id"),  # the notice pass: versions waiting for a customer
)

contract_events = Table(
    "contract_events",
    metadata,
    _id(),
    _fk("contract_id", "contracts.id"),
    Column("version", Integer, nullable=False),
    Column("kind", String(20), nullable=False),  # approved | signed | forwarded
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(254), nullable=False),  # the user id
    Column("actor_name", String(200), nullable=False),
    Column("channel", String(20)),
    Column("sha256", String(64)),  # the version's hash the event refers to
    Column("detail", String(500)),  # forwarded: the recipient's address
    Index(None, "contract_id", "at", "id"),
)

# --- inventory ------------------------------------------------------------------------------------

inventory_items = Table(
    "inventory_items",
    metadata,
    _id(),
    _fk("company_id", "companies.id"),
    Column("serial", String(64), nullable=False),
    Column("product", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # hardware | software
    _fk("site_id", "sites.id"),
    Column("location", String(200)),
    Column("installed_on", Date),
    Column("contract_id", Integer, ForeignKey("contracts.id", ondelete="SET NULL")),
    Column("service_level", String(100)),
    Column("maintenance_until", Date),
    Column("lessor", String(200)),
    Column("leased_until", Date),
    Column("software_version", String(50)),  # software only
    Column("licences", Integer),  # software only: licences (seats, cores) held
    Column("renews_on", Date),  # software only: when the licence renews
    UniqueConstraint("company_id", "serial"),
    Index(None, "site_id"),
    Index(
        None, "company_id", "contract_id", "product", "serial"
    ),  # what a contract covers, counted and paged
    Index(None, "company_id", "site_id", "product", "serial"),  # by site, in product order, paged
    Index(None, "company_id", "kind", "product", "serial"),
    Index(None, "company_id", "product", "serial"),
)

# --- support requests -----------------------------------------------------------------------------

requests = Table(
    "requests",
    metadata,
    _id(),
    Column("number", String(32), nullable=False, unique=True),  # RQ-2026-000123
    # No company: a web chat guest's request, opened when they asked for a person and none was there.
    _fk("company_id", "companies.id", nullable=True),
    Column("requester_id", String(254), ForeignKey("users.user_id", ondelete="SET NULL")),
    Column("requester_name", String(200), nullable=False),
    Column("guest_email", String(254)),  # the address a guest gave: stated, not verified
    Column("guest_customer_number", String(32)),  # the customer number a guest stated, not verified
    Column("category", String(40), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("priority", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("related", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime),
    Index(None, "company_id", "created_at", "id"),
    Index(None, "company_id", "status", "created_at", "id"),  # a status's newest, past the closed ones
    Index(None, "company_id", "requester_id", "created_at"),
    Index(None, "status", "due_at", "id"),  # the agents' work list, across companies, by due time
)

request_events = Table(
    "request_events",
    metadata,
    _id(),
    _fk("request_id", "requests.id"),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Index(None, "request_id", "at"),
)

request_documents = Table(
    "request_documents",
    metadata,
    _id(),
    _fk("request_id", "requests.id"),
    Column("name", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),  # of the bytes as received
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "request_id", "at"),
)

# --- access requests ------------------------------------------------------------------------------

access_requests = Table(
    "access_requests",
    metadata,
    _id(),  # the customer-facing number is "AR-" and the id, six digits: AR-000012
    _fk("company_id", "companies.id"),
    Column("requester_id", String(254), ForeignKey("users.user_id", ondelete="CASCADE"), nullable=False),
    Column("tools", String(200), nullable=False),  # tool names, comma-separated, sorted
    Column("status", String(20), nullable=False),  # pending | approved | denied
    Column("language", String(8), nullable=False, default="en"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_by", String(254)),
    Column("decided_at", UTCDateTime),
    Index(None, "company_id", "status", "created_at"),
    Index(None, "requester_id", "status"),
)

# --- identities in other channels -----------------------------------------------------------------

identity_links = Table(
    "identity_links",
    metadata,
    # A channel's own id for a person (a Slack user id with its team, a Teams Entra object id),
    # linked to the one supportbot user id, so every channel shares one history.
    Column("channel", String(20), primary_key=True),
    Column("external_id", String(255), primary_key=True),
    Column("user_id", String(254), ForeignKey("users.user_id", ondelete="CASCADE"), nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
    Column("matched_by", String(40), nullable=False),  # how: "email" (Slack users.info), "upn", ...
    Index(None, "user_id"),
)


action_keys = Table(
    "action_keys",
    metadata,
    # The user's message that did the action (a hash of its conversation, user and delivery id) and the
    # kind of action: a repeated call with both finds the first outcome instead of writing again.
    Column("key", String(64), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("outcome", String(255), nullable=False),
    Column("actor", String(255), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)
