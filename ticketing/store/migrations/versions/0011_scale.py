"""scale: search terms, rollups, indexes for a city's year

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

PostgreSQL only (SQLite databases are small and keep their plain scans):
- ``ticket_search_terms``: an expression GIN index over the single characters and character pairs
  of number, description, place and phone, so searches of one and two characters use an index too
  (``ticketing/store/search.py``); it replaces the description's trigram index of 0005, which no
  query uses any more (one GIN index less to update on every new ticket).
- ``ticket_rollups`` and its trigger: the figures per day × department × category × district ×
  channel × state, kept in the same transaction as every write (``ticketing/store/rollups.py``);
  filled from the existing tickets here.
- Indexes that keep each list's cost independent of the years behind it: partial indexes over the
  open tickets only (the backlog is ~1-2 % of a year), and (filter column, created_at) pairs so a
  filtered list reads its newest rows straight from an index.
On a large existing database the CREATE INDEX statements block writes while they run (minutes at
millions of tickets): run the upgrade in a maintenance window, or create the indexes CONCURRENTLY by
hand first (the IF NOT EXISTS below then skips them).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from ticketing.domain.vocabulary import RECEIVED
from ticketing.store import rollups, search
from ticketing.store.filters import OPEN_SQL

revision: str = "0011"
down_revision: Union[str, None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = (
    # The open backlog: figures that depend on "now", the deadline filters, the department portal.
    ("ix_tickets_open_figures", "tickets (created_at) INCLUDE (department_code, state, resolve_due_at, "
                                f"sign_due_at, signed_at, warn_at) WHERE {OPEN_SQL}"),
    ("ix_tickets_open_due", f"tickets (resolve_due_at, id) INCLUDE (warn_at) WHERE {OPEN_SQL}"),
    ("ix_tickets_open_dept_due", f"tickets (department_code, resolve_due_at, id) WHERE {OPEN_SQL}"),
    ("ix_tickets_received_created", f"tickets (created_at, id) WHERE state = '{RECEIVED}'"),
    # The ticket page's likely duplicates: open, same category, the last days.
    ("ix_tickets_open_category", f"tickets (category_l1, category_l2, created_at) WHERE {OPEN_SQL}"),
    # Filtered lists, newest first.
    ("ix_tickets_category_created", "tickets (category_l1, created_at)"),
    # Open311's service filter compares the levels with NULL read as '' (open311/catalog.py).
    ("ix_tickets_service_created", "tickets ((coalesce(category_l1, '')), (coalesce(category_l2, '')), "
                                   "(coalesce(category_l3, '')), created_at)"),
    ("ix_tickets_district_created", "tickets (district, created_at)"),
    ("ix_tickets_dept_created", "tickets (department_code, created_at)"),
    # A department's whole list by deadline.
    ("ix_tickets_dept_due", "tickets (department_code, resolve_due_at, id)"),
    ("ix_ticket_assists_dept_ticket", "ticket_assists (department_code, ticket_id)"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(search.CREATE_FUNCTION)
    op.execute(search.CREATE_INDEX)
    op.execute("DROP INDEX IF EXISTS ix_tickets_description_trgm")  # the terms index serves every search now
    for name, definition in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    for statement in rollups.CREATE:
        op.execute(statement)
    for statement in rollups.rebuild_statements():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in rollups.DROP:
        op.execute(statement)
    for name, _ in reversed(INDEXES):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(search.DROP_INDEX)
    op.execute(search.DROP_FUNCTION)
    bind = op.get_bind()
    schema = bind.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                                  "WHERE e.extname = 'pg_trgm'")).scalar()
    if schema:  # as migration 0005 left it
        op.execute(f'CREATE INDEX IF NOT EXISTS ix_tickets_description_trgm ON tickets USING gin (description "{schema}".gin_trgm_ops)')
