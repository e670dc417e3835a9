"""Greetings, thanks, help and goodbye: open to guests, answered without a back end."""

from __future__ import annotations

import re

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.nlu.lexicon import TALKING, asks_if_a_bot, names_a_person
from supportbot.bot.spec import IntentSpec, TurnContext

GREETING_EXAMPLES = {
    "en": [
        "hello",
        "hi",
        "hey",
        "good morning",
        "hey there, assistant",
        "hello bot",
        "good afternoon",
        "howdy",
        "greetings",
        "morning",
        "good evening",
        "hi there, bot",
        "hello again",
        "how are you",
        "how's it going today",
        "what's up, bot",
        "hey, how are you doing today",
        "hello? is anybody there",
        "helo",
        "hi hi",
        "good day to you",
        "hey assistant",
        "nice to meet you",
        "hello there, support bot",
        "hey, how's your day",
        "how are you feeling today",
        "hi, hope you're well",
        "long time no see",
        "greetings, bot",
        "what's new",
        "hey how are things",
        "how is your day going",
        "hey, how are you keeping",
        "yo bot",
        "hiya",
        "hey hey",
        "how's everything",
        "how's life treating you",
        "how are things going",
        "how have you been",
        "what's going on",
        "hola",
        "bonjour",
        "ciao",
        "aloha",
        "salutations",
        "good day",
    ],
    "sv": [
        "hej",
        "hejsan",
        "tjena",
        "god morgon",
        "hallå",
        "goddag",
        "god eftermiddag",
        "hej hej",
        "tja",
        "hur mår du",
        "läget?",
        "god kväll",
        "hejhej",
        "morrn",
        "hallå där",
        "hej igen",
        "hur är det",
        "tjenare",
        "hej, är det någon där?",
        "hjej",
        "trevligt att träffas",
        "god middag",
        "hej på dig",
        "hur är läget",
        "hej bot",
        "hallå hallå",
        "hej, hur har du det idag",
        "hur känns det idag",
        "hur är livet",
        "kul att se dig",
        "hej, hoppas allt är bra",
        "hur har du haft det",
        "länge sedan",
        "hälsningar",
        "vad är nytt",
        "tjena tjena",
        "morsning",
        "halloj",
        "hur står det till",
        "hur har du det",
        "hur mår du idag",
        "god dag",
        "tjabba",
        "läget",
    ],
}

THANKS_EXAMPLES = {
    "en": [
        "thank you",
        "thanks",
        "thx",
        "ty",
        "thanks a bunch",
        "much appreciated",
        "great, thanks",
        "cheers",
        "that was helpful",
        "perfect, thank you",
        "awesome, thank you very much",
        "many thanks for that",
        "thank you very much indeed",
        "I really appreciate this",
        "that helped",
        "nice one",
        "great job",
        "thanks so much for helping me",
        "thank you, that's exactly what I needed",
        "thnaks",
        "brilliant, cheers",
        "you've been very helpful",
        "super, thanks",
        "thanks a million",
        "really grateful for the help",
        "thank you for answering",
        "you're a star",
        "appreciate the support",
        "cheers mate",
        "cheers for the information",
        "thanks, that was quick",
        "you have my thanks",
        "thanks to you and your team",
        "big thanks to you",
        "thanks to you all",
        "many thanks indeed",
        "much obliged",
        "I'm grateful for your help",
        "I'm thankful for the answer",
        "I appreciate your answer",
        "your answer was helpful",
        "I'm happy with your answer",
        "good job helping me",
        "excellent, just what I needed",
        "I owe you one",
        "that was really helpful",
        "you made that easy",
        "gracias",
        "merci",
    ],
    "sv": [
        "tack",
        "tack så mycket",
        "tusen tack",
        "tackar",
        "toppen tack",
        "okej, tack för hjälpen",
        "tack för hjälpen",
        "snällt",
        "jättebra tack",
        "stort tack",
        "tack ska du ha",
        "perfekt tack",
        "det var till stor hjälp",
        "grymt tack",
        "tack, det var precis vad jag behövde",
        "tak",
        "tackar så mycket",
        "schysst, tack",
        "ok, tack ändå",
        "du har varit till stor hjälp",
        "kanon tack",
        "tack tack",
        "vad bra, tack",
        "jag är tacksam",
        "tack för svaret",
        "du är en stjärna",
        "uppskattar din hjälp",
        "jag är skyldig dig en tjänst",
        "tack snälla",
        "tackar ödmjukast",
        "tack för infon",
        "jag uppskattar svaret",
        "tack, det gick snabbt",
        "ett stort tack för hjälpen",
        "tack till er alla",
        "tack för att du hjälpte mig",
        "varmt tack",
        "jag är tacksam för hjälpen",
        "bra svar, tack",
        "det där hjälpte verkligen",
        "jag är nöjd med svaret",
        "toppen, precis vad jag behövde",
    ],
}

