"""Who "me" is: the user. "send me invoice INV-2031", "email me the contract", "skicka fakturan till
mig", "mejla mig kontoutdraget" never ask for an address.

Two things are read from a message: whether the user is the recipient ("send me", "to me", "my
e-mail", "till mig", "mejla mig", but not "for me" or "åt mig", which name someone else's errand), and
whether it is to be mailed ("email", "mail", "mejla", "forward", "my inbox") rather than given here in
the chat. "send me X" shows X here, with its PDF or file; "mail me X" mails it to the user's own
address and says which. Only an address the user has confirmed is ever mailed to (a guest, or a
registration whose mailed link was never opened, has none): then the reply says so and gives the file
here instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Attachment
from supportbot.bot.nlu.recipients import BY_MAIL, TO_ME
from supportbot.bot.spec import Slot, TurnContext, said_undenied
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.models import Principal, Tool
from supportbot.intents.common import QUESTION_AHEAD, YET
from supportbot.services.spreadsheets import CSV_TYPE, XLSX_TYPE

log = logging.getLogger(__name__)

ME = "me"
"""The value of a recipient slot that means the user's own address."""

INLINE_TO_ME = rf"(?is)(?P<text>.*(?:{TO_ME}).*)"
"""For ``Slot.inline``: a message naming the user as recipient, whole, so that its check can tell a
mail asked for ("mejla fakturan till mig") from the user's own copy here ("skicka den till mig")."""
_ONLY_ME = re.compile(
    r"(?i)\s*(?:(?:to|till)\s+)?(?:me|mej|mig|myself|mig\s+själv|my\s+own|min\s+egen|my\s+own\s+address|"
    r"min\s+egen\s+adress)\s*[.!]?\s*"
)
"""An answer to "which address?" that means the user's own."""
_BY_MAIL = BY_MAIL


SENT = (
    r"(?:forwarded|sent|resent|mailed|e-?mailed|shared|passed|skickat|skickats|skickad|skickade|mejlat|mejlats"
    r"|mejlad|mejlade|mailat|mailats|vidarebefordrat|vidarebefordrats|vidarebefordrad|delat|delats|delad)"
)
"""Words of something sent already ("forwarded", "skickats")."""
_ASKS_IF_SENT = re.compile(
    r"(?i)(?<![\w-])(?:(?:been|blivit)\s+"
    + SENT
    + r"(?![\w-])|"
    + SENT
    + r"(?![\w-])(?="
    + YET
    + r"|"
    + QUESTION_AHEAD
    + r"))"
)


def asks_if_sent(text: str) -> bool:
    """Whether a message asks whether something was sent ("has contract C-1001 been sent to Erik?",
    "har fakturan mejlats än?"): nothing is to be sent for it, whatever address it names."""
    return _ASKS_IF_SENT.search(text) is not None


def only_me(text: str) -> bool:
    """Whether an answer to "which address?" is the user themself ("me", "mig", "my own")."""
    return bool(_ONLY_ME.fullmatch(text))


def by_mail(text: str) -> bool:
    """Whether the message asks for a mail ("email me", "forward", "mejla", "to my inbox"), not
    whether one was sent ("was the report mailed to me?") nor one called off ("don't email it, just
    give me the spreadsheet", "inte mejla den")."""
    return said_undenied(_BY_MAIL, text) and not asks_if_sent(text)


MAIL_WISH = Slot(
    name="mail_wish",
    entities=("mail_wish",),
    required=False,
    carry=False,
    inline=r"(?is)(?P<text>.*\b(?:e-?mail|mail|mejl|maila|e-post|forward|fwd|vidarebefordra|inbox|inkorg)\w*\b.*)",
)
"""What a message starting an export said of a mail ("email me a report of our orders"), kept while
the bot asks something first (which period?): the answer ("last month") is mailed as asked."""


