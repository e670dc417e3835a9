"""The HTML alternative of a plain-text mail: the same words, escaped, in a simple layout mail clients show.

Every mail the assistant sends is written as plain text (the message catalogue's wording); this turns
that text into its ``text/html`` part so no caller has to: paragraphs (blank lines) and line breaks are
kept, web addresses and e-mail addresses become links, and the page says its language (``<html
lang>``) so screen readers pronounce it right. The layout is one centred column of at most 600 pixels
in a presentation table, styled inline only: many mail clients drop ``<style>`` blocks and ignore
CSS layout, but all of them show this.
"""

from __future__ import annotations

import html
import re

DEFAULT_LANGUAGE = "en"

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
"""A BCP 47 tag such as ``sv`` or ``en-GB``; anything else falls back to the default."""

_LINK = re.compile(
    r"(?P<url>\bhttps?://[^\s<>\"]+)"
    r"|(?P<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)"
)
_TRAILING = ".,;:!?'’”»"
"""Punctuation that ends a sentence after an address, not the address itself."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")

FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
TEXT_COLOUR = "#1f2328"
LINK_COLOUR = "#0b57d0"  # 6.4:1 on white: readable at body size (WCAG AA)
PAGE_COLOUR = "#f3f4f6"


def mail_language(language: str | None) -> str:
    """The ``lang`` of a mail: the caller's tag when it is one, else English."""
    tag = (language or "").strip()
    return tag if _LANGUAGE.fullmatch(tag) else DEFAULT_LANGUAGE


def _split_url(url: str) -> tuple[str, str]:
    """A URL found in running text without the punctuation after it ("see https://x/a." -> "…/a")."""
    end = len(url)
    while end > 0:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and url[:end].count("(") < url[:end].count(")"):
            end -= 1  # "(https://x/a)" - the bracket is the sentence's; "…/Foo_(bar)" keeps its own
        else:
            break
    return url[:end], url[end:]


def _link(href: str, label: str) -> str:
    return (
        f'<a href="{html.escape(href, quote=True)}" style="color: {LINK_COLOUR}; '
        f'text-decoration: underline;">{html.escape(label)}</a>'
    )


def _line(text: str) -> str:
    """One line of text, escaped, with its web and e-mail addresses made links."""
    parts: list[str] = []
    position = 0
    for match in _LINK.finditer(text):
        parts.append(html.escape(text[position : match.start()]))
        if match.group("url"):
            url, rest = _split_url(match.group("url"))
            parts.append(_link(url, url) + html.escape(rest))
        else:
            address = match.group("email")
            parts.append(_link(f"mailto:{address}", address))
        position = match.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def _paragraphs(text: str) -> list[str]:
    """Each paragraph (text between blank lines) as ``<p>``, its line breaks kept as ``<br>``."""
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return [
        '<p style="margin: 0 0 16px 0;">' + "<br>\n".join(_line(line) for line in part.split("\n")) + "</p>"
        for part in _PARAGRAPH_BREAK.split(body)
        if part.strip()
    ]


def render_mail_html(text: str, *, language: str | None = None, title: str | None = None) -> str:
    """The whole ``text/html`` document for a plain-text mail; ``title`` is usually the subject."""
    lang = mail_language(language)
    paragraphs = "\n".join(_paragraphs(text))
    head_title = f"<title>{html.escape(title)}</title>" if title else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="ltr">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"{head_title}\n"
        "</head>\n"
        f'<body style="margin: 0; padding: 0; background-color: {PAGE_COLOUR};">\n'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="background-color: {PAGE_COLOUR};">\n'
        '<tr><td align="center" style="padding: 24px 12px;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width: 600px; background-color: #ffffff; border: 1px solid #d0d7de; '
        'border-radius: 6px;">\n'
        f'<tr><td style="padding: 24px; font-family: {FONT}; font-size: 16px; line-height: 1.5; '
        f'color: {TEXT_COLOUR}; text-align: left; overflow-wrap: break-word; word-wrap: break-word;">\n'
        f"{paragraphs}\n"
        "</td></tr>\n"
        "</table>\n"
        "</td></tr>\n"
        "</table>\n"
        "</body>\n"
        "</html>\n"
    )
