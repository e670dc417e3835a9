"""The agent console's WebSocket: the queue live, one agent's actions on conversations (take, reply,
internal notes, transfer, hand back, close), the agent's status, canned replies, search in transcripts,
customers' requests (the work list, answering and closing them), and the review list of the NLU's misses.

The protocol is in docs/agent-console.md. Everything goes through ``bot.handoff`` and the bus, so a
customer and an agent on different workers reach each other the same way.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from supportbot.adapters.agents.customer import customer_context, guest_context, transcript_json
from supportbot.adapters.agents.requests import (
    LISTED_STATUSES,
    REQUESTS_TOPIC,
    RESOLUTION_CHARS,
    WORK_LIST,
    detail_json,
    summary_json,
)
from supportbot.adapters.agents.review import REVIEW_TOPIC, Review
from supportbot.adapters.web.handlers import FrameSocket
from supportbot.bot.bus import Unsubscribe
from supportbot.bot.handoff import AGENTS_TOPIC, PRESENCE_HEARTBEAT, Handoffs, handoff_topic
from supportbot.bot.i18n import LANGUAGES
from supportbot.bot.store import Store
from supportbot.bot.store.workspace import STATUSES
from supportbot.integrations.models import Principal, RequestStatus
from supportbot.integrations.protocols import Backends
from supportbot.services.answers import AnswerServices, notify_answer, notify_closed

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
MAX_TEXT_CHARS = 4000
TRANSCRIPT_LINES = 200
HEARTBEAT = 30.0
NOTE_CHARS = 4000
SEARCH_CHARS = (2, 100)
"""A search's words: at least 2 characters (fewer would match nearly every line), at most 100."""
CHAT_WAIT_TARGET = 300
"""Seconds a customer queued for a person should wait at most, unless the settings say otherwise
(``handoff_wait_target_minutes``): the queue shows the time left, then overdue."""
NAMED = 100
"""The open handoffs of a snapshot whose customers' names are looked up (the rest show their user id)."""
CANNED_TOPIC = "agents:canned"
"""The bus topic on which every console hears that the canned replies changed."""


