"""Writing calls keyed by the user's message (``integrations.actions``), on every implementation: a
repeated key returns the first outcome and writes nothing, also when both calls come at once, and an
action whose mail cannot be queued leaves nothing behind."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from supportbot.integrations.actions import Action, Mail
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.models import NewRequest, SupportRequest, Tool
from supportbot.integrations.protocols import Backends
from tests.integrations.conftest import People


def _new(subject: str) -> NewRequest:
    return NewRequest(category="other", subject=subject, description="d")


async def _subjects(backends: Backends, people: People) -> list[str]:
    return [r.subject for r in await backends.requests.list_requests(people.erik, limit=100)]


async def test_a_repeated_key_opens_one_request_and_returns_its_number(
    backends: Backends, people: People
) -> None:
    key = Action[SupportRequest](key="k-open-1")
    first = await backends.requests.create_request(people.erik, _new("Keyed once"), action=key)
    again = await backends.requests.create_request(people.erik, _new("Keyed once"), action=key)
    assert again.number == first.number
    both = await asyncio.gather(
        *(
            backends.requests.create_request(
                people.erik, _new("Keyed at once"), action=Action(key="k-open-2")
            )
            for _ in range(2)
        )
    )
    assert both[0].number == both[1].number
    assert (await _subjects(backends, people)).count("Keyed once") == 1
    assert (await _subjects(backends, people)).count("Keyed at once") == 1
    # another key is another request
    other = await backends.requests.create_request(people.erik, _new("Keyed once"), action=Action(key="k-3"))
    assert other.number != first.number


async def test_a_repeated_key_records_one_comment_one_approval_one_forward(
    backends: Backends, people: People
) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    for _ in range(2):
        await backends.requests.add_comment(people.erik, number, "only once", action=Action(key="k-c"))
    found = await backends.requests.get_request(people.erik, number)
    assert found is not None and [e.text for e in found.history].count("only once") == 1

    outcomes = [
        await backends.invoices.approve_invoice(people.anna, "INV-2031", action=Action(key="k-a"))
        for _ in range(2)
    ]
    assert [o.changed for o in outcomes if o is not None] == [True, True]  # the first answer, twice
    plain = await backends.invoices.approve_invoice(people.anna, "INV-2031")
    assert plain is not None and not plain.changed

    refs = [
        await backends.invoices.record_forward(
            people.anna, "INV-2031", "kassa@nordisk.example", action=Action(key="k-f")
        )
        for _ in range(2)
    ]
    assert refs[0] is not None and refs[0] == refs[1]
    history = await backends.invoices.invoice_history(people.anna, "INV-2031")
    assert [e.kind for e in history] == ["approved", "forwarded"]


async def test_an_action_whose_mail_cannot_be_queued_writes_nothing(
    backends: Backends, people: People
) -> None:
    def mails(request: SupportRequest) -> Sequence[Mail]:
        return [Mail(to="erik.lund@nordisk.example", subject=f"{request.number}", text="t")]

    # These back ends have no outbox: the action's mail cannot be queued, so nothing is written.
    with pytest.raises(MailUnavailable):
        await backends.requests.create_request(
            people.erik, _new("Never half"), action=Action(key="k-m", mails=mails)
        )
    assert "Never half" not in await _subjects(backends, people)

    def broken(request: SupportRequest) -> Sequence[Mail]:
        raise ValueError("the mail could not be built")

    with pytest.raises(ValueError, match="could not be built"):
        await backends.requests.create_request(
            people.erik, _new("Never half"), action=Action(key="k-m", mails=broken)
        )
    assert "Never half" not in await _subjects(backends, people)
    done = await backends.requests.create_request(people.erik, _new("Never half"), action=Action(key="k-m"))
    assert (await _subjects(backends, people)).count("Never half") == 1 and done.subject == "Never half"


async def test_a_repeated_key_records_one_access_request(backends: Backends, people: People) -> None:
    assert backends.access is not None
    first = await backends.access.request_access(people.erik, [Tool.INVOICES], action=Action(key="k-x"))
    again = await backends.access.request_access(people.erik, [Tool.INVOICES], action=Action(key="k-x"))
    assert first.changed and again.changed  # the first answer, again
    assert again.request.number == first.request.number
    pending = await backends.access.pending_for_admin(people.anna)
    assert [r.number for r in pending].count(first.request.number) == 1


async def test_each_document_of_a_repeated_message_is_added_once(backends: Backends, people: People) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    key = Action[SupportRequest](key="k-d")
    for _ in range(2):  # the same message, with two files, twice
        for name, data in (("a.txt", b"first file\n"), ("b.txt", b"second file\n")):
            await backends.requests.add_document(
                people.erik, number, name=name, content_type="text/plain", data=data, action=key
            )
    found = await backends.requests.get_request(people.erik, number)
    assert found is not None
    attached = [e.text.split(" ")[0] for e in found.history if e.kind == "attachment"]
    assert attached == ["a.txt", "b.txt"]
