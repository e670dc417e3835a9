"""Whom the Teams channel trusts: nobody until it is configured, and then only Bot Framework's connectors.

An activity names the ``serviceUrl`` the bot answers at and asks the roster of; whoever can post one
must never make the bot call a host of their choosing. ``attacker`` is a listener on another loopback
port standing in for such a host: every test here ends by checking that it was never called.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from supportbot.adapters import teams as teams_adapter
from supportbot.adapters.app import build_application
from supportbot.adapters.server import create_web_app
from supportbot.adapters.teams.activity import file_links, parse_activity
from supportbot.adapters.teams.files import Downloader
from supportbot.bot.errors import ConfigurationError
from tests.conftest import TEST_SECRET, make_settings
from tests.teams.teams_helpers import ANNA, Connector, Listener, activity, load

ATTACKER_HOST = "connector.attacker.example"


@pytest.fixture
def public_attacker(monkeypatch: pytest.MonkeyPatch, attacker: Listener) -> str:
    """A service URL on a public-looking host name that this process resolves to ``attacker``."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == ATTACKER_HOST else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return f"http://{ATTACKER_HOST}:{attacker.port}/"


async def test_by_default_teams_is_off_and_the_start_up_log_says_so(
    data_dir: Path, attacker: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(data_dir)
    with caplog.at_level(logging.INFO, logger="supportbot.adapters.teams"):
        web_app = create_web_app(await build_application(settings))
    said = [r.getMessage() for r in caplog.records if r.name.startswith("supportbot.adapters.teams")]
    assert any(line.startswith("teams: off") for line in said), said
    async with TestClient(TestServer(web_app)) as client:
        forged = activity("personal_message", service_url=attacker.url, sender=ANNA, text="show my invoices")
        response = await client.post("/api/messages", json=forged)
        assert response.status == 404
    assert attacker.hits == []


async def test_the_emulator_is_refused_unless_the_server_listens_on_loopback(data_dir: Path) -> None:
    for host in ("0.0.0.0", "::", "", "192.0.2.10", "supportbot.example"):
        with pytest.raises(ConfigurationError, match=r"SUPPORTBOT_TEAMS_EMULATOR.*loopback"):
            teams_adapter.check(make_settings(data_dir, host=host, teams_emulator=True))
    for host in ("127.0.0.1", "127.0.0.5", "::1", "[::1]", "localhost"):
        teams_adapter.check(make_settings(data_dir, host=host, teams_emulator=True))
    with pytest.raises(ConfigurationError, match=r"SUPPORTBOT_TEAMS_EMULATOR.*MICROSOFT_APP_ID"):
        teams_adapter.check(make_settings(data_dir, teams_emulator=True, microsoft_app_id="an-app-id"))
    # The same check guards every way of building the server.
    app = await build_application(make_settings(data_dir, host="0.0.0.0", teams_emulator=True))
    try:
        with pytest.raises(ConfigurationError):
            create_web_app(app)
    finally:
        await app.close()


async def test_the_emulator_never_calls_a_service_url_off_loopback(
    data_dir: Path, connector: Connector, attacker: Listener, public_attacker: str
) -> None:
    app = await build_application(make_settings(data_dir, teams_emulator=True))
    async with TestClient(TestServer(create_web_app(app))) as client:
        forged = activity("personal_message", service_url=public_attacker, sender=ANNA, text="my invoices")
        response = await client.post("/api/messages", json=forged)
        assert response.status == 403
        # A loopback connector (the Bot Framework Emulator's) is answered as before.
        local = activity("personal_message", service_url=connector.url, sender=ANNA, text="hello")
        assert (await client.post("/api/messages", json=local)).status == 200
    assert attacker.hits == []
    assert connector.activities(), "the loopback connector got its answer"


async def test_the_token_of_a_pasted_picture_goes_only_to_an_allowed_connector(
    connector: Connector,
) -> None:
    from supportbot.adapters.teams.service import ServicePolicy

    connector.attachment_token = "the-bots-token"
    picture = load("inline_image")["attachments"]
    picture[0]["contentUrl"] = connector.serve_picture("0-weu-d4-panel", b"\x89PNG\r\n\x1a\n" * 8)
    raw = load("inline_image") | {"serviceUrl": connector.url, "attachments": picture}
    links = file_links(parse_activity(raw))
    port = URL(connector.url).port

    async def token() -> str:
        return "the-bots-token"

    # The file host is allowed, but the connector named as the service is not one the bot calls.
    downloader = Downloader([f"127.0.0.1:{port}"], services=ServicePolicy(("smba.trafficmanager.net",)))
    fetched = await downloader.fetch(links, service_url=connector.url, token=token)
    assert fetched.failed == ["image.png"] and fetched.files == []
    allowed = Downloader([f"127.0.0.1:{port}"], services=ServicePolicy((f"127.0.0.1:{port}",)))
    fetched = await allowed.fetch(links, service_url=connector.url, token=token)
    assert [f.name for f in fetched.files] == ["image.png"]
    assert [auth for _, auth in connector.fetched] == [None, "Bearer the-bots-token"]


# --- the real command ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data_dir: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = dict(os.environ, SUPPORTBOT_DATA_DIR=str(data_dir), SUPPORTBOT_SECRET_KEY=TEST_SECRET)
    for name in list(environment):
        if name.startswith(("MICROSOFT_APP", "SUPPORTBOT_TEAMS", "SUPPORTBOT_MICROSOFT")):
            del environment[name]
    environment.update(env)
    return subprocess.Popen(
        [sys.executable, "-m", "supportbot.adapters.cli", "serve", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _post(url: str) -> int:
    request = urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_serve_with_default_settings_serves_no_teams_and_says_so(data_dir: Path) -> None:
    port = _free_port()
    server = _serve(data_dir, "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = _post(f"http://127.0.0.1:{port}/api/messages")
                break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert status == 404
    assert "teams: off" in output, output


def test_serve_refuses_the_emulator_on_an_address_other_than_loopback(data_dir: Path) -> None:
    server = _serve(
        data_dir, "--host", "0.0.0.0", "--port", str(_free_port()), SUPPORTBOT_TEAMS_EMULATOR="true"
    )
    try:
        output, _ = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        pytest.fail(f"the server started with the emulator on every address:\n{output}")
    assert server.returncode == 2
    assert "SUPPORTBOT_TEAMS_EMULATOR" in output and "loopback" in output, output
