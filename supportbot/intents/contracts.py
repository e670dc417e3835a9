"""Contracts: one contract's card (terms, what it covers, what waits for the customer) or a list by
kind, status, site or end date, page by page; a version's PDF and page to print, or the PDF mailed
to an address ("me" is the user's own); the dated history of versions, approvals, signatures and
forwards. Approval and signing are their own module, ``contract_signing``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Attachment, Button, Card, Field, Reply, Table
from supportbot.bot.nlu.recipients import to_me
from supportbot.bot.spec import IntentSpec, Refused, Slot, TurnContext
from supportbot.bot.state import FamilyContext, SlotValue
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.models import (
    Contract,
    ContractDocument,
    ContractHistory,
    ContractStatus,
    ContractVersion,
    InventoryItem,
    Tool,
)
from supportbot.intents.common import asks_for_more, named_alone
from supportbot.intents.inventory import CHOICES, item_marks, match_products
from supportbot.intents.recipients import ME, asks_if_sent, by_mail, only_me, own_address
from supportbot.services.contract_pdf import (
    PDF_TYPE,
    channel_words,
    contract_pdf,
    contract_terms,
    kind_words,
    notice_by,
    status_words,
    waiting_words,
)
from supportbot.services.invoice_pdf import SELLER

log = logging.getLogger(__name__)

STATUS_EXAMPLES = {
    "en": [
        "show my contracts",
        "list our contracts",
        "what is the status of contract C-1001",
        "is contract C-1001 still active",
        "when does contract C-1001 expire",
        "which contracts expire soon",
        "contract status",
        "do we have a maintenance contract",
        "find contracts for Kista",
        "what contracts do we have with you",
        "search contracts for software subscription",
        "when does our service agreement end",
        "is our subscription still valid",
        "what's the end date of C-2001",
        "any contracts up for renewal",
        "list active agreements",
        "is any of our contracts about to expire",
        "which contracts need action from us",
        "show details of contract C-2001",
        "what does contract C-1001 cover",
        "what is included in our maintenance contract",
        "contracts",
        "when is the renewal date of our maintenance agreement",
        "we want to renew our maintenance contract",
        "which of our contracts end in the next 90 days",
        "when does our service agreement end",
        "can we extend contract C-1001",
        "show expired contracts",
        "how long is our contract valid",
        "contrat C-1001 status",
        "do we have an active software subscription",
        "Can you check whether our maintenance contract is still in force?",
        "what service level does our contract give us",
        "list contracts expiring this year",
        "what's the notice period on C-1001",
        "which contracts expire in the next 60 days",
        "show our maintenance contracts",
        "list our leases",
        "contracts awaiting our signature",
        "which contracts are waiting for approval",
        "status of kontrakt 1001",
        "contract C-2001",
        "show contract C-1001",
        "show me contract C-2001",
        "what about contract C-2001",
    ],
    "sv": [
        "visa mina avtal",
        "lista våra avtal",
        "vad är status på avtal C-1001",
        "är avtal C-1001 fortfarande aktivt",
        "hur länge är vårt serviceavtal giltigt",
        "när löper avtal C-1001 ut",
        "vilka avtal går ut snart",
        "när går det ut då?",
        "avtalsstatus",
        "har vi ett serviceavtal",
        "hitta avtal för Kista",
        "vilka avtal har vi med er",
        "kan jag se våra avtal",
        "vad har vi för avtal med er",
        "sök avtal om mjukvaruprenumeration",
        "när upphör vårt serviceavtal",
        "gäller vår prenumeration fortfarande",
        "vilket slutdatum har C-2001",
        "några avtal som ska förnyas",
        "lista aktiva avtal",
        "är något av våra avtal på väg att löpa ut",
        "vilka avtal kräver åtgärd från oss",
        "visa detaljer för avtal C-2001",
        "vad täcker avtal C-1001",
        "vad ingår i vårt serviceavtal",
        "avtal",
        "när ska vårt underhållsavtal förnyas",
        "vi vill förnya vårt serviceavtal",
        "när slutar vårt serviceavtal",
        "kan vi förlänga avtal C-1001",
        "hur förlänger vi vårt serviceavtal",
        "visa det andra avtalet",
        "visa utgångna avtal",
        "hur länge gäller vårt kontrakt",
        "avtl C-1001 status",
        "har vi en aktiv mjukvaruprenumeration",
        "Kan du kolla om vårt underhållsavtal fortfarande gäller?",
        "vilken servicenivå ger vårt avtal oss",
        "lista avtal som går ut i år",
        "vad är uppsägningstiden på C-1001",
        "vilka avtal går ut inom 60 dagar",
        "avtal C-2001",
        "visa avtal C-1001",
        "visa mig avtal C-2001",
        "och avtal C-1001 då",
        "finns avtal C-1003",
        "visa våra underhållsavtal",
        "lista våra leasingavtal",
        "avtal som väntar på vår underskrift",
        "vilka avtal väntar på godkännande",
        "status på kontrakt 1001",
    ],
}

DOCUMENT_EXAMPLES = {
    "en": [
        "the previous version of C-1001 as pdf",
        "download contract C-1001",
        "I need a pdf of contract C-1001",
        "print the contract",
        "send me a copy of our maintenance contract",
        "get the contract document for C-2001",
        "can I see the contract text",
        "pdf of the current version of C-1001",
        "open the agreement document",
        "download the signed contract",
        "I need our service agreement as a pdf",
        "copy of contract C-1001 please",
        "show me the contract document",
        "where can I read the terms of our contract",
        "contract pdf",
        "download the subscription agreement",
        "email me the contract C-2001 as a pdf",
        "print C-1001",
        "I want to read the full contract",
        "get the pdf of the maintenance agreement for Kista",
        "dowload contract",
        "Could you send me the contract document so I can print it?",
        "the document for contract 1001",
        "I'd like a printable copy of the agreement",
        "where is the pdf of our subscription contract",
        "open contract C-1001 as a document",
        "send contract C-1001 to maria@nordisk.example",
        "mail me the contract",
        "e-mail contract C-1001 to a colleague",
        "forward the contract pdf to erik.lund@nordisk.example",
        "pdf of contract C-1001 version 1",
        "printable version of contract C-1001",
        "forward contract C-1001 to our legal team",
        "send C-1001 to my manager for approval",
        "forward the contract internally for approval",
    ],
    "sv": [
        "ladda ner avtal C-1001",
        "jag behöver en pdf av avtal C-1001",
        "skriv ut avtalet",
        "skicka mig en kopia av vårt underhållsavtal",
        "hämta avtalsdokumentet för C-2001",
        "kan jag se avtalstexten",
        "pdf av den gällande versionen av C-1001",
        "öppna avtalsdokumentet",
        "ladda ner det signerade avtalet",
        "jag behöver vårt serviceavtal som pdf",
        "kopia av avtal C-1001 tack",
        "visa mig avtalsdokumentet",
        "var kan jag läsa villkoren i vårt avtal",
        "avtal pdf",
        "ladda ner prenumerationsavtalet",
        "mejla mig avtal C-2001 som pdf",
        "skriv ut C-1001",
        "jag vill läsa hela avtalet",
        "hämta pdf:en för underhållsavtalet i Kista",
        "ladda ner avtalt",
        "Kan du skicka avtalsdokumentet så att jag kan skriva ut det?",
        "dokumentet för avtal 1001",
        "jag vill ha en utskrivbar kopia av avtalet",
        "var finns pdf:en för vårt prenumerationsavtal",
        "öppna avtal C-1001 som dokument",
        "skicka avtal C-1001 till maria@nordisk.example",
        "mejla mig avtalet",
        "mejla avtal C-1001 till en kollega",
        "skicka avtalets pdf till erik.lund@nordisk.example",
        "pdf av avtal C-1001 version 1",
        "utskriftsvänlig version av avtal C-1001",
        "vidarebefordra avtal C-1001 till vår juridiska avdelning",
        "skicka C-1001 till min chef för godkännande",
        "skicka avtalet internt för godkännande",
    ],
}

HISTORY_EXAMPLES = {
    "en": [
        "show the version history of contract C-1001",
        "what changed in contract C-1001",
        "previous versions of C-1001",
        "when was contract C-1001 last changed",
        "compare the versions of the contract",
        "list all versions of our agreement",
        "which version of C-1001 is current",
        "what's the current version of the contract",
        "history of contract C-2001",
        "who changed the contract and when",
        "show the changes between version 1 and 2",
        "revision history for the maintenance contract",
        "when was the contract amended",
        "old versions of the agreement",
        "contract history",
        "what was different in the first version of C-1001",
        "show me the dated versions of our contract",
        "how many versions does C-1001 have",
        "versoin history C-1001",
        "Could you show me how our service agreement has changed over time?",
        "get version 1 of contract C-1001",
        "what was the previous version of our agreement",
        "show every change made to C-2001",
        "when did we get the second version of the contract",
        "list the amendments to our maintenance contract",
        "has the contract been changed since we signed it",
    ],
    "sv": [
        "visa versionshistoriken för avtal C-1001",
        "vad har ändrats i avtal C-1001",
        "tidigare versioner av C-1001",
        "när ändrades avtal C-1001 senast",
        "jämför versionerna av avtalet",
        "lista alla versioner av vårt avtal",
        "vilken version av C-1001 gäller",
        "vilken är den aktuella versionen av avtalet",
        "historik för avtal C-2001",
        "vem ändrade avtalet och när",
        "visa ändringarna mellan version 1 och 2",
        "ändringshistorik för underhållsavtalet",
        "när ändrades avtalet",
        "gamla versioner av avtalet",
        "avtalshistorik",
        "vad var annorlunda i första versionen av C-1001",
        "visa de daterade versionerna av vårt avtal",
        "hur många versioner har C-1001",
        "vilka versioner finns det av avtalet",
        "finns det en äldre version av avtal C-1001",
        "versionshistork C-1001",
        "Kan du visa hur vårt serviceavtal har ändrats över tid?",
        "hämta version 1 av avtal C-1001",
        "vilken var den förra versionen av avtalet",
        "visa alla ändringar som gjorts i C-2001",
        "när kom den andra versionen av avtalet",
        "lista tilläggen till vårt underhållsavtal",
        "har avtalet ändrats sedan vi skrev under",
    ],
}


# --- words ----------------------------------------------------------------------------------------

WORDS: dict[str, Entry] = {
    "contract.ask_number": {
        "en": "Which contract do you mean? Give me its number (like C-1001), or ask to see your contracts.",
        "sv": "Vilket avtal menar du? Ange avtalsnumret (t.ex. C-1001), eller be att få se era avtal.",
    },
    "contract.item_covered": {
        "en": "{product} (serial number {serial}) is covered by contract {number}. ",
        "sv": "{product} (serienummer {serial}) omfattas av avtal {number}. ",
    },
    "contract.which_item": {
        "plural": "count",
        "en": {
            "one": "You have {count} of those. Which one's contract do you mean?",
            "other": "You have {count} of those. Which one's contract do you mean?",
        },
        "sv": {
            "one": "Ni har {count} sådan. Vilkens avtal menar du?",
            "other": "Ni har {count} sådana. Vilkens avtal menar du?",
        },
    },
    "contract.button.covering.value": {
        "en": "which contract covers {serial}",
        "sv": "vilket avtal omfattar {serial}",
    },
    "contract.item_uncovered": {
        "en": "{product} (serial number {serial}) is not covered by any of your contracts.",
        "sv": "{product} (serienummer {serial}) omfattas inte av något av era avtal.",
    },
    "contract.item_not_found": {
        "en": "I can't find serial number {serial} among your company's installed items. Please check "
        "the number.",
        "sv": "Jag hittar inte serienummer {serial} bland ert företags installerade utrustning. Kontrollera "
        "gärna numret.",
    },
    "contract.not_found": {
        "en": "I couldn't find contract {number} among your company's contracts. Please check the number, "
        'or say "show my contracts" to see them all.',
        "sv": "Jag hittade inte avtal {number} bland ert företags avtal. Kontrollera numret, eller skriv "
        '"visa mina avtal" för att se alla.',
    },
    "contract.no_version": {
        "en": "Contract {number} has no version {version}; its versions are {versions}.",
        "sv": "Avtal {number} har ingen version {version}; dess versioner är {versions}.",
    },
    "contract.title": {"en": "Contract {number}", "sv": "Avtal {number}"},
    "contract.summary": {
        "en": "Contract {number} ({title}) is {status}: {start} – {end}.",
        "sv": "Avtal {number} ({title}) är {status}: {start} – {end}.",
    },
    "contract.summary.notice_ahead": {
        "plural": "days",
        "en": {
            "one": " Notice must be given by {date} ({days} day from today).",
            "other": " Notice must be given by {date} ({days} days from today).",
        },
        "sv": {
            "one": " Uppsägning måste ske senast {date} (om {days} dag).",
            "other": " Uppsägning måste ske senast {date} (om {days} dagar).",
        },
    },
    "contract.summary.notice_passed": {
        "en": " The last day to give notice was {date}.",
        "sv": " Sista dag för uppsägning var {date}.",
    },
    "contract.summary.waiting": {
        "en": " Waiting for you: {waiting}.",
        "sv": " Väntar på er: {waiting}.",
    },
    "contract.version_field": {
        "en": "{version}, of {date}",
        "sv": "{version}, från {date}",
    },
    "contract.covers.item": {"en": "{product} {serial} ({site})", "sv": "{product} {serial} ({site})"},
    "contract.covers.more": {
        "plural": "count",
        "en": {"one": "and {count} more", "other": "and {count} more"},
        "sv": {"one": "och {count} till", "other": "och {count} till"},
    },
    "contract.covers.nothing": {"en": "no installed items", "sv": "inga installerade enheter"},
    "contract.button.item": {"en": "{serial} · {product}", "sv": "{serial} · {product}"},
    "contract.button.item.value": {"en": "show item {serial}", "sv": "visa serienummer {serial}"},
    "contract.button.approve": {"en": "Approve version {version}", "sv": "Godkänn version {version}"},
    "contract.button.approve.value": {"en": "approve contract {number}", "sv": "godkänn avtal {number}"},
    "contract.button.sign": {"en": "Sign version {version}", "sv": "Signera version {version}"},
    "contract.button.sign.value": {"en": "sign contract {number}", "sv": "signera avtal {number}"},
    "contract.button.pdf": {"en": "PDF of {number}", "sv": "Pdf av {number}"},
    "contract.button.document.value": {"en": "pdf of contract {number}", "sv": "pdf av avtal {number}"},
    "contract.button.document": {"en": "Document", "sv": "Dokument"},
    "contract.button.history": {"en": "History", "sv": "Historik"},
    "contract.button.history.value": {
        "en": "history of contract {number}",
        "sv": "historik för avtal {number}",
    },
    "contract.button.show": {"en": "{number}", "sv": "{number}"},
    "contract.button.show.value": {"en": "status of contract {number}", "sv": "status på avtal {number}"},
    "contract.button.more": {"en": "Show more", "sv": "Visa fler"},
    "contract.button.more.value": {"en": "more contracts", "sv": "fler avtal"},
    "contract.list.found": {
        "plural": "count",
        "en": {
            "one": "One more of your company's contracts{filters}, number {first}:",
            "other": "Your company's contracts{filters}, {first}–{last}, soonest end first:",
        },
        "sv": {
            "one": "Ett till av ert företags avtal{filters}, nummer {first}:",
            "other": "Ert företags avtal{filters}, {first}–{last}, det som går ut först överst:",
        },
    },
    "contract.list.found.all": {
        "plural": "count",
        "en": {
            "one": "I found {count} contract{filters}:",
            "other": "I found {count} contracts{filters}, soonest end first:",
        },
        "sv": {
            "one": "Jag hittade {count} avtal{filters}:",
            "other": "Jag hittade {count} avtal{filters}, det som går ut först överst:",
        },
    },
    "contract.list.none": {
        "en": "I found no contracts{filters}.",
        "sv": "Jag hittade inga avtal{filters}.",
    },
    "contract.list.no_more": {
        "en": "There are no more contracts{filters}.",
        "sv": "Det finns inga fler avtal{filters}.",
    },
    "contract.filter.kind": {"en": " of type {kinds}", "sv": " av typen {kinds}"},
    "contract.filter.status": {"en": " with status {statuses}", "sv": " med status {statuses}"},
    "contract.filter.site": {"en": " for {site}", "sv": " för {site}"},
    "contract.filter.awaiting.approval": {
        "en": " awaiting your approval",
        "sv": " som väntar på ert godkännande",
    },
    "contract.filter.awaiting.signature": {
        "en": " awaiting your signature",
        "sv": " som väntar på er underskrift",
    },
    "contract.filter.action": {
        "en": " that need action from you (approval or signature)",
        "sv": " som kräver åtgärd från er (godkännande eller underskrift)",
    },
    "contract.filter.ending": {
        "plural": "days",
        "en": {
            "one": " ending within {days} day (by {date})",
            "other": " ending within {days} days (by {date})",
        },
        "sv": {
            "one": " som går ut inom {days} dag (senast {date})",
            "other": " som går ut inom {days} dagar (senast {date})",
        },
    },
    "contract.or": {"en": " or ", "sv": " eller "},
    "contract.col.number": {"en": "Contract", "sv": "Avtal"},
    "contract.col.title": {"en": "Title", "sv": "Benämning"},
    "contract.col.kind": {"en": "Type", "sv": "Typ"},
    "contract.col.status": {"en": "Status", "sv": "Status"},
    "contract.col.site": {"en": "Site", "sv": "Anläggning"},
    "contract.col.ends": {"en": "Ends", "sv": "Slutar"},
    "contract.col.notice_by": {"en": "Notice by", "sv": "Säg upp senast"},
    "contract.col.waiting": {"en": "Waiting for you", "sv": "Väntar på er"},
    "contract.col.value": {"en": "Annual value", "sv": "Årsvärde"},
    "contract.document.ready": {
        "plural": "minutes",
        "en": {
            "one": "Here is contract {number}, version {version} of {date}, as a PDF, and as a page to "
            "print. The links work for {minutes} minute.",
            "other": "Here is contract {number}, version {version} of {date}, as a PDF, and as a page to "
            "print. The links work for {minutes} minutes.",
        },
        "sv": {
            "one": "Här är avtal {number}, version {version} från {date}, som pdf och som sida att skriva "
            "ut. Länkarna fungerar i {minutes} minut.",
            "other": "Här är avtal {number}, version {version} från {date}, som pdf och som sida att skriva "
            "ut. Länkarna fungerar i {minutes} minuter.",
        },
    },
    "contract.document.older": {
        "en": " It is not the current version: that is version {current}.",
        "sv": " Det är inte den gällande versionen: det är version {current}.",
    },
    "contract.document.signed": {
        "en": " Its last page records the signature.",
        "sv": " Sista sidan visar underskriften.",
    },
    "contract.document.pdf": {"en": "{number}-v{version}.pdf", "sv": "{number}-v{version}.pdf"},
    "contract.document.page": {
        "en": "Contract {number}, version {version}: page to print",
        "sv": "Avtal {number}, version {version}: sida att skriva ut",
    },
    "contract.history.link": {
        "en": "Contract {number}, version {version} (PDF)",
        "sv": "Avtal {number}, version {version} (pdf)",
    },
    "contract.ask_email": {
        "en": 'Which e-mail address should I send contract {number} to? (Say "me" for your own.)',
        "sv": 'Vilken e-postadress ska jag skicka avtal {number} till? (Skriv "mig" för din egen.)',
    },
    "contract.ask_email_again": {
        "en": 'Which e-mail address should I send the contract to? (Say "me" for your own.)',
        "sv": 'Vilken e-postadress ska jag skicka avtalet till? (Skriv "mig" för din egen.)',
    },
    "contract.bad_email": {
        "en": '"{email}" doesn\'t look like an e-mail address. Please give the whole address.',
        "sv": '"{email}" ser inte ut som en e-postadress. Ange hela adressen.',
    },
    "contract.no_own_email": {
        "en": "I don't have an e-mail address for you, so I can't mail it to you. Here are the links "
        "instead; or give me an address to send it to.",
        "sv": "Jag har ingen e-postadress till dig, så jag kan inte mejla den till dig. Här är länkarna "
        "i stället; eller ange en adress att skicka till.",
    },
    "contract.forward.queued": {
        "en": "I've put contract {number}, version {version}, as a PDF in the outbox for {email}. It goes "
        "out as soon as our mail server accepts it, usually within a minute, and I've noted the "
        "forward in the contract's history.",
        "sv": "Jag har lagt avtal {number}, version {version}, som pdf i utkorgen till {email}. Det "
        "skickas så snart vår e-postserver tar emot det, oftast inom en minut, och jag har antecknat "
        "det i avtalets historik.",
    },
    "contract.forward.failed": {
        "en": "I couldn't send the e-mail just now, so contract {number} has not been sent. Please try "
        "again in a while; meanwhile you can download the PDF here.",
        "sv": "Jag kunde inte skicka mejlet just nu, så avtal {number} har inte skickats. Försök igen "
        "om en stund; under tiden kan du ladda ner pdf:en här.",
    },
    "contract.forward.subject": {
        "en": "Contract {number}, version {version}, from {seller}",
        "sv": "Avtal {number}, version {version}, från {seller}",
    },
    "contract.forward.body": {
        "en": "Hello,\n\n{name} ({sender}) at {company} asked us to send you contract {number}, "
        '"{title}", version {version} of {date}. The PDF is attached; its SHA-256 is {sha256}.\n\n'
        "Kind regards,\nCustomer support",
        "sv": "Hej!\n\n{name} ({sender}) på {company} bad oss skicka avtal {number}, "
        '"{title}", version {version} från {date}, till dig. Pdf:en är bifogad; dess SHA-256 är '
        "{sha256}.\n\nVänliga hälsningar\nKundsupport",
    },
    "contract.history.intro": {
        "plural": "count",
        "en": {
            "one": "The history of contract {number}, newest first ({count} version; the current one "
            "is version {current}):",
            "other": "The history of contract {number}, newest first ({count} versions; the current one "
            "is version {current}):",
        },
        "sv": {
            "one": "Historiken för avtal {number}, nyast först ({count} version; gällande är version "
            "{current}):",
            "other": "Historiken för avtal {number}, nyast först ({count} versioner; gällande är version "
            "{current}):",
        },
    },
    "contract.history.col.date": {"en": "Date", "sv": "Datum"},
    "contract.history.col.version": {"en": "Version", "sv": "Version"},
    "contract.history.col.what": {"en": "What happened", "sv": "Händelse"},
    "contract.history.version": {
        "en": "Version {version} drawn up by {who}: {summary}",
        "sv": "Version {version} upprättad av {who}: {summary}",
    },
    "contract.history.approved": {"en": "Approved by {who}", "sv": "Godkänd av {who}"},
    "contract.history.signed": {
        "en": "Signed by {who} via {channel}",
        "sv": "Signerad av {who} via {channel}",
    },
    "contract.history.signed_paper": {"en": "Signed by {who} on paper", "sv": "Signerad av {who} på papper"},
    "contract.history.forwarded": {
        "en": "Sent to {to} by {who}",
        "sv": "Skickad till {to} av {who}",
    },
    "contract.history.waiting": {
        "en": "Version {version} is waiting for your {what}.",
        "sv": "Version {version} väntar på ert {what}.",
    },
    "contract.history.waiting.approval": {"en": "approval", "sv": "godkännande"},
    "contract.history.waiting.signature": {"en": "signature", "sv": "underskrift"},
}
"""What the contracts family says; a contract's kinds, statuses and renewals are the PDF service's."""
words(WORDS)


PAGE_SIZE = 10
COVERED_SHOWN = 5
_CONTRACT_NUMBER = re.compile(r"(?i)^\s*#?\s*(?:c-?)?(\d{3,8})\s*$")
_SAID_NUMBER = re.compile(
    r"(?i)\b(?:[ck]o?n?tr?[ae]?[ck]?t?\w*|avt\w*|agre+m\w*)[\s#:.-]*(?:nr\.?|no\.?|number|nummer)?\s*"
    r"(?P<text>(?:c-?)?\d{3,8})\b"
)
"""A contract number after a word for contract, typed however: "kontrakt 1001", "contrat C-1001"."""
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_VERSION = re.compile(r"(?i)\b(?:version|versionen|ver\.?|v)\s*(?P<n>\d{1,3})\b")
_FIRST_VERSION = re.compile(r"(?i)\b(?:first|original|första|ursprungliga)\s+(?:version|versionen)\b")
_EARLIER_VERSION = re.compile(r"(?i)\b(?:older|previous|earlier|prior|äldre|förra|tidigare|föregående)\b")
"""The version before the current one, asked for by its place: "the older one", "den förra versionen"."""
_PLURAL = re.compile(
    r"(?i)\b(?:contracts|agreements|subscriptions|leases|list|lista|which|vilka|any|några|all|alla|"
    r"our|my|våra|mina|avtalen)\b"
)

_CONTRACTS = re.compile(
    r"(?i)\b(?:contracts|agreements|subscriptions|leases|list|lista|avtalen|kontrakten)\b"
)
"""Words that ask for contracts, several, whatever a message points at."""


def _points_at_it(ctx: TurnContext) -> bool:
    """Whether the message points at the contract talked about ("it", "that contract")."""
    return any(
        (e.type == "reference" and e.value == "it") or (e.type == "about" and e.value == "contract")
        for e in ctx.parse.entities
    )


_KIND_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?i)\b(?:hardware\s+)?maintenance|underhåll\w*|hårdvaruunderhåll\w*"),
        "hardware_maintenance",
    ),
    (re.compile(r"(?i)\blease[sd]?\b|\bleasing\w*|\bleasad\w*"), "lease"),
    (
        re.compile(r"(?i)\bsubscriptions?\b|\bsoftware\b|prenumeration\w*|mjukvar\w*|programvar\w*"),
        "software_subscription",
    ),
    (
        re.compile(r"(?i)\bservices\b|\bservice\s+contracts\b|tjänsteavtal\w*|\btjänster\b|managed"),
        "services",
    ),
)
_STATUS_WORDS: tuple[tuple[re.Pattern[str], ContractStatus], ...] = (
    (re.compile(r"(?i)\b(?:active|in\s+force|valid|aktiv\w*|gällande)\b"), ContractStatus.ACTIVE),
    (
        re.compile(
            r"(?i)\b(?:expired|lapsed|ended|utgångna|utgånget|utgången|upphörda|löpt\s+ut|gått\s+ut)\b"
        ),
        ContractStatus.EXPIRED,
    ),
    (re.compile(r"(?i)\b(?:terminated|cancell?ed|uppsagda|uppsagt|avslutade)\b"), ContractStatus.TERMINATED),
)
_AWAITING_SIGNATURE = re.compile(
    r"(?i)\b(?:awaiting\s+(?:our\s+|my\s+)?signature|(?:to|for)\s+sign\w*|unsigned|not\s+(?:yet\s+)?signed|"
    r"waiting\s+for\s+(?:our\s+|my\s+)?signature|underskrift|osignerade|signering|signatur)\b"
)
_AWAITING_APPROVAL = re.compile(
    r"(?i)\b(?:awaiting\s+(?:our\s+|my\s+)?approval|(?:to|for)\s+approv\w*|waiting\s+for\s+(?:our\s+)?approval|"
    r"not\s+(?:yet\s+)?approved|godkännande|godkänna|ogodkända)\b"
)
_ACTION = re.compile(
    r"(?i)\b(?:need\w*\s+(?:an\s+)?action|action\s+(?:from|by)\s+(?:us|me)|to\s+do|kräver\s+åtgärd|"
    r"åtgärd\s+från\s+(?:oss|mig)|behöver\s+åtgärd\w*|att\s+göra)\b"
)
_WITHIN = re.compile(
    r"(?i)\b(?:(?:in|within|next|the\s+next|coming|inom|kommande|närmaste|de\s+närmaste|nästa)\s+)+"
    r"(?P<n>\d{1,4})\s*(?P<unit>days?|dagarna|dagar|dag|weeks?|veckorna|veckor|vecka|months?|månaderna|månader|månad)\b"
)
_ENDING = re.compile(
    r"(?i)\b(?:expir(?:e|es|ing|y)|end(?:s|ing)?|renew\w*|går\s+ut|löper\s+ut|upphör\w*|slutar|förnya\w*|"
    r"utgår|går\s+snart\s+ut)\b"
)
_SOON = re.compile(r"(?i)\b(?:soon|shortly|up\s+for\s+renewal|snart|ska\s+förnyas|inom\s+kort)\b")
_WHEN = re.compile(r"(?i)\b(?:when|när|what\s+date|vilket\s+datum)\b")
"""Asked when ("when is our subscription up for renewal?"): its date, whenever it is, not whether it is
among those ending soon."""
_THIS_YEAR = re.compile(r"(?i)\b(?:this\s+year|i\s+år)\b")
SOON_DAYS = 90
"""What "soon" means for a contract's end: one quarter, the longest usual notice period."""


