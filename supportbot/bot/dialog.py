"""The dialog engine: which intent a turn is about, its slots, and whether the user may have it; it
owns the conversation's state and everything that spans turns.

Rules, in order:

- "cancel" leaves a pending question (and one paused for another request); said before a question of
  its own ("forget it, where is order 4711?") it drops the question and the rest is asked.
- A question offered back ("Shall we finish your request?") is taken up again on a yes, dropped on a
  no, and dropped silently by anything else.
- While a question waits, a message is first its answer, validated for the slot: a yes ("sure",
  "ok", "japp", "visst", "gärna") takes a stated default or confirms, a no to a confirmation drops
  the question; a stated default ("skip"), free text or a value of the slot's form fills it. Only a
  request of its own switches away: another intent the NLU is sure enough of, said as a request (a
  lookup verb first, "show my invoices"; a question word first in a question or in a short message
  with a record, "where is order 4711"; "is"/"I want" in a short one with a record); to a question
  with fixed answers also any question word, a short confident message ("thanks"), and a record of
  another kind where nothing is written freely. Free text a handler asked for itself is its to read
  ("sign it?": anything but a yes is a no), unless it is a request of its own, as to a question with
  fixed answers. A required question, or a handler's own, left that way is paused and offered back
  once the new request is answered (its records are then what "it" means), unless a person takes over
  ("talk to a person"); a value of its kind given to the offer answers it.
- An answer that fits nothing is asked again with the question's buttons, saying what was wrong; one
  with content of its own ("Disk read errors on server 78ABC12" to "What is it about?") is kept for
  the free-text question after it.
- A correction ("no, I meant 4712", "sorry, 4711", "not that one, the other", "nej, jag menade…")
  changes the first slot of the last intent it names a new value for and answers that intent again
  with its other slots as they were; a record of a kind it does not take goes to the intent that
  claims it. Only look-ups are answered again: never an intent that takes text, files or a form or
  asks to confirm.
- Otherwise a confident new intent; then a bare reference or record continuing the conversation
  ("the first one", "4712"), the intent claiming it.
- Missing slots come from the context: "it", "the other one", "the first one", and a record pointed
  at by kind ("that order", "this machine": that kind's current record, or the record made current
  with it, the machine's contract). Never the wrong record: a number of the slot's form said in the
  message wins over the context; one of another form after a record word ("ordr 12") and a reference
  that points at nothing known are asked about, saying so, instead of filled from the context; and a
  record the intent cannot take ("and contract C-1001?" taken for an order question) goes to the
  intent claiming it rather than let the record talked about before answer.

Then the tool grant is checked; then each slot in turn is checked (an answer its check refuses is
asked again, saying why, with its buttons) and asked for when it is missing and needed, unless a form
was sent (its handler checks it whole) or a form will ask for all of it. Only then does the handler
run. Files sent while an intent that takes files asks are held until the question is answered.
Handlers never see a turn they may not answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from supportbot.bot.handoff import Handoffs
from supportbot.bot.i18n import Formatter
from supportbot.bot.limits import Limits
from supportbot.bot.messages import (
    MAX_INBOUND_BYTES,
    Button,
    Capability,
    ConversationRef,
    FormSubmission,
    InboundFile,
    Reply,
)
from supportbot.bot.nlu.entities.dates import add_months
from supportbot.bot.nlu.entities.ids import BARE_NUMBER, PREFIXES, is_plural, numbered, record_kind
from supportbot.bot.nlu.entities.references import MARK_WORDS, marks_said, negated
from supportbot.bot.nlu.entities.sites import OTHER_SITE
from supportbot.bot.nlu.lexicon import (
    DOCUMENT_WORDS,
    FAMILY_WORDS,
    FORMATS,
    GOING_BACK,
    complains,
    names_a_person,
)
from supportbot.bot.nlu.recipients import to_me
from supportbot.bot.nlu.text import wordset
from supportbot.bot.nlu.types import NONE_INTENT, Entity, Parse
from supportbot.bot.spec import (
    SAID,
    SAID_LIMIT,
    Files,
    IntentSpec,
    Mailer,
    Notices,
    Question,
    Refused,
    Slot,
    TurnContext,
)
from supportbot.bot.state import DialogState, FamilyContext, Pending, SlotValue, Topic
from supportbot.integrations.models import Principal, Tool
from supportbot.integrations.protocols import Backends

CANCEL_WORDS = frozenset(
    {
        "cancel",
        "abort",
        "stop",
        "never mind",
        "nevermind",
        "forget it",
        "cancel that",
        "avbryt",
        "glöm det",
        "strunt i det",
        "skit samma",
        "avbryt det",
        "strunta i det",
        "strunta i det där",
        "skippa det",
        "forget that",
        "forget about it",
        "scratch that",
        "nvm",
    }
)
_BEFORE_CANCEL = (
    r"(?:(?:no|nope|nah|actually|wait|oh|ah|hmm+|ok(?:ay|ej)?|nej|nä|förresten|vänta|äh)[\s,.!]+)*"
)
"""Words that may lead a cancel ("nej förresten, strunta i det", "no wait, forget it")."""
DEFAULT_WORDS = frozenset(
    {
        "default", "skip", "hoppa över", "doesn't matter", "does not matter", "whatever", "spelar ingen roll",
        "send", "send it", "just send it", "submit", "submit it", "skicka", "skicka det", "skicka in",
        "skicka in det",
    }
)  # fmt: skip
"""Said to a question whose slot has a default: take it (and "send it": on to sending, with it)."""
YES_WORDS = frozenset(
    {
        "yes", "yeah", "yep", "yup", "y", "ok", "okay", "k", "sure", "fine", "please do", "do it",
        "go ahead", "sounds good", "all right", "alright", "of course", "absolutely", "correct", "right",
        "ja", "japp", "jepp", "jo", "visst", "javisst", "okej", "gärna", "absolut", "kör", "självklart",
        "precis", "det stämmer", "stämmer", "gör det", "ja gärna",
    }
)  # fmt: skip
NO_WORDS = frozenset(
    {"no", "nope", "nah", "n", "not now", "no way", "nej", "nä", "nää", "inte nu", "icke", "nej då"}
)  # fmt: skip
_POLITE = frozenset({"please", "thanks", "thank", "you", "thx", "tack", "så", "mycket", "then", "då"})
"""Words around a yes or a no that change nothing: "yes please", "ja tack", "ok thanks"."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_TRAILING = re.compile(r"[\s.!?,]+$")
_YEAR_ALONE = re.compile(
    r"(?i)^\W*(?:(?:the\s+)?(?:whole\s+)?(?:year|all\s+of|hela|året|år)\s+)?(?P<y>(?:19|20)\d\d)(?:\s+(?:please|tack))?\W*$"
)
"""A year said alone, as the answer to which period: "2024", "hela 2025", "year 2024 please"."""

_VALUE_INTRO = (
    r"it'?s|its|it\s+is|it\s+should\s+be|the\s+right\s+one\s+is|should\s+be|det\s+gäller|det\s+är"
    r"|det\s+ska\s+vara|ska\s+vara|rätt\s+är"
)
"""What introduces a correction's value: "it's 4712", "det gäller INV-2031", "should be 4711"."""
_CORRECTION = re.compile(
    r"^\s*(?:(?:ok(?:ay|ej)?|oh|ah|åh|jaha|aha)[\s,.!]+(?=no|nope|nah|sorry|oops|my|wrong|nej|nä|förlåt|oj|ursäkta|mitt"
    r"|fel|(?:då\s+)?menade|i\s+meant|jag\s+menade))?"
    r"(?P<lead>(?:(?:(?:no|nope|nah|sorry|sry|oops|wait|actually|hmm+|nej|nä|förlåt|forlat|oj|ursäkta|ursakta|vänta|(?:wrong|fel)(?=\s*[,.!:;-])"
    r"|(?:that|it)\s+was\s+wrong|that'?s\s+wrong|wrong\s+(?:\w+\s+)?(?:number|digits?)|my\s+(?:mistake|bad)|typo"
    r"|det\s+(?:var|blev)\s+fel|fel\s+(?:\w*nummer|siffr\w*)|mitt\s+fel)"
    r"(?:[\s]*[,.!:;-]+|\s+(?=(?:i|jag|not|inte|no|nej|sorry|förlåt|ursäkta|oops|oj|maybe|kanske|typo|meant|mean|menade|menar"
    r"|that\s+was|that'?s|wrong|my|det\s+var|det\s+blev|fel|mitt)\b)|\s+(?=#?\d)))"
    r"|(?:maybe|perhaps|kanske)\s+(?:(?:it\s+was|it's|it\s+is|det\s+var|var\s+det|är\s+det|det\s+är)\s+"
    r"|(?=(?:[^\W\d_]+\.?\s+)?#?\d))|try\s+|prova\s+)\s*)*"
    r"(?:(?P<meant>(?:(?:i|jag)\s+)?(?:då\s+)?(?:meant|mean|menade|menar)(?:\s+jag)?\b|not\s+(?:that|this)(?:\s+one)?\b"
    r"|inte\s+(?:den|det)(?:\s+där|\s+här)?\b|wrong\s+one\b|fel\s+(?:en|ett)\b)"
    rf"|(?P<intro>{_VALUE_INTRO})\b)?"
    r"[\s,.!:;-]*(?P<rest>.*?)[\s.!?]*$",
    re.IGNORECASE | re.DOTALL,
)
"""A correction: "no, I meant 4712", "sorry, 4711", "not that one, the other", "nej, jag menade…",
"nej det var fel, det gäller INV-2031"; what introduces the value ("it's", "det gäller") counts only
after a lead ("no,", "det var fel")."""
_INTRO = re.compile(rf"(?i)^(?:{_VALUE_INTRO})\s+")
"""The same said after "wrong one" or "I meant" ("sorry wrong one, its 1000123")."""
_TAKEN_BACK = re.compile(
    r"(?i)[\s,]+(?:not|inte|instead\s+of|rather\s+than|i\s*stället\s+för|istallet\s+for)\s+#?[\w-]*\d[\w-]*[\s.!?]*$"
)
"""A record a correction says it is not, after its value: "4712 not 4711", "4712, inte 4711"."""
_MEANT_AFTER = re.compile(
    r"(?i)[\s,]+(?:men(?:ade|ar)\s+jag|jag\s+men(?:ade|ar)|var\s+det\s+jag\s+menade|i\s+mean(?:t)?"
    r"|(?:is|was)\s+what\s+i\s+meant"
    r"|skulle\s+det\s+vara|ska\s+det\s+vara|(?:is|was)\s+the\s+right\s+one|är\s+(?:den\s+)?rätt(?:a)?)"
    r"(?:[\s,]+(?:not|inte|instead\s+of|i\s*stället\s+för)\b[^.!?]*)?[\s.!?]*$"
)
"""What a correction says after its value, as Swedish puts it: "nej förlåt, 4712 menade jag", "4712
skulle det vara"; and what it replaces after that: "i år menar jag, inte förra månaden"."""
_VALUE_WORDS = wordset(
    """
    the a an one ones it that this number nr no order ordern ordernummer invoice bill fakturan faktura
    fakturanummer contract agreement avtal avtalet kontrakt kontraktet serial serienummer machine maskinen
    item request ticket ärende ärendet please instead tack istället i stället den det then då
    customer cust kund kundnummer kundnumret kundnr our my vårt mitt vår min is är
    """
)
"""Words that may stand beside the value of a correction after a bare "no,": "no, order 4712"."""
_INSTEAD = re.compile(
    r"(?i)[\s,]*\b(?:instead|please|then|istället|i\s+stället|tack|då|sorry|sry|förlåt|oops|my\s+bad)$"
)
_BARE = wordset(
    """
    show see view display check get give find look open pull up what whats what's about how and then also status
    the a an me my our us please is it at for of
    visa kolla se titta hitta ge öppna ta fram vad hur med och då också mig mitt min vår vårt våra er
    på för om är till tack snälla
    can could would you i we kan du ni jag vi
    """
)
"""Words a message may say beside a record and its kind that ask nothing of their own: "show contract
C-1001", "and contract C-1001?", "visa avtal C-1001"."""
_OPEN_VERBS = wordset("open öppna")
_A_NEW = wordset("a an new ett en nytt ny")
"""After "open", words that make the record one to create ("open a request about it"), not one to show
("open contract C-1001")."""
_ADDED = re.compile(
    r"(?is)^\W*(?:(?:pls|please|snälla|kan\s+(?:du|ni)|can\s+you|could\s+you)\s+)?"
    r"(?:add|lägg\s+till|lagg\s+till|also\s+add|lägg\s+också\s+till)\b"
    r"(?:\s+(?:a\s+|an\s+|en\s+)?(?:comment|note|kommentar(?:en)?|notering))?"
    r"(?:\s+(?:to\s+(?:it|that|the\s+request|my\s+(?:ticket|request))|till\s+(?:den|det|ärendet|arendet)))?"
    r"(?:\s+(?:that|att))?\s*[:,–-]?\s*(?P<rest>\w.*)$"
)
"""More said to be added to what was just written ("add a comment to it: …", "lägg till att …")."""
_MAIL_IT = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej)?|and|och|then|då|please|snälla|kan\s+du|can\s+you|could\s+you)\W+)*"
    r"(?:e-?mail|mail|mejla|maila|skicka|send)\s+(?:it|den|det|that)"
    r"(?:\s+(?:to\s+me|till\s+mig|please|pls|tack|instead|istället|as\s+well|också))*\W*$"
)
"""A short ask to mail what was just shown: "maila den", "email it to me please"."""
_NAMES_SEVERAL = frozenset({"po_number"})
"""Kinds of number that several records may share (a purchase order split over orders)."""
_FILE = wordset("file fil filen filerna list lista listan")
_SENDS = wordset("email e-mail mail mejla maila mejl mail send skicka save spara ladda ner")
_ASKS_FOR_A_FILE = (
    FORMATS
    | _FILE
    | _SENDS
    | wordset(
        """
        it that this them those these the a an as to me us please pls can could you i have get
        den det dem dom de denna detta som en ett till mig oss tack snälla kan du jag få ut hela all alla
        and och then då also också instead istället
        """
    )
)
"""The words a message asking for the listing just shown as a file (or mailed) is made of."""
_FEW_WORDS_ASKED = 8
"""At most this many words ask for the listing just shown as a file, or narrow it by a status."""
_AS_A_DOCUMENT = wordset("as in send can could i have en ett som skicka kan jag få du you its dess den det")
"""Words that may be said with a document's word and ask nothing else: "can I have it as a pdf", "kan
jag få pdf:en"."""
_WHEN_OR_HOW_MUCH = re.compile(
    r"(?i)^\W*(?:(?:and|och|so|ok(?:ay|ej)?|but|men)\W+)?(?:(?:until|till|since|from)\s+when|when|how\s+long"
    r"|how\s+much|what\s+date|(?:any\s+|new\s+|the\s+)?eta|tills?\s+när|sedan\s+när|från\s+när|när|hur\s+länge"
    r"|hur\s+mycket|vilket\s+datum)"
    r"(?:\s+(?:then|exactly|again|då|exakt|igen))?\W*$"
)
"""A question of a few words about the record just answered for ("until when?", "hur länge då?")."""
_FOLLOW_ON = wordset("and och then då about also också")
"""Of ``_BARE``, the words that ask after one more record right after another: "and the invoice?"."""

