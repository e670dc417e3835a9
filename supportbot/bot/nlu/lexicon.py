"""Word lists: function words that carry no intent, and the words that tell English from Swedish."""

from __future__ import annotations

import re

from supportbot.bot.nlu.text import wordset

# Function words and chat fillers: neither evidence for an intent nor a sign of an unknown topic.
# Question words ("where", "när", "why") and verbs that name an action ("show", "skicka") are not here:
# they carry intent.
STOPWORDS_EN = wordset(
    """
    a an the i i'm im i'd id i've ive i'll me my mine myself we we're we've us our ours you're
    yours u ur ya yo' it it's its this that that's these those there there's here is are was
    were be been being am 'm do does did doing done have has had having can could would will shall
    should may might must to of for from in on at by with about into onto and or but so if then than
    as against without within after before during through over under just also too very really please pls plz pleas kindly ok okay yes yeah yep sure some any
    want wanna wants wanted need needs needed like would've gonna gotta let let's lets
    some someone something somebody anything everything kind sort bit lot lots much many
    now right still already yet again ever even maybe perhaps actually basically
    could've i'm i've they they're them their he she his her him
    dear one ones own same such only other
    wondering wonder trying try tried able possible way
    dont cant cannot wont didnt isnt doesnt havent wasnt arent aint ain't aren't couldnt wouldnt
    shouldnt hasnt hadnt werent couldn't wouldn't shouldn't hasn't hadn't weren't wasn't
    don't doesn't didn't isn't won't can't haven't
    youre theyre thats theres s t d m ll re ve
    """
)

STOPWORDS_SV = wordset(
    """
    jag mig mej min mitt mina vi oss vår vårt våra dej ni er ert era han hon
    hans hennes honom henne de dem dom deras den det detta denna dessa en ett och eller men att som
    är e va vara varit blir bli blev har hade ha haft kan kunde ska skall skulle vill ville måste
    får fick få på i av för från till åt med om hos vid mot utan inom efter före innan under genom inte ej så också bara snälla gärna lite
    nu då här där ju väl nog sen redan fortfarande än igen mycket många någon något några alla allt allting
    behöver behövde vilja tänkte undrar undra hade liksom typ ba asså alltså kanske
    vet veta sig sin sitt sina man
    """
)

STOPWORDS = STOPWORDS_EN | STOPWORDS_SV

# Ordinary words that say nothing about the topic: when the examples do not use them, they are neither
# evidence for an intent nor a sign of an unknown topic (as "flight" or "recipe" are).
NEUTRAL_EN = wordset(
    """
    inform notify tell told telling let know knew known think thought believe guess suppose remember
    mean meant seem seems appear happen happened happens go goes went gone come comes came
    coming get gets got gotten getting make makes made making take takes took taken taking put puts keep
    keeps kept hold hang bring brought use uses used using ask asks asked asking say says said saying
    mention mentioned do doing does done work works worked working run running start started begin
    provide provided offer offered allow allowed enable enabled manage managed handle handled deal
    assist assistance assisting guide guidance advice advise inquire inquiry enquire enquiry
    regarding concerning related relating via per etc
    good bad great nice fine awful terrible horrible happy glad sad angry upset annoyed
    frustrated quick quickly fast urgent urgently asap easy easily simple simply sure
    certain free best better worse worst big small little huge lot whole entire full
    always never sometimes usually often again already soon around exactly probably definitely
    honestly seriously literally immediately truly totally completely
    oh ah well hmm um uh alright anyway btw fyi lol haha omg
    damn fucking fuckin fuck bloody goddamn goddam shit shitty crap crappy hell freaking frigging
    stupid dumb idiot
    wife husband son daughter mother father mom mum dad brother sister friend family kid kids
    guy guys folks people everyone anybody anyone nobody
    thing things stuff matter info information detail details
    year years next time times day days week weeks month months ago
    instead though hopefully strange weird odd building buildings upstairs downstairs someday
    """
)

NEUTRAL_SV = wordset(
    """
    berätta berättar berättade säga säger sa sade tycka tycker tyckte tro tror trodde tänka tänker
    veta vet visste förstå förstår komma kommer kom gå går gick göra gör gjorde gjort ta tar tog
    tagit sätta sätter satte ställa ställer använda använder undra undrar meddela meddelar
    informera informerar hända händer hände fungera fungerar
    bra dålig dåligt dåliga snabbt snabb brådskande akut enkelt enkel säker säkert gratis bäst
    bättre sämre stor stort stora liten litet små hela helt
    alltid aldrig ibland oftast ofta igen redan snart ungefär exakt säkert verkligen faktiskt
    direkt omedelbart
    alltså liksom typ asså okej jaha aha eh öh mm hmm jo nej ja
    fan jävla jävlar skit skitdålig helvete satan fasen tusan
    fru man son dotter mamma pappa bror syster vän kompis familj barn
    sak saker grej grejer info information detaljer jätte
    år åren nästa tid tiden gång gånger dag dagar vecka veckor månad månader
    istället istallet medan varav ingen inget inga tråkigt tråkig stanna stannar fortsätt fortsätta
    fortsätter inför infor längs helst
    """
)

