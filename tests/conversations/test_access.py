"""Access to tools: a user asks, the administrator approves or denies in chat, grants are listed and revoked.

Played through the real pipeline on the demo data: erik.lund has orders and requests only, anna.berg is
Nordisk's administrator, max.muller is made Contoso's administrator here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import insert, select, update

from supportbot.adapters.app import Application
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Reply
from supportbot.bot.notify import inbox_ref
from supportbot.integrations.sql.schema import access_requests, grants, users
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"


async def notices(app: Application, user_id: str) -> list[Reply]:
    turns = await app.store.history(inbox_ref(user_id).key)
    return [Reply.model_validate(turn.payload) for turn in turns if turn.payload]


def outbox(app: Application) -> list[EmailMessage]:
    folder = Path(app.settings.data_dir) / "outbox"
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))
    ]


def mails_to(app: Application, address: str) -> list[EmailMessage]:
    return [m for m in outbox(app) if m["To"] == address]


def body(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def press_in(conversation: Conversation, reply: Reply, label: str) -> Reply:
    """Press a button of a reply that came another way (a notice) in this conversation."""
    matches = [b for b in reply.buttons if label.lower() in b.label.lower()]
    assert matches, f"no button {label!r} in {[b.label for b in reply.buttons]}"
    return await conversation.say(matches[0].value, button=True)


async def request_invoices(bot: BotDriver) -> tuple[Conversation, str]:
    """Erik is refused an invoice, presses "Request access to invoices"; returns his chat and the number."""
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: show me invoice INV-2031
        bot:  [invoice.get]
        bot:  ~ You don't have access to invoices yet
        bot:  ~ [Request access to invoices]
        bot:  !~ 125
        bot:  !~ INV-2031
        press: Request access to invoices
        bot:  [account.access]
        bot:  ~ Anna Berg
        bot:  ~ AR-0
    """)
    number = next(
        word.strip("().,") for word in erik.last.text.split() if word.strip("().,").startswith("AR-")
    )
    return erik, number


async def test_erik_requests_invoices_and_anna_approves(bot: BotDriver, application: Application) -> None:
    erik, number = await request_invoices(bot)

    # Anna, Nordisk's administrator, has a notice with Approve / Deny (in her language) and an e-mail.
    [notice] = await notices(application, ANNA)
    assert notice.language == "sv"
    assert "Erik Lund" in notice.text and "fakturor" in notice.text and number in notice.text
    assert [b.label for b in notice.buttons] == ["Godkänn", "Avslå"]
    [mail] = mails_to(application, ANNA)
    assert number in mail["Subject"] and "Erik Lund" in mail["Subject"]
    assert "godkänn behörighetsbegäran " + number in body(mail)

    anna = bot.as_user(ANNA)
    approved = await press_in(anna, notice, "Godkänn")
    assert approved.intent == "account.access"
    assert "Erik Lund har nu behörighet till fakturor" in approved.text

    # Erik is told the same way, in the language he asked in.
    [outcome] = await notices(application, ERIK)
    assert "approved" in outcome.text and number in outcome.text and "invoices" in outcome.text
    [mail] = mails_to(application, ERIK)
    assert number in mail["Subject"] and "approved" in mail["Subject"]

    # At once (no waiting for the principal cache): the refusal is gone, the invoice is shown.
    await erik.transcript("""
        user: show me invoice INV-2031
        bot:  [invoice.get]
        bot:  !~ don't have access
        bot:  !~ Request access
        bot:  ~ INV-2031
    """)


async def test_a_request_is_not_recorded_twice(bot: BotDriver, application: Application) -> None:
    erik, number = await request_invoices(bot)
    await erik.transcript(f"""
        user: I need access to invoices
        bot:  ~ already asked
        bot:  ~ {number}
    """)
    assert len(await notices(application, ANNA)) == 1
    assert len(mails_to(application, ANNA)) == 1


async def test_anna_denies_and_deciding_twice_is_harmless(bot: BotDriver, application: Application) -> None:
    erik, number = await request_invoices(bot)
    anna = bot.as_user(ANNA)
    await anna.transcript(f"""
        user: deny access request {number}
        bot:  [account.access]
        bot:  ~ denied request {number}
        user: approve access request {number}
        bot:  ~ already denied
        bot:  ~ nothing has changed
    """)
    [outcome] = await notices(application, ERIK)
    assert "denied" in outcome.text
    assert len(mails_to(application, ERIK)) == 1
    await erik.transcript("""
        user: show me invoice INV-2031
        bot:  ~ You don't have access to invoices yet
    """)


