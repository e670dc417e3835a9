"""Invoices: one by number, order or "my latest" with its PDF; lists and spreadsheets; forwarding by
e-mail; approval; questions that become requests."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Final

from supportbot.bot.dialog import yes_no_buttons
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Attachment, Button, Card, Field, Reply, Table
from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.entities.ids import prefixed_ids
from supportbot.bot.nlu.lexicon import FILE_WORDS
from supportbot.bot.nlu.recipients import to_me
from supportbot.bot.nlu.types import Entity
from supportbot.bot.spec import IntentSpec, Question, Refused, Slot, TurnContext
from supportbot.bot.state import SlotValue
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import AccessDenied, MailUnavailable
from supportbot.integrations.models import (
    CreditNote,
    Invoice,
    InvoiceStatus,
    OrderStatus,
    Tool,
)
from supportbot.intents.common import (
    APPROVING,
    ASKED_AFTER,
    QUESTION_AHEAD,
    Listing,
    ListingContext,
    asks_for_more,
    found_text,
    named_alone,
    question_request,
)
from supportbot.intents.orders import order_summary
from supportbot.intents.recipients import (
    INLINE_TO_ME,
    ME,
    SENT,
    Spreadsheet,
    by_mail,
    mail_to_self,
    mailed_text,
    only_me,
    own_address,
    publish,
)
from supportbot.intents.requests import CONFIRM_SLOT, request_card
from supportbot.services.invoice_pdf import PDF_TYPE, SELLER, invoice_pdf, pay_to
from supportbot.services.outcomes import FORWARD_REFERENCE
from supportbot.services.spreadsheets import Column, to_csv, to_xlsx

log = logging.getLogger(__name__)

GET_EXAMPLES = {
    "en": [
        "show me invoice INV-2031",
        "I need a copy of invoice INV-2031",
        "can I get the pdf of INV-2032",
        "open invoice 2031",
        "where can I find my invoice",
        "I need our latest invoice",
        "send me a copy of the invoice for order 4711",
        "which invoice belongs to order 4711",
        "download invoice INV-3050 as pdf",
        "get invoice INV-2031",
        "I want to see the bill for order 4712",
        "could you pull up our last invoice",
        "show the details of INV-2032",
        "invoice copy please",
        "how much is invoice INV-2031",
        "what's the amount due on INV-2031",
        "when is INV-2031 due",
        "is invoice INV-2032 paid",
        "look up invoice inv2031",
        "view my bill",
        "find my invoice from last month",
        "I can't find the invoice you sent",
        "pdf copy of the latest invoice",
        "the invoice pdf please",
        "who approved INV-2031?",
        "I'd like a duplicate of an invoice",
        "can you show me the bill",
        "invoce INV-2031",
        "show invoice",
        "show the credit note CN-0107",
        "get me a copy of credit note CN-0107",
        "what was billed on invoice INV-2031",
        "check our latest invoice",
        "show me the lines on invoice INV-2031",
        "I need the invoice as a PDF for our bookkeeping",
        "send me the invoice as a pdf",
        "the invoice for PO NV-PO-889",
        "has the invoice for order 4711 been issued",
        "has it been invoiced yet",
        "open the invoice",
        "what is the due date of my invoice",
        "reprint invoice 2032",
        "I lost the invoice, can you send it again",
        "Could you show me our most recent bill, please?",
        "help me locate bill 2032",
        "where can I see the bill INV-2031",
        "I'm looking for my bill from March",
        "how do I find the invoice for our server purchase",
        "check the bill INV-2032",
        "get my bill",
        "can you look for the invoice from last week",
        "I don't know where my invoice is",
        "what's the total of invoice INV-2031",
        "is the invoice total including VAT",
    ],
    "sv": [
        "visa faktura INV-2031",
        "jag behöver en kopia av faktura INV-2031",
        "kan jag få pdf:en för INV-2032",
        "öppna faktura 2031",
        "var hittar jag min faktura",
        "jag behöver vår senaste faktura",
        "skicka mig en kopia av fakturan för order 4711",
        "vilken faktura hör till order 4711",
        "ladda ner faktura INV-3050 som pdf",
        "hämta faktura INV-2031",
        "jag vill se fakturan för order 4712",
        "kan du ta fram vår senaste faktura",
        "visa detaljerna för INV-2032",
        "fakturakopia tack",
        "hur mycket är faktura INV-2031 på",
        "vad ska betalas på INV-2031",
        "när förfaller INV-2031",
        "är faktura INV-2032 betald",
        "slå upp faktura inv2031",
        "visa min faktura",
        "hitta min faktura från förra månaden",
        "jag hittar inte fakturan ni skickade",
        "pdf-kopia av senaste fakturan",
        "bara pdf:en tack",
        "vem har attesterat fakturan?",
        "jag vill ha en dubblett av en faktura",
        "kan du visa räkningen",
        "faktrua INV-2031",
        "visa fakturan",
        "visa kreditnotan CN-0107",
        "ge mig en kopia av kreditfakturan CN-0107",
        "vad fakturerades på INV-2031",
        "kolla min faktura",
        "visa raderna på faktura INV-2031",
        "jag behöver fakturan som pdf till bokföringen",
        "skicka fakturan som pdf till mig",
        "fakturan för inköpsorder NV-PO-889",
        "har fakturan för order 4711 skickats ut",
        "finns det någon faktura för den än",
        "har den fakturerats än",
        "öppna fakturan",
        "när är förfallodagen på min faktura",
        "skriv ut faktura 2032 igen",
        "jag har tappat bort fakturan, kan ni skicka den igen",
        "Kan du visa vår senaste räkning, tack?",
        "hjälp mig att hitta räkning 2032",
        "var kan jag se räkningen INV-2031",
        "jag letar efter min räkning från mars",
        "hur hittar jag fakturan för vårt serverköp",
        "kolla räkningen INV-2032",
        "vad är totalbeloppet på faktura INV-2031",
        "hur mycket är fakturan på",
    ],
}

LIST_EXAMPLES = {
    "en": [
        "list my invoices",
        "show all open invoices",
        "which invoices are overdue",
        "download our invoices as a spreadsheet",
        "export invoices from last month to excel",
        "invoices from this year",
        "show unpaid invoices",
        "all invoices between 1 and 15 October",
        "list paid invoices in May",
        "how many invoices do we have outstanding",
        "invoices waiting for approval",
        "excel of all invoices since 1 May",
        "csv export of our invoices",
        "show me every invoice from Q3",
        "what invoices did we get last month",
        "list invoices over 10 000 SEK",
        "my bills",
        "all my invoices please",
        "show our invoice history",
        "invoices for Kista",
        "do we have any overdue invoices",
        "invoice list",
        "find invoices due this month",
        "xlsx with invoices from 2025",
        "list all bills from the last 30 days",
        "show invoices",
        "which invoices haven't we paid",
        "list the invoices for order 4711 and 4712",
        "show me all invoices that are due next week",
        "which bills fall due in March",
        "when is our next payment due",
        "invoices received in April",
        "download all invoices for this quarter",
        "Can you give me an overview of the invoices we received this year?",
        "invocies for last month",
        "list open bills",
        "what invoices are still unpaid",
    ],
    "sv": [
        "lista mina fakturor",
        "visa alla öppna fakturor",
        "vilka fakturor är förfallna",
        "ladda ner våra fakturor som kalkylark",
        "exportera fakturor från förra månaden till excel",
        "fakturor från i år",
        "visa obetalda fakturor",
        "alla fakturor mellan 1 och 15 oktober",
        "lista betalda fakturor i maj",
        "hur många fakturor har vi obetalda",
        "fakturor som väntar på attest",
        "excel med alla fakturor sedan 1 maj",
        "csv-export av våra fakturor",
        "visa alla fakturor från Q3",
        "vilka fakturor fick vi förra månaden",
        "lista fakturor över 10 000 kr",
        "mina räkningar",
        "alla mina fakturor tack",
        "visa vår fakturahistorik",
        "vilka räkningar förfaller i mars",
        "när ska vi betala nästa faktura",
        "fakturor för Kista",
        "har vi några förfallna fakturor",
        "fakturalista",
        "hitta fakturor som förfaller den här månaden",
        "xlsx med fakturor från 2025",
        "lista alla fakturor de senaste 30 dagarna",
        "visa fakturor",
        "vilka fakturor har vi inte betalat",
        "lista fakturorna för order 4711 och 4712",
        "visa alla fakturor som förfaller nästa vecka",
        "fakturor som kom in i april",
        "ladda ner alla fakturor för det här kvartalet",
        "Kan du ge mig en översikt över fakturorna vi fått i år?",
        "fakturror från förra månaden",
        "lista öppna räkningar",
        "vilka fakturor är fortfarande obetalda",
    ],
}

FORWARD_EXAMPLES = {
    "en": [
        "forward invoice INV-2031 to erik.lund@nordisk.example",
        "send INV-2031 to my colleague",
        "can you email this invoice to accounts@nordisk.example",
        "forward the invoice to our finance team",
        "share invoice INV-2032 with anna.berg@nordisk.example",
        "email a copy of INV-2031 to my manager",
        "please send the invoice to ap@contoso.example",
        "forward it to max.muller@contoso.example",
        "send the bill on to my coworker",
        "pass invoice INV-3050 on to accounting",
        "can I forward an invoice to someone else",
        "mail the invoice pdf to our accountant",
        "email invoice 2031 to finance",
        "forward the latest invoice to anna",
        "send this invoice on to ekonomi@nordisk.example",
        "resend the invoice to our accounts payable address",
        "can you send INV-2031 to a colleague for me",
        "forward invoice",
        "fwd inv-2031 to erik",
        "I'd like to share this invoice with my boss by email",
        "send a copy of the invoice to another email address",
        "please forward INV-2032 to the purchasing department",
        "could you mail the credit note CN-0107 to our controller",
        "forward the invoice for order 4711 to erik.lund@nordisk.example",
        "email the bill to my colleague Erik",
        "share the invoice with finance",
        "can the invoice go to invoices@contoso.example instead",
        "send it to my colleague",
        "foward the invoice to accounting",
        "I want to forward INV-2031",
    ],
    "sv": [
        "vidarebefordra faktura INV-2031 till erik.lund@nordisk.example",
        "skicka INV-2031 till min kollega",
        "kan du mejla den här fakturan till ekonomi@nordisk.example",
        "skicka vidare fakturan till vår ekonomiavdelning",
        "dela faktura INV-2032 med anna.berg@nordisk.example",
        "mejla en kopia av INV-2031 till min chef",
        "skicka fakturan till ap@contoso.example",
        "vidarebefordra den till max.muller@contoso.example",
        "skicka räkningen vidare till min kollega",
        "skicka faktura INV-3050 vidare till redovisningen",
        "kan jag vidarebefordra en faktura till någon annan",
        "mejla faktura-pdf:en till vår revisor",
        "e-posta faktura 2031 till ekonomi",
        "skicka senaste fakturan vidare till Anna",
        "skicka den här fakturan till ekonomi@nordisk.example",
        "skicka om fakturan till vår leverantörsreskontra",
        "kan du skicka INV-2031 till en kollega åt mig",
        "vidarebefordra faktura",
        "vb inv-2031 till erik",
        "jag vill dela fakturan med min chef via mejl",
        "skicka en kopia av fakturan till en annan mejladress",
        "vidarebefordra INV-2032 till inköpsavdelningen",
        "kan du mejla kreditnotan CN-0107 till vår controller",
        "skicka fakturan för order 4711 till erik.lund@nordisk.example",
        "mejla räkningen till min kollega Erik",
        "dela fakturan med ekonomi",
        "kan fakturan gå till faktura@contoso.example i stället",
        "skicka den till min kollega",
        "vidarebefodra fakturan till ekonomi",
        "jag vill skicka vidare INV-2031",
    ],
}

APPROVE_EXAMPLES = {
    "en": [
        "approve invoice INV-2031",
        "I approve INV-2031",
        "mark invoice INV-2031 as approved",
        "can I approve this invoice",
        "please approve the invoice for order 4711",
        "the invoice looks fine, approve it",
        "approve it",
        "sign off on invoice INV-2031",
        "give my approval for INV-2031",
        "OK invoice INV-2031 for payment",
        "I want to attest the invoice",
        "confirm that INV-2031 is approved",
        "approve the latest invoice",
        "accept invoice INV-2031",
        "approve bill 2031",
        "go ahead and approve INV-2031",
        "how do I approve an invoice",
        "approve",
        "invoice INV-2031 is correct, you can approve it",
        "record my approval of the invoice",
        "I'd like to approve the invoice that's waiting for me",
        "approve the pending invoice",
        "approvee INV-2031",
        "yes, approve the invoice",
        "please register INV-2031 as approved by me",
        "Could you approve invoice 2031 on my behalf?",
        "I authorise payment of INV-2031",
        "release INV-2031 for payment",
    ],
    "sv": [
        "godkänn faktura INV-2031",
        "jag godkänner INV-2031",
        "markera faktura INV-2031 som godkänd",
        "kan jag godkänna den här fakturan",
        "godkänn fakturan för order 4711",
        "fakturan ser bra ut, godkänn den",
        "godkänn den",
        "attestera faktura INV-2031",
        "jag vill attestera fakturan",
        "bekräfta att INV-2031 är godkänd",
        "godkänn senaste fakturan",
        "acceptera faktura INV-2031",
        "godkänn räkning 2031",
        "kör, godkänn INV-2031",
        "hur godkänner jag en faktura",
        "godkänn",
        "faktura INV-2031 stämmer, du kan godkänna den",
        "registrera mitt godkännande av fakturan",
        "jag vill godkänna fakturan som väntar på mig",
        "godkänn den väntande fakturan",
        "godkän INV-2031",
        "ja, godkänn fakturan",
        "registrera INV-2031 som godkänd av mig",
        "Kan du godkänna faktura 2031 åt mig?",
        "attest av INV-2031",
        "släpp INV-2031 för betalning",
        "attestera",
    ],
}

QUESTION_EXAMPLES = {
    "en": [
        "I have a question about invoice INV-2031",
        "the amount on INV-2031 is wrong",
        "I want to dispute invoice INV-2031",
        "why is invoice INV-2031 so high",
        "we were charged twice for order 4711",
        "invoice INV-2031 has the wrong VAT",
        "there's an error on my invoice",
        "I don't agree with this invoice",
        "why were we billed for something we didn't order",
        "the price on the invoice doesn't match our quote",
        "question about a charge on INV-3050",
        "INV-2031 lists items we never received",
        "the invoice has the wrong PO number",
        "why is there a late fee on my invoice",
        "I think we've been overcharged",
        "can you explain the charges on my bill",
        "the billing address on INV-2031 is wrong",
        "I need a corrected invoice",
        "we want a credit for invoice INV-2031 because the price is wrong",
        "can you credit one line of the invoice, we only got half the delivery",
        "refund the overcharge on INV-2031",
        "problem with an invoice",
        "contest invoice INV-3050",
        "we paid INV-2032 but it still shows as unpaid",
        "dispute a charge",
        "why did the invoice amount change",
        "we were invoiced for 10 units but only got 8",
        "the discount is missing from invoice INV-2031",
        "I was charged 125 000,00 SEK but the quote said less",
        "who can I talk to about a wrong invoice",
        "payment problem with invoice INV-2031",
        "why haven't you registered our payment of INV-3050",
        "I don't understand this invoice",
        "invoice is wrong",
        "qustion about my bill",
        "Why does INV-2031 include a shipping fee we never agreed to?",
        "I have a problem with a payment",
        "our payment didn't go through",
        "the online payment failed",
        "payment error",
        "I can't pay the invoice online",
        "our payment has an issue",
        "my card payment was declined",
        "why was our payment rejected",
        "problem with my payment",
        "trouble paying the invoice",
        "we have trouble with a payment",
        "the payment doesn't work",
        "I get an error when paying",
        "I can't pay online",
        "paying the invoice fails",
    ],
    "sv": [
        "jag har en fråga om faktura INV-2031",
        "beloppet på INV-2031 är fel",
        "jag vill bestrida faktura INV-2031",
        "varför är faktura INV-2031 så hög",
        "vi har debiterats två gånger för order 4711",
        "faktura INV-2031 har fel moms",
        "det är något fel på min faktura",
        "jag håller inte med om den här fakturan",
        "varför har vi fakturerats för något vi inte beställt",
        "priset på fakturan stämmer inte med offerten",
        "fråga om en avgift på INV-3050",
        "INV-2031 innehåller varor vi aldrig fått",
        "fakturan har fel inköpsordernummer",
        "varför finns det en påminnelseavgift på min faktura",
        "jag tror att vi har blivit överdebiterade",
        "kan du förklara avgifterna på räkningen",
        "fakturaadressen på INV-2031 är fel",
        "jag behöver en korrigerad faktura",
        "vi vill ha en kreditering av faktura INV-2031 eftersom priset är fel",
        "kan ni kreditera en fakturarad, vi fick bara halva leveransen",
        "återbetala det vi betalat för mycket på INV-2031",
        "problem med en faktura",
        "vi bestrider faktura INV-3050",
        "vi har betalat INV-2032 men den står fortfarande som obetald",
        "reklamera en faktura",
        "varför har fakturabeloppet ändrats",
        "vi fakturerades för 10 enheter men fick bara 8",
        "rabatten saknas på faktura INV-2031",
        "vi debiterades 125 000,00 SEK men offerten var lägre",
        "vem kan jag prata med om en felaktig faktura",
        "betalningsproblem med faktura INV-2031",
        "varför har ni inte registrerat vår betalning av INV-3050",
        "jag förstår inte den här fakturan",
        "fakturan är fel",
        "fråga om min räkning",
        "Varför ingår en fraktavgift i INV-2031 som vi aldrig kommit överens om?",
        "jag har problem med en betalning",
        "vår betalning gick inte igenom",
        "onlinebetalningen misslyckades",
        "betalningsfel",
        "jag kan inte betala fakturan online",
        "anmäl ett betalningsproblem",
        "min kortbetalning nekades",
        "varför avvisades vår betalning",
        "problem med min betalning",
        "det går inte att betala fakturan",
        "betalningen fungerar inte",
        "jag får ett fel när jag betalar",
        "jag kan inte betala online",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "invoice.ask_number": {
        "en": "Which invoice do you mean? Give me the invoice number (like INV-2031) or the order number.",
        "sv": "Vilken faktura menar du? Ange fakturanumret (t.ex. INV-2031) eller ordernumret.",
    },
    "invoice.ask_credit_number": {
        "en": "Which credit note do you mean? Give me its number (like CN-0107).",
        "sv": "Vilken kreditnota menar du? Ange dess nummer (t.ex. CN-0107).",
    },
    "invoice.ask_email": {
        "en": 'Which e-mail address should I send the invoice to? (Say "me" for your own.)',
        "sv": 'Till vilken e-postadress ska jag skicka fakturan? (Skriv "mig" för din egen.)',
    },
    "invoice.ask_email_for": {
        "en": 'Which e-mail address should I send invoice {number} to? (Say "me" for your own.)',
        "sv": 'Till vilken e-postadress ska jag skicka faktura {number}? (Skriv "mig" för din egen.)',
    },
    "invoice.ask_email_for_several": {
        "en": 'Which e-mail address should I send invoices {numbers} to? (Say "me" for your own.)',
        "sv": 'Till vilken e-postadress ska jag skicka fakturorna {numbers}? (Skriv "mig" för din egen.)',
    },
    "invoice.ask_email_for_order": {
        "en": 'Which e-mail address should I send the invoice for order {number} to? (Say "me" for your own.)',
        "sv": 'Till vilken e-postadress ska jag skicka fakturan för order {number}? (Skriv "mig" för din egen.)',
    },
    "invoice.button.to_me": {"en": "To me ({email})", "sv": "Till mig ({email})"},
    "invoice.button.to_me.value": {"en": "me", "sv": "mig"},
    "invoice.button.mail_me.value": {
        "en": "email me invoice {number}",
        "sv": "mejla mig faktura {number}",
    },
    "invoice.mail_me.subject": {
        "en": "Your copy of invoice {number} from {seller}",
        "sv": "Din kopia av faktura {number} från {seller}",
    },
    "invoice.mail_me.body": {
        "en": "Hello {name},\n\nHere is the copy of invoice {number} ({total}, due {due}) you asked for "
        "in our chat. The PDF is attached.\n\nKind regards,\nCustomer support",
        "sv": "Hej {name}!\n\nHär är kopian av faktura {number} ({total}, förfaller {due}) som du bad om "
        "i vår chatt. Pdf:en är bifogad.\n\nVänliga hälsningar\nKundsupport",
    },
    "invoice.bad_email": {
        "en": "{email} doesn't look like an e-mail address. Which address should I send the invoice to?",
        "sv": "{email} ser inte ut som en e-postadress. Till vilken adress ska jag skicka fakturan?",
    },
    "invoice.not_found": {
        "en": "I can't find invoice {number} among your company's invoices. Please check the number.",
        "sv": "Jag hittar inte faktura {number} bland ert företags fakturor. Kontrollera gärna numret.",
    },
    "invoice.credit_not_found": {
        "en": "I can't find credit note {number} among your company's credit notes. Please check the number.",
        "sv": "Jag hittar inte kreditnota {number} bland ert företags kreditnotor. Kontrollera gärna numret.",
    },
    "invoice.order_not_found": {
        "en": "I can't find an invoice for order {number} among your company's invoices.",
        "sv": "Jag hittar ingen faktura för order {number} bland ert företags fakturor.",
    },
    "invoice.not_invoiced": {
        "en": "I can't find an invoice for order {number}: it hasn't been invoiced yet.",
        "sv": "Jag hittar ingen faktura för order {number}: den är inte fakturerad än.",
    },
    "invoice.order_cancelled": {
        "en": "There's no invoice for order {number}.",
        "sv": "Det finns ingen faktura för order {number}.",
    },
    "invoice.none_yet": {
        "en": "I can't find any invoices for your company yet.",
        "sv": "Jag hittar inga fakturor för ert företag ännu.",
    },
    "invoice.title": {"en": "Invoice {number}", "sv": "Faktura {number}"},
    "invoice.summary": {
        "en": "Invoice {number} of {date}: {total} including VAT, due {due}. Status: {status}.",
        "sv": "Faktura {number} från {date}: {total} inklusive moms, förfaller {due}. Status: {status}.",
    },
    "invoice.summary.order": {"en": " It bills order {order}.", "sv": " Den gäller order {order}."},
    "invoice.summary.copy": {
        "plural": "minutes",
        "en": {
            "one": " Here is a PDF copy (the link works for {minutes} minute).",
            "other": " Here is a PDF copy (the link works for {minutes} minutes).",
        },
        "sv": {
            "one": " Här är en pdf-kopia (länken fungerar i {minutes} minut).",
            "other": " Här är en pdf-kopia (länken fungerar i {minutes} minuter).",
        },
    },
    "invoice.status.awaiting_approval": {"en": "awaiting approval", "sv": "väntar på attest"},
    "invoice.status.open": {"en": "open", "sv": "öppen"},
    "invoice.status.overdue": {"en": "overdue", "sv": "förfallen"},
    "invoice.status.paid": {"en": "paid", "sv": "betald"},
    "invoice.status.cancelled": {"en": "cancelled", "sv": "makulerad"},
    "invoice.field.date": {"en": "Invoice date", "sv": "Fakturadatum"},
    "invoice.field.due": {"en": "Due date", "sv": "Förfallodag"},
    "invoice.field.net": {"en": "Net", "sv": "Netto"},
    "invoice.field.vat": {"en": "VAT", "sv": "Moms"},
    "invoice.field.total": {"en": "Total incl. VAT", "sv": "Totalt inkl. moms"},
    "invoice.field.open": {"en": "Left to pay", "sv": "Kvar att betala"},
    "invoice.field.currency": {"en": "Currency", "sv": "Valuta"},
    "invoice.field.order": {"en": "Order", "sv": "Order"},
    "invoice.field.approved": {"en": "Approved", "sv": "Attesterad"},
    "invoice.field.line": {"en": "Description", "sv": "Beskrivning"},
    "invoice.field.quantity": {"en": "Qty", "sv": "Antal"},
    "invoice.field.status": {"en": "Status", "sv": "Status"},
    "invoice.approved_by": {"en": "{who}, {when}", "sv": "{who}, {when}"},
    "invoice.credit.title": {"en": "Credit note {number}", "sv": "Kreditnota {number}"},
    "invoice.credit.no_approval": {
        "en": "A credit note needs no approval: it only lowers what you owe. ",
        "sv": "En kreditnota behöver inte godkännas: den minskar bara det ni är skyldiga. ",
    },
    "invoice.credit.not_mailed": {
        "plural": "minutes",
        "en": {
            "one": "I can't e-mail credit note {number} from here yet: the card below has its PDF to pass on "
            "yourself (the link works for {minutes} minute).",
            "other": "I can't e-mail credit note {number} from here yet: the card below has its PDF to pass "
            "on yourself (the link works for {minutes} minutes).",
        },
        "sv": {
            "one": "Kreditnota {number} kan jag inte mejla härifrån ännu: kortet nedan har dess pdf att "
            "skicka vidare själv (länken fungerar i {minutes} minut).",
            "other": "Kreditnota {number} kan jag inte mejla härifrån ännu: kortet nedan har dess pdf att "
            "skicka vidare själv (länken fungerar i {minutes} minuter).",
        },
    },
    "invoice.credit.invoices_only": {
        "plural": "minutes",
        "en": {
            "one": "I can e-mail invoices from here, but not credit notes yet. The card below has the credit "
            "note's PDF to pass on yourself (the link works for {minutes} minute). ",
            "other": "I can e-mail invoices from here, but not credit notes yet. The card below has the "
            "credit note's PDF to pass on yourself (the link works for {minutes} minutes). ",
        },
        "sv": {
            "one": "Härifrån kan jag mejla fakturor, men inte kreditnotor ännu. Kortet nedan har "
            "kreditnotans pdf att skicka vidare själv (länken fungerar i {minutes} minut). ",
            "other": "Härifrån kan jag mejla fakturor, men inte kreditnotor ännu. Kortet nedan har "
            "kreditnotans pdf att skicka vidare själv (länken fungerar i {minutes} minuter). ",
        },
    },
    "invoice.credit.summary": {
        "en": "Credit note {number} of {date}: {total}{invoice}.",
        "sv": "Kreditnota {number} från {date}: {total}{invoice}.",
    },
    "invoice.credit.for": {"en": ", against invoice {number}", "sv": ", mot faktura {number}"},
    "invoice.button.pdf": {"en": "Copy of {number}", "sv": "Kopia av {number}"},
    "invoice.button.pdf.value": {"en": "show invoice {number}", "sv": "visa faktura {number}"},
    "invoice.button.approve": {"en": "Approve {number}", "sv": "Attestera {number}"},
    "invoice.button.approve.value": {"en": "approve invoice {number}", "sv": "attestera faktura {number}"},
    "invoice.button.forward": {"en": "Forward by e-mail", "sv": "Skicka vidare med e-post"},
    "invoice.button.forward.value": {
        "en": "forward invoice {number}",
        "sv": "vidarebefordra faktura {number}",
    },
    "invoice.button.more": {"en": "Show more", "sv": "Visa fler"},
    "invoice.button.more.value": {"en": "more invoices", "sv": "fler fakturor"},
    "invoice.button.download": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "invoice.button.download.value": {
        "en": "download these invoices as a spreadsheet",
        "sv": "ladda ner fakturorna som kalkylark",
    },
    "invoice.list.found": {
        "plural": "count",
        "en": {
            "one": "One more of your company's invoices{filters}, number {first}:",
            "other": "Your company's invoices{filters}, {first}–{last}, newest first:",
        },
        "sv": {
            "one": "En till av ert företags fakturor{filters}, nummer {first}:",
            "other": "Ert företags fakturor{filters}, {first}–{last}, nyaste först:",
        },
    },
    "invoice.list.found.all": {
        "plural": "count",
        "en": {
            "one": "I found {count} invoice{filters}:",
            "other": "I found {count} invoices{filters}, newest first:",
        },
        "sv": {
            "one": "Jag hittade {count} faktura{filters}:",
            "other": "Jag hittade {count} fakturor{filters}, nyaste först:",
        },
    },
    "invoice.list.none": {
        "en": "I found no invoices{filters}.",
        "sv": "Jag hittade inga fakturor{filters}.",
    },
    "invoice.list.no_more": {
        "en": "There are no more invoices{filters}.",
        "sv": "Det finns inga fler fakturor{filters}.",
    },
    "invoice.filter.status": {"en": " with status {status}", "sv": " med status {status}"},
    "invoice.filter.period": {"en": " issued {start} – {end}", "sv": " med fakturadatum {start} – {end}"},
    "invoice.filter.due_period": {"en": " due {start} – {end}", "sv": " med förfallodag {start} – {end}"},
    "invoice.list.sheet": {"en": "Invoices", "sv": "Fakturor"},
    "invoice.list.ready": {
        "plural": "count",
        "en": {
            "one": "Here is {count} invoice{filters} as XLSX and CSV.",
            "other": "Here are your {count} invoices{filters} as XLSX and CSV.",
        },
        "sv": {
            "one": "Här är {count} faktura{filters} som XLSX och CSV.",
            "other": "Här är era {count} fakturor{filters} som XLSX och CSV.",
        },
    },
    "invoice.list.mailed": {
        "plural": "count",
        "en": {
            "one": "I've e-mailed {count} invoice{filters} as XLSX and CSV to {email}.",
            "other": "I've e-mailed your {count} invoices{filters} as XLSX and CSV to {email}.",
        },
        "sv": {
            "one": "Jag har mejlat {count} faktura{filters} som XLSX och CSV till {email}.",
            "other": "Jag har mejlat era {count} fakturor{filters} som XLSX och CSV till {email}.",
        },
    },
    "invoice.list.mail_subject": {"en": "Your invoices{filters}", "sv": "Era fakturor{filters}"},
    "invoice.list.mail_body": {
        "en": "Hello {name},\n\nAttached are the invoices you asked for{filters}, as an Excel workbook and "
        "as CSV.\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\nBifogat är fakturorna du bad om{filters}, som Excel-arbetsbok och som CSV."
        "\n\nVänliga hälsningar,\nKundsupport",
    },
    "invoice.list.too_large": {
        "plural": "limit",
        "en": {
            "one": "That is more than {limit} invoice. Please choose a shorter period.",
            "other": "That is more than {limit} invoices. Please choose a shorter period.",
        },
        "sv": {
            "one": "Det är fler än {limit} faktura. Välj en kortare period.",
            "other": "Det är fler än {limit} fakturor. Välj en kortare period.",
        },
    },
    "invoice.col.number": {"en": "Invoice", "sv": "Faktura"},
    "invoice.col.date": {"en": "Date", "sv": "Datum"},
    "invoice.col.due": {"en": "Due", "sv": "Förfaller"},
    "invoice.col.status": {"en": "Status", "sv": "Status"},
    "invoice.col.order": {"en": "Order", "sv": "Order"},
    "invoice.col.net": {"en": "Net", "sv": "Netto"},
    "invoice.col.vat": {"en": "VAT", "sv": "Moms"},
    "invoice.col.total": {"en": "Total incl. VAT", "sv": "Totalt inkl. moms"},
    "invoice.col.open": {"en": "Left to pay", "sv": "Kvar att betala"},
    "invoice.col.currency": {"en": "Currency", "sv": "Valuta"},
    "invoice.forward.sent": {
        "en": "I've e-mailed invoice {number} as a PDF to {email}, and noted it in the invoice's history.",
        "sv": "Jag har mejlat faktura {number} som pdf till {email} och antecknat det i fakturans historik.",
    },
    "invoice.forward.queued": {
        "en": "I've put invoice {number} as a PDF in the outbox for {email}. It goes out as soon as our "
        "mail server accepts it, usually within a minute. I've noted the forward in the invoice's "
        "history, which shows it as sent once it has gone.",
        "sv": "Jag har lagt faktura {number} som pdf i utkorgen till {email}. Den skickas så snart vår "
        "e-postserver tar emot den, oftast inom en minut. Jag har antecknat vidarebefordran i fakturans "
        "historik, där den visas som skickad när den har gått iväg.",
    },
    "invoice.forward.failed": {
        "en": "I couldn't send the e-mail just now, so invoice {number} has not been forwarded. "
        "Please try again in a while; meanwhile you can download the PDF here.",
        "sv": "Jag kunde inte skicka mejlet just nu, så faktura {number} har inte vidarebefordrats. "
        "Försök igen om en stund; under tiden kan du ladda ner pdf:en här.",
    },
    "invoice.forward.subject": {
        "en": "Invoice {number} from {seller}",
        "sv": "Faktura {number} från {seller}",
    },
    "invoice.forward.body": {
        "en": "Hello,\n\n{name} ({sender}) at {company} asked us to send you invoice {number} "
        "({total}, due {due}). The PDF is attached.\n\nKind regards,\nCustomer support",
        "sv": "Hej!\n\n{name} ({sender}) på {company} bad oss skicka faktura {number} till dig "
        "({total}, förfaller {due}). Pdf:en är bifogad.\n\nVänliga hälsningar\nKundsupport",
    },
    "invoice.approve.done": {
        "en": "Invoice {number} ({total}) is approved. Recorded: approved by {who} on {when}.",
        "sv": "Faktura {number} ({total}) är attesterad. Registrerat: attesterad av {who} {when}.",
    },
    "invoice.approve.already": {
        "en": "Invoice {number} was already approved by {who} on {when}, so nothing has changed.",
        "sv": "Faktura {number} var redan attesterad av {who} {when}, så inget har ändrats.",
    },
    "invoice.approve.not_needed": {
        "en": "Invoice {number} isn't awaiting approval (it is {status}), so there is nothing to approve.",
        "sv": "Faktura {number} väntar inte på attest (den är {status}), så det finns inget att attestera.",
    },
    "invoice.question.confirm": {
        "en": "I'll pass your question about invoice {number} on to our invoicing team as a request. "
        "Shall I send it?",
        "sv": "Jag skickar din fråga om faktura {number} vidare till vår fakturaavdelning som ett ärende. "
        "Ska jag skicka den?",
    },
    "invoice.question.paid": {
        "en": "We have received payment for invoice {number} in full ({total}).",
        "sv": "Vi har fått full betalning för faktura {number} ({total}).",
    },
    "invoice.question.unpaid": {
        "en": "We have not registered a payment for invoice {number} yet: {open} is open, due {due}.",
        "sv": "Vi har inte registrerat någon betalning för faktura {number} än: {open} är obetalt, "
        "förfaller {due}.",
    },
    "invoice.question.unpaid_overdue": {
        "en": "We have not registered a payment for invoice {number} yet: {open} is open and was due {due}.",
        "sv": "Vi har inte registrerat någon betalning för faktura {number} än: {open} är obetalt och "
        "förföll {due}.",
    },
    "invoice.question.part_paid": {
        "en": "We have registered {paid} for invoice {number}; {open} is still open, due {due}.",
        "sv": "Vi har registrerat {paid} för faktura {number}; {open} är fortfarande obetalt, förfaller {due}.",
    },
    "invoice.question.cancelled": {
        "en": "Invoice {number} is cancelled, so nothing is to be paid on it.",
        "sv": "Faktura {number} är makulerad, så inget ska betalas på den.",
    },
    "invoice.question.payment_days": {
        "en": " A payment usually shows here one to three banking days after it was made.",
        "sv": " En betalning syns här oftast en till tre bankdagar efter att den gjordes.",
    },
    "invoice.question.offer": {
        "en": " If you have paid, I can pass your message on to our invoicing team as a request. Shall I?",
        "sv": " Om ni har betalat kan jag skicka ditt meddelande vidare till vår fakturaavdelning som ett "
        "ärende. Ska jag göra det?",
    },
    "invoice.question.offer_paid": {
        "en": " Shall I pass your message on to our invoicing team as a request?",
        "sv": " Ska jag skicka ditt meddelande vidare till vår fakturaavdelning som ett ärende?",
    },
    "invoice.question.created": {
        "en": "I've opened request {request} about invoice {number}; our team will answer by {due}. "
        "A confirmation is on its way to {email}.",
        "sv": "Jag har öppnat ärende {request} om faktura {number}; vi svarar senast {due}. "
        "En bekräftelse är på väg till {email}.",
    },
    "invoice.question.created_no_mail": {
        "en": "I've opened request {request} about invoice {number}; our team will answer by {due}. "
        "I couldn't send the e-mail confirmation just now, so please note the number.",
        "sv": "Jag har öppnat ärende {request} om faktura {number}; vi svarar senast {due}. "
        "Jag kunde inte skicka e-postbekräftelsen just nu, så notera gärna numret.",
    },
    "invoice.pay.how": {
        "en": "You pay our invoices by bank transfer to {account}, quoting the invoice number as the "
        "reference. Each invoice shows its amount and due date. If you'd like to pay another way, our "
        "accounts team can tell you what is possible: ask for a person.",
        "sv": "Du betalar våra fakturor med banköverföring till {account} och anger fakturanumret som "
        "referens. Varje faktura visar belopp och förfallodag. Vill du betala på något annat sätt kan vår "
        "ekonomiavdelning berätta vad som går: be att få prata med en person.",
    },
    "invoice.pay.one": {
        "en": "To pay invoice {number}, transfer {amount} by {due} to {account}, quoting {number} as the "
        "reference.",
        "sv": "Betala faktura {number} genom att föra över {amount} senast {due} till {account} och ange "
        "{number} som referens.",
    },
    "invoice.pay.one_overdue": {
        "en": "Invoice {number} fell due on {due}. To pay it, transfer {amount} to {account} as soon as you "
        "can, quoting {number} as the reference.",
        "sv": "Faktura {number} förföll {due}. Betala den genom att föra över {amount} till {account} så "
        "snart du kan och ange {number} som referens.",
    },
    "invoice.pay.paid": {
        "en": "Invoice {number} is paid: there is nothing left to pay.",
        "sv": "Faktura {number} är betald: det finns inget kvar att betala.",
    },
    "invoice.button.to_pay": {"en": "Invoices to pay", "sv": "Fakturor att betala"},
    "invoice.button.to_pay.value": {"en": "show my unpaid invoices", "sv": "visa mina obetalda fakturor"},
    "invoice.question.subject": {
        "en": "Question about invoice {number}",
        "sv": "Fråga om faktura {number}",
    },
    "invoice.question.mail_subject": {
        "en": "Your request {request} about invoice {number}",
        "sv": "Ditt ärende {request} om faktura {number}",
    },
    "invoice.question.mail_body": {
        "en": "Hello {name},\n\nWe have received your question about invoice {number}:\n\n{text}\n\n"
        "Your request number is {request}; we will answer by {due}.\n\nKind regards,\nCustomer support",
        "sv": "Hej {name}!\n\nVi har tagit emot din fråga om faktura {number}:\n\n{text}\n\n"
        "Ditt ärendenummer är {request}; vi svarar senast {due}.\n\nVänliga hälsningar\nKundsupport",
    },
}
words(WORDS)


PAGE_SIZE = 10
REPORT_LIMIT = 50_000
_FILES = re.compile(rf"\b(?:{FILE_WORDS}|fil)\b", re.IGNORECASE)
HERE = "me:here"
"""The recipient slot's value for "send me invoice INV-2031": the user's own copy, shown in the chat."""
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_STATUS_WORDS: tuple[tuple[re.Pattern[str], tuple[InvoiceStatus, ...]], ...] = (
    (
        re.compile(r"\b(overdue|past\s+due|late|förfallna|förfallen|försenade)\b", re.IGNORECASE),
        (InvoiceStatus.OVERDUE,),
    ),
    (
        re.compile(
            r"\b(unpaid|outstanding|open|obetalda|obetalade|obetald|öppna|öppen)\b"
            r"|(?:\bnot|n[’']t|\bnever|\binte|\bej|\bicke)\s+(?:\w+\s+){0,3}?(?:paid|betal\w*)\b",
            re.IGNORECASE,
        ),
        (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.AWAITING_APPROVAL),
    ),
    (re.compile(r"(?<!un)\b(paid|betalda|betald)\b", re.IGNORECASE), (InvoiceStatus.PAID,)),
    (
        re.compile(r"\b(approval|approve|attest\w*|godkänn\w*)\b", re.IGNORECASE),
        (InvoiceStatus.AWAITING_APPROVAL,),
    ),
)


_DUE = re.compile(
    r"\b(?:due|falls?\s+due|förfaller|förfallodag\w*|förfallodatum\w*|ska\s+betalas|betalas\s+senast)\b",
    re.IGNORECASE,
)
"""A period said of when invoices fall due ("due this month", "förfaller i december"), not of when they
were issued. Not "overdue" nor "förfallna": those are a status."""
_DUE_NEXT = re.compile(
    r"\b(?:next|upcoming|nästa|kommande)\s+(?:\w+\s+){0,3}?(?:(?:is|are)\s+)?(?:due|payments?|invoices?|bills?|"
    r"betalning\w*|faktur\w*|räkning\w*|förfaller)\b|\b(?:due|förfaller)\s+(?:next|härnäst|näst)\b",
    re.IGNORECASE,
)
"""What falls due next ("when is the next payment due", "när förfaller nästa faktura"): the invoices
still to pay from today on, the soonest due first."""
_UNPAID: Final = (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.AWAITING_APPROVAL)


def _status(ctx: TurnContext, status: InvoiceStatus) -> str:
    return ctx.t(f"invoice.status.{status.value}")


# --- which invoice ----------------------------------------------------------------------------------


def _order_meant(ctx: TurnContext, invoice: SlotValue | None) -> bool:
    """Whether the invoice asked for is the order's: an order number said now, or "and the invoice
    for it?" (or no invoice at all) right after an order; never when the message names an invoice of
    its own ("INV-2032 says overdue but we paid it" right after order 4711 is about INV-2032)."""
    if ctx.slot("order") is None:
        return False
    if ctx.parse.first("order_number") or ctx.parse.first("po_number"):
        return True
    if ctx.parse.first("invoice_number") or ctx.parse.first("credit_number"):
        return False
    said_it = any(e.type == "reference" and e.value == "it" for e in ctx.parse.entities)
    after_order = (ctx.last_intent or "").startswith("order.")
    return after_order and (said_it or invoice is None)


def _invoice_needed(ctx: TurnContext) -> bool:
    """No invoice said: asked for unless the order talked about gives it, or the message asks for the
    credit note (``_credit_note_meant`` finds which)."""
    return not _order_meant(ctx, None) and not _names_a_credit_note(ctx)


_CREDIT_NOTE_WORD = re.compile(
    r"(?i)(?<![\w-])(?:credit[\s-]+note|kreditnota|kreditnotan|kreditfaktura|kreditfakturan)(?![\w-])"
)


def _names_a_credit_note(ctx: TurnContext) -> bool:
    """ "Och kreditnotan?", "what about the credit note?": a credit note asked for by its word alone, no
    record of the message's own."""
    parse = ctx.parse
    if any(parse.first(kind) for kind in ("invoice_number", "credit_number", "order_number", "po_number")):
        return False
    return _CREDIT_NOTE_WORD.search(parse.text) is not None


