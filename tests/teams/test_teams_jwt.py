"""Teams with real Bot Framework token validation against a local key server (OpenID metadata + JWKS).

botbuilder fetches keys with a blocking ``requests`` call from the event loop, so the key server runs
in a thread of its own. The bot's own outgoing token (MSAL, login.microsoftonline.com) is stubbed at
the credentials level: only the connector stand-in is ever called.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference
from botframework.connector.auth import (
    JwtTokenExtractor,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from yarl import URL

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.server import APP_KEY, create_web_app, host
from supportbot.adapters.teams.auth import NonBlockingKeys
from supportbot.adapters.teams.channel import TeamsChannel
from supportbot.adapters.teams.service import UntrustedServiceUrl
from supportbot.bot.messages import Reply
from tests.conftest import make_settings
from tests.teams.teams_helpers import ANNA, ERIK, Connector, Listener, Teams, activity, load

APP_ID = "11111111-2222-3333-4444-555555555555"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"
OUTGOING_TOKEN = "outgoing-token-from-the-stub"


class KeyServer:
    """OpenID metadata and a JWKS with one RS256 key, served from a thread."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KID, "use": "sig", "endorsements": ["msteams"]})
        keys = {"keys": [jwk]}
        server_ref: dict[str, Any] = {}
        self.delay = 0.0
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                time.sleep(owner.delay)
                if self.path == "/v1/.well-known/openidconfiguration":
                    port = server_ref["server"].server_address[1]
                    body = {"issuer": ISSUER, "jwks_uri": f"http://127.0.0.1:{port}/v1/keys"}
                elif self.path == "/v1/keys":
                    body = keys
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server_ref["server"] = self.server
        self.thread = threading.Thread(target=self.server.serve_forever, name="key-server", daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/.well-known/openidconfiguration"

    def token(self, service_url: str, *, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": APP_ID,
            "serviceurl": service_url,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + 3600,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KID})


class FixedTokenCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTGOING_TOKEN


class StubCredentialsFactory(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
    """botbuilder's factory, except that the bot's own token comes from no identity provider."""

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return FixedTokenCredentials(app_id, "unused", None, oauth_scope)


@pytest.fixture(scope="module")
def key_server() -> Iterator[KeyServer]:
    server = KeyServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
async def secured(data_dir: Path, key_server: KeyServer, connector: Connector) -> AsyncIterator[Teams]:
    settings = make_settings(
        data_dir,
        microsoft_app_id=APP_ID,
        microsoft_app_password="not-a-real-secret",
        to_bot_from_channel_openid_metadata_url=key_server.metadata_url,
        teams_enabled=False,
        teams_file_hosts=(
            f"127.0.0.1:{URL(connector.url).port}",
            f"localhost:{URL(connector.url).port}",  # the same stand-in, another origin
        ),
        teams_service_hosts=(f"127.0.0.1:{URL(connector.url).port}",),  # beside Bot Framework's own
    )
    app = await build_application(settings)
    web_app = create_web_app(app)
    host(web_app, TeamsChannel(app, credentials_factory=StubCredentialsFactory(APP_ID, "not-a-real-secret")))
    async with TestClient(TestServer(web_app)) as client:
        yield Teams(client, connector)


async def test_a_valid_token_is_answered(secured: Teams, key_server: KeyServer) -> None:
    token = key_server.token(secured.connector.url)
    sent = await secured.say(text="where is my order 4711?", sender=ANNA, token=token)
    assert sent is not None
    assert "PostNord" in sent.shown
    assert sent.authorization == f"Bearer {OUTGOING_TOKEN}"
    assert all(s.authorization == f"Bearer {OUTGOING_TOKEN}" for s in secured.connector.sent)


def _other_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not bearer",
        "garbage",
        "bad signature",
        "expired",
        "wrong audience",
        "wrong issuer",
        "other service url",
        "unknown key",
    ],
)
async def test_a_bad_token_is_refused_with_401(secured: Teams, key_server: KeyServer, case: str) -> None:
    url = secured.connector.url
    body = activity("personal_message", service_url=url, sender=ANNA)
    headers: dict[str, str] = {"Content-Type": "application/json"}
    token: str | None
    if case == "missing":
        token = None
    elif case == "not bearer":
        headers["Authorization"] = "Basic " + key_server.token(url)
        token = None
    elif case == "garbage":
        token = "not.a.jwt"
    elif case == "bad signature":
        token = key_server.token(url, key=_other_key())
    elif case == "expired":
        token = key_server.token(url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200)
    elif case == "wrong audience":
        token = key_server.token(url, aud=str(uuid.uuid4()))
    elif case == "wrong issuer":
        token = key_server.token(url, iss="https://evil.example")
    elif case == "other service url":
        token = key_server.token("https://smba.trafficmanager.net/emea/")
    else:
        token = jwt.encode(
            {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "exp": int(time.time()) + 600},
            key_server.key,
            algorithm="RS256",
            headers={"kid": "no-such-key"},
        )
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await secured.client.post("/api/messages", data=json.dumps(body), headers=headers)
    assert response.status == 401
    assert secured.connector.sent == []


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


