"""The built-in orders back end: orders with their lines, shipments and status history.

``get_order`` answers the order-status question of nearly every chat turn, so it is one statement,
built once: the order with its lines, shipments and history (``_GET_ORDER``). Other calls read the
related rows of an order with one query per table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.carriers import tracking_url
from supportbot.integrations.errors import InvalidRequest
from supportbot.integrations.models import (
    Carrier,
    GuestOrderStatus,
    Money,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    OrderSummary,
    Page,
    Principal,
    Shipment,
    Tool,
    trusted,
)
from supportbot.integrations.sql.base import AnyRow, SqlBase, candidates, check_page, check_range, day_start
from supportbot.integrations.sql.metadata import UTCDateTime
from supportbot.integrations.sql.schema import companies, order_events, order_lines, orders, shipments, sites
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlOrders"]

MAX_BATCH: Final = 10_000
MAX_PO_MATCHES: Final = 50
_ON_THE_WAY: Final = frozenset(
    {OrderStatus.RECEIVED, OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED}
)
"""The statuses before delivery: an order in one of them past its expected date is delayed."""

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
def _number_of_tenant(*, as_typed_only: bool) -> tuple[ColumnElement[bool], ...]:
    """The order asked for by number, as typed or upper-cased, of the tenant's company: every part of
    ``_GET_ORDER`` is filtered so. ``as_typed_only``: the number is its own upper case (digits, as
    most are), so one comparison says what ``IN`` of the two spellings says, which costs SQLite a
    list to build and search in each of the four parts."""
    number = (
        orders.c.number == bindparam("number")
        if as_typed_only
        else orders.c.number.in_([bindparam("number"), bindparam("number_upper")])
    )
    return (orders.c.company_id == bindparam("company_id"), number)


def _slots(*values: Any, kinds: Sequence[Any]) -> list[Any]:
    """``values`` padded with typed NULLs to one column per type in ``kinds``."""
    return [*values, *(cast(null(), kind) for kind in kinds[len(values) :])]


_INTS: Final = (BigInteger,) * 4
_TEXTS: Final = (String,) * 6
_TIMES: Final = (UTCDateTime,) * 2


def _part(
    kind: int,
    order_id: Any,
    *,
    ints: Sequence[Any] = (),
    texts: Sequence[Any] = (),
    times: Sequence[Any] = (),
    day: Any = None,
) -> list[Any]:
    """One part's columns in ``_GET_ORDER``'s common shape: what the part is (0 the order, 1 a line,
    2 a shipment, 3 an event), the order's id, four integers, six texts, two timestamps, a date."""
    return [
        literal_column(str(kind), Integer),
        order_id,
        *_slots(*ints, kinds=_INTS),
        *_slots(*texts, kinds=_TEXTS),
        *_slots(*times, kinds=_TIMES),
        cast(null(), Date) if day is None else day,
    ]


def _children(table: Any) -> Any:
    """``table``'s rows of the order asked for, joined to it so the tenant filter is in the query."""
    return table.join(orders, orders.c.id == table.c.order_id)


def _get_order_statement(*, as_typed_only: bool) -> CompoundSelect[Any]:
    of_tenant = _number_of_tenant(as_typed_only=as_typed_only)
    return union_all(
        select(
            *_part(
                0,
                orders.c.id,
                ints=(orders.c.total_minor,),
                texts=(
                    orders.c.number,
                    orders.c.po_number,
                    orders.c.status,
                    orders.c.currency,
                    sites.c.name,
                    companies.c.customer_number,
                ),
                times=(orders.c.ordered_at, orders.c.delivered_at),
                day=orders.c.expected_delivery,
            )
        )
        .select_from(
            orders.join(companies, companies.c.id == orders.c.company_id).outerjoin(
                sites, sites.c.id == orders.c.site_id
            )
        )
        .where(*of_tenant, companies.c.id == bindparam("company_id")),
        select(
            *_part(
                1,
                order_lines.c.order_id,
                ints=(
                    order_lines.c.line_no,
                    order_lines.c.quantity,
                    order_lines.c.unit_price_minor,
                    order_lines.c.total_minor,
                ),
                texts=(order_lines.c.product_code, order_lines.c.description),
            )
        )
        .select_from(_children(order_lines))
        .where(*of_tenant),
        select(
            *_part(
                2,
                shipments.c.order_id,
                ints=(shipments.c.id,),
                texts=(shipments.c.carrier, shipments.c.tracking_number),
                times=(shipments.c.shipped_at, shipments.c.delivered_at),
                day=shipments.c.expected_at,
            )
        )
        .select_from(_children(shipments))
        .where(*of_tenant),
        select(
            *_part(
                3,
                order_events.c.order_id,
                ints=(order_events.c.id,),
                texts=(order_events.c.status,),
                times=(order_events.c.at,),
            )
        )
        .select_from(_children(order_events))
        .where(*of_tenant),
    )


