"""Installed equipment as transcripts: shown by site, type, serial number and product, maintenance
that has lapsed flagged, software with its licences, page by page and as spreadsheets; changes and
questions that become requests with the item filled in — in English and Swedish."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.bot.messages import Reply
from supportbot.bot.nlu.entities.sites import OTHER_SITE
from supportbot.integrations.sql.seed import seed_volume
from tests.conftest import BotDriver, Conversation, Inbox, make_settings
from tests.conversations.test_invoices import fetch

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


def serials(reply: Reply) -> list[str]:
    assert reply.table is not None, reply.plain_text()
    return [row[0] for row in reply.table.rows]


def request_number(reply: Reply) -> str:
    return next(w.rstrip(":.,;") for w in reply.text.split() if w.startswith("RQ-"))


async def _request_row(app: Application, number: str) -> dict[str, str]:
    async with app.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT category, subject, description, related FROM requests WHERE number = :n"),
                {"n": number},
            )
        ).one()
    return dict(row._mapping)


async def _request_count(app: Application) -> int:
    async with app.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM requests"))).scalar_one())


# --- inventory.show ------------------------------------------------------------------------------------


async def test_hardware_by_site_in_english_and_swedish(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what hardware do we have in Kista?
        bot:  [inventory.show]
        bot:  ~ 3 installed items (hardware) at Kista
        bot:  ~ IBM Power S1022
        bot:  ~ Server room 2, rack B4
        bot:  ~ C-1001 · 24x7, 4-hour response
        bot:  !~ 78XYZ34
        bot:  !~ 5765-CD3-0042
    """)
    assert sorted(serials(anna.last)) == ["78ABC12", "78PWR09", "78TAP77"]
    await anna.transcript("""
        user: vilken hårdvara har vi i Göteborg
        bot:  [inventory.show]
        bot:  (sv)
        bot:  ~ 2 installerade enheter (hårdvara) i Göteborg
        bot:  ~ IBM Global Financing, till
        bot:  !~ hardware
        bot:  !~ 78ABC12
    """)
    assert sorted(serials(anna.last)) == ["78GBG21", "78XYZ34"]
    assert {row[2] for row in anna.last.table.rows} == {"hårdvara"}  # type: ignore[union-attr]


async def test_software_with_versions_licences_and_renewal(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what software do we have installed
        bot:  [inventory.show]
        bot:  ~ 3 installed items (software)
        bot:  ~ version 7.3 TL2, 20 licences, renewal
        bot:  ~ version 9.3, 4 licences
        bot:  !~ 78ABC12
        user: vilken mjukvara har vi installerad
        bot:  (sv)
        bot:  ~ (mjukvara)
        bot:  ~ version 7.3 TL2, 20 licenser, förnyas
        bot:  !~ software
    """)


async def test_one_item_by_serial_number(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show item 78ABC12
        bot:  [inventory.show]
        bot:  ~ IBM Power S1022 (serial number 78ABC12, hardware) is installed at Kista, Server room 2, rack B4
        bot:  ~ 24x7, 4-hour response
        bot:  ~ under contract C-1001
        bot:  ~ [Request a change]
        user: visa enhet 78XYZ34
        bot:  (sv)
        bot:  ~ IBM FlashSystem 5200 (serienummer 78XYZ34, hårdvara) är installerad i Göteborg
        bot:  ~ Leasad från IBM Global Financing till
        bot:  ~ Leasegivare: IBM Global Financing
    """)


async def test_an_unknown_serial_number_is_said_to_be_unknown(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: show item 78QQQ99
        bot:  [inventory.show]
        bot:  ~ can't find an item with serial number 78QQQ99
        bot:  !~ IBM
    """)


async def test_by_product_words(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show our Power servers
        bot:  [inventory.show]
        bot:  ~ IBM Power S1012, IBM Power S1022, IBM Power S914
        bot:  !~ FlashSystem
    """)
    assert sorted(serials(anna.last)) == ["78ABC12", "78GBG21", "78PWR09"]
    await anna.transcript("""
        user: when does the lease on the FlashSystem end
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  ~ Leased from IBM Global Financing until
        bot:  !~ I found 1 installed item
    """)


