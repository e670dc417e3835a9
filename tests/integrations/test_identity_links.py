"""One user id across channels: a channel's person is linked once by verified e-mail, then known."""

from __future__ import annotations

from supportbot.bot.identity import IdentityResolver
from supportbot.integrations.protocols import Backends


class EmailCalls:
    def __init__(self, address: str | None) -> None:
        self.address = address
        self.calls = 0

    async def __call__(self) -> str | None:
        self.calls += 1
        return self.address


async def test_a_slack_user_is_linked_by_e_mail_once(backends: Backends) -> None:
    resolver = IdentityResolver(backends.directory)
    lookup = EmailCalls("Anna.Berg@Nordisk.example")
    assert (
        await resolver.resolve("slack", "T1:U111", email=lookup, matched_by="email")
        == "anna.berg@nordisk.example"
    )
    assert (
        await resolver.resolve("slack", "T1:U111", email=lookup, matched_by="email")
        == "anna.berg@nordisk.example"
    )
    assert lookup.calls == 1, "the channel is asked once; the link answers after that"

    restarted = IdentityResolver(backends.directory)
    never = EmailCalls(None)
    assert (
        await restarted.resolve("slack", "T1:U111", email=never, matched_by="email")
        == "anna.berg@nordisk.example"
    )
    assert never.calls == 0, "the link is stored, not only remembered"
    assert await backends.directory.linked_user("slack", "T1:U111") == "anna.berg@nordisk.example"


async def test_the_same_person_in_teams_is_the_same_user(backends: Backends) -> None:
    resolver = IdentityResolver(backends.directory)
    slack = await resolver.resolve(
        "slack", "T1:U222", email=EmailCalls("erik.lund@nordisk.example"), matched_by="email"
    )
    teams = await resolver.resolve(
        "teams", "aad-0001", email=EmailCalls("erik.lund@nordisk.example"), matched_by="upn"
    )
    assert slack == teams == "erik.lund@nordisk.example"


async def test_nobody_matched_is_a_guest_and_nothing_is_stored(backends: Backends) -> None:
    now = [0.0]
    resolver = IdentityResolver(backends.directory, guest_ttl=60, clock=lambda: now[0])
    stranger = EmailCalls("stranger@elsewhere.example")
    assert await resolver.resolve("slack", "T9:U999", email=stranger, matched_by="email") is None
    assert await resolver.resolve("slack", "T9:U999", email=stranger, matched_by="email") is None
    assert stranger.calls == 1, "a guest is not looked up on every message"
    assert await backends.directory.linked_user("slack", "T9:U999") is None
    now[0] = 61.0
    assert await resolver.resolve("slack", "T9:U999", email=EmailCalls(None), matched_by="email") is None


async def test_a_link_is_per_channel_id(backends: Backends) -> None:
    resolver = IdentityResolver(backends.directory)
    await resolver.resolve(
        "slack", "T1:U333", email=EmailCalls("max.muller@contoso.example"), matched_by="email"
    )
    assert await backends.directory.linked_user("teams", "T1:U333") is None
    assert await backends.directory.linked_user("slack", "T1:U334") is None


async def test_the_channel_ids_of_a_user_reach_them_there(backends: Backends) -> None:
    resolver = IdentityResolver(backends.directory)
    await resolver.resolve(
        "slack", "T1:U444", email=EmailCalls("anna.berg@nordisk.example"), matched_by="email"
    )
    await resolver.resolve(
        "slack", "T2:U555", email=EmailCalls("anna.berg@nordisk.example"), matched_by="email"
    )
    assert list(await backends.directory.linked_ids("Anna.Berg@nordisk.example", "slack")) == [
        "T1:U444",
        "T2:U555",
    ]
    assert list(await backends.directory.linked_ids("anna.berg@nordisk.example", "teams")) == []
