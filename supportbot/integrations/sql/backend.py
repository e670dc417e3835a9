"""The built-in back end: every Protocol of ``protocols.py`` on one SQLAlchemy ``AsyncEngine``.

Isolation between customers is done here and nowhere else: each query carries
``WHERE company_id = <the principal's company>``, so a record of another company is simply not
found and comes back exactly like a number that does not exist. The tool grant is checked before
any query runs. The SQL is plain Core and runs unchanged on SQLite (aiosqlite) and PostgreSQL
(asyncpg).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final, TypeAlias, TypeVar
from uuid import uuid4

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from supportbot.faults import crash_point
from supportbot.integrations import business_days, documents
from supportbot.integrations.actions import Action, MailQueue
from supportbot.integrations.carriers import tracking_url
from supportbot.integrations.errors import AccessDenied, BackendUnavailable, InvalidRequest, MailUnavailable
from supportbot.integrations.mail import one_line
from supportbot.integrations.models import (
    ApprovalOutcome,
    Carrier,
    Contract,
    ContractStatus,
    ContractVersion,
    CreditNote,
    ForwardDelivery,
    GuestOrderStatus,
    InventoryItem,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceStatus,
    Money,
    NewRequest,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    OrderSummary,
    Page,
    Principal,
    RequestDetail,
    RequestDocument,
    RequestDocumentData,
    RequestEvent,
    RequestStatus,
    RequestSummary,
    Role,
    Shipment,
    Site,
    Statement,
    StatementItem,
    SupportRequest,
    Tool,
    Verification,
    VerifiedBy,
)
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.passwords import hash_password, password_stamp, verify_password
from supportbot.integrations.sql.schema import (
    UTCDateTime,
    action_keys,
    companies,
    contract_versions,
    contracts,
    credit_notes,
    grants,
    identity_links,
    inventory_items,
    invoice_events,
    invoice_lines,
    invoices,
    order_events,
    order_lines,
    orders,
    payments,
    request_documents,
    request_events,
    requests,
    shipments,
    sites,
    users,
)

__all__ = [
    "SqlContracts",
    "SqlDirectory",
    "SqlInventory",
    "SqlInvoices",
    "SqlOrders",
    "SqlRequests",
    "SqlStatements",
    "document_sha256",
    "insert_request",
    "one_business_day_later",
    "request_number",
    "sql_backends",
    "verification_of",
]

Clock = Callable[[], datetime]
T = TypeVar("T")
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

MAX_PAGE: Final = 100
"""The largest page a list call returns; a chat turn never needs more, a report streams instead."""
MAX_BATCH: Final = 10_000
MAX_PO_MATCHES: Final = 50
REQUEST_PRIORITIES: Final = frozenset({"low", "normal", "high", "urgent"})
DEFAULT_STATEMENT_DAYS: Final = 365


def _utcnow() -> datetime:
    return datetime.now(UTC)


def request_number(request_id: int, created_at: datetime) -> str:
    """The customer-facing number of a request: year of creation and the row id, e.g. RQ-2026-000123."""
    return f"RQ-{created_at.astimezone(UTC).year}-{request_id:06d}"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _candidates(number: str) -> list[str]:
    """The number as typed and upper-cased ("inv-2031" finds INV-2031), for an index-friendly IN."""
    cleaned = number.strip()
    return sorted({cleaned, cleaned.upper()})


def one_business_day_later(moment: datetime, country: str | None = None) -> datetime:
    """One business day later in the company's country: weekends and public holidays skipped."""
    return business_days.one_business_day_later(moment, country)


def _of_company(table: Table, company_id: int) -> list[ColumnElement[bool]]:
    """The tenant filter: the record's company, and the joined company row by its primary key.

    The second condition is implied by the join; stating it lets the planner fetch the one company
    row by key instead of starting from the companies table.
    """
    return [table.c.company_id == company_id, companies.c.id == company_id]


def _check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidRequest("offset must not be negative")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")


def _empty_statement(principal: Principal, date_from: date, date_to: date) -> Statement:
    """The statement of a principal with no company: nothing on it, in their currency."""
    currency = principal.currency or "EUR"
    zero = Money(minor=0, currency=currency)
    customer = principal.customer_numbers[0] if principal.customer_numbers else ""
    return Statement(
        customer_number=customer, currency=currency, date_from=date_from, date_to=date_to,
        balance=zero, overdue=zero, items=(),
    )  # fmt: skip


def _check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidRequest("date_from is after date_to")


