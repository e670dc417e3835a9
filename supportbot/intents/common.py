"""Pieces several intent families share."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from supportbot.bot.dialog import tool_refusal
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import TurnContext
from supportbot.bot.state import FamilyContext
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import AccessDenied, MailUnavailable
from supportbot.integrations.models import NewRequest, SupportRequest, Tool

log = logging.getLogger(__name__)


class Listing(BaseModel):
    """A list shown page by page: what it was filtered by and where the page shown starts ("more")."""

    filters: dict[str, Any]
    offset: int = 0


class ListingContext(FamilyContext):
    """The context of a family that lists records: the listing shown last."""

    listing: Listing | None = None


QUESTION_AHEAD = r"(?:[^.!?]|\.(?=\S))*\?"
"""The rest of a sentence that is a question (a full stop inside an address or a number is no end)."""
YET = r"(?:\s+[\w@.-]+){0,3}\s+(?:yet|already|än|redan)\b"
ASKED_AFTER = r"(?![\w-])(?!" + YET + r")(?!" + QUESTION_AHEAD + r")"
"""After a word of something done: not in a question, nor followed within a few words by "yet"/"än"
(asked after, not asked for)."""
_APPROVED = (
    r"(?:ap?proved|accepted|authori[sz]ed|attested|godk[äa]n(?:d|t|da|ts|de|des)|attester(?:ad|at|ade|ats|ades)"
    r"|accepter(?:ad|at|ade|ats))"
)
APPROVING = (
    r"(?<![\w-])(?:"
    # "approved" said of it: a request as a state to record ("mark it as approved", "kan du markera
    # avtalet som godkänt?", "bekräfta att den är godkänd"), never asked after ("is the invoice approved
    # yet?", "har den godkänts än")
    r"(?:(?<=\bas\s)|(?<=\bsom\s))" + _APPROVED + r"(?![\w-])"
    r"|(?<!been\s)(?<!blivit\s)(?<!who\s)(?<!who\shas\s)(?<!vem\s)(?<!vem\shar\s)"
    + _APPROVED
    + ASKED_AFTER
    + r"|(?!"
    + _APPROVED
    + r"(?![\w-]))(?:approv\w*|aprov\w*|attest\w*|authori[sz]\w*|accept\w*|godk[äa]n\w*|attester\w*"
    r"|acceptera\w*)"
    r"|sign[\s-]+off|go-?ahead|klartecken)"
)
"""Words of approving (a pattern's source, case to be ignored by the pattern): an invoice's approval is
recorded at once and a contract's once confirmed, so neither is begun by a question about one."""
_UNIT = (
    r"(?:\d+\s+)?(?:days?|weeks?|months?|quarters?|years?|dag(?:ar|arna|en)?|veck(?:a|or|an|orna)"
    r"|månad(?:er|en|erna)?|kvartal(?:et|en)?|år(?:et|en)?)\b"
)
_MORE = re.compile(
    r"(?i)\b(?:(?:more|fler|mer)(?!\s+(?:than|än)\b)|resten|(?:next|nästa)(?!\s+" + _UNIT + r"))\b"
)


def named_alone(*names: str) -> Callable[[str], bool]:
    """A message that is only the word for a kind of record, as a follow-up ("invoice?", "och
    fakturan?", "the contract?"): that record is asked for, shown by the family's intent that shows one
    (a question to pass on, a document, a history, are said in more words)."""
    alone = re.compile(
        r"(?i)^\W*(?:(?:and|och|what\s+about|how\s+about|then|då|the|its|their|dess|er|ert)\s+)*(?:"
        + "|".join(names)
        + r")(?:\s+(?:then|too|då|också))?\W*$"
    )

    def asked(text: str) -> bool:
        return len(text) < 40 and alone.match(text) is not None

    return asked


def asks_for_more(text: str) -> bool:
    """Whether a message asks for the next page of the list shown ("more", "next", "fler", "nästa",
    "visa resten"): not a period ("in the next 3 months", "nästa vecka") nor a comparison ("more than
    30 days overdue", "mer än 10 000 kr")."""
    return _MORE.search(text) is not None


# --- words ----------------------------------------------------------------------------------------

WORDS: dict[str, Entry] = {
    "download.links": {
        "plural": "minutes",
        "en": {
            "one": " The links work for {minutes} minute.",
            "other": " The links work for {minutes} minutes.",
        },
        "sv": {
            "one": " Länkarna fungerar i {minutes} minut.",
            "other": " Länkarna fungerar i {minutes} minuter.",
        },
    },
    "request.open.not_saved": {
        "en": "Sorry, I couldn't open your request just now, so nothing was saved. "
        "Please send it again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, jag kunde inte öppna ditt ärende just nu, så inget har sparats. "
        "Skicka det igen om en stund, eller be att få prata med en person.",
    },
    "order.ask_period": {
        "en": 'Which period should the report cover? For example "last month", "this year" or "since 1 May".',
        "sv": 'Vilken period ska rapporten gälla? Till exempel "förra månaden", "i år" eller "sedan 1 maj".',
    },
}
"""Sentences several families say (links that expire, a request not saved, asking for a period)."""
words(WORDS)


def offer_help_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    """A request or a person, offered where the bot could not help: a request opened next starts with
    what the customer asked (``TurnContext.fell_short``)."""
    ctx.fell_short()
    return (
        Button(label=ctx.t("button.open_request"), value=ctx.t("button.open_request.value")),
        Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value")),
    )


def found_text(ctx: TurnContext, key: str, filters: str, offset: int, shown: int, has_more: bool) -> str:
    """The line above a page of found records: how many there are when they all fit on the first page
    ("I found 1 order", ``key.all``), else which of them this page shows ("11–20", or "number 21")."""
    if offset == 0 and not has_more:
        return ctx.t(f"{key}.all", count=shown, filters=filters)
    return ctx.t(key, count=shown, first=offset + 1, last=offset + shown, filters=filters)


async def question_request(
    ctx: TurnContext,
    *,
    words_of: str,
    category: str,
    subject: str,
    related: str | None,
    facts: dict[str, str],
    question: str | None = None,
    intent: str | None = None,
) -> Reply:
    """A question about a record becomes a request with the customer's words, confirmed with its
    tracking number and a mail to the user: the request and its mail are one action, once per message.
    Says it with the family's words ``<words_of>.created``, ``.created_no_mail``, ``.mail_subject`` and
    ``.mail_body``, given ``facts`` beside the request's number (``request``), due time (``due``) and
    the ``subject``. The request's text is ``question``, or else what this message said."""
    question = ctx.parse.text if question is None else question
    email = ctx.principal.email

    def params(request: SupportRequest) -> dict[str, str]:
        due = ctx.fmt.datetime(request.due_at) if request.due_at else "–"
        return {"request": request.number, "due": due, "subject": subject, **facts}

    def confirmation(request: SupportRequest) -> list[Mail]:
        if not email:
            return []
        said = params(request)
        return [
            Mail(
                to=email,
                subject=ctx.t(f"{words_of}.mail_subject", **said),
                text=ctx.t(f"{words_of}.mail_body", name=ctx.principal.name, text=question, **said),
                language=ctx.language,
            )
        ]

    try:
        request = await ctx.backends.requests.create_request(
            ctx.principal,
            NewRequest(category=category, subject=subject, description=question, related=related),
            action=ctx.action(confirmation),
        )
    except AccessDenied:
        return tool_refusal(Tool.REQUESTS, ctx.fmt, language=ctx.language, intent=intent or ctx.parse.intent)
    except MailUnavailable:
        log.warning("a question (%s) was not recorded: its mail could not be queued", category, exc_info=True)
        return ctx.reply(intent=intent, text=ctx.t("request.open.not_saved"))
    ctx.set_current("request", "request_number", request.number)
    if email:
        return ctx.reply(intent=intent, text=ctx.t(f"{words_of}.created", email=email, **params(request)))
    return ctx.reply(intent=intent, text=ctx.t(f"{words_of}.created_no_mail", **params(request)))
