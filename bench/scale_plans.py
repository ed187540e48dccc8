"""The plans of every list, search, dashboard and Open311 query, as the app sends them.

``run_queries`` calls the real query code (store queries, the API service, the figures, and the
Open311 and JSON endpoints through the app) while an engine listener records each SQL statement
with its parameters. The plan test (tests/ticketing/store/test_query_plans.py) EXPLAINs them and
fails on a sequential scan of tickets or events; ``python -m bench.scale_plans --database scale_1000000``
writes ``EXPLAIN (ANALYZE, BUFFERS)`` of each into docs/scale-plans.md with its time, so the design
choices of docs/scaling.md can be checked against the plans PostgreSQL really ran.
"""
from __future__ import annotations

import argparse
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

WATCHED = ("tickets", "ticket_events")


class Recorder:
    """Every statement an engine sends, with its parameters, under the label of the call that sent it."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str, Any]] = []
        self.label = ""

    def __call__(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            self.statements.append((self.label, statement, parameters))


def touches_watched(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("SELECT", "WITH")) and \
        any(re.search(rf"\b{t}\b", statement) for t in WATCHED)


def seq_scans(plan: dict) -> list[str]:
    """Relations read by a sequential scan anywhere in the plan tree."""
    found = [plan.get("Relation Name", "?")] if plan.get("Node Type") == "Seq Scan" else []
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def run_queries(engine, database_url: str, now: datetime, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    """Every page-shaped query with the filters the forms offer, then the endpoints through the app."""
    event.listen(engine, "before_cursor_execute", recorder)
    try:
        with Session(engine) as session:
            _store_queries(session, now, recorder)
            _followup_queries(session, now, recorder)
    finally:
        event.remove(engine, "before_cursor_execute", recorder)
    _endpoints(database_url, now, recorder)


def _store_queries(session: Session, now: datetime, recorder: Recorder) -> None:
    from ticketing.analytics import dashboard, stats
    from ticketing.domain.rules import default_rules
    from ticketing.services import tickets as service
    from ticketing.store import queries

    rules = default_rules()
    F = queries.Filters
    month = (now - timedelta(days=29)).date().isoformat()
    for f in (F(), F(state="已签收"), F(category="环境保护"), F(department="water-supply"), F(district="江汉区"),
              F(due="超期"), F(due="预警"), F(due="正常"), F(date_from=month), F(q="灯"), F(q="噪音"),
              F(q="占道经营"), F(q="喇叭"), F(q="20261101-0001")):
        recorder.label = f"staff list {f.as_dict() if f.any else '(no filter)'}"
        queries.ticket_list(session, f, page=1, per_page=20, now=now)
    for f in (F(), F(district="洪山区"), F(q="路灯")):
        recorder.label = f"staff queue {f.as_dict() if f.any else '(no filter)'}"
        rows, _ = queries.queue(session, f, page=1, per_page=20, now=now)
        queries.returned_numbers(session, rows)
    recorder.label = "pending extensions, queue counts"
    queries.pending_extensions(session)
    service.queue_counts(session, now)
    for code in ("district-hongshan", "water-supply"):
        for state, open_only in (("", True), ("", False), ("已签收", False)):
            recorder.label = f"department portal {code} state={state or '-'} open_only={open_only}"
            queries.department_list(session, code, state=state, page=1, per_page=20, open_only=open_only)
    for kwargs in ({}, {"state": "已派单"}, {"q": "噪音"}, {"due": "超期"}, {"department": "water-supply"},
                   {"involving": "district-hongshan"}):
        recorder.label = f"/api/tickets service {kwargs}"
        service.list_tickets(session, now=now, **kwargs)
    _keyset_queries(session, now, recorder)
    last = (now + timedelta(hours=8)).date()
    for days, department in ((30, None), (365, None), (30, "water-supply")):
        recorder.label = f"dashboard {days} days department={department}"
        view = dashboard.View(last - timedelta(days=days - 1), last, department)
        groups = stats.period_counts(session, view.start, view.end, now, dashboard.week_starts(view), department)
        stats.summarize_sql(session, view.start, view.end, now, {}, groups=groups, department=department)
        dashboard._cache.clear()
        dashboard.hotspot_list(session, view, now, rules)


def _keyset_queries(session: Session, now: datetime, recorder: Recorder) -> None:
    """Pages after and before a key (store/keyset.py), from a key 2,000 pages deep (reached by the
    old offset path, which is recorded too) and from the second page."""
    from ticketing.services import tickets as service
    from ticketing.store import queries
    from ticketing.store.keyset import Seek

    F = queries.Filters
    lists = [(f"staff list {f.as_dict() if f.any else '(no filter)'}",
              lambda page, seek, f=f: queries.ticket_list(session, f, page=page, per_page=20, seek=seek, now=now))
             for f in (F(), F(category="环境保护"), F(district="江汉区"), F(due="超期"), F(q="噪音"))]
    lists.append(("staff queue", lambda page, seek: queries.queue(session, F(), page=page, per_page=20, seek=seek, now=now)))
    lists += [(f"department portal {code} open_only={open_only}",
               lambda page, seek, code=code, open_only=open_only: queries.department_list(
                   session, code, state="", page=page, per_page=20, open_only=open_only, seek=seek))
              for code in ("district-hongshan", "water-supply") for open_only in (True, False)]
    lists += [(f"/api/tickets service {kwargs}",
               lambda page, seek, kwargs=kwargs: service.list_tickets(session, now=now, page=page, seek=seek, **kwargs))
              for kwargs in ({}, {"state": "已派单"}, {"involving": "district-hongshan"})]
    for label, read in lists:
        for depth in (2000, 1):
            recorder.label = f"{label}, page {depth} by offset"
            start = read(depth, None)
            if start.next_key is None:
                continue
            recorder.label = f"{label}, after a key {depth} pages deep"
            after = read(1, Seek(start.next_key, page=depth + 1))
            if after.prev_key is not None:
                recorder.label = f"{label}, before a key {depth} pages deep"
                read(1, Seek(after.prev_key, before=True, page=depth))


def _followup_queries(session: Session, now: datetime, recorder: Recorder) -> None:
    """The 回访 list (store/followup.py): first page, a deep page by offset, the pages after and before
    its key, and the count of given-up tickets."""
    from ticketing.domain.followup import FollowUpPolicy
    from ticketing.store import followup
    from ticketing.store.keyset import Seek

    policy = FollowUpPolicy()
    recorder.label = "回访 list, given up"
    followup.given_up_count(session, policy)
    for depth in (1, 200):
        recorder.label = f"回访 list, page {depth} by offset"
        start = followup.followup_queue(session, policy, now, limit=50, offset=(depth - 1) * 50)
        if start.next_key is not None:
            recorder.label = f"回访 list, after a key {depth} pages deep"
            after = followup.followup_queue(session, policy, now, limit=50, seek=Seek(start.next_key, page=depth + 1))
            if after.prev_key is not None:
                recorder.label = f"回访 list, before a key {depth} pages deep"
                followup.followup_queue(session, policy, now, limit=50,
                                        seek=Seek(after.prev_key, before=True, page=depth))


def _endpoints(database_url: str, now: datetime, recorder: Recorder) -> None:
    from fastapi.testclient import TestClient

    from ticketing.app import create_app
    from ticketing.core.settings import Settings

    token = os.environ.setdefault("YIJIAN_API_TOKEN", "scale-plans-token-0123456789")
    app = create_app(Settings(database_url=database_url))
    event.listen(app.state.engine, "before_cursor_execute", recorder)
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            start = (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
            for query in ("service_code=sanitation&status=open", f"start_date={start}&status=closed",
                          "service_code=streetlight", ""):
                recorder.label = f"Open311 requests.json?{query}"
                response = client.get(f"/open311/v2/requests.json?{query}")
                assert response.status_code == 200
            recorder.label = "Open311 requests.json, the next page by its Link header (after=)"
            link = client.get("/open311/v2/requests.json?service_code=sanitation&page_size=100").headers["link"]
            assert client.get(link[1:link.index(">")]).status_code == 200
            recorder.label = "/api/stats"
            assert client.get("/api/stats").status_code == 200
            recorder.label = "/api/tickets?cursor= (the second page by cursor)"
            first = client.get("/api/tickets?per_page=20").json()
            assert client.get("/api/tickets", params={"cursor": first["next_cursor"]}).status_code == 200
    finally:
        event.remove(app.state.engine, "before_cursor_execute", recorder)
        app.state.engine.dispose()


def explain(engine, statement: str, parameters: Any, analyze: bool = False) -> Any:  # type: ignore[no-untyped-def]
    options = "ANALYZE, BUFFERS, FORMAT TEXT" if analyze else "FORMAT JSON"
    with engine.connect() as conn:
        result = conn.exec_driver_sql(f"EXPLAIN ({options}) " + statement, parameters)
        return [r[0] for r in result] if analyze else result.scalar_one()


def main() -> None:
    from bench import scale_load
    from ticketing.core.db import make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="scale_1000000")
    parser.add_argument("--now", default="2026-12-02T08:00:00+00:00", help="the loaded year's end")
    parser.add_argument("--out", type=Path, default=Path("docs/scale-plans.md"))
    args = parser.parse_args()
    url = scale_load.database_url(args.database)
    engine = make_engine(url)
    recorder = Recorder()
    now = datetime.fromisoformat(args.now).astimezone(timezone.utc)
    run_queries(engine, url, now, recorder)
    with psycopg_count(url) as tickets:
        header = [f"# Query plans at {tickets:,} tickets", "",
                  "Written by `python -m bench.scale_plans` (EXPLAIN (ANALYZE, BUFFERS) of every statement the list, "
                  "search, dashboard and Open311 code sends that reads `tickets` or `ticket_events`; same machine as "
                  "docs/performance.md). Warm cache: each statement ran once before its plan was taken.", ""]
    out, seen = header, set()
    for label, statement, parameters in recorder.statements:
        if not touches_watched(statement) or (label, statement) in seen:
            continue
        seen.add((label, statement))
        lines = explain(engine, statement, parameters, analyze=True)
        out += [f"## {label}", "", "```sql", statement.strip(), "```", "", "```", *lines, "```", ""]
    args.out.write_text("\n".join(out), encoding="utf-8")
    print(f"{len(seen)} plans written to {args.out}")
    engine.dispose()


class psycopg_count:
    """``with psycopg_count(url) as n``: the number of tickets (for the page's title)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> int:
        import psycopg
        with psycopg.connect(self.url.replace("+psycopg", "")) as conn:
            return conn.execute("SELECT count(*) FROM tickets").fetchone()[0]

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