# How a request of its own starts, rather than an answer to the question asked.
_OPENING = (
    r"(?i)^\s*(?:(?:and|och|ok|okay|okej|also|också|hi|hello|hej|please|snälla|hmm+|wait|vänta|actually|förresten"
    r"|just|bara"
    r"|thanks|thank\s+you|thx|tack|great|perfect|perfekt|toppen"
    r"|before\s+that|innan\s+dess|oh|by\s+the\s+way|btw|(?:hang|hold)\s+on(?:\s+a\s+(?:sec|second|moment))?"
    r"|one\s+(?:more\s+)?thing(?:\s+first)?|first|först|quick\s+question|en\s+(?:grej|sak)(?:\s+(?:först|till))?"
    r"|snabb\s+fråga)[\s,!.:;–-]+)*"
)
_LOOKUP = re.compile(
    _OPENING + r"(?:show|list|find|track|send|e-?mail|mail|download|get|give|check|look\s+up|tell\s+me"
    r"|talk|speak|chat|visa|lista|hitta|spåra|skicka|maila|mejla|ladda\s+ner|hämta|ge\s+mig|kolla|berätta"
    r"|prata|tala|make|create|generate|export|print|gör|skapa|ta\s+fram|exportera|ladda\s+ned|skriv\s+ut)\b"
)
"""A lookup verb first: "show my invoices", "visa faktura INV-2031", "talk to a person", "gör en rapport
på alla ordrar i år"."""
_ACTION = re.compile(
    _OPENING + r"(?:approve|sign|forward|add|attach|renew|move|upgrade|comment|cancel\s+(?:the|my|our|order)"
    r"|godkänn|attestera|signera|skriv\s+under|vidarebefordra|lägg\s+till|bifoga|förnya|flytta|uppgradera"
    r"|kommentera)\b"
)
"""An action's verb first, in the imperative: "approve the current version", "forward it to my colleague",
"lägg till en kommentar": to a question with fixed answers, a request of its own when the NLU is sure
of another intent (a value the question takes, said with it, is taken as the answer first)."""
_QUESTION = re.compile(
    _OPENING + r"(?:where|what|what's|whats|when|which|who|why|how|can\s+(?:you|i|we)|could\s+(?:you|i|we)"
    r"|would\s+you|do\s+you\s+know|var|vad|när|vilken|vilket|vilka|vem|varför|hur|kan\s+(?:du|jag|vi|ni)"
    r"|skulle\s+(?:du|ni)|vet\s+(?:du|ni))\b"
)
"""A question word first: a request when asked ("...?") or short with a record ("where is order 4711"); so is
"do you know …" ("vet du när den kommer?")."""
_WHICH_ONES = re.compile(
    _OPENING + r"(?:what|which|vilka|vilken|vilket|how\s+many|hur\s+många)\s+(?:(?:of\s+)?(?:our|my|the)\s+"
    r"|(?:av\s+)?(?:våra|mina|era|dina)\s+)?(?P<word>[^\W\d_]+)"
)
"""Which records of a kind there are, asked by their plural word first: "what requests do I have
open", "vilka ärenden har vi öppna nu", "which of our contracts …"."""
_STATUS_ASKED = re.compile(_OPENING + r"(?:the\s+)?status\s+(?:of|on|for|på|för|om)\b")
"""A status asked for first ("status på mitt ärende?", "status of my request?"), a question of its own."""
_ABOUT_RECORD = re.compile(
    _OPENING + r"(?:is|are|has|have|does|do|did|will|any|i\s+(?:want|need|would\s+like)|i'd\s+like|open"
    r"|är|har|blir|något|någon|jag\s+(?:vill|behöver|skulle\s+vilja)|öppna)\b"
)
"""First with a record of its own and short, a request: "is order 4711 late?", "any update on
RQ-2026-000001?" ("is it possible before Christmas?" describes)."""
_WISH = re.compile(
    _OPENING + r"(?:(?:i|we)\s+(?:want|need|would\s+like|wish)|(?:i|we)'d\s+like|please|(?:jag|vi)\s+"
    r"(?:vill|behöver|skulle\s+vilja|önskar)|kan\s+(?:du|ni)|can\s+you|could\s+you)\b"
)
"""A wish said first ("we want to move it to Göteborg", "vi vill flytta den"): to a question with fixed
answers (which contract?) it is a request of its own, not a try at the answer."""
OFFER_AFTER = 2
"""Misses in a row after which a person is offered outright ("Shall I put you in touch with a
person?"), and a yes or no is the answer to that."""
_CLOSINGS = frozenset({"smalltalk.thanks", "smalltalk.goodbye"})
"""Thanks or a goodbye, sure enough, to a question with fixed answers, however many words: a request of
its own, as a short one is (the question is offered back once, as for any)."""
_CHANGE_LEAD = re.compile(
    r"(?i)^\W*(?:(?:hmm+|no|nope|nej|nä|sorry|förlåt|actually|egentligen|wait|vänta|oh|and|also|också|förresten"
    r"|och)[\s,!.]+)+"
)
_SET_TO = re.compile(
    r"(?i)^\W*(?:(?:please|snälla)\s+)?(?:set|change|make|switch|sätt|ändra|byt)\s+(?:(?:it|the\s+(?:priority"
    r"|category|prio)|prioriteten|kategorin|prion|det|den)\s+)?(?:(?:to|till)\s+)?"
)
_NOT_THAT = re.compile(r"(?i)[\s,]+(?:not|inte)\s+\w+[\s.!]*$|[\s,]+(?:instead|i\s*stället|istället)[\s.!]*$")


def _changed_to(text: str) -> tuple[str, bool]:
    """A fixed answer said to change one given before, without the words around it, and whether there
    were any ("hmm no, actually it's an invoice thing, not technical" → "it's an invoice thing";
    "sätt prioriteten till normal i stället" → "normal")."""
    bare = _NOT_THAT.sub("", _SET_TO.sub("", _CHANGE_LEAD.sub("", text)))
    return bare, bare != text


_YES_AND_DO = re.compile(
    r"(?i)^\W*(?:yes|yeah|yep|sure|ok(?:ay)?|ja|japp|jepp|jo|absolut|gärna|visst)(?![\w-])[\s,!.]*"
    r"(?:(?:please|pls|tack|snälla|then|då)[\s,!.]+)*(?:do\s+it|go\s+ahead|open|send|create|raise|file|log|submit"
    r"|öppna|skicka|skapa|kör|gör\s+det)(?![\w-])"
)
"""A yes said first, and the thing asked to be done after it: "yes, open a case for it", "ja, skicka den"."""
_ASIDE_WORDS = r"by\s+the\s+way|btw|förresten|forresten|apropå"
"""Words that put what is said beside what is asked: "by the way", "förresten"."""
_INTERRUPTS = re.compile(
    r"(?i)^\W*(?:(?:ok|okay|oh|hmm+|actually|sorry|förlåt|but|men)[\s,!.:;–-]+)*"
    r"(?:wait|vänta|hang\s+on|hold\s+on|" + _ASIDE_WORDS + r"|before\s+that|innan\s+dess"
    r"|one\s+(?:more\s+)?thing\s+first|en\s+(?:grej|sak)\s+(?:först|forst)|quick\s+question|snabb\s+fråga)\b"
)
"""Words that say what follows is put in between, not the answer: "actually wait, what's the status of 4712
right now?", "förresten, vad är saldot på kontot?"."""
_ASIDE_LAST = re.compile(r"(?i)[\s,]+(?:" + _ASIDE_WORDS + r")\W*$")
"""The same words said last: "vilket serienummer har den förresten?", "what's its serial number by the way?"."""
INTERRUPTED_CONFIDENCE = 0.35
"""How sure the NLU must be of a question said after such words for it to be asked of the bot."""
TOLD_UNREAD = 6
"""Words a message the NLU reads as nothing must have, said to a question with fixed answers, to be kept
for the free-text question after it ("it started this morning, the array shows degraded" to "What is it
about?"); fewer, it is refused as an answer."""
SHORT_REQUEST = 8
"""Words in a request whose only sign is its first word and a record: longer, it is more likely told."""
SHORT_LISTING = 5
"""Words in a message that names records by their plural word ("status of my requests") for it to be
a list asked for, said to a question for words written freely, when the NLU is sure of it."""
SWITCH_CONFIDENCE = 0.5
"""A request of its own switches away from a question only when the NLU is at least this sure of it."""

PICK_LIMIT = 8
"""At most this many records of a list are offered as buttons when it is not clear which one is meant."""
TOLD_AFTER_AN_ANSWER = 5
"""Words after a fixed answer and a comma that tell something of their own, kept for the question after."""
SURE_SHORT_QUESTION = 0.6
"""How sure the NLU must be of a question of three words or fewer for it to be asked of the bot while
it waits for words written freely (a description)."""
# "first"/"second"/... index into the list shown last; "last" is its end.
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}


@dataclass
class Turn:
    """What the engine decided for one turn, before the handler ran."""

    spec: IntentSpec | None
    slots: dict[str, Any]
    held: list[str] = field(default_factory=list)
    """Ids of the files held for the intent while it asked (it continues the question)."""
    answered: str | None = None
    """The slot this message answered (the question asked): a refused answer says what was wrong."""
    paused: Pending | None = None
    """The question this turn switched away from: offered back once the new request is answered."""
    declined: bool = False
    """A no to a question that asks to confirm: the question is dropped."""
    kept: bool = False
    """Not an answer, but kept for a free-text slot asked later (the question is asked again)."""
    added: bool = False
    """Not an answer, but more words for the question the intent keeps (``keeps_text``): added to them,
    and the confirmation asked again."""
    noted: bool = False
    """Not the answer to the question asked, but the answer to one still to come ("normal prio" to
    "Describe the problem"): taken, and the question asked again, saying so."""
    unsure: str | None = None
    """The slot a reference was said for that points at nothing known ("the other one" with no other):
    asked for, saying so, rather than filled with another record."""


