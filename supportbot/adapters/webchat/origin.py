"""Same-origin checks: a browser on another site must not drive a customer's chat with their cookie.

An origin is scheme, host and port together: ``https://host:8080`` is another site than
``http://host:8080``, so the scheme a request came in on is compared too, not taken from the claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_WEB_SCHEMES = {"ws": "http", "wss": "https"}


def _authority(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an absolute http(s) URL, ports made explicit, ws(s) read as http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = _WEB_SCHEMES.get(parts.scheme, parts.scheme)
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[parts.scheme]


def same_origin(origin: str | None, host: str | None, *, scheme: str, trusted: Iterable[str] = ()) -> bool:
    """Whether ``Origin`` names the site that serves us: the request's own ``scheme`` and ``Host``, or a
    trusted public URL (behind a proxy that ends TLS, the public ``https://`` URL is that site).

    A missing or opaque (``null``) origin is refused: every browser sends one on a WebSocket upgrade.
    """
    if not origin or origin == "null":
        return False
    claimed = _authority(origin)
    if claimed is None:
        return False
    if host:
        served = _authority(f"{scheme}://{host}")
        if served is not None and served == claimed:
            return True
    for url in trusted:
        allowed = _authority(url)
        if allowed is not None and allowed == claimed:
            return True
    return False


def cross_site(origin: str | None, host: str | None, *, scheme: str, trusted: Iterable[str] = ()) -> bool:
    """For plain requests: a request that names a foreign origin. No ``Origin`` at all is not a browser's
    cross-site request, so it passes (a non-browser client cannot carry the customer's cookie anyway)."""
    return origin is not None and not same_origin(origin, host, scheme=scheme, trusted=trusted)