async def _credit_note_meant(ctx: TurnContext) -> str | None:
    """The credit note a message asking for one by its word alone means: the one of the list just shown
    (the account statement), else the account's one credit note of the statement's period, where the
    user may see the statement; ``None`` when that is not one."""
    notes = [str(value) for value in ctx.shown_marked("invoice", "credit")]
    if not notes and Tool.STATEMENTS in ctx.principal.grants:
        page = await ctx.backends.statements.statement_page(
            ctx.principal, kinds=frozenset({"credit_note"}), limit=2
        )
        notes = [item.number for item in page.items]
    return notes[0] if len(notes) == 1 else None


async def _target(ctx: TurnContext) -> tuple[Invoice | CreditNote | None, str]:
    """The invoice (or credit note) the turn is about, and the not-found text when there is none.

    Said in this message wins; "and the invoice for it?" right after an order means that order's
    invoice; otherwise the invoice talked about, then "my latest".
    """
    invoices = ctx.backends.invoices
    slot = ctx.slot("invoice")
    if _order_meant(ctx, slot):
        slot = ctx.slot("order")
    if _names_a_credit_note(ctx):
        meant = await _credit_note_meant(ctx)
        if meant is None:
            return None, ctx.t("invoice.ask_credit_number")
        slot = SlotValue("credit_number", meant)
    if slot is None:
        return None, ""
    if slot.type == "reference":
        latest = await invoices.latest_invoice(ctx.principal)
        return latest, ctx.t("invoice.none_yet")
    if slot.type == "credit_number" or str(slot.value).startswith("CN-"):  # (or picked from a list)
        note = await invoices.get_credit_note(ctx.principal, str(slot.value))
        return note, ctx.t("invoice.credit_not_found", number=slot.value)
    if slot.type in ("order_number", "po_number"):
        number = str(slot.value)
        if slot.type == "po_number":
            try:
                found = await ctx.backends.orders.find_by_po(ctx.principal, number)
            except AccessDenied:
                found = ()
            if not found:
                return None, ctx.t("invoice.order_not_found", number=number)
            number = found[0].number
        invoice = await invoices.invoice_for_order(ctx.principal, number)
        if invoice is None:
            return None, await _no_invoice_for_order(ctx, number, said=str(slot.value))
        return invoice, ""
    number = str(slot.value).strip().lstrip("#")
    if match := re.fullmatch(r"(?i)(?:inv-?)?(\d+)", number):
        number = f"INV-{match.group(1)}"  # an answer to "which invoice?": "2031", "inv2031"
    invoice = await invoices.get_invoice(ctx.principal, number)
    return invoice, ctx.t("invoice.not_found", number=number)


