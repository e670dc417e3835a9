"""An invoice as a PDF document, rendered from the data in the customer's language.

fpdf2's core fonts keep the package free of binary font files; they cover Latin-1, which holds
every character of English and Swedish text (å, ä, ö). Amounts carry their ISO currency code,
so no "€" is ever needed; anything outside Latin-1 is mapped to a close Latin-1 character.

A copy in chat, a forwarded one and one opened from a document link are rendered alike, for the
signed-in user's company (``invoice_pdf``, ``credit_note_pdf``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from supportbot.bot.i18n import Entry, Formatter, words
from supportbot.integrations.models import CreditNote, Invoice, Principal

PDF_TYPE = "application/pdf"


# --- words ----------------------------------------------------------------------------------------

WORDS: dict[str, Entry] = {
    "invoice.pdf.title": {"en": "Invoice {number}", "sv": "Faktura {number}"},
    "invoice.pdf.buyer": {"en": "Bill to", "sv": "Faktureras till"},
    "invoice.pdf.customer_number": {"en": "Customer number", "sv": "Kundnummer"},
    "invoice.pdf.number": {"en": "Invoice number", "sv": "Fakturanummer"},
    "invoice.pdf.issued": {"en": "Invoice date", "sv": "Fakturadatum"},
    "invoice.pdf.due": {"en": "Due date", "sv": "Förfallodag"},
    "invoice.pdf.order": {"en": "Order", "sv": "Order"},
    "invoice.pdf.description": {"en": "Description", "sv": "Beskrivning"},
    "invoice.pdf.quantity": {"en": "Qty", "sv": "Antal"},
    "invoice.pdf.unit_price": {"en": "Unit price", "sv": "À-pris"},
    "invoice.pdf.vat_rate": {"en": "VAT", "sv": "Moms"},
    "invoice.pdf.net": {"en": "Net", "sv": "Netto"},
    "invoice.pdf.total_net": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "invoice.pdf.total_vat": {"en": "VAT", "sv": "Moms"},
    "invoice.pdf.total": {"en": "Total incl. VAT", "sv": "Att betala inkl. moms"},
    "invoice.pdf.paid": {"en": "Paid", "sv": "Betalt"},
    "invoice.pdf.terms": {"en": "Payment terms", "sv": "Betalningsvillkor"},
    "invoice.pdf.terms_text": {
        "plural": "days",
        "en": {
            "one": "{days} day net. Please pay {amount} by {due} to {account}, "
            "quoting invoice number {number}. Interest on late payment according to law.",
            "other": "{days} days net. Please pay {amount} by {due} to {account}, "
            "quoting invoice number {number}. Interest on late payment according to law.",
        },
        "sv": {
            "one": "{days} dag netto. Betala {amount} senast {due} till {account} och ange "
            "fakturanummer {number}. Dröjsmålsränta enligt räntelagen.",
            "other": "{days} dagar netto. Betala {amount} senast {due} till {account} och ange "
            "fakturanummer {number}. Dröjsmålsränta enligt räntelagen.",
        },
    },
    "invoice.pay_to.bankgiro": {"en": "Bankgiro {bankgiro}", "sv": "bankgiro {bankgiro}"},
    "invoice.pay_to.iban": {"en": "IBAN {iban} (BIC {bic})", "sv": "IBAN {iban} (BIC {bic})"},
    "invoice.pay_to.either": {
        "en": "{bankgiro} from Sweden, or {iban} from abroad",
        "sv": "{bankgiro} inom Sverige eller {iban} från utlandet",
    },
    "invoice.pdf.vat_number": {"en": "VAT no.", "sv": "Momsreg.nr"},
    "invoice.pdf.org_number": {"en": "Reg. no.", "sv": "Org.nr"},
    "credit.pdf.title": {"en": "Credit note {number}", "sv": "Kreditnota {number}"},
    "credit.pdf.buyer": {"en": "Credited to", "sv": "Krediteras till"},
    "credit.pdf.number": {"en": "Credit note number", "sv": "Kreditnotanummer"},
    "credit.pdf.date": {"en": "Date", "sv": "Datum"},
    "credit.pdf.invoice": {"en": "Credited invoice", "sv": "Krediterad faktura"},
    "credit.pdf.reason": {"en": "Reason", "sv": "Orsak"},
    "credit.pdf.amount": {"en": "Amount", "sv": "Belopp"},
}
"""The words on an invoice's and a credit note's PDF."""
words(WORDS)


@dataclass(frozen=True)
class Vendor:
    """The seller printed on every invoice: the vendor running the assistant."""

    name: str
    address: tuple[str, ...]
    vat_number: str
    org_number: str
    bankgiro: str
    """Paid to from Sweden, in kronor."""
    iban: str
    bic: str
    """Paid to from abroad, in any other currency."""
    email: str


# The demo vendor, as on the demo web page; a deployment puts its own company here.
SELLER = Vendor(
    name="Nordlys Systems AB",
    address=("Box 1234", "164 40 Kista", "Sweden"),
    vat_number="SE556677889901",
    org_number="556677-8899",
    bankgiro="5050-1055",
    iban="SE35 5000 0000 0549 1000 0003",
    bic="ESSESESS",
    email="invoices@vendor.example",
)


def pay_to(t: Callable[..., str], currency: str | None) -> str:
    """Where an amount in ``currency`` is paid (``t``: the reader's words): the seller's Bankgiro for
    kronor, its IBAN and BIC for any other currency, which is paid from abroad; both, for a currency
    not known."""
    bankgiro = t("invoice.pay_to.bankgiro", bankgiro=SELLER.bankgiro)
    if currency == "SEK":
        return bankgiro
    iban = t("invoice.pay_to.iban", iban=SELLER.iban, bic=SELLER.bic)
    return iban if currency is not None else t("invoice.pay_to.either", bankgiro=bankgiro, iban=iban)


_TRANSLATE = str.maketrans({"\u202f": " ", "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2019": "'"})


def latin1(text: str) -> str:
    return text.translate(_TRANSLATE).encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class Buyer:
    name: str
    customer_number: str
    address: tuple[str, ...] = ()

    @classmethod
    def of(cls, principal: Principal, customer_number: str) -> Buyer:
        """The user's company as the buyer, under the customer number the document carries."""
        return cls(name=principal.company_name or "", customer_number=customer_number)


async def invoice_pdf(invoice: Invoice, *, principal: Principal, fmt: Formatter) -> bytes:
    """The invoice's PDF for the user's company, rendered off the event loop (it is CPU work)."""
    buyer = Buyer.of(principal, invoice.customer_number)
    return await asyncio.to_thread(render_invoice_pdf, invoice, buyer=buyer, fmt=fmt)


async def credit_note_pdf(note: CreditNote, *, principal: Principal, fmt: Formatter) -> bytes:
    """The credit note's PDF for the user's company, rendered off the event loop."""
    buyer = Buyer.of(principal, note.customer_number)
    return await asyncio.to_thread(render_credit_note_pdf, note, buyer=buyer, fmt=fmt)


def render_invoice_pdf(invoice: Invoice, *, buyer: Buyer, fmt: Formatter) -> bytes:
    """One A4 invoice: seller, buyer, numbers and dates, lines, totals and payment terms."""
    # Imported on the first PDF: fpdf2 and what it loads are megabytes a server never asked for one does
    # not hold.
    from fpdf import FPDF

    t = fmt.t
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(t("invoice.pdf.title", number=invoice.number)))
    pdf.set_author(latin1(SELLER.name))
    pdf.set_creator("supportbot")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=20)

    def text(value: str) -> str:
        return latin1(value)

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, text(SELLER.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in (*SELLER.address, f"{t('invoice.pdf.vat_number')}: {SELLER.vat_number}"):
        pdf.cell(0, 4.5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, text(t("invoice.pdf.title", number=invoice.number)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(90, 5, text(t("invoice.pdf.buyer")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in (buyer.name, f"{t('invoice.pdf.customer_number')}: {buyer.customer_number}", *buyer.address):
        pdf.cell(90, 5, text(line), new_x="LMARGIN", new_y="NEXT")
    facts = [
        (t("invoice.pdf.number"), invoice.number),
        (t("invoice.pdf.issued"), fmt.date(invoice.issued_on)),
        (t("invoice.pdf.due"), fmt.date(invoice.due_on)),
    ]
    if invoice.order_number:
        facts.append((t("invoice.pdf.order"), invoice.order_number))
    pdf.set_xy(110, top)
    for label, value in facts:
        pdf.set_x(110)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(35, 5, text(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(0, 5, text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 5 * (3 + len(buyer.address))) + 8)

    widths = (78, 16, 34, 16, 36)
    headers = (
        t("invoice.pdf.description"),
        t("invoice.pdf.quantity"),
        t("invoice.pdf.unit_price"),
        t("invoice.pdf.vat_rate"),
        t("invoice.pdf.net"),
    )
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(235, 235, 235)
    for i, (width, header) in enumerate(zip(widths, headers, strict=True)):
        pdf.cell(width, 7, text(header), border="B", align="L" if i == 0 else "R", fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for item in invoice.lines:
        cells = (
            item.description,
            str(item.quantity),
            fmt.money(item.unit_price),
            f"{item.vat_rate.normalize():f} %",
            fmt.money(item.net),
        )
        for i, (width, value) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, text(value), align="L" if i == 0 else "R")
        pdf.ln()
    pdf.ln(4)

    for label, money, bold in (
        (t("invoice.pdf.total_net"), invoice.net, False),
        (t("invoice.pdf.total_vat"), invoice.vat, False),
        (t("invoice.pdf.total"), invoice.total, True),
    ):
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.cell(sum(widths[:-1]), 6, text(label), align="R")
        pdf.cell(widths[-1], 6, text(fmt.money(money)), align="R", new_x="LMARGIN", new_y="NEXT")
    if invoice.paid.minor:
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(sum(widths[:-1]), 6, text(t("invoice.pdf.paid")), align="R")
        pdf.cell(widths[-1], 6, text(fmt.money(invoice.paid)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)

    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, text(t("invoice.pdf.terms")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    days = (invoice.due_on - invoice.issued_on).days
    terms = t(
        "invoice.pdf.terms_text",
        days=days,
        due=fmt.date(invoice.due_on),
        amount=fmt.money(invoice.open_amount),
        account=pay_to(t, invoice.total.currency),
        number=invoice.number,
    )
    pdf.multi_cell(0, 4.5, text(terms), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 8)
    footer = (
        f"{SELLER.name} · {t('invoice.pdf.org_number')} {SELLER.org_number} · "
        f"{t('invoice.pdf.vat_number')} {SELLER.vat_number} · Bankgiro {SELLER.bankgiro} · "
        f"IBAN {SELLER.iban} · BIC {SELLER.bic} · {SELLER.email}"
    )
    pdf.multi_cell(0, 4, text(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_credit_note_pdf(note: CreditNote, *, buyer: Buyer, fmt: Formatter) -> bytes:
    """One A4 credit note: seller, buyer, number and date, the credited invoice and the amount."""
    from fpdf import FPDF  # on the first PDF (see render_invoice_pdf)

    t = fmt.t
    title = t("credit.pdf.title", number=note.number)
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_author(latin1(SELLER.name))
    pdf.set_creator("supportbot")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=20)

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, latin1(SELLER.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in (*SELLER.address, f"{t('invoice.pdf.vat_number')}: {SELLER.vat_number}"):
        pdf.cell(0, 4.5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, latin1(t("credit.pdf.buyer")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in (buyer.name, f"{t('invoice.pdf.customer_number')}: {buyer.customer_number}", *buyer.address):
        pdf.cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    facts = [
        (t("credit.pdf.number"), note.number),
        (t("credit.pdf.date"), fmt.date(note.issued_on)),
    ]
    if note.invoice_number:
        facts.append((t("credit.pdf.invoice"), note.invoice_number))
    if note.reason:
        facts.append((t("credit.pdf.reason"), note.reason))
    facts.append((t("credit.pdf.amount"), fmt.money(note.total)))
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(50, 6, latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 8)
    footer = (
        f"{SELLER.name} · {t('invoice.pdf.org_number')} {SELLER.org_number} · "
        f"{t('invoice.pdf.vat_number')} {SELLER.vat_number} · {SELLER.email}"
    )
    pdf.multi_cell(0, 4, latin1(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
