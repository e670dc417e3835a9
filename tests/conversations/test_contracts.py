"""Contract conversations through the real pipeline and back end, in English and Swedish: one contract's
card, lists by type, site, status and end date, page by page; a version's PDF (its number, version,
hash and signature page) and page to print; the PDF mailed to an address or to the user; the dated
history; and the access answer for a user without the contracts tool."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pypdf import PdfReader
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import create_web_app
from supportbot.bot.messages import Attachment, Reply
from supportbot.integrations.sql.contracts import document_sha256
from supportbot.integrations.sql.demo import demo_today
from tests.conftest import BotDriver, Conversation, Inbox, make_settings

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"
MARIA = "maria@nordisk.example"

ENUMS = (
    "hardware_maintenance",
    "software_subscription",
    "awaiting_signature",
    "awaiting_approval",
    "automatic",
)


async def fetch(application: Application, attachment: Attachment) -> bytes:
    url = urlsplit(attachment.url)
    query = parse_qs(url.query)
    stored = await application.files.open(
        url.path.split("/")[2], expires=query["exp"][0], sig=query["sig"][0]
    )
    return stored.data


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(data)).pages]


def local(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


async def version_text(application: Application, number: str, version: int) -> str:
    async with application.engine.connect() as conn:
        found = await conn.scalar(
            text(
                "SELECT v.document_text FROM contract_versions v JOIN contracts c ON c.id = v.contract_id "
                "WHERE c.number = :number AND v.version = :version"
            ),
            {"number": number, "version": version},
        )
    assert isinstance(found, str)
    return found


def no_raw_words(reply: Reply) -> None:
    shown = reply.plain_text()
    for raw in ENUMS:
        assert raw not in shown, f"{raw!r} reached the customer:\n{shown}"


# --- contract.status ----------------------------------------------------------------------------


async def test_one_contract_in_english_with_its_terms_items_and_buttons(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what is the status of contract C-1001
        bot:  [contract.status]
        bot:  ~ Contract C-1001
        bot:  ~ is active
        bot:  ~ Hardware maintenance
        bot:  ~ Notice period: 30 days
        bot:  ~ Renewal: Manual
        bot:  ~ 24x7, 4-hour response
        bot:  ~ SEK 96,000.00
        bot:  ~ Current version: 2
        bot:  ~ IBM Power S1022 78ABC12 (Kista)
        bot:  ~ IBM TS4300 Tape Library 78TAP77 (Kista)
    """)
    reply = anna.last
    no_raw_words(reply)
    (card,) = reply.cards
    fields = {f.label: f.value for f in card.fields}
    ends = demo_today() + timedelta(days=25)
    assert fields["Last day to give notice"] == f"{(ends - timedelta(days=30)):%-d %B %Y}"
    assert "last day to give notice was" in reply.text, "25 days left of a 30-day notice: too late"
    assert card.url and "/documents/contract/C-1001.pdf" in card.url
    values = [b.value for b in card.buttons]
    assert "show item 78ABC12" in values and "show item 78TAP77" in values
    assert not any(v.startswith(("approve", "sign")) for v in values), "nothing waits on C-1001"
    # An item's button asks the inventory tool about it.
    item = await anna.press("78ABC12")
    assert item.intent is not None and item.intent.startswith("inventory."), item.intent


async def test_one_contract_in_swedish_waiting_for_signature(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: vad är status på avtal C-1003
        bot:  [contract.status]
        bot:  (sv)
        bot:  ~ Avtal C-1003
        bot:  ~ Tjänster
        bot:  ~ Förlängs automatiskt med 12 månader
        bot:  ~ 42 000,00 SEK
        bot:  ~ Väntar på er: underskrift av version 2
        bot:  ~ IBM Storage Protect
    """)
    no_raw_words(anna.last)
    (card,) = anna.last.cards
    sign = [b for b in card.buttons if b.label == "Signera version 2"]
    assert [b.value for b in sign] == ["signera avtal C-1003"]


async def test_a_typo_in_the_word_for_contract_still_finds_the_number(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: status of kontrakt 1001
        bot:  [contract.status]
        bot:  ~ Contract C-1001
        user: contrat C-1004 status
        bot:  ~ Contract C-1004
        bot:  ~ Waiting for you: approval of version 2
        bot:  ~ Approve version 2
        user: is it still active?
        bot:  ~ Contract C-1004
        bot:  !~ I found
    """)
    (card,) = anna.replies[1].cards
    assert "approve contract C-1004" in [b.value for b in card.buttons]


