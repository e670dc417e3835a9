"""A user of one company learns nothing about another company's records, in any language, through any
intent: a foreign record is answered exactly like one that does not exist — same words, same log
lines, same database work."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from supportbot.adapters.app import Application
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"

NORDISK_FACTS = ("Nordisk", "Kista", "Göteborg", "PostNord", "00370712345678901234", "100 000", "125 000")
CONTOSO_FACTS = ("Contoso", "München", "DHL", "EUR")

QUESTIONS = {
    "order": {"en": "where is order {n}?", "sv": "var är order {n}?"},
    "po": {"en": "status of PO {n}", "sv": "status för inköpsorder {n}"},
    "invoice": {"en": "show me invoice {n}", "sv": "visa faktura {n}"},
    "credit": {"en": "show me credit note {n}", "sv": "visa kreditnota {n}"},
    "contract": {"en": "when does contract {n} expire?", "sv": "när går avtal {n} ut?"},
    "sign": {"en": "sign contract {n}", "sv": "signera avtal {n}"},
    "approve": {"en": "approve contract {n}", "sv": "godkänn avtal {n}"},
    "serial": {"en": "what is installed with serial {n}?", "sv": "vad är installerat med serienummer {n}?"},
    "request": {"en": "what's the status of request {n}?", "sv": "vad är status på ärende {n}?"},
}


def _foreign_records(app_numbers: dict[str, dict[str, str]], owner: str) -> list[tuple[str, str, str]]:
    """(kind, foreign number, a missing number of the same shape) for every record type of ``owner``."""
    return [(kind, number, missing) for kind, (number, missing) in app_numbers[owner].items()]


async def _record_numbers(app: Application) -> dict[str, dict[str, tuple[str, str]]]:
    async with app.engine.connect() as conn:
        requests = dict(
            (
                await conn.execute(
                    text(
                        "SELECT c.customer_number, min(r.number) FROM requests r JOIN companies c ON c.id = r.company_id "
                        "GROUP BY c.customer_number"
                    )
                )
            ).all()
        )
        serials = dict(
            (
                await conn.execute(
                    text(
                        "SELECT c.customer_number, min(i.serial) FROM inventory_items i "
                        "JOIN companies c ON c.id = i.company_id GROUP BY c.customer_number"
                    )
                )
            ).all()
        )
    return {
        "nordisk": {
            "order": ("4711", "4799"),
            "po": ("NV-PO-889", "NV-PO-999"),
            "invoice": ("INV-2031", "INV-2099"),
            "credit": ("CN-0107", "CN-0199"),
            "contract": ("C-1001", "C-1099"),
            "sign": ("C-1003", "C-1098"),
            "approve": ("C-1004", "C-1097"),
            "serial": (serials["1000123"], "78QQQ99"),
            "request": (requests["1000123"], "RQ-2026-999999"),
        },
        "contoso": {
            "order": ("5801", "5899"),
            "po": ("CON-4500123", "CON-4599999"),
            "invoice": ("INV-3050", "INV-3099"),
            "contract": ("C-2001", "C-2099"),
            "sign": ("C-2001", "C-2098"),
            "approve": ("C-2002", "C-2097"),
            "serial": (serials["2000456"], "99QQQ99"),
            "request": (requests["2000456"], "RQ-2026-999998"),
        },
    }


@contextmanager
def _recording(app: Application, caplog: pytest.LogCaptureFixture) -> Iterator[dict[str, Any]]:
    """Counts the SQL statements run and keeps the log records while the block runs."""
    seen: dict[str, Any] = {"statements": 0}
    engine = getattr(app.readers, "sync_engine", None)

    def count(*_: Any) -> None:
        seen["statements"] += 1

    if engine is not None:
        event.listen(engine, "before_cursor_execute", count)
    caplog.clear()
    try:
        yield seen
    finally:
        if engine is not None:
            event.remove(engine, "before_cursor_execute", count)
        # (aiosqlite's own debug lines are its worker thread's, as timing has it: another task's
        # statement may land in either turn; what the turns themselves log must be alike.)
        seen["logs"] = [(r.levelname, r.name) for r in caplog.records if r.name != "aiosqlite"]


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(
    ("asker", "owner", "facts"),
    [(ANNA, "contoso", CONTOSO_FACTS), (ERIK, "contoso", CONTOSO_FACTS), (MAX, "nordisk", NORDISK_FACTS)],
)
async def test_foreign_records_look_like_missing_ones(
    bot: BotDriver,
    application: Application,
    caplog: pytest.LogCaptureFixture,
    asker: str,
    owner: str,
    facts: tuple[str, ...],
    language: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    numbers = await _record_numbers(application)
    await bot.as_user(asker).say("hello")  # the asker's principal is cached from here on, for both
    for kind, (foreign, missing) in numbers[owner].items():
        question = QUESTIONS[kind][language]
        chat = bot.as_user(asker)
        with _recording(application, caplog) as about_foreign:
            foreign_reply = await chat.say(question.format(n=foreign))
        chat = bot.as_user(asker)
        with _recording(application, caplog) as about_missing:
            missing_reply = await chat.say(question.format(n=missing))
        shown = foreign_reply.plain_text()
        where = f"{asker} asking {question.format(n=foreign)!r}:\n{shown}"
        for fact in facts:
            assert fact not in shown, f"{fact!r} leaked to {where}"
        assert shown.replace(foreign, "#") == missing_reply.plain_text().replace(missing, "#"), where
        assert foreign_reply.buttons == missing_reply.buttons or kind in {"serial"}, where
        assert about_foreign["logs"] == about_missing["logs"], f"log lines differ for {where}"
        assert about_foreign["statements"] == about_missing["statements"], (
            f"database work differs for {where}"
        )


async def test_a_foreign_order_number_continues_nothing(bot: BotDriver) -> None:
    """Context never carries a foreign record: after asking for 5801, "it" is still nothing of Contoso's."""
    anna = bot.as_user(ANNA)
    await anna.say("where is order 5801?")
    reply = await anna.say("and when will it arrive?")
    assert all(fact not in reply.plain_text() for fact in CONTOSO_FACTS)


async def test_searches_and_reports_hold_only_the_own_company(bot: BotDriver) -> None:
    for user, own, foreign in ((ANNA, "4711", "5801"), (MAX, "5801", "4711")):
        chat = bot.as_user(user)
        listing = await chat.say("show all my orders this year")
        assert listing.table is not None, listing.plain_text()
        numbers = {row[0] for row in listing.table.rows}
        assert own in numbers and foreign not in numbers
        assert not re.search(r"\b(5\d{3})\b" if user == ANNA else r"\b(4\d{3})\b", listing.plain_text())
