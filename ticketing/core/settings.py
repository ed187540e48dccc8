"""Every environment variable the ticketing service reads, in one typed object (pydantic-settings).

One code base runs on a laptop and in production: every setting has a default that works from a fresh
checkout (SQLite under ``var/``). Nothing else in ``ticketing/`` reads ``os.environ``
(tests/ticketing/core/test_settings.py greps for it), and ``ticketing/.env.example`` lists the same
names. A blank variable counts as unset, as it always did, except ``YIJIAN_TRUSTED_PROXIES``, where
blank means "trust no proxy". A value of the wrong type stops the start with the variable's name.
"""
from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = PACKAGE_DIR / "config"
NODE_MODULES = REPO_ROOT / "node_modules"
DEFAULT_TRUSTED_PROXIES = "127.0.0.1/8,::1"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CommaSeparated = NoDecode  # parsed by our validators below, not as JSON


def _default_database_url() -> str:
    """SQLite file in ``<repo>/var``; the folder is created so the first run just works."""
    var = REPO_ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'yijian.db'}"


def _env(name: str, default: Any = None, **kwargs: Any) -> Any:
    """A field read from the environment variable ``name``."""
    if "default_factory" in kwargs:
        return Field(validation_alias=name, **kwargs)
    return Field(default, validation_alias=name, **kwargs)


class Settings(BaseSettings):
    """Connections, paths, secrets and switches; immutable so a running app cannot drift.

    Tests build one with field names (``Settings(database_url=...)``); the rest comes from the environment.
    """

    # Defaults are written typed (validate_default=False), except the proxies' text form below.
    model_config = SettingsConfigDict(frozen=True, validate_by_name=True, case_sensitive=True, extra="forbid",
                                      validate_default=False)

    # Connections and files
    database_url: str = _env("DATABASE_URL", default_factory=_default_database_url)
    rasa_socket_url: str = _env("RASA_SOCKET_URL", "http://localhost:5005")
    webchat_js: Path = _env("WEBCHAT_JS", NODE_MODULES / "rasa-webchat" / "lib" / "index.js")
    echarts_js: Path = _env("ECHARTS_JS", NODE_MODULES / "echarts" / "dist" / "echarts.min.js")
    config_dir: Path = _env("YIJIAN_CONFIG_DIR", CONFIG_DIR)
    # The hotline
    timezone: str = _env("YIJIAN_TZ", "Asia/Shanghai")
    hotline_number: str = _env("YIJIAN_HOTLINE_NUMBER", "12345")
    # Who may do what
    secret_key: SecretStr = _env("YIJIAN_SECRET_KEY", SecretStr(""))
    cookie_secure: bool = _env("YIJIAN_COOKIE_SECURE", False)
    api_token: SecretStr = _env("YIJIAN_API_TOKEN", SecretStr(""))
    open311_api_keys: Annotated[frozenset[str], CommaSeparated] = _env("OPEN311_API_KEYS", frozenset())
    # Rate limits
    redis_url: str = _env("YIJIAN_REDIS_URL", "")
    rate_limit_prefix: str = _env("YIJIAN_RATE_LIMIT_PREFIX", "yijian:rl:")
    trusted_proxies: Annotated[tuple[Network, ...], CommaSeparated] = _env(
        "YIJIAN_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES, validate_default=True)
    # Notifying residents (docs/notifications.md)
    public_base_url: str = _env("YIJIAN_PUBLIC_BASE_URL", "http://localhost:8000")
    amqp_url: str = _env("YIJIAN_AMQP_URL", "")
    smtp_url: str = _env("YIJIAN_SMTP_URL", "")
    mail_from: str = _env("YIJIAN_MAIL_FROM", "12345热线 <noreply@12345.localhost>")
    sms_url: str = _env("YIJIAN_SMS_URL", "")
    sms_access_key: str = _env("YIJIAN_SMS_ACCESS_KEY", "")
    sms_secret: SecretStr = _env("YIJIAN_SMS_SECRET", SecretStr(""))
    notify_poll_seconds: float = _env("YIJIAN_NOTIFY_POLL_SECONDS", 1.0)
    notify_dev_log: Path = _env("YIJIAN_NOTIFY_DEV_LOG", REPO_ROOT / "var" / "notifications-dev.jsonl")
    # Development and tests
    demo_password: str = _env("YIJIAN_DEMO_PASSWORD", "")
    seed_own_examples: bool = _env("YIJIAN_SEED_OWN_EXAMPLES", False)
    test_fast_hash: bool = _env("YIJIAN_TEST_FAST_HASH", False)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and not value.strip() and info.field_name != "trusted_proxies":
            raise PydanticUseDefault()
        return value.strip() if isinstance(value, str) else value

    @field_validator("open311_api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        return frozenset(_parts(value)) if isinstance(value, str) else value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_networks(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return tuple(ipaddress.ip_network(part, strict=False) for part in _parts(value))
        except ValueError as exc:
            raise ValueError(f"comma-separated addresses or networks expected ({exc})") from None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from None
        return value


def _parts(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


ENV_NAMES: tuple[str, ...] = tuple(str(field.validation_alias) for field in Settings.model_fields.values())


def load_settings() -> Settings:
    """Settings from the process environment.

    Built again only when one of our variables changed (building takes about a millisecond), so code
    without an app at hand (rate limits, the proxy check) may ask per call, and tests may set a
    variable after import."""
    return _settings_for(tuple(os.environ.get(name) for name in ENV_NAMES))


@lru_cache(maxsize=8)
def _settings_for(values: tuple[str | None, ...]) -> Settings:
    return Settings()
