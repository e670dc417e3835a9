"""My requests: open one by conversation (pre-filled from the profile), see one or all with their dated
history, add a comment; and tell the customer when an agent has answered.

The tracking link in mails is ``{public_url}/?ask=status+of+RQ-…``: the web chat opens on it and the
question can be sent as is; in any other channel the number alone is enough ("RQ-2026-000123").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote_plus

from pydantic import BaseModel

from supportbot.bot.dialog import tool_refusal
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import (
    MAX_INBOUND_BYTES,
    Button,
    Card,
    Choice,
    Field,
    Form,
    FormField,
    InboundFile,
    Reply,
    Table,
)
from supportbot.bot.spec import Check, IntentSpec, Mailer, Notices, Question, Refused, Slot, TurnContext
from supportbot.bot.state import FamilyContext, SlotValue
from supportbot.integrations.actions import Mail
from supportbot.integrations.business_days import country_timezone
from supportbot.integrations.documents import DocumentRefused, kept_type
from supportbot.integrations.errors import AccessDenied, InvalidRequest, MailUnavailable
from supportbot.integrations.mail import one_line
from supportbot.integrations.models import NewRequest, Principal, RequestStatus, SupportRequest, Tool
from supportbot.integrations.protocols import Backends

log = logging.getLogger(__name__)

OPEN_EXAMPLES = {
    "en": [
        "I'd like to open a support request",
        "open a ticket",
        "create a case",
        "I need to report a problem",
        "something is broken, can you log a request",
        "raise a support ticket about our server",
        "register an issue",
        "new request",
        "I want to file a request for help with an installation",
        "report an error with the FlashSystem",
        "our server is down, open a case",
        "submit a service request",
        "please create a ticket for me",
        "I have a technical problem",
        "log a fault",
        "can you register a request for a technician visit",
        "I want to make a support request",
        "open request",
        "create a support case for Kista",
        "we need a technician",
        "my system shows an error and I need help",
        "report an issue with the portal",
        "the storage keeps failing, please raise a ticket",
        "I'd like to ask your support team something in writing",
        "send a request to support",
        "i want to report a bug",
        "start a new case",
        "opne a tikcet",
        "We have a problem with a payment, can you open a request?",
        "I need help with a problem that isn't in this chat",
        "make a ticket about a missing part in our delivery",
        "can you log this as a request and e-mail me the number",
        "register an error report",
        "Our Power server in Göteborg has a hardware fault, please open a case.",
        "fill in a request form for me",
        "I need to report a payment problem",
        "open a case about a failed payment",
        # complaints are support requests too
        "I want to file a complaint",
        "I'd like to make a complaint about your service",
        "your service is terrible, I want to complain",
        "how do I lodge a formal complaint",
        "I want to complain about the delivery of our new disks",
        "the technician never turned up and I wish to complain",
        "I am not happy with how my case was handled",
        "we are very dissatisfied with the support we got",
        "the replacement parts arrived damaged, I want to make a claim",
        "I'd like to register a complaint about the installation",
        "we're unhappy with the response times of your support",
        "complaint about a late delivery",
        "this is a formal complaint regarding order 4711",
        "I'm disappointed with the quality of the repair",
        "where do I send a complaint",
        "I want to make a reclamation for the faulty power supply",
        "your engineer left our server room in a mess, I want to report that",
        "unhappy with the service we received last week",
    ],
    "sv": [
        "jag vill öppna ett supportärende",
        "öppna ett ärende",
        "skapa ett ärende",
        "jag behöver anmäla ett problem",
        "något är trasigt, kan du registrera ett ärende",
        "lägg upp ett supportärende om vår server",
        "registrera ett fel",
        "nytt ärende",
        "jag vill skicka in en förfrågan om hjälp med en installation",
        "felanmälan för FlashSystem",
        "vår server ligger nere, öppna ett ärende",
        "skicka in en serviceförfrågan",
        "skapa ett ärende åt mig",
        "jag har ett tekniskt problem",
        "felanmälan",
        "kan du registrera en begäran om tekniker på plats",
        "jag vill göra en supportförfrågan",
        "öppna ärende",
        "skapa ett supportärende för Kista",
        "vi behöver en tekniker",
        "mitt system visar ett fel och jag behöver hjälp",
        "anmäl ett problem med portalen",
        "lagringen krånglar hela tiden, lägg upp ett ärende",
        "jag vill ställa en fråga skriftligt till er support",
        "skicka en förfrågan till supporten",
        "jag vill rapportera en bugg",
        "starta ett nytt ärende",
        "öpnna ett ärnde",
        "Vi har problem med en betalning, kan du öppna ett ärende?",
        "jag behöver hjälp med ett problem som inte finns i chatten",
        "gör ett ärende om en del som saknades i leveransen",
        "kan du lägga upp det här som ett ärende och mejla mig numret",
        "registrera en felanmälan",
        "Vår Power-server i Göteborg har ett hårdvarufel, öppna ett ärende.",
        "fyll i ett ärendeformulär åt mig",
        "jag behöver anmäla ett betalningsproblem",
        "öppna ett ärende om en misslyckad betalning",
        # klagomål är också ärenden
        "jag vill lämna ett klagomål",
        "jag vill klaga på er service",
        "hur gör jag en reklamation av er service",
        "vi vill klaga på en försenad leverans",
        "teknikern kom aldrig, jag vill framföra ett klagomål",
        "jag är missnöjd med supporten",
        "vi är inte nöjda med hur ärendet sköttes",
        "jag vill göra en reklamation",
        "klagomål på installationen",
        "jag är besviken på servicen vi har fått",
        "vart skickar jag ett klagomål",
        "de levererade diskarna var skadade, vi vill reklamera dem",
        "ett formellt klagomål gällande order 4711",
        "jag är inte nöjd med reparationen",
        "vi är missnöjda med era svarstider",
        "jag vill klaga på bemötandet i telefon",
    ],
}

STATUS_EXAMPLES = {
    "en": [
        "what's the status of my request RQ-2026-000123",
        "any news on my ticket",
        "show my open requests",
        "list all my requests",
        "has anyone answered my case",
        "request history",
        "status of RQ-2026-000123",
        "when will my ticket be resolved",
        "show the history of request RQ-2026-000123",
        "is my support case closed",
        "have you looked at my request yet",
        "show my tickets",
        "where is my request at",
        "what happened with the issue I reported",
        "my requests",
        "is there an answer to my ticket",
        "list the requests I opened last month",
        "which of my cases are still open",
        "update on my support request please",
        "stauts of my tiket",
        "Could you check whether support has replied to the case I opened yesterday?",
        "show all requests from our company",
        "when will I get an answer to RQ-2026-000123",
        "has my request been closed",
        "what did support reply",
    ],
    "sv": [
        "vad är status på mitt ärende RQ-2026-000123",
        "något nytt om mitt ärende",
        "visa mina öppna ärenden",
        "lista alla mina ärenden",
        "har någon svarat på mitt ärende",
        "ärendehistorik",
        "status för RQ-2026-000123",
        "när blir mitt ärende löst",
        "visa historiken för ärende RQ-2026-000123",
        "är mitt supportärende stängt",
        "har ni tittat på min förfrågan än",
        "visa mina ärenden",
        "hur går det med mitt ärende",
        "vad hände med felet jag anmälde",
        "mina ärenden",
        "finns det något svar på mitt ärende",
        "lista ärendena jag öppnade förra månaden",
        "vilka av mina ärenden är fortfarande öppna",
        "uppdatering om min supportförfrågan tack",
        "stauts på mitt ärnde",
        "Kan du kolla om supporten har svarat på ärendet jag öppnade igår?",
        "visa alla ärenden från vårt företag",
        "när får jag svar på RQ-2026-000123",
        "har mitt ärende stängts",
        "vad svarade supporten",
    ],
}

COMMENT_EXAMPLES = {
    "en": [
        "add a comment to RQ-2026-000123",
        "attach a document to my request",
        "I want to add information to my ticket",
        "upload a file to the case",
        "add a note to request RQ-2026-000123",
        "reply to my ticket",
        "update my request with more details",
        "attach a screenshot to the case",
        "can I add a photo to my ticket",
        "comment on my open request",
        "add this to the ticket: the error came back this morning",
        "append a log file to RQ-2026-000123",
        "I have more information for my case",
        "add a comment",
        "attach the error log to my support request",
        "send an extra file to the request I opened",
        "tell support that the problem happened again",
        "add an attachment to my ticket",
        "coment on RQ-2026-000123",
        "Please add to my case that we restarted the server and it did not help.",
        "upload the delivery note to the request",
        "I want to answer the question support asked in my ticket",
        "I forgot to mention something in my request",
        "include the serial number in my ticket",
        "can I send more details about the fault to my case",
        "add the photos of the damaged part to RQ-2026-000123",
    ],
    "sv": [
        "lägg till en kommentar på RQ-2026-000123",
        "bifoga ett dokument till mitt ärende",
        "jag vill lägga till information i mitt ärende",
        "ladda upp en fil till ärendet",
        "lägg till en anteckning på ärende RQ-2026-000123",
        "svara på mitt ärende",
        "uppdatera min förfrågan med mer detaljer",
        "bifoga en skärmdump till ärendet",
        "kan jag lägga till ett foto i mitt ärende",
        "kommentera mitt öppna ärende",
        "lägg till i ärendet: felet kom tillbaka i morse",
        "bifoga en loggfil till RQ-2026-000123",
        "jag har mer information till mitt ärende",
        "lägg till en kommentar",
        "bifoga felloggen till mitt supportärende",
        "skicka en fil till ärendet jag öppnade",
        "säg till supporten att problemet har hänt igen",
        "lägg till en bilaga i mitt ärende",
        "komentar på RQ-2026-000123",
        "Lägg till i mitt ärende att vi har startat om servern och att det inte hjälpte.",
        "ladda upp följesedeln till ärendet",
        "jag vill svara på frågan supporten ställde i mitt ärende",
        "jag glömde att nämna en sak i mitt ärende",
        "lägg till serienumret i mitt ärende",
        "kan jag skicka mer detaljer om felet till mitt ärende",
        "lägg till bilderna på den skadade delen i RQ-2026-000123",
    ],
}


CATEGORIES = ("technical", "order", "invoice", "contract", "inventory", "access", "other")
PRIORITIES = ("low", "normal", "high", "urgent")
LIST_LIMIT = 20
SUBJECT_LIMIT = 300
DESCRIPTION_LIMIT = 5000

_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "technical": ("technical", "tech", "teknisk", "tekniskt", "teknik"),
    "order": ("order", "orders", "ordrar", "beställning"),
    "invoice": ("invoice", "invoices", "billing", "faktura", "fakturor", "fakturering"),
    "contract": ("contract", "contracts", "avtal"),
    "inventory": ("inventory", "equipment", "installed base", "utrustning", "installerad bas"),
    "access": ("access", "behörighet", "åtkomst"),
    "other": ("other", "something else", "annat", "övrigt", "annan"),
}
_PRIORITY_WORDS: dict[str, tuple[str, ...]] = {
    "low": ("low", "låg"),
    "normal": ("normal", "standard", "medium", "mellan"),
    "high": ("high", "hög"),
    "urgent": ("urgent", "critical", "brådskande", "akut", "kritisk"),
}
_CONFIRM = r"(?i)(yes|y|ok|okay|open|open it|confirm|send|send it|ja|öppna|öppna det|bekräfta|skicka)[.!]?"


def _words_pattern(words: dict[str, tuple[str, ...]]) -> str:
    alternatives = "|".join(re.escape(w) for ws in words.values() for w in sorted(ws, key=len, reverse=True))
    return rf"(?i)\s*({alternatives})(\s+(priority|prioritet))?[.!]?\s*"


def _pick(words: dict[str, tuple[str, ...]], value: Any) -> str | None:
    said = str(value).strip().lower().rstrip(".!")
    said = re.sub(r"\s+(priority|prioritet)$", "", said)
    return next((key for key, ws in words.items() if said in ws), None)


def local_formatter(language: str, country: str | None) -> Formatter:
    """Dates in the user's language and the time zone of the company's country."""
    return Formatter(language, country=country, tz=country_timezone(country).key)


def request_link(public_url: str, number: str) -> str:
    """A link the web chat opens with the question about this request."""
    return f"{public_url.rstrip('/')}/?ask={quote_plus(f'status of {number}')}"


def _category(ctx: TurnContext, category: str) -> str:
    return ctx.t(f"request.category.{category}") if category in CATEGORIES else category


def _status(fmt: Formatter, status: RequestStatus) -> str:
    return fmt.t(f"request.status.{status.value}")


# --- request.open -------------------------------------------------------------------------------------


class Draft(BaseModel):
    """What a refused form held, for the form shown next (a Slack modal reopened from its button)."""

    at: datetime
    values: dict[str, str]


class RequestContext(FamilyContext):
    """What the requests family keeps between turns."""

    draft: Draft | None = None


def _choice_buttons(ctx: TurnContext, kind: str, keys: Sequence[str]) -> tuple[Button, ...]:
    return tuple(
        Button(label=ctx.t(f"request.{kind}.{k}").capitalize(), value=ctx.t(f"request.{kind}.{k}"))
        for k in keys
    )


def _category_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    return _choice_buttons(ctx, "category", CATEGORIES)


def _priority_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    return _choice_buttons(ctx, "priority", ("normal", "low", "high", "urgent"))


def _word_check(words: dict[str, tuple[str, ...]]) -> Check:
    """A slot answered with one of these words: its value is the word's key ("hög" is ``high``)."""

    async def check(ctx: TurnContext, value: SlotValue) -> SlotValue | None:
        picked = _pick(words, value.value)
        return SlotValue(value.type, picked) if picked is not None else None

    return check


