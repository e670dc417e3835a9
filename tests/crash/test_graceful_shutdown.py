"""A real server stopped the way a deployment stops it (SIGTERM): the open chats are told to reconnect
(WebSocket close code 1012) after the message being answered is stored, the process ends by itself, and
the message a customer sent as it went down is answered exactly once once it is back. Its log, asked for
as JSON, is one JSON object a line."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import aiohttp
import pytest

from tests.crash.harness import Server, browser, query

pytestmark = pytest.mark.crash

ANNA = "anna.berg@nordisk.example"


async def _close_code(ws: aiohttp.ClientWebSocketResponse, timeout: float = 15.0) -> int | None:
    """Reads frames until the server closes; the close code it gave."""
    while True:
        message = await ws.receive(timeout=timeout)
        if message.type is aiohttp.WSMsgType.CLOSE:
            return int(message.data)
        if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return ws.close_code


async def test_a_stopped_worker_tells_its_chats_to_reconnect_and_loses_no_message(data_dir: Path) -> None:
    server = Server(data_dir, env={"SUPPORTBOT_LOG_FORMAT": "json"}).start()
    try:
        async with browser() as anna:
            await anna.login(server, ANNA)
            ws = await anna.session.ws_connect(f"{server.url}/webchat/ws", headers={"Origin": server.url})
            for kind in ("ready", "history"):
                frame = json.loads((await ws.receive(timeout=15)).data)
                assert frame["type"] == kind
            # The customer asks; the deployment stops the worker at that very moment.
            await ws.send_str(
                json.dumps({"type": "message", "id": "m-shutdown-1", "text": "where is order 4711"})
            )
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            assert await _close_code(ws) == 1012  # "service restart": come back, to this or another worker
            assert await asyncio.to_thread(server.process.wait, 30) == 0  # it ended by itself, cleanly
            await ws.close()

            # Back (here: the same worker restarted), the widget resends what was not answered.
            server.start()
            async with anna.chat(server) as chat:
                reply = await chat.say("where is order 4711", "m-shutdown-1")
                assert reply is not None and reply["type"] == "reply"
                assert "4711" in json.dumps(reply["reply"])
    finally:
        server.stop()

    asked = query(data_dir, "SELECT count(*) FROM turns WHERE role = 'user' AND delivery_id = 'm-shutdown-1'")
    assert asked == [(1,)]  # stored once, whether it was answered before the stop or after the resend
    conversation = query(data_dir, "SELECT conversation_key FROM turns WHERE delivery_id = 'm-shutdown-1'")
    answers = query(
        data_dir,
        "SELECT count(*) FROM turns WHERE role = 'bot' AND conversation_key = ?",
        conversation[0][0],
    )
    assert answers == [(1,)]

    lines = [line for line in server.log.read_text().splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any("web chat on http://127.0.0.1" in r["message"] for r in records)
