"""Every sentence the bot says to a customer, in English and Swedish.

Keys are grouped by who uses them. Placeholders are ``str.format`` fields; amounts and dates arrive
already formatted for the user's locale.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # --- the core --------------------------------------------------------------------------------
    "input.empty": {
        "en": "I didn't get any text. What can I help you with?",
        "sv": "Jag fick ingen text. Vad kan jag hjälpa dig med?",
    },
    "input.too_long": {
        "en": "That message is too long for me ({length} characters; at most {limit}). "
        "Could you say it in a few sentences?",
        "sv": "Meddelandet är för långt för mig ({length} tecken; högst {limit}). "
        "Kan du säga det med några meningar?",
    },
    "input.unreadable": {
        "en": "I couldn't read that message. Please write it as plain text.",
        "sv": "Jag kunde inte läsa meddelandet. Skriv det gärna som vanlig text.",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment, "
        "or ask to talk to a person.",
        "sv": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
    },
    "error.backend_unavailable": {
        "en": "Sorry, I can't reach our systems right now, so I can't answer that at the moment. "
        "Please try again in a few minutes, or ask to talk to a person.",
        "sv": "Förlåt, jag når inte våra system just nu och kan därför inte svara på det. "
        "Försök igen om några minuter, eller be att få prata med en person.",
    },
    "none": {
        "en": "I'm not sure I understood that, and I'd rather not guess. I can help with orders, "
        "invoices, account statements, contracts, installed equipment and support requests — "
        "or put you in touch with a person.",
        "sv": "Jag är inte säker på att jag förstod, och jag vill inte gissa. Jag kan hjälpa till med "
        "ordrar, fakturor, kontoutdrag, avtal, installerad utrustning och ärenden — "
        "eller koppla dig till en person.",
    },
    "dialog.cancelled": {
        "en": "OK, I've dropped that. What else can I do for you?",
        "sv": "Okej, jag släpper det. Vad mer kan jag hjälpa dig med?",
    },
    "dialog.nothing_to_cancel": {
        "en": "There's nothing to cancel. What can I help you with?",
        "sv": "Det finns inget att avbryta. Vad kan jag hjälpa dig med?",
    },
    "dialog.reask": {
        "en": '{question} (Or say "cancel" to drop it.)',
        "sv": '{question} (Eller skriv "avbryt" för att släppa det.)',
    },
    "auth.sign_in_needed": {
        "en": "Please sign in to see that. As a guest I can tell you the status of an order "
        "if you give me the order number and your customer number.",
        "sv": "Logga in för att se det. Som gäst kan jag berätta status för en order "
        "om du anger ordernumret och ert kundnummer.",
    },
    "auth.tool_needed": {
        "en": "You don't have access to {tool} yet. Your company's administrator can grant it.",
        "sv": "Du har inte behörighet till {tool} ännu. Ert företags administratör kan ge dig den.",
    },
    "tool.orders": {"en": "orders", "sv": "ordrar"},
    "tool.invoices": {"en": "invoices", "sv": "fakturor"},
    "tool.statements": {"en": "account statements", "sv": "kontoutdrag"},
    "tool.contracts": {"en": "contracts", "sv": "avtal"},
    "tool.inventory": {"en": "installed equipment", "sv": "installerad utrustning"},
    "tool.requests": {"en": "support requests", "sv": "ärenden"},
    "tool.not_connected": {
        "en": "I understand what you're asking, but that tool isn't connected to me yet. "
        "I can open a support request for it, or put you in touch with a person.",
        "sv": "Jag förstår vad du frågar efter, men det verktyget är inte kopplat till mig ännu. "
        "Jag kan öppna ett ärende om det, eller koppla dig till en person.",
    },
    "handoff.not_connected": {
        "en": "Our support team isn't connected to this chat yet. You can reach them by e-mail at "
        "{email}; mention your customer number and I'm sure they'll help.",
        "sv": "Vår supportavdelning är inte kopplad till den här chatten ännu. Du når dem på "
        "{email}; ange ert kundnummer så hjälper de dig.",
    },
    "button.open_request": {"en": "Open a request", "sv": "Öppna ett ärende"},
    "button.open_request.value": {"en": "open a request", "sv": "öppna ett ärende"},
    "button.talk_to_person": {"en": "Talk to a person", "sv": "Prata med en person"},
    "button.talk_to_person.value": {"en": "talk to a person", "sv": "prata med en person"},
    # --- small talk ------------------------------------------------------------------------------
    "smalltalk.greeting": {
        "en": "Hello{name}! I can help with your orders, invoices, statements, contracts, installed "
        "equipment and support requests. What would you like to do?",
        "sv": "Hej{name}! Jag kan hjälpa till med ordrar, fakturor, kontoutdrag, avtal, installerad "
        "utrustning och ärenden. Vad vill du göra?",
    },
    "smalltalk.thanks": {
        "en": "You're welcome! Anything else I can do?",
        "sv": "Varsågod! Något mer jag kan hjälpa till med?",
    },
    "smalltalk.goodbye": {
        "en": "Goodbye, and thanks for getting in touch!",
        "sv": "Hej då, och tack för att du hörde av dig!",
    },
    "smalltalk.help": {
        "en": "Here's what I can do:\n"
        "• Orders: status and tracking by order or PO number, searches by status and period, reports\n"
        "• Invoices and account statements\n"
        "• Contracts and installed equipment\n"
        "• Support requests, and a person whenever you want one\n"
        'Try "where is order 4711?" or "my orders from last month".',
        "sv": "Det här kan jag hjälpa till med:\n"
        "• Ordrar: status och spårning på order- eller inköpsordernummer, sökning på status och period, "
        "rapporter\n"
        "• Fakturor och kontoutdrag\n"
        "• Avtal och installerad utrustning\n"
        "• Ärenden, och en person närhelst du vill\n"
        'Prova "var är order 4711?" eller "mina ordrar från förra månaden".',
    },
    "smalltalk.help.guest": {
        "en": "As a guest I can tell you the status of an order: give me the order number and your "
        "customer number. Sign in to see everything else: orders, invoices, statements, contracts, "
        "equipment and requests.",
        "sv": "Som gäst kan jag berätta status för en order: ange ordernumret och ert kundnummer. "
        "Logga in för att se allt annat: ordrar, fakturor, kontoutdrag, avtal, utrustning och ärenden.",
    },
    "button.help.order_status": {"en": "Where is my latest order?", "sv": "Var är min senaste order?"},
    "button.help.order_search": {"en": "My open orders", "sv": "Mina öppna ordrar"},
    "button.help.order_report": {"en": "Order report for last month", "sv": "Orderrapport för förra månaden"},
    # --- orders ----------------------------------------------------------------------------------
    "order.ask_number": {
        "en": "Which order do you mean? Give me the order number (like 4711) or your PO number.",
        "sv": "Vilken order menar du? Ange ordernumret (t.ex. 4711) eller ert inköpsordernummer.",
    },
    "order.ask_period": {
        "en": 'Which period should the report cover? For example "last month", "this year" or "since 1 May".',
        "sv": 'Vilken period ska rapporten gälla? Till exempel "förra månaden", "i år" eller "sedan 1 maj".',
    },
    "order.ask_customer_number": {
        "en": "To look up an order as a guest I also need your customer number (7 digits, on your "
        "invoices and order confirmations).",
        "sv": "För att slå upp en order som gäst behöver jag också ert kundnummer (7 siffror, finns på "
        "fakturor och orderbekräftelser).",
    },
    "order.not_found": {
        "en": "I can't find order {number} among your company's orders. Please check the number.",
        "sv": "Jag hittar inte order {number} bland ert företags ordrar. Kontrollera gärna numret.",
    },
    "order.po_not_found": {
        "en": "I can't find any order with PO number {number} among your company's orders.",
        "sv": "Jag hittar ingen order med inköpsordernummer {number} bland ert företags ordrar.",
    },
    "order.none_yet": {
        "en": "I can't find any orders for your company yet.",
        "sv": "Jag hittar inga ordrar för ert företag ännu.",
    },
    "order.guest_not_found": {
        "en": "I can't find an order {number} for customer number {customer}. Please check both numbers, "
        "or sign in to see all your orders.",
        "sv": "Jag hittar ingen order {number} för kundnummer {customer}. Kontrollera båda numren, "
        "eller logga in för att se alla era ordrar.",
    },
    "order.po_many": {
        "en": "PO number {number} covers {count} orders:",
        "sv": "Inköpsordernummer {number} gäller {count} ordrar:",
    },
    "order.status.received": {"en": "received", "sv": "mottagen"},
    "order.status.confirmed": {"en": "confirmed", "sv": "bekräftad"},
    "order.status.in_production": {"en": "in production", "sv": "i produktion"},
    "order.status.shipped": {"en": "shipped", "sv": "skickad"},
    "order.status.delivered": {"en": "delivered", "sv": "levererad"},
    "order.status.cancelled": {"en": "cancelled", "sv": "makulerad"},
    "order.summary.shipped": {
        "en": "Order {number} has shipped with {carrier} and is expected on {expected}.",
        "sv": "Order {number} är skickad med {carrier} och väntas fram {expected}.",
    },
    "order.summary.delivered": {
        "en": "Order {number} was delivered on {delivered}.",
        "sv": "Order {number} levererades {delivered}.",
    },
    "order.summary.pending": {
        "en": "Order {number} is {status}. Expected delivery: {expected}.",
        "sv": "Order {number} är {status}. Beräknad leverans: {expected}.",
    },
    "order.summary.pending_no_date": {
        "en": "Order {number} is {status}. We don't have a delivery date for it yet.",
        "sv": "Order {number} är {status}. Vi har inget leveransdatum för den ännu.",
    },
    "order.summary.cancelled": {
        "en": "Order {number} has been cancelled.",
        "sv": "Order {number} är makulerad.",
    },
    "order.guest_note": {
        "en": "Sign in to see lines, amounts and tracking.",
        "sv": "Logga in för att se orderrader, belopp och spårning.",
    },
    "order.field.status": {"en": "Status", "sv": "Status"},
    "order.field.po": {"en": "PO number", "sv": "Inköpsordernr"},
    "order.field.ordered": {"en": "Ordered", "sv": "Beställd"},
    "order.field.expected": {"en": "Expected delivery", "sv": "Beräknad leverans"},
    "order.field.delivered": {"en": "Delivered", "sv": "Levererad"},
    "order.field.total": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "order.field.quantity": {"en": "Qty", "sv": "Antal"},
    "order.field.product": {"en": "Product", "sv": "Produkt"},
    "order.field.site": {"en": "Site", "sv": "Plats"},
    "order.field.carrier": {"en": "Carrier", "sv": "Transportör"},
    "order.field.tracking": {"en": "Tracking number", "sv": "Kollinummer"},
    "order.field.lines": {"en": "Lines", "sv": "Rader"},
    "order.title": {"en": "Order {number}", "sv": "Order {number}"},
    "order.track": {"en": "Track the shipment", "sv": "Spåra försändelsen"},
    "order.button.details": {"en": "Order {number}", "sv": "Order {number}"},
    "order.button.details.value": {"en": "status of order {number}", "sv": "status för order {number}"},
    "order.button.more": {"en": "Show more", "sv": "Visa fler"},
    "order.button.more.value": {"en": "show more orders", "sv": "visa fler ordrar"},
    "order.button.report": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "order.button.report.value": {"en": "order report", "sv": "orderrapport"},
    "order.search.found": {
        "en": "Here are your orders{filters} (showing {first}–{last}):",
        "sv": "Här är era ordrar{filters} (visar {first}–{last}):",
    },
    "order.search.none": {
        "en": "I found no orders{filters}.",
        "sv": "Jag hittade inga ordrar{filters}.",
    },
    "order.search.no_more": {
        "en": "That was all of them.",
        "sv": "Det var alla.",
    },
    "order.filter.status": {"en": " with status {status}", "sv": " med status {status}"},
    "order.filter.period": {"en": " from {start} to {end}", "sv": " från {start} till {end}"},
    "order.filter.site": {"en": " for {site}", "sv": " för {site}"},
    "order.col.number": {"en": "Order", "sv": "Order"},
    "order.col.po": {"en": "PO", "sv": "Inköpsorder"},
    "order.col.date": {"en": "Ordered", "sv": "Beställd"},
    "order.col.status": {"en": "Status", "sv": "Status"},
    "order.col.expected": {"en": "Expected", "sv": "Beräknad"},
    "order.col.delivered": {"en": "Delivered", "sv": "Levererad"},
    "order.col.total": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "order.col.currency": {"en": "Currency", "sv": "Valuta"},
    "order.col.site": {"en": "Site", "sv": "Plats"},
    "order.report.ready": {
        "en": "Your order report{filters} is ready: {count} orders. The links work for {minutes} minutes.",
        "sv": "Er orderrapport{filters} är klar: {count} ordrar. Länkarna fungerar i {minutes} minuter.",
    },
    "order.report.empty": {
        "en": "There are no orders{filters}, so there's nothing to put in a report.",
        "sv": "Det finns inga ordrar{filters}, så det finns inget att ta med i en rapport.",
    },
    "order.report.mailed": {
        "en": "I've e-mailed your order report{filters} ({count} orders) to {email}.",
        "sv": "Jag har mejlat er orderrapport{filters} ({count} ordrar) till {email}.",
    },
    "order.report.mail_failed": {
        "en": "I couldn't send the e-mail just now, so here are download links instead.",
        "sv": "Jag kunde inte skicka mejlet just nu, så här är länkar att ladda ner i stället.",
    },
    "order.report.too_large": {
        "en": "That report would have more than {limit} orders. Please choose a shorter period.",
        "sv": "Rapporten skulle få fler än {limit} ordrar. Välj en kortare period.",
    },
    "order.report.mail_subject": {
        "en": "Your order report{filters}",
        "sv": "Er orderrapport{filters}",
    },
    "order.report.mail_body": {
        "en": "Hello {name},\n\nAttached is the order report you asked for{filters}: {count} orders, "
        "as an Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\nBifogat är orderrapporten du bad om{filters}: {count} ordrar, "
        "som Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
    },
    "order.report.sheet": {"en": "Orders", "sv": "Ordrar"},
}