class _SqlBase:
    """What every SQL back end shares: the engine, the clock, the grant check and error mapping."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        clock: Clock | None = None,
        timeout: float | None = 10.0,
        outbox: MailQueue | None = None,
    ) -> None:
        self._engine = engine
        self._clock: Clock = clock or _utcnow
        self._outbox = outbox
        # A deadline per call, so a hung server costs one apology rather than a hung chat turn. Not
        # on SQLite: aiosqlite cannot interrupt a statement, a cancelled call would leave its worker
        # thread and connection behind; there the busy timeout bounds waiting for locks instead.
        self._timeout = None if engine.dialect.name == "sqlite" else timeout

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def _today(self) -> date:
        return self._now().date()

    @staticmethod
    def _company(principal: Principal, tool: Tool) -> int | None:
        """The company to filter by, after refusing guests and principals without the tool's grant."""
        if principal.is_guest or not principal.may(tool):
            raise AccessDenied(tool)
        return principal.company_id

    @asynccontextmanager
    async def _connect(self, *, write: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection (a transaction when ``write``) whose failures surface as ``BackendUnavailable``."""
        try:
            async with asyncio.timeout(self._timeout):
                if write:
                    async with self._engine.begin() as conn:
                        yield conn
                else:
                    async with self._engine.connect() as conn:
                        yield conn
        except (OperationalError, InterfaceError, PoolTimeoutError, TimeoutError, OSError) as exc:
            raise BackendUnavailable(f"database unavailable: {type(exc).__name__}") from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise BackendUnavailable("database connection lost") from exc
            raise

    # --- actions: at most once per key, their mail queued with them -------------------------------

    async def _once(self, action: Action[Any] | None, work: Callable[[], Awaitable[T]]) -> T:
        """Runs a keyed write; when another worker recorded the same key first (the unique key refuses
        this one's transaction), runs it again, and so finds and returns that first outcome."""
        try:
            return await work()
        except IntegrityError:
            if action is None or action.key is None:
                raise
            return await work()

    @staticmethod
    async def _first_outcome(conn: AsyncConnection, action: Action[Any] | None, kind: str) -> str | None:
        """What the action of this key did the first time, if it was done before."""
        if action is None or action.key is None:
            return None
        outcome = await conn.scalar(
            select(action_keys.c.outcome).where(action_keys.c.key == action.key, action_keys.c.kind == kind)
        )
        return str(outcome) if outcome is not None else None

    async def _record_action(
        self,
        conn: AsyncConnection,
        action: Action[T] | None,
        kind: str,
        *,
        outcome: str,
        result: T,
        actor: str | None,
    ) -> list[int]:
        """In the write's own transaction: the key with its outcome, and the action's mail queued.

        A mail that cannot be built raises here, and the whole write is rolled back with it."""
        if action is None:
            return []
        if action.key is not None:
            await conn.execute(
                insert(action_keys).values(
                    key=action.key, kind=kind, outcome=outcome[:255], actor=actor, created_at=self._now()
                )
            )
        mails = action.mails(result)
        if not mails:
            return []
        if self._outbox is None:
            raise MailUnavailable("this back end has no mail queue for an action's mail")
        return await self._outbox.queue_in(conn, mails)

    async def _committed(self, mail_ids: Sequence[int]) -> None:
        """After the commit: the action's mail is handed to delivery."""
        crash_point("action.committed")
        if mail_ids and self._outbox is not None:
            await self._outbox.queued(mail_ids)

    async def _site_ids(self, conn: AsyncConnection, company_id: int, name: str) -> list[int]:
        """Ids of the company's sites called ``name``, compared case-insensitively in Python.

        SQLite's ``lower()`` only folds ASCII, so "GÖTEBORG" would miss "Göteborg" in SQL; a company
        has a handful of sites, so reading them is cheaper than a functional index.
        """
        wanted = name.strip().casefold()
        rows = await conn.execute(select(sites.c.id, sites.c.name).where(sites.c.company_id == company_id))
        return [row.id for row in rows if row.name.casefold() == wanted]


# --- directory ------------------------------------------------------------------------------------

_PRINCIPAL_SELECT: Final = select(
    users.c.user_id,
    users.c.name,
    users.c.phone,
    users.c.role,
    users.c.active,
    users.c.password_hash,
    users.c.company_id,
    companies.c.name.label("company_name"),
    companies.c.customer_number,
    companies.c.country,
    companies.c.currency,
    companies.c.locale,
    users.c.registered_at,
    users.c.email_confirmed_at,
).select_from(users.outerjoin(companies, companies.c.id == users.c.company_id))

_VOUCHING_CHANNELS: Final = {"slack": VerifiedBy.SLACK, "teams": VerifiedBy.TEAMS}
"""Channels whose link to a user was made by an address the channel itself verified (Slack's confirmed
e-mail, the Teams sign-in name): such a link confirms the address as well as the mailed link does."""


async def verification_of(
    conn: AsyncConnection, user_id: str, *, registered_at: datetime | None, confirmed_at: datetime | None
) -> Verification | None:
    """How a user's address is known to be theirs; ``None`` while a registration waits for it.

    The vendor's own users are vouched for by its records; a registration by its mailed link, or else by
    the first workspace that linked the address (one more query, for those few users only).
    """
    if registered_at is None:
        return Verification(by=VerifiedBy.DIRECTORY)
    if confirmed_at is not None:
        return Verification(by=VerifiedBy.EMAIL, at=confirmed_at)
    query = (
        select(identity_links.c.channel, identity_links.c.linked_at)
        .where(
            identity_links.c.user_id == user_id,
            identity_links.c.channel.in_(list(_VOUCHING_CHANNELS)),
        )
        .order_by(identity_links.c.linked_at)
        .limit(1)
    )
    link = (await conn.execute(query)).first()
    return Verification(by=_VOUCHING_CHANNELS[link.channel], at=link.linked_at) if link else None


def _normalise_user_id(user_id: str) -> str:
    return user_id.strip().lower()


class SqlDirectory(_SqlBase):
    """Users, companies and grants; passwords are verified with scrypt off the event loop."""

    async def authenticate(self, user_id: str, password: str) -> Principal | None:
        uid = _normalise_user_id(user_id)
        async with self._connect() as conn:
            row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).first()
        stored = row.password_hash if row is not None and row.active else None
        # An unknown or inactive user still costs one scrypt (against a dummy hash): no timing oracle.
        if not await asyncio.to_thread(verify_password, password, stored) or row is None:
            return None
        async with self._connect() as conn:
            return await self._principal(conn, row)

    async def principal_for(self, user_id: str) -> Principal | None:
        uid = _normalise_user_id(user_id)
        async with self._connect() as conn:
            row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).first()
            if row is None or not row.active:
                return None
            return await self._principal(conn, row)

    async def _principal(self, conn: AsyncConnection, row: AnyRow) -> Principal:
        tools = (await conn.execute(select(grants.c.tool).where(grants.c.user_id == row.user_id))).scalars()
        known = {tool.value for tool in Tool}
        return Principal(
            user_id=row.user_id,
            name=row.name,
            email=row.user_id,
            phone=row.phone,
            company_id=row.company_id,
            company_name=row.company_name,
            customer_numbers=(row.customer_number,) if row.customer_number else (),
            country=row.country,
            currency=row.currency,
            role=Role(row.role),
            grants=frozenset(Tool(tool) for tool in tools if tool in known),
            locale=row.locale or "en",
            verification=await verification_of(
                conn, row.user_id, registered_at=row.registered_at, confirmed_at=row.email_confirmed_at
            ),
        )

    async def sites(self, principal: Principal) -> Sequence[Site]:
        """The principal's company's sites; needs a signed-in user but no tool grant.

        A guest is refused with ``AccessDenied(Tool.ORDERS)``: sites belong to no tool, and orders is
        the tool a guest comes closest to.
        """
        if principal.is_guest:
            raise AccessDenied(Tool.ORDERS)
        if principal.company_id is None:
            return ()
        async with self._connect() as conn:
            rows = await conn.execute(
                select(sites).where(sites.c.company_id == principal.company_id).order_by(sites.c.name)
            )
            return tuple(Site(id=r.id, name=r.name, city=r.city, country=r.country) for r in rows)

    async def all_site_names(self) -> Sequence[str]:
        async with self._connect() as conn:
            names = await conn.execute(select(sites.c.name).distinct().order_by(sites.c.name))
            return tuple(names.scalars())

    async def company_by_customer_number(self, customer_number: str) -> str | None:
        async with self._connect() as conn:
            query = select(companies.c.name).where(companies.c.customer_number == customer_number.strip())
            name: str | None = (await conn.execute(query)).scalar_one_or_none()
            return name

    async def register_user(
        self, *, user_id: str, name: str, customer_number: str, password: str
    ) -> Principal | None:
        uid = _normalise_user_id(user_id)
        if not uid or len(uid) > 254 or not name.strip() or len(name.strip()) > 200:
            raise InvalidRequest("a new user needs a user id and a name (at most 254 and 200 characters)")
        # Hashed before anything is looked up: a taken user id costs the same time as a new one.
        password_hash = await asyncio.to_thread(hash_password, password)
        try:
            async with self._connect(write=True) as conn:
                company_id = (
                    await conn.execute(
                        select(companies.c.id).where(companies.c.customer_number == customer_number.strip())
                    )
                ).scalar_one_or_none()
                if company_id is None:
                    raise InvalidRequest("no company has that customer number")
                taken = (await conn.execute(select(users.c.user_id).where(users.c.user_id == uid))).first()
                if taken is not None:
                    return None
                await conn.execute(
                    insert(users).values(
                        user_id=uid,
                        name=name.strip(),
                        company_id=company_id,
                        role=Role.USER.value,
                        password_hash=password_hash,
                        active=True,
                        email_confirmed_at=None,
                        registered_at=self._now(),
                    )
                )
                row = (await conn.execute(_PRINCIPAL_SELECT.where(users.c.user_id == uid))).one()
                return await self._principal(conn, row)
        except IntegrityError:  # registered at the same moment by another request
            return None

    async def confirm_email(self, user_id: str) -> bool:
        uid = _normalise_user_id(user_id)
        async with self._connect(write=True) as conn:
            exists = (await conn.execute(select(users.c.user_id).where(users.c.user_id == uid))).first()
            if exists is None:
                return False
            await conn.execute(
                update(users)
                .where(users.c.user_id == uid, users.c.email_confirmed_at.is_(None))
                .values(email_confirmed_at=self._now())
            )
            return True

    async def credential_stamp(self, user_id: str) -> str | None:
        uid = _normalise_user_id(user_id)
        async with self._connect() as conn:
            query = select(users.c.password_hash, users.c.active).where(users.c.user_id == uid)
            row = (await conn.execute(query)).first()
        return password_stamp(row.password_hash) if row is not None and row.active else None

    async def set_password(self, user_id: str, password: str, *, stamp: str) -> bool:
        uid = _normalise_user_id(user_id)
        password_hash = await asyncio.to_thread(hash_password, password)
        async with self._connect(write=True) as conn:
            query = select(users.c.password_hash, users.c.active).where(users.c.user_id == uid)
            row = (await conn.execute(query)).first()
            if row is None or not row.active or password_stamp(row.password_hash) != stamp:
                return False
            # Compare-and-set on the hash read above: of two uses of one link at once, one wins.
            unchanged = (
                users.c.password_hash.is_(None)
                if row.password_hash is None
                else users.c.password_hash == row.password_hash
            )
            # The link came by mail to the address: using it confirms the address, as the mailed
            # confirmation link would (a registration whose link expired is confirmed this way).
            result = await conn.execute(
                update(users)
                .where(users.c.user_id == uid, unchanged)
                .values(
                    password_hash=password_hash,
                    email_confirmed_at=func.coalesce(
                        users.c.email_confirmed_at, literal(self._now(), UTCDateTime())
                    ),
                )
            )
            return bool(result.rowcount == 1)

    async def linked_user(self, channel: str, external_id: str) -> str | None:
        async with self._connect() as conn:
            query = select(identity_links.c.user_id).where(
                identity_links.c.channel == channel, identity_links.c.external_id == external_id
            )
            user_id: str | None = (await conn.execute(query)).scalar()
            return user_id

    async def linked_ids(self, user_id: str, channel: str) -> Sequence[str]:
        async with self._connect() as conn:
            query = (
                select(identity_links.c.external_id)
                .where(
                    identity_links.c.user_id == _normalise_user_id(user_id),
                    identity_links.c.channel == channel,
                )
                .order_by(identity_links.c.linked_at, identity_links.c.external_id)
            )
            return [str(external_id) for external_id in (await conn.execute(query)).scalars()]

    async def link_identity(
        self, channel: str, external_id: str, *, email: str, matched_by: str
    ) -> str | None:
        uid = _normalise_user_id(email)
        async with self._connect(write=True) as conn:
            user = (
                await conn.execute(
                    select(users.c.user_id, users.c.registered_at, users.c.email_confirmed_at).where(
                        users.c.user_id == uid, users.c.active.is_(True)
                    )
                )
            ).first()
            if user is None:
                return None
            found = user.user_id
            existing = (
                await conn.execute(
                    select(identity_links.c.user_id).where(
                        identity_links.c.channel == channel, identity_links.c.external_id == external_id
                    )
                )
            ).scalar()
            if existing is None:
                if user.registered_at is not None and user.email_confirmed_at is None:
                    # The workspace has verified the address, so its owner is the one chatting here.
                    # Whoever registered it, unconfirmed, may have been someone else: their password
                    # goes (the owner chooses one with a password reset if they want the web chat).
                    await conn.execute(
                        update(users).where(users.c.user_id == found).values(password_hash=None)
                    )
                await conn.execute(
                    insert(identity_links).values(
                        channel=channel,
                        external_id=external_id,
                        user_id=found,
                        linked_at=self._now(),
                        matched_by=matched_by,
                    )
                )
                return str(found)
            return str(existing)


