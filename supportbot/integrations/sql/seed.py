"""Demo data and generated volume for the built-in back end.

The database must be migrated first (``migrate``): this module only writes rows.

``seed_demo`` writes the named demo records listed below (two customer companies, their people, orders,
invoices, contracts, inventory and requests) with consistent related data, dated
relative to ``today`` so that "expected in three days" stays true whenever the demo is set up.
``seed_volume`` adds any number of generated orders, invoices and installed items, deterministically
from a seed, in bulk batches (a million orders on SQLite in minutes, not hours).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from supportbot.integrations.models import (
    Carrier,
    ContractStatus,
    InvoiceStatus,
    OrderStatus,
    RequestStatus,
    Role,
    Tool,
)
from supportbot.integrations.sql import schema
from supportbot.integrations.sql.contracts import document_sha256
from supportbot.integrations.sql.demo import DEMO_CUSTOMER_NUMBERS, demo_present, demo_today
from supportbot.integrations.sql.passwords import hash_password
from supportbot.integrations.sql.request_records import insert_request, one_business_day_later
from supportbot.integrations.sql.schema import (
    companies,
    contract_versions,
    contracts,
    credit_notes,
    grants,
    inventory_items,
    invoice_lines,
    invoices,
    order_events,
    order_lines,
    orders,
    payments,
    request_events,
    shipments,
    sites,
    users,
)

__all__ = [
    "DEMO_CUSTOMER_NUMBERS",
    "DEMO_PASSWORD",
    "seed_demo",
    "seed_volume",
]

DEMO_PASSWORD: Final = "demo"  # noqa: S105 (the demo data's, documented in the README)
"""Every demo user's and the agent's password, in the demo data only."""
VOLUME_FIRST_NUMBER: Final = 100_000
"""Generated order and invoice numbers start here, far above the demo's 4711 or INV-2031."""

_FLOW: Final = (
    OrderStatus.RECEIVED,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)


# --- the named demo records -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    code: str
    description: str
    quantity: int
    unit_minor: int

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_minor


@dataclass(frozen=True)
class _DemoOrder:
    number: str
    company: str  # customer number
    site: str
    po_number: str
    status: OrderStatus
    lines: tuple[_Line, ...]
    # (status, days ago, hour) in order of occurrence; the first is the order's entry
    events: tuple[tuple[OrderStatus, int, int], ...]
    expected_in_days: int | None = None  # relative to today
    shipment: tuple[Carrier, str] | None = None  # carrier and tracking number; its dates are the events'


@dataclass(frozen=True)
class _DemoInvoice:
    number: str
    company: str
    order: str | None
    issued_days_ago: int
    due_in_days: int  # relative to today; negative means in the past
    status: InvoiceStatus
    vat_rate: int
    lines: tuple[_Line, ...]
    approved_by: str | None = None
    payment: tuple[str, int, int] | None = None  # reference, days ago, amount (minor)
    settled_by_credit: int = 0  # minor units of credit notes set against it


def _sek(kronor: int) -> int:
    return kronor * 100


_MEMORY = _Line("EM6Y", "64 GB DDR4 DDIMM memory for IBM Power S1022", 4, _sek(12_500))
_FCM = _Line("AHS4", "IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module", 2, _sek(20_000))
_INSTALL = _Line("SVC-INST", "Installation and configuration service", 1, _sek(10_000))
_S1022 = _Line("9105-22A", "IBM Power S1022 server (2U, 2-socket, 20-core Power10)", 1, _sek(412_000))
_FC_ADAPTER = _Line("EN1A", "PCIe3 32 Gb 2-port Fibre Channel adapter", 2, _sek(14_500))