async def test_lists_by_type_site_status_and_action(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show our maintenance contracts
        bot:  [contract.status]
        bot:  ~ of type hardware maintenance
        bot:  ~ C-1001
        bot:  !~ C-1002
        user: find contracts for Kista
        bot:  ~ for Kista
        bot:  ~ C-1001
        bot:  ~ C-1004
        bot:  !~ C-1002
        user: show expired contracts
        bot:  ~ with status expired
        bot:  ~ C-0950
        bot:  !~ C-1001
        user: which contracts need action from us
        bot:  ~ need action from you
        bot:  ~ C-1003
        bot:  ~ C-1004
        bot:  ~ Sign version 2
        bot:  ~ Approve version 2
        bot:  !~ C-1001
        user: contracts awaiting our signature
        bot:  ~ awaiting your signature
        bot:  ~ C-1003
        bot:  !~ C-1004
    """)
    for reply in anna.replies:
        no_raw_words(reply)
    await anna.transcript("""
        user: find contracts for Kista
        bot:  ~ C-1004
        user: the second one
        bot:  [contract.status]
        bot:  ~ Contract C-1004
        bot:  !~ I found
        user: and its history?
        bot:  [contract.history]
        bot:  ~ contract C-1004
    """)
    # Soonest end first, whatever the filter.
    kista = anna.replies[1].table
    assert kista is not None and [row[0] for row in kista.rows] == ["C-1001", "C-1004"]


async def test_swedish_lists_by_type_and_expiry(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: visa våra leasingavtal
        bot:  (sv)
        bot:  ~ av typen leasing
        bot:  ~ C-1002
        bot:  ~ Göteborg
        user: vilka avtal går ut inom 60 dagar
        bot:  ~ som går ut inom 60 dagar
        bot:  ~ C-1001
        bot:  !~ C-1003
        user: vilka avtal går ut inom 90 dagar
        bot:  ~ C-1001
        bot:  ~ C-1003
        bot:  !~ C-1004
    """)
    for reply in anna.replies:
        no_raw_words(reply)


async def test_expiring_in_the_next_days_in_english_and_paging(bot: BotDriver) -> None:
    max_ = bot.as_user(MAX)
    await max_.transcript("""
        user: which contracts expire in the next 60 days
        bot:  [contract.status]
        bot:  ~ ending within 60 days
        bot:  ~ C-2002
        bot:  !~ C-2001
        bot:  !~ C-1001
        user: show my contracts
        bot:  ~ I found 2 contracts
        bot:  ~ C-2002
        bot:  ~ C-2001
        bot:  ~ EUR
        bot:  !~ C-1001
        user: more contracts
        bot:  ~ no more contracts
    """)
    await max_.transcript("""
        user: status of contract C-2001
        bot:  ~ EUR
        bot:  ~ Software subscription
    """)


