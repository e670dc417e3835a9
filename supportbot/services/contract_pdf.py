"""A contract version as a PDF document and as a page to print, made from the data in the customer's
language: the contract's facts, the version's text, its hash, and who approved and signed it.

Nothing is stored: a copy in chat, a forwarded one and one opened from a link are rendered alike from
the back end's records (``contract_pdf``, ``contract_page``). The words for a contract's kind, status
and renewal live here too, so the chat, the PDF and the page say the same thing.

The fonts are fpdf2's core fonts, as on invoices (``invoice_pdf``): Latin-1 covers English and
Swedish, and anything outside it is mapped to a close character.
"""

from __future__ import annotations

import asyncio
import html
from datetime import date, datetime, timedelta

from supportbot.bot.i18n import Entry, Formatter, words
from supportbot.integrations.models import Contract, ContractDocument, ContractVersion, Principal
from supportbot.services.invoice_pdf import SELLER, latin1

PDF_TYPE = "application/pdf"
HTML_TYPE = "text/html"

KINDS = ("hardware_maintenance", "software_subscription", "lease", "services")
RENEWALS = ("automatic", "manual", "none")
CHANNELS = ("web", "slack", "teams", "console")

# --- words ----------------------------------------------------------------------------------------

WORDS: dict[str, Entry] = {
    "contract.kind.hardware_maintenance": {"en": "hardware maintenance", "sv": "hårdvaruunderhåll"},
    "contract.kind.software_subscription": {"en": "software subscription", "sv": "mjukvaruprenumeration"},
    "contract.kind.lease": {"en": "lease", "sv": "leasing"},
    "contract.kind.services": {"en": "services", "sv": "tjänster"},
    "contract.kind.other": {"en": "other", "sv": "övrigt"},
    "contract.status.draft": {"en": "draft", "sv": "utkast"},
    "contract.status.awaiting_approval": {"en": "awaiting approval", "sv": "väntar på godkännande"},
    "contract.status.awaiting_signature": {"en": "awaiting signature", "sv": "väntar på underskrift"},
    "contract.status.active": {"en": "active", "sv": "aktivt"},
    "contract.status.expired": {"en": "expired", "sv": "utgånget"},
    "contract.status.terminated": {"en": "terminated", "sv": "uppsagt"},
    "contract.renewal.automatic": {
        "plural": "months",
        "en": {
            "one": "renews automatically for {months} month unless notice is given",
            "other": "renews automatically for {months} months unless notice is given",
        },
        "sv": {
            "one": "förlängs automatiskt med {months} månad om det inte sägs upp",
            "other": "förlängs automatiskt med {months} månader om det inte sägs upp",
        },
    },
    "contract.renewal.automatic_unstated": {
        "en": "renews automatically unless notice is given",
        "sv": "förlängs automatiskt om det inte sägs upp",
    },
    "contract.renewal.manual": {
        "en": "manual: a new version must be agreed to continue",
        "sv": "manuell: en ny version måste avtalas för att fortsätta",
    },
    "contract.renewal.none": {
        "en": "none: ends on the end date",
        "sv": "ingen: upphör på slutdatumet",
    },
    "contract.notice": {
        "plural": "days",
        "en": {"one": "{days} day", "other": "{days} days"},
        "sv": {"one": "{days} dag", "other": "{days} dagar"},
    },
    "contract.channel.web": {"en": "the web chat", "sv": "webbchatten"},
    "contract.channel.slack": {"en": "Slack", "sv": "Slack"},
    "contract.channel.teams": {"en": "Microsoft Teams", "sv": "Microsoft Teams"},
    "contract.channel.console": {"en": "the assistant's console", "sv": "assistentens konsol"},
    "contract.channel.paper": {
        "en": "on paper, before this assistant was in use",
        "sv": "på papper, innan den här assistenten användes",
    },
    "contract.field.type": {"en": "Type", "sv": "Typ"},
    "contract.field.status": {"en": "Status", "sv": "Status"},
    "contract.field.site": {"en": "Site", "sv": "Anläggning"},
    "contract.field.all_sites": {"en": "all sites", "sv": "alla anläggningar"},
    "contract.field.term": {"en": "Term", "sv": "Avtalstid"},
    "contract.field.starts": {"en": "Start date", "sv": "Startdatum"},
    "contract.field.ends": {"en": "End date", "sv": "Slutdatum"},
    "contract.field.notice": {"en": "Notice period", "sv": "Uppsägningstid"},
    "contract.field.notice_by": {"en": "Last day to give notice", "sv": "Sista dag för uppsägning"},
    "contract.field.renewal": {"en": "Renewal", "sv": "Förlängning"},
    "contract.field.service_level": {"en": "Service level", "sv": "Servicenivå"},
    "contract.field.value": {"en": "Annual value", "sv": "Årsvärde"},
    "contract.field.version": {"en": "Current version", "sv": "Gällande version"},
    "contract.field.waiting": {"en": "Waiting for you", "sv": "Väntar på er"},
    "contract.field.covers": {"en": "Covers", "sv": "Omfattar"},
    "contract.waiting.approval": {
        "en": "approval of version {version}",
        "sv": "godkännande av version {version}",
    },
    "contract.waiting.signature": {
        "en": "signature of version {version}",
        "sv": "underskrift av version {version}",
    },
    "contract.pdf.title": {"en": "Contract {number}", "sv": "Avtal {number}"},
    "contract.pdf.customer": {"en": "Customer", "sv": "Kund"},
    "contract.pdf.customer_number": {"en": "Customer number", "sv": "Kundnummer"},
    "contract.pdf.version": {"en": "Version", "sv": "Version"},
    "contract.pdf.version_line": {
        "en": "Version {version} of {date}",
        "sv": "Version {version} från {date}",
    },
    "contract.pdf.version_value": {"en": "{version}, of {date}", "sv": "{version}, från {date}"},
    "contract.pdf.drawn_up": {"en": "Drawn up by", "sv": "Upprättad av"},
    "contract.pdf.sha256": {"en": "SHA-256 of this version", "sv": "SHA-256 för denna version"},
    "contract.pdf.terms": {"en": "Terms", "sv": "Villkor"},
    "contract.pdf.text": {"en": "Contract text", "sv": "Avtalstext"},
    "contract.pdf.changes": {"en": "Changes in this version", "sv": "Ändringar i denna version"},
    "contract.pdf.not_current": {
        "en": "This is version {version}; the current version is {current}.",
        "sv": "Detta är version {version}; gällande version är {current}.",
    },
    "contract.pdf.awaiting.approval": {
        "en": "This version is awaiting the customer's approval.",
        "sv": "Denna version väntar på kundens godkännande.",
    },
    "contract.pdf.awaiting.signature": {
        "en": "This version is awaiting the customer's signature.",
        "sv": "Denna version väntar på kundens underskrift.",
    },
    "contract.pdf.approval": {"en": "Approval", "sv": "Godkännande"},
    "contract.pdf.approved": {
        "en": "Approved by {name} ({user}) on {when}.",
        "sv": "Godkänd av {name} ({user}) {when}.",
    },
    "contract.pdf.signature": {"en": "Signature", "sv": "Underskrift"},
    "contract.pdf.signer": {"en": "Signed by", "sv": "Undertecknad av"},
    "contract.pdf.user_id": {"en": "User id", "sv": "Användar-id"},
    "contract.pdf.signed_at": {"en": "Time", "sv": "Tidpunkt"},
    "contract.pdf.signed_via": {"en": "Channel", "sv": "Kanal"},
    "contract.pdf.binds": {"en": "Signature binds to SHA-256", "sv": "Underskriften avser SHA-256"},
    "contract.pdf.simple_signature": {
        "en": "This is a simple electronic signature under the eIDAS regulation (EU) No 910/2014, not an "
        "advanced or a qualified electronic signature. It records who signed, when, through which "
        "channel, and the SHA-256 of the exact text signed: any change to the text gives another hash.",
        "sv": "Detta är en enkel elektronisk underskrift enligt eIDAS-förordningen (EU) nr 910/2014, inte "
        "en avancerad eller kvalificerad elektronisk underskrift. Den visar vem som skrev under, när, i "
        "vilken kanal, och SHA-256 för exakt den text som undertecknades: varje ändring av texten ger en "
        "annan hash.",
    },
    "contract.pdf.paper_signature": {
        "en": "This version was signed on paper before this assistant was in use; the original is kept "
        "by {seller}. The hash above identifies the text that was signed.",
        "sv": "Denna version skrevs under på papper innan den här assistenten användes; originalet "
        "förvaras av {seller}. Hashen ovan identifierar texten som undertecknades.",
    },
    "contract.pdf.footer": {
        "en": "{seller} · contract {number}, version {version} · SHA-256 {short}",
        "sv": "{seller} · avtal {number}, version {version} · SHA-256 {short}",
    },
    "contract.page.print": {
        "en": "Print this page, or save it as PDF, with your browser's Print command.",
        "sv": "Skriv ut sidan, eller spara den som pdf, med webbläsarens utskriftskommando.",
    },
}
"""A contract's kinds, statuses and renewals as customers read them, and the words on its PDF and page."""
words(WORDS)


