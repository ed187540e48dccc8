"""Database commands: ``migrate`` (create or upgrade the schema) and ``escalate`` (cron: 督办 of overdue tickets)."""
from __future__ import annotations

import argparse

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import load_settings
from ticketing.domain.rules import default_rules
from ticketing.services.escalation import escalate_overdue
from ticketing.store.schema import migrate


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("migrate", help="upgrade DATABASE_URL to the newest schema").set_defaults(run=_migrate)
    sub.add_parser("escalate", help="record a system 督办 event on every overdue ticket not yet escalated"
                   ).set_defaults(run=_escalate)


def _migrate(args: argparse.Namespace) -> int:
    migrate(args.database_url or load_settings().database_url)
    print("database schema is up to date")
    return 0


def _escalate(args: argparse.Namespace) -> int:
    numbers = escalate(args.database_url)
    print(f"escalated {len(numbers)} overdue ticket(s)" + (": " + ", ".join(numbers) if numbers else ""))
    return 0


def escalate(database_url: str | None = None) -> list[str]:
    """Escalate overdue tickets in ``database_url`` (default: the settings' database)."""
    engine = make_engine(database_url or load_settings().database_url)
    try:
        return escalate_overdue(make_sessionmaker(engine), default_rules())
    finally:
        engine.dispose()