# --- what the message asks for ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractFilters:
    """A contract search as said in one message."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[ContractStatus, ...] = ()
    site: str | None = None
    awaiting: tuple[str, ...] = ()
    ending_within: int | None = None

    def __bool__(self) -> bool:
        return bool(
            self.kinds or self.statuses or self.site or self.awaiting or self.ending_within is not None
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "statuses": [s.value for s in self.statuses],
            "site": self.site,
            "awaiting": list(self.awaiting),
            "ending_within": self.ending_within,
        }

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> ContractFilters:
        return cls(
            kinds=tuple(saved.get("kinds", ())),
            statuses=tuple(ContractStatus(s) for s in saved.get("statuses", ())),
            site=saved.get("site"),
            awaiting=tuple(saved.get("awaiting", ())),
            ending_within=saved.get("ending_within"),
        )


def contract_filters(text: str, *, today: date, site: str | None = None) -> ContractFilters:
    """Kind, status, site, what waits for the customer and how soon it ends, as said in ``text``.

    "expiring in the next 60 days" / "som går ut inom 60 dagar" gives 60 days; weeks and months count
    as 7 and 30 days; "soon" a quarter, unless asked when ("when is it up for renewal?": its date); "this
    year" until 31 December. An "expired" contract is a status, never an end to come."""
    kinds = tuple(kind for pattern, kind in _KIND_WORDS if pattern.search(text))
    statuses = tuple(status for pattern, status in _STATUS_WORDS if pattern.search(text))
    awaiting: tuple[str, ...] = ()
    if _ACTION.search(text):
        awaiting = ("approval", "signature")
    else:
        awaiting = tuple(
            kind
            for pattern, kind in ((_AWAITING_APPROVAL, "approval"), (_AWAITING_SIGNATURE, "signature"))
            if pattern.search(text)
        )
    ending_within: int | None = None
    within = _WITHIN.search(text)
    if within is not None:
        unit = within["unit"].lower()
        factor = 7 if unit.startswith(("week", "veck")) else 30 if unit.startswith(("month", "månad")) else 1
        ending_within = int(within["n"]) * factor
    elif ContractStatus.EXPIRED not in statuses and _ENDING.search(text):
        if _THIS_YEAR.search(text):
            ending_within = (date(today.year, 12, 31) - today).days
        elif _SOON.search(text) and not _WHEN.search(text):
            ending_within = SOON_DAYS
    elif _SOON.search(text) and ContractStatus.EXPIRED not in statuses and not _WHEN.search(text):
        ending_within = SOON_DAYS
    if ending_within is not None and ContractStatus.ACTIVE in statuses:
        statuses = tuple(s for s in statuses if s is not ContractStatus.ACTIVE)  # ending ones are active
    return ContractFilters(
        kinds=kinds, statuses=statuses, site=site, awaiting=awaiting, ending_within=ending_within
    )


