"""A fault told as what is wrong: "our printer is broken", "the server won't start", "skärmen flimrar".

A customer of a hardware vendor rarely says "open a request" first: they say what stopped working.
The words of such a report are a closed set (broken, not working, won't start, keeps rebooting,
trasig, fungerar inte, startar inte, ligger nere) while the things that break are not, so the report
is found by its words for what went wrong, whatever it is said of. The entity (type ``fault``) spans
those words and its value is the whole report, which a request it opens starts from. It takes no
placeholder: the classifier reads the words as before, and the dialog decides where a report goes.
"""

from __future__ import annotations

import re

from supportbot.bot.nlu.entities.found import Claims, Found
from supportbot.bot.nlu.text import wordset

_VERBS_EN = r"work|start|boot|power\s+(?:on|up)|turn\s+on|switch\s+on|print|connect|respond|load|charge|scan"
_NOT_EN = (
    r"doesn't|doesnt|does\s+not|don't|dont|do\s+not|won't|wont|will\s+not|can't|cant|cannot|can\s+not"
    r"|didn't|didnt|did\s+not"
)
_MACHINES = (
    r"servers?|printers?|disks?|drives?|storage|machines?|screens?|monitors?|laptops?|computers?|pcs?"
    r"|switch(?:es)?|routers?|network|tape\s+library|fans?|power\s+supply|ups|firewalls?|controllers?"
    r"|scanners?|devices?|hardware"
    r"|server(?:n|ns|ar|arna)?|skrivar(?:e|en|na)|disk(?:en|ar|arna)?|lagring(?:en)?|maskin(?:en|er|erna)?"
    r"|skärm(?:en|ar|arna)?|dator(?:n|er|erna)?|switch(?:en)?|router(?:n)?|nätverk(?:et)?"
    r"|bandbibliotek(?:et)?|fläkt(?:en)?|nätaggregat(?:et)?|brandvägg(?:en)?|enhet(?:en)?|hårdvar(?:a|an)"
)
"""What a vendor's customer has that breaks, for a fault said only as "an error" or "a problem" of it
("an error on the server", "problem med skrivaren"): alone, those words are as often of an invoice."""
_FAULT = re.compile(
    # "it's down", "our server is broken": after "is" or its contraction
    r"(?:(?<=\w)'s|(?<![\w-])(?:is|are|was|were|got))\s+(?:completely\s+|totally\s+)?"
    r"(?:broken|dead|down|faulty|defective)(?![\w-])"
    r"|(?<![\w-])(?:"
    r"broken(?:\s+down)?|broke\s+down|(?:went|goes|has\s+gone|is\s+going)\s+down"
    r"|(?:not|isn't|aren't|isnt|arent)\s+(?:working|starting|booting|printing|responding|charging)"
    r"|(?:" + _NOT_EN + r")\s+(?:even\s+|really\s+|properly\s+)?(?:" + _VERBS_EN + r")"
    r"|stopped\s+(?:working|responding|printing)|(?:has|have)\s+failed|(?:is|are)\s+failing"
    r"|(?:is|are|has\s+been|have\s+been)\s+(?:constantly\s+)?(?:rebooting|restarting|freezing)"
    r"|(?:keeps?|keeping)\s+(?:crashing|rebooting|restarting|freezing|failing|shutting\s+down|"
    r"turning\s+off|beeping|dropping\s+out)"
    r"|crash(?:ed|es|ing)|freez(?:es|ing)|froze|reboots?\s+(?:itself|by\s+itself|all\s+the\s+time|constantly)"
    r"|flicker(?:s|ing)?|overheat(?:s|ing|ed)?|(?:strange|weird|loud|odd)\s+nois(?:e|es)"
    r"|(?:makes|making)\s+(?:a\s+)?(?:strange\s+|weird\s+|loud\s+)?noise"
    r"|blue\s+screen|error\s+(?:code|message|light)|(?:red|amber|orange)\s+(?:warning\s+|error\s+|fault\s+)?(?:lights?|leds?)"
    r"|out\s+of\s+order|(?:is|are|reports?\s+an?|shows?\s+an?)\s+degraded"
    r"|(?:is|are|has\s+been|have\s+been|started|starts|began)\s+beeping|beeps|shows\s+(?:an\s+)?(?:amber|orange)"
    r"|malfunction(?:s|ing|ed)?|(?:disk|drive|power|fan|hardware)\s+failure|faulty|defective"
    r"|(?:disk|drive|read|write|i/o|io|memory|hardware|power|fan|raid|controller)\s+errors?"
    r"|(?:throws?|throwing|threw)\s+(?:\w+\s+){0,2}errors?"
    # Swedish
    r"|trasig[at]?|(?:gått|gick|går)\s+sönder|sönder"
    r"|(?:fungerar|funkar|fungerade|funkade|startar|bootar|svarar|laddar)\s+(?:ju\s+)?inte"
    r"|skriver\s+inte\s+ut|(?:går|gick)\s+inte\s+(?:att\s+)?(?:starta|igång|sätta\s+på|skriva\s+ut|ansluta)"
    r"|(?:slutat|slutade)\s+(?:att\s+)?(?:fungera|funka|svara)"
    r"|krasch(?:at|ar|ade)|(?:hänger|hängt|hängde)\s+sig"
    r"|(?:start|boot)(?:ar|at|ade)\s+om\s+(?:sig|hela\s+tiden|av\s+sig\s+själv)"
    r"|krånglar|krånglat|(?:ligger|är|låg)\s+nere|gick\s+ner|flimrar|överhett(?:as|ad|ade|at)"
    r"|låter\s+(?:konstigt|illa|märkligt)|väsnas|blåskärm|felkod|(?:röd|rött|orange|gul|gult)\s+(?:lampa|ljus)"
    r"|piper|(?:lyser|blinkar)\s+(?:rött|orange|gult)|felanmäl\w*"
    # said of a machine: "the fan is very loud", "fläkten på 78ABC12 låter väldigt mycket"
    r"|(?:" + _MACHINES + r")(?:\s+[\w-]+){0,4}?\s+(?:is|are|got|gets|getting|has\s+gotten|has\s+become)\s+"
    r"(?:very\s+|really\s+|so\s+|extremely\s+|too\s+|quite\s+)?(?:loud|noisy)"
    r"|(?:" + _MACHINES + r")(?:\s+[\w-]+){0,4}?\s+(?:låter|är|har\s+blivit)\s+"
    r"(?:väldigt\s+|j[äa]tte|så\s+|otroligt\s+|mycket\s+)?(?:mycket|högt|högljudd|bullrig)"
    r"|ur\s+funktion|defekt[a]?|(?:hård)?disk(?:fel|krasch)"
    # a warning shown: "is showing a disk warning", "visar en diskvarning", "larmar"
    r"|(?:shows?|showing|displays?|displaying|gives?|giving|reports?|reporting|throws?|throwing)\s+"
    r"(?:an?\s+|some\s+)?(?:disk|drive|hardware|power|fan|temperature|raid|controller|storage|battery)\s+"
    r"(?:warnings?|alarms?|alerts?)|(?:disk|drive|raid|temperature)\s+(?:warnings?|alarms?)"
    r"|(?:visar|ger)\s+(?:en\s+|ett\s+)?(?:disk|hårdvaru|ström|fläkt|temperatur|raid)?(?:varning|larm)\w*"
    r"|\w*(?:disk|raid)varning\w*|larmar|varningslamp\w*"
    r"|(?:errors?|problems?|issues?|trouble|faults?|fel|problem)\s+(?:on|in|with|of|at|på|med|i)\s+"
    r"(?:the\s+|our\s+|my\s+|a\s+|one\s+of\s+(?:the|our)\s+|vår\s+|vårt\s+|min\s+|mitt\s+|en\s+|ett\s+)?"
    r"(?:" + _MACHINES + r")"
    r")(?![\w-])",
    re.IGNORECASE,
)
TRIGGERS = wordset(
    """
    broken broke dead down faulty defective working starting booting printing responding charging
    work start boot power turn switch print connect respond load charge scan stopped failed failing
    crashing rebooting restarting freezing constantly shutting beeping dropping crashed crashes freezes froze
    reboot reboots flicker flickers flickering overheat overheats overheating overheated noise noises
    screen error red out malfunction malfunctions malfunctioning malfunctioned failure
    trasig trasigt trasiga sönder fungerar funkar fungerade funkade startar bootar svarar laddar
    skriver starta igång sätta skriva ansluta startat startade bootat bootade slutat slutade kraschat kraschar kraschade hänger hängt hängde krånglar
    krånglat nere ner flimrar överhettas överhettad överhettade överhettat låter väsnas blåskärm
    loud noisy högljudd bullrig högt mycket
    felkod lampa ljus funktion defekt defekta diskfel diskkrasch hårddiskfel hårddiskkrasch
    beeps lights led leds shows show piper lyser blinkar degraded warning warnings alarm alarms alerts
    showing displays displaying display gives giving reports reporting throws throwing give report
    disk drive raid temperature visar ger larmar felanmäla felanmäler felanmälan felanmäl felanmält felanmälde
    errors problem problems issue issues trouble fault faults fel
    """
)
"""The word of every fault phrase without which it is not one: without any, the pattern is not run."""
_FIGURES = re.compile(
    r"(?<![\w-])(?:balance|prices?|amounts?|totals?|costs?|sales|revenue|usage|rates?|saldo\w*|pris\w*|"
    r"belopp\w*|kostnad\w*|summa\w*)(?![\w-])",
    re.IGNORECASE,
)
"""Figures that go down without anything being broken ("our balance is down")."""


def faults(text: str, claims: Claims, *, words: frozenset[str]) -> None:
    """The first fault phrase of ``text``, kept beside whatever else its words are (a serial number,
    a site): the report is about them, not instead of them."""
    if TRIGGERS.isdisjoint(words):
        return
    found = _FAULT.search(text)
    if found is not None and not (
        found.group().lower().endswith(("down", "ner", "nere")) and _FIGURES.search(text)
    ):
        claims.beside(Found("fault", text.strip(), found.start(), found.end()))