async def test_lapsed_maintenance_is_flagged(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what hardware do we have in Kista?
        bot:  ~ Maintenance has LAPSED on 78PWR09.
        user: show item 78PWR09
        bot:  ~ Maintenance LAPSED on
        bot:  ~ the item is not covered now
        bot:  ~ Maintenance lapsed:
        user: visa enhet 78PWR09
        bot:  ~ Underhållet UPPHÖRDE
        bot:  ~ enheten täcks inte nu
    """)
    (row,) = [
        r for r in (await anna.say("what hardware do we have in Kista?")).table.rows if r[0] == "78PWR09"
    ]  # type: ignore[union-attr]
    assert row[5].startswith("LAPSED on")
    # Covered items are not flagged.
    assert "LAPSED" not in (await anna.say("show item 78ABC12")).plain_text()


async def test_items_without_maintenance_in_force(bot: BotDriver, application: Application) -> None:
    """ "Which machines have no maintenance contract?" lists the items with none, or with cover that
    ended before today: not the contracts, not the covered items; in both languages and as a file."""
    anna = bot.as_user(ANNA)
    reply = await anna.say("which items have no maintenance?")
    assert reply.intent == "inventory.show" and "without maintenance in force" in reply.text, reply.text
    assert serials(reply) == ["5724-H72-0311", "78PWR09"]  # none at all, and lapsed
    machines = await anna.say("which machines have no maintenance contract?")
    assert machines.intent == "inventory.show" and serials(machines) == ["78PWR09"], machines.plain_text()
    swedish = await bot.as_user(ANNA).say("vilka maskiner saknar serviceavtal?")
    assert swedish.language == "sv" and "utan gällande underhåll" in swedish.text, swedish.text
    assert serials(swedish) == ["78PWR09"]
    sheet = await anna.press("Download as spreadsheet")
    xlsx, _ = sheet.attachments
    rows = list(
        openpyxl.load_workbook(io.BytesIO(await fetch(application, xlsx))).active.iter_rows(values_only=True)
    )  # type: ignore[union-attr]
    assert [r[0] for r in rows[1:]] == ["78PWR09"]
    theirs = await bot.as_user(MAX).say("which items have no maintenance?")
    assert not {"78PWR09", "5724-H72-0311"} & set(serials(theirs) if theirs.table else [])


async def test_paging_with_show_more(bot: BotDriver, application: Application) -> None:
    await seed_volume(application.engine, items=40, company="1000123", seed=5)
    anna = bot.as_user(ANNA)
    first = await anna.say("show all our equipment")
    assert first.intent == "inventory.show"
    assert "1–10" in first.text, first.text
    second = await anna.say("show more")
    assert "11–20" in second.text, second.text
    third = await anna.press("Show more")
    assert "21–30" in third.text, third.text
    pages = [serials(first), serials(second), serials(third)]
    assert all(len(p) == 10 for p in pages)
    flat = [s for p in pages for s in p]
    assert len(set(flat)) == 30, "no item shown twice"
    keys = [(row[1], row[0]) for page in (first, second, third) for row in page.table.rows]  # type: ignore[union-attr]
    assert keys == sorted(keys), "by product, then serial, across pages"
    await anna.transcript("""
        user: visa fler enheter
        bot:  (sv)
        bot:  ~ 31–40
    """)


async def test_spreadsheet_download_in_xlsx_and_csv(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.say("what hardware do we have in Kista?")
    reply = await anna.press("Download as spreadsheet")
    assert reply.intent == "inventory.show"
    assert "3 installed items (hardware) at Kista as XLSX and CSV" in reply.text, reply.text
    xlsx, csv_file = reply.attachments
    assert xlsx.name.endswith(".xlsx") and csv_file.name.endswith(".csv")
    assert "/files/" in xlsx.url and "sig=" in xlsx.url and "exp=" in xlsx.url
    sheet = openpyxl.load_workbook(io.BytesIO(await fetch(application, xlsx))).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Serial number", "Product", "Type")
    by_serial = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert sorted(by_serial) == ["78ABC12", "78PWR09", "78TAP77"]
    assert by_serial["78PWR09"]["Maintenance lapsed"] == "yes"
    assert by_serial["78ABC12"]["Maintenance lapsed"] == "no"
    assert by_serial["78ABC12"]["Contract"] == "C-1001"
    assert by_serial["78ABC12"]["Installed"].year >= 2020  # a typed date, not text
    data = (await fetch(application, csv_file)).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(data)))
    assert {r["Serial number"] for r in table} == set(by_serial)
    assert next(r for r in table if r["Serial number"] == "78PWR09")["Maintenance lapsed"] == "yes"


async def test_swedish_spreadsheet_has_swedish_words(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    reply = await anna.say("ladda ner utrustningen som kalkylark")
    assert reply.language == "sv" and "som XLSX och CSV" in reply.text, reply.text
    data = (await fetch(application, reply.attachments[1])).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(data)))
    assert len(table) == 8
    assert {r["Typ"] for r in table} == {"hårdvara", "mjukvara"}
    assert next(r for r in table if r["Serienummer"] == "78PWR09")["Underhållet upphört"] == "ja"


async def test_erik_without_the_inventory_grant_is_told_so(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: what hardware do we have in Kista?
        bot:  ~ access to installed equipment
        bot:  !~ 78ABC12
        user: we need to move the FlashSystem to Kista
        bot:  ~ access to installed equipment
        bot:  !~ 78XYZ34
    """)


