"""Settings from the environment (prefix ``SUPPORTBOT_``) with an embedded default that just works."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from supportbot.bot.errors import ConfigurationError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUPPORTBOT_", env_file=None, extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None
    """Default: a SQLite file in ``data_dir``. ``postgresql+asyncpg://user@host/db`` for PostgreSQL."""
    public_url: str = "http://127.0.0.1:8080"
    secret_key: SecretStr | None = None
    """Signs sessions and download links. Unset: generated once and kept beside the SQLite file."""
    smtp_url: SecretStr | None = None
    """``smtp://user:password@host:port`` (``smtps://`` for TLS). Unset: mail goes to ``data_dir/outbox``."""
    mail_from: str = "Customer support <support@vendor.example>"
    support_email: str = "support@vendor.example"
    host: str = "127.0.0.1"
    port: int = 8080
    link_ttl_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    seed_demo: bool = True
    """Seed the demo records on first start (the embedded default)."""
    timezone: str = "Europe/Stockholm"
    webchat_rate_limit: int = Field(default=20, ge=1)
    """Messages one web chat connection may send in 10 seconds; more are politely refused."""
    state_cache_size: int = Field(default=10_000, ge=0)
    """Conversations kept in memory between turns. Set 0 when several workers share the database."""
    cookie_secure: bool = False
    """Set on a deployment behind HTTPS so session cookies never travel in clear text."""
    trust_forwarded_for: bool = False
    """Behind a reverse proxy: take the client's address (for sign-in limits) from the last
    ``X-Forwarded-For`` entry, the one the proxy added. Never set it without such a proxy."""

    def resolved_database_url(self) -> str:
        url = self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'supportbot.sqlite3').as_posix()}"
        try:
            parsed = make_url(url)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a configuration error
            raise ConfigurationError(f"SUPPORTBOT_DATABASE_URL is not a database URL: {exc}") from None
        if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
            url = url.replace(parsed.drivername, "sqlite+aiosqlite", 1)
        elif parsed.drivername in {"postgresql", "postgres", "postgresql+psycopg2"}:
            url = url.replace(parsed.drivername, "postgresql+asyncpg", 1)
        return url

    def resolved_secret_key(self) -> bytes:
        """The configured key, or one generated at first start and kept (mode 0600) in the data folder."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < 16:
                raise ConfigurationError("SUPPORTBOT_SECRET_KEY must be at least 16 characters")
            return value.encode()
        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_text().strip().encode()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
        return key.encode()
