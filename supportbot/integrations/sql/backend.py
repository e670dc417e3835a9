"""The built-in back end: every Protocol of ``protocols.py`` on one SQLAlchemy ``AsyncEngine``.

Each back end has its module in this package (``directory``, ``orders``, ``invoices``,
``statements``, ``contracts``, ``inventory``, ``requests``, ``access``); this one puts them
together. Isolation between customers is done in ``scope`` and nowhere else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from supportbot.integrations.actions import MailQueue
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.access import SqlAccess
from supportbot.integrations.sql.base import Clock
from supportbot.integrations.sql.contracts import SqlContracts
from supportbot.integrations.sql.directory import SqlDirectory
from supportbot.integrations.sql.inventory import SqlInventory
from supportbot.integrations.sql.invoices import SqlInvoices
from supportbot.integrations.sql.orders import SqlOrders
from supportbot.integrations.sql.requests import SqlRequests
from supportbot.integrations.sql.statements import SqlStatements

__all__ = ["sql_backends"]


def sql_backends(
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    timeout: float | None = 10.0,
    outbox: MailQueue | None = None,
) -> Backends:
    """Every back end on one engine; ``clock`` (aware UTC) and the caller's ``Principal.today`` decide
    what "today" and "overdue" mean.

    ``timeout`` is the deadline of one call in seconds (``None``: none; ignored on SQLite). ``outbox``
    queues an action's mail in the action's own transaction: it must keep its table in this database.
    """
    options: dict[str, Any] = {"clock": clock, "timeout": timeout, "outbox": outbox}
    return Backends(
        directory=SqlDirectory(engine, **options),
        orders=SqlOrders(engine, **options),
        invoices=SqlInvoices(engine, **options),
        statements=SqlStatements(engine, **options),
        contracts=SqlContracts(engine, **options),
        inventory=SqlInventory(engine, **options),
        requests=SqlRequests(engine, **options),
        access=SqlAccess(engine, **options),
    )
