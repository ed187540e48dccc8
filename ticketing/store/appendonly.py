"""Database triggers that make ``ticket_events`` append-only (no UPDATE, no DELETE).

The statements are constants used by migration 0002; they must not change once released (a
change needs a new migration). Tests use ``drop``/``create`` to empty tables between cases.
"""
from __future__ import annotations

SQLITE_CREATE = (
    "CREATE TRIGGER IF NOT EXISTS ticket_events_no_update BEFORE UPDATE ON ticket_events "
    "BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS ticket_events_no_delete BEFORE DELETE ON ticket_events "
    "BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS ticket_events_no_update",
    "DROP TRIGGER IF EXISTS ticket_events_no_delete",
)
POSTGRES_CREATE = (
    "CREATE OR REPLACE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'ticket_events is append-only'; END $$",
    "CREATE TRIGGER ticket_events_no_change BEFORE UPDATE OR DELETE ON ticket_events "
    "FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS ticket_events_no_change ON ticket_events",
    "DROP FUNCTION IF EXISTS ticket_events_append_only()",
)


def statements(dialect: str, create: bool) -> tuple[str, ...]:
    """The trigger statements for a dialect name (``sqlite`` or ``postgresql``)."""
    if dialect == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return SQLITE_CREATE if create else SQLITE_DROP
