"""The production mode's backing services: PostgreSQL (tickets, Rasa's tracker) and Redis (locks).

The launcher never starts or stops them; it only checks they answer, creates its databases when
they are missing and, for throw-away test copies, drops them again. Errors say what to do in plain
words, because a missing database server is the most likely reason `make run-prod` fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import psycopg
import redis
from psycopg import sql


RASA_LOCK_STORE = "bot.lock_store.AtomicRedisLockStore"  # a RedisLockStore; Rasa imports it


class BackingServiceDown(RuntimeError):
    """PostgreSQL or Redis does not answer; the message says which and how it was reached."""


@dataclass(frozen=True)
class Postgres:
    """Where PostgreSQL listens and as whom we connect (trust auth needs no password)."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    admin_db: str = "postgres"  # where CREATE/DROP DATABASE are issued from

    def sqlalchemy_url(self, database: str) -> str:
        """URL for the ticketing service (SQLAlchemy 2 with psycopg 3)."""
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        return f"postgresql+psycopg://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{database}"

    def rasa_tracker_store(self, database: str) -> dict[str, object]:
        """Rasa's `tracker_store` endpoint entry (SQLTrackerStore, psycopg2 in the bot's env)."""
        store: dict[str, object] = {"type": "SQL", "dialect": "postgresql", "url": self.host,
                                    "port": self.port, "db": database, "username": self.user}
        if self.password:
            store["password"] = self.password
        return store

    def _connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(host=self.host, port=self.port, user=self.user, password=self.password or None,
                               dbname=database, autocommit=True, connect_timeout=5)

    def check(self) -> None:
        try:
            with self._connect(self.admin_db) as connection:
                connection.execute("SELECT 1")
        except psycopg.Error as error:
            raise BackingServiceDown(
                f"PostgreSQL does not answer at {self.user}@{self.host}:{self.port} ({error}). Start it, or point "
                "YIJIAN_PG_HOST / YIJIAN_PG_PORT / YIJIAN_PG_USER / YIJIAN_PG_PASSWORD at a running server."
            ) from error

    def ensure_database(self, name: str) -> bool:
        """Create the database when missing; True when it was created now."""
        with self._connect(self.admin_db) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            try:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:  # created by a parallel start a moment ago
                return False
            return True

    def drop_database(self, name: str) -> None:
        """Drop a throw-away database, ending sessions still connected to it."""
        with self._connect(self.admin_db) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class Redis:
    """One Redis database index; Rasa's locks and the ticketing service's shared state live there."""

    host: str = "127.0.0.1"
    port: int = 6379
    db: int = 0
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> Redis:
        """Read redis://[:password@]host[:port][/db], the form YIJIAN_REDIS_URL takes."""
        parts = urlsplit(url)
        if parts.scheme != "redis":
            raise ValueError(f"expected a redis:// URL, not {url!r}")
        db = parts.path.strip("/")
        return cls(parts.hostname or "127.0.0.1", parts.port or 6379, int(db) if db else 0, parts.password or "")

    @property
    def url(self) -> str:
        """redis:// URL as the ticketing service reads it from YIJIAN_REDIS_URL."""
        secret = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{secret}{self.host}:{self.port}/{self.db}"

    def rasa_lock_store(self, key_prefix: str) -> dict[str, object]:
        """Rasa's `lock_store` endpoint entry: Rasa's Redis lock store with atomic ticket bookkeeping
        (bot/lock_store.py says why). Rasa accepts only an alphanumeric key prefix."""
        if not key_prefix.isalnum():
            raise ValueError(f"Rasa's lock-store key prefix must be alphanumeric, not {key_prefix!r}")
        store: dict[str, object] = {"type": RASA_LOCK_STORE, "url": self.host, "port": self.port, "db": self.db,
                                    "key_prefix": key_prefix}
        if self.password:
            store["password"] = self.password
        return store

    def client(self) -> redis.Redis:
        return redis.Redis(host=self.host, port=self.port, db=self.db, password=self.password or None,
                           socket_timeout=5, socket_connect_timeout=5)

    def check(self) -> None:
        try:
            with self.client() as client:
                client.ping()
        except redis.RedisError as error:
            raise BackingServiceDown(
                f"Redis does not answer at {self.host}:{self.port} ({error}). Start it, or point "
                "YIJIAN_REDIS_URL at a running server."
            ) from error

    def delete_prefix(self, prefix: str) -> int:
        """Delete the keys a throw-away copy left under ``prefix`` (never the whole database)."""
        with self.client() as client:
            keys = list(client.scan_iter(match=f"{prefix}*", count=500))
            return int(client.delete(*keys)) if keys else 0
