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