class DialogEngine:
    def __init__(
        self,
        intents: Sequence[IntentSpec],
        *,
        backends: Backends,
        files: Files,
        mailer: Mailer,
        public_url: str,
        support_email: str,
        handoffs: Handoffs | None = None,
        notices: Notices | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.intents = {spec.name: spec for spec in intents}
        self._files_intent = next((spec for spec in intents if spec.files), None)
        self._fault_takers = [spec for spec in intents if spec.takes_faults]
        self._person = next((spec for spec in intents if spec.takes_over), None)
        """The intent that puts the customer in touch with a person: a yes to its offer runs it."""
        self._claims: dict[str, IntentSpec] = {}
        self._record_families = frozenset(spec.family for spec in intents if spec.claims)
        """The families with records of their own (a statement's has none)."""
        self._filed = frozenset(name for spec in intents for name in spec.exports_after)
        """The intents whose answer another makes a file of (``IntentSpec.exports_after``)."""
        for spec in intents:
            for entity_type in spec.claims:
                self._claims.setdefault(entity_type, spec)
        _check_family_contexts(intents)
        self.backends = backends
        self.files = files
        self.mailer = mailer
        self.public_url = public_url
        self.support_email = support_email
        self.handoffs = handoffs
        self.notices = notices
        self.limits = limits
        self._correctables: dict[str, tuple[tuple[Slot, ...], bool]] = {}
        """Per intent, the slots last asked about (a guest's or everyone's) and whether a correction
        may answer it again with them (``_correctable``)."""

    async def step(
        self,
        *,
        parse: Parse,
        principal: Principal,
        state: DialogState,
        now: datetime,
        conversation: ConversationRef | None = None,
        form: FormSubmission | None = None,
        files: tuple[InboundFile, ...] = (),
        capabilities: frozenset[Capability] = frozenset(),
        make_action_key: Callable[[], str | None] | None = None,
        time_zone: str | None = None,
    ) -> Reply:
        """Answer one parsed message; ``state`` is the conversation's and is updated in place.

        ``make_action_key`` names the message for the back end, so an action it does is done once
        however often the message arrives (``TurnContext.action``); it is called only by a turn that
        acts.

        A submitted ``form`` goes to the intent it belongs to, whatever was pending; ``files`` go
        to the intent that takes files (a request comment) unless the turn is about it already.
        """
        language = parse.language
        # One time zone per user: the times a reply shows and the day its back-end calls count from.
        principal = principal.in_zone(time_zone)
        fmt = Formatter(language, country=principal.country, tz=principal.zone.key)
        state.begin_turn()
        if any(_other_site(e) for e in parse.entities):
            parse = await self._other_site(parse, principal, state)

        def context(spec: IntentSpec, slots: dict[str, Any]) -> TurnContext:
            return TurnContext(
                principal=principal,
                parse=parse,
                slots=slots,
                language=language,
                fmt=fmt,
                backends=self.backends,
                files=self.files,
                mailer=self.mailer,
                state=state,
                now=now,
                public_url=self.public_url,
                support_email=self.support_email,
                handoffs=self.handoffs,
                notices=self.notices,
                limits=self.limits,
                conversation=conversation,
                submitted=form,
                uploads=files,
                capabilities=capabilities,
                make_action_key=make_action_key,
                spec=spec,
            )

        if form is None and not files and _is_cancel(parse.text):
            cancelled = state.pending is not None or state.paused is not None
            state.pending, state.paused, state.offered = None, None, False
            key = "dialog.cancelled" if cancelled else "dialog.nothing_to_cancel"
            return Reply(text=fmt.t(key), language=language, intent="dialog.cancel")

        if form is None and not files and state.pending is not None and _cancelled_before(parse.text):
            # "Glöm det, vilket serviceavtal ligger den på?": the question is dropped, the rest is asked.
            state.pending, state.paused, state.offered = None, None, False
            if parse.intent == NONE_INTENT:  # "nej vänta, avbryt, jag ringer istället": nothing else asked
                return Reply(text=fmt.t("dialog.cancelled"), language=language, intent="dialog.cancel")

        if state.offered:
            # The last reply offered a question left for another request back: a yes takes it up again.
            paused, state.paused, state.offered = state.paused, None, False
            # (A record said with it is a request of its own: "ok. 4712 then" asks about 4712.)
            plain = form is None and not files and not any(e.type in self._claims for e in parse.entities)
            answer = yes_or_no(parse.text) if plain else None
            back = _BACK_TO.match(parse.text) if paused is not None and form is None else None
            if back is not None and not parse.text[back.end() :].strip():
                answer, back = True, None  # "back to the request": a yes
            if paused is not None and paused.intent in self.intents and answer is not None:
                if not answer:
                    return Reply(
                        text=fmt.t("dialog.resume.dropped"), language=language, intent="dialog.cancel"
                    )
                state.pending = paused
                spec = self.intents[paused.intent]
                slot = self._slot(spec, principal, paused.asking)
                ctx = context(spec, dict(paused.slots))
                if slot is None:
                    return ctx.reply(fmt.t("none"))
                question = await self._question_for(slot, ctx)
                if isinstance(question, Reply):
                    state.pending = None
                    return question
                return ctx.reply(question.text, buttons=question.buttons, cards=question.cards)
            if paused is not None and answer is None and plain and self._answers(paused, parse, principal):
                state.pending = paused  # "ok, skicka till erik.lund@…": the answer, as if asked again
            elif (
                paused is not None and answer is None and plain and self._confirmed(paused, parse, principal)
            ):
                state.pending = paused  # "ja, skicka" to "Shall we finish your request?": it is sent
            elif back is not None:
                # "ok thanks. back to my request: it's about order 4712, …": taken up again, and what
                # follows is its answer (the words that took it up blanked, every other in its place).
                state.pending = paused
                parse = parse.model_copy(update={"text": " " * back.end() + parse.text[back.end() :]})

        pending = state.pending
        if form is not None:
            turn = self._submitted(form, principal, pending)
            if turn.spec is None:
                return Reply(text=fmt.t("dialog.form_unknown"), language=language, intent=NONE_INTENT)
        else:
            turn = self._resolve(parse, principal, pending, state)
            if files:
                turn = self._for_files(turn, parse, principal, pending, state.topic)
                if turn.spec is None:
                    text = fmt.t("dialog.files_not_taken", count=len(files))
                    return Reply(text=text, language=language, intent=NONE_INTENT)
        if turn.declined:
            state.pending = None
            return Reply(text=fmt.t("dialog.cancelled"), language=language, intent="dialog.cancel")
        if (
            turn.spec is None
            and pending is None
            and state.misses >= OFFER_AFTER
            and form is None
            and not files
        ):
            # The last reply offered a person outright ("Shall I put you in touch with a person?"):
            # a yes takes it, a no is an answer too, not a third miss.
            answer = yes_or_no(parse.text)
            if answer is False:
                state.misses = 0
                return Reply(text=fmt.t("handoff.offer.declined"), language=language, intent="dialog.cancel")
            if answer and self._person is not None:
                turn = Turn(spec=self._person, slots={})
        if (
            turn.spec is None
            and pending is None
            and form is None
            and not files
            and _thanks_by_sign(parse.text)
        ):
            # "🙏", "🙏👍" with nothing asked: thanks, answered as thanks are.
            turn = Turn(spec=self.intents.get(_THANKS), slots={})
        if turn.spec is None:
            if pending is not None and pending.intent in self.intents:
                ctx = context(self.intents[pending.intent], dict(pending.slots))
                return await self._reask(pending, parse, ctx, kept=turn.kept)
            complaint = complains(parse.text)  # ("this is not acceptable" is no refusal of approving)
            if (
                form is None
                and not files
                and not complaint
                and (yes_or_no(parse.text) is not None or self._declines(parse.text))
            ):
                # "ok", "ja", "no" with nothing asked (after an answer that needed none), or only what is
                # not wanted ("wait no dont sign yet", "no ticket please"): heard, no miss.
                return Reply(text=fmt.t("dialog.acknowledged"), language=language, intent="dialog.ack")
            state.misses += 1
            state.fell_short(NONE_INTENT, parse.text)
            return self.not_understood(
                fmt,
                language,
                misses=state.misses,
                requests=principal.may(Tool.REQUESTS),
                complaint=complaint,
            )

        spec = turn.spec
        # (Each assignment to the model costs its validation hook: only what changes is assigned.)
        if state.misses:
            state.misses = 0
        if state.pending is not None:
            state.pending = None
        if turn.paused is not None and turn.paused.intent != spec.name:
            state.paused, state.offered = turn.paused, False
        elif state.paused is not None and state.paused.intent == spec.name:
            state.paused = None  # started afresh
        refusal = self._refusal(spec, principal, fmt, language)
        if refusal is not None:
            return self._offer_back(refusal, state, fmt)

        ctx = context(spec, turn.slots)
        ctx.held = await self._unhold(turn.held, principal)
        # A sent form is checked whole by its handler; with nothing said yet, a form asks for it all.
        if form is None and not (spec.form and ctx.can("forms") and not turn.slots):
            asked = await self._question(spec, ctx, turn)
            if asked is not None:
                if turn.added or turn.noted:  # (the question asked again: "Thanks, I've added that.")
                    said = "dialog.added" if turn.added else "dialog.noted"
                    return asked.model_copy(update={"text": fmt.t(said, question=asked.text)})
                return asked

        assert spec.handler is not None, f"intent {spec.name} has no handler"
        reply = await spec.handler(ctx)
        # What the bot fell short on waits for a request made of it, until a turn is answered.
        if ctx.short:
            state.fell_short(spec.family, parse.text)
        elif state.unhelped is not None:
            state.unhelped = None
        if spec.forgets:
            state.forget()
        if spec.takes_over:
            state.paused = None
        if state.last_intent != spec.name:
            state.last_intent = spec.name
        state.last_slots = self._kept_slots(spec, principal, turn.slots)
        if ctx.asking is not None:
            await self._wait_for(ctx.asking, ctx, turn)
            if turn.added:
                return reply.model_copy(update={"text": fmt.t("dialog.added", question=reply.text)})
            return reply
        return self._offer_back(reply, state, fmt)

    def _offer_back(self, reply: Reply, state: DialogState, fmt: Formatter) -> Reply:
        """A question left for another request is offered back once that one is answered."""
        if state.paused is None or state.pending is not None or state.offered:
            return reply
        state.offered = True
        offer = fmt.t("dialog.resume")
        buttons = (*reply.buttons, *yes_no_buttons(fmt))
        text = f"{reply.text}\n\n{offer}" if reply.text else offer
        return reply.model_copy(update={"text": text, "buttons": buttons})

    def _kept_slots(
        self, spec: IntentSpec, principal: Principal, slots: dict[str, Any]
    ) -> dict[str, SlotValue]:
        """The slots a correction may change and answer again with; none for an intent that is not
        answered again by a correction (one that takes text, files or a form, or asks to confirm)."""
        if not self._correctable(spec, principal):
            return {}
        return _values(slots)

    def _correctable(self, spec: IntentSpec, principal: Principal) -> bool:
        """A look-up or an action on named records, answered again with a corrected record; never one
        that opens something from what was written or confirmed (a request). Asked on every turn:
        worked out once per intent and set of slots."""
        slots = self._slots_for(spec, principal)
        known = self._correctables.get(spec.name)
        if known is None or known[0] is not slots:
            correctable = not (spec.form or spec.files) and not any(
                slot.free_text or _confirms(slot) for slot in slots
            )
            known = self._correctables[spec.name] = (slots, correctable)
        return known[1]

    def not_understood(
        self,
        fmt: Formatter,
        language: str,
        *,
        misses: int = 1,
        requests: bool = False,
        complaint: bool = False,
    ) -> Reply:
        """Says so and offers a person; after two misses in a row, offers the handoff outright, and to
        a user who may open requests a request too, which starts with what they asked. A complaint
        ("this is unacceptable") is apologised for and offered both at once, never told it was not
        understood."""
        person = Button(label=fmt.t("button.talk_to_person"), value=fmt.t("button.talk_to_person.value"))
        if misses < OFFER_AFTER and not complaint:
            return Reply(text=fmt.t("none"), buttons=(person,), language=language, intent=NONE_INTENT)
        offer = "none.complaint" if complaint else "handoff.offer"
        if not requests:
            return Reply(text=fmt.t(offer), buttons=(person,), language=language, intent=NONE_INTENT)
        request = Button(label=fmt.t("button.open_request"), value=fmt.t("button.open_request.value"))
        return Reply(
            text=fmt.t(f"{offer}.request"),
            buttons=(person, request),
            language=language,
            intent=NONE_INTENT,
        )

    # --- asking ----------------------------------------------------------------------------------

    async def _question(self, spec: IntentSpec, ctx: TurnContext, turn: Turn) -> Reply | None:
        """Each slot in order: its value checked (a refused one asked again, saying why), or, missing
        and needed, asked for. ``None`` when the handler may run. On the turn that starts the intent, what
        the message tells of slots it does not say outright is taken first (``Slot.infer``)."""
        slots = self._slots_for(spec, ctx.principal)
        if turn.answered is None and ctx.parse.intent == spec.name:
            for slot in slots:
                if slot.infer is not None and slot.name not in turn.slots:
                    inferred = slot.infer(ctx.parse, ctx.state)
                    if inferred is not None:
                        turn.slots[slot.name] = inferred
        for slot in slots:
            value = turn.slots.get(slot.name)
            if isinstance(value, SlotValue) and slot.check is not None:
                checked = await slot.check(ctx, value)
                if isinstance(checked, Refused):
                    del turn.slots[slot.name]
                    buttons = slot.choices(ctx) if slot.choices is not None else ()
                    refused = Question(ctx.t(checked.key, **checked.params), buttons)
                    return await self._ask(slot, refused, ctx, turn)
                if checked is None:
                    del turn.slots[slot.name]
                    if turn.answered == slot.name:
                        again = await self._question_for(slot, ctx)
                        if isinstance(again, Reply):
                            return again
                        said = _why(slot, ctx.parse.text, again.text, ctx)
                        return await self._ask(slot, Question(said, again.buttons, again.cards), ctx, turn)
                else:
                    turn.slots[slot.name] = checked
            if slot.name not in turn.slots and (slot.needed(ctx) or slot.name == turn.unsure):
                question = await self._question_for(slot, ctx)
                if isinstance(question, Reply):
                    return question
                # (or pointed at, "history of that one", when several were listed: which of them)
                if slot.name == turn.unsure or (_pointed(slot, ctx.parse) and len(ctx.shown(slot.name)) > 1):
                    which = ctx.t("dialog.which", question=question.text)
                    # (with the records of the list shown it may be, when the question has no buttons)
                    buttons = question.buttons or _pick_buttons(slot, ctx)
                    question = Question(which, buttons, question.cards)
                return await self._ask(slot, question, ctx, turn)
        return None

    @staticmethod
    async def _question_for(slot: Slot, ctx: TurnContext) -> Question | Reply:
        if slot.ask is not None:
            return await slot.ask(ctx)
        buttons = slot.choices(ctx) if slot.choices is not None else ()
        if slot.question:
            return Question(ctx.t(slot.question), buttons)
        picks = _pick_buttons(slot, ctx)
        if picks:
            # (a slot asked only when a record pointed at was not clear: "den aktiva" of three)
            return Question(ctx.t("dialog.pick"), picks)
        return Question(ctx.t("none"), buttons)

    async def _ask(self, slot: Slot, question: Question, ctx: TurnContext, turn: Turn) -> Reply:
        await self._wait_for(slot.name, ctx, turn)
        return ctx.reply(question.text, buttons=question.buttons, cards=question.cards)

    async def _wait_for(self, slot: str, ctx: TurnContext, turn: Turn) -> None:
        """The next answer is for ``slot``; the slots so far and the files sent wait with the question."""
        assert ctx.spec is not None
        held = list(turn.held)
        user_id = ctx.principal.user_id
        if ctx.spec.files and user_id:
            held += [await self.files.stash(owner=user_id, file=f) for f in ctx.uploads if holds(f)]
        if ctx.spec.keeps_text:
            turn.slots.setdefault(SAID, SlotValue("request_text", ctx.parse.text))
        ctx.state.pending = Pending(intent=ctx.spec.name, asking=slot, slots=_values(turn.slots), files=held)

    async def _unhold(self, held: Sequence[str], principal: Principal) -> tuple[InboundFile, ...]:
        """The files held for a question, for their owner; those expired meanwhile are gone."""
        if not held or not principal.user_id:
            return ()
        files = [await self.files.unstash(owner=principal.user_id, file_id=file_id) for file_id in held]
        return tuple(f for f in files if f is not None)

    async def _other_site(self, parse: Parse, principal: Principal, state: DialogState) -> Parse:
        """ "And the other site?" after a site's equipment (or orders): the company's one other site.
        With no site talked about, or several others, it names no site (and is read as it reads)."""
        last = state.last_slots.get("site")
        sites = (
            []
            if principal.is_guest
            else [site.name for site in await self.backends.directory.sites(principal)]
        )
        others = [name for name in sites if last is None or name != last.value]
        instead = others[0] if last is not None and len(others) == 1 else None
        entities = [
            e.model_copy(update={"value": instead}) if _other_site(e) else e
            for e in parse.entities
            if instead is not None or not _other_site(e)
        ]
        return parse.model_copy(update={"entities": tuple(entities)})

    # --- deciding the intent and its slots ----------------------------------------------------------

    def _resolve(
        self, parse: Parse, principal: Principal, pending: Pending | None, state: DialogState
    ) -> Turn:
        topic = state.topic
        correction = _correction(parse)
        if pending is not None and pending.intent in self.intents:
            return self._answer(parse, principal, pending, state, correction)

        parse = _numbered_as_shown(parse, self.intents.get(state.last_intent or ""), topic, state.last_slots)
        if correction is not None:
            corrected = self._corrected(parse, principal, state, correction)
            if corrected is not None:
                return corrected

        if (again := self._when_again(parse, principal, state)) is not None:
            # "Until when?", "hur länge då?" right after an answer about a record: that answer again,
            # which says it (a goodbye's "until next time" is no reading of it).
            return again

        fault = self._fault_report(parse, principal, topic)
        if fault is not None:
            return self._fresh(fault, principal, parse.model_copy(update={"intent": fault.name}), topic)

        if parse.intent != NONE_INTENT and parse.intent in self.intents:
            spec = self.intents[parse.intent]
            if (
                self._same_family(spec, state)
                or not any(e.type in self._claims for e in parse.entities)
                or _as_asked_last(parse, state)
            ) and (again := self._followed_on(parse, principal, state)):
                # "And the delivered ones?" right after last month's orders, "and the machine at Kista?"
                # right after the equipment in Göteborg, "and contracts?" right after how to get access
                # to invoices (values, no record): asked again with it.
                return again
            if (
                _picks_by_place(parse)
                and not any("reference" in s.entities for s in self._slots_for(spec, principal))
                and (picked := self._pointed_turn(parse, principal, state)) is not None
            ):
                # "show the second one", "visa den tredje" right after a list, read as listing again
                # (its words are a listing's): the one of the list picked.
                return picked
            if (asked_of_it := self._asked_of_the_one(spec, principal, parse, state)) is not None:
                # "is it overdue?", "oh its paid already?" right after one invoice, read as a listing
                # by its status word: that invoice, whose answer says it.
                return asked_of_it
            if not spec.said_in(parse.text):
                instead = self._unrequired(spec, principal, parse)
                if instead is None:
                    return Turn(None, {})
                return self._fresh(
                    instead, principal, parse.model_copy(update={"intent": instead.name}), topic
                )
            if state.last_intent in spec.exports_after and _points_at_it(parse):
                # "kan du maila den till mig istället" right after the report: that report, mailed.
                return self._export(spec, principal, parse, state)
            if (
                _points_at_it(parse)
                and _MAIL_IT.match(parse.text)
                and (exporter := self._exporter(state)) is not None
            ):
                # "maila den" right after the report, whatever the words leaned to: that one, mailed.
                return self._export(
                    exporter, principal, parse.model_copy(update={"intent": exporter.name}), state
                )
            if (listed := self._listing_asked_for(spec, parse, state)) is not None:
                # "export that as a file", "ladda ner som excel", "email that list to me" right after a
                # listing, however the words leaned ("ladda ner" is also the statement's): that listing.
                return self._export(
                    listed, principal, parse.model_copy(update={"intent": listed.name}), state
                )
            sent = self._sent_elsewhere(spec, principal, parse, state)
            if sent is not None:
                # Read as said to the intent that sends, its own words too ("mejla mig det": to me).
                return self._fresh(sent, principal, parse.model_copy(update={"intent": sent.name}), topic)
            if (
                principal.is_guest
                and not _guests_may(spec)
                and (claimed := self._claimed(parse)) is not None
                and _guests_may(claimed)
            ):
                # ("4711 kundnummer 1000123" from a guest, read as the statement a guest may not see: the
                # order a guest may ask after by its number and the customer number)
                return self._fresh(claimed, principal, parse, topic)
            elsewhere = self._named_elsewhere(spec, principal, parse, topic) or self._bare(spec, parse)
            return self._fresh(elsewhere or spec, principal, parse, topic)

        references = _references(parse)
        # "as a spreadsheet", "download it as CSV" right after a listing: "it" is the listing.
        if all(r.value == "it" for r in references) and (exported := self._exported(parse, state)):
            return self._export(
                exported, principal, parse.model_copy(update={"intent": exported.name}), state
            )
        if not references and (documented := self._documented(parse, state)):
            # "pdf?", "som pdf tack" right after an invoice: that invoice's document.
            return self._fresh(documented, principal, _pointing_at_it(parse, documented.name), state.topic)
        # A bare entity or reference continues the conversation: "4712", "the other one".
        if references:
            # "the first one": the last intent if it takes references, else the one claiming what was shown;
            # pointing at nothing known, the first of them asks which one is meant.
            pointed_turn = self._pointed_turn(parse, principal, state)
            if pointed_turn is not None:
                return pointed_turn
            last = self.intents.get(state.last_intent or "")
            takers = self._reference_takers(principal, state)
            family = last.family if last is not None else None
            ours = [t for t in takers if t.family == family] or takers
            # (an intent with a question for the slot first: the one that shows the record)
            for candidate in sorted(ours, key=lambda t: not self._asks_for(t, principal, parse)):
                # (asked by the first of the family talked about with a question for it: "Which
                # invoice do you mean?" after a list of invoices)
                unsure = self._unsure(candidate, principal, parse, {}, topic)
                if unsure is not None:
                    return unsure
        claimed = self._claimed(parse)
        if claimed is not None:
            if (_SAME_AGAIN.search(parse.text) or _as_asked_last(parse, state)) and (
                again := self._followed_on(parse, principal, state)
            ):
                # "and INV-2032 as well" right after INV-2031 was forwarded: forwarded too, not shown;
                # "and for 4711?" right after "invoice for order 4712?": that order's invoice.
                return again
            if principal.is_guest and claimed.name == state.last_intent:
                # A guest's look-up needs two numbers: "1000123" after "order 4711 for customer number
                # 2000456 was not found" corrects one of them and keeps the other.
                followed = self._followed_on(parse, principal, state)
                if followed is not None:
                    return followed
            return self._fresh(claimed, principal, parse, topic)
        if not references and to_me(parse.text) and (sender := self._sends_the_one(principal, state)):
            # "send to my mail" right after an invoice, read as nothing: that invoice, sent to the user.
            return self._fresh(sender, principal, _pointing_at_it(parse, sender.name), topic)
        return self._followed_on(parse, principal, state) or Turn(None, {})

    def _sends_the_one(self, principal: Principal, state: DialogState) -> IntentSpec | None:
        """The intent of the last answer's family that sends its record, when that record is the one
        talked about (a slot of it that takes "it" has a current value)."""
        last = self.intents.get(state.last_intent or "")
        if last is None or principal.is_guest:
            return None
        for candidate in self.intents.values():
            if (
                candidate.family == last.family
                and candidate.sends
                and any(
                    "reference" in s.entities and state.topic.current.get(s.name)
                    for s in self._slots_for(candidate, principal)
                )
            ):
                return candidate
        return None

    def _asked_of_the_one(
        self, spec: IntentSpec, principal: Principal, parse: Parse, state: DialogState
    ) -> Turn | None:
        """The record just answered about, shown by its family's intent, when a message read as a
        listing of that family (an intent that takes none of its records by number) points at it with
        "it" and names no records to list; the answer before must have been about one record (an
        intent that takes a reference), not a list."""
        if not _points_at_it(parse) or spec.claims or _MAIL_IT.match(parse.text):
            return None
        words = [w.group().lower() for w in _WORD.finditer(parse.text)]
        if any(is_plural(w) or w in FORMATS for w in words):
            return None  # ("download it as excel" is the listing's file)
        last = self.intents.get(state.last_intent or "")
        if last is None or last is spec or last.family != spec.family:
            return None
        last_takes_it = [s for s in self._slots_for(last, principal) if "reference" in s.entities]
        shows = self._shows(spec.family)
        if not last_takes_it or shows is None or shows is spec:
            return None
        if any(kind in shows.claims for s in self._slots_for(spec, principal) for kind in s.entities):
            return None  # (an intent that takes the record itself, its document: "send it to my mail")
        turn = self._fresh(shows, principal, parse, state.topic)
        pointed = [s.name for s in self._slots_for(shows, principal) if "reference" in s.entities]
        return turn if any(name in turn.slots for name in pointed) else None

    def _reference_takers(self, principal: Principal, state: DialogState) -> list[IntentSpec]:
        """The intents a reference may be said to: the last one if it takes references, then each
        claiming a kind of record."""
        last = self.intents.get(state.last_intent or "")
        return [
            candidate
            for candidate in (last, *self._claims.values())
            if candidate is not None
            and any("reference" in s.entities for s in self._slots_for(candidate, principal))
        ]

    def _pointed_turn(self, parse: Parse, principal: Principal, state: DialogState) -> Turn | None:
        """The turn of the first intent that takes a reference and finds the record it points at."""
        for candidate in self._reference_takers(principal, state):
            turn = self._fresh(candidate, principal, parse, state.topic)
            pointed = [s.name for s in self._slots_for(candidate, principal) if "reference" in s.entities]
            if any(name in turn.slots for name in pointed):
                return turn
        return None

    def _same_family(self, spec: IntentSpec, state: DialogState) -> bool:
        """Whether ``spec`` is the last intent answered or one of its family."""
        last = self.intents.get(state.last_intent or "")
        return last is not None and (last is spec or last.family == spec.family)

    def _declines(self, text: str) -> bool:
        """Whether a message says an intent is not wanted ("don't sign it yet", "no ticket please"): its
        refusing words (``IntentSpec.refused_by``), or the words it requires denied."""
        return any(
            (spec.refused_by is not None and spec.refused_by.search(text) is not None)
            or (
                spec.requires is not None
                and spec.requires.search(text) is not None
                and not spec.said_in(text)
            )
            for spec in self.intents.values()
        )

    def _when_again(self, parse: Parse, principal: Principal, state: DialogState) -> Turn | None:
        """The last look-up asked again as it was, for a message of a few question words alone that
        asks when or how much (``_WHEN_OR_HOW_MUCH``), said right after it answered about records.
        Nothing is done or sent again: after an intent that acts or sends ("approve INV-2031",
        "forward it to …") the record is shown, and a list mailed before is shown here, not mailed."""
        last = self.intents.get(state.last_intent or "")
        if last is None or last.tool is None or parse.entities or not _WHEN_OR_HOW_MUCH.match(parse.text):
            return None
        if self._correctable(last, principal) and not (last.acts or last.sends):
            return Turn(last, {name: v for name, v in state.last_slots.items() if v.type != _MAIL_WISH})
        # (A question put to the team about a machine, "is it covered?": the machine shown again.)
        shows = self._shows(last.family)
        if shows is None or not self._correctable(shows, principal):
            return None
        return self._fresh(shows, principal, _pointing_at_it(parse, shows.name), state.topic)

    def _followed_on(self, parse: Parse, principal: Principal, state: DialogState) -> Turn | None:
        """ "And in Kista?", "och för förra månaden?": only values, said right after an answer, are
        that answer asked again with them in place of what it was asked with; nothing else of what
        was asked changes. Every value must be one the last intent takes."""
        last = self.intents.get(state.last_intent or "")
        said = [e for e in parse.entities if e.type not in _POINTERS]
        if last is None or not self._correctable(last, principal):
            return None
        if not said:
            # "which ones are still open?", "only the paid ones" right after a list of invoices, whose
            # status words the list reads itself: the list again, narrowed.
            if last.name in self._filed and parse.text.count(" ") < _FEW_WORDS_ASKED and _narrows(parse):
                return Turn(last, dict(state.last_slots))
            # "och veckan innan?", "and the month after?": the period asked with, moved by its length.
            moved = _period_moved(parse.text, state.last_slots)
            return None if moved is None else Turn(last, {**state.last_slots, **moved})
        if not _only_values(parse, last.family):
            return None
        slots: dict[str, Any] = dict(state.last_slots)
        open_slots = [s for s in self._slots_for(last, principal) if not (s.free_text or _confirms(s))]
        taken: set[str] = set()
        for entity in said:
            if entity.type in taken:
                continue  # (the first of a kind is the one asked with)
            taken.add(entity.type)
            # Of the slots that take it, the one whose value it resembles: after "order 4711, customer
            # number 2000456" was not found, "1000123" is the customer number.
            fits = [
                (_unlike(slots.get(slot.name), value), index, slot.name, value)
                for index, slot in enumerate(open_slots)
                if (value := _taken_as(slot, entity)) is not None
            ]
            if not fits:
                return None
            _, index, name, value = min(fits, key=lambda fit: fit[:2])
            replaced = slots.get(name)
            slots[name] = value
            filled = {name}
            for before, other in enumerate(open_slots):
                held = slots.get(other.name)
                # The same record asked with in two slots ("invoice for order 4712": its invoice and its
                # order), or a slot before it holding a record of another kind that it stood for (the
                # invoice found for order 4711, asked of again with "och 4702?"): both changed.
                stood_for = held is not None and (
                    held == replaced or (before < index and held.type not in (entity.type, "reference"))
                )
                if other.name != name and stood_for and (also := _taken_as(other, entity)) is not None:
                    slots[other.name] = also
                    filled.add(other.name)
            open_slots = [s for s in open_slots if s.name not in filled]
        return Turn(last, slots)

    def _answer(
        self, parse: Parse, principal: Principal, pending: Pending, state: DialogState, correction: str | None
    ) -> Turn:
        """A message while a question waits: first read as its answer, validated for the slot asked;
        only a request of its own switches away (and the question is offered back afterwards)."""
        topic = state.topic
        spec = self.intents[pending.intent]
        slots: dict[str, Any] = dict(pending.slots)
        held = list(pending.files)
        asking = self._slot(spec, principal, pending.asking)
        if self._same_family_instead(spec, parse, principal) is not None:
            # "vidarebefordra den till ekonomi@…" to "Which invoice do you mean?": a request of the same
            # family that says more than the question's answer (an address to forward to) is a request
            # of its own; the question is offered back as any other (nothing the customer said is lost).
            return self._switch(parse, principal, pending, state)
        if asking is not None:
            answer = yes_or_no(parse.text)
            if answer is None and _confirms(asking) and _YES_AND_DO.match(parse.text) is not None:
                answer = True  # ("yes, open a case for it" to "Shall I send it?")
            if answer is not None and (asking.default is not None or _confirms(asking)):
                if not answer and _confirms(asking):
                    return Turn(None, {}, declined=True)
                if answer:
                    value = asking.default if asking.default is not None else "yes"
                    slots[asking.name] = SlotValue(asking.entities[0], value)
                    return Turn(spec, slots, held, answered=asking.name)
            if answer is not None and asking.free_text and asking.required is True:
                return Turn(None, {})  # ("ja tack" to "Describe the problem": no description)
            # Free text a handler asked for itself ("sign it?": anything but yes is a no) is its to read,
            # unless it is neither a yes nor a no but a request of its own, read as to a question with
            # fixed answers ("vad har vi installerat i Göteborg"): that is answered, and the question
            # offered back. Thanks or a goodbye stay its to read (a polite no).
            own = asking.free_text and asking.required is False
            if own:
                if (
                    answer is None
                    and parse.intent not in _CLOSINGS
                    and self._switches(parse, spec, None, principal)
                ):
                    return self._switch(parse, principal, pending, state)
            elif asking.free_text and self._switches(parse, spec, asking, principal):
                return self._switch(parse, principal, pending, state)
            ahead = self._answer_ahead(spec, principal, asking, parse, slots) if asking.free_text else None
            if ahead is not None:
                # "normal prio" to "Describe the problem": the priority asked later, not the description
                # (asked again).
                slots.update(ahead)
                return Turn(spec, slots, held, noted=True)
            # (a fixed answer first, before what the rest would fill: "det är tekniskt, fläkten låter
            # väldigt mycket" is the category, the rest the subject, and the description still asked)
            led = self._led_by_answer(spec, principal, asking, parse, slots)
            if led is not None:
                slots.update(led)
                return Turn(spec, slots, held, answered=asking.name)
            value = _fill(spec, asking, parse, topic, answering=True)
            if value is not None:
                slots[asking.name] = value
                self._fill_all(spec, principal, parse, topic, slots, carry=False)
                return Turn(spec, slots, held, answered=asking.name)
            several = self._several(spec, principal, asking, parse, slots)
            if several is not None:
                slots.update(several)
                return Turn(spec, slots, held, answered=asking.name)
            ahead = self._answer_ahead(spec, principal, asking, parse, slots)
            if ahead is not None:  # ("it's urgent" to "What is it about?", "sätt prioriteten till normal")
                slots.update(ahead)
                return Turn(spec, slots, held, noted=True)
        if correction is not None and self._correct(spec, principal, parse, topic, correction, slots):
            return Turn(spec, slots, held)
        if (
            asking is not None
            and not asking.free_text
            and (added := _ADDED.match(parse.text)) is not None
            and not any(e.type in self._claims for e in parse.entities)
        ):
            # "add a comment to it: it also fails on the second server" while "Open this request?"
            # (or "How urgent?") waits: added to what was written last, and the question asked again.
            written = [s for s in self._slots_for(spec, principal) if s.free_text and s.name in slots]
            last = slots.get(written[-1].name) if written else None
            if isinstance(last, SlotValue):
                more = added["rest"].strip()
                slots[written[-1].name] = SlotValue(last.type, f"{last.value}\n{more}"[:SAID_LIMIT])
                return Turn(spec, slots, held, added=True)
        if self._switches(parse, spec, asking, principal):
            return self._switch(parse, principal, pending, state)
        if asking is not None and spec.keeps_text and _confirms(asking) and self._adds(spec, parse, slots):
            # "We agreed 110 000 SEK in the quote from March" while "Shall I send it?" waits for a
            # question to be passed on: more of the same question, added to its words.
            first = slots.get(SAID)
            words = f"{first.value}\n{parse.text.strip()}" if isinstance(first, SlotValue) else parse.text
            slots[SAID] = SlotValue("request_text", words[:SAID_LIMIT])
            return Turn(spec, slots, held, added=True)
        if parse.intent == spec.name:
            if asking is not None and not asking.free_text and not _asks_again(spec, parse):
                # "it's the one in Kista, 78ABC12, it sounds like a vacuum cleaner" to "What is it
                # about?", read as the request again: what it tells is kept for the question after.
                later = self._kept_for_later(spec, principal, asking, parse, slots)
                if later is not None and asking.name not in self._filled(spec, principal, parse, topic):
                    return self._kept(spec, asking, later, parse, state, pending, slots, held)
            self._fill_all(spec, principal, parse, topic, slots, carry=False)
            return Turn(spec, slots, held)
        if asking is not None and not asking.free_text:
            later = self._kept_for_later(spec, principal, asking, parse, slots)
            if later is not None:
                return self._kept(spec, asking, later, parse, state, pending, slots, held)
        return Turn(None, {})

    @staticmethod
    def _kept(
        spec: IntentSpec,
        asking: Slot,
        later: Slot,
        parse: Parse,
        state: DialogState,
        pending: Pending,
        slots: dict[str, Any],
        held: list[str],
    ) -> Turn:
        """A message with content of its own, told to a question with fixed answers, kept for the
        free-text question ``later``; the question asked again, unless what was told answers it too
        ("Det gäller order 4712 som är försenad" to "What is it about?": an order's)."""
        told = SlotValue(later.entities[0], parse.text.strip())
        inferred = asking.infer(parse, state) if asking.infer is not None else None
        if inferred is None:
            pending.slots[later.name] = told
            return Turn(None, {}, kept=True)
        slots[asking.name], slots[later.name] = inferred, told
        return Turn(spec, slots, held, answered=asking.name)

    def _answer_ahead(
        self, spec: IntentSpec, principal: Principal, asking: Slot, parse: Parse, slots: dict[str, Any]
    ) -> dict[str, SlotValue] | None:
        """A short message, not the answer to the question asked, that is wholly fixed answers of other
        questions: of one still to come ("normal prio", "hög prioritet" to "Describe the problem", "it's
        urgent" to "What is it about?"), or, to a free-text question, of one answered before said again
        with it ("technical, prio normal"), or said to change one ("hmm no, actually it's an invoice
        thing", "sätt prioriteten till normal i stället", also while a confirmation waits). Those
        answers; ``None`` unless every part is one."""
        text, changed = _changed_to(parse.text.strip())
        if _confirms(asking) and not changed:
            return None
        text = _INTRO.sub("", text)
        if len(_WORD.findall(text)) > 8:
            return None
        several = asking.free_text or changed
        parts = [_changed_to(part)[0].strip(" .!") for part in _PARTS.split(text)] if several else [text]
        if not 1 <= len(parts) <= 3 or any(not p or len(_WORD.findall(p)) > 5 for p in parts):
            return None  # (a fixed answer, and words around it: "normal priority is fine")
        order = self._slots_for(spec, principal)
        after = order[order.index(asking) + 1 :] if asking in order else ()
        fixed = [s for s in order if s.pattern is not None and not s.free_text and not _confirms(s)]
        answers: dict[str, SlotValue] = {}
        for part in parts:
            slot = next(
                (
                    s
                    for s in fixed
                    if s.name not in answers
                    and ((s in after and s.name not in slots) or (several and (changed or len(parts) > 1)))
                    and re.fullmatch(s.pattern or "", _INTRO.sub("", part))
                ),
                None,
            )
            if slot is None:
                return None
            answers[slot.name] = SlotValue(slot.entities[0], _INTRO.sub("", part))
        return answers

    def _several(
        self, spec: IntentSpec, principal: Principal, asking: Slot, parse: Parse, slots: dict[str, Any]
    ) -> dict[str, SlotValue] | None:
        """Answers to the question asked and to questions still to come, in one message, each part one
        of a slot's fixed answers ("technical, prio normal" to "What is it about?"). ``None`` unless
        every part answers a slot and one of them the slot asked."""
        if asking.pattern is None or asking.free_text or _confirms(asking):
            return None
        parts = [part.strip(" .!") for part in _PARTS.split(parse.text.strip())]
        if not 2 <= len(parts) <= 4 or not all(parts):
            return None
        waiting = [
            slot
            for slot in self._slots_for(spec, principal)
            if slot.pattern is not None
            and not slot.free_text
            and not _confirms(slot)
            and slot.name not in slots
        ]
        filled: dict[str, SlotValue] = {}
        for part in parts:
            slot = next(
                (s for s in waiting if s.name not in filled and re.fullmatch(s.pattern or "", part)), None
            )
            if slot is None:
                return None
            filled[slot.name] = SlotValue(slot.entities[0], part)
        return filled if asking.name in filled else None

    def _adds(self, spec: IntentSpec, parse: Parse, slots: dict[str, Any]) -> bool:
        """Whether a message is more words for a question about to be passed on: a few words at least,
        not a question of its own to the bot, and no record of the kinds the question takes other than
        the one it is about ("and INV-2032?", "the other one?" ask about another)."""
        if len(_WORD.findall(parse.text)) < 3 or _QUESTION.match(parse.text) or _only_values(parse):
            return False  # ("vilken order hör den till?", "and the other one?": asked of the bot)
        if any(r.value != "it" for r in _references(parse)):
            return False
        held = {v.type: str(v.value).upper() for v in slots.values() if isinstance(v, SlotValue)}
        for entity in parse.entities:
            claimed = self._claims.get(entity.type)
            said = str(entity.value).upper()
            if claimed is not None and claimed.family == spec.family and held.get(entity.type, said) != said:
                return False
        return True

    def _filled(self, spec: IntentSpec, principal: Principal, parse: Parse, topic: Topic) -> dict[str, Any]:
        """The slots a message fills of itself (no carrying over from the conversation)."""
        filled: dict[str, Any] = {}
        self._fill_all(spec, principal, parse, topic, filled, carry=False)
        return filled

    def _led_by_answer(
        self, spec: IntentSpec, principal: Principal, asking: Slot, parse: Parse, slots: dict[str, Any]
    ) -> dict[str, SlotValue] | None:
        """A fixed answer first and more after it ("det är tekniskt, fläkten i 78ABC12 låter väldigt
        mycket" to "What is it about?"): the answer, and the rest kept for the free-text question after
        it. ``None`` unless the first part (a value's intro, "it's", "det är", left out) is one of the
        slot's answers and the rest has words of its own for a question still to come."""
        if asking.pattern is None or asking.free_text or _confirms(asking):
            return None
        head, comma, rest = parse.text.strip().partition(",")
        if not comma or not rest.strip():
            return None
        value = _INTRO.sub("", head.strip(" .!")).strip()
        if not value or not re.fullmatch(asking.pattern, value):
            return None
        told = _WORD.findall(rest)
        if len(told) < TOLD_AFTER_AN_ANSWER or told[0].lower() in _FOLLOW_ON:
            return None  # ("technical, and quickly please": more answers, not a thing told)
        later = self._kept_for_later(spec, principal, asking, parse, slots)
        if later is None:
            return None
        return {
            asking.name: SlotValue(asking.entities[0], value),
            later.name: SlotValue(later.entities[0], rest.strip()),
        }

    def _kept_for_later(
        self, spec: IntentSpec, principal: Principal, asking: Slot, parse: Parse, slots: dict[str, Any]
    ) -> Slot | None:
        """The free-text slot, asked after ``asking`` and still empty, that a message with content of
        its own ("Disk read errors on server 78ABC12" to "What is it about?") is kept for."""
        said = len(_WORD.findall(parse.text))
        # (read as nothing, it must tell enough to be a thing told: "the array shows degraded")
        if said < 3 or (parse.intent == NONE_INTENT and not parse.entities and said < TOLD_UNREAD):
            return None
        order = self._slots_for(spec, principal)
        after = order[order.index(asking) + 1 :] if asking in order else ()
        return next((s for s in after if s.free_text and s.required is True and s.name not in slots), None)

    def _answers(self, paused: Pending, parse: Parse, principal: Principal) -> bool:
        """Whether a message gives a value of the kind the paused question asks for (an address to
        "which address?"), not only words that any question would take."""
        spec = self.intents.get(paused.intent)
        slot = self._slot(spec, principal, paused.asking) if spec is not None else None
        if slot is None or slot.free_text:
            return False
        return any(parse.first(kind) is not None for kind in slot.entities if kind != "reference")

    def _confirmed(self, paused: Pending, parse: Parse, principal: Principal) -> bool:
        """Whether a message says yes and what the paused confirmation asked ("ja, skicka", "yes, open
        it"): the paused question's own answer, not only a yes to taking it up again."""
        spec = self.intents.get(paused.intent)
        slot = self._slot(spec, principal, paused.asking) if spec is not None else None
        return slot is not None and _confirms(slot) and _YES_AND_DO.match(parse.text) is not None

    def _switch(self, parse: Parse, principal: Principal, pending: Pending, state: DialogState) -> Turn:
        # The records the question was asked about are what "it" means now ("wait, is that one paid
        # already?" while the bot asks where to forward INV-2031).
        for name, value in pending.slots.items():
            if value.type in self._claims and state.topic.current.get(name) != value:
                state.set_current(name, value.type, value.value)
        turn = self._fresh(self.intents[parse.intent], principal, parse, state.topic)
        asked = self._slot(self.intents[pending.intent], principal, pending.asking)
        if asked is not None and (asked.required is not False or asked.free_text or _confirms(asked)):
            # A question the intent needs answered, or one its handler asked itself ("sign it?", "Shall I
            # send it?" of a request it prepared).
            turn.paused = pending
        return turn

    def _switches(self, parse: Parse, spec: IntentSpec, asking: Slot | None, principal: Principal) -> bool:
        """Whether a message that came while ``spec`` asks is a request of its own, not an answer.

        It must be another intent the NLU is sure enough of, said as a request: a lookup verb first
        ("show my invoices"), a question word first in a question or a short message with a record
        ("where is order 4711"), or "is"/"I want" in a short one with a record ("is 4711 late?"). Free
        text is taken as the answer otherwise ("Disk read errors on server 78ABC12", "Can it arrive
        before Christmas?", "When we power it on the fan is loud"). To a question with fixed answers,
        any question word, a short question about a record ("is that one paid already?"), a short
        confident message of another intent ("thanks") and, where nothing is written freely, a record
        of another kind switch too, and so does a wish said first ("we want to move it to Göteborg")."""
        intent = parse.intent
        if intent == NONE_INTENT or intent not in self.intents or intent == spec.name:
            return False
        if self.intents[intent].takes_over and names_a_person(parse.text):
            return True  # "ugh, just connect me to someone": a person, whatever was asked
        asked_by = self.intents[intent].asked_by
        if asked_by is not None and parse.confidence >= SWITCH_CONFIDENCE and asked_by(parse.text):
            # Its own question in its own words ("the fan on that server is making a lot of noise, open
            # a request for it" to "Which contract?", "when can I expect an answer?" to "Describe …").
            return True
        text = parse.text
        words = len(_WORD.findall(text)) + len(re.findall(r"\d+", text))
        records = [e for e in parse.entities if e.type in self._claims]
        short_with_record = bool(records) and words <= SHORT_REQUEST
        asked = text.rstrip().endswith("?")
        if asked and parse.confidence >= INTERRUPTED_CONFIDENCE:
            if _INTERRUPTS.match(text) or _ASIDE_LAST.search(text):
                return True  # "actually wait, what's the status of 4712 right now?" to "What is it about?"
            if asking is not None and _confirms(asking) and _QUESTION.match(text) is not None:
                # "var står den?" to "Shall I send it?": a question is no yes or no; the request waits.
                return True
        if parse.confidence < SWITCH_CONFIDENCE:
            # Less sure, only a short question about a record of the intent's own kind ("hang on,
            # where is 4711?"): what the NLU read is what its record says; or a list of records asked
            # for by their word ("list all contracts you have" to "Which contract do you mean? … or ask
            # to see your contracts").
            own = self.intents[intent]
            return (
                short_with_record
                and any(self._claims[e.type] is own for e in records)
                and _QUESTION.match(text) is not None
            ) or self._lists_its_records(own, text)
        if _LOOKUP.match(text) or (_QUESTION.match(text) and (asked or short_with_record)):
            return True
        if asking is not None and not asking.free_text and _ACTION.match(text):
            return True  # "forward it to my colleague" to "Which invoice do you mean?"
        if short_with_record and _ABOUT_RECORD.match(text):
            return True
        if asked and parse.confidence >= SURE_SHORT_QUESTION and (words <= 3 or _STATUS_ASKED.match(text)):
            # "status på ärendet?", "status på mitt ärende?" to "Describe the problem": asked of the bot,
            # no problem told
            return True
        if words <= SHORT_LISTING and any(is_plural(w) and record_kind(w) for w in _WORD.findall(text)):
            return True  # "status of my requests", "mina ärenden": a list asked for, no problem told
        if self._lists_its_records(self.intents[intent], text):
            return True  # "vilka ärenden har vi öppna nu", "show our contracts": which of them there are
        if asking is not None and asking.free_text:
            # ("tack", "thanks!" to "Describe the problem": thanks for asking, nothing to describe)
            return intent in _CLOSINGS and words <= 3
        if _QUESTION.match(text) or _WISH.match(text) or (words <= 3 and parse.confidence >= 0.7):
            return True
        if asked and words <= SHORT_REQUEST and _ABOUT_RECORD.match(text):
            return True  # "wait, is that one paid already?" to "Which e-mail address?"
        if intent in _CLOSINGS:
            return True  # "perfekt, tack så mycket för hjälpen!": no try at the answer
        family = self.intents[intent].family
        if (
            asking is not None
            and _confirms(asking)
            and family != spec.family
            and any(FAMILY_WORDS.get(w.lower()) == family for w in _WORD.findall(text))
        ):
            return True  # "ok, och avtalet igen - kan jag få det som pdf" to "Shall I send it?"
        if (
            asking is not None
            and not _confirms(asking)
            and self.intents[intent].family != spec.family
            and words >= 4
            and not any(parse.first(kind) is not None for kind in asking.entities)
            and not records
        ):
            # "ok and a report of all orders delivered this year" to "Which invoice do you mean?": a
            # request of another family, sure enough, that names nothing the question asks for.
            return True
        takes_text = any(s.free_text for s in self._slots_for(spec, principal))
        accepted = set(asking.entities) if asking is not None else set()
        return not takes_text and any(e.type not in accepted for e in records)

    def _same_family_instead(self, spec: IntentSpec, parse: Parse, principal: Principal) -> IntentSpec | None:
        """Another intent of ``spec``'s family, read surely enough, when the message gives it a value
        no slot of ``spec`` takes (an e-mail address to forward to while the invoice is asked for)."""
        other = self.intents.get(parse.intent)
        if (
            other is None
            or other is spec
            or other.family != spec.family
            or parse.confidence < SWITCH_CONFIDENCE
        ):
            return None
        taken = {kind for slot in self._slots_for(spec, principal) for kind in slot.entities}
        theirs = {kind for slot in self._slots_for(other, principal) for kind in slot.entities}
        said = {e.type for e in parse.entities if e.type not in _POINTERS}
        return other if (said & theirs) - taken else None

    def _lists_its_records(self, spec: IntentSpec, text: str) -> bool:
        """Whether a message asks with a look-up verb for records of ``spec``'s family by their plural
        word ("list all contracts you have", "visa våra avtal"), or asks which of them there are
        ("what requests do I have open", "vilka ärenden har vi öppna nu")."""
        which = _WHICH_ONES.match(text)
        if which is not None:
            word = which["word"]
            kind = record_kind(word)
            claimer = self._claims.get(kind) if kind is not None and is_plural(word) else None
            return claimer is not None and claimer.family == spec.family
        if _LOOKUP.match(text) is None:
            return False
        for word in _WORD.findall(text):
            kind = record_kind(word)
            if kind is not None and is_plural(word) and (claimer := self._claims.get(kind)) is not None:
                return claimer.family == spec.family
        return False

    def _corrected(self, parse: Parse, principal: Principal, state: DialogState, rest: str) -> Turn | None:
        """ "no, I meant 4712": the last intent answered again with the slot the message corrects; a
        record of a kind it does not take goes to the intent that claims it ("I meant invoice INV-2032")."""
        last = self.intents.get(state.last_intent or "")
        if last is None or not self._correctable(last, principal):
            return None
        slots: dict[str, Any] = dict(state.last_slots)
        if not _took_back_one_of(parse.text, slots):
            return None  # "sorry, 4712 not 4711" after credit note CN-0107: no correction of that
        if self._correct(last, principal, parse, state.topic, rest, slots):
            return Turn(last, slots)
        claimed = self._claimed(parse)
        if claimed is not None and claimed is not last:
            return self._fresh(claimed, principal, parse, state.topic)
        return self._unsure(last, principal, parse, slots, state.topic)

    def _asks_for(self, spec: IntentSpec, principal: Principal, parse: Parse) -> bool:
        """Whether ``spec`` has a question of its own for the slot a message points at."""
        return any(_pointed(s, parse) and s.question for s in self._slots_for(spec, principal))

    def _unsure(
        self, spec: IntentSpec, principal: Principal, parse: Parse, slots: dict[str, Any], topic: Topic
    ) -> Turn | None:
        """A reference to a record of ``spec`` that points at nothing known: its slot is asked for, by its
        question or, without one, as a choice among the list shown."""
        slot = next(
            (
                s
                for s in self._slots_for(spec, principal)
                if _pointed(s, parse) and (s.question or topic.shown.get(s.name))
            ),
            None,
        )
        if slot is None:
            return None
        return Turn(spec, {k: v for k, v in slots.items() if k != slot.name}, unsure=slot.name)

    def _correct(
        self,
        spec: IntentSpec,
        principal: Principal,
        parse: Parse,
        topic: Topic,
        rest: str,
        slots: dict[str, Any],
    ) -> bool:
        """Replaces, in ``slots``, the slot the correction names a new value for; whether one was. Of
        several, the one whose value the new one resembles ("sorry, 1000123" corrects the customer
        number of "order 4711, customer number 2000456"), else the first."""
        fits = []
        for index, slot in enumerate(self._slots_for(spec, principal)):
            if slot.free_text or _confirms(slot):
                continue
            old = slots.get(slot.name)
            value = _corrected_value(slot, parse, rest, topic, old)
            if value is not None and (old is None or value.value != old.value):
                fits.append((_unlike(old, value), index, slot.name, value))
        if not fits:
            return False
        _, _, name, value = min(fits, key=lambda fit: fit[:2])
        slots[name] = value
        return True

    def _named_elsewhere(
        self, spec: IntentSpec, principal: Principal, parse: Parse, topic: Topic
    ) -> IntentSpec | None:
        """The intent claiming a record the message names that ``spec`` cannot take, when ``spec`` would
        otherwise answer about the record talked about before ("and contract C-1001?" taken for an
        invoice question right after an invoice), or about records of its own kind ("any news on 4712?"
        read as asking after a request, whose intent claims request numbers, not order numbers), or
        about records of a family that has none (the account statement: "RQ-2026-000002 is overdue"):
        never the wrong record, nor a list of others in its place."""
        slots = self._slots_for(spec, principal)
        takes = {t for slot in slots for t in slot.entities}
        records = [e for e in parse.entities if e.type in self._claims]
        if not records or any(e.type in takes for e in records) or principal.is_guest:
            return None
        carried = any(
            slot.carry
            and (current := topic.current.get(slot.name)) is not None
            and current.type in slot.entities
            for slot in slots
        )
        claimer = self._claims[records[0].type]
        if carried or (
            claimer.family == spec.family
            and not spec.claims
            and (
                records[0].type in _NAMES_SEVERAL
                or not any(is_plural(w.group()) for w in _WORD.finditer(parse.text))
            )
        ):
            # (A listing of the family of the one record named, whose words name no records to list,
            # is that record: "INV-2032 says overdue but we paid it" read as the overdue invoices; not
            # "list orders like 4711". A number several records share is theirs, whatever the words:
            # "find orders with PO NV-PO-889" are that PO's orders, and none when it has none.)
            return claimer
        shows = self._shows(spec.family)
        if (
            parse.confidence < SWITCH_CONFIDENCE
            and claimer.family != spec.family
            and not any(slot.free_text for slot in slots)  # (a comment may name any record)
            and not any(
                (kind := record_kind(w.group())) is not None
                and (named := self._claims.get(kind)) is not None
                and named.family == spec.family
                for w in _WORD.finditer(parse.text)
            )
        ):
            # ("show me 4711 and 4712" read, unsure, as a listing of invoices: no word of invoices, so the
            # orders named, not their invoices)
            return claimer
        if (
            shows is not None
            and shows is not spec
            and not spec.claims
            and claimer.family != spec.family
            and any(records[0].type in slot.entities for slot in self._slots_for(shows, principal))
        ):
            # "is the invoice for order 4711 overdue?" read as the overdue invoices, "show invoices for
            # order 4711" as all of them: the family's record of the one named by another's number.
            return shows
        if (spec.family in self._record_families or spec.tool is None) and (
            not spec.claims or any(record_kind(w.group()) in spec.claims for w in _WORD.finditer(parse.text))
        ):
            return None  # "my request about order 4711": a request, which the message itself says
        return claimer

    def _sent_elsewhere(
        self, spec: IntentSpec, principal: Principal, parse: Parse, state: DialogState
    ) -> IntentSpec | None:
        """ "send it to me" right after another family's record: that family's intent that sends, when
        "it" is the record just answered about (the contract shown, not the invoice of an hour ago).
        "mejla mig det" taken for an intent that cannot take "it" at all (a report) means the same."""
        if principal.is_guest or self._claimed(parse) is not None:
            return None
        if not spec.sends and not (
            to_me(parse.text) and not any("reference" in s.entities for s in self._slots_for(spec, principal))
        ):
            return None
        last = self.intents.get(state.last_intent or "")
        if last is None or last.family == spec.family:
            return None
        it = any(e.value == "it" for e in _references(parse))
        if not it and not (last.name in self._filed and _SAME_AGAIN.search(parse.text)):
            return None  # (after a file made: "too" says it as well, "… to erik@… too")
        for candidate in self.intents.values():
            if candidate.family != last.family:
                continue
            if last.name in candidate.exports_after:
                # ("and send a copy to erik@… too" right after a report was made or mailed: the report's,
                # which says to whom it mails)
                return candidate
            if not candidate.sends:
                continue
            slots = self._slots_for(candidate, principal)
            if any("reference" in s.entities and state.topic.current.get(s.name) for s in slots):
                return candidate
        return None

    def _unrequired(self, spec: IntentSpec, principal: Principal, parse: Parse) -> IntentSpec | None:
        """Where a message read as ``spec`` without the words it requires goes: to the family's intent
        that shows records when that takes what the message names ("faktura för order 4711" read as
        approving: the order's invoice), else to the record's own intent, else to the family's."""
        shows = self._shows(spec.family)
        claimed = self._claimed(parse)
        if shows is not None and (claimed is None or claimed.family != spec.family):
            taken = {t for slot in self._slots_for(shows, principal) for t in slot.entities}
            if any(e.type in taken for e in parse.entities):
                return shows
        return claimed or shows

    def _shows(self, family: str) -> IntentSpec | None:
        """The family's intent that shows its records: the one claiming their numbers, else (a family
        of no numbered records, the statement) the first that neither requires words nor makes a file."""
        family_intents = [s for s in self.intents.values() if s.family == family]
        return next((s for s in family_intents if s.claims), None) or next(
            (s for s in family_intents if s.requires is None and not s.exports_after), None
        )

    def _exported(self, parse: Parse, state: DialogState) -> IntentSpec | None:
        """The intent making a spreadsheet of the listing just shown, when the message asks for a
        file of it and says nothing else the NLU could read ("as a spreadsheet, please")."""
        if not any(w.group().lower() in FORMATS for w in _WORD.finditer(parse.text)):
            return None
        return self._exporter(state)

    def _listing_asked_for(self, spec: IntentSpec, parse: Parse, state: DialogState) -> IntentSpec | None:
        """The intent making a file of the listing just shown, when a message read as another family's
        asks for a file, or for it mailed or sent, in a few words and nothing else ("export that as a
        file", "ladda ner det som excel", "email that list to me", "skicka som fil"): no record, no
        word of any family's records ("the statement as excel" is the statement's)."""
        if state.last_intent is None or state.last_intent.split(".", 1)[0] == spec.family:
            return None
        if parse.entities and any(e.type != "reference" or e.value != "it" for e in parse.entities):
            return None
        words = list(_free_words(parse, but="reference"))
        if not words or len(words) > _FEW_WORDS_ASKED or not all(w in _ASKS_FOR_A_FILE for w in words):
            return None
        if not any(w in FORMATS or w in _FILE or w in _SENDS for w in words):
            return None
        return self._exporter(state)

    def _exporter(self, state: DialogState) -> IntentSpec | None:
        """The intent making a file of the listing or report just shown, if it was one."""
        last = state.last_intent
        if not last:
            return None
        return next((spec for spec in self.intents.values() if last in spec.exports_after), None)

    def _documented(self, parse: Parse, state: DialogState) -> IntentSpec | None:
        """The intent giving the document of the record just talked about, when the message asks for a
        document and nothing else ("pdf?", "as a PDF, please", "och kopian?")."""
        last = self.intents.get(state.last_intent or "")
        words = list(_free_words(parse))
        if last is None or not any(w in DOCUMENT_WORDS for w in words):
            return None
        if not all(w in DOCUMENT_WORDS or w in _BARE or w in _AS_A_DOCUMENT for w in words):
            return None
        return next((s for s in self.intents.values() if s.family == last.family and s.documents), None)

    def _export(self, spec: IntentSpec, principal: Principal, parse: Parse, state: DialogState) -> Turn:
        """The listing or report just shown made again as a file (or mailed): what the message says,
        and what it would otherwise ask again as it was answered ("as excel please" after the report of
        this year is this year's report, not a question which period). What else was listed the intent
        reads from the listing it keeps."""
        turn = self._fresh(spec, principal, parse, state.topic)
        asked = {
            s.name
            for s in self._slots_for(spec, principal)
            if s.required is not False and not (s.free_text or _confirms(s))
        }
        for name, value in state.last_slots.items():
            if name in asked and name not in turn.slots:
                turn.slots[name] = value
        return turn

    def _bare(self, spec: IntentSpec, parse: Parse) -> IntentSpec | None:
        """A message that says a record and nothing about it ("contract C-1001", "and contract
        C-1001?", "visa avtal C-1001", "och fakturan då?") means the intent claiming that record, as
        the record said alone does, whichever intent of its family the words leaned to (the document,
        the history)."""
        claimed = self._claimed(parse)
        if claimed is not None and (claimed is spec or claimed.family != spec.family):
            return None  # (before reading the words: most turns name the record their intent claims)
        named: IntentSpec | None = None
        follow_on = False
        opened = False
        # (The tool a record word names, "fakturan" of invoices, is the word itself: read as one.)
        for said in _free_words(parse, but="tool"):
            if said in _OPEN_VERBS:
                opened = True
            elif opened and said in _A_NEW:
                return None  # "open a request about it": one to make, not one to show
            if said in _BARE:
                follow_on = follow_on or said in _FOLLOW_ON
                continue
            kind = record_kind(said)
            if kind is None:
                return None
            if not is_plural(said):
                named = named or self._claims.get(kind)
        if claimed is None and follow_on:
            # Or one record's kind alone, asked after another record, its number to come from the
            # conversation: "and the invoice?", "fakturan då?" (the invoice for the order just shown).
            claimed = named
        if claimed is None or claimed is spec or claimed.family != spec.family:
            return None
        return claimed

    def _fault_report(self, parse: Parse, principal: Principal, topic: Topic) -> IntentSpec | None:
        """Where a report that something is broken goes when the NLU read it as an intent that does not
        hear one (``IntentSpec.hears_faults``), as one that takes them, or as none: the intent taking
        faults whose record slot it fills ("server 78ABC12 keeps rebooting": that machine's), else the
        one taking the report itself (a new request)."""
        if parse.first("fault") is None:
            return None
        read = self.intents.get(parse.intent)
        if read is not None and not read.takes_faults:
            hears = read.hears_faults
            if hears is True or (callable(hears) and hears(parse.text)):
                return None
        about = [str(e.value) for e in parse.entities if e.type == "about"]
        general = None
        for spec in self._fault_takers:
            slots = self._slots_for(spec, principal)
            if any("fault" in slot.entities for slot in slots):
                general = general or spec
            elif any(
                _fill(spec, slot, parse, topic, answering=False) or (about and _about(slot, about, topic))
                for slot in slots
            ):
                return spec
        return general

    def _claimed(self, parse: Parse) -> IntentSpec | None:
        """The intent claiming a record the message names ("4712", "INV-2031"), if one does."""
        for entity in parse.entities:
            claimed = self._claims.get(entity.type)
            if claimed is not None:
                return claimed
        return None

    def _slot(self, spec: IntentSpec, principal: Principal, name: str | None) -> Slot | None:
        return next((s for s in self._slots_for(spec, principal) if s.name == name), None)

    def _submitted(self, form: FormSubmission, principal: Principal, pending: Pending | None) -> Turn:
        """A form's values fill its intent's slots by name; a form no intent shows is refused. A form
        that answers its intent's pending question keeps the slots the question waited with."""
        spec = self.intents.get(form.id)
        if spec is None or not spec.form:
            return Turn(None, {})
        names = {slot.name for slot in self._slots_for(spec, principal)}
        slots: dict[str, Any] = (
            dict(pending.slots) if pending is not None and pending.intent == spec.name else {}
        )
        slots.update(
            {name: SlotValue("form", str(value)) for name, value in form.values.items() if name in names}
        )
        return Turn(spec, slots)

    def _for_files(
        self, turn: Turn, parse: Parse, principal: Principal, pending: Pending | None, topic: Topic
    ) -> Turn:
        """Files sent with a message are for the intent that takes files, whatever else was said.

        What the turn resolved to still counts: "RQ-2026-000123" with a file attaches it there, and a
        question the files intent was waiting on keeps its answers and the files held for it. Words
        that mean nothing else ("the log from this morning") are its free text.
        """
        spec = self._files_intent
        if spec is None or turn.spec is spec:
            return turn if spec is not None else Turn(None, {})
        slots: dict[str, Any] = {}
        held: list[str] = []
        if pending is not None and pending.intent == spec.name:
            slots, held = dict(pending.slots), list(pending.files)
        names = {slot.name for slot in self._slots_for(spec, principal)}
        slots.update({k: v for k, v in turn.slots.items() if k in names})
        self._fill_all(spec, principal, parse, topic, slots, carry=True)
        words = parse.text.strip()
        if words and parse.intent == NONE_INTENT and not parse.entities:
            free = next((s for s in self._slots_for(spec, principal) if s.free_text), None)
            if free is not None and free.name not in slots:
                slots[free.name] = SlotValue(free.entities[0], parse.text)
        return Turn(spec, slots, held)

    def _fresh(self, spec: IntentSpec, principal: Principal, parse: Parse, topic: Topic) -> Turn:
        slots: dict[str, Any] = {}
        self._fill_all(spec, principal, parse, topic, slots, carry=True)
        return Turn(spec, slots)

    def _fill_all(
        self,
        spec: IntentSpec,
        principal: Principal,
        parse: Parse,
        topic: Topic,
        slots: dict[str, Any],
        *,
        carry: bool,
    ) -> None:
        about = [str(e.value) for e in parse.entities if e.type == "about"]
        for slot in self._slots_for(spec, principal):
            if slot.name in slots:
                continue
            value = _fill(spec, slot, parse, topic, answering=False)
            if value is None and about and not principal.is_guest:
                # "the invoice for that order", "the contract for that machine": the record pointed at,
                # or what it links to; never another record from the context.
                value = _about(slot, about, topic)
                if value is not None:
                    slots[slot.name] = value
                continue
            if (
                value is None
                and carry
                and slot.carry
                and not principal.is_guest
                and not _pointed(slot, parse)
            ):
                current = topic.current.get(slot.name)
                if current is not None and current.type in slot.entities:
                    # Never the wrong record: a number the message names (one the extractors missed)
                    # is the one asked about, not the record talked about before; one not of the
                    # slot's form after a record word ("kontrakt 99") is asked about.
                    named = _named_here(slot, parse)
                    if named is not None:
                        value = SlotValue(slot.entities[0], named)
                    elif not _named_unread(parse):
                        value = current
            if value is not None:
                slots[slot.name] = value

    @staticmethod
    def _slots_for(spec: IntentSpec, principal: Principal) -> tuple[Slot, ...]:
        if principal.is_guest and spec.guest_slots is not None:
            return spec.guest_slots
        return spec.slots

    # --- access ----------------------------------------------------------------------------------

    def _refusal(self, spec: IntentSpec, principal: Principal, fmt: Formatter, language: str) -> Reply | None:
        if spec.tool is None:
            return None
        if principal.is_guest:
            if _guests_may(spec):
                return None
            return Reply(text=fmt.t("auth.sign_in_needed"), language=language, intent=spec.name)
        if principal.may(spec.tool):
            return None
        return tool_refusal(spec.tool, fmt, language=language, intent=spec.name)

    async def _reask(self, pending: Pending, parse: Parse, ctx: TurnContext, *, kept: bool = False) -> Reply:
        """The question again, with its buttons, saying what was wrong with the answer (or that it was
        kept for a later question)."""
        assert ctx.spec is not None
        slot = self._slot(ctx.spec, ctx.principal, pending.asking)
        if slot is None:
            return ctx.reply(ctx.t("dialog.reask", question=ctx.t("none")))
        question = await self._question_for(slot, ctx)
        if isinstance(question, Reply):
            ctx.state.pending = None
            return question
        asked = ctx.t("dialog.reask", question=question.text)
        text = ctx.t("dialog.kept", question=asked) if kept else _why(slot, parse.text, asked, ctx)
        return ctx.reply(text, buttons=question.buttons, cards=question.cards)


def tool_refusal(tool: Tool, fmt: Formatter, *, language: str, intent: str | None) -> Reply:
    """Which access is missing, and a button to ask the administrator for it; nothing of the data."""
    tool_name = fmt.t(f"tool.{tool.value}")
    return Reply(
        text=fmt.t("auth.tool_needed", tool=tool_name),
        buttons=(
            Button(
                label=fmt.t("access.button.request", tool=tool_name),
                value=fmt.t("access.button.request.value", tool=tool_name),
            ),
        ),
        language=language,
        intent=intent,
    )


def is_cancel(text: str) -> bool:
    """ "cancel", "avbryt" and the like, said on their own."""
    return _is_cancel(text)


def yes_no_buttons(fmt: Formatter) -> tuple[Button, Button]:
    """Yes and No, for a question that asks to confirm: their values are the words that answer it."""
    return (
        Button(label=fmt.t("button.yes"), value=fmt.t("button.yes.value")),
        Button(label=fmt.t("button.no"), value=fmt.t("button.no.value")),
    )


_CANCEL_WORDS = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(CANCEL_WORDS, key=len, reverse=True)
)
_CANCEL_ALONE = re.compile(
    r"(?i)^\s*"
    + _BEFORE_CANCEL
    + r"(?:(?:"
    + _CANCEL_WORDS
    + r")(?:\s+(?:please|pls|tack|then|då))?[\s,.!;–-]*)+$"
)
"""A cancel said alone, however many times ("never mind, cancel that", "avbryt, glöm det tack")."""


