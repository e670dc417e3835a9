"""The NLU: entities, language and intent of one message; pure, deterministic and fast."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from supportbot.bot.nlu.accents import Accents
from supportbot.bot.nlu.analysis import PLACEHOLDERS, RECORDS, Word, raw_words, reading, words
from supportbot.bot.nlu.classifier import READINGS_KEPT, IntentClassifier, Scored, Tuning
from supportbot.bot.nlu.entities import EntityExtractor, Found
from supportbot.bot.nlu.entities.ids import WORDED_KINDS, named_kind
from supportbot.bot.nlu.entities.references import KIND_WORDS
from supportbot.bot.nlu.language import decide, detect_language, says
from supportbot.bot.nlu.lexicon import (
    FAMILY_WORDS,
    FORMATS,
    GOING_BACK,
    NEUTRAL,
    STOPWORDS,
    asks_if_a_bot,
    complains,
    names_a_person,
)
from supportbot.bot.nlu.out_of_scope import OUT_OF_SCOPE, asks_for_a_meaning
from supportbot.bot.nlu.text import WORD, fold, wordset
from supportbot.bot.nlu.types import NONE_INTENT, Entity, Parse
from supportbot.bot.nlu.vocabulary import Vocabulary
from supportbot.integrations.models import trusted

if TYPE_CHECKING:  # spec.py imports nlu.types, so a run-time import here would be circular
    from supportbot.bot.spec import IntentSpec

EXAMPLE_SITES = ("Kista", "Göteborg", "München")
"""The sites the example utterances mention; read as sites while learning from the examples."""

_LEARNING_DAY = date(2026, 1, 15)
"""Dates in examples become a placeholder; any fixed day does."""

_POINTER = PLACEHOLDERS["reference"]
"""What a word that points back at a record ("it", "den", "the other one") reads as."""
_CONTEXT_ONLY = frozenset({"reference", "site", "order_status"})
"""Entities that make a bare message continue the conversation; dropped from off-topic messages."""
_HELD: dict[str, re.Pattern[str]] = {
    "bill": re.compile(
        r"(?:bills?|invoices?|\w*faktur\w*|receipts?|kvitt\w*|subscriptions?|abonnemang\w*|prenumeration\w*)$"
    ),
    "ticket": re.compile(r"(?:tickets?|issues?|(?:pull-?)?requests?|ärende\w*)$"),
    "statement": re.compile(r"(?:statements?|kontoutdrag\w*)$"),
}
"""Words for what a customer holds with a company (``NLU._elsewhere``): with us, or with another."""

_NOTHING: frozenset[str] = frozenset()
_NOT_A_KIND = re.compile(
    r"(?i)(?<!\w)(?:not|inte|forget(?:\s+about)?|never\s+mind|glöm|strunta\s+i)\s+"
    r"(?:(?:the|a|an|en|ett|den|det)\s+)?[^\W\d_]"
)
"""Where a message may say which kind of record it does not mean, or no longer asks about
(``_undenied``)."""
_LEAVES_A_KIND = (
    ("not",),
    ("inte",),
    ("forget",),
    ("forget", "about"),
    ("never", "mind"),
    ("glöm",),
    ("strunta", "i"),
)
"""The words before a kind of record that leave it out: "not the invoice", "forget the invoice", "glöm
fakturan", "strunta i fakturan"."""
_ARTICLES = frozenset({"the", "a", "an", "en", "ett", "den", "det"})
_SURE_ENOUGH = 0.1
"""How far above the threshold a sentence's reading must be to decide a message that reads as nothing
as a whole: a sentence says little alone ("mail me at …" barely reads as a document's)."""
_HOW_TO = re.compile(
    r"(?i)\s*(?:how\s+(?:do|can|could|should|would)\s+(?:i|we|you|one)|how\s+to|hur\s+(?:gör|kan|ska|får)\s+"
    r"(?:jag|vi|man|ni)|hur\s+\w+\s+(?:jag|vi|man))\b"
)
"""A question of how to do something, said first."""
_IN_PRODUCT = frozenset({"in", "on", "with", "using", "i", "på", "med", "via"})
_UNSURE_COMPLAINT = 0.5
"""Below this confidence, a message that complains and names no record is read as nothing asked."""
_UNSURE_ELSEWHERE = 0.45
"""Below this confidence, a question pointing at the record talked about, read as another family's, is
read as about that record."""
_ASKED_OF_IT = re.compile(
    r"(?i)\?\s*$|^\W*(?:(?:and|och|so|så|ok|okej)\W+)?(?:who|what|which|where|when|how|is|does|did|has|vem|vad"
    r"|vilken|vilket|vilka|var|när|hur|är|har|finns)\b"
)
"""A question: asked with a question mark, or a question word first."""
_FEW_WORDS = 6
"""A follow-up said in this many known words or fewer is read about the record it points at."""
_OUR_PLACES = frozenset({"teams", "slack", "chat", "chatten", "portal", "portalen", "supportbot"})
"""Where customers talk to us: "how do I open a request in Teams" asks of us."""
_TRAILING = frozenset({"?", "!", ".", "please", "pls", "tack"})
_PRIVATE_PARCEL = re.compile(
    r"(?i)\b(?:privat[ae]?|private|personal|personlig[at]?)\s+(?:\w+[\s-]+){0,2}?(?:paket\w*|packages?|parcels?|"
    r"försändelse\w*|leverans\w*|deliver(?:y|ies))\b"
    r"|\b(?:paket\w*|packages?|parcels?)\b.{0,60}\b(?:privat[ae]?|private|personal|mitt\s+eget|my\s+own)\b"
    r"|\b(?:inte\s+(?:jobbets|till\s+jobbet|för\s+jobbet)|not\s+for\s+work|not\s+work[\s-]related)\b"
)
"""A parcel of the customer's own ("a private package", "mitt eget paket, inte jobbets"): no order of theirs
with us, so no order's question."""
_TOLD_AFTER_A_GREETING = 6
"""Words after a greeting that say something of their own: read as nothing of ours, they are a question
of another world, not a greeting."""
_PLEASE = re.compile(
    r"(?i)(?:^|(?<=[.?!]\s))\s*(?:please|pls|can\s+you|could\s+you|would\s+you|snälla|kan\s+(?:du|ni)"
    r"|skulle\s+(?:du|ni)|(?:open|öppna|oppna|create|skapa|raise|file|register|registrera|lägg\s+upp)"
    r"\s+(?:a|an|one|ett|en|ny|nytt|new)\b)\b"
)
"""A sentence said as a request, first in it ("Please register my approval.", "Kan du markera …", "öppna
ett ärende")."""
_SENTENCES = re.compile(r"(?<=[.?!])\s+|\s*\n+\s*|\s+[–—-]+\s+|(?<=[^\W\d_]):\s+")
"""Where a message's sentences part: after a full stop, a question or an exclamation mark, a new line, or
a dash between spaces ("sorry, switching to English for my colleague - can you list our open items?")."""
_GREETED = re.compile(
    r"(?i)^\W*(?:(?:hi|hey|hello|hiya|yo|hej|hejsan|hallå|tjena|tja|morrn)(?:\s+(?:there|again|igen|där))?"
    r"|good\s+(?:morning|afternoon|evening|day)|god\s+(?:morgon|middag|eftermiddag|kväll)"
    r"|(?:hi|hey|hello|hej)\s+[^\W\d_]+(?=\s*[,!.]))\W+(?=\w)"
)
"""A greeting before what the message asks ("hey, where is 4711?", "hej Anna! …")."""
_THANKED = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej)?|great|perfect|perfekt|toppen|super|fint|bra)[\s,!.]+)?"
    r"(?:thanks(?:\s+a\s+lot)?|thank\s+you|thx|ty|tack(?:\s+så\s+mycket)?|tackar)"
    r"(?:\s*[,!.]+\s*(?:(?:and|och)\s+)?|\s+(?:and|och)\s+)(?=\w)"
)
"""Thanks before what the message asks next ("ok thanks, and INV-2032?", "tack! och fakturan?")."""
_ASKING_KEPT = 4096
_ACTS_ON_OURS = frozenset({"contract.sign", "contract.approve", "invoice.approve"})
"""Intents that act on one of the customer's records: never on something the message names that is not one."""
_POINTING = frozenset({"reference", "about"})
_MEANT = re.compile(
    r"\b(?:i\s+meant?|jag\s+men(?:ade|ar)|men(?:ade|ar)\s+jag|typo|mistyped|typed\s+(?:it\s+)?wrong"
    r"|wrong\s+number|skrev\s+fel|felskrivning|fel\s+nummer|should\s+(?:have\s+)?be(?:en)?|ska\s+(?:det\s+)?vara"
    r"|skulle\s+(?:det\s+)?vara)\b"
)
"""A correction's words ("sorry, I meant Göteborg", "oj, skrev fel, 4711 ska det vara", "typo, it should be
4711"), lower-cased."""
_ITEMS_FAMILY = "inventory"
_ITEM_WORDS = wordset(
    "equipment hardware machines devices utrustning utrustningen hårdvara hårdvaran maskiner maskinerna"
    " enheter enheterna"
)
"""Words for the installed equipment as a whole: asked of after another family's record, the equipment."""
_BACK_TO_LEAD = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej)?|so|and|och|then|då|now|nu|thanks|tack)\W+){0,3}" + GOING_BACK + r"\s+"
    r"(?:the|my|our|that|mitt|min|vår|vårt|våra|det|den)?\s*(?P<kind>[^\W\d_]+)\s*[,:;–—-]+\s*(?=\S)"
)
"""Going back to an earlier kind of record before what is asked of it ("back to the contract - …")."""
_CORRECTED_WORDS = re.compile(
    r"(?i)\b(?:no|nope|sorry|oops|i\s+mean|nej|nä|förlåt|oj|menar|eller\s+nej|rather)\b"
)
_CORRECTED_BETWEEN = re.compile(
    r"(?i)\W*(?:(?:no|nope|sorry|oops|wait|i\s+mean(?:t)?|nej|nä|förlåt|oj|ursäkta|vänta|jag\s+menar|menar|eller"
    r"|or\s+rather|rather|it's|det\s+är|ska\s+vara|should\s+be|order|invoice|faktura|avtal|contract)\W*){1,4}"
)
"""What may stand between a record said and the one said instead: "…4712, no sorry, 4711"."""
_OTHER_STATEMENT = re.compile(r"(?i)\bstatements?\s+of\s+(?:work|purpose|intent|faith|claim|opinion|truth)\b")
"""Statements that are no account statement: a statement of work, of purpose."""
_CONNECTS_A_THING = re.compile(
    r"(?i)\b(?:connect(?:ing)?|hook\s+up|pair|koppla(?:r)?(?:\s+ihop)?|ansluta|ansluter|para\s+ihop)"
    r"(?:\s+(?:jag|vi|man|du|ni))?\s+"
    r"(?:my|our|the|a|an|this|min|mitt|mina|vår|vårt|våra|en|ett|den|det)\s"
)
"""Connecting a thing ("connect my iPhone to wifi", "koppla min mobil till tv:n"), not oneself to a person."""
_OUR_KIND = re.compile(
    r"(?i)\b(?:contracts?|agreements?|avtal\w*|kontrakt\w*|invoices?|bills?|fakturor|faktura\w*|räkning\w*"
    r"|versions?|version\w*|renewal|förnyelse\w*|offer\w*|quotes?|terms|villkor\w*)\b"
)
"""The words for the records those intents act on ("sign the renewal", "godkänn fakturan")."""
_COURTESIES = frozenset({"smalltalk.greeting", "smalltalk.thanks"})
_HELP = "smalltalk.help"
"""Read for a greeting's words with a question after it ("hej vad har jag för ärenden öppna?"), help is
the question's as a courtesy is."""
_FROM = frozenset({"from", "at", "från", "hos"})
"""Words before the company a bill is from ("the bill from Vattenfall", "fakturan från Telia")."""
_WHOSE = frozenset({"my", "min", "mitt", "mina"})
"""A person's own, before the name of whom a bill or a ticket is held with ("my Telia bill", "mitt
Jira-ärende"); a company's ("our Nordisk invoices") may be named by the customer's own name."""

