"""Approving and signing contracts through the real pipeline and back end, in English and Swedish: the
bot shows exactly what is signed (version, date, summary, the full SHA-256), asks, and records who,
when, through which channel and which hash; a second time is harmless; a superseded version, a changed
text, another company's contract and a user without the contracts tool get nothing signed. Where the
channel's users sign in with a password (the web chat), the password is asked again and kept nowhere."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from supportbot.adapters.app import Application
from supportbot.bot.messages import FormSubmission
from supportbot.integrations.models import ContractVersion, Principal
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"

WEB = frozenset({"forms", "files", "password"})
"""A channel like the web chat: its users sign in here with their password."""


async def _principal(application: Application, user_id: str) -> Principal:
    principal = await application.backends.directory.principal_for(user_id)
    assert principal is not None
    return principal


async def _version(application: Application, number: str, version: int) -> ContractVersion:
    contract = await application.backends.contracts.get_contract(await _principal(application, ANNA), number)
    assert contract is not None
    return next(v for v in contract.versions if v.version == version)


async def _events(application: Application, number: str) -> list[Any]:
    async with application.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT e.kind, e.version, e.actor, e.actor_name, e.channel, e.sha256 FROM contract_events e "
                "JOIN contracts c ON c.id = e.contract_id WHERE c.number = :number ORDER BY e.id"
            ),
            {"number": number},
        )
        return list(rows.all())


# --- signing ------------------------------------------------------------------------------------------


async def test_anna_signs_the_version_awaiting_her_signature_and_a_second_time_is_harmless(
    bot: BotDriver, application: Application
) -> None:
    sha = (await _version(application, "C-1003", 2)).sha256
    chat = bot.as_user(ANNA)
    await chat.transcript(f"""
        user: I'd like to sign contract C-1003
        bot:  [contract.sign]
        bot:  ~ version 2 of contract C-1003, Services: managed backup
        bot:  ~ Amendment 1: Göteborg added to the managed backup
        bot:  ~ {sha}
        bot:  ~ Do you want to sign it?
        bot:  ~ [Sign]
        bot:  ~ [Cancel]
        press: Sign
        bot:  [contract.sign]
        bot:  ~ Signed. Version 2 of contract C-1003 is signed electronically by Anna Berg on
        bot:  ~ SHA-256 of the text: {sha}
    """)
    signed = await _version(application, "C-1003", 2)
    assert (signed.signed_by, signed.signed_name, signed.signed_channel) == (ANNA, "Anna Berg", "test")
    assert signed.signed_at is not None and signed.awaiting is None and signed.sha256 == sha
    await chat.transcript("""
        user: sign contract C-1003
        bot:  ~ Version 2 of contract C-1003 was already signed by Anna Berg on
        bot:  ~ nothing has changed
        bot:  !~ [Sign]
    """)
    assert await _events(application, "C-1003") == [("signed", 2, ANNA, "Anna Berg", "test", sha)]
    assert await _version(application, "C-1003", 2) == signed


async def test_anna_signs_in_swedish_typing_her_yes(bot: BotDriver, application: Application) -> None:
    sha = (await _version(application, "C-1003", 2)).sha256
    await bot.as_user(ANNA).transcript(f"""
        user: jag vill signera avtal C-1003
        bot:  (sv)
        bot:  ~ version 2 av avtal C-1003
        bot:  ~ {sha}
        bot:  ~ Vill du signera?
        bot:  ~ [Signera]
        user: ja, signera
        bot:  (sv)
        bot:  ~ Signerat. Version 2 av avtal C-1003 är elektroniskt signerad av Anna Berg den
        user: signera avtal C-1003
        bot:  ~ signerades redan av Anna Berg
    """)
    assert [e.kind for e in await _events(application, "C-1003")] == ["signed"]


async def test_a_bare_sign_offers_the_one_version_waiting(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: sign
        bot:  ~ version 2 of contract C-1003
        bot:  ~ [Sign]
    """)


async def test_a_superseded_version_is_refused_naming_the_current_one(
    bot: BotDriver, application: Application
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: sign C-1001 version 1
        bot:  [contract.sign]
        bot:  ~ Version 1 of contract C-1001 has been replaced by version 2
        bot:  ~ Only the current version, 2, can be signed
        bot:  !~ [Sign]
        user: signera version 1 av avtal C-1001
        bot:  ~ har ersatts av version 2
    """)
    assert await _events(application, "C-1001") == []


async def test_a_version_awaiting_approval_is_not_signed(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: sign contract C-1004
        bot:  ~ is waiting for approval, not for a signature
        bot:  ~ approve contract C-1004
    """)


