"""Tenant scoping: the one place where the SQL back end decides whose records a call may read.

Every call of a customer goes through ``scope``. It refuses a guest, or a principal without the
tool's grant, with ``AccessDenied`` before anything is read. For a principal of no company it answers
the call's "not found" (``None``, an empty list, ``False``) without a query, the answer a missing
record gets. Otherwise the call's work runs with a ``Tenant``, whose company is always known, and
every query of the work is filtered by it, so a record of another company is simply not found and
comes back exactly like a number that does not exist: same answer, same number of statements.

Support agents' calls read across companies by design and do not go through here
(``requests.agent_only`` refuses everyone else).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Never, TypeVar

from sqlalchemy import ColumnElement, Table

from supportbot.integrations.errors import AccessDenied
from supportbot.integrations.models import Principal, Tool
from supportbot.integrations.sql.schema import companies

__all__ = ["Scope", "Tenant", "scope"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Tenant:
    """A principal of a company: what every business query of their call is filtered by."""

    principal: Principal
    company_id: int

    def owns(self, table: Table) -> ColumnElement[bool]:
        """The tenant filter on ``table``: the record is the company's."""
        return table.c.company_id == self.company_id

    def owns_joined(self, table: Table) -> list[ColumnElement[bool]]:
        """The tenant filter, and the joined company row by its primary key.

        The second condition is implied by the join; stating it lets the planner fetch the one company
        row by key instead of starting from the companies table.
        """
        return [self.owns(table), companies.c.id == self.company_id]


class Scope:
    """A principal's view of one tool's records: their company's, or none at all."""

    __slots__ = ("_tenant",)

    def __init__(self, tenant: Tenant | None) -> None:
        self._tenant = tenant

    async def run(self, work: Callable[[Tenant], Awaitable[R]], absent: R) -> R:
        """``work`` for the principal's company; ``absent``, without a query, when they have none."""
        return absent if self._tenant is None else await work(self._tenant)

    def stream(self, work: Callable[[Tenant], AsyncIterator[R]]) -> AsyncIterator[R]:
        """``run`` for a stream: without a company, one that ends at once."""
        return _nothing() if self._tenant is None else work(self._tenant)

    def require(self, refusal: Exception) -> Tenant:
        """The tenant, for a call that has no "not found" answer: ``refusal`` is raised without one."""
        if self._tenant is None:
            raise refusal
        return self._tenant


def scope(principal: Principal, tool: Tool | None = None) -> Scope:
    """The principal's scope for ``tool``'s records.

    With a tool, a guest or a principal without its grant is refused here, before anything is read.
    Without one (the directory's sites, the access requests) no grant is needed, and a guest, like a
    principal of no company, sees nothing.
    """
    if tool is not None and (principal.is_guest or not principal.may(tool)):
        raise AccessDenied(tool)
    if principal.is_guest or principal.company_id is None:
        return Scope(None)
    return Scope(Tenant(principal, principal.company_id))


async def _nothing() -> AsyncIterator[Never]:
    return
    yield  # an async generator that yields nothing
