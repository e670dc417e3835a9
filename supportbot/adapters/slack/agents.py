"""The Slack agents' channel (``SLACK_AGENT_CHANNEL``): each handoff is a thread that agents take over.

Every queued handoff (``bot.handoff`` publishes it on the bus) is posted into the channel with the
customer's context, the last lines of the conversation and a *Take over* button. A linked support
agent who presses it owns the conversation (the handoff service picks one winner); that agent's
replies in the thread go to the customer, the customer's lines come into the thread, and *Hand back*
and *Close* (buttons, or the words ``hand back`` and ``close: <resolution>``) give it back to the bot.
Nothing said in the channel is ever a customer's message to the bot, and lines by anyone but the
owning agent stay in the thread.

Each handoff's thread is a row of the store's ``threads``: claimed before it is posted, so one
worker posts it, and kept, so a restart still knows the thread. Lines are relayed from the stored
transcript past the row's ``seq``, which a worker claims before posting them: none is relayed twice,
and a line whose bus message this worker missed goes with the next one.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_sdk.errors import SlackApiError, SlackClientError

from supportbot.adapters.agents.customer import customer_context, guest_context
from supportbot.adapters.slack.inbound import CHANNEL, plain_text
from supportbot.adapters.slack.people import verified_email
from supportbot.bot.bus import Unsubscribe
from supportbot.bot.errors import ConfigurationError
from supportbot.bot.handoff import (
    ACTIVE,
    AGENTS_TOPIC,
    CLOSED,
    PRESENCE_HEARTBEAT,
    QUEUED,
    Handoff,
    handoff_topic,
)
from supportbot.bot.i18n import Entry, Formatter, translate, words
from supportbot.bot.limits import Rule
from supportbot.bot.locks import KeyedLocks
from supportbot.bot.messages import Capability, Reply
from supportbot.bot.store import AlreadyDone, HandoffThread, TurnRecord
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from supportbot.adapters.app import Application

log = logging.getLogger(__name__)

TAKE_ACTION = "supportbot_agent_take"
BACK_ACTION = "supportbot_agent_back"
CLOSE_ACTION = "supportbot_agent_close"
"""``action_id`` of the thread's buttons; their ``value`` is the handoff's number."""
_ACTIONS = {TAKE_ACTION: "take", BACK_ACTION: "back", CLOSE_ACTION: "close"}

TRANSCRIPT_LINES = 12
"""Lines of the conversation shown when the thread is posted."""
RELAY_LINES = 50
"""Transcript lines read per relay; more new lines than this at once keep only the latest."""
LINE_CHARS = 1500
MAX_REPLY_CHARS = 4000
"""As in the agent console: a longer reply is refused, not cut."""
HANDED_BACK = "handed back to the bot"
"""The resolution ``Handoffs.hand_back`` records when no resolution was given."""
CANCELLED = "cancelled by the customer"
_SEEN_EVENTS = 512
_REDELIVERY_WINDOW = 3600.0
"""Seconds within which a redelivered event is recognised by every worker (Slack retries within minutes)."""
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")
_NUMBER = re.compile(r"HO-\d{1,20}")
_MENTION = re.compile(r"\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_LABELLED_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)\|([^<>]+)>")

CHANNEL_NAMES = {"web": "web chat", "slack": "Slack", "teams": "Microsoft Teams", "console": "console"}

WORDS: dict[str, Entry] = {
    "title": {"en": "{number} · {customer} asks for a person"},
    "guest": {"en": "a guest (not signed in)"},
    "guest.title": {"en": "{number} · {customer} (guest, not verified) asks for a person"},
    "guest.person": {
        "en": "*Guest, not signed in*\n{name} (name not verified)\n{email} (e-mail not verified)"
    },
    "guest.customer_number": {"en": "*Customer number*\n{value} (stated by the visitor, not verified)"},
    "customer": {"en": "*Customer*\n{value}"},
    "company": {"en": "*Company*\n{value}"},
    "channel": {"en": "*Channel*\n{value}"},
    "status": {"en": "*Status*\n{value}"},
    "grants": {"en": "*Access*\n{value}"},
    "orders": {"en": "*Recent orders*\n{value}"},
    "requests": {"en": "*Recent requests*\n{value}"},
    "none": {"en": "none"},
    "queued": {"en": "Waiting for an agent (number {position} in the queue)"},
    "active": {"en": "Taken over by {agent}"},
    "handed_back": {"en": "Handed back to the bot by {agent}"},
    "closed": {"en": "Closed by {agent}: {resolution}"},
    "withdrawn": {"en": "Withdrawn by the customer"},
    "hint.queued": {
        "en": "Press *Take over* to answer the customer in this thread (or take it in the agent console)."
    },
    "hint.active": {
        "en": "Replies by {agent} in this thread reach the customer. Write `hand back` or "
        "`close: <resolution>`, or use the buttons."
    },
    "take": {"en": "Take over"},
    "back": {"en": "Hand back"},
    "close": {"en": "Close"},
    "transcript": {"en": "*The conversation so far*"},
    "role.user": {"en": "Customer"},
    "role.bot": {"en": "Bot"},
    "role.agent": {"en": "Agent ({agent})"},
    "files": {"plural": "count", "en": {"one": "(file: {names})", "other": "(files: {names})"}},
    "not_an_agent": {
        "en": "Only support agents can take over a customer's conversation, and your Slack account "
        "isn't linked to one."
    },
    "taken_already": {"en": "{agent} has already taken this conversation over."},
    "not_open": {"en": "This conversation is no longer waiting for an agent."},
    "not_owner": {"en": "Only {agent}, who has this conversation, can hand it back or close it."},
    "not_sent": {
        "en": "Our systems can't be reached right now, so that line was not sent to the customer. "
        "Please send it again in a minute."
    },
    "not_done.back": {
        "en": "Our systems can't be reached right now, so the conversation was not handed back: the "
        "customer still has you. Please try again in a minute."
    },
    "not_done.close": {
        "en": "Our systems can't be reached right now, so the conversation was not closed: the "
        "customer still has you. Please try again in a minute."
    },
    "too_long": {
        "plural": "limit",
        "en": {
            "one": "That reply is longer than {limit} character and was not sent to the customer.",
            "other": "That reply is longer than {limit} characters and was not sent to the customer.",
        },
    },
}
"""What the agents' channel says to agents (in English: the channel is shared)."""
words(WORDS, prefix="agents.", languages=("en",))