async def test_a_text_changed_after_it_was_shown_is_not_signed(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: sign contract C-1003
        bot:  ~ Do you want to sign it?
    """)
    async with application.engine.begin() as conn:  # the vendor replaces the text meanwhile
        await conn.execute(
            text(
                "UPDATE contract_versions SET sha256 = :sha, document_text = 'a new text' "
                "WHERE version = 2 AND contract_id = (SELECT id FROM contracts WHERE number = 'C-1003')"
            ),
            {"sha": "ab" * 32},
        )
    await chat.transcript("""
        press: Sign
        bot:  ~ is no longer the text you were shown, so I haven't signed it
    """)
    version = await _version(application, "C-1003", 2)
    assert version.signed_at is None and version.awaiting == "signature"
    assert await _events(application, "C-1003") == []


async def test_cancel_or_anything_but_yes_signs_nothing(bot: BotDriver, application: Application) -> None:
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: sign contract C-1003
        press: Cancel
        bot:  = All right, I haven't signed contract C-1003; nothing was recorded. Just ask when you want to sign it.
        user: sign contract C-1003
        user: maybe later
        bot:  ~ I haven't signed contract C-1003
        user: sign contract C-1003
        user: ok thanks
        bot:  ~ I haven't signed contract C-1003
        user: signera avtal C-1003
        user: avbryt
        bot:  ~ jag släpper det
        user: ja, signera
        bot:  !~ Signerat
    """)
    assert (await _version(application, "C-1003", 2)).signed_at is None
    assert await _events(application, "C-1003") == []


async def test_a_question_asked_while_a_signature_waits_is_answered_and_signs_nothing(
    bot: BotDriver, application: Application
) -> None:
    """A request of its own to "Do you want to sign it?" is answered, not taken for a no and dropped;
    the signature is offered back, and signing still needs a yes to the question asked again."""
    chat = bot.as_user(ANNA)
    await chat.transcript("""
        user: sign contract C-1003
        bot:  ~ Do you want to sign it?
        user: where is my order 4711?
        bot:  [order.status]
        bot:  ~ Order 4711 has shipped
        bot:  ~ Shall we finish your request?
        user: yes
        bot:  [contract.sign]
        bot:  ~ Shall I sign it?
        bot:  ~ [Sign]
        press: Cancel
        bot:  ~ I haven't signed contract C-1003
        user: signera avtal C-1003
        user: vad har vi installerat i Göteborg
        bot:  [inventory.show]
        bot:  ~ Göteborg
        bot:  ~ Ska vi göra klart det du bad om?
        user: nej
        bot:  ~ släpper jag det
        user: ja
        bot:  !~ Signerat
    """)
    assert (await _version(application, "C-1003", 2)).signed_at is None
    assert await _events(application, "C-1003") == []


@pytest.mark.parametrize(
    ("yes", "signed"),
    [
        ("yes please", "Signed. Version 2 of contract C-1003"),
        ("sure, go ahead", "Signed. Version 2 of contract C-1003"),
        ("ok, do it", "Signed. Version 2 of contract C-1003"),
        ("yes, go ahead and sign it", "Signed. Version 2 of contract C-1003"),
        ("ja tack", "Signerat. Version 2 av avtal C-1003"),
    ],
)
async def test_a_plain_yes_to_the_signature_signs(
    bot: BotDriver, application: Application, yes: str, signed: str
) -> None:
    """ "Do you want to sign it?" answered as people answer it, not only with the button's words."""
    chat = bot.as_user(ANNA)
    await chat.say("sign contract C-1003")
    await chat.transcript(f"""
        user: {yes}
        bot:  [contract.sign]
        bot:  ~ {signed}
    """)
    assert (await _version(application, "C-1003", 2)).signed_at is not None


# --- approving ----------------------------------------------------------------------------------------


