"""One order, one statement item, one minute: said in the singular, in English and in Swedish."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from supportbot.adapters.app import Application, build_application
from tests.conftest import BotDriver, make_settings

ANNA = "anna.berg@nordisk.example"
MAX = "max.muller@contoso.example"


@pytest.fixture
async def short_links(data_dir: Path) -> AsyncIterator[BotDriver]:
    """Download links that last a single minute."""
    app: Application = await build_application(make_settings(data_dir, link_ttl_minutes=1))
    try:
        yield BotDriver(app)
    finally:
        await app.close()


async def test_a_search_that_finds_one_order(bot: BotDriver) -> None:
    # Of Nordisk's orders only 4711 has shipped.
    await bot.as_user(ANNA).transcript("""
        user: show my shipped orders
        bot:  [order.search]
        bot:  ~ 1 order with status shipped
        bot:  !~ 1 orders
        bot:  !~ 1–1
    """)
    await bot.as_user(ANNA).transcript("""
        user: visa mina skickade ordrar
        bot:  [order.search]
        bot:  (sv)
        bot:  ~ 1 order med status skickad
        bot:  !~ 1 ordrar
    """)


async def test_a_list_that_finds_one_invoice(bot: BotDriver) -> None:
    # Contoso's only overdue invoice is INV-3050.
    await bot.as_user(MAX).transcript("""
        user: list overdue invoices
        bot:  [invoice.list]
        bot:  ~ I found 1 invoice with status overdue:
        user: visa förfallna fakturor
        bot:  (sv)
        bot:  ~ Jag hittade 1 faktura med status förfallen:
    """)


async def test_a_report_of_one_order_whose_links_last_one_minute(short_links: BotDriver) -> None:
    # 4711 is Nordisk's one shipped order, 4712 its one in production.
    await short_links.as_user(ANNA).transcript("""
        user: order report of my shipped orders this year
        bot:  [order.report]
        bot:  ~ is ready: 1 order.
        bot:  ~ The links work for 1 minute.
    """)
    await short_links.as_user(ANNA).transcript("""
        user: orderrapport för ordrar i produktion i år
        bot:  [order.report]
        bot:  (sv)
        bot:  ~ är klar: 1 order.
        bot:  ~ Länkarna fungerar i 1 minut.
    """)


async def test_a_statement_with_one_item(short_links: BotDriver) -> None:
    # Contoso's only overdue item is INV-3050.
    contoso = short_links.as_user(MAX)
    await contoso.transcript("""
        user: which items are overdue on our account
        bot:  [statement.show]
        bot:  ~ 1 item, overdue only
        user: download my statement
        bot:  [statement.download]
        bot:  ~ (1 item, overdue only
        bot:  ~ The links work for 1 minute.
    """)
    await short_links.as_user(MAX).transcript("""
        user: vilka poster är förfallna på vårt konto
        bot:  [statement.show]
        bot:  (sv)
        bot:  ~ 1 post, bara förfallna
        bot:  !~ 1 poster
    """)


async def test_an_invoice_copy_whose_link_lasts_one_minute(short_links: BotDriver) -> None:
    await short_links.as_user(MAX).transcript("""
        user: show invoice INV-3050
        bot:  ~ (the link works for 1 minute).
        user: visa faktura INV-3050
        bot:  (sv)
        bot:  ~ (länken fungerar i 1 minut).
    """)


async def test_one_request(bot: BotDriver) -> None:
    await bot.as_user(MAX).transcript("""
        user: my requests
        bot:  [request.status]
        bot:  ~ You have 1 request:
        user: mina ärenden
        bot:  (sv)
        bot:  ~ Du har 1 ärende:
    """)
