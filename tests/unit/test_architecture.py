"""Dependencies point inward only: the layering of DESIGN.md, checked on every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "supportbot"

FORBIDDEN = {
    "bot": ("supportbot.adapters", "supportbot.intents", "aiohttp", "slack_bolt", "slack_sdk", "botbuilder"),
    "intents": ("supportbot.adapters", "aiohttp", "slack_bolt", "slack_sdk", "botbuilder", "sqlalchemy"),
    "integrations": (
        "supportbot.bot",
        "supportbot.adapters",
        "supportbot.intents",
        "slack_bolt",
        "botbuilder",
    ),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_inward(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offences, "\n".join(offences)


def test_every_layer_has_modules() -> None:
    for layer in FORBIDDEN:
        assert list((PACKAGE / layer).rglob("*.py")), layer


SQL_HOMES = ("bot/store", "integrations/sql")
"""The only places that may speak SQL: the bot's store and the built-in SQL back end (with the
database's tables and migrations). Everything else calls their typed methods."""


def test_sqlalchemy_is_confined_to_the_store_and_integrations_sql() -> None:
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if any(where.startswith(home + "/") for home in SQL_HOMES):
            continue
        for name in _imports(path):
            if name.split(".")[0] in {"sqlalchemy", "alembic"}:
                offences.append(f"{where} imports {name}")
    assert not offences, "\n".join(offences)


def test_the_sql_homes_exist() -> None:
    """The confinement above is not vacuous: both homes hold the modules that use SQLAlchemy."""
    for home in SQL_HOMES:
        names = {name for path in (PACKAGE / home).rglob("*.py") for name in _imports(path)}
        assert any(name.split(".")[0] == "sqlalchemy" for name in names), home
