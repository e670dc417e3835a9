"""Bot Framework authentication from our settings, as botbuilder does it, with two of our own touches.

``ConfigurationBotFrameworkAuthentication`` reads an object with botbuilder's configuration names;
``BotConfig`` is that object made from ``Settings``. When the OpenID metadata URL is overridden (tests
point it at a local key server) botbuilder switches to its "parameterized" authentication, which
needs every other endpoint spelled out: they are set to the public cloud's values.

The connector clients it makes are tuned: msrest's own urllib3 retries are switched off for HTTP
statuses, so ``outgoing.with_retries`` is the one place that decides (and bounds) retrying.
"""

from __future__ import annotations

import logging

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
)
from urllib3.util.retry import Retry

from supportbot.adapters.settings import Settings

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


def _tuned(client: ConnectorClient) -> ConnectorClient:
    client.config.retry_policy.policy = Retry(
        total=2, connect=2, read=0, status=0, redirect=0, status_forcelist=(), raise_on_status=False
    )
    return client


class _TunedConnectorFactory(ConnectorFactory):  # type: ignore[misc]  # botframework is untyped: Any base
    def __init__(self, inner: ConnectorFactory) -> None:
        self._inner = inner

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return _tuned(await self._inner.create(service_url, audience))


class Authentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]  # untyped base (Any)
    """botbuilder's configuration-driven authentication whose connector clients leave retrying to us."""

    def __init__(
        self, config: BotConfig, *, credentials_factory: ServiceClientCredentialsFactory | None = None
    ) -> None:
        super().__init__(config, credentials_factory=credentials_factory)

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _TunedConnectorFactory(result.connector_factory)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _TunedConnectorFactory(super().create_connector_factory(claims_identity))