def said_number(text: str) -> str | None:
    """A contract number written after a word for contract, typos and all ("kontrakt 1001")."""
    match = _SAID_NUMBER.search(text)
    return _normalised(match["text"]) if match else None


def _normalised(value: str) -> str | None:
    match = _CONTRACT_NUMBER.fullmatch(value)
    return f"C-{match.group(1)}" if match else None


def said_version(text: str) -> int | None:
    """A version named in the message: "version 1", "v2", "the first version"."""
    if match := _VERSION.search(text):
        return int(match["n"])
    return 1 if _FIRST_VERSION.search(text) else None


class ContractsContext(FamilyContext):
    """The contract search shown last, and where its next page starts."""

    filters: dict[str, Any] | None = None
    after: str | None = None
    shown_count: int = 0


# --- slots ------------------------------------------------------------------------------------------


async def _number_check(ctx: TurnContext, value: SlotValue) -> SlotValue | None:
    """A contract number in the catalogue's shape (C-1001), from "1001", "c1001" or "C-1001". "The
    latest" ("ladda ner den senaste som pdf" after a contract's history) is the contract talked about,
    whose latest version every answer gives; with none talked about it is asked for."""
    if value.type == "reference" and value.value == "latest":
        return ctx.current("contract")
    cleaned = _normalised(str(value.value))
    return SlotValue("contract_number", cleaned) if cleaned else None


