"""The pure parts of the contract notices: which threshold a contract has crossed, what is told of it,
the words for each kind of renewal, the interval runner that survives a failing pass, the setting."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from supportbot.adapters.background import Periodic
from supportbot.adapters.settings import Settings
from supportbot.integrations.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    Money,
    Principal,
    Role,
    Tool,
)
from supportbot.services.notices import (
    APPROVAL,
    EXPIRY,
    SIGNATURE,
    compose,
    expiry_threshold,
    notice_key,
    occasions,
)

TODAY = date(2026, 12, 3)
DAYS = (60, 30, 7)


def contract(ends_in: int, **changes: object) -> Contract:
    values: dict[str, object] = {
        "number": "C-9001",
        "customer_number": "1000123",
        "title": "Services: managed backup",
        "kind": "services",
        "status": ContractStatus.ACTIVE,
        "starts_on": date(2025, 1, 1),
        "ends_on": date.fromordinal(TODAY.toordinal() + ends_in),
        "notice_days": 60,
        "annual_value": Money(minor=4_200_000, currency="SEK"),
        "renewal": "automatic",
        "renewal_months": 12,
        "versions": (
            ContractVersion(
                version=1, created_at=datetime(2025, 1, 1, tzinfo=UTC), summary="Initial", sha256="0"
            ),
        ),
    }
    values.update(changes)
    return Contract.model_validate(values)


def user(locale: str, **changes: object) -> Principal:
    values: dict[str, object] = {
        "user_id": "anna.berg@nordisk.example",
        "name": "Anna Berg",
        "email": "anna.berg@nordisk.example",
        "company_id": 1,
        "country": "SE",
        "role": Role.USER,
        "grants": frozenset({Tool.CONTRACTS}),
        "locale": locale,
    }
    return Principal.model_validate(values | changes)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (90, None),
        (61, None),
        (60, 60),
        (55, 60),
        (31, 60),
        (30, 30),
        (25, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 7),
        (-1, None),
    ],
)
def test_the_most_pressing_threshold_crossed_is_the_one(days_left: int, threshold: int | None) -> None:
    assert expiry_threshold(days_left, DAYS) == threshold


def test_an_ended_or_terminated_contract_gets_nothing_even_with_a_version_waiting() -> None:
    waiting = ContractVersion(
        version=2,
        created_at=datetime(2026, 11, 30, tzinfo=UTC),
        summary="New",
        sha256="1",
        awaiting="signature",
    )
    assert occasions(contract(-1, versions=(waiting,)), TODAY, DAYS) == []
    assert occasions(contract(20, status=ContractStatus.TERMINATED, versions=(waiting,)), TODAY, DAYS) == []
    assert occasions(contract(20, status=ContractStatus.EXPIRED), TODAY, DAYS) == []


def test_a_contract_may_have_an_expiry_and_a_waiting_version_at_once() -> None:
    versions = (
        ContractVersion(
            version=1, created_at=datetime(2025, 1, 1, tzinfo=UTC), summary="Initial", sha256="0"
        ),
        ContractVersion(
            version=2,
            created_at=datetime(2026, 11, 30, tzinfo=UTC),
            summary="New",
            sha256="1",
            awaiting="approval",
        ),
    )
    found = occasions(contract(25, versions=versions), TODAY, DAYS)
    assert [(o.kind, o.mark) for o in found] == [(EXPIRY, 30), (APPROVAL, 2)]
    signing = versions[1].model_copy(update={"awaiting": "signature"})
    draft = contract(400, status=ContractStatus.AWAITING_SIGNATURE, versions=(signing,))
    assert [(o.kind, o.mark) for o in occasions(draft, TODAY, DAYS)] == [(SIGNATURE, 2)]


def test_an_automatic_renewal_says_it_renews_unless_cancelled_by_the_notice_date() -> None:
    (occasion,) = occasions(contract(60), TODAY, DAYS)
    english = compose(occasion, user("en"), today=TODAY, public_url="https://support.example")
    assert english.reply.text == (
        "Contract C-9001 (Services: managed backup) ends in 60 days, on 1 February 2027. It renews automatically "
        "for 12 months unless it is cancelled by 3 December 2026.\n\nAnnual value: SEK\u00a042,000.00."
    )
    swedish = compose(occasion, user("sv"), today=TODAY, public_url="https://support.example")
    assert swedish.reply.text.startswith(
        "Avtal C-9001 (Services: managed backup) löper ut om 60 dagar, den 1 februari 2027. Det förnyas "
        "automatiskt med 12 månader om det inte sägs upp senast 3 december 2026."
    )
    assert "Årligt värde: 42\u00a0000,00\u00a0SEK." in swedish.reply.text
    assert swedish.mail is not None and swedish.mail.language == "sv"
    assert "https://support.example/?ask=visa+avtal+C-9001" in swedish.mail.text


def test_the_last_day_and_no_renewal_are_said_so() -> None:
    (occasion,) = occasions(contract(0, renewal="none"), TODAY, DAYS)
    told = compose(occasion, user("en"), today=TODAY, public_url="https://support.example")
    assert told.reply.text.startswith(
        "Contract C-9001 (Services: managed backup) ends today, 3 December 2026. It will not be renewed."
    )
    (tomorrow,) = occasions(contract(1, renewal="manual"), TODAY, DAYS)
    told = compose(tomorrow, user("sv"), today=TODAY, public_url="https://support.example")
    assert "löper ut i morgon" in told.reply.text and "förnyas inte automatiskt" in told.reply.text


def test_a_user_without_an_address_is_told_in_chat_only() -> None:
    (occasion,) = occasions(contract(7), TODAY, DAYS)
    assert compose(occasion, user("en", email=None), today=TODAY, public_url="https://x.example").mail is None


def test_the_key_names_kind_contract_mark_and_user_within_the_column() -> None:
    (occasion,) = occasions(contract(25), TODAY, DAYS)
    assert (
        notice_key(occasion, "anna.berg@nordisk.example")
        == "contract.expiry:C-9001:30:anna.berg@nordisk.example"
    )
    long = "a" * 240 + "@x.example"
    key = notice_key(occasion, long)
    assert len(key) <= 255 and key.startswith("contract.expiry:C-9001:30:") and long not in key


def test_the_thresholds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTBOT_CONTRACT_NOTICE_DAYS", "30, 90,14")
    assert Settings().contract_notice_days == (90, 30, 14)
    monkeypatch.setenv("SUPPORTBOT_CONTRACT_NOTICE_DAYS", "30,soon")
    with pytest.raises(ValueError, match="whole numbers of days"):
        Settings()


async def test_a_failing_pass_is_logged_and_the_next_one_comes() -> None:
    calls = 0
    second = asyncio.Event()

    async def work() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the back end is down")
        second.set()

    periodic = Periodic("test-passes", work, every=0.01, first=0)
    periodic.start()
    await asyncio.wait_for(second.wait(), timeout=10)
    await periodic.stop()
    assert calls >= 2 and periodic.passes >= 2
    await periodic.stop()  # stopping twice is harmless


async def test_stopping_before_the_first_pass_runs_none() -> None:
    ran: list[int] = []

    async def work() -> None:
        ran.append(1)

    periodic = Periodic("test-passes", work, every=3600, first=3600)
    periodic.start()
    await periodic.stop()
    assert ran == [] and periodic.passes == 0


async def test_a_pass_still_running_at_shutdown_is_cancelled_after_the_timeout() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def work() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # a pass that never ends by itself
        except asyncio.CancelledError:
            cancelled.set()
            raise

    periodic = Periodic("test-passes", work, every=3600, first=0)
    periodic.start()
    await asyncio.wait_for(started.wait(), timeout=10)
    await periodic.stop(timeout=0.01)
    assert cancelled.is_set()
