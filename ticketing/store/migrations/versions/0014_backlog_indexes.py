"""backlog indexes: the warning count and the extension requests read only what they show

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

PostgreSQL only, like 0011's partial indexes (SQLite databases are small). Measured at 20 M tickets,
where the open backlog is ~300,000 tickets:
- ``ix_tickets_open_warn``: the 预警 count (open, warning time passed, deadline not yet) read
  ``ix_tickets_open_due`` from now on, i.e. every open ticket not yet due (250,000 entries, 13-29 ms
  on every staff page); by warning time it reads the warned and overdue ones only.
- ``ix_tickets_pending_extension``: the queue's 延期 requests (签收, extension asked) were found by
  walking the open tickets by deadline (120 ms); this index holds exactly those requests.
On a large database the CREATE INDEX statements take about a minute each at 20 M tickets.
"""
from typing import Sequence, Union

from alembic import op

from ticketing.domain.vocabulary import SIGNED
from ticketing.store.filters import OPEN_SQL

revision: str = "0014"
down_revision: Union[str, None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = (
    ("ix_tickets_open_warn", f"tickets (warn_at) INCLUDE (resolve_due_at) WHERE {OPEN_SQL}"),
    ("ix_tickets_pending_extension", f"tickets (resolve_due_at) WHERE state = '{SIGNED}' AND extension_due_at IS NOT NULL"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, definition in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _ in reversed(INDEXES):
        op.execute(f"DROP INDEX IF EXISTS {name}")
