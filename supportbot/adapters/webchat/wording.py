"""What the web chat's server side says to a customer, in English and Swedish, in one place."""

from __future__ import annotations

from supportbot.bot.i18n import DEFAULT_LANGUAGE, LANGUAGES

WORDING: dict[str, dict[str, str]] = {
    "error.bad_json": {
        "en": "Sorry, I couldn't read that message. Please try sending it again.",
        "sv": "Förlåt, jag kunde inte läsa meddelandet. Försök gärna skicka det igen.",
    },
    "error.bad_frame": {
        "en": "Sorry, that message wasn't in a form I understand. Please try sending it again.",
        "sv": "Förlåt, meddelandet hade en form som jag inte förstår. Försök gärna skicka det igen.",
    },
    "error.too_large": {
        "en": "That message is too large to send. Could you shorten it to a few sentences?",
        "sv": "Meddelandet är för stort för att skickas. Kan du korta ner det till några meningar?",
    },
    "error.rate_limited": {
        "en": "You're sending messages faster than I can keep up with. Please wait a few seconds and try again.",
        "sv": "Du skickar meddelanden snabbare än jag hinner med. Vänta några sekunder och försök igen.",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
    },
    "login.failed": {
        "en": "That user ID and password don't match. Please check them and try again.",
        "sv": "Användar-id och lösenord stämmer inte. Kontrollera dem och försök igen.",
    },
    "login.bad_request": {
        "en": "Please enter your user ID (your e-mail address) and your password.",
        "sv": "Ange ditt användar-id (din e-postadress) och ditt lösenord.",
    },
    "login.rate_limited": {
        "en": "Too many sign-in attempts. Please wait a few minutes and try again.",
        "sv": "För många inloggningsförsök. Vänta några minuter och försök igen.",
    },
    "request.forbidden": {
        "en": "This request isn't allowed from another site.",
        "sv": "Den här begäran är inte tillåten från en annan webbplats.",
    },
}


def say(key: str, language: str | None) -> str:
    entry = WORDING[key]
    return entry.get(language or DEFAULT_LANGUAGE) or entry[DEFAULT_LANGUAGE]


def pick_language(*candidates: str | None) -> str:
    """The first candidate we speak (``sv-SE`` counts as ``sv``), else the default."""
    for candidate in candidates:
        if candidate:
            short = candidate.strip().lower()[:2]
            if short in LANGUAGES:
                return short
    return DEFAULT_LANGUAGE


def accept_language(header: str | None) -> str | None:
    """The client's most preferred language we speak, from an ``Accept-Language`` header."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        short = tag.strip().lower()[:2]
        if short in LANGUAGES and quality > 0:
            ranked.append((-quality, index, short))
    return min(ranked)[2] if ranked else None
