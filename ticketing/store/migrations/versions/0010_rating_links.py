"""rating links and follow-up (回访) calls

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

``rating_links``: one row per signed one-tap rating link (single use: ``used_at``; reuse attempts
counted). ``followup_calls``: the hotline's 回访 phone calls (a rating taken, or 无法联系). Both point
at the resolution event (办结 / 直接答复) they are about. Plain types only: same on SQLite and PostgreSQL.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "rating_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("resolution_event_id", sa.Integer(), sa.ForeignKey("ticket_events.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_rating", sa.String(length=10), nullable=True),
        sa.Column("refused_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rating_links_ticket_id", "rating_links", ["ticket_id"])
    op.create_table(
        "followup_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("resolution_event_id", sa.Integer(), sa.ForeignKey("ticket_events.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_followup_calls_ticket_id", "followup_calls", ["ticket_id"])
    # The 回访 list filters resolved tickets by when they were resolved.
    op.create_index("ix_tickets_state_resolved", "tickets", ["state", "resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_state_resolved", table_name="tickets")
    op.drop_table("followup_calls")
    op.drop_table("rating_links")