async def test_paging_walks_a_long_list_by_keyset(bot: BotDriver, application: Application) -> None:
    """Twelve more active contracts for Nordisk: the first page shows ten, "more" the rest, once each."""
    async with application.engine.begin() as conn:
        company = await conn.scalar(text("SELECT id FROM companies WHERE customer_number = '1000123'"))
        for n in range(12):
            await conn.execute(
                text(
                    "INSERT INTO contracts (number, company_id, title, kind, status, starts_on, ends_on, "
                    "notice_days, renewal, annual_value_minor, currency) VALUES (:number, :company, :title, "
                    "'services', 'active', :starts, :ends, 30, 'manual', 100000, 'SEK')"
                ),
                {
                    "number": f"C-31{n:02d}",
                    "company": company,
                    "title": f"Services: extra {n}",
                    "starts": demo_today() - timedelta(days=10),
                    "ends": demo_today()
                    + timedelta(days=100 + n // 3),  # equal end dates: the number decides
                },
            )
    anna = bot.as_user(ANNA)
    first = await anna.say("show our services contracts")
    assert first.table is not None and len(first.table.rows) == 10
    assert "1–10" in first.text
    second = await anna.say("more contracts")
    assert second.table is not None and "11–13" in second.text
    numbers = [row[0] for row in (*first.table.rows, *second.table.rows)]
    assert len(numbers) == len(set(numbers)) == 13 and "C-1003" in numbers
    assert "no more" in (await anna.say("more contracts")).text


async def test_another_company_contract_reads_like_a_missing_one(bot: BotDriver) -> None:
    max_ = bot.as_user(MAX)
    foreign = await max_.say("status of contract C-1001")
    missing = await max_.say("status of contract C-9999")
    assert foreign.text.replace("C-1001", "C-?") == missing.text.replace("C-9999", "C-?")
    assert not foreign.cards


async def test_erik_gets_the_access_answer(bot: BotDriver) -> None:
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: status of contract C-1001
        bot:  [contract.status]
        bot:  ~ You don't have access to contracts yet
        bot:  ~ Request access to contracts
        bot:  !~ Kista
        user: pdf of contract C-1001
        bot:  [contract.document]
        bot:  ~ You don't have access to contracts yet
        user: historik för avtal C-1001
        bot:  (sv)
        bot:  ~ Du har inte behörighet till avtal
        bot:  ~ Begär behörighet till avtal
    """)
    assert not any(r.cards or r.attachments or r.table for r in erik.replies)


# --- contract.document ------------------------------------------------------------------------------


async def test_the_pdf_of_the_current_version_with_its_signature_page(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: I need a pdf of contract C-1001
        bot:  [contract.document]
        bot:  ~ version 2
        bot:  ~ as a PDF, and as a page to print
        bot:  ~ last page records the signature
        bot:  ~ C-1001-v2.pdf
    """)
    pdf, page = anna.last.attachments
    assert pdf.kind == "file" and pdf.content_type == "application/pdf"
    assert page.kind == "link" and "/documents/contract/C-1001.html" in page.url and "v=2" in page.url
    pages = pdf_pages(await fetch(application, pdf))
    sha = document_sha256(await version_text(application, "C-1001", 2))
    body = "\n".join(pages[:-1])
    for fact in ("Contract C-1001", "Nordisk Verkstad AB (1000123)", "Version 2, of", "Karin Holm, contracts",
                 sha, "Hardware maintenance", "Last day to give notice", "SEK 96,000.00", "78TAP77"):  # fmt: skip
        assert fact in body, f"{fact!r} not in the PDF:\n{body}"
    signature = pages[-1]
    for fact in ("Signature", "Anna Berg", ANNA, "on paper", sha, "(Europe/Stockholm, UTC+"):
        assert fact in signature, f"{fact!r} not on the signature page:\n{signature}"


