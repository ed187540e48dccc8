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


def test_0012_fills_place_keys_of_existing_tickets(tmp_path) -> None:
    """Tickets from before 0012 get the key intake would give them (the same function), then the index."""
    from ticketing.core.timefmt import utcnow
    from ticketing.core.db import make_engine, make_sessionmaker
    from ticketing.demo.seed import Seeder
    from ticketing.demo.texts import OWN_EXAMPLES
    from ticketing.domain.rules import default_rules

    url = f"sqlite:///{tmp_path / 'keys.db'}"
    migrate(url)
    engine = make_engine(url)
    Seeder(make_sessionmaker(engine), default_rules(), list(OWN_EXAMPLES), seed=5, now=utcnow()).run_seed(40)
    with engine.connect() as conn:
        written = dict(conn.execute(text("SELECT id, place_key FROM tickets")).all())
    assert len(written) == 40 and all(written.values())
    command.downgrade(alembic_config(url), "0011")
    assert "place_key" not in {c["name"] for c in inspect(create_engine(url)).get_columns("tickets")}
    migrate(url)
    with create_engine(url).connect() as conn:
        assert dict(conn.execute(text("SELECT id, place_key FROM tickets")).all()) == written
    assert "ix_tickets_place_key" in {i["name"] for i in inspect(create_engine(url)).get_indexes("tickets")}
