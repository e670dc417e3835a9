"""The one registry of words: every owner's sentences, held to the same rules, and every key the code
says registered by someone."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from babel.core import Locale

import supportbot
from supportbot.bot.i18n import DuplicateWords, Formatter, babel_locale, catalogues, translate, words

PACKAGE = Path(supportbot.__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_KEY_ARGUMENT = {"t": 0, "translate": 0, "_ask": 2, "found_text": 1}
"""Functions and methods taking a key, and where: ``ctx.t(key, ...)``, ``found_text(ctx, key, ...)``."""
_KEY_KEYWORD = "question"
"""A slot's question is a key: ``Slot("tools", ..., question="access.ask_tool.short")``."""


def _import_everything() -> None:
    """Every module of the package, so that every owner has registered its words (not the database
    migrations: Alembic runs those scripts itself, and they say nothing)."""
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="supportbot."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


_import_everything()


def _categories(language: str) -> set[str]:
    return set(Locale.parse(babel_locale(language)).plural_form.tags) | {"other"}


def _shape(value: object) -> dict[str, list[str]]:
    """The placeholders of a text, or of each form of a plural text."""
    forms = value if isinstance(value, dict) else {"": value}
    return {category: sorted(_PLACEHOLDER.findall(str(text))) for category, text in forms.items()}


def faults(entry: Mapping[str, object], languages: tuple[str, ...]) -> list[str]:
    """What is wrong with one entry: a language missing or extra, a placeholder one language lacks, a
    plural entry without exactly its language's CLDR categories; empty when it is right."""
    found: list[str] = []
    spoken = set(entry) - {"plural"}
    if spoken != set(languages):
        return [f"speaks {sorted(spoken)}, not {sorted(languages)}"]
    plural = "plural" in entry
    for language in languages:
        text = entry[language]
        if plural and (not isinstance(text, dict) or set(text) != _categories(language)):
            found.append(f"{language} needs exactly the forms {sorted(_categories(language))}")
        elif not plural and not isinstance(text, str):
            found.append(f"{language} has forms but the entry names no count (plural)")
    if plural and not isinstance(entry["plural"], str):
        found.append("plural must name the count that picks the form")
    if not found:
        shapes = {language: _shape(entry[language]) for language in languages}
        first = shapes[languages[0]]
        found += [
            f"{language} has other placeholders: {shape}"
            for language, shape in shapes.items()
            if shape != first
        ]
    return found


def test_every_registered_entry_follows_the_rules() -> None:
    problems = [
        f"{key}: {fault}"
        for catalogue in catalogues()
        for key, entry in catalogue.entries.items()
        for fault in faults(entry, catalogue.languages)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("entry", "fault"),
    [
        ({"en": "Hello"}, "speaks ['en'], not ['en', 'sv']"),
        ({"en": "Hello {name}", "sv": "Hej"}, "sv has other placeholders: {'': []}"),
        (
            {
                "plural": "count",
                "en": {"one": "{count} order", "other": "{count} orders"},
                "sv": {"other": "x"},
            },
            "sv needs exactly the forms ['one', 'other']",
        ),
        (
            {"en": {"one": "a", "other": "b"}, "sv": {"one": "a", "other": "b"}},
            "en has forms but the entry names",
        ),
    ],
)
def test_the_rules_catch_a_broken_entry(entry: Mapping[str, object], fault: str) -> None:
    assert any(found.startswith(fault) for found in faults(entry, ("en", "sv"))), faults(entry, ("en", "sv"))


def test_a_catalogue_for_one_audience_speaks_its_languages_only() -> None:
    assert faults({"en": "Take over"}, ("en",)) == []
    assert translate("agents.take", "en") == "Take over"


def test_a_key_registered_twice_fails_and_registers_nothing_of_that_catalogue() -> None:
    with pytest.raises(DuplicateWords, match=r"input\.empty"):
        words({"test.never.registered": {"en": "x", "sv": "x"}, "input.empty": {"en": "x", "sv": "x"}})
    with pytest.raises(KeyError, match=r"test\.never\.registered"):
        translate("test.never.registered", "en")
    assert translate("input.empty", "en") == "I didn't get any text. What can I help you with?"


def test_a_channel_registers_under_its_prefix() -> None:
    assert translate("teams.form.sent", "sv") == "Skickat. Mitt svar kommer nedan."
    assert translate("webchat.error.internal", "en") == translate("error.internal", "en")
    assert Formatter("sv").t("slack.home.title") == "Kundsupport"


def test_an_intent_family_owns_its_words() -> None:
    from supportbot.intents import orders

    assert "order.report.sheet" in orders.WORDS
    assert Formatter("sv").t("order.report.sheet") == "Ordrar"
    assert Formatter("sv").t("order.status.open") == "öppen"


def _key_arguments(call: ast.Call) -> Iterator[ast.expr]:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
    position = _KEY_ARGUMENT.get(name or "")
    if position is not None and len(call.args) > position:
        yield call.args[position]
    yield from (keyword.value for keyword in call.keywords if keyword.arg == _KEY_KEYWORD)


def _said_keys() -> Iterator[tuple[str, str, bool]]:
    """``(where, key, whole)`` for every key literal the package passes where a key goes; for an
    f-string, ``key`` is its literal start and ``whole`` is false."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            for argument in _key_arguments(node):
                options = [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        yield where, option.value, True
                    elif isinstance(option, ast.JoinedStr) and isinstance(option.values[0], ast.Constant):
                        yield where, str(option.values[0].value), False


def test_every_key_the_code_says_is_registered() -> None:
    registered = {key for catalogue in catalogues() for key in catalogue.entries}
    said = list(_said_keys())
    assert len(said) > 300  # the scan finds the code's keys (and does not silently find none)
    missing = [
        f"{where}: {key}"
        for where, key, whole in said
        if (key not in registered if whole else not any(k.startswith(key) for k in registered))
    ]
    assert not missing, "\n".join(missing)
