"""Fixtures for the ticketing tests: a migrated database per backend and a TestClient.

API tests run on SQLite (temporary file) and on PostgreSQL when 127.0.0.1:5432 answers; each run
uses its own PostgreSQL schema, dropped afterwards, so parallel runs and other suites never clash.
"""
from __future__ import annotations

import os
import uuid
from typing import Iterator

# Cheap argon2 parameters for test accounts (read when ticketing.services.accounts is imported, below).
os.environ.setdefault("YIJIAN_TEST_FAST_HASH", "1")

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ticketing.store import appendonly
from ticketing.app import create_app
from ticketing.store.schema import migrate
from ticketing.core.settings import Settings

PG_ADMIN_URL = os.environ.get("YIJIAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
# The workflow API needs a token or a session; the test client acts as a trusted integration.
API_TOKEN = os.environ.setdefault("YIJIAN_API_TOKEN", "test-api-token-0123456789")


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason to skip."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # any failure means: no usable server here
        return f"PostgreSQL at {PG_ADMIN_URL} does not answer ({type(exc).__name__}); PostgreSQL tests skipped"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh, migrated schema in the PostgreSQL test database."""
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"yijian_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    base = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}?options=-csearch_path%3D{schema}"
    migrate(url)
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "tickets.db"
    url = f"sqlite:///{path}"
    migrate(url)
    return url


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
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE ticket_events, ticket_assists, tickets, ticket_counters, audit_log"))
        else:  # SQLite has no TRUNCATE: lift the append-only guard for the cleanup only
            for statement in appendonly.statements("sqlite", create=False):
                conn.execute(text(statement))
            for table in ("ticket_events", "ticket_assists", "tickets", "ticket_counters", "audit_log"):
                conn.execute(text(f"DELETE FROM {table}"))
            for statement in appendonly.statements("sqlite", create=True):
                conn.execute(text(statement))
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