# --- orders ---------------------------------------------------------------------------------------

_ORDER_SELECT: Final = select(
    orders.c.id,
    orders.c.number,
    orders.c.po_number,
    orders.c.status,
    orders.c.ordered_at,
    orders.c.expected_delivery,
    orders.c.delivered_at,
    orders.c.currency,
    orders.c.total_minor,
    sites.c.name.label("site_name"),
    companies.c.customer_number,
).select_from(
    orders.join(companies, companies.c.id == orders.c.company_id).outerjoin(
        sites, sites.c.id == orders.c.site_id
    )
)


def _order_summary(row: AnyRow) -> OrderSummary:
    # Rows are typed by the schema (and enums converted here), so the models are built without
    # validating again: lists and reports build thousands of them.
    return OrderSummary.model_construct(**_summary_fields(row))


def _summary_fields(row: AnyRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "po_number": row.po_number,
        "status": OrderStatus(row.status),
        "ordered_at": row.ordered_at,
        "expected_delivery": row.expected_delivery,
        "delivered_at": row.delivered_at,
        "total": Money.model_construct(minor=row.total_minor, currency=row.currency),
        "site": row.site_name,
        "customer_number": row.customer_number,
    }


# The chat turn's hottest statements are built once: executing a prepared statement skips building
# and hashing a new expression tree on every call.
_GET_ORDER: Final = _ORDER_SELECT.where(
    orders.c.company_id == bindparam("company_id"),
    companies.c.id == bindparam("company_id"),
    orders.c.number.in_([bindparam("number"), bindparam("number_upper")]),
)
_ORDER_LINES: Final = (
    select(order_lines).where(order_lines.c.order_id == bindparam("order_id")).order_by(order_lines.c.line_no)
)
_ORDER_SHIPMENTS: Final = (
    select(shipments).where(shipments.c.order_id == bindparam("order_id")).order_by(shipments.c.id)
)
_ORDER_EVENTS: Final = (
    select(order_events.c.status, order_events.c.at)
    .where(order_events.c.order_id == bindparam("order_id"))
    .order_by(order_events.c.at, order_events.c.id)
)