def _is_cancel(text: str) -> bool:
    return _TRAILING.sub("", text.strip().lower()) in CANCEL_WORDS or _CANCEL_ALONE.match(text) is not None


_CANCEL_FIRST = re.compile(r"(?i)^\s*" + _BEFORE_CANCEL + r"(?:" + _CANCEL_WORDS + r")\s*[,.;:!–-]+\s*(?=\w)")


def _cancelled_before(text: str) -> bool:
    """A message that cancels first and then asks something else ("forget it, where is order 4711")."""
    return _CANCEL_FIRST.match(text) is not None


def holds(file: InboundFile) -> bool:
    """Whether a file sent while a question is asked can be held for the answer (not empty, not too big)."""
    return 0 < file.size <= MAX_INBOUND_BYTES and bool(file.data)


def _named_here(slot: Slot, parse: Parse) -> str | None:
    """A value of the slot's form with a digit in it, said in this message outside every entity found:
    a record the user named that no extractor recognised (a typo around it, no record word)."""
    if not slot.pattern:
        return None
    pattern, flags = slot.pattern, 0
    if pattern.startswith("(?i)"):
        pattern, flags = pattern[4:], re.IGNORECASE
    taken = [(e.start, e.end) for e in parse.entities]
    for found in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", parse.text, flags):
        token = found.group(0).strip()
        if any(ch.isdigit() for ch in token) and not any(
            start < found.end() and found.start() < end for start, end in taken
        ):
            return token
    return None


