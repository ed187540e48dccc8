"""search: trigram index for substring search on PostgreSQL (pg_trgm)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Chinese has no spaces, so staff search is a substring match (LIKE '%…%'); a pg_trgm GIN index makes
it fast for three or more characters. Where the extension cannot be created (no privilege), the
migration goes on without the index: search still works, only slower. SQLite: nothing to do.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        schema = bind.execute(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'")).scalar_one()
        bind.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_tickets_description_trgm "
                             f'ON tickets USING gin (description "{schema}".gin_trgm_ops)'))
        savepoint.commit()
    except sa.exc.DBAPIError:
        savepoint.rollback()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_tickets_description_trgm")
