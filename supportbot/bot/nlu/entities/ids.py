"""Document numbers: invoices, credit notes, contracts, requests, purchase orders, customers, orders.

A number written after the word that names its kind ("invoice 2031", "avtal 1001") is that kind's
number, in the catalogue's shape (INV-2031, C-1001): the user said what it is. A word one typo away
from such a word ("ordr 4712", "fakutra 2031", "kontarkt 1001") names it as well: a typo around the
record word must never lose the number the user typed. A bare number is an
order number only where the message is about orders (or is nothing but the number), and never when it
looks like a year, a model number ("FlashSystem 5200"), an amount or a date (those are claimed first).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from supportbot.bot.nlu.entities.found import Claims, Found, WordTest
from supportbot.bot.nlu.lexicon import STOPWORDS
from supportbot.bot.nlu.text import fold, wordset

_PREFIXED = re.compile(
    r"(?<![\w-])(?:"
    r"inv[-\s]?(?P<inv>\d{2,10})"
    r"|cn[-\s]?(?P<cn>\d{2,10})"
    r"|rq[-\s]?(?P<rq_y>(?:19|20)\d{2})[-\s](?P<rq_n>\d{1,8})"
    r"|rq[-\s]?(?P<rq>\d{2,12})"
    r"|ar-(?P<ar>\d{1,10})"
    r"|(?P<po>[a-z0-9]{1,10}-po-[a-z0-9-]*\d[a-z0-9]*|po-\d[a-z0-9-]*)"
    r"|c-(?P<c>\d{3,8})|c(?P<c2>\d{4,8})|c\s(?P<c3>\d{4,8})"
    r")(?![\w-])",
    re.IGNORECASE,
)

# fmt: off
_KINDS: dict[str, tuple[str, ...]] = {
    "invoice_number": (
        "invoice", "invoices", r"inv\.", "faktura", "fakturan", "fakturor", "fakturorna", "fakturanummer",
        "fakturanumret", "fakturanr", "bill", "bills",
    ),
    "credit_number": (
        r"credit\s+note", r"credit\s+memo", "creditnote", "kreditnota", "kreditnotan",
        "kreditfaktura", "kreditfakturan",
    ),
    "contract_number": (
        "contract", "contracts", "agreement", "agreements", "avtal", "avtalet", "avtalen", "avtalsnummer",
        "avtalsnr", "kontrakt", "kontraktet",
    ),
    "request_number": (
        "request", "requests", "ticket", "tickets", "case", "cases", "ärende", "ärendet", "ärenden", "ärendena",
        "ärendenummer", "ärendenr",
    ),
    "customer_number": (
        "customer", r"cust\.", "cust", "kund", "kundnummer", "kundnumret", "kundnr", "kund-nr",
        r"our\s+number", r"vårt\s+nummer", r"vart\s+nummer",
    ),
    "po_number": (
        r"purchase\s+order", r"p\.o\.", "po", "inköpsorder", "inköpsordern", "inköpsordernummer",
        "inköpsordernr",
    ),
    "order_number": (
        "order", "orders", "ord", "ordern", "ordernummer", "ordernumret", "ordernr", "order-nr", "ordrar",
        "ordrarna", "beställning", "beställningen", "beställningsnummer", "beställningar",
        "purchase", "purchases", "köpet", "inköpet",
    ),
}
# fmt: on
_KIND_OF = {fold(re.sub(r"\\s\+", " ", k).replace("\\", "")): kind for kind, ks in _KINDS.items() for k in ks}
WORDED_KINDS = frozenset(_KINDS)
"""The kinds of record a word names ("order", "fakturan"): items and statements have none."""
_PLURALS = frozenset(
    {
        "invoices",
        "bills",
        "fakturor",
        "fakturorna",
        "contracts",
        "agreements",
        "avtalen",
        "orders",
        "ordrar",
        "ordrarna",
        "beställningar",
        "purchases",
        "requests",
        "tickets",
        "cases",
        "ärenden",
        "ärendena",
    }
)

_KEYWORD = re.compile(
    r"(?<![\w-])(?P<kw>"
    + "|".join(sorted((k for ks in _KINDS.values() for k in ks), key=len, reverse=True))
    # The record word ends where its word does ("PO12345" has its number right after it, "power10"
    # no record word at all).
    + r")(?![^\W\d_])(?:\s*(?:number|num|no\.?|nr\.?|nummer|numret|id|is|är|ar|\#|:|=|-)(?![^\W\d_]))*\s*#?\s*\(?"
    # A number may be written in groups of three, as Swedes write figures ("order 4 712").
    r"(?P<id>\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)|[a-z0-9][a-z0-9/-]*\d[a-z0-9-]*|\d+)(?![\w-])",
    re.IGNORECASE,
)


def _leads() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How the record words begin (their first letters, lower-cased), and the few too short to tell
    by that, as written ("p.o.")."""
    starts: set[str] = set()
    written: set[str] = set()
    for ks in _KINDS.values():
        for k in ks:
            head = re.match(r"[^\W\d_]*", k)
            if head is not None and len(head.group()) >= 2:
                starts.add(head.group())
            else:
                written.add(k.replace("\\", ""))
    return tuple(sorted(starts)), tuple(sorted(written))