# --- inventory.change ----------------------------------------------------------------------------------


async def test_move_the_flashsystem_to_kista(data_dir: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        chat = Conversation(app, ANNA)
        await chat.transcript("""
            user: we need to move the FlashSystem to Kista
            bot:  [inventory.change]
            bot:  ~ I'll open this request for the move
            bot:  ~ Category: inventory
            bot:  ~ Subject: Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista
            bot:  ~ Site: Göteborg, Data hall 1, rack 12
            bot:  ~ Move to: Kista
            bot:  ~ Anna Berg
            bot:  ~ [Open]
            press: Open
            bot:  [inventory.change]
            bot:  ~ I've opened request RQ-
            bot:  ~ sent a confirmation to anna.berg@nordisk.example
        """)
        number = request_number(chat.last)
        stored = await _request_row(app, number)
    finally:
        await app.close()
    assert stored["category"] == "inventory" and stored["related"] == "78XYZ34"
    assert stored["subject"] == "Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista"
    assert "we need to move the FlashSystem to Kista" in stored["description"]
    (mail,) = inbox.messages()
    assert number in mail["Subject"] and mail["To"] == ANNA
    body = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert isinstance(body, bytes)
    assert f"Tracking number: {number}" in body.decode() and "Category: inventory" in body.decode()


async def test_a_move_in_swedish_asks_where_to(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: flytta bandbiblioteket
        bot:  [inventory.change]
        bot:  (sv)
        bot:  ~ Vart ska IBM TS4300 Tape Library (78TAP77) flyttas? Den står i Kista nu.
        bot:  ~ [Göteborg]
        bot:  !~ [Kista]
        press: Göteborg
        bot:  ~ Jag öppnar det här ärendet om flytten
        bot:  ~ Kategori: utrustning
        bot:  ~ Flytt av IBM TS4300 Tape Library (78TAP77) från Kista till Göteborg
        user: ja
        bot:  ~ Jag har öppnat ärende RQ-
    """)
    stored = await _request_row(application, request_number(anna.last))
    assert stored["related"] == "78TAP77" and stored["category"] == "inventory"


async def test_several_items_fit_the_words_so_the_user_chooses(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: we need to move the Power server to Göteborg
        bot:  [inventory.change]
        bot:  ~ You have 3 of those. Which one do you mean?
        bot:  ~ [IBM Power S1022 78ABC12 (Kista)]
        bot:  ~ [IBM Power S914 78PWR09 (Kista)]
        press: 78PWR09
        bot:  ~ Move IBM Power S914 (78PWR09) from Kista to Göteborg
        user: yes
        bot:  ~ I've opened request RQ-
    """)
    assert (await _request_row(application, request_number(anna.last)))["related"] == "78PWR09"


async def test_an_unknown_serial_is_asked_again_and_no_other_item_picked(bot: BotDriver) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: please upgrade the item with serial number 78QQQ99
        bot:  [inventory.change]
        bot:  ~ can't find an item with serial number 78QQQ99
        bot:  ~ Which item is it?
        bot:  !~ IBM Power
        user: 78ABC12
        bot:  ~ Upgrade of IBM Power S1022 (78ABC12) at Kista
        user: cancel
        bot:  [dialog.cancel]
    """)


async def test_de_install_and_add(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: de-install the tape library
        bot:  ~ De-installation of IBM TS4300 Tape Library (78TAP77) at Kista
        press: Cancel
        bot:  [dialog.cancel]
        user: add a server at Göteborg
        bot:  [inventory.change]
        bot:  ~ Addition at Göteborg: new equipment
        press: Open
        bot:  ~ I've opened request RQ-
    """)
    stored = await _request_row(application, request_number(anna.last))
    assert stored["related"] is None and stored["category"] == "inventory"


# --- inventory.question --------------------------------------------------------------------------------


