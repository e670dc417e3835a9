"""The request form and files from the channel, through the real pipeline: the form pre-filled from
the profile, sent and checked; files added to a request with their checksum, kept while the bot asks
which request they are for, and refused (politely, with nothing stored) when too large, of a refused
type, or for a request the user may not see."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import text

from supportbot.adapters.app import Application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import MAX_INBOUND_BYTES, FormSubmission, InboundFile
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
CHANNEL = frozenset({"forms", "files"})

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
LOG = b"2026-11-28 07:02 B2001234 power-on self test failed\n"


def _chat(bot: BotDriver, user: str) -> Conversation:
    chat = bot.as_user(user)
    chat.capabilities = CHANNEL
    return chat


async def _scalar(app: Application, sql: str, **params: Any) -> Any:
    async with app.engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def _documents(app: Application, number: str) -> list[tuple[str, str, int, str]]:
    async with app.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT d.name, d.content_type, d.size, d.sha256 FROM request_documents d "
                "JOIN requests r ON r.id = d.request_id WHERE r.number = :n ORDER BY d.id"
            ),
            {"n": number},
        )
        return [tuple(r) for r in rows]


# --- the form ----------------------------------------------------------------------------------------


async def test_the_form_is_pre_filled_from_the_profile_and_opens_the_request(
    bot: BotDriver, application: Application, settings: Settings
) -> None:
    chat = _chat(bot, ERIK)
    reply = await chat.say("I'd like to open a support request")
    assert reply.intent == "request.open"
    form = reply.form
    assert form is not None and form.id == "request.open"
    shown = {f.name: f for f in form.fields}
    assert shown["name"].value == "Erik Lund" and shown["name"].kind == "info"
    assert shown["company"].value == "Nordisk Verkstad AB"
    assert shown["customer_number"].value == "1000123"
    assert shown["email"].value == ERIK
    assert shown["phone"].value == "+46 31 555 067 89"
    assert shown["category"].kind == "choice" and shown["category"].required
    assert [c.value for c in shown["category"].choices] == [
        "technical", "order", "invoice", "contract", "inventory", "access", "other",
    ]  # fmt: skip
    assert shown["priority"].value == "normal"
    assert shown["subject"].max_length == 300 and shown["description"].kind == "textarea"

    before = await _scalar(application, "SELECT count(*) FROM requests")
    done = await chat.submit(
        category="technical",
        subject="Power server in Kista does not boot",
        description="Since this morning the server stops with error B2001234 after power-on.",
        priority="high",
    )
    assert done.intent == "request.open" and done.form is None
    assert "I've opened request RQ-" in done.text and "sent a confirmation to erik.lund" in done.text
    number = next(w.rstrip(":") for w in done.text.split() if w.startswith("RQ-"))
    assert await _scalar(application, "SELECT count(*) FROM requests") == before + 1
    assert await _scalar(application, "SELECT priority FROM requests WHERE number = :n", n=number) == "high"
    assert any(number in p.read_text() for p in (settings.data_dir / "outbox").glob("*.eml"))

    # The transcript keeps what was sent in the form, readable for an agent.
    (user_line, *_) = [t for t in await application.pipeline.history(chat.ref.key) if t.role == "user"][-1:]
    assert "subject: Power server in Kista does not boot" in user_line.text
    assert user_line.payload is not None
    assert user_line.payload["form"]["values"]["priority"] == "high"


async def test_a_form_with_missing_or_too_long_values_comes_back_marked_and_opens_nothing(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ANNA)
    await chat.say("öppna ett ärende")
    assert chat.last.language == "sv" and chat.last.form is not None
    before = await _scalar(application, "SELECT count(*) FROM requests")
    back = await chat.submit(category="", subject="  ", description="x" * 5001, priority="whenever")
    assert back.form is not None
    assert "Kontrollera de markerade fälten" in back.text
    errors = {f.name: f.error for f in back.form.fields if f.error}
    assert errors == {
        "category": "Välj ett alternativ.",
        "subject": "Fyll i det här.",
        "description": "Högst 5\u00a0000 tecken, tack.",
        "priority": "Välj ett alternativ.",
    }
    # What was written is kept in the form that came back, not lost.
    assert next(f for f in back.form.fields if f.name == "description").value == "x" * 5001
    assert await _scalar(application, "SELECT count(*) FROM requests") == before

    # Localised words are accepted too, and the corrected form opens the request.
    done = await chat.submit(
        category="faktura", subject="Fel fakturaadress", description="Gamla adressen.", priority="normal"
    )
    assert "Jag har öppnat ärende RQ-" in done.text
    assert await _scalar(application, "SELECT count(*) FROM requests") == before + 1


async def test_the_opening_words_choose_the_category(bot: BotDriver) -> None:
    reply = await _chat(bot, ERIK).say("I want to complain about the late delivery of order 4712")
    assert reply.form is not None
    assert next(f for f in reply.form.fields if f.name == "category").value == "order"


async def test_what_is_told_with_the_request_fills_the_form(bot: BotDriver) -> None:
    """Told beside the words asking for a request, the subject (and, told in full, the description) is
    in the form as it opens; "about it" is of what the conversation was about, named in the subject."""
    chat = _chat(bot, ERIK)
    reply = await chat.say("the FlashSystem reports a failed disk, open a request")
    assert reply.form is not None
    values = {f.name: f.value for f in reply.form.fields}
    assert values["category"] == "technical"
    assert values["subject"] == "The FlashSystem reports a failed disk"
    assert not values.get("description")
    await chat.say("where is order 4712")
    reply = await chat.say(
        "open a request about it, we need the server two weeks earlier because the project starts"
    )
    assert reply.form is not None
    values = {f.name: f.value for f in reply.form.fields}
    assert values["category"] == "order"
    assert values["description"] == "We need the server two weeks earlier because the project starts"
    assert values["subject"] == "We need the server two weeks earlier because the project starts (4712)"


async def test_a_form_sent_twice_opens_one_request(bot: BotDriver, application: Application) -> None:
    chat = _chat(bot, ERIK)
    await chat.say("open a ticket")
    form = chat.last
    before = await _scalar(application, "SELECT count(*) FROM requests")
    values = {"category": "other", "subject": "Training", "description": "Courses?", "priority": "low"}
    first = await chat.submit(delivery_id="form-1", **values)
    chat.replies.append(form)
    again = await chat.submit(delivery_id="form-1", **values)
    assert again.text == first.text
    assert await _scalar(application, "SELECT count(*) FROM requests") == before + 1


async def test_forms_nobody_shows_and_forms_without_access_are_refused(
    bot: BotDriver, application: Application
) -> None:
    before = await _scalar(application, "SELECT count(*) FROM requests")
    chat = _chat(bot, ERIK)
    reply = await chat.say("", form=FormSubmission(id="invoice.get", values={"invoice": "INV-2031"}))
    assert "Tyvärr används inte det formuläret längre, så inget skickades" in reply.text  # Erik's language
    guest = bot.as_guest()
    guest.capabilities = CHANNEL
    values = {"category": "other", "subject": "s", "description": "d", "priority": "low"}
    reply = await guest.say("", form=FormSubmission(id="request.open", values=values))
    assert "Please sign in" in reply.text
    assert await _scalar(application, "SELECT count(*) FROM requests") == before


async def test_the_console_still_opens_requests_by_conversation(bot: BotDriver) -> None:
    reply = await bot.as_user(ERIK).say("open a ticket")  # no forms in this channel
    assert reply.form is None and "What is it about?" in reply.text


# --- files -------------------------------------------------------------------------------------------


async def test_a_file_is_added_to_a_request_with_its_checksum(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ERIK)
    await chat.transcript("""
        user: attach a document to RQ-2026-000002
        bot:  [request.comment]
        bot:  ~ What should I add to request RQ-2026-000002? Write it here, or send a file
    """)
    reply = await chat.say("", files=(InboundFile(name="post.png", content_type="image/png", data=PNG),))
    assert reply.intent == "request.comment"
    assert "I've added post.png to request RQ-2026-000002" in reply.text
    assert await _documents(application, "RQ-2026-000002") == [
        ("post.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())
    ]
    await chat.transcript("""
        user: status of RQ-2026-000002
        bot:  ~ document | Erik Lund | post.png
    """)
    # The transcript names the file; its bytes stay out of it.
    user_lines = [t for t in await application.pipeline.history(chat.ref.key) if t.role == "user"]
    sent = next(t for t in user_lines if t.payload and "files" in t.payload)
    assert sent.payload is not None
    assert sent.payload["files"] == [{"name": "post.png", "content_type": "image/png", "size": len(PNG)}]


async def test_a_file_sent_alone_waits_while_the_bot_asks_which_request(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ERIK)
    # A file alone says nothing of language: Erik's profile says Swedish.
    reply = await chat.say("", files=(InboundFile(name="boot.log", content_type="text/plain", data=LOG),))
    assert reply.intent == "request.comment"
    assert "Vilket ärende ska jag lägga till filen i?" in reply.text
    assert [b.label for b in reply.buttons] == ["RQ-2026-000002"]
    assert await _documents(application, "RQ-2026-000002") == []
    done = await chat.press("RQ-2026-000002")
    assert "Jag har lagt till boot.log i ärende RQ-2026-000002" in done.text
    assert [d[0] for d in await _documents(application, "RQ-2026-000002")] == ["boot.log"]


async def test_a_file_with_words_and_a_number_goes_to_that_request(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ERIK)
    log = InboundFile(name="boot.log", content_type="text/plain; charset=utf-8", data=LOG)
    reply = await chat.say("here is the log for RQ-2026-000002", files=(log,))
    assert "I've added boot.log to request RQ-2026-000002" in reply.text
    assert [d[:2] for d in await _documents(application, "RQ-2026-000002")] == [("boot.log", "text/plain")]

    # With the request in context, words that mean nothing else are the comment with the file.
    photo = InboundFile(name="front panel.png", content_type="image/png", data=PNG)
    reply = await chat.say("the front panel after the reboot", files=(photo,))
    assert "I've added your comment to request RQ-2026-000002" in reply.text
    assert "I've added front panel.png" in reply.text
    await chat.transcript("""
        user: status of RQ-2026-000002
        bot:  ~ comment | Erik Lund | the front panel after the reboot
        bot:  ~ document | Erik Lund | front panel.png
    """)


async def test_files_of_a_refused_type_or_too_large_are_refused_politely(
    bot: BotDriver, application: Application
) -> None:
    chat = _chat(bot, ERIK)
    await chat.say("add a comment to RQ-2026-000002")
    files = (
        InboundFile(name="setup.exe", content_type="application/x-msdownload", data=b"MZ\x90\x00"),
        InboundFile(name="dump.zip", content_type="application/zip", declared_size=MAX_INBOUND_BYTES + 1),
        InboundFile(name="ok.pdf", content_type="application/pdf", data=b"%PDF-1.7\n%%EOF\n"),
    )
    reply = await chat.say("", files=files)
    assert "I can't add setup.exe: that kind of file isn't accepted." in reply.text
    assert "dump.zip is too large: files can be at most 10 MB." in reply.text
    assert "I've added ok.pdf to request RQ-2026-000002" in reply.text
    assert "You can send PDFs, pictures" in reply.text
    assert [d[0] for d in await _documents(application, "RQ-2026-000002")] == ["ok.pdf"]


HTML = b"<!DOCTYPE html><html><body><script>fetch('/agents/api/session')</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


async def test_a_file_is_judged_by_its_content_not_its_name(bot: BotDriver, application: Application) -> None:
    """What Slack, Teams and the web chat hand over is checked by the core: a web page or a program
    renamed .pdf is refused politely, a real PDF and picture are added, one mismatch is said as such."""
    chat = _chat(bot, ERIK)
    await chat.say("add a comment to RQ-2026-000002")
    files = (
        InboundFile(name="invoice.pdf", content_type="application/pdf", data=HTML),
        InboundFile(name="update.pdf", content_type="application/pdf", data=ELF),
        InboundFile(name="photo.pdf", content_type="application/pdf", data=PNG),
        InboundFile(name="scan.pdf", content_type="application/pdf", data=PDF),
        InboundFile(name="panel.png", content_type="image/png", data=PNG),
    )
    reply = await chat.say("", files=files)
    assert "I can't add invoice.pdf: that kind of file isn't accepted." in reply.text
    assert "I can't add update.pdf: that kind of file isn't accepted." in reply.text
    assert "I can't add photo.pdf: what it contains doesn't match its name." in reply.text
    assert "I've added scan.pdf, panel.png to request RQ-2026-000002" in reply.text
    assert [d[:2] for d in await _documents(application, "RQ-2026-000002")] == [
        ("scan.pdf", "application/pdf"),
        ("panel.png", "image/png"),
    ]


async def test_a_mismatched_file_is_refused_in_swedish_too(bot: BotDriver, application: Application) -> None:
    chat = _chat(bot, ERIK)
    await chat.say("lägg till en kommentar i RQ-2026-000002")
    reply = await chat.say(
        "", files=(InboundFile(name="faktura.pdf", content_type="application/pdf", data=PNG),)
    )
    assert "Jag kan inte lägga till faktura.pdf: innehållet stämmer inte med filnamnet." in reply.text
    assert await _documents(application, "RQ-2026-000002") == []


async def test_a_file_for_another_companys_request_looks_like_a_missing_request(
    bot: BotDriver, application: Application
) -> None:
    foreign = await _chat(bot, ERIK).say(
        "RQ-2026-000003", files=(InboundFile(name="a.png", content_type="image/png", data=PNG),)
    )
    missing = await _chat(bot, ERIK).say(
        "RQ-2026-000999", files=(InboundFile(name="a.png", content_type="image/png", data=PNG),)
    )
    assert foreign.text == missing.text.replace("000999", "000003")
    assert "RQ-2026-000003" in foreign.text
    assert await _documents(application, "RQ-2026-000003") == []


async def test_a_guest_cannot_send_files(bot: BotDriver, application: Application) -> None:
    guest = bot.as_guest()
    guest.capabilities = CHANNEL
    reply = await guest.say("", files=(InboundFile(name="a.png", content_type="image/png", data=PNG),))
    assert "Please sign in" in reply.text
    assert await _scalar(application, "SELECT count(*) FROM request_documents") == 0


async def test_a_stashed_file_is_its_owners_only(application: Application) -> None:
    files = application.files
    file_id = await files.stash(
        owner=ERIK, file=InboundFile(name="a.log", content_type="text/plain", data=LOG)
    )
    assert await files.unstash(owner=ANNA, file_id=file_id) is None
    kept = await files.unstash(owner=ERIK, file_id=file_id)
    assert kept is not None and kept.data == LOG and kept.name == "a.log"


async def test_a_refused_form_opened_again_keeps_what_was_typed(bot: BotDriver) -> None:
    # A Slack modal closes on sending: when it came back refused, the reopened one still has the text.
    chat = _chat(bot, ERIK)
    await chat.say("open a ticket")
    await chat.submit(category="technical", subject="", description="The disk LED blinks amber.")
    again = await chat.say("open a ticket")
    assert again.form is not None
    values = {f.name: f.value for f in again.form.fields}
    assert values["description"] == "The disk LED blinks amber." and values["category"] == "technical"
    await chat.submit(subject="Amber LED")
    fresh = await chat.say("open a ticket")
    assert fresh.form is not None
    assert next(f.value for f in fresh.form.fields if f.name == "description") == ""  # sent: draft gone