async def test_a_named_version_in_swedish(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: pdf av avtal C-1001 version 1
        bot:  [contract.document]
        bot:  (sv)
        bot:  ~ version 1
        bot:  ~ inte den gällande versionen
        bot:  ~ C-1001-v1.pdf
    """)
    pages = pdf_pages(await fetch(application, anna.last.attachments[0]))
    sha = document_sha256(await version_text(application, "C-1001", 1))
    text_ = "\n".join(pages)
    for fact in ("Avtal C-1001", "Version 1, från", sha, "Uppsägningstid", "Underskrift", "på papper"):
        assert fact in text_, f"{fact!r} not in the PDF:\n{text_}"
    await anna.transcript("""
        user: pdf av avtal C-1001 version 7
        bot:  ~ har ingen version 7
        bot:  ~ 1, 2
    """)


async def test_a_version_awaiting_signature_has_no_signature_page_and_says_so(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say("download contract C-1003")
    assert reply.intent == "contract.document"
    pages = pdf_pages(await fetch(application, reply.attachments[0]))
    assert "awaiting the customer's signature" in "\n".join(pages)
    assert not any(p.lstrip().startswith("Signature") for p in pages)
    assert "simple electronic signature" not in "\n".join(pages)


async def test_a_version_signed_in_chat_shows_a_simple_electronic_signature(
    bot: BotDriver, application: Application
) -> None:
    """A version signed through the assistant (as the signing intent records it): who, when, where,
    the hash, and what kind of signature it is."""
    sha = document_sha256(await version_text(application, "C-1003", 2))
    async with application.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE contract_versions SET awaiting = NULL, signed_by = :who, signed_name = 'Anna Berg', "
                "signed_at = :at, signed_channel = 'web' WHERE version = 2 AND contract_id = "
                "(SELECT id FROM contracts WHERE number = 'C-1003')"
            ),
            {"who": ANNA, "at": "2026-12-01 14:30:00.000000"},
        )
    anna = bot.as_user(ANNA)
    reply = await anna.say("download contract C-1003")
    signature = pdf_pages(await fetch(application, reply.attachments[0]))[-1]
    for fact in (
        "Anna Berg",
        ANNA,
        "The web chat",
        sha,
        "simple electronic signature",
        "not an",
        "qualified",
    ):
        assert fact in signature.replace("\n", " "), f"{fact!r} not on the signature page:\n{signature}"


@pytest.fixture
async def served(application: Application) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    web_app = create_web_app(application)
    web_app.on_cleanup.clear()  # the application fixture closes the application
    client = TestClient(TestServer(web_app))
    await client.start_server()
    yield client
    await client.close()


async def test_the_page_to_print_is_served_through_its_signed_link(
    bot: BotDriver,
    application: Application,
    served: TestClient,  # type: ignore[type-arg]
) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say("printable version of contract C-1001")
    assert reply.intent == "contract.document"
    page = next(a for a in reply.attachments if a.content_type == "text/html")
    async with served.get(local(page.url)) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "private, no-store"
        html = await response.text()
    sha = document_sha256(await version_text(application, "C-1001", 2))
    assert "@media print" in html and "<script" not in html
    for fact in ("C-1001", sha, "Anna Berg", "78ABC12"):
        assert fact in html
    # The card's PDF link, rendered when opened, and a tampered page link is refused.
    card = (await anna.say("status of contract C-1001")).cards[0]
    assert card.url is not None
    async with served.get(local(card.url)) as response:
        assert response.status == 200 and response.content_type == "application/pdf"
        assert "C-1001" in "\n".join(pdf_pages(await response.read()))
    async with served.get(local(page.url.replace("v=2", "v=1"))) as response:
        assert response.status == 403


# --- forward ---------------------------------------------------------------------------------------


def attachment_of(mail: Message, name: str) -> bytes:
    (data,) = [part.get_payload(decode=True) for part in mail.walk() if part.get_filename() == name]
    assert isinstance(data, bytes)
    return data


async def until(check: object, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("it did not happen in time")


async def test_forward_to_an_address_and_mail_me_over_smtp(
    data_dir: Path,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        anna = Conversation(app, ANNA)
        await anna.transcript(f"""
            user: send contract C-1001 to {MARIA}
            bot:  [contract.document]
            bot:  ~ in the outbox for {MARIA}
            bot:  ~ noted the forward in the contract's history
            user: mail me the contract
            bot:  [contract.document]
            bot:  ~ in the outbox for {ANNA}
        """)
        await until(lambda: len(inbox.messages()) == 2)
        by_to = {str(m["To"]): m for m in inbox.messages()}
        sha = document_sha256(await version_text(app, "C-1001", 2))
        for to in (MARIA, ANNA):
            mail = by_to[to]
            assert "Contract C-1001, version 2" in str(mail["Subject"])
            pages = pdf_pages(attachment_of(mail, "C-1001-v2.pdf"))
            assert sha in "\n".join(pages)
        await anna.transcript(f"""
            user: history of contract C-1001
            bot:  [contract.history]
            bot:  ~ Sent to {MARIA} by Anna Berg
            bot:  ~ Sent to {ANNA} by Anna Berg
        """)
        async with app.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT kind, actor, detail, version, sha256 FROM contract_events ORDER BY id")
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("forwarded", ANNA, MARIA, 2, sha),
            ("forwarded", ANNA, ANNA, 2, sha),
        ]
    finally:
        await app.close()


async def test_forward_asks_for_the_address_in_swedish_and_a_resent_message_mails_once(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: mejla avtal C-1003 till en kollega
        bot:  [contract.document]
        bot:  (sv)
        bot:  ~ Vilken e-postadress
        user: maria@nordisk
        bot:  ~ ser inte ut som en e-postadress
    """)
    first = await anna.say(MARIA, delivery_id="resent-1")
    again = await anna.say(MARIA, delivery_id="resent-1")
    assert "i utkorgen till maria@nordisk.example" in first.text and again.text == first.text
    async with application.engine.connect() as conn:
        events = await conn.scalar(text("SELECT count(*) FROM contract_events WHERE kind = 'forwarded'"))
        mails = (await conn.execute(text("SELECT recipients FROM mail_outbox"))).all()
    assert events == 1 and len(mails) == 1, "one forward, one mail, however often the message came"
    assert mails[0].recipients == MARIA


