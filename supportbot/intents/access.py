"""``account.access``: asking for tools, and the administrator's side of it, as sub-actions of one intent.

A user asks for tools ("I need access to invoices and contracts"); the request is recorded and every
administrator of the company gets a notice with Approve / Deny buttons and an e-mail. The buttons'
values are ordinary sentences ("approve access request AR-000012") that come back here, so the
catalogue keeps its one intent. An administrator may also list who has access and revoke it (after a
confirming button). Which sub-action a message is, is read from its words and entities, in order:
an AR number with approve/deny words decides, one without shows the request; revoke words revoke;
"pending requests" lists those; "who has access" lists grants; anything else asks for tools.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Button, Card, Field, Reply, Table
from supportbot.bot.nlu.text import fold
from supportbot.bot.spec import Slot, TurnContext
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import AddressNotConfirmed, MailUnavailable, NotAdministrator
from supportbot.integrations.models import (
    AccessOutcome,
    AccessRequest,
    AccessRequestStatus,
    CompanyUser,
    Principal,
    Role,
    Tool,
    Verification,
)
from supportbot.integrations.protocols import AccessBackend
from supportbot.intents.common import not_connected

log = logging.getLogger(__name__)

INTENT = "account.access"

ACCESS_SLOTS = (
    Slot("tools", ("tool",), question="access.ask_tool.short", required=False, carry=False),
    Slot("confirm", (), question="access.revoke.confirm.short", required=False, carry=False),
)
"""Both optional: the handler asks for them itself (``ctx.ask``), with buttons, only when it needs them."""

_WORDS = re.compile(r"[^\W\d_]+")
_APPROVE = frozenset({"approve", "approved", "accept", "grant", "godkann", "godkand", "bevilja", "beviljar"})
_DENY = frozenset({"deny", "denied", "reject", "decline", "refuse", "avsla", "neka", "avvisa"})
_REVOKE = frozenset({"revoke", "remove", "withdraw", "aterkalla", "aterkallar"})
_REVOKE_PHRASES = ("take away", "ta bort", "dra in", "dra tillbaka")
_CONFIRM = frozenset({"confirm", "bekrafta"})
_PENDING = frozenset({"pending", "waiting", "open", "vantande", "vantar", "oppna"})
_REQUESTS = frozenset(
    {"request", "requests", "begaran", "begaranden", "behorighetsbegaran", "behorighetsbegaranden"}
)
_LIST = frozenset(
    {"who", "vem", "vilka", "list", "lista", "grants", "overview", "oversikt", "users", "anvandare"}
)


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORDS.findall(text)]


async def handle_access(ctx: TurnContext) -> Reply:
    access = ctx.backends.access
    if access is None:
        return await not_connected(ctx)
    if ctx.principal.is_guest:
        return ctx.reply(ctx.t("access.sign_in"))
    words = _words(ctx.parse.text)
    wordset = set(words)
    folded = " ".join(words)
    number = ctx.parse.first("access_request_number")
    if number is not None:
        if wordset & _DENY:
            return await _decide(ctx, access, str(number.value), approve=False)
        if wordset & _APPROVE:
            return await _decide(ctx, access, str(number.value), approve=True)
        return await _show(ctx, access, str(number.value))
    if wordset & _REVOKE or any(phrase in folded for phrase in _REVOKE_PHRASES):
        return await _revoke(ctx, access, confirmed=bool(words and words[0] in _CONFIRM))
    if wordset & _PENDING and wordset & _REQUESTS:
        return await _pending(ctx, access)
    if wordset & _LIST and not ctx.parse.values("tool"):
        return await _grants(ctx, access)
    return await _request(ctx, access)


# --- asking for tools -------------------------------------------------------------------------------


def _tools_asked(ctx: TurnContext) -> list[Tool]:
    values = [str(v) for v in ctx.parse.values("tool")]
    slot = ctx.slot("tools")
    if not values and slot is not None:
        values = [str(slot.value)]
    if "all" in values:
        return list(Tool)
    return [tool for tool in Tool if tool.value in values]


async def _request(ctx: TurnContext, access: AccessBackend) -> Reply:
    principal = ctx.principal
    if principal.verification is None:
        # A registration whose address is unconfirmed: nobody is asked until its owner opened the link.
        return ctx.reply(ctx.t("access.unconfirmed"))
    other = next((str(e) for e in ctx.parse.values("email") if str(e) != principal.user_id), None)
    if other is not None:
        return ctx.reply(ctx.t("access.for_other", user=other))
    lacking = [tool for tool in Tool if not principal.may(tool)]
    asked = _tools_asked(ctx)
    if not asked:
        if not lacking:
            return ctx.reply(ctx.t("access.has_all"))
        have = [tool for tool in Tool if principal.may(tool)]
        text = (
            ctx.t("access.ask_tool", tools=tool_list(ctx.fmt, have))
            if have
            else ctx.t("access.ask_tool.none")
        )
        ctx.ask("tools")
        return ctx.reply(text, buttons=tuple(_request_button(ctx.fmt, tool) for tool in lacking))
    wanted = [tool for tool in asked if tool in lacking]
    if not wanted:
        return ctx.reply(ctx.t("access.already", tools=tool_list(ctx.fmt, asked)))
    admins = [admin for admin in await access.company_admins(principal) if admin.user_id != principal.user_id]
    if not admins:
        return ctx.reply(ctx.t("access.no_admin", email=ctx.extra.get("support_email", "")))

    def to_admins(outcome: AccessOutcome) -> list[Mail]:
        return [_admin_mail(ctx, admin, outcome.request) for admin in admins] if outcome.changed else []

    # The request and the administrators' mail are one action: both or neither, once per message.
    try:
        outcome = await access.request_access(
            principal, wanted, language=ctx.language, action=ctx.action(to_admins)
        )
    except AddressNotConfirmed:
        return ctx.reply(ctx.t("access.unconfirmed"))
    request = outcome.request
    names = tool_list(ctx.fmt, request.tools)
    admin_names = ", ".join(admin.name for admin in admins)
    if not outcome.changed:
        return ctx.reply(
            ctx.t("access.already_requested", tools=names, number=request.number, admins=admin_names),
        )
    for admin in admins:
        await _notify(ctx, admin.user_id, _admin_notice(ctx, admin, request))
    return ctx.reply(ctx.t("access.requested", tools=names, number=request.number, admins=admin_names))


def _admin_notice(ctx: TurnContext, admin: CompanyUser, request: AccessRequest) -> Reply:
    """A notice with Approve / Deny in the administrator's channel, in their language."""
    fmt = Formatter(admin.locale, country=ctx.principal.country)
    params = {"name": request.requester_name, "email": request.requester_id, "number": request.number}
    verified = verified_line(fmt, request.requester_verification)
    return Reply(
        text=fmt.t("access.notice.request", tools=tool_list(fmt, request.tools), verified=verified, **params),
        buttons=(
            Button(
                label=fmt.t("access.button.approve"),
                value=fmt.t("access.button.approve.value", number=request.number),
            ),
            Button(
                label=fmt.t("access.button.deny"),
                value=fmt.t("access.button.deny.value", number=request.number),
            ),
        ),
        language=fmt.language,
        intent=INTENT,
    )


