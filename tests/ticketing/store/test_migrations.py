"""``manage migrate`` builds the whole schema, is safe to repeat, and downgrades cleanly."""
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from ticketing.cli import main
from ticketing.store.schema import alembic_config, migrate


def _head(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def test_migrate_twice_on_fresh_sqlite(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'fresh.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["migrate"]) == 0
    engine = create_engine(url)
    inspector = inspect(engine)
    assert {"tickets", "ticket_events", "ticket_counters", "alembic_version"} <= set(inspector.get_table_names())
    assert {"warn_at", "merged_into"} <= {c["name"] for c in inspector.get_columns("tickets")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head(url)


def test_downgrade_and_upgrade_again(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'round.db'}"
    migrate(url)
    command.downgrade(alembic_config(url), "base")
    assert "tickets" not in inspect(create_engine(url)).get_table_names()
    migrate(url)
    assert "tickets" in inspect(create_engine(url)).get_table_names()


@pytest.mark.postgres
def test_postgres_schema_is_at_head_with_search_index(pg_url) -> None:
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head(pg_url)
    indexes = {i["name"] for i in inspect(engine).get_indexes("tickets")}
    # 0011 replaced the trigram index (3+ characters only) with the character/pair terms index.
    assert "ix_tickets_search_terms" in indexes and "ix_tickets_description_trgm" not in indexes
