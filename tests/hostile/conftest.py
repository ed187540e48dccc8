"""Fixtures for the hostile-input tests: the real app on a migrated SQLite file, Redis when it answers."""
from __future__ import annotations

import os
import uuid
from typing import Iterator

os.environ.setdefault("YIJIAN_TEST_FAST_HASH", "1")
API_TOKEN = os.environ.setdefault("YIJIAN_API_TOKEN", "test-api-token-0123456789")
REDIS_URL = os.environ.get("YIJIAN_TEST_REDIS", "redis://127.0.0.1:6379/0")

import pytest
from fastapi.testclient import TestClient

from ticketing.app import create_app
from ticketing.store.schema import migrate
from ticketing.core.settings import Settings


PG_ADMIN_URL = os.environ.get("YIJIAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_schema_url(schema: str) -> str:
    base = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hostile_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite file, and a throw-away PostgreSQL schema when 5432 answers."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'tickets.db'}"
        migrate(url)
        yield url
        return
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # no server: the PostgreSQL half is skipped
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} does not answer ({type(exc).__name__}); PostgreSQL tests skipped")
    schema = f"yijian_hostile_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = _pg_schema_url(schema)
    migrate(url)
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module")
def app(hostile_db: str):  # type: ignore[no-untyped-def]
    application = create_app(Settings(database_url=hostile_db))
    yield application
    application.state.engine.dispose()


@pytest.fixture()
def anonymous(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A visitor without token or session (a resident, or an attacker)."""
    with TestClient(app) as client:
        yield client


@pytest.fixture()
def integration(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A caller holding the API token (the bot, Open311 gateway)."""
    with TestClient(app, headers={"Authorization": f"Bearer {API_TOKEN}"}) as client:
        yield client


@pytest.fixture()
def redis_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """Rate limits in the real Redis under a key prefix of this test only (removed afterwards)."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:  # no server here: the shared-limit tests cannot run
        pytest.skip(f"Redis at {REDIS_URL} does not answer ({type(exc).__name__}); Redis tests skipped")
    prefix = f"yijian-test:{uuid.uuid4().hex[:10]}:"
    monkeypatch.setenv("YIJIAN_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("YIJIAN_RATE_LIMIT_PREFIX", prefix)
    yield REDIS_URL
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
