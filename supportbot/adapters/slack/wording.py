"""What the Slack channel itself says to a customer (the Home tab, the modals, a file it could not fetch,
a failure), in English and Swedish."""

from __future__ import annotations

from supportbot.bot.i18n import Entry, translate, words

WORDS: dict[str, Entry] = {
    "home.title": {
        "en": "Customer support",
        "sv": "Kundsupport",
    },
    "home.intro": {
        "en": "Hi{name}! I answer questions about your orders, invoices, account statements, contracts, "
        "installed equipment and support requests, and I bring in a person whenever you want one.",
        "sv": "Hej{name}! Jag svarar på frågor om era order, fakturor, kontoutdrag, avtal, installerad "
        "utrustning och supportärenden, och tar in en person när du vill.",
    },
    "home.how": {
        "en": "Send me a direct message in the Messages tab, mention me in a channel, or type `/support` "
        "followed by your question (`/support` alone, or the button below, opens a form). "
        "Try: _where is my order 4711?_",
        "sv": "Skicka ett direktmeddelande under fliken Meddelanden, nämn mig i en kanal eller skriv "
        "`/support` följt av din fråga (bara `/support`, eller knappen nedan, öppnar ett formulär). "
        "Prova: _var är min order 4711?_",
    },
    "home.guest": {
        "en": "Your Slack e-mail address isn't linked to a customer account, so I can only give the general "
        "status of an order (with your order and customer numbers).",
        "sv": "Din e-postadress i Slack är inte kopplad till ett kundkonto, så jag kan bara ge allmän status "
        "för en order (med order- och kundnummer).",
    },
    "home.ask": {
        "en": "Ask a question",
        "sv": "Ställ en fråga",
    },
    "modal.title": {
        "en": "Ask support",
        "sv": "Fråga supporten",
    },
    "modal.label": {
        "en": "Your question",
        "sv": "Din fråga",
    },
    "modal.placeholder": {
        "en": "For example: where is my order 4711?",
        "sv": "Till exempel: var är min order 4711?",
    },
    "modal.hint": {
        "en": "I'll answer in our direct messages.",
        "sv": "Jag svarar i våra direktmeddelanden.",
    },
    "modal.submit": {
        "en": "Send",
        "sv": "Skicka",
    },
    "modal.cancel": {
        "en": "Cancel",
        "sv": "Avbryt",
    },
    "modal.empty": {
        "en": "Please write your question first, then press Send.",
        "sv": "Skriv gärna din fråga först och tryck sedan på Skicka.",
    },
    "form.choose": {
        "en": "Choose one",
        "sv": "Välj ett alternativ",
    },
    "form.none": {
        "en": "(not given)",
        "sv": "(saknas)",
    },
    "files.unavailable": {
        "plural": "count",
        "en": {
            "one": "I couldn't fetch {names} from Slack, so I haven't done anything with it. Please send it "
            "again in a moment.",
            "other": "I couldn't fetch {names} from Slack, so I haven't done anything with them. Please send "
            "them again in a moment.",
        },
        "sv": {
            "one": "Jag kunde inte hämta {names} från Slack, så jag har inte gjort något med den. Skicka den "
            "gärna igen om en stund.",
            "other": "Jag kunde inte hämta {names} från Slack, så jag har inte gjort något med dem. Skicka "
            "dem gärna igen om en stund.",
        },
    },
    "files.and": {
        "en": "and",
        "sv": "och",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
    },
    "error.unavailable": {
        "en": "Sorry, I can't reach our systems right now, so I couldn't answer that. "
        "Please send it again in a minute.",
        "sv": "Förlåt, jag når inte våra system just nu och kunde därför inte svara på det. "
        "Skicka det gärna igen om en minut.",
    },
}
words(WORDS, prefix="slack.")


def files_unavailable(names: list[str], language: str) -> str:
    """Which files could not be fetched from Slack: "a.log", "a.log and b.png", "a, b and c"."""
    listed = (
        names[0]
        if len(names) == 1
        else ", ".join(names[:-1]) + f" {translate('slack.files.and', language)} {names[-1]}"
    )
    return translate("slack.files.unavailable", language, names=listed, count=len(names))
