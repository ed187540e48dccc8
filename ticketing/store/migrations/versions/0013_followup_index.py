"""回访 list index: answered, unrated tickets with a phone, by answer time

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

The 回访 list (``store/followup.py``) reads the tickets that can be in it, oldest answer first, from
this partial index on ``(resolved_at, id)``, instead of taking the latest answer of every ticket
ever answered from the whole history. Only tickets waiting for a rating are in it (已办结, no rating,
a phone), so it stays as small as the list. Same on SQLite and PostgreSQL.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: Union[str, None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEX = "ix_tickets_followup"
WHERE = "state = '已办结' AND rating IS NULL AND contact_phone IS NOT NULL"


def upgrade() -> None:
    op.create_index(INDEX, "tickets", ["resolved_at", "id"],
                    postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="tickets")