async def _email_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused:
    address = str(value.value).strip()
    if only_me(address):
        return SlotValue("email", ME)
    if not _EMAIL.fullmatch(address):
        return Refused("contract.bad_email", {"email": address})
    return SlotValue(value.type, address)


_CONTRACT = Slot(
    name="contract",
    entities=("contract_number", "reference"),
    question="contract.ask_number",
    pattern=r"(?i)\s*#?\s*(?:c-?)?\d{3,8}\s*",
    inline=_SAID_NUMBER.pattern,
    check=_number_check,
)
_LISTED_CONTRACT = Slot(
    name="contract",
    entities=("contract_number", "reference"),
    required=False,
    inline=_SAID_NUMBER.pattern,
    check=_number_check,
)
_SITE = Slot(name="site", entities=("site",), required=False, carry=False)
_MACHINE = Slot(name="item", entities=("serial_number",), required=False, carry=False)
"""The machine a contract question is about ("which contract covers 78ABC12?"): its contract."""
_EMAIL_SLOT = Slot(
    name="email",
    entities=("email",),
    required=False,
    carry=False,
    question="contract.ask_email_again",
    pattern=r"\S+@\S+|(?i:(?:to\s+|till\s+)?(?:me|mej|mig|myself|mig\s+själv|my\s+own|min\s+egen)\s*[.!]?)",
    check=_email_check,
)


