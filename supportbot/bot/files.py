"""Generated files (reports, copies) behind signed download links that expire and name their owner."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode

from supportbot.bot.errors import InvalidLink
from supportbot.bot.messages import InboundFile
from supportbot.bot.store import Store, StoredFile
from supportbot.integrations.models import Tool

DocumentKind = Literal["invoice", "credit_note", "contract"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("invoice", "credit_note", "contract")
DocumentFormat = Literal["pdf", "html"]
"""A document as a PDF, or as a page to print (contracts)."""

UPLOAD = "upload"
"""The ``tool`` mark of a file a user sent: kept for them, never behind a download link."""
STASH_TTL = timedelta(hours=1)
HANDOFF_FILE_TTL = timedelta(days=30)
"""Files a customer sends an agent stay with the transcript this long."""


class FileService:
    def __init__(self, store: Store, *, secret_key: bytes, public_url: str, ttl: timedelta) -> None:
        self._store = store
        self._key = secret_key
        self._public_url = public_url.rstrip("/")
        self.ttl = ttl

    def _sign(self, file_id: str, owner: str | None, expires: int) -> str:
        message = f"file\x00{file_id}\x00{owner or ''}\x00{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    async def publish(
        self, *, owner: str | None, name: str, content_type: str, data: bytes, tool: Tool | None
    ) -> str:
        """Keep the file and return a link only its owner can use, until it expires."""
        file_id = secrets.token_urlsafe(18)
        expires_at = datetime.now(UTC) + self.ttl
        await self._store.put_file(
            StoredFile(
                id=file_id,
                owner=owner,
                name=name,
                content_type=content_type,
                tool=tool.value if tool else None,
                data=data,
                expires_at=expires_at,
            )
        )
        expires = int(expires_at.timestamp())
        sig = self._sign(file_id, owner, expires)
        return f"{self._public_url}/files/{file_id}/{quote(name)}?exp={expires}&sig={sig}"

    async def open(self, file_id: str, *, expires: str, sig: str, now: datetime | None = None) -> StoredFile:
        """The file, if the link is genuine and current; ``InvalidLink`` otherwise, with no detail why."""
        try:
            expires_at = int(expires)
        except ValueError:
            raise InvalidLink() from None
        now = now or datetime.now(UTC)
        stored = await self._store.get_file(file_id)
        if stored is None or stored.tool == UPLOAD:
            raise InvalidLink()
        expected = self._sign(file_id, stored.owner, expires_at)
        if not hmac.compare_digest(expected, sig) or now.timestamp() > expires_at or now > stored.expires_at:
            raise InvalidLink()
        return stored

    async def stash(self, *, owner: str, file: InboundFile, ttl: timedelta = STASH_TTL) -> str:
        """Keeps a file the user sent (an hour unless told), for them only, never behind a link; its id."""
        file_id = secrets.token_urlsafe(18)
        await self._store.put_file(
            StoredFile(
                id=file_id,
                owner=owner,
                name=file.name,
                content_type=file.content_type,
                tool=UPLOAD,
                data=file.data,
                expires_at=datetime.now(UTC) + ttl,
            )
        )
        return file_id

    async def unstash(self, *, owner: str | None, file_id: str) -> InboundFile | None:
        """The stashed file, if it is the owner's and still current; ``owner=None`` is for support
        agents, who see what any customer sent them."""
        stored = await self._store.get_file(file_id)
        if stored is None or stored.tool != UPLOAD or (owner is not None and stored.owner != owner):
            return None
        if datetime.now(UTC) > stored.expires_at:
            return None
        return InboundFile(name=stored.name, content_type=stored.content_type, data=stored.data)

    def _sign_document(
        self, kind: str, number: str, owner: str, expires: int, version: int | None, form: str
    ) -> str:
        message = f"document\x00{kind}\x00{number}\x00{owner}\x00{expires}"
        if version is not None or form != "pdf":
            message += f"\x00{version or ''}\x00{form}"  # a contract's version and page: signed too
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def document_link(
        self,
        *,
        owner: str,
        kind: DocumentKind,
        number: str,
        version: int | None = None,
        form: DocumentFormat = "pdf",
    ) -> str:
        """A link to a document by its number, rendered only when opened: nothing is stored now.

        The link names its owner; opening it re-checks the owner's grant and fetches the document
        through the back end as the owner, so it never shows more than the owner may see. A contract's
        link may name a version (else the current one) and ask for the page to print (``form="html"``).
        """
        expires = int((datetime.now(UTC) + self.ttl).timestamp())
        sig = self._sign_document(kind, number, owner, expires, version, form)
        params: dict[str, str | int] = {"exp": expires, "sig": sig, "u": owner}
        if version is not None:
            params["v"] = version
        return f"{self._public_url}/documents/{kind}/{quote(number, safe='')}.{form}?{urlencode(params)}"

    def verify_document_link(
        self,
        kind: str,
        number: str,
        owner: str,
        exp: str,
        sig: str,
        *,
        version: str = "",
        form: str = "pdf",
        now: datetime | None = None,
    ) -> bool:
        """Whether the link is genuine and current; compared in constant time."""
        if kind not in DOCUMENT_KINDS or not owner or not number or form not in ("pdf", "html"):
            return False
        if form == "html" and kind != "contract":
            return False
        try:
            expires = int(exp)
            chosen = int(version) if version else None
        except ValueError:
            return False
        expected = self._sign_document(kind, number, owner, expires, chosen, form)
        genuine = hmac.compare_digest(expected.encode(), sig.encode("utf-8", "replace"))
        now = now or datetime.now(UTC)
        return genuine and now.timestamp() <= expires