async def _no_invoice_for_order(ctx: TurnContext, number: str, *, said: str) -> str:
    """Why an order has no invoice, where the user may see the order: not invoiced yet, and where it
    is ("in production, expected on 20 December"), or cancelled. Else (no orders grant, no such
    order, another company's) that none was found, the same words for each."""
    if Tool.ORDERS in ctx.principal.grants:
        try:
            order = await ctx.backends.orders.get_order(ctx.principal, number)
        except AccessDenied:
            order = None
        if order is not None:
            key = (
                "invoice.order_cancelled" if order.status is OrderStatus.CANCELLED else "invoice.not_invoiced"
            )
            return f"{ctx.t(key, number=order.number)} {order_summary(ctx, order)}"
    return ctx.t("invoice.order_not_found", number=said)


async def _pdf(ctx: TurnContext, invoice: Invoice) -> bytes:
    return await invoice_pdf(invoice, principal=ctx.principal, fmt=ctx.fmt)


async def _publish_pdf(ctx: TurnContext, invoice: Invoice, data: bytes) -> Attachment:
    name = f"{invoice.number}.pdf"
    url = await ctx.files.publish(
        owner=ctx.principal.user_id, name=name, content_type=PDF_TYPE, data=data, tool=Tool.INVOICES
    )
    return Attachment(kind="file", name=name, url=url, content_type=PDF_TYPE, size=len(data))