_KEYWORD_STARTS, _KEYWORD_WRITTEN = _leads()
"""A number after a record word needs a word that begins as one does (or, for "p.o.", its letters)."""
_BEGINS_RECORD_WORD = WordTest(lambda w: w.startswith(_KEYWORD_STARTS))

_TYPO_KEYWORDS: dict[str, str] = {
    fold(k): kind for kind, ks in _KINDS.items() for k in ks if k.isalpha() and len(k) >= 5
}
"""The record words a typo is looked for in: single words long enough that one slip still names them."""
_NOT_TYPOS = wordset("older border antal under other offer orden ordet avtar invite invited")
"""Words one slip from a record word that are words of their own ("older than 2020", "antal 100")."""
_TYPO_KEYWORD = re.compile(
    r"(?<![\w-])(?P<kw>[^\W\d_]{4,14})(?:\s*(?:number|no\.?|nr\.?|nummer|\#|:))?\s*#?\s*"
    r"(?P<id>\d{3,10})(?![\w/-]|[.,]\d)",
    re.IGNORECASE,
)

_UNITS = wordset(
    "units unit pcs pieces piece st styck stycken items item licenses licences licens licenser copies ex seats users"
)

BARE_NUMBER = re.compile(r"(?<![\w.,/:+-])(?P<hash>#\s?)?(?P<n>\d{3,10})(?![\w/:-]|[.,]\d)")
"""A number said alone, of no record word or code ("4711", "#4711"): its digits are the group ``n``."""
_BARE = BARE_NUMBER
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ID_SHAPE = re.compile(r"\d{3,10}")
_GROUP_SPACE = re.compile(r"[ \u00a0]")
_ORDER_ID_SHAPE = re.compile(r"\d{3,20}")
"""An order's number after an order's word: as long as a customer may copy one from their own
systems ("order 370795561790"); one that is not ours is then not found, rather than not heard."""
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")

_FILLERS = wordset(
    "nr no number nummer num numret tack thanks thx please pls plz snälla status och o and or eller"
    " hi hey hello hej hejsan hallå tjena tja good morning god morgon ok okay okej btw förresten wait vänta"
    " hang hold on again igen then då instead istället whatever anyway anyways alright fine sorry oops förlåt"
    " oj ursäkta mean meant menar menade rather hm hmm hmmm mm typo mistyped typed wrong skrev fel felskrivning"
    " should be been ska skulle vara actually faktiskt nej nä"
    " kundnummer kundnumret kundnr customer cust"
)
"""Words that may surround a bare order number that is the whole answer: "nr 4711", "4711 tack", "hey
where is 4711", "hang on, where is 4711 btw", a correction ("oj, skrev fel, 4711 ska det vara")."""
_LEADS = wordset(
    "check kolla find hitta show visa look lookup regarding angående about see se track spåra what how vad hur where var"
    " where's wheres what's whats"
    " news update updates progress nytt nyheter uppdatering details detaljer info information läget läge"
)
"""Words that may lead a bare order number in a short follow-up: "check 4711", "what about 4712?", "any
news on 4712?", "något nytt om 4712?"."""

ORDER_CONTEXT = frozenset(
    fold(w)
    for w in wordset(
        """
        order orders ord ordern ordrar ordrarna orderns ordernummer ordernr orderstatus beställning
        beställningen beställningar beställningarna package packages parcel parcels shipment shipments
        delivery deliveries deliver delivered leverans leveransen leveranser levererad levererats
        levereras paket paketet försändelse försändelsen sändning sändningen tracking track trace
        spåra spårning shipped ship shipping skickad skickats skickas skickade dispatched arrive arrived
        arriving kommer status eta po purchase purchases köpet inköpet delayed late försenad försenade
        försenat försening förseningen postnord dhl ups fedex schenker bring dsv gls inköpsorder
        inköpsordern inköpsordernummer inköpsordernr taking long waiting dröjer väntar
        """
    )
)

