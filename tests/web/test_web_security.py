"""The request checks both web doors share (``adapters.web.security``), through the real server: the
web chat's sign-in (``/webchat``) and the agent console's (``/agents``) refuse the same input with
the same answer, and both refuse a request from another site."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from supportbot.adapters.web.security import MAX_PASSWORD_CHARS, MAX_USER_CHARS
from tests.web.webchat_helpers import DEMO_PASSWORD

pytestmark = pytest.mark.asyncio(loop_scope="module")

DOORS = ("/webchat/api/login", "/agents/api/login")
Client = TestClient[web.Request, web.Application]


async def post(client: Client, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    headers = {"Origin": str(client.make_url("/").origin()), **kwargs.pop("headers", {})}
    async with client.session.post(client.make_url(path), headers=headers, **kwargs) as response:
        return response.status, await response.json()


async def at_both_doors(client: Client, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """The one answer both doors give: they must agree."""
    webchat, agents = [await post(client, path, **kwargs) for path in DOORS]
    assert webchat == agents, (webchat, agents)
    return webchat


async def test_over_long_sign_in_input_is_refused_at_both_doors(client: Client) -> None:
    for user, password in (
        ("u" * (MAX_USER_CHARS + 1), DEMO_PASSWORD),
        ("sara@support.example", "p" * (MAX_PASSWORD_CHARS + 1)),
    ):
        status, body = await at_both_doors(client, json={"user": user, "password": password})
        # Refused, never cut to fit: a cut password would be tried (and counted) as another one.
        assert status == 400
        assert body["error"] == "bad_request" and body["message"]


async def test_input_at_the_limits_is_tried_at_both_doors(client: Client) -> None:
    status, body = await at_both_doors(
        client, json={"user": "u" * MAX_USER_CHARS, "password": "p" * MAX_PASSWORD_CHARS}
    )
    assert (status, body["error"]) == (401, "invalid_credentials")


async def test_a_body_that_is_not_the_documented_json_is_one_polite_error(client: Client) -> None:
    json_type = {"Content-Type": "application/json"}
    malformed = await at_both_doors(client, data=b'{"user": "anna', headers=json_type)
    not_an_object = await at_both_doors(client, data=b'["anna", "demo"]', headers=json_type)
    assert malformed == not_an_object
    assert malformed[0] == 400 and malformed[1]["error"] == "bad_request" and malformed[1]["message"]
    not_json = await at_both_doors(client, data=b"user=anna&password=demo")
    assert not_json[0] == 415 and not_json[1]["message"] == malformed[1]["message"]
    too_large = await at_both_doors(client, data=b"{" + b" " * 9000 + b"}", headers=json_type)
    assert too_large[0] == 413 and too_large[1]["error"] == "bad_request"


async def test_a_request_from_another_site_is_refused_at_both_doors(client: Client) -> None:
    foreign = {"Origin": "https://attacker.example"}
    status, body = await at_both_doors(
        client, json={"user": "sara@support.example", "password": DEMO_PASSWORD}, headers=foreign
    )
    assert (status, body["error"]) == (403, "forbidden") and body["message"]
    for path in ("/webchat/api/logout", "/agents/api/logout"):
        assert (await post(client, path, headers=foreign))[0] == 403
    for path in ("/webchat/ws", "/agents/ws"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.session.ws_connect(client.make_url(path), headers=foreign)
        assert refused.value.status == 403


async def test_the_same_sign_in_still_lets_an_agent_in(client: Client) -> None:
    status, body = await post(
        client, "/agents/api/login", json={"user": " sara@support.example ", "password": DEMO_PASSWORD}
    )
    assert status == 200 and body["agent"]["id"] == "sara@support.example"
