"""References to something already talked about: "my latest order", "den andra", "it", "that order".

A reference names a place in the conversation ("it", "the other one", "the first one"); one that also
names a kind of record ("that order", "this machine", "det avtalet") is an ``about`` entity, whose value
is the kind: the dialog takes that kind's record talked about last, or what is linked to it (the
machine's contract), and reads a reference within it ("den" of "den ordern") as part of it. It is kept
beside what else the words are, so the classifier sees them as before. "Not that one" ("inte den")
points away from the record: ``negated`` tells the dialog so.
"""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

TRIGGERS = wordset(
    """
    the my our min mitt mina vår vårt våra den det latest most newest senaste nyaste last first
    second other andra första sista it its that this same samma
    """
)
"""Words a reference starts with: without one of them the pattern is not run."""
_DET_AS_IT = (
    "(?:"
    + "|".join(
        rf"(?<={verb}\s)"
        for verb in (
            "skicka",
            "mejla",
            "maila",
            "visa",
            "öppna",
            "signera",
            "godkänn",
            "vidarebefordra",
            "ut",
            "mig",
            "oss",
            "mycket är",
            "mycket var",
        )
    )
    + r")det(?!\s+(?:är|var|blir|finns|gäller|går|kommer|står)\b)"
)
"""Swedish "det" is "it" only as the object of a verb that acts on a record ("skicka det till mig",
"mejla mig det", "skriv ut det") or of how much ("hur mycket är det?"): anywhere else it is far too common ("det är fel på…") to point back."""
# fmt: off
MARK_WORDS: dict[str, str] = {
    word: key
    for key, words in {
        "paid": ("paid", "betald", "betalda", "betalt", "betalade"),
        "unpaid": ("unpaid", "outstanding", "obetald", "obetalda", "obetalt"),
        "overdue": ("overdue", "förfallen", "förfallna", "förfallet"),
        "open": ("open", "öppen", "öppna", "öppet"),
        "cancelled": ("cancelled", "canceled", "makulerad", "makulerade", "makulerat", "annullerad"),
        "delivered": ("delivered", "levererad", "levererade", "levererat", "levererats"),
        "shipped": ("shipped", "sent", "dispatched", "skickad", "skickade", "skickat", "skickats"),
        "in_production": ("production", "produktion"),
        "confirmed": ("confirmed", "bekräftad", "bekräftade"),
        "active": ("active", "aktiv", "aktiva", "aktivt"),
        "expired": ("expired", "utgången", "utgångna", "utgånget"),
        "closed": ("closed", "stängd", "stängda", "stängt", "avslutad", "avslutade"),
        "leased": ("leased", "leasad", "leasade", "leasat"),
        "owned": ("owned", "ägd", "ägda", "köpt", "köpta"),
    }.items()
    for word in words
}
"""Words that tell one record of a list from the others ("the paid one", "den som är levererad"), to
the key a list's records are marked with (``TurnContext.set_shown``)."""
# fmt: on
_MARK = "(?:" + "|".join(sorted(MARK_WORDS, key=len, reverse=True)) + ")"
_NOT_PLACES = (
    r"(?!(?:morgon|dag|går|kväll|natt|helgen|veckan|månaden|år|fjol|förrgår|morse|eftermiddag|förmiddag"
    r"|tomorrow|today|yesterday|the\s+morning|the\s+evening|time|stock|production|produktion|lager"
    r"|fakturan|ordern|avtalet|kontraktet|ärendet|listan|mejlet|mailet|chatten|the\s+\w+)(?![\w-]))"
)
"""Words after "in" that are no site ("den i morgon", "the one in the list")."""
_ALONE = r"(?!\s+(?!(?:då|tack|please|pls|också|istället|och|or|eller)(?![\w-]))[^\W\d_])"
"""Said without a noun after it ("den obetalda", not "den leasade lagringen": a thing of its own)."""
_PLACE = _NOT_PLACES + r"[^\W\d_]{3,}"
_KIND_NOUN = (
    r"(?:invoice|bill|order|delivery|shipment|contract|agreement|machine|server|device|item|request|ticket"
    r"|case|fakturan|ordern|beställningen|leveransen|avtalet|kontraktet|maskinen|servern|enheten|ärendet)"
)
"""A kind of record named after what sets it apart ("that overdue invoice", "den obetalda fakturan")."""
_MARKED = (
    r"(?P<marked>"
    + (r"the\s+(?:(?:not|un)\s*)?" + _MARK + r"\s+one")
    # with its kind after it, which stays a word of the message: "that overdue invoice"
    + (r"|(?:the|that|this)\s+(?:(?:not|un)\s*)?" + _MARK + r"(?=\s+" + _KIND_NOUN + r"(?![\w-]))")
    + (
        r"|the\s+one\s+(?:that(?:'s|\s+is|\s+was|\s+has\s+been|\s+got)|which\s+is|(?:is|was))\s+"
        r"(?:still\s+|already\s+|not\s+(?:yet\s+)?)?(?:in\s+)?" + _MARK
    )
    + (r"|the\s+one\s+(?:in|at|from)\s+" + _PLACE)
    # the definite form alone, or with its kind: "den obetalda", "den förfallna fakturan"
    + (
        r"|(?:den|det)\s+(?=[^\W\d_]+[ae](?![\w-]))"
        + _MARK
        + r"(?:"
        + _ALONE
        + r"|(?=\s+"
        + _KIND_NOUN
        + r"(?![\w-])))"
    )
    + (
        r"|(?:den|det)\s+som\s+(?:inte\s+)?(?:är|var|har|blev|blivit|har\s+blivit)\s+"
        r"(?:redan\s+|inte\s+|fortfarande\s+)?(?:i\s+)?" + _MARK
    )
    + (r"|den\s+(?:som\s+(?:står|finns|sitter|är)\s+)?i\s+" + _PLACE)
    + r")"
)
"""A record of the list just shown told by what sets it apart: its status ("the paid one", "the one
that's not paid", "den obetalda", "den som har skickats", "that overdue invoice", "den obetalda fakturan") or its site ("the one in Göteborg", "den som
står i Kista")."""
_NOT_A_PERIOD = r"(?!\s+(?:veckan|månaden|året|kvartalet|perioden)(?![\w-]))"
"""After "den här", "den där": not a period ("den här veckan")."""
_NOT_A_DATE = r"(?!\s+(?:kvartalet|kvartal|\w+ari|mars|april|maj|juni|juli|augusti|\w+ber))"
"""After a Swedish ordinal: not a quarter or a day of a month ("den andra kvartalet", "den tredje maj")."""
_REFERENCE = re.compile(
    r"(?<![\w-])(?:" + _MARKED + r"|"
    r"(?P<latest>(?:(?:the\s+|my\s+|our\s+)?(?:latest|most\s+recent|newest)|(?:min|mitt|mina|vår|vårt|våra|den|det)"
    r"\s+(?:senaste|nyaste)|senaste|nyaste|(?:my|our)\s+last|last(?=\s+(?:order|invoice|delivery|shipment|"
    r"request|ticket|contract|bill|statement)))(?!\s+(?:version|versionen|versions|versioner)\b))"
    r"|(?P<other>the\s+other(?:\s+one)?|(?:den|det)\s+andra" + _NOT_A_DATE + r"|the\s+remaining\s+one)"
    r"|(?P<first>the\s+first(?:\s+one)?|first\s+one|(?:den|det)\s+första(?!\s+(?:kvartalet|kvartal)))"
    r"|(?P<second>the\s+(?:second|2nd)(?:\s+one)?|second\s+one)"
    r"|(?P<third>the\s+(?:third|3rd)(?:\s+one)?|third\s+one|(?:den|det)\s+tredje" + _NOT_A_DATE + ")"
    r"|(?P<fourth>the\s+(?:fourth|4th)(?:\s+one)?|fourth\s+one|(?:den|det)\s+fjärde" + _NOT_A_DATE + ")"
    r"|(?P<fifth>the\s+(?:fifth|5th)(?:\s+one)?|fifth\s+one|(?:den|det)\s+femte" + _NOT_A_DATE + ")"
    r"|(?P<last>the\s+last\s+one|last\s+one|(?:den|det)\s+sista)"
    r"|(?P<it>its?|that\s+one|this\s+one|den\s+här"
    + _NOT_A_PERIOD
    + r"|den\s+där"
    + _NOT_A_PERIOD
    + r"|den(?!\s+\d)(?!\s+(?:förra|nästa|kommande|här|där)\s+(?:veckan|månaden|året|kvartalet|perioden))"
    + r"(?!\s+(?:första|andra|tredje|fjärde|femte)(?![\w-]))|"
    + _DET_AS_IT
    + ")"
    r")(?![\w-])",
    re.IGNORECASE,
)
_PLACES = wordset(
    """
    latest most newest senaste nyaste last other andra remaining first första second sista it its one den det
    2nd third 3rd tredje fourth 4th fjärde fifth 5th femte
    """
)
"""A word every reference has ("the other one" has "other", "that one" has "one")."""
_MARKS = frozenset(MARK_WORDS)
"""The words of a mark: a reference by one need no other word of ``_PLACES`` ("that overdue invoice")."""
_NOT = re.compile(r"(?i)(?:\bnot|\binte)\s*$")
"""Said right before a reference, it points away from it: "not that one, the other"."""