ORDER_COMPOUNDS = ("leverans", "bestallning")
"""Swedish compounds of an order's words are order words too, however many there are:
"leveransadressen för 4712", "leveranstiden för 4711" (folded)."""


_ASKED_OF_BEFORE = re.compile(
    r"(?i)\b(?:status\s+of|status\s+on|status\s+för|status\s+på|show|visa|see|sign|signera|approve"
    r"|godkänn|renew|förnya|history\s+of|historik\s+för)\W*$"
)
_CONTRACT_WORD_BEFORE = re.compile(r"(?i)\b(?:avtal\w*|contracts?|kontrakt\w*|agreements?)\W+$")


def prefixed_ids(text: str, claims: Claims) -> None:
    """IDs that carry their kind in their shape: INV-2031, CN-0107, C-1001, RQ-2026-000123, NV-PO-889,
    and access requests, AR-000012 (only with the hyphen: "ar 4711" is a Swede's "är" without dots)."""
    for m in _PREFIXED.finditer(text):
        if m["inv"]:
            found = Found("invoice_number", f"INV-{m['inv']}", m.start(), m.end())
        elif m["cn"]:
            found = Found("credit_number", f"CN-{m['cn']}", m.start(), m.end())
        elif m["rq_y"]:
            found = Found("request_number", f"RQ-{m['rq_y']}-{int(m['rq_n']):06d}", m.start(), m.end())
        elif m["rq"]:
            found = Found("request_number", f"RQ-{m['rq']}", m.start(), m.end())
        elif m["ar"]:
            found = Found("access_request_number", f"AR-{int(m['ar']):06d}", m.start(), m.end())
        elif m["po"]:
            found = Found("po_number", m["po"].upper(), m.start(), m.end())
        elif (
            m["c3"]
            and not _CONTRACT_WORD_BEFORE.search(text, 0, m.start())
            and not _ASKED_OF_BEFORE.search(text, 0, m.start())
        ):
            # "C 1001" spaced is a contract's only after its word ("avtal C 1001"; not "vitamin C 1000")
            # or a look-up's ("status of c 1001", "visa c 1003")
            continue
        else:
            found = Found("contract_number", f"C-{m['c'] or m['c2'] or m['c3']}", m.start(), m.end())
        claims.add(found)


_SPACED_CUSTOMER = re.compile(
    r"(?i)(?<![\w-])(?:customer\s+(?:number|no\.?|nr\.?)|cust\.?\s*(?:no|nr)\.?|kundnummer|kundnumret|kundnr\.?"
    r"|kund-nr)(?:\s+(?:is|är|ar))?\s*:?\s*(?P<id>\d{1,3}(?:[ \u00a0]\d{3}){1,3})(?![\w-])"
)
"""A customer number written in groups of three, as on a letter ("kundnummer 1 000 123")."""


_OTHER_REQUEST_DIGITS = 5
"""A number this long after a request's word is taken as the request's number even in no shape of ours
("ärende 551203"): the answer then says no such request was found, rather than listing them all."""


