"""Tracking links for the carriers the vendor ships with."""

from __future__ import annotations

from urllib.parse import quote

from supportbot.integrations.models import Carrier

_TRACKING_URLS: dict[Carrier, str] = {
    Carrier.POSTNORD: "https://tracking.postnord.com/se/?id={n}",
    Carrier.DHL: "https://www.dhl.com/se-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={n}",
    Carrier.UPS: "https://www.ups.com/track?loc=en_US&tracknum={n}",
    Carrier.FEDEX: "https://www.fedex.com/fedextrack/?trknbr={n}",
    Carrier.DB_SCHENKER: "https://www.dbschenker.com/app/tracking-public/?refNumber={n}&refType=ShippersRefNo",
}

CARRIER_NAMES: dict[Carrier, str] = {
    Carrier.POSTNORD: "PostNord",
    Carrier.DHL: "DHL",
    Carrier.UPS: "UPS",
    Carrier.FEDEX: "FedEx",
    Carrier.DB_SCHENKER: "DB Schenker",
}


def tracking_url(carrier: Carrier, tracking_number: str) -> str:
    return _TRACKING_URLS[carrier].format(n=quote(tracking_number, safe=""))