def _admin_mail(ctx: TurnContext, admin: CompanyUser, request: AccessRequest) -> Mail:
    """The e-mail that tells the administrator, in their language; queued with the request itself."""
    fmt = Formatter(admin.locale, country=ctx.principal.country)
    tools = tool_list(fmt, request.tools)
    params = {"name": request.requester_name, "email": request.requester_id, "number": request.number}
    verified = verified_line(fmt, request.requester_verification)
    return Mail(
        to=admin.email,
        subject=fmt.t("access.mail.request.subject", **params),
        text=fmt.t(
            "access.mail.request.body",
            admin=admin.name,
            tools=tools,
            url=ctx.public_url,
            verified=verified,
            **params,
        ),
        language=fmt.language,
    )


# --- the administrator's side ------------------------------------------------------------------------


def _is_admin(principal: Principal) -> bool:
    return principal.role is Role.COMPANY_ADMIN


async def _decide(ctx: TurnContext, access: AccessBackend, number: str, *, approve: bool) -> Reply:
    if not _is_admin(ctx.principal):
        return ctx.reply(ctx.t("access.admin_only"))
    try:
        outcome = await access.decide(ctx.principal, number, approve=approve)
    except NotAdministrator:
        return ctx.reply(ctx.t("access.admin_only"))
    except AddressNotConfirmed:
        shown = await access.get_access_request(ctx.principal, number)
        name = shown.requester_name if shown is not None else number
        return ctx.reply(ctx.t("access.unconfirmed_requester", name=name, number=number))
    if outcome is None:
        return ctx.reply(ctx.t("access.not_found", number=number))
    request = outcome.request
    tools = tool_list(ctx.fmt, request.tools)
    if not outcome.changed:
        return ctx.reply(
            ctx.t(
                "access.already_decided",
                number=request.number,
                status=ctx.t(f"access.status.{request.status.value}"),
                when=ctx.fmt.datetime(request.decided_at),
            ),
        )
    if request.status is AccessRequestStatus.APPROVED and ctx.notices is not None:
        await ctx.notices.principal_changed(request.requester_id)
    await _tell_requester(ctx, request)
    key = "access.approved" if request.status is AccessRequestStatus.APPROVED else "access.denied"
    text = ctx.t(key, name=request.requester_name, tools=tools, number=request.number)
    return ctx.reply(text, buttons=(_who_button(ctx.fmt),))