HELP_EXAMPLES = {
    "en": [
        "what can you do",
        "help",
        "what am I able to ask you about",
        "how does this work",
        "what do you help with",
        "what are you able to do for me",
        "show me what you can do",
        "menu",
        "options",
        "which topics do you cover",
        "what kind of questions do you take",
        "how can you help me",
        "what services do you offer here",
        "what could you help me with here",
        "instructions",
        "commands",
        "tell me your capabilities",
        "what is this chat for",
        "I don't know what to ask",
        "can you help me",
        "what things can you answer",
        "who are you and what do you do",
        "hlep",
        "list what you can do",
        "what can I use this bot for",
        "Can you give me a quick overview of what you can help with?",
        "I need help",
        "how do I use this",
        "what are you capable of",
        "what subjects can I ask about",
        "which questions are you able to answer",
        "what do you know about",
        "what kind of things do you know",
        "what are you good at",
        "which topics are you familiar with",
        "what can you tell me about",
        "what can I ask",
        "what topics can we discuss",
        "what should I ask you",
        "what information can you give me",
        "what can I get help with here",
        # whether it is a bot: it answers with what it can do, and offers a person
        "are you a robot",
        "are you a real person",
        "am I talking to a bot",
        "are you human or a machine",
        "are you a bot",
        "are you a person or a program",
        "am I chatting with a machine",
        "is this an automated assistant",
        "is a real human typing these answers",
        "are you a human or just software",
        "is this chat answered by software or by people",
        "is this a bot or a human answering",
        "so you are a human then",
        "what are your capabilities",
        "what skills do you have",
        "what kind of questions can I ask you",
        "what topics do you know about",
        "what tasks can you do for me",
        "how can you be useful to me",
        "which subjects can you answer",
        "are you a bot or a real person",
        "is a program answering me or a person",
        "am I chatting with a real person",
        "are you an actual human",
        "are you real or an AI",
        "is this an AI I'm talking to",
        # which languages it speaks: it says so, then what it can do
        "can you speak german",
        "what languages do you speak",
    ],
    "sv": [
        "vad kan du göra",
        "vad kan du hjälpa till med",
        "hjälp",
        "vad kan jag fråga dig om",
        "hur funkar det här",
        "vad hjälper du till med",
        "vad klarar du av",
        "visa vad du kan göra",
        "meny",
        "alternativ",
        "vilka ämnen kan du",
        "vilka frågor kan jag ställa",
        "hur kan du hjälpa mig",
        "vilka tjänster finns här",
        "vad kan du hjälpa mig med",
        "instruktioner",
        "kommandon",
        "vad har du för funktioner",
        "vad är den här chatten till för",
        "jag vet inte vad jag ska fråga",
        "kan du hjälpa mig",
        "vad kan du svara på",
        "vem är du och vad gör du",
        "hjäp",
        "lista vad du kan göra",
        "vad kan jag använda den här boten till",
        "Kan du ge mig en snabb överblick över vad du kan hjälpa till med?",
        "jag behöver hjälp",
        "hur använder jag det här",
        "vad är du kapabel till",
        "vilka ämnen kan jag fråga om",
        "vilka frågor kan du besvara",
        "vad vet du om",
        "vad för slags saker kan du",
        "vad är du bra på",
        "vilka ämnen känner du till",
        "vad kan du berätta om",
        "vad kan jag fråga",
        "vilka ämnen kan vi prata om",
        "vad ska jag fråga dig",
        "vilken information kan du ge mig",
        "vad kan jag få hjälp med här",
        # om den är en bot: den svarar med vad den kan, och erbjuder en person
        "är du en robot",
        "är du en riktig person",
        "pratar jag med en bot",
        "är du människa eller maskin",
        "är du en bot",
        "är du en dator",
        "chattar jag med en maskin",
        "är det här en automatisk assistent",
        "är det en riktig människa som skriver svaren",
        "är du en människa på riktigt",
        "är du en bot eller en människa",
        "svarar en människa eller en bot",
        "vilka frågor kan jag ställa till dig",
        "kan du prata tyska",
        "vilka språk kan du",
        "vad kan du göra åt mig",
        "vilka ämnen kan du svara på",
        "är du en bot eller en riktig människa",
        "chattar jag med en riktig person",
        "är du en AI",
    ],
}

