"""``manage migrate`` creates the schema and is safe to run again."""
from sqlalchemy import create_engine, inspect

from ticketing.manage import main, migrate


def test_migrate_twice_on_fresh_sqlite(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'fresh.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["migrate"]) == 0
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"tickets", "ticket_events", "ticket_counters", "alembic_version"} <= tables