_DEMO_ORDERS: Final = (
    _DemoOrder(
        number="4711", company="1000123", site="Kista", po_number="NV-PO-889", status=OrderStatus.SHIPPED,
        lines=(_MEMORY, _FCM, _INSTALL),
        events=((OrderStatus.RECEIVED, 12, 9), (OrderStatus.CONFIRMED, 11, 10),
                (OrderStatus.IN_PRODUCTION, 9, 7), (OrderStatus.SHIPPED, 2, 14)),
        expected_in_days=3, shipment=(Carrier.POSTNORD, "00370712345678901234"),
    ),
    _DemoOrder(
        number="4712", company="1000123", site="Göteborg", po_number="NV-PO-902",
        status=OrderStatus.IN_PRODUCTION, lines=(_S1022, _FC_ADAPTER),
        events=((OrderStatus.RECEIVED, 5, 13), (OrderStatus.CONFIRMED, 4, 9), (OrderStatus.IN_PRODUCTION, 2, 8)),
        expected_in_days=16,
    ),
    _DemoOrder(
        number="4708", company="1000123", site="Kista", po_number="NV-PO-877", status=OrderStatus.CONFIRMED,
        lines=(_Line("3555-L3A", "IBM TS4300 tape library base module", 1, _sek(98_000)),),
        events=((OrderStatus.RECEIVED, 20, 11), (OrderStatus.CONFIRMED, 19, 15)),
        expected_in_days=20,
    ),
    _DemoOrder(
        number="4702", company="1000123", site="Göteborg", po_number="NV-PO-861", status=OrderStatus.DELIVERED,
        lines=(_Line("4662-12G", "IBM FlashSystem 5200 2U12 expansion enclosure", 1, _sek(64_000)),),
        events=((OrderStatus.RECEIVED, 35, 10), (OrderStatus.CONFIRMED, 34, 9), (OrderStatus.IN_PRODUCTION, 32, 8),
                (OrderStatus.SHIPPED, 28, 16), (OrderStatus.DELIVERED, 26, 11)),
        expected_in_days=-26, shipment=(Carrier.DB_SCHENKER, "SEGOT7712093"),
    ),
    _DemoOrder(
        number="4690", company="1000123", site="Kista", po_number="NV-PO-850", status=OrderStatus.DELIVERED,
        lines=(_FC_ADAPTER, _Line("SVC-INST", "Installation and configuration service", 1, _sek(21_000))),
        events=((OrderStatus.RECEIVED, 62, 8), (OrderStatus.CONFIRMED, 61, 10), (OrderStatus.IN_PRODUCTION, 60, 9),
                (OrderStatus.SHIPPED, 57, 15), (OrderStatus.DELIVERED, 55, 12)),
        expected_in_days=-55, shipment=(Carrier.UPS, "1Z4E5V796841823317"),
    ),
    _DemoOrder(
        number="4681", company="1000123", site="Kista", po_number="NV-PO-840", status=OrderStatus.CANCELLED,
        lines=(_Line("9105-41B", "IBM Power S1014 server (4U, 1-socket, 8-core Power10)", 1, _sek(188_000)),),
        events=((OrderStatus.RECEIVED, 95, 14), (OrderStatus.CANCELLED, 93, 9)),
    ),
    _DemoOrder(
        number="4655", company="1000123", site="Göteborg", po_number="NV-PO-812", status=OrderStatus.DELIVERED,
        lines=(_Line("4662-6H2", "IBM FlashSystem 5200 NVMe control enclosure", 1, _sek(365_000)),),
        events=((OrderStatus.RECEIVED, 130, 9), (OrderStatus.CONFIRMED, 129, 9), (OrderStatus.IN_PRODUCTION, 127, 8),
                (OrderStatus.SHIPPED, 124, 17), (OrderStatus.DELIVERED, 122, 10)),
        expected_in_days=-122, shipment=(Carrier.FEDEX, "794657311208"),
    ),
    _DemoOrder(
        number="4630", company="1000123", site="Kista", po_number="NV-PO-790", status=OrderStatus.DELIVERED,
        lines=(_Line("5765-CD3", "IBM AIX 7.3 Standard Edition, per core", 20, _sek(1_450)),),
        events=((OrderStatus.RECEIVED, 170, 10), (OrderStatus.CONFIRMED, 170, 15),
                (OrderStatus.SHIPPED, 168, 9), (OrderStatus.DELIVERED, 167, 13)),
        expected_in_days=-167, shipment=(Carrier.POSTNORD, "00370712345678900987"),
    ),
    _DemoOrder(
        number="5801", company="2000456", site="München", po_number="CON-4500123", status=OrderStatus.DELIVERED,
        lines=(_Line("9105-41B", "IBM Power S1014 server (4U, 1-socket, 8-core Power10)", 1, 1_490_000),
               _Line("SVC-INST", "Installation and configuration service", 1, 350_000)),
        events=((OrderStatus.RECEIVED, 30, 8), (OrderStatus.CONFIRMED, 29, 9), (OrderStatus.IN_PRODUCTION, 28, 7),
                (OrderStatus.SHIPPED, 25, 15), (OrderStatus.DELIVERED, 22, 10)),
        expected_in_days=-22, shipment=(Carrier.DHL, "JD014600006281230704"),
    ),
    _DemoOrder(
        number="5790", company="2000456", site="München", po_number="CON-4500098", status=OrderStatus.DELIVERED,
        lines=(_Line("5725-W98", "IBM Storage Protect, per front-end TB", 10, 115_000),),
        events=((OrderStatus.RECEIVED, 80, 9), (OrderStatus.CONFIRMED, 80, 14),
                (OrderStatus.SHIPPED, 78, 10), (OrderStatus.DELIVERED, 76, 12)),
        expected_in_days=-76, shipment=(Carrier.UPS, "1Z999AA10123456784"),
    ),
    _DemoOrder(
        number="5795", company="2000456", site="München", po_number="CON-4500107", status=OrderStatus.DELIVERED,
        lines=(_Line("EN1A", "PCIe3 32 Gb 2-port Fibre Channel adapter", 2, 145_000),),
        events=((OrderStatus.RECEIVED, 50, 11), (OrderStatus.CONFIRMED, 49, 9),
                (OrderStatus.SHIPPED, 47, 16), (OrderStatus.DELIVERED, 45, 10)),
        expected_in_days=-45, shipment=(Carrier.FEDEX, "794612345678"),
    ),
    _DemoOrder(
        number="5805", company="2000456", site="München", po_number="CON-4500131", status=OrderStatus.SHIPPED,
        lines=(_Line("EM6Y", "64 GB DDR4 DDIMM memory for IBM Power S1014", 2, 125_000),),
        events=((OrderStatus.RECEIVED, 8, 10), (OrderStatus.CONFIRMED, 7, 9), (OrderStatus.SHIPPED, 1, 15)),
        expected_in_days=2, shipment=(Carrier.DB_SCHENKER, "DEMUC4417720"),
    ),
    _DemoOrder(
        number="5810", company="2000456", site="München", po_number="CON-4500140", status=OrderStatus.CONFIRMED,
        lines=(_Line("3555-L3A", "IBM TS4300 tape library base module", 1, 980_000),),
        events=((OrderStatus.RECEIVED, 3, 13), (OrderStatus.CONFIRMED, 2, 10)),
        expected_in_days=21,
    ),
)  # fmt: skip

_ANNA: Final = "anna.berg@nordisk.example"
_MAX: Final = "max.muller@contoso.example"
_LENA: Final = "lena.wagner@contoso.example"
_CONTRACTS_DESK: Final = "Karin Holm, contracts"


def _invoice_lines_of(order_number: str) -> tuple[_Line, ...]:
    return next(order.lines for order in _DEMO_ORDERS if order.number == order_number)


_DEMO_INVOICES: Final = (
    _DemoInvoice(
        number="INV-2011", company="1000123", order="4630", issued_days_ago=165, due_in_days=-135,
        status=InvoiceStatus.PAID, vat_rate=25, lines=_invoice_lines_of("4630"), approved_by=_ANNA,
        payment=("PAY-2011", 140, _sek(36_250)),
    ),
    _DemoInvoice(
        number="INV-2018", company="1000123", order="4655", issued_days_ago=121, due_in_days=-91,
        status=InvoiceStatus.PAID, vat_rate=25, lines=_invoice_lines_of("4655"), approved_by=_ANNA,
        payment=("PAY-2018", 95, _sek(456_250)),
    ),
    # 62 500,00 SEK: settled by CN-0107 (5 000,00) and a payment of 57 500,00.
    _DemoInvoice(
        number="INV-2032", company="1000123", order="4690", issued_days_ago=55, due_in_days=-25,
        status=InvoiceStatus.PAID, vat_rate=25, lines=_invoice_lines_of("4690"), approved_by=_ANNA,
        payment=("PAY-2032", 30, _sek(57_500)), settled_by_credit=_sek(5_000),
    ),
    _DemoInvoice(
        number="INV-2030", company="1000123", order="4702", issued_days_ago=26, due_in_days=4,
        status=InvoiceStatus.PAID, vat_rate=25, lines=_invoice_lines_of("4702"), approved_by=_ANNA,
        payment=("PAY-2030", 10, _sek(80_000)),
    ),
    # Net 100 000,00 + 25 % VAT 25 000,00 = 125 000,00 SEK, waiting for the customer's approval.
    _DemoInvoice(
        number="INV-2031", company="1000123", order="4711", issued_days_ago=2, due_in_days=28,
        status=InvoiceStatus.AWAITING_APPROVAL, vat_rate=25, lines=_invoice_lines_of("4711"),
    ),
    _DemoInvoice(
        number="INV-3041", company="2000456", order="5790", issued_days_ago=75, due_in_days=-45,
        status=InvoiceStatus.PAID, vat_rate=19, lines=_invoice_lines_of("5790"), approved_by=_MAX,
        payment=("PAY-3041", 50, 1_368_500),
    ),
    _DemoInvoice(
        number="INV-3046", company="2000456", order="5795", issued_days_ago=45, due_in_days=-15,
        status=InvoiceStatus.PAID, vat_rate=19, lines=_invoice_lines_of("5795"), approved_by=_MAX,
        payment=("PAY-3046", 20, 345_100),
    ),
    _DemoInvoice(
        number="INV-3050", company="2000456", order="5801", issued_days_ago=25, due_in_days=-11,
        status=InvoiceStatus.OVERDUE, vat_rate=19, lines=_invoice_lines_of("5801"), approved_by=_MAX,
    ),
)  # fmt: skip