def wants_mail(ctx: TurnContext) -> bool:
    """Whether this turn's list is to be mailed: as this message says, if it speaks of a mail at all
    ("don't email it"); else as the message that started the export did (``MAIL_WISH``)."""
    text = ctx.parse.text
    if _BY_MAIL.search(text) is not None:
        return by_mail(text)
    wish = ctx.slot(MAIL_WISH.name)
    return wish is not None and by_mail(str(wish.value))


def own_address(principal: Principal) -> str | None:
    """The user's own address, if it may be mailed: signed in and confirmed (never a guest's)."""
    if principal.is_guest or principal.verification is None or not principal.email:
        return None
    return principal.email


@dataclass(frozen=True)
class Spreadsheet:
    """A list made into files: the same rows as XLSX and as CSV, both named ``stem``."""

    stem: str
    xlsx: bytes
    csv: bytes

    @property
    def files(self) -> tuple[tuple[str, str, bytes], ...]:
        """``(name, content type, data)`` of each file, as mail attachments take them."""
        return ((f"{self.stem}.xlsx", XLSX_TYPE, self.xlsx), (f"{self.stem}.csv", CSV_TYPE, self.csv))


async def mail_to_self(
    ctx: TurnContext, sheet: Spreadsheet, *, subject: str, body: str
) -> tuple[str | None, str]:
    """A list asked for by mail ("email me the report", "mejla mig kontoutdraget") goes to the user's own
    confirmed address, never asked for, and never to another address named ("… to erik.lund@…"). Returns
    the address it went to (``None`` when no mail was asked for, or it could not be sent) and what to say
    besides: before the download links where a mail was asked for and not sent (no confirmed address, the
    mail server down), after saying it was mailed (``mailed_text``) where it went to the user rather
    than to the address named; ``""`` otherwise."""
    if not wants_mail(ctx):
        return None, ""
    own = own_address(ctx.principal)
    if own is None:
        return None, ctx.t("recipient.no_own_address") + " "
    try:
        await ctx.mailer.send(
            to=own, subject=subject, text=body, attachments=sheet.files, language=ctx.language
        )
    except MailUnavailable:
        log.warning("could not mail a spreadsheet (%s)", sheet.stem, exc_info=True)
        return None, ctx.t("recipient.mail_failed") + " "
    others = sorted({e.value for e in ctx.parse.entities if e.type == "email" and e.value != own})
    if others:
        return own, ctx.t("recipient.only_own", others=", ".join(others))
    return own, ""


def mailed_text(said: str, note: str) -> str:
    """What is said of a list mailed to the user, with ``mail_to_self``'s note after it."""
    return f"{said} {note}" if note else said


async def publish(ctx: TurnContext, sheet: Spreadsheet, tool: Tool) -> tuple[Attachment, ...]:
    """Both files behind signed download links of the user's own, for as long as links last."""
    attachments = []
    for name, kind, data in sheet.files:
        url = await ctx.files.publish(
            owner=ctx.principal.user_id, name=name, content_type=kind, data=data, tool=tool
        )
        attachments.append(Attachment(name=name, url=url, content_type=kind, size=len(data)))
    return tuple(attachments)


WORDS: dict[str, Entry] = {
    "recipient.no_own_address": {
        "en": "I can only e-mail things to your own confirmed address, and I don't have one for you, "
        "so here it is to download instead.",
        "sv": "Jag kan bara mejla till din egen bekräftade adress, och någon sådan har jag inte för dig, "
        "så här kan du ladda ner den i stället.",
    },
    "recipient.only_own": {
        "en": "Lists and reports are e-mailed only to your own address, not to {others}; you can forward "
        "the mail from there.",
        "sv": "Listor och rapporter mejlas bara till din egen adress, inte till {others}; du kan "
        "vidarebefordra mejlet därifrån.",
    },
    "recipient.button.mail_me": {"en": "E-mail it to me", "sv": "Mejla den till mig"},
    "recipient.mail_failed": {
        "en": "I couldn't send the e-mail just now, so here are download links instead.",
        "sv": "Jag kunde inte skicka mejlet just nu, så här är länkar att ladda ner i stället.",
    },
}
"""What is said where "me" has no address to mail to, and the button that mails a thing to its user."""
words(WORDS)
