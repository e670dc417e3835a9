"""Web chat test helpers: a chat over the real WebSocket that reads like a transcript, and a browser's
cookie jar that signs in and out."""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient

DEMO_PASSWORD = "demo"
ANNA = "anna.berg@nordisk.example"
ERIK = "erik.lund@nordisk.example"
MAX = "max.muller@contoso.example"

_ids = itertools.count(1)


def new_id() -> str:
    return f"t-{next(_ids)}"


class Chat:
    """One WebSocket connection of a browser; frames it did not wait for are kept in ``seen``."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self.ready: dict[str, Any] = {}
        self.history: list[dict[str, Any]] = []

    async def start(self) -> Chat:
        self.ready = await self.frame()
        assert self.ready["type"] == "ready", self.ready
        history = await self.frame()
        assert history["type"] == "history", history
        self.history = history["items"]
        return self

    async def frame(self, timeout: float = 10.0) -> dict[str, Any]:
        message = await self.ws.receive(timeout=timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, f"expected a text frame, got {message}"
        frame = json.loads(message.data)
        assert isinstance(frame, dict)
        self.seen.append(frame)
        return frame

    async def send(self, frame: dict[str, Any] | str | bytes) -> None:
        if isinstance(frame, bytes):
            await self.ws.send_bytes(frame)
        elif isinstance(frame, str):
            await self.ws.send_str(frame)
        else:
            await self.ws.send_str(json.dumps(frame))

    async def until(self, kind: str, *, in_reply_to: str | None = None) -> dict[str, Any]:
        """The next frame of this type (for this message, if given), skipping typing and pongs."""
        while True:
            frame = await self.frame()
            if frame["type"] == kind and (in_reply_to is None or frame.get("in_reply_to") == in_reply_to):
                return frame
            assert frame["type"] in {"typing", "pong", "reply", "error"}, frame

    async def answer(self, message_id: str) -> dict[str, Any]:
        """The reply or error frame for one message."""
        while True:
            frame = await self.frame()
            if frame["type"] in {"reply", "error"} and frame.get("in_reply_to") == message_id:
                return frame
            assert frame["type"] in {"typing", "pong", "reply", "error"}, frame

    async def say(self, text: str, *, button: bool = False, message_id: str | None = None) -> dict[str, Any]:
        """Send a message and return its reply frame (an error frame fails the test)."""
        frame = await self.ask(text, button=button, message_id=message_id)
        assert frame["type"] == "reply", frame
        return frame

    async def ask(self, text: str, *, button: bool = False, message_id: str | None = None) -> dict[str, Any]:
        message_id = message_id or new_id()
        payload: dict[str, Any] = {"type": "message", "id": message_id, "text": text}
        if button:
            payload["button"] = True
        await self.send(payload)
        return await self.answer(message_id)

    async def submit(
        self, form: str, values: dict[str, Any], *, message_id: str | None = None
    ) -> dict[str, Any]:
        """Send a reply's form with these values; its reply or error frame."""
        message_id = message_id or new_id()
        await self.send({"type": "form", "id": message_id, "form": form, "values": values})
        return await self.answer(message_id)

    async def send_files(
        self, text: str, files: list[str], *, message_id: str | None = None
    ) -> dict[str, Any]:
        """Send a message with uploaded files (their ids); its reply or error frame."""
        message_id = message_id or new_id()
        await self.send({"type": "message", "id": message_id, "text": text, "files": files})
        return await self.answer(message_id)

    async def close(self) -> None:
        await self.ws.close()

    async def transcript(self, script: str) -> list[dict[str, Any]]:
        """Play a script over the WebSocket and check each reply, as in tests/conftest.py:

        ``user: text`` sends a message; ``press: label`` presses a button of the last reply;
        ``bot: ~ words`` the reply shows them (case-insensitive); ``bot: !~ words`` it does not;
        ``bot: (sv)`` it is in that language; ``bot: link ~ words`` a card links to a URL containing them.
        """
        replies: list[dict[str, Any]] = []
        for raw in textwrap.dedent(script).strip().splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = _LINE.match(line)
            assert match, f"bad transcript line: {line!r}"
            who, body = match.group(1), match.group(2).strip()
            if who == "user":
                replies.append((await self.say(body))["reply"])
            elif who == "press":
                assert replies, "press: needs a reply with buttons"
                replies.append((await self.say(_button(replies[-1], body), button=True))["reply"])
            else:
                assert replies, "bot: needs a reply"
                _check(replies[-1], body)
        return replies


_LINE = re.compile(r"^(user|bot|press)\s*:\s?(.*)$")


