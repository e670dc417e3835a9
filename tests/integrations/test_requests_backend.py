"""Requests in the back end: due times in the company's country, comments, documents, an agent's answer."""

from __future__ import annotations

import hashlib

import pytest

from supportbot.integrations.business_days import is_business_day
from supportbot.integrations.documents import MAX_BYTES
from supportbot.integrations.errors import AccessDenied, InvalidRequest
from supportbot.integrations.models import NewRequest, RequestStatus
from supportbot.integrations.protocols import Backends
from tests.integrations.conftest import People


async def test_a_new_request_is_due_on_a_business_day_of_its_country(
    backends: Backends, people: People
) -> None:
    for person in (people.erik, people.max):
        created = await backends.requests.create_request(
            person, NewRequest(category="other", subject="s", description="d")
        )
        assert created.due_at is not None and created.due_at > created.created_at
        assert is_business_day(created.due_at.date(), person.country) or created.due_at.hour >= 21


async def test_a_comment_is_added_to_the_history(backends: Backends, people: People) -> None:
    mine = await backends.requests.list_requests(people.erik)
    number = mine[0].number
    updated = await backends.requests.add_comment(people.erik, number, "  more details  ")
    assert updated is not None and updated.history[-1].kind == "comment"
    assert (updated.history[-1].author, updated.history[-1].text) == ("Erik Lund", "more details")
    # another user's request (Erik is no administrator) and another company's are not there
    annas = [
        r for r in await backends.requests.list_requests(people.anna) if r.requester != people.erik.user_id
    ]
    assert await backends.requests.add_comment(people.erik, annas[0].number, "x") is None
    contoso = (await backends.requests.list_requests(people.max))[0].number
    assert await backends.requests.add_comment(people.anna, contoso, "x") is None
    with pytest.raises(InvalidRequest):
        await backends.requests.add_comment(people.erik, number, "   ")


async def test_an_agent_answers_and_a_customer_comment_reopens(backends: Backends, people: People) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    answered = await backends.requests.answer_request(people.sara, number, "We can deliver on Friday.")
    assert answered is not None and answered.status is RequestStatus.ANSWERED
    assert answered.history[-1].kind == "answer" and answered.requester == people.erik.user_id
    reopened = await backends.requests.add_comment(people.erik, number, "Friday is too late.")
    assert reopened is not None and reopened.status is RequestStatus.OPEN
    assert await backends.requests.answer_request(people.sara, "RQ-2026-999999", "x") is None
    with pytest.raises(AccessDenied):
        await backends.requests.answer_request(people.anna, number, "x")


async def test_a_document_is_kept_with_its_checksum(backends: Backends, people: People) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    data = b"%PDF-1.4 delivery note"
    updated = await backends.requests.add_document(
        people.erik, number, name="../../Följesedel 4712.pdf", content_type="application/pdf", data=data
    )
    assert updated is not None
    event = updated.history[-1]
    assert (event.kind, event.author) == ("attachment", "Erik Lund")
    assert event.text.startswith("Följesedel 4712.pdf (22 bytes")
    assert hashlib.sha256(data).hexdigest() in event.text
    contoso = (await backends.requests.list_requests(people.max))[0].number
    assert (
        await backends.requests.add_document(
            people.anna, contoso, name="x.pdf", content_type="application/pdf", data=data
        )
        is None
    )


@pytest.mark.parametrize(
    ("content_type", "size"),
    [
        ("application/x-msdownload", 10),
        ("text/html", 10),
        ("application/pdf", 0),
        ("image/png", MAX_BYTES + 1),
    ],
)
async def test_a_document_of_a_refused_type_or_size_is_not_kept(
    backends: Backends, people: People, content_type: str, size: int
) -> None:
    number = (await backends.requests.list_requests(people.erik))[0].number
    with pytest.raises(InvalidRequest):
        await backends.requests.add_document(
            people.erik, number, name="f", content_type=content_type, data=b"x" * size
        )
    after = await backends.requests.get_request(people.erik, number)
    assert after is not None and all(e.kind != "attachment" for e in after.history)
