"""Settings from the environment (prefix ``SUPPORTBOT_``) with an embedded default that just works."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from supportbot.bot.errors import ConfigurationError
from supportbot.integrations.private import private_file, private_folder, write_private
from supportbot.integrations.sql.database import async_database_url

log = logging.getLogger(__name__)

MIN_SECRET_KEY_BYTES = 32
"""The shortest key that signs sessions and links: 256 bits when random."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SUPPORTBOT_", env_file=None, extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    """Default: a SQLite file in ``data_dir``. ``postgresql+asyncpg://user@host/db`` for PostgreSQL."""
    migrate_on_start: bool = True
    """PostgreSQL: upgrade the database to the newest schema when the server starts (workers starting
    together take turns). Set ``false`` where ``supportbot migrate`` runs as its own deployment step;
    a server then refuses a database that is not up to date. SQLite always migrates itself."""
    redis_url: SecretStr | None = None
    """``redis://[:password@]host:6379/0``: what several workers share (the bus, conversation locks,
    rate limits). Unset: one process keeps the bus and the locks in memory and counts the limits in the
    database, the embedded default."""
    redis_prefix: str = Field(default="supportbot:", min_length=1)
    """Starts every Redis key and channel of this deployment, so several may share one Redis."""
    public_url: str = "http://127.0.0.1:8080"
    secret_key: SecretStr | None = None
    """Signs sessions and download links. Unset: generated once and kept beside the SQLite file."""
    smtp_url: SecretStr | None = None
    """``smtp://user:password@host:port`` (``smtps://`` for TLS). Unset: mail goes to ``data_dir/outbox``."""
    mail_from: str = "Customer support <support@vendor.example>"
    mail_retry_seconds: Annotated[tuple[float, ...], NoDecode] = (30, 120, 600, 3600)
    """Waits after each failed delivery of a queued mail (``30,120,600,3600``); the last one repeats."""
    mail_give_up_hours: float = Field(default=48, gt=0)
    """A mail still not accepted this long after it was queued is marked failed (and logged)."""
    support_email: str = "support@vendor.example"
    host: str = "127.0.0.1"
    port: int = 8080
    link_ttl_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    seed_demo: bool = True
    """Seed the demo records on first start (the embedded default)."""
    timezone: str = "Europe/Stockholm"
    office_hours: str = "08:00-17:00"
    """When agents take chats (in ``timezone``, on ``office_days``); outside them a handoff becomes a request."""
    office_days: str = "0-4"
    """Weekdays of the office hours, 0 = Monday: ``0-4`` or ``0,1,2,3,4``."""
    agents_around_the_clock: bool = False
    """Agents take chats at any hour, holidays included (the demo): ``office_hours`` is not applied,
    and a handoff is queued whenever an agent is online."""
    webchat_rate_limit: int = Field(default=20, ge=1)
    """Messages one web chat session may send in 10 seconds, however many connections it has (a user's
    sessions together three times that); more are politely refused."""
    session_idle_minutes: int = Field(default=12 * 60, ge=1)
    """A signed-in web chat session unused this long ends."""
    session_lifetime_hours: int = Field(default=14 * 24, ge=1)
    """A signed-in web chat session ends this long after sign-in, however busy."""
    agent_session_idle_minutes: int = Field(default=120, ge=1)
    """An agent console session unused this long ends."""
    agent_session_lifetime_hours: int = Field(default=12, ge=1)
    """An agent console session ends this long after sign-in (a working day)."""
    handoff_wait_target_minutes: int = Field(default=5, ge=1, le=24 * 60)
    """How long a customer queued for a person should wait at most: the agent console shows the time
    left ("due in 3 min"), then how long overdue."""
    state_cache_size: int = Field(default=10_000, ge=0)
    """Conversations kept in memory between turns. With ``redis_url`` set none are: each turn reads its
    conversation, which another worker may have answered last."""
    nlu_check_seconds: float = Field(default=30.0, gt=0)
    """How often, at most, a worker checks whether agents taught the NLU new examples (another worker's
    review list) and reloads it."""
    contract_notice_days: Annotated[tuple[int, ...], NoDecode] = (60, 30, 7)
    """Days before a contract ends that its users are told (``60,30,7``): once per threshold, the
    closest one crossed only."""
    notice_interval_minutes: float = Field(default=60, ge=0)
    """How often ``serve`` looks for contract notices to send (the first look shortly after start);
    0 leaves it to ``supportbot notices --run-once`` run by cron."""
    cookie_secure: bool = False
    """Set on a deployment behind HTTPS so session cookies never travel in clear text."""
    trust_forwarded_for: bool = False
    """Behind a reverse proxy: take the client's address (for sign-in limits) from the last
    ``X-Forwarded-For`` entry, the one the proxy added. Never set it without such a proxy."""
    metrics_token: SecretStr | None = None
    """``/metrics`` answers a scraper that sends ``Authorization: Bearer <token>``. Unset: it answers only
    on this machine (a loopback address and no proxy's forwarding headers)."""
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object a log line (time, level, logger, message, exception), for collectors."""

    # --- Slack (names as Slack's own tooling uses them; SUPPORTBOT_-prefixed ones work too) -------
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "SUPPORTBOT_SLACK_SIGNING_SECRET")
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "SUPPORTBOT_SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "SUPPORTBOT_SLACK_APP_TOKEN")
    )
    """Set for Socket Mode instead of the public request URL."""
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "SUPPORTBOT_SLACK_API_URL"),
    )
    """The Slack Web API base; tests point it at a local stand-in."""
    slack_file_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("files.slack.com",),
        validation_alias=AliasChoices("SLACK_FILE_HOSTS", "SUPPORTBOT_SLACK_FILE_HOSTS"),
    )
    """Hosts the files people send in Slack are downloaded from (``files.slack.com``, over https); an
    entry with a scheme and port (``http://127.0.0.1:8765``) allows exactly that origin. Comma-separated."""
    slack_agent_channel: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_AGENT_CHANNEL", "SUPPORTBOT_SLACK_AGENT_CHANNEL"),
    )
    """The agents' channel (an id like ``C0123ABCD``): each handoff becomes a thread there. Unset: off."""

    # --- Microsoft Teams (Bot Framework names) ------------------------------------------------------
    microsoft_app_id: str | None = Field(
        default=None, validation_alias=AliasChoices("MICROSOFT_APP_ID", "SUPPORTBOT_MICROSOFT_APP_ID")
    )
    microsoft_app_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MICROSOFT_APP_PASSWORD", "SUPPORTBOT_MICROSOFT_APP_PASSWORD"),
    )
    microsoft_app_tenant_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("MICROSOFT_APP_TENANT_ID", "SUPPORTBOT_MICROSOFT_APP_TENANT_ID"),
    )
    microsoft_app_type: str = Field(
        default="MultiTenant",
        validation_alias=AliasChoices("MICROSOFT_APP_TYPE", "SUPPORTBOT_MICROSOFT_APP_TYPE"),
    )
    to_bot_from_channel_openid_metadata_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", "SUPPORTBOT_TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL"
        ),
    )
    """Where Bot Framework token keys are published; tests point it at a local key server."""
    teams_enabled: bool = True
    """``false`` switches Teams off; on, /api/messages is served only with an app id or the emulator mode."""
    teams_emulator: bool = False
    """Serve /api/messages without Bot Framework tokens, for the Bot Framework Emulator on this machine:
    refused unless ``host`` is a loopback address and no app id is set; only loopback connectors are called."""
    directline_enabled: bool = False
    """Serve a Direct Line 3.0 subset under /v3/directline for Microsoft's WebChat (docs/directline.md).
    Its tokens are given only to the web chat's own pages, on the web chat's session."""
    teams_service_hosts: Annotated[tuple[str, ...], NoDecode] = ()
    """Connector hosts the bot may call besides Bot Framework's own (``host``, ``*.domain``, ``host:port``)."""
    teams_file_hosts: Annotated[tuple[str, ...], NoDecode] = ("smba.trafficmanager.net", "*.sharepoint.com")
    """The only hosts files sent in Teams are downloaded from (``host``, ``*.domain``, ``host:port``)."""

    @field_validator("teams_file_hosts", "teams_service_hosts", "slack_file_hosts", mode="before")
    @classmethod
    def _file_hosts(cls, value: object) -> object:
        """``"smba.trafficmanager.net,*.sharepoint.com"`` from the environment, lower-cased."""
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, (list, tuple)):
            value = tuple(str(v).strip().lower() for v in value if str(v).strip())
        return value

    @field_validator("contract_notice_days", mode="before")
    @classmethod
    def _notice_days(cls, value: object) -> object:
        """``"60,30,7"`` from the environment; each a whole number of days, none below zero."""
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, (list, tuple)):
            if any(not str(v).isdigit() for v in value):
                raise ValueError("give whole numbers of days, each zero or more: 60,30,7")
            value = tuple(sorted({int(v) for v in value}, reverse=True))
        return value

    @field_validator("mail_retry_seconds", mode="before")
    @classmethod
    def _retry_seconds(cls, value: object) -> object:
        """``"30,120,600,3600"`` from the environment; at least one wait, each above zero."""
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, (list, tuple)) and (not value or any(float(v) <= 0 for v in value)):
            raise ValueError("give one or more waits in seconds, each above zero: 30,120,600,3600")
        return value

    def resolved_database_url(self) -> str:
        url = self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'supportbot.sqlite3').as_posix()}"
        try:
            return async_database_url(url)
        except ValueError as exc:
            raise ConfigurationError(f"SUPPORTBOT_DATABASE_URL is not a database URL: {exc}") from None

    def resolved_secret_key(self) -> bytes:
        """The configured key, or one generated at first start and kept (mode 0600) in the data folder.

        A key under ``MIN_SECRET_KEY_BYTES`` stops the start: sessions and links signed with an empty
        or short key could be forged. The generated key is written whole or not at all, so an
        interrupted first start never leaves an empty key behind for the next one to trust.
        """
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value().encode()
            if len(value) < MIN_SECRET_KEY_BYTES:
                raise ConfigurationError(
                    f"SUPPORTBOT_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} characters "
                    "(a random one: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
            return value
        path = self.data_dir / "secret.key"
        if not path.exists():
            private_folder(self.data_dir)
            write_private(path, (secrets.token_urlsafe(48) + "\n").encode(), replace=False)
        elif private_file(path):
            log.warning("%s could be read by other users of this machine; it is now 0600", path)
        key = path.read_bytes().strip()
        if len(key) < MIN_SECRET_KEY_BYTES:
            raise ConfigurationError(
                f"{path} is empty or shorter than {MIN_SECRET_KEY_BYTES} characters, so nothing it signs "
                "could be trusted. Delete it to have a new key generated at the next start (signed-in "
                f"sessions and links already sent end), or set SUPPORTBOT_SECRET_KEY ({MIN_SECRET_KEY_BYTES} "
                "characters or more)"
            )
        return key