async def test_a_question_the_data_answers(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what's the service level of 78XYZ34?
        bot:  ~ Maintenance: next business day, until
        bot:  ~ under contract C-1002
        bot:  !~ RQ-
        user: vilken servicenivå har 78ABC12
        bot:  (sv)
        bot:  ~ Underhåll: 24x7, 4-hour response
        bot:  ~ enligt avtal C-1001
    """)
    async with application.engine.connect() as conn:
        opened = await conn.scalar(text("SELECT count(*) FROM requests WHERE category = 'inventory'"))
    assert opened == 1, "only the demo's own inventory request: nothing was opened"


async def test_a_question_becomes_a_request_with_the_item(bot: BotDriver, application: Application) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: I have a question about the tape library
        bot:  [inventory.question]
        bot:  ~ your question about IBM TS4300 Tape Library (78TAP77)
        bot:  ~ Shall I send it?
        bot:  ~ Description: I have a question about the tape library
        bot:  !~ RQ-
        user: yes
        bot:  ~ I've opened request RQ-
        bot:  ~ your question about IBM TS4300 Tape Library (78TAP77)
        bot:  ~ sent a confirmation to anna.berg@nordisk.example
    """)
    stored = await _request_row(application, request_number(anna.last))
    assert stored["related"] == "78TAP77" and stored["category"] == "inventory"
    assert stored["subject"] == "Question about IBM TS4300 Tape Library (78TAP77) at Kista"
    assert stored["description"] == "I have a question about the tape library"
    await anna.transcript("""
        user: jag har en fråga om bandbiblioteket
        bot:  (sv)
        bot:  ~ Ska jag skicka den?
        user: ja
        bot:  ~ Jag har öppnat ärende RQ-
        bot:  ~ din fråga om IBM TS4300 Tape Library (78TAP77)
    """)


