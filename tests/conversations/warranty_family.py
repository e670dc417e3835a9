"""A whole intent family in one module, outside the registry: the worked example of docs/adding-an-intent.md.

``warranty.check`` answers how long a product is under warranty, by its serial number. It declares its
examples, its sentences, a slot the dialog engine asks for, a family context, a handler and a back end
of its own behind a Protocol; ``FAMILY`` is what ``build_application(families=...)`` takes. It uses
the bot's public declarations only (spec, i18n, state, messages), never its engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from pydantic import Field

from supportbot.adapters.app import Family
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Reply
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.bot.state import FamilyContext
from supportbot.integrations.errors import AccessDenied
from supportbot.integrations.models import Principal, Tool
from supportbot.integrations.protocols import BackendKey, Backends
from supportbot.integrations.sql.database import AsyncEngine

# --- the back end ---------------------------------------------------------------------------------

TOOL = Tool.ORDERS
"""Warranties come with delivered orders: whoever may see the company's orders may ask about them."""


@dataclass(frozen=True)
class Warranty:
    serial: str
    product: str
    until: date


class WarrantyBackend(Protocol):
    async def warranty(self, principal: Principal, serial: str) -> Warranty | None:
        """The warranty of a product of the principal's company; ``None`` for an unknown serial and
        for another company's, alike. ``AccessDenied`` without the grant."""
        ...


WARRANTY: BackendKey[WarrantyBackend] = BackendKey("warranty")


class InMemoryWarranties:
    """Warranties by serial, each of a company (by customer number); scoped like the SQL back ends."""

    def __init__(self, records: Mapping[str, tuple[str, Warranty]]) -> None:
        self._records = dict(records)

    async def warranty(self, principal: Principal, serial: str) -> Warranty | None:
        if principal.is_guest or not principal.may(TOOL):
            raise AccessDenied(TOOL)
        kept = self._records.get(serial.upper())
        if kept is None or kept[0] not in principal.customer_numbers:
            return None
        return kept[1]


# --- examples, words, context ----------------------------------------------------------------------

EXAMPLES = {
    "en": [
        "is my product still under warranty",
        "check the warranty for serial SN-10042",
        "warranty status of serial number SN-10042",
        "how long is the warranty on our server",
        "when does the warranty expire",
        "is this device covered by warranty",
        "warranty check",
        "has the warranty run out",
    ],
    "sv": [
        "har min produkt fortfarande garanti",
        "kolla garantin för serienummer SN-10042",
        "garantistatus för serienummer SN-10042",
        "hur länge gäller garantin på vår server",
        "när går garantin ut",
        "täcks den här enheten av garantin",
        "garantikontroll",
        "har garantin gått ut",
    ],
}

WORDS: dict[str, Entry] = {
    "warranty.ask_serial": {
        "en": "Which product do you mean? Give me its serial number (like SN-10042).",
        "sv": "Vilken produkt menar du? Ange dess serienummer (t.ex. SN-10042).",
    },
    "warranty.until": {
        "en": "{product} (serial {serial}) is under warranty until {until}.",
        "sv": "{product} (serienummer {serial}) har garanti till och med {until}.",
    },
    "warranty.expired": {
        "en": "The warranty of {product} (serial {serial}) ended on {until}.",
        "sv": "Garantin för {product} (serienummer {serial}) gick ut {until}.",
    },
    "warranty.not_found": {
        "en": "I can't find serial number {serial} among your company's products. Please check the number.",
        "sv": "Jag hittar inte serienummer {serial} bland ert företags produkter. Kontrollera gärna numret.",
    },
}
words(WORDS)

SERIAL = r"SN-\d{3,8}"


class WarrantyContext(FamilyContext):
    """The serials asked about in this conversation, latest last: the family's own memory."""

    asked: list[str] = Field(default_factory=list)


# --- the handler ---------------------------------------------------------------------------------


async def warranty_check(ctx: TurnContext) -> Reply:
    said = ctx.slot("serial")
    assert said is not None  # a required slot: the engine asked until it was filled
    serial = str(said.value).upper()
    ctx.context(WarrantyContext).asked.append(serial)
    ctx.set_current("serial", "serial_number", serial)  # "is it still covered?" next turn
    found = await ctx.backends.extension(WARRANTY).warranty(ctx.principal, serial)
    if found is None:
        return ctx.reply(ctx.t("warranty.not_found", serial=serial))
    key = "warranty.until" if found.until >= ctx.today else "warranty.expired"
    until = ctx.fmt.date(found.until)
    return ctx.reply(ctx.t(key, product=found.product, serial=found.serial, until=until))


INTENTS = [
    IntentSpec(
        name="warranty.check",
        examples=EXAMPLES,
        handler=warranty_check,
        tool=TOOL,
        context=WarrantyContext,
        slots=(
            Slot(
                name="serial",
                entities=("serial_number",),
                question="warranty.ask_serial",
                pattern=rf"(?i)#?{SERIAL}",
                inline=rf"(?i).*?\b(?P<text>{SERIAL})\b",
            ),
        ),
    ),
]


def family(backend: WarrantyBackend) -> Family:
    """The family as the composition root takes it, with ``backend`` behind its intents."""

    def add(backends: Backends, readers: AsyncEngine) -> None:
        backends.extend(WARRANTY, backend)

    return Family(intents=INTENTS, backends=add)
