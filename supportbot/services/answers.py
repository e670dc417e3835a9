"""An agent's answer or resolution reaches the customer: a notice in every channel they use and a mail.

The agent console calls ``notify_answer`` and ``notify_closed``; the requests intent shares the link to
a request (``request_link``). The tracking link is ``{public_url}/?ask=status+of+RQ-…``: the web chat
opens on it and the question can be sent as is; in any other channel the number alone is enough.
"""

from __future__ import annotations

import logging
from typing import Protocol
from urllib.parse import quote_plus

from supportbot.bot.i18n import Entry, words
from supportbot.bot.messages import Button, Reply
from supportbot.bot.spec import Mailer, Notices
from supportbot.integrations.errors import MailUnavailable
from supportbot.integrations.models import Principal, RequestStatus, SupportRequest
from supportbot.integrations.protocols import Backends
from supportbot.services.customers import language_of, local_formatter

log = logging.getLogger(__name__)

# --- words: what customers are told of an agent's answer ------------------------------------------------

WORDS: dict[str, Entry] = {
    "request.answer.notice": {
        "en": "{agent} has answered your request {number} ({subject}):\n\n{text}\n\nDetails: {link}",
        "sv": "{agent} har svarat på ditt ärende {number} ({subject}):\n\n{text}\n\nDetaljer: {link}",
    },
    "request.closed.notice": {
        "en": "{agent} has closed your request {number} ({subject}):\n\n{text}\n\nDetails: {link}",
        "sv": "{agent} har stängt ditt ärende {number} ({subject}):\n\n{text}\n\nDetaljer: {link}",
    },
    "request.mail.closed.subject": {
        "en": "Your request {number} is closed: {subject}",
        "sv": "Ditt ärende {number} är stängt: {subject}",
    },
    "request.mail.closed.body": {
        "en": "Hello {name},\n\n{agent} has closed your request {number} ({subject}):\n\n{text}\n\n"
        "See the request and its history: {link}\n\nIf something is still wrong, open a new request "
        "or ask to talk to a person.\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\n{agent} har stängt ditt ärende {number} ({subject}):\n\n{text}\n\n"
        "Se ärendet och dess historik: {link}\n\nOm något fortfarande inte stämmer kan du öppna ett nytt "
        "ärende eller be att få prata med en person.\n\nVänliga hälsningar\nKundsupport",
    },
    "request.mail.answer.subject": {
        "en": "Answer to your request {number}: {subject}",
        "sv": "Svar på ditt ärende {number}: {subject}",
    },
    "request.mail.answer.body": {
        "en": "Hello {name},\n\n{agent} has answered your request {number} ({subject}):\n\n{text}\n\n"
        "See the request and its history, or reply: {link}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\n{agent} har svarat på ditt ärende {number} ({subject}):\n\n{text}\n\n"
        "Se ärendet och dess historik, eller svara: {link}\n\nVänliga hälsningar\nKundsupport",
    },
}
words(WORDS)


def request_link(public_url: str, number: str) -> str:
    """A link the web chat opens with the question about this request."""
    return f"{public_url.rstrip('/')}/?ask={quote_plus(f'status of {number}')}"


class AnswerServices(Protocol):
    """What telling a customer about an answer needs: the ``Application`` has all of it."""

    backends: Backends
    mailer: Mailer

    @property
    def notifier(self) -> Notices: ...


async def notify_answer(
    services: AnswerServices,
    *,
    agent: Principal,
    request_number: str,
    text: str,
    public_url: str,
) -> SupportRequest | None:
    """Records an agent's answer and tells the customer in every channel they use and by e-mail.

    Called by the agent console. ``None`` when there is no such request. A mail that cannot be sent
    is logged; the answer is recorded and shown in chat all the same.
    """
    request = await services.backends.requests.answer_request(agent, request_number, text)
    if request is None:
        return None
    await _tell_customer(services, request, agent=agent, kind="answer", text=text, public_url=public_url)
    return request


async def notify_closed(
    services: AnswerServices,
    *,
    agent: Principal,
    request_number: str,
    resolution: str,
    public_url: str,
) -> SupportRequest | None:
    """Closes a request with the agent's resolution and tells the customer as an answer is told.

    ``None`` when there is no such request; closing a closed request tells nobody again."""
    before = await services.backends.requests.request_for_agent(agent, request_number)
    if before is None:
        return None
    request = await services.backends.requests.close_request(agent, request_number, resolution)
    if request is not None and before.status is not RequestStatus.CLOSED:
        await _tell_customer(
            services, request, agent=agent, kind="closed", text=resolution, public_url=public_url
        )
    return request


async def _tell_customer(
    services: AnswerServices,
    request: SupportRequest,
    *,
    agent: Principal,
    kind: str,
    text: str,
    public_url: str,
) -> None:
    """A notice in every channel the customer uses and a mail, in their language (``kind``: the
    catalogue's ``request.{kind}.notice`` and ``request.mail.{kind}.*``). A mail that cannot be sent is
    logged; the notice is given all the same. A web chat guest's request names no user (``requester``
    is empty): nobody is told, and the agent answers the address the guest gave, which nobody
    verified, by their own mail."""
    if not request.requester:
        return
    customer = await services.backends.directory.principal_for(request.requester)
    language = language_of(customer)
    country = customer.country if customer is not None else None
    fmt = local_formatter(language, country)
    params = {
        "number": request.number,
        "subject": request.subject,
        "text": text.strip(),
        "agent": agent.name or fmt.t("request.agent"),
        "link": request_link(public_url, request.number),
    }
    reply = Reply(
        text=fmt.t(f"request.{kind}.notice", **params),
        buttons=(
            Button(
                label=fmt.t("request.button.history"),
                value=fmt.t("request.button.show.value", number=request.number),
            ),
        ),
        language=language,
        intent="request.status",
    )
    await services.notifier.notify(request.requester, reply)
    email = customer.email if customer is not None else None
    if email:
        try:
            await services.mailer.send(
                to=email,
                subject=fmt.t(f"request.mail.{kind}.subject", **params),
                text=fmt.t(f"request.mail.{kind}.body", name=customer.name if customer else "", **params),
                language=language,
            )
        except MailUnavailable:
            log.warning("could not mail the %s of request %s", kind, request.number, exc_info=True)
