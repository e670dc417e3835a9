"""The core's own words: what the pipeline and the dialog say whatever the intent (empty or unreadable
input, failures, cancelling, signing in, handing over to a person), in English and Swedish.

An intent family's sentences live in its own module and a channel's in its adapter (see
``supportbot.bot.i18n``); only sentences the core itself says belong here. ``i18n`` registers these
itself, so whatever renders a sentence has them. Placeholders are ``str.format`` fields; amounts and
dates arrive already formatted for the user's locale. A sentence with a count has a form per plural
category of each language and names the count that picks it (``"plural": "count"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supportbot.bot.i18n import Entry

WORDS: dict[str, Entry] = {
    "input.empty": {
        "en": "I didn't get any text. What can I help you with?",
        "sv": "Jag fick ingen text. Vad kan jag hjälpa dig med?",
    },
    "input.too_long": {
        "plural": "length",
        "en": {
            "one": "That message is too long for me ({length} character; at most {limit}). "
            "Could you say it in a few sentences?",
            "other": "That message is too long for me ({length} characters; at most {limit}). "
            "Could you say it in a few sentences?",
        },
        "sv": {
            "one": "Meddelandet är för långt för mig ({length} tecken; högst {limit}). "
            "Kan du säga det med några meningar?",
            "other": "Meddelandet är för långt för mig ({length} tecken; högst {limit}). "
            "Kan du säga det med några meningar?",
        },
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
    "dialog.not_a_choice": {
        "en": '"{said}" isn\'t one of the choices. {question}',
        "sv": '"{said}" är inte ett av alternativen. {question}',
    },
    "dialog.not_an_answer": {
        "en": 'I couldn\'t take "{said}" as the answer. {question}',
        "sv": 'Jag kunde inte ta "{said}" som svar. {question}',
    },
    "dialog.added": {
        "en": "Thanks, I've added that. {question}",
        "sv": "Tack, jag har lagt till det. {question}",
    },
    "dialog.noted": {
        "en": "Noted. {question}",
        "sv": "Noterat. {question}",
    },
    "dialog.kept": {
        "en": "Thanks, I've kept what you wrote. {question}",
        "sv": "Tack, jag har sparat det du skrev. {question}",
    },
    "dialog.resume": {
        "en": "Shall we finish your request?",
        "sv": "Ska vi göra klart det du bad om?",
    },
    "dialog.resume.dropped": {
        "en": "OK, I've dropped it. What else can I do for you?",
        "sv": "Okej, då släpper jag det. Vad mer kan jag hjälpa dig med?",
    },
    "dialog.pick": {
        "en": "Which of these do you mean?",
        "sv": "Vilken av dessa menar du?",
    },
    "dialog.acknowledged": {
        "en": "OK. Is there anything else I can help you with?",
        "sv": "Okej. Är det något mer jag kan hjälpa till med?",
    },
    "dialog.which": {
        "en": "I'm not sure which one you mean. {question}",
        "sv": "Jag är inte säker på vilken du menar. {question}",
    },
    "button.yes": {"en": "Yes", "sv": "Ja"},
    "button.yes.value": {"en": "yes", "sv": "ja"},
    "button.no": {"en": "No", "sv": "Nej"},
    "button.no.value": {"en": "no", "sv": "nej"},
    "dialog.form_unknown": {
        "en": "Sorry, that form is no longer in use, so nothing was sent. What can I help you with?",
        "sv": "Tyvärr används inte det formuläret längre, så inget skickades. Vad kan jag hjälpa dig med?",
    },
    "dialog.files_not_taken": {
        "plural": "count",
        "en": {
            "one": "I can't take files here, so I haven't kept it. Ask to talk to a person and they can "
            "help.",
            "other": "I can't take files here, so I haven't kept them. Ask to talk to a person and they can "
            "help.",
        },
        "sv": {
            "one": "Jag kan inte ta emot filer här, så jag har inte sparat den. Be att få prata med en "
            "person så hjälper de dig.",
            "other": "Jag kan inte ta emot filer här, så jag har inte sparat dem. Be att få prata med en "
            "person så hjälper de dig.",
        },
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
    "button.talk_to_person": {"en": "Talk to a person", "sv": "Prata med en person"},
    "button.open_request": {"en": "Open a request", "sv": "Öppna ett ärende"},
    "button.open_request.value": {"en": "open a request", "sv": "öppna ett ärende"},
    "button.talk_to_person.value": {"en": "talk to a person", "sv": "prata med en person"},
    "access.button.request": {"en": "Request access to {tool}", "sv": "Begär behörighet till {tool}"},
    "access.button.request.value": {"en": "request access to {tool}", "sv": "begär behörighet till {tool}"},
    "handoff.cancelled": {
        "en": "OK, I've withdrawn your request to talk to a person. What else can I do for you?",
        "sv": "Okej, jag har tagit tillbaka din begäran om att prata med en person. Vad mer kan jag hjälpa "
        "dig med?",
    },
    "handoff.taken": {
        "en": "Hi, I'm from the support team and I've taken over your conversation. I can see everything "
        "you've written so far.",
        "sv": "Hej, jag är från supportavdelningen och har tagit över din konversation. Jag ser allt du har "
        "skrivit hittills.",
    },
    "handoff.joined": {
        "en": "{name} from support has joined the chat.",
        "sv": "{name} från supporten har anslutit till chatten.",
    },
    "handoff.joined.unnamed": {
        "en": "A person from support has joined the chat.",
        "sv": "En person från supporten har anslutit till chatten.",
    },
    "handoff.took_over": {
        "en": "{name} from support has taken over the chat.",
        "sv": "{name} från supporten har tagit över chatten.",
    },
    "handoff.took_over.unnamed": {
        "en": "Another person from support has taken over the chat.",
        "sv": "En annan person från supporten har tagit över chatten.",
    },
    "handoff.someone": {"en": "Our support agent", "sv": "Vår supporthandläggare"},
    "handoff.back": {
        "en": "{name} has left the chat, and I'm back. What else can I help you with?",
        "sv": "{name} har lämnat chatten, och jag är tillbaka. Vad mer kan jag hjälpa dig med?",
    },
    "handoff.closed": {
        "en": "{name} has closed this conversation, and I'm back. What else can I help you with?",
        "sv": "{name} har avslutat konversationen, och jag är tillbaka. Vad mer kan jag hjälpa dig med?",
    },
    "handoff.pending": {
        "en": "You asked earlier: “{question}” Shall I answer that now?",
        "sv": "Du frågade tidigare: ”{question}” Ska jag svara på det nu?",
    },
    "handoff.pending.button": {"en": "Yes, answer it", "sv": "Ja, svara på det"},
    "handoff.file_refused": {
        "en": "I couldn't pass {name} on to our team: that kind of file isn't accepted, or what it contains "
        "doesn't match its name.",
        "sv": "Jag kunde inte skicka {name} vidare till vårt team: den sortens fil tas inte emot, eller så "
        "stämmer innehållet inte med filnamnet.",
    },
    "handoff.offer.request": {
        "en": "Sorry, I still don't understand, and I'd rather not guess. Shall I put you in touch with "
        "a person (they'll see this conversation), or open a support request with what you asked?",
        "sv": "Förlåt, jag förstår fortfarande inte, och jag vill inte gissa. Ska jag koppla dig till en "
        "person (hen ser den här konversationen), eller öppna ett ärende med det du frågade?",
    },
    "none.complaint": {
        "en": "I'm sorry about this. Shall I put you in touch with a person from our support team? They'll "
        "see this conversation.",
        "sv": "Det beklagar jag. Ska jag koppla dig till en person i vårt supportteam? Hen ser den här "
        "konversationen.",
    },
    "none.complaint.request": {
        "en": "I'm sorry about this. Shall I put you in touch with a person from our support team (they'll "
        "see this conversation), or open a support request about it so the team looks into it?",
        "sv": "Det beklagar jag. Ska jag koppla dig till en person i vårt supportteam (hen ser den här "
        "konversationen), eller öppna ett ärende om det så att teamet tittar på det?",
    },
    "handoff.offer": {
        "en": "Sorry, I still don't understand, and I'd rather not guess. Shall I put you in touch with "
        "a person? They'll see this conversation.",
        "sv": "Förlåt, jag förstår fortfarande inte, och jag vill inte gissa. Ska jag koppla dig till en "
        "person? Hen ser den här konversationen.",
    },
    "handoff.offer.declined": {
        "en": "All right. Could you put your question another way? I can help with orders, invoices, "
        "account statements, contracts, installed equipment and support requests.",
        "sv": "Okej. Kan du formulera frågan på ett annat sätt? Jag kan hjälpa till med ordrar, fakturor, "
        "kontoutdrag, avtal, installerad utrustning och ärenden.",
    },
    "request.file.accepted_types": {
        "en": "You can send PDFs, pictures (PNG, JPEG, GIF, WebP), text and CSV files, Word and Excel "
        "documents and ZIP archives.",
        "sv": "Du kan skicka PDF:er, bilder (PNG, JPEG, GIF, WebP), text- och CSV-filer, Word- och "
        "Excel-dokument och ZIP-arkiv.",
    },
}
