"""Listeners for what became of queued mail (``QueuedMailer.on_outcome``): a mail that records
something in a back end says so in its reference, and its listener brings the record up to date."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from supportbot.bot.i18n import Entry, Formatter, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import Notices
from supportbot.integrations.outbox import DeliveryOutcome
from supportbot.integrations.protocols import DirectoryBackend, InvoicesBackend
from supportbot.services.customers import language_of

FORWARD_REFERENCE = "invoice.forward:"
"""Prefix of the mail reference of a forward; the rest is its record's reference in the back end."""

# --- words: what a forward's outcome tells its sender ---------------------------------------------------

WORDS: dict[str, Entry] = {
    "invoice.forward.gave_up": {
        "en": "I'm sorry: invoice {number} could not be delivered to {email}. I kept trying, but the mail "
        "never got through, so I've stopped and marked the forward as failed in the invoice's history. "
        "Please check the address and try again, or ask to talk to a person.",
        "sv": "Tyvärr kunde faktura {number} inte levereras till {email}. Jag försökte flera gånger men "
        "mejlet gick aldrig fram, så jag har slutat och markerat vidarebefordran som misslyckad i fakturans "
        "historik. Kontrollera adressen och försök igen, eller be att få prata med en person.",
    },
    "invoice.button.forward_again": {"en": "Try again", "sv": "Försök igen"},
    "invoice.button.forward_again.value": {
        "en": "forward invoice {number} to {email}",
        "sv": "skicka faktura {number} till {email}",
    },
}
words(WORDS)


def forward_outcomes(
    invoices: InvoicesBackend, *, directory: DirectoryBackend | None = None, notices: Notices | None = None
) -> Callable[[DeliveryOutcome], Awaitable[None]]:
    """The mail outbox's listener that marks a forward sent (or failed) in the invoice's history once
    its mail was accepted by the mail server (or given up on), on whichever worker delivered it.

    A forward given up on is told to the person who asked for it (they were told it would go out), in
    their language, with a button to try again."""

    async def heard(outcome: DeliveryOutcome) -> None:
        if not outcome.reference.startswith(FORWARD_REFERENCE):
            return
        reference = outcome.reference.removeprefix(FORWARD_REFERENCE)
        ended = await invoices.forward_delivered(reference, sent=outcome.sent, at=outcome.at)
        if ended is None or ended.sent or notices is None or directory is None or not ended.actor:
            return
        language = language_of(await directory.principal_for(ended.actor))
        fmt = Formatter(language)
        params = {"number": ended.invoice_number, "email": ended.to}
        await notices.notify(
            ended.actor,
            Reply(
                text=fmt.t("invoice.forward.gave_up", **params),
                buttons=(
                    Button(
                        label=fmt.t("invoice.button.forward_again"),
                        value=fmt.t("invoice.button.forward_again.value", **params),
                    ),
                ),
                language=language,
                intent="invoice.forward",
            ),
        )

    return heard
