"""The tenant scope of the SQL back end: how it answers, and that the back ends leave the company to it.

The source is read, not run: every public method of a SQL back end that takes a principal goes
through ``scope`` (or, for the support agents' calls across companies, ``agent_only``), and no code
but the scope's reads a principal's company.
"""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from supportbot.integrations.errors import AccessDenied
from supportbot.integrations.models import Principal, Role, Tool
from supportbot.integrations.sql.schema import orders
from supportbot.integrations.sql.scope import Tenant, scope

SQL = Path(__file__).resolve().parents[2] / "supportbot" / "integrations" / "sql"
GATES = {"scope", "agent_only"}

ANNA = Principal(user_id="anna@x.example", company_id=7, role=Role.USER, grants=frozenset({Tool.ORDERS}))
NO_COMPANY = Principal(user_id="n@x.example", role=Role.USER, grants=frozenset({Tool.ORDERS}))


async def _never(tenant: Tenant) -> str:
    raise AssertionError(f"the work ran for {tenant}")


async def _stream_never(tenant: Tenant) -> AsyncIterator[int]:
    raise AssertionError(f"the stream ran for {tenant}")
    yield 0


async def _company(tenant: Tenant) -> int:
    return tenant.company_id


# --- how the scope answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principal",
    [Principal.guest(), ANNA.model_copy(update={"grants": frozenset()})],
    ids=["guest", "no grant"],
)
def test_a_guest_or_a_principal_without_the_grant_is_refused_at_once(principal: Principal) -> None:
    with pytest.raises(AccessDenied):
        scope(principal, Tool.ORDERS)


async def test_the_work_runs_for_the_principal_s_company() -> None:
    assert await scope(ANNA, Tool.ORDERS).run(_company, None) == 7


@pytest.mark.parametrize("principal", [NO_COMPANY, Principal.guest()], ids=["no company", "guest"])
async def test_without_a_company_the_answer_is_the_absent_one_and_no_work_runs(principal: Principal) -> None:
    scoped = scope(principal)  # no tool: a guest is not refused, only sees nothing
    assert await scoped.run(_never, None) is None
    assert [item async for item in scoped.stream(_stream_never)] == []
    with pytest.raises(LookupError, match="refused"):
        scoped.require(LookupError("refused"))


def test_the_tenant_filter_is_the_company_column() -> None:
    tenant = scope(ANNA, Tool.ORDERS).require(LookupError())
    owns = tenant.owns(orders).compile()
    assert str(owns) == "orders.company_id = :company_id_1" and owns.params == {"company_id_1": 7}
    own_row = [str(condition.compile()) for condition in tenant.owns_joined(orders)]
    assert own_row == ["orders.company_id = :company_id_1", "companies.id = :id_1"]


# --- the back ends leave the company to the scope -------------------------------------------------


Method = ast.FunctionDef | ast.AsyncFunctionDef


def _classes() -> Iterator[tuple[str, dict[str, Method]]]:
    for path in sorted(SQL.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                methods = {
                    m.name: m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
                }
                yield f"{path.stem}.{node.name}", methods


def _methods() -> Iterator[tuple[str, Method]]:
    for owner, methods in _classes():
        for name, method in methods.items():
            yield f"{owner}.{name}", method


def _takes_a_principal(function: Method) -> set[str]:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    return {
        argument.arg
        for argument in arguments
        if isinstance(argument.annotation, ast.Name) and argument.annotation.id == "Principal"
    }


def _calls(function: ast.AST) -> set[str]:
    """What the function calls by name: ``f(...)`` as "f", ``self.f(...)`` as "self.f"."""
    called = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "self"
        ):
            called.add(f"self.{node.func.attr}")
    return called


def _gated(methods: dict[str, Method]) -> set[str]:
    """The methods that call a gate, themselves or through another method of the class."""
    gates = set(GATES)
    while True:
        more = {f"self.{name}" for name, method in methods.items() if gates & _calls(method)} - gates
        if not more:
            return {gate.removeprefix("self.") for gate in gates}
        gates |= more


def test_the_table_of_methods_is_found() -> None:
    public = [name for name, function in _methods() if _takes_a_principal(function)]
    assert "orders.SqlOrders.get_order" in public and len(public) > 30


def test_every_public_method_taking_a_principal_goes_through_the_scope() -> None:
    unscoped = [
        f"{owner}.{name}"
        for owner, methods in _classes()
        for name, method in methods.items()
        if not name.startswith("_") and _takes_a_principal(method) and name not in _gated(methods)
    ]
    assert unscoped == []


def test_no_code_but_the_scope_reads_a_principal_s_company() -> None:
    readers = []
    for path in sorted(SQL.glob("*.py")):
        if path.name == "scope.py":
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            principals = _takes_a_principal(function) | {"principal", "admin", "agent"}
            for node in ast.walk(function):
                if not (isinstance(node, ast.Attribute) and node.attr == "company_id"):
                    continue
                owner = node.value
                if (isinstance(owner, ast.Name) and owner.id in principals) or (
                    isinstance(owner, ast.Attribute) and owner.attr == "principal"
                ):
                    readers.append(f"{path.name}:{node.lineno}")
    assert readers == []
