"""Median time of every page and key API list with 500 and with 50,000 tickets in PostgreSQL.

Recreates the database ``yijian_perf``, seeds demo tickets (``ticketing.demo.seed``) and demo accounts,
starts the ticketing service (one uvicorn worker, as ``make run`` does) on a free port, signs in
with the demo accounts and requests each page ``--repeat`` times over localhost after two warm-up
requests. The time is measured by the client around the whole request (server work plus
localhost HTTP, well under a millisecond here), and reported as the median with the first, cold
request beside it. Run: ``.venvs/ticketing/bin/python -m bench.page_timing`` (several minutes: the
50,000 seed is most of it).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests

from bench.web_session import signed_in
from launcher import processes
from launcher.paths import REPO
from launcher.stack import StackConfig, migrate_database, ticketing_spec
from tests.support.ports import free_port
from ticketing.demo.accounts import seed_demo_users
from ticketing.demo.seed import seed

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PERF_DB = "yijian_perf"
PERF_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PERF_DB}"
DEPT_USER, DEPT_CODE = "hrss", "human-resources"


@dataclass(frozen=True)
class Page:
    """One measured URL and the demo account that may open it (None: anonymous)."""

    label: str
    path: str
    user: str | None


def pages(number: str, dept_number: str) -> list[Page]:
    return [
        Page("resident chat page `/`", "/", None),
        Page("staff queue `/staff/queue`", "/staff/queue", "dispatcher"),
        Page("staff list `/staff/tickets`", "/staff/tickets", "dispatcher"),
        Page("staff list, overdue filter", "/staff/tickets?due=超期", "dispatcher"),
        Page("staff list, text search `q=噪音`", "/staff/tickets?q=噪音", "dispatcher"),
        Page("staff ticket page", f"/staff/tickets/{number}", "dispatcher"),
        Page("department portal list", f"/dept/{DEPT_CODE}/tickets", DEPT_USER),
        Page("department ticket page", f"/dept/{DEPT_CODE}/tickets/{dept_number}", DEPT_USER),
        Page("dashboard `/supervise/`", "/supervise/", "supervisor"),
        Page("dashboard, one department", f"/supervise/?department={DEPT_CODE}", "supervisor"),
        Page("dashboard CSV export", "/supervise/export.csv", "supervisor"),
        Page("API `/api/tickets` (page 1)", "/api/tickets?per_page=20", "dispatcher"),
        Page("API `/api/tickets?state=已派单`", "/api/tickets?state=已派单&per_page=20", "dispatcher"),
        Page("API `/api/stats` (30 days)", "/api/stats", "dispatcher"),
    ]


def fresh_database() -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PERF_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PERF_DB}")


def sample_numbers() -> tuple[str, str]:
    """A recent ticket, and a recent one of the measured department."""
    with psycopg.connect(PERF_URL.replace("+psycopg", "")) as conn:
        first = conn.execute("SELECT number FROM tickets ORDER BY created_at DESC LIMIT 1").fetchone()
        dept = conn.execute("SELECT number FROM tickets WHERE department_code = %s ORDER BY created_at DESC LIMIT 1",
                            (DEPT_CODE,)).fetchone()
    return first[0], dept[0] if dept else first[0]


def time_page(session: requests.Session, url: str, repeat: int) -> tuple[int, float, float]:
    """Status, first (cold) and median milliseconds."""
    times, status = [], 0
    for i in range(repeat + 2):
        started = time.perf_counter()
        response = session.get(url, allow_redirects=False, timeout=120)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return status, times[0], statistics.median(times[2:])


def measure(base: str, repeat: int) -> list[tuple[Page, int, float, float]]:
    number, dept_number = sample_numbers()
    sessions: dict[str | None, requests.Session] = {None: requests.Session()}
    out = []
    for page in pages(number, dept_number):
        if page.user not in sessions:
            sessions[page.user] = signed_in(base, page.user)  # type: ignore[arg-type]
        out.append((page, *time_page(sessions[page.user], base + page.path, repeat)))
    return out


def run(count: int, repeat: int, reuse: bool = False) -> tuple[float, list[tuple[Page, int, float, float]]]:
    """Seed ``count`` tickets into a fresh database (or reuse the last one), start the service, time the pages."""
    config = StackConfig(ticketing_port=free_port(), database_url=PERF_URL)
    if not reuse:
        fresh_database()
    migrate_database(config)
    started = time.perf_counter()
    if not reuse:
        seed(PERF_URL, count, seed_value=2026, progress=count >= 5000)
    seeding = time.perf_counter() - started
    seed_demo_users(PERF_URL)
    with psycopg.connect(PERF_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load in production
    with tempfile.TemporaryDirectory() as logs:
        service = processes.start(ticketing_spec(config), REPO, Path(logs))
        try:
            processes.wait_ready(service)
            return seeding, measure(config.ticketing_url, repeat)
        finally:
            processes.stop(service)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[500, 50_000])
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--reuse", action="store_true", help="measure the existing yijian_perf (one count) again")
    args = parser.parse_args()
    results = {}
    for count in args.counts:
        seconds, rows = run(count, args.repeat, args.reuse)
        print(f"{count:,} tickets seeded in {seconds:.0f} s")
        results[count] = rows
    header = " | ".join(f"{c:,}: median (first) ms" for c in args.counts)
    print(f"\n| page | status | {header} |\n| --- | --- | " + " | ".join("---" for _ in args.counts) + " |")
    for i, (page, status, _, _) in enumerate(results[args.counts[0]]):
        cells = " | ".join(f"{results[c][i][3]:.1f} ({results[c][i][2]:.0f})" for c in args.counts)
        print(f"| {page.label} | {status} | {cells} |")


if __name__ == "__main__":
    main()