_NUMBERED = re.compile(
    r"(?<![\w-])(?P<word>[^\W\d_]+)\.?\s*(?:nr\.?|no\.?|number|nummer)?\s*#?\s*(?P<id>[\w-]*\d[\w-]*)"
)


def _named_unread(parse: Parse) -> bool:
    """The message names a record by a number no extractor took, right after a word for a record
    ("kontrakt 99", "ordr 12"): the user said which one, so nothing from the context stands in for it."""
    taken = [(e.start, e.end) for e in parse.entities]
    for found in _NUMBERED.finditer(parse.text):
        start, end = found.span("id")
        if any(a < end and start < b for a, b in taken):
            continue
        if record_kind(found["word"]) is not None:
            return True
    return False


def _fill(spec: IntentSpec, slot: Slot, parse: Parse, topic: Topic, *, answering: bool) -> SlotValue | None:
    for entity_type in slot.entities:
        if entity_type == "reference":
            # (a record told by its marks first: "nej den andra, den som är obetald" is the unpaid one)
            marked = False
            for entity in sorted(_references(parse), key=lambda e: e.value != "marked"):
                if marked and entity.value == "it":
                    break  # ("och den som har skickats, vilket PO hade den?": "den" is the one told)
                resolved = _resolve_reference(slot, str(entity.value), entity.text, topic)
                if resolved is not None:
                    return resolved
                marked = marked or entity.value == "marked"
            continue
        found = parse.first(entity_type)
        if found is None:
            continue
        if answering and slot.free_text and entity_type == "fault":
            break  # (a fault told to the question for words of one's own is those words: "fan is loud")
        return SlotValue(entity_type, found.value)
    said = parse.text.strip()
    if not answering:
        inline = re.match(slot.inline, said) if slot.inline and parse.intent == spec.name else None
        return SlotValue(slot.entities[0], inline.group("text")) if inline else None
    if "date_range" in slot.entities and (year := _YEAR_ALONE.match(said)) is not None:
        # "2024" to "Which period?": that year (alone, a number is no period anywhere else).
        return SlotValue("date_range", {"start": f"{year['y']}-01-01", "end": f"{year['y']}-12-31"})
    if slot.default is not None and _TRAILING.sub("", said.lower()) in DEFAULT_WORDS:
        return SlotValue(slot.entities[0], slot.default)
    if slot.free_text and said:
        return SlotValue(slot.entities[0], said)
    if slot.pattern:
        if re.fullmatch(slot.pattern, said):
            return SlotValue(slot.entities[0], said.lstrip("#"))
        bare = _INTRO.sub("", said)  # ("it's urgent", "det är tekniskt")
        if bare != said and re.fullmatch(slot.pattern, bare):
            return SlotValue(slot.entities[0], bare.lstrip("#"))
    return None


