"""Dates and periods, resolved against today: "last month", "sedan 1 maj", "1/5", "Q3", "i år".

Choices, so that the results are predictable:
- a period is a whole calendar unit: "last month" is the previous calendar month, "this year" runs from
  1 January to 31 December, "last week" is the previous Monday-to-Sunday week;
- "last 30 days" / "senaste 30 dagarna" is a rolling window ending today, today included (30 days);
  "past week" / "senaste veckan" is the rolling last 7 days;
- a day or month without a year: a single day is the occurrence nearest today; a month, a quarter or
  a range of days is the latest one that has begun (searches look back);
- "1/5" is day/month (1 May), as written in Sweden and Germany; "01.05.2026" likewise;
- "since X" runs from X to today; "between X and Y" / "from X to Y" from X's start to Y's end.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

# fmt: off
_MONTHS = {
    "january": 1, "jan": 1, "januari": 1,
    "february": 2, "feb": 2, "februari": 2,
    "march": 3, "mar": 3, "mars": 3,
    "april": 4, "apr": 4,
    "may": 5, "maj": 5,
    "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7,
    "august": 8, "aug": 8, "augusti": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30, "ninety": 90,
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "fjorton": 14, "trettio": 30, "nittio": 90,
}
_ORDINALS = {
    "first": 1, "1st": 1, "första": 1, "second": 2, "2nd": 2, "andra": 2,
    "third": 3, "3rd": 3, "tredje": 3, "fourth": 4, "4th": 4, "fjärde": 4,
}
# fmt: on
# Month words that are also ordinary words or names: a month only with a day, a year or "in"/"i".
_AMBIGUOUS_MONTHS = wordset("may mar jan feb apr jun jul aug sep sept oct okt nov dec mars")

_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|:e|:a|e)?"
_ART = r"(?:the\s+|den\s+)?"
_NUMW = r"\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_TO = r"\s*(?:-|–|—|to|till|until|through|thru|and|och|tom|t\.o\.m\.?)\s*"


def _dm(n: str) -> str:
    """A day and month, either order, optionally with a year; groups suffixed with ``n``."""
    return (
        rf"(?:{_ART}(?P<d{n}>{_DAY})(?:\s+of)?\s+(?P<m{n}>{_MONTH})(?:,?\s+(?P<y{n}>{_YEAR}))?"
        rf"|(?P<mm{n}>{_MONTH})\s+{_ART}(?P<dd{n}>{_DAY})(?![\d.:/])(?:,?\s+(?P<yy{n}>{_YEAR}))?)"
    )


_PATTERNS = [
    ("iso_range", rf"(?P<a>{_YEAR}-\d{{1,2}}-\d{{1,2}}){_TO}(?P<b>{_YEAR}-\d{{1,2}}-\d{{1,2}})"),
    (
        "days_range",
        (
            rf"{_ART}(?P<d1>{_DAY})\s*(?:-|–|—|to|till|until|and|och)\s*{_ART}(?P<d2>{_DAY})(?:\s+of)?"
            rf"\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "month_days_range",
        (
            rf"(?P<m>{_MONTH})\s+(?P<d1>{_DAY})\s*(?:-|–|—|to|till|until|and|och)\s*(?P<d2>{_DAY})"
            rf"(?![\d.:/])(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    ("iso", rf"(?P<y>{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?![\d-])"),
    ("dotted", rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>{_YEAR})?(?!\d)"),
    ("slashed", rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>{_YEAR}|\d{{2}}))?(?![\d/])"),
    ("day_month", _dm("")),
    (
        "quarter",
        (
            rf"(?:q|k)(?P<q>[1-4])(?:\s*[-/]?\s*(?P<y>{_YEAR}))?(?!\w)|(?P<y2>{_YEAR})\s*[-/]?\s*q(?P<q2>[1-4])"
            r"|(?P<qo>first|1st|second|2nd|third|3rd|fourth|4th|första|andra|tredje|fjärde)\s+"
            rf"(?:quarter|kvartalet|kvartal)(?:\s+(?:of\s+)?(?P<y3>{_YEAR}))?"
            rf"|(?:quarter|kvartal)\s+(?P<q3>[1-4])(?:\s+(?P<y4>{_YEAR}))?"
        ),
    ),
    (
        "rolling",
        (
            r"(?:(?:in|over|during|for|within|inom|under)\s+)?(?:the\s+)?(?:last|past|previous|recent|de\s+senaste|"
            r"senaste|de\s+sista|sista|de\s+gångna|gångna|under\s+de\s+senaste"
            r"|(?P<ahead>next|coming|de\s+närmaste|närmaste|de\s+kommande|kommande))\s+"
            rf"(?P<n>{_NUMW})\s+(?P<unit>days?|weeks?|months?|years?|dagarna|dagar|dygn|veckorna|veckor|"
            r"månaderna|månader|åren|år)"
        ),
    ),
    (
        "relative",
        (
            r"(?P<rel>(?:the\s+)?day\s+before\s+yesterday|i\s*förrgår|yesterday|i\s*går|today|i\s*dag|"
            r"tomorrow|i\s*morgon"
            r"|(?:last|previous|past|this|current|next|coming|förra|föregående|denna|detta|innevarande|den\s+här|"
            r"det\s+här|senaste|nuvarande|nästa|kommande)\s+(?:calendar\s+)?"
            r"(?:week|month|year|quarter|veckans|veckan|vecka|månadens|månaden|månad|årets|året|år|kvartalets|kvartalet|kvartal)"
            # "last months statement", "this years invoices": the possessive without its apostrophe,
            # before what it is of ("the last months" alone are some months, not one).
            r"|(?<!the\s)(?:last|previous|this|current)\s+(?:week|month|year|quarter)s(?=\s+(?!and\b|or\b)[^\W\d_])"
            r"|i\s+veckan|i\s+månaden|i\s+år|i\s*fjol|year\s+to\s+date|ytd|hittills\s+i\s+år"
            r"|(?:(?:the\s+)?(?:whole|entire|full)\s+(?:week|month|year)|all\s+year|hela\s+(?:veckan|månaden|året))"
            r"(?!\s+(?:of\s+)?\d)"
            r")"
        ),
    ),
    ("month", rf"(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?"),
    ("year", rf"(?P<pre>in|during|for|since|from|year|fy|i|under|för|sedan|från|år|året)\s*(?P<y>{_YEAR})"),
]


def _prefixed(kind: str, body: str) -> str:
    """Name every group ``kind__name`` so one alternation can hold patterns that reuse names."""
    return re.sub(r"\(\?P<(\w+)>", lambda g: f"(?P<{kind}__{g[1]}>", body)


_ALTERNATIVES = {kind: f"(?P<{kind}>(?:{_prefixed(kind, body)})(?![\\w-]))" for kind, body in _PATTERNS}


def _compile(kinds: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the alternatives ``kinds``, in the order of ``_PATTERNS``."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(_ALTERNATIVES[k] for k in kinds) + ")", re.IGNORECASE)


_DATES = _compile(tuple(_ALTERNATIVES))
_BY_KINDS: dict[tuple[str, ...], re.Pattern[str]] = {tuple(_ALTERNATIVES): _DATES}
"""The pattern for each set of alternatives a message may need (few sets occur: numbers, months, words)."""
_YEAR_DIGITS = re.compile(_YEAR)
_DIGIT = re.compile(r"\d")
_QUARTER_CODE = re.compile(r"[qk][1-4]")
_MONTH_WORDS = frozenset(_MONTHS)
_ROLLING_WORDS = (
    "last", "past", "previous", "recent", "senaste", "sista", "gångna", "next", "coming", "närmaste", "kommande",
)  # fmt: skip
_RELATIVE_WORDS = (
    "yesterday", "går", "today", "dag", "tomorrow", "morgon", "week", "month", "year", "quarter", "veck",
    "månad", "år", "kvartal", "fjol", "ytd",
)  # fmt: skip
"""A part every phrase of the ``relative`` alternative has ("året" has "år", "i dag" "dag")."""
TRIGGERS = wordset(
    """
    yesterday today tomorrow går dag idag igår morgon imorgon förrgår iförrgår last past previous this
    current next coming förra föregående denna detta innevarande senaste sista gångna nästa kommande år
    fjol ifjol year ytd whole entire full hela
    quarter kvartal kvartalet veckan vecka månaden månad året q1 q2 q3 q4 k1 k2 k3 k4
    first second third fourth 1st 2nd 3rd 4th första andra tredje fjärde week month
    """
) | frozenset(_MONTHS)
"""Words without which (and without a digit) a message holds no date: the big pattern is skipped."""
_MONTH_PREP = re.compile(
    r"(?:in|during|for|since|from|of|i|under|för|sedan|från|through|until|till|to|and|och|between|"
    r"mellan|before|after|innan|efter|by|month|månad|whole|hela|entire)\s+(?:the\s+month\s+of\s+)?$",
    re.IGNORECASE,
)
_SINCE = re.compile(
    r"(?:since|sedan|after|efter|from|från|starting|as\s+of|fr\.?\s?o\.?\s?m\.?)\s+$", re.IGNORECASE
)
_BETWEEN = re.compile(r"(?:between|from|mellan|från)\s+$", re.IGNORECASE)
_BETWEEN_ONLY = re.compile(r"(?:between|mellan)\s+$", re.IGNORECASE)
_JOIN = re.compile(rf"^{_TO}$", re.IGNORECASE)


class _Groups:
    """The groups of one alternative of the combined pattern, by their short names."""

    __slots__ = ("_kind", "_m")

    def __init__(self, m: re.Match[str], kind: str) -> None:
        self._m = m
        self._kind = kind

    def __getitem__(self, name: str) -> str:
        """The group's text, or "" when that part of the pattern did not take part."""
        return self._m.group(f"{self._kind}__{name}") or ""


