"""SQLite for tests: a migrated database file in a temporary folder, and emptying it between tests.

One home for the SQLite side of every suite's database fixtures (tests/ticketing, tests/hostile, …);
``tests/support/postgres_db.py`` is its PostgreSQL twin.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from ticketing.store import appendonly
from ticketing.store.schema import migrate

TABLES = ("notifications", "outbox_events", "contact_optouts", "rating_links", "followup_calls", "ticket_events", "ticket_assists", "tickets", "ticket_counters", "audit_log")


def migrated_sqlite(folder: Path, name: str = "tickets.db") -> str:
    """URL of a new SQLite file in ``folder`` at the newest schema."""
    url = f"sqlite:///{folder / name}"
    migrate(url)
    return url


def empty_tables(conn: Connection) -> None:
    """Delete every ticket and audit row; the append-only guard is lifted for the cleanup only."""
    for statement in appendonly.statements("sqlite", create=False):
        conn.execute(text(statement))
    for table in TABLES:
        conn.execute(text(f"DELETE FROM {table}"))
    for statement in appendonly.statements("sqlite", create=True):
        conn.execute(text(statement))