GOODBYE_EXAMPLES = {
    "en": [
        "bye",
        "goodbye",
        "see you",
        "see you later then",
        "that's all",
        "bye bye now",
        "have a nice day",
        "take care",
        "I'll talk to you later",
        "I'm done",
        "that's all for now",
        "good night",
        "later, bye",
        "cya",
        "farewell for now",
        "ok bye",
        "thank you and bye",
        "nothing more, bye",
        "gotta go",
        "byee",
        "have a good weekend",
        "I'm finished here",
        "until next time, bye",
        "nice talking to you",
        "it was nice chatting",
        "catch you later",
        "speak to you soon",
        "I'm leaving now",
        "bye for today",
        "have a nice evening",
        "so long",
        "I'll be going now",
        "ciao",
        "talk to you soon",
        "gotta run",
        "signing off",
        "that's it for today",
        "right, I'm logging off",
        "that's everything I needed, bye",
        "until tomorrow then",
        "I'll get back to you if I need more, bye for now",
        "it's been a pleasure talking to you",
        "we'll talk again another day",
        "glad I could talk to you",
        "I'm off now",
        "I'm heading out, bye",
        "that will be all, goodbye",
        "it was nice talking to you",
        "great to chat with you, bye",
        "glad we could talk",
        "I have to go now",
        "I've got to run",
        "I'm off",
        "take it easy",
        "have a good one",
        "adios",
        "see you around",
        "that was a good conversation, goodbye",
        "thanks for the chat, bye",
        "thanks, goodbye",
        "I enjoyed talking with you, bye",
        "speak soon",
        "we'll speak again another day",
    ],
    "sv": [
        "hej då",
        "hejdå",
        "vi ses",
        "ha det bra",
        "adjö",
        "det var allt",
        "tack och hej",
        "ha en bra dag",
        "hörs",
        "god natt",
        "vi hörs",
        "ses",
        "det var allt för nu",
        "jag är klar",
        "ok hej då",
        "tack, hej då",
        "inget mer, hej",
        "måste sticka",
        "hejdåå",
        "ha en trevlig helg",
        "jag är färdig här",
        "till nästa gång",
        "ha det gott",
        "adjö så länge",
        "trevligt att prata med dig",
        "det var trevligt att chatta",
        "hörs senare",
        "vi pratas snart",
        "jag drar nu",
        "hej så länge",
        "ha en trevlig kväll",
        "jag går nu",
        "ciao",
        "pratas vid snart",
        "måste springa",
        "vi ses väl",
        "loggar ut nu",
        "det var allt för idag",
        "det var trevligt att prata med dig",
        "vi pratas vid senare",
        "hörs av",
        "jag måste gå nu",
        "tack för pratstunden, hej då",
        "vi ses senare",
        "ajöss",
        "nu loggar jag ut",
        "kul att chatta med dig, hej",
        "ses senare",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
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
    "smalltalk.bot": {
        "en": "I'm the support team's automated assistant, not a person. Whenever you'd rather talk to one "
        'of my colleagues, write "talk to a person".',
        "sv": "Jag är supportens automatiska assistent, inte en person. När du hellre vill prata med någon "
        'av mina kollegor, skriv "prata med en person".',
    },
    "smalltalk.languages": {
        "en": "I speak English and Swedish: write in either and I'll answer in it.",
        "sv": "Jag talar svenska och engelska: skriv på något av dem så svarar jag på samma språk.",
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
}
words(WORDS)


def _starters(ctx: TurnContext) -> tuple[Button, ...]:
    if ctx.principal.is_guest:
        return ()
    keys = ("button.help.order_status", "button.help.order_search", "button.help.order_report")
    return tuple(Button(label=ctx.t(k), value=ctx.t(k)) for k in keys)


async def greeting(ctx: TurnContext) -> Reply:
    first_name = ctx.principal.name.split(" ")[0] if ctx.principal.name else ""
    text = ctx.t("smalltalk.greeting", name=f" {first_name}" if first_name else "")
    return Reply(text=text, buttons=_starters(ctx), language=ctx.language, intent="smalltalk.greeting")


async def thanks(ctx: TurnContext) -> Reply:
    return Reply(text=ctx.t("smalltalk.thanks"), language=ctx.language, intent="smalltalk.thanks")


_LANGUAGES = re.compile(
    r"\b(?:languages?|språk\w*|english|engelska|swedish|svenska|german|tyska|french|franska|spanish|spanska|"
    r"finnish|finska|norwegian|norska|danish|danska|polish|polska|italian|italienska|dutch|holländska|"
    r"arabic|arabiska|chinese|kinesiska)\b",
    re.IGNORECASE,
)
"""Asked which languages it speaks ("can you speak german", "vilka språk kan du")."""


async def help_(ctx: TurnContext) -> Reply:
    key = "smalltalk.help.guest" if ctx.principal.is_guest else "smalltalk.help"
    text = ctx.t(key)
    buttons = _starters(ctx)
    if asks_if_a_bot(ctx.parse.text):
        # Said plainly, with the way to a person beside it: the question is often the first step to one.
        text = f"{ctx.t('smalltalk.bot')}\n\n{text}"
        person = Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value"))
        buttons = (person, *buttons)
    elif _LANGUAGES.search(ctx.parse.text):
        text = f"{ctx.t('smalltalk.languages')}\n\n{text}"
    return Reply(text=text, buttons=buttons, language=ctx.language, intent="smalltalk.help")


_GAP = r"(?:\W+(?!(?:want|wanna|need|would|like|let'?s|please|must|have|may|about|but|can)\b)[\w']+){0,4}?"
"""A few words between, none that asks for something ("good, I want to talk to …")."""
_TALK = r"(?:talk|speak|chat|convers)\w*"
_CLOSING = (
    r"(?:\W+(?:today|again|too|as\s+always|(?:good)?bye(?:\s+now)?|take\s+care|take\s+it\s+easy"
    r"|see\s+(?:you|ya)(?:\s+(?:soon|later|around))?|cheers|thanks|thank\s+you|idag|igen|hejdå|hej\s+då"
    r"|vi\s+hörs|tack)\b)*"
)
_PARTING = re.compile(
    r"(?i)^\W*(?:"
    rf"(?:[\w']+{_GAP}\W+)??(?:nice|glad|good|great|lovely|pleasure|fun|enjoy\w*|happy|pleased|wonderful"
    rf"|awesome){_GAP}\W+{_TALK}(?:\W+(?:to|with)\W+(?:you|u|ya|me))?(?:\W+again)?"
    r"|(?:nice|good|great|lovely)\W+(?:talk|chat|conversation)"
    rf"|{_TALK}(?:\W+(?:to|with)\W+(?:you|u|ya))?(?:\W+again)?\W+(?:later|soon|tomorrow|again)"
    rf"|(?:[\w']+{_GAP}\W+)??(?:trevligt|kul|roligt|skönt|härligt){_GAP}\W+(?:prata|snacka|chatta|tala)\w*"
    r"\W+med\W+(?:dig|er|mig)"
    rf"){_CLOSING}\W*$"
)
"""The whole message a pleasure taken in the talk, or one to have again: "nice to speak with you", "it
was good to talk to you today", "talk later", "kul att snacka med dig", with a goodbye after or not."""


_LEAVING = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej)?|alright|right|thanks|thank\s+you|tack)\W+)*(?:"
    r"(?:have|ha)\s+(?:a|an|en|ett)\s+(?:[\w']+\s+){0,2}(?:day|evening|weekend|night|one|dag|kväll|helg|natt)"
    r"|(?:trevlig|god|skön|fin)\s+(?:dag|kväll|helg)(?:\s+på\s+dig)?"
    r"|(?:i\s+)?(?:need|have|got)\s+to\s+(?:go|leave|run|get\s+going|head\s+out)(?:\s+now)?"
    r"|i'?m\s+(?:out\s+of\s+here|outta\s+here|off\s+now)|peace(?:\s+out)?|take\s+it\s+easy"
    r"|jag\s+(?:måste|behöver)\s+(?:gå|sticka|dra|kila)(?:\s+nu)?"
    r")\W*(?:(?:bye|goodbye|hejdå|hej\s+då|thanks|tack)\W*)?$"
)
"""A good day wished or a leaving said, the whole message: "have a good day", "ha en bra helg", "trevlig
kväll", "I need to go now", "jag måste dra nu": words each of which says little to the classifier."""


