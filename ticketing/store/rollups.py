"""The figures' rollup (PostgreSQL): ticket counts per China day × department × category × district ×
channel × state, kept exact by a trigger in the same transaction as every write to ``tickets``.

Why: the dashboard and ``/api/stats`` counted every ticket of the period on each request (a year at
25 million tickets a year is 25 million index entries). The rollup holds one row per combination
that occurs on a day, so a year is a few hundred thousand rows whatever the volume, and the
counts are as current as the last committed transition (no batch lag, no job to forget).

What it holds is what does not depend on the clock: how many tickets (``received``) in each state,
and of those not merged how many were signed (on time), resolved (on time), rated, and rated
satisfied — the parts of ``analytics.stats.Counts``. The parts that depend on "now" (overdue open
work, dispatched tickets past their sign-for limit) are counted live over the open tickets, which
the partial index ``ix_tickets_open_figures`` keeps small. ``analytics.rollup_figures`` puts the two
together; a property test checks the result equals the full recount after random workloads.

The trigger is a plain ``AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW``: it subtracts the old
row's contribution and adds the new one's with an upsert. ``TRUNCATE tickets`` bypasses it (so do
bulk loads that disable it): run ``python -m ticketing.cli rebuild-rollups`` (``rebuild``) after.
SQLite has no such trigger; there the figures keep counting the tickets table (small databases).
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, text
from sqlalchemy.orm import Session

from ticketing.domain.vocabulary import MERGED, SATISFIED

DIMENSIONS = ("day", "department_code", "category_l1", "category_l2", "category_l3", "district", "channel", "state")
MEASURES = ("received", "signed", "signed_on_time", "resolved", "resolved_on_time", "rated", "satisfied")
TIME_ZONE = "Asia/Shanghai"  # the hotline's calendar day (no daylight saving since 1991)

# A table object of its own metadata: the ORM models (and SQLite) do not know it.
rollup = Table(
    "ticket_rollups", MetaData(),
    Column("day", Date, primary_key=True),
    *[Column(name, String(50), primary_key=True) for name in DIMENSIONS[1:]],
    *[Column(name, BigInteger, nullable=False) for name in MEASURES],
)


def _satisfied_list() -> str:
    return ", ".join("'" + s + "'" for s in sorted(SATISFIED))


def measure_expressions(row: str = "") -> dict[str, str]:
    """SQL of each measure's 0/1 for one ticket row (``row`` prefixes the columns, e.g. ``t.``)."""
    counted = f"{row}state <> '{MERGED}'"
    return {
        "received": "TRUE",
        "signed": f"{counted} AND {row}signed_at IS NOT NULL",
        "signed_on_time": f"{counted} AND {row}signed_at IS NOT NULL AND {row}signed_at <= {row}sign_due_at",
        "resolved": f"{counted} AND {row}resolved_at IS NOT NULL",
        "resolved_on_time": f"{counted} AND {row}resolved_at IS NOT NULL AND {row}resolved_at <= {row}resolve_due_at",
        "rated": f"{counted} AND coalesce({row}rating, '') <> ''",
        "satisfied": f"{counted} AND {row}rating IN ({_satisfied_list()})",
    }


def dimension_expressions(row: str = "") -> list[str]:
    return [f"({row}created_at AT TIME ZONE '{TIME_ZONE}')::date", f"{row}department_code",
            f"coalesce({row}category_l1, '')", f"coalesce({row}category_l2, '')", f"coalesce({row}category_l3, '')",
            f"coalesce({row}district, '')", f"{row}channel", f"{row}state"]


def _create_table() -> str:
    dims = ", ".join(f"{d} varchar(50) NOT NULL" for d in DIMENSIONS[1:])
    measures = ", ".join(f"{m} bigint NOT NULL DEFAULT 0" for m in MEASURES)
    return (f"CREATE TABLE IF NOT EXISTS ticket_rollups (day date NOT NULL, {dims}, {measures}, "
            f"CONSTRAINT pk_ticket_rollups PRIMARY KEY ({', '.join(DIMENSIONS)}))")


def _upsert(row: str, sign: int) -> str:
    """The upsert of one row's contribution (``row`` is ``OLD`` or ``NEW``), as a PL/pgSQL statement."""
    values = ", ".join(dimension_expressions(row + ".") + [f"CASE WHEN {e} THEN {sign} ELSE 0 END"
                                                           for e in measure_expressions(row + ".").values()])
    updates = ", ".join(f"{m} = r.{m} + EXCLUDED.{m}" for m in MEASURES)
    return (f"INSERT INTO ticket_rollups AS r ({', '.join(DIMENSIONS + MEASURES)}) VALUES ({values}) "
            f"ON CONFLICT ({', '.join(DIMENSIONS)}) DO UPDATE SET {updates};")


# PL/pgSQL caches the two statements' plans per session (a SQL-language helper function taking the row
# was re-planned on every call: ~25 % of a ticket creation's time; measured in docs/scaling.md).
TRIGGER_FUNCTION = (
    "CREATE OR REPLACE FUNCTION ticket_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {_upsert('OLD', -1)} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_upsert('NEW', 1)} END IF; "
    "RETURN NULL; END $$")
WATCHED = ("state", "department_code", "category_l1", "category_l2", "category_l3", "district", "channel",
           "created_at", "signed_at", "sign_due_at", "resolved_at", "resolve_due_at", "rating")
TRIGGER = (f"CREATE TRIGGER tickets_rollups AFTER INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)} ON tickets "
           "FOR EACH ROW EXECUTE FUNCTION ticket_rollups_apply()")

CREATE = (_create_table(), TRIGGER_FUNCTION, TRIGGER)
DROP = ("DROP TRIGGER IF EXISTS tickets_rollups ON tickets", "DROP FUNCTION IF EXISTS ticket_rollups_apply()",
        "DROP TABLE IF EXISTS ticket_rollups")


def rebuild_statements() -> tuple[str, ...]:
    """Recount everything from ``tickets`` (writers wait meanwhile: SHARE lock on tickets)."""
    dims = dimension_expressions()
    sums = [f"count(*) FILTER (WHERE {e})" for e in measure_expressions().values()]
    return ("LOCK TABLE tickets IN SHARE MODE", "TRUNCATE ticket_rollups",
            f"INSERT INTO ticket_rollups ({', '.join(DIMENSIONS + MEASURES)}) "
            f"SELECT {', '.join(dims + sums)} FROM tickets GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}")


def available(session: Session) -> bool:
    """PostgreSQL with the rollup table (migration 0011): the figures may read it."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    cached = getattr(bind, "_yijian_rollups", None)
    if cached is None:
        cached = session.execute(text("SELECT to_regclass('ticket_rollups') IS NOT NULL")).scalar_one()
        bind._yijian_rollups = cached  # type: ignore[attr-defined] - per engine, the schema does not change under us
    return bool(cached)


def rebuild(session: Session) -> int:
    """Rebuild in the caller's transaction; returns the number of rollup rows."""
    for statement in rebuild_statements():
        session.execute(text(statement))
    return session.execute(text("SELECT count(*) FROM ticket_rollups")).scalar_one()


def rebuild_psycopg(conn) -> None:  # type: ignore[no-untyped-def] - a psycopg connection (the bulk loader)
    for statement in rebuild_statements():
        conn.execute(statement)
