"""The handoff family: "talk to a person" queues the conversation for an agent (``bot.handoff``), or,
with no agent online or outside office hours, becomes a request answered within one business day."""

from __future__ import annotations

import logging

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Reply
from supportbot.bot.spec import IntentSpec, TurnContext
from supportbot.integrations.models import NewRequest, Principal, Tool

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
    ],
}


# --- words: what this family says, in English and Swedish -----------------------------------------

WORDS: dict[str, Entry] = {
    "handoff.not_connected": {
        "en": "Our support team isn't connected to this chat yet. You can reach them by e-mail at "
        "{email}; mention your customer number and I'm sure they'll help.",
        "sv": "Vår supportavdelning är inte kopplad till den här chatten ännu. Du når dem på "
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
    "handoff.outside_hours.guest": {
        "en": "No one from our support team is available in the chat for you right now. Please write to "
        "{email} with your customer number and you'll get an answer within one business day — or "
        "sign in and ask again, and I'll open a request for you.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten för dig just nu. Skriv till "
        "{email} med ert kundnummer så får du svar inom en arbetsdag — eller logga in och fråga "
        "igen, så öppnar jag ett ärende åt dig.",
    },
}
words(WORDS)


async def handoff_not_connected(ctx: TurnContext) -> Reply:
    """Until agents are connected, say how to reach them rather than pretend."""
    return Reply(
        text=ctx.t("handoff.not_connected", email=ctx.support_email),
        language=ctx.language,
        intent="handoff.agent",
    )


async def handoff_agent(ctx: TurnContext) -> Reply:
    """Queue for an agent when one is online in office hours; else a request, or the e-mail for a guest."""
    handoffs = ctx.handoffs
    if handoffs is None or ctx.conversation is None:
        return await handoff_not_connected(ctx)
    guest_answer = Reply(
        text=ctx.t("handoff.outside_hours.guest", email=ctx.support_email),
        language=ctx.language,
        intent="handoff.agent",
    )
    if ctx.principal.is_guest:
        return guest_answer
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
        return guest_answer
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


def _requester(principal: Principal) -> Principal:
    """Asking for a person is open to every customer, so the request it becomes is opened on their
    behalf even without the requests tool; nothing else of the principal changes."""
    return principal.model_copy(update={"grants": principal.grants | {Tool.REQUESTS}})


INTENTS = [
    IntentSpec(name="handoff.agent", examples=AGENT_EXAMPLES, handler=handoff_agent, guest_ok=True),
]