def _vat(net_minor: int, rate: int) -> int:
    """VAT rounded half up to the minor unit."""
    return (net_minor * rate + 50) // 100


def _contract_text(number: str, customer: str, body: Sequence[str]) -> str:
    return "\n".join([f"Contract {number}", f"Customer: {customer}", "", *body, ""])


async def seed_demo(engine: AsyncEngine, *, today: date) -> bool:
    """Writes the named demo records; ``False`` and nothing written when they are already there.

    Safe to call on every start, also from several workers at once: the loser of a race hits a
    unique constraint, its transaction rolls back and it returns ``False``.
    """
    if await demo_present(engine):
        return False
    password_hashes = await asyncio.to_thread(lambda: [hash_password(DEMO_PASSWORD) for _ in range(6)])
    try:
        async with engine.begin() as conn:
            await _write_demo(conn, today, password_hashes)
    except IntegrityError:
        return False
    return True


async def _insert_id(conn: AsyncConnection, table: Table, **values: Any) -> int:
    result = await conn.execute(insert(table).values(**values).returning(table.c.id))
    new_id: int = result.scalar_one()
    return new_id


async def _write_demo(conn: AsyncConnection, today: date, password_hashes: list[str]) -> None:
    def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=UTC)

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    # companies and sites
    company_ids = {
        "1000123": await _insert_id(
            conn, companies, customer_number="1000123", name="Nordisk Verkstad AB",
            country="SE", currency="SEK", locale="sv",
        ),
        "2000456": await _insert_id(
            conn, companies, customer_number="2000456", name="Contoso GmbH",
            country="DE", currency="EUR", locale="en",
        ),
    }  # fmt: skip
    currency = {"1000123": "SEK", "2000456": "EUR"}
    site_ids = {
        "Kista": await _insert_id(
            conn, sites, company_id=company_ids["1000123"], name="Kista", city="Stockholm", country="SE"
        ),
        "Göteborg": await _insert_id(
            conn, sites, company_id=company_ids["1000123"], name="Göteborg", city="Göteborg", country="SE"
        ),
        "München": await _insert_id(
            conn, sites, company_id=company_ids["2000456"], name="München", city="München", country="DE"
        ),
    }

    # users and their grants
    every_tool = [tool.value for tool in Tool]
    people = [
        (_ANNA, "Anna Berg", "+46 8 555 012 34", "1000123", Role.COMPANY_ADMIN, every_tool),
        ("erik.lund@nordisk.example", "Erik Lund", "+46 31 555 067 89", "1000123", Role.USER,
         [Tool.ORDERS.value, Tool.REQUESTS.value]),
        (_MAX, "Max Müller", "+49 89 5550 1234", "2000456", Role.USER, every_tool),
        (_LENA, "Lena Wagner", "+49 89 5550 1200", "2000456", Role.COMPANY_ADMIN, every_tool),
        ("sara@support.example", "Sara Lindqvist", "+46 8 555 000 00", None, Role.AGENT, []),
        ("jonas@support.example", "Jonas Ek", "+46 8 555 000 01", None, Role.SUPPORT_ADMIN, []),
    ]  # fmt: skip
    for (user_id, name, phone, company, role, tools), password_hash in zip(
        people, password_hashes, strict=True
    ):
        await conn.execute(
            insert(users).values(
                user_id=user_id, name=name, phone=phone, role=role.value, password_hash=password_hash, active=True,
                company_id=company_ids[company] if company else None,
            )
        )  # fmt: skip
        if tools:
            await conn.execute(insert(grants), [{"user_id": user_id, "tool": tool} for tool in tools])

    # orders with lines, events and shipments
    order_ids: dict[str, int] = {}
    for o in _DEMO_ORDERS:
        # The first event is the order's entry (at :14 past, for a less round look), the others on
        # the hour; the order's and the shipment's dates are the events' own.
        moments = [at(days, hour, 14 if i == 0 else 0) for i, (_, days, hour) in enumerate(o.events)]
        when = {status: moment for (status, _, _), moment in zip(o.events, moments, strict=True)}
        expected = day(o.expected_in_days) if o.expected_in_days is not None else None
        order_id = await _insert_id(
            conn, orders, number=o.number, company_id=company_ids[o.company], po_number=o.po_number,
            site_id=site_ids[o.site], status=o.status.value, ordered_at=moments[0], expected_delivery=expected,
            delivered_at=when.get(OrderStatus.DELIVERED), currency=currency[o.company],
            total_minor=sum(line.total_minor for line in o.lines),
        )  # fmt: skip
        order_ids[o.number] = order_id
        await conn.execute(
            insert(order_lines),
            [
                {"order_id": order_id, "line_no": n, "product_code": line.code, "description": line.description,
                 "quantity": line.quantity, "unit_price_minor": line.unit_minor, "total_minor": line.total_minor}
                for n, line in enumerate(o.lines, start=1)
            ],
        )  # fmt: skip
        await conn.execute(
            insert(order_events),
            [
                {"order_id": order_id, "status": status.value, "at": moment}
                for (status, _, _), moment in zip(o.events, moments, strict=True)
            ],
        )
        if o.shipment is not None:
            carrier, tracking = o.shipment
            await conn.execute(
                insert(shipments).values(
                    order_id=order_id, carrier=carrier.value, tracking_number=tracking,
                    shipped_at=when[OrderStatus.SHIPPED], delivered_at=when.get(OrderStatus.DELIVERED),
                    expected_at=expected,
                )
            )  # fmt: skip

    # invoices with lines and payments; CN-0107 is set against INV-2032
    invoice_ids: dict[str, int] = {}
    for inv in _DEMO_INVOICES:
        net = sum(line.total_minor for line in inv.lines)
        line_vat = [_vat(line.total_minor, inv.vat_rate) for line in inv.lines]
        vat = sum(line_vat)
        paid = (inv.payment[2] if inv.payment else 0) + inv.settled_by_credit
        issued = today - timedelta(days=inv.issued_days_ago)
        invoice_id = await _insert_id(
            conn, invoices, number=inv.number, company_id=company_ids[inv.company],
            order_id=order_ids[inv.order] if inv.order else None, issued_on=issued, due_on=day(inv.due_in_days),
            status=inv.status.value, net_minor=net, vat_minor=vat, total_minor=net + vat, paid_minor=paid,
            currency=currency[inv.company], approved_by=inv.approved_by,
            approved_at=at(inv.issued_days_ago - 2, 10) if inv.approved_by else None,
        )  # fmt: skip
        invoice_ids[inv.number] = invoice_id
        await conn.execute(
            insert(invoice_lines),
            [
                {"invoice_id": invoice_id, "line_no": n, "description": f"{line.code} {line.description}",
                 "quantity": line.quantity, "unit_price_minor": line.unit_minor, "vat_rate": str(inv.vat_rate),
                 "net_minor": line.total_minor, "vat_minor": vat_minor}
                for n, (line, vat_minor) in enumerate(zip(inv.lines, line_vat, strict=True), start=1)
            ],
        )  # fmt: skip
        if inv.payment is not None:
            reference, days_ago, amount = inv.payment
            await conn.execute(
                insert(payments).values(
                    reference=reference, company_id=company_ids[inv.company], invoice_id=invoice_id,
                    paid_on=today - timedelta(days=days_ago), amount_minor=amount, currency=currency[inv.company],
                )
            )  # fmt: skip
    await conn.execute(
        insert(credit_notes).values(
            number="CN-0107", company_id=company_ids["1000123"], invoice_id=invoice_ids["INV-2032"],
            issued_on=today - timedelta(days=45), total_minor=_sek(5_000), currency="SEK",
            reason="Price reduction: installation service for order 4690 took less time than quoted",
        )
    )  # fmt: skip

    # contracts with versions: (summary, created days ago, signed by or None, awaiting, body)
    c1001_ends = day(25)
    c1001_starts = c1001_ends - timedelta(days=3 * 365)
    contract_rows: list[tuple[Any, ...]] = [
        ("C-0950", "1000123", "Software subscription: IBM AIX 7.2", "software_subscription", ContractStatus.EXPIRED,
         None, day(-100) - timedelta(days=3 * 365), day(-100), 60, "none", None, _sek(18_000), "business hours",
         [("Initial agreement: IBM AIX 7.2 subscription and support, 20 cores", 3 * 365 + 110, _ANNA, None,
           ["Subscription and support for IBM AIX 7.2, 20 processor cores.",
            "Support during business hours, next-business-day response."])]),
        ("C-1001", "1000123", "Hardware maintenance: IBM Power S1022 and storage", "hardware_maintenance",
         ContractStatus.ACTIVE, "Kista", c1001_starts, c1001_ends, 30, "manual", None, _sek(96_000),
         "24x7, 4-hour response",
         [("Initial agreement: IBM Power S1022 (serial 78ABC12) at Kista, next-business-day response",
           3 * 365 - 25 + 14, _ANNA, None,
           ["Maintenance of IBM Power S1022, serial 78ABC12, installed at Kista.",
            "Service: next-business-day on-site response.", "Annual fee: 84 000,00 SEK."]),
          ("Amendment 1: 24x7 service with 4-hour response, tape library TS4300 added; annual fee 96 000,00 SEK",
           400, _ANNA, None,
           ["Maintenance of IBM Power S1022, serial 78ABC12, and IBM TS4300 tape library, serial 78TAP77,",
            "installed at Kista.", "Service: 24x7 on-site response within 4 hours.",
            "Annual fee: 96 000,00 SEK."])]),
        ("C-1002", "1000123", "Lease: IBM FlashSystem 5200 at Göteborg", "lease", ContractStatus.ACTIVE,
         "Göteborg", day(-120), day(400), 90, "none", None, _sek(54_000), "next business day",
         [("Initial agreement: 36-month lease of IBM FlashSystem 5200 (serial 78XYZ34) with maintenance",
           125, _ANNA, None,
           ["Lease of IBM FlashSystem 5200, serial 78XYZ34, installed at Göteborg.",
            "Lessor: IBM Global Financing. Term: until the end date of this contract.",
            "Maintenance during the lease: next-business-day on-site response.",
            "Annual lease fee: 54 000,00 SEK."])]),
        ("C-1003", "1000123", "Services: managed backup", "services", ContractStatus.ACTIVE,
         None, day(-300), day(65), 60, "automatic", 12, _sek(42_000), "business hours, 8-hour response",
         [("Initial agreement: managed backup of the Kista servers, monthly restore test", 305, _ANNA, None,
           ["Managed backup of the servers at Kista with IBM Storage Protect.",
            "A restore test every month, reported in writing.", "Annual fee: 42 000,00 SEK."]),
          ("Amendment 1: Göteborg added to the managed backup; annual fee 58 000,00 SEK", 3, None, "signature",
           ["Managed backup of the servers at Kista and Göteborg with IBM Storage Protect.",
            "A restore test every month for each site, reported in writing.",
            "Annual fee: 58 000,00 SEK from the first day of the month after signing."])]),
        ("C-1004", "1000123", "Software subscription: IBM AIX 7.3", "software_subscription",
         ContractStatus.ACTIVE, "Kista", day(-165), day(200), 60, "automatic", 12, _sek(21_600), "business hours",
         [("Initial agreement: IBM AIX 7.3 Standard Edition subscription and support, 20 cores", 170, _ANNA,
           None,
           ["Subscription and support for IBM AIX 7.3 Standard Edition, 20 processor cores.",
            "Support during business hours, next-business-day response.", "Annual fee: 21 600,00 SEK."]),
          ("Price adjustment: annual fee 22 680,00 SEK from the next renewal (index +5 %)", 5, None, "approval",
           ["Subscription and support for IBM AIX 7.3 Standard Edition, 20 processor cores.",
            "Support during business hours, next-business-day response.",
            "Annual fee: 22 680,00 SEK from the next renewal."])]),
        ("C-2001", "2000456", "Software subscription: IBM Storage Protect", "software_subscription",
         ContractStatus.ACTIVE, "München", day(-200), day(530), 90, "automatic", 12, 1_380_000,
         "business hours, next-business-day response",
         [("Initial agreement: IBM Storage Protect subscription and support, 10 front-end TB", 210, _MAX, None,
           ["Subscription and support for IBM Storage Protect, 10 front-end TB.",
            "Support during business hours, next-business-day response.", "Annual fee: 13 800,00 EUR."])]),
        ("C-2002", "2000456", "Hardware maintenance: IBM Power S1014", "hardware_maintenance",
         ContractStatus.ACTIVE, "München", day(-20), day(55), 30, "manual", None, 640_000, "next business day",
         [("Initial agreement: maintenance of IBM Power S1014 (serial 78DEF56) until the warranty upgrade",
           25, _LENA, None,
           ["Maintenance of IBM Power S1014, serial 78DEF56, installed at München.",
            "Service: next-business-day on-site response.", "Fee for the term: 6 400,00 EUR."])]),
    ]  # fmt: skip
    names = {"1000123": "Nordisk Verkstad AB (1000123)", "2000456": "Contoso GmbH (2000456)"}
    signer_names = {_ANNA: "Anna Berg", _MAX: "Max Müller", _LENA: "Lena Wagner"}
    contract_ids: dict[str, int] = {}
    for (
        number,
        company,
        title,
        kind,
        contract_status,
        site,
        starts,
        ends,
        notice,
        renewal,
        renewal_months,
        value,
        level,
        versions,
    ) in contract_rows:
        contract_id = await _insert_id(
            conn, contracts, number=number, company_id=company_ids[company], title=title, kind=kind,
            status=contract_status.value, site_id=site_ids[site] if site else None, starts_on=starts, ends_on=ends,
            notice_days=notice, renewal=renewal, renewal_months=renewal_months, annual_value_minor=value,
            currency=currency[company], service_level=level,
        )  # fmt: skip
        contract_ids[number] = contract_id
        for version_no, (summary, days_ago, signer, awaiting, body) in enumerate(versions, start=1):
            text = _contract_text(f"{number} version {version_no}", names[company], [title, "", *body])
            await conn.execute(
                insert(contract_versions).values(
                    contract_id=contract_id, version=version_no, created_at=at(days_ago, 9),
                    created_by=_CONTRACTS_DESK, summary=summary, sha256=document_sha256(text), document_text=text,
                    awaiting=awaiting, signed_by=signer, signed_name=signer_names.get(signer or ""),
                    signed_at=at(days_ago - 2, 15) if signer else None,
                )
            )  # fmt: skip

    # installed inventory: (company, serial, product, kind, site, location, installed, contract,
    # service level, maintenance until, lessor, leased until, software version, licences, renews on)
    items: list[tuple[Any, ...]] = [
        ("1000123", "78ABC12", "IBM Power S1022", "hardware", "Kista", "Server room 2, rack B4",
         c1001_starts + timedelta(days=7), "C-1001", "24x7, 4-hour response", c1001_ends, None, None,
         None, None, None),
        ("1000123", "78TAP77", "IBM TS4300 Tape Library", "hardware", "Kista", "Server room 2, rack B6",
         day(-420), "C-1001", "24x7, 4-hour response", c1001_ends, None, None, None, None, None),
        ("1000123", "78PWR09", "IBM Power S914", "hardware", "Kista", "Server room 1, rack A2",
         day(-5 * 365), None, "next business day", day(-40), None, None, None, None, None),
        ("1000123", "5765-CD3-0042", "IBM AIX 7.3 Standard Edition", "software", "Kista",
         "Server room 2, rack B4", day(-165), "C-1004", "business hours", day(200), None, None,
         "7.3 TL2", 20, day(200)),
        ("1000123", "5725-W98-0093", "IBM Storage Protect", "software", "Kista", None,
         day(-300), "C-1003", "business hours, 8-hour response", day(65), None, None, "8.1.22", 5, day(65)),
        ("1000123", "78XYZ34", "IBM FlashSystem 5200", "hardware", "Göteborg", "Data hall 1, rack 12",
         day(-120), "C-1002", "next business day", day(400), "IBM Global Financing", day(400),
         None, None, None),
        ("1000123", "78GBG21", "IBM Power S1012", "hardware", "Göteborg", "Data hall 1, rack 14",
         day(-60), None, "warranty, next business day", day(305), None, None, None, None, None),
        ("1000123", "5724-H72-0311", "IBM MQ Advanced", "software", "Göteborg", None,
         day(-240), None, None, None, None, None, "9.3", 4, day(125)),
        ("2000456", "78DEF56", "IBM Power S1014", "hardware", "München", "Rechenzentrum, Reihe 3",
         day(-20), "C-2002", "next business day", day(55), None, None, None, None, None),
        ("2000456", "78MUC45", "IBM FlashSystem 5045", "hardware", "München", "Rechenzentrum, Reihe 4",
         day(-90), None, "next business day (lease)", day(640), "IBM Global Financing", day(640),
         None, None, None),
        ("2000456", "5725-W98-0117", "IBM Storage Protect", "software", "München", None,
         day(-190), "C-2001", "business hours, next-business-day response", day(530), None, None,
         "8.1.22", 10, day(530)),
    ]  # fmt: skip
    await conn.execute(
        insert(inventory_items),
        [
            {"company_id": company_ids[company], "serial": serial, "product": product, "kind": kind,
             "site_id": site_ids[site], "location": location, "installed_on": installed,
             "contract_id": contract_ids[contract] if contract else None, "service_level": level,
             "maintenance_until": maintenance, "lessor": lessor, "leased_until": leased,
             "software_version": version, "licences": licences, "renews_on": renews}
            for (company, serial, product, kind, site, location, installed, contract, level, maintenance,
                 lessor, leased, version, licences, renews) in items
        ],
    )  # fmt: skip

    # support requests with their history
    demo_requests = [
        ("1000123", _ANNA, "Anna Berg", "inventory", "Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista",
         "We are consolidating storage in Kista. Please plan the move of the FlashSystem 5200, serial 78XYZ34.",
         "normal", RequestStatus.IN_PROGRESS, "78XYZ34", at(6, 10),
         [(at(5, 9, 30), "status", "Sara Lindqvist", "In progress: our logistics team is planning the move.")]),
        ("1000123", "erik.lund@nordisk.example", "Erik Lund", "order", "Can order 4712 be delivered earlier?",
         "The server for Göteborg is needed for a project start. Is an earlier delivery possible?",
         "high", RequestStatus.OPEN, "4712", at(1, 8, 30), []),
        ("2000456", _MAX, "Max Müller", "invoice", "Question about invoice INV-3050",
         "The installation service on INV-3050 was quoted at a lower price. Please check.",
         "normal", RequestStatus.ANSWERED, "INV-3050", at(9, 11),
         [(at(8, 14), "answer", "Sara Lindqvist",
           "The quote covered 4 hours; the installation took 7. The invoice is correct.")]),
    ]  # fmt: skip
    for (
        company,
        requester,
        name,
        category,
        subject,
        text,
        priority,
        request_status,
        related,
        created,
        events,
    ) in demo_requests:
        request_id = await insert_request(
            conn, company_id=company_ids[company], requester_id=requester, requester_name=name,
            category=category, subject=subject, description=text, priority=priority, status=request_status,
            related=related, created_at=created, due_at=one_business_day_later(created),
        )  # fmt: skip
        for event_at, kind, author, event_text in events:
            await conn.execute(
                insert(request_events).values(
                    request_id=request_id, at=event_at, kind=kind, author=author, text=event_text
                )
            )