_HOW_ARE_YOU = re.compile(
    r"(?i)^\W*(?:(?:hi|hey|hello|yo|so|well|hej|hallå|tjena)\W+)*(?:"
    r"how(?:'s|\s+is)\s+(?:it|everything|life|things)(?:\s+going)?|how\s+(?:are\s+)?(?:you|ya|u)\s+(?:doin'?g?|been)"
    r"|how\s+goes\s+it|how\s+are\s+things|wa+s+u+p+|what'?s\s+(?:up|happening|new|good)"
    r"|is\s+everything\s+(?:ok|okay|good|well)\s+with\s+you"
    r"|hur\s+(?:är|mår)\s+(?:det|du|ni)(?:\s+(?:idag|med\s+dig))?|läget|hur\s+går\s+det(?:\s+för\s+dig)?"
    r")\W*(?:(?:today|idag|bot|buddy|friend|mate)\W*)?$"
)
"""A greeting asked as how the bot is, the whole message: "how is it going", "how ya doin", "what's
happening", "läget?", "hur går det?"; never with a request after it ("how is it going with my order
4711?"). ("Nice to see you" is said in greeting and in parting alike, so it is left to the examples.)"""


_WHAT_CAN_YOU_DO = re.compile(
    r"(?i)(?:^|(?<=[.!?])\s+)\W*(?:(?:hi|hey|hello|so|ok(?:ay)?|hej|okej)\W+)*(?:"
    r"what\s+(?:kinds?|sorts?|types?)\s+of\s+(?:things|queries|questions|stuff|requests|help)"
    r"|what(?:'s|\s+is)\s+the\s+(?:sort|kind)\s+of\s+(?:thing|question)"
    r"|how\s+(?:can|do|should|could)\s+i\s+(?:use|benefit\s+from(?:\s+using)?)\s+you"
    r"|what\s+(?:can|could)\s+(?:you|u)\s+(?:do|help\s+(?:me\s+)?with)(?:\s+for\s+me)?\W*$"
    r"|vad\s+kan\s+(?:du|ni)\s+(?:göra|hjälpa\s+(?:mig\s+)?(?:till\s+)?med)(?:\s+för\s+mig)?\W*$"
    r"|vilka\s+(?:sorters?|slags|typer\s+av)\s+(?:saker|frågor)|hur\s+(?:använder|ska)\s+jag\s+(?:använda\s+)?dig"
    r"|how\s+does\s+(?:this|the)\s+(?:service|chat|bot|assistant)\s+work\W*$"
    r"|hur\s+fungerar\s+(?:den\s+här\s+tjänsten|tjänsten|chatten|boten|du|det\s+här)\W*$"
    r")"
)
"""What the bot can do, asked, first or after what was said before it: "what kinds of things would you
be able to help me with", "how can I use you", "Hi, I'm new to this chat. What kinds of things can you
help me with?", "vad kan du hjälpa mig med?"."""


