"""A local stand-in of the Bot Framework connector, and recorded activities to post at the bot.

Besides taking the bot's messages, card updates and roster look-ups, the stand-in serves files the way
Teams does: a file from the compose box at a pre-authenticated download URL (``/files/<name>``) and a
pasted picture at ``/v3/attachments/<id>/views/original``, which can be made to want the bot's token.
"""

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
    id: str = ""
    """The id the stand-in gave the activity (Teams' message id: a card's submit names it in ``replyToId``)."""

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

    def elements(self, kind: str) -> list[dict[str, Any]]:
        """Every element of the card of this type (``Input.Text``, ``FactSet``…), in order."""
        found: list[dict[str, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == kind:
                    found.append(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.card)
        return found

    def form_value(self, **changes: str) -> dict[str, Any]:
        """What Teams posts when the card's form is sent: the submit's data with every input's value
        by its id (the values shown, changed by ``changes``)."""
        [submit] = [b for b in self.buttons() if "supportbot_form" in b["data"]]
        inputs = [*self.elements("Input.Text"), *self.elements("Input.ChoiceSet")]
        values = {i["id"]: str(i.get("value", "")) for i in inputs}
        unknown = set(changes) - set(values)
        assert not unknown, f"the card has no inputs {unknown}"
        return {**submit["data"], **values, **changes}


@dataclass
class Served:
    """A file the stand-in serves; ``announce=False`` sends it chunked, without a Content-Length."""

    data: bytes
    content_type: str
    announce: bool = True


@dataclass
class Connector:
    """Records what the bot sends; answers roster look-ups; can be told to fail the next sends;
    serves files (see the module) and records who fetched them."""

    sent: list[Sent] = field(default_factory=list)
    updates: list[Sent] = field(default_factory=list)
    """Activities the bot replaced (PUT), such as a sent form's card."""
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    files: dict[str, Served] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    fetched: list[tuple[str, str | None]] = field(default_factory=list)
    """``(path, Authorization header)`` of every file fetched."""
    attachment_token: str | None = None
    """When set, pictures are served only to ``Bearer <attachment_token>``."""
    url: str = ""
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def fail_next(self, status: int, **headers: str) -> None:
        self.failures.append((status, headers))

    def activities(self) -> list[Sent]:
        return [s for s in self.sent if s.body.get("type") == "message"]

    def in_conversation(self, conversation_id: str) -> list[Sent]:
        return [s for s in self.activities() if s.conversation_id == conversation_id]

    def serve(self, name: str, data: bytes, content_type: str = "application/octet-stream", **kw: Any) -> str:
        """Serve a file from the compose box; its pre-authenticated download URL."""
        self.files[name] = Served(data, content_type, **kw)
        return f"{self.url}files/{name}"

    def serve_picture(self, attachment_id: str, data: bytes, content_type: str = "image/png") -> str:
        """Serve a pasted picture; its contentUrl on the connector."""
        self.files[f"attachment:{attachment_id}"] = Served(data, content_type)
        return f"{self.url}v3/attachments/{attachment_id}/views/original"

    def redirect(self, name: str, to: str) -> str:
        self.redirects[name] = to
        return f"{self.url}redirect/{name}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged)
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get("/v3/attachments/{aid}/views/{view}", self._picture)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_get("/redirect/{name}", self._redirect)
        return app

    def _record(self, request: web.Request, body: dict[str, Any], activity_id: str = "") -> Sent:
        return Sent(
            request.method,
            request.path,
            request.match_info["cid"],
            request.match_info.get("aid"),
            body,
            request.headers.get("Authorization"),
            time.monotonic(),
            activity_id,
        )

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        activity_id = f"reply-{next(self._ids)}"
        self.sent.append(self._record(request, body, activity_id))
        if self.failures:
            status, headers = self.failures.pop(0)
            return web.json_response(
                {"error": {"code": "Throttled", "message": "slow down"}}, status=status, headers=headers
            )
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        self.updates.append(self._record(request, await request.json(), request.match_info["aid"]))
        return web.json_response({"id": request.match_info["aid"]})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        self.fetched.append((request.path, request.headers.get("Authorization")))
        served = self.files.get(request.match_info["name"])
        if served is None:
            return web.Response(status=404)
        return await _body(request, served)

    async def _picture(self, request: web.Request) -> web.StreamResponse:
        self.fetched.append((request.path, request.headers.get("Authorization")))
        if (
            self.attachment_token
            and request.headers.get("Authorization") != f"Bearer {self.attachment_token}"
        ):
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        served = self.files.get(f"attachment:{request.match_info['aid']}")
        if served is None:
            return web.Response(status=404)
        return await _body(request, served)

    async def _redirect(self, request: web.Request) -> web.Response:
        self.fetched.append((request.path, request.headers.get("Authorization")))
        raise web.HTTPFound(self.redirects[request.match_info["name"]])

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


async def _body(request: web.Request, served: Served) -> web.StreamResponse:
    if served.announce:
        return web.Response(body=served.data, content_type=served.content_type)
    response = web.StreamResponse(headers={"Content-Type": served.content_type})
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        for start in range(0, len(served.data), 256 * 1024):
            await response.write(served.data[start : start + 256 * 1024])
        await response.write_eof()
    except (ConnectionResetError, RuntimeError):
        pass  # the bot stopped reading: what a hard cap does
    return response


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


@dataclass
class Listener:
    """A server on another loopback port standing in for someone else's: it records every request,
    and a test asserts that the bot never called it."""

    hits: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def app(self) -> web.Application:
        async def anything(request: web.Request) -> web.Response:
            self.hits.append(f"{request.method} {request.path}")
            return web.json_response(MEMBERS[ANNA])  # a plausible answer to whatever was asked

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", anything)
        return app


async def start_listener() -> tuple[Listener, TestServer]:
    listener = Listener()
    server = TestServer(listener.app(), host="127.0.0.1")
    await server.start_server()
    listener.url = str(server.make_url("/"))
    return listener, server


async def start_connector() -> tuple[Connector, TestServer]:
    connector = Connector()
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    connector.url = str(server.make_url("/"))
    return connector, server