_WARM_UP = (
    "where is my order 4711?",
    "visa mina fakturor från förra månaden",
    "what's the weather in Gothenburg tomorrow",
    "hej",
)


class NLU:
    """Understands one message: its intent (or ``none``), entities with spans, and its language.

    Built once from the examples and never changed afterwards: to learn new examples, a deployment
    builds a new NLU and swaps it in, so a turn in progress keeps the one it started with. (Its word
    caches only remember answers already given.)
    """

    __slots__ = (
        "_accents",
        "_asked_by",
        "_asking",
        "_built",
        "_called",
        "_classifier",
        "_exact",
        "_extractor",
        "_guess_weight",
        "_ignorable",
        "_kind_family",
        "_name_weight",
        "_raw",
        "_refused",
        "_requires",
        "_shows",
        "_takes_over",
        "_tool_family",
        "_topics",
        "_vocabulary",
        "_worded",
        "_words",
        "threshold",
    )

    def __init__(
        self,
        intents: Sequence[IntentSpec],
        *,
        site_names: Sequence[str] = (),
        extra_examples: Mapping[str, Sequence[str]] | None = None,
        threshold: float | None = None,
        tuning: Tuning | None = None,
        readings_kept: int = READINGS_KEPT,
    ) -> None:
        """``extra_examples`` maps an intent name, or ``none`` for out of scope, to example texts this
        deployment has learned (reviewed misunderstandings); they count as the catalogue's examples do.
        Names no intent has any longer are left out. ``readings_kept``: how many readings' answers
        the classifier keeps (``IntentClassifier.classify``; 0 classifies every message anew).
        """
        tuning = tuning or Tuning()
        if threshold is not None:
            tuning = replace(tuning, threshold=threshold)
        self.threshold = tuning.threshold
        """Below this confidence the answer is ``none``."""
        learner = EntityExtractor(tuple(dict.fromkeys([*site_names, *EXAMPLE_SITES])))
        catalogue: dict[str, Mapping[str, Sequence[str]]] = {spec.name: spec.examples for spec in intents}
        catalogue[NONE_INTENT] = OUT_OF_SCOPE
        lines: dict[str, list[tuple[str, str | None]]] = {
            name: [(line, language) for language in sorted(texts) for line in texts[language]]
            for name, texts in catalogue.items()
        }
        for name, extra in (extra_examples or {}).items():
            if name in lines:
                lines[name].extend((line, None) for line in extra if line.strip())
        analysed: dict[str, list[list[Word]]] = {}
        languages: dict[str, list[str]] = {}
        for name, texts in lines.items():
            analysed[name] = [words(line, learner.extract(line, today=_LEARNING_DAY)) for line, _ in texts]
            languages[name] = [
                language or detect_language([w.text for w in ws if w.text[0] != "#"])
                for (_, language), ws in zip(texts, analysed[name], strict=True)
            ]
        counts = Counter(w.text for ws in analysed.values() for line in ws for w in line if w.text[0] != "#")
        self._accents = Accents(
            word for texts in lines.values() for line, _ in texts for word in WORD.findall(line)
        )
        self._ignorable = STOPWORDS | NEUTRAL
        self._name_weight = tuning.name_weight
        self._guess_weight = tuning.guess_weight
        self._words: dict[str, tuple[tuple[str, ...] | None, bool, float, float]] = {}
        self._raw: dict[str, _Raw] = {}
        self._vocabulary = Vocabulary(
            counts, stopwords=self._ignorable, frequent=[w for w, _ in counts.most_common()]
        )
        examples = {name: [self._tokens(line)[0] for line in lines] for name, lines in analysed.items()}
        self._exact = _exact_examples(examples)
        self._classifier = IntentClassifier(
            examples,
            stopwords=self._ignorable,
            tuning=tuning,
            languages=languages,
            within_only=frozenset(w for w in FORMATS if w in self._vocabulary),
            readings_kept=readings_kept,
        )
        self._asking: dict[str, tuple[str, ...]] = {}
        """Per text, the intents whose own words it says (``_asked``), the last ``_ASKING_KEPT`` texts."""
        self._asked_by: tuple[tuple[str, Callable[[str], bool]], ...] = tuple(
            (spec.name, spec.asked_by) for spec in intents if spec.asked_by is not None
        )
        self._requires = {spec.name: spec for spec in intents if spec.requires is not None}
        """The intents not taken without their words (``IntentSpec.requires``)."""
        self._refused = {spec.name: spec.refused_by for spec in intents if spec.refused_by is not None}
        """The words that refuse an intent (``IntentSpec.refused_by``)."""
        self._takes_over = frozenset(spec.name for spec in intents if spec.takes_over)
        self._kind_family = {kind: spec.family for spec in intents for kind in spec.claims}
        """The family whose records a kind of record number is (``IntentSpec.claims``)."""
        self._shows = {spec.family: spec.name for spec in intents if spec.claims}
        """Per family, the intent that shows its records (the one claiming their numbers)."""
        self._worded = frozenset(family for kind, family in self._kind_family.items() if kind in WORDED_KINDS)
        """The families whose records a word names ("order", "fakturan", "avtal")."""
        self._topics = frozenset(spec.family for spec in intents if spec.tool is not None)
        self._tool_family = {spec.tool.value: spec.family for spec in intents if spec.tool is not None}
        """The family whose records a tool's word names ("invoiced": the invoices)."""
        """The families a conversation can be about: those of a back-end tool, whose answers are the
        customer's records (not small talk, a person or signing in)."""
        self._called = {spec.family: dict(spec.called) for spec in intents if spec.called}
        """What each family's record is called, per language (``IntentSpec.called``)."""
        ordinary = frozenset(fold(w) for w in self._vocabulary.words)
        self._extractor = EntityExtractor(site_names, vocabulary=ordinary)
        for text in _WARM_UP:
            self.parse(text, today=_LEARNING_DAY)
        self._built = True

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_built", False):
            raise AttributeError("an NLU does not change once built: build a new one and swap it in")
        object.__setattr__(self, name, value)

    @property
    def intents(self) -> list[str]:
        return [i for i in self._classifier.intents if i != NONE_INTENT]

    def parse(
        self, text: str, *, today: date, language_hint: str | None = None, topic: str | None = None
    ) -> Parse:
        """``topic``: the intent family the conversation's last answer was of, if any; when that is a
        family of the customer's records, a follow-up that names no record of its own leans to it
        ("what's the total?" after an invoice)."""
        # Swedish typed without å, ä and ö is read with them ("forra veckan"), and so is the parse's text,
        # which the dialog and the intents read further (the transcript keeps the message as typed).
        read_as = self._accents.restored(text)
        low = read_as.lower()
        negated = _negated(low)
        refused = self._refused_in(read_as) if negated else ()
        # "I don't want to open a ticket, just tell me …": read without the words that refuse.
        said = _blanked(read_as, refused) if refused else read_as
        found = self._extractor.extract(said, today=today)
        if len(found) > 1 and _CORRECTED_WORDS.search(low):
            found, said = _corrected_within(said, found)
        if "back" in low or "till" in low:
            lead = _BACK_TO_LEAD.match(said)
            if lead is not None:
                # "tillbaka till fakturorna, visa INV-2031", "back to the contract - does it need any
                # action?": what follows is asked, of the kind gone back to.
                said = " " * lead.end() + said[lead.end() :]
                topic = FAMILY_WORDS.get(lead["kind"].lower(), topic)
        if ">" in said and (unquoted := _without_quotes(said)) is not None:
            # "> please approve INV-2031\nwhat's the amount?": what is quoted is someone else's words;
            # its records are talked about, its requests are not the user's; but a record of a kind
            # the user names in their own words is the one asked about ("> Your order 4711 has
            # shipped …\nThanks, but what about 4712?").
            said = unquoted
            found = _own_before_quoted(found, unquoted)
        raws = raw_words(said, found)
        if negated and _NOT_A_KIND.search(said) is not None:
            raws = _undenied(raws)
        read = self._read_message(raws)
        if topic is not None and (
            topic not in self._topics
            or self._names_another(raws, topic)
            or any(f.type == "tool" and self._tool_family.get(str(f.value), topic) != topic for f in found)
        ):
            # "the invoice for that order", "has it been invoiced?" after an order: about the invoice,
            # whatever was talked about
            topic = None
        language = decide(read.en, read.sv, hint=language_hint)
        bare = (
            read.unknown < 1.0
            and read.placeholder
            and all(t is None or t[0] == "#" or t in self._ignorable for t in read.tokens)
        )
        if not bare:
            read = self._as_named(read, raws, topic, language)
        if bare:
            intent, confidence = NONE_INTENT, 1.0  # only an ID or a date: the dialog uses its context
        elif (exact := self._exact.get(tuple(read.known))) is not None:
            intent, confidence = exact, 1.0  # said as one of the examples: what that example means
        else:
            scored = self._scored(read, language, topic)
            unnumbered = RECORDS.isdisjoint(read.tokens)  # no record named by its number
            named = self._named_family(raws, scored.intent) if unnumbered else None
            if named is not None:
                # "Vilka fakturor väntar på mitt godkännande?": the kind of record the message names by
                # its word is what it asks about, as a record talked about would be.
                scored = self._scored(read, language, named)
            intent, confidence = scored.intent, scored.confidence
            if (intent in _COURTESIES or intent == _HELP) and (
                lead := _GREETED.match(said) or _THANKED.match(said)
            ) is not None:
                # "Hey, where is 4711?", "ok thanks, and INV-2032?": the courtesy said, the rest is
                # what they want.
                rest = raws[len(WORD.findall(lead[0])) :]
                greeted = self._after_greeting(rest, language, topic)
                if greeted is not None:
                    intent, confidence = greeted.intent, greeted.confidence
                elif any(raw in RECORDS for raw in rest) and (
                    intent == "smalltalk.greeting"
                    or all(raw[0] == "#" or raw.lower() in self._ignorable for raw in rest)
                ):
                    # "ok thanks, and INV-2032?", "tja! läget med 4712?": the record (a greeting with
                    # a record asks about it, whatever its other words).
                    intent, confidence = NONE_INTENT, 1.0
            if intent == "smalltalk.greeting" and not unnumbered:
                intent, confidence = NONE_INTENT, 1.0  # "läget med 4711?": a record greeted is asked about
            if (
                intent in _COURTESIES
                and _sentences_in(said)
                and (sentence := self._one_sentence(said, today, language, topic)) is not None
            ):
                # "Hej hej! Tack för hjälpen sist. Idag undrar jag om C-1001 är signerat?"
                intent, confidence = sentence.intent, sentence.confidence
            if (required := self._requires.get(intent)) is not None and not required.said_in(said):
                # Not that intent without its words: the next of its family the words say, or, asked
                # in a few words, the record pointed at shown ("is it approved yet?" after an invoice).
                barred = [name for name, spec in self._requires.items() if not spec.said_in(said)]
                # (the record talked about, when there is one: "har den godkänts än?" after an invoice)
                shows = self._shows.get(topic or "") or self._shows.get(intent.split(".", 1)[0])
                if (
                    shows is not None
                    and shows not in barred
                    and "#ref" in read.tokens
                    and len(read.known) <= _FEW_WORDS
                ):
                    intent = shows
                else:
                    intent = (
                        self._classifier.instead_of(
                            intent,
                            read.tokens,
                            barred=barred,
                            surface=" ".join(read.surface),
                            language=language,
                        )
                        or intent
                    )
            elif (
                topic is not None
                and "#ref" in read.tokens
                and len(read.known) <= _FEW_WORDS
                and (not scored.off_topic if intent == NONE_INTENT else confidence < _UNSURE_ELSEWHERE)
                and intent.split(".", 1)[0] != topic
                and (shows := self._shows.get(topic)) is not None
                and _ASKED_OF_IT.search(said) is not None
            ):
                # "who is carrying it?", "what was in it?", "vilket inköpsordernummer hade den?" right after
                # an order, read as nothing or unsurely as another family's: the record pointed at,
                # shown again (its answer has what is asked).
                intent, confidence = shows, max(confidence, self.threshold)
            refusing = {name for name, _ in refused} if refused else _NOTHING
            if intent in refusing:
                intent, confidence = NONE_INTENT, 1.0  # nothing asked but what is refused
            asked = self._asked(said, intent)
            if asked is not None and asked in refusing:
                asked = None
            if (
                unnumbered
                and (asked is not None or (intent != NONE_INTENT and not intent.startswith("smalltalk.")))
                and (None in read.tokens or self._classifier.any_for_none(read.tokens))
                and self._elsewhere(raws)
            ):
                # A bill or a ticket held with a name we do not know ("my Telia bill", "fakturan från
                # Vattenfall") or of another world ("my electricity bill", "my bank statement"):
                # another company's, which no back end of ours holds, whatever it asks of it.
                intent, confidence = NONE_INTENT, 1.0
                found = [f for f in found if f.type not in _CONTEXT_ONLY]
            elif (
                (asked or intent) in _ACTS_ON_OURS
                and unnumbered
                and topic is None
                and None in read.tokens
                and not any(f.type in _POINTING for f in found)
                and _OUR_KIND.search(said) is None
            ):
                # Signing or approving something of another world, named by a word we do not know
                # ("hur signerar jag min deklaration med bankid", "min chef godkänner inte min
                # ledighetsansökan"): not one of their contracts or invoices, which nothing points at.
                intent, confidence = NONE_INTENT, 1.0
            elif (
                (asked or intent) in self._takes_over
                and None in read.tokens
                and _CONNECTS_A_THING.search(said) is not None
                and not names_a_person(said)
            ):
                # "How do I connect my iPhone to wifi": a thing connected, not the customer to a person,
                # and a thing we do not know.
                intent, confidence = NONE_INTENT, 1.0
            elif intent.startswith("statement.") and "of" in low and _OTHER_STATEMENT.search(said):
                intent, confidence = NONE_INTENT, 1.0  # "a statement of work for a school project"
            elif asked is not None:
                intent, confidence = asked, 1.0
            elif (
                intent != NONE_INTENT
                and not intent.startswith("smalltalk.")
                and ("how" in low or "hur" in low)
                and self._how_elsewhere(said, raws)
            ):
                # How to do something in another product ("how do I open a ticket in Jira?", "hur
                # signerar jag en pdf med bankid"): a question about that product, not ours.
                intent, confidence = NONE_INTENT, 1.0
                found = [f for f in found if f.type not in _CONTEXT_ONLY]
            elif (
                intent != NONE_INTENT
                and not intent.startswith("smalltalk.")
                and asks_for_a_meaning(said, low)
            ):
                # What a word means is a question of language, not of their records ("what is an
                # invoice?"): answered as out of scope, never as a look-up of one.
                intent, confidence = NONE_INTENT, 1.0
                found = [f for f in found if f.type not in _CONTEXT_ONLY]
            elif (
                intent == NONE_INTENT
                and (sentence := self._one_sentence(said, today, language, topic)) is not None
            ):
                # "Kan vi ta det på svenska? När blir den klar?": one of its sentences asks.
                intent, confidence = sentence.intent, sentence.confidence
            elif (
                intent != NONE_INTENT
                and not intent.startswith("smalltalk.")
                and _sentences_in(said)
                and _PLEASE.search(said) is not None
                and (asked_last := self._the_request(said, today, language, intent)) is not None
            ):
                # "I've read the renewal terms for C-1001 and they're fine. Please register my
                # approval.": the context told first, the request last; the request is what is asked.
                intent, confidence = asked_last.intent, asked_last.confidence
            elif intent == NONE_INTENT and not _MEANT.search(low):
                # (what a correction says instead is kept, whatever its words: "nej förlåt, jag menade
                # Göteborg")
                if scored.off_topic:
                    # Words of another world: a fault told of them is not one to report here ("my car
                    # won't start").
                    found = [f for f in found if f.type not in _CONTEXT_ONLY and f.type != "fault"]
                elif read.unknown >= 1.0 and not any(f.type == "fault" for f in found):
                    # (Words unknown but a fault told is a report all the same: "it keeps rebooting".)
                    found = [f for f in found if f.type not in _CONTEXT_ONLY]
        if (
            intent != NONE_INTENT
            and confidence < _UNSURE_COMPLAINT
            and not intent.startswith("smalltalk.")
            and not any(f.type.endswith("_number") or f.type == "serial_number" for f in found)
            and complains(said)
            and not names_a_person(said)
        ):
            # "This is not acceptable, we needed it last week": dissatisfaction, no look-up the words
            # happen to resemble ("last week's orders"); the dialog apologises and offers a person.
            intent, confidence = NONE_INTENT, 1.0
            found = [f for f in found if f.type not in _CONTEXT_ONLY]
        if (
            intent.startswith("order.")
            and not any(f.type.endswith("_number") for f in found)
            and _PRIVATE_PARCEL.search(said) is not None
        ):
            # "var e mitt amazon-paket? privat", "a private parcel, not for work": the customer's own
            # post, which no order of the company's is.
            intent, confidence = NONE_INTENT, 1.0
            found = [f for f in found if f.type not in _CONTEXT_ONLY]
        # Made as ``trusted``: every value below is of its field's type already (validating them cost
        # as much as reading the message's words).
        return trusted(
            Parse,
            text=read_as,
            intent=intent,
            confidence=float(max(0.0, min(1.0, confidence))),
            entities=tuple([_entity(f, read_as) for f in found]),
            language=language,
        )

    def _as_named(self, read: _Reading, raws: Sequence[str], topic: str | None, language: str) -> _Reading:
        """The reading of a message that points at the record talked about without naming it ("how
        much is it?") as if it named it ("how much is the invoice?"): the words around a pointer say
        little on their own ("how much" is mostly the account's balance). ``read`` itself when there
        is no topic, no pointer, or the message names a kind of record of its own ("is that order
        late?")."""
        if topic is None or _POINTER not in raws:
            return read
        called = self._called.get(topic)
        if (
            called is None
            or any(named_kind(raw) is not None or raw.lower() in KIND_WORDS for raw in raws)
            or not self._classifier.points_into(read.tokens, topic)
        ):
            return read
        word = called.get(language) or next(iter(called.values()))
        return self._read_message([word if raw == _POINTER else raw for raw in raws])

    def _named_family(self, raws: Sequence[str], read: str) -> str | None:
        """The family of the records a message names by their word ("fakturor"), when that is one
        family and the message was read as another family of records that words name too (contracts,
        not equipment: "vad händer med den leasade lagringen när avtalet går ut" asks of the storage)."""
        family = read.split(".", 1)[0]
        if family not in self._worded:
            # A family without records of a word (a statement) keeps a message that says its own word
            # ("kontoutdraget"); else the records it names decide ("lista alla öppna order").
            own = _HELD.get(family)
            if own is None or any(own.match(raw.lower()) for raw in raws):
                return None
        named = {self._kind_family.get(kind) for raw in raws if (kind := named_kind(raw)) is not None}
        if len(named) != 1:
            return None
        (one,) = named
        return one if one is not None and one != family and one in self._topics else None

    def _names_another(self, raws: Sequence[str], topic: str) -> bool:
        """Whether a message names a kind of record of another family than ``topic`` by its word."""
        families = self._kind_family
        for raw in raws:
            kind = named_kind(raw)
            if kind is not None and families.get(kind, topic) != topic:
                return True
            if topic != _ITEMS_FAMILY and raw.lower() in _ITEM_WORDS:
                return True  # "vilken utrustning omfattas av det avtalet?": the equipment
        return False

    def _one_sentence(self, text: str, today: date, language: str, topic: str | None) -> Parse | None:
        """The reading of a message that reads as nothing as a whole, by its sentences, each read after
        the one before as a conversation reads a follow-up ("kan vi ta det på svenska? när blir den
        klar?" after an order: the order's). The sentences that ask something of ours, read surely
        enough, decide: one thing asked, or the last of one family; else the one question among them
        (the sentence that ends in "?"). ``None`` for a message of one sentence, or of several that
        ask different things and none of them as a question."""
        if "." not in text and "?" not in text and "!" not in text and "\n" not in text:
            return None
        sentences = _sentences(text)
        if not sentences:
            return None
        asked: list[tuple[str, Parse]] = []
        elsewhere = False
        for sentence in sentences:
            said = self.parse(sentence, today=today, language_hint=language, topic=topic)
            if said.intent == NONE_INTENT:
                read = self._read_message(raw_words(sentence, self._extractor.extract(sentence, today=today)))
                elsewhere = elsewhere or self._scored(read, language).off_topic
            elif (
                not said.intent.startswith("smalltalk.") and said.confidence >= self.threshold + _SURE_ENOUGH
            ):
                asked.append((sentence, said))
                family = said.intent.split(".", 1)[0]
                topic = family if family in self._topics else topic
        if not asked:
            return None
        if elsewhere and any(e.type == "reference" for _, said in asked for e in said.entities):
            return None  # "I ordered pizza yesterday. Where is it?": "it" is of another world
        families = {said.intent.split(".", 1)[0] for _, said in asked}
        if len(families) == 1:
            return asked[-1][1]
        questions = [said for sentence, said in asked if sentence.rstrip().endswith("?")]
        return questions[0] if len(questions) == 1 else None

    def _the_request(self, text: str, today: date, language: str, read: str) -> Parse | None:
        """Of a message of two to four sentences read as ``read``, the one sentence said as a request
        ("please …", "can you …", "kan du …"), when it reads surely as another intent of the same
        family: what the sentences before it tell is context."""
        sentences = _sentences(text)
        requests = [s for s in sentences if _PLEASE.match(s) is not None]
        if len(requests) > 1:
            # "Kan ni skynda på den? Öppna ett ärende": of a question and a request, the request.
            requests = [s for s in requests if not s.rstrip().endswith("?")]
        if len(requests) != 1:
            return None
        family = read.split(".", 1)[0]
        said = self.parse(requests[0], today=today, language_hint=language, topic=family)
        if (
            said.intent != read
            and said.intent.split(".", 1)[0] == family
            and said.confidence >= self.threshold + _SURE_ENOUGH
        ):
            return said
        return None

    def _scored(self, read: _Reading, language: str, topic: str | None = None) -> Scored:
        """The classifier's answer for a message's reading."""
        return self._classifier.classify(
            read.tokens, unknown=read.unknown, surface=" ".join(read.surface), language=language, topic=topic
        )

    def _after_greeting(self, raws: Sequence[str], language: str, topic: str | None) -> Scored | None:
        """What the words after a greeting ask, when it is something of ours: not small talk ("hi, I
        need help" stays a greeting, which offers help) and not a word or two that says little alone
        ("hey there fellow")."""
        rest = self._read_message(raws)
        exact = self._exact.get(tuple(rest.known))
        if exact is not None:
            asked = Scored(exact, 1.0)
        elif sum(t is not None for t in rest.tokens) >= 2:
            asked = self._scored(rest, language, topic)
        else:
            return None
        said = sum(t is not None for t in rest.tokens)
        if asked.intent == NONE_INTENT and (
            said >= _TOLD_AFTER_A_GREETING or (asked.off_topic and said >= 3)
        ):
            # "hey, what's the weather in Kista tomorrow?", "hey, I'm waiting for a private package from
            # Zalando, can you tell me where it is?": a question of another world, not a greeting
            return asked
        return None if asked.intent == NONE_INTENT or asked.intent.startswith("smalltalk.") else asked

    def _how_elsewhere(self, text: str, raws: Sequence[str]) -> bool:
        """Whether a question of how to do something ("how do I", "how can we", "hur gör jag", "hur
        signerar man") asks it of a product we do not know: its last words are "in", "on", "with",
        "i", "på" or "med" and words we do not know, or names we know only as like another word and
        not as one of our channels ("… in Jira", "… on Windows", "… in Adobe Reader"; not "… in
        Teams", "… in PDF"). Never with a record's number."""
        if _HOW_TO.match(text) is None:
            return False
        cache = self._raw
        entries = [cache.get(raw) or self._raw_word(raw) for raw in raws]
        words = [(raw, e) for raw, e in zip(raws, entries, strict=True) if e[0] not in _TRAILING]
        if any(e[0][0] == "#" for _, e in words) or len(words) < 3:
            return False
        for i in range(len(words) - 1, max(len(words) - 4, 0), -1):
            if words[i - 1][1][0] in _IN_PRODUCT:
                return all(
                    e[2] is None or (raw[:1].isupper() and e[2] != (e[0],) and e[0] not in _OUR_PLACES)
                    for raw, e in words[i:]
                )
        return False

    def _elsewhere(self, raws: Sequence[str]) -> bool:
        """Whether the message speaks of a bill, a statement, a ticket or a subscription a person holds
        with another company: one of theirs named by a word we do not know (a name, most likely) just
        before the word for it ("my Telia phone bill", "mitt jira-ärende", "my netflix subscription"),
        or a bill or a statement from one ("the bill from Vattenfall", "mitt kontoutdrag från
        Swedbank"; a person is no company: "the
        invoice from Mr. Smith", "… from David Miller"). Orders are not asked of here: "my last amazon
        order" is asked of an order all the same, and one that is not ours is not found. Never when
        the message names a record by its number."""
        cache = self._raw
        entries = [cache.get(raw) or self._raw_word(raw) for raw in raws]
        if any(entry[0] in RECORDS for entry in entries):
            return False
        # Per word: 2 for an unknown name, 1 for another unknown word, 0 for a known one or a placeholder.
        unknown = [
            0 if e[0][0] == "#" or e[2] is not None else 1 + (e[1] or raw[:1].isupper())
            for raw, e in zip(raws, entries, strict=True)
        ]
        for i, entry in enumerate(entries):
            kind = _held(entry[0])
            if kind is None:
                continue
            if (
                i >= 2
                and entries[i - 2][0] in _WHOSE
                and (unknown[i - 1] or self._classifier.speaks_for_none(entries[i - 1][0]))
            ):
                return True  # "my jira ticket", "min Amazon-faktura", "my bank statement"
            if i >= 3 and unknown[i - 2] == 2 and entries[i - 3][0] in _WHOSE:
                return True  # "my Telia phone bill"
            if (
                kind != "ticket"
                and i + 2 < len(entries)
                and entries[i + 1][0] in _FROM
                and _named(raws, unknown, i + 2)
            ):
                return True  # "the bill from Vattenfall"; not "from David Miller"
        return False

    def _asked(self, text: str, read: str) -> str | None:
        """The intent whose question the message asks in its own words (``IntentSpec.asked_by``), another
        than the classifier read if any, else the one it read: not when it asks for a person by naming
        one, unless only to ask whether the assistant is one ("am I talking to a real person?")."""
        if read in self._takes_over and names_a_person(text) and not asks_if_a_bot(text):
            return None
        asking = self._asking.get(text)
        if asking is None:
            # Each intent's own words looked for once per text (customers ask the same things in the
            # same words; the patterns cost more than the rest of reading a repeated question).
            if len(self._asking) >= _ASKING_KEPT:
                self._asking.clear()
            asking = self._asking[text] = tuple(name for name, asked_by in self._asked_by if asked_by(text))
        # (the intent read itself when only it is asked so: its own words make it sure, "ok tack")
        return next((name for name in asking if name != read), read if read in asking else None)

    def _refused_in(self, text: str) -> tuple[tuple[str, re.Match[str]], ...]:
        """The intents a message refuses (``IntentSpec.refused_by``), each with where it says so."""
        return tuple((name, no) for name, refused in self._refused.items() if (no := refused.search(text)))

    def _tokens(self, analysed: Sequence[Word]) -> tuple[list[str | None], float, list[str]]:
        """Canonical tokens (``None`` for an unknown word), how much was unknown, and the fuzzy text."""
        read = self._read(analysed)
        return read.tokens, read.unknown, read.surface

    def _read(self, analysed: Sequence[Word]) -> _Reading:
        """The canonical tokens of words already analysed (the examples, when the NLU is built): as
        ``_read_message`` reads a message's, through the same tally."""
        entries: list[_Raw] = []
        for word in analysed:
            text = word.text
            if text[0] == "#":
                entries.append((text, False, None, False, 0.0, 0.0))
            else:
                known, guessed, says_en, says_sv = self._words.get(text) or self._word(text)
                entries.append((text, word.capitalised, known, guessed, says_en, says_sv))
        return self._tally(entries)

    def _read_message(self, raws: Sequence[str]) -> _Reading:
        """What the classifier reads of a message's words (``raw_words``): every written word's
        reading, canonical form and language clue looked up at once in one cache."""
        cache = self._raw
        entries = [cache.get(raw) or self._raw_word(raw) for raw in raws]
        if entries and entries[0][1]:  # the first word is capitalised as every sentence is
            entries[0] = (entries[0][0], False, *entries[0][2:])
        return self._tally(entries)

    def _tally(self, entries: Sequence[_Raw]) -> _Reading:
        """The message's canonical tokens and what goes with them, in one pass over its words.

        An unknown word counts 1; an unknown capitalised word (a name, most likely) counts
        ``name_weight``: "deliver to Åland" or "a hotel in Solna" name something we do not know of,
        which is a weaker sign of another topic than an unknown word, but a sign all the same.
        """
        read = _Reading()
        tokens, surface, known_tokens = read.tokens, read.surface, read.known
        unknown = en = sv = 0.0
        name_weight = self._name_weight
        guess_weight = self._guess_weight
        for text, capitalised, known, guessed, says_en, says_sv in entries:
            if text[0] == "#":
                tokens.append(text)
                surface.append(text)
                known_tokens.append(text)
                read.placeholder = True
                continue
            en += says_en
            sv += says_sv
            if known is None:
                if capitalised:
                    if name_weight <= 0.0:
                        continue
                    unknown += name_weight
                else:
                    unknown += 1.0
                tokens.append(None)
                surface.append(text)
            else:
                if guessed:
                    unknown += guess_weight
                tokens.extend(known)
                surface.extend(known)
                known_tokens.extend(known)
        read.unknown, read.en, read.sv = unknown, en, sv
        return read

    def _raw_word(self, raw: str) -> _Raw:
        """A written word as a later word of a message reads (``words``), with ``_word``'s answer (cached)."""
        word = reading(raw)[1]
        if word.text[0] == "#":
            entry: _Raw = (word.text, False, None, False, 0.0, 0.0)
        else:
            known, guessed, says_en, says_sv = self._words.get(word.text) or self._word(word.text)
            entry = (word.text, word.capitalised, known, guessed, says_en, says_sv)
        if len(self._raw) > _WORDS_LIMIT:
            self._raw.clear()
        self._raw[raw] = entry
        return entry

    def _word(self, text: str) -> tuple[tuple[str, ...] | None, bool, float, float]:
        """A word's canonical form(s), whether they are a guess, and its language clue (cached)."""
        known, guessed = self._vocabulary.resolve(text)
        clue = says(text)
        reading = (known, guessed, clue[0], clue[1])
        if len(self._words) > _WORDS_LIMIT:
            self._words.clear()
        self._words[text] = reading
        return reading