# --- generated volume -----------------------------------------------------------------------------

_CATALOGUE: Final = (
    ("9105-22A", "IBM Power S1022 server (2U, 2-socket)", 4_120_000_00, 1),
    ("9105-41B", "IBM Power S1014 server (4U, 1-socket)", 1_880_000_00, 1),
    ("9105-42A", "IBM Power S1024 server (4U, 2-socket)", 6_250_000_00, 1),
    ("EM6Y", "64 GB DDR4 DDIMM memory", 12_500_00, 8),
    ("EN1A", "PCIe3 32 Gb 2-port Fibre Channel adapter", 14_500_00, 4),
    ("EC2U", "PCIe4 2-port 100 GbE adapter", 21_000_00, 2),
    ("4662-6H2", "IBM FlashSystem 5200 NVMe control enclosure", 3_650_000_00, 1),
    ("4662-12G", "IBM FlashSystem 5200 2U12 expansion enclosure", 640_000_00, 2),
    ("AHS4", "IBM FlashSystem 4.8 TB NVMe FlashCore Module", 20_000_00, 12),
    ("3555-L3A", "IBM TS4300 tape library base module", 980_000_00, 1),
    ("5765-CD3", "IBM AIX 7.3 Standard Edition, per core", 1_450_00, 40),
    ("5725-W98", "IBM Storage Protect, per front-end TB", 11_500_00, 50),
    ("SVC-INST", "Installation and configuration service", 10_000_00, 3),
)
_CARRIERS: Final = tuple(Carrier)
_EXCHANGE_DIVISOR: Final = {"SEK": 1, "EUR": 11, "USD": 10, "NOK": 1, "DKK": 2}
"""Catalogue prices are in SEK; a rough divisor gives plausible figures in other currencies."""
_VAT_RATE: Final = {"SE": 25, "DE": 19, "NO": 25, "DK": 25, "FI": 25, "NL": 21, "FR": 20}
_HISTORY_DAYS: Final = 3 * 365


