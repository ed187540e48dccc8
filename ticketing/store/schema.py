"""The database schema: Alembic migrations run from code, so `make run`, the CLI and the tests share one path."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

STORE_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    """Alembic config pointing at our migrations folder and the given database."""
    cfg = Config(str(STORE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(STORE_DIR / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(database_url: str) -> None:
    """Upgrade the database to the newest revision; a no-op when already there."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), "head")