# --- shared pieces ----------------------------------------------------------------------------------


def _machine_asked_about(ctx: TurnContext) -> str | None:
    """The serial number of the machine a contract question is about ("which contract covers
    78ABC12?"), when the user may see the installed items; ``None`` otherwise."""
    serial = ctx.slot("item")
    if serial is None or not ctx.principal.may(Tool.INVENTORY):
        return None
    return str(serial.value).upper()


async def _machine_of_product(ctx: TurnContext) -> str | Reply | None:
    """The machine a contract question names by its product's words ("the contract for the tape
    library", "avtalet för bandbiblioteket"): its serial number when the company has one of it, a
    choice when it has several; ``None`` when no product is named, or the user may not see the
    installed items."""
    if not ctx.principal.may(Tool.INVENTORY):
        return None
    inventory = ctx.backends.inventory
    products = match_products(ctx.parse.text, await inventory.product_names(ctx.principal))
    if not products:
        return None
    page = await inventory.search_items(ctx.principal, products=products, limit=CHOICES)
    if len(page.items) <= 1:
        return page.items[0].serial if page.items else None
    ctx.set_shown("item", [i.serial for i in page.items], [item_marks(i) for i in page.items])
    return ctx.reply(
        ctx.t("contract.which_item", count=len(page.items)),
        buttons=tuple(
            Button(
                label=f"{i.product} {i.serial} ({i.site})",
                value=ctx.t("contract.button.covering.value", serial=i.serial),
            )
            for i in page.items
        ),
    )