def keyword_ids(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """Numbers written right after the word for their kind: "invoice 2031", "kundnummer 1000123".

    ``words``, the lower-cased words of a text where lower-casing is how the pattern ignores case
    (ASCII, or Latin-1 without the micro sign), let a message with no word that begins as a record word
    does be passed over before the pattern runs (a record word begins a word: the pattern wants no
    letter or digit before it)."""
    if (
        words is not None
        and not _BEGINS_RECORD_WORD.any(words)
        and not any(k in text.lower() for k in _KEYWORD_WRITTEN)
    ):
        return
    if " " in text or "\u00a0" in text:
        for m in _SPACED_CUSTOMER.finditer(text):
            grouped = re.sub(r"\D", "", m["id"])
            if len(grouped) >= 4:
                claims.add(Found("customer_number", grouped, m.start("id"), m.end("id")))
    for m in _KEYWORD.finditer(text):
        written = m["kw"]
        keyword = fold(written if written.isalpha() else re.sub(r"\s+", " ", written))
        kind = _KIND_OF.get(keyword)
        ident = m["id"]
        if " " in ident or "\u00a0" in ident:
            ident = _GROUP_SPACE.sub("", ident)
        start, end = m.start("id"), m.end("id")
        if kind is None or not claims.free(start, end):
            continue
        digits = ident.isdigit()
        year_like = digits and len(ident) == 4 and 1900 <= int(ident) <= 2099
        if kind == "po_number":
            if _ISO.fullmatch(ident):
                continue
            value: str = ident.upper()
        elif kind == "request_number":
            rq = re.fullmatch(r"((?:19|20)\d{2})-(\d{1,8})", ident)
            if rq is not None:
                value = f"RQ-{rq[1]}-{int(rq[2]):06d}"
            elif digits and len(ident) >= _OTHER_REQUEST_DIGITS and not year_like:
                value = (
                    ident  # "request 904512": a number of another shape, looked up (and not found) as typed
                )
            else:
                continue
        elif (
            not digits
            or not (_ORDER_ID_SHAPE if kind == "order_number" else _ID_SHAPE).fullmatch(ident)
            or (year_like and keyword in _PLURALS)
        ):
            continue
        elif kind in PREFIXES:
            value = numbered(kind, ident)
        elif kind == "customer_number":
            if len(ident) < 4:
                continue
            value = ident
        elif _counts_things(text, end):
            continue
        else:
            value = ident
        claims.add(Found(kind, value, start, end))


def typo_keyword_ids(text: str, claims: Claims, *, words: frozenset[str] | None = None) -> None:
    """Numbers after a record word typed with one slip: "ordr 4712", "whre is ordre 4711", "fakutra 2031".

    One edit (a letter missing, extra, wrong or two swapped) from a record word of five letters or more,
    two from one of nine or more, with the first letter right: the number is that kind's.

    ``words``, the lower-cased words of a text where lower-casing is how the pattern ignores case, let
    a message be passed over before the pattern runs when no word begins with such a slip (the word
    the pattern takes begins a word of the text)."""
    if words is not None and not _BEGINS_TYPO.any(words):
        return
    for m in _TYPO_KEYWORD.finditer(text):
        word = fold(m["kw"])
        if word in _KIND_OF or word in _NOT_TYPOS or not claims.free(m.start("id"), m.end("id")):
            continue
        kind = _typo_kind(word)
        ident = m["id"]
        if kind is None or kind in ("po_number", "request_number", "customer_number"):
            continue
        if len(ident) == 4 and 1900 <= int(ident) <= 2099 and word.endswith("s"):
            continue  # "ordrs 2025": a year of orders, as "orders 2025" is
        if kind == "order_number" and _counts_things(text, m.end("id")):
            continue
        claims.add(Found(kind, numbered(kind, ident), m.start("id"), m.end("id")))


PREFIXES = {"invoice_number": "INV-", "credit_number": "CN-", "contract_number": "C-"}
"""The kinds of record whose numbers are written with their kind's prefix, and the prefix."""


def numbered(kind: str, digits: str) -> str:
    """A record's number of ``kind`` from its digits as typed ("2031" of an invoice: INV-2031)."""
    return PREFIXES.get(kind, "") + digits


def named_kind(word: str) -> str | None:
    """The kind of record a word names as written ("fakturan", "orders"; no typo), if any."""
    return _KIND_OF.get(fold(word))


def is_plural(word: str) -> bool:
    """Whether a record word names several records ("orders", "ordrar"): a list, not one record."""
    return word.lower() in _PLURALS


def record_kind(word: str) -> str | None:
    """The kind of record a word names ("order", "fakturan", or one slip from one, "ordr"), if any."""
    folded = fold(word)
    return _KIND_OF.get(folded) or (None if folded in _NOT_TYPOS or len(folded) < 4 else _typo_kind(folded))


def _typo_kind(word: str) -> str | None:
    """The kind of the record word ``word`` (folded) is one slip from, if any."""
    for keyword, kind in _TYPO_KEYWORDS.items():
        if keyword[0] != word[0] or abs(len(keyword) - len(word)) > 2:
            continue
        allowed = 2 if len(keyword) >= 9 else 1
        if OSA.distance(word, keyword, score_cutoff=allowed) <= allowed:
            return kind
    return None


def _begins_typo(word: str) -> bool:
    """Whether ``word`` (lower-cased) begins with what ``typo_keyword_ids`` reads as a record word's slip:
    the whole word, or all of it but a "nr" or "number" written on to it ("ordrnr")."""
    for n in range(4, min(len(word), 14) + 1):
        if n < len(word) and word[n:] not in _NUMBER_WORDS:
            continue
        folded = fold(word[:n])
        if folded not in _KIND_OF and folded not in _NOT_TYPOS and _typo_kind(folded) is not None:
            return True
    return False


_NUMBER_WORDS = frozenset({"number", "no", "nr", "nummer"})
"""The words for "number" the typo pattern lets follow a record word, written on to it or not."""


_BEGINS_TYPO = WordTest(_begins_typo)


def bare_order_numbers(text: str, claims: Claims) -> None:
    """Plain numbers that can only be order numbers here: "#4711", "has 4711 shipped?", "4711"."""
    numbers = [m for m in _BARE.finditer(text) if claims.free(m.start(), m.end())]
    if not numbers:
        return
    words = [fold(w) for w in _WORDS.findall(text)]
    # (a word of orders, or one asking to look it up: "4712 skulle varit klar förra veckan, kan ni kolla?")
    context = any(_of_orders(w) or w in _LOOK_UP for w in words)
    rest = _WORDS.findall(_BARE.sub(" ", text).lower())
    # (a small word typed without its å, ä or ö is one too: "var ar 4712 da")
    only_numbers = all(
        w in STOPWORDS or fold(w) in _FOLDED_STOPWORDS or w in _FILLERS or _a_lead(w) for w in rest
    )
    for m in numbers:
        n = m["n"]
        if not m["hash"]:
            if len(n) == 4 and 1900 <= int(n) <= 2099:
                continue
            if not (context or only_numbers):
                continue
            window = text[max(0, m.start() - 40) : m.start()]
            before = _WORDS.findall(window)
            if before and not (context and _LIST_START.search(window)):
                # (in a message of orders, a number after a comma starts a list: "two orders open, 4711
                # and 4712")
                written = before[-1].lower()
                previous = fold(written)  # (the context's words are folded; the others as written)
                # (a small word typed without its å, ä or ö is one too: "status pa 4712")
                allowed = written in STOPWORDS or previous in _FOLDED_STOPWORDS or _of_orders(previous)
                if not (allowed or written in _FILLERS or _a_lead(written)):
                    continue  # "FlashSystem 5200": the number belongs to the word before it
        if _counts_things(text, m.end()):
            continue
        claims.add(Found("order_number", n, m.start(), m.end()))


_LONG_CONTEXT = tuple(w for w in ORDER_CONTEXT if len(w) >= 6)
_LIST_START = re.compile(r"[,:;(]\s*#?$")
_LOOK_UP = wordset("check kolla track spara")
"""Words asking for a record to be looked up, wherever they stand (folded)."""
_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
_LONG_LEADS = tuple(w for w in _LEADS if len(w) >= 4)


@lru_cache(maxsize=4096)
def _a_lead(word: str) -> bool:
    """Whether a word (lower-cased) may lead a bare order number (``_LEADS``), typed with one slip or
    not ("whre is 4711", "chek 4712")."""
    if word in _LEADS:
        return True
    return len(word) >= 4 and word not in _NOT_TYPOS and _one_slip_from(word, _LONG_LEADS)


@lru_cache(maxsize=4096)
def _of_orders(word: str) -> bool:
    """Whether a word (folded) speaks of orders: one of ``ORDER_CONTEXT``, a compound of an order's word,
    or a long one of them with one slip ("leverns", "shippment")."""
    if word in ORDER_CONTEXT or word.startswith(ORDER_COMPOUNDS):
        return True
    return len(word) >= 6 and word not in _NOT_TYPOS and _one_slip_from(word, _LONG_CONTEXT)


def _one_slip_from(word: str, words: tuple[str, ...]) -> bool:
    """Whether ``word`` is one of ``words`` with one slip (a letter wrong, missing, extra or swapped),
    its first letter right."""
    return any(
        w[0] == word[0] and abs(len(w) - len(word)) <= 1 and OSA.distance(word, w, score_cutoff=1) <= 1
        for w in words
    )


def _counts_things(text: str, end: int) -> bool:
    """A quantity ("order 100 units"), not an order number."""
    following = _WORDS.match(text, end + 1) if end < len(text) else None
    return following is not None and following.group().lower() in _UNITS
