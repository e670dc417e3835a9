"""Who "me" is: the user named as recipient, a mail asked for, and the only address ever mailed to."""

from __future__ import annotations

import pytest

from supportbot.bot.nlu.recipients import to_me
from supportbot.integrations.models import Principal, Verification, VerifiedBy
from supportbot.intents.recipients import by_mail, only_me, own_address


@pytest.mark.parametrize(
    "text",
    [
        "send me invoice INV-2031",
        "email me invoice INV-2032 please",
        "forward it to me",
        "send it to my email",
        "skicka faktura INV-2031 till mig",
        "mejla mig kontoutdraget",
        "maila fakturan till min egen mejl",
    ],
)
def test_the_user_named_as_recipient(text: str) -> None:
    assert to_me(text)


@pytest.mark.parametrize(
    "text",
    [
        "can you send INV-2031 to a colleague for me",
        "kan du skicka INV-2031 till en kollega åt mig",
        "show me invoice INV-2031",
        "forward invoice INV-2031 to erik.lund@nordisk.example",
    ],
)
def test_an_errand_for_someone_else_is_not_to_me(text: str) -> None:
    assert not to_me(text)


def test_send_is_here_in_the_chat_and_mail_is_a_mail() -> None:
    assert not by_mail("send me invoice INV-2031") and not by_mail("skicka faktura INV-2031 till mig")
    assert by_mail("email me invoice INV-2031") and by_mail("mejla mig fakturan")
    assert by_mail("forward it to me") and by_mail("vidarebefordra den till mig")


@pytest.mark.parametrize("answer", ["me", "Me.", "to me", "mig", "till mig", "myself", "mig själv", "my own"])
def test_me_as_the_answer_to_which_address(answer: str) -> None:
    assert only_me(answer)
    assert not only_me("erik.lund@nordisk.example")


def test_only_a_confirmed_address_of_a_signed_in_user_is_mailed_to() -> None:
    confirmed = Principal(
        user_id="a@b.example", email="a@b.example", verification=Verification(by=VerifiedBy.EMAIL)
    )
    assert own_address(confirmed) == "a@b.example"
    assert own_address(confirmed.model_copy(update={"verification": None})) is None
    assert own_address(Principal.guest()) is None


@pytest.mark.parametrize(
    ("text", "asked_for"),
    [
        ("email me the order report", True),
        ("mejla kontoutdraget till mig", True),
        ("was the order report mailed to me?", False),
        ("har rapporten mejlats till mig än", False),
        ("has it been e-mailed yet", False),
        ("I mailed you yesterday, please mail me the statement", True),
    ],
)
def test_a_mail_asked_after_is_no_mail_asked_for(text: str, asked_for: bool) -> None:
    assert by_mail(text) is asked_for