class _Reading:
    """One message as the classifier reads it."""

    __slots__ = ("en", "known", "placeholder", "surface", "sv", "tokens", "unknown")

    def __init__(self) -> None:
        self.tokens: list[str | None] = []
        """Canonical tokens, ``None`` for an unknown word."""
        self.surface: list[str] = []
        """What fuzzy matching compares: the tokens, unknown words as written."""
        self.known: list[str] = []
        """The tokens that are known: the words an example is looked up by."""
        self.unknown = 0.0
        """How much of the message is unknown."""
        self.placeholder = False
        """Whether an entity stands in the message (``#inv``, ``#date``)."""
        self.en = 0.0
        self.sv = 0.0
        """The evidence of each language, summed over the words in order."""


_WORDS_LIMIT = 100_000

_Raw = tuple[str, bool, tuple[str, ...] | None, bool, float, float]
"""A written word read: its text (or placeholder), whether it is capitalised inside a sentence, its
canonical form(s) (``None``: unknown), whether they are a guess, and what it says for English and Swedish."""


def _negated(low: str) -> bool:
    """Whether a message (lower-cased) may refuse something: ``IntentSpec.refused_by`` is looked for
    only then. Plain substring checks, far cheaper than the patterns they save."""
    return (
        "not" in low
        or "n't" in low
        or "n’t" in low
        or "dont" in low
        or "no " in low
        or "never" in low
        or "without" in low
        or "inte" in low
        or "inge" in low
        or "inga" in low
        or "utan" in low
        or "forget" in low
        or "glöm" in low
        or "strunta" in low
    )


