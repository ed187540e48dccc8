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
from tests.support import postgres_db, sqlite_db
from ticketing.core.settings import Settings


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hostile_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite file, and a throw-away PostgreSQL schema when 5432 answers."""
    if request.param == "sqlite":
        yield sqlite_db.migrated_sqlite(tmp_path_factory.mktemp("hostile"))
        return
    with postgres_db.migrated_schema("yijian_hostile") as url:
        yield url


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
