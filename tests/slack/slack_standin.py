"""A local stand-in of the Slack Web API: answers like Slack, records every call, can rate-limit once.

The adapter's real ``AsyncWebClient`` talks to it through ``SLACK_API_URL``; ``response_url`` and the
files_upload_v2 upload URL point at it too, so a test sees everything the bot sent to Slack. It also
serves the files people share (``share``), like files.slack.com: only with the bot token.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = "U0BOT"
TEAM = "T0SUPPORT"
TOKEN = "xoxb-test"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SharedFile:
    id: str
    name: str
    mimetype: str
    data: bytes
    chunked: bool = False
    """Served without Content-Length, as a stream (a file larger than Slack said)."""


class SlackStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, str | None] = {}
        """Slack user id → the e-mail users.info reports (``None``: no e-mail in the profile)."""
        self._rate_limited: dict[str, int] = {}
        self._uploads = 0
        self.shared: dict[str, SharedFile] = {}
        self.base_url = ""
        self.app = web.Application()
        self.app.router.add_post("/api/{method}", self._api)
        self.app.router.add_get("/api/{method}", self._api)
        self.app.router.add_post("/upload/{file_id}", self._upload)
        self.app.router.add_post("/respond/{hook}", self._respond)
        self.app.router.add_get("/files-pri/{team_file}/download/{name}", self._download)
        self.app.router.add_get("/elsewhere/{name}", self._redirect)
        self._runner: web.AppRunner | None = None

    async def start(self, port: int) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.base_url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def response_url(self, name: str = "hook") -> str:
        return f"{self.base_url}/respond/{name}"

    def share(
        self,
        name: str,
        data: bytes,
        *,
        mimetype: str = "application/octet-stream",
        size: int | None = None,
        chunked: bool = False,
    ) -> dict[str, Any]:
        """A file someone shares: kept to be downloaded, and its entry as a ``file_share`` event lists it."""
        file_id = f"F0SHARE{len(self.shared) + 1}"
        self.shared[file_id] = SharedFile(file_id, name, mimetype, data, chunked)
        return {
            "id": file_id,
            "created": 1764370600,
            "timestamp": 1764370600,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "user": "U0ANNA",
            "size": len(data) if size is None else size,
            "mode": "hosted",
            "is_external": False,
            "url_private": f"{self.base_url}/files-pri/{TEAM}-{file_id}/{name}",
            "url_private_download": f"{self.base_url}/files-pri/{TEAM}-{file_id}/download/{name}",
        }

    def rate_limit_once(self, method: str, *, retry_after: int = 1) -> None:
        """The next call of ``method`` gets HTTP 429 with ``Retry-After``, as Slack's limiter answers."""
        self._rate_limited[method] = retry_after

    # --- what the tests read ----------------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, *, timeout: float = 15.0) -> list[Call]:
        """The calls of ``method`` once there are ``count`` of them (the bot answers after the ack)."""
        deadline = time.monotonic() + timeout
        while len(self.called(method)) < count:
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"{count} × {method} not received within {timeout}s; got {seen}")
            await asyncio.sleep(0.02)
        return self.called(method)

    # --- Slack's side -----------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        self.calls.append(Call(method, args, headers=dict(request.headers)))
        if method in self._rate_limited:
            retry_after = self._rate_limited.pop(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)}
            )
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(args))

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://nordisk-verkstad.slack.com/",
            "team": "Nordisk Verkstad",
            "user": "supportbot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "B0BOT",
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user")
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        profile: dict[str, Any] = {"real_name": user, "display_name": user}
        if self.users[user]:
            profile["email"] = self.users[user]
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": TEAM,
                "name": user.lower(),
                "deleted": False,
                "is_bot": False,
                "is_email_confirmed": True,
                "profile": profile,
            },
        }

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel") or not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        ts = f"{time.time():.6f}"
        return {
            "ok": True,
            "channel": args["channel"],
            "ts": ts,
            "message": {"text": args.get("text"), "ts": ts},
        }

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel") or not args.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": f"{time.time():.6f}"}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not args.get("user_id") or not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0HOME", **view}}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        trigger = args.get("trigger_id")
        if not trigger or not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        if str(trigger).startswith("expired"):
            return {"ok": False, "error": "expired_trigger_id"}  # a trigger is valid for three seconds
        return {"ok": True, "view": {"id": f"V0MODAL{len(self.called('views.open'))}", **view}}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        """The DM with one person: ``D`` + the user id without its ``U``, as the tests' DMs are named."""
        user = args.get("users")
        if not user or "," in str(user):
            return {"ok": False, "error": "invalid_arguments"}
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": f"D{str(user)[1:]}"}}

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not args.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        self._uploads += 1
        file_id = f"F0UPLOAD{self._uploads}"
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args.get("files", "[]"))
        return {
            "ok": True,
            "files": [{"id": f["id"], "title": f.get("title"), "name": f.get("title")} for f in files],
        }

    def _files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        shared = self.shared.get(str(args.get("file")))
        if shared is None:
            return {"ok": False, "error": "file_not_found"}
        return {
            "ok": True,
            "file": {
                "id": shared.id,
                "name": shared.name,
                "mimetype": shared.mimetype,
                "size": len(shared.data),
                "url_private_download": (
                    f"{self.base_url}/files-pri/{TEAM}-{shared.id}/download/{shared.name}"
                ),
            },
        }

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """files.slack.com: the bytes with the bot token; without it, Slack's sign-in page (HTML, 200)."""
        self.calls.append(Call("download", {"path": request.path}, headers=dict(request.headers)))
        file_id = request.match_info["team_file"].rpartition("-")[2]
        shared = self.shared.get(file_id)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.Response(text="<html><body>Sign in to Slack</body></html>", content_type="text/html")
        if shared is None:
            return web.Response(status=404, text="not found")
        if not shared.chunked:
            return web.Response(body=shared.data, content_type=shared.mimetype)
        response = web.StreamResponse(headers={"Content-Type": shared.mimetype})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            for start in range(0, len(shared.data), 256 * 1024):
                await response.write(shared.data[start : start + 256 * 1024])
        except (ConnectionResetError, OSError):
            return response  # the reader stopped, as it should past its limit
        await response.write_eof()
        return response

    async def _redirect(self, request: web.Request) -> web.Response:
        """A redirect to wherever ``?to=`` says (a test's other host)."""
        self.calls.append(Call("redirect", {"path": request.path}, headers=dict(request.headers)))
        raise web.HTTPFound(request.query["to"])

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.calls.append(Call("upload", {"file_id": request.match_info["file_id"]}, body=body))
        return web.Response(text=f"OK - {len(body)}")

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await request.json(), headers=dict(request.headers)))
        return web.Response(text="ok")