def _text_check(clean: Callable[[str], str], limit: int, too_long: str) -> Check:
    """A typed text, cleaned; refused, saying so, when longer than ``limit``."""

    async def check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused | None:
        text = clean(str(value.value))
        if len(text) > limit:
            return Refused(too_long, {"limit": limit})
        return SlotValue(value.type, text) if text else None

    return check


async def _ask_confirm(ctx: TurnContext) -> Question:
    return Question(ctx.t("request.confirm"), cards=(_form(ctx, _said(ctx)),))


def _said(ctx: TurnContext) -> dict[str, str]:
    """The request's values as answered (and checked) in the chat."""
    return {name: str(value.value) for name in _FIELDS if (value := ctx.slot(name)) is not None}


_FIELDS = ("category", "subject", "description", "priority")


def _form(ctx: TurnContext, values: dict[str, str]) -> Card:
    """The request as it will be sent, the profile pre-filled: what the user confirms."""
    p = ctx.principal
    rows = [
        ("request.field.name", p.name or "–"),
        ("request.field.company", p.company_name or "–"),
        ("request.field.customer_number", ", ".join(p.customer_numbers) or "–"),
        ("request.field.email", p.email or "–"),
        ("request.field.phone", p.phone or "–"),
        ("request.field.category", _category(ctx, values["category"])),
        ("request.field.subject", values["subject"]),
        ("request.field.description", values["description"]),
        ("request.field.priority", ctx.t(f"request.priority.{values['priority']}")),
    ]
    return Card(
        title=ctx.t("request.form.title"),
        fields=tuple(Field(label=ctx.t(label), value=value) for label, value in rows),
        buttons=(
            Button(label=ctx.t("request.button.open"), value=ctx.t("request.button.open.value")),
            Button(label=ctx.t("request.button.cancel"), value=ctx.t("request.button.cancel.value")),
        ),
    )


