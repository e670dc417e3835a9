"""The handoff family: "talk to a person" queues the conversation for an agent (``bot.handoff``), or,
with no agent online or outside office hours, becomes a request answered within one business day.
Asked when or how support can be reached ("when is customer service open?", "how do I contact
you?"), it says the office hours, whether someone is in the chat now and the support address, and
offers a person: a question is not a request to be queued.

A web chat guest gives a name and an e-mail address first (and, if they like, a customer number):
in a form where the channel shows forms, else asked in turn. None of it is verified. Agents see it as
stated by the visitor and nothing of any company's records; outside office hours it becomes a guest's
request, confirmed by a mail to the address given that says nothing but its number (see
``docs/security.md``, "Guests and a person").
"""

from __future__ import annotations

import logging
import re
import unicodedata

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Form, FormField, Reply
from supportbot.bot.nlu.lexicon import TALKING, asks_if_a_bot
from supportbot.bot.spec import IntentSpec, Refused, Slot, TurnContext
from supportbot.bot.state import SlotValue
from supportbot.integrations.actions import Mail
from supportbot.integrations.errors import InvalidRequest, MailUnavailable
from supportbot.integrations.mail import one_line
from supportbot.integrations.models import GuestContact, NewRequest, Principal, SupportRequest, Tool

log = logging.getLogger(__name__)

REQUEST_SUBJECT = "Chat handoff"
TRANSCRIPT_LINES = 20