async def _tell_requester(ctx: TurnContext, request: AccessRequest) -> None:
    """The outcome, in the language the user asked in: a notice and an e-mail."""
    fmt = Formatter(request.language, country=ctx.principal.country)
    approved = request.status is AccessRequestStatus.APPROVED
    text = fmt.t(
        "access.notice.approved" if approved else "access.notice.denied",
        admin=ctx.principal.name,
        number=request.number,
        tools=tool_list(fmt, request.tools),
    )
    await _notify(ctx, request.requester_id, Reply(text=text, language=fmt.language, intent=INTENT))
    status = fmt.t(f"access.status.{request.status.value}")
    await _mail(
        ctx,
        to=request.requester_id,
        subject=fmt.t("access.mail.outcome.subject", number=request.number, status=status),
        text=fmt.t("access.mail.outcome.body", name=request.requester_name, notice=text, url=ctx.public_url),
        language=fmt.language,
    )


async def _show(ctx: TurnContext, access: AccessBackend, number: str) -> Reply:
    request = await access.get_access_request(ctx.principal, number)
    if request is None:
        return ctx.reply(ctx.t("access.not_found", number=number))
    text = ctx.t(
        "access.status",
        number=request.number,
        name=request.requester_name,
        tools=tool_list(ctx.fmt, request.tools),
        status=ctx.t(f"access.status.{request.status.value}"),
    )
    buttons: tuple[Button, ...] = ()
    if request.status is AccessRequestStatus.PENDING and _is_admin(ctx.principal):
        # The administrator about to decide is told how the requester's address is verified.
        text = f"{text}\n{verified_line(ctx.fmt, request.requester_verification)}"
        buttons = _decision_buttons(ctx.fmt, request.number)
    return ctx.reply(text, buttons=buttons)


