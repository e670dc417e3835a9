"""The intent registry: every intent family, listed explicitly."""

from __future__ import annotations

from collections.abc import Sequence

from supportbot.bot.spec import IntentSpec
from supportbot.intents import (
    account,
    contract_signing,
    contracts,
    handoff,
    inventory,
    invoices,
    orders,
    requests,
    smalltalk,
    statements,
)

_FAMILIES = (
    orders,
    invoices,
    statements,
    contracts,
    contract_signing,
    inventory,
    requests,
    handoff,
    account,
    smalltalk,
)


def all_intents(extra: Sequence[IntentSpec] = ()) -> list[IntentSpec]:
    """Every intent, the built-in families' and then ``extra``; a name declared twice fails here, at start-up."""
    intents = [*(spec for family in _FAMILIES for spec in family.INTENTS), *extra]
    seen: set[str] = set()
    for spec in intents:
        if spec.name in seen:
            raise ValueError(f"intent {spec.name!r} is declared twice")
        seen.add(spec.name)
    return intents
