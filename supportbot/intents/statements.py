"""Account statements: balance, open and overdue items, invoices, credit notes and payments for a period,
sorted and filtered as asked; and the same as a spreadsheet."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date
from typing import Any

from supportbot.bot.files import DocumentKind
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Attachment, Button, Reply, Table
from supportbot.bot.nlu.lexicon import FILE_WORDS
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.integrations.models import StatementItem, StatementOrder, Tool
from supportbot.intents.common import Listing, ListingContext, asks_for_more, found_text
from supportbot.intents.recipients import Spreadsheet, mail_to_self, mailed_text, publish
from supportbot.services.invoice_pdf import PDF_TYPE
from supportbot.services.spreadsheets import Column, to_csv, to_xlsx

SHOW_EXAMPLES = {
    "en": [
        "show my account statement",
        "what's our balance",
        "what do we owe you",
        "how much do we owe in total",
        "show open items on our account",
        "just the overdue ones on the statement",
        "which items are overdue on our account",
        "accounts receivable status",
        "show credit notes and payments",
        "list our payments",
        "show my statement of account",
        "what is our outstanding balance",
        "did you receive our payment",
        "has our payment for INV-2032 been registered",
        "show all open and overdue items",
        "show our customer ledger",
        "what credit notes do we have",
        "account summary please",
        "balance for customer number 1000123",
        "total overdue amount",
        "when did you last receive a payment from us",
        "do we have any unused credits",
        "sort open items by due date",
        "search the statement for payments in May",
        "how much is overdue",
        "statement",
        "our balance with you",
        "show payments received this year",
        "what's still open on our account",
        "how much do we have to pay this month",
        "show me the account statement with invoices, credit notes and payments",
        "are we up to date with our payments",
        "balanse on our acount",
        "Could you tell me what our current balance is?",
        "list open items over 10 000 SEK",
        "show my statement sorted by amount",
        "statement please",
        "our account statement for last month",
    ],
    "sv": [
        "visa mitt kontoutdrag",
        "har vår inbetalning kommit fram till er",
        "vad är vårt saldo",
        "vad är saldot just nu",
        "vad är vi skyldiga er",
        "hur mycket är vi skyldiga totalt",
        "visa öppna poster på vårt konto",
        "öppna poster",
        "vilka poster är förfallna på vårt konto",
        "status på kundreskontran",
        "visa kreditnotor och betalningar",
        "lista våra betalningar",
        "visa kontoutdraget",
        "hur stort är vårt utestående saldo",
        "har ni fått vår betalning",
        "har vår betalning för INV-2032 registrerats",
        "visa alla öppna och förfallna poster",
        "visa vår reskontra",
        "vilka kreditnotor har vi",
        "kontosammanställning tack",
        "saldo för kundnummer 1000123",
        "totalt förfallet belopp",
        "när fick ni senast en betalning från oss",
        "har vi några outnyttjade krediter",
        "sortera öppna poster efter förfallodag",
        "sök i kontoutdraget efter betalningar i maj",
        "hur mycket är förfallet",
        "kontoutdrag",
        "vårt saldo hos er",
        "visa betalningar som kommit in i år",
        "vad är fortfarande öppet på vårt konto",
        "hur mycket ska vi betala den här månaden",
        "visa kontoutdraget med fakturor, kreditnotor och betalningar",
        "ligger vi i fas med betalningarna",
        "saldot på vårt kontto",
        "Kan du berätta vad vårt aktuella saldo är?",
        "lista öppna poster över 10 000 kr",
        "visa kontoutdraget sorterat på belopp",
        "kontoutdrag tack",
        "kontoutdraget för i år tack",
        "kontoutdrag för förra månaden",
        "bara förfallna poster",
    ],
}

DOWNLOAD_EXAMPLES = {
    "en": [
        "download my statement",
        "export the account statement to excel",
        "statement as csv please",
        "I need our statement as a spreadsheet",
        "download open items as xlsx",
        "email me the account statement",
        "export payments and credit notes to csv",
        "download the statement for last quarter",
        "download the account statement for this year",
        "send the statement to anna.berg@nordisk.example",
        "save the statement to excel",
        "export our ledger",
        "I want to download our balance overview",
        "statement xlsx",
        "can I get the statement of account as a file",
        "download overdue items to a spreadsheet",
        "export all open items and payments since 1 May",
        "download statment",
        "give me a csv of our account",
        "Please export our account statement for Q3 as an Excel file.",
        "I need the ledger as a csv for our auditors",
        "download the list of payments",
        "mail the statement to our accountant",
        "export the open and overdue items",
        "can I have the statement in xlsx format",
    ],
    "sv": [
        "ladda ner mitt kontoutdrag",
        "exportera kontoutdraget till excel",
        "kontoutdrag som csv tack",
        "jag behöver vårt kontoutdrag som kalkylark",
        "ladda ner öppna poster som xlsx",
        "mejla mig kontoutdraget",
        "exportera betalningar och kreditnotor till csv",
        "ladda ner kontoutdraget för förra kvartalet",
        "ladda ner kontoutdraget för i år",
        "skicka kontoutdraget till anna.berg@nordisk.example",
        "spara kontoutdraget i excel",
        "exportera vår reskontra",
        "jag vill ladda ner vår saldoöversikt",
        "kontoutdrag xlsx",
        "kan jag få kontoutdraget som en fil",
        "ladda ner förfallna poster till ett kalkylark",
        "exportera alla öppna poster och betalningar sedan 1 maj",
        "ladda ner kontoutdarg",
        "ge mig en csv över vårt konto",
        "Exportera vårt kontoutdrag för Q3 som en Excelfil, tack.",
        "jag behöver reskontran som csv till revisorerna",
        "ladda ner listan över betalningar",
        "mejla kontoutdraget till vår revisor",
        "exportera öppna och förfallna poster",
        "kan jag få kontoutdraget i xlsx-format",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "statement.summary": {
        "en": "Your account {start} – {end}: balance {balance}, of which {overdue} overdue.",
        "sv": "Ert konto {start} – {end}: saldo {balance}, varav {overdue} förfallet.",
    },
    "statement.shown": {
        "plural": "count",
        "en": {"one": " Item {first}{filters}:", "other": " Items {first}–{last}{filters}:"},
        "sv": {"one": " Post {first}{filters}:", "other": " Poster {first}–{last}{filters}:"},
    },
    "statement.shown.all": {
        "plural": "count",
        "en": {"one": " {count} item{filters}:", "other": " {count} items{filters}:"},
        "sv": {"one": " {count} post{filters}:", "other": " {count} poster{filters}:"},
    },
    "statement.none": {
        "en": " No items{filters} in the period.",
        "sv": " Inga poster{filters} under perioden.",
    },
    "statement.filter.overdue": {"en": ", overdue only", "sv": ", bara förfallna"},
    "statement.filter.open": {"en": ", open only", "sv": ", bara öppna"},
    "statement.filter.largest": {"en": ", largest first", "sv": ", största först"},
    "statement.filter.newest": {"en": ", newest first", "sv": ", nyaste först"},
    "statement.filter.oldest_due": {"en": ", oldest due date first", "sv": ", äldsta förfallodag först"},
    "statement.filter.kinds": {"en": ", {kinds}", "sv": ", {kinds}"},
    "statement.kind.invoice": {"en": "invoice", "sv": "faktura"},
    "statement.kind.credit_note": {"en": "credit note", "sv": "kreditnota"},
    "statement.kind.payment": {"en": "payment", "sv": "betalning"},
    "statement.kinds.invoice": {"en": "invoices", "sv": "fakturor"},
    "statement.kinds.credit_note": {"en": "credit notes", "sv": "kreditnotor"},
    "statement.kinds.payment": {"en": "payments", "sv": "betalningar"},
    "statement.col.kind": {"en": "Type", "sv": "Typ"},
    "statement.col.number": {"en": "Number", "sv": "Nummer"},
    "statement.col.date": {"en": "Date", "sv": "Datum"},
    "statement.col.due": {"en": "Due", "sv": "Förfaller"},
    "statement.col.amount": {"en": "Amount", "sv": "Belopp"},
    "statement.col.open": {"en": "Open", "sv": "Öppet"},
    "statement.col.overdue": {"en": "Overdue", "sv": "Förfallen"},
    "statement.col.currency": {"en": "Currency", "sv": "Valuta"},
    "statement.col.copy": {"en": "Copy", "sv": "Kopia"},
    "statement.copy": {"en": "Copy of {number}", "sv": "Kopia av {number}"},
    "statement.yes": {"en": "yes", "sv": "ja"},
    "statement.button.more": {"en": "Show more", "sv": "Visa fler"},
    "statement.button.more.value": {"en": "more statement items", "sv": "fler poster i kontoutdraget"},
    "statement.button.download": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "statement.button.download.value": {
        "en": "download the statement as a spreadsheet",
        "sv": "ladda ner kontoutdraget som kalkylark",
    },
    "statement.sheet": {"en": "Statement", "sv": "Kontoutdrag"},
    "statement.ready": {
        "plural": "count",
        "en": {
            "one": "Here is your account statement {start} – {end} ({count} item{filters}; balance "
            "{balance}) as XLSX and CSV.",
            "other": "Here is your account statement {start} – {end} ({count} items{filters}; balance "
            "{balance}) as XLSX and CSV.",
        },
        "sv": {
            "one": "Här är ert kontoutdrag {start} – {end} ({count} post{filters}; saldo {balance}) "
            "som XLSX och CSV.",
            "other": "Här är ert kontoutdrag {start} – {end} ({count} poster{filters}; saldo {balance}) "
            "som XLSX och CSV.",
        },
    },
    "statement.mailed": {
        "plural": "count",
        "en": {
            "one": "I've e-mailed your account statement {start} – {end} ({count} item{filters}; balance "
            "{balance}) as XLSX and CSV to {email}.",
            "other": "I've e-mailed your account statement {start} – {end} ({count} items{filters}; "
            "balance {balance}) as XLSX and CSV to {email}.",
        },
        "sv": {
            "one": "Jag har mejlat ert kontoutdrag {start} – {end} ({count} post{filters}; saldo {balance}) "
            "som XLSX och CSV till {email}.",
            "other": "Jag har mejlat ert kontoutdrag {start} – {end} ({count} poster{filters}; saldo "
            "{balance}) som XLSX och CSV till {email}.",
        },
    },
    "statement.mail_subject": {
        "en": "Your account statement {start} – {end}",
        "sv": "Ert kontoutdrag {start} – {end}",
    },
    "statement.mail_body": {
        "en": "Hello {name},\n\nAttached is the account statement you asked for, {start} – {end}, as an "
        "Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\nBifogat är kontoutdraget du bad om, {start} – {end}, som Excel-arbetsbok "
        "och som CSV.\n\nVänliga hälsningar,\nKundsupport",
    },
    "statement.empty": {
        "en": "There are no statement items{filters} from {start} to {end}.",
        "sv": "Det finns inga poster{filters} från {start} till {end}.",
    },
    "statement.too_large": {
        "plural": "limit",
        "en": {
            "one": "That is more than {limit} item. Please choose a shorter period.",
            "other": "That is more than {limit} items. Please choose a shorter period.",
        },
        "sv": {
            "one": "Det är fler än {limit} post. Välj en kortare period.",
            "other": "Det är fler än {limit} poster. Välj en kortare period.",
        },
    },
}
words(WORDS)


log = logging.getLogger(__name__)

PAGE_SIZE = 10
REPORT_LIMIT = 50_000
_OVERDUE = re.compile(r"\b(overdue|past\s+due|förfallna|förfallen|förfallet|förfallit)\b", re.IGNORECASE)
_OPEN = re.compile(r"\b(open|unpaid|outstanding|öppna|öppen|öppet|obetalda|utestående)\b", re.IGNORECASE)
_LARGEST = re.compile(
    r"\b(largest|biggest|highest|by\s+amount|största|högsta|på\s+belopp|efter\s+belopp)\b", re.IGNORECASE
)
_DUE = re.compile(
    r"\b(due\s+dates?|by\s+due|oldest\s+due|earliest\s+due|förfallodag(?:ar|en|arna)?|förfallodatum\w*|"
    r"förfallodatumet|efter\s+förfall\w*|"
    # "oldest first", "oldest to newest", "äldst först", "äldsta först": the oldest due date first
    r"(?:oldest|earliest|äldst[ae]?|tidigast[e]?)(?:\s+(?:ones?|items?|posterna|poster))?\s+"
    r"(?:first|on\s+top|to\s+newest|först|överst)|"
    r"by\s+age|sorted\s+by\s+age|efter\s+ålder)\b",
    re.IGNORECASE,
)
_KINDS = {
    "invoice": re.compile(r"\b(invoices?|bills?|fakturor|fakturorna)\b", re.IGNORECASE),
    "credit_note": re.compile(
        r"\b(credit\s*notes?|credits?(?!\s*cards?\b)|kreditnotor|kreditnotorna|krediter)\b", re.IGNORECASE
    ),
    "payment": re.compile(r"\b(payments?|betalningar|betalningarna|betalning)\b", re.IGNORECASE),
}


def _filters(ctx: TurnContext) -> dict[str, Any]:
    text = ctx.parse.text
    start, end = ctx.period()
    kinds = sorted(kind for kind, pattern in _KINDS.items() if pattern.search(text))
    if len(kinds) == 3 or (
        re.search(r"\b(statement|kontoutdrag\w*)\b", text, re.IGNORECASE) and len(kinds) > 1
    ):
        kinds = []
    due = bool(_DUE.search(text)) and not _LARGEST.search(text)
    if start and not due and date.fromisoformat(start) > ctx.today:
        # No item is dated in days to come: a period ahead is no period of the statement ("our auditors
        # come next month … could you send me our account statement?"), unless it is of due dates.
        start = end = None
    return {
        "start": start,
        "end": end,
        "overdue": bool(_OVERDUE.search(text)),
        "open": bool(_OPEN.search(text)),
        "largest": bool(_LARGEST.search(text)),
        "due": due,
        "kinds": kinds,
    }


def _args(filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "date_from": date.fromisoformat(filters["start"]) if filters["start"] else None,
        "date_to": date.fromisoformat(filters["end"]) if filters["end"] else None,
        "kinds": frozenset(filters["kinds"]),
        "open_only": filters["open"],
        "overdue_only": filters["overdue"],
        "order": _order(filters),
    }


def _order(filters: dict[str, Any]) -> StatementOrder:
    """Largest first, oldest due date first, or newest first; a listing kept before the due date
    order existed has no ``due``."""
    if filters["largest"]:
        return StatementOrder.LARGEST
    if filters.get("due"):
        return StatementOrder.OLDEST_DUE
    return StatementOrder.NEWEST


def _describe(ctx: TurnContext, filters: dict[str, Any]) -> str:
    parts = []
    if filters["kinds"]:
        kinds = ", ".join(ctx.t(f"statement.kinds.{k}") for k in filters["kinds"])
        parts.append(ctx.t("statement.filter.kinds", kinds=kinds))
    if filters["overdue"]:
        parts.append(ctx.t("statement.filter.overdue"))
    elif filters["open"]:
        parts.append(ctx.t("statement.filter.open"))
    order = _order(filters)
    parts.append(ctx.t(f"statement.filter.{order.value}"))
    return "".join(parts)


def _table(ctx: TurnContext, items: tuple[StatementItem, ...]) -> Table:
    return Table(
        columns=(
            ctx.t("statement.col.kind"),
            ctx.t("statement.col.number"),
            ctx.t("statement.col.date"),
            ctx.t("statement.col.due"),
            ctx.t("statement.col.amount"),
            ctx.t("statement.col.open"),
            ctx.t("statement.col.overdue"),
        ),
        rows=tuple(
            (
                ctx.t(f"statement.kind.{item.kind}").capitalize(),
                item.number,
                ctx.fmt.date(item.on),
                ctx.fmt.date(item.due_on) if item.due_on else "",
                ctx.fmt.money(item.amount),
                ctx.fmt.money(item.open_amount),
                ctx.t("statement.yes") if item.overdue else "",
            )
            for item in items
        ),
    )


def _copy_url(ctx: TurnContext, item: StatementItem) -> str | None:
    """A lazy link to the item's copy (invoices and credit notes; payments have none), rendered only
    when opened; ``None`` when there is no copy or the user may not see invoices."""
    owner = ctx.principal.user_id
    if item.kind not in ("invoice", "credit_note") or owner is None or not ctx.principal.may(Tool.INVOICES):
        return None
    kind: DocumentKind = "invoice" if item.kind == "invoice" else "credit_note"
    return ctx.files.document_link(owner=owner, kind=kind, number=item.number)


def _copy_links(ctx: TurnContext, items: tuple[StatementItem, ...]) -> list[Attachment]:
    """A link per invoice or credit note shown: every channel renders links, no table cell does."""
    links = []
    for item in items:
        url = _copy_url(ctx, item)
        if url is not None:
            name = ctx.t("statement.copy", number=item.number)
            links.append(Attachment(kind="link", name=name, url=url, content_type=PDF_TYPE))
    return links


def _item_marks(item: StatementItem) -> tuple[str, ...]:
    """What tells an invoice of the statement apart ("the overdue one", "den obetalda"); a credit note
    is marked as one."""
    if item.kind == "credit_note":
        return ("credit",)
    if item.open_amount.minor == 0:
        return ("paid",)
    return ("unpaid", "open", "overdue") if item.overdue else ("unpaid", "open")


async def statement_show(ctx: TurnContext) -> Reply:
    intent = "statement.show"
    kept = ctx.context(ListingContext)
    saved = kept.listing
    more = asks_for_more(ctx.parse.text) and saved is not None and not ctx.period()[0]
    if more and saved is not None:
        filters, offset = saved.filters, saved.offset + PAGE_SIZE
    else:
        filters, offset = _filters(ctx), 0
    statement = await ctx.backends.statements.statement_page(
        ctx.principal, **_args(filters), offset=offset, limit=PAGE_SIZE
    )
    kept.listing = Listing(filters=filters, offset=offset)
    fmt = ctx.fmt
    described = _describe(ctx, filters)
    text = ctx.t(
        "statement.summary",
        start=fmt.date(statement.date_from),
        end=fmt.date(statement.date_to),
        balance=fmt.money(statement.balance),
        overdue=fmt.money(statement.overdue),
    )
    if not statement.items:
        return Reply(
            text=text + ctx.t("statement.none", filters=described), language=ctx.language, intent=intent
        )
    text += found_text(ctx, "statement.shown", described, offset, len(statement.items), statement.has_more)
    records = [item for item in statement.items if item.kind in ("invoice", "credit_note")]
    if records:
        # (the invoices and credit notes in the order shown: "the overdue one", "och kreditnotan?")
        ctx.set_shown("invoice", [item.number for item in records], [_item_marks(item) for item in records])
    buttons: list[Button] = []
    if statement.has_more:
        buttons.append(
            Button(label=ctx.t("statement.button.more"), value=ctx.t("statement.button.more.value"))
        )
    buttons.append(
        Button(label=ctx.t("statement.button.download"), value=ctx.t("statement.button.download.value"))
    )
    return Reply(
        text=text,
        table=_table(ctx, statement.items),
        buttons=tuple(buttons),
        attachments=tuple(_copy_links(ctx, statement.items)),
        language=ctx.language,
        intent=intent,
    )


def statement_columns(ctx: TurnContext) -> list[Column]:
    return [
        Column(ctx.t("statement.col.kind"), "text", 14),
        Column(ctx.t("statement.col.number"), "text", 16),
        Column(ctx.t("statement.col.date"), "date", 12),
        Column(ctx.t("statement.col.due"), "date", 12),
        Column(ctx.t("statement.col.amount"), "amount", 16),
        Column(ctx.t("statement.col.open"), "amount", 16),
        Column(ctx.t("statement.col.overdue"), "text", 10),
        Column(ctx.t("statement.col.currency"), "text", 8),
        Column(ctx.t("statement.col.copy"), "text", 60),
    ]


async def statement_download(ctx: TurnContext) -> Reply:
    intent = "statement.download"
    filters = _filters(ctx)
    saved = ctx.context(ListingContext).listing
    if (
        saved
        and ctx.last_intent == "statement.show"
        and not any((filters["start"], filters["kinds"], filters["open"], filters["overdue"]))
    ):
        filters = {
            **saved.filters,
            "largest": filters["largest"] or saved.filters["largest"],
            "due": filters["due"] or saved.filters.get("due", False),
        }
    args = _args(filters)
    statement = await ctx.backends.statements.statement(
        ctx.principal, date_from=args["date_from"], date_to=args["date_to"]
    )
    items = [
        item
        for item in statement.items
        if (not filters["kinds"] or item.kind in filters["kinds"])
        and (not filters["overdue"] or item.overdue)
        and (not filters["open"] or item.open_amount.minor != 0)
    ]
    if filters["largest"]:
        items.sort(key=lambda item: -abs(item.amount.minor))
    elif filters.get("due"):
        # Oldest due date first; what never falls due (credit notes, payments) after, oldest first.
        items.sort(key=lambda item: (item.due_on is None, item.due_on or item.on))
    fmt = ctx.fmt
    described = _describe(ctx, filters)
    start, end = fmt.date(statement.date_from), fmt.date(statement.date_to)
    if not items:
        return Reply(
            text=ctx.t("statement.empty", filters=described, start=start, end=end),
            language=ctx.language,
            intent=intent,
        )
    if len(items) > REPORT_LIMIT:
        return Reply(
            text=ctx.t("statement.too_large", limit=REPORT_LIMIT), language=ctx.language, intent=intent
        )
    yes = ctx.t("statement.yes")
    rows: list[list[Any]] = [
        [
            ctx.t(f"statement.kind.{item.kind}"),
            item.number,
            item.on,
            item.due_on,
            item.amount.amount,
            item.open_amount.amount,
            yes if item.overdue else "",
            item.amount.currency,
            _copy_url(ctx, item) or "",
        ]
        for item in items
    ]
    columns = statement_columns(ctx)
    sheet = ctx.t("statement.sheet")
    xlsx, csv_data = await asyncio.to_thread(
        lambda: (to_xlsx(sheet, columns, rows, currency_column=7), to_csv(columns, rows))
    )
    sheet_files = Spreadsheet(
        f"statement-{statement.date_from.isoformat()}-{statement.date_to.isoformat()}", xlsx, csv_data
    )
    said = {"start": start, "end": end, "count": len(rows), "filters": described}
    balance = fmt.money(statement.balance)
    mailed, note = await mail_to_self(
        ctx,
        sheet_files,
        subject=ctx.t("statement.mail_subject", start=start, end=end),
        body=ctx.t("statement.mail_body", name=ctx.principal.name, start=start, end=end),
    )
    if mailed is not None:
        text = mailed_text(ctx.t("statement.mailed", email=mailed, balance=balance, **said), note)
        return Reply(text=text, language=ctx.language, intent=intent)
    attachments = await publish(ctx, sheet_files, Tool.STATEMENTS)
    text = note + ctx.t("statement.ready", balance=balance, **said)
    text += ctx.t("download.links", minutes=ctx.link_minutes)
    return Reply(text=text, attachments=attachments, language=ctx.language, intent=intent)


_SAYS_FILE = re.compile(
    rf"(?i)\b(?:{FILE_WORDS}|fil(?:en)?|files?|save|spara|e-?mail\w*|mail\w*|mejl\w*|send\w*|skicka\w*"
    r"|forward\w*|vidarebefordra\w*|xls)\b"
)
"""The words of the statement as a file, or mailed: without them "statement for this year please" is the
statement shown here."""
_PERIOD = Slot(
    name="period", entities=("date_range", "date"), question="order.ask_period", required=False, carry=False
)

INTENTS = [
    IntentSpec(
        name="statement.show",
        called={"en": "statement", "sv": "kontoutdraget"},
        context=ListingContext,
        examples=SHOW_EXAMPLES,
        handler=statement_show,
        tool=Tool.STATEMENTS,
        slots=(_PERIOD,),
    ),
    IntentSpec(
        name="statement.download",
        exports_after=("statement.show", "statement.download"),
        requires=_SAYS_FILE,
        context=ListingContext,
        examples=DOWNLOAD_EXAMPLES,
        handler=statement_download,
        tool=Tool.STATEMENTS,
        slots=(_PERIOD,),
    ),
]