async def _pending(ctx: TurnContext, access: AccessBackend) -> Reply:
    if not _is_admin(ctx.principal):
        return ctx.reply(ctx.t("access.admin_only"))
    try:
        requests = await access.pending_for_admin(ctx.principal)
    except NotAdministrator:
        return ctx.reply(ctx.t("access.admin_only"))
    if not requests:
        return ctx.reply(ctx.t("access.pending.none"))
    cards = tuple(
        Card(
            title=ctx.t("access.pending.card", number=r.number, name=r.requester_name),
            subtitle=r.requester_id,
            fields=(
                Field(label=ctx.t("access.field.tools"), value=tool_list(ctx.fmt, r.tools)),
                Field(label=ctx.t("access.field.asked"), value=ctx.fmt.datetime(r.created_at)),
                Field(
                    label=ctx.t("access.field.verified"),
                    value=verified_line(ctx.fmt, r.requester_verification),
                ),
            ),
            buttons=_decision_buttons(ctx.fmt, r.number),
        )
        for r in requests[:10]
    )
    return ctx.reply(ctx.t("access.pending.list"), cards=cards)


async def _grants(ctx: TurnContext, access: AccessBackend) -> Reply:
    if not _is_admin(ctx.principal):
        return ctx.reply(ctx.t("access.admin_only"))
    try:
        people = await access.list_grants(ctx.principal)
    except NotAdministrator:
        return ctx.reply(ctx.t("access.admin_only"))
    table = Table(
        columns=(
            ctx.t("access.col.user"),
            ctx.t("access.col.email"),
            ctx.t("access.col.role"),
            ctx.t("access.col.tools"),
        ),
        rows=tuple(
            (
                person.name,
                person.email,
                ctx.t(f"access.role.{person.role.value}")
                if person.role in {Role.COMPANY_ADMIN, Role.USER}
                else person.role.value,
                tool_list(ctx.fmt, [t for t in Tool if t in person.grants]) or ctx.t("access.tools.none"),
            )
            for person in people
        ),
    )
    company = ctx.principal.company_name or ""
    return ctx.reply(ctx.t("access.grants.title", company=company), table=table)


async def _revoke(ctx: TurnContext, access: AccessBackend, *, confirmed: bool) -> Reply:
    if not _is_admin(ctx.principal):
        return ctx.reply(ctx.t("access.admin_only"))
    try:
        people = await access.list_grants(ctx.principal)
    except NotAdministrator:
        return ctx.reply(ctx.t("access.admin_only"))
    matches = _users_named(ctx, people)
    if not matches:
        key = "access.revoke.unknown_user" if _names_someone(ctx) else "access.revoke.ask_user"
        return ctx.reply(ctx.t(key))
    if len(matches) > 1:
        names = ", ".join(f"{p.name} ({p.email})" for p in matches)
        return ctx.reply(ctx.t("access.revoke.ambiguous", names=names))
    person = matches[0]
    held = [tool for tool in Tool if tool in person.grants]
    asked = _tools_asked(ctx)
    if not asked:
        if not held:
            return ctx.reply(
                ctx.t("access.revoke.nothing", name=person.name, tools=ctx.t("access.tools.none")),
            )
        buttons = tuple(
            Button(
                label=ctx.t("access.button.revoke", tool=ctx.t(f"tool.{tool.value}")),
                value=ctx.t(
                    "access.button.revoke.value", tools=ctx.t(f"tool.{tool.value}"), user=person.email
                ),
            )
            for tool in held
        )
        text = ctx.t("access.revoke.ask_tool", name=person.name, tools=tool_list(ctx.fmt, held))
        return ctx.reply(text, buttons=buttons)
    to_take = [tool for tool in asked if tool in held]
    if not to_take:
        return ctx.reply(
            ctx.t("access.revoke.nothing", name=person.name, tools=tool_list(ctx.fmt, asked)),
        )
    tools = tool_list(ctx.fmt, to_take)
    if not confirmed:
        ctx.ask("confirm")
        return ctx.reply(
            ctx.t("access.revoke.confirm", name=person.name, tools=tools),
            buttons=(
                Button(
                    label=ctx.t("access.button.confirm_revoke"),
                    value=ctx.t("access.button.confirm_revoke.value", tools=tools, user=person.email),
                ),
                Button(label=ctx.t("access.button.keep"), value=ctx.t("access.button.keep.value")),
            ),
        )
    taken = [tool for tool in to_take if await access.revoke(ctx.principal, person.user_id, tool)]
    if not taken:
        return ctx.reply(ctx.t("access.revoke.nothing", name=person.name, tools=tools))
    if ctx.notices is not None:
        await ctx.notices.principal_changed(person.user_id)
        fmt = Formatter(person.locale, country=ctx.principal.country)
        notice = fmt.t("access.notice.revoked", admin=ctx.principal.name, tools=tool_list(fmt, taken))
        await _notify(ctx, person.user_id, Reply(text=notice, language=fmt.language, intent=INTENT))
    text = ctx.t("access.revoked", name=person.name, tools=tool_list(ctx.fmt, taken))
    return ctx.reply(text, buttons=(_who_button(ctx.fmt),))


