"""The order card as customers read it, pinned byte for byte in English and Swedish: the reply of the
order question is built on its hottest path, and a faster way of building it must say the same."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import pytest

from supportbot.bot.i18n import Formatter
from supportbot.bot.nlu.engine import Parse
from supportbot.bot.spec import TurnContext
from supportbot.bot.state import DialogState
from supportbot.integrations.carriers import tracking_url
from supportbot.integrations.models import (
    Carrier,
    Money,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Principal,
    Shipment,
)
from supportbot.intents.orders import _order_reply


def _line(no: int, code: str, description: str, quantity: int, unit_minor: int, currency: str) -> OrderLine:
    return OrderLine(
        line_no=no,
        product_code=code,
        description=description,
        quantity=quantity,
        unit_price=Money(minor=unit_minor, currency=currency),
        total=Money(minor=quantity * unit_minor, currency=currency),
    )


_ORDERED = datetime(2026, 11, 21, 9, 14, tzinfo=UTC)
_LINES = (
    _line(1, "EM6Y", "64 GB DDR4 DDIMM memory for IBM Power S1022", 4, 1_250_000, "SEK"),
    _line(2, "AHS4", "IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module", 2, 2_000_000, "SEK"),
    _line(3, "9105-22A", "IBM Power S1022", 1, 123_456_789, "SEK"),
)
_SHIPPED = Order(
    number="4711",
    po_number="NV-PO-889",
    status=OrderStatus.SHIPPED,
    ordered_at=_ORDERED,
    expected_delivery=date(2026, 12, 6),
    total=Money(minor=sum(line.total.minor for line in _LINES), currency="SEK"),
    site="Kista",
    customer_number="1000123",
    lines=_LINES,
    shipments=(
        Shipment(
            carrier=Carrier.POSTNORD,
            tracking_number="00370712345678901234",
            tracking_url=tracking_url(Carrier.POSTNORD, "00370712345678901234"),
            shipped_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
            expected_at=date(2026, 12, 5),
        ),
    ),
    history=(
        OrderEvent(status=OrderStatus.RECEIVED, at=_ORDERED),
        OrderEvent(status=OrderStatus.SHIPPED, at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC)),
    ),
)
ORDERS: dict[str, Order] = {
    "shipped": _SHIPPED,
    "delivered": _SHIPPED.model_copy(
        update={
            "status": OrderStatus.DELIVERED,
            "number": "5801",
            "total": Money(minor=1_999_950, currency="EUR"),
            "delivered_at": datetime(2026, 12, 4, 23, 15, tzinfo=UTC),  # 5 December in Stockholm
            "lines": (_line(1, "X1", "Rack", 3, 666_650, "EUR"),),
            "shipments": (
                Shipment(
                    carrier=Carrier.DHL,
                    tracking_number="JD014600006281230701",
                    tracking_url=tracking_url(Carrier.DHL, "JD014600006281230701"),
                    delivered_at=datetime(2026, 12, 4, 23, 15, tzinfo=UTC),
                ),
            ),
        }
    ),
    "in production": _SHIPPED.model_copy(
        update={"status": OrderStatus.IN_PRODUCTION, "number": "4712", "po_number": None, "shipments": ()}
    ),
    "confirmed, no date": _SHIPPED.model_copy(
        update={
            "status": OrderStatus.CONFIRMED,
            "expected_delivery": None,
            "site": None,
            "shipments": (),
            "lines": (),
            "total": Money(minor=0, currency="SEK"),
        }
    ),
    "cancelled": _SHIPPED.model_copy(update={"status": OrderStatus.CANCELLED, "shipments": ()}),
}


def _reply(order: Order, language: str) -> dict[str, Any]:
    state = DialogState()
    ctx = TurnContext(
        principal=Principal(user_id="u1", locale=language),
        parse=cast(Parse, None),
        slots={},
        language=language,
        fmt=Formatter(language, country="SE"),
        backends=cast(Any, None),
        files=cast(Any, None),
        mailer=cast(Any, None),
        state=state,
        now=datetime(2026, 12, 3, 12, tzinfo=UTC),
        public_url="https://support.example",
        support_email="support@example.com",
    )
    reply = _order_reply(ctx, order)
    assert state.topic.current["order"].value == order.number  # what "it" means next
    return reply.model_dump(mode="json")


def _shown(reply: dict[str, Any]) -> str:
    """Every part of the reply a channel shows, one per line; a no-break space as ``·``."""
    (card,) = reply.pop("cards")
    table = reply.pop("table")
    lines = [
        f"{reply.pop('intent')} ({reply.pop('language')}): {reply.pop('text')}",
        f"card: {card.pop('title')} / {card.pop('subtitle')}",
        *(f"  {field['label']}: {field['value']}" for field in card.pop("fields")),
        f"  link: {card.pop('url_label')} {card.pop('url')}",
    ]
    if table is not None:
        lines.append("table: " + " | ".join(table["columns"]))
        lines.extend("  " + " | ".join(row) for row in table["rows"])
    assert card == {"buttons": []}
    assert reply == {"buttons": [], "attachments": [], "form": None}
    text = "\n".join(lines)
    assert "·" not in text
    return text.replace("\u00a0", "·")


PINNED: dict[tuple[str, str], str] = {
    ("shipped", "en"): """
order.status (en): Order 4711 has shipped with PostNord and is expected on 5 December 2026.
card: Order 4711 / Shipped
  PO number: NV-PO-889
  Ordered: 21 November 2026
  Expected delivery: 5 December 2026
  Total excl. VAT: SEK·1,324,567.89
  Site: Kista
  Carrier: PostNord
  Tracking number: 00370712345678901234
  link: Track the shipment https://tracking.postnord.com/se/?id=00370712345678901234