async def test_another_company_s_admin_cannot_see_or_decide(bot: BotDriver, application: Application) -> None:
    _, number = await request_invoices(bot)
    async with application.engine.begin() as conn:
        await conn.execute(update(users).where(users.c.user_id == MAX).values(role="company_admin"))
    application.pipeline.forget_principal(MAX)
    await bot.as_user(MAX).transcript(f"""
        user: approve access request {number}
        bot:  [account.access]
        bot:  ~ can't find access request {number}
        user: {number}
        bot:  ~ can't find access request {number}
        user: show pending access requests
        bot:  ~ no access requests waiting
        user: who has access?
        bot:  !~ Erik
        bot:  ~ Max
    """)
    assert await notices(application, MAX) == []
    await bot.as_user(ERIK).transcript("""
        user: show me invoice INV-2031
        bot:  ~ You don't have access to invoices yet
    """)


async def test_non_admins_are_refused_politely(bot: BotDriver) -> None:
    _, number = await request_invoices(bot)
    await bot.as_user(ERIK).transcript(f"""
        user: approve access request {number}
        bot:  ~ Only your company's administrator
        user: who has access?
        bot:  ~ Only your company's administrator
        user: revoke anna's access to invoices
        bot:  ~ Only your company's administrator
    """)


async def test_the_tool_is_asked_for_with_buttons_for_the_missing_ones(bot: BotDriver) -> None:
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: I'm a new user, how do I get access
        bot:  [account.access]
        bot:  ~ You have access to orders and support requests
        bot:  ~ [Invoices]
        bot:  ~ [Contracts]
        bot:  !~ [Orders]
        user: contracts
        bot:  [account.access]
        bot:  ~ access to contracts
        bot:  ~ AR-0
    """)


async def test_and_another_tool_right_after_asks_for_that_one_too(bot: BotDriver) -> None:
    """ "And contracts?" right after asking for access to invoices asks for contracts the same way; it
    lists no contracts (Erik may not see them)."""
    await bot.as_user(ERIK).transcript("""
        user: how do I get access to invoices?
        bot:  [account.access]
        bot:  ~ access to invoices
        user: and contracts?
        bot:  [account.access]
        bot:  ~ access to contracts
        bot:  !~ C-1001
    """)


async def test_several_tools_in_swedish_and_one_already_held(
    bot: BotDriver, application: Application
) -> None:
    await bot.as_user(ERIK).transcript("""
        user: jag behöver behörighet till fakturor och avtal
        bot:  (sv)
        bot:  ~ fakturor och avtal
        bot:  ~ AR-0
        user: jag behöver behörighet till ordrar
        bot:  ~ Du har redan behörighet till ordrar
    """)
    [notice] = await notices(application, ANNA)
    assert "fakturor och avtal" in notice.text


async def test_admin_lists_and_revokes_grants(bot: BotDriver, application: Application) -> None:
    erik = bot.as_user(ERIK)
    await erik.transcript("""
        user: where is order 4711?
        bot:  ~ PostNord
    """)
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: who has access?
        bot:  [account.access]
        bot:  ~ Erik Lund | erik.lund@nordisk.example | user | orders and support requests
        bot:  ~ Anna Berg | anna.berg@nordisk.example | administrator
        bot:  !~ Max
        user: revoke erik's access to orders
        bot:  ~ Revoke Erik Lund's access to orders?
        press: Yes, revoke
        bot:  ~ Erik Lund no longer has access to orders
    """)
    # At once, though Erik's principal was cached a moment ago.
    await erik.transcript("""
        user: where is order 4711?
        bot:  ~ You don't have access to orders yet
        bot:  !~ PostNord
    """)
    [notice] = await notices(application, ERIK)
    assert "removed your access to orders" in notice.text or "behörighet till ordrar" in notice.text


async def test_revoking_can_be_called_off(bot: BotDriver) -> None:
    await bot.as_user(ANNA).transcript("""
        user: revoke access to orders for erik.lund@nordisk.example
        bot:  ~ Revoke Erik Lund's access to orders?
        press: No, keep it
        bot:  ~ dropped
        user: revoke access to invoices for erik.lund@nordisk.example
        bot:  ~ doesn't have access to invoices
        user: revoke access to orders for nobody@nordisk.example
        bot:  ~ can't find that user
    """)
    await bot.as_user(ERIK).transcript("""
        user: where is order 4711?
        bot:  ~ PostNord
    """)


async def test_a_guest_is_asked_to_sign_in(bot: BotDriver) -> None:
    await bot.as_guest().transcript("""
        user: I need access to invoices
        bot:  [account.access]
        bot:  ~ sign in first
    """)


# --- only a confirmed address may ask, and the administrator is told how it was verified ----------------

SOMEONE = "someone@nordisk.example"