# --- the facts every rendering shares ---------------------------------------------------------------


def kind_words(fmt: Formatter, kind: str) -> str:
    return fmt.t(f"contract.kind.{kind}" if kind in KINDS else "contract.kind.other")


def status_words(fmt: Formatter, contract: Contract) -> str:
    return fmt.t(f"contract.status.{contract.status.value}")


def notice_by(contract: Contract) -> date:
    """The last day notice can be given: the end date less the notice period."""
    return contract.ends_on - timedelta(days=contract.notice_days)


def renewal_words(fmt: Formatter, contract: Contract) -> str:
    if contract.renewal == "automatic":
        if contract.renewal_months:
            return fmt.t("contract.renewal.automatic", months=contract.renewal_months)
        return fmt.t("contract.renewal.automatic_unstated")
    return fmt.t("contract.renewal.none" if contract.renewal == "none" else "contract.renewal.manual")


def channel_words(fmt: Formatter, channel: str | None) -> str:
    """Where a signature was given; none recorded means it was signed on paper, before the assistant."""
    if channel is None:
        return fmt.t("contract.channel.paper")
    return fmt.t(f"contract.channel.{channel}") if channel in CHANNELS else channel


def waiting_words(fmt: Formatter, contract: Contract) -> str | None:
    """What the customer is asked for on the contract: the approval or signature of a version."""
    for version in reversed(contract.versions):
        if version.awaiting in ("approval", "signature"):
            return fmt.t(f"contract.waiting.{version.awaiting}", version=version.version)
    return None