@dataclass(frozen=True, slots=True)
class _Period:
    start: date
    end: date
    single: bool
    begin: int
    finish: int


def dates(text: str, claims: Claims, *, today: date, words: frozenset[str] | None = None) -> None:
    """Find dates and periods in ``text`` and claim them as ``date`` or ``date_range`` entities.

    ``words``, the message's lower-cased words, lets only the alternatives whose words or signs are in
    the message be tried (the answer is the same: the others cannot match anywhere in it).
    """
    pattern = _DATES if words is None else _pattern_for(text, words)
    if pattern is None:
        return
    periods: list[_Period] = []
    for m in pattern.finditer(text):
        if not claims.free(m.start(), m.end()):
            continue
        kind = m.lastgroup or ""
        period = _resolve(kind, _Groups(m, kind), text, today, m.start(), m.end())
        if period is not None:
            periods.append(period)
    for period in _combine(periods, text, today):
        if period.single:
            found = Found("date", period.start.isoformat(), period.begin, period.finish)
        else:
            value = {"start": period.start.isoformat(), "end": period.end.isoformat()}
            found = Found("date_range", value, period.begin, period.finish)
        claims.add(found)


def _pattern_for(text: str, words: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern of the alternatives that can match in ``text`` (``None``: none can).

    Each alternative needs something plain to see: a year's digits, a month word, a "-", "." or "/"
    after digits, a quarter's "q3" or "kvartal", a word of a rolling or relative period. That is
    checked in the lower-cased text, which is exact where lower-casing is how the pattern ignores case
    (ASCII and the Latin-1 letters, the micro sign aside); other text is matched with every alternative.
    The words of a rolling or relative period and "quarter" are letters only: one is in the
    lower-cased text exactly when it is in one of its ``words`` (each holds a whole run of letters).
    """
    ascii = text.isascii()
    if not (ascii or (max(text) < "\u0100" and "\u00b5" not in text)):
        return _DATES
    signs = 0
    cache = _SIGNS
    for word in words:
        sign = cache.get(word)
        if sign is None:
            sign = _signs(word)
        signs |= sign
    year = _YEAR_DIGITS.search(text) is not None
    digits = year or _DIGIT.search(text) is not None or (not ascii and any(c.isdigit() for c in text))
    month = signs & _MONTH_SIGN != 0
    if not (digits or signs):
        return None
    numbers = digits and month
    quarter = signs & _QUARTER_SIGN != 0 or (digits and _QUARTER_CODE.search(text.lower()) is not None)
    kinds = tuple(
        kind
        for kind, needed in (
            ("iso_range", year and "-" in text),
            ("days_range", numbers),
            ("month_days_range", numbers),
            ("iso", year and "-" in text),
            ("dotted", digits and "." in text),
            ("slashed", digits and "/" in text),
            ("day_month", numbers),
            ("quarter", quarter),
            ("rolling", signs & _ROLLING_SIGN != 0),
            ("relative", signs & _RELATIVE_SIGN != 0),
            ("month", month),
            ("year", year),
        )
        if needed
    )
    if not kinds:
        return None
    pattern = _BY_KINDS.get(kinds)
    if pattern is None:
        pattern = _BY_KINDS[kinds] = _compile(kinds)
    return pattern


_MONTH_SIGN, _ROLLING_SIGN, _RELATIVE_SIGN, _QUARTER_SIGN = 1, 2, 4, 8
_SIGNS: dict[str, int] = {}
"""Per lower-cased word: which of the signs ``_pattern_for`` looks for it holds."""
_SIGNS_LIMIT = 100_000


def _signs(word: str) -> int:
    """Which signs of a date ``word`` holds: a month word, a part of a rolling or relative period or of
    "quarter" (cached)."""
    sign = (
        (_MONTH_SIGN if word in _MONTH_WORDS else 0)
        | (_ROLLING_SIGN if any(w in word for w in _ROLLING_WORDS) else 0)
        | (_RELATIVE_SIGN if any(w in word for w in _RELATIVE_WORDS) else 0)
        | (_QUARTER_SIGN if "quarter" in word or "kvartal" in word else 0)
    )
    if len(_SIGNS) > _SIGNS_LIMIT:
        _SIGNS.clear()
    _SIGNS[word] = sign
    return sign


def _combine(periods: list[_Period], text: str, today: date) -> list[_Period]:
    """Join "between X and Y" into one range and turn "since X" into X..today."""
    out: list[_Period] = []
    i = 0
    while i < len(periods):
        p = periods[i]
        nxt = periods[i + 1] if i + 1 < len(periods) else None
        if nxt is not None and _JOIN.match(text[p.finish : nxt.begin]) and nxt.end >= p.start:
            before = _before(_BETWEEN, text, p.begin)
            begin = before if before is not None else p.begin
            out.append(_Period(p.start, nxt.end, False, begin, nxt.finish))
            i += 2
            continue
        since = _before(_SINCE, text, p.begin)
        if since is not None and not p.single and text[since : since + 3].lower() in ("fro", "frå"):
            since = None  # "orders from last month" is during last month
        if since is not None:
            start = p.start
            if start > today:
                start = _shift_year(start, -1)
            out.append(_Period(start, today, False, since, p.finish))
        else:
            before = None if p.single else _before(_BETWEEN_ONLY, text, p.begin)
            out.append(p if before is None else _Period(p.start, p.end, False, before, p.finish))
        i += 1
    return out


def _resolve(kind: str, m: _Groups, text: str, today: date, begin: int, finish: int) -> _Period | None:
    try:
        if kind == "iso_range":
            a, b = date.fromisoformat(_iso(m["a"])), date.fromisoformat(_iso(m["b"]))
            return _Period(a, b, False, begin, finish) if a <= b else None
        if kind in ("days_range", "month_days_range"):
            month = _month(m["m"])
            d1, d2 = _day(m["d1"]), _day(m["d2"])
            if d1 > d2:
                return None
            if m["y"]:
                year = int(m["y"])
            else:
                year = today.year if date(today.year, month, d1) <= today else today.year - 1
            return _Period(date(year, month, d1), date(year, month, d2), False, begin, finish)
        if kind == "iso":
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
            return _Period(day, day, True, begin, finish)
        if kind in ("dotted", "slashed"):
            if kind == "slashed" and m["d"] == "24" and m["m"] == "7" and not m["y"]:
                return None  # "24/7" is round the clock, not 24 July
            return _numeric(m, today, begin, finish)
        if kind == "day_month":
            return _day_month(m, today, begin, finish)
        if kind == "quarter":
            return _quarter(m, today, begin, finish)
        if kind == "rolling":
            return _rolling(m, today, begin, finish)
        if kind == "relative":
            return _relative(m["rel"], today, begin, finish)
        if kind == "month":
            word = m["m"].lower().rstrip(".")
            ambiguous = not m["y"] and (word in _AMBIGUOUS_MONTHS or len(word) <= 3)
            if ambiguous and _before(_MONTH_PREP, text, begin) is None:
                return None
            month = _MONTHS[word]
            if m["y"]:
                year = int(m["y"])
            else:
                year = today.year if month <= today.month else today.year - 1
            return _Period(date(year, month, 1), _month_end(year, month), False, begin, finish)
        if kind == "year":
            year = int(m["y"])
            if m["pre"].lower() in ("since", "sedan"):
                return _Period(date(year, 1, 1), today, False, begin, finish)
            return _Period(date(year, 1, 1), date(year, 12, 31), False, begin, finish)
    except ValueError:
        return None
    return None


def _numeric(m: _Groups, today: date, begin: int, finish: int) -> _Period | None:
    day, month = int(m["d"]), int(m["m"])
    if m["y"]:
        year = int(m["y"])
        year = year + 2000 if year < 100 else year
        found = date(year, month, day)
    else:
        found = _nearest(today, month, day)
    return _Period(found, found, True, begin, finish)


def _day_month(m: _Groups, today: date, begin: int, finish: int) -> _Period | None:
    if m["d"]:
        day, month, year = _day(m["d"]), _month(m["m"]), m["y"]
    else:
        day, month, year = _day(m["dd"]), _month(m["mm"]), m["yy"]
    found = date(int(year), month, day) if year else _nearest(today, month, day)
    return _Period(found, found, True, begin, finish)


def _quarter(m: _Groups, today: date, begin: int, finish: int) -> _Period:
    if m["q"]:
        q, year = int(m["q"]), m["y"]
    elif m["q2"]:
        q, year = int(m["q2"]), m["y2"]
    elif m["qo"]:
        q, year = _ORDINALS[m["qo"].lower()], m["y3"]
    else:
        q, year = int(m["q3"]), m["y4"]
    if year:
        y = int(year)
    else:
        y = today.year if date(today.year, 3 * q - 2, 1) <= today else today.year - 1
    return _Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), False, begin, finish)


def _rolling(m: _Groups, today: date, begin: int, finish: int) -> _Period | None:
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 0)
    if n <= 0:
        return None
    unit = m["unit"].lower()
    if m["ahead"]:
        # "the next 3 months", "de kommande 30 dagarna": from today on.
        if unit.startswith(("day", "dag", "dygn")):
            end = today + timedelta(days=n - 1)
        elif unit.startswith(("week", "veck")):
            end = today + timedelta(days=7 * n - 1)
        elif unit.startswith(("month", "mån")):
            end = add_months(today, n) - timedelta(days=1)
        else:
            end = _shift_year(today, n) - timedelta(days=1)
        return _Period(today, end, False, begin, finish)
    if unit.startswith(("day", "dag", "dygn")):
        start = today - timedelta(days=n - 1)
    elif unit.startswith(("week", "veck")):
        start = today - timedelta(days=7 * n - 1)
    elif unit.startswith(("month", "mån")):
        start = add_months(today, -n) + timedelta(days=1)
    else:
        start = _shift_year(today, -n) + timedelta(days=1)
    return _Period(start, today, False, begin, finish)


_WHOLE = re.compile(r"(?:(?:whole|entire|full|hela)\s+(?P<unit>\w+)|(?P<all>all)\s+year)$")


def _relative(phrase: str, today: date, begin: int, finish: int) -> _Period | None:
    words = re.sub(r"\s+", " ", phrase.lower()).replace("the ", "", 1).strip()
    single = {
        "day before yesterday": -2,
        "iförrgår": -2,
        "i förrgår": -2,
        "yesterday": -1,
        "igår": -1,
        "i går": -1,
        "today": 0,
        "idag": 0,
        "i dag": 0,
        "tomorrow": 1,
        "imorgon": 1,
        "i morgon": 1,
    }
    if words in single:
        day = today + timedelta(days=single[words])
        return _Period(day, day, True, begin, finish)
    whole = _WHOLE.match(words)
    if whole is not None:  # "the whole year", "hela året": this one, all of it
        unit = whole["unit"] or "year"
        words = "this " + {"veckan": "week", "månaden": "month", "året": "year"}.get(unit, unit)
    if words in ("i veckan",):
        words = "this week"
    elif words in ("i månaden",):
        words = "this month"
    elif words in ("i år", "year to date", "ytd", "hittills i år"):
        if words != "i år":
            return _Period(date(today.year, 1, 1), today, False, begin, finish)
        words = "this year"
    elif words in ("i fjol", "ifjol"):
        words = "last year"
    which, _, unit = words.rpartition(" ")
    which = which.replace("calendar", "").strip()
    if unit in ("weeks", "months", "years", "quarters"):
        unit = unit[:-1]  # "last months statement": last month's
    previous = which in ("last", "previous", "förra", "föregående")
    step = -1 if previous else 1 if which in ("next", "coming", "nästa", "kommande") else 0
    rolling = which in ("past", "senaste")
    if unit in ("week", "veckans", "veckan", "vecka"):
        if rolling:
            return _Period(today - timedelta(days=6), today, False, begin, finish)
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7 * step)
        return _Period(monday, monday + timedelta(days=6), False, begin, finish)
    if unit in ("month", "månadens", "månaden", "månad"):
        if rolling:
            return _Period(add_months(today, -1) + timedelta(days=1), today, False, begin, finish)
        first = add_months(today.replace(day=1), step)
        return _Period(first, _month_end(first.year, first.month), False, begin, finish)
    if unit in ("year", "årets", "året", "år"):
        if rolling:
            return _Period(_shift_year(today, -1) + timedelta(days=1), today, False, begin, finish)
        year = today.year + step
        return _Period(date(year, 1, 1), date(year, 12, 31), False, begin, finish)
    if unit in ("quarter", "kvartalets", "kvartalet", "kvartal"):
        q = (today.month - 1) // 3 + (-1 if rolling else step)
        year = today.year + (q // 4)
        q = q % 4
        return _Period(date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3), False, begin, finish)
    return None


def _before(pattern: re.Pattern[str], text: str, end: int) -> int | None:
    """Where ``pattern`` (anchored with ``$``) matches right before ``end``; only the last words are searched."""
    offset = max(0, end - 32)
    m = pattern.search(text[offset:end])
    return None if m is None else offset + m.start()


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` that many months on (back when negative), on the month's last day when it has fewer."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _nearest(today: date, month: int, day: int) -> date:
    """The occurrence of day/month nearest today (last, this or next year)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: (abs((d - today).days), d))
