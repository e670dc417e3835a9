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

from supportbot.bot.i18n import Entry, Formatter, words
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

log = logging.getLogger(__name__)

INTENT = "account.access"

ACCESS_SLOTS = (
    Slot("tools", ("tool",), question="access.ask_tool.short", required=False, carry=False),
    Slot("confirm", (), question="access.revoke.confirm.short", required=False, carry=False),
)
"""Both optional: the handler asks for them itself (``ctx.ask``), with buttons, only when it needs them."""


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "access.sign_in": {
        "en": "Please sign in first. Then I can ask your company's administrator to give you access "
        "to the tools you need.",
        "sv": "Logga in först. Sedan kan jag be ert företags administratör att ge dig behörighet "
        "till de verktyg du behöver.",
    },
    "access.ask_tool": {
        "en": "You have access to {tools}. Which tool would you like access to?",
        "sv": "Du har behörighet till {tools}. Vilket verktyg vill du ha behörighet till?",
    },
    "access.ask_tool.none": {
        "en": "You don't have access to any tool yet. Which one would you like access to?",
        "sv": "Du har inte behörighet till något verktyg ännu. Vilket vill du ha behörighet till?",
    },
    "access.ask_tool.short": {
        "en": "Which tool would you like access to?",
        "sv": "Vilket verktyg vill du ha behörighet till?",
    },
    "access.has_all": {
        "en": "You already have access to every tool: orders, invoices, account statements, contracts, "
        "installed equipment and support requests.",
        "sv": "Du har redan behörighet till alla verktyg: ordrar, fakturor, kontoutdrag, avtal, "
        "installerad utrustning och ärenden.",
    },
    "access.already": {
        "en": "You already have access to {tools}.",
        "sv": "Du har redan behörighet till {tools}.",
    },
    "access.requested": {
        "en": "I've asked your company's administrator ({admins}) to give you access to {tools} "
        "(request {number}). I'll let you know here and by e-mail when they have decided.",
        "sv": "Jag har bett ert företags administratör ({admins}) att ge dig behörighet till {tools} "
        "(begäran {number}). Jag hör av mig här och via e-post när de har bestämt sig.",
    },
    "access.already_requested": {
        "en": "You've already asked for access to {tools} (request {number}); it's waiting for {admins}. "
        "I'll let you know when they have decided.",
        "sv": "Du har redan begärt behörighet till {tools} (begäran {number}); den väntar på {admins}. "
        "Jag hör av mig när de har bestämt sig.",
    },
    "access.no_admin": {
        "en": "Your company has no administrator registered with us who could grant access, so there is "
        "no one I can ask. Please contact our support at {email}.",
        "sv": "Ert företag har ingen administratör registrerad hos oss som kan ge behörighet, så det finns "
        "ingen jag kan fråga. Kontakta vår support på {email}.",
    },
    "access.for_other": {
        "en": "I can only ask for access for you yourself. {user} can ask me for access, and the "
        "administrator then approves it here.",
        "sv": "Jag kan bara begära behörighet åt dig själv. {user} kan be mig om behörighet, och "
        "administratören godkänner den sedan här.",
    },
    "access.admin_only": {
        "en": "Only your company's administrator can do that. I can ask them for access for you, if you "
        "need it.",
        "sv": "Det kan bara ert företags administratör göra. Jag kan be dem om behörighet åt dig om du "
        "behöver det.",
    },
    "access.notice.request": {
        "en": "{name} ({email}) asks for access to {tools} (request {number}).\n{verified}",
        "sv": "{name} ({email}) ber om behörighet till {tools} (begäran {number}).\n{verified}",
    },
    "access.unconfirmed": {
        "en": "Before I can ask your administrator for access, please confirm your e-mail address: open "
        "the link in the mail we sent you when you registered. Then ask me again.",
        "sv": "Innan jag kan be er administratör om behörighet behöver du bekräfta din e-postadress: öppna "
        "länken i mejlet vi skickade när du registrerade dig. Fråga mig sedan igen.",
    },
    "access.unconfirmed_requester": {
        "en": "{name} has not confirmed their e-mail address, so I cannot grant request {number}. You can "
        "deny it, or approve it once they have confirmed the address.",
        "sv": "{name} har inte bekräftat sin e-postadress, så jag kan inte bevilja begäran {number}. Du kan "
        "avslå den, eller godkänna den när adressen är bekräftad.",
    },
    "access.verified.directory": {
        "en": "Verified: the address is in our customer records.",
        "sv": "Verifierad: adressen finns i vårt kundregister.",
    },
    "access.verified.email": {
        "en": "Verified: they confirmed their e-mail address on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades den {date}.",
    },
    "access.verified.slack": {
        "en": "Verified: their e-mail address was confirmed by their Slack workspace on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades av er Slack-arbetsyta den {date}.",
    },
    "access.verified.teams": {
        "en": "Verified: their e-mail address was confirmed by their Microsoft Teams sign-in on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades av inloggningen i Microsoft Teams den {date}.",
    },
    "access.verified.none": {
        "en": "Not verified: the e-mail address has not been confirmed.",
        "sv": "Inte verifierad: e-postadressen är inte bekräftad.",
    },
    "access.field.verified": {"en": "Verified", "sv": "Verifierad"},
    "access.button.approve": {"en": "Approve", "sv": "Godkänn"},
    "access.button.approve.value": {
        "en": "approve access request {number}",
        "sv": "godkänn behörighetsbegäran {number}",
    },
    "access.button.deny": {"en": "Deny", "sv": "Avslå"},
    "access.button.deny.value": {
        "en": "deny access request {number}",
        "sv": "avslå behörighetsbegäran {number}",
    },
    "access.mail.request.subject": {
        "en": "Access request {number} from {name}",
        "sv": "Behörighetsbegäran {number} från {name}",
    },
    "access.mail.request.body": {
        "en": "Hello {admin},\n\n{name} ({email}) asks for access to {tools} (request {number}).\n"
        "{verified}\n\n"
        'Open the support chat to approve or deny it: {url}\nThere, say "approve access request {number}" '
        'or "deny access request {number}", or press the button in the notice.\n\n'
        "Best regards,\nCustomer support",
        "sv": "Hej {admin},\n\n{name} ({email}) ber om behörighet till {tools} (begäran {number}).\n"
        "{verified}\n\n"
        'Öppna supportchatten för att godkänna eller avslå: {url}\nSkriv där "godkänn behörighetsbegäran '
        '{number}" eller "avslå behörighetsbegäran {number}", eller tryck på knappen i meddelandet.\n\n'
        "Vänliga hälsningar,\nKundsupport",
    },
    "access.approved": {
        "en": "Done: {name} now has access to {tools} (request {number}). I've let them know.",
        "sv": "Klart: {name} har nu behörighet till {tools} (begäran {number}). Jag har meddelat dem.",
    },
    "access.denied": {
        "en": "Done: I've denied request {number} from {name} for access to {tools}, and let them know.",
        "sv": "Klart: jag har avslagit begäran {number} från {name} om behörighet till {tools} och "
        "meddelat dem.",
    },
    "access.already_decided": {
        "en": "Request {number} was already {status} on {when}; nothing has changed.",
        "sv": "Begäran {number} var redan {status} {when}; ingenting har ändrats.",
    },
    "access.status": {
        "en": "Request {number} from {name} for access to {tools} is {status}.",
        "sv": "Begäran {number} från {name} om behörighet till {tools} är {status}.",
    },
    "access.status.pending": {"en": "waiting for a decision", "sv": "väntande"},
    "access.status.approved": {"en": "approved", "sv": "godkänd"},
    "access.status.denied": {"en": "denied", "sv": "avslagen"},
    "access.not_found": {
        "en": "I can't find access request {number}. Please check the number.",
        "sv": "Jag hittar inte behörighetsbegäran {number}. Kontrollera gärna numret.",
    },
    "access.notice.approved": {
        "en": "Good news: {admin} approved your request {number}. You now have access to {tools}.",
        "sv": "Goda nyheter: {admin} har godkänt din begäran {number}. Du har nu behörighet till {tools}.",
    },
    "access.notice.denied": {
        "en": "{admin} denied your request {number} for access to {tools}. Ask them if you'd like to know "
        "why.",
        "sv": "{admin} har avslagit din begäran {number} om behörighet till {tools}. Fråga dem gärna om "
        "du vill veta varför.",
    },
    "access.notice.revoked": {
        "en": "{admin} has removed your access to {tools}.",
        "sv": "{admin} har tagit bort din behörighet till {tools}.",
    },
    "access.mail.outcome.subject": {
        "en": "Your access request {number} was {status}",
        "sv": "Din behörighetsbegäran {number} har blivit {status}",
    },
    "access.mail.outcome.body": {
        "en": "Hello {name},\n\n{notice}\n\nThe support chat: {url}\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\n{notice}\n\nSupportchatten: {url}\n\nVänliga hälsningar,\nKundsupport",
    },
    "access.pending.none": {
        "en": "There are no access requests waiting for your decision.",
        "sv": "Det finns inga behörighetsbegäranden som väntar på ditt beslut.",
    },
    "access.pending.list": {
        "en": "These access requests are waiting for your decision:",
        "sv": "Dessa behörighetsbegäranden väntar på ditt beslut:",
    },
    "access.pending.card": {"en": "{number}: {name}", "sv": "{number}: {name}"},
    "access.field.tools": {"en": "Access to", "sv": "Behörighet till"},
    "access.field.asked": {"en": "Asked", "sv": "Begärd"},
    "access.grants.title": {
        "en": "The users of {company} and their access:",
        "sv": "Användarna på {company} och deras behörigheter:",
    },
    "access.col.user": {"en": "User", "sv": "Användare"},
    "access.col.email": {"en": "E-mail", "sv": "E-post"},
    "access.col.role": {"en": "Role", "sv": "Roll"},
    "access.col.tools": {"en": "Access to", "sv": "Behörighet till"},
    "access.role.company_admin": {"en": "administrator", "sv": "administratör"},
    "access.role.user": {"en": "user", "sv": "användare"},
    "access.tools.none": {"en": "nothing yet", "sv": "inget ännu"},
    "access.revoke.ask_user": {
        "en": "Whose access should I revoke, and to which tool? For example \"revoke erik.lund@nordisk.example's "
        'access to invoices".',
        "sv": 'Vems behörighet ska jag återkalla, och till vilket verktyg? Till exempel "återkalla behörighet '
        'till fakturor för erik.lund@nordisk.example".',
    },
    "access.revoke.unknown_user": {
        "en": "I can't find that user in your company. Please give their e-mail address.",
        "sv": "Jag hittar inte den användaren i ert företag. Ange gärna e-postadressen.",
    },
    "access.revoke.ambiguous": {
        "en": "That matches several users: {names}. Please give the e-mail address.",
        "sv": "Det passar in på flera användare: {names}. Ange gärna e-postadressen.",
    },
    "access.revoke.ask_tool": {
        "en": "{name} has access to {tools}. Which should I revoke?",
        "sv": "{name} har behörighet till {tools}. Vilken ska jag återkalla?",
    },
    "access.revoke.nothing": {
        "en": "{name} doesn't have access to {tools}, so there is nothing to revoke.",
        "sv": "{name} har inte behörighet till {tools}, så det finns inget att återkalla.",
    },
    "access.revoke.confirm": {
        "en": "Revoke {name}'s access to {tools}? It takes effect at once.",
        "sv": "Återkalla {name}s behörighet till {tools}? Det gäller omedelbart.",
    },
    "access.revoke.confirm.short": {
        "en": "Shall I revoke the access?",
        "sv": "Ska jag återkalla behörigheten?",
    },
    "access.button.revoke": {"en": "Revoke {tool}", "sv": "Återkalla {tool}"},
    "access.button.revoke.value": {
        "en": "revoke access to {tools} for {user}",
        "sv": "återkalla behörighet till {tools} för {user}",
    },
    "access.button.confirm_revoke": {"en": "Yes, revoke", "sv": "Ja, återkalla"},
    "access.button.confirm_revoke.value": {
        "en": "confirm: revoke access to {tools} for {user}",
        "sv": "bekräfta: återkalla behörighet till {tools} för {user}",
    },
    "access.button.keep": {"en": "No, keep it", "sv": "Nej, behåll"},
    "access.button.keep.value": {"en": "cancel", "sv": "avbryt"},
    "access.revoked": {
        "en": "Done: {name} no longer has access to {tools}.",
        "sv": "Klart: {name} har inte längre behörighet till {tools}.",
    },
    "access.button.who_has_access": {"en": "Who has access?", "sv": "Vem har behörighet?"},
    "access.button.who_has_access.value": {"en": "who has access?", "sv": "vem har behörighet?"},
}
words(WORDS)

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
        return ctx.reply(ctx.t("access.no_admin", email=ctx.support_email))

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
    return fmt.listing([fmt.t(f"tool.{tool.value}") for tool in tools])


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
