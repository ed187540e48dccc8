"""Every list, search, dashboard and Open311 query reads tickets and history through an index, never a
sequential scan (PostgreSQL; skipped without it).

The module loads ``PLAN_TICKETS`` tickets with their history into a scratch database with the scale
generator (``bench/scale_load.py``: a city's year, COPY, indexes after), runs the real query code
(``bench/scale_plans.run_queries``: store queries, the API service, the figures, the Open311 and
JSON endpoints through the app) while recording every SQL statement it sends, then asks
PostgreSQL for the plan of each statement that reads ``tickets`` or ``ticket_events``
(``EXPLAIN (FORMAT JSON)`` with the same parameters) and fails on any ``Seq Scan`` of those tables.
At 200,000 tickets the planner already prefers a sequential scan wherever a query would read a
large share of the table, so a missing index or a query shape no index can serve shows here.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Iterator

import pytest
from sqlalchemy import text

from bench.scale_plans import Recorder, explain, run_queries, seq_scans, touches_watched
from tests.support import postgres_db

PLAN_TICKETS = int(os.environ.get("YIJIAN_PLAN_TICKETS", "200000"))
NOW = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
WATCHED = ("tickets", "ticket_events")
pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def plan_db() -> Iterator[str]:
    """A scratch database with ``PLAN_TICKETS`` generated tickets (loaded once)."""
    reason = postgres_db.unavailable_reason()
    if reason:
        pytest.skip(reason)
    from bench import scale_load

    name = f"yijian_plans_{os.getpid()}"
    scale_load.recreate(name)
    url = scale_load.database_url(name)
    try:
        scale_load.migrate_to(url, "head")
        started = time.perf_counter()
        result = scale_load.load(url, PLAN_TICKETS, now=NOW, per_slot=1, progress=False)
        print(f"\nplan test: {result.tickets:,} tickets loaded in {time.perf_counter() - started:.1f} s")
        yield url
    finally:
        scale_load.drop_database(name)


@pytest.fixture(scope="module")
def engine(plan_db: str):  # type: ignore[no-untyped-def]
    from ticketing.core.db import make_engine

    eng = make_engine(plan_db)
    yield eng
    eng.dispose()


def sequential(engine, recorder: Recorder) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    bad = []
    for label, statement, parameters in recorder.statements:
        if touches_watched(statement):
            scans = [r for r in seq_scans(explain(engine, statement, parameters)[0]["Plan"]) if r in WATCHED]
            if scans:
                bad.append((label, statement, scans))
    return bad


def test_no_sequential_scan_of_tickets_or_events(engine, plan_db: str) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    run_queries(engine, plan_db, NOW, recorder)
    assert sum(touches_watched(s) for _, s, _ in recorder.statements) > 60
    bad = sequential(engine, recorder)
    assert not bad, "sequential scans:\n" + "\n\n".join(f"{label} {scans}: {sql[:500]}" for label, sql, scans in bad)


def test_plan_walk_finds_a_sequential_scan(engine) -> None:  # type: ignore[no-untyped-def]
    """The check itself can fail: a LIKE on a column without an index is a sequential scan."""
    from sqlalchemy import event

    recorder = Recorder()
    event.listen(engine, "before_cursor_execute", recorder)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM tickets WHERE reply LIKE '%修%'"))
    finally:
        event.remove(engine, "before_cursor_execute", recorder)
    assert [scans for *_, scans in sequential(engine, recorder)] == [["tickets"]]
