"""Ticket creations per second through the real API, on SQLite and on PostgreSQL.

Starts the ticketing service (one uvicorn worker, as `make run` does) on a free port against a
fresh database, files tickets from several client threads over HTTP, and reports the median rate
of repeated rounds. Run: `make bench-tickets` (or `.venvs/ticketing/bin/python -m bench.ticket_throughput`).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

from launcher import processes
from launcher.paths import REPO
from launcher.stack import StackConfig, migrate_database, ticketing_spec
from tests.support.ports import free_port

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "yijian_bench"
SAMPLE = {"description": "小区门口路灯坏了好几天，晚上很黑", "place": "江汉区解放大道688号", "channel": "web"}


def _fresh_postgres() -> str | None:
    """Recreate the bench database; None when PostgreSQL does not answer."""
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except psycopg.OperationalError:
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def _create(session: requests.Session, url: str) -> None:
    response = session.post(f"{url}/api/tickets", json=SAMPLE, headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=30)
    if response.status_code != 201:
        raise RuntimeError(f"create failed: {response.status_code} {response.text[:200]}")


def _round(url: str, count: int, threads: int) -> float:
    """Tickets per second for one round of `count` creations from `threads` clients."""
    sessions = [requests.Session() for _ in range(threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda i: _create(sessions[i % threads], url), range(count)))
    return count / (time.perf_counter() - started)


def measure(database_url: str, count: int, threads: int, rounds: int) -> list[float]:
    config = StackConfig(ticketing_port=free_port(), database_url=database_url)
    migrate_database(config)
    with tempfile.TemporaryDirectory() as logs:
        service = processes.start(ticketing_spec(config), REPO, Path(logs))
        try:
            processes.wait_ready(service)
            _round(config.ticketing_url, 20, threads)  # warm-up: imports, pools, caches
            return [_round(config.ticketing_url, count, threads) for _ in range(rounds)]
        finally:
            processes.stop(service)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="tickets per round")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        backends = {"sqlite": f"sqlite:///{tmp}/bench.db", "postgresql": _fresh_postgres()}
        for name, url in backends.items():
            if url is None:
                print(f"{name:<11} skipped: PostgreSQL does not answer on 127.0.0.1:5432")
                continue
            rates = measure(url, args.count, args.threads, args.rounds)
            print(f"{name:<11} median {statistics.median(rates):7.1f} tickets/s  "
                  f"rounds {', '.join(f'{r:.1f}' for r in rates)}  ({args.count} per round, {args.threads} clients)")


if __name__ == "__main__":
    main()
