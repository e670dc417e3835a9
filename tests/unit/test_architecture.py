"""Dependencies point inward only: the layering of docs/architecture.md, checked on every module's imports.

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


# --- import cycles ---------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import the module may run, at its top or in a function; not those for type checkers only."""
    found: list[ast.Import | ast.ImportFrom] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            found.append(child)
        elif _is_type_checking(child):
            assert isinstance(child, ast.If)
            for orelse in child.orelse:
                found.extend(_runtime_imports(orelse))
        else:
            found.extend(_runtime_imports(child))
    return found


def _import_graph() -> dict[str, set[str]]:
    """Each supportbot module and the supportbot modules it imports (``from a import b``: ``a.b`` when
    that is a module, else ``a``)."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in paths else source)
        graph[module] = {target for target in targets if target in paths and target != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component: list[str] = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    """No module imports, directly or through others, a module that imports it back: a cycle ties
    modules into one, and an import moved into a function to dodge it is still one."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


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


REDIS_HOME = "bot/redis.py"
"""The only module that speaks to Redis: what several workers share (bus, locks, limits)."""


def test_redis_is_confined_to_one_module() -> None:
    users = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] == "redis" for name in _imports(path))
    )
    assert users == [REDIS_HOME]
