"""figures: covering index for the supervisor figures (三率, dashboard, /api/stats)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

The dashboard groups every ticket of a period by department, week and state. With 50,000 tickets
a covering index on (created_at, department_code) that carries the few columns the figures read
lets PostgreSQL answer from the index alone (index-only scan) instead of reading every wide row
with its description. SQLite has no INCLUDE: a plain composite index serves the same filter there.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FIGURE_COLUMNS = ["state", "sign_due_at", "resolve_due_at", "signed_at", "resolved_at", "rating",
                  "category_l1", "category_l2", "category_l3", "district"]


def upgrade() -> None:
    op.create_index("ix_tickets_figures", "tickets", ["created_at", "department_code"],
                    postgresql_include=FIGURE_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_tickets_figures", table_name="tickets")
