"""Bot Framework authentication from our settings, as botbuilder does it, with a few touches of our own.

``ConfigurationBotFrameworkAuthentication`` reads an object with botbuilder's configuration names;
``BotConfig`` is that object made from ``Settings``. When the OpenID metadata URL is overridden (tests
point it at a local key server) botbuilder switches to its "parameterized" authentication, which
needs every other endpoint spelled out: they are set to the public cloud's values.

The token is checked before the body is read (``authenticate_header``: a caller without a valid token
learns nothing about what we parse, and costs no parsing), then bound to the activity once it is read
(``bind``: the activity is for Teams and its ``serviceUrl`` is the one the token names) — together what
botbuilder's ``authenticate_request`` checks. In the emulator mode no token is asked for.

The connector clients it makes are tuned: msrest's own urllib3 retries are switched off for HTTP
statuses, so ``outgoing.with_retries`` is the one place that decides (and bounds) retrying; and each is
made only for a service URL the ``ServicePolicy`` allows, whoever asks for it.

botbuilder fetches the token signing keys with a blocking ``requests.get`` (no timeout) inside a
coroutine, which would stop every conversation of the worker while the key server answers. The key
caches for the endpoints we use are put in place beforehand with ``NonBlockingKeys``: fetched with
aiohttp, bounded by a timeout, one fetch shared by concurrent requests.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector import Channels
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    GovernmentConstants,
    JwtTokenExtractor,
    ServiceClientCredentialsFactory,
)
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata
from urllib3.util.retry import Retry

from supportbot.adapters.settings import Settings
from supportbot.adapters.teams.service import ServicePolicy

log = logging.getLogger(__name__)


class BotConfig:
    """The configuration object botbuilder reads (its attribute names), made from our settings."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.microsoft_app_id or ""
        self.APP_PASSWORD = (
            settings.microsoft_app_password.get_secret_value() if settings.microsoft_app_password else ""
        )
        self.APP_TENANTID = settings.microsoft_app_tenant_id or ""
        self.APP_TYPE = settings.microsoft_app_type or "MultiTenant"
        if settings.to_bot_from_channel_openid_metadata_url:
            tenant = self.APP_TENANTID if self.APP_TYPE.lower() == "singletenant" else ""
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.to_bot_from_channel_openid_metadata_url
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
                AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
            )
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = (
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + tenant
                if tenant
                else AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
            )
            self.OAUTH_URL = AuthenticationConstants.OAUTH_URL
            self.VALIDATE_AUTHORITY = True

    @property
    def authenticated(self) -> bool:
        return bool(self.APP_ID)


KEY_FETCH_TIMEOUT = aiohttp.ClientTimeout(total=10)


class NonBlockingKeys(_OpenIdMetadata):  # type: ignore[misc]  # botframework is untyped: Any base
    """botbuilder's signing-key cache for one OpenID metadata URL, refreshed without blocking the loop.

    botbuilder decides when to refresh (daily, or for an unknown key at most hourly); this only
    changes how: aiohttp with a timeout, and a lock so a burst of requests causes one fetch.
    """

    url: str
    keys: list[dict[str, Any]]
    last_updated: datetime

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._lock: asyncio.Lock | None = None

    async def _refresh(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        started = datetime.now()  # noqa: DTZ005 (botbuilder keeps this cache's times naive)
        async with self._lock:
            if self.last_updated >= started - timedelta(seconds=1):
                return  # another request fetched them while this one waited
            async with aiohttp.ClientSession(timeout=KEY_FETCH_TIMEOUT) as session:
                metadata = await _json(session, self.url)
                keys = (await _json(session, str(metadata["jwks_uri"])))["keys"]
            self.keys = keys
            self.last_updated = datetime.now()  # noqa: DTZ005 (as botbuilder compares it)


async def _json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as response:
        response.raise_for_status()
        data = await response.json(content_type=None)
    if not isinstance(data, dict):
        raise TypeError(f"{url} did not return a JSON object")
    return data


def install_key_caches(config: BotConfig) -> None:
    """Puts ``NonBlockingKeys`` in botbuilder's cache for every metadata URL it may ask for."""
    urls = {
        getattr(config, "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", None)
        or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        GovernmentConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        GovernmentConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
    }
    cache: dict[str, Any] = JwtTokenExtractor.metadataCache
    for url in urls:
        if not isinstance(cache.get(url), NonBlockingKeys):
            cache[url] = NonBlockingKeys(url)


def _tuned(client: ConnectorClient) -> ConnectorClient:
    client.config.retry_policy.policy = Retry(
        total=2, connect=2, read=0, status=0, redirect=0, status_forcelist=(), raise_on_status=False
    )
    return client


class _TunedConnectorFactory(ConnectorFactory):  # type: ignore[misc]  # botframework is untyped: Any base
    def __init__(self, inner: ConnectorFactory, services: ServicePolicy) -> None:
        self._inner = inner
        self._services = services

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        self._services.check(service_url)  # every connector call starts here: replies, roster, proactive
        return _tuned(await self._inner.create(service_url, audience))


TEAMS_CHANNEL_ID: str = Channels.ms_teams
"""The only ``channelId`` a token is accepted for: the signing key must be endorsed for Teams."""


class Authentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]  # untyped base (Any)
    """botbuilder's configuration-driven authentication, split so the token is checked before the body,
    whose connector clients leave retrying to us and call allowed connectors only."""

    def __init__(
        self,
        config: BotConfig,
        *,
        services: ServicePolicy,
        emulator: bool = False,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
    ) -> None:
        super().__init__(config, credentials_factory=credentials_factory)
        install_key_caches(config)
        self.services = services
        self.emulator = emulator and not config.authenticated
        self._authenticated = config.authenticated

    async def authenticate_header(self, auth_header: str | None) -> AuthenticateRequestResult:
        """The caller's identity from the Authorization header alone; raises when it is not valid.

        The token's signature, issuer, audience (our app id), lifetime and endorsement for Teams are
        checked here; what it says about the activity is checked by ``bind`` once the body is read.
        """
        if self.emulator:
            auth_header = None  # the emulator mode asks for no token (and checks none it is given)
        elif not self._authenticated:
            raise PermissionError("Teams has no app id: no request can be authenticated")
        elif not auth_header or not auth_header.startswith("Bearer "):
            raise PermissionError("no Bearer token in the Authorization header")
        unread = Activity(channel_id=TEAMS_CHANNEL_ID)  # the body is not read yet: no service URL
        result: AuthenticateRequestResult = await super().authenticate_request(unread, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _TunedConnectorFactory(result.connector_factory, self.services)
        return result

    def bind(self, result: AuthenticateRequestResult, activity: Activity) -> None:
        """Raises unless the token was issued for this activity: Teams', at the service URL it names."""
        if self.emulator:
            return
        if activity.channel_id != TEAMS_CHANNEL_ID:
            raise PermissionError(f"the token is for {TEAMS_CHANNEL_ID}, not {activity.channel_id!r}")
        claimed = result.claims_identity.get_claim_value(AuthenticationConstants.SERVICE_URL_CLAIM)
        if not claimed or claimed != activity.service_url:
            raise PermissionError("the token names another serviceUrl than the activity")

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        """botbuilder's one-step check, for any caller that has the activity already: the same two steps."""
        result = await self.authenticate_header(auth_header)
        self.bind(result, activity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _TunedConnectorFactory(super().create_connector_factory(claims_identity), self.services)
