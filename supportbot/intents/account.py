"""The account family: declared with its examples; its tool is connected in a later release."""

from __future__ import annotations

import re

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import IntentSpec, TurnContext
from supportbot.integrations.models import Tool
from supportbot.intents.access import ACCESS_SLOTS, handle_access
from supportbot.intents.common import offer_help_buttons

ACCESS_EXAMPLES = {
    "en": [
        "I need access to invoices",
        "request access to the contracts tool",
        "why can't I see our invoices",
        "I'm not authorised to see orders",
        "give me access to statements",
        "how do I get permission to view contracts",
        "my admin needs to grant me access",
        "I'm a new user, how do I get access",
        "create an account for me",
        "register a new user",
        "sign up",
        "add my colleague as a user",
        "I don't have permission to view the inventory",
        "grant erik.lund@nordisk.example access to invoices",
        "request permission for the inventory tool",
        "how do I get an account",
        "set up a user for our new employee",
        "what am I allowed to see",
        "access denied when I open statements",
        "register for the portal",
        "it says I'm not authorised",
        "I need rights to approve invoices",
        "can I get access to all tools",
        "how do I become an administrator for our company",
        "open an account for our company",
        "new account",
        "I want to create a user account",
        "acess to contracts please",
        "Who in our company can give me access to the invoice tool?",
        "I just joined the company and can't see anything",
        "add permissions for my user",
        "registration for a new customer user",
        "create a login for my colleague",
        "open a new account",
        "create a new user account",
        "set up an account for me",
        "sign up for an account",
        "I want to register",
        "how do I sign up",
        "signup",
        "account registration",
        "can my colleague get an account",
        "create another account for our team",
        "open an account for our business",
        "I'd like to become a registered user",
        "I'd like to open an account",
        "make a new account",
        "set up a new user profile",
        "create an account for me please",
        "how do I get a user account created",
        # sub-actions: asking for a tool, the administrator's decision, grants and revoking them
        "request access to invoices",
        "request access to installed equipment",
        "request access to account statements and contracts",
        "request access to support requests",
        "I need access to invoices and contracts",
        "approve access request AR-000012",
        "deny access request AR-000012",
        "approve AR-000012",
        "reject access request AR-000012",
        "what's the status of access request AR-000012",
        "AR-000012",
        "who has access?",
        "who has access to what",
        "list grants",
        "list our users and their access",
        "show our users' permissions",
        "show pending access requests",
        "which access requests are waiting for me",
        "revoke erik's access to invoices",
        "revoke erik.lund@nordisk.example's access to contracts",
        "remove Erik's access to statements",
        "take away the inventory access from erik",
        "revoke access to invoices for erik.lund@nordisk.example",
        "confirm: revoke access to invoices for erik.lund@nordisk.example",
        "I'd like to open a business account with you",
        "how do I create a customer account",
        "information about opening an account",
        "what kinds of accounts can I open",
        "I haven't registered yet, can I get an account",
        "I need a new user account for a colleague",
        "open an account for my team member",
        "can you create an account for me",
        "I want to open another account",
        "help me open a new user account",
        "what do I need to open an account",
    ],
    "sv": [
        "jag behöver tillgång till fakturor",
        "begär behörighet till avtalsverktyget",
        "varför kan jag inte se våra fakturor",
        "jag har inte behörighet att se ordrar",
        "ge mig tillgång till kontoutdrag",
        "hur får jag behörighet att se avtal",
        "min administratör behöver ge mig behörighet",
        "jag är ny användare, hur får jag tillgång",
        "skapa ett konto åt mig",
        "registrera en ny användare",
        "registrera mig",
        "lägg till min kollega som användare",
        "jag har inte behörighet till inventariet",
        "ge erik.lund@nordisk.example tillgång till fakturor",
        "begär behörighet för inventarieverktyget",
        "hur skaffar jag ett konto",
        "lägg upp en användare för vår nyanställda",
        "vad har jag behörighet att se",
        "åtkomst nekad när jag öppnar kontoutdrag",
        "registrera mig på portalen",
        "det står att jag inte har behörighet",
        "jag behöver rättigheter att attestera fakturor",
        "kan jag få tillgång till alla verktyg",
        "hur blir jag administratör för vårt företag",
        "öppna ett konto för vårt företag",
        "nytt konto",
        "jag vill skapa ett användarkonto",
        "behörihet till avtal tack",
        "Vem på vårt företag kan ge mig tillgång till fakturaverktyget?",
        "jag har precis börjat på företaget och kan inte se något",
        "lägg till behörigheter för min användare",
        "registrering för en ny kundanvändare",
        "skapa en inloggning åt min kollega",
        "öppna ett nytt konto",
        "skapa ett nytt användarkonto",
        "sätt upp ett konto åt mig",
        "registrera ett konto",
        "jag vill registrera mig",
        "hur registrerar jag mig",
        "kontoregistrering",
        "kan min kollega få ett konto",
        "skapa ett till konto för vårt team",
        "öppna ett konto för vår verksamhet",
        "jag vill bli registrerad användare",
        "jag vill öppna ett konto",
        "gör ett nytt konto",
        "skapa en ny användarprofil",
        "skapa ett konto",
        "hur skapar jag ett konto",
        # underåtgärder: begära ett verktyg, administratörens beslut, behörigheter och återkallelse
        "begär behörighet till fakturor",
        "begär behörighet till installerad utrustning",
        "begär behörighet till kontoutdrag och avtal",
        "begär behörighet till ärenden",
        "jag behöver behörighet till fakturor och avtal",
        "godkänn behörighetsbegäran AR-000012",
        "avslå behörighetsbegäran AR-000012",
        "godkänn AR-000012",
        "neka behörighetsbegäran AR-000012",
        "vad är status för behörighetsbegäran AR-000012",
        "vem har behörighet?",
        "vem har tillgång till vad",
        "lista behörigheter",
        "visa våra användares behörigheter",
        "visa väntande behörighetsbegäranden",
        "vilka behörighetsbegäranden väntar på mig",
        "återkalla eriks behörighet till fakturor",
        "återkalla erik.lund@nordisk.example behörighet till avtal",
        "ta bort eriks tillgång till kontoutdrag",
        "återkalla behörighet till fakturor för erik.lund@nordisk.example",
        "bekräfta: återkalla behörighet till fakturor för erik.lund@nordisk.example",
        "jag vill öppna ett företagskonto hos er",
        "hur skapar jag ett kundkonto",
        "information om att öppna ett konto",
        "vilka typer av konton kan jag öppna",
        "jag har inte registrerat mig än, kan jag få ett konto",
        "jag behöver ett nytt användarkonto till en kollega",
        "kan du skapa ett konto åt mig",
        "vad krävs för att jag ska få ett konto",
    ],
}