def _users_named(ctx: TurnContext, people: Sequence[CompanyUser]) -> list[CompanyUser]:
    """The company's users the message names: by e-mail, else by first name, full name or e-mail's start."""
    emails = {str(e).lower() for e in ctx.parse.values("email")}
    if emails:
        return [p for p in people if p.user_id in emails]
    words = set(_words(ctx.parse.text))
    text = f" {' '.join(_words(ctx.parse.text))} "
    found = []
    for person in people:
        name = " ".join(_words(person.name))
        first = name.split(" ", 1)[0]
        local = " ".join(_words(person.user_id.split("@", 1)[0]))
        if (
            f" {name} " in text
            or f" {local} " in text
            or (first and (first in words or f"{first}s" in words))
        ):
            found.append(person)
    return found


def _names_someone(ctx: TurnContext) -> bool:
    return bool(ctx.parse.values("email"))


# --- shared ----------------------------------------------------------------------------------------------


def tool_list(fmt: Formatter, tools: Sequence[Tool]) -> str:
    """ "invoices and contracts", "fakturor, avtal och kontoutdrag"."""
    names = [fmt.t(f"tool.{tool.value}") for tool in tools]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + fmt.t("access.and") + names[-1]


def verified_line(fmt: Formatter, verification: Verification | None) -> str:
    """How the requester's address is verified, for the administrator who decides: "Verified: they
    confirmed their e-mail address on 3 December 2026"."""
    if verification is None:
        return fmt.t("access.verified.none")
    return fmt.t(f"access.verified.{verification.by.value}", date=fmt.date(verification.at))


def _request_button(fmt: Formatter, tool: Tool) -> Button:
    name = fmt.t(f"tool.{tool.value}")
    return Button(label=name[:1].upper() + name[1:], value=fmt.t("access.button.request.value", tool=name))


def _decision_buttons(fmt: Formatter, number: str) -> tuple[Button, ...]:
    return (
        Button(
            label=fmt.t("access.button.approve"), value=fmt.t("access.button.approve.value", number=number)
        ),
        Button(label=fmt.t("access.button.deny"), value=fmt.t("access.button.deny.value", number=number)),
    )


def _who_button(fmt: Formatter) -> Button:
    return Button(
        label=fmt.t("access.button.who_has_access"), value=fmt.t("access.button.who_has_access.value")
    )


async def _notify(ctx: TurnContext, user_id: str, reply: Reply) -> None:
    """A failed notice is logged, not fatal: what it says is recorded, and the e-mail may still arrive."""
    if ctx.notices is None:
        return
    try:
        await ctx.notices.notify(user_id, reply)
    except Exception:
        log.exception("access: could not deliver a notice to %s", user_id)


async def _mail(ctx: TurnContext, *, to: str, subject: str, text: str, language: str) -> None:
    try:
        await ctx.mailer.send(to=to, subject=subject, text=text, language=language)
    except MailUnavailable:
        log.warning("access: could not mail %s", to)
