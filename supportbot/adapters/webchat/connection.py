"""The WebSocket host: one connection reads frames, answers pings and bad input at once, and feeds
its messages one at a time, in order, to the pipeline."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from supportbot.adapters.web.handlers import FrameSocket
from supportbot.adapters.webchat.context import Visitor, WebChat
from supportbot.adapters.webchat.protocol import (
    HARD_FRAME_BYTES,
    ErrorCode,
    FormFrame,
    FrameError,
    MessageFrame,
    PingFrame,
    QueuedFrame,
    TypingFrame,
    agent_frame,
    delivery_id,
    error_frame,
    form_fields,
    history_frame,
    last_language,
    notice_frame,
    parse_frame,
    pong_frame,
    ready_frame,
    reply_frame,
    secret_fields,
    time_zone,
    to_message,
    typing_frame,
)
from supportbot.adapters.webchat.wording import pick_language
from supportbot.bot.bus import user_topic
from supportbot.bot.handoff import conversation_topic
from supportbot.bot.i18n import translate
from supportbot.bot.limits import Rule
from supportbot.bot.messages import ConversationRef, InboundFile, Message, Reply
from supportbot.faults import crash_point
from supportbot.integrations.errors import BackendUnavailable

log = logging.getLogger(__name__)

RATE_WINDOW = 10.0
"""A session may send ``Settings.webchat_rate_limit`` frames in this many seconds, over all its
connections together; more are refused."""
USER_RATE_FACTOR = 3
"""A signed-in user's sessions together (a phone, a laptop, a few tabs) may send this many times that."""
RECHECK = 60.0
"""Seconds after which a message makes an open chat check its session again (idle time, lifetime): a
chat kept open outlives neither, and its use keeps the session from going idle."""
HISTORY_TURNS = 100
TYPING_DELAY = 0.2
"""Seconds an answer may take before the typing indicator is shown."""
HEARTBEAT = 30.0
TYPING_REPEAT = 2.0
"""Seconds within which a customer's repeated typing frame is not passed on again."""
CLOSE_GRACE = 30.0
"""How long a closing connection waits for the message being answered, so it is stored for a resend."""
RESTART = 1012
"""Close code (the WebSocket standard's "service restart") of the chats of a worker that shuts down: the
widget reconnects at once, to this worker once it is back or to another one, and resends what was not
answered; the message being answered when it closed is answered first and stored for that resend."""
SIGNED_OUT = 4001
"""Close code of a connection whose session ended: signed out (here or everywhere), a new password,
idle too long or past its lifetime."""
APOLOGY_LOG_EVERY = 60.0
"""Seconds between log lines about messages apologised for because a service was out of reach (the
service's own client says when it stops and starts answering); the others are debug lines."""


class _Throttle:
    """A moment that comes round at most once every ``every`` seconds (for a log line)."""

    def __init__(self, every: float) -> None:
        self._every = every
        self._last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self._last is not None and now - self._last < self._every:
            return False
        self._last = now
        return True


_apologies = _Throttle(APOLOGY_LOG_EVERY)


class _Inbox:
    """A chat's frames waiting for their answers, in order, at most ``size``: an ``asyncio.Queue`` for
    its one reader and one writer, without the queue's bookkeeping (joins, many waiters) on every
    message. ``None`` is the end: it always fits."""

    def __init__(self, size: int) -> None:
        self._frames: deque[QueuedFrame | None] = deque()
        self._size = size
        self._waiter: asyncio.Future[None] | None = None

    def put(self, frame: QueuedFrame | None) -> bool:
        """Queued; ``False`` when the inbox is full."""
        if frame is not None and len(self._frames) >= self._size:
            return False
        self._frames.append(frame)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return True

    def clear(self) -> None:
        self._frames.clear()

    async def get(self) -> QueuedFrame | None:
        while not self._frames:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        return self._frames.popleft()