def _remember(ctx: TurnContext, invoice: Invoice) -> None:
    ctx.set_current("invoice", "invoice_number", invoice.number)
    if invoice.order_number:
        ctx.set_current("order", "order_number", invoice.order_number)


# --- invoice.get --------------------------------------------------------------------------------------


def _invoice_text(ctx: TurnContext, invoice: Invoice) -> str:
    text = ctx.t(
        "invoice.summary",
        number=invoice.number,
        date=ctx.fmt.date(invoice.issued_on),
        total=ctx.fmt.money(invoice.total),
        due=ctx.fmt.date(invoice.due_on),
        status=_status(ctx, invoice.status),
    )
    if invoice.order_number:
        text += ctx.t("invoice.summary.order", order=invoice.order_number)
    return text


def _invoice_card(ctx: TurnContext, invoice: Invoice) -> Card:
    fmt = ctx.fmt
    fields = [
        Field(label=ctx.t("invoice.field.date"), value=fmt.date(invoice.issued_on)),
        Field(label=ctx.t("invoice.field.due"), value=fmt.date(invoice.due_on)),
        Field(label=ctx.t("invoice.field.net"), value=fmt.money(invoice.net)),
        Field(label=ctx.t("invoice.field.vat"), value=fmt.money(invoice.vat)),
        Field(label=ctx.t("invoice.field.total"), value=fmt.money(invoice.total)),
        Field(label=ctx.t("invoice.field.open"), value=fmt.money(invoice.open_amount)),
        Field(label=ctx.t("invoice.field.currency"), value=invoice.total.currency),
    ]
    if invoice.order_number:
        fields.append(Field(label=ctx.t("invoice.field.order"), value=invoice.order_number))
    if invoice.approved_by:
        when = fmt.datetime(invoice.approved_at)
        fields.append(
            Field(
                label=ctx.t("invoice.field.approved"),
                value=ctx.t("invoice.approved_by", who=invoice.approved_by, when=when),
            )
        )
    buttons = []
    if invoice.status is InvoiceStatus.AWAITING_APPROVAL:
        buttons.append(
            Button(
                label=ctx.t("invoice.button.approve", number=invoice.number),
                value=ctx.t("invoice.button.approve.value", number=invoice.number),
            )
        )
    buttons.append(
        Button(
            label=ctx.t("invoice.button.forward"),
            value=ctx.t("invoice.button.forward.value", number=invoice.number),
        )
    )
    return Card(
        title=ctx.t("invoice.title", number=invoice.number),
        subtitle=_status(ctx, invoice.status).capitalize(),
        fields=tuple(fields),
        buttons=tuple(buttons),
    )


