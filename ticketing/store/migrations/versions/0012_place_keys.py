"""place keys: the normalised place of every ticket, indexed with its category and day for hotspots

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

``tickets.place_key`` (``ticketing/domain/place_keys.py``) is written at intake; here it is filled for the
tickets already there, in batches by id. The partial index (place_key, category_l1, created_at) lets the
dashboard fetch a place's complaints of a period straight from the index (``analytics/dashboard.py``),
instead of reading and clustering every text of the period. Same on SQLite and PostgreSQL.
On a large PostgreSQL database the fill rewrites every ticket row once (about 10 minutes per
10 million tickets here): run it in a maintenance window.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from ticketing.domain.place_keys import PLACE_KEY_CHARS, place_key

revision: str = "0012"
down_revision: Union[str, None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000
INDEX = "ix_tickets_place_key"


def upgrade() -> None:
    op.add_column("tickets", sa.Column("place_key", sa.String(length=PLACE_KEY_CHARS), nullable=True))
    _fill(op.get_bind())
    op.create_index(INDEX, "tickets", ["place_key", "category_l1", "created_at"],
                    postgresql_where=sa.text("place_key IS NOT NULL"), sqlite_where=sa.text("place_key IS NOT NULL"))


def _fill(bind: sa.Connection) -> None:
    """Every existing ticket's key, computed by the same function intake uses (one implementation)."""
    last = 0
    update = sa.text("UPDATE tickets SET place_key = :key WHERE id = :id")
    while True:
        rows = bind.execute(sa.text("SELECT id, place, district, substr(description, 1, 80) FROM tickets "
                                    "WHERE id > :last ORDER BY id LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        keys = [{"id": r[0], "key": place_key(r[1], r[2], r[3])} for r in rows]
        keyed = [k for k in keys if k["key"]]
        if keyed:
            bind.execute(update, keyed)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index(INDEX, table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("place_key")