def _corrected_within(text: str, found: list[Found]) -> tuple[list[Found], str]:
    """Of two records of a kind with a correction between them ("status of order 4712, no sorry, 4711",
    "faktura INV-2030 eller nej, INV-2031"), the one said last: the first was taken back, and it and the
    words taking it back are blanked out of the text (every other character where it was)."""
    dropped: set[int] = set()
    for i, first in enumerate(found):
        if not first.type.endswith("_number"):
            continue
        later = next((f for f in found[i + 1 :] if f.type == first.type), None)
        if later is not None and _CORRECTED_BETWEEN.fullmatch(text, first.end, later.start):
            dropped.add(i)
            text = text[: first.start] + " " * (later.start - first.start) + text[later.start :]
    return ([f for i, f in enumerate(found) if i not in dropped], text) if dropped else (found, text)


@lru_cache(maxsize=4096)
def _sentences_in(text: str) -> bool:
    """Whether a sentence ends inside a message (a plain substring check, before any pattern)."""
    return (
        ". " in text
        or "? " in text
        or "! " in text
        or "\n" in text
        or " - " in text
        or " – " in text
        or ": " in text
    )


def _sentences(text: str) -> list[str]:
    """A message's sentences, when it has two to four of them (none otherwise)."""
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    return sentences if 2 <= len(sentences) <= 4 else []


