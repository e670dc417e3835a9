"""Dependencies point inward only: the layering of DESIGN.md, checked on every module's imports.

adapters → intents → services → bot → integrations: a layer may import the ones to its right only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "supportbot"

CHANNELS = ("aiohttp", "slack_bolt", "slack_sdk", "botbuilder")

FORBIDDEN = {
    "bot": ("supportbot.adapters", "supportbot.intents", "supportbot.services", *CHANNELS),
    "intents": ("supportbot.adapters", *CHANNELS, "sqlalchemy"),
    "services": ("supportbot.adapters", "supportbot.intents", *CHANNELS, "sqlalchemy"),
    "integrations": (
        "supportbot.bot",
        "supportbot.adapters",
        "supportbot.intents",
        "supportbot.services",
        "slack_bolt",
        "botbuilder",
    ),
}
REGISTRY = "supportbot.intents"
"""What adapters may know of the intents: the registry (``all_intents``), never one family's module;
what an adapter and an intent both need is a service."""


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


def test_adapters_know_the_intents_only_through_the_registry() -> None:
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "adapters").rglob("*.py"))
        for name in _imports(path)
        if name.startswith(REGISTRY + ".")
    ]
    assert not offences, "\n".join(offences)
