"""Which language a message is in: English or Swedish, by counting words only one of them uses.

Decided per message: a message that carries any evidence of its language ("ok thx" is English, "tack"
Swedish, "å" in a word) is answered in that language, whatever the conversation spoke before; only a
message with none ("ok", "4711", "INV-2031") keeps the conversation's language (the hint). Chat words
count as much as sentence words: people thank, agree and say goodbye in their own language.
"""

from __future__ import annotations

from collections.abc import Sequence

from supportbot.bot.nlu.lexicon import MARKERS_EN, MARKERS_SV, SWEDISH_LETTERS
from supportbot.bot.nlu.text import wordset

LANGUAGES = ("en", "sv")

CHAT_EN = wordset(
    """
    thx thnx thanx thanks thank tx ty tyvm cheers great awesome perfect nice cool brilliant lovely
    excellent wonderful good fine sure yeah yep yup yea nope nah pls plz please bye cya sorry oops
    got it's that's alright np appreciated appreciate much howdy greetings morning evening afternoon
    hello helo take care done finished leaving gotta locked login logging customer support contact
    update
    """
)
"""English chat words: thanks, yes and no, fine and goodbye."""
CHAT_SV = wordset(
    """
    tack tackar tacksam tusen toppen perfekt kanon schysst schyst grymt najs bra jättebra ja japp jepp
    jo jaa nä nej nää visst absolut okej okey hejdå hejsan tjena tjenare tja tjo mvh förlåt ursäkta
    precis god morgon eftermiddag kväll natt morsning halloj hejhej ses pratas inloggning meny
    instruktioner kommandon
    """
)
"""Swedish chat words: tack, japp, visst, toppen, hejdå."""
WORDS_EN = wordset(
    """
    any on at news yet still cancel cancelled change changed address broken working work works screen
    stuff arrive arrived arriving late copy due owe owed next agreement warranty machine machines
    firewall some into or but if so than then them they their these those us been had did should may
    might must very too also only more other another such each every why's how's who's there's let's
    i'll we're we've we'll you're they're wasn't weren't shipped ship ships received receive got going
    go out off up down again about after before already keeps keep rebooting restarting crashing
    crashed freezing frozen flickering overheating noise won't doesn't can't stopped dead faulty
    failing failure
    """
)
"""Everyday English words no Swedish message uses, beside the markers: a short English message from a
user whose profile says Swedish ("any news on 4712?", "cancel order 4712") is answered in English.
Words both languages write alike ("in", "all", "just", "status", "server", "service") are left out."""
_EN = MARKERS_EN | CHAT_EN | WORDS_EN
_SV = MARKERS_SV | CHAT_SV
STEMS_EN = (
    "invoic", "invoce", "contract", "approv", "inventor", "shipment", "deliver", "payment", "tracking",
    "report", "question", "upgrad", "schedul", "representative", "overdue", "receivable", "history",
    "print", "error", "check", "sort", "purchas",
)  # fmt: skip
"""How English words of the trade begin ("invoices", "approved", "shipment")."""
STEMS_SV = (
    "faktur", "avtal", "attest", "inventari", "kontoutdrag", "beställ", "betalning", "leverans",
    "ärende", "uppgrader", "avinstaller", "kolla", "spara", "skriv", "signer", "orderstatus", "kontakt",
    "tidigare", "versionshist", "registrering", "kund",
)  # fmt: skip
"""How Swedish words of the trade begin ("fakturorna", "avtalsstatus", "attestera")."""


def detect_language(words: Sequence[str], *, hint: str | None = None) -> str:
    """Guess "en" or "sv" from lower-cased words; a message with no clue keeps the hint (else "en").

    ``words`` should leave out entity text: a site called "Göteborg" in an English sentence is no
    sign of Swedish.
    """
    en = sv = 0.0
    cache = _SAYS
    for said in words:
        says = cache.get(said)
        if says is None:
            says = _says(said)
        en += says[0]
        sv += says[1]
    return decide(en, sv, hint=hint)


def decide(en: float, sv: float, *, hint: str | None = None) -> str:
    """The language that the summed evidence (``says`` of each word, added in order) speaks for."""
    fallback = hint if hint in LANGUAGES else "en"
    if en == sv:
        return fallback
    return "sv" if sv > en else "en"


def says(word: str) -> tuple[float, float]:
    """How much one lower-cased word says for English and for Swedish."""
    found = _SAYS.get(word)
    return found if found is not None else _says(word)


_SAYS: dict[str, tuple[float, float]] = {}
"""Per word: how much it says for English and for Swedish (the sums of whole numbers and halves stay exact)."""
_SAYS_LIMIT = 100_000


def _says(said: str) -> tuple[float, float]:
    """How much one word says for English and for Swedish (cached)."""
    word = said.strip(".,!?;:")
    if word in _SV:
        says = (0.0, 1.0)
    elif word in _EN:
        says = (1.0, 0.0)
    elif not SWEDISH_LETTERS.isdisjoint(word):
        says = (0.0, 1.5)
    elif word.startswith(STEMS_SV):
        says = (0.0, 1.0)
    elif word.startswith(STEMS_EN):
        says = (1.0, 0.0)
    else:
        says = (0.0, 0.0)
    if len(_SAYS) > _SAYS_LIMIT:
        _SAYS.clear()
    _SAYS[said] = says
    return says