def _lines_table(ctx: TurnContext, invoice: Invoice) -> Table:
    return Table(
        columns=(
            ctx.t("invoice.field.line"),
            ctx.t("invoice.field.quantity"),
            ctx.t("invoice.pdf.unit_price"),
            ctx.t("invoice.pdf.vat_rate"),
            ctx.t("invoice.field.net"),
        ),
        rows=tuple(
            (
                line.description,
                str(line.quantity),
                ctx.fmt.money(line.unit_price),
                f"{line.vat_rate.normalize():f} %",
                ctx.fmt.money(line.net),
            )
            for line in invoice.lines
        ),
    )


SEVERAL_INVOICES = 5
"""Invoices answered together when one message names several ("show me INV-2031 and INV-2032")."""


async def invoice_get(ctx: TurnContext) -> Reply:
    intent = "invoice.get"
    named = list(dict.fromkeys(str(n) for n in ctx.parse.values("invoice_number")))
    slot = ctx.slot("invoice")
    if len(named) > 1 and slot is not None and str(slot.value) in named and not by_mail(ctx.parse.text):
        return await _several_invoices(ctx, named[:SEVERAL_INVOICES])
    found, missing = await _target(ctx)
    if found is None:
        return ctx.reply(intent=intent, text=missing or ctx.t("invoice.ask_number"))
    if isinstance(found, CreditNote):
        return _credit_note_reply(ctx, found, intent)
    invoice = found
    _remember(ctx, invoice)
    if to_me(ctx.parse.text) and by_mail(ctx.parse.text):
        return await _mail_invoice(ctx, invoice, ME)  # "email me a copy of the invoice for order 4711"
    attachment = await _publish_pdf(ctx, invoice, await _pdf(ctx, invoice))
    text = _invoice_text(ctx, invoice) + ctx.t("invoice.summary.copy", minutes=ctx.link_minutes)
    buttons: tuple[Button, ...] = ()
    if own_address(ctx.principal) is not None:
        mail_me = ctx.t("invoice.button.mail_me.value", number=invoice.number)
        buttons = (Button(label=ctx.t("recipient.button.mail_me"), value=mail_me),)
    return ctx.reply(
        intent=intent,
        text=text,
        cards=(_invoice_card(ctx, invoice),),
        table=_lines_table(ctx, invoice) if invoice.lines else None,
        attachments=(attachment,),
        buttons=buttons,
    )


def _copy_button(ctx: TurnContext, number: str) -> Button:
    """A button that asks for one invoice's copy ("Copy of INV-2031")."""
    return Button(
        label=ctx.t("invoice.button.pdf", number=number),
        value=ctx.t("invoice.button.pdf.value", number=number),
    )


async def _several_invoices(ctx: TurnContext, numbers: Sequence[str]) -> Reply:
    """Each invoice a message names, in the order named: its words and card, or that it was not found,
    with a button for each one's copy; "the second one" then means the second of them."""
    texts: list[str] = []
    cards: list[Card] = []
    shown: list[Invoice] = []
    for number in numbers:
        invoice = await ctx.backends.invoices.get_invoice(ctx.principal, number)
        if invoice is None:
            texts.append(ctx.t("invoice.not_found", number=number))
            continue
        shown.append(invoice)
        texts.append(_invoice_text(ctx, invoice))
        cards.append(_invoice_card(ctx, invoice))
    ctx.set_shown("invoice", [i.number for i in shown], [_invoice_marks(i) for i in shown])
    if shown:
        _remember(ctx, shown[0])  # talked about from the first: "it" is the first, "the other" the second
    buttons = tuple(_copy_button(ctx, i.number) for i in shown)
    return ctx.reply(intent="invoice.get", text="\n\n".join(texts), cards=tuple(cards), buttons=buttons)


# --- invoice.list -------------------------------------------------------------------------------------


def _filters(ctx: TurnContext) -> dict[str, Any]:
    statuses: list[str] = []
    words: list[str] = []
    text = ctx.parse.text
    for pattern, meant in _STATUS_WORDS:
        if pattern.search(text):
            if meant == (InvoiceStatus.PAID,) and statuses:
                continue  # "not paid" is already "open"
            statuses.extend(s.value for s in meant)
            words.append(meant[0].value if len(meant) == 1 else InvoiceStatus.OPEN.value)
    start, end = ctx.period()
    due = bool((start or end) and _DUE.search(text))
    if not (start or end) and _DUE_NEXT.search(text):
        start, due = ctx.today.isoformat(), True
    if due and not statuses:  # "which invoices are due this month": the ones still to pay
        statuses.extend(s.value for s in _UNPAID)
        words.append(InvoiceStatus.OPEN.value)
    return {"statuses": sorted(set(statuses)), "words": words, "start": start, "end": end, "due": due}


def _describe(ctx: TurnContext, filters: dict[str, Any]) -> str:
    parts = []
    if filters["words"]:
        status = ", ".join(_status(ctx, InvoiceStatus(w)) for w in filters["words"])
        parts.append(ctx.t("invoice.filter.status", status=status))
    if filters["start"] or filters["end"]:
        start = ctx.fmt.date(date.fromisoformat(filters["start"])) if filters["start"] else "…"
        end = ctx.fmt.date(date.fromisoformat(filters["end"])) if filters["end"] else "…"
        key = "invoice.filter.due_period" if filters.get("due") else "invoice.filter.period"
        parts.append(ctx.t(key, start=start, end=end))
    return "".join(parts)


def _list_args(filters: dict[str, Any]) -> dict[str, Any]:
    """The back end's arguments for ``_filters``: the period bounds the issue date, or the due date
    when the message asked what falls due (a listing kept before that was asked has no ``due``)."""
    start = date.fromisoformat(filters["start"]) if filters["start"] else None
    end = date.fromisoformat(filters["end"]) if filters["end"] else None
    due = bool(filters.get("due"))
    return {
        "statuses": frozenset(InvoiceStatus(s) for s in filters["statuses"]),
        "date_from": None if due else start,
        "date_to": None if due else end,
        "due_from": start if due else None,
        "due_to": end if due else None,
    }


def _invoices_table(ctx: TurnContext, invoices: tuple[Invoice, ...]) -> Table:
    return Table(
        columns=(
            ctx.t("invoice.col.number"),
            ctx.t("invoice.col.date"),
            ctx.t("invoice.col.due"),
            ctx.t("invoice.col.status"),
            ctx.t("invoice.col.order"),
            ctx.t("invoice.col.total"),
        ),
        rows=tuple(
            (
                i.number,
                ctx.fmt.date(i.issued_on),
                ctx.fmt.date(i.due_on),
                _status(ctx, i.status).capitalize(),
                i.order_number or "",
                ctx.fmt.money(i.total),
            )
            for i in invoices
        ),
    )


