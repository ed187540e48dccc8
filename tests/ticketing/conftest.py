"""Fixtures for the ticketing tests: a migrated database per backend and a TestClient.

API tests run on SQLite (temporary file) and on PostgreSQL when 127.0.0.1:5432 answers; each run
uses its own PostgreSQL schema, dropped afterwards, so parallel runs and other suites never clash.
The databases themselves come from tests/support/sqlite_db.py and tests/support/postgres_db.py.
"""
from __future__ import annotations

import os
from typing import Iterator

# Cheap argon2 parameters for test accounts (read when ticketing.services.accounts is imported, below).
os.environ.setdefault("YIJIAN_TEST_FAST_HASH", "1")

import pytest
from fastapi.testclient import TestClient

from ticketing.app import create_app
from ticketing.core.settings import Settings
from tests.support import postgres_db, sqlite_db

# The workflow API needs a token or a session; the test client acts as a trusted integration.
API_TOKEN = os.environ.setdefault("YIJIAN_API_TOKEN", "test-api-token-0123456789")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh, migrated schema in the PostgreSQL test database."""
    with postgres_db.migrated_schema("yijian_t") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return sqlite_db.migrated_sqlite(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture(scope="session")
def app(database_url: str):  # type: ignore[no-untyped-def]
    application = create_app(Settings(database_url=database_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture()
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client over empty tables."""
    engine = app.state.engine
    with engine.begin() as conn:
        backend = postgres_db if engine.dialect.name == "postgresql" else sqlite_db
        backend.empty_tables(conn)
    with TestClient(app, headers={"Authorization": f"Bearer {API_TOKEN}"}) as test_client:
        yield test_client


@pytest.fixture()
def sign_in(client: TestClient, app):  # type: ignore[no-untyped-def]
    """Sign the client in with a (created on first use) account of ``role``; returns the username."""
    from tests.support.accounts import sign_in as _sign_in

    return lambda role="operator", department=None: _sign_in(client, app, role, department)


@pytest.fixture()
def make_ticket(client: TestClient):  # type: ignore[no-untyped-def]
    """POST a ticket with defaults, overriding fields; returns the response JSON."""

    def _make(**fields):  # type: ignore[no-untyped-def]
        body = {"description": "小区门口路灯坏了，晚上很黑", **fields}
        response = client.post("/api/tickets", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return _make