def _own_before_quoted(found: list[Found], unquoted: str) -> list[Found]:
    """``found`` without the records of quoted lines of a kind also found in the user's own words."""
    own = {f.type for f in found if unquoted[f.start : f.end].strip()}
    return [f for f in found if f.type not in own or unquoted[f.start : f.end].strip()]


def _without_quotes(text: str) -> str | None:
    """``text`` with its quoted lines ("> …", as chat and mail quote) blanked out, every other
    character where it was; ``None`` when nothing is quoted, or nothing but quotes is said."""
    lines = text.split("\n")
    quoted = [line.lstrip().startswith(">") for line in lines]
    if not any(quoted) or all(q or not line.strip() for q, line in zip(quoted, lines, strict=True)):
        return None
    return "\n".join(" " * len(line) if q else line for q, line in zip(quoted, lines, strict=True))


def _held(word: str) -> str | None:
    """Which of ``_HELD``'s kinds a word (as read) names, if any."""
    return next((kind for kind, pattern in _HELD.items() if pattern.match(word)), None)


def _blanked(text: str, refused: Sequence[tuple[str, re.Match[str]]]) -> str:
    """``text`` with the words that refuse an intent blanked out, every other character where it was
    (the entities found in the whole text keep their places)."""
    for _, no in refused:
        text = text[: no.start()] + " " * (no.end() - no.start()) + text[no.end() :]
    return text