async def test_a_question_misread_opens_nothing_until_confirmed(
    bot: BotDriver, application: Application
) -> None:
    """A question about the equipment that the data does not answer shows the request it would be,
    so that a follow-up misread as one writes nothing; declined, nothing is written."""
    before = await _request_count(application)
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: what hardware do we have at Kista?
        bot:  [inventory.show]
        user: I have a question about the tape library
        bot:  [inventory.question]
        bot:  !~ I've opened request
        user: no
        bot:  [dialog.cancel]
    """)
    assert await _request_count(application) == before


async def test_the_other_site_is_the_company_s_other_one(bot: BotDriver) -> None:
    """ "And the other site?" after one site's equipment is the company's other site, in either
    language; nothing is offered as a request."""
    await bot.as_user(ANNA).transcript("""
        user: what's installed at Goteborg
        bot:  [inventory.show]
        bot:  ~ at Göteborg
        user: and the other site?
        bot:  [inventory.show]
        bot:  ~ at Kista
        bot:  !~ Shall I send it
        user: och den andra anläggningen?
        bot:  [inventory.show]
        bot:  ~ i Göteborg
    """)


async def test_a_site_said_alone_or_with_the_machine_asks_the_list_again(bot: BotDriver) -> None:
    """ "Only Göteborg" after all the hardware, "and the machine at Kista?" after Göteborg's equipment:
    the list asked again for that site, not a question for the support team."""
    await bot.as_user(ANNA).transcript("""
        user: list all our installed hardware
        bot:  ~ 78ABC12
        user: only Göteborg
        bot:  [inventory.show]
        bot:  ~ at Göteborg
        bot:  !~ 78ABC12
        user: and the machine at Kista?
        bot:  [inventory.show]
        bot:  ~ at Kista
        bot:  ~ 78ABC12
        bot:  !~ Shall I send it
    """)


async def test_the_other_site_with_none_talked_about_names_none(bot: BotDriver) -> None:
    """With no site talked about there is no "other" one: no site is guessed, and the placeholder for
    one never reaches a reply."""
    for user in (ANNA, None):
        chat = bot.as_user(user) if user else bot.as_guest()
        reply = await chat.say("and the other site?")
        assert reply.intent != "inventory.show" and OTHER_SITE not in reply.plain_text(), reply.text


async def test_asked_whether_an_item_is_leased_the_answer_says_so_either_way(bot: BotDriver) -> None:
    """ "Is the first one leased or owned?" is answered for an item that is not leased too, rather than
    leave the customer to read a lease out of its absence."""
    await bot.as_user(ANNA).transcript("""
        user: is 78XYZ34 leased?
        bot:  ~ Leased from
        bot:  !~ No lease is registered
        user: är 78ABC12 leasad?
        bot:  ~ Ingen leasing är registrerad för den: den är inte leasad
        user: show 78ABC12
        bot:  !~ lease
    """)


async def test_a_site_corrected_in_swedish(bot: BotDriver) -> None:
    """ "Nej förlåt, jag menade Göteborg" keeps the site it says, though its words read as nothing of ours."""
    await bot.as_user(ANNA).transcript("""
        user: vad har vi installerat i Kista?
        bot:  [inventory.show]
        bot:  ~ i Kista
        user: nej förlåt, jag menade Göteborg
        bot:  [inventory.show]
        bot:  (sv)
        bot:  ~ i Göteborg
        bot:  !~ 78ABC12
    """)


async def test_until_when_after_a_machine_s_cover_shows_the_machine_again(bot: BotDriver) -> None:
    """ "Until when?" right after a machine's maintenance was told is that machine again (its cover's
    end date), never a goodbye; "and the storage in Göteborg?" asks after the site's items, moving
    nothing there."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: is the Power S1022 still covered by maintenance?
        bot:  ~ 78ABC12
        user: until when?
        bot:  [inventory.show]
        bot:  ~ 78ABC12
        bot:  ~ under contract C-1001
        user: and the storage in gothenburg?
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  !~ Where should
    """)


async def test_a_change_is_prepared_only_when_a_change_is_said(bot: BotDriver) -> None:
    for said in ("and the storage in gothenburg?", "och lagringen i Göteborg?"):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent.startswith("inventory.") and reply.intent != "inventory.change", (
            said,
            reply.intent,
        )
    for said in ("move the storage to Kista", "flytta lagringen till Kista", "take the old storage away"):
        reply = await bot.as_user(ANNA).say(said)
        assert reply.intent == "inventory.change", (said, reply.plain_text())


async def test_the_leased_items_are_listed_as_asked_and_a_question_of_which_is_answered(
    bot: BotDriver,
) -> None:
    """ "Which devices are leased?" lists only the items on a lease (one here: shown as itself, with its
    lease's end); asked as a question which machine's lease ends, the data answers it and no request is
    drafted; "not leased" is no filter of leased ones."""
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: which devices are leased
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  ~ Leased from IBM Global Financing until
        bot:  !~ 78ABC12
        user: vilken av våra maskiner har ett leasingavtal som tar slut?
        bot:  ~ 78XYZ34
        bot:  ~ Leasad från IBM Global Financing
        bot:  !~ supportteam
    """)
    owned = await anna.say("which machines are not leased")
    assert owned.table is not None and "78ABC12" in {str(row[0]) for row in owned.table.rows}


async def test_a_request_of_another_family_while_a_question_waits_to_be_sent_is_not_added_to_it(
    bot: BotDriver, application: Application
) -> None:
    """While "Shall I send it?" waits for a question about the equipment, "ok, och avtalet igen - kan jag
    få det som pdf" asks for the contract's document: answered, not added to the question's words, and
    nothing is sent to the team until the customer says so."""
    principal = await application.pipeline.principal(ANNA)
    before = await application.backends.requests.list_requests(principal, limit=50)
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: show contract C-1001
        bot:  [contract.status]
        user: I have a question about our installed equipment
        bot:  [inventory.question]
        bot:  ~ Shall I send it?
        user: ok, och avtalet igen - kan jag fa det som pdf
        bot:  [contract.document]
        bot:  ~ C-1001-v2.pdf
        bot:  !~ lagt till
    """)
    await anna.transcript("""
        user: no
    """)
    assert await application.backends.requests.list_requests(principal, limit=50) == before


async def test_the_machines_a_contract_covers_and_a_question_of_them_all(bot: BotDriver) -> None:
    """ "Which machines are covered by C-1001?" lists them (it had shown the contract instead); "is it
    leased?" after that list of two asks which, never the company's one leased machine in its place."""
    await bot.as_user(ANNA).transcript("""
        user: which machines are covered by C-1001?
        bot:  [inventory.show]
        bot:  ~ under contract C-1001
        bot:  ~ 78ABC12
        bot:  !~ 78XYZ34
        user: is it leased?
        bot:  ~ which one you mean
        bot:  !~ 78XYZ34
        user: vilka maskiner omfattas av C-1001?
        bot:  [inventory.show]
        bot:  ~ under avtal C-1001
    """)