async def _covering(ctx: TurnContext, serial: str) -> tuple[InventoryItem, str] | Reply:
    """The machine ``serial`` and the number of the contract covering it; a reply when it is not
    theirs or no contract covers it."""
    item = await ctx.backends.inventory.get_item(ctx.principal, serial)
    if item is None:
        return ctx.reply(ctx.t("contract.item_not_found", serial=serial))
    ctx.set_current("item", "serial_number", item.serial)
    if not item.contract_number:
        return ctx.reply(ctx.t("contract.item_uncovered", product=item.product, serial=item.serial))
    return item, item.contract_number


def _number_said_now(ctx: TurnContext) -> str | None:
    found = ctx.parse.first("contract_number")
    if found is not None:
        return _normalised(str(found.value))
    return said_number(ctx.parse.text)


async def _find(ctx: TurnContext, number: str) -> Contract | Reply:
    contract = await ctx.backends.contracts.get_contract(ctx.principal, number)
    if contract is None:
        return ctx.reply(ctx.t("contract.not_found", number=number))
    ctx.set_current("contract", "contract_number", contract.number)
    return contract


def _current(contract: Contract) -> ContractVersion | None:
    return contract.versions[-1] if contract.versions else None


def _notice_sentence(ctx: TurnContext, contract: Contract) -> str:
    if contract.status is not ContractStatus.ACTIVE or contract.renewal == "none":
        return ""
    last_day = notice_by(contract)
    days = (last_day - ctx.today).days
    if days < 0:
        return ctx.t("contract.summary.notice_passed", date=ctx.fmt.date(last_day))
    return ctx.t("contract.summary.notice_ahead", date=ctx.fmt.date(last_day), days=days)


def _waiting_buttons(ctx: TurnContext, contract: Contract) -> list[Button]:
    buttons = []
    for version in contract.versions:
        if version.awaiting in ("approval", "signature"):
            kind = "approve" if version.awaiting == "approval" else "sign"
            buttons.append(
                Button(
                    label=ctx.t(f"contract.button.{kind}", version=version.version),
                    value=ctx.t(f"contract.button.{kind}.value", number=contract.number),
                )
            )
    return buttons


async def _contract_card(ctx: TurnContext, contract: Contract) -> Card:
    fmt = ctx.fmt
    fields = [Field(label=label, value=value) for label, value in contract_terms(fmt, contract)]
    current = _current(contract)
    if current is not None:
        fields.append(
            Field(
                label=ctx.t("contract.field.version"),
                value=ctx.t(
                    "contract.version_field", version=current.version, date=fmt.date(current.created_at)
                ),
            )
        )
    covered = await ctx.backends.contracts.covered_items(ctx.principal, contract.number, limit=COVERED_SHOWN)
    if covered.items:
        shown = [
            ctx.t("contract.covers.item", product=i.product, serial=i.serial, site=i.site)
            for i in covered.items
        ]
        if covered.total > len(covered.items):
            shown.append(ctx.t("contract.covers.more", count=covered.total - len(covered.items)))
        fields.append(Field(label=ctx.t("contract.field.covers"), value="; ".join(shown)))
    else:
        fields.append(Field(label=ctx.t("contract.field.covers"), value=ctx.t("contract.covers.nothing")))
    waiting = waiting_words(fmt, contract)
    if waiting:
        fields.append(Field(label=ctx.t("contract.field.waiting"), value=waiting.capitalize()))
    buttons = _waiting_buttons(ctx, contract)
    buttons += [
        Button(
            label=ctx.t("contract.button.item", serial=i.serial, product=i.product),
            value=ctx.t("contract.button.item.value", serial=i.serial),
        )
        for i in covered.items
    ]
    buttons += [
        Button(
            label=ctx.t("contract.button.document"),
            value=ctx.t("contract.button.document.value", number=contract.number),
        ),
        Button(
            label=ctx.t("contract.button.history"),
            value=ctx.t("contract.button.history.value", number=contract.number),
        ),
    ]
    owner = ctx.principal.user_id
    return Card(
        title=f"{ctx.t('contract.title', number=contract.number)} · {contract.title}",
        subtitle=status_words(fmt, contract).capitalize(),
        fields=tuple(fields),
        buttons=tuple(buttons),
        url=ctx.files.document_link(owner=owner, kind="contract", number=contract.number) if owner else None,
        url_label=ctx.t("contract.button.pdf", number=contract.number) if owner else None,
    )


# --- contract.status --------------------------------------------------------------------------------


async def contract_status(ctx: TurnContext) -> Reply:
    text = ctx.parse.text
    said = _number_said_now(ctx)
    site = ctx.slot("site")
    filters = contract_filters(text, today=ctx.today, site=str(site.value) if site else None)
    picked = ctx.slot("contract")
    more = asks_for_more(text) and ctx.context(ContractsContext).filters is not None and not said
    listing = filters.kinds or filters.site or filters.awaiting or filters.ending_within is not None
    if picked is not None and _points_at_it(ctx) and _CONTRACTS.search(text) is None:
        # "which machines does it cover?", "does it need any action from us?" after C-1001: that
        # contract, whatever its words would list
        listing, more = False, False
        plural = False
    else:
        plural = _PLURAL.search(text) is not None
    machine = _machine_asked_about(ctx) if said is None else None
    if said is None and machine is None and not (more or listing):
        named = await _machine_of_product(ctx)
        if isinstance(named, Reply):
            return named
        machine = named
    if said is None and machine is None and (more or listing or picked is None or plural):
        # A status word alone ("is it still active?") asks about the contract talked about.
        return await _contract_list(ctx, filters, more=more)
    covering = await _covering(ctx, machine) if machine is not None else None
    if isinstance(covering, Reply):
        return covering
    prefix = ""
    if covering is not None:  # "which contract covers 78ABC12?": the machine's contract
        item, number = covering
        prefix = ctx.t("contract.item_covered", product=item.product, serial=item.serial, number=number)
    else:
        number = said or str(picked.value if picked else "")
    found = await _find(ctx, number)
    if isinstance(found, Reply):
        return found
    contract = found
    text_parts = [
        prefix,
        ctx.t(
            "contract.summary",
            number=contract.number,
            title=contract.title,
            status=status_words(ctx.fmt, contract),
            start=ctx.fmt.date(contract.starts_on),
            end=ctx.fmt.date(contract.ends_on),
        ),
        _notice_sentence(ctx, contract),
    ]
    waiting = waiting_words(ctx.fmt, contract)
    if waiting:
        text_parts.append(ctx.t("contract.summary.waiting", waiting=waiting))
    return ctx.reply("".join(text_parts), cards=(await _contract_card(ctx, contract),))


def _describe(ctx: TurnContext, filters: ContractFilters) -> str:
    parts = []
    joiner = ctx.t("contract.or")
    if filters.kinds:
        parts.append(
            ctx.t("contract.filter.kind", kinds=joiner.join(kind_words(ctx.fmt, k) for k in filters.kinds))
        )
    if filters.statuses:
        shown = joiner.join(ctx.t(f"contract.status.{s.value}") for s in filters.statuses)
        parts.append(ctx.t("contract.filter.status", statuses=shown))
    if filters.site:
        parts.append(ctx.t("contract.filter.site", site=filters.site))
    if len(filters.awaiting) == 2:
        parts.append(ctx.t("contract.filter.action"))
    elif filters.awaiting:
        parts.append(ctx.t(f"contract.filter.awaiting.{filters.awaiting[0]}"))
    if filters.ending_within is not None:
        until = date.fromordinal(ctx.today.toordinal() + filters.ending_within)
        parts.append(ctx.t("contract.filter.ending", days=filters.ending_within, date=ctx.fmt.date(until)))
    return "".join(parts)