@dataclass(frozen=True)
class _Company:
    id: int
    customer_number: str
    currency: str
    country: str
    site_ids: tuple[int, ...]


def _tracking(rng: random.Random, carrier: Carrier) -> str:
    if carrier is Carrier.POSTNORD:
        return "00370" + "".join(rng.choices("0123456789", k=15))
    if carrier is Carrier.DHL:
        return "JD01" + "".join(rng.choices("0123456789", k=16))
    if carrier is Carrier.UPS:
        return "1Z" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", k=16))
    if carrier is Carrier.FEDEX:
        return "".join(rng.choices("0123456789", k=12))
    return "SE" + "".join(rng.choices("0123456789", k=10))


def _status_for_age(rng: random.Random, age_days: float) -> OrderStatus:
    if age_days < 2:
        return rng.choice((OrderStatus.RECEIVED, OrderStatus.CONFIRMED))
    if age_days < 10:
        return rng.choice((OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.IN_PRODUCTION))
    if age_days < 21:
        return rng.choice((OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.SHIPPED))
    if age_days < 35:
        return rng.choice((OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.DELIVERED))
    return OrderStatus.CANCELLED if rng.random() < 0.06 else OrderStatus.DELIVERED


async def _next_number(conn: AsyncConnection, table: Table, prefix: str) -> int:
    """One above the highest numeric ``prefix``+digits number in ``table``, at least VOLUME_FIRST_NUMBER.

    Reads the longest, then greatest number (a seed-time scan, not a chat query), so earlier volume
    runs are continued instead of collided with.
    """
    column = table.c.number
    query = select(column).order_by(func.length(column).desc(), column.desc()).limit(1)
    if prefix:
        query = query.where(column.like(f"{prefix}%"))
    highest = await conn.scalar(query)
    digits = highest[len(prefix) :] if isinstance(highest, str) else ""
    return max(VOLUME_FIRST_NUMBER, int(digits) + 1 if digits.isdigit() else 0)


