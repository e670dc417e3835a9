"""Lazy document links: every invoice and credit note on a statement links to its own copy, rendered
only when opened, and every bad link gets the same bare 403 as a bad download link."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pypdf
from sqlalchemy import text

from supportbot.adapters.app import Application
from tests.web.test_download_links import Client, browser_of, local, served, with_query
from tests.web.webchat_helpers import ANNA, ERIK

__all__ = ["served"]


async def statement_of(client: Client) -> tuple[Any, dict[str, Any]]:
    anna = await browser_of(client, ANNA)
    chat = await anna.chat(lang="en")
    frame = await chat.say("show my account statement")
    await chat.close()
    return anna, frame["reply"]


def links_by_number(reply: dict[str, Any]) -> dict[str, str]:
    return {a["name"].removeprefix("Copy of "): a["url"] for a in reply["attachments"]}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


async def test_every_invoice_and_credit_note_on_the_statement_has_its_copy(
    served: tuple[Application, Client],
) -> None:
    _, client = served
    anna, reply = await statement_of(client)
    links = links_by_number(reply)
    rows = reply["table"]["rows"]
    documents = [row[1] for row in rows if row[0] in ("Invoice", "Credit note")]
    assert "INV-2031" in documents and "CN-0107" in documents
    assert set(links) == set(documents), "a link per invoice and credit note, none for payments"
    assert all("/documents/" in url for url in links.values())
    assert not any(b["label"].startswith("Copy of") for b in reply["buttons"])

    # Rendered in the owner's language (anna's is Swedish), whatever the chat's language.
    expected = {"INV-2031": "125000,00", "CN-0107": "5000,00"}
    for number, amount in expected.items():
        async with anna.session.get(client.make_url(local(links[number]))) as response:
            assert response.status == 200, number
            assert response.content_type == "application/pdf"
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "attachment" in response.headers["Content-Disposition"]
            assert f"{number}.pdf" in response.headers["Content-Disposition"]
            content = pdf_text(await response.read())
        assert number in content and amount in "".join(content.split()), content
        if number == "CN-0107":
            assert "Kreditnota CN-0107" in content and "INV-2032" in content, "the credited invoice"
    await anna.session.close()


async def test_every_bad_document_link_gets_the_same_bare_403(served: tuple[Application, Client]) -> None:
    app, client = served
    anna, reply = await statement_of(client)
    links = links_by_number(reply)
    invoice, credit = links["INV-2031"], links["CN-0107"]
    query = dict(parse_qsl(urlsplit(invoice).query))
    sig = query["sig"]
    erik = await browser_of(client, ERIK)
    # A foreign company's invoice, signed for anna with the server's own key.
    foreign = app.files.document_link(owner=ANNA, kind="invoice", number="INV-3050")
    bad = {
        "tampered signature": (anna, with_query(invoice, sig=("0" if sig[0] != "0" else "1") + sig[1:])),
        "no signature": (anna, with_query(invoice, sig="")),
        "later expiry": (anna, with_query(invoice, exp=str(int(query["exp"]) + 3600))),
        "another owner named": (anna, with_query(invoice, u=ERIK)),
        "changed number": (anna, local(invoice).replace("INV-2031", "INV-2032")),
        "changed kind": (anna, local(credit).replace("/credit_note/", "/invoice/")),
        "unknown kind": (anna, local(invoice).replace("/invoice/", "/order/")),
        "another signed-in user": (erik, local(invoice)),
        "a foreign company's number": (anna, local(foreign)),
        "a missing number": (
            anna,
            local(app.files.document_link(owner=ANNA, kind="invoice", number="INV-9")),
        ),
    }
    bodies = set()
    for label, (browser, path) in bad.items():
        async with browser.session.get(client.make_url(path)) as response:
            assert response.status == 403, label
            bodies.add(await response.text())
    assert bodies == {"Forbidden"}, "no detail tells one refusal from another"

    app.files.ttl = timedelta(seconds=-1)
    expired = app.files.document_link(owner=ANNA, kind="invoice", number="INV-2031")
    async with anna.session.get(client.make_url(local(expired))) as response:
        assert response.status == 403 and await response.text() == "Forbidden"
    for browser in (anna, erik):
        await browser.session.close()


async def test_a_document_link_stops_working_when_the_grant_is_gone(
    served: tuple[Application, Client],
) -> None:
    app, client = served
    anna, reply = await statement_of(client)
    url = links_by_number(reply)["INV-2031"]
    async with app.engine.begin() as conn:
        await conn.execute(text("DELETE FROM grants WHERE tool = 'invoices' AND user_id = :u"), {"u": ANNA})
    async with anna.session.get(client.make_url(local(url))) as response:
        assert response.status == 403 and await response.text() == "Forbidden"
    await anna.session.close()
