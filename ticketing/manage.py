"""Operator commands: ``python -m ticketing.manage migrate``.

Migrations are run from code (not a shell alembic call) so ``make run`` and tests share one path.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from ticketing.settings import PACKAGE_DIR, load_settings


def alembic_config(database_url: str) -> Config:
    """Alembic config pointing at our migrations folder and the given database."""
    cfg = Config(str(PACKAGE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(database_url: str | None = None) -> None:
    """Upgrade the database to the newest revision; a no-op when already there."""
    url = database_url or load_settings().database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ticketing.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade DATABASE_URL to the newest schema")
    sub.add_parser("escalate", help="record a system 督办 event on every overdue ticket not yet escalated")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        print("database schema is up to date")
    elif args.command == "escalate":
        numbers = escalate()
        print(f"escalated {len(numbers)} overdue ticket(s)" + (": " + ", ".join(numbers) if numbers else ""))
    return 0


def escalate(database_url: str | None = None) -> list[str]:
    """Escalate overdue tickets in ``DATABASE_URL`` (imports kept local: migrate must stay light)."""
    from ticketing.db import make_engine, make_sessionmaker
    from ticketing.escalation import escalate_overdue
    from ticketing.rules import default_rules

    engine = make_engine(database_url or load_settings().database_url)
    try:
        return escalate_overdue(make_sessionmaker(engine), default_rules())
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