LOGIN_EXAMPLES = {
    "en": [
        "I can't log in",
        "forgot my password",
        "reset my password",
        "how do I sign in",
        "login problems",
        "my password doesn't work",
        "I'm locked out",
        "sign in",
        "log in",
        "sign me in please",
        "log me in",
        "how do I log out",
        "change my password",
        "my account is locked",
        "the two-factor code isn't arriving",
        "I forgot my username",
        "the sign-in page gives an error",
        "recover my password",
        "login",
        "can't sign in with my user id",
        "the password reset link has expired",
        "how do I sign in from Teams",
        "my login stopped working",
        "unlock my account",
        "i forgot my pasword",
        "what's my user name",
        "I get an error when signing in",
        "sign-in doesn't accept my password",
        "Could you help me get back into my account? I keep getting an invalid password message.",
        "how do I register my phone for sign-in",
        "logging in fails",
        "reset login",
        "the verification email never came",
        "the registration link doesn't work",
        "retrieve my password",
        "restore my password",
        "I lost my password",
        "recover my account",
        "reset my PIN",
        "I forgot my PIN code",
        "recovery of my password",
        "I get an error when I register",
        "the sign-up form gives an error",
        "I can't complete the registration",
        "there is a problem with my registration",
        "registration failed",
        "sign-up doesn't work",
        "my login details don't work",
        "password reminder",
        "send me a new password",
        "I need a new password",
        "my password has expired",
        "update my password",
        "recover access to my account",
        "I can't get into my profile",
        "recover my user profile",
        "I can't register",
        "error in the registration form",
        "registration problem",
        "sign-up issues",
        "problem creating an account",
        "account creation failed",
        "I want to report a problem with signing up",
        "who do I tell that the sign-up fails",
        "registering on the portal gives me an error",
        "I keep getting errors when I try to register",
        "the registration keeps failing, what should I do",
        "I got stuck halfway through the sign-up",
        "how do I report an error in the sign-up form",
        "I lost the password to my profile",
        "I need to restore my password",
        "help me get my password back",
        "how do I recover a lost password",
        "my password was stolen, how do I get my account back",
        "where do I reset my password",
        "I'd like to report a registration problem",
        "how can I tell you about an error with sign-up",
        "I want to notify you of a sign-up issue",
        "reporting a problem with my registration",
        "signup error",
        "the signup page shows an error",
        "signup isn't working for me",
        "something went wrong during signup",
    ],
    "sv": [
        "jag kan inte logga in",
        "glömt mitt lösenord",
        "återställ mitt lösenord",
        "hur loggar jag in",
        "problem med inloggningen",
        "mitt lösenord fungerar inte",
        "jag är utelåst",
        "logga in",
        "logga in mig",
        "inloggning",
        "hur loggar jag ut",
        "byt mitt lösenord",
        "mitt konto är låst",
        "tvåfaktorskoden kommer inte fram",
        "jag har glömt mitt användarnamn",
        "inloggningssidan ger ett fel",
        "få tillbaka mitt lösenord",
        "kan inte logga in med mitt användar-id",
        "länken för att återställa lösenordet har gått ut",
        "hur loggar jag in från Teams",
        "min inloggning har slutat fungera",
        "lås upp mitt konto",
        "jag glömde mitt lösnord",
        "vad är mitt användarnamn",
        "jag får ett fel när jag loggar in",
        "inloggningen godkänner inte mitt lösenord",
        "Kan du hjälpa mig att komma in på mitt konto igen? Jag får hela tiden fel lösenord.",
        "hur registrerar jag min telefon för inloggning",
        "det går inte att logga in",
        "återställ inloggning",
        "verifieringsmejlet kom aldrig",
        "registreringslänken fungerar inte",
        "bankid-inloggningen fungerar inte",
        "hämta mitt lösenord",
        "jag har tappat bort mitt lösenord",
        "återställ mitt konto",
        "återställ min pinkod",
        "jag har glömt min pinkod",
        "lösenordsåterställning",
        "jag får ett fel när jag registrerar mig",
        "registreringsformuläret ger ett fel",
        "jag kan inte slutföra registreringen",
        "anmäl ett problem med registreringen",
        "registreringen misslyckades",
        "registreringen fungerar inte",
        "mina inloggningsuppgifter fungerar inte",
        "påminnelse om lösenord",
        "skicka ett nytt lösenord till mig",
        "jag behöver ett nytt lösenord",
        "mitt lösenord har gått ut",
        "uppdatera mitt lösenord",
        "få tillbaka åtkomsten till mitt konto",
        "jag kommer inte in i min profil",
        "jag kan inte registrera mig",
        "fel i registreringsformuläret",
        "problem med registreringen",
        "problem med att skapa ett konto",
        "det gick inte att skapa kontot",
        "jag vill anmäla ett fel vid registreringen",
        "registreringen misslyckas hela tiden",
        "det blir fel när jag försöker registrera mig",
        "vem ska jag säga till om att registreringen inte fungerar",
        "jag har tappat bort lösenordet till min profil",
        "hjälp mig att få tillbaka mitt lösenord",
        "någon har stulit mitt lösenord",
        "var återställer jag lösenordet",
        "jag vill rapportera ett problem med registreringen",
        "hur meddelar jag er ett fel vid registreringen",
        "fel vid registrering",
        "registreringssidan visar ett fel",
        "registreringen går inte för mig",
        "något gick fel under registreringen",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "account.login.signed_in": {
        "en": "You're signed in as {user}.",
        "sv": "Du är inloggad som {user}.",
    },
    "account.login.how": {
        "en": 'To sign in here, press "Sign in" at the top of the chat and enter your user ID (your '
        'e-mail address) and your password. New here? Choose "Create an account" in the same place. '
        "In Slack and Microsoft Teams you don't sign in at all: I recognise you by your e-mail address.",
        "sv": 'För att logga in här trycker du på "Logga in" högst upp i chatten och anger ditt användar-id '
        '(din e-postadress) och ditt lösenord. Ny här? Välj "Skapa ett konto" på samma ställe. '
        "I Slack och Microsoft Teams loggar du inte in alls: där känner jag igen dig på din e-postadress.",
    },
    "account.login.password": {
        "en": 'You can choose a new password yourself: press "Sign in" at the top of the chat and choose '
        '"Forgot your password?". Enter your e-mail address and we\'ll send you a link for choosing a new '
        "password. The link works once, for 30 minutes; if it has expired, simply ask for a new one. "
        "In Slack and Microsoft Teams you need no password. If the mail doesn't arrive, a person from our "
        "support team can help.",
        "sv": 'Du kan själv välja ett nytt lösenord: tryck på "Logga in" högst upp i chatten och välj '
        '"Glömt lösenordet?". Ange din e-postadress så skickar vi en länk där du väljer ett nytt lösenord. '
        "Länken fungerar en gång, i 30 minuter; har den gått ut ber du bara om en ny. I Slack och "
        "Microsoft Teams behöver du inget lösenord. Om mejlet inte kommer kan en person från vår support "
        "hjälpa dig.",
    },
    "account.login.locked": {
        "en": "After several wrong passwords, signing in is paused for a while (at most 15 minutes) "
        "from where they were typed. Please wait a little and try again. If you've forgotten your "
        'password, choose "Forgot your password?" where you sign in, and we\'ll e-mail you a link for '
        "choosing a new one.",
        "sv": "Efter flera felaktiga lösenord pausas inloggningen en stund (högst 15 minuter) därifrån de "
        'skrevs. Vänta lite och försök igen. Om du har glömt lösenordet, välj "Glömt lösenordet?" där '
        "du loggar in, så mejlar vi en länk där du väljer ett nytt.",
    },
    "account.login.logout": {
        "en": 'To sign out, press "Sign out" at the top of the chat. A new, empty conversation starts.',
        "sv": 'För att logga ut trycker du på "Logga ut" högst upp i chatten. Då börjar en ny, tom '
        "konversation.",
    },
    "account.login.channels": {
        "en": "In Slack and Microsoft Teams I recognise you by the e-mail address of your Slack or Teams "
        "account. When it's the same as your user ID here, you're the same user everywhere, with the "
        "same access; otherwise you chat with me there as a guest.",
        "sv": "I Slack och Microsoft Teams känner jag igen dig på e-postadressen i ditt Slack- eller "
        "Teams-konto. Är den samma som ditt användar-id här är du samma användare överallt, med samma "
        "behörigheter; annars chattar du med mig där som gäst.",
    },
    "account.login.register": {
        "en": 'To create an account, press "Sign in" at the top of the chat and choose "Create an '
        "account\". You need your name, your work e-mail address, your company's customer number (on "
        "invoices and order confirmations) and a password of at least 10 characters. We then mail you a "
        "link to confirm your address; once you have opened it you can sign in, and your company's "
        "administrator gives you access to orders, invoices and the other tools.",
        "sv": 'För att skapa ett konto trycker du på "Logga in" högst upp i chatten och väljer "Skapa ett '
        'konto". Du behöver ditt namn, din e-postadress på jobbet, ert kundnummer (finns på fakturor och '
        "orderbekräftelser) och ett lösenord på minst 10 tecken. Sedan mejlar vi en länk för att bekräfta "
        "adressen; när du har öppnat den kan du logga in, och ert företags administratör ger dig "
        "behörighet till ordrar, fakturor och de andra verktygen.",
    },
    "account.login.confirmation": {
        "en": "The mail with the confirmation link usually arrives within a few minutes; please look in "
        "your spam folder too. The link works for 48 hours; you can sign in once you have opened it. If it "
        "has expired, register again with the same address for a new one; if it doesn't work, a person "
        "from our support team can help.",
        "sv": "Mejlet med bekräftelselänken brukar komma inom några minuter; titta gärna i skräpposten "
        "också. Länken fungerar i 48 timmar; du kan logga in när du har öppnat den. Har den gått ut, "
        "registrera dig igen med samma adress så får du en ny; fungerar den inte kan en person från vår "
        "support hjälpa dig.",
    },
}
words(WORDS)


# --- account.login: help with signing in ---------------------------------------------------------

_LOGIN_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, re.IGNORECASE))
    for topic, pattern in (
        ("channels", r"\b(slack|teams)\b"),
        ("logout", r"\b(log|sign)[ -]?out\b|\blogga(r)?\b.*\but\b|utloggning"),
        ("locked", r"lock|låst|lås upp"),
        ("username", r"user ?name|user ?id|användarnamn|användar-id"),
        ("password", r"pass?word|lösen|lösnord|\bpin\b|pinkod|forgot|glömt|glömde|reset|återställ|recover"),
        ("confirmation", r"verif|confirm|bekräft|mejlet|link|länk"),
        ("register", r"regist|sign[ -]?up|creat|skapa|new account|nytt konto"),
    )
)
"""What a sign-in question is about, by its words (English and Swedish); the first match wins."""


