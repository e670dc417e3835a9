"""The database out of reach for ten seconds under a real server (a TCP proxy between them resets
every connection and refuses new ones, then heals): customers are told at once, in their language,
that their message could not be answered; nothing is half-written; once the database is back the same
server answers again at once, without a restart, and a message sent during the outage and sent again
is answered exactly once. ``/readyz`` says why it is not ready meanwhile; ``/healthz`` stays 200.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.crash.harness import Chat, Server, browser
from tests.faults.conftest import through
from tests.faults.proxy import TcpProxy
from tests.faults.transcripts import answers, conversations

pytestmark = [pytest.mark.postgres, pytest.mark.crash]

ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
OUTAGE = 10.0
"""Seconds the database stays out of reach."""
APOLOGY_EN = "Sorry, I can't reach our systems right now"
APOLOGY_SV = "Förlåt, jag når inte våra system just nu"
FORM = {"category": "technical", "subject": "Printer beeps in the outage", "description": "It beeps.",
        "priority": "high"}  # fmt: skip


async def status(session: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any]]:
    async with session.get(url) as response:
        return response.status, await response.json()


def apology(frame: dict[str, Any] | None, frame_id: str, words: str, proxy: TcpProxy) -> None:
    """An ``unavailable`` error for that message, in the conversation's language, given while the
    database was still cut off (so it did not wait for the database to come back)."""
    assert proxy.cut_off, f"{frame_id}: answered only after the database was back"
    assert frame is not None, f"{frame_id}: no answer at all"
    assert frame["type"] == "error" and frame["code"] == "unavailable", frame
    assert frame["in_reply_to"] == frame_id and frame["message"].startswith(words), frame


async def test_ten_seconds_without_the_database(
    data_dir: Path, database_url: str, database: AsyncEngine, proxy: TcpProxy
) -> None:
    server = Server(data_dir, env={"SUPPORTBOT_DATABASE_URL": through(proxy, database_url)}).start()
    assert server.process is not None
    pid = server.process.pid
    try:
        async with browser() as anna, browser() as erik:
            await anna.login(server, ANNA)
            await erik.login(server, ERIK)
            async with anna.chat(server) as en, erik.chat(server) as sv:
                got = await en.say("where is my order 4711?", "a-1")
                assert got is not None and "PostNord" in got["reply"]["text"], got
                got = await sv.say("var är min order 4712?", "e-1")
                assert got is not None and got["reply"]["language"] == "sv", got
                form = await en.say("I want to open a support request", "a-2")
                assert form is not None and form["reply"]["form"]["id"] == "request.open", form
                assert await status(anna.session, f"{server.url}/readyz") == (
                    200, {"ready": True, "checks": {"database": "ok", "migrations": "ok"}}
                )  # fmt: skip

                proxy.cut()
                cut_at = time.monotonic()
                # Messages come in all through the outage; each is apologised for at once.
                apology(await en.say("where is my order 4712?", "a-3"), "a-3", APOLOGY_EN, proxy)
                apology(await sv.say("visa mina öppna ordrar", "e-2"), "e-2", APOLOGY_SV, proxy)
                assert await status(anna.session, f"{server.url}/readyz") == (
                    503, {"ready": False, "checks": {"database": "unreachable"}}
                )  # fmt: skip
                assert (await status(anna.session, f"{server.url}/healthz"))[0] == 200
                await asyncio.sleep(OUTAGE / 2 - (time.monotonic() - cut_at))
                apology(await en.submit("request.open", FORM, "a-4"), "a-4", APOLOGY_EN, proxy)
                apology(await sv.say("tack", "e-3"), "e-3", APOLOGY_SV, proxy)  # never sent again
                assert (await status(anna.session, f"{server.url}/healthz"))[0] == 200
                await asyncio.sleep(OUTAGE - (time.monotonic() - cut_at))
                apology(await en.say("show my open orders", "a-5"), "a-5", APOLOGY_EN, proxy)
                assert (await status(anna.session, f"{server.url}/readyz"))[0] == 503
                proxy.heal()

                # The same process, at once: its pool let go of the dead connections.
                assert await status(anna.session, f"{server.url}/readyz") == (
                    200, {"ready": True, "checks": {"database": "ok", "migrations": "ok"}}
                )  # fmt: skip
                assert server.process.poll() is None and server.process.pid == pid
                # The widget sends again what was not answered, with the same ids: answered now, once.
                first = await resend(en, "where is my order 4712?", "a-3")
                assert "in production" in first["reply"]["text"], first
                opened = await resend(en, FORM, "a-4")
                number = re.search(r"RQ-\d{4}-\d+", opened["reply"]["text"])
                assert number is not None, opened
                await resend(en, "show my open orders", "a-5")
                swedish = await resend(sv, "visa mina öppna ordrar", "e-2")
                assert swedish["reply"]["language"] == "sv", swedish
                got = await en.say("thanks", "a-6")  # and new messages, as before
                assert got is not None and got["type"] == "reply", got

    finally:
        server.stop()

    stored = await conversations(database)  # every conversation whole
    ids = sorted(i for lines in stored.values() for i in answers(lines))
    assert ids == sorted(["a-1", "a-2", "a-3", "form:a-4", "a-5", "a-6", "e-1", "e-2"])  # e-3: never stored
    assert all(len(texts) == 1 for lines in stored.values() for texts in answers(lines).values())
    async with database.connect() as conn:
        asked = text("SELECT number FROM requests WHERE subject = :subject")
        requests = (await conn.scalars(asked, {"subject": FORM["subject"]})).all()
        keyed = text("SELECT outcome FROM action_keys WHERE kind = 'request.open'")
        keys = (await conn.scalars(keyed)).all()
    assert requests == [number.group()] and keys == requests  # one request, with its key


async def resend(chat: Chat, what: str | dict[str, str], frame_id: str) -> dict[str, Any]:
    """Sends a message (or a form's values) again under its id, then once more: the first is answered
    anew, the second is the same answer marked as a repeat."""

    async def send() -> dict[str, Any] | None:
        if isinstance(what, dict):
            return await chat.submit("request.open", what, frame_id)
        return await chat.say(what, frame_id)

    first = await send()
    assert first is not None and first["type"] == "reply" and not first.get("repeat"), first
    again = await send()
    assert again is not None and again.get("repeat") is True and again["reply"] == first["reply"], again
    return first


async def test_a_silent_database_wedges_nothing(
    data_dir: Path, database_url: str, database: AsyncEngine, proxy: TcpProxy
) -> None:
    """The network to the database goes quiet for ten seconds (nothing reset, nothing answered): the
    worker is not ready meanwhile but alive, and once the network is back its pool and its writer go
    on at once; the message sent into the silence is answered exactly once."""
    server = Server(data_dir, env={"SUPPORTBOT_DATABASE_URL": through(proxy, database_url)}).start()
    assert server.process is not None
    pid = server.process.pid
    try:
        async with browser() as anna:
            await anna.login(server, ANNA)
            async with anna.chat(server) as chat:
                got = await chat.say("where is my order 4711?", "s-1")
                assert got is not None and "PostNord" in got["reply"]["text"], got

                proxy.cut(silent=True)
                cut_at = time.monotonic()
                into_the_silence = asyncio.ensure_future(chat.say("where is my order 4712?", "s-2"))
                assert (await status(anna.session, f"{server.url}/readyz"))[0] == 503
                assert (await status(anna.session, f"{server.url}/healthz"))[0] == 200
                await asyncio.sleep(OUTAGE - (time.monotonic() - cut_at))
                proxy.heal()

                # Answered late; or apologised for before anything was kept (sent again under its id);
                # or, when the order's own read gave up first, answered with the back end's apology
                # (kept as that message's answer: asked anew, it is answered).
                first = await into_the_silence
                if first is not None and first["type"] == "error":
                    assert first["code"] == "unavailable", first
                    first = await chat.say("where is my order 4712?", "s-2")
                elif first is not None and "can't reach our systems" in first["reply"]["text"]:
                    again = await chat.say("where is my order 4712?", "s-2")
                    assert again is not None and again.get("repeat") is True, again  # answered once
                    first = await chat.say("where is my order 4712?", "s-2b")
                assert first is not None and "in production" in first["reply"]["text"], first
                assert await status(anna.session, f"{server.url}/readyz") == (
                    200, {"ready": True, "checks": {"database": "ok", "migrations": "ok"}}
                )  # fmt: skip
                got = await chat.say("show my open orders", "s-3")
                assert got is not None and got["type"] == "reply", got
                assert server.process.poll() is None and server.process.pid == pid
    finally:
        server.stop()

    (lines,) = (await conversations(database)).values()
    answered = {i: len(texts) for i, texts in answers(lines).items()}
    assert answered in (
        {"s-1": 1, "s-2": 1, "s-3": 1},
        {"s-1": 1, "s-2": 1, "s-2b": 1, "s-3": 1},
    )  # each once