async def invoice_list(ctx: TurnContext) -> Reply:
    picked = ctx.slot("invoice")
    if picked is not None and picked.value in ctx.shown("invoice"):
        # "the first one", "the other one" over the invoices just listed.
        return await invoice_get(replace(ctx, slots={"invoice": SlotValue("invoice_number", picked.value)}))
    intent = "invoice.list"
    kept = ctx.context(ListingContext)
    saved = kept.listing
    if _FILES.search(ctx.parse.text) or by_mail(ctx.parse.text):
        filters = _filters(ctx)
        if not (filters["statuses"] or filters["start"]) and saved:
            filters = saved.filters
        return await _invoice_spreadsheet(ctx, filters)
    more = asks_for_more(ctx.parse.text) and saved is not None
    if more and saved is not None:
        filters, offset = saved.filters, saved.offset + PAGE_SIZE
    else:
        filters, offset = _filters(ctx), 0
    page = await ctx.backends.invoices.list_invoices(
        ctx.principal, **_list_args(filters), offset=offset, limit=PAGE_SIZE
    )
    kept.listing = Listing(filters=filters, offset=offset)
    described = _describe(ctx, filters)
    if not page.items:
        key = "invoice.list.no_more" if more else "invoice.list.none"
        return ctx.reply(intent=intent, text=ctx.t(key, filters=described))
    ctx.set_shown("invoice", [i.number for i in page.items], [_invoice_marks(i) for i in page.items])
    buttons = [_copy_button(ctx, i.number) for i in page.items[:5]]
    if page.has_more:
        buttons.append(Button(label=ctx.t("invoice.button.more"), value=ctx.t("invoice.button.more.value")))
    buttons.append(
        Button(label=ctx.t("invoice.button.download"), value=ctx.t("invoice.button.download.value"))
    )
    text = found_text(ctx, "invoice.list.found", described, offset, len(page.items), page.has_more)
    return ctx.reply(intent=intent, text=text, table=_invoices_table(ctx, page.items), buttons=tuple(buttons))


def invoice_columns(ctx: TurnContext) -> list[Column]:
    return [
        Column(ctx.t("invoice.col.number"), "text", 14),
        Column(ctx.t("invoice.col.date"), "date", 12),
        Column(ctx.t("invoice.col.due"), "date", 12),
        Column(ctx.t("invoice.col.status"), "text", 18),
        Column(ctx.t("invoice.col.order"), "text", 10),
        Column(ctx.t("invoice.col.net"), "amount", 16),
        Column(ctx.t("invoice.col.vat"), "amount", 16),
        Column(ctx.t("invoice.col.total"), "amount", 16),
        Column(ctx.t("invoice.col.open"), "amount", 16),
        Column(ctx.t("invoice.col.currency"), "text", 8),
    ]


async def _invoice_spreadsheet(ctx: TurnContext, filters: dict[str, Any]) -> Reply:
    intent = "invoice.list"
    described = _describe(ctx, filters)
    rows: list[list[Any]] = []
    offset = 0
    while True:
        page = await ctx.backends.invoices.list_invoices(
            ctx.principal, **_list_args(filters), offset=offset, limit=100
        )
        for i in page.items:
            rows.append(
                [
                    i.number,
                    i.issued_on,
                    i.due_on,
                    _status(ctx, i.status),
                    i.order_number or "",
                    i.net.amount,
                    i.vat.amount,
                    i.total.amount,
                    i.open_amount.amount,
                    i.total.currency,
                ]
            )
        if len(rows) > REPORT_LIMIT:
            return ctx.reply(intent=intent, text=ctx.t("invoice.list.too_large", limit=REPORT_LIMIT))
        if not page.has_more:
            break
        offset += 100
    if not rows:
        return ctx.reply(intent=intent, text=ctx.t("invoice.list.none", filters=described))
    columns = invoice_columns(ctx)
    sheet = ctx.t("invoice.list.sheet")
    xlsx, csv_data = await asyncio.to_thread(
        lambda: (to_xlsx(sheet, columns, rows, currency_column=9), to_csv(columns, rows))
    )
    sheet_files = Spreadsheet(
        f"invoices-{filters['start'] or 'all'}-{filters['end'] or ctx.today.isoformat()}", xlsx, csv_data
    )
    mailed, note = await mail_to_self(
        ctx,
        sheet_files,
        subject=ctx.t("invoice.list.mail_subject", filters=described),
        body=ctx.t("invoice.list.mail_body", name=ctx.principal.name, filters=described),
    )
    if mailed is not None:
        text = mailed_text(
            ctx.t("invoice.list.mailed", count=len(rows), filters=described, email=mailed), note
        )
        return ctx.reply(intent=intent, text=text)
    attachments = await publish(ctx, sheet_files, Tool.INVOICES)
    links = ctx.t("download.links", minutes=ctx.link_minutes)
    text = note + ctx.t("invoice.list.ready", count=len(rows), filters=described) + links
    return ctx.reply(intent=intent, text=text, attachments=attachments)


# --- invoice.forward, invoice.approve, invoice.question ------------------------------------------------


async def _one_invoice(ctx: TurnContext, intent: str) -> Invoice | Reply:
    """The invoice the turn acts on; a credit note named instead is shown, with its copy to pass on
    (only invoices are mailed, approved or asked about here), never said not to exist."""
    found, missing = await _target(ctx)
    if isinstance(found, Invoice):
        _remember(ctx, found)
        return found
    if isinstance(found, CreditNote):
        lead = ctx.t(_CREDIT_LEADS[intent], minutes=ctx.link_minutes) if intent in _CREDIT_LEADS else ""
        return _credit_note_reply(ctx, found, intent, lead=lead)
    return ctx.reply(intent=intent, text=missing or ctx.t("invoice.ask_number"))


_CREDIT_LEADS: Final = {
    "invoice.forward": "invoice.credit.invoices_only",
    "invoice.approve": "invoice.credit.no_approval",
}
"""What is said first when a credit note is named to an intent that acts on invoices only."""


def _credit_note_reply(ctx: TurnContext, note: CreditNote, intent: str, *, lead: str = "") -> Reply:
    """A credit note in words and as a card with its copy (rendered only when the link is opened, the
    same lazy link a statement gives); it is then the one talked about ("how much is it for?")."""
    on_invoice = ctx.t("invoice.credit.for", number=note.invoice_number) if note.invoice_number else ""
    text = ctx.t(
        "invoice.credit.summary",
        number=note.number,
        date=ctx.fmt.date(note.issued_on),
        total=ctx.fmt.money(note.total),
        invoice=on_invoice,
    )
    ctx.set_current("invoice", "credit_number", note.number)
    return ctx.reply(intent=intent, text=f"{lead}{text}", cards=(_credit_note_card(ctx, note),))


def _credit_note_card(ctx: TurnContext, note: CreditNote) -> Card:
    owner = ctx.principal.user_id
    return Card(
        title=ctx.t("invoice.credit.title", number=note.number),
        fields=(Field(label=ctx.t("invoice.field.total"), value=ctx.fmt.money(note.total)),),
        url=ctx.files.document_link(owner=owner, kind="credit_note", number=note.number) if owner else None,
        url_label=ctx.t("invoice.button.pdf", number=note.number) if owner else None,
    )


async def _email_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused:
    """An address to forward to: one that looks like an address, or "me" (the user), or asked again.

    A request naming the user ("email me invoice INV-2031", "forward it to me") is mailed to their own
    address; "send me invoice INV-2031" is their own copy, here in the chat (``HERE``). "me" given as
    the answer to "which address?" is a mail: that is what was asked."""
    address = str(value.value).strip()
    if address in (ME, HERE) or only_me(address):
        return SlotValue("email", ME if address != HERE else HERE)
    if to_me(address):
        return SlotValue("email", ME if by_mail(address) else HERE)
    if not _EMAIL.fullmatch(address):
        return Refused("invoice.bad_email", {"email": address})
    return SlotValue(value.type, address)


async def _ask_email(ctx: TurnContext) -> Question:
    """Which address, naming the invoice it is for when the customer named it ("send INV-2032 to my
    colleague": which address for INV-2032?)."""
    named = ctx.slot("invoice")
    several = _invoices_named(ctx)
    if named is not None and len(several) > 1 and str(named.value) in several:
        text = ctx.t("invoice.ask_email_for_several", numbers=ctx.fmt.listing(several[:SEVERAL_INVOICES]))
    elif named is not None and named.type == "invoice_number":
        text = ctx.t("invoice.ask_email_for", number=named.value)
    elif named is not None and named.type == "order_number":
        text = ctx.t("invoice.ask_email_for_order", number=named.value)
    else:
        text = ctx.t("invoice.ask_email")
    return Question(text, _to_me_choice(ctx))


def _to_me_choice(ctx: TurnContext) -> tuple[Button, ...]:
    """The user's own confirmed address as an answer to "which address?"."""
    own = own_address(ctx.principal)
    if own is None:
        return ()
    return (
        Button(label=ctx.t("invoice.button.to_me", email=own), value=ctx.t("invoice.button.to_me.value")),
    )


async def invoice_forward(ctx: TurnContext) -> Reply:
    """The forward is recorded as queued and its mail queued in one transaction (its delivery may be
    reported before the call returns); the history says sent once the mail server took it, and so
    does the reply if it has. A resent message gets the first record back and queues nothing.

    "me" is the user: "send me invoice INV-2031" shows their copy here (as ``invoice.get``), "email me
    invoice INV-2031" mails it to their own confirmed address, never asking which."""
    intent = "invoice.forward"
    email = ctx.slot("email")
    assert email is not None
    if email.value == HERE and not _just_shown(ctx):
        return await invoice_get(ctx)
    # "send it to me" about the invoice just shown wants it somewhere else than here: by mail.
    recipient = ME if email.value == HERE else str(email.value)
    named = _invoices_named(ctx)
    slot = ctx.slot("invoice")
    if len(named) > 1 and slot is not None and str(slot.value) in named:
        return await _mail_several(ctx, named[:SEVERAL_INVOICES], recipient)
    invoice = await _one_invoice(ctx, intent)
    if isinstance(invoice, Reply):
        return invoice
    return await _mail_invoice(ctx, invoice, recipient)


def _invoices_named(ctx: TurnContext) -> list[str]:
    """The invoices the forward was asked for by number, in the order named: in this message, or in
    the one that asked for it when the bot asked for the address since ("forward INV-2031 and
    INV-2032 to my colleague" → "Which address?")."""
    said = ctx.said
    found: Sequence[Entity | Found]
    if said == ctx.parse.text:
        found = ctx.parse.entities
    else:
        claims = Claims()
        prefixed_ids(said, claims)
        found = claims.found
    named = sorted((f for f in found if f.type in ("invoice_number", "credit_number")), key=lambda f: f.start)
    return list(dict.fromkeys(str(f.value) for f in named))


async def _mail_several(ctx: TurnContext, numbers: Sequence[str], recipient: str) -> Reply:
    """Each invoice named mailed to ``recipient``, each one its own action of the message (done once
    however often the message is delivered), said invoice by invoice."""
    texts: list[str] = []
    attachments: list[Attachment] = []
    first: Invoice | None = None
    cards: list[Card] = []
    for part, number in enumerate(numbers):
        if number.startswith("CN-"):
            note = await ctx.backends.invoices.get_credit_note(ctx.principal, number)
            if note is None:
                texts.append(ctx.t("invoice.credit_not_found", number=number))
            else:
                texts.append(ctx.t("invoice.credit.not_mailed", number=number, minutes=ctx.link_minutes))
                cards.append(_credit_note_card(ctx, note))
            continue
        invoice = await ctx.backends.invoices.get_invoice(ctx.principal, number)
        if invoice is None:
            texts.append(ctx.t("invoice.not_found", number=number))
            continue
        first = first or invoice
        mailed = await _mail_invoice(ctx, invoice, recipient, part=part)
        texts.append(mailed.text)
        attachments.extend(mailed.attachments)
    if first is not None:
        _remember(ctx, first)
    return ctx.reply(
        intent="invoice.forward",
        text="\n".join(dict.fromkeys(texts)),
        cards=tuple(cards),
        attachments=tuple(attachments),
    )


