"""notifications: contact preference, outbox, deliveries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The resident's chosen channel and e-mail on the ticket; the outbox of domain events written in the
transaction of each change; the notifications (one per message owed) with their delivery state; the
contacts that unsubscribed. Plain types only, so SQLite and PostgreSQL run the same statements.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("tickets", sa.Column("contact_channel", sa.String(length=8), nullable=True))
    op.add_column("tickets", sa.Column("contact_email", sa.String(length=254), nullable=True))
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("routing_key", sa.String(length=80), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", name="uq_outbox_events_event_id"),
    )
    op.create_index("ix_outbox_events_ticket_id", "outbox_events", ["ticket_id"])
    op.create_index("ix_outbox_events_unpublished", "outbox_events", ["published_at", "id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("rendered", sa.Text(), nullable=True),
        sa.Column("provider_id", sa.String(length=120), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox_events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notifications_outbox_id", "notifications", ["outbox_id"])
    op.create_index("ix_notifications_ticket_id", "notifications", ["ticket_id"])
    op.create_index("ix_notifications_due", "notifications", ["state", "next_attempt_at"])
    op.create_table(
        "contact_optouts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "address_hash", name="uq_contact_optouts_channel_hash"),
    )


def downgrade() -> None:
    op.drop_table("contact_optouts")
    op.drop_index("ix_notifications_due", table_name="notifications")
    op.drop_index("ix_notifications_ticket_id", table_name="notifications")
    op.drop_index("ix_notifications_outbox_id", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_outbox_events_unpublished", table_name="outbox_events")
    op.drop_index("ix_outbox_events_ticket_id", table_name="outbox_events")
    op.drop_table("outbox_events")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("contact_email")
        batch.drop_column("contact_channel")