def moment(fmt: Formatter, at: datetime) -> str:
    """A time as the user reads it, with its time zone: "3 Dec 2026 15:00 (Europe/Stockholm, UTC+01:00)"."""
    local = at.astimezone(fmt.tz)
    offset = local.strftime("%z")
    return f"{fmt.datetime(at, zone=False)} ({fmt.tz.key}, UTC{offset[:3]}:{offset[3:]})"


def contract_terms(fmt: Formatter, contract: Contract) -> list[tuple[str, str]]:
    """The contract's terms, labelled, in the user's language: the card's, the PDF's and the page's."""
    t = fmt.t
    rows = [
        (t("contract.field.type"), kind_words(fmt, contract.kind).capitalize()),
        (t("contract.field.status"), status_words(fmt, contract).capitalize()),
        (t("contract.field.site"), contract.site or t("contract.field.all_sites")),
        (t("contract.field.starts"), fmt.date(contract.starts_on)),
        (t("contract.field.ends"), fmt.date(contract.ends_on)),
        (t("contract.field.notice"), t("contract.notice", days=contract.notice_days)),
        (t("contract.field.notice_by"), fmt.date(notice_by(contract))),
        (t("contract.field.renewal"), renewal_words(fmt, contract).capitalize()),
    ]
    if contract.service_level:
        rows.append((t("contract.field.service_level"), contract.service_level))
    rows.append((t("contract.field.value"), fmt.money(contract.annual_value)))
    return rows


def _customer(principal: Principal, contract: Contract) -> str:
    name = principal.company_name or ""
    return f"{name} ({contract.customer_number})" if name else contract.customer_number


def _version_line(fmt: Formatter, version: ContractVersion) -> str:
    return fmt.t("contract.pdf.version_line", version=version.version, date=fmt.date(version.created_at))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _version_value(fmt: Formatter, version: ContractVersion) -> str:
    return fmt.t("contract.pdf.version_value", version=version.version, date=fmt.date(version.created_at))