async def register(application: Application, user_id: str, customer_number: str) -> None:
    registered = await application.backends.directory.register_user(
        user_id=user_id, name="Some One", customer_number=customer_number, password="correct horse battery"
    )
    assert registered is not None


async def test_an_unconfirmed_registration_cannot_ask_for_access(
    bot: BotDriver, application: Application
) -> None:
    await register(application, SOMEONE, "1000123")
    await bot.as_user(SOMEONE).transcript("""
        user: I need access to invoices
        bot:  [account.access]
        bot:  ~ confirm your e-mail address
        bot:  !~ AR-
        bot:  !~ Anna
    """)
    await bot.as_user(SOMEONE).transcript("""
        user: jag behöver behörighet till fakturor
        bot:  ~ bekräfta din e-postadress
    """)
    assert await notices(application, ANNA) == []
    assert mails_to(application, ANNA) == []


async def test_the_administrator_is_told_how_the_requester_was_verified(
    bot: BotDriver, application: Application
) -> None:
    # Erik is in the vendor's customer records; Anna reads Swedish.
    await request_invoices(bot)
    [notice] = await notices(application, ANNA)
    assert "Verifierad: adressen finns i vårt kundregister" in notice.text
    [mail] = mails_to(application, ANNA)
    assert "Verifierad: adressen finns i vårt kundregister" in body(mail)
    # and so does the request when she looks it up before deciding
    number = notice.text.split("(begäran ", 1)[1].split(")", 1)[0]
    await bot.as_user(ANNA).transcript(f"""
        user: visa behörighetsbegäran {number}
        bot:  ~ {number}
        bot:  ~ Verifierad: adressen finns i vårt kundregister
    """)

    # A registration confirmed by the mailed link, to an administrator who reads English.
    async with application.engine.begin() as conn:
        await conn.execute(update(users).where(users.c.user_id == MAX).values(role="company_admin"))
    application.pipeline.forget_principal(MAX)
    nora = "nora@contoso.example"
    await register(application, nora, "2000456")
    assert await application.backends.directory.confirm_email(nora)
    await bot.as_user(nora).transcript("""
        user: I need access to invoices
        bot:  ~ Max Müller
    """)
    today = Formatter("en", country="DE").date(datetime.now(UTC))
    [notice] = await notices(application, MAX)
    assert f"Verified: they confirmed their e-mail address on {today}" in notice.text
    [mail] = mails_to(application, MAX)
    assert f"Verified: they confirmed their e-mail address on {today}" in body(mail)


async def test_an_address_verified_by_slack_may_ask(bot: BotDriver, application: Application) -> None:
    await register(application, SOMEONE, "1000123")
    linked = await application.backends.directory.link_identity(
        "slack", "T1:U777", email=SOMEONE, matched_by="email"
    )
    assert linked == SOMEONE
    await bot.as_user(SOMEONE).transcript("""
        user: I need access to invoices
        bot:  ~ Anna Berg
        bot:  ~ AR-
    """)
    [notice] = await notices(application, ANNA)
    assert "Verifierad: e-postadressen bekräftades av er Slack-arbetsyta" in notice.text


async def test_a_request_of_an_unconfirmed_address_cannot_be_approved(
    bot: BotDriver, application: Application
) -> None:
    """Such as one recorded before addresses had to be confirmed: denying it still works."""
    await register(application, SOMEONE, "1000123")
    async with application.engine.begin() as conn:
        company_id = (
            await conn.execute(select(users.c.company_id).where(users.c.user_id == SOMEONE))
        ).scalar_one()
        await conn.execute(
            insert(access_requests).values(
                company_id=company_id, requester_id=SOMEONE, tools="invoices", status="pending",
                language="en", created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    await bot.as_user(ANNA).transcript("""
        user: godkänn behörighetsbegäran AR-000001
        bot:  ~ Some One har inte bekräftat sin e-postadress
        bot:  !~ har nu behörighet
        user: avslå behörighetsbegäran AR-000001
        bot:  ~ AR-000001
    """)
    assert await notices(application, SOMEONE) != []  # told of the denial
    async with application.engine.connect() as conn:
        held = (await conn.execute(select(grants).where(grants.c.user_id == SOMEONE))).all()
    assert held == []


async def test_thanks_to_which_tool_is_thanks_not_a_wrong_answer(bot: BotDriver) -> None:
    """ "Ok tack" to "Which tool do you want access to?": the customer is done, thanked back; no tool is
    asked for and the question is not put again."""
    await bot.as_user(ERIK).transcript("""
        user: hur får jag behörighet?
        bot:  [account.access]
        bot:  ~ Vilket verktyg
        user: ok tack
        bot:  [smalltalk.thanks]
        bot:  !~ kunde inte ta
    """)