# fmt: off
_KINDS: dict[str, tuple[str, ...]] = {
    "order": ("order", "ordern", "beställningen", "beställning", "delivery", "leveransen", "shipment"),
    "invoice": ("invoice", "bill", "fakturan", "faktura"),
    "contract": ("contract", "agreement", "avtalet", "avtal", "kontraktet", "kontrakt"),
    "item": (
        "machine", "server", "system", "device", "item", "box", "unit", "licence", "license", "product",
        "maskinen", "maskin", "servern", "server", "systemet", "enheten", "utrustningen", "datorn",
        "licensen", "produkten",
    ),
    "request": ("request", "ticket", "case", "ärendet", "ärende"),
}
# fmt: on
_KIND_OF = {word: kind for kind, ws in _KINDS.items() for word in ws}
KIND_WORDS = frozenset(_KIND_OF)
"""Words that name a kind of record talked about ("machine", "avtalet"), lower-cased."""
_POINTERS = wordset("that this same den det samma")
"""A word every ``about`` phrase begins with (beside one of ``KIND_WORDS``)."""
_ABOUT = re.compile(
    r"(?<![\w-])(?:that|this|the\s+same|same|(?:den|det)(?:\s+(?:här|där))?|samma)\s+(?P<kind>"
    + "|".join(sorted(_KIND_OF, key=len, reverse=True))
    + r")(?![\w-])(?!\s*[#:]?\s*\d)",
    re.IGNORECASE,
)