NEUTRAL = NEUTRAL_EN | NEUTRAL_SV

# Words that only one of the two languages uses; counted per message to tell them apart.
MARKERS_EN = wordset(
    """
    the is are and my you what where when how why which who to of for with can could would please
    show send me our we it this that be do does have has hi hello hey thanks thank bye goodbye
    i'm i'd i've it's what's where's don't can't won't didn't isn't haven't doesn't
    orders invoice invoices contract contracts request requests ticket human
    get give need want help an a your was were will there list find download
    password log sign account access installed equipment statement balance
    yes no not last month week year since between from
    """
)

MARKERS_SV = wordset(
    """
    och jag är inte det att för på med min mina mitt vår våra vårt har kan vill hur vad när var
    hej tack visa skicka ska också från till den en ett som om mig oss någon några kommer finns
    ordrar ordern beställning faktura fakturan fakturor avtal avtalet ärende ärendet snälla hejsan
    tjena hallå mejl mejla ladda ner lista hämta vilka vilken varför behöver hjälp prata människa
    logga lösenord konto behörighet tillgång utrustning kontoutdrag saldo förra senaste sedan mellan
    månaden veckan året igår idag då vi ni du dig er ert
    """
)

SWEDISH_LETTERS = frozenset("åäö")

FORMATS = wordset(
    """
    excel xlsx xls csv spreadsheet spreadsheets sheet workbook export exports exporting exported download
    exportera exporterar exporten export kalkylark kalkylarket excelfil arbetsbok excelark excelarket exel
    exelark
    """
)
"""Words of a file to take away: a list of invoices, a statement, orders and the inventory are each
exported to a spreadsheet, so these words choose the intent within a family, never the family."""
DOCUMENT_WORDS = wordset("pdf pdfen copy kopia kopian document dokument dokumentet")
"""Words of one record's document: said alone right after a record ("pdf?"), they ask for its
document (``IntentSpec.documents``)."""
FILE_WORDS = (
    r"ex(?:c)?el(?:-?ark\w*|fil\w*)?|xlsx?|csv|spreadsheets?|kalkylark\w*|download|export\w*|ladda\s+ner"
)
"""The same as a pattern a family looks for in a message (its words inflected: "excelarket", "exportera";
"exel", as it is often typed) to make its list a spreadsheet."""


_PERSON = re.compile(
    r"(?<![\w-])(?:persons?|people|humans?|human\s+being|someone|somebody|anyone|anybody|agents?"
    r"|representatives?|reps?|operators?|staff|employees?|colleagues?|support|service|team|customer\s+care|helpdesk"
    r"|manager|supervisor|technicians?|engineers?|real|live|personal(?:en)?|m[äa]nniska|m[äa]nniskor|någon|nån|nåon"
    r"|handläggare(?:n)?|kundtjänst(?:en)?|kundservice|supporten|kollega|operatör(?:en)?|tekniker(?:n)?"
    r"|riktig|levande)(?![\w-])",
    re.IGNORECASE,
)


GOING_BACK = r"(?:(?:let'?s\s+)?(?:go(?:ing)?\s+|get\s+)?back\s+to|(?:nu\s+)?tillbaka\s+till|åter\s+till)"
"""Words for going back to something talked about before ("back to my request", "tillbaka till
fakturorna"): the dialog takes a paused question up by them, the NLU reads what follows them."""


TALKING = re.compile(r"(?i)talk|speak|chat|convers|prat|snack|tala")
"""The beginnings of the words for talking, English and Swedish: looked for before a message's talk is
read more closely ("nice to speak with you", "prata med en människa")."""


