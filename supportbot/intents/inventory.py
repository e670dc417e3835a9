"""Installed equipment: hardware and software by site, kind, serial, product or contract, with its
maintenance, lease and licences; spreadsheets of it; changes to it (move, upgrade, add, de-install)
and questions about it, which become support requests with the item filled in."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from supportbot.bot.dialog import PICK_LIMIT
from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Card, Field, Reply, Table
from supportbot.bot.nlu.lexicon import FILE_WORDS
from supportbot.bot.nlu.text import fold
from supportbot.bot.spec import SAID, IntentSpec, Slot, TurnContext
from supportbot.bot.state import FamilyContext, SlotValue
from supportbot.integrations.models import InventoryItem, Tool
from supportbot.intents.common import asks_for_more, found_text, question_request
from supportbot.intents.recipients import Spreadsheet, by_mail, mail_to_self, mailed_text, publish
from supportbot.intents.requests import CONFIRM_SLOT, open_request, request_card
from supportbot.services.spreadsheets import Column, to_csv, to_xlsx

log = logging.getLogger(__name__)

SHOW_EXAMPLES = {
    "en": [
        "show our installed equipment",
        "what hardware do we have at Kista",
        "list our installed base",
        "what's installed in Göteborg",
        "show the inventory for München",
        "which systems are under maintenance",
        "show the IBM Power S1022",
        "details for serial number 78ABC12",
        "what software do we have installed",
        "list all servers and storage at our sites",
        "which devices are leased",
        "when does the lease on the FlashSystem end",
        "what service level do we have on 78XYZ34",
        "show equipment covered by contract C-1001",
        "inventory list",
        "what machines do we have",
        "hardware inventory for all locations",
        "show our licences",
        "what is the maintenance status of our storage",
        "list assets per site",
        "installed products at Kista",
        "inventory",
        "which of our systems are out of warranty",
        "which machines have no maintenance contract",
        "equipment without a service agreement",
        "show me everything we have at the Göteborg site",
        "what's the serial number of our Power server",
        "list leased equipment and lease end dates",
        "show installed software and versions",
        "our equipment",
        "invetory at kista",
        "Could you list the hardware and software installed at our sites?",
        "which equipment is under contract",
        "show all IBM systems",
        "show item 78ABC12",
        "show our Power servers",
        "show more installed items",
        "show more items",
        "download the inventory as a spreadsheet",
        "what software licences do we have",
        "what hardware do we have in Göteborg",
    ],
    "sv": [
        "visa vår installerade utrustning",
        "vilken utrustning saknar underhållsavtal",
        "vilken hårdvara har vi i Kista",
        "vad har vi för maskiner i Göteborg",
        "visa maskinen i München",
        "lista vår installerade bas",
        "vad är installerat i Göteborg",
        "visa inventariet för München",
        "vilka system har serviceavtal",
        "visa IBM Power S1022",
        "detaljer för serienummer 78ABC12",
        "vilken maskin har serienummer 78XYZ34",
        "vilken mjukvara har vi installerad",
        "lista alla servrar och all lagring på våra siter",
        "vilka enheter är leasade",
        "när går leasingen på FlashSystem ut",
        "vilken servicenivå har vi på 78XYZ34",
        "visa utrustning som täcks av avtal C-1001",
        "inventarielista",
        "vilka maskiner har vi",
        "hårdvaruinventering för alla platser",
        "visa våra licenser",
        "vilken underhållsstatus har vår lagring",
        "lista tillgångar per site",
        "installerade produkter i Kista",
        "inventarier",
        "vilka av våra system saknar garanti",
        "visa allt vi har på anläggningen i Göteborg",
        "vad är serienumret på vår Power-server",
        "lista leasad utrustning och när leasingen går ut",
        "visa installerad mjukvara och versioner",
        "vår utrustning",
        "inventaier i kista",
        "Kan du lista hårdvaran och mjukvaran som är installerad hos oss?",
        "vilken utrustning omfattas av avtal",
        "visa alla IBM-system",
        "visa enhet 78ABC12",
        "visa våra Power-servrar",
        "visa mer installerad utrustning",
        "visa fler enheter",
        "ladda ner utrustningen som kalkylark",
        "vilka mjukvarulicenser har vi",
        "vilken hårdvara har vi i Göteborg",
    ],
}

CHANGE_EXAMPLES = {
    "en": [
        "move the Power S1022 from Kista to Göteborg",
        "upgrade the FlashSystem 5200",
        "de-install serial 78ABC12",
        "we want to remove a system",
        "request a move of equipment to another site",
        "relocate our storage to München",
        "add more memory to the Power server",
        "decommission the old server",
        "upgrade the software on 78ABC12",
        "I need to change our installed base",
        "schedule a de-installation in Göteborg",
        "move hardware to a new location",
        "replace the storage array",
        "we are closing the Kista office, move everything",
        "uninstall the FlashSystem",
        "request an upgrade",
        "change request for our equipment",
        "can you move a server for us",
        "remove 78XYZ34 from our inventory",
        "upgarde our power server",
        "We would like to relocate the IBM server to our new data centre next month.",
        "add a disk shelf to the FlashSystem",
        "take the old storage away",
        "we need the FlashSystem moved next week",
        "please plan an upgrade of our storage capacity",
        "we need to move the FlashSystem to Kista",
        "add a server at Göteborg",
        "de-install the tape library",
        "upgrade 78ABC12",
    ],
    "sv": [
        "flytta Power S1022 från Kista till Göteborg",
        "uppgradera FlashSystem 5200",
        "avinstallera serienummer 78ABC12",
        "vi vill ta bort ett system",
        "begär en flytt av utrustning till en annan site",
        "flytta vår lagring till München",
        "lägg till mer minne i Power-servern",
        "avveckla den gamla servern",
        "uppgradera mjukvaran på 78ABC12",
        "jag behöver ändra vår installerade bas",
        "boka en avinstallation i Göteborg",
        "flytta hårdvara till en ny plats",
        "byt ut lagringssystemet",
        "vi stänger kontoret i Kista, flytta allt",
        "avinstallera FlashSystem",
        "begär en uppgradering",
        "ändringsbegäran för vår utrustning",
        "kan ni flytta en server åt oss",
        "ta bort 78XYZ34 från vårt inventarie",
        "uppgadera vår power-server",
        "Vi vill flytta IBM-servern till vår nya serverhall nästa månad.",
        "lägg till en diskhylla i FlashSystem",
        "hämta den gamla lagringen",
        "vi behöver få FlashSystem flyttat nästa vecka",
        "planera en uppgradering av vår lagringskapacitet",
        "vi behöver flytta FlashSystem till Kista",
        "lägg till en server i Göteborg",
        "avinstallera bandbiblioteket",
        "uppgradera 78ABC12",
    ],
}

QUESTION_EXAMPLES = {
    "en": [
        "I have a question about our installed equipment",
        "is 78XYZ34 covered by maintenance",
        "why isn't the FlashSystem listed in our inventory",
        "the serial number in the inventory is wrong",
        "who do I ask about our installed base",
        "which firmware is on our Power server",
        "question about a lease",
        "is the server in Kista still under warranty",
        "what happens when the lease on 78XYZ34 ends",
        "can we extend the lease of our storage",
        "our inventory shows a machine we don't have",
        "question about hardware in München",
        "is our storage supported until next year",
        "what does the service level on our server include",
        "inventory question",
        "can I buy out the leased FlashSystem",
        "why is the Power S1022 listed at the wrong site",
        "is there end of support for our storage soon",
        "qestion about our equipment",
        "How is the maintenance on the IBM server in Göteborg handled?",
        "who is responsible for the maintenance of our machines",
        "does our lease include service",
        "how long is our storage system supported",
        "is the maintenance on the Power server included in our contract",
        "can you explain the lease terms for our equipment",
        "what's the service level of 78XYZ34",
        "I have a question about the tape library",
    ],
    "sv": [
        "jag har en fråga om vår installerade utrustning",
        "täcks 78XYZ34 av underhåll",
        "varför finns inte FlashSystem med i vårt inventarie",
        "serienumret i inventariet är fel",
        "vem frågar jag om vår installerade bas",
        "vilken firmware har vår Power-server",
        "fråga om ett leasingavtal",
        "har servern i Kista fortfarande garanti",
        "vad händer när leasingen på 78XYZ34 går ut",
        "kan vi förlänga leasingen av vår lagring",
        "vårt inventarie visar en maskin vi inte har",
        "fråga om hårdvara i München",
        "har vår lagring support till nästa år",
        "vad ingår i servicenivån på vår server",
        "fråga om inventarier",
        "kan vi köpa loss den leasade FlashSystem",
        "varför står Power S1022 på fel site",
        "upphör supporten för vår lagring snart",
        "fråga om vår utrusning",
        "Hur sköts underhållet av IBM-servern i Göteborg?",
        "vem ansvarar för underhållet av våra maskiner",
        "ingår service i vår leasing",
        "hur länge har vårt lagringssystem support",
        "ingår underhållet av Power-servern i vårt avtal",
        "kan du förklara leasingvillkoren för vår utrustning",
        "vilken servicenivå har 78XYZ34",
        "jag har en fråga om bandbiblioteket",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "inventory.kind.hardware": {"en": "hardware", "sv": "hårdvara"},
    "inventory.kind.software": {"en": "software", "sv": "mjukvara"},
    "inventory.col.serial": {"en": "Serial number", "sv": "Serienummer"},
    "inventory.col.product": {"en": "Product", "sv": "Produkt"},
    "inventory.col.kind": {"en": "Type", "sv": "Typ"},
    "inventory.col.site": {"en": "Site", "sv": "Anläggning"},
    "inventory.col.location": {"en": "Location", "sv": "Placering"},
    "inventory.col.installed": {"en": "Installed", "sv": "Installerad"},
    "inventory.col.contract": {"en": "Contract", "sv": "Avtal"},
    "inventory.col.service_level": {"en": "Service level", "sv": "Servicenivå"},
    "inventory.col.maintenance": {"en": "Maintenance", "sv": "Underhåll"},
    "inventory.col.maintenance_until": {"en": "Maintenance until", "sv": "Underhåll till"},
    "inventory.col.maintenance_lapsed": {"en": "Maintenance lapsed", "sv": "Underhållet upphört"},
    "inventory.col.lessor": {"en": "Lessor", "sv": "Leasegivare"},
    "inventory.col.leased_until": {"en": "Lease ends", "sv": "Leasing till"},
    "inventory.col.lease": {"en": "Lease", "sv": "Leasing"},
    "inventory.col.version": {"en": "Version", "sv": "Version"},
    "inventory.col.licences": {"en": "Licences", "sv": "Licenser"},
    "inventory.col.renews_on": {"en": "Renews", "sv": "Förnyas"},
    "inventory.col.licence": {"en": "Version and licences", "sv": "Version och licenser"},
    "inventory.yes": {"en": "yes", "sv": "ja"},
    "inventory.no": {"en": "no", "sv": "nej"},
    "inventory.maintenance.until": {"en": "until {date}", "sv": "till {date}"},
    "inventory.maintenance.lapsed": {"en": "LAPSED on {date}", "sv": "UPPHÖRDE {date}"},
    "inventory.maintenance.none": {"en": "none", "sv": "inget"},
    "inventory.lease.until": {"en": "{lessor}, until {date}", "sv": "{lessor}, till {date}"},
    "inventory.licence.summary": {
        "plural": "count",
        "en": {
            "one": "version {version}, {count} licence, renewal {date}",
            "other": "version {version}, {count} licences, renewal {date}",
        },
        "sv": {
            "one": "version {version}, {count} licens, förnyas {date}",
            "other": "version {version}, {count} licenser, förnyas {date}",
        },
    },
    "inventory.filter.site": {"en": " at {site}", "sv": " i {site}"},
    "inventory.filter.kind.hardware": {"en": " (hardware)", "sv": " (hårdvara)"},
    "inventory.filter.kind.software": {"en": " (software)", "sv": " (mjukvara)"},
    "inventory.filter.products": {"en": " of {products}", "sv": " av {products}"},
    "inventory.filter.contract": {"en": " under contract {contract}", "sv": " under avtal {contract}"},
    "inventory.filter.uncovered": {"en": " without maintenance in force", "sv": " utan gällande underhåll"},
    "inventory.filter.leased": {"en": " on a lease", "sv": " på leasing"},
    "inventory.list.found": {
        "plural": "count",
        "en": {
            "one": "One more of your installed items{filters}, number {first}:",
            "other": "Your installed items{filters}, {first}–{last}, by product:",
        },
        "sv": {
            "one": "En till av er installerade utrustning{filters}, nummer {first}:",
            "other": "Er installerade utrustning{filters}, {first}–{last}, per produkt:",
        },
    },
    "inventory.list.found.all": {
        "plural": "count",
        "en": {
            "one": "I found {count} installed item{filters}:",
            "other": "I found {count} installed items{filters}, by product:",
        },
        "sv": {
            "one": "Jag hittade {count} installerad enhet{filters}:",
            "other": "Jag hittade {count} installerade enheter{filters}, per produkt:",
        },
    },
    "inventory.list.none": {
        "en": "I found no installed items{filters}.",
        "sv": "Jag hittade ingen installerad utrustning{filters}.",
    },
    "inventory.list.no_more": {
        "en": "There are no more installed items{filters}.",
        "sv": "Det finns ingen mer installerad utrustning{filters}.",
    },
    "inventory.list.lapsed": {
        "plural": "count",
        "en": {
            "one": "Maintenance has LAPSED on {serials}. ",
            "other": "Maintenance has LAPSED on {count} of these: {serials}. ",
        },
        "sv": {
            "one": "Underhållet har UPPHÖRT för {serials}. ",
            "other": "Underhållet har UPPHÖRT för {count} av dessa: {serials}. ",
        },
    },
    "inventory.list.sheet": {"en": "Inventory", "sv": "Utrustning"},
    "inventory.list.ready": {
        "plural": "count",
        "en": {
            "one": "Here is {count} installed item{filters} as XLSX and CSV.",
            "other": "Here are your {count} installed items{filters} as XLSX and CSV.",
        },
        "sv": {
            "one": "Här är {count} installerad enhet{filters} som XLSX och CSV.",
            "other": "Här är era {count} installerade enheter{filters} som XLSX och CSV.",
        },
    },
    "inventory.list.mailed": {
        "plural": "count",
        "en": {
            "one": "I've e-mailed {count} installed item{filters} as XLSX and CSV to {email}.",
            "other": "I've e-mailed your {count} installed items{filters} as XLSX and CSV to {email}.",
        },
        "sv": {
            "one": "Jag har mejlat {count} installerad enhet{filters} som XLSX och CSV till {email}.",
            "other": "Jag har mejlat era {count} installerade enheter{filters} som XLSX och CSV till {email}.",
        },
    },
    "inventory.list.mail_subject": {"en": "Your installed base", "sv": "Er installerade bas"},
    "inventory.list.mail_body": {
        "en": "Hello {name},\n\nAttached is the list of your installed items you asked for, as an Excel "
        "workbook and as CSV.\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\nBifogat är listan över era installerade enheter som du bad om, som "
        "Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
    },
    "inventory.list.too_large": {
        "plural": "limit",
        "en": {
            "one": "That is more than {limit} item for one spreadsheet. Please narrow it down by site, "
            "type or product.",
            "other": "That is more than {limit} items for one spreadsheet. Please narrow it down by site, "
            "type or product.",
        },
        "sv": {
            "one": "Det är fler än {limit} enhet för ett kalkylark. Begränsa det till en anläggning, "
            "typ eller produkt.",
            "other": "Det är fler än {limit} enheter för ett kalkylark. Begränsa det till en anläggning, "
            "typ eller produkt.",
        },
    },
    "inventory.button.more": {"en": "Show more", "sv": "Visa fler"},
    "inventory.button.more.value": {
        "en": "show more installed items",
        "sv": "visa mer installerad utrustning",
    },
    "inventory.button.download": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "inventory.button.download.value": {
        "en": "download this inventory as a spreadsheet",
        "sv": "ladda ner utrustningen som kalkylark",
    },
    "inventory.button.show.value": {"en": "show item {serial}", "sv": "visa enhet {serial}"},
    "inventory.button.change": {"en": "Request a change", "sv": "Begär en ändring"},
    "inventory.button.change.value": {
        "en": "request a change of {serial}",
        "sv": "begär en ändring av {serial}",
    },
    "inventory.button.question": {"en": "Ask about it", "sv": "Ställ en fråga"},
    "inventory.button.question.value": {
        "en": "I have a question about {serial}",
        "sv": "jag har en fråga om {serial}",
    },
    "inventory.not_found": {
        "en": "I can't find an item with serial number {serial} in your inventory. Please check the number, "
        'or say "show our inventory" to see what you have.',
        "sv": "Jag hittar ingen enhet med serienummer {serial} i er utrustning. Kontrollera numret, eller skriv "
        '"visa vår utrustning" för att se vad ni har.',
    },
    "inventory.item.title": {"en": "{product} — serial {serial}", "sv": "{product} — serienummer {serial}"},
    "inventory.item.summary": {
        "en": "{product} (serial number {serial}, {kind}) is installed at {site}{location}.",
        "sv": "{product} (serienummer {serial}, {kind}) är installerad i {site}{location}.",
    },
    "inventory.item.location": {"en": ", {location}", "sv": ", {location}"},
    "inventory.item.covered": {
        "en": " Maintenance: {service_level}, {until}{contract}.",
        "sv": " Underhåll: {service_level}, {until}{contract}.",
    },
    "inventory.item.contract": {"en": " under contract {contract}", "sv": " enligt avtal {contract}"},
    "inventory.item.lapsed": {
        "en": " Maintenance LAPSED on {date}: the item is not covered now.",
        "sv": " Underhållet UPPHÖRDE {date}: enheten täcks inte nu.",
    },
    "inventory.item.no_maintenance": {
        "en": " It has no maintenance.",
        "sv": " Den har inget underhåll.",
    },
    "inventory.item.not_leased": {
        "en": " No lease is registered for it: it is not leased.",
        "sv": " Ingen leasing är registrerad för den: den är inte leasad.",
    },
    "inventory.item.leased": {
        "en": " Leased from {lessor} until {date}.",
        "sv": " Leasad från {lessor} till {date}.",
    },
    "inventory.item.licences": {
        "plural": "count",
        "en": {
            "one": " Version {version}, {count} licence, renewed on {date}.",
            "other": " Version {version}, {count} licences, renewed on {date}.",
        },
        "sv": {
            "one": " Version {version}, {count} licens, förnyas {date}.",
            "other": " Version {version}, {count} licenser, förnyas {date}.",
        },
    },
    # inventory.change
    "inventory.action.move": {"en": "move", "sv": "flytt"},
    "inventory.action.upgrade": {"en": "upgrade", "sv": "uppgradering"},
    "inventory.action.add": {"en": "addition", "sv": "tillägg"},
    "inventory.action.deinstall": {"en": "de-installation", "sv": "avinstallation"},
    "inventory.action.move.the": {"en": "the move", "sv": "flytten"},
    "inventory.action.upgrade.the": {"en": "the upgrade", "sv": "uppgraderingen"},
    "inventory.action.add.the": {"en": "the addition", "sv": "tillägget"},
    "inventory.action.deinstall.the": {"en": "the de-installation", "sv": "avinstallationen"},
    "inventory.ask_item": {
        "en": "Which item is it about? Give me its serial number (like 78ABC12), or say which product.",
        "sv": "Vilken enhet gäller det? Ange serienumret (till exempel 78ABC12), eller säg vilken produkt.",
    },
    "inventory.ask_item_unknown": {
        "en": "I can't find an item with serial number {serial} in your inventory. Which item is it? "
        "Give me its serial number, or say which product.",
        "sv": "Jag hittar ingen enhet med serienummer {serial} i er utrustning. Vilken enhet är det? "
        "Ange serienumret, eller säg vilken produkt.",
    },
    "inventory.ask_which": {
        "plural": "count",
        "en": {
            "one": "Which one do you mean?",
            "other": "You have {count} of those{more}. Which one do you mean?",
        },
        "sv": {
            "one": "Vilken menar du?",
            "other": "Ni har {count} sådana{more}. Vilken menar du?",
        },
    },
    "inventory.ask_which.more": {
        "en": " (the first {shown} are shown; or give the serial number)",
        "sv": " (de första {shown} visas; eller ange serienumret)",
    },
    "inventory.ask_action": {
        "en": "What should we do with {product} ({serial})? Move it, upgrade it, or de-install it?",
        "sv": "Vad ska vi göra med {product} ({serial})? Flytta, uppgradera eller avinstallera den?",
    },
    "inventory.button.move": {"en": "Move", "sv": "Flytta"},
    "inventory.button.move.value": {"en": "move", "sv": "flytta"},
    "inventory.button.upgrade": {"en": "Upgrade", "sv": "Uppgradera"},
    "inventory.button.upgrade.value": {"en": "upgrade", "sv": "uppgradera"},
    "inventory.button.deinstall": {"en": "De-install", "sv": "Avinstallera"},
    "inventory.button.deinstall.value": {"en": "de-install", "sv": "avinstallera"},
    "inventory.ask_target": {
        "en": "Where should {product} ({serial}) be moved to? It is at {site} now.",
        "sv": "Vart ska {product} ({serial}) flyttas? Den står i {site} nu.",
    },
    "inventory.ask_target_plain": {"en": "To which site?", "sv": "Till vilken anläggning?"},
    "inventory.ask_action_plain": {
        "en": "Should it be moved, upgraded or de-installed?",
        "sv": "Ska den flyttas, uppgraderas eller avinstalleras?",
    },
    "inventory.ask_add_site": {
        "en": "At which site should it be added?",
        "sv": "På vilken anläggning ska den läggas till?",
    },
    "inventory.target_same": {
        "en": "{product} ({serial}) is already at {site}. Where should it be moved to?",
        "sv": "{product} ({serial}) står redan i {site}. Vart ska den flyttas?",
    },
    "inventory.unknown_site": {
        "en": "You have no site called {site}. Which of your sites do you mean?",
        "sv": "Ni har ingen anläggning som heter {site}. Vilken av era anläggningar menar du?",
    },
    "inventory.change.subject.move": {
        "en": "Move {product} ({serial}) from {site} to {target}",
        "sv": "Flytt av {product} ({serial}) från {site} till {target}",
    },
    "inventory.change.subject.upgrade": {
        "en": "Upgrade of {product} ({serial}) at {site}",
        "sv": "Uppgradering av {product} ({serial}) i {site}",
    },
    "inventory.change.subject.deinstall": {
        "en": "De-installation of {product} ({serial}) at {site}",
        "sv": "Avinstallation av {product} ({serial}) i {site}",
    },
    "inventory.change.subject.add": {
        "en": "Addition at {target}: {what}",
        "sv": "Tillägg i {target}: {what}",
    },
    "inventory.change.description": {
        "en": "Requested change: {action}.\nItem: {product}, serial number {serial}\n"
        "Site: {site}{location}{target}\n\nAs said in the chat: {said}",
        "sv": "Begärd ändring: {action}.\nEnhet: {product}, serienummer {serial}\n"
        "Anläggning: {site}{location}{target}\n\nSom det sades i chatten: {said}",
    },
    "inventory.change.description.target": {"en": "\nMove to: {target}", "sv": "\nFlyttas till: {target}"},
    "inventory.change.description.add": {
        "en": "Requested change: addition of new equipment.\nSite: {target}\n\nAs said in the chat: {said}",
        "sv": "Begärd ändring: tillägg av ny utrustning.\nAnläggning: {target}\n\nSom det sades i chatten: {said}",
    },
    "inventory.change.new_equipment": {"en": "new equipment", "sv": "ny utrustning"},
    "inventory.change.confirm": {
        "en": "I'll open this request for {action}. Shall I send it?",
        "sv": "Jag öppnar det här ärendet om {action}. Ska jag skicka det?",
    },
    # inventory.question
    "inventory.question.service_level": {
        "en": "The service level of {product} ({serial}) is {service_level}{contract}, {until}.",
        "sv": "Servicenivån för {product} ({serial}) är {service_level}{contract}, {until}.",
    },
    "inventory.question.subject": {
        "en": "Question about {product} ({serial}) at {site}",
        "sv": "Fråga om {product} ({serial}) i {site}",
    },
    "inventory.question.subject_general": {
        "en": "Question about our installed equipment",
        "sv": "Fråga om vår installerade utrustning",
    },
    "inventory.question.created": {
        "en": "I've opened request {request} with your question about {item}; our team will answer by {due}. "
        "I've sent a confirmation to {email}.",
        "sv": "Jag har öppnat ärende {request} med din fråga om {item}; vi svarar senast {due}. "
        "Jag har skickat en bekräftelse till {email}.",
    },
    "inventory.question.created_no_mail": {
        "en": "I've opened request {request} with your question about {item}; our team will answer by {due}.",
        "sv": "Jag har öppnat ärende {request} med din fråga om {item}; vi svarar senast {due}.",
    },
    "inventory.question.confirm": {
        "en": "I'll pass your question about {item} on to our support team as a request. Shall I send it?",
        "sv": "Jag skickar din fråga om {item} vidare till vårt supportteam som ett ärende. Ska jag skicka den?",
    },
    "inventory.question.your_equipment": {
        "en": "your installed equipment",
        "sv": "er installerade utrustning",
    },
    "inventory.question.mail_subject": {
        "en": "Your request {request}: {subject}",
        "sv": "Ditt ärende {request}: {subject}",
    },
    "inventory.question.mail_body": {
        "en": "Hello {name},\n\nwe have received your question about {item}:\n\n{text}\n\n"
        "Tracking number: {request}\nAnswer due by: {due}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\nvi har tagit emot din fråga om {item}:\n\n{text}\n\n"
        "Ärendenummer: {request}\nSvar senast: {due}\n\nVänliga hälsningar\nKundsupport",
    },
    "inventory.fault.subject": {
        "en": "Fault on {product} ({serial}) at {site}",
        "sv": "Fel på {product} ({serial}) i {site}",
    },
    "inventory.fault.subject_general": {
        "en": "Fault on our installed equipment",
        "sv": "Fel på vår installerade utrustning",
    },
    "inventory.fault.created": {
        "en": "I'm sorry to hear that. I've opened request {request} about the fault on {item}; our team will "
        "answer by {due}. I've sent a confirmation to {email}.",
        "sv": "Tråkigt att höra. Jag har öppnat ärende {request} om felet på {item}; vi svarar senast {due}. "
        "Jag har skickat en bekräftelse till {email}.",
    },
    "inventory.fault.created_no_mail": {
        "en": "I'm sorry to hear that. I've opened request {request} about the fault on {item}; our team will "
        "answer by {due}.",
        "sv": "Tråkigt att höra. Jag har öppnat ärende {request} om felet på {item}; vi svarar senast {due}.",
    },
    "inventory.fault.mail_subject": {
        "en": "Your request {request}: {subject}",
        "sv": "Ditt ärende {request}: {subject}",
    },
    "inventory.fault.mail_body": {
        "en": "Hello {name},\n\nwe have received your report of a fault on {item}:\n\n{text}\n\n"
        "Tracking number: {request}\nAnswer due by: {due}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\nvi har tagit emot din felanmälan om {item}:\n\n{text}\n\n"
        "Ärendenummer: {request}\nSvar senast: {due}\n\nVänliga hälsningar\nKundsupport",
    },
    "inventory.question.more": {
        "en": ' If that doesn\'t answer it, say "open a request" and our team will help.',
        "sv": ' Om det inte besvarar frågan, skriv "öppna ett ärende" så hjälper vårt team till.',
    },
}
words(WORDS)


PAGE_SIZE = 10
REPORT_LIMIT = 50_000
CHOICES = 5
"""Items offered as buttons when the words fit several."""

_UNCOVERED = re.compile(
    r"\b(?:(?:no|without|lacking|missing|not\s+under|not\s+covered\s+by|outside(?:\s+of)?)\s+(?:an?\s+|any\s+)?"
    r"(?:active\s+|valid\s+)?(?:maintenance|service|support)(?:\s+(?:contracts?|agreements?|cover))?"
    r"|(?:uncovered|not\s+covered|(?:maintenance|service)\s+(?:has\s+)?(?:lapsed|expired|ended))"
    r"|(?:saknar|utan|inget|inte\s+har\s+något?)\s+(?:gällande\s+)?(?:service|underhåll|support)\w*"
    r"|(?:inte|ej)\s+täck\w*|(?:underhåll|service)\w*\s+har\s+(?:upphört|gått\s+ut))\b",
    re.IGNORECASE,
)
"""Items without maintenance in force ("which machines have no maintenance contract", "vilka maskiner
saknar serviceavtal"): none at all, or ended before the user's today."""
_FILES = re.compile(rf"\b(?:{FILE_WORDS})\b", re.IGNORECASE)
_KIND_WORDS = (
    (
        "software",
        re.compile(r"\b(software|mjukvar\w*|programvar\w*|licen[cs]\w*|licenser\w*)\b", re.IGNORECASE),
    ),
    (
        "hardware",
        re.compile(r"\b(hardware|hårdvar\w*|maskinvar\w*|machines?|maskin(er|erna)?)\b", re.IGNORECASE),
    ),
)
_ACTIONS = {
    "move": r"move\w*|relocat\w*|flytt\w*",
    "deinstall": r"de-?install\w*|uninstall\w*|decommission\w*|remov\w*|take\s+(?:\w+\s+){0,3}away|"
    r"avinstaller\w*|avveckl\w*|ta\s+bort|hämta\s+\w+\s+gamla",
    "upgrade": r"upgrad\w*|upgard\w*|uppgrader\w*|uppgader\w*|expand\w*|utök\w*|replace|byt\s+ut",
    "add": r"add|install|lägg\w*\s+till|installer\w*|new\s+(server|system|storage)|ny\s+(server|lagring)",
}
_ACTION_WORDS = r"(?i).*?\b(?P<text>" + "|".join(f"(?:{w})" for w in _ACTIONS.values()) + r")\b"
_SAYS_CHANGE = re.compile(
    r"(?i)\b(?:" + "|".join(_ACTIONS.values()) + r"|chang\w*|ändr\w*|andr\w*|swap\w*|byt\w*|ersätt\w*|hämta"
    r"|pick\w*\s+up|return\w*|lämna\w*\s+tillbaka)\b"
)
"""The words of a change to the installed base: without them "and the storage in Göteborg?" asks after
the storage, not to move it there (``IntentSpec.requires``)."""
_WISHES_A_CHANGE = re.compile(
    r"(?i)^\W*(?:(?:hi|hello|hej|ok(?:ay|ej)?|so|så)\W+)*(?:we|i)\s+(?:want|need|would\s+like|'d\s+like|plan)\s+to"
    r"\s+(?:move|relocate|upgrade|de-?install|uninstall)\b(?!\s+(?:our\s+|the\s+|my\s+)?(?:office|address"
    r"|meeting|appointment|call|date|delivery|order))"
    r"|^\W*(?:(?:hej|ok(?:ej)?|så)\W+)*(?:vi|jag)\s+(?:vill|behöver|ska|planerar\s+att)\s+"
    r"(?:flytta|uppgradera|avinstallera)\b(?!\s+(?:vårt\s+|vår\s+|mitt\s+|min\s+)?(?:kontor\w*|adress\w*"
    r"|möte\w*|tid\w*|leverans\w*|order\w*))"
)
"""A change to the installed base wished for first ("vi vill avinstallera maskinen när leasingen går ut",
"we want to move the tape library"): that change, whatever else the words say of the machine."""


def _wishes_a_change(text: str) -> bool:
    return _WISHES_A_CHANGE.search(text) is not None


_ANSWERS = {
    "move": r"move|flytta",
    "upgrade": r"upgrade|uppgradera",
    "deinstall": r"de-?install|avinstallera",
}
_ACTION_ANSWER = r"(?i)\s*(" + "|".join(_ANSWERS.values()) + r")(\s+it|\s+den)?[.!]?\s*"
_TO_SITE = re.compile(r"\b(to|till|into|in\s+till)\s*$", re.IGNORECASE)
_SERIAL = r"(?i)\s*#?(\d{2}[a-z]{3}\d{2}|\d{4}-[a-z0-9]{3}-\d{4,6})\s*"

_GENERIC = frozenset(
    fold(w)
    for w in (
        "ibm", "system", "systems", "server", "servers", "servern", "servrar", "servrarna", "storage", "lagring",
        "edition", "standard", "enterprise", "advanced", "the", "our", "vår", "våra", "vårt",
    )
)  # fmt: skip
"""Words of product names that say too little to pick a product by ("our storage", "IBM")."""
_SYNONYMS = {
    "bandbibliotek": "tape",
    "bandbiblioteket": "tape",
    "bandbibliotekt": "tape",
    "bandrobot": "tape",
    "bandroboten": "tape",
    "tapebibliotek": "tape",
    "flashsystemet": "flashsystem",
}
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


class ItemListing(BaseModel):
    """The items shown last: their filters, where the next page starts and how many came before."""

    filters: dict[str, Any]
    after: tuple[str, str] | None = None
    shown: int = 0


class InventoryContext(FamilyContext):
    """What the inventory family keeps between turns: the listing shown last."""

    listing: ItemListing | None = None


# --- reading the words ----------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return [_SYNONYMS.get(t, t) for t in _TOKEN.findall(fold(text))]


def match_products(text: str, names: Sequence[str]) -> list[str]:
    """The product names the words point at: those sharing the most telling words with them ("the
    FlashSystem", "our Power servers", "Power S1022", "bandbiblioteket"); none when no word tells."""
    said = set(_tokens(text))
    best: list[str] = []
    best_score = 0
    for name in names:
        telling = {t for t in _tokens(name) if t not in _GENERIC and (len(t) >= 3 or not t.isdigit())}
        telling = {t for t in telling if len(t) >= 2}
        score = sum(1 for t in telling if t in said or any(len(t) >= 4 and w.startswith(t) for w in said))
        if score > best_score:
            best, best_score = [name], score
        elif score and score == best_score:
            best.append(name)
    return best


def _kind(text: str) -> str | None:
    return next((kind for kind, words_ in _KIND_WORDS if words_.search(text)), None)


def _action_of(said: str) -> str | None:
    for action, pattern in _ACTIONS.items():
        if re.fullmatch(rf"(?i)(?:{pattern})", said.strip()) or re.search(rf"(?i)\b(?:{pattern})\b", said):
            return action
    return None


def _said_to(ctx: TurnContext) -> str | None:
    """The site said after "to"/"till": where a move goes."""
    text = ctx.parse.text
    for entity in ctx.parse.entities:
        if entity.type == "site" and _TO_SITE.search(text[: entity.start]):
            return str(entity.value)
    return None


def _target_site(ctx: TurnContext, current: str | None) -> str | None:
    """The site said after "to"/"till"; else a site said that is not where the item stands."""
    text = ctx.parse.text
    sites = [e for e in ctx.parse.entities if e.type == "site"]
    for entity in sites:
        if _TO_SITE.search(text[: entity.start]):
            return str(entity.value)
    others = [str(e.value) for e in sites if str(e.value) != current]
    return others[-1] if others else None


# --- showing ----------------------------------------------------------------------------------------


def _kind_word(ctx: TurnContext, kind: str) -> str:
    return ctx.t(f"inventory.kind.{kind}") if kind in ("hardware", "software") else kind


def _maintenance(ctx: TurnContext, item: InventoryItem) -> str:
    if item.maintenance_until is None:
        return ctx.t("inventory.maintenance.none")
    if item.lapsed(ctx.today):
        return ctx.t("inventory.maintenance.lapsed", date=ctx.fmt.date(item.maintenance_until))
    until = ctx.t("inventory.maintenance.until", date=ctx.fmt.date(item.maintenance_until))
    parts = [p for p in (item.contract_number, item.service_level, until) if p]
    return " · ".join(parts)


def _lease_or_licence(ctx: TurnContext, item: InventoryItem) -> str:
    if item.kind == "software" and item.licences is not None:
        return ctx.t(
            "inventory.licence.summary",
            version=item.software_version or "–",
            count=item.licences,
            date=ctx.fmt.date(item.renews_on) if item.renews_on else "–",
        )
    if item.lessor and item.leased_until:
        return ctx.t("inventory.lease.until", lessor=item.lessor, date=ctx.fmt.date(item.leased_until))
    return ""


def _site_and_location(item: InventoryItem) -> str:
    return f"{item.site}, {item.location}" if item.location else item.site


def _items_table(ctx: TurnContext, items: tuple[InventoryItem, ...]) -> Table:
    return Table(
        columns=(
            ctx.t("inventory.col.serial"),
            ctx.t("inventory.col.product"),
            ctx.t("inventory.col.kind"),
            ctx.t("inventory.col.site"),
            ctx.t("inventory.col.installed"),
            ctx.t("inventory.col.maintenance"),
            ctx.t("inventory.col.licence") + " / " + ctx.t("inventory.col.lease"),
        ),
        rows=tuple(
            (
                i.serial,
                i.product,
                _kind_word(ctx, i.kind),
                _site_and_location(i),
                ctx.fmt.date(i.installed_on) if i.installed_on else "–",
                _maintenance(ctx, i),
                _lease_or_licence(ctx, i) or "–",
            )
            for i in items
        ),
    )


def _item_text(ctx: TurnContext, item: InventoryItem) -> str:
    location = ctx.t("inventory.item.location", location=item.location) if item.location else ""
    text = ctx.t(
        "inventory.item.summary",
        product=item.product,
        serial=item.serial,
        kind=_kind_word(ctx, item.kind),
        site=item.site,
        location=location,
    )
    if item.maintenance_until is None:
        text += ctx.t("inventory.item.no_maintenance")
    elif item.lapsed(ctx.today):
        text += ctx.t("inventory.item.lapsed", date=ctx.fmt.date(item.maintenance_until))
    else:
        contract = (
            ctx.t("inventory.item.contract", contract=item.contract_number) if item.contract_number else ""
        )
        until = ctx.t("inventory.maintenance.until", date=ctx.fmt.date(item.maintenance_until))
        level = item.service_level or "–"
        text += ctx.t("inventory.item.covered", service_level=level, until=until, contract=contract)
    if item.lessor and item.leased_until:
        text += ctx.t("inventory.item.leased", lessor=item.lessor, date=ctx.fmt.date(item.leased_until))
    elif _ASKS_LEASE.search(ctx.parse.text):
        text += ctx.t("inventory.item.not_leased")  # "is that one leased or owned?"
    if item.kind == "software" and item.licences is not None:
        text += ctx.t(
            "inventory.item.licences",
            version=item.software_version or "–",
            count=item.licences,
            date=ctx.fmt.date(item.renews_on) if item.renews_on else "–",
        )
    return text


def _item_card(ctx: TurnContext, item: InventoryItem) -> Card:
    fmt = ctx.fmt
    rows: list[tuple[str, str | None]] = [
        ("inventory.col.kind", _kind_word(ctx, item.kind)),
        ("inventory.col.site", item.site),
        ("inventory.col.location", item.location),
        ("inventory.col.installed", fmt.date(item.installed_on) if item.installed_on else None),
        ("inventory.col.contract", item.contract_number),
        ("inventory.col.service_level", item.service_level),
    ]
    if item.maintenance_until is not None:
        label = (
            "inventory.col.maintenance_lapsed"
            if item.lapsed(ctx.today)
            else "inventory.col.maintenance_until"
        )
        rows.append((label, fmt.date(item.maintenance_until)))
    if item.lessor:
        rows.append(("inventory.col.lessor", item.lessor))
        rows.append(
            ("inventory.col.leased_until", fmt.date(item.leased_until) if item.leased_until else None)
        )
    if item.kind == "software":
        rows.append(("inventory.col.version", item.software_version))
        rows.append(("inventory.col.licences", str(item.licences) if item.licences is not None else None))
        rows.append(("inventory.col.renews_on", fmt.date(item.renews_on) if item.renews_on else None))
    subtitle = _maintenance(ctx, item) if item.lapsed(ctx.today) else None
    return Card(
        title=ctx.t("inventory.item.title", product=item.product, serial=item.serial),
        subtitle=subtitle,
        fields=tuple(Field(label=ctx.t(label), value=value) for label, value in rows if value),
        buttons=(
            Button(
                label=ctx.t("inventory.button.change"),
                value=ctx.t("inventory.button.change.value", serial=item.serial),
            ),
            Button(
                label=ctx.t("inventory.button.question"),
                value=ctx.t("inventory.button.question.value", serial=item.serial),
            ),
        ),
    )


def _remember(ctx: TurnContext, item: InventoryItem) -> None:
    ctx.set_current("item", "serial_number", item.serial)
    if item.contract_number:  # linked to the item: "the contract for that machine"
        ctx.set_current("contract", "contract_number", item.contract_number)


async def _one_item(ctx: TurnContext, serial: str) -> Reply:
    item = await ctx.backends.inventory.get_item(ctx.principal, serial)
    if item is None:
        return ctx.reply(ctx.t("inventory.not_found", serial=serial))
    _remember(ctx, item)
    return ctx.reply(_item_text(ctx, item), cards=(_item_card(ctx, item),))


def _of_the_contract(ctx: TurnContext) -> bool:
    """Whether the message asks about the contract talked about: "that contract", or "it" or "the
    contract" right after a contract was answered."""
    entities = ctx.parse.entities
    if any(e.type == "about" and e.value == "contract" for e in entities):
        return True
    last = ctx.last_intent or ""
    return last.startswith("contract.") and (
        any(e.type == "reference" and e.value == "it" for e in entities)
        or _THE_CONTRACT.search(ctx.parse.text) is not None
        or _COVERED_BY_IT.search(ctx.parse.text) is not None
    )


_THE_CONTRACT = re.compile(r"(?i)\b(?:the|this)\s+(?:contract|agreement)\b|\b(?:avtalet|kontraktet)\b")
"""The contract just answered, by its word ("the contract", "avtalet")."""
_COVERED_BY_IT = re.compile(
    r"(?i)\b(?:omfattas|täcks|ingår|covered|included)\s+(?:av|by|in|i|under)\s+(?:det|den|it|that|this)\b"
)
"""Covered by the contract just answered, pointed at ("vilka maskiner omfattas av det?"), where Swedish
"det" after a preposition is no reference of its own."""


async def _filters(ctx: TurnContext) -> dict[str, Any]:
    """What this message filters by: site, kind, products (matched against the company's), contract."""
    site = ctx.slot("site")
    contract = ctx.parse.first("contract_number")
    number = str(contract.value) if contract is not None else None
    if number is None and _of_the_contract(ctx) and (current := ctx.current("contract")) is not None:
        number = str(current.value)  # "what hardware is under it?" right after C-1001: under C-1001
    text = ctx.parse.text
    names = await ctx.backends.inventory.product_names(ctx.principal)
    return {
        "site": str(site.value) if site is not None else None,
        "kind": _kind(text),
        "products": match_products(text, names),
        "contract": number,
        "uncovered": bool(_UNCOVERED.search(text)),
        "leased": _LEASED.search(text) is not None and _NOT_LEASED.search(text) is None,
    }


def _search_args(ctx: TurnContext, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "site": filters.get("site"),
        "kind": filters.get("kind"),
        "products": tuple(filters.get("products") or ()),
        "contract": filters.get("contract"),
        "uncovered_on": ctx.today if filters.get("uncovered") else None,
        "leased": bool(filters.get("leased")),
    }


def _describe(ctx: TurnContext, filters: dict[str, Any]) -> str:
    parts = []
    if filters.get("products"):
        parts.append(ctx.t("inventory.filter.products", products=", ".join(filters["products"])))
    if filters.get("kind"):
        parts.append(ctx.t(f"inventory.filter.kind.{filters['kind']}"))
    if filters.get("site"):
        parts.append(ctx.t("inventory.filter.site", site=filters["site"]))
    if filters.get("contract"):
        parts.append(ctx.t("inventory.filter.contract", contract=filters["contract"]))
    if filters.get("uncovered"):
        parts.append(ctx.t("inventory.filter.uncovered"))
    if filters.get("leased"):
        parts.append(ctx.t("inventory.filter.leased"))
    return "".join(parts)


def _has_filters(filters: dict[str, Any]) -> bool:
    return any(filters.get(k) for k in ("site", "kind", "products", "contract", "uncovered", "leased"))


async def inventory_show(ctx: TurnContext) -> Reply:
    serial = ctx.slot("item")
    kept = ctx.context(InventoryContext)
    saved = kept.listing
    text = ctx.parse.text
    if serial is not None and serial.type == "serial_number" and not _FILES.search(text):
        return await _one_item(ctx, str(serial.value).upper())
    if _FILES.search(text) or by_mail(text):
        filters = await _filters(ctx)
        if not _has_filters(filters) and saved is not None:
            filters = saved.filters
        return await _spreadsheet(ctx, filters)
    more = asks_for_more(text) and saved is not None
    if more and saved is not None:
        filters, after, offset = saved.filters, saved.after, saved.shown
    else:
        filters, after, offset = await _filters(ctx), None, 0
        if not _has_filters({**filters, "leased": False}):
            if (leased := _the_leased_one(ctx)) is not None:
                return await _one_item(ctx, leased)
            if filters.get("leased") and (which := _which_item(ctx)) is not None:
                # "is it leased?" after a list of several, none of them leased: which of them is asked,
                # never another item that is leased shown in its place
                return which
    page = await ctx.backends.inventory.search_items(
        ctx.principal, **_search_args(ctx, filters), after=after, limit=PAGE_SIZE
    )
    described = _describe(ctx, filters)
    if not page.items:
        if not more:
            kept.listing = None
        key = "inventory.list.no_more" if more else "inventory.list.none"
        return ctx.reply(ctx.t(key, filters=described))
    kept.listing = ItemListing(filters=filters, after=page.last, shown=offset + len(page.items))
    ctx.set_shown("item", [i.serial for i in page.items], [item_marks(i) for i in page.items])
    if len(page.items) == 1 and offset == 0 and not page.has_more:
        only = page.items[0]
        _remember(ctx, only)
        if filters.get("products") or filters.get("leased"):
            # "When does the lease on the FlashSystem 5200 end?", "which devices are leased?": the one
            # item of the product named or on a lease, shown as itself (its maintenance, lease and
            # licences), not as a list of one.
            return ctx.reply(_item_text(ctx, only), cards=(_item_card(ctx, only),))
    text = found_text(ctx, "inventory.list.found", described, offset, len(page.items), page.has_more)
    lapsed = [i.serial for i in page.items if i.lapsed(ctx.today)]
    if lapsed:
        text = ctx.t("inventory.list.lapsed", count=len(lapsed), serials=", ".join(lapsed)) + text
    buttons = [
        Button(label=i.serial, value=ctx.t("inventory.button.show.value", serial=i.serial))
        for i in page.items[:5]
    ]
    if page.has_more:
        buttons.append(
            Button(label=ctx.t("inventory.button.more"), value=ctx.t("inventory.button.more.value"))
        )
    buttons.append(
        Button(label=ctx.t("inventory.button.download"), value=ctx.t("inventory.button.download.value"))
    )
    return ctx.reply(text, table=_items_table(ctx, page.items), buttons=tuple(buttons))


def inventory_columns(ctx: TurnContext) -> list[Column]:
    return [
        Column(ctx.t("inventory.col.serial"), "text", 16),
        Column(ctx.t("inventory.col.product"), "text", 30),
        Column(ctx.t("inventory.col.kind"), "text", 10),
        Column(ctx.t("inventory.col.site"), "text", 14),
        Column(ctx.t("inventory.col.location"), "text", 24),
        Column(ctx.t("inventory.col.installed"), "date", 12),
        Column(ctx.t("inventory.col.contract"), "text", 10),
        Column(ctx.t("inventory.col.service_level"), "text", 26),
        Column(ctx.t("inventory.col.maintenance_until"), "date", 14),
        Column(ctx.t("inventory.col.maintenance_lapsed"), "text", 12),
        Column(ctx.t("inventory.col.lessor"), "text", 22),
        Column(ctx.t("inventory.col.leased_until"), "date", 12),
        Column(ctx.t("inventory.col.version"), "text", 10),
        Column(ctx.t("inventory.col.licences"), "integer", 10),
        Column(ctx.t("inventory.col.renews_on"), "date", 12),
    ]


def _row(ctx: TurnContext, i: InventoryItem) -> list[Any]:
    lapsed = ctx.t("inventory.yes") if i.lapsed(ctx.today) else ctx.t("inventory.no")
    return [
        i.serial, i.product, _kind_word(ctx, i.kind), i.site, i.location, i.installed_on, i.contract_number,
        i.service_level, i.maintenance_until, lapsed if i.maintenance_until else None, i.lessor, i.leased_until,
        i.software_version, i.licences, i.renews_on,
    ]  # fmt: skip


async def _spreadsheet(ctx: TurnContext, filters: dict[str, Any]) -> Reply:
    described = _describe(ctx, filters)
    rows: list[list[Any]] = []
    after: tuple[str, str] | None = None
    while True:
        page = await ctx.backends.inventory.search_items(
            ctx.principal, **_search_args(ctx, filters), after=after, limit=100
        )
        rows.extend(_row(ctx, i) for i in page.items)
        if len(rows) > REPORT_LIMIT:
            return ctx.reply(ctx.t("inventory.list.too_large", limit=REPORT_LIMIT))
        if not page.has_more:
            break
        after = page.last
    if not rows:
        return ctx.reply(ctx.t("inventory.list.none", filters=described))
    columns = inventory_columns(ctx)
    sheet = ctx.t("inventory.list.sheet")
    xlsx, csv_data = await asyncio.to_thread(lambda: (to_xlsx(sheet, columns, rows), to_csv(columns, rows)))
    sheet_files = Spreadsheet(f"inventory-{ctx.today.isoformat()}", xlsx, csv_data)
    mailed, note = await mail_to_self(
        ctx,
        sheet_files,
        subject=ctx.t("inventory.list.mail_subject"),
        body=ctx.t("inventory.list.mail_body", name=ctx.principal.name),
    )
    if mailed is not None:
        said = ctx.t("inventory.list.mailed", count=len(rows), filters=described, email=mailed)
        return ctx.reply(mailed_text(said, note))
    attachments = await publish(ctx, sheet_files, Tool.INVENTORY)
    links = ctx.t("download.links", minutes=ctx.link_minutes)
    text = note + ctx.t("inventory.list.ready", count=len(rows), filters=described) + links
    return ctx.reply(text, attachments=attachments)


# --- which item -------------------------------------------------------------------------------------


async def _resolve_item(ctx: TurnContext) -> InventoryItem | Reply | None:
    """The item the turn is about: a serial said now, else the product words said now, else the item
    talked about (or chosen, or answered). Several fit the words → a choice, whose answer fills
    ``item``; an unknown serial is said to be unknown and asked again; ``None``: nothing names one."""
    said = ctx.slot("item")
    serial_now = ctx.parse.first("serial_number")
    names = [] if serial_now is not None else await ctx.backends.inventory.product_names(ctx.principal)
    products = match_products(ctx.parse.text, names)
    if said is not None and said.type == "serial_number" and (serial_now is not None or not products):
        item = await ctx.backends.inventory.get_item(ctx.principal, str(said.value))
        if item is not None:
            return item
        ctx.ask("item")
        return ctx.reply(ctx.t("inventory.ask_item_unknown", serial=said.value))
    if not products:
        return None
    inventory = ctx.backends.inventory
    page = await inventory.search_items(ctx.principal, products=products, limit=CHOICES)
    if len(page.items) == 1:
        return page.items[0]
    if not page.items:
        return None
    count = (
        await inventory.count_items(ctx.principal, products=products) if page.has_more else len(page.items)
    )
    more = ctx.t("inventory.ask_which.more", shown=len(page.items)) if page.has_more else ""
    ctx.ask("item")
    ctx.set_shown("item", [i.serial for i in page.items], [item_marks(i) for i in page.items])
    return ctx.reply(
        ctx.t("inventory.ask_which", count=count, more=more),
        buttons=tuple(Button(label=f"{i.product} {i.serial} ({i.site})", value=i.serial) for i in page.items),
        table=_items_table(ctx, page.items),
    )


# --- inventory.change ---------------------------------------------------------------------------------


def _action_buttons(ctx: TurnContext) -> tuple[Button, ...]:
    return tuple(
        Button(label=ctx.t(f"inventory.button.{a}"), value=ctx.t(f"inventory.button.{a}.value"))
        for a in ("move", "upgrade", "deinstall")
    )


async def _action_check(ctx: TurnContext, value: SlotValue) -> SlotValue | None:
    action = _action_of(str(value.value))
    return SlotValue("inventory_action", action) if action else None


async def _site_buttons(ctx: TurnContext, *, besides: str | None = None) -> tuple[Button, ...]:
    """The company's sites to choose from; ``besides``: the site an item to move stands at, not offered."""
    sites = await ctx.backends.directory.sites(ctx.principal)
    return tuple(Button(label=s.name, value=s.name) for s in sites if s.name != besides)


async def _known_site(ctx: TurnContext, name: str) -> str | None:
    sites = await ctx.backends.directory.sites(ctx.principal)
    wanted = fold(name.strip())
    return next((s.name for s in sites if fold(s.name) == wanted), None)


def _draft(ctx: TurnContext, action: str, item: InventoryItem | None, target: str | None) -> dict[str, str]:
    words_said = ctx.said
    if item is None:
        what = ctx.t("inventory.change.new_equipment")
        return {
            "category": "inventory",
            "subject": ctx.t("inventory.change.subject.add", target=target or "–", what=what),
            "description": ctx.t("inventory.change.description.add", target=target or "–", said=words_said),
            "priority": "normal",
        }
    params = {"product": item.product, "serial": item.serial, "site": item.site, "target": target or "–"}
    location = f", {item.location}" if item.location else ""
    moved = ctx.t("inventory.change.description.target", target=target) if action == "move" and target else ""
    return {
        "category": "inventory",
        "subject": ctx.t(f"inventory.change.subject.{action}", **params),
        "description": ctx.t(
            "inventory.change.description",
            action=ctx.t(f"inventory.action.{action}"),
            product=item.product,
            serial=item.serial,
            site=item.site,
            location=location,
            target=moved,
            said=words_said,
        ),
        "priority": "normal",
    }


async def inventory_change(ctx: TurnContext) -> Reply:
    """Which item, what to do, where to (a move): then the request as it will be sent, to confirm; a
    confirmed one is opened with its tracking number and mail like any request."""
    text = ctx.parse.text
    anew = _action_of(text) if ctx.parse.intent == "inventory.change" else None
    if anew is not None:
        # A change said anew while one was being prepared replaces it.
        ctx.slots["action"] = SlotValue("inventory_action", anew)
        for name in ("target", "confirm"):
            ctx.slots.pop(name, None)
        if not re.fullmatch(_ACTION_ANSWER, text):
            ctx.slots[SAID] = SlotValue("request_text", text)
    if ctx.slot("target") is None and (said_to := _said_to(ctx)) is not None:
        ctx.slots["target"] = SlotValue("site", said_to)  # kept while the bot asks which item
    action_slot = ctx.slot("action")
    action = str(action_slot.value) if action_slot is not None else None
    item: InventoryItem | None = None
    if action == "add" and anew == "add" and ctx.parse.first("serial_number") is None:
        # New equipment, unless a product of the company is named ("add memory to the FlashSystem").
        names = await ctx.backends.inventory.product_names(ctx.principal)
        if not match_products(text, names):
            ctx.slots.pop("item", None)
    if action != "add" or ctx.slot("item") is not None:
        found = await _resolve_item(ctx)
        if isinstance(found, Reply):
            return found
        if found is None and action != "add":
            return _which_item(ctx) or _ask_item(ctx)
        item = found
    if action == "add" and item is not None:
        action = "upgrade"  # "add memory to the Power server" changes that server
    if item is not None:
        ctx.slots["item"] = SlotValue("serial_number", item.serial)
        _remember(ctx, item)
    if action is None:
        assert item is not None
        ctx.ask("action")
        return ctx.reply(
            ctx.t("inventory.ask_action", product=item.product, serial=item.serial),
            buttons=_action_buttons(ctx),
        )
    target: str | None = None
    if action in ("move", "add"):
        said_target = ctx.slot("target")
        target = (
            str(said_target.value)
            if said_target is not None
            else _target_site(ctx, item.site if item else None)
        )
        if target is not None:
            known = await _known_site(ctx, target)
            site_said = ctx.parse.first("site")
            if known is None and said_target is not None and site_said is not None:
                known = await _known_site(ctx, str(site_said.value))  # "gothenburg" for Göteborg
            if known is None:
                ctx.ask("target")
                return ctx.reply(
                    ctx.t("inventory.unknown_site", site=target), buttons=await _site_buttons(ctx)
                )
            target = known
        if item is not None and target == item.site:
            ctx.ask("target")
            return ctx.reply(
                ctx.t("inventory.target_same", product=item.product, serial=item.serial, site=item.site),
                buttons=await _site_buttons(ctx, besides=item.site),
            )
        if target is None:
            ctx.ask("target")
            if item is None:
                return ctx.reply(ctx.t("inventory.ask_add_site"), buttons=await _site_buttons(ctx))
            question = ctx.t("inventory.ask_target", product=item.product, serial=item.serial, site=item.site)
            return ctx.reply(question, buttons=await _site_buttons(ctx, besides=item.site))
        ctx.slots["target"] = SlotValue("site", target)
    values = _draft(ctx, action, item, target)
    if ctx.slot("confirm") is None:
        ctx.ask("confirm")
        return ctx.reply(
            ctx.t("inventory.change.confirm", action=ctx.t(f"inventory.action.{action}.the")),
            cards=(request_card(ctx, values),),
        )
    return await open_request(ctx, values, related=item.serial if item else None)


# --- inventory.question -------------------------------------------------------------------------------

_DATA_QUESTIONS = re.compile(
    r"\b(service\s*level|servicenivå\w*|maintenance|underhåll\w*|covered|täcks|warranty|garanti\w*|"
    r"leas\w*|licen[cs]\w*|version\w*|contract|avtal\w*|where|var\s+står|installed|installerad|"
    r"serial\w*|serienummer\w*|site|rack|located|location|placerad|which\s+(?:machine|device|product|model)|"
    r"what\s+(?:machine|device|product|model)|vilken\s+(?:maskin|enhet|produkt|modell))\b",
    re.IGNORECASE,
)


_LEASED = re.compile(r"(?i)\b(?:leased|leases|lease|leasing\w*|leasade?|leasad|hyrd[ae]?)\b")
"""Words of items on a lease: a listing of them is only those ("which devices are leased")."""
_ASKS_WHICH = re.compile(r"(?i)\b(?:which|what|list|vilken|vilka|vilket|lista)\b")
_NOT_LEASED = re.compile(
    r"(?i)\b(?:not|n't|inte|ej|icke|aren't|isn't)\s+(?:\w+\s+)?(?:leased|leasade?|leasad)\b"
)
_COUNTS_ITEMS = re.compile(
    r"(?i)\b(?:how\s+many|hur\s+många|the\s+number\s+of|antalet)\s+(?:\w+\s+){0,2}?(?:servers|machines|devices"
    r"|systems|items|units|licen[cs]es|storage\s+systems|servrar|maskiner|enheter|system|licenser|lagringssystem)\b"
)
"""How many of the installed items there are, asked ("hur många servrar har vi i Kista?"): a listing
answers it, however the words lean to a question for the team."""


def _counts_items(text: str) -> bool:
    low = text.lower()  # (plain substring checks before the pattern; a question begins with a capital)
    return ("how" in low or "hur" in low or "number" in low or "antal" in low) and (
        _COUNTS_ITEMS.search(text) is not None
    )


_THE_LEASE = re.compile(r"(?i)\b(?:the\s+lease|leasingen|leasingavtalet|leasingperioden)\b")
"""The lease, said as one the customer has in mind: the one leased item of a list."""
_ASKS_LEASE = re.compile(r"\b(lease\w*|leasing\w*|leasad\w*|owned|own\s+it|ägd|äger\s+vi)\b", re.IGNORECASE)
"""A question whether an item is leased: answered for one that is not too ("is that one leased or
owned?")."""


async def inventory_question(ctx: TurnContext) -> Reply:
    """Answered from the data when the question is about what it holds (service level, maintenance,
    lease, licences, where it stands); otherwise it becomes a request with the item filled in. A fault
    told of it ("78ABC12 keeps rebooting") is a technical request at once, whatever else it says."""
    question = ctx.said
    found = await _resolve_item(ctx)
    if isinstance(found, Reply):
        return found
    item = found
    fault = ctx.parse.first("fault") is not None
    if item is None and not fault and (leased := _the_leased_one(ctx)) is not None:
        item = await ctx.backends.inventory.get_item(ctx.principal, leased)
    if item is None and not fault and (which := _which_item(ctx)) is not None:
        return which
    if item is None and not fault and _LEASED.search(question) and _ASKS_WHICH.search(question):
        # "Vilken av våra maskiner har ett leasingavtal som tar slut?": the data says, no team needed.
        return await inventory_show(ctx)
    if item is not None:
        _remember(ctx, item)
        ctx.slots["item"] = SlotValue("serial_number", item.serial)  # kept while the request is confirmed
        if not fault and _DATA_QUESTIONS.search(question):
            return ctx.reply(
                _item_text(ctx, item) + ctx.t("inventory.question.more"), cards=(_item_card(ctx, item),)
            )
    return await _question_request(ctx, item, question, fault=fault)


def _the_leased_one(ctx: TurnContext) -> str | None:
    """ "When does the lease end?", "leasingen, när tar den slut?", "hur länge är den leasad?" after a
    list with one leased item: that item's serial number."""
    text = ctx.parse.text
    pointed = any(e.type == "reference" for e in ctx.parse.entities)
    if not (_THE_LEASE.search(text) or (pointed and _LEASED.search(text))):
        return None  # ("the lease", or "it" said of a lease: "hur länge är den leasad?")
    leased = ctx.shown_marked("item", "leased")
    return str(leased[0]) if len(leased) == 1 else None


def _ask_item(ctx: TurnContext) -> Reply:
    ctx.ask("item")
    return ctx.reply(ctx.t("inventory.ask_item"))


def _which_item(ctx: TurnContext) -> Reply | None:
    """ "Move that one to Kista", "is it covered?" after a list of several: which of them, asked with
    the list's items as buttons; ``None`` when the message points at none or no list was shown."""
    shown = ctx.shown("item")
    if not shown or not any(e.type == "reference" for e in ctx.parse.entities):
        return None
    ctx.ask("item")
    return ctx.reply(
        ctx.t("dialog.which", question=ctx.t("inventory.ask_item")),
        buttons=tuple(Button(label=str(serial), value=str(serial)) for serial in shown[:PICK_LIMIT]),
    )


async def _question_request(
    ctx: TurnContext, item: InventoryItem | None, question: str, *, fault: bool
) -> Reply:
    """A fault told is a technical request at once; any other question is shown as the request it
    will be and opened once the customer confirms: a message misread as a question ("and the other
    site?") never opens one."""
    words_of = "inventory.fault" if fault else "inventory.question"
    if item is not None:
        subject = ctx.t(f"{words_of}.subject", product=item.product, serial=item.serial, site=item.site)
        about = f"{item.product} ({item.serial})"
    else:
        subject = ctx.t(f"{words_of}.subject_general")
        about = ctx.t("inventory.question.your_equipment")
    if not fault and ctx.slot("confirm") is None:
        ctx.ask("confirm")
        values = {"category": "inventory", "subject": subject, "description": question, "priority": "normal"}
        return ctx.reply(ctx.t("inventory.question.confirm", item=about), cards=(request_card(ctx, values),))
    opened = await question_request(
        ctx,
        words_of=words_of,
        category="technical" if fault else "inventory",
        subject=subject,
        related=item.serial if item else None,
        facts={"item": about},
        question=question,
    )
    # A fault's request is opened at once: the answer is a request opened, and says so by its intent.
    return opened.model_copy(update={"intent": "request.open"}) if fault else opened


_ITEM = Slot(
    name="item",
    entities=("serial_number", "reference"),
    question="inventory.ask_item",
    required=False,
    pattern=_SERIAL,
)


def item_marks(item: InventoryItem) -> tuple[str, ...]:
    """What tells a machine of a list apart: its site, and whether it is leased ("the one in Göteborg",
    "den leasade")."""
    return (item.site.lower(), "leased" if item.leased_until or item.lessor else "owned")


INTENTS = [
    IntentSpec(
        name="inventory.show",
        called={"en": "machine", "sv": "maskinen"},
        asked_by=_counts_items,
        exports_after=("inventory.show",),
        examples=SHOW_EXAMPLES,
        handler=inventory_show,
        tool=Tool.INVENTORY,
        context=InventoryContext,
        slots=(
            replace(_ITEM, carry=False),
            Slot(name="site", entities=("site",), required=False, carry=False),
            # (read from the message by ``_filters``; a slot so that "which machines are covered by
            # C-1001?" stays a listing of them rather than going to the contract named)
            Slot(name="contract", entities=("contract_number",), required=False, carry=False),
        ),
        claims=("serial_number",),
    ),
    IntentSpec(
        name="inventory.change",
        asked_by=_wishes_a_change,
        examples=CHANGE_EXAMPLES,
        requires=_SAYS_CHANGE,
        handler=inventory_change,
        keeps_text=True,
        tool=Tool.INVENTORY,
        context=InventoryContext,
        slots=(
            _ITEM,
            Slot(
                name="action",
                entities=("inventory_action",),
                question="inventory.ask_action_plain",
                required=False,
                carry=False,
                pattern=_ACTION_ANSWER,
                inline=_ACTION_WORDS,
                check=_action_check,
                choices=_action_buttons,
            ),
            Slot(
                name="target",
                entities=("move_target",),
                question="inventory.ask_target_plain",
                required=False,
                carry=False,
                free_text=True,
            ),
            CONFIRM_SLOT,
        ),
    ),
    IntentSpec(
        name="inventory.question",
        takes_faults=True,
        examples=QUESTION_EXAMPLES,
        handler=inventory_question,
        keeps_text=True,
        tool=Tool.INVENTORY,
        context=InventoryContext,
        slots=(_ITEM, CONFIRM_SLOT),
    ),
]
