"""A real server killed (SIGKILL) in the middle of an action that writes, started again on the same
data, and sent the same frame again, as a reconnecting browser does: whatever the moment of the kill,
there is exactly one request (one approval, one forward) and exactly one mail for it, and the answer
to the resent frame is the same confirmation with the same number.

To keep the run short the scenarios are chained: the server started again after one kill is the one
the next scenario kills, and it first checks the scenario before.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from tests.crash.harness import Chat, Server, browser, delivered_mails, query, queued_mails, wait_for

pytestmark = pytest.mark.crash

ANNA = "anna.berg@nordisk.example"

FORM_KILLS: tuple[str | None, ...] = (
    "mail.delivered",
    "action.committed",
    "turn.before_save:3",
    "reply.before_send:3",
    None,
    None,
)
"""Where each scenario's server dies (``supportbot.faults``); ``:3`` is its third turn, the form's
(after the check of the scenario before and the turn that shows the form); ``None`` is a kill from
outside a few milliseconds after the form was sent."""


def _form(subject: str) -> dict[str, str]:
    return {"category": "technical", "subject": subject, "description": "It beeps.", "priority": "high"}


async def _one_request_after_the_resend(data_dir: Path, chat: Chat, frame_id: str, subject: str) -> None:
    again = await chat.submit("request.open", _form(subject), frame_id)
    # A server that wrote again for the resend would have passed its own crash point and died here.
    assert again is not None, f"{subject}: no answer to the resend (did it open the request again?)"
    assert again["type"] == "reply", again
    numbers = [r[0] for r in query(data_dir, "SELECT number FROM requests WHERE subject = ?", subject)]
    assert len(numbers) == 1, f"{subject}: {numbers}"  # exactly one request, whenever the kill came
    (number,) = numbers
    assert number in again["reply"]["text"] and ANNA in again["reply"]["text"], again["reply"]["text"]
    assert len(queued_mails(data_dir, number)) == 1, f"{subject}: one confirmation mail is queued"
    # Delivered once, or still claimed by the killed server: its lease hands the mail to the next
    # deliverer when it runs out (minutes), so it is neither lost nor sent twice.
    await wait_for(lambda: len(delivered_mails(data_dir, number)) == 1 or _claimed_by_the_dead(data_dir))
    assert len(delivered_mails(data_dir, number)) <= 1, f"{subject}: delivered more than once"


def _claimed_by_the_dead(data_dir: Path) -> bool:
    """A pending mail whose claim outlives the process that made it."""
    rows = query(
        data_dir, "SELECT count(*) FROM mail_outbox WHERE status = 'pending' AND claimed_until IS NOT NULL"
    )
    return bool(rows[0][0])


async def test_a_request_form_killed_at_every_point_opens_one_request_with_one_mail(data_dir: Path) -> None:
    server = Server(data_dir, crash_at=FORM_KILLS[0]).start()
    earlier: tuple[str, str] | None = None
    try:
        async with browser() as user:
            await user.login(server, ANNA)
            for run, crash_at in enumerate(FORM_KILLS):
                frame_id, subject = f"m-form-{run}", f"Printer beeps, run {run}"
                async with user.chat(server) as chat:
                    if earlier is None:
                        assert await chat.say("hello", "m-hello") is not None
                    else:
                        await _one_request_after_the_resend(data_dir, chat, *earlier)
                    shown = await chat.say("I want to open a support request", f"{frame_id}-ask")
                    assert shown is not None and shown["reply"]["form"]["id"] == "request.open", shown
                    if crash_at is None:
                        frame = {
                            "type": "form",
                            "id": frame_id,
                            "form": "request.open",
                            "values": _form(subject),
                        }
                        await chat.ws.send_json(frame)
                        await asyncio.sleep(random.uniform(0, 0.025))
                        server.kill()
                    else:
                        first = await chat.submit("request.open", _form(subject), frame_id)
                        assert first is None, f"the server answered instead of dying at {crash_at}: {first}"
                assert await server.died() == -9, crash_at
                earlier = (frame_id, subject)
                following = FORM_KILLS[run + 1] if run + 1 < len(FORM_KILLS) else None
                server = Server(data_dir, port=server.port, crash_at=following).start()
            async with user.chat(server) as chat:
                assert earlier is not None
                await _one_request_after_the_resend(data_dir, chat, *earlier)
    finally:
        server.stop()


def _forwards(data_dir: Path, to: str) -> int:
    rows = query(
        data_dir,
        "SELECT count(*) FROM invoice_events e JOIN invoices i ON i.id = e.invoice_id "
        "WHERE i.number = 'INV-2031' AND e.kind = 'forwarded' AND e.detail = ?",
        to,
    )
    return int(rows[0][0])


def _mails_to(data_dir: Path, to: str) -> tuple[int, int]:
    queued = [m for m in queued_mails(data_dir, "INV-2031") if m["To"] == to]
    delivered = [m for m in delivered_mails(data_dir, "INV-2031").values() if m["To"] == to]
    return len(queued), len(delivered)


async def test_an_approval_and_forwards_killed_midway_are_done_once_with_one_mail(data_dir: Path) -> None:
    approve = ("approve invoice INV-2031", "m-approve")
    first_forward = ("forward invoice INV-2031 to kassa@nordisk.example", "m-forward-1")
    second_forward = ("forward invoice INV-2031 to ekonomi@nordisk.example", "m-forward-2")
    server = Server(data_dir, crash_at="action.committed").start()
    try:
        async with browser() as user:
            await user.login(server, ANNA)
            async with user.chat(server) as chat:
                assert await chat.say(*approve) is None
            assert await server.died() == -9

            server = Server(data_dir, port=server.port, crash_at="action.committed").start()
            async with user.chat(server) as chat:
                again = await chat.say(*approve)
                assert again is not None and "is approved" in again["reply"]["text"], (
                    again
                )  # the first answer
                events = query(
                    data_dir,
                    "SELECT e.kind FROM invoice_events e JOIN invoices i ON i.id = e.invoice_id "
                    "WHERE i.number = 'INV-2031'",
                )
                assert events == [("approved",)]
                assert await chat.say(*first_forward) is None
            assert await server.died() == -9

            # Its first pass of mail.delivered is the mail the killed server left queued.
            server = Server(data_dir, port=server.port, crash_at="mail.delivered:2").start()
            async with user.chat(server) as chat:
                again = await chat.say(*first_forward)
                assert again is not None and "kassa@nordisk.example" in again["reply"]["text"], again
                assert _forwards(data_dir, "kassa@nordisk.example") == 1
                await wait_for(lambda: _mails_to(data_dir, "kassa@nordisk.example") == (1, 1))
                assert await chat.say(*second_forward) is None
            assert await server.died() == -9

            server = Server(data_dir, port=server.port).start()
            async with user.chat(server) as chat:
                again = await chat.say(*second_forward)
        assert again is not None and "ekonomi@nordisk.example" in again["reply"]["text"], again
        assert _forwards(data_dir, "ekonomi@nordisk.example") == 1
        assert _mails_to(data_dir, "ekonomi@nordisk.example") == (1, 1)
    finally:
        server.stop()


async def test_a_signature_killed_after_its_commit_is_signed_once_and_answered_as_signed(
    data_dir: Path,
) -> None:
    """The password form is the signing message: killed right after the signature was committed, the
    same frame sent again signs nothing more and gets the first answer."""
    password = ("contract.sign", {"password": "demo"}, "m-sign-password")
    server = Server(data_dir, crash_at="action.committed").start()
    try:
        async with browser() as user:
            await user.login(server, ANNA)
            async with user.chat(server) as chat:
                offer = await chat.say("sign contract C-1003", "m-sign")
                assert offer is not None and "Do you want to sign it?" in offer["reply"]["text"], offer
                form = await chat.say("yes, sign", "m-sign-yes")
                assert form is not None and form["reply"]["form"]["id"] == "contract.sign", form
                assert await chat.submit(*password) is None
            assert await server.died() == -9

            server = Server(data_dir, port=server.port).start()
            async with user.chat(server) as chat:
                again = await chat.submit(*password)
        assert again is not None and again["reply"]["text"].startswith(
            "Signed. Version 2 of contract C-1003"
        ), again
        events = query(
            data_dir,
            "SELECT e.kind, e.channel FROM contract_events e JOIN contracts c ON c.id = e.contract_id "
            "WHERE c.number = 'C-1003'",
        )
        assert events == [("signed", "web")]
    finally:
        server.stop()
