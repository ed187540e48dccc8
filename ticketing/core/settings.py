"""Settings read from the environment, so one code base runs on a laptop and in production.

Every setting has a default that works from a fresh checkout (SQLite under ``var/``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = PACKAGE_DIR / "config"


def _default_database_url() -> str:
    """SQLite file in ``<repo>/var``; the folder is created so the first run just works."""
    var = REPO_ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'yijian.db'}"


@dataclass(frozen=True)
class Settings:
    """Connection strings and paths; immutable so a running app cannot drift."""

    database_url: str = field(default_factory=_default_database_url)
    rasa_socket_url: str = "http://localhost:5005"
    webchat_js: Path = REPO_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
    timezone: str = "Asia/Shanghai"
    hotline_number: str = "12345"
    config_dir: Path = CONFIG_DIR


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    kwargs: dict[str, object] = {}
    if env.get("DATABASE_URL"):
        kwargs["database_url"] = env["DATABASE_URL"]
    if env.get("RASA_SOCKET_URL"):
        kwargs["rasa_socket_url"] = env["RASA_SOCKET_URL"]
    if env.get("WEBCHAT_JS"):
        kwargs["webchat_js"] = Path(env["WEBCHAT_JS"])
    if env.get("YIJIAN_TZ"):
        kwargs["timezone"] = env["YIJIAN_TZ"]
    if env.get("YIJIAN_HOTLINE_NUMBER"):
        kwargs["hotline_number"] = env["YIJIAN_HOTLINE_NUMBER"]
    if env.get("YIJIAN_CONFIG_DIR"):
        kwargs["config_dir"] = Path(env["YIJIAN_CONFIG_DIR"])
    return Settings(**kwargs)  # type: ignore[arg-type]
