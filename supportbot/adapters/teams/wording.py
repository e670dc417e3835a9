"""What the Teams channel itself says (a sent form, a file it could not fetch), in English and Swedish."""

from __future__ import annotations

from supportbot.bot.i18n import DEFAULT_LANGUAGE, Entry, words

WORDS: dict[str, Entry] = {
    "form.required": {
        "en": "Please fill this in.",
        "sv": "Fyll i det här.",
    },
    "form.choose": {
        "en": "Please choose one.",
        "sv": "Välj ett alternativ.",
    },
    "form.sent": {
        "en": "Sent. My answer follows below.",
        "sv": "Skickat. Mitt svar kommer nedan.",
    },
    "files.failed": {
        "plural": "count",
        "en": {
            "one": "I couldn't fetch {names} from Teams, so I haven't received it. Please send it again in a "
            "moment.",
            "other": "I couldn't fetch {names} from Teams, so I haven't received them. Please send them "
            "again in a moment.",
        },
        "sv": {
            "one": "Jag kunde inte hämta {names} från Teams, så jag har inte fått den. Skicka den gärna igen "
            "om en stund.",
            "other": "Jag kunde inte hämta {names} från Teams, så jag har inte fått dem. Skicka dem gärna "
            "igen om en stund.",
        },
    },
    "error.unavailable": {
        "en": "Sorry, I can't reach our systems right now, so I couldn't answer that. "
        "Please send it again in a minute.",
        "sv": "Förlåt, jag når inte våra system just nu och kunde därför inte svara på det. "
        "Skicka det gärna igen om en minut.",
    },
}
words(WORDS, prefix="teams.")


def language_of(locale: str | None) -> str:
    """``sv-SE`` → ``sv``; anything we do not speak → English."""
    language = (locale or "").split("-")[0].lower()
    return language if language in ("en", "sv") else DEFAULT_LANGUAGE