def _undenied(raws: Sequence[str]) -> list[str]:
    """The words of a message without a kind of record it says it does not mean ("not the invoice, the
    order - has 5801 been delivered?", "inte fakturan, ordern") or no longer asks about ("forget the
    invoice, show me the contract", "glöm fakturan, visa avtalet"), when another is named: its word
    would read for the family left. All of them when none is left."""
    kept: list[str] = []
    i = 0
    while i < len(raws):
        lead = next((n for n in (2, 1) if tuple(w.lower() for w in raws[i : i + n]) in _LEAVES_A_KIND), 0)
        if lead:
            j = i + lead if i + lead < len(raws) and raws[i + lead].lower() in _ARTICLES else i + lead - 1
            if j + 1 < len(raws) and named_kind(raws[j + 1]) is not None:
                i = j + 2
                continue
        kept.append(raws[i])
        i += 1
    named = any(raw[0] == "#" or named_kind(raw) is not None for raw in kept)
    return kept if named and len(kept) < len(raws) else list(raws)


def _named(raws: Sequence[str], unknown: Sequence[int], at: int) -> bool:
    """Whether the word at ``at`` names a company we do not know: a name (``unknown`` 2) not followed by
    another (a person's first name and surname), or an unknown word that ends the message ("… from
    zalando"; not "from four purchases ago")."""
    if unknown[at] == 2:
        return not (at + 1 < len(raws) and raws[at + 1][:1].isupper())
    return unknown[at] == 1 and at + 1 == len(raws)


def _key(tokens: Sequence[str | None]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t is not None)


def _exact_examples(examples: Mapping[str, Sequence[Sequence[str | None]]]) -> dict[tuple[str, ...], str]:
    """Each example's words (as a message is read: typos mended, records as placeholders) and its intent,
    for a message that says exactly an example ("help", "I need help"): however the evidence of its
    words is spread over the catalogue, it means what the example means. Words two intents share as
    an example are left to the classifier."""
    found: dict[tuple[str, ...], str | None] = {}
    for name, lines in examples.items():
        for tokens in lines:
            key = _key(tokens)
            if key:
                found[key] = name if found.get(key, name) == name else None
    return {key: name for key, name in found.items() if name is not None}


def _entity(found: Found, text: str) -> Entity:
    return trusted(
        Entity,
        type=found.type,
        value=found.value,
        text=text[found.start : found.end],
        start=found.start,
        end=found.end,
    )