def escape(text: str) -> str:
    """Customer text as mrkdwn shows it, with no mention, link or broadcast of its own."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- what comes in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Press:
    """A press of one of the thread's buttons."""

    action: str  # "take" | "back" | "close"
    number: str
    team_id: str
    user: str
    channel: str

    @property
    def external_id(self) -> str:
        return f"{self.team_id}:{self.user}"


def agent_press(body: dict[str, Any]) -> Press | None:
    """A ``block_actions`` payload of a thread button; ``None`` for anything else or a garbled one."""
    actions = body.get("actions")
    action = _obj(actions[0]) if isinstance(actions, list) and actions else {}
    kind = _ACTIONS.get(str(action.get("action_id")))
    number = action.get("value")
    user = _obj(body.get("user"))
    team_id = _obj(body.get("team")).get("id") or user.get("team_id")
    channel_id = _obj(body.get("channel")).get("id") or _obj(body.get("container")).get("channel_id")
    if kind is None or not isinstance(number, str) or not _NUMBER.fullmatch(number):
        return None
    values = (user.get("id"), team_id, channel_id)
    if not all(isinstance(v, str) and v for v in values):
        return None
    return Press(kind, number, str(team_id), str(user["id"]), str(channel_id))


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ThreadLine:
    """Someone wrote in a thread of the agents' channel."""

    team_id: str
    user: str
    thread_ts: str
    text: str
    event_id: str
    aside: bool = False
    """It begins by naming a colleague (``@Olle …``): said to them, not to the customer."""

    @property
    def external_id(self) -> str:
        return f"{self.team_id}:{self.user}"