# --- contract.history ------------------------------------------------------------------------------


async def test_history_in_english_and_swedish(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show the version history of contract C-1001
        bot:  [contract.history]
        bot:  ~ newest first
        bot:  ~ 2 versions
        bot:  ~ Version 2 drawn up by Karin Holm, contracts: Amendment 1
        bot:  ~ Version 1 drawn up by Karin Holm
        bot:  ~ Signed by Anna Berg on paper
        bot:  ~ C-1001, version 1 (PDF)
    """)
    table = anna.last.table
    assert table is not None
    whats = [row[2] for row in table.rows]
    assert whats[0].startswith("Signed") and whats[-1].startswith("Version 1"), "newest first"
    links = [a.url for a in anna.last.attachments]
    assert any("v=1" in u for u in links) and any("v=2" in u for u in links)
    await anna.transcript("""
        user: historik för avtal C-1004
        bot:  (sv)
        bot:  ~ nyast först
        bot:  ~ Version 2 väntar på ert godkännande
        bot:  ~ Godkänn version 2
    """)


async def test_history_asks_for_the_number_and_carries_it(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: contract history
        bot:  ~ Which contract
        user: 1001
        bot:  [contract.history]
        bot:  ~ contract C-1001
        user: I need a pdf of it
        bot:  [contract.document]
        bot:  ~ contract C-1001
    """)
    assert re.search(r"C-1001-v2\.pdf", anna.last.plain_text())


async def test_which_contract_covers_a_machine(bot: BotDriver) -> None:
    """Asked which contract covers a machine, the answer is that machine's contract, in either
    language; a serial number of another company's machine is answered as one that does not exist."""
    await bot.as_user("anna.berg@nordisk.example").transcript("""
        user: which contract covers 78ABC12?
        bot:  [contract.status]
        bot:  ~ IBM Power S1022 (serial number 78ABC12) is covered by contract C-1001
        bot:  ~ Contract C-1001 (Hardware maintenance
        user: vilket avtal gäller för 78XYZ34?
        bot:  [contract.status]
        bot:  (sv)
        bot:  ~ omfattas av avtal C-1002
        user: which contract covers 78QQQ99?
        bot:  = I can't find serial number 78QQQ99 among your company's installed items. Please check the number.
    """)
    await bot.as_user("max.muller@contoso.example").transcript("""
        user: which contract covers 78ABC12?
        bot:  = I can't find serial number 78ABC12 among your company's installed items. Please check the number.
    """)


async def test_a_machine_named_by_its_product_is_answered_with_its_contract(bot: BotDriver) -> None:
    """A contract question that names a machine by its product's words, not its serial number ("the
    tape library", "bandbiblioteket"), is answered with that machine's contract; with several of that
    product, the bot asks which, and one without a contract is said to have none. Another company's
    products are not theirs: the words name nothing, and their contracts are listed."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: when does the contract for the tape library end?
        bot:  [contract.status]
        bot:  ~ IBM TS4300 Tape Library (serial number 78TAP77) is covered by contract C-1001
        bot:  ~ Contract C-1001 (Hardware maintenance
        user: när går avtalet för bandbiblioteket ut?
        bot:  (sv)
        bot:  ~ IBM TS4300 Tape Library (serienummer 78TAP77) omfattas av avtal C-1001
        user: when does the contract for our Power servers end?
        bot:  [contract.status]
        bot:  ~ You have 3 of those. Which one's contract do you mean?
        bot:  !~ C-1001
    """)
    assert [b.label for b in anna.last.buttons] == [
        "IBM Power S1012 78GBG21 (Göteborg)",
        "IBM Power S1022 78ABC12 (Kista)",
        "IBM Power S914 78PWR09 (Kista)",
    ]
    covered = await anna.press("IBM Power S1022 78ABC12 (Kista)")
    assert covered.intent == "contract.status" and "is covered by contract C-1001" in covered.text
    await anna.transcript("""
        user: when does the contract for our Power servers end?
    """)
    uncovered = await anna.press("IBM Power S1012 78GBG21 (Göteborg)")
    assert "IBM Power S1012 (serial number 78GBG21) is not covered by any of your contracts" in uncovered.text
    max_ = await bot.as_user("max.muller@contoso.example").say(
        "when does the contract for the tape library end?"
    )
    assert max_.intent == "contract.status" and "C-2001" in max_.plain_text(), max_.plain_text()
    assert "78TAP77" not in max_.plain_text() and "C-1001" not in max_.plain_text()