table: # | Product | Qty | Total excl. VAT
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | SEK·50,000.00
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | SEK·40,000.00
  3 | IBM Power S1022 (9105-22A) | 1 | SEK·1,234,567.89
""",
    ("shipped", "sv"): """
order.status (sv): Order 4711 är skickad med PostNord och väntas fram 5 december 2026.
card: Order 4711 / Skickad
  Inköpsordernr: NV-PO-889
  Beställd: 21 november 2026
  Beräknad leverans: 5 december 2026
  Summa exkl. moms: 1·324·567,89·SEK
  Plats: Kista
  Transportör: PostNord
  Kollinummer: 00370712345678901234
  link: Spåra försändelsen https://tracking.postnord.com/se/?id=00370712345678901234
table: # | Produkt | Antal | Summa exkl. moms
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | 50·000,00·SEK
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | 40·000,00·SEK
  3 | IBM Power S1022 (9105-22A) | 1 | 1·234·567,89·SEK
""",
    ("delivered", "en"): """
order.status (en): Order 5801 was delivered on 5 December 2026.
card: Order 5801 / Delivered
  PO number: NV-PO-889
  Ordered: 21 November 2026
  Delivered: 5 December 2026
  Total excl. VAT: EUR·19,999.50
  Site: Kista
  Carrier: DHL
  Tracking number: JD014600006281230701
  link: Track the shipment https://www.dhl.com/se-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD014600006281230701
table: # | Product | Qty | Total excl. VAT
  1 | Rack (X1) | 3 | EUR·19,999.50
""",
    ("delivered", "sv"): """
order.status (sv): Order 5801 levererades 5 december 2026.
card: Order 5801 / Levererad
  Inköpsordernr: NV-PO-889
  Beställd: 21 november 2026
  Levererad: 5 december 2026
  Summa exkl. moms: 19·999,50·EUR
  Plats: Kista
  Transportör: DHL
  Kollinummer: JD014600006281230701
  link: Spåra försändelsen https://www.dhl.com/se-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD014600006281230701
table: # | Produkt | Antal | Summa exkl. moms
  1 | Rack (X1) | 3 | 19·999,50·EUR
""",
    ("in production", "en"): """
order.status (en): Order 4712 is in production. Expected delivery: 6 December 2026.
card: Order 4712 / In production
  Ordered: 21 November 2026
  Expected delivery: 6 December 2026
  Total excl. VAT: SEK·1,324,567.89
  Site: Kista
  link: None None
table: # | Product | Qty | Total excl. VAT
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | SEK·50,000.00
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | SEK·40,000.00
  3 | IBM Power S1022 (9105-22A) | 1 | SEK·1,234,567.89
""",
    ("in production", "sv"): """
order.status (sv): Order 4712 är i produktion. Beräknad leverans: 6 december 2026.
card: Order 4712 / I produktion
  Beställd: 21 november 2026
  Beräknad leverans: 6 december 2026
  Summa exkl. moms: 1·324·567,89·SEK
  Plats: Kista
  link: None None
table: # | Produkt | Antal | Summa exkl. moms
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | 50·000,00·SEK
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | 40·000,00·SEK
  3 | IBM Power S1022 (9105-22A) | 1 | 1·234·567,89·SEK
""",
    ("confirmed, no date", "en"): """
order.status (en): Order 4711 is confirmed. We don't have a delivery date for it yet.
card: Order 4711 / Confirmed
  PO number: NV-PO-889
  Ordered: 21 November 2026
  Total excl. VAT: SEK·0.00
  link: None None
""",
    ("confirmed, no date", "sv"): """
order.status (sv): Order 4711 är bekräftad. Vi har inget leveransdatum för den ännu.
card: Order 4711 / Bekräftad
  Inköpsordernr: NV-PO-889
  Beställd: 21 november 2026
  Summa exkl. moms: 0,00·SEK
  link: None None
""",
    ("cancelled", "en"): """
order.status (en): Order 4711 has been cancelled.
card: Order 4711 / Cancelled
  PO number: NV-PO-889
  Ordered: 21 November 2026
  Total excl. VAT: SEK·1,324,567.89
  Site: Kista
  link: None None
table: # | Product | Qty | Total excl. VAT
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | SEK·50,000.00
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | SEK·40,000.00
  3 | IBM Power S1022 (9105-22A) | 1 | SEK·1,234,567.89
""",
    ("cancelled", "sv"): """
order.status (sv): Order 4711 är makulerad.
card: Order 4711 / Makulerad
  Inköpsordernr: NV-PO-889
  Beställd: 21 november 2026
  Summa exkl. moms: 1·324·567,89·SEK
  Plats: Kista
  link: None None
table: # | Produkt | Antal | Summa exkl. moms
  1 | 64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y) | 4 | 50·000,00·SEK
  2 | IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4) | 2 | 40·000,00·SEK
  3 | IBM Power S1022 (9105-22A) | 1 | 1·234·567,89·SEK
""",
}


@pytest.mark.parametrize(("order", "language"), PINNED)
def test_the_order_reply_says_exactly_this(order: str, language: str) -> None:
    assert _shown(_reply(ORDERS[order], language)) == PINNED[order, language].strip("\n")


def test_every_order_is_pinned_in_both_languages() -> None:
    assert set(PINNED) == {(order, language) for order in ORDERS for language in ("en", "sv")}