def _just_shown(ctx: TurnContext) -> bool:
    """The message names no invoice of its own and the one talked about was shown in the turn before."""
    named = any(ctx.parse.first(kind) for kind in ("invoice_number", "order_number", "po_number"))
    return not named and ctx.last_intent in ("invoice.get", "invoice.forward")


async def _mail_invoice(ctx: TurnContext, invoice: Invoice, recipient: str, *, part: int = 0) -> Reply:
    """Mails the invoice's PDF to ``recipient``, or to the user's own address when it is ``ME``
    (``part``: which of the message's several invoices, each its own action)."""
    intent = "invoice.forward"
    data = await _pdf(ctx, invoice)
    to_self = recipient == ME
    address = own_address(ctx.principal) if to_self else recipient
    if address is None:
        attachment = await _publish_pdf(ctx, invoice, data)
        return ctx.reply(intent=intent, text=ctx.t("recipient.no_own_address"), attachments=(attachment,))
    invoices = ctx.backends.invoices

    def forward(reference: str) -> list[Mail]:
        params = {
            "name": ctx.principal.name,
            "number": invoice.number,
            "total": ctx.fmt.money(invoice.total),
            "due": ctx.fmt.date(invoice.due_on),
            "seller": SELLER.name,
        }
        if to_self:
            subject = ctx.t("invoice.mail_me.subject", **params)
            text = ctx.t("invoice.mail_me.body", **params)
        else:
            subject = ctx.t("invoice.forward.subject", **params)
            text = ctx.t(
                "invoice.forward.body",
                sender=ctx.principal.email or "",
                company=ctx.principal.company_name or "",
                **params,
            )
        return [
            Mail(
                to=address,
                subject=subject,
                text=text,
                attachments=((f"{invoice.number}.pdf", PDF_TYPE, data),),
                language=ctx.language,
                reference=FORWARD_REFERENCE + reference,
            )
        ]

    try:
        # The record and its mail are one action: both or neither, once per message.
        reference = await invoices.record_forward(
            ctx.principal, invoice.number, address, queued=True, action=ctx.action(forward, part=part)
        )
    except MailUnavailable:
        log.warning("could not forward an invoice", exc_info=True)
        attachment = await _publish_pdf(ctx, invoice, data)
        return ctx.reply(
            intent=intent,
            text=ctx.t("invoice.forward.failed", number=invoice.number),
            attachments=(attachment,),
        )
    if reference is None:
        return ctx.reply(intent=intent, text=ctx.t("invoice.not_found", number=invoice.number))
    history = await invoices.invoice_history(ctx.principal, invoice.number)
    sent = any(event.reference == reference and event.delivery == "sent" for event in history)
    key = "invoice.forward.sent" if sent else "invoice.forward.queued"
    return ctx.reply(intent=intent, text=ctx.t(key, number=invoice.number, email=address))


_SAYS_APPROVE = re.compile(
    r"(?i)" + APPROVING + r"|(?<![\w-])(?:ok(?:ay)?|release\w*|clear\w*|frisläpp\w*|släpp\w*)\b[^.?!]{0,40}\b"
    r"(?:for|till|för)\s+(?:payment|betalning)"
)
"""Words of approving an invoice ("approve", "attest", "OK … for payment", "godkänn", "attestera"):
approving is recorded at once, so "faktura för order 4711" read as approving shows the invoice, and
"is the invoice approved yet?" asks after it (the invoice is shown with who approved it, if anyone)."""


_ON_TO = r".*?(?:@|(?<![\w-])(?:to|till|on|vidare|över|me|mig|us|oss|him|her|honom|henne|them|dem)(?![\w-]))"
"""After "send" or "skicka", where it goes: an address, "to …", "me", "vidare"; "skicka den som pdf" is
the invoice's copy asked for, not a forward."""
_SAYS_SEND = re.compile(
    r"(?i)(?<![\w-])(?:"
    # "sent" said of it: a request only when not asked after ("has INV-2031 been forwarded to Erik?")
    r"(?<!been\s)(?<!blivit\s)"
    + SENT
    + ASKED_AFTER
    + r"|(?!"
    + SENT
    + r"(?![\w-]))(?>forward\w*|fwd|foward\w*|(?:re)?send\w*(?="
    + _ON_TO
    + r")|e-?mail\w*|mail\w*|share\w*"
    r"|pass\w*\b|go(?:es)?\s+to(?=[^@]*@)|vidareb\w*|vb|skick\w*(?=" + _ON_TO + r")|mejl\w*|e-?post\w*"
    r"|dela\w*|gå\s+till(?=[^@]*@))"
    # ("skicka inget än!!", "send nothing yet": a send called off)
    r"(?!\s+(?:inget|ingenting|nothing|none)\b))"
    r"|@(?!" + QUESTION_AHEAD + r")"
)
"""Words of sending an invoice on ("forward", "email", "share", "skicka", "mejla", "vidarebefordra",
an address not asked about): forwarding mails it at once, so "I'm writing on behalf of our finance
department regarding INV-2031" is not a forward, whatever its words lean to, and nor is "has INV-2031
been forwarded to erik.lund@nordisk.example?" or "har den skickats till Erik än?", nor "skicka inget
än"."""


async def invoice_approve(ctx: TurnContext) -> Reply:
    intent = "invoice.approve"
    invoice = await _one_invoice(ctx, intent)
    if isinstance(invoice, Reply):
        return invoice
    outcome = await ctx.backends.invoices.approve_invoice(ctx.principal, invoice.number, action=ctx.action())
    if outcome is None:
        return ctx.reply(intent=intent, text=ctx.t("invoice.not_found", number=invoice.number))
    done = outcome.invoice
    if outcome.changed or done.approved_by:
        key = "invoice.approve.done" if outcome.changed else "invoice.approve.already"
        text = ctx.t(
            key,
            number=done.number,
            total=ctx.fmt.money(done.total),
            who=done.approved_by,
            when=ctx.fmt.datetime(done.approved_at),
        )
        return ctx.reply(intent=intent, text=text, cards=(_invoice_card(ctx, done),))
    return ctx.reply(
        intent=intent,
        text=ctx.t("invoice.approve.not_needed", number=done.number, status=_status(ctx, done.status)),
    )


_PAY_HOW = re.compile(
    r"\bhow\s+(?:(?:can|do|should|shall|would|could)\s+(?:i|we|one)\s+)?(?:to\s+)?pay\b"
    r"|\bpay(?:ing|ments?)?\s+(?:by|with|via|using|through)\s+(?:a\s+)?(?:credit|debit|card|cheque|check|bank"
    r"|transfer|wire|paypal|swish|direct\s+debit|iban|bankgiro)"
    r"|\b(?:payment|paying)\s+(?:methods?|options?|details|instructions)\b|\bways?\s+(?:to|of)\s+pay"
    r"|\b(?:(?:your|the)\s+bank\s+account|bank\s+details|bankgiro|plusgiro|iban|bic|swift(?:\s+code)?)\b"
    r"|\b(?:credit\s+|debit\s+)?card\s+payments?\b|\bpay(?:ing)?\s+online\b|\bpaypal\b|\bswish\b|\bautogiro\b"
    r"|\b(?:accept|take)\s+(?:credit\s+|debit\s+)?(?:cards?|cheques?|checks?|visa|mastercard|amex)\b"
    r"|\b(?:which|what)\s+(?:bank\s+)?account\b[^.?!]{0,30}\bpay|\bvilket\s+(?:bank)?konto\b"
    r"|\bkortbetalning|\bkreditkort"
    r"|\bwhere\s+(?:do|should|can)\s+(?:i|we)\s+(?:send|make)\s+(?:the\s+|our\s+)?payments?\b"
    r"|\bhur\s+(?:(?:kan|ska|skall|bör)\s+(?:jag|vi|man)\s+)?betala[rs]?\b"
    r"|\bbetala\s+(?:med|via|genom|per)\s+(?:kredit|bank|kort|swish|autogiro|bankgiro|plusgiro|överföring|iban)"
    r"|\bbetalningssätt|\bbetalningsalternativ|\bbetalningsuppgifter|\bkontonummer|\bbankkonto",
    re.IGNORECASE,
)
"""Asking how to pay ("can I pay by credit card", "what's your bank account", "hur betalar jag faktura
INV-2031"): answered with where the vendor's invoices are paid, not opened as a request."""
_PAY_TROUBLE = re.compile(
    r"\b(?:declined|refused|rejected|bounced|fail\w*|errors?|problems?|trouble|issues?|wrong|twice"
    r"|can'?t|cannot|couldn'?t|doesn'?t|didn'?t|won'?t|not\s+(?:work|go)\w*"
    r"|nekad\w*|avvis\w*|misslyck\w*|fel|problem\w*|strular|fungerar\s+inte|gick\s+inte|går\s+inte|kan\s+inte)\b",
    re.IGNORECASE,
)
"""A payment that went wrong ("my card payment was declined"): a question for a person, as a request."""


_PAY_WORDS = re.compile(
    r"(?=[pbiscgkac])(?:pay|betal|bank|iban|bic|swift|giro|konto|kort|kredit|swish|card|account|accept|cheque)",
    re.IGNORECASE,
)
"""A word every way of asking how to pay has, looked for first: the whole question is read only in the
few messages with one (every message is asked it)."""


_PAYING = re.compile(r"(?i)(?<![\w-])(?:pay|betal|faktur|invoice|inv-|bill|räkning|charge|debit)")


def _of_paying(text: str) -> bool:
    """A fault said of paying or of an invoice ("the payment doesn't work", "betalningen av INV-2031
    fungerar inte"): a question about the invoice, as a request. Not "det är fel på servern", which
    the words for what is wrong lean to this intent."""
    return _PAYING.search(text) is not None


_NAMES_AN_INVOICE: Final = frozenset({"invoice_number", "order_number", "po_number", "reference"})
_THIS_INVOICE: Final = ("about", "invoice")
"""How to pay is of one invoice when the message names one ("how do I pay INV-2031", "can I pay it
by card", "this invoice"); else of any, even right after one was shown."""


def _how_to_pay_asked(text: str) -> bool:
    return (
        _PAY_WORDS.search(text) is not None
        and _PAY_HOW.search(text) is not None
        and _PAY_TROUBLE.search(text) is None
    )


_COMPLAINED = re.compile(
    r"(?i)\b(?:complain\w*|complaint|dispute\w*|contest\w*|reklam\w*|klagomål\w*|klaga\w*|bestrid\w*)\b"
)
_AN_INVOICE = re.compile(r"(?i)(?<![\w-])(?:inv|cn)[-\s]?\d{2,10}(?![\w-])")
"""A complaint about an invoice named by its number ("I want to make a complaint about INV-3050"): the
invoice's question, which shows it and passes the question on, not a request of no record."""


