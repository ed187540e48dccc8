"""phone index: staff find a caller's tickets by the phone number, or its start

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

A search of digits (``store/search.identifier_match``) reads the tickets whose number or phone starts
with them from B-tree indexes; the number has its unique index, the phone gets this one. Same on
SQLite and PostgreSQL; about a minute to build at 20 M tickets.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0015"
down_revision: Union[str, None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_tickets_contact_phone", "tickets", ["contact_phone"])


def downgrade() -> None:
    op.drop_index("ix_tickets_contact_phone", table_name="tickets")