async def test_the_status_of_a_change_asked_for_is_its_request(bot: BotDriver) -> None:
    """A change to the equipment is done through a request, so "vad är status på flytten?" right after a
    move was asked for is that request (not a list of the equipment); asked after another kind of change
    ("the upgrade"), the requests are listed to choose from, never the move's shown as the upgrade's."""
    await bot.as_user(ANNA).transcript("""
        user: vi vill flytta FlashSystem 78XYZ34 från Göteborg till Kista
        bot:  [inventory.change]
        user: ja
        bot:  ~ RQ-2026-000004
        user: vad är status på flytten?
        bot:  [request.status]
        bot:  ~ Ärende RQ-2026-000004
        bot:  ~ Flytt
        user: what's the status of the upgrade?
        bot:  [request.status]
        bot:  ~ Your requests
    """)


async def test_a_question_while_a_request_waits_to_be_sent_is_answered_and_the_request_kept(
    bot: BotDriver, application: Application
) -> None:
    """A question put while "Shall I send it?" waits ("vilket serienummer har den förresten?", "var står
    den?") is no yes or no: it is answered from the machine's data, the request is offered back, and "ja,
    skicka" sends it. A question asking what the data holds (its serial number, where it stands) is
    answered from it, not passed on to the team."""
    principal = await application.pipeline.principal(ANNA)
    before = len(await application.backends.requests.list_requests(principal, limit=50))
    await bot.as_user(ANNA).transcript("""
        user: vi vill uppgradera vår FlashSystem i Göteborg med fler diskar
        bot:  [inventory.change]
        user: vilket serienummer har den förresten?
        bot:  ~ 78XYZ34
        bot:  !~ Jag kunde inte ta
        user: ja, skicka
        bot:  [inventory.change]
        bot:  ~ RQ-
    """)
    opened = await application.backends.requests.list_requests(principal, limit=50)
    assert len(opened) == before + 1  # the upgrade's request, once
    assert "FlashSystem" in opened[0].subject
    await bot.as_user(ANNA).transcript("""
        user: we want to upgrade our FlashSystem in Göteborg with more disks
        bot:  [inventory.change]
        user: which machine is that, by the way?
        bot:  ~ 78XYZ34
        bot:  ~ Shall we finish
        user: no
        bot:  [dialog.cancel]
    """)


async def test_which_machine_has_a_serial_number_is_answered_from_the_data(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: vilken maskin har serienummer 78XYZ34?
        bot:  ~ FlashSystem
        bot:  ~ Göteborg
        bot:  !~ supportteam
        user: var star den?
        bot:  ~ Göteborg
    """)


async def test_the_machines_at_a_site_asked_after_another_question(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: vilka maskiner har vi i Kista
        bot:  [inventory.show]
        user: var är order 4712?
        bot:  [order.status]
        user: och maskinen i Goteborg?
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  !~ supportteam
    """)


async def test_a_change_wished_for_first_is_that_change_whatever_else_is_said_of_the_machine(
    bot: BotDriver,
) -> None:
    """ "Vi vill avinstallera maskinen när leasingen går ut" after a machine's lease was shown: a
    de-installation to prepare, though the lease's words are those of showing the machine."""
    await bot.as_user(ANNA).transcript("""
        user: när går leasingen ut för 78XYZ34?
        bot:  [inventory.show]
        user: vi vill avinstallera maskinen nar leasingen gar ut
        bot:  [inventory.change]
        bot:  ~ 78XYZ34
        bot:  (sv)
    """)


async def test_how_many_machines_at_a_site_is_the_listing_there(bot: BotDriver) -> None:
    """A count asked ("hur många servrar har vi i Kista?") is answered by the listing, not passed on to
    the team; "och i göteborg" then lists Göteborg's."""
    await bot.as_user(ANNA).transcript("""
        user: hur många servrar har vi i kista
        bot:  [inventory.show]
        bot:  ~ Kista
        bot:  ~ 78ABC12
        bot:  !~ supportteam
        user: och i göteborg
        bot:  [inventory.show]
        bot:  ~ 78XYZ34
        bot:  !~ 78ABC12
    """)


async def test_the_machines_covered_by_the_contract_just_shown(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: visa avtal C-1001
        bot:  [contract.status]
        user: vilka maskiner omfattas av det?
        bot:  [inventory.show]
        bot:  ~ C-1001
        bot:  ~ 78ABC12
        bot:  !~ 78XYZ34
        user: vilken maskin har serienummer 78XYZ34?
        bot:  [inventory.show]
        bot:  ~ FlashSystem
    """)