def references(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """References and records pointed at by kind. ``words``, the lower-cased words of a text in ASCII
    (where lower-casing is exactly how the patterns ignore case), lets a pattern be skipped when the
    words it needs are not there."""
    if words is None or not _PLACES.isdisjoint(words) or not _MARKS.isdisjoint(words):
        for m in _REFERENCE.finditer(text):
            found = Found("reference", m.lastgroup, m.start(), m.end())
            if m.lastgroup == "marked":
                claims.beside(found)  # (beside the site it names: "the one in Göteborg")
            else:
                claims.add(found)
    if words is not None and (_POINTERS.isdisjoint(words) or KIND_WORDS.isdisjoint(words)):
        return
    for m in _ABOUT.finditer(text):
        # Beside the words' other readings ("den" of "den ordern" stays a reference for the classifier).
        claims.beside(Found("about", _KIND_OF[m["kind"].lower()], m.start(), m.end()))


_MARK_SAID = re.compile(r"(?i)(?<![\w-])" + _MARK + r"(?![\w-])")
_NOT_SAID = re.compile(r"(?i)(?<![\w-])(?:not|inte|ej)(?![\w-])")
_PLACE_SAID = re.compile(r"(?i)(?:\s(?:in|at|from|i|på)\s+)(?P<place>[^\W\d_]{3,})\s*$")


def marks_said(text: str) -> list[str]:
    """What a record told by what sets it apart must be marked with ("the one that's not paid": unpaid;
    "den som står i Kista": kista), each key as ``MARK_WORDS`` has it, or a site lower-cased; a key
    after "!" is one it must not be marked with ("den som inte är levererad")."""
    keys: list[str] = []
    for m in _MARK_SAID.finditer(text):
        key = MARK_WORDS[m.group().lower()]
        if _NOT_SAID.search(text, 0, m.start()):
            key = "unpaid" if key == "paid" else "!" + key
        keys.append(key)
    place = _PLACE_SAID.search(text)
    if place is not None and place["place"].lower() not in MARK_WORDS:
        keys.append(place["place"].lower())
    return keys


def negated(text: str, start: int) -> bool:
    """Whether a reference at ``start`` is said after "not"/"inte": "not that one" points away from it."""
    return _NOT.search(text, 0, start) is not None
