"""A local stand-in of the Bot Framework connector, and recorded activities to post at the bot."""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

ACTIVITIES = Path(__file__).parent / "activities"
BOT_ID = "28:11111111-2222-3333-4444-555555555555"
ANNA = "29:1anna-berg-teams-user-id"
ERIK = "29:1erik-lund-teams-user-id"
GUEST = "29:1guest-teams-user-id"

MEMBERS: dict[str, dict[str, Any]] = {
    ANNA: {
        "id": ANNA,
        "name": "Anna Berg",
        "aadObjectId": "6f1c2a3e-aaaa-4b7e-9a51-0a1b2c3d4e5f",
        "userPrincipalName": "anna.berg@nordisk.example",
        "email": "anna.berg@nordisk.example",
        "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    ERIK: {
        "id": ERIK,
        "name": "Erik Lund",
        "aadObjectId": "0e1d2c3b-eeee-4a59-8a7b-6c5d4e3f2a1b",
        "userPrincipalName": "erik.lund@nordisk.example",
        "email": "erik.lund@nordisk.example",
        "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    GUEST: {
        "id": GUEST,
        "name": "Olle Okänd",
        "aadObjectId": "9a8b7c6d-0000-4e5f-8a9b-0c1d2e3f4a5b",
        "userPrincipalName": "olle@elsewhere.example",
        "email": "olle@elsewhere.example",
        "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
}


@dataclass
class Sent:
    """One call the bot made to the connector."""

    method: str
    path: str
    conversation_id: str
    reply_to: str | None
    body: dict[str, Any]
    authorization: str | None
    at: float

    @property
    def card(self) -> dict[str, Any]:
        attachments = self.body.get("attachments") or []
        assert attachments, f"no attachment in {self.body}"
        content: dict[str, Any] = attachments[0]["content"]
        return content

    @property
    def shown(self) -> str:
        """Everything the card shows, as one string: for "mentions PostNord" checks."""
        return json.dumps(self.card, ensure_ascii=False)

    def buttons(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "Action.Submit":
                    found.append(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.card)
        return found


@dataclass
class Connector:
    """Records what the bot sends; answers roster look-ups; can be told to fail the next sends."""

    sent: list[Sent] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    url: str = ""
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def fail_next(self, status: int, **headers: str) -> None:
        self.failures.append((status, headers))

    def activities(self) -> list[Sent]:
        return [s for s in self.sent if s.body.get("type") == "message"]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged)
        app.router.add_post("/v3/conversations", self._create)
        return app

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.sent.append(
            Sent(
                request.method,
                request.path,
                request.match_info["cid"],
                request.match_info.get("aid"),
                body,
                request.headers.get("Authorization"),
                time.monotonic(),
            )
        )
        if self.failures:
            status, headers = self.failures.pop(0)
            return web.json_response(
                {"error": {"code": "Throttled", "message": "slow down"}}, status=status, headers=headers
            )
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    async def _member(self, request: web.Request) -> web.Response:
        uid = request.match_info["uid"]
        self.lookups.append(uid)
        if uid not in MEMBERS:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(MEMBERS[uid])

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response(list(MEMBERS.values()))

    async def _paged(self, request: web.Request) -> web.Response:
        return web.json_response({"members": list(MEMBERS.values())})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.created.append(body)
        return web.json_response({"id": f"a:proactive-{len(self.created)}", "activityId": ""}, status=201)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ACTIVITIES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def activity(name: str, *, service_url: str, **changes: Any) -> dict[str, Any]:
    """A recorded activity pointed at the stand-in, with a fresh id unless one is given."""
    data = copy.deepcopy(load(name))
    data["serviceUrl"] = service_url
    data["id"] = changes.pop("id", None) or uuid.uuid4().hex
    sender = changes.pop("sender", None)
    if sender is not None:
        data["from"] = {
            "id": sender,
            "name": MEMBERS[sender]["name"],
            "aadObjectId": MEMBERS[sender]["aadObjectId"],
        }
    conversation_id = changes.pop("conversation_id", None)
    if conversation_id is not None:
        data["conversation"]["id"] = conversation_id
    data.update(changes)
    return data


class Teams:
    """Posts activities at the bot the way the Bot Framework service does, and reads the stand-in."""

    def __init__(self, client: TestClient[web.Request, web.Application], connector: Connector) -> None:
        self.client = client
        self.connector = connector

    async def post(self, body: Any, *, token: str | None = None, raw: bytes | None = None) -> int:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(body).encode()
        response = await self.client.post("/api/messages", data=data, headers=headers)
        await response.read()
        return response.status

    async def say(
        self, name: str = "personal_message", *, token: str | None = None, **changes: Any
    ) -> Sent | None:
        """Post a recorded activity; the message the stand-in received in reply, if any."""
        before = len(self.connector.activities())
        status = await self.post(activity(name, service_url=self.connector.url, **changes), token=token)
        assert status == 200, status
        new = self.connector.activities()[before:]
        return new[-1] if new else None


async def start_connector() -> tuple[Connector, TestServer]:
    connector = Connector()
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    connector.url = str(server.make_url("/"))
    return connector, server
