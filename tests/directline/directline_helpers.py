"""Direct Line as Microsoft's WebChat calls it: a browser (cookie jar) that signs in to the web chat,
asks it for a token and makes WebChat's calls with it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

DL = "/v3/directline"
DEMO_PASSWORD = "demo"


class Page:
    """One browser on the site: its cookie jar, its sign-in, and the Direct Line calls its WebChat makes."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.origin = str(server.make_url("/").origin())
        self.token: str | None = None
        self.conversation: str | None = None

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def login(self, user: str) -> None:
        async with self.session.post(
            self.url("/webchat/api/login"),
            json={"user": user, "password": DEMO_PASSWORD},
            headers={"Origin": self.origin},
        ) as response:
            assert response.status == 200, await response.text()

    async def logout(self) -> None:
        async with self.session.post(self.url("/webchat/api/logout"), headers={"Origin": self.origin}) as r:
            assert r.status == 200

    async def generate(self, *, origin: str | None = None) -> aiohttp.ClientResponse:
        response = await self.session.post(
            self.url(f"{DL}/tokens/generate"), headers={"Origin": origin or self.origin}
        )
        await response.read()
        return response

    async def start(self) -> dict[str, Any]:
        """A token from the web chat session, then the conversation, as WebChat starts one."""
        generated = await self.generate()
        assert generated.status == 200, await generated.text()
        self.token = (await generated.json())["token"]
        status, body = await self.call("POST", f"{DL}/conversations", json={"user": {"id": "x"}})
        assert status == 201, body
        self.conversation = body["conversationId"]
        return body

    async def call(
        self, method: str, path: str, *, token: str | None = None, json: Any = None, raw: bytes | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token or self.token}"} if (token or self.token) else {}
        if raw is not None:
            headers["Content-Type"] = "application/json"
        async with self.session.request(
            method, self.url(path), json=json, data=raw, headers=headers
        ) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body

    async def say(self, text: str, client_id: str, *, token: str | None = None) -> tuple[int, Any]:
        activity = {
            "type": "message",
            "text": text,
            "from": {"id": "dl_user", "role": "user"},
            "locale": "en-US",
            "channelData": {"clientActivityID": client_id},
        }
        return await self.call(
            "POST", f"{DL}/conversations/{self.conversation}/activities", json=activity, token=token
        )

    async def poll(self, watermark: str | None = None, *, token: str | None = None) -> tuple[int, Any]:
        query = f"?watermark={watermark}" if watermark is not None else ""
        return await self.call(
            "GET", f"{DL}/conversations/{self.conversation}/activities{query}", token=token
        )


NewPage = Callable[[], Awaitable[Page]]