_POINTERS = frozenset({"reference", "about"})
_FOLLOW_ON_WORDS = wordset(
    """
    and also what how about in at for from on to the same then too please as well likewise ones those
    och även samt vad sägs om hur är det med i på för från vid till samma då också ocksa aven tack likaså
    med de dom dem den det only just bara endast enbart ok okay okej
    which ones one are is still have has been already som är har blivit fortfarande redan vilka vilken
    """
)
"""The words around values that ask the last question again with them: "and in Kista?", "what
about last month?", "och i Göteborg då?", "hur är det med förra månaden?", "only Göteborg"."""


def _free_words(parse: Parse, start: int = 0, end: int | None = None, *, but: str = "") -> Iterator[str]:
    """The words of the message (lower-cased), between ``start`` and ``end``, that are no part of an
    entity of its (but of type ``but``)."""
    spans = [(e.start, e.end) for e in parse.entities if e.type != but]
    for word in _WORD.finditer(parse.text, start, len(parse.text) if end is None else end):
        if not any(a <= word.start() and word.end() <= b for a, b in spans):
            yield word.group().lower()


_BACK_TO = re.compile(
    r"(?i)^\W*(?:(?:ok(?:ay|ej)?|thanks|thank\s+you|thx|tack|great|bra|fine|perfect|perfekt|so|then|då|nu)\W+){0,3}"
    r"(?:" + GOING_BACK + r"|(?:and\s+)?now\s+(?:back\s+)?to|(?:let'?s\s+)?continue\s+(?:with\s+)?"
    r"|(?:vi\s+)?fortsätt(?:er)?\s+med)\s+"
    r"(?:the|my|our|that|mitt|vårt|det|min|vår|den)?\s*"
    r"(?:request|ticket|case|question|form|report|ärendet|frågan|formuläret|anmälan|felanmälan)\b[\s:,.!–-]*"
)
"""Words that take up a question offered back ("back to my request:", "tillbaka till ärendet"), before
its answer or alone."""
_PARTS = re.compile(r"\s*(?:[,;/+]|\s(?:and|och)\s)\s*", re.IGNORECASE)
"""Where the answers of a message answering several questions part: "technical, prio normal"."""
_SAME_AGAIN = re.compile(
    r"(?i)(?<![\w-])(?:too|as\s+well|likewise|också|ocksa|även|aven|likaså|med)[\s.!?]*$"
)
"""Said last, asks for what was just done with another record: "and INV-2032 as well", "och C-1003 med"."""