async def test_approving_c1004_version_2_records_who_when_and_the_hash_once(
    bot: BotDriver, application: Application
) -> None:
    sha = (await _version(application, "C-1004", 2)).sha256
    chat = bot.as_user(ANNA)
    await chat.transcript(f"""
        user: approve contract C-1004 version 2
        bot:  [contract.approve]
        bot:  ~ Version 2 of contract C-1004, Software subscription: IBM AIX 7.3, is waiting for your approval
        bot:  ~ Price adjustment: annual fee 22 680,00 SEK
        bot:  ~ {sha}
        bot:  ~ [Approve]
        press: Approve
        bot:  ~ Approved. Version 2 of contract C-1004 is approved by Anna Berg on
        user: approve contract C-1004
        bot:  ~ Version 2 of contract C-1004 was already approved by Anna Berg on
        bot:  ~ nothing has changed
        user: godkänn avtal C-1004
        bot:  (sv)
        bot:  ~ godkändes redan av Anna Berg den
    """)
    approved = await _version(application, "C-1004", 2)
    assert (approved.approved_by, approved.approved_name) == (ANNA, "Anna Berg")
    assert approved.approved_at is not None and approved.awaiting is None
    assert await _events(application, "C-1004") == [("approved", 2, ANNA, "Anna Berg", "test", sha)]


async def test_approving_in_swedish_and_declining(bot: BotDriver, application: Application) -> None:
    await bot.as_user(ANNA).transcript("""
        user: godkänn avtal C-1004
        bot:  (sv)
        bot:  ~ Version 2 av avtal C-1004
        bot:  ~ Vill du godkänna den?
        press: Avbryt
        bot:  ~ jag har inte godkänt avtal C-1004
        user: godkänn avtal C-1004
        user: ja, godkänn
        bot:  ~ Godkänt. Version 2 av avtal C-1004 är godkänd av Anna Berg den
    """)
    assert [e.kind for e in await _events(application, "C-1004")] == ["approved"]


async def test_approving_takes_a_yes_as_people_say_it_and_a_polite_ok_as_no(
    bot: BotDriver, application: Application
) -> None:
    """ "Ok thanks" to "Do you want to approve it?" may be a polite no: nothing is approved on it; "ja
    tack" is a yes."""
    await bot.as_user(ANNA).transcript("""
        user: approve contract C-1004
        bot:  ~ Do you want to approve it?
        user: ok thanks
        bot:  ~ I haven't approved contract C-1004
        user: godkänn avtal C-1004
        user: ja tack
        bot:  ~ Godkänt. Version 2 av avtal C-1004
    """)
    assert [e.kind for e in await _events(application, "C-1004")] == ["approved"]


async def test_approve_without_a_number_takes_the_one_waiting_or_offers_a_choice(
    bot: BotDriver, application: Application
) -> None:
    await bot.as_user(ANNA).transcript("""
        user: approve the agreement
        bot:  ~ Version 2 of contract C-1004
        bot:  ~ [Approve]
    """)
    async with application.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE contract_versions SET awaiting = 'approval' "
                "WHERE contract_id = (SELECT id FROM contracts WHERE number = 'C-1002')"
            )
        )
    await bot.as_user(ANNA).transcript("""
        user: approve the agreement
        bot:  ~ These contracts have a version waiting for approval: C-1004, C-1002
        bot:  ~ [Approve C-1002]
        press: Approve C-1002
        bot:  ~ Version 1 of contract C-1002
        press: Approve
        bot:  ~ Approved. Version 1 of contract C-1002
    """)


# --- who may ------------------------------------------------------------------------------------------