AGENT_EXAMPLES = {
    "en": [
        "talk to a person",
        "I want to speak to a human",
        "connect me with an agent",
        "can I talk to someone real",
        "get me a human",
        "live agent please",
        "representative",
        "I'd like to chat with customer service",
        "transfer me to your support staff",
        "is there a real person I can talk to",
        "put me through to a human",
        "speak with an operator",
        "contact customer support",
        "human please",
        "agent",
        "I don't want a bot, I want a person",
        "escalate this to a human",
        "can someone from support call me",
        "how can I reach your support team",
        "contact customer service",
        "I need to talk to somebody at support",
        "let me talk to a support agent",
        "this isn't working, get me a real person",
        "hand me over to a colleague of yours",
        "I'd rather discuss this with a colleague",
        "speak to someone",
        "talk to human",
        "can I get a real agent on the chat",
        "I want to talk to customer care",
        "tlak to a persn",
        "Is it possible to speak with one of your support staff instead of a bot?",
        "phone number for customer service",
        "chat with a real person",
        "I'd rather talk to a human being",
        "get an employee to help me",
        "how do I contact you",
        "I want to chat with a person",
        "live chat with support",
        "can I speak to a customer service representative",
        "I need assistance from a human",
        "let me talk with an agent",
        "where can I talk to support",
        "help me talk to someone",
        "I need help getting hold of an operator",
        "connect me with one of your assistants",
        "when is your support team available",
        "what hours can I reach customer support",
        "what's the e-mail address of your customer support",
        "you're not helping, I want to talk to someone",
        "I'd like help talking to a person",
        "can you help me chat with a real assistant",
        "I need someone from your staff to talk with",
        "assistance getting a human on the line",
    ],
    "sv": [
        "prata med en person",
        "jag vill prata med en människa",
        "koppla mig till en handläggare",
        "kan jag prata med någon på riktigt",
        "ge mig en människa",
        "jag vill chatta med kundtjänst",
        "koppla mig vidare till supporten",
        "finns det en riktig person jag kan prata med",
        "koppla mig till en människa",
        "prata med en operatör",
        "kontakta kundsupport",
        "människa tack",
        "handläggare",
        "jag vill inte prata med en bot, jag vill ha en person",
        "eskalera det här till en människa",
        "kan någon från supporten ringa mig",
        "hur når jag er support",
        "kontakta kundtjänst",
        "jag behöver prata med någon på supporten",
        "låt mig prata med en supporttekniker",
        "det här funkar inte, ge mig en riktig person",
        "lämna över mig till en kollega till dig",
        "prata med någon",
        "prata med människa",
        "kan jag få en riktig handläggare i chatten",
        "jag vill prata med kundservice",
        "prta med en prson",
        "Går det att prata med någon av era supportmedarbetare i stället för en bot?",
        "telefonnummer till kundtjänst",
        "chatta med en riktig person",
        "jag vill hellre prata med en människa",
        "få en anställd att hjälpa mig",
        "hur kontaktar jag er",
        "agent tack",
        "jag vill chatta med en person",
        "livechatt med supporten",
        "kan jag prata med en kundtjänstmedarbetare",
        "jag behöver hjälp av en människa",
        "prata med en handläggare",
        "var kan jag prata med supporten",
        "jag vill ha hjälp av en person på riktigt",
        "när har er support öppet",
        "vilken mejladress har kundtjänst",
        "du hjälper inte, jag vill prata med någon",
        "kan du hjälpa mig att chatta med en riktig handläggare",
        "jag behöver någon av er personal att prata med",
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "handoff.by_mail": {
        "en": "I can't pass you to our support team from here, but you can reach them by e-mail at "
        "{email}; mention your customer number and they'll help.",
        "sv": "Jag kan inte lämna över dig till vår supportavdelning härifrån, men du når dem på "
        "{email}; ange ert kundnummer så hjälper de dig.",
    },
    "handoff.queued": {
        "en": "I've passed you to our support team. Your tracking number is {number}, and you're "
        "number {position} in the queue. A person will answer here and will see this whole "
        'conversation; write on meanwhile. (Say "cancel" to withdraw.)',
        "sv": "Jag har lämnat över dig till vår supportavdelning. Ditt ärendenummer är {number}, och du är "
        "nummer {position} i kön. En person svarar här och ser hela konversationen; skriv gärna "
        'under tiden. (Skriv "avbryt" för att ta tillbaka det.)',
    },
    "handoff.outside_hours": {
        "en": "No one from our support team is available in the chat right now (office hours are "
        "{office_hours}, Monday to Friday). I've opened request {number} with this conversation, and you'll "
        "get an answer within one business day.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten just nu (kontorstid är "
        "{office_hours}, måndag till fredag). Jag har öppnat ärende {number} med den här konversationen, "
        "och du får svar inom en arbetsdag.",
    },
    "handoff.no_agent": {
        "en": "No one from our support team is free in the chat right now. I've opened request {number} "
        "with this conversation, and you'll get an answer within one business day.",
        "sv": "Ingen från vår supportavdelning är ledig i chatten just nu. Jag har öppnat ärende {number} "
        "med den här konversationen, och du får svar inom en arbetsdag.",
    },
    "handoff.holiday": {
        "en": "No one from our support team is available in the chat today, as it's a public holiday. "
        "I've opened request {number} with this conversation, and you'll get an answer within one "
        "business day.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten i dag, eftersom det är helgdag. "
        "Jag har öppnat ärende {number} med den här konversationen, och du får svar inom en arbetsdag.",
    },
    "handoff.hours.weekdays": {
        "en": "Our support team is in this chat {office_hours}, Monday to Friday, except public holidays.",
        "sv": "Vår supportavdelning finns i den här chatten {office_hours}, måndag till fredag, utom helgdagar.",
    },
    "handoff.hours.days": {
        "en": "Our support team is in this chat {office_hours} on its working days, except public holidays.",
        "sv": "Vår supportavdelning finns i den här chatten {office_hours} på sina arbetsdagar, utom helgdagar.",
    },
    "handoff.hours.always": {
        "en": "Our support team is in this chat around the clock.",
        "sv": "Vår supportavdelning finns i den här chatten dygnet runt.",
    },
    "handoff.hours.there": {
        "en": "Someone is there right now: shall I put you through?",
        "sv": "Någon finns där just nu: ska jag koppla dig vidare?",
    },
    "handoff.hours.busy": {
        "en": "No one is free at the moment; if you like, I'll open a request with this conversation and "
        "they'll answer within one business day.",
        "sv": "Ingen är ledig just nu; om du vill öppnar jag ett ärende med den här konversationen, så "
        "svarar de inom en arbetsdag.",
    },
    "handoff.hours.closed": {
        "en": "The chat is closed right now; if you like, I'll open a request with this conversation and "
        "they'll answer within one business day.",
        "sv": "Chatten är stängd just nu; om du vill öppnar jag ett ärende med den här konversationen, så "
        "svarar de inom en arbetsdag.",
    },
    "handoff.hours.holiday": {
        "en": "Today is a public holiday, so the chat is closed; if you like, I'll open a request with this "
        "conversation and they'll answer within one business day.",
        "sv": "I dag är det helgdag, så chatten är stängd; om du vill öppnar jag ett ärende med den här "
        "konversationen, så svarar de inom en arbetsdag.",
    },
    "handoff.hours.mail": {
        "en": "You can also write to them at {email} at any time.",
        "sv": "Du kan också skriva till dem på {email} när som helst.",
    },
    # --- a guest -----------------------------------------------------------------------------------
    "handoff.guest.form.title": {"en": "Talk to a person", "sv": "Prata med en person"},
    "handoff.guest.form.intro": {
        "en": "Gladly. As you're not signed in, please tell us your name and e-mail address so that our "
        "support team knows who they're talking to and can answer you. Your customer number helps "
        "too, if you have it.",
        "sv": "Gärna. Eftersom du inte är inloggad, ange ditt namn och din e-postadress så att vår "
        "supportavdelning vet vem de pratar med och kan svara dig. Ert kundnummer hjälper också, om "
        "du har det.",
    },
    "handoff.guest.form.fix": {
        "en": "Please check the marked fields and send the form again.",
        "sv": "Kontrollera de markerade fälten och skicka formuläret igen.",
    },
    "handoff.guest.form.send": {"en": "Send", "sv": "Skicka"},
    "handoff.guest.form.cancel": {"en": "Cancel", "sv": "Avbryt"},
    "handoff.guest.form.open": {"en": "Give your details", "sv": "Ange dina uppgifter"},
    "handoff.guest.field.name": {"en": "Your name", "sv": "Ditt namn"},
    "handoff.guest.field.email": {"en": "Your e-mail address", "sv": "Din e-postadress"},
    "handoff.guest.field.customer_number": {
        "en": "Customer number (optional)",
        "sv": "Kundnummer (frivilligt)",
    },
    "handoff.guest.ask_name": {
        "en": "Gladly. As you're not signed in, what's your name?",
        "sv": "Gärna. Eftersom du inte är inloggad, vad heter du?",
    },
    "handoff.guest.ask_email": {
        "en": "And your e-mail address, so that our support team can answer you?",
        "sv": "Och din e-postadress, så att vår supportavdelning kan svara dig?",
    },
    "handoff.guest.ask_customer_number": {
        "en": 'Your customer number, if you have it? (Say "skip" if not.)',
        "sv": 'Ert kundnummer, om du har det? (Skriv "hoppa över" om inte.)',
    },
    "handoff.guest.error.required": {"en": "Please fill this in.", "sv": "Fyll i det här."},
    "handoff.guest.error.too_long": {
        "plural": "limit",
        "en": {"one": "At most {limit} character, please.", "other": "At most {limit} characters, please."},
        "sv": {"one": "Högst {limit} tecken, tack.", "other": "Högst {limit} tecken, tack."},
    },
    "handoff.guest.bad_name": {
        "plural": "limit",
        "en": {
            "one": "Please tell me your name (at most {limit} character).",
            "other": "Please tell me your name (at most {limit} characters).",
        },
        "sv": {
            "one": "Ange ditt namn (högst {limit} tecken).",
            "other": "Ange ditt namn (högst {limit} tecken).",
        },
    },
    "handoff.guest.bad_email": {
        "en": "That doesn't look like an e-mail address. Please give one like name@company.example.",
        "sv": "Det där ser inte ut som en e-postadress. Ange en som namn@foretag.example.",
    },
    "handoff.guest.bad_customer_number": {
        "en": 'A customer number has only digits and letters, like 1000123. Say "skip" if you '
        "don't have it.",
        "sv": 'Ett kundnummer har bara siffror och bokstäver, t.ex. 1000123. Skriv "hoppa över" om du '
        "inte har det.",
    },
    "handoff.guest.rate_limited": {
        "en": "You've asked for a person several times in a short while, so I can't pass this on right "
        "now. Please try again later, or write to {email}.",
        "sv": "Du har bett om en person flera gånger på kort tid, så jag kan inte lämna över det just nu. "
        "Försök igen senare, eller skriv till {email}.",
    },
    "handoff.guest.request": {
        "en": "No one from our support team is available in the chat right now. I've opened request "
        "{number} with this conversation; our support team will answer you at {email} within one "
        "business day, and I've sent a confirmation there.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten just nu. Jag har öppnat ärende "
        "{number} med den här konversationen; vår supportavdelning svarar dig på {email} inom en "
        "arbetsdag, och jag har skickat en bekräftelse dit.",
    },
    "handoff.guest.not_saved": {
        "en": "Sorry, I couldn't pass this on just now, so nothing was saved. Please try again in a "
        "moment, or write to {email}.",
        "sv": "Förlåt, jag kunde inte lämna över det just nu, så inget har sparats. Försök igen om en "
        "stund, eller skriv till {email}.",
    },
    "handoff.guest.mail.subject": {
        "en": "Your support request {number}",
        "sv": "Ditt ärende {number}",
    },
    "handoff.guest.mail.body": {
        "en": "Hello,\n\nSomeone gave this address in the chat on our website and asked to talk to our "
        "support team. We have opened request {number}, and our support team will answer at this "
        "address within one business day.\n\nIf it wasn't you, you don't need to do anything.\n\n"
        "Customer support",
        "sv": "Hej!\n\nNågon angav den här adressen i chatten på vår webbplats och bad att få prata med "
        "vår supportavdelning. Vi har öppnat ärende {number}, och vår supportavdelning svarar på den "
        "här adressen inom en arbetsdag.\n\nOm det inte var du behöver du inte göra något.\n\n"
        "Kundsupport",
    },
}
words(WORDS)


async def handoff_by_mail(ctx: TurnContext) -> Reply:
    """Where no queue is set up (a bare engine), say how to reach support rather than pretend."""
    return ctx.reply(ctx.t("handoff.by_mail", email=ctx.support_email))


_WHEN = re.compile(
    r"\b(?:when|(?:what|which)\s+(?:hours|times?|days)|at\s+what\s+time|hours|opening|open|closed?|closes"
    r"|available|availability|reachable|när|vilka\s+tider|vilken\s+tid|öppettider\w*|kontorstid\w*|öppet"
    r"|öppen|öppna|stänger|stängt|tillgänglig\w*|nåbar\w*)\b"
    r"|\b(?:phone|telephone)\b|\bnumber\s+(?:for|of|to)\b|\be-?mail(?:\s+address)?\b|\bmail\s+address\b"
    r"|\bhow\s+(?:do|can|could|should|would)\s+(?:i|we|one)\s+(?:contact|reach|call|phone|email|e-mail"
    r"|get\s+(?:in\s+touch|hold))\b"
    r"|\btelefon\w*|\bmejladress\w*|\be-?postadress\w*|\bhur\s+(?:når|kontaktar|ringer|mejlar)\s+(?:jag|vi|man)\b",
    re.IGNORECASE,
)
"""Asking when or how support can be reached: its hours, whether it is there, its number or address."""
_NOW = re.compile(
    r"\b(?:now|right\s+away|immediately|asap|connect|transfer|put\s+me|get\s+me|hand\s+me|escalate"
    r"|nu|direkt|genast|koppla)\b",
    re.IGNORECASE,
)
"""A person wanted at once ("is anyone available now?", "connect me"), whatever else is asked."""


def _asks_when(text: str) -> bool:
    """Whether the message asks when or how support is reached rather than for a person now."""
    return _WHEN.search(text) is not None and _NOW.search(text) is None


async def handoff_agent(ctx: TurnContext) -> Reply:
    """Queue for an agent when one is online in office hours; else a request (a guest's, for a guest).
    Asked when or how support is reached, the hours and the address, with a person offered."""
    handoffs = ctx.handoffs
    if handoffs is None or ctx.conversation is None:
        return await handoff_by_mail(ctx)
    if ctx.submitted is None and not ctx.slot("guest_name") and _asks_when(ctx.parse.text):
        return await _when_support_answers(ctx)
    if ctx.principal.is_guest:
        return await _guest_handoff(ctx)
    if await handoffs.available(ctx.now, country=ctx.principal.country):
        handoff = await handoffs.open(ctx.conversation, user_id=ctx.principal.user_id)
        ctx.handed_off(handoff.number)
        return Reply(
            text=ctx.t("handoff.queued", number=handoff.number, position=handoff.position or 1),
            language=ctx.language,
            intent="handoff.agent",
        )
    lines = await handoffs.transcript(ctx.conversation.key, limit=TRANSCRIPT_LINES)
    description = "\n".join([*lines, f"user: {ctx.parse.text}"])
    try:
        request = await ctx.backends.requests.create_request(
            _requester(ctx.principal),
            NewRequest(category="other", subject=REQUEST_SUBJECT, description=description),
        )
    except Exception:
        log.exception("handoff: could not open a request in conversation %s", ctx.conversation.key)
        return await handoff_by_mail(ctx)
    hours = handoffs.office_hours
    if hours.open_at(ctx.now, ctx.principal.country):
        key = "handoff.no_agent"  # within the hours, but no agent online
    elif hours.holiday_at(ctx.now, ctx.principal.country):
        key = "handoff.holiday"
    else:
        key = "handoff.outside_hours"
    return Reply(
        text=ctx.t(key, office_hours=hours.label, number=request.number),
        language=ctx.language,
        intent="handoff.agent",
    )


async def _when_support_answers(ctx: TurnContext) -> Reply:
    """The office hours (in the customer's country's time, its holidays off), whether someone is in the
    chat now, the support address, and a person offered: pressing it is asking for one."""
    handoffs = ctx.handoffs
    assert handoffs is not None
    hours = handoffs.office_hours
    country = ctx.principal.country
    if hours.always:
        when = ctx.t("handoff.hours.always")
    else:
        days = "handoff.hours.weekdays" if hours.days == frozenset(range(5)) else "handoff.hours.days"
        when = ctx.t(days, office_hours=hours.label)
    if await handoffs.available(ctx.now, country=country):
        now = "handoff.hours.there"
    elif hours.holiday_at(ctx.now, country):
        now = "handoff.hours.holiday"
    elif hours.open_at(ctx.now, country):
        now = "handoff.hours.busy"
    else:
        now = "handoff.hours.closed"
    text = " ".join([when, ctx.t(now), ctx.t("handoff.hours.mail", email=ctx.support_email)])
    person = Button(label=ctx.t("button.talk_to_person"), value=ctx.t("button.talk_to_person.value"))
    return ctx.reply(text, buttons=(person,))


def _requester(principal: Principal) -> Principal:
    """Asking for a person is open to every customer, so the request it becomes is opened on their
    behalf even without the requests tool; nothing else of the principal changes."""
    return principal.model_copy(update={"grants": principal.grants | {Tool.REQUESTS}})


# --- a guest ---------------------------------------------------------------------------------------

NAME_LIMIT = 200
EMAIL_LIMIT = 254
CUSTOMER_NUMBER_LIMIT = 32
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_CUSTOMER_NUMBER = re.compile(r"[A-Za-z0-9-]{1,32}")
_NONE_WORDS = frozenset({"", "-", "no", "none", "nope", "n/a", "nej", "inget", "ingen", "har inget"})
_GUEST_FIELDS = ("guest_name", "guest_email", "guest_customer_number")


def _clean(value: str) -> str:
    """One line without control characters: what a guest typed, as it may be shown and stored."""
    return "".join(ch for ch in one_line(value) if unicodedata.category(ch)[0] != "C").strip()


def _name_error(name: str) -> str | None:
    if not any(ch.isalpha() for ch in name):  # "..." is no name
        return "handoff.guest.error.required"
    return "handoff.guest.error.too_long" if len(name) > NAME_LIMIT else None


def _email_error(email: str) -> str | None:
    if not email:
        return "handoff.guest.error.required"
    return None if len(email) <= EMAIL_LIMIT and _EMAIL.fullmatch(email) else "handoff.guest.bad_email"


def _customer_number(said: str) -> str | None:
    """A stated customer number, ``""`` for none, ``None`` when it is no customer number."""
    if said.lower().rstrip(".!") in _NONE_WORDS:
        return ""
    return said if _CUSTOMER_NUMBER.fullmatch(said) else None


async def _name_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused:
    name = _clean(str(value.value))
    if _name_error(name) is not None:
        return Refused("handoff.guest.bad_name", {"limit": NAME_LIMIT})
    return SlotValue(value.type, name)


async def _email_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused:
    email = _clean(str(value.value))
    if _email_error(email) is not None:
        return Refused("handoff.guest.bad_email")
    return SlotValue(value.type, email)


async def _customer_number_check(ctx: TurnContext, value: SlotValue) -> SlotValue | Refused:
    number = _customer_number(_clean(str(value.value)))
    if number is None:
        return Refused("handoff.guest.bad_customer_number")
    return SlotValue(value.type, number)


def _guest_form(ctx: TurnContext, values: dict[str, str], errors: dict[str, str] | None = None) -> Form:
    errors = errors or {}
    fields = (
        FormField(
            name="guest_name",
            label=ctx.t("handoff.guest.field.name"),
            value=values.get("guest_name", ""),
            required=True,
            max_length=NAME_LIMIT,
        ),
        FormField(
            name="guest_email",
            label=ctx.t("handoff.guest.field.email"),
            value=values.get("guest_email", ""),
            required=True,
            max_length=EMAIL_LIMIT,
        ),
        FormField(
            name="guest_customer_number",
            label=ctx.t("handoff.guest.field.customer_number"),
            value=values.get("guest_customer_number", ""),
            max_length=CUSTOMER_NUMBER_LIMIT,
        ),
    )
    return Form(
        id="handoff.agent",
        title=ctx.t("handoff.guest.form.title"),
        fields=tuple(f.model_copy(update={"error": errors.get(f.name)}) for f in fields),
        submit_label=ctx.t("handoff.guest.form.send"),
        cancel_label=ctx.t("handoff.guest.form.cancel"),
        open_label=ctx.t("handoff.guest.form.open"),
        open_value=ctx.t("button.talk_to_person.value"),
    )


def _from_form(ctx: TurnContext) -> tuple[GuestContact | None, dict[str, str], dict[str, str]]:
    """A sent form checked whole: the guest's contact, or the values and why fields were refused."""
    values = {}
    for name in _GUEST_FIELDS:
        said = ctx.slot(name)
        values[name] = _clean(str(said.value)) if said is not None else ""
    errors: dict[str, str] = {}
    for name, error in (
        ("guest_name", _name_error(values["guest_name"])),
        ("guest_email", _email_error(values["guest_email"])),
    ):
        if error is not None:
            errors[name] = ctx.t(error, limit=NAME_LIMIT)
    number = _customer_number(values["guest_customer_number"])
    if number is None:
        errors["guest_customer_number"] = ctx.t("handoff.guest.bad_customer_number")
    if errors:
        return None, values, errors
    guest = GuestContact(
        name=values["guest_name"], email=values["guest_email"], customer_number=number or None
    )
    return guest, values, errors


def _from_slots(ctx: TurnContext) -> GuestContact:
    """The contact as the engine asked and checked it, slot by slot (a channel without forms)."""
    name, email, number = (ctx.slot(n) for n in _GUEST_FIELDS)
    assert name is not None and email is not None  # required slots: asked until given
    stated = str(number.value) if number is not None else ""
    return GuestContact(name=str(name.value), email=str(email.value), customer_number=stated or None)


async def _guest_handoff(ctx: TurnContext) -> Reply:
    """A guest's request for a person: their details first, then the queue or a guest's request."""
    if ctx.submitted is not None:
        guest, values, errors = _from_form(ctx)
        if guest is None:
            return ctx.reply(ctx.t("handoff.guest.form.fix"), form=_guest_form(ctx, values, errors))
    elif not ctx.slot("guest_name"):
        # A channel with forms: the engine left the asking to the form.
        return ctx.reply(ctx.t("handoff.guest.form.intro"), form=_guest_form(ctx, {}))
    else:
        guest = _from_slots(ctx)
    handoffs, conversation = ctx.handoffs, ctx.conversation
    assert handoffs is not None and conversation is not None
    if not await handoffs.guest_may_ask(conversation.key, guest.email):
        return ctx.reply(ctx.t("handoff.guest.rate_limited", email=ctx.support_email))
    if await handoffs.available(ctx.now):
        handoff = await handoffs.open(conversation, user_id=None, guest=guest)
        ctx.handed_off(handoff.number)
        return ctx.reply(ctx.t("handoff.queued", number=handoff.number, position=handoff.position or 1))
    return await _guest_request(ctx, guest)


async def _guest_request(ctx: TurnContext, guest: GuestContact) -> Reply:
    """Outside office hours (or with no agent online): a guest's request, with this conversation for
    the agents, and a confirmation to the address given. That address is not confirmed, so the mail
    says nothing but the request's number: none of the conversation, not even the name typed."""
    assert ctx.handoffs is not None and ctx.conversation is not None
    lines = await ctx.handoffs.transcript(ctx.conversation.key, limit=TRANSCRIPT_LINES)
    description = "\n".join([*lines, f"user: {ctx.parse.text}" if ctx.parse.text else ""]).strip()

    def confirmation(request: SupportRequest) -> list[Mail]:
        subject = ctx.t("handoff.guest.mail.subject", number=request.number)
        body = ctx.t("handoff.guest.mail.body", number=request.number)
        return [Mail(to=guest.email, subject=subject, text=body, language=ctx.language)]

    try:
        request = await ctx.backends.requests.create_guest_request(
            guest,
            NewRequest(category="other", subject=REQUEST_SUBJECT, description=description or "-"),
            action=ctx.action(confirmation),
        )
    except (InvalidRequest, MailUnavailable):
        log.warning("handoff: a guest's request was not opened in %s", ctx.conversation.key, exc_info=True)
        return ctx.reply(ctx.t("handoff.guest.not_saved", email=ctx.support_email))
    return ctx.reply(ctx.t("handoff.guest.request", number=request.number, email=guest.email))


_TALK_TO_A_PERSON = re.compile(
    r"\b(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?)\s+(?:to|with)\s+"
    r"(?:(?:a|an|one|of|your|some|real|live|human|actual)\s+)*"
    r"(?:someone|somebody|anyone|anybody|persons?|people|humans?|agents?|representatives?|operators?|staff"
    r"|employees?|assistants?|colleagues?|technicians?|engineers?|specialists?|experts?)\b"
    r"|\b(?:prata|tala|snacka|chatta)\s+med\s+(?:(?:en|ett|någon|nån|några|riktig|levande|er|era)\s+)*"
    r"(?:m[äa]nniska|m[äa]nniskor|person|handläggare|handlaggare|operatör|kundtjänst|supporten|någon|nån"
    r"|personal(?:en)?"
    r"|tekniker(?:n)?|ingenjör(?:en)?|specialist(?:en)?|expert(?:en)?)\b",
    re.IGNORECASE,
)

_GET_ME_A_PERSON = re.compile(
    r"\b(?:get|give|find|connect|transfer|put)\s+me\s+(?:(?:to|with|through\s+to)\s+)?"
    r"(?:(?:a|an|one|of|your|some|real|live|human|actual)\s+)*"
    r"(?:someone|somebody|persons?|humans?|agents?|representatives?|operators?|staff)\b"
    r"|\b(?:koppla|ge)\s+mig\s+(?:vidare\s+)?(?:till\s+)?(?:(?:en|ett|någon|nån|riktig|levande)\s+)*"
    r"(?:människa|person|handläggare|operatör|kundtjänst|supporten|någon|nån)\b",
    re.IGNORECASE,
)
_HELP_FROM_A_PERSON = re.compile(
    r"\bhelp\s+from\s+(?:(?:a|an|one|of|your|some|real|live|actual)\s+)*(?:humans?|persons?|agents?|people)\b"
    r"|\bhjälp\s+(?:av|från)\s+(?:(?:en|ett|någon|nån|riktig|levande)\s+)*(?:m[äa]nniska|person|handläggare)\b"
    r"|^\W*(?:(?:so|ok|okay|then|well|så|okej|men)\W+)*(?:who|vem)\s+(?:can|could|should|kan|ska)\s+"
    r"(?:do\s+(?:it|that|this)|help(?:\s+me)?|göra\s+det|fixa\s+det|hjälpa\s+mig|hjälpa\s+till)"
    r"(?:\s+(?:then|instead|då|istället|i\s+stället))?\W*$",
    re.IGNORECASE,
)
"""Help asked of a person ("I need help from a human about invoice INV-2031"), whatever it is about;
or who can help, when the bot said it cannot ("so who can do it then?", "vem kan hjälpa mig då?")."""
"""A person asked for outright ("get me a human", "connect me to someone", "koppla mig till en
människa"), whatever else the message says ("why is it still in production?? … get me a human")."""


_SUPPORT = (
    r"(?:your\s+|the\s+)?(?:support(?:\s+team)?|customer\s+(?:service|support|care|assistance)|help\s*desk|service\s*desk"
    r"|you(?:\s+guys)?|your\s+(?:team|staff|agents|people))"
)
_SUPPORT_HOURS = re.compile(
    rf"\bwhen\s+(?:is|are)\s+{_SUPPORT}\s+(?:\w+\s+){{0,2}}?(?:open|available|reachable)\b"
    rf"|\bwhat\s+(?:time|hours)\s+(?:is|are|does|do)\s+{_SUPPORT}\s+(?:open|available|reachable|close)\b"
    rf"|\b(?:(?:at\s+)?what\s+time|when)\s+(?:(?:can|could|should|may)\s+(?:i|we)|(?:i|we)\s+(?:can|could|should|may))"
    rf"\s+(?:call|phone|ring|reach"
    rf"|contact|chat\s+with|talk\s+to)\s+{_SUPPORT}(?!\s+about)"
    r"|\bnär\s+(?:kan|får)\s+(?:jag|vi|man)\s+(?:ringa|nå|kontakta|chatta\s+med|prata\s+med)\s+"
    r"(?:er|ni|supporten|kundtjänst(?:en)?|kundservice)\b"
    r"|\bnär\s+har\s+(?:ni|supporten|kundtjänst(?:en)?)\s+öppet\b"
    r"|\bnär\s+är\s+(?:ni|supporten|kundtjänst(?:en)?)\s+(?:öppen|öppna|tillgänglig\w*|nåbar\w*)\b",
    re.IGNORECASE,
)
"""When support is open, asked of support ("what are your opening hours?", "when is customer service
available?", "at what time can I call customer assistance?", "när har kundtjänst öppet?", "när kan jag
ringa er?"), not of a shop or a pharmacy."""
_HOURS = re.compile(r"(?i)hour|when|time|öppet|öppen|öppna|öppettid|när")
_OPENING_HOURS = re.compile(
    r"(?i)\b(?:opening|office|business|working|support|chat)\s+hours\b|\böppettider\b"
)
_OF_SUPPORT = re.compile(
    r"(?i)\b(?:you|your|support|customer\s+(?:service|support|care)|help\s*desk|ni|er|era|supporten"
    r"|kundtjänst\w*|kundservice)\b"
)
"""Opening hours asked of support ("what are your opening hours", "vilka öppettider har ni")."""


_CALL_ME_BACK = re.compile(
    r"\b(?:call|phone|ring)\s+(?:me|us)\s+(?:back|up)\b"
    r"|\b(?:can|could|would)\s+(?:someone|somebody|anyone|one\s+of\s+you|you)\s+(?:please\s+)?"
    r"(?:call|phone|ring)\s+(?:me|us)\b"
    r"|\bring(?:a|er)?\s+upp\s+(?:mig|oss)\b|\bring(?:a)?\s+(?:mig|oss)\s+(?:tillbaka|istället|i\s+stället)\b"
    r"|\b(?:kan|skulle)\s+(?:någon|nån|ni|du)\s+(?:snälla\s+)?ringa\s+(?:upp\s+)?(?:mig|oss)\b",
    re.IGNORECASE,
)
"""A call back asked for ("can someone call me back?", "kan någon ringa upp mig? det gäller faktura
INV-2031", "ring mig istället"): a person, whatever record it is about; not "call Mark"."""


def _asked_for_a_person(text: str) -> bool:
    """Asked to talk to a person in those words ("I want help talking to someone", "chatting with
    an agent", "prata med en människa"), however the rest reads: "nice talking to you" and "talk
    later" speak of talking too, and the message to a person is the one that names them. Or asked
    when support is open, which this intent answers (``_when_support_answers``). Not asked whether the
    assistant is a person ("am I talking to a real person?"): ``smalltalk.help`` answers that."""
    if asks_if_a_bot(text):
        return False
    if TALKING.search(text) is not None and _TALK_TO_A_PERSON.search(text) is not None:
        return True
    if ("me" in text or "mig" in text) and _GET_ME_A_PERSON.search(text) is not None:
        return True
    if _CALL_ME_BACK.search(text) is not None or _HELP_FROM_A_PERSON.search(text) is not None:
        return True
    if _HOURS.search(text) is None:
        return False
    if _OPENING_HOURS.search(text) is not None and _OF_SUPPORT.search(text) is not None:
        return True
    return _SUPPORT_HOURS.search(text) is not None


GUEST_SLOTS = (
    Slot(
        "guest_name",
        ("guest_name",),
        "handoff.guest.ask_name",
        carry=False,
        free_text=True,
        check=_name_check,
    ),
    Slot(
        "guest_email",
        ("email",),
        "handoff.guest.ask_email",
        carry=False,
        free_text=True,
        check=_email_check,
    ),
    Slot(
        "guest_customer_number",
        ("customer_number",),
        "handoff.guest.ask_customer_number",
        carry=False,
        free_text=True,
        default="",
        check=_customer_number_check,
    ),
)


_NO_PERSON = re.compile(
    r"(?i)(?<![\w'])(?:(?:i|we)\s+)?(?:do\s*n[o']?t|don'?t|do\s+not|no\s+need\s+to)\s+"
    r"(?:(?:really\s+)?(?:want|need|wanna)\s+(?:to\s+)?)?(?:talk|speak|chat)\s+(?:to|with)\s+"
    r"(?:anyone|anybody|someone|somebody|a\s+(?:person|human|real\s+person|agent)|an\s+agent|people)\b"
    r"|(?<![\w'])no\s+need\s+for\s+(?:a\s+)?(?:person|human|agent)\b"
    r"|(?<![\w'])(?:jag|vi)\s+(?:vill|behöver)\s+inte\s+(?:prata|tala|snacka|chatta)\s+med\s+"
    r"(?:någon|nån|en\s+(?:person|människa|handläggare|agent))\b"
)
"""Words that refuse a person ("I don't want to talk to anyone", "jag vill inte prata med någon"): what
else the message asks is read without them (``IntentSpec.refused_by``)."""

INTENTS = [
    IntentSpec(
        name="handoff.agent",
        hears_faults=True,
        examples=AGENT_EXAMPLES,
        handler=handoff_agent,
        asked_by=_asked_for_a_person,
        refused_by=_NO_PERSON,
        takes_over=True,
        guest_ok=True,
        guest_slots=GUEST_SLOTS,
        form=True,
    ),
]