_DIGIT = re.compile(r"\d")
_HELP_ME = re.compile(
    r"(?i)^\W*(?:(?:hi|hey|hello|hej)\W+)*(?:please\s+|snälla\s+)?(?:help\s+me|hjälp\s+mig)"
    r"(?:\s+(?:please|snälla|tack))?\W*$"
)
"""Help asked for and nothing else, the whole message: "help me", "hjälp mig"."""


def _asks_what_it_does(text: str) -> bool:
    """(Never of a record: "what kinds of things are covered by C-1001" is the contract's question.)"""
    if len(text) > 140:
        return False
    low = text.lower()  # (plain substring checks first: far cheaper than the patterns)
    if not (
        "what" in low
        or "how" in low
        or "help" in low
        or "vad" in low
        or "vilk" in low
        or "hur" in low
        or "hjälp" in low
    ):
        return False
    return _DIGIT.search(text) is None and (
        _WHAT_CAN_YOU_DO.search(text) is not None or _HELP_ME.match(text) is not None
    )


def _asks_what_it_is(text: str) -> bool:
    """What the bot can do, asked (``_asks_what_it_does``), or whether it is a person (``asks_if_a_bot``):
    answered by saying what it is and what it can do, with a person offered."""
    return _asks_what_it_does(text) or asks_if_a_bot(text)