def _only_values(parse: Parse, family: str | None = None) -> bool:
    """Whether a message says nothing but values (records, sites, dates) and ``_FOLLOW_ON_WORDS``, and
    words for the records of ``family`` ("and the machine at Kista?" after equipment)."""
    return all(
        word in _FOLLOW_ON_WORDS or (family is not None and FAMILY_WORDS.get(word) == family)
        for word in _free_words(parse)
    )


_BEFORE_OR_AFTER = re.compile(
    r"(?i)^\W*(?:(?:and|och|so|then|what\s+about|how\s+about|hur\s+är\s+det\s+med|vad\s+sägs\s+om|men)\W+)*"
    r"(?:the\s+)?(?P<unit>week|month|year|veckan|månaden|året)\s+(?P<way>before|after|innan|före|efter)"
    r"(?:\s+(?:that|then|it|det|den|då))*\W*$"
)
"""A period asked of by where it stands to the one just asked with: "och veckan innan?", "and the month after"."""
_UNIT_DAYS = {"week": 7, "veckan": 7}
_UNIT_MONTHS = {"month": 1, "månaden": 1, "year": 12, "året": 12}


def _period_moved(text: str, slots: Mapping[str, SlotValue]) -> dict[str, SlotValue] | None:
    """The last period (a ``date_range`` slot) moved back or on by a week, a month or a year, when
    that is all the message asks (``_BEFORE_OR_AFTER``); a whole month or year stays a whole one."""
    asked = _BEFORE_OR_AFTER.match(text)
    if asked is None:
        return None
    name, period = next(((n, v) for n, v in slots.items() if v.type == "date_range"), (None, None))
    if name is None or period is None:
        return None
    start, end = date.fromisoformat(period.value["start"]), date.fromisoformat(period.value["end"])
    step = -1 if asked["way"].lower() in ("before", "innan", "före") else 1
    unit = asked["unit"].lower()
    if unit in _UNIT_DAYS:
        moved = timedelta(days=_UNIT_DAYS[unit] * step)
        start, end = start + moved, end + moved
    else:
        months = _UNIT_MONTHS[unit] * step
        whole = start.day == 1 and (end + timedelta(days=1)).day == 1
        start = add_months(start, months)
        end = (
            add_months(end + timedelta(days=1), months) - timedelta(days=1)
            if whole
            else add_months(end, months)
        )
    return {name: SlotValue("date_range", {"start": start.isoformat(), "end": end.isoformat()})}


def _narrows(parse: Parse) -> bool:
    """Whether a message says only what sets records apart ("which ones are still open?", "bara de
    obetalda"): a status word (``MARK_WORDS``) with the words around a value, and nothing that denies it."""
    words = list(_free_words(parse))
    return (
        any(w in MARK_WORDS for w in words)
        and all(w in MARK_WORDS or w in _FOLLOW_ON_WORDS for w in words)
        and not negated(parse.text, len(parse.text))
    )


def _pointed(slot: Slot, parse: Parse) -> bool:
    """The message points at a record for this slot ("the other one") that could not be resolved: the
    slot is asked for rather than filled with the record talked about before."""
    return "reference" in slot.entities and bool(_references(parse))


