"""Orders: status by number, PO or "my latest", search by status and period, and reports."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from supportbot.bot.dialog import ORDINALS
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Card, Field, Reply, Table
from supportbot.bot.nlu.lexicon import FILE_WORDS
from supportbot.bot.spec import IntentSpec, Slot, TurnContext
from supportbot.integrations.carriers import CARRIER_NAMES
from supportbot.integrations.models import Order, OrderStatus, OrderSummary, Tool, trusted
from supportbot.intents.common import Listing, ListingContext, asks_for_more, found_text, offer_help_buttons
from supportbot.intents.recipients import MAIL_WISH, Spreadsheet, mail_to_self, mailed_text, publish
from supportbot.services.spreadsheets import Column, to_csv, to_xlsx

# --- examples (the NLU's training data for this family) -------------------------------------------

STATUS_EXAMPLES = {
    "en": [
        "where is my order",
        "why is 4712 delayed",
        "why is my delivery late",
        "what is the status of order 4711",
        "status of order 4712?",
        "order 4711 status",
        "where's order #4711",
        "can you check order number 5801 for me",
        "I'd like to know where our order 4711 is",
        "has order 4712 shipped yet",
        "has our order been shipped yet",
        "has it shipped?",
        "when is my order going to arrive",
        "when will it arrive?",
        "do you know when it will be delivered?",
        "when is order 4711 going to be delivered",
        "expected delivery date for order 4711",
        "what's the ETA on our delivery",
        "where's our package",
        "where's our shipment right now",
        "track my order",
        "tracking link for order 4711 please",
        "can I get the tracking number for our shipment",
        "I need to track a parcel you sent us",
        "give me the carrier tracking for 5801",
        "status of PO NV-PO-889",
        "where is purchase order NV-PO-889",
        "what happened to our PO 4500012345",
        "check the status of my latest order",
        "what's happening with my last order",
        "how is our most recent order doing",
        "is my order on its way",
        "is order 4712 still in production",
        "has the delivery for 4711 left your warehouse",
        "our order hasn't arrived, where is it",
        "when can we expect the delivery",
        "how long until my order gets here",
        "when will you deliver order 4711",
        "was order 5801 delivered?",
        "was our order delivered already",
        "any update on order 4711?",
        "follow up on my order please",
        "wheres my ordr",
        "staus of my oder 4711",
        "trak my package plz",
        "order status",
        "order 4711",
        "check order 4712",
        "delivery status of the order we placed last week",
        "which carrier is shipping order 4711",
        "who is carrying order 4712",
        "what was included in order 4711",
        "who is delivering it",
        "is the shipment for NV-PO-889 going with PostNord",
        "how far along is my order",
        "is the order confirmed",
        "delivery date for my order?",
        "the parcel is late, where is it",
        "when does order 4712 ship",
        "is there a tracking number yet",
        "show me the order history of 4711",
        "what's the latest on our purchase order",
        "the delivery still hasn't come",
        "will our order be delivered this week",
        "can you tell me if 4711 has been dispatched",
        "I haven't received my items yet",
        "order status for customer number 1000123, order 4711",
        "What's the status of the order for the FlashSystem?",
        "Hi, could you please tell me when our order will be delivered to Kista?",
        "when can I expect my items",
        "how soon will the products arrive",
        "when will our purchase be delivered",
        "estimated arrival date of my order",
        "can you locate my order",
        "find my package",
        "where is the stuff we ordered",
        "I ordered a server two weeks ago, where is it",
        "what's the delivery time for order 4711",
        "is my delivery late",
        "current location of my parcel",
        "show the status of our purchase",
        "what is the arrival date of the shipment",
        "did you send my order yet",
        "our shipment is delayed",
        "order update please",
        "how is the delivery of 4711 progressing",
        "when do I get my products",
        "I'm still waiting for my delivery",
        "when will it be delivered",
        "how long will delivery take for my order",
        "delivery time of my purchase",
        "when is my item coming",
        "when does my product arrive",
        "how soon will I get my order",
        "expected shipping date for order 4712",
        "when will you ship my purchase",
        "how many days until my order arrives",
        "delivery estimate for my order",
        "track my purchase",
        "where is my purchase",
        "follow my order",
        "trace my parcel",
        "order tracking",
        "shipment tracking",
        "check where my package is",
        "locate my shipment",
        "how long does shipping usually take",
        "what's the usual delivery period",
        "information about delivery times",
        "how soon can I expect my delivery",
        "how long will the shipping of my order take",
        "what is the shipping period for my order",
        "I'm trying to find out the delivery period",
    ],
    "sv": [
        "vad innehåller order 4711",
        "vilket bud kör den",
        "vem är budfirman för 4712",
        "order 4711 skulle ha kommit igår, vad händer",
        "var är min order",
        "vad är status på order 4711",
        "status för order 4712?",
        "var är order #4711",
        "kan du kolla ordernummer 5801 åt mig",
        "jag vill veta var vår order 4711 är",
        "har order 4712 skickats än",
        "har min beställning skickats",
        "har den skickats?",
        "när kommer min order",
        "när kommer den?",
        "vet du när den kommer fram?",
        "när levereras order 4711",
        "förväntat leveransdatum för order 4711",
        "när kan vi räkna med leveransen",
        "var är mitt paket",
        "var är vår leverans just nu",
        "spåra min order",
        "spårningslänk för order 4711 tack",
        "kan jag få spårningsnumret till vår försändelse",
        "kan du skicka spårningslänken för 4712",
        "skicka spårningsnumret till mig",
        "jag behöver spåra ett paket från er",
        "jag letar efter en order vi har lagt",
        "vilken transportör levererar order 4711",
        "vilket fraktbolag skickar order 4711",
        "med vilken speditör kommer leveransen",
        "vem kör ut den",
        "vem levererar vår beställning",
        "vad ingick i order 4711",
        "vad innehöll beställningen",
        "status på inköpsorder NV-PO-889",
        "var är vår inköpsorder NV-PO-889",
        "hur går det med PO 4500012345",
        "kolla status på min senaste order",
        "hur går det med vår senaste beställning",
        "är min order på väg",
        "är order 4712 fortfarande i produktion",
        "har leveransen för 4711 lämnat lagret",
        "vår order har inte kommit, var är den",
        "jag hittar inte vår order 4711",
        "hjälp mig hitta min beställning",
        "hur länge dröjer vår leverans",
        "har order 5801 levererats?",
        "blev vår order levererad",
        "någon uppdatering om order 4711?",
        "var e min ordr",
        "staus på min oder 4711",
        "spåra paketet tack",
        "orderstatus",
        "order 4711",
        "kolla order 4712",
        "leveransstatus för beställningen vi gjorde förra veckan",
        "skickas order 4711 med PostNord",
        "hur långt har min order kommit",
        "är ordern bekräftad",
        "leveransdatum för min order?",
        "paketet är försenat, var är det",
        "när skickas beställningen",
        "vet ni när vår leverans kommer fram",
        "vad händer med ordern",
        "hur ligger vi till med order 4711",
        "finns det ett spårningsnummer än",
        "visa orderhistoriken för 4711",
        "levereras vår order den här veckan",
        "har 4711 skickats iväg",
        "vi har inte fått varorna än",
        "orderstatus för kundnummer 1000123, order 4711",
        "Hej! Kan du säga när vår beställning levereras till Kista?",
        "när får vi leveransen av FlashSystem",
        "när kommer grejerna",
        "när kan jag räkna med mina varor",
        "hur snart kommer produkterna",
        "när levereras vårt köp",
        "beräknat ankomstdatum för min order",
        "kan du hitta min order",
        "hitta mitt paket",
        "var är sakerna vi beställde",
        "jag beställde en server för två veckor sedan, var är den",
        "vad är leveranstiden för order 4711",
        "är min leverans försenad",
        "var befinner sig mitt paket nu",
        "kolla status på mitt köp",
        "när är försändelsen framme",
        "har ni skickat min order än",
        "vår leverans är försenad",
        "varför är order 4712 försenad",
        "varför har vår beställning inte kommit än",
        "uppdatering om ordern tack",
        "hur går leveransen av 4711",
        "när får jag mina produkter",
        "jag väntar fortfarande på min leverans",
        "när blir den levererad",
        "hur lång tid tar leveransen av min order",
        "leveranstid för mitt köp",
        "när kommer min vara",
        "när kommer produkten fram",
        "hur snart får jag min order",
        "förväntat leveransdatum för order 4712",
        "när skickar ni mitt köp",
        "hur många dagar tills min order kommer",
        "leveransprognos för min order",
        "spåra mitt köp",
        "var är mitt köp",
        "följ min order",
        "spåra mitt paket",
        "orderspårning",
        "spårning av försändelsen",
        "kolla var mitt paket är",
        "hitta min försändelse",
        "var är min beställning",
        "hur går det med beställningen",
        "när kommer beställningen fram",
        "är beställning 4712 på väg",
        "status på vår beställning från i måndags",
        "har beställningen lämnat ert lager",
        "hur lång tid tar frakten oftast",
        "hur lång är leveranstiden normalt",
        "hur snart kan jag räkna med leveransen",
        "vad är leveranstiden för min beställning",
    ],
}

SEARCH_EXAMPLES = {
    "en": [
        "show my orders from last month",
        "show my open orders",
        "which orders are delayed",
        "show delayed orders",
        "and the delivered ones?",
        "list our late orders",
        "orders that are past their expected delivery date",
        "which of our orders are running late",
        "list our orders from last month",
        "which orders are still open",
        "all orders shipped this week",
        "show delivered orders in May",
        "orders placed since 1 May",
        "find orders between 1 and 15 October",
        "my orders this year",
        "list all orders that are in production",
        "show me cancelled orders",
        "what orders did we place in Q3",
        "orders for the Kista site",
        "show orders delivered to Göteborg last month",
        "find my orders from the last 30 days",
        "which of our orders haven't been delivered yet",
        "any open orders?",
        "search orders with status shipped",
        "list orders from 2026-05-01 to 2026-05-31",
        "show all my recent orders",
        "what did we order last week",
        "do we have any orders in transit",
        "orders shipped yesterday",
        "find all undelivered orders",
        "show the orders we made in March",
        "list orders waiting to be shipped",
        "I want to see all our orders",
        "show orders over 100 000 SEK",
        "search for orders shipped with DHL",
        "list my company's orders",
        "view our order history",
        "order history for this quarter",
        "orders going to München",
        "how many open orders do we have",
        "list every order placed this month",
        "open orders pls",
        "shw my ordrs",
        "orders last month",
        "my orders",
        "show me all pending orders",
        "find the orders with PO numbers starting with NV",
        "which orders were delivered in April",
        "orders between 1/4 and 15/4",
        "give me an overview of our orders",
        "all confirmed orders since January",
        "search my orders",
        "list the orders erik.lund@nordisk.example placed",
        "Could you list the orders we have placed during the last two weeks?",
        "what orders are being delivered to Kista this week",
        "show orders not yet shipped",
    ],
    "sv": [
        "visa mina ordrar från förra månaden",
        "vad har vi för ordrar hos er just nu",
        "visa mina öppna ordrar",
        "försenade ordrar",
        "vilka ordrar är försenade",
        "visa försenade beställningar",
        "lista våra sena ordrar",
        "ordrar som passerat leveransdatum",
        "lista våra ordrar från förra månaden",
        "vilka ordrar är fortfarande öppna",
        "alla ordrar som skickats den här veckan",
        "visa levererade ordrar i maj",
        "ordrar lagda sedan 1 maj",
        "hitta ordrar mellan 1 och 15 oktober",
        "mina beställningar i år",
        "lista alla ordrar som är i produktion",
        "visa makulerade ordrar",
        "kan du ta fram våra försenade ordrar",
        "vilka ordrar la vi under Q3",
        "ordrar till Kista",
        "visa ordrar levererade till Göteborg förra månaden",
        "mina ordrar de senaste 30 dagarna",
        "vilka av våra ordrar har inte levererats än",
        "finns det några öppna ordrar?",
        "sök ordrar med status skickad",
        "lista ordrar från 2026-05-01 till 2026-05-31",
        "visa alla mina senaste ordrar",
        "vad beställde vi förra veckan",
        "har vi några ordrar under transport",
        "ordrar som skickades igår",
        "visa alla ej levererade ordrar",
        "visa beställningarna vi gjorde i mars",
        "jag vill se alla våra ordrar",
        "visa ordrar över 100 000 kr",
        "sök ordrar som skickats med DHL",
        "lista företagets ordrar",
        "visa vår orderhistorik",
        "orderhistorik för det här kvartalet",
        "hur många öppna ordrar har vi",
        "alla ordrar den här månaden",
        "öppna ordrar tack",
        "vsa mina ordar",
        "ordrar förra månaden",
        "mina ordrar",
        "visa alla väntande beställningar",
        "vilka beställningar är på väg",
        "ge mig en lista över ordrarna i april",
        "vilka ordrar levererades i april",
        "ordrar mellan 1/4 och 15/4",
        "ge mig en översikt över våra ordrar",
        "alla bekräftade ordrar sedan januari",
        "sök bland mina ordrar",
        "ordrar som går till München",
        "Kan du lista beställningarna vi gjort de senaste två veckorna?",
        "vilka ordrar levereras till Kista i veckan",
        "visa ordrar som inte skickats än",
        "levererade ordrar i fjol",
        "visa mina beställningar",
        "vilka beställningar har levererats den här månaden",
        "lista beställningar som är öppna",
        "visa vad vi har beställt i år",
        "alla våra beställningar sedan januari",
    ],
}

REPORT_EXAMPLES = {
    "en": [
        "download a spreadsheet of my orders",
        "export our orders from last month to Excel",
        "I need an xlsx of all orders this year",
        "can you email me a report of open orders",
        "send me a csv with orders from Q3",
        "order report for May please",
        "generate a report of delivered orders in October",
        "export orders between 1 and 15 October as csv",
        "mail the orders report to anna.berg@nordisk.example",
        "I want a spreadsheet with every order since 1 May",
        "give me an excel file of our orders",
        "create a report of all shipped orders this month",
        "could you put last month's orders in a spreadsheet",
        "standard order report",
        "custom report of orders by status",
        "download the order list as xlsx",
        "email me the monthly order report",
        "report on orders in production",
        "export order history to csv",
        "can I get our orders as an excel sheet",
        "send a report of this quarter's orders to my inbox",
        "spreadsheet of orders for Kista",
        "orders report last 30 days",
        "I'd like to download all orders from 2025",
        "make me a report of cancelled orders",
        "excel export of orders",
        "e-mail the order export to my colleague",
        "xlsx orders pls",
        "donwload ordrs to excel",
        "report of all orders placed this year, by status",
        "please prepare an order report and mail it to me",
        "I need a file with our orders for the auditors",
        "export the open orders",
        "download orders",
        "orders per month as a report",
        "can you send the delivered orders for Göteborg as a spreadsheet to erik.lund@nordisk.example",
        "report of orders",
        "I want to download a report",
        "csv of last week's orders",
        "generate an excel with purchase orders and delivery dates",
    ],
    "sv": [
        "ladda ner ett kalkylark med mina ordrar",
        "exportera våra ordrar från förra månaden till Excel",
        "jag behöver en xlsx med alla ordrar i år",
        "kan du mejla mig en rapport över öppna ordrar",
        "skicka en csv med ordrar från Q3",
        "orderrapport för maj tack",
        "ta fram en rapport över levererade ordrar i oktober",
        "exportera ordrar mellan 1 och 15 oktober som csv",
        "mejla orderrapporten till anna.berg@nordisk.example",
        "jag vill ha ett kalkylark med alla ordrar sedan 1 maj",
        "ge mig en excelfil med våra ordrar",
        "skapa en rapport över alla skickade ordrar den här månaden",
        "kan du lägga förra månadens ordrar i ett kalkylblad",
        "standardrapport för ordrar",
        "anpassad rapport över ordrar per status",
        "ladda ner orderlistan som xlsx",
        "mejla mig den månatliga orderrapporten",
        "rapport över ordrar i produktion",
        "exportera orderhistoriken till csv",
        "kan jag få våra ordrar som excelark",
        "skicka en rapport över kvartalets ordrar till min mejl",
        "kalkylark över ordrar för Kista",
        "orderrapport senaste 30 dagarna",
        "jag vill ladda ner alla ordrar från 2025",
        "gör en rapport över makulerade ordrar",
        "excelexport av ordrar",
        "e-posta orderexporten till min kollega",
        "xlsx ordrar tack",
        "ladda ner ordrar till exel",
        "rapport över årets ordrar per status",
        "förbered en orderrapport och skicka den till mig via e-post",
        "jag behöver en fil med våra ordrar till revisorerna",
        "exportera de öppna ordrarna",
        "ladda ner ordrar",
        "ordrar per månad som rapport",
        "skicka levererade ordrar för Göteborg som kalkylark till erik.lund@nordisk.example",
        "rapport över ordrar",
        "jag vill ladda ner en rapport",
        "csv med förra veckans beställningar",
        "ta fram en excel med inköpsorder och leveransdatum",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "order.ask_number": {
        "en": "Which order do you mean? Give me the order number (like 4711) or your PO number.",
        "sv": "Vilken order menar du? Ange ordernumret (t.ex. 4711) eller ert inköpsordernummer.",
    },
    "order.ask_customer_number": {
        "en": "To look up an order as a guest I also need your customer number (7 digits, on your "
        "invoices and order confirmations).",
        "sv": "För att slå upp en order som gäst behöver jag också ert kundnummer (7 siffror, finns på "
        "fakturor och orderbekräftelser).",
    },
    "order.change_not_here": {
        "en": "I can't cancel or change an order here in the chat, but our order desk can: open a request "
        "and they will get back to you, or talk to a person now.",
        "sv": "Jag kan inte avbeställa eller ändra en order här i chatten, men vår orderavdelning kan: öppna "
        "ett ärende så återkommer de, eller prata med en person nu.",
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
        "plural": "count",
        "en": {
            "one": "PO number {number} covers {count} order:",
            "other": "PO number {number} covers {count} orders:",
        },
        "sv": {
            "one": "Inköpsordernummer {number} gäller {count} order:",
            "other": "Inköpsordernummer {number} gäller {count} ordrar:",
        },
    },
    "order.status.received": {"en": "received", "sv": "mottagen"},
    "order.status.confirmed": {"en": "confirmed", "sv": "bekräftad"},
    "order.status.in_production": {"en": "in production", "sv": "i produktion"},
    "order.status.shipped": {"en": "shipped", "sv": "skickad"},
    "order.status.delivered": {"en": "delivered", "sv": "levererad"},
    "order.status.cancelled": {"en": "cancelled", "sv": "makulerad"},
    "order.status.open": {"en": "open", "sv": "öppen"},
    "order.status.unshipped": {"en": "not shipped yet", "sv": "inte skickad än"},
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
        "plural": "count",
        "en": {
            "one": "Here is one more of your orders{filters} (number {first}):",
            "other": "Here are your orders{filters} (showing {first}–{last}):",
        },
        "sv": {
            "one": "Här är en order till{filters} (nummer {first}):",
            "other": "Här är era ordrar{filters} (visar {first}–{last}):",
        },
    },
    "order.search.found.all": {
        "plural": "count",
        "en": {"one": "I found {count} order{filters}:", "other": "I found {count} orders{filters}:"},
        "sv": {"one": "Jag hittade {count} order{filters}:", "other": "Jag hittade {count} ordrar{filters}:"},
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
    "order.filter.delayed": {
        "en": " that are delayed (expected before today, not delivered yet)",
        "sv": " som är försenade (väntade före i dag, ännu inte levererade)",
    },
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
        "plural": "count",
        "en": {
            "one": "Your order report{filters} is ready: {count} order.",
            "other": "Your order report{filters} is ready: {count} orders.",
        },
        "sv": {
            "one": "Er orderrapport{filters} är klar: {count} order.",
            "other": "Er orderrapport{filters} är klar: {count} ordrar.",
        },
    },
    "order.report.empty": {
        "en": "There are no orders{filters}, so there's nothing to put in a report.",
        "sv": "Det finns inga ordrar{filters}, så det finns inget att ta med i en rapport.",
    },
    "order.report.mailed": {
        "plural": "count",
        "en": {
            "one": "I've e-mailed your order report{filters} ({count} order) to {email}.",
            "other": "I've e-mailed your order report{filters} ({count} orders) to {email}.",
        },
        "sv": {
            "one": "Jag har mejlat er orderrapport{filters} ({count} order) till {email}.",
            "other": "Jag har mejlat er orderrapport{filters} ({count} ordrar) till {email}.",
        },
    },
    "order.report.too_large": {
        "plural": "limit",
        "en": {
            "one": "That report would have more than {limit} order. Please choose a shorter period.",
            "other": "That report would have more than {limit} orders. Please choose a shorter period.",
        },
        "sv": {
            "one": "Rapporten skulle få fler än {limit} order. Välj en kortare period.",
            "other": "Rapporten skulle få fler än {limit} ordrar. Välj en kortare period.",
        },
    },
    "order.report.mail_subject": {
        "en": "Your order report{filters}",
        "sv": "Er orderrapport{filters}",
    },
    "order.report.mail_body": {
        "plural": "count",
        "en": {
            "one": "Hello {name},\n\nAttached is the order report you asked for{filters}: {count} order, "
            "as an Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
            "other": "Hello {name},\n\nAttached is the order report you asked for{filters}: {count} orders, "
            "as an Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
        },
        "sv": {
            "one": "Hej {name},\n\nBifogat är orderrapporten du bad om{filters}: {count} order, "
            "som Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
            "other": "Hej {name},\n\nBifogat är orderrapporten du bad om{filters}: {count} ordrar, "
            "som Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
        },
    },
    "order.report.sheet": {"en": "Orders", "sv": "Ordrar"},
}
words(WORDS)

log = logging.getLogger(__name__)

# --- handlers -------------------------------------------------------------------------------------

PAGE_SIZE = 10
REPORT_LIMIT = 100_000
_CHANGE = re.compile(
    r"(?<![\w-])(?:cancel\w*|(?<!any )(?<!no )chang(?:e|es|ing)\b(?!\s+(?:in|of)\s+(?:the\s+)?status)|modify|amend"
    r"|reroute|redirect|expedite\w*|(?<!a\s)rush|speed\s+up|split\w*|(?:add|remove)\b[^.?!]{0,40}\b(?:to|from)\s+(?:the\s+|my\s+|our\s+)?order"
    r"|avbeställ\w*|avboka\w*|makulera\w*|annullera\w*|ändra(?:r|s|d|t)?\b|påskynda\w*|skynda\s+på"
    r"|dela\s+upp|(?:lägg|lägga)\s+till|ta\s+bort)",
    re.IGNORECASE,
)
"""Asking to cancel or change an order ("cancel order 4712", "ändra leveransadressen för 4712", "expedite
4712", "split 4711 into two deliveries", "add 3 licences to order 4712"): the chat shows the order and
says who can, it never changes one. Not "any change in the status"."""
_DELAYED = re.compile(
    r"\b(delayed|late|overdue|behind\s+schedule|past\s+(?:their|the|its)\s+(?:expected\s+)?delivery\s+date|"
    r"försenade?|försenat|sena|passerat\s+(?:sitt\s+|sina\s+)?leveransdatum)\b",
    re.IGNORECASE,
)
"""Orders past their expected delivery date and not delivered: "which orders are delayed"."""
_OPEN_STATUSES = frozenset(
    {OrderStatus.RECEIVED, OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED}
)
_BEFORE_SHIPPING = _OPEN_STATUSES - {OrderStatus.SHIPPED}
"""The orders "not shipped yet" ("inte skickade än"): open ones that have not left."""


def _status(ctx: TurnContext, status: OrderStatus) -> str:
    return ctx.t(f"order.status.{status.value}")


def order_summary(ctx: TurnContext, order: Order) -> str:
    """One sentence of where an order is: delivered when, shipped with whom and expected when, or its
    status and expected delivery ("Order 4712 is in production. Expected delivery: 20 December 2026.")."""
    if order.status is OrderStatus.CANCELLED:
        return ctx.t("order.summary.cancelled", number=order.number)
    if order.status is OrderStatus.DELIVERED:
        return ctx.t(
            "order.summary.delivered", number=order.number, delivered=ctx.fmt.date(order.delivered_at)
        )
    shipment = order.shipments[-1] if order.shipments else None
    expected = (shipment.expected_at if shipment else None) or order.expected_delivery
    if order.status is OrderStatus.SHIPPED and shipment is not None:
        return ctx.t(
            "order.summary.shipped",
            number=order.number,
            carrier=CARRIER_NAMES[shipment.carrier],
            expected=ctx.fmt.date(expected),
        )
    if expected is None:
        return ctx.t("order.summary.pending_no_date", number=order.number, status=_status(ctx, order.status))
    return ctx.t(
        "order.summary.pending",
        number=order.number,
        status=_status(ctx, order.status),
        expected=ctx.fmt.date(expected),
    )


def _field(label: str, value: str) -> Field:
    return trusted(Field, label=label, value=value)


class _CardWords(NamedTuple):
    """The order card's labels in one language."""

    po: str
    ordered: str
    delivered: str
    expected: str
    total: str
    site: str
    carrier: str
    tracking: str
    track: str
    product: str
    quantity: str


_CARD_WORDS: dict[str, _CardWords] = {}
"""The card's labels per language, said once: registered words never change."""


def _card_words(ctx: TurnContext) -> _CardWords:
    said = _CARD_WORDS.get(ctx.fmt.language)
    if said is None:
        said = _CARD_WORDS[ctx.fmt.language] = _CardWords(
            po=ctx.t("order.field.po"),
            ordered=ctx.t("order.field.ordered"),
            delivered=ctx.t("order.field.delivered"),
            expected=ctx.t("order.field.expected"),
            total=ctx.t("order.field.total"),
            site=ctx.t("order.field.site"),
            carrier=ctx.t("order.field.carrier"),
            tracking=ctx.t("order.field.tracking"),
            track=ctx.t("order.track"),
            product=ctx.t("order.field.product"),
            quantity=ctx.t("order.field.quantity"),
        )
    return said


def _order_reply(ctx: TurnContext, order: Order) -> Reply:
    """The order's card (its parts made as ``trusted``: every value below is a string already)."""
    said = _card_words(ctx)
    fmt = ctx.fmt
    fields = []  # the status is the card's subtitle
    if order.po_number:
        fields.append(_field(said.po, order.po_number))
    fields.append(_field(said.ordered, fmt.date(order.ordered_at)))
    if order.delivered_at:
        fields.append(_field(said.delivered, fmt.date(order.delivered_at)))
    elif order.expected_delivery and order.status is not OrderStatus.CANCELLED:
        shipment = order.shipments[-1] if order.shipments else None
        expected = (shipment.expected_at if shipment else None) or order.expected_delivery
        fields.append(_field(said.expected, fmt.date(expected)))
    money = fmt.money
    fields.append(_field(said.total, money(order.total)))
    if order.site:
        fields.append(_field(said.site, order.site))
    url = url_label = None
    if order.shipments:
        shipment = order.shipments[-1]
        fields.append(_field(said.carrier, CARRIER_NAMES[shipment.carrier]))
        fields.append(_field(said.tracking, shipment.tracking_number))
        url, url_label = shipment.tracking_url, said.track
    table = None
    if order.lines:
        table = trusted(
            Table,
            columns=("#", said.product, said.quantity, said.total),
            rows=tuple(
                [
                    (
                        str(line.line_no),
                        f"{line.description} ({line.product_code})",
                        str(line.quantity),
                        money(line.total),
                    )
                    for line in order.lines
                ]
            ),
        )
    card = trusted(
        Card,
        title=ctx.t("order.title", number=order.number),
        subtitle=_status(ctx, order.status).capitalize(),
        fields=tuple(fields),
        buttons=(),
        url=url,
        url_label=url_label,
    )
    ctx.set_current("order", "order_number", order.number)
    return trusted(
        Reply,
        text=order_summary(ctx, order),
        cards=(card,),
        table=table,
        buttons=(),
        attachments=(),
        form=None,
        language=ctx.language,
        intent="order.status",
    )


async def order_status(ctx: TurnContext) -> Reply:
    if ctx.principal.is_guest:
        return await _guest_status(ctx)
    ref = ctx.slot("order")
    assert ref is not None
    orders = ctx.backends.orders
    if ref.type == "reference":
        order = await orders.latest_order(ctx.principal)
        if order is None:
            return Reply(text=ctx.t("order.none_yet"), language=ctx.language, intent="order.status")
        return _order_reply(ctx, order)
    if ref.type == "po_number":
        found = await orders.find_by_po(ctx.principal, str(ref.value))
        if not found:
            return Reply(
                text=ctx.t("order.po_not_found", number=ref.value),
                language=ctx.language,
                intent="order.status",
            )
        if len(found) > 1:
            ctx.set_shown("order", [o.number for o in found], [order_marks(o) for o in found])
            return Reply(
                text=ctx.t("order.po_many", number=ref.value, count=len(found)),
                table=_orders_table(ctx, found),
                buttons=_order_buttons(ctx, found),
                language=ctx.language,
                intent="order.status",
            )
        number = found[0].number
    else:
        number = str(ref.value)
        named = ctx.parse.values("order_number")
        if len(named) > 1 and number in named:
            unique = list(dict.fromkeys(str(n) for n in named))
            asked = _asked_among(ctx, [str(n) for n in named], unique)
            if asked is None:
                return await _several_orders(ctx, named)
            number = asked
            ctx.set_shown("order", unique)  # ("and the other one?" next)
    order = await orders.get_order(ctx.principal, number)
    if order is None:
        return Reply(
            text=ctx.t("order.not_found", number=number), language=ctx.language, intent="order.status"
        )
    if _CHANGE.search(ctx.parse.text):
        shown = _order_reply(ctx, order)
        return shown.model_copy(
            update={
                "text": f"{ctx.t('order.change_not_here')}\n\n{shown.text}",
                "buttons": (*offer_help_buttons(ctx), *shown.buttons),
            }
        )
    return _order_reply(ctx, order)


def _asked_among(ctx: TurnContext, named: Sequence[str], unique: Sequence[str]) -> str | None:
    """Of several orders a message names, the one it asks about: by its place ("I have two orders
    open, 4711 and 4712. where's the first one?") or said again ("vi har två ordrar ute, 4711 och 4712.
    var är 4711?"); ``None`` when it asks about them all."""
    for entity in ctx.parse.entities:
        place = ORDINALS.get(str(entity.value)) if entity.type == "reference" else None
        if place is not None and -len(unique) <= place < len(unique):
            return unique[place]
    again = [number for number in unique if named.count(number) > 1]
    return again[0] if len(again) == 1 else None


SEVERAL_ORDERS = 5
"""Orders answered together when one message names several ("where are 4711 and 4712?")."""


async def _several_orders(ctx: TurnContext, named: Sequence[Any]) -> Reply:
    """Each order a message names, in the order named (the first ``SEVERAL_ORDERS``): its words and
    card, or that it was not found; "the second one" then means the second of them."""
    numbers = list(dict.fromkeys(str(n) for n in named))[:SEVERAL_ORDERS]
    replies: list[Reply] = []
    shown: list[str] = []
    for number in numbers:
        order = await ctx.backends.orders.get_order(ctx.principal, number)
        if order is None:
            replies.append(Reply(text=ctx.t("order.not_found", number=number), language=ctx.language))
        else:
            shown.append(number)
            replies.append(_order_reply(ctx, order))
    ctx.set_shown("order", shown)
    if shown:
        # Talked about from the first, as read: "the other one" is the second, "it" the first.
        ctx.set_current("order", "order_number", shown[0])
    return Reply(
        text="\n\n".join(r.text for r in replies),
        cards=tuple(card for r in replies for card in r.cards),
        buttons=tuple(button for r in replies for button in r.buttons),
        language=ctx.language,
        intent="order.status",
    )


async def _guest_status(ctx: TurnContext) -> Reply:
    number, customer = ctx.slot("order"), ctx.slot("customer")
    assert number is not None and customer is not None
    status = await ctx.backends.orders.guest_order_status(str(number.value), str(customer.value))
    if status is None:
        text = ctx.t("order.guest_not_found", number=number.value, customer=customer.value)
        return Reply(text=text, language=ctx.language, intent="order.status")
    if status.status is OrderStatus.DELIVERED:
        text = ctx.t(
            "order.summary.delivered", number=status.number, delivered=ctx.fmt.date(status.delivered_at)
        )
    elif status.status is OrderStatus.CANCELLED:
        text = ctx.t("order.summary.cancelled", number=status.number)
    elif status.expected_delivery is None:
        text = ctx.t(
            "order.summary.pending_no_date", number=status.number, status=_status(ctx, status.status)
        )
    else:
        text = ctx.t(
            "order.summary.pending",
            number=status.number,
            status=_status(ctx, status.status),
            expected=ctx.fmt.date(status.expected_delivery),
        )
    return Reply(text=f"{text} {ctx.t('order.guest_note')}", language=ctx.language, intent="order.status")


def _filters(ctx: TurnContext) -> dict[str, Any]:
    """Status, period and site as asked in this message."""
    parse = ctx.parse
    statuses: list[str] = []
    words = parse.values("order_status")
    if not words and (kept := ctx.slot("status")) is not None:
        words = [str(kept.value)]  # asked again with another site or period: the status it had
    start, end = ctx.period()
    if start and date.fromisoformat(start) > ctx.today:
        # No order is placed in days to come: a period ahead asks what is still to come ("which orders
        # are due next week"), the open orders, each shown with its expected delivery.
        start = end = None
        words = words or ["open"]
    for value in words:
        if value == "open":
            statuses.extend(s.value for s in _OPEN_STATUSES)
        elif value == "unshipped":
            statuses.extend(s.value for s in _BEFORE_SHIPPING)
        elif value in OrderStatus._value2member_map_:
            statuses.append(value)
    site = ctx.slot("site") or parse.first("site")
    return {
        "statuses": sorted(set(statuses)),
        "status_words": sorted(set(words)),
        "delayed": bool(_DELAYED.search(parse.text)),
        "start": start,
        "end": end,
        "site": site.value if site else None,
    }


def _describe(ctx: TurnContext, filters: dict[str, Any]) -> str:
    parts = []
    if filters["status_words"]:
        words = [ctx.t(f"order.status.{w}") for w in filters["status_words"]]
        parts.append(ctx.t("order.filter.status", status=", ".join(words)))
    if filters.get("delayed"):  # a listing kept before "delayed" existed has none
        parts.append(ctx.t("order.filter.delayed"))
    if filters["start"] or filters["end"]:
        start = ctx.fmt.date(date.fromisoformat(filters["start"])) if filters["start"] else "…"
        end = ctx.fmt.date(date.fromisoformat(filters["end"])) if filters["end"] else "…"
        parts.append(ctx.t("order.filter.period", start=start, end=end))
    if filters["site"]:
        parts.append(ctx.t("order.filter.site", site=filters["site"]))
    return "".join(parts)


def _orders_table(ctx: TurnContext, orders: Sequence[OrderSummary]) -> Table:
    return Table(
        columns=(
            ctx.t("order.col.number"),
            ctx.t("order.col.po"),
            ctx.t("order.col.date"),
            ctx.t("order.col.status"),
            ctx.t("order.col.expected"),
            ctx.t("order.col.total"),
        ),
        rows=tuple(
            (
                o.number,
                o.po_number or "",
                ctx.fmt.date(o.ordered_at),
                _status(ctx, o.status).capitalize(),
                ctx.fmt.date(o.delivered_at or o.expected_delivery)
                if (o.delivered_at or o.expected_delivery)
                else "",
                ctx.fmt.money(o.total),
            )
            for o in orders
        ),
    )


def _order_buttons(ctx: TurnContext, orders: Sequence[OrderSummary]) -> tuple[Button, ...]:
    return tuple(
        Button(
            label=ctx.t("order.button.details", number=o.number),
            value=ctx.t("order.button.details.value", number=o.number),
        )
        for o in orders[:5]
    )


async def order_search(ctx: TurnContext) -> Reply:
    kept = ctx.context(OrdersContext)
    saved = kept.listing
    more = asks_for_more(ctx.parse.text) and saved is not None
    if more and saved is not None:
        filters, offset = saved.filters, saved.offset + PAGE_SIZE
    else:
        filters, offset = _filters(ctx), 0
        if (
            not any(filters[name] for name in ("statuses", "delayed", "start", "end", "site"))
            and any(e.type == "reference" and e.value == "it" for e in ctx.parse.entities)
            and (current := ctx.current("order")) is not None
        ):
            # "Which order is it for?" after an invoice: no orders searched for, the one it bills asked.
            return await order_status(replace(ctx, slots={**ctx.slots, "order": current}))
    page = await ctx.backends.orders.search_orders(
        ctx.principal,
        statuses=frozenset(OrderStatus(s) for s in filters["statuses"]),
        date_from=date.fromisoformat(filters["start"]) if filters["start"] else None,
        date_to=date.fromisoformat(filters["end"]) if filters["end"] else None,
        site=filters["site"],
        delayed=bool(filters.get("delayed")),
        offset=offset,
        limit=PAGE_SIZE,
    )
    kept.listing = Listing(filters=filters, offset=offset)
    if filters["start"] or filters["end"]:
        ctx.set_current("period", "date_range", {"start": filters["start"], "end": filters["end"]})
    described = _describe(ctx, filters)
    if not page.items:
        key = "order.search.no_more" if more else "order.search.none"
        return Reply(text=ctx.t(key, filters=described), language=ctx.language, intent="order.search")
    ctx.set_shown("order", [o.number for o in page.items], [order_marks(o) for o in page.items])
    buttons = list(_order_buttons(ctx, page.items))
    if page.has_more:
        buttons.append(Button(label=ctx.t("order.button.more"), value=ctx.t("order.button.more.value")))
    buttons.append(Button(label=ctx.t("order.button.report"), value=ctx.t("order.button.report.value")))
    text = found_text(ctx, "order.search.found", described, offset, len(page.items), page.has_more)
    return Reply(
        text=text,
        table=_orders_table(ctx, page.items),
        buttons=tuple(buttons),
        language=ctx.language,
        intent="order.search",
    )


def _report_columns(ctx: TurnContext) -> list[Column]:
    return [
        Column(ctx.t("order.col.number"), "text", 12),
        Column(ctx.t("order.col.po"), "text", 16),
        Column(ctx.t("order.col.date"), "date", 12),
        Column(ctx.t("order.col.status"), "text", 14),
        Column(ctx.t("order.col.expected"), "date", 12),
        Column(ctx.t("order.col.delivered"), "date", 12),
        Column(ctx.t("order.col.site"), "text", 14),
        Column(ctx.t("order.col.total"), "amount", 16),
        Column(ctx.t("order.col.currency"), "text", 8),
    ]


_EVERY = re.compile(r"(?i)\b(?:all|every|alla)\b")


class OrdersContext(ListingContext):
    """What the orders family keeps between turns: the listing shown last and the report made last."""

    report: dict[str, Any] | None = None
    """The filters of the report made last: "som excel", "maila den" right after it make it again."""


_SAYS_REPORT = re.compile(
    rf"(?i)report|rapport|sammanst|{FILE_WORDS}|\b(?:files?|fil|filen|sheet|kalkylblad\w*|excel\w*|e-?mail\w*"
    r"|mail\w*|mejl\w*|e-post\w*|send\w*|skicka\w*|forward\w*|inbox|inkorg\w*)\b"
)
"""The words of a report, a file or a mail: without them "orders in production" is the list shown here, not
a spreadsheet (``IntentSpec.requires``)."""


_MAILED_LIST = re.compile(
    r"(?i)(?<![\w-])(?:e-?mail|mail|mejla|maila)(?:\s+(?:it|them|to|me|us|mig|oss|till))*\s+"
    r"(?:(?:a|an|the|en|ett|den|hela|full|complete|fullständig|lista?|list|of|på|över|med|all|alla|our|my|våra|mina|"
    r"[\w-]+(?:ed|ade|da|na))\s+){0,5}(?:orders|ordrar(?:na)?|beställningar(?:na)?)(?![\w-])"
)
"""A list of orders asked for by mail ("kan du mejla mig en lista på alla försenade ordrar", "email me all
open orders"): the report, which mails; the list shown here does not."""
_DIGITS = re.compile(r"\d")


def _mails_a_list(text: str) -> bool:
    """(Never with a number: "maila mig order 4711" is not a list.)"""
    low = text.lower()
    if not ("mail" in low or "mejl" in low):
        return False
    return _MAILED_LIST.search(text) is not None and _DIGITS.search(text) is None


def _report_needs_period(ctx: TurnContext) -> bool:
    """A report of orders of a status ("all orders in production") or of all of them needs no period,
    nor does the search just shown made a file ("download it as csv": what it listed), nor the report
    just made made again ("maila den"); "I need an order report" is asked which period."""
    kept = ctx.context(OrdersContext)
    if ctx.last_intent == "order.search" and kept.listing is not None:
        return False
    if _made_again(ctx, _filters(ctx)):
        return False
    return not (ctx.parse.values("order_status") or _EVERY.search(ctx.parse.text))


def _made_again(ctx: TurnContext, filters: dict[str, Any]) -> bool:
    """Whether the report just made is asked for again, as a file or by mail, filtered by nothing new
    and not asked for as a report of its own ("I need an order report" asks which period again)."""
    said = filters["statuses"] or filters["start"] or filters["end"] or filters["site"]
    return (
        ctx.last_intent == "order.report"
        and ctx.context(OrdersContext).report is not None
        and not said
        and not _A_REPORT.search(ctx.parse.text)
    )


_A_REPORT = re.compile(r"(?i)report|rapport")
"""The word of a report, in a compound too ("orderrapport")."""


async def order_report(ctx: TurnContext) -> Reply:
    filters = _filters(ctx)
    kept = ctx.context(OrdersContext)
    saved = kept.listing
    if _made_again(ctx, filters):
        filters = dict(kept.report or {})  # "som excel", "maila den" right after it: the same report
    elif not filters["statuses"] and ctx.last_intent == "order.search" and saved:
        filters["statuses"], filters["status_words"] = (
            saved.filters["statuses"],
            saved.filters["status_words"],
        )
        filters["site"] = filters["site"] or saved.filters["site"]
    kept.report = filters
    described = _describe(ctx, filters)
    rows: list[list[Any]] = []
    zone = ctx.fmt.tz  # the dates as the chat shows them: the user's days
    async for o in ctx.backends.orders.iter_orders(
        ctx.principal,
        statuses=frozenset(OrderStatus(s) for s in filters["statuses"]),
        date_from=date.fromisoformat(filters["start"]) if filters["start"] else None,
        date_to=date.fromisoformat(filters["end"]) if filters["end"] else None,
        delayed=bool(filters.get("delayed")),
    ):
        if filters["site"] and o.site != filters["site"]:
            continue
        if len(rows) >= REPORT_LIMIT:
            return Reply(
                text=ctx.t("order.report.too_large", limit=REPORT_LIMIT),
                language=ctx.language,
                intent="order.report",
            )
        rows.append(
            [
                o.number,
                o.po_number or "",
                o.ordered_at.astimezone(zone).date(),
                _status(ctx, o.status),
                o.expected_delivery,
                o.delivered_at.astimezone(zone).date() if o.delivered_at else None,
                o.site or "",
                o.total.amount,
                o.total.currency,
            ]
        )
    if not rows:
        return Reply(
            text=ctx.t("order.report.empty", filters=described), language=ctx.language, intent="order.report"
        )
    columns = _report_columns(ctx)
    sheet = ctx.t("order.report.sheet")
    xlsx, csv_data = await asyncio.to_thread(
        lambda: (to_xlsx(sheet, columns, rows, currency_column=8), to_csv(columns, rows))
    )
    sheet_files = Spreadsheet(
        f"orders-{filters['start'] or 'all'}-{filters['end'] or ctx.today.isoformat()}", xlsx, csv_data
    )
    # "e-mail me the report": to the user's own confirmed address, never asked for; "send me" shows it.
    mailed, note = await mail_to_self(
        ctx,
        sheet_files,
        subject=ctx.t("order.report.mail_subject", filters=described),
        body=ctx.t("order.report.mail_body", name=ctx.principal.name, filters=described, count=len(rows)),
    )
    if mailed is not None:
        text = mailed_text(
            ctx.t("order.report.mailed", filters=described, count=len(rows), email=mailed), note
        )
        return Reply(text=text, language=ctx.language, intent="order.report")
    links = ctx.t("download.links", minutes=ctx.link_minutes)
    text = note + ctx.t("order.report.ready", filters=described, count=len(rows)) + links
    return Reply(
        text=text,
        attachments=await publish(ctx, sheet_files, Tool.ORDERS),
        language=ctx.language,
        intent="order.report",
    )


_ORDER_NUMBER = r"#?\d{3,10}"
_PERIOD = Slot(
    name="period", entities=("date_range", "date"), question="order.ask_period", required=False, carry=False
)


def order_marks(order: OrderSummary) -> tuple[str, ...]:
    """What tells an order of a list apart: its status and its site ("the delivered one", "den i Kista")."""
    return (order.status.value, order.site.lower()) if order.site else (order.status.value,)


INTENTS = [
    IntentSpec(
        name="order.status",
        called={"en": "order", "sv": "ordern"},
        context=OrdersContext,
        examples=STATUS_EXAMPLES,
        handler=order_status,
        tool=Tool.ORDERS,
        answers_several=True,
        slots=(
            Slot(
                name="order",
                entities=("order_number", "po_number", "reference"),
                question="order.ask_number",
                pattern=_ORDER_NUMBER,
            ),
        ),
        guest_slots=(
            Slot(
                name="order", entities=("order_number",), question="order.ask_number", pattern=_ORDER_NUMBER
            ),
            Slot(
                name="customer",
                entities=("customer_number",),
                question="order.ask_customer_number",
                pattern=r"\d{7}",
            ),
        ),
        claims=("order_number", "po_number"),
    ),
    IntentSpec(
        name="order.search",
        context=OrdersContext,
        examples=SEARCH_EXAMPLES,
        handler=order_search,
        tool=Tool.ORDERS,
        # The status and the site are read from the message; as slots, a correction or a follow-up
        # that says only a status or a site ("nej vänta, dom som är skickade menar jag", "sorry, I meant
        # Göteborg", "and in Göteborg?") asks the search again with it, the rest as it was.
        slots=(
            _PERIOD,
            Slot(name="status", entities=("order_status",), required=False, carry=False),
            Slot(name="site", entities=("site",), required=False, carry=False),
        ),
    ),
    IntentSpec(
        name="order.report",
        exports_after=("order.search", "order.report"),
        requires=_SAYS_REPORT,
        asked_by=_mails_a_list,
        context=OrdersContext,
        examples=REPORT_EXAMPLES,
        handler=order_report,
        tool=Tool.ORDERS,
        slots=(
            Slot(
                name="period",
                entities=("date_range", "date"),
                question="order.ask_period",
                required=_report_needs_period,
            ),
            MAIL_WISH,
        ),
    ),
]