_PAID_ALREADY = re.compile(
    r"(?i)\b(?:we|i)\s+(?:have\s+|had\s+|already\s+|did\s+)*paid\b(?![^.?!]*\?)"
    r"|\b(?:vi|jag)\s+(?:har\s+|hade\s+)?(?:redan\s+)?betal(?:at|ade)\b(?![^.?!]*\?)"
)
"""Said that the customer has paid ("we paid it on time", "vi har redan betalat"), not asked: a question
for the invoicing team about an invoice named."""


_DISPUTED = re.compile(
    r"(?i)\b(?:amount|price|total|sum|charge|fee|belopp\w*|pris\w*|summ\w*|totalen)\s+(?:\w+\s+){0,3}?"
    r"(?:too\s+high|too\s+much|wrong|incorrect|för\s+högt?|fel|felaktig\w*)\b"
    r"|\b(?:over-?charged|double[\s-]charged|charged\s+(?:us\s+|me\s+)?(?:twice|double|too\s+much|for\s+(?:two|2|three"
    r"|3|more))|(?:we|i)\s+(?:were|was|have\s+been|got)\s+charged\s+for\b"
    r"|dubbel(?:fakturer|debiter)\w*|(?:fakturerat|fakturerade|debiterat|debiterade)\s+(?:oss\s+|mig\s+)?"
    r"(?:för\s+mycket|två\s+gånger|dubbelt|för\s+(?:två|2|tre|3)))"
)
"""What a customer disputes of an invoice: its amount too high or wrong, or being charged twice or
for more than ordered ("the amount looks too high", "we were charged for two servers"): a question for
the invoicing team, not a copy of the invoice."""


def _invoice_question_asked(text: str) -> bool:
    """How to pay, asked; a complaint about an invoice named (``_COMPLAINED``); or an amount disputed
    (``_DISPUTED``)."""
    if _how_to_pay_asked(text):
        return True
    low = text.lower()  # (plain substring checks first: far cheaper than the patterns)
    if (
        "charg" in low
        or "high" in low
        or "wrong" in low
        or "hög" in low
        or "fel" in low
        or "fakturer" in low
        or "debiter" in low
    ) and _DISPUTED.search(text) is not None:
        return True
    if ("paid" in low or "betal" in low) and _PAID_ALREADY.search(text) is not None:
        return _AN_INVOICE.search(text) is not None  # ("INV-3050 is marked overdue but we paid it on time")
    if not ("inv" in low or "cn" in low) or not (
        "compl" in low
        or "disput" in low
        or "contest" in low
        or "reklam" in low
        or "klag" in low
        or "bestrid" in low
    ):
        return False
    return _COMPLAINED.search(text) is not None and _AN_INVOICE.search(text) is not None


def _asks_how_to_pay(ctx: TurnContext) -> bool:
    return _how_to_pay_asked(ctx.parse.text)


def _question_needs_invoice(ctx: TurnContext) -> bool:
    """A question about an invoice is about one, asked for; how to pay is answered of any."""
    return not _asks_how_to_pay(ctx)


async def _how_to_pay(ctx: TurnContext, intent: str) -> Reply:
    """Where the vendor's invoices are paid, in the user's currency (both ways when it is not known);
    with an invoice named, what is left to pay of it, by when and with which reference. "This invoice"
    with none talked about is answered of any."""
    invoice = None
    if any(e.type in _NAMES_AN_INVOICE or (e.type, e.value) == _THIS_INVOICE for e in ctx.parse.entities):
        found, missing = await _target(ctx)
        if found is None and missing:
            return ctx.reply(intent=intent, text=missing)
        invoice = found if isinstance(found, Invoice) else None  # a credit note is not paid
    if invoice is not None:
        _remember(ctx, invoice)
        if invoice.status is InvoiceStatus.PAID or invoice.open_amount.minor <= 0:
            text = ctx.t("invoice.pay.paid", number=invoice.number)
        else:
            key = "invoice.pay.one_overdue" if invoice.status is InvoiceStatus.OVERDUE else "invoice.pay.one"
            text = ctx.t(
                key,
                number=invoice.number,
                amount=ctx.fmt.money(invoice.open_amount),
                due=ctx.fmt.date(invoice.due_on),
                account=pay_to(ctx.t, invoice.total.currency),
            )
        return ctx.reply(intent=intent, text=text, cards=(_invoice_card(ctx, invoice),))
    return ctx.reply(
        intent=intent,
        text=ctx.t("invoice.pay.how", account=pay_to(ctx.t, ctx.principal.currency)),
        buttons=(
            Button(label=ctx.t("invoice.button.to_pay"), value=ctx.t("invoice.button.to_pay.value")),
            Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value")),
        ),
    )


_OF_A_PAYMENT = re.compile(r"(?i)\b(?:paid|payments?|betal(?:at|ade|ad|d|da|t|ts|ning\w*)|inbetal\w*)\b")
"""A question of a payment made ("have you received our payment", "is it paid", "vi har betalat"):
answered from the invoice before anything is passed on."""
_DOUBT = re.compile(
    r"(?i)\b(?:but|still|reminder|twice|double\w*|again|wrong|men|fortfarande|påminnelse\w*|"
    r"dubbel\w*|två\s+gånger|igen|fel)\b"
)
"""Words of a payment gone wrong rather than asked about ("we paid but it still shows open")."""


async def invoice_question(ctx: TurnContext) -> Reply:
    """How to pay is answered; whether a payment came in is answered from the invoice, with an offer to
    pass the question on when it is not paid (or the customer doubts it); any other question (a
    dispute) becomes a request for the invoicing team once confirmed, in the customer's own words."""
    intent = "invoice.question"
    if _asks_how_to_pay(ctx):
        return await _how_to_pay(ctx, intent)
    invoice = await _one_invoice(ctx, intent)
    if isinstance(invoice, Reply):
        return invoice
    said = ctx.said
    subject = ctx.t("invoice.question.subject", number=invoice.number)
    if ctx.slot("confirm") is None:
        if _OF_A_PAYMENT.search(said) and _PAY_TROUBLE.search(said) is None:
            return _payment_answer(ctx, invoice, doubted=_DOUBT.search(said) is not None)
        ctx.ask("confirm")
        values = {"category": "invoice", "subject": subject, "description": said, "priority": "normal"}
        return ctx.reply(
            ctx.t("invoice.question.confirm", number=invoice.number), cards=(request_card(ctx, values),)
        )
    return await question_request(
        ctx,
        words_of="invoice.question",
        category="invoice",
        subject=subject,
        related=invoice.number,
        facts={"number": invoice.number},
        question=said,
        intent=intent,
    )


def _payment_answer(ctx: TurnContext, invoice: Invoice, *, doubted: bool) -> Reply:
    """Whether the invoice is paid, as the books say; not paid, or doubted, it offers to pass the
    question on (a yes opens the request)."""
    fmt = ctx.fmt
    number = invoice.number
    if invoice.status is InvoiceStatus.CANCELLED:
        return ctx.reply(
            ctx.t("invoice.question.cancelled", number=number), cards=(_invoice_card(ctx, invoice),)
        )
    if invoice.status is InvoiceStatus.PAID or invoice.open_amount.minor <= 0:
        text = ctx.t("invoice.question.paid", number=number, total=fmt.money(invoice.total))
        if not doubted:
            return ctx.reply(text, cards=(_invoice_card(ctx, invoice),))
        text += ctx.t("invoice.question.offer_paid")
    else:
        params = {"number": number, "open": fmt.money(invoice.open_amount), "due": fmt.date(invoice.due_on)}
        if invoice.paid.minor > 0:
            text = ctx.t("invoice.question.part_paid", paid=fmt.money(invoice.paid), **params)
        elif invoice.status is InvoiceStatus.OVERDUE:
            text = ctx.t("invoice.question.unpaid_overdue", **params)
        else:
            text = ctx.t("invoice.question.unpaid", **params)
        text += ctx.t("invoice.question.payment_days") + ctx.t("invoice.question.offer")
    ctx.ask("confirm")
    return ctx.reply(text, cards=(_invoice_card(ctx, invoice),), buttons=yes_no_buttons(ctx.fmt))


_INVOICE_NUMBER = r"(?i)(?:inv-?)?\d{3,10}"
_INVOICE = Slot(
    name="invoice",
    entities=("invoice_number", "credit_number", "order_number", "reference"),
    question="invoice.ask_number",
    required=_invoice_needed,
    pattern=_INVOICE_NUMBER,
)
_ONE_INVOICE = Slot(
    name="invoice",
    entities=("invoice_number", "credit_number", "order_number", "po_number", "reference"),
    question="invoice.ask_number",
    pattern=_INVOICE_NUMBER,
)
_ORDER = Slot(name="order", entities=("order_number", "po_number"), required=False)
_PERIOD = Slot(
    name="period", entities=("date_range", "date"), question="order.ask_period", required=False, carry=False
)


def _invoice_marks(invoice: Invoice) -> tuple[str, ...]:
    """What tells an invoice of a list apart: its status, and whether it is still to be paid ("the paid
    one", "den obetalda", "the open one")."""
    status = invoice.status
    return (status.value, "unpaid", "open") if status in _UNPAID else (status.value,)


INTENTS = [
    IntentSpec(
        name="invoice.get",
        called={"en": "invoice", "sv": "fakturan"},
        asked_by=named_alone("invoice", "bill", "faktura", "fakturan"),
        context=ListingContext,
        examples=GET_EXAMPLES,
        handler=invoice_get,
        tool=Tool.INVOICES,
        answers_several=True,
        slots=(_INVOICE, _ORDER),
        claims=("invoice_number", "credit_number"),
        documents=True,
    ),
    IntentSpec(
        name="invoice.list",
        exports_after=("invoice.list",),
        context=ListingContext,
        examples=LIST_EXAMPLES,
        handler=invoice_list,
        tool=Tool.INVOICES,
        slots=(
            _PERIOD,
            Slot(name="invoice", entities=("reference",), required=False, carry=False),
        ),
    ),
    IntentSpec(
        name="invoice.forward",
        context=ListingContext,
        examples=FORWARD_EXAMPLES,
        requires=_SAYS_SEND,
        handler=invoice_forward,
        tool=Tool.INVOICES,
        answers_several=True,
        sends=True,
        keeps_text=True,  # (the invoices named, when the address is asked for: _invoices_named)
        slots=(
            _ONE_INVOICE,
            Slot(
                name="email",
                entities=("email",),
                question="invoice.ask_email",
                carry=False,
                pattern=r"\S+@\S+|(?i:(?:to\s+|till\s+)?(?:me|mej|mig|myself|mig\s+själv|my\s+own|min\s+egen)\s*[.!]?)",
                inline=INLINE_TO_ME,
                check=_email_check,
                choices=_to_me_choice,
                ask=_ask_email,
            ),
        ),
    ),
    IntentSpec(
        name="invoice.approve",
        context=ListingContext,
        examples=APPROVE_EXAMPLES,
        requires=_SAYS_APPROVE,
        handler=invoice_approve,
        tool=Tool.INVOICES,
        acts=True,
        slots=(_ONE_INVOICE,),
    ),
    IntentSpec(
        name="invoice.question",
        context=ListingContext,
        examples=QUESTION_EXAMPLES,
        handler=invoice_question,
        keeps_text=True,
        tool=Tool.INVOICES,
        asked_by=_invoice_question_asked,
        hears_faults=_of_paying,
        slots=(
            replace(_ONE_INVOICE, required=_question_needs_invoice),
            CONFIRM_SLOT,
        ),
    ),
]