def _profile_fields(ctx: TurnContext) -> tuple[FormField, ...]:
    p = ctx.principal
    rows = (
        ("name", p.name),
        ("company", p.company_name),
        ("customer_number", ", ".join(p.customer_numbers)),
        ("email", p.email),
        ("phone", p.phone),
    )
    return tuple(
        FormField(name=name, label=ctx.t(f"request.field.{name}"), kind="info", value=value or "–")
        for name, value in rows
    )


def _guess_category(ctx: TurnContext) -> str:
    """What the opening words point at: "a problem with order 4711" is about an order."""
    for entity_type, category in _CATEGORY_BY_ENTITY:
        if ctx.parse.first(entity_type) is not None:
            return category
    return ""


_CATEGORY_BY_ENTITY = (
    ("order_number", "order"),
    ("po_number", "order"),
    ("invoice_number", "invoice"),
    ("credit_number", "invoice"),
    ("contract_number", "contract"),
)


def request_form(
    ctx: TurnContext, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Form:
    """The request form: the profile shown as it will be sent, then what the request is about."""
    values = dict(values or {})
    errors = errors or {}
    for name, keys in (("category", CATEGORIES), ("priority", PRIORITIES)):
        if values.get(name) not in keys:
            values[name] = ""  # a choice list cannot show what it does not offer

    def choices(kind: str, keys: Sequence[str]) -> tuple[Choice, ...]:
        return tuple(Choice(label=ctx.t(f"request.{kind}.{k}").capitalize(), value=k) for k in keys)

    editable = (
        FormField(
            name="category",
            label=ctx.t("request.field.category"),
            kind="choice",
            value=values.get("category", ""),
            choices=choices("category", CATEGORIES),
            required=True,
        ),
        FormField(
            name="subject",
            label=ctx.t("request.field.subject"),
            value=values.get("subject", ""),
            required=True,
            max_length=SUBJECT_LIMIT,
        ),
        FormField(
            name="description",
            label=ctx.t("request.field.description"),
            kind="textarea",
            value=values.get("description", ""),
            required=True,
            max_length=DESCRIPTION_LIMIT,
        ),
        FormField(
            name="priority",
            label=ctx.t("request.field.priority"),
            kind="choice",
            value=values.get("priority") or "normal",
            choices=choices("priority", PRIORITIES),
            required=True,
        ),
    )
    return Form(
        id="request.open",
        title=ctx.t("request.form.title"),
        fields=_profile_fields(ctx)
        + tuple(f.model_copy(update={"error": errors.get(f.name)}) for f in editable),
        submit_label=ctx.t("request.button.send"),
        cancel_label=ctx.t("request.button.cancel"),
        open_label=ctx.t("request.button.fill_in"),
        open_value=ctx.t("button.open_request.value"),
    )


def _form_errors(ctx: TurnContext, values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["category"] not in CATEGORIES:
        errors["category"] = ctx.t("request.form.error.choose")
    if values["priority"] not in PRIORITIES:
        errors["priority"] = ctx.t("request.form.error.choose")
    for name, limit in (("subject", SUBJECT_LIMIT), ("description", DESCRIPTION_LIMIT)):
        if not values[name]:
            errors[name] = ctx.t("request.form.error.required")
        elif len(values[name]) > limit:
            errors[name] = ctx.t("request.form.error.too_long", limit=limit)
    return errors


async def _open_from_form(ctx: TurnContext) -> Reply:
    """A sent form is the confirmation: valid, it opens the request; else it comes back marked."""
    values = {}
    for name in _FIELDS:
        said = ctx.slot(name)
        value = _typed(name, str(said.value)) if said is not None else ""
        if name in ("category", "priority"):
            words = _CATEGORY_WORDS if name == "category" else _PRIORITY_WORDS
            value = value.lower() if value.lower() in words else (_pick(words, value) or value)
        values[name] = value
    errors = _form_errors(ctx, values)
    kept = ctx.context(RequestContext)
    if errors:
        # Kept for the form shown next (a Slack modal reopened from its button): nothing typed is lost.
        kept.draft = Draft(at=ctx.now, values={k: v[: DESCRIPTION_LIMIT * 2] for k, v in values.items()})
        form = request_form(ctx, values, errors)
        return ctx.reply(ctx.t("request.form.fix"), form=form)
    kept.draft = None
    return await _create(ctx, values)


def _typed(name: str, value: str) -> str:
    """What was typed, cleaned where it is typed (a form, a Slack modal, a Teams card, a chat line):
    a subject on one line (a line break in it would otherwise reach a mail's Subject), a description
    without control characters other than line breaks and tabs."""
    return _description(value) if name == "description" else one_line(value)


def _description(value: str) -> str:
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


_DRAFT_KEPT = timedelta(days=1)


def _draft(ctx: TurnContext) -> dict[str, str] | None:
    """What a refused form held, if it was sent in the last day."""
    kept = ctx.context(RequestContext)
    if kept.draft is None:
        return None
    if ctx.now - kept.draft.at > _DRAFT_KEPT:
        kept.draft = None
        return None
    return dict(kept.draft.values)


async def request_open(ctx: TurnContext) -> Reply:
    """A sent form, or the form to fill in (a channel with forms), or the request as answered and
    confirmed in the chat: the engine asked for each value (``INTENTS``) before this runs."""
    if ctx.submitted is not None:
        return await _open_from_form(ctx)
    if not ctx.slots:
        form = request_form(ctx, _draft(ctx) or {"category": _guess_category(ctx)})
        return ctx.reply(ctx.t("request.form.intro"), form=form)
    return await _create(ctx, _said(ctx))


async def _create(ctx: TurnContext, values: dict[str, str]) -> Reply:
    """Opens the request and queues its confirmation mail as one action, done once per message: a
    failure anywhere in it (the mail cannot be built, say) leaves nothing behind."""
    intent = "request.open"
    fmt = local_formatter(ctx.language, ctx.principal.country)
    email = ctx.principal.email

    def confirmation(request: SupportRequest) -> list[Mail]:
        if not email:
            return []
        params = _opened_params(ctx, fmt, request)
        body = ctx.t(
            "request.mail.opened.body",
            name=ctx.principal.name,
            category=_category(ctx, request.category),
            priority=ctx.t(f"request.priority.{request.priority}"),
            description=request.description,
            **params,
        )
        subject = ctx.t("request.mail.opened.subject", **params)
        return [Mail(to=email, subject=subject, text=body, language=ctx.language)]

    try:
        request = await ctx.backends.requests.create_request(
            ctx.principal, NewRequest(**values), action=ctx.action(confirmation)
        )
    except AccessDenied:
        return tool_refusal(Tool.REQUESTS, ctx.fmt, language=ctx.language, intent=intent)
    except InvalidRequest:
        log.warning("a request was refused by the back end", exc_info=True)
        return ctx.reply(ctx.t("request.open.refused"))
    except MailUnavailable:
        log.warning("a request was not opened: its confirmation mail could not be queued", exc_info=True)
        return ctx.reply(ctx.t("request.open.not_saved"))
    ctx.set_current("request", "request_number", request.number)
    params = _opened_params(ctx, fmt, request)
    card = _request_card(ctx, fmt, request)
    if not email:
        return ctx.reply(ctx.t("request.opened_no_mail", **params), cards=(card,))
    return ctx.reply(ctx.t("request.opened", email=email, **params), cards=(card,))


def _opened_params(ctx: TurnContext, fmt: Formatter, request: SupportRequest) -> dict[str, str]:
    return {
        "number": request.number,
        "due": fmt.datetime(request.due_at),
        "subject": request.subject,
        "link": request_link(ctx.public_url, request.number),
    }


# --- request.status -----------------------------------------------------------------------------------


def _request_card(ctx: TurnContext, fmt: Formatter, request: SupportRequest) -> Card:
    return Card(
        title=f"{request.number} — {request.subject}",
        fields=(
            Field(label=ctx.t("request.field.status"), value=_status(fmt, request.status)),
            Field(label=ctx.t("request.field.category"), value=_category(ctx, request.category)),
            Field(label=ctx.t("request.field.priority"), value=ctx.t(f"request.priority.{request.priority}")),
            Field(label=ctx.t("request.field.opened"), value=fmt.datetime(request.created_at)),
            Field(label=ctx.t("request.field.due"), value=fmt.datetime(request.due_at)),
        ),
    )


def _history_table(ctx: TurnContext, fmt: Formatter, request: SupportRequest) -> Table:
    return Table(
        columns=(
            ctx.t("request.col.when"),
            ctx.t("request.col.what"),
            ctx.t("request.col.who"),
            ctx.t("request.col.text"),
        ),
        rows=tuple(
            (
                fmt.datetime(e.at),
                ctx.t(f"request.event.{e.kind}") if e.kind in _EVENT_KINDS else e.kind,
                e.author,
                e.text if len(e.text) <= 300 else e.text[:299] + "…",
            )
            for e in request.history
        ),
    )


_EVENT_KINDS = frozenset({"created", "comment", "status", "answer", "attachment", "closed"})
_OPEN_WORDS = re.compile(
    r"\b(open|unanswered|pending|ongoing|active|öppna|öppen|obesvarade|pågående|aktiva)\b", re.IGNORECASE
)
_CLOSED_WORDS = re.compile(r"\b(closed|resolved|done|stängda|stängd|avslutade|lösta)\b", re.IGNORECASE)
_ANSWERED_WORDS = re.compile(r"\b(answered|besvarade)\b", re.IGNORECASE)


_WAITING_FOR_SUPPORT = frozenset(
    {RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.WAITING_FOR_CUSTOMER}
)
"""What "my open requests" means: not answered and not closed."""


def _status_filter(text: str) -> tuple[frozenset[RequestStatus], str]:
    if _CLOSED_WORDS.search(text):
        return frozenset({RequestStatus.CLOSED}), "closed"
    if _ANSWERED_WORDS.search(text):
        return frozenset({RequestStatus.ANSWERED}), "answered"
    if _OPEN_WORDS.search(text):
        return _WAITING_FOR_SUPPORT, "open"
    return frozenset(), "all"


def _number(value: Any) -> str:
    return str(value).strip().lstrip("#").upper()


async def _one_request(ctx: TurnContext, intent: str, number: str) -> SupportRequest | Reply:
    if number == "LATEST":
        latest = await ctx.backends.requests.list_requests(ctx.principal, limit=1)
        if not latest:
            return ctx.reply(ctx.t("request.none_yet"))
        return latest[0]
    found = await ctx.backends.requests.get_request(ctx.principal, number)
    if found is None:
        return ctx.reply(ctx.t("request.not_found", number=number))
    return found


async def request_status(ctx: TurnContext) -> Reply:
    intent = "request.status"
    fmt = local_formatter(ctx.language, ctx.principal.country)
    slot = ctx.slot("request")
    if slot is not None:
        found = await _one_request(ctx, intent, _number(slot.value))
        if isinstance(found, Reply):
            return found
        ctx.set_current("request", "request_number", found.number)
        text = ctx.t(
            "request.summary",
            number=found.number,
            subject=found.subject,
            status=_status(fmt, found.status),
            due=fmt.datetime(found.due_at),
        )
        comment = Button(
            label=ctx.t("request.button.comment"),
            value=ctx.t("request.button.comment.value", number=found.number),
        )
        return ctx.reply(
            text,
            cards=(_request_card(ctx, fmt, found),),
            table=_history_table(ctx, fmt, found),
            buttons=(comment,),
        )
    statuses, which = _status_filter(ctx.parse.text)
    found_all = await ctx.backends.requests.list_requests(ctx.principal, statuses=statuses, limit=LIST_LIMIT)
    if not found_all:
        return ctx.reply(ctx.t(f"request.list.none.{which}"))
    ctx.set_shown("request", [r.number for r in found_all])
    table = Table(
        columns=(
            ctx.t("request.col.number"),
            ctx.t("request.col.opened"),
            ctx.t("request.col.subject"),
            ctx.t("request.col.status"),
            ctx.t("request.col.due"),
        ),
        rows=tuple(
            (r.number, fmt.date(r.created_at), r.subject, _status(fmt, r.status), fmt.datetime(r.due_at))
            for r in found_all
        ),
    )
    buttons = tuple(
        Button(label=r.number, value=ctx.t("request.button.show.value", number=r.number))
        for r in found_all[:5]
    )
    text = ctx.t(f"request.list.found.{which}", count=len(found_all))
    return ctx.reply(text, table=table, buttons=buttons)


# --- request.comment ----------------------------------------------------------------------------------

# Asked to attach a file in a channel that cannot send one (the console), the bot says so and takes text.
_FILE_WORDS = re.compile(
    r"\b(attach\w*|upload\w*|files?|documents?|screenshots?|photos?|pictures?|log\s*files?|"
    r"bifoga\w*|ladda\s+upp|fil(en|er)?|dokument\w*|skärmdump\w*|foto\w*|bild\w*|loggfil\w*|bilag\w*)\b",
    re.IGNORECASE,
)
_INLINE_COMMENT = r"(?s)^[^:]{3,80}:\s*(?P<text>\S.*)$"
"""A comment said with its request: "RQ-2026-000123: the fan is still loud"."""


async def _attach(ctx: TurnContext, number: str, held: Sequence[InboundFile]) -> tuple[list[str], list[str]]:
    """Adds each file to the request; the names added and, per refused file, why."""
    added: list[str] = []
    refused: list[str] = []
    for file in held:
        if not file.data or file.size > MAX_INBOUND_BYTES:
            mib = MAX_INBOUND_BYTES // (1024 * 1024)
            refused.append(ctx.t("request.file.too_large", name=file.name, limit=mib))
            continue
        try:
            # Checked here whatever the back end: the type is the content's, agreeing with the name.
            kind = kept_type(file.name, file.content_type, file.data)
            updated = await ctx.backends.requests.add_document(
                ctx.principal,
                number,
                name=file.name,
                content_type=kind,
                data=file.data,
                action=ctx.action(),
            )
        except InvalidRequest as exc:
            key = "request.file.mismatch" if isinstance(exc, DocumentRefused) and exc.mismatch else None
            refused.append(ctx.t(key or "request.file.refused_type", name=file.name))
            continue
        if updated is None:
            break
        added.append(file.name)
    return added, refused


async def _open_requests(ctx: TurnContext) -> Sequence[SupportRequest]:
    """The user's requests not closed, newest first: what a comment is most likely for."""
    return await ctx.backends.requests.list_requests(
        ctx.principal, statuses=frozenset(RequestStatus) - {RequestStatus.CLOSED}, limit=5
    )


async def _latest_request(ctx: TurnContext, value: SlotValue) -> SlotValue | None:
    """ "my latest request" is the newest open one; with none open it is asked for."""
    if _number(value.value) != "LATEST":
        return value
    mine = await _open_requests(ctx)
    return SlotValue("request_number", mine[0].number) if mine else None


async def _ask_request(ctx: TurnContext) -> Question:
    """Which request, with a button per open one; files sent meanwhile wait for the answer."""
    mine = await _open_requests(ctx)
    key = "request.ask_number_for_files" if ctx.uploads or ctx.held else "request.ask_number"
    return Question(ctx.t(key), tuple(Button(label=r.number, value=r.number) for r in mine))


async def _ask_comment(ctx: TurnContext) -> Question | Reply:
    """What to add to the request, once it is known to exist; how depends on what the channel takes."""
    request = ctx.slot("request")
    assert request is not None
    found = await _one_request(ctx, "request.comment", _number(request.value))
    if isinstance(found, Reply):
        return found
    if ctx.can("files"):
        key = "request.ask_comment_or_file"
    elif _FILE_WORDS.search(ctx.parse.text):
        key = "request.ask_comment_no_files"
    else:
        key = "request.ask_comment"
    return Question(ctx.t(key, number=found.number))


def _without_files(ctx: TurnContext) -> bool:
    """A comment is needed unless files came (this turn or while the bot asked)."""
    return not ctx.uploads and not ctx.held


async def request_comment(ctx: TurnContext) -> Reply:
    """Adds the comment and the files (this turn's and those held while the engine asked)."""
    request = ctx.slot("request")
    assert request is not None
    number = _number(request.value)
    said = ctx.slot("comment")
    comment = str(said.value) if said is not None else ""
    held = [*ctx.uploads, *ctx.held]
    if held:
        found = await _one_request(ctx, "request.comment", number)
        if isinstance(found, Reply):
            return found
        number = found.number
    added, refused = await _attach(ctx, number, held)
    if comment:
        updated = await ctx.backends.requests.add_comment(ctx.principal, number, comment, action=ctx.action())
        if updated is None:
            return ctx.reply(ctx.t("request.not_found", number=number))
    ctx.set_current("request", "request_number", number)
    lines = []
    if comment:
        lines.append(ctx.t("request.comment.added", number=number))
    if added:
        lines.append(ctx.t("request.files.added", number=number, names=", ".join(added), count=len(added)))
    lines.extend(refused)
    if not lines:
        return ctx.reply(ctx.t("request.not_found", number=number))
    if refused:
        lines.append(ctx.t("request.file.accepted_types"))
    return ctx.reply("\n".join(lines))


# --- an agent's answer reaches the customer -----------------------------------------------------------


class AnswerServices(Protocol):
    """What telling a customer about an answer needs: the ``Application`` has all of it."""

    backends: Backends
    mailer: Mailer

    @property
    def notifier(self) -> Notices: ...


async def notify_answer(
    services: AnswerServices,
    *,
    agent: Principal,
    request_number: str,
    text: str,
    public_url: str,
) -> SupportRequest | None:
    """Records an agent's answer and tells the customer in every channel they use and by e-mail.

    Called by the agent console. ``None`` when there is no such request. A mail that cannot be sent
    is logged; the answer is recorded and shown in chat all the same.
    """
    request = await services.backends.requests.answer_request(agent, request_number, text)
    if request is None:
        return None
    await _tell_customer(services, request, agent=agent, kind="answer", text=text, public_url=public_url)
    return request


async def notify_closed(
    services: AnswerServices,
    *,
    agent: Principal,
    request_number: str,
    resolution: str,
    public_url: str,
) -> SupportRequest | None:
    """Closes a request with the agent's resolution and tells the customer as an answer is told.

    ``None`` when there is no such request; closing a closed request tells nobody again."""
    before = await services.backends.requests.request_for_agent(agent, request_number)
    if before is None:
        return None
    request = await services.backends.requests.close_request(agent, request_number, resolution)
    if request is not None and before.status is not RequestStatus.CLOSED:
        await _tell_customer(
            services, request, agent=agent, kind="closed", text=resolution, public_url=public_url
        )
    return request


async def _tell_customer(
    services: AnswerServices,
    request: SupportRequest,
    *,
    agent: Principal,
    kind: str,
    text: str,
    public_url: str,
) -> None:
    """A notice in every channel the customer uses and a mail, in their language (``kind``: the
    catalogue's ``request.{kind}.notice`` and ``request.mail.{kind}.*``). A mail that cannot be sent is
    logged; the notice is given all the same."""
    customer = await services.backends.directory.principal_for(request.requester)
    language = customer.locale if customer is not None and customer.locale in ("en", "sv") else "en"
    country = customer.country if customer is not None else None
    fmt = local_formatter(language, country)
    params = {
        "number": request.number,
        "subject": request.subject,
        "text": text.strip(),
        "agent": agent.name or fmt.t("request.agent"),
        "link": request_link(public_url, request.number),
    }
    reply = Reply(
        text=fmt.t(f"request.{kind}.notice", **params),
        buttons=(
            Button(
                label=fmt.t("request.button.history"),
                value=fmt.t("request.button.show.value", number=request.number),
            ),
        ),
        language=language,
        intent="request.status",
    )
    await services.notifier.notify(request.requester, reply)
    email = customer.email if customer is not None else None
    if email:
        try:
            await services.mailer.send(
                to=email,
                subject=fmt.t(f"request.mail.{kind}.subject", **params),
                text=fmt.t(f"request.mail.{kind}.body", name=customer.name if customer else "", **params),
                language=language,
            )
        except MailUnavailable:
            log.warning("could not mail the %s of request %s", kind, request.number, exc_info=True)


_REQUEST_NUMBER = r"(?i)#?rq-?\d{4}-?\d{1,6}"
_TEXT = r"(?s)\s*\S.*"


INTENTS = [
    IntentSpec(
        name="request.open",
        examples=OPEN_EXAMPLES,
        handler=request_open,
        tool=Tool.REQUESTS,
        form=True,
        context=RequestContext,
        slots=(
            Slot(
                "category",
                ("request_category",),
                "request.ask_category",
                carry=False,
                pattern=_words_pattern(_CATEGORY_WORDS),
                check=_word_check(_CATEGORY_WORDS),
                choices=_category_buttons,
            ),
            Slot(
                "subject",
                ("request_text",),
                "request.ask_subject",
                carry=False,
                free_text=True,
                check=_text_check(one_line, SUBJECT_LIMIT, "request.subject_too_long"),
            ),
            Slot(
                "description",
                ("request_text",),
                "request.ask_description",
                carry=False,
                free_text=True,
                check=_text_check(_description, DESCRIPTION_LIMIT, "request.description_too_long"),
            ),
            Slot(
                "priority",
                ("request_priority",),
                "request.ask_priority",
                carry=False,
                pattern=_words_pattern(_PRIORITY_WORDS),
                default="normal",
                check=_word_check(_PRIORITY_WORDS),
                choices=_priority_buttons,
            ),
            Slot(
                "confirm",
                ("request_confirm",),
                "request.confirm",
                carry=False,
                pattern=_CONFIRM,
                ask=_ask_confirm,
            ),
        ),
    ),
    IntentSpec(
        name="request.status",
        examples=STATUS_EXAMPLES,
        handler=request_status,
        tool=Tool.REQUESTS,
        context=RequestContext,
        slots=(
            Slot(
                "request",
                ("request_number", "reference"),
                "request.ask_number",
                required=False,
                carry=False,
                pattern=_REQUEST_NUMBER,
            ),
        ),
        claims=("request_number",),
    ),
    IntentSpec(
        name="request.comment",
        examples=COMMENT_EXAMPLES,
        handler=request_comment,
        tool=Tool.REQUESTS,
        files=True,
        context=RequestContext,
        slots=(
            Slot(
                "request",
                ("request_number", "reference"),
                "request.ask_number",
                pattern=_REQUEST_NUMBER,
                check=_latest_request,
                ask=_ask_request,
            ),
            Slot(
                "comment",
                ("request_text",),
                "request.ask_comment_plain",
                required=_without_files,
                carry=False,
                free_text=True,
                inline=_INLINE_COMMENT,
                check=_text_check(str.strip, DESCRIPTION_LIMIT, "request.description_too_long"),
                ask=_ask_comment,
            ),
        ),
    ),
]
