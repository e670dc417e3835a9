"""Contract notices: before a contract ends and while a version waits for the customer, each user of the
company with the contracts grant is told once, in chat and by mail, in their language.

The demo data at seeding day: C-1001 (Nordisk, manual renewal) ends in 25 days, C-1003's version 2 waits
for Anna's signature, C-1004's version 2 for approval, C-2002 (Contoso) ends in 55 days. Anna (Swedish)
gets three notices, Max and Lena (English) one each, Erik (no contracts grant) none.
"""

from __future__ import annotations

import asyncio
import email
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import Message as EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import text

from supportbot.adapters.app import Application, build_application
from supportbot.bot.store import AlreadyDone
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal, Tool
from supportbot.integrations.sql.demo import demo_today
from supportbot.services.notices import ContractNotices, NoticePass
from tests.conftest import Conversation, Inbox, make_settings

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"
LENA = "lena.wagner@contoso.example"
SARA = "sara@support.example"


def notices_at(app: Application, *, days_later: int = 0, lease: timedelta | None = None) -> ContractNotices:
    """A pass of its own (its own worker id) over ``app``'s database, ``days_later`` than today."""
    at = datetime.now(UTC) + timedelta(days=days_later)
    extra = {"lease": lease} if lease is not None else {}
    return ContractNotices(
        directory=app.backends.directory,
        contracts=app.backends.contracts,
        notices=app.notifier,
        claims=app.store.notices,
        mail=app.outbox,  # type: ignore[arg-type]
        public_url=app.settings.public_url,
        days=app.settings.contract_notice_days,
        clock=lambda: at,
        **extra,  # type: ignore[arg-type]
    )


async def told(app: Application, user_id: str) -> list[str]:
    """The notices in ``user_id``'s inbox, oldest first."""
    return [turn.text for turn in await app.notifier.inbox(user_id)]


def buttons(turn_payload: dict[str, object]) -> list[tuple[str, str]]:
    return [(b["label"], b["value"]) for b in turn_payload["buttons"]]  # type: ignore[index, union-attr]


def text_of(mail: EmailMessage, kind: str = "text/plain") -> str:
    part = next(p for p in mail.walk() if p.get_content_type() == kind)
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