def _signature_rows(fmt: Formatter, version: ContractVersion) -> list[tuple[str, str]]:
    t = fmt.t
    assert version.signed_at is not None
    return [
        (t("contract.pdf.signer"), version.signed_name or version.signed_by or "–"),
        (t("contract.pdf.user_id"), version.signed_by or "–"),
        (t("contract.pdf.signed_at"), moment(fmt, version.signed_at)),
        (t("contract.pdf.signed_via"), _first_upper(channel_words(fmt, version.signed_channel))),
        (t("contract.pdf.binds"), version.sha256),
    ]


def _signature_note(fmt: Formatter, version: ContractVersion) -> str:
    if version.signed_channel is None:
        return fmt.t("contract.pdf.paper_signature", seller=SELLER.name)
    return fmt.t("contract.pdf.simple_signature")


def _approval_line(fmt: Formatter, version: ContractVersion) -> str | None:
    if version.approved_at is None:
        return None
    return fmt.t(
        "contract.pdf.approved",
        name=version.approved_name or version.approved_by or "–",
        user=version.approved_by or "–",
        when=moment(fmt, version.approved_at),
    )


# --- the PDF ----------------------------------------------------------------------------------------


async def contract_pdf(document: ContractDocument, *, principal: Principal, fmt: Formatter) -> bytes:
    """The version's PDF for the user's company, rendered off the event loop (it is CPU work)."""
    return await asyncio.to_thread(
        render_contract_pdf, document, customer=_customer(principal, document.contract), fmt=fmt
    )


