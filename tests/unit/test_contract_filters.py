"""The tricky parts of the contracts family: what a message filters a contract list by, which number
and version it names, and the last day to give notice."""

from __future__ import annotations

from datetime import date

import pytest

from supportbot.bot.i18n import Formatter
from supportbot.integrations.models import Contract, ContractStatus, Money
from supportbot.intents.contracts import ContractFilters, contract_filters, said_number, said_version
from supportbot.services.contract_pdf import contract_terms, notice_by, renewal_words

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("which contracts expire in the next 60 days", 60),
        ("contracts expiring within 30 days", 30),
        ("vilka avtal går ut inom 60 dagar", 60),
        ("avtal som löper ut de närmaste 14 dagarna", 14),
        ("contracts ending in the next 2 weeks", 14),
        ("avtal som går ut inom 3 månader", 90),
        ("which contracts expire soon", 90),
        ("vilka avtal går ut snart", 90),
        ("any contracts up for renewal", 90),
        ("list contracts expiring this year", (date(2026, 12, 31) - TODAY).days),
        ("show expired contracts", None),  # ended already: a status, not an end to come
        ("show my contracts", None),
    ],
)
def test_how_soon_a_contract_ends(text: str, days: int | None) -> None:
    assert contract_filters(text, today=TODAY).ending_within == days


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("show our maintenance contracts", ("hardware_maintenance",)),
        ("visa våra underhållsavtal", ("hardware_maintenance",)),
        ("list our leases", ("lease",)),
        ("lista våra leasingavtal", ("lease",)),
        ("search contracts for software subscription", ("software_subscription",)),
        ("sök avtal om mjukvaruprenumeration", ("software_subscription",)),
        ("show our services contracts", ("services",)),
        ("visa våra tjänsteavtal", ("services",)),
        ("what service level does our contract give us", ()),
    ],
)
def test_the_kind_in_both_languages(text: str, kinds: tuple[str, ...]) -> None:
    assert contract_filters(text, today=TODAY).kinds == kinds


@pytest.mark.parametrize(
    ("text", "statuses", "awaiting"),
    [
        ("list active agreements", (ContractStatus.ACTIVE,), ()),
        ("lista aktiva avtal", (ContractStatus.ACTIVE,), ()),
        ("show expired contracts", (ContractStatus.EXPIRED,), ()),
        ("visa utgångna avtal", (ContractStatus.EXPIRED,), ()),
        ("contracts awaiting our signature", (), ("signature",)),
        ("avtal som väntar på vår underskrift", (), ("signature",)),
        ("which contracts are waiting for approval", (), ("approval",)),
        ("vilka avtal väntar på godkännande", (), ("approval",)),
        ("which contracts need action from us", (), ("approval", "signature")),
        ("vilka avtal kräver åtgärd från oss", (), ("approval", "signature")),
        # Ending soon means active: the status is not said twice.
        ("active contracts expiring in the next 30 days", (), ()),
    ],
)
def test_status_and_what_waits_for_the_customer(
    text: str, statuses: tuple[ContractStatus, ...], awaiting: tuple[str, ...]
) -> None:
    found = contract_filters(text, today=TODAY)
    assert (found.statuses, found.awaiting) == (statuses, awaiting)


def test_filters_survive_the_conversation_state() -> None:
    said = contract_filters("active leases at Kista ending within 30 days", today=TODAY, site="Kista")
    assert said and ContractFilters.from_dict(said.as_dict()) == said
    assert not contract_filters("show my contracts", today=TODAY)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("status of kontrakt 1001", "C-1001"),
        ("status of kontrak 1001", "C-1001"),
        ("contrat 1001", "C-1001"),
        ("contarct nr 1004", "C-1004"),
        ("avtl C-1001 status", "C-1001"),
        ("agreement number 2001", "C-2001"),
        ("cost 1001", None),
        ("can 1001 be renewed", None),
    ],
)
def test_a_number_after_a_misspelt_word_for_contract(text: str, number: str | None) -> None:
    assert said_number(text) == number


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("pdf of contract C-1001 version 1", 1),
        ("pdf av avtal C-1001 version 2", 2),
        ("get v2 of the contract", 2),
        ("what was different in the first version of C-1001", 1),
        ("vad var annorlunda i första versionen", 1),
        ("pdf of contract C-1001", None),
    ],
)
def test_the_version_named(text: str, version: int | None) -> None:
    assert said_version(text) == version


def _contract(**changes: object) -> Contract:
    values: dict[str, object] = {
        "number": "C-1001",
        "customer_number": "1000123",
        "title": "Maintenance",
        "kind": "hardware_maintenance",
        "status": ContractStatus.ACTIVE,
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2027, 3, 1),
        "notice_days": 30,
        "annual_value": Money(minor=9_600_000, currency="SEK"),
    }
    values.update(changes)
    return Contract.model_validate(values)


def test_the_last_day_to_give_notice_counts_back_over_month_ends() -> None:
    assert notice_by(_contract()) == date(2027, 1, 30)  # February is short
    assert notice_by(_contract(ends_on=date(2028, 3, 1), notice_days=90)) == date(2027, 12, 2)  # a leap year
    assert notice_by(_contract(notice_days=0)) == date(2027, 3, 1)


def test_terms_are_words_in_the_customer_language_never_raw_values() -> None:
    sv = Formatter("sv", country="SE")
    contract = _contract(renewal="automatic", renewal_months=12, site="Kista")
    terms = dict(contract_terms(sv, contract))
    assert terms["Typ"] == "Hårdvaruunderhåll"
    assert terms["Förlängning"] == "Förlängs automatiskt med 12 månader om det inte sägs upp"
    assert terms["Sista dag för uppsägning"] == "30 januari 2027"
    assert terms["Årsvärde"].replace("\u00a0", " ") == "96 000,00 SEK"
    shown = " ".join(terms.values())
    assert "hardware_maintenance" not in shown and "automatic" not in shown
    en = Formatter("en")
    assert renewal_words(en, _contract(renewal="automatic", renewal_months=1)).endswith(
        "1 month unless notice is given"
    )
    assert renewal_words(en, _contract(renewal="none")).startswith("none")
