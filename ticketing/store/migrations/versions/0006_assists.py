"""assists: departments assisting the lead department on joint tickets (主办/协办)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "ticket_assists",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=40), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "department_code", name="uq_ticket_assists_ticket_dept"),
    )
    op.create_index("ix_ticket_assists_ticket_id", "ticket_assists", ["ticket_id"])
    op.create_index("ix_ticket_assists_department_code", "ticket_assists", ["department_code"])


def downgrade() -> None:
    op.drop_index("ix_ticket_assists_department_code", table_name="ticket_assists")
    op.drop_index("ix_ticket_assists_ticket_id", table_name="ticket_assists")
    op.drop_table("ticket_assists")
