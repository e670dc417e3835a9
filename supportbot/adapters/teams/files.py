"""Downloading the files a Teams message carries: only from allowed hosts, never more than the core takes.

A URL is fetched only when its host is on ``SUPPORTBOT_TEAMS_FILE_HOSTS`` (an exact host, ``*.domain``
for its subdomains, or ``host:port``; without a port only the scheme's default one), over https (http
only to a loopback address, for local use), without user info. Redirects are followed by hand, each
hop checked the same way, at most ``MAX_REDIRECTS`` of them. The bot's token goes only with a pasted
picture's ``contentUrl`` and only to the origin of the conversation's service URL, and only when that
is a connector the bot calls (``service.ServicePolicy``); never to a file's pre-authenticated download
URL, and never across a redirect to another origin.

The announced ``Content-Length`` is checked first and the body is read in chunks up to
``MAX_INBOUND_BYTES``: a larger file is handed on without its bytes, with ``declared_size`` set, so
the core says it is too large. Bodies are read as sent (no transparent decompression).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiohttp
from yarl import URL

from supportbot.adapters.teams.activity import MAX_FILES, FileLink
from supportbot.bot.messages import MAX_INBOUND_BYTES, InboundFile

if TYPE_CHECKING:
    from supportbot.adapters.teams.service import ServicePolicy

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_WITH_PORT = re.compile(r"(.+):(\d{1,5})")

Token = Callable[[], Awaitable[str | None]]
"""The bot's connector token (``None`` in the emulator mode)."""


@dataclass
class Fetched:
    files: list[InboundFile] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Names of files that could not be fetched (host not allowed, an HTTP error, a timeout)."""


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1 (brackets allowed): an address no other machine reaches."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: URL) -> tuple[str, str, int | None]:
    return url.scheme, (url.host or "").lower(), url.port


class HostPolicy:
    """Which URLs may be fetched: the allow-list of hosts (see the module)."""

    def __init__(self, hosts: Sequence[str]) -> None:
        self._rules: list[tuple[str, int | None]] = []
        for raw in hosts:
            entry = raw.strip().lower()
            match = _WITH_PORT.fullmatch(entry)
            host, port = (match.group(1), int(match.group(2))) if match else (entry, None)
            self._rules.append((host.strip("[]").rstrip("."), port))

    def allows(self, url: URL) -> bool:
        if not url.is_absolute() or url.user or url.password or not url.host:
            return False
        host = url.host.lower().rstrip(".")
        if url.scheme not in _DEFAULT_PORTS or (url.scheme == "http" and not is_loopback(host)):
            return False
        for pattern, port in self._rules:
            if pattern.startswith("*."):
                matches = host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
            else:
                matches = host == pattern
            if matches and url.port == (port if port is not None else _DEFAULT_PORTS[url.scheme]):
                return True
        return False


class Downloader:
    """Fetches a message's files (see the module); one short-lived HTTP session per message."""

    def __init__(
        self,
        hosts: Sequence[str],
        *,
        services: ServicePolicy,
        limit: int = MAX_INBOUND_BYTES,
        timeout: float = 60.0,
        max_files: int = MAX_FILES,
    ) -> None:
        self.policy = HostPolicy(hosts)
        self.services = services
        self.limit = limit
        self.timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=10)
        self.max_files = max_files

    async def fetch(self, links: Sequence[FileLink], *, service_url: str, token: Token) -> Fetched:
        fetched = Fetched()
        if not links:
            return fetched
        service = URL(service_url)
        bearer: list[str | None] = []

        async def token_once() -> str | None:
            if not bearer:
                bearer.append(await token())
            return bearer[0]

        async with aiohttp.ClientSession(timeout=self.timeout, auto_decompress=False) as session:
            for link in links[: self.max_files]:
                try:
                    got = await self._one(session, link, service=service, token=token_once)
                except Exception as exc:
                    log.warning("teams: could not fetch a file (%s)", exc.__class__.__name__)
                    got = None
                if got is None:
                    fetched.failed.append(link.name)
                else:
                    fetched.files.append(got)
        fetched.failed.extend(link.name for link in links[self.max_files :])
        return fetched

    async def _one(
        self, session: aiohttp.ClientSession, link: FileLink, *, service: URL, token: Token
    ) -> InboundFile | None:
        url = URL(link.url, encoded=True)
        authorization = None
        if (
            link.with_token
            and self.services.allows(service)
            and _origin(url) == _origin(service)
            and self.policy.allows(url)
        ):
            bearer = await token()
            authorization = f"Bearer {bearer}" if bearer else None
        for _ in range(MAX_REDIRECTS + 1):
            if not self.policy.allows(url):
                log.warning("teams: refused to fetch a file from %s (not an allowed host)", url.host)
                return None
            headers = {"Accept-Encoding": "identity"}
            if authorization:
                headers["Authorization"] = authorization
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        return None
                    target = url.join(URL(location))
                    if _origin(target) != _origin(url):
                        authorization = None  # the token never leaves the connector's origin
                    url = target
                    continue
                if response.status != 200:
                    log.warning("teams: fetching a file from %s answered %s", url.host, response.status)
                    return None
                if response.headers.get("Content-Encoding", "identity").lower() != "identity":
                    log.warning("teams: a file from %s came encoded; refused", url.host)
                    return None
                return await self._read(link, response)
        log.warning("teams: too many redirects fetching a file")
        return None

    async def _read(self, link: FileLink, response: aiohttp.ClientResponse) -> InboundFile | None:
        announced = response.content_length
        if announced is not None and announced > self.limit:
            return InboundFile(name=link.name, content_type=link.content_type, declared_size=announced)
        data = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK):
            data.extend(chunk)
            if len(data) > self.limit:
                return InboundFile(name=link.name, content_type=link.content_type, declared_size=len(data))
        if not data:
            return None
        return InboundFile(name=link.name, content_type=link.content_type, data=bytes(data))
