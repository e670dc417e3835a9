"""The agent console's page says nothing the words registry does not hold: every key its HTML and its
script use is registered under ``console.``, in English and Swedish, and no label is left in English
in its HTML without a key that replaces it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from supportbot.adapters.agents import wording
from supportbot.adapters.agents.wording import WORDS, page_words

STATIC = Path(wording.__file__).parent / "static"
_CALL = re.compile(r"""\bt\(\s*"([\w.]+)"|t\(\s*[^()"]*\?\s*"([\w.]+)"\s*:\s*"([\w.]+)\"""")
_KIND = re.compile(r"""\bword\(\s*"(\w+)"\s*,""")
_ATTRIBUTES = ("data-t", "data-t-title", "data-t-aria-label", "data-t-placeholder")


class _Page(HTMLParser):
    """The keys of the page and the texts shown without one."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.bare: list[str] = []
        self._keyed: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.keys += [str(found[a]) for a in _ATTRIBUTES if found.get(a)]
        if tag not in ("input", "meta", "link", "br"):
            self._keyed.append("data-t" in found or tag in ("kbd", "script", "style", "option"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("input", "meta", "link", "br") and self._keyed:
            self._keyed.pop()

    def handle_data(self, data: str) -> None:
        text = data.strip(" \n+/")
        if re.search(r"[A-Za-z]{2}", text) and not any(self._keyed):
            self.bare.append(text)


def test_every_key_of_the_page_and_its_script_is_registered() -> None:
    page = _Page()
    page.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    script = (STATIC / "console.js").read_text(encoding="utf-8")
    said = set(page.keys) | {key for match in _CALL.findall(script) for key in match if key}
    assert len(said) > 150  # the scan finds the page's keys
    assert sorted(said - WORDS.keys()) == []
    kinds = set(_KIND.findall(script))
    assert kinds == {"channel", "status", "category", "priority", "kind", "reason", "followed"}
    assert all(any(key.startswith(kind + ".") for key in WORDS) for kind in kinds)


def test_no_label_of_the_page_is_left_without_its_key() -> None:
    page = _Page()
    page.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert page.bare == []


def test_the_page_gets_one_languages_words_with_their_plural_forms() -> None:
    swedish = page_words("sv")
    assert swedish["words"]["days"] == {"one": "{n} dag", "other": "{n} dagar"}
    assert swedish["plural"]["days"] == "n"
    assert page_words("fi")["language"] == "en"
