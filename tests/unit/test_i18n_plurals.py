"""Plural forms: every sentence with a count says "1 minute" and "2 minutes", "1 order" and "2 ordrar"."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pytest
from babel.core import Locale

# The owners of words beyond the core's: importing them registers their catalogues.
import supportbot.adapters.agents.dashboard
import supportbot.adapters.agents.wording
import supportbot.adapters.slack.agents
import supportbot.adapters.teams.wording
import supportbot.adapters.webchat.wording
import supportbot.intents  # noqa: F401
from supportbot.adapters.slack import wording as slack_wording
from supportbot.bot.i18n import LANGUAGES, Formatter, babel_locale, catalogues, translate

# Placeholders that hold a number of something: a sentence with one says a word that agrees with it.
COUNTS = frozenset({"count", "n", "minutes", "hours", "days", "seconds", "length", "limit", "min", "max"})
# A count followed by a unit symbol ("10 MB", "5 min", "2 h", "30 s") needs no forms: the symbol
# does not change.
_UNIT = re.compile(r"\s*(?:MB|kB|GB|%|s|min|h|tim)(?![\w-])")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _entries() -> Iterator[tuple[str, Mapping[str, object], tuple[str, ...]]]:
    """Every registered entry with the languages its catalogue speaks (the agents' in English only)."""
    for catalogue in catalogues():
        for key, entry in catalogue.entries.items():
            yield key, entry, catalogue.languages


def _texts(entry: Mapping[str, object]) -> Iterator[str]:
    for language, value in entry.items():
        if language == "plural":
            continue
        if isinstance(value, dict):
            yield from value.values()
        else:
            assert isinstance(value, str)
            yield value


def _counted(text: str) -> set[str]:
    """The count placeholders of a text that a word follows or that stand alone (not "10 MB")."""
    return {
        m.group(1)
        for m in _PLACEHOLDER.finditer(text)
        if m.group(1) in COUNTS and not _UNIT.match(text, m.end())
    }


def _followed_by_word(text: str, name: str) -> bool:
    return any(
        re.match(r"\s+[^\W\d_]", text[m.end() :]) for m in _PLACEHOLDER.finditer(text) if m.group(1) == name
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sentence_with_one_thing_is_singular_and_any_other_number_plural(language: str) -> None:
    one = {"en": "(the link works for 1 minute).", "sv": "(länken fungerar i 1 minut)."}[language]
    many = {"en": "(the link works for {} minutes).", "sv": "(länken fungerar i {} minuter)."}[language]
    assert translate("invoice.summary.copy", language, minutes=1).endswith(one)
    assert Formatter(language).t("invoice.summary.copy", minutes=1).endswith(one)
    for n in (0, 2, 5):
        assert translate("invoice.summary.copy", language, minutes=n).endswith(many.format(n))
        assert Formatter(language).t("invoice.summary.copy", minutes=n).endswith(many.format(n))


def test_orders_poster_and_minutes_in_both_languages() -> None:
    assert "(1 order)" in translate("order.report.mailed", "en", count=1, filters="", email="a@b.example")
    assert "(3 orders)" in translate("order.report.mailed", "en", count=3, filters="", email="a@b.example")
    assert "(1 order)" in translate("order.report.mailed", "sv", count=1, filters="", email="a@b.example")
    assert "(3 ordrar)" in translate("order.report.mailed", "sv", count=3, filters="", email="a@b.example")
    assert "(0 ordrar)" in translate("order.report.mailed", "sv", count=0, filters="", email="a@b.example")
    params = {"start": "1 maj", "end": "31 maj", "filters": "", "balance": "0,00 SEK"}
    assert "(1 post;" in translate("statement.ready", "sv", count=1, **params)
    assert "(2 poster;" in translate("statement.ready", "sv", count=2, **params)
    assert "(1 item;" in translate("statement.ready", "en", count=1, **params)
    assert "(2 items;" in translate("statement.ready", "en", count=2, **params)
    assert translate("download.links", "sv", minutes=1) == " Länkarna fungerar i 1 minut."
    assert translate("download.links", "en", minutes=60) == " The links work for 60 minutes."


def test_what_is_said_about_files_agrees_with_how_many_there_were() -> None:
    assert translate("dialog.files_not_taken", "en", count=1).startswith(
        "I can't take files here, so I haven't kept it."
    )
    assert "I haven't kept them." in translate("dialog.files_not_taken", "en", count=2)
    assert "så jag har inte sparat dem." in translate("dialog.files_not_taken", "sv", count=2)
    assert translate("request.files.added", "en", names="a and b", number="RQ-1", count=2).endswith(
        "see them."
    )
    assert translate("request.files.added", "sv", names="a och b", number="RQ-1", count=2).endswith(
        "ser dem."
    )


def test_a_later_page_with_a_single_record_names_it_instead_of_a_range_of_one() -> None:
    page = {"first": 11, "last": 11, "filters": ""}
    assert (
        translate("order.search.found", "en", count=1, **page)
        == "Here is one more of your orders (number 11):"
    )
    assert translate("order.search.found", "sv", count=2, first=11, last=12, filters="").endswith(
        "(visar 11–12):"
    )
    assert translate("statement.shown", "sv", count=1, **page) == " Post 11:"
    assert translate("invoice.list.found", "en", count=1, **page).startswith(
        "One more of your company's invoices"
    )


def test_large_counts_are_written_the_way_the_language_writes_numbers() -> None:
    assert "more than 100,000 orders" in translate("order.report.too_large", "en", limit=100_000)
    assert "fler än 100\u00a0000 ordrar" in translate("order.report.too_large", "sv", limit=100_000)
    assert "(4\u00a0001 tecken; högst 4000)" in translate("input.too_long", "sv", length=4001, limit=4000)


def test_the_channels_own_words_have_plural_forms_too() -> None:
    assert "within 1 minute:" in translate(
        "webchat.mail.reset.body", "en", name="A", email="a", minutes=1, link="l", support="s"
    )
    assert "inom 2 minuter för att välja" in translate(
        "webchat.mail.reset.body", "sv", name="A", email="a", minutes=2, link="l", support="s"
    )
    one = translate("webchat.warning.files_missing", "en", count=1)
    assert "1 of the files" in one and "attach it again" in one
    assert "attach them again" in translate("webchat.warning.files_missing", "en", count=2)
    assert translate("webchat.reset.hint", "sv", min=1) == "Minst 1 tecken."
    assert translate("webchat.reset.hint", "en", min=1) == "At least 1 character."
    assert "with it" in slack_wording.files_unavailable(["a.png"], "en")
    assert "with them" in slack_wording.files_unavailable(["a.png", "b.png"], "en")
    assert "fått den" in translate("teams.files.failed", "sv", names="a.png", count=1)
    assert "fått dem" in translate("teams.files.failed", "sv", names="a.png och b.png", count=2)
    assert translate("agents.files", "en", names="a.png", count=1) == "(file: a.png)"
    assert translate("agents.files", "en", names="a.png, b.log", count=2) == "(files: a.png, b.log)"
    assert "than 1 character " in translate("agents.too_long", "en", limit=1)
    assert "than 4,000 characters " in translate("agents.too_long", "en", limit=4000)


def test_every_sentence_with_a_count_has_a_form_for_each_plural_category_of_its_language() -> None:
    """So that a new sentence with a count cannot be added in the plural only."""
    problems: list[str] = []
    for where, entry, languages in _entries():
        counted = set().union(*(_counted(text) for text in _texts(entry)))
        selector = entry.get("plural")
        if not counted and selector is None:
            continue
        if not isinstance(selector, str):
            problems.append(f"{where}: has {sorted(counted)} but names no count that picks its form (plural)")
            continue
        for name in counted - {selector}:
            if any(_followed_by_word(text, name) for text in _texts(entry)):
                problems.append(
                    f"{where}: {{{name}}} is followed by a word but the form is picked by {selector}"
                )
        for language in languages:
            forms = entry.get(language)
            categories = Locale.parse(babel_locale(language)).plural_form.tags | {"other"}
            if not isinstance(forms, dict) or set(forms) != categories:
                problems.append(f"{where}: {language} needs exactly the forms {sorted(categories)}")
    assert not problems, "\n".join(problems)


def test_what_is_mailed_to_the_user_is_counted_right_in_both_languages() -> None:
    """ "mail me …": one invoice, one item, one installed unit; never "1 fakturor" or "1 items"."""
    said = {"filters": "", "email": "a@b.example"}
    assert "e-mailed 1 invoice as" in translate("invoice.list.mailed", "en", count=1, **said)
    assert "your 2 invoices as" in translate("invoice.list.mailed", "en", count=2, **said)
    assert "mejlat 1 faktura som" in translate("invoice.list.mailed", "sv", count=1, **said)
    assert "era 2 fakturor som" in translate("invoice.list.mailed", "sv", count=2, **said)
    assert "e-mailed 1 installed item as" in translate("inventory.list.mailed", "en", count=1, **said)
    assert "mejlat 1 installerad enhet som" in translate("inventory.list.mailed", "sv", count=1, **said)
    assert "2 installerade enheter" in translate("inventory.list.mailed", "sv", count=2, **said)
    period = {"start": "1 maj", "end": "31 maj", "balance": "0,00 SEK", **said}
    assert "(1 post;" in translate("statement.mailed", "sv", count=1, **period)
    assert "(3 poster;" in translate("statement.mailed", "sv", count=3, **period)
    assert "(1 item;" in translate("statement.mailed", "en", count=1, **period)