def thread_line(body: dict[str, Any], place: str, *, bot_user_id: str | None = None) -> ThreadLine | None:
    """A person's reply in a thread of the agents' channel ``place``; ``None`` for anything else
    (top-level messages, edits, joins, bots, other channels). The bot's mention is dropped, and a
    labelled link keeps its address for the customer."""
    event = body.get("event")
    if not isinstance(event, dict) or event.get("channel") != place:
        return None
    if (
        event.get("subtype") not in (None, "thread_broadcast")
        or event.get("bot_id")
        or event.get("bot_profile")
    ):
        return None
    thread_ts, ts, user, text = (event.get(k) for k in ("thread_ts", "ts", "user", "text"))
    team = event.get("team") or body.get("team_id")
    event_id = body.get("event_id")
    values = (thread_ts, user, team, event_id)
    if not all(isinstance(v, str) and v for v in values) or not isinstance(text, str) or thread_ts == ts:
        return None
    first = _MENTION.match(text)
    aside = first is not None and first.group(1) != bot_user_id
    text = _LABELLED_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return ThreadLine(
        str(team),
        str(user),
        str(thread_ts),
        plain_text(text, bot_user_id=bot_user_id),
        str(event_id),
        aside=aside,
    )


def command(text: str) -> tuple[str, str] | None:
    """``hand back`` → ``("back", "")``, ``close: <resolution>`` → ``("close", resolution)``, else ``None``."""
    words = text.strip().rstrip(".!").strip()
    lowered = words.lower()
    if lowered in {"hand back", "handback", "lämna tillbaka"}:
        return "back", ""
    for word in ("close", "avsluta"):
        if lowered == word:
            return "close", ""
        # Only "close: <resolution>": "Close the lid and restart" is a line for the customer.
        if lowered.startswith(word) and words[len(word) :].lstrip(" ").startswith(":"):
            return "close", words[len(word) :].lstrip(" ")[1:].strip()
    return None


# --- what goes out ---------------------------------------------------------------------------------


def status_text(handoff: Handoff, agent_name: str | None) -> str:
    agent = agent_name or handoff.agent or "an agent"
    if handoff.status == QUEUED:
        return translate("agents.queued", "en", position=handoff.position or 1)
    if handoff.status == ACTIVE:
        return translate("agents.active", "en", agent=agent)
    if handoff.agent is None or handoff.resolution == CANCELLED:
        return translate("agents.withdrawn", "en")
    if handoff.resolution in (None, HANDED_BACK):
        return translate("agents.handed_back", "en", agent=agent)
    return translate("agents.closed", "en", agent=agent, resolution=handoff.resolution)


