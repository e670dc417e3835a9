"""The HTML part every mail gets: the plain text escaped, its paragraphs, line breaks and links kept, in the
mail's language; and the finished message, ``multipart/alternative`` beside any attachments."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest

from supportbot.integrations.mail import build_message
from supportbot.integrations.mail_html import mail_language, render_mail_html

SENDER = "Customer support <support@vendor.example>"


class Page(HTMLParser):
    """What a mail client would make of the document: tags with their attributes, and the shown text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.paragraphs: list[str] = []
        self._paragraph: list[str] | None = None
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "p":
            self._paragraph = []
        elif tag == "br" and self._paragraph is not None:
            self._paragraph.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._paragraph is not None:
            self.paragraphs.append(re.sub(r"\n\s+", "\n", "".join(self._paragraph)))
            self._paragraph = None

    def handle_data(self, data: str) -> None:
        if self._paragraph is not None:
            self._paragraph.append(data)

    def shown(self) -> str:
        """The text of the paragraphs, as a reader sees it: a blank line between two."""
        return "\n\n".join(self.paragraphs)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def links(self) -> list[str | None]:
        return [attrs.get("href") for attrs in self.all("a")]


def test_markup_in_the_text_is_shown_as_text_never_run() -> None:
    document = render_mail_html('Hello <script>alert("x")</script> & <b onclick="x">bold</b>')
    assert "<script" not in document and "<b " not in document
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onclick=" in document
    page = Page(document)
    assert page.all("script") == [] and page.all("b") == []
    assert page.shown() == 'Hello <script>alert("x")</script> & <b onclick="x">bold</b>'


def test_paragraphs_and_line_breaks_are_kept() -> None:
    text = "Hello Anna,\n\nwe have received your request.\n\nTracking number: RQ-1\nSubject: Boot\n\n\nBye"
    page = Page(render_mail_html(text))
    assert len(page.all("p")) == 4 and len(page.all("br")) == 1
    assert page.shown() == text.replace("\n\n\n", "\n\n")


def test_web_addresses_become_links_without_the_sentence_s_punctuation() -> None:
    text = (
        "Follow it here: http://127.0.0.1:8080/?ask=status+of+RQ-2026-000123&x=1.\n"
        "(See https://vendor.example/help) or https://en.wikipedia.org/wiki/Foo_(bar), "
        "javascript:alert(1) and www.vendor.example stay text."
    )
    document = render_mail_html(text)
    page = Page(document)
    assert page.links() == [
        "http://127.0.0.1:8080/?ask=status+of+RQ-2026-000123&x=1",
        "https://vendor.example/help",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
    ]
    assert 'href="http://127.0.0.1:8080/?ask=status+of+RQ-2026-000123&amp;x=1"' in document
    assert page.shown() == text, "the words are the same; only their markup changed"
    assert "javascript:" not in "".join(str(link) for link in page.links())


def test_e_mail_addresses_become_mailto_links() -> None:
    page = Page(render_mail_html("Write to support@vendor.example, or ask erik.lund@nordisk.example."))
    assert page.links() == ["mailto:support@vendor.example", "mailto:erik.lund@nordisk.example"]


def test_an_attribute_cannot_be_broken_out_of() -> None:
    document = render_mail_html('https://x.example/a"onmouseover="alert(1) and https://x.example/<b>')
    page = Page(document)
    assert page.links() == ["https://x.example/a", "https://x.example/"]
    assert all(set(attrs) == {"href", "style"} for attrs in page.all("a"))


def test_swedish_text_is_kept_as_it_is() -> None:
    text = "Hej Åsa Öberg,\n\nvi har tagit emot ditt ärende om Göteborg.\n\nVänliga hälsningar\nKundsupport"
    document = render_mail_html(text, language="sv", title="Ditt ärende RQ-1: Skärmen är trasig")
    assert "Åsa Öberg" in document and "Göteborg" in document
    assert "<title>Ditt ärende RQ-1: Skärmen är trasig</title>" in document
    assert Page(document).shown() == text
    assert '<meta charset="utf-8">' in document


@pytest.mark.parametrize(
    ("language", "lang"),
    [("sv", "sv"), ("en", "en"), ("en-GB", "en-GB"), (None, "en"), ("", "en"), ('sv" onload="x', "en")],
)
def test_the_document_says_its_language(language: str | None, lang: str) -> None:
    assert mail_language(language) == lang
    (html,) = Page(render_mail_html("Hej", language=language)).all("html")
    assert html == {"lang": lang, "dir": "ltr"}


def test_the_layout_is_accessible_and_inline_styled() -> None:
    document = render_mail_html("Hello https://vendor.example", title="A <subject>")
    page = Page(document)
    assert document.startswith("<!DOCTYPE html>")
    assert "<style" not in document and "<link" not in document, "mail clients drop both"
    assert all(attrs.get("role") == "presentation" for attrs in page.all("table")), "no data tables"
    assert all(attrs.get("style") for attrs in page.all("a") + page.all("p") + page.all("td"))
    assert "<title>A &lt;subject&gt;</title>" in document
    assert all(attrs.get("content") for attrs in page.all("meta") if attrs.get("name") == "viewport")


def _message(**extra: object) -> EmailMessage:
    built = build_message(sender=SENDER, to="anna.berg@nordisk.example", subject="Ärende", **extra)  # type: ignore[arg-type]
    parsed = message_from_bytes(built.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_every_message_has_a_text_and_an_html_part_in_its_language() -> None:
    mail = _message(text="Hej Anna,\n\n<b>inte fet</b> https://vendor.example/?a=1&b=2", language="sv")
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content() == "Hej Anna,\n\n<b>inte fet</b> https://vendor.example/?a=1&b=2\n"
    document = html.get_content()
    assert '<html lang="sv"' in document and "&lt;b&gt;inte fet&lt;/b&gt;" in document
    assert 'href="https://vendor.example/?a=1&amp;b=2"' in document
    assert mail["Content-Language"] == "sv"


def test_without_a_language_the_html_is_english() -> None:
    html = _message(text="Hello").get_body(("html",))
    assert html is not None and '<html lang="en"' in html.get_content()


def test_a_caller_s_own_html_is_kept() -> None:
    html = _message(text="Hello", html="<p>Own</p>", language="sv").get_body(("html",))
    assert html is not None and html.get_content().strip() == "<p>Own</p>"


def test_attachments_go_beside_both_parts() -> None:
    data = bytes(range(256))
    mail = _message(
        text="Här är rapporten.",
        language="sv",
        attachments=[("rapport.xlsx", "application/vnd.ms-excel", data), ("r.csv", "text/csv", b"a;b\n")],
    )
    assert mail.get_content_type() == "multipart/mixed"
    first = next(mail.iter_parts())
    assert first.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]
    attached = {part.get_filename(): part.get_payload(decode=True) for part in mail.iter_attachments()}
    assert attached == {"rapport.xlsx": data, "r.csv": b"a;b\n"}
    html = mail.get_body(("html",))
    assert html is not None and "Här är rapporten." in html.get_content()
