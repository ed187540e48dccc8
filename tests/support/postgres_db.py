"""PostgreSQL for tests: a throw-away migrated schema in the ``test`` database on 127.0.0.1:5432.

Each fixture gets its own schema (dropped afterwards), so parallel runs and other suites never
clash; where PostgreSQL does not answer, the test is skipped with the reason. ``sqlite_db.py`` is the
SQLite twin.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.orm import sessionmaker

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.store.schema import migrate
from tests.support.sqlite_db import TABLES

PG_ADMIN_URL = os.environ.get("YIJIAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def unavailable_reason() -> str | None:
    """None when PostgreSQL answers, else why its tests are skipped."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # any failure means: no usable server here
        return f"PostgreSQL at {PG_ADMIN_URL} does not answer ({type(exc).__name__}); PostgreSQL tests skipped"


def schema_url(schema: str) -> str:
    """SQLAlchemy URL of the test database with ``schema`` first on the search path."""
    base = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}?options=-csearch_path%3D{schema}"


@contextmanager
def migrated_schema(prefix: str = "yijian_t") -> Iterator[str]:
    """A new schema at the newest migration, dropped on exit; skips the test where PostgreSQL is absent."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = schema_url(schema)
        migrate(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def migrated_sessions(prefix: str) -> Iterator[sessionmaker]:
    """A session factory over a ``migrated_schema``, its engine disposed before the schema is dropped."""
    with migrated_schema(prefix) as url:
        engine = make_engine(url)
        try:
            yield make_sessionmaker(engine)
        finally:
            engine.dispose()


# Tables only PostgreSQL has (migration 0011's figures rollup; TRUNCATE bypasses its trigger).
PG_ONLY_TABLES = ("ticket_rollups",)


def empty_tables(conn: Connection) -> None:
    conn.execute(text(f"TRUNCATE {', '.join(TABLES + PG_ONLY_TABLES)}"))