async def _insert_many(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-inserts ``rows`` (executemany) and returns their new ids in the same order.

    The ids are read back by the unique ``number``: RETURNING with guaranteed order makes
    SQLAlchemy fall back to one statement per row on SQLite, which is ten times slower.
    """
    await conn.execute(insert(table), rows)
    numbers = [row["number"] for row in rows]
    found = await conn.execute(select(table.c.number, table.c.id).where(table.c.number.in_(numbers)))
    by_number: dict[str, int] = {row.number: row.id for row in found}
    return [by_number[number] for number in numbers]


async def _load_companies(conn: AsyncConnection, customer_number: str | None) -> list[_Company]:
    query = select(companies.c.id, companies.c.customer_number, companies.c.currency, companies.c.country)
    if customer_number is not None:
        query = query.where(companies.c.customer_number == customer_number)
    rows = (await conn.execute(query.order_by(companies.c.customer_number))).all()
    site_rows = (await conn.execute(select(sites.c.id, sites.c.company_id).order_by(sites.c.id))).all()
    return [
        _Company(
            id=row.id,
            customer_number=row.customer_number,
            currency=row.currency,
            country=row.country,
            site_ids=tuple(s.id for s in site_rows if s.company_id == row.id),
        )
        for row in rows
    ]


@dataclass
class _OrderBatch:
    orders: list[dict[str, Any]]
    lines: list[list[dict[str, Any]]]
    events: list[list[dict[str, Any]]]
    shipments: list[dict[str, Any] | None]


def _generate_orders(
    rng: random.Random, targets: Sequence[_Company], first_number: int, count: int, end: datetime
) -> _OrderBatch:
    """``count`` orders, each with 1-3 lines, its status history and (once shipped) a shipment."""
    batch = _OrderBatch([], [], [], [])
    for k in range(count):
        target = targets[rng.randrange(len(targets))]
        age = rng.random() ** 1.5 * _HISTORY_DAYS  # more recent orders than old ones
        ordered_at = (end - timedelta(days=age)).replace(microsecond=0)
        status = _status_for_age(rng, age)
        divisor = _EXCHANGE_DIVISOR.get(target.currency, 10)
        lines = []
        for line_no in range(1, rng.randint(1, 3) + 1):
            code, description, price, max_qty = _CATALOGUE[rng.randrange(len(_CATALOGUE))]
            quantity = rng.randint(1, max_qty)
            unit = price // divisor
            lines.append(
                {"line_no": line_no, "product_code": code, "description": description, "quantity": quantity,
                 "unit_price_minor": unit, "total_minor": unit * quantity}
            )  # fmt: skip
        lead_days = rng.randint(7, 30)
        expected = (ordered_at + timedelta(days=lead_days)).date()
        delivered_at = None
        shipment = None
        events: list[dict[str, Any]] = [{"status": OrderStatus.RECEIVED.value, "at": ordered_at}]
        if status is OrderStatus.CANCELLED:
            events.append({"status": status.value, "at": ordered_at + timedelta(hours=rng.randint(2, 72))})
        else:
            reached = _FLOW.index(status)
            step = max(lead_days / 4, 1.0)
            moment = ordered_at
            for flow_status in _FLOW[1 : reached + 1]:
                moment = min(moment + timedelta(days=step * rng.uniform(0.5, 1.2)), end)
                events.append({"status": flow_status.value, "at": moment})
            if reached >= _FLOW.index(OrderStatus.SHIPPED):
                carrier = _CARRIERS[rng.randrange(len(_CARRIERS))]
                delivered_at = events[-1]["at"] if status is OrderStatus.DELIVERED else None
                shipment = {"carrier": carrier.value, "tracking_number": _tracking(rng, carrier),
                            "shipped_at": events[_FLOW.index(OrderStatus.SHIPPED)]["at"], "expected_at": expected,
                            "delivered_at": delivered_at}  # fmt: skip
        batch.orders.append(
            {"number": str(first_number + k), "company_id": target.id,
             "po_number": f"PO-{rng.randint(10_000, 99_999)}" if rng.random() < 0.8 else None,
             "site_id": target.site_ids[rng.randrange(len(target.site_ids))] if target.site_ids else None,
             "status": status.value, "ordered_at": ordered_at,
             "expected_delivery": None if status is OrderStatus.CANCELLED else expected,
             "delivered_at": delivered_at, "currency": target.currency,
             "total_minor": sum(line["total_minor"] for line in lines)}
        )  # fmt: skip
        batch.lines.append(lines)
        batch.events.append(events)
        batch.shipments.append(shipment)
    return batch


async def _write_orders(conn: AsyncConnection, batch: _OrderBatch) -> list[int]:
    ids = await _insert_many(conn, schema.orders, batch.orders)
    await conn.execute(
        insert(order_lines),
        [
            {"order_id": order_id, **line}
            for order_id, lines in zip(ids, batch.lines, strict=True)
            for line in lines
        ],
    )
    await conn.execute(
        insert(order_events),
        [
            {"order_id": order_id, **e}
            for order_id, events in zip(ids, batch.events, strict=True)
            for e in events
        ],
    )
    shipped = [{"order_id": i, **s} for i, s in zip(ids, batch.shipments, strict=True) if s is not None]
    if shipped:
        await conn.execute(insert(shipments), shipped)
    return ids


@dataclass(frozen=True)
class _Billable:
    order_id: int
    company: _Company
    net_minor: int
    ordered_at: datetime


@dataclass
class _InvoiceBatch:
    invoices: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    payments: list[dict[str, Any] | None]


def _generate_invoices(
    rng: random.Random,
    targets: Sequence[_Company],
    billable: Sequence[_Billable],
    first_number: int,
    start: int,
    count: int,
    today: date,
) -> _InvoiceBatch:
    """Invoices ``start`` .. ``start + count``: one line each, and a payment when paid.

    Invoice *i* bills ``billable[i]`` while there is one, then stands alone. Whether it is paid,
    open, overdue or awaiting approval follows from its due date, as it would in a real ledger.
    """
    batch = _InvoiceBatch([], [], [])
    for index in range(start, start + count):
        if index < len(billable):
            bill = billable[index]
            target, net, order_id = bill.company, bill.net_minor, bill.order_id
            issued_on: date = min((bill.ordered_at + timedelta(days=rng.randint(5, 30))).date(), today)
            order_ref: int | None = order_id
        else:
            target = targets[rng.randrange(len(targets))]
            net = rng.randint(1_000, 500_000) * 100 // _EXCHANGE_DIVISOR.get(target.currency, 10)
            issued_on = today - timedelta(days=int(rng.random() ** 1.5 * _HISTORY_DAYS))
            order_ref = None
        rate = _VAT_RATE.get(target.country, 20)
        vat = _vat(net, rate)
        due_on = issued_on + timedelta(days=30)
        roll = rng.random()
        if due_on < today - timedelta(days=20):
            status = InvoiceStatus.OVERDUE if roll < 0.03 else InvoiceStatus.PAID
        elif due_on < today:
            status = InvoiceStatus.OVERDUE if roll < 0.3 else InvoiceStatus.PAID
        else:
            status = (
                InvoiceStatus.AWAITING_APPROVAL if roll < 0.2
                else InvoiceStatus.PAID if roll < 0.4 else InvoiceStatus.OPEN
            )  # fmt: skip
        number = first_number + index
        paid_on = min(issued_on + timedelta(days=rng.randint(3, 29)), today)
        paid = status is InvoiceStatus.PAID
        batch.invoices.append(
            {"number": f"INV-{number}", "company_id": target.id, "order_id": order_ref, "issued_on": issued_on,
             "due_on": due_on, "status": status.value, "net_minor": net, "vat_minor": vat, "total_minor": net + vat,
             "paid_minor": net + vat if paid else 0, "currency": target.currency, "approved_by": None,
             "approved_at": None}
        )  # fmt: skip
        batch.lines.append(
            {"line_no": 1, "description": "Goods and services as ordered", "quantity": 1, "unit_price_minor": net,
             "vat_rate": str(rate), "net_minor": net, "vat_minor": vat}
        )  # fmt: skip
        batch.payments.append(
            {"reference": f"PAY-{number}", "company_id": target.id, "paid_on": paid_on, "amount_minor": net + vat,
             "currency": target.currency}
            if paid else None
        )  # fmt: skip
    return batch


async def _write_invoices(conn: AsyncConnection, batch: _InvoiceBatch) -> None:
    ids = await _insert_many(conn, schema.invoices, batch.invoices)
    await conn.execute(
        insert(invoice_lines), [{"invoice_id": i, **line} for i, line in zip(ids, batch.lines, strict=True)]
    )
    paid = [{"invoice_id": i, **p} for i, p in zip(ids, batch.payments, strict=True) if p is not None]
    if paid:
        await conn.execute(insert(payments), paid)


# --- installed items ------------------------------------------------------------------------------

_HARDWARE: Final = (
    "IBM Power S1022", "IBM Power S1014", "IBM Power S1024", "IBM Power S914", "IBM Power S1012",
    "IBM Power E1050", "IBM FlashSystem 5200", "IBM FlashSystem 5045", "IBM FlashSystem 7300",
    "IBM TS4300 Tape Library", "IBM Storage Scale System 3500", "IBM SAN32C-6 Switch",
)  # fmt: skip
_SOFTWARE: Final = (
    ("5765-CD3", "IBM AIX 7.3 Standard Edition", ("7.3 TL1", "7.3 TL2")),
    ("5725-W98", "IBM Storage Protect", ("8.1.21", "8.1.22")),
    ("5724-H72", "IBM MQ Advanced", ("9.3", "9.4")),
    ("5725-L47", "IBM Db2 Standard Edition", ("11.5", "12.1")),
    ("5765-VE3", "IBM PowerVM Enterprise Edition", ("3.1.4",)),
)
_SERVICE_LEVELS: Final = (
    "24x7, 4-hour response", "next business day", "business hours, 8-hour response", "warranty, next business day",
)  # fmt: skip
_LETTERS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ"


@dataclass(frozen=True)
class _Cover:
    """A contract items can be under: its id, end and service level."""

    id: int
    ends_on: date
    service_level: str | None


def _serial(number: int) -> str:
    """A machine serial of the demo's shape (two digits, three letters, two digits), unique per number
    below 24 million; the leading digits start at 80, so never one of the demo's 78….."""
    letters = len(_LETTERS) ** 3
    block, rest = divmod(number, letters)
    a, b, c = rest // len(_LETTERS) ** 2, rest // len(_LETTERS) % len(_LETTERS), rest % len(_LETTERS)
    return f"{80 + block // 100 % 20}{_LETTERS[a]}{_LETTERS[b]}{_LETTERS[c]}{block % 100:02d}"


def _generate_items(
    rng: random.Random,
    targets: Sequence[_Company],
    covers: dict[int, list[_Cover]],
    first: int,
    count: int,
    today: date,
) -> list[dict[str, Any]]:
    """Items ``first`` .. ``first + count``, dealt to the companies in turn: mostly hardware, some
    under one of the company's contracts, some leased, some with lapsed maintenance; the rest
    software with a version, licences and a renewal date."""
    rows = []
    for number in range(first, first + count):
        target = targets[number % len(targets)]
        installed = today - timedelta(days=rng.randint(10, 8 * 365))
        site = target.site_ids[rng.randrange(len(target.site_ids))]
        location = f"Data hall {rng.randint(1, 4)}, rack {rng.choice(_LETTERS)}{rng.randint(1, 40)}"
        row: dict[str, Any] = {
            "company_id": target.id, "site_id": site, "installed_on": installed, "contract_id": None,
            "service_level": None, "maintenance_until": None, "lessor": None, "leased_until": None,
            "software_version": None, "licences": None, "renews_on": None,
        }  # fmt: skip
        company_covers = covers.get(target.id, [])
        if rng.random() < 0.85:
            row.update(
                serial=_serial(number), product=rng.choice(_HARDWARE), kind="hardware", location=location
            )
            roll = rng.random()
            if roll < 0.45 and company_covers:
                cover = company_covers[rng.randrange(len(company_covers))]
                row.update(
                    contract_id=cover.id, service_level=cover.service_level, maintenance_until=cover.ends_on
                )
            elif roll < 0.9:
                row.update(
                    service_level=rng.choice(_SERVICE_LEVELS),
                    maintenance_until=today + timedelta(days=rng.randint(-400, 900)),
                )
            if rng.random() < 0.12:
                row.update(
                    lessor="IBM Global Financing", leased_until=today + timedelta(days=rng.randint(30, 1200))
                )
        else:
            code, product, versions = _SOFTWARE[rng.randrange(len(_SOFTWARE))]
            renews = today + timedelta(days=rng.randint(-30, 365))
            row.update(
                serial=f"{code}-{number:06d}", product=product, kind="software", location=None,
                software_version=rng.choice(versions), licences=rng.choice((1, 2, 4, 5, 8, 10, 16, 20, 50)),
                renews_on=renews, maintenance_until=renews, service_level="business hours",
            )  # fmt: skip
        rows.append(row)
    return rows


async def _load_covers(conn: AsyncConnection, targets: Sequence[_Company]) -> dict[int, list[_Cover]]:
    rows = await conn.execute(
        select(contracts.c.id, contracts.c.company_id, contracts.c.ends_on, contracts.c.service_level)
        .where(contracts.c.company_id.in_([t.id for t in targets]))
        .order_by(contracts.c.id)
    )
    covers: dict[int, list[_Cover]] = {}
    for row in rows:
        covers.setdefault(row.company_id, []).append(_Cover(row.id, row.ends_on, row.service_level))
    return covers


VOLUME_TABLES = (
    "orders",
    "order_lines",
    "order_events",
    "shipments",
    "invoices",
    "invoice_lines",
    "payments",
)
"""The tables ``seed_volume`` fills with generated orders and invoices."""


async def seed_volume(
    engine: AsyncEngine,
    *,
    orders: int = 0,
    invoices: int = 0,
    items: int = 0,
    seed: int = 42,
    company: str | None = None,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
    batch_size: int = 5_000,
    commit_every: int = 50_000,
) -> None:
    """Adds ``orders`` generated orders (with lines, history and shipments), ``invoices`` invoices and
    ``items`` installed items (dealt to the companies in turn, a share under their contracts).

    ``company`` is a customer number; without one the volume is spread over every existing company
    (so seed the demo first). The same seed, companies and ``today`` (default: the demo customers'
    day, ``demo_today``, as the demo's own records are dated) give the same rows. Orders fall in the three years before ``today``; invoice *i* bills generated
    order *i* where there is one. Rows go in with executemany, ``batch_size`` at a time, committed
    every ``commit_every`` rows (few large transactions keep SQLite's journal writes down, and a
    running server is not locked out for the whole run). ``progress`` gets the running count of
    orders, invoices and items written. Not meant to run twice at the same time on one database.
    """
    if orders < 0 or invoices < 0 or items < 0:
        raise ValueError("counts must not be negative")
    if batch_size < 1 or commit_every < 1:
        raise ValueError("batch_size and commit_every must be positive")
    today = today or demo_today()
    rng = random.Random(seed)  # noqa: S311 (demo volume, reproducible by its seed)
    end = datetime.combine(today, time(18), tzinfo=UTC)
    async with engine.connect() as conn:
        targets = await _load_companies(conn, company)
        if not targets:
            raise ValueError(
                f"no company {company!r}" if company else "no companies: seed the demo data first"
            )
        if items and any(not t.site_ids for t in targets):
            raise ValueError("installed items need a site in every company")
        first_order = await _next_number(conn, schema.orders, "")
        first_invoice = await _next_number(conn, schema.invoices, "INV-")
        first_item = int(await conn.scalar(select(func.count()).select_from(inventory_items)) or 0)
        covers = await _load_covers(conn, targets) if items else {}
        await conn.rollback()  # end the reading transaction: each batch group is its own

        done = 0
        uncommitted = 0

        async def advance(count: int) -> None:
            nonlocal done, uncommitted
            done += count
            uncommitted += count
            if uncommitted >= commit_every:
                await conn.commit()
                uncommitted = 0
            if progress is not None:
                progress(done)

        billable: list[_Billable] = []
        by_id = {t.id: t for t in targets}
        for start in range(0, orders, batch_size):
            count = min(batch_size, orders - start)
            order_batch = _generate_orders(rng, targets, first_order + start, count, end)
            ids = await _write_orders(conn, order_batch)
            if len(billable) < invoices:
                billable.extend(
                    _Billable(order_id, by_id[row["company_id"]], row["total_minor"], row["ordered_at"])
                    for order_id, row in zip(ids, order_batch.orders, strict=True)
                    if row["status"] != OrderStatus.CANCELLED.value
                )
                del billable[invoices:]
            await advance(count)

        for start in range(0, invoices, batch_size):
            count = min(batch_size, invoices - start)
            await _write_invoices(
                conn, _generate_invoices(rng, targets, billable, first_invoice, start, count, today)
            )
            await advance(count)

        for start in range(0, items, batch_size):
            count = min(batch_size, items - start)
            await conn.execute(
                insert(inventory_items),
                _generate_items(rng, targets, covers, first_item + start, count, today),
            )
            await advance(count)
        await conn.commit()
        await _analyze(conn)


async def _analyze(conn: AsyncConnection) -> None:
    """Refreshes the planner's statistics after a bulk load, so it keeps choosing the right index.

    On SQLite a sampled ANALYZE (``analysis_limit``) takes milliseconds even for a million rows.
    """
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA analysis_limit=1000")
    preparer = conn.dialect.identifier_preparer
    for table in (
        schema.orders,
        order_lines,
        order_events,
        shipments,
        schema.invoices,
        invoice_lines,
        payments,
        inventory_items,
    ):
        await conn.exec_driver_sql(f"ANALYZE {preparer.format_table(table)}")
    await conn.commit()