def render_contract_pdf(document: ContractDocument, *, customer: str, fmt: Formatter) -> bytes:
    """A4: the vendor, the contract and version with its hash, the terms, the text; then approval, and a
    signature page when the version is signed."""
    from fpdf import FPDF  # on the first PDF, as for invoices (``invoice_pdf.render_invoice_pdf``)

    t = fmt.t
    contract, version = document.contract, document.version
    title = t("contract.pdf.title", number=contract.number)
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_author(latin1(SELLER.name))
    pdf.set_creator("supportbot")
    pdf.set_auto_page_break(auto=True, margin=20)
    footer = t(
        "contract.pdf.footer",
        seller=SELLER.name,
        number=contract.number,
        version=version.version,
        short=version.sha256[:16],
    )
    pdf.add_page()

    def line(value: str, *, size: float = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def facts(rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(55, 6, latin1(label))
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    line(SELLER.name, size=16, style="B", height=10)
    for address in SELLER.address:
        line(address, size=9, height=4.5)
    pdf.ln(6)
    line(title, size=14, style="B", height=8)
    line(contract.title, size=11)
    pdf.ln(3)
    facts(
        [
            (t("contract.pdf.customer"), customer),
            (t("contract.pdf.version"), _version_value(fmt, version)),
            (t("contract.pdf.drawn_up"), version.created_by or SELLER.name),
        ]
    )
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(55, 6, latin1(t("contract.pdf.sha256")))
    pdf.set_font("Courier", "", 8.5)
    pdf.multi_cell(0, 6, version.sha256, new_x="LMARGIN", new_y="NEXT")
    current = contract.versions[-1].version if contract.versions else version.version
    if version.version != current:
        pdf.ln(1)
        line(t("contract.pdf.not_current", version=version.version, current=current), style="I")
    if version.awaiting in ("approval", "signature"):
        pdf.ln(1)
        line(t(f"contract.pdf.awaiting.{version.awaiting}"), style="B")
    pdf.ln(4)
    line(t("contract.pdf.terms"), size=12, style="B", height=7)
    facts(contract_terms(fmt, contract))
    pdf.ln(4)
    line(t("contract.pdf.changes"), size=12, style="B", height=7)
    line(version.summary)
    pdf.ln(4)
    line(t("contract.pdf.text"), size=12, style="B", height=7)
    for paragraph in document.text.splitlines():
        line(paragraph or " ", size=10)
    approval = _approval_line(fmt, version)
    if approval:
        pdf.ln(6)
        line(t("contract.pdf.approval"), size=12, style="B", height=7)
        line(approval)
    pdf.ln(6)
    line(footer, size=8, height=4)
    if version.signed_at is not None:
        pdf.add_page()
        line(t("contract.pdf.signature"), size=14, style="B", height=8)
        line(f"{title} · {_version_line(fmt, version)}", size=11)
        pdf.ln(4)
        rows = _signature_rows(fmt, version)
        facts(rows[:-1])
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 6, latin1(rows[-1][0]))
        pdf.set_font("Courier", "", 8.5)
        pdf.multi_cell(0, 6, rows[-1][1], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        line(_signature_note(fmt, version), size=9, height=4.5)
        pdf.ln(6)
        line(footer, size=8, height=4)
    return bytes(pdf.output())


# --- the page to print -----------------------------------------------------------------------------

_STYLE = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; max-width: 46em; margin: 2em auto;
       padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin: 1.6em 0 .4em; }
.vendor { font: 10pt/1.3 Helvetica, Arial, sans-serif; color: #444; margin-bottom: 2em; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top;
       padding: .25em .6em .25em 0; } th { width: 15em; font-weight: 600; }
.hash { font: 9pt/1.3 "Courier New", monospace; word-break: break-all; }
.text { white-space: pre-wrap; border-left: 3px solid #ccc; padding-left: 1em; }
.note { font-size: 9.5pt; color: #333; } .hint { font: 9pt Helvetica, Arial, sans-serif; color: #666; }
.signature { margin-top: 2em; }
@media print {
  @page { size: A4; margin: 20mm; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  .hint { display: none; }
  .signature { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; } tr { break-inside: avoid; }
}
"""


def render_contract_page(document: ContractDocument, *, customer: str, fmt: Formatter) -> str:
    """The same document as a page to print: one self-contained HTML page, every value escaped, a print
    style sheet (A4 margins, the signature on a page of its own), no scripts."""
    t = fmt.t
    contract, version = document.contract, document.version
    e = html.escape
    title = t("contract.pdf.title", number=contract.number)

    def table(rows: list[tuple[str, str]], *, hashed: str | None = None) -> str:
        hash_class = ' class="hash"'
        cells = "".join(
            f"<tr><th>{e(label)}</th><td{hash_class if label == hashed else ''}>{e(value)}</td></tr>"
            for label, value in rows
        )
        return f"<table>{cells}</table>"

    head_rows = [
        (t("contract.pdf.customer"), customer),
        (t("contract.pdf.version"), _version_value(fmt, version)),
        (t("contract.pdf.drawn_up"), version.created_by or SELLER.name),
        (t("contract.pdf.sha256"), version.sha256),
    ]
    parts = [
        f'<!doctype html><html lang="{e(fmt.language)}"><head><meta charset="utf-8">',
        f"<title>{e(title)} · {e(_version_line(fmt, version))}</title><style>{_STYLE}</style></head><body>",
        f'<p class="hint">{e(t("contract.page.print"))}</p>',
        f'<div class="vendor">{e(SELLER.name)}<br>{"<br>".join(e(a) for a in SELLER.address)}</div>',
        f"<h1>{e(title)}</h1><p>{e(contract.title)}</p>",
        table(head_rows, hashed=t("contract.pdf.sha256")),
    ]
    current = contract.versions[-1].version if contract.versions else version.version
    if version.version != current:
        parts.append(
            f"<p><em>{e(t('contract.pdf.not_current', version=version.version, current=current))}</em></p>"
        )
    if version.awaiting in ("approval", "signature"):
        parts.append(f"<p><strong>{e(t(f'contract.pdf.awaiting.{version.awaiting}'))}</strong></p>")
    parts += [
        f"<h2>{e(t('contract.pdf.terms'))}</h2>",
        table(contract_terms(fmt, contract)),
        f"<h2>{e(t('contract.pdf.changes'))}</h2><p>{e(version.summary)}</p>",
        f'<h2>{e(t("contract.pdf.text"))}</h2><div class="text">{e(document.text)}</div>',
    ]
    approval = _approval_line(fmt, version)
    if approval:
        parts.append(f"<h2>{e(t('contract.pdf.approval'))}</h2><p>{e(approval)}</p>")
    if version.signed_at is not None:
        parts += [
            f'<section class="signature"><h2>{e(t("contract.pdf.signature"))}</h2>',
            table(_signature_rows(fmt, version), hashed=t("contract.pdf.binds")),
            f'<p class="note">{e(_signature_note(fmt, version))}</p></section>',
        ]
    parts.append("</body></html>")
    return "".join(parts)


async def contract_page(document: ContractDocument, *, principal: Principal, fmt: Formatter) -> str:
    """The page to print for the user's company."""
    return render_contract_page(document, customer=_customer(principal, document.contract), fmt=fmt)