async def test_a_pass_at_seeding_day_tells_each_user_in_chat_and_by_mail_in_their_language(
    data_dir: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    app = await build_application(make_settings(data_dir, smtp_url=f"smtp://127.0.0.1:{port}"))
    try:
        assert app.contract_notices is not None
        done = await app.contract_notices.run_once()
        assert done == NoticePass(sent=5, mailed=5, failed=0)

        anna = await app.notifier.inbox(ANNA)
        assert len(anna) == 3 and all(turn.payload and turn.payload["language"] == "sv" for turn in anna)
        expiry, signature, approval = (
            next(t for t in anna if "C-1001" in t.text),
            next(t for t in anna if "C-1003" in t.text),
            next(t for t in anna if "C-1004" in t.text),
        )
        ends = demo_today() + timedelta(days=25)
        assert (
            "Avtal C-1001 (Hardware maintenance: IBM Power S1022 and storage) löper ut om 25 dagar"
            in expiry.text
        )
        assert f"den {ends.day} " in expiry.text, "the date as Swedish writes it"
        assert "förnyas inte automatiskt" in expiry.text
        assert "Årligt värde: 96\u00a0000,00\u00a0SEK." in expiry.text
        assert buttons(expiry.payload or {}) == [("Visa avtal C-1001", "visa avtal C-1001")]
        assert (
            "Version 2 av avtal C-1003 (Services: managed backup) väntar på er underskrift" in signature.text
        )
        assert ("Signera avtal C-1003", "signera avtal C-1003") in buttons(signature.payload or {})
        assert "Version 2 av avtal C-1004" in approval.text and "väntar på ert godkännande" in approval.text
        assert ("Godkänn avtal C-1004", "godkänn avtal C-1004") in buttons(approval.payload or {})

        for user in (MAX, LENA):
            (notice,) = await app.notifier.inbox(user)
            assert notice.text.startswith(
                "Contract C-2002 (Hardware maintenance: IBM Power S1014) ends in 55 days"
            )
            assert "It is not renewed automatically" in notice.text
            assert "Annual value: EUR\u00a06,400.00." in notice.text
            assert buttons(notice.payload or {}) == [("Show contract C-2002", "show contract C-2002")]
        assert await told(app, ERIK) == [], "Erik has no contracts grant"
        assert await told(app, SARA) == [], "an agent belongs to no customer company"
    finally:
        await app.close()  # the outbox delivers what was queued before it stops

    parsed = [email.message_from_bytes(e.content, policy=policy.default) for e in inbox.envelopes]  # type: ignore[arg-type]
    mails = {(str(m["To"]), str(m["Subject"])): m for m in parsed}
    assert sorted(mails) == sorted(
        [
            (ANNA, f"Avtal C-1001 löper ut den {_swedish_date(ends)}"),
            (ANNA, "Avtal C-1003: version 2 väntar på er underskrift"),
            (ANNA, "Avtal C-1004: version 2 väntar på ert godkännande"),
            (MAX, f"Contract C-2002 ends on {_english_date(demo_today() + timedelta(days=55))}"),
            (LENA, f"Contract C-2002 ends on {_english_date(demo_today() + timedelta(days=55))}"),
        ]
    )
    signing = mails[(ANNA, "Avtal C-1003: version 2 väntar på er underskrift")]
    body = text_of(signing)
    assert body.startswith("Hej Anna Berg,") and "väntar på er underskrift" in body
    assert "skriv \u201dsignera avtal C-1003\u201d" in body
    assert "http://127.0.0.1:8080/?ask=signera+avtal+C-1003" in body
    html = text_of(signing, "text/html")
    assert 'lang="sv"' in html and 'href="http://127.0.0.1:8080/?ask=signera+avtal+C-1003"' in html
    lena = text_of(
        mails[(LENA, f"Contract C-2002 ends on {_english_date(demo_today() + timedelta(days=55))}")]
    )
    assert lena.startswith("Hello Lena Wagner,") and "write \u201cshow contract C-2002\u201d" in lena


def _swedish_date(day: date) -> str:
    months = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _english_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


async def test_a_second_pass_sends_nothing_and_racing_passes_send_each_notice_once(
    application: Application,
) -> None:
    first, second = notices_at(application), notices_at(application)
    passes = await asyncio.gather(first.run_once(), second.run_once(), notices_at(application).run_once())
    assert sum(p.sent for p in passes) == 5 and sum(p.mailed for p in passes) == 5
    assert len(await told(application, ANNA)) == 3
    assert len(await told(application, MAX)) == len(await told(application, LENA)) == 1

    again = await notices_at(application).run_once()
    assert again == NoticePass(), "every notice was sent already"
    assert len(await told(application, ANNA)) == 3
    await application.outbox.deliver_due()  # type: ignore[union-attr]
    mailed = sorted(p.name for p in (application.settings.data_dir / "outbox").glob("*.eml"))
    assert len(mailed) == 5


async def test_seven_days_before_the_end_only_the_seven_day_notice_follows(application: Application) -> None:
    await notices_at(application).run_once()
    before = await told(application, ANNA)

    later = await notices_at(application, days_later=18).run_once()  # C-1001 ends in 7 days
    new = (await told(application, ANNA))[len(before) :]
    assert any("C-1001" in text and "löper ut om 7 dagar" in text for text in new)
    # C-1003 (47 days left) crosses 60 days now; it renews by itself, and its 60 days' notice began
    # 13 days ago: the notice says when the last day to cancel was.
    (renewal,) = [text for text in new if "C-1003" in text]
    cancel_by = demo_today() + timedelta(days=65 - 60)
    assert f"förnyas automatiskt: sista dagen att säga upp det var {_swedish_date(cancel_by)}." in renewal
    assert len(new) == 2 and later.sent == 2, new
    assert await told(application, MAX) == await told(application, LENA), "C-2002's 60 days are behind them"
    assert len(await told(application, MAX)) == 1

    assert (await notices_at(application, days_later=18).run_once()).sent == 0


async def test_expired_contracts_and_users_without_the_grant_are_told_nothing(
    application: Application,
) -> None:
    # A year on: every Nordisk contract but C-1002 (ends in 400 days) has ended.
    done = await notices_at(application, days_later=365).run_once()
    anna = await told(application, ANNA)
    assert not any("C-0950" in text or "C-1001" in text for text in anna)
    assert any("C-1002" in text and "löper ut om 35 dagar" in text for text in anna)
    assert "Det kommer inte att förnyas." in next(text for text in anna if "C-1002" in text)
    assert done.sent == len(anna) + len(await told(application, MAX)) + len(await told(application, LENA))
    assert await told(application, ERIK) == []


async def test_a_pass_that_died_after_claiming_is_finished_by_a_later_pass_once(
    application: Application,
) -> None:
    now = datetime.now(UTC)
    key = f"contract.expiry:C-2002:60:{MAX}"
    await application.store.notices.claim(
        key, user_id=MAX, kind="contract.expiry", at=now - timedelta(hours=1), by="a worker that died"
    )
    fresh = f"contract.expiry:C-2002:60:{LENA}"
    await application.store.notices.claim(
        fresh, user_id=LENA, kind="contract.expiry", at=now, by="a live worker"
    )

    done = await notices_at(application).run_once()
    assert done.sent == 4, "Anna's three and Max's taken over; Lena's is still the live worker's"
    (notice,) = await told(application, MAX)
    assert "C-2002" in notice
    claim = await application.store.notices.get(key)
    assert claim is not None and claim.done and claim.claimed_by != "a worker that died"
    assert await told(application, LENA) == []
    held = await application.store.notices.get(fresh)
    assert held is not None and held.delivered_at is None

    # The live worker's claim runs out without it finishing: the next pass finishes it, and only it.
    late = await notices_at(application, lease=timedelta(0)).run_once()
    assert late.sent == 1
    assert len(await told(application, LENA)) == 1 and len(await told(application, MAX)) == 1
    with pytest.raises(AlreadyDone):
        await application.store.notices.claim(key, user_id=MAX, kind="contract.expiry", at=now, by="again")


async def test_a_notice_told_before_its_claim_was_marked_is_not_told_again(application: Application) -> None:
    """The worker died after the inbox line was stored but before ``delivered_at`` was: the taking over
    pass finds the line and neither stores nor sends it again; the mail still goes out once."""
    now = datetime.now(UTC)
    key = f"contract.expiry:C-2002:60:{MAX}"
    await application.store.notices.claim(
        key, user_id=MAX, kind="contract.expiry", at=now - timedelta(hours=1), by="a worker that died"
    )
    from supportbot.bot.messages import Reply

    assert await application.notifier.notify_once(MAX, Reply(text="C-2002 ends soon"), key=key)
    done = await notices_at(application).run_once()
    assert await told(application, MAX) == ["C-2002 ends soon"]
    assert done.sent == 3 + 1, "Anna's three and Lena's"
    assert done.mailed == 5, "Max's mail was never queued: now it is"


async def test_a_back_end_error_for_one_user_leaves_the_others_told(application: Application) -> None:
    contracts = application.backends.contracts

    class Flaky:
        async def list_contracts(self, principal: Principal, *, active_only: bool = False) -> object:
            if principal.user_id == ANNA:
                raise BackendUnavailable("the contracts database is down")
            return await contracts.list_contracts(principal, active_only=active_only)

    notices = notices_at(application)
    notices.contracts = Flaky()  # type: ignore[assignment]
    done = await notices.run_once()
    assert done == NoticePass(sent=2, mailed=2, failed=1)
    assert await told(application, ANNA) == []
    assert (await notices_at(application).run_once()).sent == 3, "the next pass tells Anna"


async def test_a_user_who_lost_the_grant_is_not_told(application: Application) -> None:
    admin = await application.backends.directory.principal_for(LENA)
    assert admin is not None and application.backends.access is not None
    assert await application.backends.access.revoke(admin, MAX, Tool.CONTRACTS)
    await notices_at(application).run_once()
    assert await told(application, MAX) == []
    assert len(await told(application, LENA)) == 1


async def test_the_notice_s_button_is_a_command_the_chat_takes(application: Application) -> None:
    """Pressing a notice's button types its value in the chat the user is in."""
    await notices_at(application).run_once()
    (notice,) = await application.notifier.inbox(MAX)
    ((label, value),) = buttons(notice.payload or {})
    chat = Conversation(application, MAX)
    reply = await chat.say(value, button=True)
    assert reply.intent is not None and reply.intent.startswith("contract."), (
        label,
        reply.intent,
        reply.text,
    )


async def test_an_address_not_confirmed_yet_is_told_nothing(application: Application) -> None:
    """A registration whose address was never confirmed holds a grant (say, given in error): no notice
    goes to an address nobody has shown to be theirs."""
    directory = application.backends.directory
    new = await directory.register_user(
        user_id="nils@nordisk.example",
        name="Nils Ek",
        customer_number="1000123",
        password="a long password 1",
    )
    assert new is not None and new.verification is None
    async with application.engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO grants (user_id, tool) VALUES ('nils@nordisk.example', 'contracts')")
        )
    assert "nils@nordisk.example" in await directory.users_with_grant(Tool.CONTRACTS)
    done = await notices_at(application).run_once()
    assert done.sent == 5 and await told(application, "nils@nordisk.example") == []


async def test_the_directory_names_the_active_customer_users_holding_a_grant(
    application: Application,
) -> None:
    directory = application.backends.directory
    assert list(await directory.users_with_grant(Tool.CONTRACTS)) == [ANNA, LENA, MAX]
    orders = await directory.users_with_grant(Tool.ORDERS)
    assert ERIK in orders and SARA not in orders