def _person_button(ctx: TurnContext) -> Button:
    return Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value"))


def login_topic(text: str) -> str:
    return next((topic for topic, pattern in _LOGIN_TOPICS if pattern.search(text)), "how")


async def login_help(ctx: TurnContext) -> Reply:
    """Help with signing in: a forgotten password is reset from the sign-in form; a person helps too."""
    topic = login_topic(ctx.parse.text)
    text = ctx.t(f"account.login.{'how' if topic == 'username' else topic}")
    principal = ctx.principal
    if not principal.is_guest and topic in {"how", "username"}:
        text = ctx.t("account.login.signed_in", user=principal.user_id) + " " + text
    buttons: tuple[Button, ...] = ()
    if topic in {"password", "locked", "confirmation"}:
        # A request needs a signed-in user with the requests tool; a person is there for everyone.
        buttons = offer_help_buttons(ctx) if principal.may(Tool.REQUESTS) else (_person_button(ctx),)
    return Reply(text=text, buttons=buttons, language=ctx.language, intent=ctx.parse.intent)


async def access_or_register(ctx: TurnContext) -> Reply:
    """ "Create an account" is a newcomer's way of asking for access: show how to register."""
    if login_topic(ctx.parse.text) == "register" and ctx.parse.first("tool") is None:
        return await login_help(ctx)
    return await handle_access(ctx)