_GET_ORDER: Final = _get_order_statement(as_typed_only=False)
"""An order by number with its lines, shipments and history in one statement (one round trip, one
execution's overhead instead of four): the parts share one shape of typed columns, ``_part``."""
_GET_ORDER_AS_TYPED: Final = _get_order_statement(as_typed_only=True)
"""``_GET_ORDER`` for a number that is its own upper case."""
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


class SqlOrders(SqlBase):
    """Orders with their lines, shipments and status history."""

    async def get_order(self, principal: Principal, number: str) -> Order | None:
        return await scope(principal, Tool.ORDERS).run(lambda tenant: self._get_order(tenant, number), None)

    async def _get_order(self, tenant: Tenant, number: str) -> Order | None:
        cleaned = number.strip()
        upper = cleaned.upper()
        statement = _GET_ORDER_AS_TYPED if upper == cleaned else _GET_ORDER
        params = {"company_id": tenant.company_id, "number": cleaned, "number_upper": upper}
        return _order_of_parts(await self._rows(statement, params))

    async def latest_order(self, principal: Principal) -> Order | None:
        return await scope(principal, Tool.ORDERS).run(self._latest_order, None)

    async def _latest_order(self, tenant: Tenant) -> Order | None:
        async with self._connect() as conn:
            query = (
                _ORDER_SELECT.where(*tenant.owns_joined(orders))
                .order_by(orders.c.ordered_at.desc(), orders.c.id.desc())
                .limit(1)
            )
            row = (await conn.execute(query)).first()
            return None if row is None else await self._full_order(conn, row)

    async def find_by_po(self, principal: Principal, po_number: str) -> Sequence[OrderSummary]:
        """Orders with this purchase-order number, newest first (a PO may be split over orders)."""
        scoped = scope(principal, Tool.ORDERS)
        if not po_number.strip():
            return ()
        return await scoped.run(lambda tenant: self._find_by_po(tenant, po_number), ())

    async def _find_by_po(self, tenant: Tenant, po_number: str) -> tuple[OrderSummary, ...]:
        async with self._connect() as conn:
            query = (
                _ORDER_SELECT.where(
                    *tenant.owns_joined(orders), orders.c.po_number.in_(candidates(po_number))
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
        delayed: bool = False,
        offset: int = 0,
        limit: int = 10,
    ) -> Page[OrderSummary]:
        """Newest first; dates are the user's whole days (``Principal.zone``), both ends included.

        ``delayed``: orders still on their way (a status before delivery) whose expected delivery
        date is before the principal's today, the earliest expected first. The (company, status,
        expected delivery) index finds them per status without reading the delivered orders that
        make most of a history."""
        scoped = scope(principal, Tool.ORDERS)
        check_page(offset, limit)
        check_range(date_from, date_to)
        empty: Page[OrderSummary] = Page(items=(), offset=offset, limit=limit, has_more=False)
        if delayed:
            statuses = (statuses or frozenset(OrderStatus)) & _ON_THE_WAY
            if not statuses:
                return empty
        late_on = self._today(principal) if delayed else None
        wanted = _Wanted(statuses, date_from, date_to, late_on=late_on, zone=principal.zone)
        return await scoped.run(lambda tenant: self._search(tenant, wanted, site, empty), empty)

    async def _search(
        self, tenant: Tenant, wanted: _Wanted, site: str | None, empty: Page[OrderSummary]
    ) -> Page[OrderSummary]:
        offset, limit = empty.offset, empty.limit
        async with self._connect() as conn:
            at_site: list[ColumnElement[bool]] = []
            if site is not None:
                site_ids = await self._site_ids(conn, tenant, site)
                if not site_ids:
                    return empty
                at_site.append(orders.c.site_id.in_(site_ids))
            order = (
                (orders.c.expected_delivery, orders.c.id)
                if wanted.late_on is not None
                else (orders.c.ordered_at.desc(), orders.c.id.desc())
            )
            if len(wanted.statuses) > 1:
                # Each status's first, walked on the (company, status, ...) indexes, then merged: one
                # IN over the statuses reads every order of them (most of a history) to sort them.
                picked = union_all(
                    *(
                        select(orders.c.id)
                        .where(*replace(wanted, statuses=frozenset({status})).filters(tenant, joined=False))
                        .where(*at_site)
                        .order_by(*order)
                        .limit(offset + limit + 1)
                        .subquery()
                        .select()
                        for status in sorted(wanted.statuses)
                    )
                ).subquery("picked")
                query = _ORDER_SELECT.join(picked, picked.c.id == orders.c.id).where(
                    *tenant.owns_joined(orders)
                )
            else:
                query = _ORDER_SELECT.where(*wanted.filters(tenant), *at_site)
            query = query.order_by(*order).offset(offset).limit(limit + 1)
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
        delayed: bool = False,
        batch_size: int = 1000,
    ) -> AsyncIterator[OrderSummary]:
        """Oldest first, by keyset pagination on (ordered_at, id); a connection is held per batch only.
        ``delayed`` as ``search_orders`` has it.

        Not itself a generator, so that a missing grant or a bad argument raises at the call.
        """
        scoped = scope(principal, Tool.ORDERS)
        check_range(date_from, date_to)
        if not 1 <= batch_size <= MAX_BATCH:
            raise InvalidRequest(f"batch_size must be between 1 and {MAX_BATCH}")
        late_on = None
        if delayed:
            statuses = (statuses or frozenset(OrderStatus)) & _ON_THE_WAY
            late_on = self._today(principal)
        wanted = _Wanted(statuses, date_from, date_to, late_on=late_on, zone=principal.zone)
        if delayed and not statuses:  # (delivered or cancelled ones asked for: none is late)
            return scoped.stream(lambda tenant: _no_orders())
        return scoped.stream(lambda tenant: self._stream_orders(tenant, wanted, batch_size))

    async def _stream_orders(
        self, tenant: Tenant, wanted: _Wanted, batch_size: int
    ) -> AsyncIterator[OrderSummary]:
        base = _ORDER_SELECT.where(*wanted.filters(tenant))
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