def thread_message(
    handoff: Handoff, customer: dict[str, Any], *, agent_name: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The thread's first message: who asks, their context, the state and the buttons for it."""
    name = (
        customer.get("name")
        or (customer.get("user_id") if handoff.user_id else None)
        or translate("agents.guest", "en")
    )
    title = translate("agents.title", "en", number=handoff.number, customer=name)
    status = status_text(handoff, agent_name)
    person = escape(str(name)) + (f"\n{escape(str(customer['email']))}" if customer.get("email") else "")
    company = escape(str(customer.get("company") or translate("agents.none", "en")))
    if customer.get("customer_numbers"):
        company += f" ({escape(', '.join(str(n) for n in customer['customer_numbers']))})"
    orders = [
        f"{escape(str(o.get('number')))} · {_words(o.get('status'))}" for o in customer.get("orders") or []
    ]
    requests = [
        f"{escape(str(r.get('number')))} · {escape(str(r.get('subject')))} ({_words(r.get('status'))})"
        for r in customer.get("requests") or []
    ]
    if customer.get("guest"):
        # A web chat guest: only what they typed, marked as not verified; no company's records.
        title = translate("agents.guest.title", "en", number=handoff.number, customer=name)
        fields = [
            translate(
                "agents.guest.person",
                "en",
                name=escape(str(name)),
                email=escape(str(customer.get("email") or "")),
            ),
            translate(
                "agents.guest.customer_number",
                "en",
                value=escape(str(customer.get("stated_customer_number") or translate("agents.none", "en"))),
            ),
            translate("agents.channel", "en", value=CHANNEL_NAMES.get(handoff.channel, handoff.channel)),
            translate("agents.status", "en", value=escape(status)),
        ]
    else:
        fields = [
            translate("agents.customer", "en", value=person),
            translate("agents.company", "en", value=company),
            translate("agents.channel", "en", value=CHANNEL_NAMES.get(handoff.channel, handoff.channel)),
            translate("agents.status", "en", value=escape(status)),
        ]
    if handoff.user_id:
        fields.append(
            translate(
                "agents.grants",
                "en",
                value=escape(", ".join(customer.get("grants") or [])) or translate("agents.none", "en"),
            )
        )
        fields.append(
            translate("agents.orders", "en", value="\n".join(orders) or translate("agents.none", "en"))
        )
        fields.append(
            translate("agents.requests", "en", value="\n".join(requests) or translate("agents.none", "en"))
        )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": False}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f[:2000]} for f in fields]},
    ]
    buttons: list[dict[str, Any]] = []
    if handoff.status == QUEUED:
        buttons = [_button(TAKE_ACTION, translate("agents.take", "en"), handoff.number, style="primary")]
        hint = translate("agents.hint.queued", "en")
    elif handoff.status == ACTIVE:
        buttons = [
            _button(BACK_ACTION, translate("agents.back", "en"), handoff.number),
            _button(CLOSE_ACTION, translate("agents.close", "en"), handoff.number, style="danger"),
        ]
        hint = translate("agents.hint.active", "en", agent=escape(agent_name or handoff.agent or ""))
    else:
        hint = ""
    if buttons:
        blocks.append({"type": "actions", "block_id": f"handoff_{handoff.number}", "elements": buttons})
    if hint:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
    return escape(f"{title}: {status}"), blocks


def _words(status: object) -> str:
    """``in_production`` as ``in production``."""
    return escape(str(status).replace("_", " "))


