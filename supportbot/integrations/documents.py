"""What a customer may send: size and type limits, and the checksum a document is kept with.

A file's type is what its bytes are (magic bytes; a zip's directory for Word and Excel), and it must
agree with its name and with the type its channel declared. The core applies this to every file from
every channel (a request's documents, the files for an agent, web chat uploads); the SQL back end
applies it again to what it keeps.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from supportbot.integrations.errors import InvalidRequest

MAX_BYTES = 10 * 1024 * 1024
"""10 MiB: a photo, a log or a PDF; anything larger goes through the agent, not the chat."""

PDF = "application/pdf"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TYPES = frozenset(
    {PDF, "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "text/csv", ZIP, DOCX, XLSX}
)
"""Documents, pictures, logs and archives; no executables, scripts or HTML."""

EXTENSIONS = {
    "pdf": PDF,
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "zip": ZIP,
    "docx": DOCX,
    "xlsx": XLSX,
}
"""The names an accepted file may have. Any other extension is refused, even on text: a ``.bat``,
``.js`` or ``.html`` file is text too, and the agent's computer would run or render it by its name."""

_FAMILY = {"text/csv": "text/plain", DOCX: ZIP, XLSX: ZIP}
"""Types that the bytes cannot tell apart: a CSV file is text, a Word document a zip."""

_PROGRAMS = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux and Unix programs
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS) programs, both byte orders, and universal ones
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_MARKUP = re.compile(
    rb"<(?:!doctype|!--|\?xml|html|head|body|script|svg|iframe|object|embed|style|meta|title|link|base|"
    rb"form|frameset|math|xml|xsl|a|b|br|div|p|h[1-6]|font|table|img)[\s/>]",
    re.IGNORECASE,
)
"""What a browser takes for a web page (the WHATWG sniffing patterns, and SVG and XML): refused."""
_BOMS = (b"\xef\xbb\xbf",)
_TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
"""Control characters no text has, in a file that is not UTF-8 (tab, line breaks, form feed and
escape, as in coloured logs, do occur)."""


class DocumentRefused(InvalidRequest):
    """A document of a type not accepted, or whose content does not match its name (``mismatch``)."""

    def __init__(self, reason: str, *, mismatch: bool = False) -> None:
        super().__init__(reason)
        self.mismatch = mismatch


def _is_text(data: bytes) -> bool:
    """UTF-8 without NUL, or (a file saved by Excel or Notepad in Sweden) Windows-1252 without controls."""
    if b"\x00" in data:
        return False
    body = data[3:] if data.startswith(_BOMS) else data
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    try:
        body.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return _TEXT_CONTROLS.search(body) is None


def _zip_names(data: bytes) -> set[str] | None:
    """The member names of a zip archive (read from its directory; nothing is unpacked), or ``None``."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _content_is(kind: str, data: bytes) -> bool:
    """Whether the bytes are a ``kind`` file, by their magic bytes (and a zip's directory)."""
    if kind == PDF:
        return data.startswith(b"%PDF-")
    if kind == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if kind == "image/gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if kind == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if kind in {"text/plain", "text/csv"}:
        return _is_text(data)
    names = _zip_names(data)
    if names is None:
        return False
    if kind == DOCX:
        return {"[Content_Types].xml", "word/document.xml"} <= names
    if kind == XLSX:
        return {"[Content_Types].xml", "xl/workbook.xml"} <= names
    return kind == ZIP


def _dangerous(data: bytes) -> bool:
    """A program, a script or a web page, whatever it is called."""
    if data.startswith(_PROGRAMS):
        return True
    head = data[:1024]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return _MARKUP.match(head.lstrip(b" \t\r\n\x0c")) is not None


def _extension(name: str) -> str | None:
    """The extension of a file name (``"pdf"``), or ``None`` when it has none (``"README"``, ``"v2.1"``)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,5}", ext) or ext.isdigit():
        return None
    return ext.lower()


def kept_type(name: str, declared: str, data: bytes) -> str:
    """The type ``data`` is kept as; ``DocumentRefused`` unless its bytes, its name and the declared type
    agree on one accepted type. Markup, scripts and programs are refused whatever they are called."""
    kind = declared.split(";", 1)[0].strip().lower()
    if kind not in TYPES:
        raise DocumentRefused(f"documents of type {kind or 'unknown'} are not accepted")
    if _dangerous(data):
        raise DocumentRefused("a program, script or web page is not accepted, whatever its name")
    ext = _extension(name)
    if ext is not None:
        if ext not in EXTENSIONS:
            raise DocumentRefused(f"files named .{ext} are not accepted")
        named = EXTENSIONS[ext]
        if _FAMILY.get(named, named) != _FAMILY.get(kind, kind):
            raise DocumentRefused(f"a .{ext} file declared as {kind}", mismatch=True)
        kind = named
    if not _content_is(kind, data):
        raise DocumentRefused(f"the content is not {kind}", mismatch=True)
    return kind


_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def checked(name: str, content_type: str, data: bytes) -> tuple[str, str, str]:
    """The safe file name, the type it is kept as and the SHA-256 of ``data``; ``InvalidRequest`` (a
    ``DocumentRefused`` for its type or content) if refused."""
    if not data:
        raise InvalidRequest("the document is empty")
    if len(data) > MAX_BYTES:
        raise InvalidRequest(f"the document is larger than {MAX_BYTES} bytes")
    kind = kept_type(name, content_type, data)
    safe = _NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")[:200] or "document"
    return safe, kind, hashlib.sha256(data).hexdigest()