async def test_the_bots_token_goes_only_to_the_connector_for_a_pasted_picture(
    secured: Teams, key_server: KeyServer
) -> None:
    connector = secured.connector
    connector.attachment_token = OUTGOING_TOKEN
    token = key_server.token(connector.url)
    picture = load("inline_image")["attachments"]
    picture[0]["contentUrl"] = connector.serve_picture("0-weu-d4-panel", PNG)
    sent = await secured.say(
        "inline_image", sender=ERIK, token=token, text="the panel for RQ-2026-000002", attachments=picture
    )
    assert sent is not None and "I've added image.png to request RQ-2026-000002" in sent.shown

    document = load("file_message")["attachments"]
    document[0]["content"]["downloadUrl"] = connector.serve("boot.log", b"power-on self test failed\n")
    sent = await secured.say("file_message", sender=ERIK, token=token, attachments=document)
    assert sent is not None and "I've added boot.log to request RQ-2026-000002" in sent.shown

    # A picture said to be elsewhere (an allowed host, but not the connector's origin) gets no token.
    elsewhere = URL(connector.url).with_host("localhost")
    picture[0]["contentUrl"] = str(elsewhere / "v3/attachments/0-weu-d4-panel/views/original")
    sent = await secured.say(
        "inline_image", sender=ERIK, token=token, text="and again for RQ-2026-000002", attachments=picture
    )
    assert sent is not None and "I couldn't fetch image.png from Teams" in sent.shown
    assert connector.fetched == [
        ("/v3/attachments/0-weu-d4-panel/views/original", f"Bearer {OUTGOING_TOKEN}"),
        ("/files/boot.log", None),
        ("/v3/attachments/0-weu-d4-panel/views/original", None),
    ]


async def test_a_slow_key_server_does_not_stop_other_conversations(
    secured: Teams, key_server: KeyServer
) -> None:
    # botbuilder itself would fetch the keys with a blocking call on the event loop.
    cache = JwtTokenExtractor.metadataCache
    cache[key_server.metadata_url] = NonBlockingKeys(key_server.metadata_url)  # keys not fetched yet
    key_server.delay, key_server.fetches = 0.4, 0
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        token = key_server.token(secured.connector.url)
        answers = await asyncio.gather(
            *(secured.say(text="where is my order 4711?", sender=ANNA, token=token) for _ in range(3))
        )
    finally:
        ticker.cancel()
        key_server.delay = 0.0
    assert all(a is not None and "PostNord" in a.shown for a in answers)
    assert key_server.fetches == 2, "one metadata and one key fetch, shared by the three requests"
    assert ticks >= 10, "the event loop kept running while the keys were fetched (0.8 s)"


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"type": "message"}', b"\xff\xfe", b""])
async def test_the_token_is_checked_before_the_body_is_read(
    secured: Teams, key_server: KeyServer, raw: bytes
) -> None:
    assert await secured.post(None, raw=raw) == 401
    assert await secured.post(None, raw=raw, token="not.a.jwt") == 401
    assert await secured.post(None, raw=raw, token=key_server.token(secured.connector.url, exp=1)) == 401
    # Only a caller with a valid token learns what is wrong with the body.
    assert await secured.post(None, raw=raw, token=key_server.token(secured.connector.url)) == 400
    assert secured.connector.sent == []


async def test_a_valid_token_for_a_service_url_off_the_allow_list_calls_nothing(
    secured: Teams, key_server: KeyServer, attacker: Listener
) -> None:
    # Signed by the Bot Framework's key and naming the same serviceUrl as the activity: all that a
    # token can say is right, but the bot does not call a connector that is not on its list.
    forged = activity("personal_message", service_url=attacker.url, sender=ANNA, text="show my invoices")
    assert await secured.post(forged, token=key_server.token(attacker.url)) == 403
    # Without a token, or with a token for the allowed connector, the same activity is refused too.
    assert await secured.post(forged) == 401
    assert await secured.post(forged, token=key_server.token(secured.connector.url)) == 401
    assert attacker.hits == []
    assert secured.connector.sent == []


async def test_a_stored_reference_to_a_service_url_off_the_allow_list_is_never_called(
    secured: Teams, key_server: KeyServer, attacker: Listener
) -> None:
    connector = secured.connector
    token = key_server.token(connector.url)
    await secured.say(text="hello", sender=ANNA, token=token)
    await secured.say("channel_mention", sender=ERIK, token=token)
    app: Application = secured.client.server.app[APP_KEY]
    for user in ("anna.berg@nordisk.example", "erik.lund@nordisk.example"):
        stored = await app.store.conversation_ref("teams", user)
        assert stored is not None and stored["serviceUrl"] == connector.url
        await app.store.save_conversation_ref("teams", user, stored | {"serviceUrl": attacker.url})
    channel = TeamsChannel(app, credentials_factory=StubCredentialsFactory(APP_ID, "not-a-real-secret"))
    before = len(connector.sent)
    assert not await channel.deliver("anna.berg@nordisk.example", Reply(text="Your invoice"))
    assert not await channel.deliver("erik.lund@nordisk.example", Reply(text="Access granted"))
    # Beneath that check, no connector client is made for such a URL, whoever asks botbuilder for one.
    stored = await app.store.conversation_ref("teams", "anna.berg@nordisk.example")
    assert stored is not None
    reference = ConversationReference().deserialize(stored)

    async def send(context: TurnContext) -> None:
        await context.send_activity("Your invoice")

    with pytest.raises(UntrustedServiceUrl):
        await channel.adapter.continue_conversation(reference, send, bot_app_id=APP_ID)
    assert attacker.hits == []
    assert connector.sent[before:] == [] and connector.created == []