async def test_another_company_s_contract_reads_like_one_that_does_not_exist(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(MAX)
    answers = {}
    for number in ("C-1003", "C-9999"):
        answers[number] = (await chat.say(f"sign contract {number}")).text.replace(number, "#")
        answers["approve " + number] = (await chat.say(f"approve contract {number}")).text.replace(
            number, "#"
        )
    assert answers["C-1003"] == answers["C-9999"]
    assert answers["approve C-1003"] == answers["approve C-9999"]
    assert "I can't find contract #" in answers["C-1003"]
    assert (await _version(application, "C-1003", 2)).signed_at is None


async def test_erik_without_the_contracts_tool_gets_the_access_answer(bot: BotDriver) -> None:
    await bot.as_user(ERIK).transcript("""
        user: sign contract C-1003
        bot:  [contract.sign]
        bot:  ~ access to contracts
        bot:  ~ [Request access to contracts]
        bot:  !~ C-1003
        user: approve contract C-1004
        bot:  ~ access to contracts
    """)


# --- the password, asked again where users sign in with one ---------------------------------------------

NEW_PASSWORD = "Correct-Staple-4491"
WRONG_PASSWORD = "Wrong-Horse-Battery-7731"


async def _new_password(application: Application) -> None:
    directory = application.backends.directory
    stamp = await directory.credential_stamp(ANNA)
    assert stamp is not None and await directory.set_password(ANNA, NEW_PASSWORD, stamp=stamp)


async def _send_password(chat: Conversation, password: str) -> None:
    form = chat.last.form
    assert form is not None and form.id == "contract.sign", chat.last.plain_text()
    field = next(f for f in form.fields if f.kind == "password")
    await chat.say("", form=FormSubmission(id=form.id, secrets={field.name: password}))  # type: ignore[dict-item]


async def test_in_the_web_chat_the_password_is_asked_again_and_kept_nowhere(
    bot: BotDriver, application: Application, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await _new_password(application)
    chat = bot.as_user(ANNA)
    chat.capabilities = WEB
    chat.channel = "web"
    await chat.transcript("""
        user: sign contract C-1003
        bot:  ~ When you confirm, I'll ask for your password once more
        press: Sign
        bot:  ~ please enter your password once more
    """)
    form = chat.last.form
    assert form is not None and [f.kind for f in form.fields] == ["info", "info", "password"]
    assert (await _version(application, "C-1003", 2)).signed_at is None  # not before the password
    await _send_password(chat, WRONG_PASSWORD)
    assert "That password isn't right" in chat.last.text and chat.last.form is not None
    assert chat.last.form.fields[-1].error == "That password isn't right. Please try again."
    assert (await _version(application, "C-1003", 2)).signed_at is None
    await _send_password(chat, NEW_PASSWORD)
    assert chat.last.text.startswith("Signed. Version 2 of contract C-1003"), chat.last.text
    assert "web chat" in chat.last.text
    signed = await _version(application, "C-1003", 2)
    assert signed.signed_by == ANNA and signed.signed_channel == "web"

    # Neither password is anywhere: not in the transcript, the state, the logs or the database file.
    async with application.engine.connect() as conn:
        stored = [
            str(row)
            for table in ("turns", "conversations")
            for row in await conn.execute(text(f"SELECT * FROM {table}"))
        ]
    turns = await application.pipeline.history(chat.ref.key)
    assert len(turns) == 8 and turns[4].payload == {"said": "", "form": {"id": "contract.sign", "values": {}}}
    for password in (NEW_PASSWORD, WRONG_PASSWORD):
        assert not any(password in row for row in stored)
        assert password not in caplog.text
        for name, data in await asyncio.to_thread(_database_files, Path(settings.data_dir)):
            assert password.encode() not in data, name


def _database_files(folder: Path) -> list[tuple[str, bytes]]:
    """The database file and its journal, as bytes: what a disk would keep."""
    return [(path.name, path.read_bytes()) for path in folder.glob("supportbot.sqlite3*")]


async def test_wrong_passwords_are_limited_and_then_nothing_is_signed(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)
    chat.capabilities = WEB
    await chat.say("sign contract C-1003")
    await chat.press("Sign")
    for _ in range(4):
        await _send_password(chat, WRONG_PASSWORD)
        assert chat.last.form is not None, chat.last.text
    await _send_password(chat, WRONG_PASSWORD)
    assert "too many attempts" in chat.last.text and chat.last.form is None
    # locked for a while: even the right password signs nothing now
    await chat.say("sign contract C-1003")
    await chat.press("Sign")
    await _send_password(chat, "demo")
    assert "too many attempts" in chat.last.text
    assert (await _version(application, "C-1003", 2)).signed_at is None


async def test_a_password_form_sent_after_the_question_was_dropped_signs_nothing(
    bot: BotDriver, application: Application
) -> None:
    chat = bot.as_user(ANNA)
    chat.capabilities = WEB
    await chat.say("sign contract C-1003")
    await chat.press("Sign")
    form = chat.last.form
    await chat.say("cancel")
    assert form is not None
    await chat.say("", form=FormSubmission(id=form.id, secrets={"password": "demo"}))  # type: ignore[dict-item]
    assert "no longer open" in chat.last.text
    assert (await _version(application, "C-1003", 2)).signed_at is None


async def test_the_signed_version_s_pdf_carries_the_signature_page_with_the_facts_recorded(
    bot: BotDriver, application: Application
) -> None:
    """Signing in chat, then asking for the PDF: its last page states exactly what was recorded."""
    from tests.conversations.test_contracts import fetch, pdf_pages

    sha = (await _version(application, "C-1003", 2)).sha256
    chat = bot.as_user(ANNA)
    await chat.say("sign contract C-1003")
    await chat.press("Sign")
    signed = await _version(application, "C-1003", 2)
    assert signed.signed_at is not None
    reply = await chat.say("download contract C-1003")
    assert reply.intent == "contract.document"
    pages = pdf_pages(await fetch(application, reply.attachments[0]))
    signature = pages[-1].replace("\n", " ")
    for fact in ("Contract C-1003", "Anna Berg", ANNA, sha, "simple electronic signature"):
        assert fact in signature or fact in " ".join(pages), f"{fact!r} not in the signed PDF:\n{signature}"
    assert sha in signature and "Anna Berg" in signature
    assert "awaiting the customer's signature" not in " ".join(pages)


async def test_signing_starts_only_when_the_message_says_sign(bot: BotDriver) -> None:
    """ "contract for 78ABC12" is a question about the machine's contract, however the NLU leans: the
    contract covering the machine is shown, and no signing of any contract is begun. Said with a word
    of signing, in either language, signing begins as always."""
    await bot.as_user(ANNA).transcript("""
        user: contract for 78ABC12
        bot:  [contract.status]
        bot:  ~ 78ABC12
        bot:  ~ covered by contract C-1001
        bot:  !~ about to sign
    """)
    await bot.as_user(ANNA).transcript("""
        user: I want to sign the renewal
        bot:  [contract.sign]
        bot:  ~ about to sign
    """)
    await bot.as_user(ANNA).transcript("""
        user: hur skriver jag under förnyelsen elektroniskt
        bot:  [contract.sign]
        bot:  (sv)
    """)


async def test_skriv_under_is_signing_and_skriv_ut_is_the_document(bot: BotDriver) -> None:
    """Swedish signs with "skriva under"; alone, "skriv" is mostly printing ("skriv ut avtalet").
    Denied, it begins nothing ("vi vill inte skriva under än")."""
    await bot.as_user(ANNA).transcript("""
        user: skriv under avtalet C-1003
        bot:  [contract.sign]
        bot:  (sv)
        bot:  ~ version 2 av avtal C-1003
        bot:  ~ [Signera]
        user: avbryt
        user: skriv ut avtalet C-1003
        bot:  [contract.document]
        bot:  !~ [Signera]
        user: vi vill inte skriva under än, visa avtalet C-1003
        bot:  !~ [Signera]
    """)


async def test_asking_whether_a_contract_is_signed_begins_no_signing(bot: BotDriver) -> None:
    """ "Has C-1003 been signed?" asks after it: its versions are shown, and nothing is offered to sign."""
    await bot.as_user(ANNA).transcript("""
        user: has C-1003 been signed?
        bot:  [contract.history]
        bot:  ~ waiting for your signature
        bot:  !~ about to sign
        user: är avtalet C-1001 signerat?
        bot:  (sv)
        bot:  !~ [Signera]
    """)


async def test_asking_whether_something_is_approved_begins_no_approval(bot: BotDriver) -> None:
    """ "Har den godkänts än?" asks after the record talked about (here the invoice just listed): no
    contract's approval is offered. Said as a state to record, an approval is asked for."""
    await bot.as_user(ANNA).transcript("""
        user: vilka fakturor väntar på mitt godkännande?
        bot:  ~ INV-2031
        user: har den godkänts än?
        bot:  [invoice.get]
        bot:  !~ Vill du godkänna
        user: har C-1004 godkänts?
        bot:  !~ Vill du godkänna
        user: kan du markera avtal C-1004 som godkänt?
        bot:  [contract.approve]
        bot:  ~ Vill du godkänna
    """)


async def test_only_saying_not_to_sign_is_heard_and_signs_nothing(
    bot: BotDriver, application: Application
) -> None:
    """ "Wait no dont sign yet" with nothing waiting is heard ("OK"), not a misunderstanding, and nothing
    is signed; "no ticket please" alike opens nothing."""
    counted = text("SELECT count(*) FROM contract_versions WHERE signed_by IS NOT NULL")
    async with application.engine.connect() as conn:
        before = (await conn.execute(counted)).scalar_one()
    anna = bot.as_user(ANNA)
    for said in ("wait no dont sign yet", "no ticket please"):
        reply = await anna.say(said)
        assert reply.intent == "dialog.ack", (said, reply.plain_text())
    async with application.engine.connect() as conn:
        assert (await conn.execute(counted)).scalar_one() == before