class SqlOrders(_SqlBase):
    """Orders with their lines, shipments and status history."""

    async def get_order(self, principal: Principal, number: str) -> Order | None:
        company_id = self._company(principal, Tool.ORDERS)
        if company_id is None:
            return None
        cleaned = number.strip()
        params = {"company_id": company_id, "number": cleaned, "number_upper": cleaned.upper()}
        async with self._connect() as conn:
            row = (await conn.execute(_GET_ORDER, params)).first()
            return None if row is None else await self._full_order(conn, row)

    async def latest_order(self, principal: Principal) -> Order | None:
        company_id = self._company(principal, Tool.ORDERS)
        if company_id is None:
            return None
        async with self._connect() as conn:
            query = (
                _ORDER_SELECT.where(*_of_company(orders, company_id))
                .order_by(orders.c.ordered_at.desc(), orders.c.id.desc())
                .limit(1)
            )
            row = (await conn.execute(query)).first()
            return None if row is None else await self._full_order(conn, row)

    async def find_by_po(self, principal: Principal, po_number: str) -> Sequence[OrderSummary]:
        """Orders with this purchase-order number, newest first (a PO may be split over orders)."""
        company_id = self._company(principal, Tool.ORDERS)
        if company_id is None or not po_number.strip():
            return ()
        async with self._connect() as conn:
            query = (
                _ORDER_SELECT.where(
                    *_of_company(orders, company_id), orders.c.po_number.in_(_candidates(po_number))
                )
                .order_by(orders.c.ordered_at.desc(), orders.c.id.desc())
                .limit(MAX_PO_MATCHES)
            )
            return tuple(_order_summary(row) for row in await conn.execute(query))

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
        """Newest first; dates are whole UTC days, both ends included."""
        company_id = self._company(principal, Tool.ORDERS)
        _check_page(offset, limit)
        _check_range(date_from, date_to)
        empty: Page[OrderSummary] = Page(items=(), offset=offset, limit=limit, has_more=False)
        if company_id is None:
            return empty
        async with self._connect() as conn:
            query = _ORDER_SELECT.where(*_order_filters(company_id, statuses, date_from, date_to))
            if site is not None:
                site_ids = await self._site_ids(conn, company_id, site)
                if not site_ids:
                    return empty
                query = query.where(orders.c.site_id.in_(site_ids))
            query = (
                query.order_by(orders.c.ordered_at.desc(), orders.c.id.desc()).offset(offset).limit(limit + 1)
            )
            rows = (await conn.execute(query)).all()
        items = tuple(_order_summary(row) for row in rows[:limit])
        return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)

    def iter_orders(
        self,
        principal: Principal,
        *,
        statuses: frozenset[OrderStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        batch_size: int = 1000,
    ) -> AsyncIterator[OrderSummary]:
        """Oldest first, by keyset pagination on (ordered_at, id); a connection is held per batch only.

        Not itself a generator, so that a missing grant or a bad argument raises at the call.
        """
        company_id = self._company(principal, Tool.ORDERS)
        _check_range(date_from, date_to)
        if not 1 <= batch_size <= MAX_BATCH:
            raise InvalidRequest(f"batch_size must be between 1 and {MAX_BATCH}")
        return self._stream_orders(company_id, statuses, date_from, date_to, batch_size)

    async def _stream_orders(
        self,
        company_id: int | None,
        statuses: frozenset[OrderStatus],
        date_from: date | None,
        date_to: date | None,
        batch_size: int,
    ) -> AsyncIterator[OrderSummary]:
        if company_id is None:
            return
        base = _ORDER_SELECT.where(*_order_filters(company_id, statuses, date_from, date_to))
        after: tuple[datetime, int] | None = None
        while True:
            query = base
            if after is not None:
                at, last_id = after
                # Written out rather than as a row value so both databases use the index range.
                query = query.where(
                    orders.c.ordered_at >= at, or_(orders.c.ordered_at > at, orders.c.id > last_id)
                )
            query = query.order_by(orders.c.ordered_at, orders.c.id).limit(batch_size)
            async with self._connect() as conn:
                rows = (await conn.execute(query)).all()
            for row in rows:
                yield _order_summary(row)
            if len(rows) < batch_size:
                return
            after = (rows[-1].ordered_at, rows[-1].id)

    async def guest_order_status(self, order_number: str, customer_number: str) -> GuestOrderStatus | None:
        """Both numbers must belong to the same company; only status and dates are returned."""
        if not order_number.strip() or not customer_number.strip():
            return None
        query = (
            select(orders.c.number, orders.c.status, orders.c.expected_delivery, orders.c.delivered_at)
            .select_from(orders.join(companies, companies.c.id == orders.c.company_id))
            .where(
                orders.c.number == order_number.strip(),
                companies.c.customer_number == customer_number.strip(),
            )
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return GuestOrderStatus(
            number=row.number,
            status=OrderStatus(row.status),
            expected_delivery=row.expected_delivery,
            delivered_at=row.delivered_at,
        )

    async def _full_order(self, conn: AsyncConnection, row: AnyRow) -> Order:
        """The order of ``row`` with lines, shipments and history: one query per related table."""
        order_id = row.id
        currency = row.currency
        line_rows = await conn.execute(_ORDER_LINES, {"order_id": order_id})
        shipment_rows = await conn.execute(_ORDER_SHIPMENTS, {"order_id": order_id})
        event_rows = await conn.execute(_ORDER_EVENTS, {"order_id": order_id})
        return Order.model_construct(
            **_summary_fields(row),
            lines=tuple(
                OrderLine.model_construct(
                    line_no=line.line_no,
                    product_code=line.product_code,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=Money.model_construct(minor=line.unit_price_minor, currency=currency),
                    total=Money.model_construct(minor=line.total_minor, currency=currency),
                )
                for line in line_rows
            ),
            shipments=tuple(
                Shipment.model_construct(
                    carrier=Carrier(s.carrier),
                    tracking_number=s.tracking_number,
                    tracking_url=tracking_url(Carrier(s.carrier), s.tracking_number),
                    shipped_at=s.shipped_at,
                    expected_at=s.expected_at,
                    delivered_at=s.delivered_at,
                )
                for s in shipment_rows
            ),
            history=tuple(
                OrderEvent.model_construct(status=OrderStatus(e.status), at=e.at) for e in event_rows
            ),
        )


def _order_filters(
    company_id: int, statuses: frozenset[OrderStatus], date_from: date | None, date_to: date | None
) -> list[ColumnElement[bool]]:
    filters = _of_company(orders, company_id)
    if statuses:
        filters.append(orders.c.status.in_(sorted(status.value for status in statuses)))
    if date_from is not None:
        filters.append(orders.c.ordered_at >= _day_start(date_from))
    if date_to is not None:
        filters.append(orders.c.ordered_at < _day_start(date_to + timedelta(days=1)))
    return filters


# --- invoices -------------------------------------------------------------------------------------

_QUEUED, _SENT, _FAILED = "queued", "sent", "failed"
"""A forward's delivery: its mail waits in the outbox, was accepted by the mail server, or was given up."""

_INVOICE_SELECT: Final = select(
    invoices,
    companies.c.customer_number,
    orders.c.number.label("order_number"),
).select_from(
    invoices.join(companies, companies.c.id == invoices.c.company_id).outerjoin(
        orders, orders.c.id == invoices.c.order_id
    )
)


def _invoice_status(stored: str, due_on: date, today: date) -> InvoiceStatus:
    """An open invoice past its due date is overdue, whether or not a batch job has marked it yet."""
    status = InvoiceStatus(stored)
    return InvoiceStatus.OVERDUE if status is InvoiceStatus.OPEN and due_on < today else status


def _invoice_status_filter(statuses: frozenset[InvoiceStatus], today: date) -> ColumnElement[bool]:
    """The SQL form of ``_invoice_status``, so that filtering agrees with what is shown."""
    column, due = invoices.c.status, invoices.c.due_on
    conditions: list[ColumnElement[bool]] = []
    for status in sorted(statuses):
        if status is InvoiceStatus.OVERDUE:
            conditions.append(
                or_(column == status.value, and_(column == InvoiceStatus.OPEN.value, due < today))
            )
        elif status is InvoiceStatus.OPEN:
            conditions.append(and_(column == status.value, due >= today))
        else:
            conditions.append(column == status.value)
    return or_(*conditions)


class SqlInvoices(_SqlBase):
    """Invoices with their lines, and credit notes."""

    async def get_invoice(self, principal: Principal, number: str) -> Invoice | None:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        query = _INVOICE_SELECT.where(
            *_of_company(invoices, company_id), invoices.c.number.in_(_candidates(number))
        )
        return await self._one(query)

    async def invoice_for_order(self, principal: Principal, order_number: str) -> Invoice | None:
        """The newest invoice for the order (an order may be invoiced in parts).

        The newest is picked in Python from the order's few invoices: with an ORDER BY issued_on
        SQLite would rather walk all of the company's invoices by date than look up the order's.
        """
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        query = _INVOICE_SELECT.where(
            *_of_company(invoices, company_id),
            orders.c.company_id == company_id,
            orders.c.number.in_(_candidates(order_number)),
        ).limit(MAX_PAGE)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            if not rows:
                return None
            newest = max(rows, key=lambda row: (row.issued_on, row.id))
            (invoice,) = await self._with_lines(conn, [newest], self._today())
            return invoice

    async def latest_invoice(self, principal: Principal) -> Invoice | None:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        query = (
            _INVOICE_SELECT.where(*_of_company(invoices, company_id))
            .order_by(invoices.c.issued_on.desc(), invoices.c.id.desc())
            .limit(1)
        )
        return await self._one(query)

    async def list_invoices(
        self,
        principal: Principal,
        *,
        statuses: frozenset[InvoiceStatus] = frozenset(),
        date_from: date | None = None,
        date_to: date | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[Invoice]:
        """Newest first by issue date; each with its lines (one query for the whole page)."""
        company_id = self._company(principal, Tool.INVOICES)
        _check_page(offset, limit)
        _check_range(date_from, date_to)
        if company_id is None:
            return Page(items=(), offset=offset, limit=limit, has_more=False)
        today = self._today()
        query = _INVOICE_SELECT.where(*_of_company(invoices, company_id))
        if statuses:
            query = query.where(_invoice_status_filter(statuses, today))
        if date_from is not None:
            query = query.where(invoices.c.issued_on >= date_from)
        if date_to is not None:
            query = query.where(invoices.c.issued_on <= date_to)
        query = (
            query.order_by(invoices.c.issued_on.desc(), invoices.c.id.desc()).offset(offset).limit(limit + 1)
        )
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            items = await self._with_lines(conn, rows[:limit], today)
        return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)

    async def get_credit_note(self, principal: Principal, number: str) -> CreditNote | None:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        query = (
            select(credit_notes, companies.c.customer_number, invoices.c.number.label("invoice_number"))
            .select_from(
                credit_notes.join(companies, companies.c.id == credit_notes.c.company_id).outerjoin(
                    invoices, invoices.c.id == credit_notes.c.invoice_id
                )
            )
            .where(*_of_company(credit_notes, company_id), credit_notes.c.number.in_(_candidates(number)))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return CreditNote(
            number=row.number,
            customer_number=row.customer_number,
            invoice_number=row.invoice_number,
            issued_on=row.issued_on,
            total=Money(minor=row.total_minor, currency=row.currency),
            reason=row.reason,
        )

    async def approve_invoice(
        self, principal: Principal, number: str, *, action: Action[ApprovalOutcome] | None = None
    ) -> ApprovalOutcome | None:
        """One guarded UPDATE, so two approvers at once record one approval, the first one's."""
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        return await self._once(action, lambda: self._approve(principal, company_id, number, action))

    async def _approve(
        self, principal: Principal, company_id: int, number: str, action: Action[ApprovalOutcome] | None
    ) -> ApprovalOutcome | None:
        now, actor = self._now(), principal.user_id or ""
        where = [invoices.c.company_id == company_id, invoices.c.number.in_(_candidates(number))]
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "invoice.approve")
            if first is not None:
                earlier = json.loads(first)
                row = (
                    await conn.execute(
                        _INVOICE_SELECT.where(
                            *_of_company(invoices, company_id), invoices.c.number == earlier["number"]
                        )
                    )
                ).first()
                if row is None:
                    return None
                (invoice,) = await self._with_lines(conn, [row], self._today())
                return ApprovalOutcome(invoice=invoice, changed=bool(earlier["changed"]))
            invoice_id = await conn.scalar(
                update(invoices)
                .where(*where, invoices.c.status == InvoiceStatus.AWAITING_APPROVAL.value)
                .values(status=InvoiceStatus.OPEN.value, approved_by=actor, approved_at=now)
                .returning(invoices.c.id)
            )
            if invoice_id is not None:
                await conn.execute(
                    insert(invoice_events).values(invoice_id=invoice_id, at=now, kind="approved", actor=actor)
                )
            row = (
                await conn.execute(_INVOICE_SELECT.where(*_of_company(invoices, company_id), *where))
            ).first()
            if row is None:
                return None
            (invoice,) = await self._with_lines(conn, [row], self._today())
            outcome = ApprovalOutcome(invoice=invoice, changed=invoice_id is not None)
            mail_ids = await self._record_action(
                conn,
                action,
                "invoice.approve",
                outcome=json.dumps({"number": invoice.number, "changed": outcome.changed}),
                result=outcome,
                actor=principal.user_id,
            )
        await self._committed(mail_ids)
        return outcome

    async def record_forward(
        self,
        principal: Principal,
        number: str,
        to: str,
        *,
        queued: bool = False,
        action: Action[str] | None = None,
    ) -> str | None:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return None
        return await self._once(
            action, lambda: self._forward(principal, company_id, number, to, queued=queued, action=action)
        )

    async def _forward(
        self,
        principal: Principal,
        company_id: int,
        number: str,
        to: str,
        *,
        queued: bool,
        action: Action[str] | None,
    ) -> str | None:
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "invoice.forward")
            if first is not None:
                return first
            invoice_id = await conn.scalar(
                select(invoices.c.id).where(
                    invoices.c.company_id == company_id, invoices.c.number.in_(_candidates(number))
                )
            )
            if invoice_id is None:
                return None
            event_id = await conn.scalar(
                insert(invoice_events)
                .values(
                    invoice_id=invoice_id,
                    at=now,
                    kind="forwarded",
                    actor=principal.user_id or "",
                    detail=to.strip()[:500],
                    delivery=_QUEUED if queued else _SENT,
                    delivered_at=None if queued else now,
                )
                .returning(invoice_events.c.id)
            )
            reference = str(event_id)
            mail_ids = await self._record_action(
                conn, action, "invoice.forward", outcome=reference, result=reference, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return reference

    async def forward_delivered(self, reference: str, *, sent: bool, at: datetime) -> ForwardDelivery | None:
        """One guarded UPDATE: only a forward still queued changes, so a repeated report does nothing."""
        if not reference.isdigit():
            return None
        async with self._connect(write=True) as conn:
            result = await conn.execute(
                update(invoice_events)
                .where(
                    invoice_events.c.id == int(reference),
                    invoice_events.c.kind == "forwarded",
                    invoice_events.c.delivery == _QUEUED,
                )
                .values(delivery=_SENT if sent else _FAILED, delivered_at=at)
            )
            if result.rowcount != 1:
                return None
            row = (
                await conn.execute(
                    select(invoices.c.number, invoice_events.c.actor, invoice_events.c.detail)
                    .select_from(invoice_events.join(invoices, invoices.c.id == invoice_events.c.invoice_id))
                    .where(invoice_events.c.id == int(reference))
                )
            ).one()
        return ForwardDelivery(invoice_number=row.number, actor=row.actor, to=row.detail, sent=sent)

    async def withdraw_forward(self, principal: Principal, reference: str) -> bool:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None or not reference.isdigit():
            return False
        of_company = select(invoices.c.id).where(invoices.c.company_id == company_id).scalar_subquery()
        async with self._connect(write=True) as conn:
            result = await conn.execute(
                delete(invoice_events).where(
                    invoice_events.c.id == int(reference),
                    invoice_events.c.kind == "forwarded",
                    invoice_events.c.delivery == _QUEUED,
                    invoice_events.c.actor == (principal.user_id or ""),
                    invoice_events.c.invoice_id.in_(of_company),
                )
            )
        return bool(result.rowcount == 1)

    async def invoice_history(self, principal: Principal, number: str) -> Sequence[InvoiceEvent]:
        company_id = self._company(principal, Tool.INVOICES)
        if company_id is None:
            return ()
        query = (
            select(invoice_events)
            .select_from(invoice_events.join(invoices, invoices.c.id == invoice_events.c.invoice_id))
            .where(invoices.c.company_id == company_id, invoices.c.number.in_(_candidates(number)))
            .order_by(invoice_events.c.at, invoice_events.c.id)
        )
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
        return tuple(
            InvoiceEvent(
                at=r.at,
                kind=r.kind,
                actor=r.actor,
                detail=r.detail,
                reference=str(r.id),
                delivery=r.delivery,
                delivered_at=r.delivered_at,
            )
            for r in rows
        )

    async def _one(self, query: Select[Any]) -> Invoice | None:
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            (invoice,) = await self._with_lines(conn, [row], self._today())
            return invoice

    async def _with_lines(
        self, conn: AsyncConnection, rows: Sequence[AnyRow], today: date
    ) -> tuple[Invoice, ...]:
        if not rows:
            return ()
        by_invoice: dict[int, list[AnyRow]] = {row.id: [] for row in rows}
        line_rows = await conn.execute(
            select(invoice_lines)
            .where(invoice_lines.c.invoice_id.in_(list(by_invoice)))
            .order_by(invoice_lines.c.invoice_id, invoice_lines.c.line_no)
        )
        for line in line_rows:
            by_invoice[line.invoice_id].append(line)
        return tuple(_invoice(row, by_invoice[row.id], today) for row in rows)


def _invoice(row: AnyRow, lines: Iterable[AnyRow], today: date) -> Invoice:
    currency = row.currency

    def money(minor: int) -> Money:
        return Money(minor=minor, currency=currency)

    return Invoice(
        number=row.number,
        customer_number=row.customer_number,
        order_number=row.order_number,
        issued_on=row.issued_on,
        due_on=row.due_on,
        status=_invoice_status(row.status, row.due_on, today),
        net=money(row.net_minor),
        vat=money(row.vat_minor),
        total=money(row.total_minor),
        paid=money(row.paid_minor),
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        lines=tuple(
            InvoiceLine(
                line_no=line.line_no,
                description=line.description,
                quantity=line.quantity,
                unit_price=money(line.unit_price_minor),
                vat_rate=Decimal(line.vat_rate),
                net=money(line.net_minor),
                vat=money(line.vat_minor),
            )
            for line in lines
        ),
    )


# --- statements -----------------------------------------------------------------------------------

_UNSETTLED: Final = (
    InvoiceStatus.AWAITING_APPROVAL.value,
    InvoiceStatus.OPEN.value,
    InvoiceStatus.OVERDUE.value,
)


class SqlStatements(_SqlBase):
    """The account-receivable statement: a ledger of invoices, credit notes and payments."""

    async def statement(
        self, principal: Principal, *, date_from: date | None = None, date_to: date | None = None
    ) -> Statement:
        """Items dated in the period (default: the year up to today), the balance and what is overdue.

        Balance = what is open today on invoices issued up to ``date_to``, less credit notes and
        payments up to then not set against an invoice; overdue = the part of it due before today. An invoice's ``paid``
        includes the payments and credit notes set against it, so this equals the ledger sum
        (invoices - credit notes - payments) while reading only unsettled documents, not the
        account's whole history. Credit notes and payments are shown as negative amounts.
        """
        company_id = self._company(principal, Tool.STATEMENTS)
        today = self._today()
        date_to = date_to or today
        date_from = date_from or date_to - timedelta(days=DEFAULT_STATEMENT_DAYS)
        _check_range(date_from, date_to)
        if company_id is None:
            return _empty_statement(principal, date_from, date_to)
        async with self._connect() as conn:
            company = (
                await conn.execute(
                    select(companies.c.customer_number, companies.c.currency).where(
                        companies.c.id == company_id
                    )
                )
            ).one()
            invoice_rows = (
                await conn.execute(
                    select(invoices).where(
                        invoices.c.company_id == company_id,
                        invoices.c.issued_on >= date_from,
                        invoices.c.issued_on <= date_to,
                        invoices.c.status != InvoiceStatus.CANCELLED.value,
                    )
                )
            ).all()
            credit_rows = (
                await conn.execute(
                    select(credit_notes).where(
                        credit_notes.c.company_id == company_id,
                        credit_notes.c.issued_on >= date_from,
                        credit_notes.c.issued_on <= date_to,
                    )
                )
            ).all()
            payment_rows = (
                await conn.execute(
                    select(payments).where(
                        payments.c.company_id == company_id,
                        payments.c.paid_on >= date_from,
                        payments.c.paid_on <= date_to,
                    )
                )
            ).all()
            balance_minor, overdue_minor = await _balance(conn, company_id, date_to, today)
        currency = company.currency

        def money(minor: int) -> Money:
            return Money(minor=int(minor), currency=currency)

        items: list[StatementItem] = []
        for inv in invoice_rows:
            open_minor = inv.total_minor - inv.paid_minor
            items.append(
                StatementItem(
                    kind="invoice",
                    number=inv.number,
                    on=inv.issued_on,
                    due_on=inv.due_on,
                    amount=money(inv.total_minor),
                    open_amount=money(open_minor),
                    overdue=open_minor > 0 and inv.due_on < today,
                )
            )
        for note in credit_rows:
            items.append(
                StatementItem(
                    kind="credit_note",
                    number=note.number,
                    on=note.issued_on,
                    amount=money(-note.total_minor),
                    open_amount=money(0 if note.invoice_id is not None else -note.total_minor),
                )
            )
        for pay in payment_rows:
            items.append(
                StatementItem(
                    kind="payment",
                    number=pay.reference,
                    on=pay.paid_on,
                    amount=money(-pay.amount_minor),
                    open_amount=money(0 if pay.invoice_id is not None else -pay.amount_minor),
                )
            )
        order = {"invoice": 0, "credit_note": 1, "payment": 2}
        items.sort(key=lambda item: (item.on, order[item.kind], item.number))
        return Statement(
            customer_number=company.customer_number,
            currency=currency,
            date_from=date_from,
            date_to=date_to,
            balance=money(balance_minor),
            overdue=money(overdue_minor),
            items=tuple(items),
        )

    async def statement_page(
        self,
        principal: Principal,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        kinds: frozenset[str] = frozenset(),
        open_only: bool = False,
        overdue_only: bool = False,
        largest_first: bool = False,
        offset: int = 0,
        limit: int = 10,
    ) -> Statement:
        """Each kind's first ``offset + limit + 1`` matches in index order, merged: a chat turn reads a
        page however long the account's history (largest-first sorts the period's rows in SQL)."""
        company_id = self._company(principal, Tool.STATEMENTS)
        _check_page(offset, limit)
        today = self._today()
        date_to = date_to or today
        date_from = date_from or date_to - timedelta(days=DEFAULT_STATEMENT_DAYS)
        _check_range(date_from, date_to)
        wanted = kinds or frozenset(_KIND_ORDER)
        if company_id is None:
            return _empty_statement(principal, date_from, date_to)
        window = offset + limit + 1
        found: list[StatementItem] = []
        async with self._connect() as conn:
            company = (
                await conn.execute(
                    select(companies.c.customer_number, companies.c.currency).where(
                        companies.c.id == company_id
                    )
                )
            ).one()
            currency = company.currency
            if "invoice" in wanted:
                query = select(invoices).where(
                    invoices.c.company_id == company_id,
                    invoices.c.issued_on >= date_from,
                    invoices.c.issued_on <= date_to,
                    invoices.c.status != InvoiceStatus.CANCELLED.value,
                )
                if open_only or overdue_only:
                    query = query.where(invoices.c.status.in_(_UNSETTLED))
                if overdue_only:
                    query = query.where(invoices.c.due_on < today)
                order = (
                    (invoices.c.total_minor.desc(), invoices.c.id.desc())
                    if largest_first
                    else (invoices.c.issued_on.desc(), invoices.c.id.desc())
                )
                for inv in await conn.execute(query.order_by(*order).limit(window)):
                    found.append(_invoice_item(inv, currency, today))
            if not overdue_only:
                for kind, table, on, amount, number in (
                    ("credit_note", credit_notes, credit_notes.c.issued_on, credit_notes.c.total_minor,
                     credit_notes.c.number),
                    ("payment", payments, payments.c.paid_on, payments.c.amount_minor, payments.c.reference),
                ):  # fmt: skip
                    if kind not in wanted:
                        continue
                    query = select(
                        table.c.invoice_id, on.label("on"), amount.label("minor"), number.label("n")
                    )
                    query = query.where(table.c.company_id == company_id, on >= date_from, on <= date_to)
                    if open_only:
                        query = query.where(table.c.invoice_id.is_(None))
                    order = (
                        (amount.desc(), table.c.id.desc())
                        if largest_first
                        else (on.desc(), table.c.id.desc())
                    )
                    for row in await conn.execute(query.order_by(*order).limit(window)):
                        found.append(_ledger_item(kind, row, currency))
            balance_minor, overdue_minor = await _balance(conn, company_id, date_to, today)
        if largest_first:
            found.sort(key=lambda item: (-abs(item.amount.minor), item.on, item.number))
        else:
            found.sort(key=lambda item: (item.on, -_KIND_ORDER[item.kind], item.number), reverse=True)
        return Statement(
            customer_number=company.customer_number,
            currency=currency,
            date_from=date_from,
            date_to=date_to,
            balance=Money(minor=balance_minor, currency=currency),
            overdue=Money(minor=overdue_minor, currency=currency),
            items=tuple(found[offset : offset + limit]),
            has_more=len(found) > offset + limit,
        )


_KIND_ORDER: Final = {"invoice": 0, "credit_note": 1, "payment": 2}


def _invoice_item(inv: AnyRow, currency: str, today: date) -> StatementItem:
    open_minor = inv.total_minor - inv.paid_minor
    return StatementItem(
        kind="invoice",
        number=inv.number,
        on=inv.issued_on,
        due_on=inv.due_on,
        amount=Money(minor=inv.total_minor, currency=currency),
        open_amount=Money(minor=open_minor, currency=currency),
        overdue=open_minor > 0 and inv.due_on < today,
    )


def _ledger_item(kind: str, row: AnyRow, currency: str) -> StatementItem:
    """A credit note or payment: negative; open only while not set against an invoice."""
    return StatementItem(
        kind=kind,
        number=row.n,
        on=row.on,
        amount=Money(minor=-row.minor, currency=currency),
        open_amount=Money(minor=0 if row.invoice_id is not None else -row.minor, currency=currency),
    )


async def _balance(conn: AsyncConnection, company_id: int, date_to: date, today: date) -> tuple[int, int]:
    """(balance, overdue) in minor units, from unsettled invoices and unapplied credits and payments."""
    open_minor = invoices.c.total_minor - invoices.c.paid_minor

    def until(column: ColumnElement[date]) -> list[ColumnElement[bool]]:
        # Up to today is everything: leaving the date out lets the planner go by status or
        # "not set against an invoice" instead of walking the account's history by date.
        return [] if date_to >= today else [column <= date_to]

    open_row = (
        await conn.execute(
            select(
                func.coalesce(func.sum(open_minor), 0).label("open"),
                func.coalesce(func.sum(case((invoices.c.due_on < today, open_minor), else_=0)), 0).label(
                    "overdue"
                ),
            ).where(
                invoices.c.company_id == company_id,
                invoices.c.status.in_(_UNSETTLED),
                *until(invoices.c.issued_on),
            )
        )
    ).one()
    unapplied_credit = await conn.scalar(
        select(func.coalesce(func.sum(credit_notes.c.total_minor), 0)).where(
            credit_notes.c.company_id == company_id,
            credit_notes.c.invoice_id.is_(None),
            *until(credit_notes.c.issued_on),
        )
    )
    unapplied_payments = await conn.scalar(
        select(func.coalesce(func.sum(payments.c.amount_minor), 0)).where(
            payments.c.company_id == company_id,
            payments.c.invoice_id.is_(None),
            *until(payments.c.paid_on),
        )
    )
    return (
        int(open_row.open) - int(unapplied_credit or 0) - int(unapplied_payments or 0),
        int(open_row.overdue),
    )


# --- contracts ------------------------------------------------------------------------------------

_CONTRACT_SELECT: Final = select(contracts, companies.c.customer_number).select_from(
    contracts.join(companies, companies.c.id == contracts.c.company_id)
)


def _contract_status(stored: str, ends_on: date, today: date) -> ContractStatus:
    """An active contract past its end date is expired, whether or not a job has marked it yet."""
    status = ContractStatus(stored)
    return ContractStatus.EXPIRED if status is ContractStatus.ACTIVE and ends_on < today else status


class SqlContracts(_SqlBase):
    """Contracts and their dated versions (oldest first; the last one is current)."""

    async def get_contract(self, principal: Principal, number: str) -> Contract | None:
        company_id = self._company(principal, Tool.CONTRACTS)
        if company_id is None:
            return None
        query = _CONTRACT_SELECT.where(
            *_of_company(contracts, company_id), contracts.c.number.in_(_candidates(number))
        )
        found = await self._load(query)
        return found[0] if found else None

    async def list_contracts(self, principal: Principal, *, active_only: bool = False) -> Sequence[Contract]:
        """By end date, soonest first: the ones needing action come first."""
        company_id = self._company(principal, Tool.CONTRACTS)
        if company_id is None:
            return ()
        query = _CONTRACT_SELECT.where(*_of_company(contracts, company_id))
        if active_only:
            query = query.where(
                contracts.c.status == ContractStatus.ACTIVE.value, contracts.c.ends_on >= self._today()
            )
        return await self._load(query.order_by(contracts.c.ends_on, contracts.c.number))

    async def _load(self, query: Select[Any]) -> tuple[Contract, ...]:
        today = self._today()
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            if not rows:
                return ()
            versions: dict[int, list[ContractVersion]] = {row.id: [] for row in rows}
            version_rows = await conn.execute(
                select(
                    contract_versions.c.contract_id,
                    contract_versions.c.version,
                    contract_versions.c.created_at,
                    contract_versions.c.summary,
                    contract_versions.c.sha256,
                    contract_versions.c.signed_by,
                    contract_versions.c.signed_at,
                )
                .where(contract_versions.c.contract_id.in_(list(versions)))
                .order_by(contract_versions.c.contract_id, contract_versions.c.version)
            )
            for v in version_rows:
                versions[v.contract_id].append(
                    ContractVersion(
                        version=v.version,
                        created_at=v.created_at,
                        summary=v.summary,
                        sha256=v.sha256,
                        signed_by=v.signed_by,
                        signed_at=v.signed_at,
                    )
                )
        return tuple(
            Contract(
                number=row.number,
                customer_number=row.customer_number,
                title=row.title,
                kind=row.kind,
                status=_contract_status(row.status, row.ends_on, today),
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                notice_days=row.notice_days,
                annual_value=Money(minor=row.annual_value_minor, currency=row.currency),
                service_level=row.service_level,
                versions=tuple(versions[row.id]),
            )
            for row in rows
        )


def document_sha256(text: str) -> str:
    """The hash a contract version is identified and signed by: SHA-256 of its text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- inventory ------------------------------------------------------------------------------------

_ITEM_SELECT: Final = select(
    inventory_items,
    sites.c.name.label("site_name"),
    contracts.c.number.label("contract_number"),
).select_from(
    inventory_items.join(sites, sites.c.id == inventory_items.c.site_id).outerjoin(
        contracts, contracts.c.id == inventory_items.c.contract_id
    )
)


def _item(row: AnyRow) -> InventoryItem:
    return InventoryItem(
        serial=row.serial,
        product=row.product,
        kind=row.kind,
        site=row.site_name,
        location=row.location,
        installed_on=row.installed_on,
        contract_number=row.contract_number,
        service_level=row.service_level,
        maintenance_until=row.maintenance_until,
        leased_until=row.leased_until,
    )


class SqlInventory(_SqlBase):
    """Installed hardware and software by site."""

    async def list_items(self, principal: Principal, *, site: str | None = None) -> Sequence[InventoryItem]:
        company_id = self._company(principal, Tool.INVENTORY)
        if company_id is None:
            return ()
        async with self._connect() as conn:
            query = _ITEM_SELECT.where(inventory_items.c.company_id == company_id)
            if site is not None:
                site_ids = await self._site_ids(conn, company_id, site)
                if not site_ids:
                    return ()
                query = query.where(inventory_items.c.site_id.in_(site_ids))
            query = query.order_by(sites.c.name, inventory_items.c.product, inventory_items.c.serial)
            return tuple(_item(row) for row in await conn.execute(query))

    async def get_item(self, principal: Principal, serial: str) -> InventoryItem | None:
        company_id = self._company(principal, Tool.INVENTORY)
        if company_id is None:
            return None
        query = _ITEM_SELECT.where(
            inventory_items.c.company_id == company_id, inventory_items.c.serial.in_(_candidates(serial))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else _item(row)


# --- requests -------------------------------------------------------------------------------------

_REQUEST_SELECT: Final = select(requests, companies.c.customer_number).select_from(
    requests.join(companies, companies.c.id == requests.c.company_id)
)
# Agents read across companies, so no company filter leads the planner to the request first; the
# outer join (company_id is NOT NULL, so it finds the same row) keeps requests the driving table.
_AGENT_SELECT: Final = select(
    requests, companies.c.customer_number, companies.c.name.label("company_name")
).select_from(requests.outerjoin(companies, companies.c.id == requests.c.company_id))
_DOCUMENT_COLUMNS: Final = (
    request_documents.c.id,
    request_documents.c.name,
    request_documents.c.content_type,
    request_documents.c.size,
    request_documents.c.sha256,
    request_documents.c.uploaded_by,
    request_documents.c.at,
)
_AWAITING_SUPPORT: Final = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)
"""The statuses in which a request waits for support: only these are ever overdue."""
_DOCUMENT_ID = re.compile(r"[0-9]{1,18}")


class SqlRequests(_SqlBase):
    """Support requests and their history.

    A user sees the requests they opened; a company administrator sees all of the company's.
    """

    def _visible(self, principal: Principal, company_id: int) -> list[ColumnElement[bool]]:
        filters = _of_company(requests, company_id)
        if principal.role is not Role.COMPANY_ADMIN:
            filters.append(requests.c.requester_id == principal.user_id)
        return filters

    async def create_request(
        self, principal: Principal, new: NewRequest, *, action: Action[SupportRequest] | None = None
    ) -> SupportRequest:
        """Opens a request due one business day later; its number is derived from the row id.

        The subject is kept on one line (a line break in it could otherwise reach a mail header)."""
        company_id = self._company(principal, Tool.REQUESTS)
        if company_id is None:
            raise InvalidRequest("only a user of a customer company can open a request")
        new = new.model_copy(update={"subject": one_line(new.subject)})
        if not new.subject.strip() or not new.category.strip():
            raise InvalidRequest("a request needs a category and a subject")
        if new.priority not in REQUEST_PRIORITIES:
            raise InvalidRequest(f"priority must be one of {sorted(REQUEST_PRIORITIES)}")
        for field, value in (("category", new.category), ("subject", new.subject), ("related", new.related)):
            column_type = requests.c[field].type
            limit = column_type.length if isinstance(column_type, String) else None
            if value is not None and limit is not None and len(value.strip()) > limit:
                raise InvalidRequest(f"{field} is longer than {limit} characters")
        return await self._once(action, lambda: self._create(principal, company_id, new, action))

    async def _create(
        self, principal: Principal, company_id: int, new: NewRequest, action: Action[SupportRequest] | None
    ) -> SupportRequest:
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "request.open")
            if first is not None:
                (earlier,) = await self._requests_numbered(conn, company_id, first)
                return earlier
            request_id = await insert_request(
                conn,
                company_id=company_id,
                requester_id=principal.user_id,
                requester_name=principal.name or principal.user_id or "",
                category=new.category.strip(),
                subject=new.subject.strip(),
                description=new.description.strip(),
                priority=new.priority,
                status=RequestStatus.OPEN,
                related=new.related.strip() if new.related else None,
                created_at=now,
                due_at=one_business_day_later(now, principal.country),
            )
            row = (await conn.execute(_REQUEST_SELECT.where(requests.c.id == request_id))).one()
            (created,) = await self._with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, "request.open", outcome=created.number, result=created, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return created

    async def _requests_numbered(
        self, conn: AsyncConnection, company_id: int, number: str
    ) -> Sequence[SupportRequest]:
        rows = (
            await conn.execute(
                _REQUEST_SELECT.where(*_of_company(requests, company_id), requests.c.number == number)
            )
        ).all()
        return await self._with_history(conn, rows)

    async def get_request(self, principal: Principal, number: str) -> SupportRequest | None:
        company_id = self._company(principal, Tool.REQUESTS)
        if company_id is None:
            return None
        query = _REQUEST_SELECT.where(
            *self._visible(principal, company_id), requests.c.number.in_(_candidates(number))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            (found,) = await self._with_history(conn, [row])
        return found

    async def list_requests(
        self, principal: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 20
    ) -> Sequence[SupportRequest]:
        """Newest first, each with its full history."""
        company_id = self._company(principal, Tool.REQUESTS)
        _check_page(0, limit)
        if company_id is None:
            return ()
        query = _REQUEST_SELECT.where(*self._visible(principal, company_id))
        if statuses:
            query = query.where(requests.c.status.in_(sorted(status.value for status in statuses)))
        query = query.order_by(requests.c.created_at.desc(), requests.c.id.desc()).limit(limit)
        async with self._connect() as conn:
            rows = (await conn.execute(query)).all()
            return await self._with_history(conn, rows)

    async def add_comment(
        self,
        principal: Principal,
        number: str,
        text: str,
        *,
        action: Action[SupportRequest] | None = None,
    ) -> SupportRequest | None:
        """Adds the customer's comment to a request they may see; ``None`` when there is none such."""
        company_id = self._company(principal, Tool.REQUESTS)
        if not text.strip():
            raise InvalidRequest("a comment needs text")
        if company_id is None:
            return None
        return await self._once(action, lambda: self._comment(principal, company_id, number, text, action))

    async def _comment(
        self,
        principal: Principal,
        company_id: int,
        number: str,
        text: str,
        action: Action[SupportRequest] | None,
    ) -> SupportRequest | None:
        query = _REQUEST_SELECT.where(
            *self._visible(principal, company_id), requests.c.number.in_(_candidates(number))
        )
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, "request.comment")
            if first is not None:
                query = _REQUEST_SELECT.where(
                    *self._visible(principal, company_id), requests.c.number == first
                )
                row = (await conn.execute(query)).first()
                return (await self._with_history(conn, [row]))[0] if row is not None else None
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            await conn.execute(
                insert(request_events).values(
                    request_id=row.id,
                    at=self._now(),
                    kind="comment",
                    author=principal.name or principal.user_id or "",
                    text=text.strip(),
                )
            )
            if row.status in (RequestStatus.WAITING_FOR_CUSTOMER.value, RequestStatus.ANSWERED.value):
                await conn.execute(
                    update(requests).where(requests.c.id == row.id).values(status=RequestStatus.OPEN.value)
                )
            row = (await conn.execute(_REQUEST_SELECT.where(requests.c.id == row.id))).one()
            (found,) = await self._with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, "request.comment", outcome=found.number, result=found, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return found

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
        """Keeps a document with its SHA-256 on a request the customer may see; "attachment" in its history.

        Keyed per document (its checksum), so each file of a resent message is added once."""
        company_id = self._company(principal, Tool.REQUESTS)
        safe_name, kind, sha256 = documents.checked(name, content_type, data)
        if company_id is None:
            return None
        return await self._once(
            action,
            lambda: self._document(principal, company_id, number, (safe_name, kind, sha256), data, action),
        )

    async def _document(
        self,
        principal: Principal,
        company_id: int,
        number: str,
        checked: tuple[str, str, str],
        data: bytes,
        action: Action[SupportRequest] | None,
    ) -> SupportRequest | None:
        safe_name, kind, sha256 = checked
        action_kind = f"request.document:{sha256[:20]}"
        query = _REQUEST_SELECT.where(
            *self._visible(principal, company_id), requests.c.number.in_(_candidates(number))
        )
        author = principal.name or principal.user_id or ""
        now = self._now()
        async with self._connect(write=True) as conn:
            first = await self._first_outcome(conn, action, action_kind)
            if first is not None:
                query = _REQUEST_SELECT.where(
                    *self._visible(principal, company_id), requests.c.number == first
                )
            row = (await conn.execute(query)).first()
            if first is not None:
                return (await self._with_history(conn, [row]))[0] if row is not None else None
            if row is None:
                return None
            await conn.execute(
                insert(request_documents).values(
                    request_id=row.id,
                    name=safe_name,
                    content_type=kind,
                    size=len(data),
                    sha256=sha256,
                    data=data,
                    uploaded_by=author,
                    at=now,
                )
            )
            await conn.execute(
                insert(request_events).values(
                    request_id=row.id,
                    at=now,
                    kind="attachment",
                    author=author,
                    text=f"{safe_name} ({len(data)} bytes, SHA-256 {sha256})",
                )
            )
            (found,) = await self._with_history(conn, [row])
            mail_ids = await self._record_action(
                conn, action, action_kind, outcome=found.number, result=found, actor=principal.user_id
            )
        await self._committed(mail_ids)
        return found

    async def answer_request(self, agent: Principal, number: str, text: str) -> SupportRequest | None:
        """A support agent's answer: recorded in the history, the request becomes "answered"."""
        _agent_only(agent)
        if not text.strip():
            raise InvalidRequest("an answer needs text")
        return await self._agent_step(agent, number, "answer", text, RequestStatus.ANSWERED, again=True)

    async def _agent_step(
        self, agent: Principal, number: str, kind: str, text: str, status: RequestStatus, *, again: bool
    ) -> SupportRequest | None:
        """An agent's event on any company's request, and its new status, in one transaction.
        ``again=False``: a request already in ``status`` records nothing more."""
        async with self._connect(write=True) as conn:
            row = (
                await conn.execute(_REQUEST_SELECT.where(requests.c.number.in_(_candidates(number))))
            ).first()
            if row is None:
                return None
            if again or row.status != status.value:
                await conn.execute(
                    insert(request_events).values(
                        request_id=row.id,
                        at=self._now(),
                        kind=kind,
                        author=agent.name or agent.user_id or "",
                        text=text.strip(),
                    )
                )
                await conn.execute(
                    update(requests).where(requests.c.id == row.id).values(status=status.value)
                )
                row = (await conn.execute(_REQUEST_SELECT.where(requests.c.id == row.id))).one()
            (found,) = await self._with_history(conn, [row])
        return found

    # --- agents, across companies -----------------------------------------------------------------

    async def work_list(
        self, agent: Principal, *, statuses: frozenset[RequestStatus] = frozenset(), limit: int = 50
    ) -> Sequence[RequestSummary]:
        """What waits for support first, then what waits for the customer; each oldest due first.

        One walk of the (status, due_at) index per status, at most ``limit`` rows each and already in
        due order, merged here: it never reads the closed requests that pile up over the years, nor
        sorts all the work in hand to show its first page.
        """
        _agent_only(agent)
        _check_page(0, limit)
        if RequestStatus.CLOSED in statuses:
            raise InvalidRequest("the work list holds no closed requests")
        wanted = statuses or frozenset(RequestStatus) - {RequestStatus.CLOSED}
        rows: list[AnyRow] = []
        async with self._connect() as conn:
            for status in sorted(wanted):
                query = (
                    _AGENT_SELECT.where(requests.c.status == status.value)
                    .order_by(requests.c.due_at.asc().nulls_last(), requests.c.id)
                    .limit(limit)
                )
                rows.extend((await conn.execute(query)).all())
        rows.sort(key=_work_order)
        now = self._now()
        return tuple(RequestSummary(**_request_fields(row, now)) for row in rows[:limit])

    async def request_for_agent(self, agent: Principal, number: str) -> RequestDetail | None:
        _agent_only(agent)
        async with self._connect() as conn:
            row = (
                await conn.execute(_AGENT_SELECT.where(requests.c.number.in_(_candidates(number))))
            ).first()
            if row is None:
                return None
            (request,) = await self._with_history(conn, [row])
            files = await conn.execute(
                select(*_DOCUMENT_COLUMNS)
                .where(request_documents.c.request_id == row.id)
                .order_by(request_documents.c.at, request_documents.c.id)
            )
            listed = tuple(_document(f) for f in files)
        return RequestDetail(
            **_request_fields(row, self._now()),
            description=row.description,
            related=row.related,
            history=request.history,
            documents=listed,
        )

    async def document_for_agent(
        self, agent: Principal, number: str, document_id: str
    ) -> RequestDocumentData | None:
        _agent_only(agent)
        if not _DOCUMENT_ID.fullmatch(document_id):
            return None
        query = (
            select(*_DOCUMENT_COLUMNS, request_documents.c.data)
            .select_from(request_documents.join(requests, requests.c.id == request_documents.c.request_id))
            .where(request_documents.c.id == int(document_id), requests.c.number.in_(_candidates(number)))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else RequestDocumentData(document=_document(row), data=row.data)

    async def close_request(self, agent: Principal, number: str, resolution: str) -> SupportRequest | None:
        """Closed with the resolution as a "closed" event; closing a closed request records nothing."""
        _agent_only(agent)
        if not resolution.strip():
            raise InvalidRequest("closing a request needs a resolution")
        return await self._agent_step(agent, number, "closed", resolution, RequestStatus.CLOSED, again=False)

    async def _with_history(
        self, conn: AsyncConnection, rows: Sequence[AnyRow]
    ) -> tuple[SupportRequest, ...]:
        if not rows:
            return ()
        history: dict[int, list[RequestEvent]] = {row.id: [] for row in rows}
        event_rows = await conn.execute(
            select(request_events)
            .where(request_events.c.request_id.in_(list(history)))
            .order_by(request_events.c.request_id, request_events.c.at, request_events.c.id)
        )
        for e in event_rows:
            history[e.request_id].append(RequestEvent(at=e.at, kind=e.kind, author=e.author, text=e.text))
        return tuple(
            SupportRequest(
                number=row.number,
                customer_number=row.customer_number,
                requester=row.requester_id or row.requester_name,
                category=row.category,
                subject=row.subject,
                description=row.description,
                priority=row.priority,
                status=RequestStatus(row.status),
                created_at=row.created_at,
                due_at=row.due_at,
                history=tuple(history[row.id]),
            )
            for row in rows
        )


def _agent_only(agent: Principal) -> None:
    """Agents serve every company's customers; anyone else is refused before anything is read."""
    if agent.role is not Role.AGENT or agent.user_id is None:
        raise AccessDenied(Tool.REQUESTS)


def _work_order(row: AnyRow) -> tuple[bool, bool, datetime, int]:
    """Waiting for support before waiting for the customer; then by due time (none last), then id."""
    due: datetime | None = row.due_at
    waiting = row.status in {status.value for status in _AWAITING_SUPPORT}
    return (not waiting, due is None, due or datetime.min.replace(tzinfo=UTC), row.id)


def _request_fields(row: AnyRow, now: datetime) -> dict[str, Any]:
    status = RequestStatus(row.status)
    return {
        "number": row.number,
        "company": row.company_name or "",
        "customer_number": row.customer_number or "",
        "requester": row.requester_id or row.requester_name,
        "requester_name": row.requester_name,
        "category": row.category,
        "subject": row.subject,
        "priority": row.priority,
        "status": status,
        "created_at": row.created_at,
        "due_at": row.due_at,
        "overdue": status in _AWAITING_SUPPORT and row.due_at is not None and row.due_at < now,
    }


def _document(row: AnyRow) -> RequestDocument:
    return RequestDocument(
        id=str(row.id),
        name=row.name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        at=row.at,
    )


async def insert_request(
    conn: AsyncConnection,
    *,
    company_id: int,
    requester_id: str | None,
    requester_name: str,
    category: str,
    subject: str,
    description: str,
    priority: str,
    status: RequestStatus,
    related: str | None,
    created_at: datetime,
    due_at: datetime | None,
) -> int:
    """Inserts a request with its "created" event and returns its id; shared with the demo seed.

    The number comes from the id the database assigns, so concurrent workers never hand out the
    same number and no counter table is needed.
    """
    request_id: int = (
        await conn.execute(
            insert(requests)
            .values(
                number=uuid4().hex,  # a placeholder until the id is known
                company_id=company_id,
                requester_id=requester_id,
                requester_name=requester_name,
                category=category,
                subject=subject,
                description=description,
                priority=priority,
                status=status.value,
                related=related,
                created_at=created_at,
                due_at=due_at,
            )
            .returning(requests.c.id)
        )
    ).scalar_one()
    await conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(number=request_number(request_id, created_at))
    )
    await conn.execute(
        insert(request_events).values(
            request_id=request_id, at=created_at, kind="created", author=requester_name, text=description
        )
    )
    return request_id


# --- composition ----------------------------------------------------------------------------------


def sql_backends(
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    timeout: float | None = 10.0,
    outbox: MailQueue | None = None,
) -> Backends:
    """Every back end on one engine; ``clock`` (aware UTC) decides what "today" and "overdue" mean.

    ``timeout`` is the deadline of one call in seconds (``None``: none; ignored on SQLite). ``outbox``
    queues an action's mail in the action's own transaction: it must keep its table in this database.
    """
    from supportbot.integrations.sql.access import SqlAccess  # it builds on this module's _SqlBase

    options: dict[str, Any] = {"clock": clock, "timeout": timeout, "outbox": outbox}
    return Backends(
        directory=SqlDirectory(engine, **options),
        orders=SqlOrders(engine, **options),
        invoices=SqlInvoices(engine, **options),
        statements=SqlStatements(engine, **options),
        contracts=SqlContracts(engine, **options),
        inventory=SqlInventory(engine, **options),
        requests=SqlRequests(engine, **options),
        access=SqlAccess(engine, **options),
    )