class Connection(FrameSocket):
    def __init__(
        self,
        chat: WebChat,
        ws: web.WebSocketResponse,
        visitor: Visitor,
        *,
        ui_language: str | None,
        zone: str | None = None,
    ) -> None:
        super().__init__(ws, who=f"webchat: client of {visitor.conversation_key}")
        self.chat = chat
        self.visitor = visitor
        # What every message needs of the session, worked out once for the connection.
        self.conversation = ConversationRef(channel="web", conversation_id=visitor.session.sid)
        self.key = self.conversation.key
        self.user_id = visitor.user_id
        self._loop = asyncio.get_running_loop()
        self.ui_language = ui_language
        self.zone = zone
        """The browser's time zone: the times in replies are shown in it."""
        self.language: str | None = None
        """The conversation's language once a reply (in history or now) has set it."""
        rate_limit = chat.app.settings.webchat_rate_limit
        self.rules = [Rule(f"chat:session:{visitor.session.sid}", rate_limit, RATE_WINDOW)]
        if visitor.user_id is not None:
            self.rules.append(
                Rule(f"chat:user:{visitor.user_id}", rate_limit * USER_RATE_FACTOR, RATE_WINDOW)
            )
        self.queue = _Inbox(min(rate_limit, 100))
        self._typing_task: asyncio.Future[None] | None = None
        self._typing_on = False
        self._typing_at = 0.0
        self._closing: asyncio.Future[bool] | None = None
        self._ending: asyncio.Future[None] | None = None
        self._checked = self._loop.time()

    async def run(self) -> None:
        pipeline = self.chat.app.pipeline
        turns = await pipeline.history(self.key, limit=HISTORY_TURNS)
        self.language = last_language(turns)
        await self.send(ready_frame(self.visitor.principal, self.language))
        # The user's notices (bot.notify) show in the history and arrive live while connected.
        notifier, user_id = self.chat.app.notifier, self.visitor.user_id
        await self.send(history_frame(await notifier.with_inbox(turns, user_id, limit=HISTORY_TURNS)))
        unsubscribe = await notifier.bus.subscribe(user_topic(user_id), self._notice) if user_id else None
        # An agent's lines, typing and the bot's return after a handoff (bot.handoff) arrive live.
        unsubscribe_agent = await notifier.bus.subscribe(conversation_topic(self.key), self._from_agent)
        sessions, record = self.chat.app.sessions, self.visitor.record
        unsubscribe_session = await sessions.watch(record.handle, self._signed_out) if record else None
        lifetime = (
            asyncio.get_running_loop().call_later(sessions.seconds_left(record), self._lifetime_over)
            if record
            else None
        )
        worker = asyncio.get_running_loop().create_task(self._work(), name=f"webchat {self.key}")
        self.chat.open_chats.add(self)
        try:
            async for frame in self.ws:
                if frame.type is WSMsgType.TEXT:
                    await self._on_text(frame.data)
                elif frame.type is WSMsgType.BINARY:
                    await self._refuse(FrameError("bad_frame"))
                elif frame.type is WSMsgType.ERROR:
                    log.info(
                        "webchat: connection error in conversation %s: %s", self.key, self.ws.exception()
                    )
                    break
        finally:
            self.chat.open_chats.discard(self)
            unsubscribe_agent()
            for stop in (unsubscribe, unsubscribe_session):
                if stop is not None:
                    stop()
            if lifetime is not None:
                lifetime.cancel()
            self.queue.clear()  # not yet begun: the client resends them with the same ids
            self.queue.put(None)
            try:
                await asyncio.wait_for(worker, timeout=CLOSE_GRACE)
            except TimeoutError:
                log.warning("webchat: gave up waiting for a reply in conversation %s", self.key)

    async def _notice(self, message: dict[str, Any]) -> None:
        frame = notice_frame(message)
        if frame is not None:
            await self.send(frame)

    async def _signed_out(self) -> None:
        """The session ended (signed out, a new password, idle, too old): the chat closes at once."""
        if self._closing is None:  # not awaited here: closing waits for the client's answer
            log.info("webchat: closed a chat of a session that ended in conversation %s", self.key)
            self._closing = asyncio.ensure_future(self.ws.close(code=SIGNED_OUT, message=b"signed out"))

    async def restart(self) -> None:
        """The worker shuts down: the client is told to reconnect (see ``RESTART``)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self.ws.close(code=RESTART, message=b"server restart"))
        await self._closing

    def _lifetime_over(self) -> None:
        """However busy, a chat ends with its session's lifetime (its idle time is checked as it is used)."""
        self._ending = asyncio.ensure_future(self._signed_out())  # held: a loose task may be collected

    def _recheck_due(self) -> bool:
        """Whether a signed-in chat's session is due to be checked again (``RECHECK``): most messages
        go on without a look, and without a coroutine."""
        return self.user_id is not None and self._loop.time() - self._checked >= RECHECK

    async def _still_signed_in(self) -> bool:
        """Now and then (``RECHECK``), whether the session is still live; a use keeps it so."""
        user_id = self.user_id
        if user_id is None or not self._recheck_due():
            return True
        self._checked = self._loop.time()
        session = self.visitor.session
        try:
            record = await self.chat.app.sessions.check(session.token, kind="web", user_id=user_id)
            live = record is not None and await self.chat.current(session)
        except Exception:  # in doubt, go on: the chat was signed in, and its end is told on the bus
            log.warning("webchat: could not check a session in conversation %s", self.key, exc_info=True)
            return True
        if not live:
            await self._signed_out()
        return live

    async def _from_agent(self, message: dict[str, Any]) -> None:
        frame = agent_frame(message)
        if frame is not None:
            await self.send(frame)

    async def _on_text(self, data: str) -> None:
        try:
            frame = parse_frame(data)
        except FrameError as refused:
            await self._refuse(refused)
            return
        if isinstance(frame, TypingFrame):  # not counted against the limit: throttled on its own
            await self._typing(frame.on)
            return
        if self._recheck_due() and not await self._still_signed_in():
            return
        try:
            allowed = await self._allowed()
        except BackendUnavailable as exc:  # fails closed: its turn would need the same service
            if isinstance(frame, MessageFrame | FormFrame):
                await self._unavailable(frame, exc)
                return
            allowed = True  # a ping is answered all the same
        if not allowed:
            in_reply_to = frame.id if isinstance(frame, MessageFrame | FormFrame) else None
            await self.send_error("rate_limited", in_reply_to=in_reply_to)
            return
        if isinstance(frame, PingFrame):
            await self.send(pong_frame())
            return
        if not self.queue.put(frame):
            await self.send_error("rate_limited", in_reply_to=frame.id)

    async def _typing(self, on: bool) -> None:
        """Passed on to an agent who has the conversation; a change, or a repeat after a pause, only."""
        now = self._loop.time()
        if on == self._typing_on and now - self._typing_at < TYPING_REPEAT:
            return
        self._typing_on, self._typing_at = on, now
        try:
            await self.chat.app.handoffs.customer_typing(self.key, on=on)
        except Exception:
            log.warning("webchat: could not pass on typing in conversation %s", self.key, exc_info=True)

    async def _allowed(self) -> bool:
        """One more frame within the session's limit and its user's, kept for every worker.
        ``BackendUnavailable`` when the limits are out of reach (the database, or Redis with several
        workers): a message is then apologised for at once, as its turn would fail on the same
        service (the lock, the state) only later."""
        try:
            return await self.chat.app.limits.hit(*self.rules)
        except BackendUnavailable:
            raise
        except Exception:  # a fault of our own: the queue's bound still holds
            log.warning("webchat: could not count a frame in conversation %s", self.key, exc_info=True)
            return True

    async def _refuse(self, refused: FrameError) -> None:
        """Bad input also counts against the limit; past it, only ``rate_limited`` is said."""
        try:
            allowed = await self._allowed()
        except BackendUnavailable:
            allowed = True  # only its own fault is told
        code: ErrorCode = refused.code if allowed else "rate_limited"
        await self.send_error(code, in_reply_to=refused.in_reply_to)

    async def _work(self) -> None:
        while (frame := await self.queue.get()) is not None:
            await self._answer(frame)

    async def _answer(self, frame: QueuedFrame) -> None:
        app = self.chat.app
        try:
            message, missing = await self._message(frame)
        except BackendUnavailable as exc:
            await self._unavailable(frame, exc)
            return
        except Exception:
            log.exception("webchat: could not read a message in conversation %s", self.key)
            await self.send_error("internal", in_reply_to=frame.id)
            return
        if message is None:
            return
        # Typing is shown only when an answer takes a noticeable while; most come before it would.
        clock, show = self.chat.typing, self._start_typing
        clock.start(show, TYPING_DELAY)
        try:
            answer = await app.pipeline.answer(message)
        except BackendUnavailable as exc:  # the database, or with several workers Redis (the lock)
            clock.stop(show)
            await self._stop_typing()
            await self._unavailable(frame, exc)
            return
        except Exception:
            log.exception("webchat: could not answer in conversation %s", self.key)
            clock.stop(show)
            await self._stop_typing()
            await self.send_error("internal", in_reply_to=frame.id)
            return
        clock.stop(show)
        if self._typing_task is not None:
            await self._stop_typing()
        self.language = answer.reply.language or self.language
        warning = None
        if missing and not answer.repeat:
            language = pick_language(self.language, self.ui_language)
            warning = {
                "code": "files_missing",
                "message": translate("webchat.warning.files_missing", language, count=missing),
            }
        crash_point("reply.before_send")
        # The reply as the turn dumped it for the transcript, when it did: the frame is made from that.
        dumped = answer.payload if answer.payload is not None else answer.reply
        await self.send(reply_frame(frame.id, dumped, repeat=answer.repeat, warning=warning))

    async def _unavailable(self, frame: QueuedFrame, cause: BackendUnavailable) -> None:
        """The database, or Redis with several workers, is out of reach: nothing was answered or
        stored, and the customer is told so at once; the same message sent again (the same id) once
        it is back is answered then, once. Logged once a minute at most, without a traceback."""
        if _apologies.due():
            log.warning(
                "webchat: apologised for a message: %s (more such apologies are not logged for a minute)",
                cause,
            )
        else:
            log.debug("webchat: apologised in conversation %s: %s", self.key, cause)
        await self.send_error("unavailable", in_reply_to=frame.id)

    async def _message(self, frame: QueuedFrame) -> tuple[Message | None, int]:
        """The frame as the core's message, and how many of its files could not be found.

        A form keeps only the values of the inputs of the form the conversation showed. A message's
        upload ids are looked up for this user; foreign or expired ones are left out (the reply then
        says so), and a message that had nothing but such files is answered with ``files_missing``
        alone (or its earlier reply, when it repeats one).
        """
        user_id = self.user_id
        shown: frozenset[str] = frozenset()
        secret: frozenset[str] = frozenset()
        files: list[InboundFile] = []
        missing = 0
        if isinstance(frame, FormFrame):
            turns = await self.chat.app.pipeline.history(self.key, limit=HISTORY_TURNS)
            shown, secret = form_fields(turns, frame.form), secret_fields(turns, frame.form)
        else:
            for file_id in frame.files:
                found = await self.chat.app.files.unstash(owner=user_id, file_id=file_id) if user_id else None
                if found is None:
                    missing += 1
                else:
                    files.append(found)
            if missing:
                log.info(
                    "webchat: %d of %d files not found in conversation %s",
                    missing,
                    len(frame.files),
                    self.key,
                )
            if missing and not files and not frame.text.strip():
                await self._nothing_left(frame)
                return None, missing
        message = to_message(  # as ``WebChat.to_message`` builds it, with the connection's conversation
            frame,
            conversation=self.conversation,
            user_id=user_id,
            received_at=datetime.now(UTC),
            language_hint=None if self.language else self.ui_language,
            files=tuple(files),
            shown_fields=shown,
            secret_fields=secret,
            time_zone=self.zone,
        )
        return message, missing

    async def _nothing_left(self, frame: MessageFrame) -> None:
        """Only missing files: not a message to store; a resend of an answered one gets its answer."""
        earlier = await self.chat.app.store.reply_for_delivery(self.key, delivery_id(frame))
        if earlier is None:
            await self.send_error("files_missing", in_reply_to=frame.id)
            return
        reply = Reply.model_validate(earlier) if earlier else Reply(text="")
        await self.send(reply_frame(frame.id, reply, repeat=True))

    def _start_typing(self) -> None:
        self._typing_task = asyncio.ensure_future(self.send(typing_frame(True)))

    async def _stop_typing(self) -> None:
        task, self._typing_task = self._typing_task, None
        if task is not None:
            await task
            await self.send(typing_frame(False))

    async def send_error(self, code: ErrorCode, *, in_reply_to: str | None = None) -> None:
        language = pick_language(self.language, self.ui_language)
        await self.send(
            error_frame(code, translate(f"webchat.error.{code}", language), in_reply_to=in_reply_to)
        )


async def websocket(chat: WebChat, request: web.Request) -> web.StreamResponse:
    if not chat.door.same_origin(request):
        log.warning("webchat: refused a WebSocket from origin %r", request.headers.get("Origin"))
        return web.Response(status=403, text="Forbidden: cross-site WebSocket")
    ws = web.WebSocketResponse(max_msg_size=HARD_FRAME_BYTES, heartbeat=HEARTBEAT)
    if not ws.can_prepare(request).ok:
        return web.Response(status=426, text="Upgrade to a WebSocket", headers={"Upgrade": "websocket"})
    visitor = await chat.visitor(request)
    if visitor.fresh:
        chat.cookie.set(ws, visitor.session)
    await ws.prepare(request)
    lang = request.query.get("lang")
    ui_language = pick_language(lang) if lang else None
    zone = time_zone(request.query.get("tz"))
    await Connection(chat, ws, visitor, ui_language=ui_language, zone=zone).run()
    return ws