_SIGN_IN_TROUBLE = re.compile(
    r"(?i)\b(?:lost|forgotten|forgot|reset|retriev\w*|recover\w*)\s+(?:my\s+|the\s+|a\s+|of\s+)?"
    r"(?:pass(?:word|wd)?|pwd|pin(?:\s+code)?|credentials|log-?in|user\s*name|key(?!\s+(?:to|for|of)\b))\b"
    r"|\b(?:pass(?:word)?|pwd|pin|key)\s+(?:retrieval|recovery|reset)\b"
    r"|\b(?:issues?|errors?|problems?|trouble)\s+(?:with|in|on)\s+(?:a\s+|the\s+|my\s+)?(?:sign-?\s?ups?"
    r"|registrations?|registering|sign-?\s?ins?|log-?\s?ins?)\b(?!\s+of\b)"
    r"|\berrors?\s+(?:registering|signing\s+(?:up|in))\b|\b(?:sign-?\s?up|registration)\s+(?:errors?|issues?|problems?)\b"
    # how to sign in, asked first, whatever it is to see after: "how do I sign in to see our orders?"
    r"|^\W*(?:(?:hi|hello|hey|hej|ok|so)\W+)?(?:how\s+(?:do|can|should)\s+(?:i|we)|where\s+(?:do|can)\s+(?:i|we)"
    r"|hur\s+(?:gör\s+(?:jag|vi)\s+för\s+att\s+|kan\s+(?:jag|vi)\s+)?)\s*"
    r"(?:sign\s+in|log\s*in|log\s+on|logga\s+in|loggar\s+(?:jag|vi)\s+in)\b"
)
"""Trouble signing in or up said in its words ("a question about a lost password", "report an issue with
signup", "key recovery"), however the words of a question or a report around it read."""


def _sign_in_trouble(text: str) -> bool:
    low = text.lower()  # (plain substring checks first: far cheaper than the pattern for most messages)
    if not (
        "pass" in low
        or "pwd" in low
        or "pin" in low
        or "key" in low
        or "sign" in low
        or "regist" in low
        or "log" in low
        or "credential" in low
        or "user" in low
    ):
        return False
    return _SIGN_IN_TROUBLE.search(text) is not None


INTENTS = [
    IntentSpec(
        name="account.access",
        hears_faults=True,
        examples=ACCESS_EXAMPLES,
        handler=access_or_register,
        slots=ACCESS_SLOTS,
        guest_ok=True,
        claims=("access_request_number",),
    ),
    IntentSpec(
        name="account.login",
        examples=LOGIN_EXAMPLES,
        handler=login_help,
        guest_ok=True,
        hears_faults=True,
        asked_by=_sign_in_trouble,
    ),
]