async def _contract_list(ctx: TurnContext, filters: ContractFilters, *, more: bool) -> Reply:
    kept = ctx.context(ContractsContext)
    after: str | None = None
    offset = 0
    if more and kept.filters is not None:
        filters = ContractFilters.from_dict(kept.filters)
        after, offset = kept.after, kept.shown_count
        if after is None:
            return ctx.reply(ctx.t("contract.list.no_more", filters=_describe(ctx, filters)))
    page = await ctx.backends.contracts.search_contracts(
        ctx.principal,
        kinds=filters.kinds,
        statuses=filters.statuses,
        site=filters.site,
        awaiting=filters.awaiting,
        ending_within=filters.ending_within,
        after=after,
        limit=PAGE_SIZE,
    )
    kept.filters = filters.as_dict()
    kept.after = page.after
    kept.shown_count = offset + len(page.items)
    described = _describe(ctx, filters)
    if not page.items:
        return ctx.reply(ctx.t("contract.list.no_more" if more else "contract.list.none", filters=described))
    ctx.set_shown("contract", [c.number for c in page.items], [_contract_marks(c) for c in page.items])
    if len(page.items) == 1 and not page.has_more and offset == 0:
        ctx.set_current("contract", "contract_number", page.items[0].number)
    fmt = ctx.fmt
    table = Table(
        columns=(
            ctx.t("contract.col.number"),
            ctx.t("contract.col.title"),
            ctx.t("contract.col.kind"),
            ctx.t("contract.col.status"),
            ctx.t("contract.col.site"),
            ctx.t("contract.col.ends"),
            ctx.t("contract.col.notice_by"),
            ctx.t("contract.col.value"),
            ctx.t("contract.col.waiting"),
        ),
        rows=tuple(
            (
                c.number,
                c.title,
                kind_words(fmt, c.kind).capitalize(),
                status_words(fmt, c).capitalize(),
                c.site or ctx.t("contract.field.all_sites"),
                fmt.date(c.ends_on),
                fmt.date(notice_by(c)) if c.renewal != "none" else "–",
                fmt.money(c.annual_value),
                (waiting_words(fmt, c) or "–").capitalize(),
            )
            for c in page.items
        ),
    )
    buttons = [
        Button(
            label=ctx.t("contract.button.show", number=c.number),
            value=ctx.t("contract.button.show.value", number=c.number),
        )
        for c in page.items[:5]
    ]
    for c in page.items:
        buttons += _waiting_buttons(ctx, c)
    if page.has_more:
        buttons.append(Button(label=ctx.t("contract.button.more"), value=ctx.t("contract.button.more.value")))
    if offset == 0 and not page.has_more:
        heading = ctx.t("contract.list.found.all", count=len(page.items), filters=described)
    else:
        heading = ctx.t(
            "contract.list.found",
            count=len(page.items),
            first=offset + 1,
            last=offset + len(page.items),
            filters=described,
        )
    return ctx.reply(heading, table=table, buttons=tuple(buttons))


# --- contract.document ------------------------------------------------------------------------------


async def _document(ctx: TurnContext) -> ContractDocument | Reply:
    said = ctx.slot("contract")
    assert said is not None  # a required slot: the engine asked until it was filled
    found = await _find(ctx, str(said.value))
    if isinstance(found, Reply):
        return found
    version = said_version(ctx.parse.text)
    if version is None and _EARLIER_VERSION.search(ctx.parse.text):
        # ("pdf of the older one", "pdf på den äldre" after the history: the version before the current)
        current = _current(found)
        version = current.version - 1 if current is not None and current.version > 1 else None
    document = await ctx.backends.contracts.contract_document(ctx.principal, found.number, version)
    if document is None:
        versions = ", ".join(str(v.version) for v in found.versions) or "–"
        return ctx.reply(
            ctx.t("contract.no_version", number=found.number, version=version or "–", versions=versions)
        )
    return document


def _recipient(ctx: TurnContext) -> str | None:
    """Where the PDF is to be mailed: an address said, or "me" (the user's own); ``None``: not mailed."""
    email = ctx.slot("email")
    text = ctx.parse.text
    if email is not None:
        # "Has C-1001 been sent to erik@…?" asks after a mail: the contract is shown, nothing is sent.
        return None if email.value != ME and asks_if_sent(text) and "@" in text else str(email.value)
    # "email me contract C-1001", "forward it to me"; "send me C-1001" is shown here, but "send it to
    # me" right after it was shown (its card carries the PDF too) wants it somewhere else: by mail.
    shown = (
        ctx.last_intent in ("contract.status", "contract.document")
        and ctx.parse.first("contract_number") is None
    )
    if to_me(text) and (by_mail(text) or shown):
        return ME
    if by_mail(text):
        return ""  # to be mailed, but to whom is still to be asked
    return None


async def contract_document(ctx: TurnContext) -> Reply:
    document = await _document(ctx)
    if isinstance(document, Reply):
        return document
    data = await contract_pdf(document, principal=ctx.principal, fmt=ctx.fmt)
    recipient = _recipient(ctx)
    if recipient == "":
        ctx.ask("email")
        return ctx.reply(ctx.t("contract.ask_email", number=document.contract.number))
    if recipient is not None:
        return await _forward(ctx, document, data, recipient)
    return ctx.reply(_ready_text(ctx, document), attachments=await _document_attachments(ctx, document, data))


def _ready_text(ctx: TurnContext, document: ContractDocument) -> str:
    contract, version = document.contract, document.version
    text = ctx.t(
        "contract.document.ready",
        number=contract.number,
        version=version.version,
        date=ctx.fmt.date(version.created_at),
        minutes=ctx.link_minutes,
    )
    current = _current(contract)
    if current is not None and current.version != version.version:
        text += ctx.t("contract.document.older", current=current.version)
    if version.signed_at is not None:
        text += ctx.t("contract.document.signed")
    return text


async def _document_attachments(
    ctx: TurnContext, document: ContractDocument, data: bytes
) -> tuple[Attachment, ...]:
    contract, version = document.contract, document.version
    name = ctx.t("contract.document.pdf", number=contract.number, version=version.version)
    owner = ctx.principal.user_id
    url = await ctx.files.publish(
        owner=owner, name=name, content_type=PDF_TYPE, data=data, tool=Tool.CONTRACTS
    )
    attachments = [Attachment(kind="file", name=name, url=url, content_type=PDF_TYPE, size=len(data))]
    if owner:
        page = ctx.files.document_link(
            owner=owner, kind="contract", number=contract.number, version=version.version, form="html"
        )
        attachments.append(
            Attachment(
                kind="link",
                name=ctx.t("contract.document.page", number=contract.number, version=version.version),
                url=page,
                content_type="text/html",
            )
        )
    return tuple(attachments)