def _button(action_id: str, label: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def transcript_text(turns: list[TurnRecord], *, heading: bool) -> str:
    """Transcript lines as mrkdwn, one a line, each said by whom (``heading``: under a title)."""
    lines = [translate("agents.transcript", "en")] if heading else []
    for turn in turns:
        if turn.role not in {"user", "bot", "agent"}:
            continue
        payload = turn.payload if isinstance(turn.payload, dict) else {}
        who = translate(f"agents.role.{turn.role}", "en", agent=str(payload.get("agent") or ""))
        text = turn.text if len(turn.text) <= LINE_CHARS else turn.text[:LINE_CHARS] + "…"
        files = [str(f.get("name")) for f in payload.get("files") or [] if isinstance(f, dict)]
        if turn.role == "user" and files:
            text = (
                f"{text} {translate('agents.files', 'en', names=', '.join(files), count=len(files))}".strip()
            )
        lines.append(f"*{who}:* {escape(text)}")
    return "\n".join(lines)


# --- the channel -------------------------------------------------------------------------------------


def register_agent_channel(
    bolt: AsyncApp, app: Application, client: AsyncWebClient
) -> SlackAgentChannel | None:
    """The agents' channel's listeners, when ``SLACK_AGENT_CHANNEL`` is set; register them before the
    general ones (bolt dispatches a request to the first listener that matches it). ``client`` is the
    customers' channel's, so both speak as the one bot."""
    place = (app.settings.slack_agent_channel or "").strip()
    if not place:
        return None
    if not _CHANNEL_ID.fullmatch(place):
        raise ConfigurationError(
            f"SLACK_AGENT_CHANNEL must be a Slack channel id like C0123ABCD (its name is not enough): {place!r}"
        )
    agents = SlackAgentChannel(app, client, place)
    agents.register(bolt)
    return agents


class SlackAgentChannel:
    """The agents' channel as a channel: agents serve handoffs in its threads; customers' notices go
    through the customers' Slack channel, never here."""

    name = "slack-agents"
    capabilities: frozenset[Capability] = frozenset()
    """Agents type lines in a thread; a customer's files reach them as links."""

    def __init__(self, app: Application, client: AsyncWebClient, place: str) -> None:
        self.app = app
        self.client = client
        self.place = place
        self._order = KeyedLocks()
        """One handoff's posts, updates and relays (and one thread's lines) run one after the other."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._watching: dict[str, Unsubscribe] = {}
        self._unsubscribe: Unsubscribe | None = None
        self._presence: str | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()

    # --- bolt ----------------------------------------------------------------------------------------

    def register(self, bolt: AsyncApp) -> None:
        async def in_agents_channel(body: dict[str, Any]) -> bool:
            event = body.get("event")
            return isinstance(event, dict) and event.get("channel") == self.place

        @bolt.event("message", matchers=[in_agents_channel])
        async def on_agents_message(body: dict[str, Any], context: Any) -> None:
            line = thread_line(body, self.place, bot_user_id=context.bot_user_id)
            if line is not None and await self._first_delivery(line.event_id):
                self._later(f"thread {line.thread_ts}", partial(self._thread_reply, line))  # in order

        @bolt.event("app_mention", matchers=[in_agents_channel])
        async def on_agents_mention() -> None:
            return None  # the message event of the same line is the one handled

        @bolt.action(re.compile("^(" + "|".join(_ACTIONS) + ")$"))
        async def on_press(ack: Callable[[], Awaitable[Any]], body: dict[str, Any]) -> None:
            await ack()
            press = agent_press(body)
            if press is None or press.channel != self.place:
                log.warning("slack agents: ignored a garbled press, or one outside the agents' channel")
                return
            self._later(press.number, lambda: self._pressed(press))

    async def _first_delivery(self, event_id: str) -> bool:
        """Slack redelivers an event it thinks was lost, maybe to another worker; a line must reach the
        customer once. The first delivery is counted where every worker sees it (``Limits``)."""
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        while len(self._seen) > _SEEN_EVENTS:
            self._seen.popitem(last=False)
        try:
            return await self.app.limits.hit(Rule(f"slack-agents:event:{event_id}", 1, _REDELIVERY_WINDOW))
        except Exception:  # in doubt, relay it: this worker has not seen it
            log.warning("slack agents: could not check a delivery with the other workers", exc_info=True)
            return True

    # --- life ----------------------------------------------------------------------------------------

    def mount(self, web_app: web.Application) -> None:
        """No routes of its own (its events come through the Slack channel's): it starts with the
        server and stops with it."""

        async def start(_: web.Application) -> None:
            await self.start()

        async def stop(_: web.Application) -> None:
            await self.stop()

        web_app.on_startup.append(start)
        web_app.on_cleanup.append(stop)

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Notices are for customers, in the customers' channel: nothing is delivered here."""
        return False

    async def start(self) -> None:
        """Listen to the queue, count as an agent online, and catch up with handoffs queued meanwhile."""
        handoffs = self.app.handoffs
        self._unsubscribe = await handoffs.bus.subscribe(AGENTS_TOPIC, self._queue_changed)
        self._presence = await handoffs.agent_online(f"{CHANNEL}:{self.place}")
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat(), name="slack agents presence")
        self._spawn(self._guarded(self._catch_up()), what="catch up")

    async def stop(self, timeout: float = 10.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for unsubscribe in self._watching.values():
            unsubscribe()
        self._watching.clear()
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        await self.drain(timeout)
        if self._presence is not None:
            try:
                await self.app.handoffs.agent_offline(self._presence)
            except Exception:
                log.warning("slack agents: could not drop the presence", exc_info=True)
            self._presence = None

    async def drain(self, timeout: float = 10.0) -> None:
        """Let the work in flight finish, and the work it started (within ``timeout``; the rest is
        cancelled)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._tasks:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                for task in self._tasks:
                    task.cancel()
                return
            await asyncio.wait(set(self._tasks), timeout=left)

    async def _beat(self) -> None:
        assert self._presence is not None
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT)
            try:
                await self.app.handoffs.still_online(self._presence)
            except Exception:
                log.warning("slack agents: could not refresh the presence", exc_info=True)

    async def _catch_up(self) -> None:
        for handoff in await self.app.handoffs.queue():
            await self._watch(handoff.number)
            number = handoff.number
            if await self._row(number) is None:
                self._later(number, partial(self._post, number))
            else:
                self._later(number, partial(self._refresh_and_relay, number))

    async def _refresh_and_relay(self, number: str) -> None:
        """After a restart: the state may have changed and lines come while this worker was away."""
        await self._refresh(number)
        await self._relay(number)

    def _spawn(self, work: Coroutine[Any, Any, None], *, what: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=f"slack agents {what}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Awaitable[None]) -> None:
        try:
            await work
        except Exception:
            log.exception("slack agents: a piece of work failed")

    async def _in_order(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        """``work`` after the work on ``key`` (a handoff's number, a thread) noted before it: a thread is
        posted before lines are relayed into it, and an agent's lines reach the customer in order."""
        async with self._order.hold(key):
            await work()

    def _later(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        self._spawn(self._guarded(self._in_order(key, work)), what=key)

    # --- the bus -------------------------------------------------------------------------------------

    async def _queue_changed(self, message: dict[str, Any]) -> None:
        """Called by the bus inside the publisher's turn: only note the work, never wait for Slack."""
        kind = message.get("type")
        if kind == "queued":
            number = str((message.get("handoff") or {}).get("number") or "")
            if number:
                await self._watch(number)
                self._later(number, lambda: self._post(number))
        elif kind == "taken" and isinstance(message.get("number"), str):
            number = message["number"]
            self._later(number, lambda: self._refresh(number))
        elif kind == "closed" and isinstance(message.get("number"), str):
            number = message["number"]
            self._later(number, lambda: self._closed(number))

    async def _watch(self, number: str) -> None:
        if number in self._watching:
            return

        async def line(message: dict[str, Any]) -> None:
            if message.get("type") == "message":
                self._later(number, lambda: self._relay(number))

        self._watching[number] = await self.app.handoffs.bus.subscribe(handoff_topic(number), line)

    def _unwatch(self, number: str) -> None:
        unsubscribe = self._watching.pop(number, None)
        if unsubscribe is not None:
            unsubscribe()

    # --- the thread ----------------------------------------------------------------------------------

    async def _post(self, number: str) -> None:
        """The handoff's thread, posted by the one worker that claims its row."""
        handoffs = self.app.handoffs
        handoff = await handoffs.get(number)
        if handoff is None or not handoff.open or not await self._claim(number):
            return
        try:
            async with handoffs.locks.hold(handoff.conversation_key):
                pass  # the customer's turn that queued it is stored first
            turns = await self.app.store.history(handoff.conversation_key, limit=TRANSCRIPT_LINES)
            text, blocks = thread_message(handoff, await self._customer(handoff))
            response = await self.client.chat_postMessage(
                channel=self.place, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
            ts = response.get("ts")
            if not isinstance(ts, str) or not ts:
                raise SlackClientError("chat.postMessage returned no ts")
        except SlackApiError as exc:
            await self._unclaim(number)  # the next start tries again
            error = exc.response.get("error")
            hint = " (invite the app to it)" if error in {"not_in_channel", "channel_not_found"} else ""
            log.error("slack agents: could not post %s into %s%s: %s", number, self.place, hint, error)
            return
        except BaseException:
            await self._unclaim(number)
            raise
        await self.app.store.threads.posted(number, CHANNEL, thread=ts, seq=turns[-1].seq if turns else 0)
        if turns:
            await self._in_thread(ts, transcript_text(turns, heading=True))
        if (await handoffs.get(number) or handoff).status != QUEUED:
            await self._refresh(number)  # taken or closed while it was being posted
        await self._relay(number)

    async def _refresh(self, number: str) -> None:
        """The thread's first message shows the handoff as it is now."""
        row = await self._row(number)
        handoff = await self.app.handoffs.get(number)
        if row is None or row.thread is None or handoff is None:
            return
        text, blocks = thread_message(
            handoff, await self._customer(handoff), agent_name=await self._name(handoff.agent)
        )
        try:
            await self.client.chat_update(channel=row.place, ts=row.thread, text=text, blocks=blocks)
        except (SlackApiError, SlackClientError, OSError, TimeoutError):
            log.warning("slack agents: could not update the thread of %s", number, exc_info=True)

    async def _closed(self, number: str) -> None:
        await self._relay(number)
        await self._refresh(number)
        row = await self._row(number)
        handoff = await self.app.handoffs.get(number)
        if row is not None and row.thread is not None and handoff is not None and handoff.status == CLOSED:
            await self._in_thread(row.thread, escape(status_text(handoff, await self._name(handoff.agent))))
        self._unwatch(number)

    async def _relay(self, number: str) -> None:
        """The conversation's new lines into the thread: the customer's, and an agent's written elsewhere
        (in the console) when the handoff was not taken here."""
        row = await self._row(number)
        handoff = await self.app.handoffs.get(number)
        if row is None or row.thread is None or handoff is None:
            return
        turns = await self.app.store.history(handoff.conversation_key, limit=RELAY_LINES)
        new = [turn for turn in turns if turn.seq > row.seq]
        if not new or not await self.app.store.threads.claim_lines(
            number, CHANNEL, after=row.seq, up_to=new[-1].seq
        ):
            return
        lines = [t for t in new if t.role == "user" or (t.role == "agent" and row.owner is None)]
        if lines:
            await self._in_thread(row.thread, transcript_text(lines, heading=False))

    async def _in_thread(self, ts: str, text: str) -> None:
        try:
            await self.client.chat_postMessage(
                channel=self.place, thread_ts=ts, text=text, unfurl_links=False, unfurl_media=False
            )
        except (SlackApiError, SlackClientError, OSError, TimeoutError):
            log.warning("slack agents: could not post into thread %s", ts, exc_info=True)

    async def _customer(self, handoff: Handoff) -> dict[str, Any]:
        if handoff.guest is not None:
            return guest_context(handoff.guest)  # what a guest stated, and no company's records
        try:
            return await customer_context(self.app.backends, handoff.user_id)
        except Exception:
            log.warning("slack agents: no context for %s", handoff.number, exc_info=True)
            return {"user_id": handoff.user_id}

    async def _name(self, user_id: str | None) -> str | None:
        if user_id is None:
            return None
        try:
            principal = await self.app.backends.directory.principal_for(user_id)
        except BackendUnavailable:
            return user_id
        return (principal.name if principal is not None else None) or user_id

    # --- agents --------------------------------------------------------------------------------------

    async def _agent(self, team_id: str, slack_user: str) -> Principal | None:
        """The support agent this Slack person is linked to (by the e-mail Slack verified), or ``None``."""
        user_id = await self.app.identity.resolve(
            CHANNEL,
            f"{team_id}:{slack_user}",
            email=lambda: verified_email(self.client, slack_user),
            matched_by="email",
        )
        if user_id is None:
            return None
        principal = await self.app.backends.directory.principal_for(user_id)
        if principal is None or not principal.is_agent or principal.user_id is None:
            return None
        return principal

    async def _pressed(self, press: Press) -> None:
        handoffs = self.app.handoffs
        agent = await self._agent(press.team_id, press.user)
        if agent is None or agent.user_id is None:
            log.info("slack agents: %s is not a linked agent and was refused", press.external_id)
            await self._tell(press.user, translate("agents.not_an_agent", "en"))
            return
        name = agent.name or agent.user_id
        if press.action == "take":
            if not await handoffs.take(press.number, agent.user_id):
                await self._refused(press, agent.user_id)
                return
            await self.app.store.threads.owned(press.number, CHANNEL, owner=press.external_id)
            handoff = await handoffs.get(press.number)
            if handoff is not None:
                conv = await self.app.store.load(
                    handoff.conversation_key, channel=handoff.channel, user_id=handoff.user_id
                )
                greeting = Formatter(conv.language).t("handoff.taken")
                await handoffs.reply(press.number, agent.user_id, name, greeting)
            return
        try:
            if press.action == "back":
                done = await handoffs.hand_back(press.number, agent.user_id)
            else:
                done = await handoffs.close(press.number, agent.user_id, "closed")
        except BackendUnavailable as exc:
            log.warning("slack agents: %s of %s did not go through (%s)", press.action, press.number, exc)
            await self._tell(press.user, translate(f"agents.not_done.{press.action}", "en"))
            return
        if not done:
            await self._refused(press, agent.user_id)

    async def _refused(self, press: Press, agent_id: str) -> None:
        """Why a press did nothing, to the one who pressed; the message is refreshed if it was stale."""
        handoff = await self.app.handoffs.get(press.number)
        if handoff is not None and press.action == "take" and handoff.agent == agent_id:
            return  # pressed twice
        if handoff is not None and handoff.status == ACTIVE:
            owner = await self._name(handoff.agent) or ""
            text = translate(
                "agents.taken_already" if press.action == "take" else "agents.not_owner", "en", agent=owner
            )
        else:
            text = translate("agents.not_open", "en")
        await self._tell(press.user, text)
        await self._refresh(press.number)

    async def _tell(self, slack_user: str, text: str, *, thread_ts: str | None = None) -> None:
        try:
            await self.client.chat_postEphemeral(
                channel=self.place, user=slack_user, text=text, thread_ts=thread_ts
            )
        except (SlackApiError, SlackClientError, OSError, TimeoutError):
            log.warning("slack agents: could not tell %s", slack_user, exc_info=True)

    async def _thread_reply(self, line: ThreadLine) -> None:
        """A line in a handoff's thread: the owning agent's goes to the customer (or hands back, or
        closes); anyone else's stays in the thread. A line for the customer, or a hand-back or close,
        that could not go on because the database or the conversation's lock (Redis) is out of reach is
        not lost in silence: its writer is told, visibly only to them, to send it again (a new event,
        so the redelivery check does not stand in its way). A hand-back or close is all or nothing
        (``Handoffs.hand_back``): the customer still has the agent."""
        try:
            row = await self.app.store.threads.in_thread(CHANNEL, place=self.place, thread=line.thread_ts)
            if row is None:
                return  # not a handoff's thread
            await self._in_order(row.number, lambda: self._from_agent(row.number, line))
        except BackendUnavailable as exc:
            log.warning("slack agents: a line in thread %s was not relayed (%s)", line.thread_ts, exc)
            if line.aside or not line.text.strip():
                return
            said = command(line.text)
            text = translate("agents.not_sent" if said is None else f"agents.not_done.{said[0]}", "en")
            await self._tell(line.user, text, thread_ts=line.thread_ts)

    async def _from_agent(self, number: str, line: ThreadLine) -> None:
        handoffs = self.app.handoffs
        handoff = await handoffs.get(number)
        if handoff is None or handoff.status != ACTIVE or line.aside or not line.text.strip():
            return
        agent = await self._agent(line.team_id, line.user)
        if agent is None or agent.user_id != handoff.agent:
            return
        assert agent.user_id is not None
        said = command(line.text)
        if said is not None and said[0] == "back":
            await handoffs.hand_back(number, agent.user_id)
        elif said is not None:
            await handoffs.close(number, agent.user_id, said[1] or "closed")
        elif len(line.text) > MAX_REPLY_CHARS:
            await self._tell(
                line.user, translate("agents.too_long", "en", limit=MAX_REPLY_CHARS), thread_ts=line.thread_ts
            )
        else:
            await handoffs.reply(number, agent.user_id, agent.name or agent.user_id, line.text.strip())

    # --- the rows ------------------------------------------------------------------------------------

    async def _claim(self, number: str) -> bool:
        try:
            await self.app.store.threads.claim(number, CHANNEL, place=self.place, at=datetime.now(UTC))
        except AlreadyDone:
            return False  # posted already, or being posted by another worker
        return True

    async def _unclaim(self, number: str) -> None:
        try:
            await self.app.store.threads.release(number, CHANNEL)
        except Exception:
            log.warning("slack agents: could not release the thread of %s", number, exc_info=True)

    async def _row(self, number: str) -> HandoffThread | None:
        return await self.app.store.threads.get(number, CHANNEL)