class AgentConnection(FrameSocket):
    def __init__(
        self,
        ws: web.WebSocketResponse,
        agent: Principal,
        *,
        handoffs: Handoffs,
        backends: Backends,
        store: Store,
        services: AnswerServices,
        public_url: str,
        review: Review | None = None,
        wait_target: int = CHAT_WAIT_TARGET,
        language: str | None = None,
    ) -> None:
        assert agent.user_id is not None
        super().__init__(ws, who=f"agents: {agent.user_id}")
        self.agent = agent
        self.agent_id: str = agent.user_id
        self.handoffs = handoffs
        self.backends = backends
        self.store = store
        self.services = services  # what an answer needs to reach the customer: the application
        self.public_url = public_url
        self._watching: dict[str, Unsubscribe] = {}
        self._names: dict[str, str] = {}
        self.review = review
        self.wait_target = wait_target
        self.language = language if language in LANGUAGES else self.agent.locale
        """The console's language (the agent's choice on the page, else the account's): the customer's
        records are shown in it."""

    async def run(self) -> None:
        presence = await self.handoffs.agent_online(self.agent_id)
        heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(presence), name="agent presence")
        unsubscribe = await self.handoffs.bus.subscribe(AGENTS_TOPIC, self._queue_changed)
        unsubscribe_requests = await self.handoffs.bus.subscribe(REQUESTS_TOPIC, self._queue_changed)
        unsubscribe_review = await self.handoffs.bus.subscribe(REVIEW_TOPIC, self._queue_changed)
        unsubscribe_canned = await self.handoffs.bus.subscribe(CANNED_TOPIC, self._queue_changed)
        try:
            await self.send(
                {
                    "type": "ready",
                    "agent": {
                        "id": self.agent_id,
                        "name": self.agent.name,
                        "admin": self.agent.is_support_admin,
                        "language": self.language,
                        "status": await self.store.statuses.get(self.agent_id),
                    },
                    "wait_target": self.wait_target,
                }
            )
            await self._snapshot()
            # One more agent to transfer to, on every console.
            await self.handoffs.bus.publish(AGENTS_TOPIC, {"type": "agents_changed"})
            async for frame in self.ws:
                if frame.type is WSMsgType.TEXT:
                    await self._on_text(frame.data)
                elif frame.type is WSMsgType.ERROR:
                    break
                else:
                    await self.error("bad_frame")
        finally:
            unsubscribe()
            unsubscribe_requests()
            unsubscribe_review()
            unsubscribe_canned()
            for stop in self._watching.values():
                stop()
            self._watching.clear()
            heartbeat.cancel()
            await self.handoffs.agent_offline(presence)
            await self.handoffs.bus.publish(AGENTS_TOPIC, {"type": "agents_changed"})

    async def _heartbeat(self, presence: str) -> None:
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT)
            try:
                await self.handoffs.still_online(presence)
            except Exception:
                log.warning("agents: could not refresh the presence of %s", self.agent_id, exc_info=True)

    async def _snapshot(self) -> None:
        queue = await self.handoffs.queue()
        items = [h.to_json() for h in queue]
        for item in items[:NAMED]:
            await self._named(item)
        await self.send({"type": "queue", "items": items})

    async def _queue_changed(self, message: dict[str, Any]) -> None:
        if message.get("type") == "queued" and isinstance(message.get("handoff"), dict):
            message = {**message, "handoff": await self._named(dict(message["handoff"]))}
        await self.send(message)

    async def _named(self, item: dict[str, Any]) -> dict[str, Any]:
        """The handoff with its customer's name (``customer_name``), as the directory has it: agents
        know customers by name. A guest's is what they stated (in ``guest``); a name is read once per
        console."""
        user_id = item.get("user_id")
        if isinstance(user_id, str) and user_id:
            if user_id not in self._names:
                customer = await self.backends.directory.principal_for(user_id)
                self._names[user_id] = customer.name if customer is not None else ""
            item["customer_name"] = self._names[user_id] or None
        return item

    async def _on_text(self, data: str) -> None:
        if len(data) > MAX_FRAME_BYTES:
            await self.error("too_large")
            return
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):
            await self.error("bad_json")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.error("bad_frame")
            return
        kind = frame["type"]
        if kind == "ping":
            await self.send({"type": "pong"})
            return
        if kind == "queue":
            await self._snapshot()
            return
        if kind == "requests":
            await self._work_list(frame)
            return
        if kind.startswith("review"):
            await self._review(kind, frame)
            return
        if kind in {"status", "agents", "search", "canned"}:
            try:
                await self._workspace(kind, frame)
            except Exception:
                log.exception("agents: %s of %s failed", kind, self.agent_id)
                await self.error("internal")
            return
        number = frame.get("number")
        if not isinstance(number, str) or not number or len(number) > 32:
            await self.error("bad_frame")
            return
        try:
            await self._act(kind, number, frame)
        except Exception:
            log.exception("agents: %s on %s failed", kind, number)
            await self.error("internal", number=number)

    async def _act(self, kind: str, number: str, frame: dict[str, Any]) -> None:
        text = frame.get("text")
        if kind == "open":
            await self.open(number)
        elif kind == "take":
            won = await self.handoffs.take(number, self.agent_id)
            await self.send({"type": "result", "action": "take", "number": number, "ok": won})
            if won:
                await self.open(number)
        elif kind == "reply":
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
                await self.error("bad_frame", number=number)
                return
            ok = await self.handoffs.reply(
                number, self.agent_id, self.agent.name or self.agent_id, text.strip()
            )
            if not ok:
                await self.send({"type": "result", "action": "reply", "number": number, "ok": False})
        elif kind == "typing":
            await self.handoffs.typing(number, self.agent_id, on=bool(frame.get("on")))
        elif kind == "hand_back":
            ok = await self.handoffs.hand_back(number, self.agent_id)
            await self.send({"type": "result", "action": "hand_back", "number": number, "ok": ok})
        elif kind == "close":
            resolution = frame.get("resolution")
            if not isinstance(resolution, str) or not resolution.strip() or len(resolution) > 2000:
                await self.error("bad_frame", number=number)
                return
            ok = await self.handoffs.close(number, self.agent_id, resolution)
            await self.send({"type": "result", "action": "close", "number": number, "ok": ok})
        elif kind == "note":
            await self._note(number, text)
        elif kind == "transfer":
            to = frame.get("to")
            if not isinstance(to, str) or not to or len(to) > 320:
                await self.error("bad_frame", number=number)
                return
            target = await self.backends.directory.principal_for(to)
            ok = (
                target is not None
                and target.is_agent
                and await self.handoffs.transfer(number, self.agent_id, to)
            )
            await self.send({"type": "result", "action": "transfer", "number": number, "ok": ok})
        elif kind == "request":
            await self.show_request(number)
        elif kind == "answer":
            await self._answer(number, text)
        elif kind == "close_request":
            await self._close_request(number, frame.get("resolution"))
        else:
            await self.error("bad_frame", number=number)

    # --- the workspace: status, agents, notes, search, canned replies -------------------------------

    async def _workspace(self, kind: str, frame: dict[str, Any]) -> None:
        if kind == "status":
            status = frame.get("status")
            if status not in STATUSES:
                await self.error("bad_frame")
                return
            await self.handoffs.set_status(self.agent_id, str(status))
            await self.send({"type": "result", "action": "status", "ok": True, "status": status})
        elif kind == "agents":
            present = await self.handoffs.agents_present()
            items = []
            for agent_id, status in present.items():
                who = await self.backends.directory.principal_for(agent_id)
                if who is not None and who.is_agent:
                    items.append({"id": agent_id, "name": who.name or agent_id, "status": status})
            await self.send({"type": "agents", "items": items})
        elif kind == "search":
            words = frame.get("text")
            low, high = SEARCH_CHARS
            if not isinstance(words, str) or not low <= len(words.strip()) <= high:
                await self.error("bad_frame")
                return
            hits = await self.store.search.search(words)
            await self.send({"type": "search", "text": words, "items": [hit.to_json() for hit in hits]})
        elif kind == "canned":
            replies = await self.store.canned.list()
            await self.send({"type": "canned", "items": [reply.to_json() for reply in replies]})

    async def _note(self, number: str, text: object) -> None:
        """An internal note: stored apart from the transcript and sent only on the handoff's topic, which
        only agents' consoles hear; never to the customer, in any channel."""
        if not isinstance(text, str) or not text.strip() or len(text) > NOTE_CHARS:
            await self.error("bad_frame", number=number)
            return
        handoff = await self.handoffs.get(number)
        if handoff is None:
            await self.error("not_found", number=number)
            return
        note = await self.store.notes.add(
            handoff.conversation_key,
            number=number,
            agent=self.agent_id,
            agent_name=self.agent.name or self.agent_id,
            text=text.strip(),
            at=datetime.now(UTC),
        )
        await self.handoffs.bus.publish(
            handoff_topic(number), {"type": "note", "number": number, **note.to_json()}
        )
        await self.send({"type": "result", "action": "note", "number": number, "ok": True})

    # --- the review list of the NLU's misses ---------------------------------------------------------

    async def _review(self, kind: str, frame: dict[str, Any]) -> None:
        if self.review is None:
            await self.error("not_found")
            return
        try:
            answer = await self.review.act(kind, frame, agent=self.agent_id)
        except Exception:
            log.exception("agents: %s of %s failed", kind, self.agent_id)
            await self.error("internal")
            return
        for reply in answer:
            await self.send(reply)

    # --- customers' requests ------------------------------------------------------------------------

    async def _work_list(self, frame: dict[str, Any]) -> None:
        """The requests not closed, or those of one status: what waits for support first, oldest due first."""
        status = frame.get("status")
        if status is not None and (not isinstance(status, str) or status not in LISTED_STATUSES):
            await self.error("bad_frame")
            return
        statuses = frozenset({RequestStatus(status)}) if status is not None else frozenset()
        try:
            found = await self.backends.requests.work_list(self.agent, statuses=statuses, limit=WORK_LIST)
        except Exception:
            log.exception("agents: the work list of %s failed", self.agent_id)
            await self.error("internal")
            return
        await self.send({"type": "requests", "status": status, "items": [summary_json(r) for r in found]})

    async def show_request(self, number: str) -> None:
        """One request with its history and documents (any company's: agents serve every customer)."""
        found = await self.backends.requests.request_for_agent(self.agent, number)
        if found is None:
            await self.error("not_found", number=number)
            return
        await self.send({"type": "request", "request": detail_json(found)})

    async def _answer(self, number: str, text: Any) -> None:
        """The customer gets the answer in every channel and by mail (``notify_answer``)."""
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
            await self.error("bad_frame", number=number)
            return
        answered = await notify_answer(
            self.services,
            agent=self.agent,
            request_number=number,
            text=text.strip(),
            public_url=self.public_url,
        )
        if answered is None:
            await self.error("not_found", number=number)
            return
        log.info("agents: %s answered %s", self.agent_id, answered.number)
        await self.send({"type": "result", "action": "answer", "number": answered.number, "ok": True})
        await self._changed(answered.number)

    async def _close_request(self, number: str, resolution: Any) -> None:
        if not isinstance(resolution, str) or not resolution.strip() or len(resolution) > RESOLUTION_CHARS:
            await self.error("bad_frame", number=number)
            return
        closed = await notify_closed(
            self.services,
            agent=self.agent,
            request_number=number,
            resolution=resolution.strip(),
            public_url=self.public_url,
        )
        if closed is None:
            await self.error("not_found", number=number)
            return
        log.info("agents: %s closed %s", self.agent_id, closed.number)
        await self.send({"type": "result", "action": "close_request", "number": closed.number, "ok": True})
        await self._changed(closed.number)

    async def _changed(self, number: str) -> None:
        """The request as it now is, to this agent in full and to every console as a line of the list."""
        found = await self.backends.requests.request_for_agent(self.agent, number)
        if found is None:
            return
        await self.send({"type": "request", "request": detail_json(found)})
        await self.handoffs.bus.publish(
            REQUESTS_TOPIC, {"type": "request_changed", "request": summary_json(found)}
        )

    async def open(self, number: str) -> None:
        """The transcript and the customer's context; new lines of it then arrive as ``message`` frames."""
        handoff = await self.handoffs.get(number)
        if handoff is None:
            await self.error("not_found", number=number)
            return
        if number not in self._watching:
            self._watching[number] = await self.handoffs.bus.subscribe(handoff_topic(number), self._line)
        turns = await self.store.history(handoff.conversation_key, limit=TRANSCRIPT_LINES)
        conversation = await self.store.load(handoff.conversation_key, channel="", user_id=None)
        notes = await self.store.notes.for_conversation(handoff.conversation_key)
        await self.send(
            {
                "type": "conversation",
                "handoff": handoff.to_json(),
                "language": conversation.language if conversation.exists else None,
                "transcript": transcript_json(turns),
                "notes": [note.to_json() for note in notes],
                "customer": guest_context(handoff.guest)
                if handoff.guest is not None
                else await customer_context(self.backends, handoff.user_id, language=self.language),
            }
        )

    async def _line(self, message: dict[str, Any]) -> None:
        await self.send(message)

    async def error(self, code: str, *, number: str | None = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code}
        if number is not None:
            frame["number"] = number
        await self.send(frame)