def _order_of_parts(rows: Sequence[Sequence[Any]]) -> Order | None:
    """The order of ``_GET_ORDER``'s rows. Two orders may match a number as typed and upper-cased:
    the first one found is the answer, as with one query per table."""
    for head in rows:
        if head[0] == 0:
            break
    else:
        return None
    order_id = head[1]
    _, _, total, _, _, _, number, po_number, status, currency, site, customer, ordered, delivered, due = head
    lines, found_shipments, events = [], [], []
    for row in rows:
        if row[1] == order_id:
            kind = row[0]
            if kind == 1:
                lines.append(row)
            elif kind == 3:
                events.append(row)
            elif kind == 2:
                found_shipments.append(row)
    lines.sort(key=_SECOND)
    events.sort(key=_AT_THEN_ID)
    shipped = []
    if found_shipments:
        found_shipments.sort(key=_SECOND)
        for sent in found_shipments:
            carrier = _CARRIERS.get(sent[6]) or Carrier(sent[6])
            shipped.append(
                trusted(
                    Shipment,
                    carrier=carrier,
                    tracking_number=sent[7],
                    tracking_url=tracking_url(carrier, sent[7]),
                    shipped_at=sent[12],
                    expected_at=sent[14],
                    delivered_at=sent[13],
                )
            )
    statuses = _STATUSES
    return trusted(
        Order,
        number=number,
        po_number=po_number,
        status=statuses.get(status) or OrderStatus(status),
        ordered_at=ordered,
        expected_delivery=due,
        delivered_at=delivered,
        total=trusted(Money, minor=total, currency=currency),
        site=site,
        customer_number=customer,
        lines=tuple(
            [
                trusted(
                    OrderLine,
                    line_no=line[2],
                    product_code=line[6],
                    description=line[7],
                    quantity=line[3],
                    unit_price=trusted(Money, minor=line[4], currency=currency),
                    total=trusted(Money, minor=line[5], currency=currency),
                )
                for line in lines
            ]
        ),
        shipments=tuple(shipped),
        history=tuple(
            [trusted(OrderEvent, status=statuses.get(e[6]) or OrderStatus(e[6]), at=e[12]) for e in events]
        ),
    )


_SECOND: Final = itemgetter(2)
_AT_THEN_ID: Final = itemgetter(12, 2)
_STATUSES: Final = {s.value: s for s in OrderStatus}
_CARRIERS: Final = {c.value: c for c in Carrier}
"""The enums' members by value, looked up without the enum's own constructor (a value not among
them still goes through it, and is refused as before)."""


async def _no_orders() -> AsyncIterator[OrderSummary]:
    return
    yield  # (an async generator that yields nothing)


@dataclass(frozen=True, slots=True)
class _Wanted:
    """The orders a search or a report asks for: of these statuses (any if none), ordered in these
    whole days of the user's time zone (both ends included)."""

    statuses: frozenset[OrderStatus]
    date_from: date | None
    date_to: date | None
    late_on: date | None = None
    """Only orders expected before this day (the delayed ones, with the statuses still on the way)."""
    zone: tzinfo = UTC
    """The time zone whose days ``date_from`` and ``date_to`` are: the user's."""

    def filters(self, tenant: Tenant, *, joined: bool = True) -> list[ColumnElement[bool]]:
        """The conditions on the orders; ``joined``: with the company joined (``Tenant.owns_joined``)."""
        filters = tenant.owns_joined(orders) if joined else [tenant.owns(orders)]
        if self.late_on is not None:
            filters.append(orders.c.expected_delivery < self.late_on)
        if self.statuses:
            filters.append(orders.c.status.in_(sorted(status.value for status in self.statuses)))
        if self.date_from is not None:
            filters.append(orders.c.ordered_at >= day_start(self.date_from, self.zone))
        if self.date_to is not None:
            filters.append(orders.c.ordered_at < day_start(self.date_to + timedelta(days=1), self.zone))
        return filters