_WHO = (
    r"(?:(?:a|an|en|ett)\s+)?(?:(?:real|live|actual|true|riktig|verklig|levande|äkta),?\s+)*"
    r"(?:person|human(?:\s+being)?|people|bot|robot|ai|machine|computer|chat\s*bot|program|agent"
    r"|automated\s+(?:service|system|assistant|chat|reply|answer)|människa|manniska|maskin|dator|chattbot)"
)
_ASKS_IF_A_BOT = re.compile(
    r"(?i)^\W*(?:(?:hi|hey|hello|hallå|hej|wait|sorry|so|ok(?:ay)?|um+|hmm+|quick\s+question|just\s+curious"
    r"|förlåt|vänta|okej)\W+)*(?:(?:can\s+you\s+tell\s+me|tell\s+me|may\s+i\s+(?:know|ask)"
    r"|i\s+(?:want|need|would\s+like)\s+to\s+know|i\s+wonder|i'?m\s+wondering|just\s+wondering)"
    r"\s+(?:if|whether)\s+|(?:får\s+jag\s+fråga|jag\s+undrar)\s+om\s+)?(?:"
    r"(?:am|are)\s+(?:i|we)\s+(?:talking|speaking|chatting|writing)\s+(?:to|with)\s+"
    r"|(?:i|we)\s+(?:am|are)\s+(?:talking|speaking|chatting|writing)\s+(?:to|with)\s+"
    r"|(?:are|r)\s+(?:you|u)\s+|you\s+are\s+|you'?re\s+|(?:is\s+)?(?:this|it)\s+is\s+|is\s+(?:this|it)\s+"
    r"|(?:pratar|talar|chattar|skriver|snackar)\s+(?:jag|vi)\s+med\s+|(?:jag|vi)\s+(?:pratar|talar|chattar"
    r"|skriver|snackar)\s+med\s+|är\s+(?:du|det\s+här|detta|det)\s+|du\s+är\s+"
    r")(?:"
    + _WHO
    + r"|(?<=you\s)(?:for\s+)?real|(?<=\bu\s)real|(?<=du\s)(?:på\s+riktigt|mänsklig))(?:\s+(?:or|eller)\s+(?:not|inte|"
    + _WHO
    + r"))?\W*(?:(?:or|eller)\W*)?$"
)
"""The assistant asked whether it is a person or a program, and nothing more ("am I talking to a real
person?", "are you a bot or a human", "tell me if you are a real person or an ai", "pratar jag med en
robot?", "är du en människa"): a question about the assistant, not a request for a person."""


def asks_if_a_bot(text: str) -> bool:
    """Whether the message only asks if the assistant is a person or a program (``_ASKS_IF_A_BOT``)."""
    return len(text) <= 120 and _ASKS_IF_A_BOT.match(text) is not None


_COMPLAINS = re.compile(
    r"(?i)(?<![\w-])(?:(?:not|inte|ej)\s+(?:acceptable|acceptabelt|okej|ok|good\s+enough|bra\s+nog)"
    r"|unacceptable|oacceptabel\w*|ridiculous|outrageous|absurd|löjligt|orimligt|skandal\w*|pinsamt"
    r"|disappointed|disappointing|besvikn?\w*|fed\s+up|sick\s+of|less\s+på|trött\s+på|frustrat\w*"
    r"|(?:so|very|really)\s+(?:annoyed|angry|upset)|(?:jätte|väldigt|så)\s*(?:arg|irriterad|upprörd)"
    r"|terrible\s+service|awful\s+service|useless|värdelös\w*|under\s+all\s+kritik"
    r"|(?:this|it)\s+is\s+a\s+joke|det\s+är\s+ett\s+skämt)(?![\w-])"
)
"""Dissatisfaction said outright: "this is not acceptable", "unacceptable", "helt orimligt", "we are
fed up", "jag är väldigt besviken"."""


def complains(text: str) -> bool:
    """Whether a message says the customer is dissatisfied (``_COMPLAINS``): answered with an apology and
    a person or a request offered, not with "I didn't understand"."""
    return _COMPLAINS.search(text) is not None


def names_a_person(text: str) -> bool:
    """Whether a message names a person to talk to, or the support that has them ("a human", "someone",
    "customer service", "en handläggare", "någon på supporten"): "nice talking to you" names only the
    assistant."""
    return _PERSON.search(text) is not None


FAMILY_WORDS: dict[str, str] = {
    **dict.fromkeys(("order", "orders", "ordern", "ordrarna", "beställningen"), "order"),
    **dict.fromkeys(("invoice", "invoices", "bill", "fakturan", "fakturorna"), "invoice"),
    **dict.fromkeys(("contract", "contracts", "agreement", "avtalet", "avtalen", "kontraktet"), "contract"),
    **dict.fromkeys(("statement", "kontoutdraget", "saldot"), "statement"),
    **dict.fromkeys(
        ("machine", "machines", "equipment", "maskinen", "maskiner", "maskinerna", "utrustningen"),
        "inventory",
    ),
    **dict.fromkeys(("request", "ticket", "case", "ärendet", "ärendena"), "request"),
}
"""The intent family a word names the records of: what "back to the contract" goes back to, and what
"and the machine at Kista?" asks again."""