def _button(reply: dict[str, Any], label: str) -> str:
    buttons = [*reply["buttons"], *(b for card in reply["cards"] for b in card["buttons"])]
    matches = [b["value"] for b in buttons if label.lower() in b["label"].lower()]
    assert matches, f"no button {label!r} in {[b['label'] for b in buttons]}"
    return str(matches[0])


def _check(reply: dict[str, Any], check: str) -> None:
    everything = shown(reply)
    where = f"\n--- reply ---\n{everything}\n-------------"
    if check.startswith("link"):
        needle = check.removeprefix("link").strip().removeprefix("~").strip()
        links = [card["link"]["url"] for card in reply["cards"] if card["link"]]
        assert any(needle in url for url in links), f"no card link with {needle!r}: {links}{where}"
    elif check.startswith("!~"):
        needle = check[2:].strip()
        assert needle.lower() not in everything.lower(), f"reply must not show {needle!r}{where}"
    elif check.startswith("~"):
        needle = check[1:].strip()
        assert needle.lower() in everything.lower(), f"reply should show {needle!r}{where}"
    elif check.startswith("(") and check.endswith(")"):
        assert reply["language"] == check[1:-1], f"reply is in {reply['language']!r}{where}"
    else:
        raise AssertionError(f"unknown check {check!r}")


def shown(reply: dict[str, Any]) -> str:
    """Everything a reply shows, as one string, for ``in`` checks."""
    parts = [reply["text"]]
    for card in reply["cards"]:
        parts += [card["title"], card["subtitle"] or ""]
        parts += [f"{f['label']}: {f['value']}" for f in card["fields"]]
        if card["link"]:
            parts += [card["link"]["label"], card["link"]["url"]]
        parts += [b["label"] for b in card["buttons"]]
    if reply["table"]:
        parts += [" | ".join(reply["table"]["columns"])]
        parts += [" | ".join(row) for row in reply["table"]["rows"]]
    parts += [b["label"] for b in reply["buttons"]]
    parts += [f"{a['name']} {a['url']}" for a in reply["attachments"]]
    return "\n".join(parts)


class Browser:
    """One browser's cookie jar against the test server: sign in, open chats, read the session."""

    def __init__(
        self, client: TestClient[web.Request, web.Application], session: aiohttp.ClientSession
    ) -> None:
        self.client = client
        self.session = session
        self.origin = str(client.make_url("/").origin())

    def url(self, path: str) -> str:
        return str(self.client.make_url(path))

    async def login(self, user: str, password: str = DEMO_PASSWORD) -> aiohttp.ClientResponse:
        response = await self.session.post(
            self.url("/webchat/api/login"),
            json={"user": user, "password": password},
            headers={"Origin": self.origin},
        )
        await response.read()
        return response

    async def logout(self) -> aiohttp.ClientResponse:
        response = await self.session.post(self.url("/webchat/api/logout"), headers={"Origin": self.origin})
        await response.read()
        return response

    async def whoami(self) -> dict[str, Any]:
        async with self.session.get(self.url("/webchat/api/session")) as response:
            assert response.status == 200
            data = await response.json()
            assert isinstance(data, dict)
            return data

    async def chat(self, *, lang: str | None = None, origin: str | None = None) -> Chat:
        url = self.url("/webchat/ws" + (f"?lang={lang}" if lang else ""))
        ws = await self.session.ws_connect(url, headers={"Origin": origin or self.origin})
        return await Chat(ws).start()

    async def upload(
        self,
        name: str,
        data: bytes | Any,
        *,
        content_type: str = "application/octet-stream",
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        """``POST /webchat/upload`` as the widget sends it: the file as the body, its name in a header."""
        sent = {
            "Origin": self.origin,
            "Content-Type": content_type,
            "X-Filename": quote(name, safe=""),
            **(headers or {}),
        }
        response = await self.session.post(
            self.url("/webchat/upload"), data=data, headers={k: v for k, v in sent.items() if v}
        )
        await response.read()
        return response

    async def uploaded(self, name: str, data: bytes, **options: Any) -> str:
        """Upload a file that must be accepted; its id."""
        response = await self.upload(name, data, **options)
        assert response.status == 200, (response.status, await response.text())
        file_id = (await response.json())["id"]
        assert isinstance(file_id, str)
        return file_id

    def cookie(self) -> str | None:
        for cookie in self.session.cookie_jar:
            if cookie.key == "sb_session":
                return cookie.value
        return None


NewBrowser = Callable[[], Awaitable[Browser]]
