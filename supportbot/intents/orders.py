"""Orders: status by number, PO or "my latest", search by status and period, and reports."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from supportbot.bot.messages import Attachment, Button, Card, Field, Reply, Table
from supportbot.bot.spec import IntentSpec, Slot, SlotValue, TurnContext
from supportbot.integrations.carriers import CARRIER_NAMES
from supportbot.integrations.models import Order, OrderStatus, OrderSummary, Tool
from supportbot.intents.spreadsheets import CSV_TYPE, XLSX_TYPE, Column, to_csv, to_xlsx

# --- examples (the NLU's training data for this family) -------------------------------------------

STATUS_EXAMPLES = {
    "en": [
        "where is my order",
        "what is the status of order 4711",
    ],
    "sv": [
        "var är min order",
        "vad är status på order 4711",
    ],
}

SEARCH_EXAMPLES = {
    "en": [
        "show my orders from last month",
    ],
    "sv": [
        "visa mina ordrar från förra månaden",
    ],
}

REPORT_EXAMPLES = {
    "en": [
        "download a spreadsheet of my orders",
    ],
    "sv": [
        "ladda ner ett kalkylark med mina ordrar",
    ],
}

# --- handlers -------------------------------------------------------------------------------------

PAGE_SIZE = 10
REPORT_LIMIT = 100_000
_MORE = re.compile(r"\b(more|next|fler|nästa|resten)\b", re.IGNORECASE)
_MAIL = re.compile(r"\b(e-?mail|mail|mejla?|maila?|skicka)\w*", re.IGNORECASE)
_OPEN_STATUSES = frozenset(
    {OrderStatus.RECEIVED, OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED}
)


def _status(ctx: TurnContext, status: OrderStatus) -> str:
    return ctx.t(f"order.status.{status.value}")


def _summary_text(ctx: TurnContext, order: Order) -> str:
    if order.status is OrderStatus.CANCELLED:
        return ctx.t("order.summary.cancelled", number=order.number)
    if order.status is OrderStatus.DELIVERED:
        return ctx.t("order.summary.delivered", number=order.number, delivered=ctx.fmt.date(order.delivered_at))
    shipment = order.shipments[-1] if order.shipments else None
    expected = (shipment.expected_at if shipment else None) or order.expected_delivery
    if order.status is OrderStatus.SHIPPED and shipment is not None:
        return ctx.t(
            "order.summary.shipped",
            number=order.number,
            carrier=CARRIER_NAMES[shipment.carrier],
            expected=ctx.fmt.date(expected),
        )
    if expected is None:
        return ctx.t("order.summary.pending_no_date", number=order.number, status=_status(ctx, order.status))
    return ctx.t("order.summary.pending", number=order.number, status=_status(ctx, order.status), expected=ctx.fmt.date(expected))


def _order_reply(ctx: TurnContext, order: Order) -> Reply:
    fields = [Field(label=ctx.t("order.field.status"), value=_status(ctx, order.status).capitalize())]
    if order.po_number:
        fields.append(Field(label=ctx.t("order.field.po"), value=order.po_number))
    fields.append(Field(label=ctx.t("order.field.ordered"), value=ctx.fmt.date(order.ordered_at)))
    if order.delivered_at:
        fields.append(Field(label=ctx.t("order.field.delivered"), value=ctx.fmt.date(order.delivered_at)))
    elif order.expected_delivery and order.status is not OrderStatus.CANCELLED:
        shipment = order.shipments[-1] if order.shipments else None
        expected = (shipment.expected_at if shipment else None) or order.expected_delivery
        fields.append(Field(label=ctx.t("order.field.expected"), value=ctx.fmt.date(expected)))
    fields.append(Field(label=ctx.t("order.field.total"), value=ctx.fmt.money(order.total)))
    if order.site:
        fields.append(Field(label=ctx.t("order.field.site"), value=order.site))
    url = url_label = None
    if order.shipments:
        shipment = order.shipments[-1]
        fields.append(Field(label=ctx.t("order.field.carrier"), value=CARRIER_NAMES[shipment.carrier]))
        fields.append(Field(label=ctx.t("order.field.tracking"), value=shipment.tracking_number))
        url, url_label = shipment.tracking_url, ctx.t("order.track")
    table = None
    if order.lines:
        table = Table(
            columns=("#", ctx.t("order.field.lines"), "", ctx.t("order.field.total")),
            rows=tuple(
                (str(line.line_no), f"{line.description} ({line.product_code})", f"{line.quantity} ×", ctx.fmt.money(line.total))
                for line in order.lines
            ),
        )
    card = Card(
        title=ctx.t("order.title", number=order.number),
        subtitle=_status(ctx, order.status).capitalize(),
        fields=tuple(fields),
        url=url,
        url_label=url_label,
    )
    ctx.set_current("order", "order_number", order.number)
    return Reply(text=_summary_text(ctx, order), cards=(card,), table=table, language=ctx.language, intent="order.status")


async def order_status(ctx: TurnContext) -> Reply:
    if ctx.principal.is_guest:
        return await _guest_status(ctx)
    ref = ctx.slot("order")
    assert ref is not None
    orders = ctx.backends.orders
    if ref.type == "reference":
        order = await orders.latest_order(ctx.principal)
        if order is None:
            return Reply(text=ctx.t("order.none_yet"), language=ctx.language, intent="order.status")
        return _order_reply(ctx, order)
    if ref.type == "po_number":
        found = await orders.find_by_po(ctx.principal, str(ref.value))
        if not found:
            return Reply(text=ctx.t("order.po_not_found", number=ref.value), language=ctx.language, intent="order.status")
        if len(found) > 1:
            ctx.set_shown("order", [o.number for o in found])
            return Reply(
                text=ctx.t("order.po_many", number=ref.value, count=len(found)),
                table=_orders_table(ctx, found),
                buttons=_order_buttons(ctx, found),
                language=ctx.language,
                intent="order.status",
            )
        number = found[0].number
    else:
        number = str(ref.value)
    order = await orders.get_order(ctx.principal, number)
    if order is None:
        return Reply(text=ctx.t("order.not_found", number=number), language=ctx.language, intent="order.status")
    return _order_reply(ctx, order)


async def _guest_status(ctx: TurnContext) -> Reply:
    number, customer = ctx.slot("order"), ctx.slot("customer")
    assert number is not None and customer is not None
    status = await ctx.backends.orders.guest_order_status(str(number.value), str(customer.value))
    if status is None:
        text = ctx.t("order.guest_not_found", number=number.value, customer=customer.value)
        return Reply(text=text, language=ctx.language, intent="order.status")
    if status.status is OrderStatus.DELIVERED:
        text = ctx.t("order.summary.delivered", number=status.number, delivered=ctx.fmt.date(status.delivered_at))
    elif status.status is OrderStatus.CANCELLED:
        text = ctx.t("order.summary.cancelled", number=status.number)
    elif status.expected_delivery is None:
        text = ctx.t("order.summary.pending_no_date", number=status.number, status=_status(ctx, status.status))
    else:
        text = ctx.t(
            "order.summary.pending",
            number=status.number,
            status=_status(ctx, status.status),
            expected=ctx.fmt.date(status.expected_delivery),
        )
    return Reply(text=f"{text} {ctx.t('order.guest_note')}", language=ctx.language, intent="order.status")


def _filters(ctx: TurnContext) -> dict[str, Any]:
    """Status, period and site as asked in this message."""
    parse = ctx.parse
    statuses: list[str] = []
    for value in parse.values("order_status"):
        if value == "open":
            statuses.extend(s.value for s in _OPEN_STATUSES)
        elif value in OrderStatus._value2member_map_:
            statuses.append(value)
    period = ctx.slot("period")
    start = end = None
    if period is not None:
        start, end = _period_bounds(period)
    site = parse.first("site")
    return {
        "statuses": sorted(set(statuses)),
        "status_words": sorted(set(parse.values("order_status"))),
        "start": start,
        "end": end,
        "site": site.value if site else None,
    }


def _period_bounds(period: SlotValue) -> tuple[str | None, str | None]:
    if period.type == "date_range" and isinstance(period.value, dict):
        return period.value.get("start"), period.value.get("end")
    if period.type == "date":
        return str(period.value), str(period.value)
    return None, None


def _describe(ctx: TurnContext, filters: dict[str, Any]) -> str:
    parts = []
    if filters["status_words"]:
        words = [ctx.t(f"order.status.{w}") if w != "open" else ("open" if ctx.language == "en" else "öppen") for w in filters["status_words"]]
        parts.append(ctx.t("order.filter.status", status=", ".join(words)))
    if filters["start"] or filters["end"]:
        start = ctx.fmt.date(date.fromisoformat(filters["start"])) if filters["start"] else "…"
        end = ctx.fmt.date(date.fromisoformat(filters["end"])) if filters["end"] else "…"
        parts.append(ctx.t("order.filter.period", start=start, end=end))
    if filters["site"]:
        parts.append(ctx.t("order.filter.site", site=filters["site"]))
    return "".join(parts)


def _orders_table(ctx: TurnContext, orders: tuple[OrderSummary, ...] | list[OrderSummary]) -> Table:
    return Table(
        columns=(
            ctx.t("order.col.number"),
            ctx.t("order.col.po"),
            ctx.t("order.col.date"),
            ctx.t("order.col.status"),
            ctx.t("order.col.expected"),
            ctx.t("order.col.total"),
        ),
        rows=tuple(
            (
                o.number,
                o.po_number or "",
                ctx.fmt.date(o.ordered_at),
                _status(ctx, o.status).capitalize(),
                ctx.fmt.date(o.delivered_at or o.expected_delivery) if (o.delivered_at or o.expected_delivery) else "",
                ctx.fmt.money(o.total),
            )
            for o in orders
        ),
    )


def _order_buttons(ctx: TurnContext, orders: tuple[OrderSummary, ...] | list[OrderSummary]) -> tuple[Button, ...]:
    return tuple(
        Button(label=ctx.t("order.button.details", number=o.number), value=ctx.t("order.button.details.value", number=o.number))
        for o in orders[:5]
    )


async def order_search(ctx: TurnContext) -> Reply:
    saved = ctx.memory.get("search")
    more = bool(_MORE.search(ctx.parse.text)) and saved is not None
    if more:
        filters, offset = saved["filters"], saved["offset"] + PAGE_SIZE
    else:
        filters, offset = _filters(ctx), 0
    page = await ctx.backends.orders.search_orders(
        ctx.principal,
        statuses=frozenset(OrderStatus(s) for s in filters["statuses"]),
        date_from=date.fromisoformat(filters["start"]) if filters["start"] else None,
        date_to=date.fromisoformat(filters["end"]) if filters["end"] else None,
        site=filters["site"],
        offset=offset,
        limit=PAGE_SIZE,
    )
    ctx.memory["search"] = {"filters": filters, "offset": offset}
    if filters["start"] or filters["end"]:
        ctx.set_current("period", "date_range", {"start": filters["start"], "end": filters["end"]})
    described = _describe(ctx, filters)
    if not page.items:
        key = "order.search.no_more" if more else "order.search.none"
        return Reply(text=ctx.t(key, filters=described), language=ctx.language, intent="order.search")
    ctx.set_shown("order", [o.number for o in page.items])
    buttons = list(_order_buttons(ctx, page.items))
    if page.has_more:
        buttons.append(Button(label=ctx.t("order.button.more"), value=ctx.t("order.button.more.value")))
    buttons.append(Button(label=ctx.t("order.button.report"), value=ctx.t("order.button.report.value")))
    text = ctx.t("order.search.found", filters=described, first=offset + 1, last=offset + len(page.items))
    return Reply(
        text=text, table=_orders_table(ctx, page.items), buttons=tuple(buttons), language=ctx.language, intent="order.search"
    )


def _report_columns(ctx: TurnContext) -> list[Column]:
    return [
        Column(ctx.t("order.col.number"), "text", 12),
        Column(ctx.t("order.col.po"), "text", 16),
        Column(ctx.t("order.col.date"), "date", 12),
        Column(ctx.t("order.col.status"), "text", 14),
        Column(ctx.t("order.col.expected"), "date", 12),
        Column(ctx.t("order.col.delivered"), "date", 12),
        Column(ctx.t("order.col.site"), "text", 14),
        Column(ctx.t("order.col.total"), "amount", 16),
        Column(ctx.t("order.col.currency"), "text", 8),
    ]


async def order_report(ctx: TurnContext) -> Reply:
    filters = _filters(ctx)
    saved = ctx.memory.get("search")
    if not filters["statuses"] and ctx.memory.get("last_intent") == "order.search" and saved:
        filters["statuses"], filters["status_words"] = saved["filters"]["statuses"], saved["filters"]["status_words"]
        filters["site"] = filters["site"] or saved["filters"]["site"]
    described = _describe(ctx, filters)
    rows: list[list[Any]] = []
    async for o in ctx.backends.orders.iter_orders(
        ctx.principal,
        statuses=frozenset(OrderStatus(s) for s in filters["statuses"]),
        date_from=date.fromisoformat(filters["start"]) if filters["start"] else None,
        date_to=date.fromisoformat(filters["end"]) if filters["end"] else None,
    ):
        if filters["site"] and o.site != filters["site"]:
            continue
        if len(rows) >= REPORT_LIMIT:
            return Reply(text=ctx.t("order.report.too_large", limit=f"{REPORT_LIMIT:,}"), language=ctx.language, intent="order.report")
        rows.append(
            [
                o.number,
                o.po_number or "",
                o.ordered_at.date(),
                _status(ctx, o.status),
                o.expected_delivery,
                o.delivered_at.date() if o.delivered_at else None,
                o.site or "",
                o.total.amount,
                o.total.currency,
            ]
        )
    if not rows:
        return Reply(text=ctx.t("order.report.empty", filters=described), language=ctx.language, intent="order.report")
    columns = _report_columns(ctx)
    sheet = ctx.t("order.report.sheet")
    xlsx, csv_data = await asyncio.to_thread(
        lambda: (to_xlsx(sheet, columns, rows, currency_column=8), to_csv(columns, rows))
    )
    stem = f"orders-{filters['start'] or 'all'}-{filters['end'] or ctx.today.isoformat()}"
    if _MAIL.search(ctx.parse.text) and ctx.principal.email:
        await ctx.mailer.send(
            to=ctx.principal.email,
            subject=ctx.t("order.report.mail_subject", filters=described),
            text=ctx.t("order.report.mail_body", name=ctx.principal.name, filters=described, count=len(rows)),
            attachments=((f"{stem}.xlsx", XLSX_TYPE, xlsx), (f"{stem}.csv", CSV_TYPE, csv_data)),
        )
        text = ctx.t("order.report.mailed", filters=described, count=len(rows), email=ctx.principal.email)
        return Reply(text=text, language=ctx.language, intent="order.report")
    owner = ctx.principal.user_id
    xlsx_url = await ctx.files.publish(owner=owner, name=f"{stem}.xlsx", content_type=XLSX_TYPE, data=xlsx, tool=Tool.ORDERS)
    csv_url = await ctx.files.publish(owner=owner, name=f"{stem}.csv", content_type=CSV_TYPE, data=csv_data, tool=Tool.ORDERS)
    minutes = int(ctx.extra.get("link_minutes", 15))
    return Reply(
        text=ctx.t("order.report.ready", filters=described, count=len(rows), minutes=minutes),
        attachments=(
            Attachment(name=f"{stem}.xlsx", url=xlsx_url, content_type=XLSX_TYPE, size=len(xlsx)),
            Attachment(name=f"{stem}.csv", url=csv_url, content_type=CSV_TYPE, size=len(csv_data)),
        ),
        language=ctx.language,
        intent="order.report",
    )


_ORDER_NUMBER = r"#?\d{3,10}"
_PERIOD = Slot(name="period", entities=("date_range", "date"), question="order.ask_period", required=False, carry=False)

INTENTS = [
    IntentSpec(
        name="order.status",
        examples=STATUS_EXAMPLES,
        handler=order_status,
        tool=Tool.ORDERS,
        slots=(
            Slot(
                name="order",
                entities=("order_number", "po_number", "reference"),
                question="order.ask_number",
                pattern=_ORDER_NUMBER,
            ),
        ),
        guest_slots=(
            Slot(name="order", entities=("order_number",), question="order.ask_number", pattern=_ORDER_NUMBER),
            Slot(name="customer", entities=("customer_number",), question="order.ask_customer_number", pattern=r"\d{7}"),
        ),
        claims=("order_number", "po_number"),
    ),
    IntentSpec(name="order.search", examples=SEARCH_EXAMPLES, handler=order_search, tool=Tool.ORDERS, slots=(_PERIOD,)),
    IntentSpec(
        name="order.report",
        examples=REPORT_EXAMPLES,
        handler=order_report,
        tool=Tool.ORDERS,
        slots=(Slot(name="period", entities=("date_range", "date"), question="order.ask_period"),),
    ),
]