async def _forward(ctx: TurnContext, document: ContractDocument, data: bytes, recipient: str) -> Reply:
    """The forward is recorded in the contract's history and its mail queued in one transaction, once
    per message; "me" is the user's own address, never asked for."""
    contract, version = document.contract, document.version
    if recipient == ME:
        own = own_address(ctx.principal)  # only a confirmed address is mailed to
        if own is None:
            return ctx.reply(
                ctx.t("contract.no_own_email"), attachments=await _document_attachments(ctx, document, data)
            )
        recipient = own
    address = recipient
    name = ctx.t("contract.document.pdf", number=contract.number, version=version.version)

    def mails(reference: str) -> list[Mail]:
        body = ctx.t(
            "contract.forward.body",
            name=ctx.principal.name,
            sender=ctx.principal.email or "",
            company=ctx.principal.company_name or "",
            number=contract.number,
            title=contract.title,
            version=version.version,
            date=ctx.fmt.date(version.created_at),
            sha256=version.sha256,
        )
        return [
            Mail(
                to=address,
                subject=ctx.t(
                    "contract.forward.subject",
                    number=contract.number,
                    version=version.version,
                    seller=SELLER.name,
                ),
                text=body,
                attachments=((name, PDF_TYPE, data),),
                language=ctx.language,
                reference=f"contract.forward:{reference}",
            )
        ]

    channel = ctx.conversation.channel if ctx.conversation is not None else None
    try:
        reference = await ctx.backends.contracts.record_forward(
            ctx.principal,
            contract.number,
            version.version,
            address,
            channel=channel,
            action=ctx.action(mails),
        )
    except MailUnavailable:
        log.warning("could not forward a contract", exc_info=True)
        return ctx.reply(
            ctx.t("contract.forward.failed", number=contract.number),
            attachments=await _document_attachments(ctx, document, data),
        )
    if reference is None:
        return ctx.reply(ctx.t("contract.not_found", number=contract.number))
    return ctx.reply(
        ctx.t("contract.forward.queued", number=contract.number, version=version.version, email=address)
    )


# --- contract.history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    at: datetime
    version: int
    what: str
    order: int


def history_steps(ctx: TurnContext, history: ContractHistory) -> list[_Step]:
    """Versions, approvals, signatures and forwards, newest first. An approval or signature recorded on
    its version is told once, even when an event records it too."""
    contract = history.contract
    steps: list[_Step] = []
    told: set[tuple[str, int]] = set()
    for v in contract.versions:
        steps.append(
            _Step(
                v.created_at,
                v.version,
                ctx.t(
                    "contract.history.version",
                    version=v.version,
                    who=v.created_by or SELLER.name,
                    summary=v.summary,
                ),
                0,
            )
        )
        if v.approved_at is not None:
            who = v.approved_name or v.approved_by or "–"
            steps.append(_Step(v.approved_at, v.version, ctx.t("contract.history.approved", who=who), 1))
            told.add(("approved", v.version))
        if v.signed_at is not None:
            who = v.signed_name or v.signed_by or "–"
            steps.append(_Step(v.signed_at, v.version, _signed(ctx, who, v.signed_channel), 2))
            told.add(("signed", v.version))
    for e in history.events:
        if (e.kind, e.version) in told:
            continue
        who = e.actor_name or e.actor
        if e.kind == "forwarded":
            what = ctx.t("contract.history.forwarded", to=e.detail or "–", who=who)
        elif e.kind == "approved":
            what = ctx.t("contract.history.approved", who=who)
        elif e.kind == "signed":
            what = _signed(ctx, who, e.channel)
        else:
            continue
        steps.append(_Step(e.at, e.version, what, 3))
    return sorted(steps, key=lambda s: (s.at, s.order), reverse=True)


def _signed(ctx: TurnContext, who: str, channel: str | None) -> str:
    if channel is None:
        return ctx.t("contract.history.signed_paper", who=who)
    return ctx.t("contract.history.signed", who=who, channel=channel_words(ctx.fmt, channel))


async def contract_history(ctx: TurnContext) -> Reply:
    said = ctx.slot("contract")
    assert said is not None
    number = str(said.value)
    history = await ctx.backends.contracts.contract_history(ctx.principal, number)
    if history is None:
        return ctx.reply(ctx.t("contract.not_found", number=number))
    contract = history.contract
    ctx.set_current("contract", "contract_number", contract.number)
    current = _current(contract)
    steps = history_steps(ctx, history)
    text = ctx.t(
        "contract.history.intro",
        number=contract.number,
        count=len(contract.versions),
        current=current.version if current else "–",
    )
    for v in contract.versions:
        if v.awaiting in ("approval", "signature"):
            what = ctx.t(f"contract.history.waiting.{v.awaiting}")
            text += " " + ctx.t("contract.history.waiting", version=v.version, what=what)
    table = Table(
        columns=(
            ctx.t("contract.history.col.date"),
            ctx.t("contract.history.col.version"),
            ctx.t("contract.history.col.what"),
        ),
        rows=tuple((ctx.fmt.date(s.at), str(s.version), s.what) for s in steps),
    )
    owner = ctx.principal.user_id
    attachments = (
        tuple(
            Attachment(
                kind="link",
                name=ctx.t("contract.history.link", number=contract.number, version=v.version),
                url=ctx.files.document_link(
                    owner=owner, kind="contract", number=contract.number, version=v.version
                ),
                content_type=PDF_TYPE,
            )
            for v in reversed(contract.versions)
        )
        if owner
        else ()
    )
    buttons = tuple(_waiting_buttons(ctx, contract))
    return ctx.reply(text, table=table, attachments=attachments, buttons=buttons)


def _contract_marks(contract: Contract) -> tuple[str, ...]:
    """What tells a contract of a list apart: its status and its site ("the active one", "den i Kista")."""
    status = contract.status.value
    return (status, contract.site.lower()) if contract.site else (status,)


_SAYS_HISTORY = re.compile(
    r"(?i)versio|histor|chang|ändr|amend|revis|compar|jämför|skillnad|skiljer|previous|earlier|older|tidigare"
    r"|äldre|förra|nyare|newer|modif|updat|uppdater|tillägg|addend|current|gällande|nuvarande|aktuell"
    r"|signed|signerat|signerad|undertecknat|underskriv|approved|godkän|who\b|vem\b"
)
"""Words of a contract's versions and changes, and who signed or approved them ("what changed in C-1001",
"finns det en äldre version", "tilläggen", "who approved it?"): without one, a message read as the history asks after the contract ("C-2001 alltså,
finns det?" is whether it exists, not its versions)."""

INTENTS = [
    IntentSpec(
        name="contract.status",
        called={"en": "contract", "sv": "avtalet"},
        asked_by=named_alone("contract", "agreement", "avtal", "avtalet", "kontrakt", "kontraktet"),
        context=ContractsContext,
        examples=STATUS_EXAMPLES,
        handler=contract_status,
        tool=Tool.CONTRACTS,
        slots=(_LISTED_CONTRACT, _SITE, _MACHINE),
        claims=("contract_number",),
    ),
    IntentSpec(
        name="contract.document",
        context=ContractsContext,
        examples=DOCUMENT_EXAMPLES,
        handler=contract_document,
        tool=Tool.CONTRACTS,
        sends=True,
        documents=True,
        slots=(_CONTRACT, _EMAIL_SLOT),
    ),
    IntentSpec(
        name="contract.history",
        context=ContractsContext,
        examples=HISTORY_EXAMPLES,
        requires=_SAYS_HISTORY,
        handler=contract_history,
        tool=Tool.CONTRACTS,
        slots=(_CONTRACT,),
    ),
]