async def test_short_follow_ups_about_the_contract_shown(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: visa avtal C-1001
        bot:  [contract.status]
        user: när går det ut då
        bot:  [contract.status]
        bot:  ~ C-1001
        user: send me the doc
        bot:  [contract.document]
        bot:  ~ C-1001
    """)


async def test_asking_whether_a_contract_was_sent_sends_nothing(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    """A question about a mail ("has C-1001 been sent to Maria?") shows the contract; it never puts one in
    the outbox, whatever address it names. Asked for, it is sent."""
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        anna = Conversation(app, ANNA)
        await anna.transcript(f"""
            user: has contract C-1001 been sent to {MARIA}?
            bot:  [contract.document]
            bot:  !~ outbox
            user: har avtalet C-1001 mejlats till {MARIA} än?
            bot:  !~ utkorgen
            user: send contract C-1001 to {MARIA}
            bot:  ~ in the outbox for {MARIA}
        """)
        await until(lambda: len(inbox.messages()) == 1)
        assert [str(m["To"]) for m in inbox.messages()] == [MARIA]
    finally:
        await app.close()


async def test_thanks_to_a_waiting_question_is_thanks(bot: BotDriver) -> None:
    """The customer thanks at length rather than answer "which contract?": thanks are answered, never
    taken as a failed answer, and the question is offered back once."""
    await bot.as_user(ANNA).transcript("""
        user: finns det flera versioner av det?
        bot:  ~ Vilket avtal menar du?
        user: perfekt, tack så mycket för hjälpen!
        bot:  [smalltalk.thanks]
        bot:  ~ Ska vi göra klart
        bot:  !~ kunde inte ta
    """)


async def test_the_latest_after_a_contracts_history_is_that_contracts_document(bot: BotDriver) -> None:
    """ "Ladda ner den senaste som pdf" after C-1001's versions: C-1001's current version, not a question
    which contract; with no contract talked about, it is asked for."""
    await bot.as_user(ANNA).transcript("""
        user: visa avtal C-1001
        bot:  ~ C-1001
        user: vad är skillnaden mot förra versionen
        bot:  [contract.history]
        user: ladda ner den senaste som pdf
        bot:  [contract.document]
        bot:  ~ avtal C-1001, version 2
        bot:  !~ Vilket avtal
    """)
    await bot.as_user(ANNA).transcript("""
        user: download the latest contract as pdf
        bot:  [contract.document]
        bot:  ~ Which contract
    """)


async def test_what_the_contract_talked_about_covers_and_whether_it_needs_action(bot: BotDriver) -> None:
    """After C-1001: the equipment under it is C-1001's, not the company's; "does it need any action
    from us?" after a detour is asked of C-1001 (its card), not a list of every contract awaiting action."""
    await bot.as_user(ANNA).transcript("""
        user: show contract C-1001
        bot:  [contract.status]
        user: which machines does it cover?
        bot:  [inventory.show]
        bot:  ~ under contract C-1001
        bot:  ~ [78ABC12]
        bot:  !~ [78XYZ34]
        user: where is order 4711?
        bot:  [order.status]
        user: back to the contract - does it need any action from us?
        bot:  [contract.status]
        bot:  ~ Contract C-1001
        bot:  !~ I found
    """)
    await bot.as_user(ANNA).transcript("""
        user: visa avtal C-1001
        bot:  [contract.status]
        user: vilken utrustning täcks av avtalet?
        bot:  [inventory.show]
        bot:  ~ under avtal C-1001
    """)


async def test_which_contracts_need_action_still_lists_them(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show contract C-1001
        bot:  [contract.status]
        user: which contracts need action from us?
        bot:  [contract.status]
        bot:  ~ need action from you
    """)


async def test_asked_which_contract_a_list_asked_for_is_shown(bot: BotDriver) -> None:
    """The question "Which contract do you mean? … or ask to see your contracts" takes that for an
    answer: "list all contracts you have" lists them; another company's contract is never among them."""
    await bot.as_user(ANNA).transcript("""
        user: show me Contoso's subscription contract
        bot:  ~ Which contract do you mean?
        user: list all contracts you have
        bot:  [contract.status]
        bot:  ~ C-1001
        bot:  !~ C-2001
        bot:  !~ couldn't take
    """)


async def test_asked_when_a_contract_is_up_for_renewal_its_date_is_given_however_far(bot: BotDriver) -> None:
    """ "When is our software subscription up for renewal?" asks its date: the subscription is listed with
    its end, even when that is further off than a quarter; "which contracts are up for renewal?" is
    still the ones ending within a quarter."""
    await bot.as_user("max.muller@contoso.example").transcript("""
        user: when is our software subscription up for renewal?
        bot:  [contract.status]
        bot:  ~ C-2001
        bot:  !~ I found no contracts
        user: which contracts are up for renewal?
        bot:  ~ ending within 90 days
        bot:  ~ C-2002
        bot:  !~ C-2001
    """)


async def test_a_contract_asked_to_be_shown_politely_is_its_status(bot: BotDriver) -> None:
    """ "Kan du visa kontraktet C-1001" says nothing but the record: its card, as "visa avtal C-1001"
    is, whichever intent of the family the words leaned to; the history is still the history."""
    await bot.as_user(ANNA).transcript("""
        user: kan du visa kontraktet C-1001
        bot:  [contract.status]
        bot:  ~ Avtal C-1001
        user: kan du visa historiken för avtal C-1001
        bot:  [contract.history]
    """)


async def test_the_other_contract_and_how_to_renew_it_in_swedish(bot: BotDriver) -> None:
    """ "Och det andra avtalet då?" right after C-1001 lists the contracts to choose from, as "and the
    other contract?" does (it asked which contract for its history), and "hur förlänger vi det?" right
    after a contract is about that contract (it was not understood)."""
    await bot.as_user(ANNA).transcript("""
        user: när går avtalet C-1001 ut?
        bot:  [contract.status]
        user: och det andra avtalet då?
        bot:  [contract.status]
        bot:  ~ C-1003
        user: när går avtal C-1001 ut?
        bot:  [contract.status]
        user: hur förlänger vi det?
        bot:  [contract.status]
        bot:  ~ C-1001
        bot:  (sv)
    """)


async def test_a_number_meant_instead_said_the_swedish_way(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: visa avtal C-2001
        bot:  [contract.status]
        user: Jaha, då menade jag C-1001
        bot:  [contract.status]
        bot:  ~ C-1001
    """)


async def test_whether_a_contract_exists_and_the_older_version_as_a_pdf(bot: BotDriver) -> None:
    """ "C-2001 alltså, finns det?" asks whether the contract exists (not after its versions); "pdf of the
    older one" after the history is version 1, not the current one; "vilken är den gällande?" is
    the history again."""
    await bot.as_user(ANNA).transcript("""
        user: C-2001 alltså, finns det?
        bot:  ~ hittade inte avtal C-2001
        bot:  !~ version
        user: show versions of C-1001
        bot:  [contract.history]
        user: pdf of the older one
        bot:  [contract.document]
        bot:  ~ version 1
        user: the previous version as pdf
        bot:  [contract.document]
        bot:  ~ version 1
        user: vilken är den gällande?
        bot:  [contract.history]
        user: who approved it?
        bot:  [contract.history]
    """)
    await bot.as_user(ANNA).transcript("""
        user: kan jag se våra avtal
        bot:  [contract.status]
    """)
