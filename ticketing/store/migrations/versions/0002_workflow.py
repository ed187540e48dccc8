"""workflow: warning time, merge target, due-date index, append-only history triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

``warn_at`` lets the database select tickets in warning (预警) with a plain comparison.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from ticketing.store.appendonly import statements

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.String(length=20), nullable=True))
        batch_op.create_index("ix_tickets_resolve_due_at", ["resolve_due_at"], unique=False)
    op.execute("UPDATE tickets SET warn_at = resolve_due_at WHERE warn_at IS NULL")
    for statement in statements(op.get_bind().dialect.name, create=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in statements(op.get_bind().dialect.name, create=False):
        op.execute(statement)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_resolve_due_at")
        batch_op.drop_column("merged_into")
        batch_op.drop_column("warn_at")
