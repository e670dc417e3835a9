"""My requests: open one by conversation (pre-filled from the profile), see one or all with their dated
history, add a comment. How an agent's answer reaches the customer is ``services.answers``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from supportbot.bot.dialog import tool_refusal
from supportbot.bot.i18n import Entry, Formatter, words
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
from supportbot.bot.nlu.text import wordset
from supportbot.bot.nlu.types import Parse
from supportbot.bot.spec import Check, IntentSpec, Question, Refused, Slot, TurnContext
from supportbot.bot.state import DialogState, FamilyContext, SlotValue
from supportbot.integrations.actions import Mail
from supportbot.integrations.documents import DocumentRefused, kept_type
from supportbot.integrations.errors import AccessDenied, InvalidRequest, MailUnavailable
from supportbot.integrations.mail import one_line
from supportbot.integrations.models import NewRequest, RequestStatus, SupportRequest, Tool
from supportbot.services.answers import request_link

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
        "I want to file a claim against your company",
        "how do I make a claim about a faulty delivery",
        "we want to lodge a claim with your organisation",
        "I have to report errors with an online payment",
        "my card payment failed, I want to report it",
        "I can't make a bank transfer to you, there's an error",
        "how do I report problems with paying you",
        "I need to report that the disk in our server is failing",
        "the fan in server 78ABC99 makes noise, please log a case",
        "a hard drive in our array reports errors, we need a technician",
        "reporting a payment issue",
        "we have an issue with a payment",
        "help me with a payment error",
        "I can't pay, something is wrong with the payment",
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
        "jag vill lägga en ny supportförfrågan",
        "ny felanmälan",
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
        "jag vill göra ett klagomål mot ert företag",
        "hur gör jag en reklamation på en trasig leverans",
        "jag vill anmäla fel med en betalning på nätet",
        "kortbetalningen misslyckades, jag vill anmäla det",
        "jag kan inte göra en överföring till er, det blir fel",
        "öppna ett tekniskt ärende: disken i vår server rapporterar läsfel",
        "fläkten i servern låter, skapa ett ärende",
        "en hårddisk i vår lagring rapporterar fel, vi behöver en tekniker",
        "anmäla ett problem med en betalning",
        "jag kan inte betala, något är fel med betalningen",
    ],
}

STATUS_EXAMPLES = {
    "en": [
        "what's the status of my request RQ-2026-000123",
        "any news on my ticket",
        "show my open requests",
        "list all my requests",
        "has anyone answered my case",
        "I opened a case last week and haven't heard back",
        "any news on the request I opened on Monday?",
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
        "any update on request RQ-2026-000123",
    ],
    "sv": [
        "hur går det med mitt supportärende RQ-2026-000123",
        "vad är status på mitt ärende RQ-2026-000123",
        "något nytt om mitt ärende",
        "finns det någon uppdatering om ärende RQ-2026-000123",
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
        "vi har inte fått något svar på ärendet vi skickade in, har någon tittat på det?",
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
        "regarding the case I opened yesterday, more details about the fault for it",
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


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "request.category.technical": {"en": "technical", "sv": "teknisk"},
    "request.category.order": {"en": "order", "sv": "order"},
    "request.category.invoice": {"en": "invoice", "sv": "faktura"},
    "request.category.contract": {"en": "contract", "sv": "avtal"},
    "request.category.inventory": {"en": "inventory", "sv": "utrustning"},
    "request.category.access": {"en": "access", "sv": "behörighet"},
    "request.category.other": {"en": "other", "sv": "annat"},
    "request.priority.low": {"en": "low", "sv": "låg"},
    "request.priority.normal": {"en": "normal", "sv": "normal"},
    "request.priority.high": {"en": "high", "sv": "hög"},
    "request.priority.urgent": {"en": "urgent", "sv": "brådskande"},
    "request.status.open": {"en": "open", "sv": "öppet"},
    "request.status.in_progress": {"en": "in progress", "sv": "under arbete"},
    "request.status.waiting_for_customer": {"en": "waiting for you", "sv": "väntar på dig"},
    "request.status.answered": {"en": "answered", "sv": "besvarat"},
    "request.status.closed": {"en": "closed", "sv": "stängt"},
    "request.event.created": {"en": "opened", "sv": "öppnat"},
    "request.event.comment": {"en": "comment", "sv": "kommentar"},
    "request.event.status": {"en": "status", "sv": "status"},
    "request.event.answer": {"en": "answer", "sv": "svar"},
    "request.event.attachment": {"en": "document", "sv": "dokument"},
    "request.event.closed": {"en": "closed", "sv": "stängt"},
    "request.ask_category": {
        "en": "Let's open a support request. What is it about?",
        "sv": "Då öppnar vi ett ärende. Vad gäller det?",
    },
    "request.ask_subject": {
        "en": "What's the subject, in a few words?",
        "sv": "Vad är rubriken, med några ord?",
    },
    "request.subject_too_long": {
        "plural": "limit",
        "en": {
            "one": "That subject is too long (at most {limit} character). Could you say it shorter?",
            "other": "That subject is too long (at most {limit} characters). Could you say it shorter?",
        },
        "sv": {
            "one": "Rubriken är för lång (högst {limit} tecken). Kan du skriva den kortare?",
            "other": "Rubriken är för lång (högst {limit} tecken). Kan du skriva den kortare?",
        },
    },
    "request.ask_description": {
        "en": "Please describe the problem or question: what happened, where, and anything you've tried.",
        "sv": "Beskriv problemet eller frågan: vad som hände, var, och vad ni redan har provat.",
    },
    "request.ask_description_fault": {
        "en": (
            "I'm sorry to hear that. I'll open a support request for it: please describe the problem "
            "— what happened, where, and anything you've tried."
        ),
        "sv": (
            "Tråkigt att höra. Jag öppnar ett ärende om det: beskriv problemet – vad som hände, var, "
            "och vad ni redan har provat."
        ),
    },
    "request.description_too_long": {
        "plural": "limit",
        "en": {
            "one": "That text is too long (at most {limit} character). Could you shorten it?",
            "other": "That text is too long (at most {limit} characters). Could you shorten it?",
        },
        "sv": {
            "one": "Texten är för lång (högst {limit} tecken). Kan du korta den?",
            "other": "Texten är för lång (högst {limit} tecken). Kan du korta den?",
        },
    },
    "request.ask_priority": {
        "en": "How urgent is it? Normal is the default.",
        "sv": "Hur brådskande är det? Normal är standard.",
    },
    "request.ask_priority_fault": {
        "en": "I'm sorry to hear that. I'll open a support request for it. How urgent is it? Normal is the default.",
        "sv": "Tråkigt att höra. Jag öppnar ett ärende om det. Hur brådskande är det? Normal är standard.",
    },
    "request.confirm": {
        "en": "Open this request?",
        "sv": "Ska jag öppna det här ärendet?",
    },
    "request.form.title": {"en": "New support request", "sv": "Nytt ärende"},
    "request.field.name": {"en": "Name", "sv": "Namn"},
    "request.field.company": {"en": "Company", "sv": "Företag"},
    "request.field.customer_number": {"en": "Customer number", "sv": "Kundnummer"},
    "request.field.email": {"en": "E-mail", "sv": "E-post"},
    "request.field.phone": {"en": "Phone", "sv": "Telefon"},
    "request.field.category": {"en": "Category", "sv": "Kategori"},
    "request.field.subject": {"en": "Subject", "sv": "Rubrik"},
    "request.field.description": {"en": "Description", "sv": "Beskrivning"},
    "request.field.priority": {"en": "Priority", "sv": "Prioritet"},
    "request.field.status": {"en": "Status", "sv": "Status"},
    "request.field.opened": {"en": "Opened", "sv": "Öppnat"},
    "request.field.due": {"en": "Answer due by", "sv": "Svar senast"},
    "request.button.open": {"en": "Open", "sv": "Öppna"},
    "request.button.open.value": {"en": "open", "sv": "öppna"},
    "request.button.cancel": {"en": "Cancel", "sv": "Avbryt"},
    "request.button.cancel.value": {"en": "cancel", "sv": "avbryt"},
    "request.button.comment": {"en": "Add a comment", "sv": "Lägg till en kommentar"},
    "request.button.comment.value": {
        "en": "add a comment to {number}",
        "sv": "lägg till en kommentar på {number}",
    },
    "request.button.show.value": {"en": "status of {number}", "sv": "status för {number}"},
    "request.button.history": {"en": "Show the history", "sv": "Visa historiken"},
    "request.open.refused": {
        "en": "Sorry, I couldn't open that request. Please check the details, or ask to talk to a person.",
        "sv": "Förlåt, jag kunde inte öppna ärendet. Kontrollera uppgifterna, eller be att få prata med en person.",
    },
    "request.opened": {
        "en": "I've opened request {number}: {subject}. Our team will answer by {due}. "
        "I've sent a confirmation to {email}.",
        "sv": "Jag har öppnat ärende {number}: {subject}. Vi svarar senast {due}. "
        "Jag har skickat en bekräftelse till {email}.",
    },
    "request.opened_no_mail": {
        "en": "I've opened request {number}: {subject}. Our team will answer by {due}.",
        "sv": "Jag har öppnat ärende {number}: {subject}. Vi svarar senast {due}.",
    },
    "request.mail.opened.subject": {
        "en": "Your request {number}: {subject}",
        "sv": "Ditt ärende {number}: {subject}",
    },
    "request.mail.opened.body": {
        "en": "Hello {name},\n\nwe have received your request.\n\nTracking number: {number}\n"
        "Subject: {subject}\nCategory: {category}\nPriority: {priority}\nAnswer due by: {due}\n\n"
        "{description}\n\nFollow your request here: {link}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\nvi har tagit emot ditt ärende.\n\nÄrendenummer: {number}\n"
        "Rubrik: {subject}\nKategori: {category}\nPrioritet: {priority}\nSvar senast: {due}\n\n"
        "{description}\n\nFölj ärendet här: {link}\n\nVänliga hälsningar\nKundsupport",
    },
    "request.ask_number": {
        "en": "Which request? Give me its number, like RQ-2026-000123.",
        "sv": "Vilket ärende? Ange numret, till exempel RQ-2026-000123.",
    },
    "request.not_found": {
        "en": 'I can\'t find request {number}. Please check the number, or say "my requests" to see yours.',
        "sv": 'Jag hittar inte ärende {number}. Kontrollera numret, eller skriv "mina ärenden" för att se dina.',
    },
    "request.none_yet": {
        "en": 'You have no requests yet. Say "open a request" to start one.',
        "sv": 'Du har inga ärenden än. Skriv "öppna ett ärende" för att starta ett.',
    },
    "request.summary": {
        "en": "Request {number} ({subject}) is {status}; answer due by {due}. Its history:",
        "sv": "Ärende {number} ({subject}) är {status}; svar senast {due}. Historik:",
    },
    "request.col.when": {"en": "When", "sv": "När"},
    "request.col.what": {"en": "What", "sv": "Vad"},
    "request.col.who": {"en": "Who", "sv": "Vem"},
    "request.col.text": {"en": "Text", "sv": "Text"},
    "request.col.number": {"en": "Request", "sv": "Ärende"},
    "request.col.opened": {"en": "Opened", "sv": "Öppnat"},
    "request.col.subject": {"en": "Subject", "sv": "Rubrik"},
    "request.col.status": {"en": "Status", "sv": "Status"},
    "request.col.due": {"en": "Answer due", "sv": "Svar senast"},
    "request.list.found.all": {
        "plural": "count",
        "en": {"one": "You have {count} request:", "other": "Your requests ({count}):"},
        "sv": {"one": "Du har {count} ärende:", "other": "Dina ärenden ({count}):"},
    },
    "request.list.found.open": {
        "plural": "count",
        "en": {"one": "You have {count} open request:", "other": "Your open requests ({count}):"},
        "sv": {"one": "Du har {count} öppet ärende:", "other": "Dina öppna ärenden ({count}):"},
    },
    "request.list.found.closed": {
        "plural": "count",
        "en": {"one": "You have {count} closed request:", "other": "Your closed requests ({count}):"},
        "sv": {"one": "Du har {count} stängt ärende:", "other": "Dina stängda ärenden ({count}):"},
    },
    "request.list.found.answered": {
        "plural": "count",
        "en": {"one": "You have {count} answered request:", "other": "Your answered requests ({count}):"},
        "sv": {"one": "Du har {count} besvarat ärende:", "other": "Dina besvarade ärenden ({count}):"},
    },
    "request.list.none.all": {
        "en": 'You have no requests. Say "open a request" to start one.',
        "sv": 'Du har inga ärenden. Skriv "öppna ett ärende" för att starta ett.',
    },
    "request.list.none.open": {"en": "You have no open requests.", "sv": "Du har inga öppna ärenden."},
    "request.list.none.closed": {"en": "You have no closed requests.", "sv": "Du har inga stängda ärenden."},
    "request.list.none.answered": {
        "en": "You have no answered requests.",
        "sv": "Du har inga besvarade ärenden.",
    },
    "request.ask_comment": {
        "en": "What should I add to request {number}?",
        "sv": "Vad ska jag lägga till i ärende {number}?",
    },
    "request.ask_comment_no_files": {
        "en": "I can't take files in this chat, but I can add a written comment to request {number}. "
        "What should I add?",
        "sv": "Jag kan inte ta emot filer i den här chatten, men jag kan lägga till en skriftlig kommentar i "
        "ärende {number}. Vad ska jag lägga till?",
    },
    "request.ask_comment_or_file": {
        "en": "What should I add to request {number}? Write it here, or send a file (a photo, a log, a PDF).",
        "sv": "Vad ska jag lägga till i ärende {number}? Skriv det här eller skicka en fil (ett foto, en "
        "logg, en PDF).",
    },
    "request.ask_number_for_files": {
        "en": "Which request should I add the file to? Tell me its number, like RQ-2026-000123.",
        "sv": "Vilket ärende ska jag lägga till filen i? Ange numret, till exempel RQ-2026-000123.",
    },
    "request.files.added": {
        "plural": "count",
        "en": {
            "one": "I've added {names} to request {number}; our team will see it.",
            "other": "I've added {names} to request {number}; our team will see them.",
        },
        "sv": {
            "one": "Jag har lagt till {names} i ärende {number}; vårt team ser det.",
            "other": "Jag har lagt till {names} i ärende {number}; vårt team ser dem.",
        },
    },
    "request.file.too_large": {
        "en": "{name} is too large: files can be at most {limit} MB.",
        "sv": "{name} är för stor: filer får vara högst {limit} MB.",
    },
    "request.file.refused_type": {
        "en": "I can't add {name}: that kind of file isn't accepted.",
        "sv": "Jag kan inte lägga till {name}: den sortens fil tas inte emot.",
    },
    "request.file.mismatch": {
        "en": "I can't add {name}: what it contains doesn't match its name. Please check the file and send "
        "it again.",
        "sv": "Jag kan inte lägga till {name}: innehållet stämmer inte med filnamnet. Kontrollera filen och "
        "skicka den igen.",
    },
    "request.form.intro.unhelped": {
        "en": "Here is the request form, started with what you asked me; your details are filled in from "
        "your profile. Check it, add what our support team should know, and send it.",
        "sv": "Här är ärendeformuläret, påbörjat med det du frågade mig; dina uppgifter är ifyllda från din "
        "profil. Kontrollera det, lägg till det vår support behöver veta och skicka det.",
    },
    "request.form.intro": {
        "en": "Here is the request form. Your details are filled in from your profile; tell us what it's "
        "about and send it.",
        "sv": "Här är ärendeformuläret. Dina uppgifter är ifyllda från din profil; berätta vad det gäller "
        "och skicka det.",
    },
    "request.form.fix": {
        "en": "Please check the marked fields and send the form again.",
        "sv": "Kontrollera de markerade fälten och skicka formuläret igen.",
    },
    "request.form.error.required": {"en": "Please fill this in.", "sv": "Fyll i det här."},
    "request.form.error.choose": {"en": "Please choose one.", "sv": "Välj ett alternativ."},
    "request.form.error.too_long": {
        "plural": "limit",
        "en": {"one": "At most {limit} character, please.", "other": "At most {limit} characters, please."},
        "sv": {"one": "Högst {limit} tecken, tack.", "other": "Högst {limit} tecken, tack."},
    },
    "request.button.send": {"en": "Send request", "sv": "Skicka ärendet"},
    "request.button.fill_in": {"en": "Fill in the request form", "sv": "Fyll i ärendeformuläret"},
    "request.ask_comment_plain": {
        "en": "What should I add to the request?",
        "sv": "Vad ska jag lägga till i ärendet?",
    },
    "request.comment.added": {
        "en": "I've added your comment to request {number}; our team will see it.",
        "sv": "Jag har lagt till din kommentar i ärende {number}; vårt team ser den.",
    },
    "request.agent": {"en": "Our support team", "sv": "Vårt supportteam"},
}
words(WORDS)


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
_CATEGORY_SAID = (
    r"(?is).*?\b(?P<text>technical|tekniskt?|invoice|faktura|contract|avtals?|order|access|behörighets?)"
    r"[\s-]+(?:support\s+)?(?:request|ticket|case|question|[äa]rende|fråga)\b"
)
"""A category said in the words asking for the request ("open a technical request", "ett tekniskt
ärende"): taken without asking."""
_PRIORITY_SAID = r"(?is).*?\b(?P<text>(?:high|low|normal|urgent|hög|hog|låg|brådskande|akut)[\s-]+(?:priority|prio|prioritet))\b"
"""A priority said in the words asking for the request ("a high priority request", "hög prioritet")."""
_PRIORITY_WORDS: dict[str, tuple[str, ...]] = {
    "low": ("low", "låg"),
    "normal": ("normal", "standard", "medium", "mellan"),
    "high": ("high", "hög", "hog"),
    "urgent": ("urgent", "critical", "brådskande", "akut", "kritisk"),
}
CONFIRM_ANSWER = r"(?i)(yes|y|ok|okay|open|open it|confirm|send|send it|ja|öppna|öppna det|bekräfta|skicka|skicka det)[.!]?"
"""What answers "Shall I send it?" for a request prepared to be confirmed (here and in other families)."""
CONFIRM_SLOT = Slot(
    name="confirm",
    entities=("request_confirm",),
    question="request.confirm",
    required=False,
    carry=False,
    pattern=CONFIRM_ANSWER,
)
"""The yes to a request another family prepared and shows to be confirmed (``request_card``), asked by
its handler (``ctx.ask("confirm")``) once everything else is known."""


_NAMED = r"prio|priority|prioritet|fråga|frågor|question|issue|problem|ärende|thing|matter|grej|sak"
"""What a category or a priority may be said with: "hög prio", "prio: high", "teknisk fråga"."""


_LED = r"(?:(?:prio|priority|prioritet|category|kategori)\s*:?\s+)?(?:(?:an?|the|en|ett)\s+)?"
"""What may lead a category or a priority: "prio: high", "kategori order", "en faktura", "an invoice"."""


_FINE = r"\s+(?:is\s+fine|is\s+ok(?:ay)?|will\s+do|please|pls|thanks|tack|räcker|går\s+bra|funkar|är\s+bra)"
"""What may follow one: "normal priority is fine", "hög prio tack"."""


def _words_pattern(words: dict[str, tuple[str, ...]]) -> str:
    alternatives = "|".join(re.escape(w) for ws in words.values() for w in sorted(ws, key=len, reverse=True))
    return rf"(?i)\s*(?:{_LED})?({alternatives})(\s+(?:{_NAMED}))?(?:{_FINE})?[.!]?\s*"


def _pick(words: dict[str, tuple[str, ...]], value: Any) -> str | None:
    said = str(value).strip().lower().rstrip(".!")
    said = re.sub(rf"(?:{_FINE})$", "", said)
    said = re.sub(rf"^(?:{_LED})|\s+(?:{_NAMED})$", "", said)
    return next((key for key, ws in words.items() if said in ws), None)


def _category(ctx: TurnContext, category: str) -> str:
    return ctx.t(f"request.category.{category}") if category in CATEGORIES else category


def _label(word: str) -> str:
    """A status, category or priority shown as a value of its own (a card's field, a table's cell),
    not inside a sentence: "Open", "Technical", "Low", never what looks like a raw value."""
    return word[:1].upper() + word[1:]


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


_CATEGORY = _word_check(_CATEGORY_WORDS)
_SUBJECT = _text_check(one_line, SUBJECT_LIMIT, "request.subject_too_long")


async def _category_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused | None:
    """A category said, or a fault told ("our printer is broken"): a technical request."""
    if value.type == "fault":
        return SlotValue("request_category", "technical")
    return await _CATEGORY(ctx, value)


async def _subject_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused | None:
    """A subject said; a fault told is the subject as it was told, when it is one short line (a longer
    report is asked to be put in a few words, without saying it was refused)."""
    checked = await _SUBJECT(ctx, value)
    if value.type != "fault":
        return checked
    if not isinstance(checked, SlotValue):
        return None
    told = _told_with_the_ask(str(checked.value)) or str(checked.value)  # (not "open a request: …")
    if len(_WORD.findall(told)) >= _TOLD_IN_FULL:
        told = _headline(told)
    return SlotValue("fault", told[:1].upper() + told[1:])


_CLAUSES = re.compile(r"[.!?;:\n]+\s*|,\s+")
_JOINED = re.compile(r"(?i)\s+(?:and|but|och|men)\s+")
_HEADLINE_WORDS = 15


def _headline(told: str) -> str:
    """A long fault report's subject: its first clause of some words, up to an "and" or "but" after
    four words or more ("Hi team, our storage in Kista has been beeping since this morning and one disk
    shows …" → "our storage in Kista has been beeping since this morning"), at most twelve words. The
    whole report is the description."""
    clauses = [c for c in _CLAUSES.split(told) if len(_WORD.findall(c)) >= 3] or [told]
    head = clauses[0].strip()
    joined = _JOINED.search(head)
    if joined is not None and len(_WORD.findall(head[: joined.start()])) >= 4:
        head = head[: joined.start()]
    words = head.split()
    return " ".join(words[:_HEADLINE_WORDS]) + ("…" if len(words) > _HEADLINE_WORDS else "")


_WORD = re.compile(r"\w+")
_TOLD_IN_FULL = 10
"""Words from which a fault told is its own description ("our storage in Kista has been beeping since
this morning and one disk shows an amber light"): what happened, where, since when. Shorter ("my printer
is broken"), it is the subject, and the description is asked for."""


async def _description_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused | None:
    """A description typed; a fault report is one when it tells more than a headline does."""
    if value.type == "fault" and len(_WORD.findall(str(value.value))) < _TOLD_IN_FULL:
        return None
    if value.type == "fault" and (told := _told_with_the_ask(str(value.value))) is not None:
        value = SlotValue(value.type, told)  # (what was told, not the words asking for the request)
    return await _DESCRIPTION_CHECK(ctx, value)


async def _ask_description(ctx: TurnContext) -> Question:
    """The description asked for; first said sorry for, when the request began as a fault told."""
    subject = ctx.slot("subject")
    fault = subject is not None and subject.type == "fault"
    return Question(ctx.t("request.ask_description_fault" if fault else "request.ask_description"))


async def _ask_priority(ctx: TurnContext) -> Question:
    """How urgent; first said sorry for, when the fault told was the whole description."""
    description = ctx.slot("description")
    fault = description is not None and description.type == "fault"
    return Question(
        ctx.t("request.ask_priority_fault" if fault else "request.ask_priority"), _priority_buttons(ctx)
    )


async def _ask_confirm(ctx: TurnContext) -> Question:
    return Question(ctx.t("request.confirm"), cards=(_form(ctx, _said(ctx)),))


def _said(ctx: TurnContext) -> dict[str, str]:
    """The request's values as answered (and checked) in the chat."""
    return {name: str(value.value) for name in _FIELDS if (value := ctx.slot(name)) is not None}


_FIELDS = ("category", "subject", "description", "priority")


def request_card(ctx: TurnContext, values: dict[str, str]) -> Card:
    """The request as it will be sent, the profile pre-filled: what the user confirms (here, and where
    another family prepares a request, such as a change to installed equipment)."""
    return _form(ctx, values)


def _form(ctx: TurnContext, values: dict[str, str]) -> Card:
    """The request as it will be sent, the profile pre-filled: what the user confirms."""
    p = ctx.principal
    rows = [
        ("request.field.name", p.name or "–"),
        ("request.field.company", p.company_name or "–"),
        ("request.field.customer_number", ", ".join(p.customer_numbers) or "–"),
        ("request.field.email", p.email or "–"),
        ("request.field.phone", p.phone or "–"),
        ("request.field.category", _label(_category(ctx, values["category"]))),
        ("request.field.subject", values["subject"]),
        ("request.field.description", values["description"]),
        ("request.field.priority", _label(ctx.t(f"request.priority.{values['priority']}"))),
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


_CATEGORY_BY_FAMILY = {
    "order": "order",
    "invoice": "invoice",
    "statement": "invoice",
    "contract": "contract",
    "inventory": "inventory",
    "account": "access",
}
"""The request category of what the bot could not help with, by its intent family."""
_SUBJECT_SHOWN = 120


def _unhelped(ctx: TurnContext) -> dict[str, str] | None:
    """The form made of what the bot just could not help with: its category, the customer's last
    message as the subject and their words as the description, to correct before sending."""
    unhelped = ctx.unhelped
    if unhelped is None or not unhelped.words:
        return None
    last = one_line(unhelped.words[-1])
    subject = last if len(last) <= _SUBJECT_SHOWN else last[: _SUBJECT_SHOWN - 1].rstrip() + "…"
    return {
        "category": _CATEGORY_BY_FAMILY.get(unhelped.topic, "") or _category_told(ctx),
        "subject": subject,
        "description": _description("\n\n".join(unhelped.words))[:DESCRIPTION_LIMIT],
    }


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


_DESCRIPTION_CHECK = _text_check(_description, DESCRIPTION_LIMIT, "request.description_too_long")


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
        draft = _draft(ctx)
        started = None if draft is not None else _unhelped(ctx)
        form = request_form(ctx, draft or started or _told(ctx))
        return ctx.reply(ctx.t("request.form.intro.unhelped" if started else "request.form.intro"), form=form)
    return await _create(ctx, _said(ctx))


async def open_request(ctx: TurnContext, values: dict[str, str], *, related: str | None = None) -> Reply:
    """Opens a request another family prepared and the user confirmed (``values`` as ``request_card``
    showed them), with its tracking number and confirmation mail like any request."""
    return await _create(ctx, values, related=related)


async def _create(ctx: TurnContext, values: dict[str, str], *, related: str | None = None) -> Reply:
    """Opens the request and queues its confirmation mail as one action, done once per message: a
    failure anywhere in it (the mail cannot be built, say) leaves nothing behind."""
    intent = "request.open"
    fmt = Formatter(ctx.language, country=ctx.principal.country, tz=ctx.fmt.tz.key)
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
            ctx.principal, NewRequest(**values, related=related), action=ctx.action(confirmation)
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
            Field(label=ctx.t("request.field.status"), value=_label(_status(fmt, request.status))),
            Field(label=ctx.t("request.field.category"), value=_label(_category(ctx, request.category))),
            Field(
                label=ctx.t("request.field.priority"),
                value=_label(ctx.t(f"request.priority.{request.priority}")),
            ),
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
                _label(ctx.t(f"request.event.{e.kind}") if e.kind in _EVENT_KINDS else e.kind),
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
    fmt = Formatter(ctx.language, country=ctx.principal.country, tz=ctx.fmt.tz.key)
    slot = ctx.slot("request")
    change = _STATUS_OF_A_CHANGE.search(ctx.parse.text)
    if slot is None and change is not None:
        slot = ctx.current("request")  # "vad är status på flytten?" right after the move was asked for
    found: SupportRequest | None = None
    if slot is not None:
        one = await _one_request(ctx, intent, _number(slot.value))
        if isinstance(one, Reply):
            return one
        # (the request talked about being of another change, the list, to choose from)
        found = one if change is None or _of_the_change(one, change["change"]) else None
    if found is not None:
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
    ctx.set_shown("request", [r.number for r in found_all], [(r.status.value,) for r in found_all])
    table = Table(
        columns=(
            ctx.t("request.col.number"),
            ctx.t("request.col.opened"),
            ctx.t("request.col.subject"),
            ctx.t("request.col.status"),
            ctx.t("request.col.due"),
        ),
        rows=tuple(
            (
                r.number,
                fmt.date(r.created_at),
                r.subject,
                _label(_status(fmt, r.status)),
                fmt.datetime(r.due_at),
            )
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


_REQUEST_NUMBER = r"(?i)#?rq-?\d{4}-?\d{1,6}"
_TEXT = r"(?s)\s*\S.*"


_ASKS_FOR_A_REQUEST = (
    r"^\W*(?:(?:hi|hello|hey|hej|hallå|ok(?:ay)?|okej|alright|so|well|then|då|sen|in\s+that\s+case"
    r"|i\s+så\s+fall)\W+){0,3}"
    r"(?:(?:just|bara)\s+)?(?:(?:please|can\s+you|could\s+you|(?:i|we)\s+(?:want|need|would\s+like)\s+to|(?:i|we)'d\s+like\s+to"
    r"|snälla|kan\s+(?:du|ni)|(?:jag|vi)\s+(?:vill|behöver|skulle\s+vilja))\s+)?"
    r"(?:open|create|raise|file|log|submit|start|öppna|oppna|skapa|registrera|lägga?\s+upp)\s+(?:a\s+|an\s+|ett\s+)?"
    r"(?:(?:new|nytt)\s+(?:one|ett)\b|(?:new\s+|nytt\s+)?(?:(?:high|low|normal|urgent)[\s-]+(?:priority\s+|prio\s+)?)?"
    r"(?:support\s+|service\s+|technical\s+|tekniskt\s+|order\s+|invoice\s+|contract\s+|access\s+"
    r"|inventory\s+)?(?:request|ticket|case|(?:support|service)?[äa]rende)\b)"
    r"|^\W*(?:(?:i|we)\s+(?:want|need|would\s+like)\s+to\s+|(?:jag|vi)\s+(?:vill|behöver)\s+)?"
    r"(?:report|anmäla|rapportera|felanmäla)\s+(?:a|an|ett|en)\s+(?:fault|problem|issue|error|fel|problem)"
    r"(?=\s*[:–-])"
    r"|^\W*(?:new|nytt|ny)\s+(?:support\s+|service\s+)?(?:request|ticket|case|(?:support|service)?ärende"
    r"|(?:support|service)?förfrågan)(?=\s*[:–-])"
)
_OPENS_A_REQUEST = re.compile("(?i)" + _ASKS_FOR_A_REQUEST)
"""A message that begins by asking for a request to be opened ("open a support request: the fan of
78ABC12 is loud", "skapa ett ärende om…", "new request: wrong items delivered on 4711"): whatever the
rest is about, the request is what is asked."""
_NO_REQUEST = re.compile(
    r"(?i)(?<![\w'])(?:(?:i|we)\s+)?(?:do\s*n[o']?t|don'?t|do\s+not|no\s+need\s+to|never)\s+"
    r"(?:(?:really\s+)?(?:want|need|wanna|wish)\s+(?:to\s+)?)?(?:(?:open|create|raise|file|log|submit|start|make)\s+)?"
    r"(?:a\s+|an\s+|any\s+)?(?:new\s+)?(?:support\s+)?(?:request|ticket|case)s?\b"
    r"|(?<![\w'])(?:without\s+(?:(?:opening|creating|raising|filing)\s+)?(?:a|any)|no)\s+(?:new\s+)?"
    r"(?:support\s+)?(?:request|ticket|case)s?\b"
    r"|(?<![\w'])(?:jag|vi)\s+(?:vill|behöver)\s+inte\s+(?:(?:skapa|öppna|lägga\s+upp|registrera|ha)\s+)?"
    r"(?:något|nåt|ett|några)?\s*(?:nytt\s+)?(?:support)?ärenden?\b"
    r"|(?<![\w'])(?:utan\s+(?:att\s+(?:skapa|öppna|lägga\s+upp)\s+)?(?:något|ett)|inget|inga)\s+(?:nytt\s+)?"
    r"(?:support)?ärenden?\b"
)
"""Words that refuse a request ("I don't want to open a ticket", "no ticket please", "jag vill inte
skapa något ärende", "utan att skapa ett ärende")."""


_TROUBLE_TO_REPORT = re.compile(
    r"(?i)\b(?:issues?|errors?|problems?|trouble)\s+(?:wit?h|in|on|of)\s+(?:the\s+|my\s+|an?\s+|our\s+)?"
    r"(?:online\s+|card\s+)?pay(?:ments?|ing)\b|\bpayments?\s+(?:issues?|errors?|problems?)\b"
    r"|\b(?:customer|consumer)\s+(?:reclamation|complaint)s?\b"
)
"""Trouble of a kind the customer reports for the team to look into, said of no record: a payment
that fails ("issues with payment", "notify of payment issues"), a complaint against the vendor
("make a customer reclamation"). With an invoice named it is that invoice's question."""


_OPENED_ONE = re.compile(
    r"(?i)\b(?:i|we|jag|vi)\s+(?:have\s+|had\s+|har\s+|hade\s+)?(?:already\s+|redan\s+)?"
    r"(?:opened|created|raised|filed|logged|submitted|sent\s+in|öppnade|öppnat|skapade|skapat|registrerade"
    r"|registrerat|skickade\s+in|la(?:de)?\s+(?:in|upp)|lagt\s+(?:in|upp))\s+"
    r"(?:a\s+|an\s+|ett\s+|the\s+|our\s+|vårt\s+)?(?:new\s+|nytt\s+|support\s+)?(?:request|ticket|case|ärende)\b"
)
_HOW_IS_IT_GOING = re.compile(
    r"(?i)\?\s*$|\b(?:any\s+(?:update|news|progress)|status|what'?s\s+happening|how\s+is\s+it\s+going"
    r"|hur\s+går\s+det|något\s+nytt|nåt\s+nytt|vad\s+händer|har\s+ni\s+(?:tittat|kollat|hunnit))\b"
)


_ANSWER_EXPECTED = re.compile(
    r"(?i)^\W*(?:(?:and|ok|okay|so|och|okej|så)\W+)*(?:when|how\s+soon|när|hur\s+snart)\s+(?:can|will|do|shall"
    r"|kan|får|kommer)\s+(?:i|we|jag|vi)\s+(?:(?:expect|get|have|hear|receive|få|vänta\s+mig|räkna\s+med)\s+)?"
    r"(?:an?\s+|ett\s+|some\s+)?(?:answer|reply|response|svar|besked)\b"
)
"""When an answer comes, asked of what was written to the team ("when can I expect an answer?", "när får
jag svar?"): the requests, each with the time it is due."""
_WHAT_NEXT = re.compile(
    r"(?i)^\W*(?:(?:and|ok|okay|so|och|okej|så|thanks|tack)\W+)*(?:what\s+happens\s+(?:now|next)"
    r"|what(?:'s|\s+is)\s+the\s+next\s+step|vad\s+händer\s+(?:nu|sen|sedan|härnäst)|hur\s+går\s+vi\s+vidare)"
    r"(?:\s+(?:with\s+it|with\s+that|med\s+det))?\W*$"
)
"""What happens next, asked alone (after a request was opened): the requests, each with when it is due."""
_ITS_NUMBER = re.compile(
    r"(?i)\b(?:tracking|reference|ref|case|ticket|request)\s+(?:number|no|nr|id)\b[^.?!]{0,30}"
    r"\b(?:request|ticket|case)s?\b|\b(?:request|ticket|case)\s+(?:number|no|nr|id)\b"
    r"|\bärendenumr?\w*|\b(?:spårnings|referens)num\w*\s+(?:för|på|till)\s+(?:\w+\s+)?ärende\w*"
)


_STATUS_OF_A_CHANGE = re.compile(
    r"(?i)\b(?:status|update|news|progress|how\s+is|how'?s|what'?s\s+happening|hur\s+går\s+det|vad\s+händer"
    r"|något\s+nytt|nåt\s+nytt)\b(?:\s+[\w-]+){0,3}?\s+(?:of|on|with|for|about|på|med|om|för|kring)\s+"
    r"(?:the\s+|our\s+|vår\s+|vårt\s+)?(?P<change>move|relocation|upgrade|installation|de-?installation|removal"
    r"|flytten|flytt|uppgraderingen|installationen|avinstallationen)(?![\w-])"
)
_MOVED, _UPGRADED = ("move", "flytt", "relocat"), ("upgrad", "uppgrader")
_REMOVED = ("de-install", "deinstall", "avinstall", "remov")
_CHANGE_WORDS = ("move", "flytt", "relocat", "upgrad", "uppgrad", "install", "remov")
"""A part of every word of a change ``_STATUS_OF_A_CHANGE`` looks for."""


def _of_the_change(request: SupportRequest, said: str) -> bool:
    """Whether ``request``'s subject, in either language, is of the change asked after by the word
    ``said`` ("flytten": a move, "the upgrade", "installationen", "avinstallationen")."""
    word, subject = said.lower(), request.subject.lower()
    if word.startswith(("de", "av", "remov")):
        return any(stem in subject for stem in _REMOVED)
    if word.startswith("install"):
        return "install" in subject and not any(stem in subject for stem in _REMOVED)
    return any(stem in subject for stem in (_UPGRADED if word.startswith(("upgrad", "uppgrad")) else _MOVED))


_HOW_IS_MY_REQUEST = re.compile(
    r"(?i)\bhow(?:\s+is|\s+are|'s|s)\s+(?:my|our|the|that)\s+(?:support\s+)?(?:request|ticket|case)s?"
    r"(?:\s+[\w-]+)?\s+(?:doing|going|coming\s+along|progressing|looking)\b"
)
"""How a request is getting on, asked of one that exists ("how is my support request RQ-… doing?")."""


def _asks_after_one_opened(text: str) -> bool:
    """ "I opened a ticket yesterday about a late delivery, any update?", "jag öppnade ett ärende igår,
    hur går det med det?", "how is my support request doing?": a request opened before, asked after;
    not one to open. Or its number asked
    for ("what's the tracking number of that request?", "vad är ärendenumret?"), or the status of a
    change to the equipment, which is done through a request ("vad är status på flytten?")."""
    if _OPENED_ONE.search(text) is not None and _HOW_IS_IT_GOING.search(text) is not None:
        return True
    if _ANSWER_EXPECTED.search(text) is not None or _WHAT_NEXT.search(text) is not None:
        return True
    low = text.lower()  # (plain substring checks before the pattern, far cheaper)
    if "how" in low and _HOW_IS_MY_REQUEST.search(text) is not None:
        return True
    if any(stem in low for stem in _CHANGE_WORDS) and _STATUS_OF_A_CHANGE.search(text) is not None:
        return True
    return ("number" in text or "nummer" in text or "id" in text) and _ITS_NUMBER.search(text) is not None


_PLEASE_OPEN_ONE = re.compile(
    r"(?i)\b(?:please|pls|plz|snälla|kan\s+(?:du|ni)|can\s+you|could\s+you)\s+(?:open|create|raise|öppna|oppna|skapa)"
    r"\s+(?:a|an|ett)\s+(?:new\s+|nytt\s+)?(?:support\s+)?(?:request|ticket|case|[äa]rende)\b"
)
"""A request asked for in so many words wherever it stands ("I need to change the delivery address for
this order, please open a request")."""


_POINTED_AT = (
    r"(?:\s+(?:for|about|on|regarding|om|för|angående|kring)\s+(?:it|this|that|this\s+one|that\s+one|them"
    r"|den|det|dem|denna|detta|den\s+här|det\s+här))?"
)
_TOLD_BEFORE_THE_ASK = re.compile(
    r"(?is)^(?P<text>.*?\w.*?)[\s,.;:!–-]+(?:(?:so|then|så|då)\s+)?(?:(?:please|pls|plz|kindly|snälla)\s+"
    r"|(?:can|could)\s+you\s+|kan\s+(?:du|ni)\s+|(?:i|we)\s+(?:want|need|would\s+like)\s+(?:you\s+)?to\s+"
    r"|(?:jag|vi)\s+(?:vill|behöver)\s+)?(?:open|create|raise|file|log|öppna|oppna|skapa|registrera)\s+"
    r"(?:a|an|ett)\s+(?:new\s+|nytt\s+)?(?:support\s+|service\s+)?(?:request|ticket|case|[äa]rende)"
    + _POINTED_AT
    + r"(?:\s+(?:please|pls|tack))?[\s.!?]*$"
)
"""What is told before the request is asked for, at the end of the message ("the FlashSystem reports a
failed disk, open a request", "vi behöver den två veckor tidigare, kan du öppna ett ärende om det?")."""
_TOLD_AFTER_THE_ASK = re.compile(
    r"(?is)(?:" + _POINTED_AT + r"|\s+(?:for|about|on|regarding|om|för|angående|kring)\s+[^,.;:–-]{1,40}?)"
    r"\s*(?:[,.;:–-]|\s(?:because|since|as|eftersom|för\s+att))\s*(?P<text>\S.*)"
)
"""What is told after the words asking for the request ("open a request about it, we need it two weeks
earlier")."""
_TOLD_WORDS = 3
"""Words a request must be told in, beside the words asking for it, to be its subject."""
_TOLD_DESCRIBES = _TOLD_IN_FULL
"""Words from which what is told beside the asking is the description too, as for a fault told: said
in fewer, it is the subject, and what happened is asked for."""


def _told_with_the_ask(text: str) -> str | None:
    """What a message asking for a request tells beside the asking (three words or more), or None."""
    told: str | None = None
    opened = _OPENS_A_REQUEST.match(text)
    if opened is not None:
        after = _TOLD_AFTER_THE_ASK.match(text, opened.end())
        told = after["text"] if after is not None else None
    else:
        before = _TOLD_BEFORE_THE_ASK.match(text)
        told = before["text"] if before is not None else None
    if told is None:
        return None
    told = _SAID_BESIDE.sub(" ", told).strip(" \t\n,.;:–-")
    if "," in told:  # (a category or a priority said as a part of its own is no part of what is told)
        parts = [
            p for p in told.split(",") if not (_CATEGORY_PART.fullmatch(p) or _PRIORITY_PART.fullmatch(p))
        ]
        told = ",".join(parts).strip(" ,")
    return told if len(_WORD.findall(told)) >= _TOLD_WORDS else None


_SAID_BESIDE = re.compile(
    r"(?i)(?:^|(?<=[\s,.;:–-]))(?:(?:high|low|normal|urgent|hög|hog|låg|brådskande|akut)[\s-]+"
    r"(?:priority|prio|prioritet)|(?:category|kategori)\s*:?\s*\w+)[\s,.;:–-]*"
)
"""A priority or a category said among what is told ("…, normal priority: we need …"): no part of it."""


def _told_subject(parse: Parse, state: DialogState) -> SlotValue | None:
    """The subject of a request asked for with what it is about ("open a request about it, we need it
    two weeks earlier"): what was told, put in a few words when it is long."""
    told = _told_with_the_ask(parse.text)
    if told is None:
        return None
    if len(_WORD.findall(told)) >= _TOLD_IN_FULL:
        told = _headline(told)
    pointed = _pointed_at(parse, state)
    if pointed is not None and pointed not in told:
        told = f"{told} ({pointed})"  # ("vi vill förlänga det tre år till" after C-1001: which "det" is)
    return SlotValue("request_text", told[:1].upper() + told[1:])


_PRONOUN = re.compile(r"(?i)(?<![\w-])(?:it|its|this|that|them|den|det|dem|denna|detta)(?![\w-])")
_RECORD_SLOTS = {"order": "order", "invoice": "invoice", "contract": "contract", "inventory": "item"}
"""Where the conversation keeps the record of each kind talked about (``Topic.current``)."""


def _pointed_at(parse: Parse, state: DialogState) -> str | None:
    """The record "it"/"det" points at in a request asked for right after one was answered about: the
    one of the last answer's family the conversation is about now."""
    if not state.last_intent or (parse.first("reference") is None and _PRONOUN.search(parse.text) is None):
        return None
    slot = _RECORD_SLOTS.get(state.last_intent.split(".", 1)[0])
    current = state.topic.current.get(slot) if slot is not None else None
    return str(current.value) if current is not None else None


def _told_description(parse: Parse, state: DialogState) -> SlotValue | None:
    """The description of a request asked for with what it is about, told in a sentence
    (``_TOLD_DESCRIBES`` words or more): the customer said what they need when they asked, and is not
    asked to say it again (what they add before confirming is added to it)."""
    told = _told_with_the_ask(parse.text)
    if told is None or len(_WORD.findall(told)) < _TOLD_DESCRIBES:
        return None
    return SlotValue("request_text", told[:1].upper() + told[1:])


# fmt: off
_CATEGORY_OF_RECORD: dict[str, str] = {
    "order_number": "order", "po_number": "order", "invoice_number": "invoice", "credit_number": "invoice",
    "contract_number": "contract", "serial_number": "inventory", "tool": "access",
    "access_request_number": "access",
}
_CATEGORY_OF_KIND: dict[str, str] = {
    "order": "order", "invoice": "invoice", "contract": "contract", "item": "inventory",
}
_CATEGORY_OF_WORD: dict[str, str] = {
    **dict.fromkeys(wordset("""
        order orders ordern ordrar beställning beställningen delivery deliveries delivered deliver shipment
        shipped tracking leverans leveransen leveranser levererad levererades levererat leverera frakt
        """), "order"),
    **dict.fromkeys(wordset("""
        invoice invoices invoiced billing billed bill fakturan faktura fakturor fakturerat fakturerade credit
        kreditnota kreditfaktura payment payments betalning betalningen vat moms
        """), "invoice"),
    **dict.fromkeys(wordset("""
        contract contracts agreement renew renewal extend extension prolong avtal avtalet avtalen kontrakt
        kontraktet förnya förnyelse förlänga förlängning
        """), "contract"),
    **dict.fromkeys(wordset("""
        move relocate upgrade uninstall deinstall de-install flytta flytt uppgradera uppgradering avinstallera
        avveckla machine machines maskin maskinen installed installerad installerade
        """), "inventory"),
    **dict.fromkeys(wordset("""
        error errors failed failing failure broken fault faulty crash crashed crashes down dead alarm beeping
        noise noisy loud disk disks fan fel felet trasig trasigt trasiga kraschar kraschade larm larmar
        låter fläkten disken
        """), "technical"),
    **dict.fromkeys(wordset("""
        access permission permissions password login behörighet behörigheten åtkomst lösenord lösenordet
        inloggning
        """), "access"),
}
# fmt: on
_SIGN = re.compile(r"[\w-]+")


def _category_told(ctx: TurnContext) -> str:
    told = _told_category(ctx.parse, ctx.state)
    return str(told.value) if told is not None else ""


def _told(ctx: TurnContext) -> dict[str, str]:
    """The form's values from the words that asked for it: its category, subject and description where
    they were told ("the FlashSystem reports a failed disk, open a request")."""
    values = {"category": _category_told(ctx)}
    said = (("subject", _told_subject), ("description", _told_description))
    for name, told_by in said:
        told = told_by(ctx.parse, ctx.state)
        if told is not None:
            values[name] = str(told.value)
    return values


_PART = re.compile(r"\s*[,;:]\s*")
_CATEGORY_PART = re.compile(_words_pattern(_CATEGORY_WORDS))
_PRIORITY_PART = re.compile(_words_pattern(_PRIORITY_WORDS))


def _part_said(text: str, pattern: re.Pattern[str], words: dict[str, tuple[str, ...]]) -> str | None:
    """One of ``words``' keys said as a part of its own between commas ("open a request: technical,
    high, the FlashSystem reports a failed drive")."""
    if ("," not in text and ":" not in text) or _told_with_the_ask(text) is None:
        return (
            None  # (only beside the words asking for a request: "technical, and quickly please" is no answer)
        )
    for part in _PART.split(text):
        if pattern.fullmatch(part):
            return _pick(words, part)
    return None


def _told_priority(parse: Parse, state: DialogState) -> SlotValue | None:
    said = _part_said(parse.text, _PRIORITY_PART, _PRIORITY_WORDS)
    return SlotValue("request_priority", said) if said is not None else None


def _told_category(parse: Parse, state: DialogState) -> SlotValue | None:
    """The category of a request asked for with what it is about, when that is clear: said as a part of
    its own ("…: technical, high, …"), technical for a fault told; else what is named first, a record
    ("order 4711 came without cables"), a record pointed at ("that machine") or a word of a kind ("the
    delivery was missing a cable", "renew it"); else, for "open a request about it", the kind of record
    the conversation was about."""
    said = _part_said(parse.text, _CATEGORY_PART, _CATEGORY_WORDS)
    if said is not None:
        return SlotValue("request_category", said)
    if parse.first("fault") is not None:
        return SlotValue("request_category", "technical")
    first: tuple[int, str] | None = None
    for entity in parse.entities:
        kind = _CATEGORY_OF_RECORD.get(entity.type)
        if kind is None and entity.type == "about":
            kind = _CATEGORY_OF_KIND.get(str(entity.value))
        if kind is not None and (first is None or entity.start < first[0]):
            first = (entity.start, kind)
    told = [
        (w.start(), kind)
        for w in _SIGN.finditer(parse.text)
        if (kind := _CATEGORY_OF_WORD.get(w.group().lower()))
    ]
    if told and (first is None or told[0][0] < first[0]):
        first = told[0]
    if first is not None and first[1] == "inventory" and any(kind == "technical" for _, kind in told):
        return SlotValue("request_category", "technical")  # (a machine that is in trouble: "78ABC12 låter")
    if first is not None:
        return SlotValue("request_category", first[1])
    pointed = parse.first("reference")
    if pointed is not None and state.last_intent and _ABOUT_IT.search(parse.text, 0, pointed.start):
        kind = _CATEGORY_BY_FAMILY.get(state.last_intent.split(".", 1)[0])
        if kind is not None:
            return SlotValue("request_category", kind)
    return None


_ABOUT_IT = re.compile(
    r"(?i)(?<![\w-])(?:about|regarding|concerning|for|on|with|om|angående|gällande|för|kring|på|med)\s+$"
)
"""What a request is about, said just before "it" ("open a request about it", "ett ärende om det"):
only then is "it" the record talked about, not "it started this morning" told to "What is it about?"."""
_ASKED_LAST = re.compile(r"(?:request|ticket|case|[äa]rende)\W*(?:\w+\W*){0,3}$")
"""A request's word among the last few of a message: where a request asked for last is looked for."""


def _opens_a_request(text: str) -> bool:
    if _OPENS_A_REQUEST.match(text) is not None or _PLEASE_OPEN_ONE.search(text) is not None:
        return True
    low = text.lower()  # (plain substring checks first: far cheaper than the pattern)
    if (
        ("request" in low or "ticket" in low or "case" in low or "rende" in low)
        and _ASKED_LAST.search(low) is not None
        and _TOLD_BEFORE_THE_ASK.match(text) is not None
    ):
        return True  # ("the fan on that server is making a lot of noise, open a request for it")
    if not ("pay" in low or "reclamation" in low or "complaint" in low) or "inv" in low:
        return False
    return _TROUBLE_TO_REPORT.search(text) is not None


INTENTS = [
    IntentSpec(
        name="request.open",
        examples=OPEN_EXAMPLES,
        asked_by=_opens_a_request,
        refused_by=_NO_REQUEST,
        handler=request_open,
        tool=Tool.REQUESTS,
        form=True,
        context=RequestContext,
        takes_faults=True,
        slots=(
            Slot(
                "category",
                ("request_category", "fault"),
                "request.ask_category",
                carry=False,
                pattern=_words_pattern(_CATEGORY_WORDS),
                inline=_CATEGORY_SAID,
                infer=_told_category,
                check=_category_check,
                choices=_category_buttons,
            ),
            Slot(
                "subject",
                ("request_text", "fault"),
                "request.ask_subject",
                carry=False,
                free_text=True,
                infer=_told_subject,
                check=_subject_check,
            ),
            Slot(
                "description",
                ("request_text", "fault"),
                "request.ask_description",
                carry=False,
                free_text=True,
                ask=_ask_description,
                infer=_told_description,
                check=_description_check,
            ),
            Slot(
                "priority",
                ("request_priority",),
                "request.ask_priority",
                carry=False,
                pattern=_words_pattern(_PRIORITY_WORDS),
                inline=_PRIORITY_SAID,
                infer=_told_priority,
                default="normal",
                check=_word_check(_PRIORITY_WORDS),
                choices=_priority_buttons,
                ask=_ask_priority,
            ),
            Slot(
                "confirm",
                ("request_confirm",),
                "request.confirm",
                carry=False,
                pattern=CONFIRM_ANSWER,
                ask=_ask_confirm,
            ),
        ),
    ),
    IntentSpec(
        name="request.status",
        called={"en": "request", "sv": "ärendet"},
        asked_by=_asks_after_one_opened,
        hears_faults=True,
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
        hears_faults=True,
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