def _greeted(text: str) -> bool:
    return len(text) <= 60 and _HOW_ARE_YOU.match(text) is not None


def _may_be_leaving(low: str) -> bool:
    """A word ``_LEAVING`` needs is in the message (plain substring checks, far cheaper than it)."""
    return (
        "have" in low
        or "ha " in low
        or "trevlig" in low
        or "god " in low
        or "skön" in low
        or "fin " in low
        or "need" in low
        or "got" in low
        or "out" in low
        or "off" in low
        or "peace" in low
        or "easy" in low
        or "måste" in low
        or "behöver" in low
    )


def _parting(text: str) -> bool:
    """A goodbye said as the pleasure of the talk ("nice to speak with you"): read as asking for a person
    by its words for talking, it would put the customer in the queue as they leave. Never when it
    names a person to talk to ("nice, now let me speak to an agent"). Or a good day wished, or leaving
    said (``_LEAVING``)."""
    if len(text) > 160:
        return False
    if len(text) <= 60 and _may_be_leaving(text.lower()) and _LEAVING.match(text) is not None:
        return True
    return TALKING.search(text) is not None and _PARTING.search(text) is not None and not names_a_person(text)


_ACKNOWLEDGED = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej|ey)?|k|alright|right|fine|good|great|perfect|nice|cool|super|excellent|got\s+it"
    r"|jaha|aha|ah|oh|bra|fint|toppen|perfekt|kanon|utmärkt|jättebra|jättefint|uppfattat)\W+)+"
    r"(?:thanks?|thank\s+you|thx|ty|tnx|tack|tackar|tusen\s+tack)"
    r"(?:\W+(?:så\s+mycket|a\s+lot|so\s+much|again|igen|för\s+hjälpen|for\s+(?:the|your)\s+help))?\W*$"
)
"""A thanks after a word of having understood ("ok tack", "alright thanks", "jaha, tack så mycket")."""


def _thanked(text: str) -> bool:
    """Thanks said after a word of having understood: "ok" and "tack" are each said in many requests
    ("ok, show me 4711", "visa 4711, tack"), so together they say little to the classifier, and they
    were read as nothing understood."""
    return len(text) <= 60 and _ACKNOWLEDGED.match(text) is not None


async def goodbye(ctx: TurnContext) -> Reply:
    return Reply(text=ctx.t("smalltalk.goodbye"), language=ctx.language, intent="smalltalk.goodbye")


INTENTS = [
    IntentSpec(
        name="smalltalk.greeting",
        examples=GREETING_EXAMPLES,
        handler=greeting,
        guest_ok=True,
        asked_by=_greeted,
    ),
    IntentSpec(
        name="smalltalk.thanks", examples=THANKS_EXAMPLES, handler=thanks, guest_ok=True, asked_by=_thanked
    ),
    IntentSpec(
        name="smalltalk.help",
        examples=HELP_EXAMPLES,
        handler=help_,
        guest_ok=True,
        asked_by=_asks_what_it_is,
    ),
    IntentSpec(
        name="smalltalk.goodbye",
        examples=GOODBYE_EXAMPLES,
        handler=goodbye,
        guest_ok=True,
        forgets=True,
        asked_by=_parting,
    ),
]