def _other_site(entity: Entity) -> bool:
    """Whether an entity is "the other site", still to be decided."""
    return entity.type == "site" and entity.value == OTHER_SITE


_SET_APART_BEFORE = re.compile(r"(?i)(?:^|[,;:(]|\b(?:and|och|nr|no|number|nummer))\s*#?$")
_SET_APART_AFTER = re.compile(r"\s*(?:[,;:)?!.]|$)")


def _numbered_as_shown(
    parse: Parse, last: IntentSpec | None, topic: Topic, asked_with: Mapping[str, SlotValue]
) -> Parse:
    """ "And 2031?", "och den andra, 2030?" right after an invoice: a number said alone that no kind of
    record took (a year's shape is no order number) is a number of the record talked about, when its
    kind's numbers carry a prefix (INV-2031, C-1003), and the last answer was not asked with an order's
    number ("och 4702?" right after "invoice for order 4711?" asks of order 4702's)."""
    if last is None or (parse.intent != NONE_INTENT and parse.intent.split(".", 1)[0] != last.family):
        return parse
    current = [v for v in topic.current.values() if v.type in last.claims and v.type in PREFIXES]
    if not current:
        return parse
    kinds = {v.type for v in current}
    if any(
        (value := asked_with.get(slot.name)) is not None and value.type == "order_number"
        for slot in last.slots
        if not kinds.isdisjoint(slot.entities)
    ):
        return parse  # (the record's own slot was asked with an order's number)
    numbers = list(BARE_NUMBER.finditer(parse.text))
    if len(numbers) != 1:
        return parse
    (m,) = numbers
    # (Read as an order's only for its shape: a number said alone is the kind talked about, "and 1003?"
    # right after contract C-1001; the words of orders, "and order 1003?", are no follow-on's.)
    kept = [e for e in parse.entities if not (e.type == "order_number" and e.start == m.start("n"))]
    if any(e.type != "reference" for e in kept):
        return parse
    if parse.intent == NONE_INTENT:
        if not all(w in _FOLLOW_ON_WORDS for w in _free_words(parse)):
            return parse
    elif not (
        _SET_APART_BEFORE.search(parse.text, 0, m.start()) and _SET_APART_AFTER.match(parse.text, m.end())
    ):
        # Asked of it in the family's words, the number set apart: "och den andra, 2032, är den betald?"
        # (not "invoices from 2025": a year of a list).
        return parse
    kind = current[0].type
    found = Entity(type=kind, value=numbered(kind, m["n"]), text=m["n"], start=m.start("n"), end=m.end())
    return parse.model_copy(update={"entities": (*kept, found)})


def _pointing_at_it(parse: Parse, intent: str) -> Parse:
    """The message read as ``intent`` about the record just talked about, as if it had said "it"."""
    it = Entity(type="reference", value="it", text="", start=len(parse.text), end=len(parse.text))
    return parse.model_copy(update={"intent": intent, "entities": (*parse.entities, it)})


_MAIL_WISH: Final = "mail_wish"
"""The slot type of what a message said of a mail (``recipients.MAIL_WISH``): not kept by a question
that asks the same again ("when?" after "email me the order report" shows it, mailing nothing)."""


def _guests_may(spec: IntentSpec) -> bool:
    """Whether a guest may use an intent: one open to all, or one that asks guests for its own slots
    (an order's status with the customer number)."""
    return spec.guest_ok or spec.guest_slots is not None


def _points_at_it(parse: Parse) -> bool:
    """Whether a message points at what was just shown, and only with "it" ("mail it to me")."""
    references = _references(parse)
    return bool(references) and all(r.value == "it" for r in references)


def _references(parse: Parse) -> list[Entity]:
    """The references that point at something: not one said after "not" ("not that one"), not one
    inside a record pointed at by kind (the "den" of "den ordern": the kind says which)."""
    about = [(e.start, e.end) for e in parse.entities if e.type == "about"]
    return [
        e
        for e in parse.entities
        if e.type == "reference"
        and not negated(parse.text, e.start)
        and not any(a <= e.start and e.end <= b for a, b in about)
    ]


def _about(slot: Slot, kinds: Sequence[str], topic: Topic) -> SlotValue | None:
    """The record of a kind pointed at ("that order") if the slot takes it, else the record of the
    slot's kind it links to (made current with it: the machine's contract)."""
    for kind in kinds:
        current = topic.current.get(kind)
        if current is not None and current.type in slot.entities:
            return current
        linked = topic.linked.get(kind, {}).get(slot.name)
        if current is not None and linked is not None and linked.type in slot.entities:
            return linked
    return None


def _resolve_reference(slot: Slot, reference: str, said: str, topic: Topic) -> SlotValue | None:
    """ "latest" goes to the handler; "it", "the other one", "the first" come from the context."""
    if reference == "latest":
        return SlotValue("reference", "latest")
    current = topic.current.get(slot.name)
    shown = topic.shown.get(slot.name, [])
    if reference == "it":
        if current is None:
            # ("skicka fakturan för den" right after an order, none of its kind talked about: the
            # record talked about that this slot takes too, the order, whose invoice is meant)
            return next(
                (v for name, v in topic.current.items() if name != slot.name and v.type in slot.entities),
                None,
            )
        return current
    if reference == "other":
        if len(shown) > 2 and "andra" in said.lower():
            return SlotValue(slot.entities[0], shown[1])  # "den andra" of a longer list: the second
        # Of a list just shown, the one not talked about; else the one talked about before this one.
        current_value = current.value if current else None
        if len(shown) == 2 and current_value in shown:
            return SlotValue(slot.entities[0], next(v for v in shown if v != current_value))
        recent = [r for r in topic.recent.get(slot.name, []) if r.value != current_value]
        return recent[-1] if recent else None
    if reference == "marked":
        # "the paid one", "den i Göteborg": the one value of the list shown whose marks say so.
        wanted = marks_said(said)
        marks = topic.marks.get(slot.name, {})
        chosen = [v for v in shown if wanted and _marked(marks.get(str(v), ()), wanted)]
        return SlotValue(slot.entities[0], chosen[0]) if len(chosen) == 1 else None
    if reference in ORDINALS and shown:
        index = ORDINALS[reference]
        if -len(shown) <= index < len(shown):
            return SlotValue(slot.entities[0], shown[index])
    return None


def _as_asked_last(parse: Parse, state: DialogState) -> bool:
    """Whether every record a message names is of a kind the last answer was asked with ("and for
    4711?" right after "invoice for order 4712?": the order's invoice again, not the order)."""
    kinds = {value.type for value in state.last_slots.values()}
    records = [e for e in parse.entities if e.type not in _POINTERS]
    return bool(records) and all(e.type in kinds for e in records)


def _picks_by_place(parse: Parse) -> bool:
    """Whether a message points at a record by its place in a list ("the second one", "den tredje",
    "den andra" of a longer list)."""
    return any(
        r.value in ORDINALS or (r.value == "other" and "andra" in r.text.lower()) for r in _references(parse)
    )


def _pick_buttons(slot: Slot, ctx: TurnContext) -> tuple[Button, ...]:
    """Of the list shown for ``slot``, the records a record told by its marks may be ("den aktiva": the
    active ones), or all of them, as buttons; at most ``PICK_LIMIT``."""
    shown = ctx.shown(slot.name)
    marks = ctx.state.topic.marks.get(slot.name, {})
    wanted = [key for r in _references(ctx.parse) if r.value == "marked" for key in marks_said(r.text)]
    fitting = [v for v in shown if wanted and _marked(marks.get(str(v), ()), wanted)]
    return tuple(Button(label=str(v), value=str(v)) for v in (fitting or shown)[:PICK_LIMIT])


def _asks_again(spec: IntentSpec, parse: Parse) -> bool:
    """Whether a message only asks for the intent again, in a few words ("I'd like to open a request")."""
    return len(_WORD.findall(parse.text)) < 5 or (spec.asked_by is not None and spec.asked_by(parse.text))


def _marked(marks: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether a value marked ``marks`` is the one ``wanted`` tells ("!delivered": not delivered)."""
    return all((key[1:] not in marks) if key.startswith("!") else (key in marks) for key in wanted)


_YES_SIGNS = frozenset("👍👌✅✔☑🙏")
_THANKS_SIGNS = frozenset("🙏❤♥💙💚🤝")
_THANKS = "smalltalk.thanks"


def _thanks_by_sign(text: str) -> bool:
    """Whether a message is signs alone, one of them of thanks ("🙏", "🙏👍", "❤️")."""
    if len(text) > 20 or _WORD.search(text) is not None:
        return False
    signs = set(_NOT_A_SIGN.sub("", text))
    return bool(signs & _THANKS_SIGNS) and signs <= _YES_SIGNS | _THANKS_SIGNS


_NO_SIGNS = frozenset("👎❌✖🚫")
_NOT_A_SIGN = re.compile("[\\s.!\ufe0f\U0001f3fb-\U0001f3ff]+")
"""Spaces, stops, the emoji presentation selector and skin tones: what a sign said alone may come with."""


def yes_or_no(text: str) -> bool | None:
    """ "yes", "sure", "ok", "japp", "visst", "gärna", "👍" (``True``); "no", "nope", "nej", "👎"
    (``False``); said on their own or with a please or thanks. ``None`` for anything else."""
    words = _WORD.findall(text.lower())
    if not words:
        # (a thumb or a tick alone: "👍", "✅"; a thumb down or a cross: "👎", "❌")
        signs = set(_NOT_A_SIGN.sub("", text))
        if signs and signs <= _YES_SIGNS:
            return True
        if signs and signs <= _NO_SIGNS:
            return False
        return None
    for phrase in (" ".join(words), " ".join(w for w in words if w not in _POLITE)):
        if phrase in YES_WORDS:
            return True
        if phrase in NO_WORDS:
            return False
    said = [w for w in words if w not in _POLITE]
    if 1 < len(said) <= 6:  # ("sure, go ahead", "yes do it", "ja kör")
        if _made_of(said, YES_WORDS):
            return True
        if _made_of(said, NO_WORDS):
            return False
    return None


def _made_of(words: list[str], phrases: frozenset[str]) -> bool:
    """Whether ``words`` are wholly a run of ``phrases`` (of up to three words each)."""
    at = 0
    while at < len(words):
        for size in (3, 2, 1):
            if at + size <= len(words) and " ".join(words[at : at + size]) in phrases:
                at += size
                break
        else:
            return False
    return True


def _confirms(slot: Slot) -> bool:
    """A slot asking to confirm: "yes" is one of its answers."""
    return slot.pattern is not None and re.fullmatch(slot.pattern, "yes") is not None


def _correction(parse: Parse) -> str | None:
    """What a correction says instead ("4712" of "no, I meant 4712"); ``None`` if it is none.

    With "I meant" / "jag menade" / "not that one" anything may follow; after a bare "no," or "sorry,"
    only a value does (a record, a reference, a number, and the words naming their kind): "no, approve
    INV-2031" is a request, not a correction."""
    text = parse.text
    after = _MEANT_AFTER.search(text)
    if after is not None:
        # "4712 menade jag", "nej förlåt, 4712 menade jag", "4712 is what I meant": said after it.
        m = _CORRECTION.match(text, 0, after.start())
        if m is None or m["meant"]:
            return None
        return _INSTEAD.sub("", m["rest"]).strip(" ,.!?") or None
    m = _CORRECTION.match(text)
    if m is None or not (m["lead"] or m["meant"]):
        return None  # ("it's 4712" alone is no correction: an intro counts after a lead)
    said = m["rest"]
    if (taken_back := _TAKEN_BACK.search(said)) is not None:
        said = said[: taken_back.start()]  # "sorry, 4712 not 4711": what it is not is no value of it
    rest = _INSTEAD.sub("", _INTRO.sub("", said)).strip(" ,.!?")
    if not rest:
        return None
    if not m["meant"]:
        start = m.start("rest")
        if any(word not in _VALUE_WORDS for word in _free_words(parse, start, start + len(said))):
            return None
    return rest


def _took_back_one_of(text: str, slots: dict[str, Any]) -> bool:
    """Whether what a correction says it is not ("… not 4711") is a value the last look-up was asked
    with; true when it says nothing it is not."""
    taken = _TAKEN_BACK.search(text)
    if taken is None:
        return True
    said = re.sub(r"\W", "", taken.group()).lower()
    return any(
        (value := re.sub(r"\W", "", str(v.value)).lower()) and (value in said or said.endswith(value))
        for v in slots.values()
        if isinstance(v, SlotValue)
    )


def _corrected_value(slot: Slot, parse: Parse, rest: str, topic: Topic, old: Any) -> SlotValue | None:
    """The value a correction gives the slot: a record of its kinds, a reference to another one, or
    what is said instead in the slot's own form ("4711")."""
    for entity_type in slot.entities:
        if entity_type == "reference":
            for entity in _references(parse):
                if entity.value == "it":
                    continue
                resolved = _resolve_reference(slot, str(entity.value), entity.text, topic)
                if resolved is not None and (old is None or resolved.value != old.value):
                    return resolved
            continue
        found = parse.first(entity_type)
        if found is not None:
            return SlotValue(entity_type, found.value)
    if slot.pattern and re.fullmatch(slot.pattern, rest):
        return SlotValue(slot.entities[0], rest.strip().lstrip("#").strip())
    return None


def _taken_as(slot: Slot, entity: Entity) -> SlotValue | None:
    """The value ``slot`` takes of ``entity``: one of its kinds, or a bare number in its own form (a
    number alone is read as an order's, but "1000123" is a customer number as well)."""
    if entity.type in slot.entities:
        return SlotValue(entity.type, entity.value)
    if entity.text.isdigit() and slot.pattern and re.fullmatch(slot.pattern, entity.text):
        return SlotValue(slot.entities[0], entity.text)
    return None


def _unlike(old: Any, new: SlotValue) -> int:
    """How little a new value resembles a slot's old one (the difference of their lengths): a number
    corrected is mostly typed as long as the one it replaces. A slot without a value comes last."""
    if old is None:
        return 1_000
    return abs(len(str(old.value)) - len(str(new.value)))


def _why(slot: Slot, said: str, question: str, ctx: TurnContext) -> str:
    """The question asked again, saying the answer did not fit: not one of its choices, or not an answer."""
    said = " ".join(said.split())
    if not said:
        return question
    shown = said if len(said) <= 60 else said[:57] + "…"
    key = "dialog.not_a_choice" if slot.choices is not None else "dialog.not_an_answer"
    return ctx.t(key, said=shown, question=question)


def _values(slots: dict[str, Any]) -> dict[str, SlotValue]:
    """The slots that wait with a question (all but what a handler put there of another kind)."""
    return {k: v for k, v in slots.items() if isinstance(v, SlotValue)}


def _check_family_contexts(intents: Sequence[IntentSpec]) -> None:
    """One context model per family: its intents share what it keeps."""
    declared: dict[str, type[FamilyContext]] = {}
    for spec in intents:
        if spec.context is None:
            continue
        if declared.setdefault(spec.family, spec.context) is not spec.context:
            raise ValueError(f"intent family {spec.family!r} declares two context models")
