"""Pages and APIs at a city's scale: median and p95 over ``--repeat`` requests, cold first request beside.

``python -m bench.scale --tickets 1000000`` loads ``scale_1000000`` with ``bench.scale_load`` unless it
already holds that many tickets (``--reload`` forces it; ``--revision 0010`` measures today's schema
before the scale migration, in a database of its own, ``--database``), adds the demo accounts,
starts the ticketing service (one uvicorn worker, as ``make run``), signs in as hotline staff, a
supervisor and a department officer, and times every page the issue names over localhost. The
time is the client's, around the whole request; for the CSV export it is the time to the first
byte of the body. Each measured URL is requested ``--repeat`` times after the cold first request;
where a page takes a parameter that varies in real use (ticket numbers), each request uses another
value. ``--json`` writes the figures for ``bench/perf_doc.py``-style tables.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import psycopg
import requests

from bench import scale_load
from bench.percentiles import percentile
from bench.web_session import signed_in
from launcher import processes
from launcher.paths import REPO
from launcher.stack import StackConfig, ticketing_spec
from tests.support.ports import free_port
from ticketing.demo.accounts import seed_demo_users

DEPT_USER, DEPT_CODE = "hongshan", "district-hongshan"
STAFF, SUPERVISOR = "dispatcher", "supervisor"


@dataclass(frozen=True)
class Page:
    label: str
    paths: tuple[str, ...]  # cycled through, one per request
    user: str
    first_byte: bool = False


def _q(text: str) -> str:
    return quote(text, safe="")


def pages(numbers: list[str], dept_numbers: list[str], today: datetime, phones: list[str]) -> list[Page]:
    """Every page of the issue's goals; dates relative to the loaded year's last day."""
    day = today.date()
    month_from, year_from = (day - timedelta(days=29)).isoformat(), (day - timedelta(days=364)).isoformat()
    to = day.isoformat()
    o311_start = (today - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    return [
        Page("staff queue", ("/staff/queue",), STAFF),
        Page("staff queue, district filter", (f"/staff/queue?district={_q('洪山区')}",), STAFF),
        Page("staff list", ("/staff/tickets",), STAFF),
        Page("staff list, state filter", (f"/staff/tickets?state={_q('已签收')}",), STAFF),
        Page("staff list, category filter", (f"/staff/tickets?category={_q('环境保护')}",), STAFF),
        Page("staff list, department filter", ("/staff/tickets?department=water-supply",), STAFF),
        Page("staff list, district filter", (f"/staff/tickets?district={_q('江汉区')}",), STAFF),
        Page("staff list, overdue filter", (f"/staff/tickets?due={_q('超期')}",), STAFF),
        Page("staff list, one month", (f"/staff/tickets?date_from={month_from}&date_to={to}",), STAFF),
        Page("staff list, page 50", ("/staff/tickets?page=50",), STAFF),
        Page("text search, 1 character (灯)", (f"/staff/tickets?q={_q('灯')}",), STAFF),
        Page("text search, 2 characters (噪音)", (f"/staff/tickets?q={_q('噪音')}",), STAFF),
        Page("text search, 4 characters (占道经营)", (f"/staff/tickets?q={_q('占道经营')}",), STAFF),
        Page("text search, rare 2 characters (喇叭)", (f"/staff/tickets?q={_q('喇叭')}",), STAFF),
        Page("text search, a ticket number", tuple(f"/staff/tickets?q={n}" for n in numbers), STAFF),
        Page("text search, a number's date part (YYYYMMDD-)", tuple(f"/staff/tickets?q={n[:9]}" for n in numbers), STAFF),
        Page("text search, a phone number", tuple(f"/staff/tickets?q={p}" for p in phones), STAFF),
        Page("department portal (open)", (f"/dept/{DEPT_CODE}/tickets",), DEPT_USER),
        Page("department portal, all", (f"/dept/{DEPT_CODE}/tickets?show=all",), DEPT_USER),
        Page("staff ticket page", tuple(f"/staff/tickets/{n}" for n in numbers), STAFF),
        Page("department ticket page", tuple(f"/dept/{DEPT_CODE}/tickets/{n}" for n in dept_numbers), DEPT_USER),
        Page("dashboard, one month", (f"/supervise/?from={month_from}&to={to}",), SUPERVISOR),
        Page("dashboard, one year", (f"/supervise/?from={year_from}&to={to}",), SUPERVISOR),
        Page("dashboard CSV of a month (first byte)", (f"/supervise/export.csv?from={month_from}&to={to}",),
             SUPERVISOR, first_byte=True),
        Page("Open311 requests.json, service + status", (
            f"/open311/v2/requests.json?service_code=sanitation&status=open",), STAFF),
        Page("Open311 requests.json, 30 days + closed", (
            f"/open311/v2/requests.json?start_date={_q(o311_start)}&status=closed",), STAFF),
        Page("/api/tickets", ("/api/tickets?per_page=20",), STAFF),
        Page("/api/tickets?state=已派单", (f"/api/tickets?state={_q('已派单')}&per_page=20",), STAFF),
        Page("/api/tickets?q=噪音", (f"/api/tickets?q={_q('噪音')}&per_page=20",), STAFF),
    ]


def sample_numbers(url: str, count: int) -> tuple[list[str], list[str], list[str]]:
    """Ticket numbers spread over the year, ones the measured department leads, and callers' phones."""
    with psycopg.connect(scale_load.plain(url)) as conn:
        top = conn.execute("SELECT max(id) FROM tickets").fetchone()[0]
        ids = [1 + (top - 1) * i // count for i in range(count)]
        numbers = [r[0] for r in conn.execute("SELECT number FROM tickets WHERE id = ANY(%s)", (ids,))]
        phones = [r[0] for r in conn.execute("SELECT contact_phone FROM tickets WHERE id = ANY(%s) "
                                             "AND contact_phone IS NOT NULL", (ids,))]
        dept = [r[0] for r in conn.execute(
            "SELECT number FROM tickets WHERE department_code = %s AND id = ANY(%s)",
            (DEPT_CODE, [i + k for i in ids for k in range(0, 400)]))][:count]
    return numbers, dept or numbers, phones or ["13800000000"]


def timed_get(session: requests.Session, url: str, first_byte: bool) -> tuple[int, float]:
    started = time.perf_counter()
    with session.get(url, allow_redirects=False, timeout=300, stream=True) as response:
        if first_byte:
            next(response.iter_content(1), b"")
            elapsed = time.perf_counter() - started
            for _ in response.iter_content(65536):
                pass
        else:
            _ = response.content
            elapsed = time.perf_counter() - started
    return response.status_code, elapsed * 1000


def measure(base: str, page_list: list[Page], repeat: int) -> list[dict]:
    sessions: dict[str, requests.Session] = {}
    out = []
    for page in page_list:
        if page.user not in sessions:
            sessions[page.user] = signed_in(base, page.user)
        times, statuses = [], set()
        for i in range(repeat + 1):
            status, ms = timed_get(sessions[page.user], base + page.paths[i % len(page.paths)], page.first_byte)
            statuses.add(status)
            times.append(ms)
        warm = times[1:]
        row = {"page": page.label, "status": sorted(statuses), "first": round(times[0], 1),
               "median": round(statistics.median(warm), 1), "p95": round(percentile(warm, 95), 1)}
        print(f"  {row['page']:<45} {row['status']}  median {row['median']:8.1f}  p95 {row['p95']:8.1f}  "
              f"first {row['first']:8.1f} ms", flush=True)
        out.append(row)
    return out


def loaded_count(url: str) -> int:
    try:
        with psycopg.connect(scale_load.plain(url), connect_timeout=3) as conn:
            return conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    except psycopg.Error:
        return -1


def creation_rate(base: str, count: int) -> float:
    """Tickets created per second through ``POST /api/tickets``, one client after another."""
    session = signed_in(base, STAFF)
    body = {"description": "小区门口的路灯坏了快两个星期，晚上出行很不安全，请尽快维修。", "place": "武汉市洪山区珞喻路",
            "channel": "web", "kind": "投诉"}
    started = time.perf_counter()
    for _ in range(count):
        response = session.post(f"{base}/api/tickets", json=body, timeout=60)
        if response.status_code != 201:
            raise RuntimeError(f"creation failed: {response.status_code} {response.text[:200]}")
    return count / (time.perf_counter() - started)


def run(args: argparse.Namespace) -> dict:
    name = args.database or f"scale_{args.tickets}"
    url = scale_load.database_url(name)
    now = datetime.fromisoformat(args.now)
    load_report = None
    if args.reload or loaded_count(url) < args.tickets:  # the creation timing adds a few hundred
        scale_load.check_disk(args.tickets)
        scale_load.recreate(name)
        scale_load.migrate_to(url, args.revision)
        result = scale_load.load(url, args.tickets, now=now)
        load_report = scale_load.report(result)
        print(load_report, flush=True)
    seed_demo_users(url)
    config = StackConfig(ticketing_port=free_port(), database_url=url)
    with tempfile.TemporaryDirectory() as logs:
        service = processes.start(ticketing_spec(config), args.app_dir or REPO, Path(logs))
        try:
            processes.wait_ready(service)
            rows = []
            if not args.creations_only:
                numbers, dept_numbers, phones = sample_numbers(url, args.repeat)
                rows = measure(config.ticketing_url, pages(numbers, dept_numbers, now + timedelta(hours=8), phones),
                               args.repeat)
            rate = creation_rate(config.ticketing_url, args.creations) if args.creations else None
        finally:
            processes.stop(service)
    if rate:
        print(f"  ticket creation through the API: {rate:.1f} tickets/s (one client)")
    return {"tickets": args.tickets, "database": name, "revision": args.revision, "rows": rows,
            "creations_per_second": rate, "load": load_report}


GOALS = {"staff queue": 150, "staff list": 150, "text search": 300, "department portal": 150, "ticket page": 100,
         "dashboard, one month": 500, "dashboard, one year": 1000, "dashboard CSV": 500, "Open311": 100, "/api/tickets": 100}


def goal_of(page: str) -> int | None:
    return next((ms for prefix, ms in GOALS.items() if page.startswith(prefix) or prefix in page), None)


def schema_name(run: dict) -> str:
    if run["revision"] == "head":
        return "scale schema"
    return f"before the scale work ({run['revision']})"


def _size(run: dict) -> str:
    return f"{run['tickets'] / 1e6:g} M"


def doc_section(runs: list[dict]) -> str:
    """Markdown: one column per run (median / p95 / first), the goal, and the growth ratio of the
    scale schema's medians (largest run ÷ smallest), the issue's ≤ 1.3."""
    from bench.perf_doc import RunConditions

    scaled = sorted((r for r in runs if r["revision"] == "head"), key=lambda r: r["tickets"])
    grow = (scaled[0], scaled[-1]) if len(scaled) > 1 else None
    head = ["page", "goal p95"] + [f"{_size(r)}, {schema_name(r)}: median / p95 (first) ms" for r in runs]
    if grow:
        head.append(f"median {_size(grow[1])} ÷ {_size(grow[0])}")
    names = list(dict.fromkeys(_size(r) for r in sorted(runs, key=lambda r: r["tickets"])))
    sizes = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    lines = [f"### A city's year: pages at {sizes} tickets (issue #16)", "",
             RunConditions.now().describe(), "Written by `python -m bench.scale --doc …` from the runs' JSON "
             "(`make bench-scale`; the largest size by hand, see docs/scaling.md); each figure over 25 requests "
             "after the cold first one, one uvicorn worker, PostgreSQL 15 on the same 2 cores. The runs before the "
             "scale work run that code (`--app-dir`, `git archive`) on its schema.", "",
             "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in runs[0]["rows"]:
        cells = [row["page"], str(goal_of(row["page"]) or "—")]
        for run in runs:
            other = _row(run, row["page"])
            cells.append(f"{other['median']:.0f} / {other['p95']:.0f} ({other['first']:.0f})" if other else "—")
        if grow:
            low, high = _row(grow[0], row["page"]), _row(grow[1], row["page"])
            cells.append(f"{high['median'] / low['median']:.2f}" if low and high and low["median"] else "—")
        lines.append("| " + " | ".join(cells) + " |")
    rates = [f"{schema_name(r)} at {_size(r)}: {r['creations_per_second']:.1f}/s"
             for r in runs if r.get("creations_per_second")]
    if rates:
        lines += ["", "Ticket creation through `POST /api/tickets`, one client: " + "; ".join(rates) + "."]
    loads = [f"{_size(r)}, {schema_name(r)}: {r['load']}" for r in runs if r.get("load")]
    if loads:
        lines += ["", "Loads in these runs:", ""] + [f"- {text.replace(chr(10), '; ')}" for text in loads]
    return "\n".join(lines)


def _row(run: dict, page: str) -> dict | None:
    return next((x for x in run["rows"] if x["page"] == page), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database")
    parser.add_argument("--revision", default="head")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--creations", type=int, default=200, help="tickets created to time creation (0: skip)")
    parser.add_argument("--now", default=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                        help="the loaded year's end (only used when loading)")
    parser.add_argument("--app-dir", type=Path, help="run the service from this tree (e.g. `git archive HEAD` for the "
                        "code before the change, against a --revision 0010 database)")
    parser.add_argument("--creations-only", action="store_true", help="only time ticket creation (e.g. on an empty database)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--doc", type=Path, nargs="+", help="only write docs/performance.md's section from these JSON runs")
    args = parser.parse_args()
    if args.doc:
        from bench.perf_doc import write_section
        write_section("scale", doc_section([json.loads(p.read_text(encoding="utf-8")) for p in args.doc]))
        return
    out = run(args)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
