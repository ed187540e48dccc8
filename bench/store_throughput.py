"""Ticket creation and listing per second through the API on PostgreSQL, beside a pgbench INSERT.

Measures the production topology's ticketing side (`ProdSystem`: nginx in front of two ticketing
worker processes, a throw-away PostgreSQL database). For each client concurrency C, rounds of
`--seconds` each, interleaved so the machine's changing load hits all three alike:

1. creation: C client threads POST /api/tickets through nginx as the bot files (the bot's payload
   shape, its integration token, a unique Idempotency-Key each), as fast as answers come back;
2. pgbench: /usr/bin/pgbench with C clients runs a custom script of one plain single-row INSERT
   into a table as wide as `tickets` (same columns, primary key only) in its own throw-away database;
   then a second script with the SQL of one creation (number from a sequence, ticket, two history rows);
3. listing: C client threads GET /api/tickets pages (20 per page, pages 1–5) through nginx.

The figure is the median API rate over the median pgbench rate of the same concurrency, same run.
Beside it: the servers' CPU milliseconds per request (ticketing workers, nginx, the PostgreSQL
backends of the tickets database, and this client), which say where the time goes.
Run: `make bench-store` (or `.venvs/ticketing/bin/python -m bench.store_throughput --help`).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import requests

from bench.deployment import Deployment, prod_stack
from bench.perf_doc import RunConditions, write_section
from bench.process_memory import cpu_snapshot

PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
GOAL_SHARE = 0.5

# The columns of `tickets` (ticketing/models/tickets.py) with plain types; only the primary key, no other index.
WIDE_TABLE = """
CREATE TABLE tickets_like (
    id bigserial PRIMARY KEY, number varchar(20), state varchar(8), kind varchar(4),
    category_l1 varchar(50), category_l2 varchar(50), category_l3 varchar(50), category_source varchar(10),
    description text, place varchar(500), district varchar(20), adcode varchar(12), event_time varchar(200),
    lat double precision, lon double precision, media_url varchar(1000), channel varchar(10),
    priority varchar(4), emergency varchar(10), deadline_policy varchar(20), department_code varchar(40),
    sign_due_at timestamptz, resolve_due_at timestamptz, warn_at timestamptz, signed_at timestamptz,
    resolved_at timestamptz, closed_at timestamptz, created_at timestamptz, updated_at timestamptz,
    contact_name varchar(100), contact_phone varchar(32), anonymous boolean, conversation_id varchar(128),
    idempotency_key varchar(128), request_hash varchar(64), parent_id bigint, merged_into varchar(20),
    reply text, rating varchar(10), reopen_count integer, extension_due_at timestamptz, version integer
)"""
INSERT_SCRIPT = """\\set n random(1, 1000000000)
INSERT INTO tickets_like (number, state, kind, category_l1, category_l2, category_l3, category_source,
  description, place, district, event_time, channel, priority, deadline_policy, department_code,
  sign_due_at, resolve_due_at, warn_at, created_at, updated_at, contact_name, contact_phone, anonymous,
  conversation_id, idempotency_key, request_hash, reopen_count, version)
VALUES ('20261125-' || :n, '已派单', '投诉', '城乡建设', '市政设施', '路灯', 'caller',
  '小区门口的路灯坏了好几天，晚上很黑，老人出门很不安全，希望尽快修好', '江汉区解放大道688号', '江汉区', '上个月',
  'chat', '普通', 'standard', 'urban', now(), now() + interval '5 days', now() + interval '4 days', now(), now(),
  '张先生', '13812345678', false, 'bench-' || :n, 'chat-' || md5(:n::text), md5(:n::text), 0, 1);
"""
# The SQL of one creation as the service issues it, without the Python around it: take the day's
# ticket number from its sequence (nextval: not transactional, so no lock is held until the commit;
# ticketing/store/numbering.py), insert the ticket, insert its two history rows in one statement, commit.
# Not included: the idempotency-key probe (an index lookup on the real table; this table has no such
# index, and adding one would slow the plain INSERT it is compared with).
CREATION_TABLES = """
CREATE SEQUENCE numbers_like;
CREATE TABLE events_like (
    id bigserial PRIMARY KEY, ticket_id bigint, seq integer, action varchar(30), from_state varchar(8),
    to_state varchar(8), actor varchar(100), role varchar(20), at timestamptz, reason text, note text, data json
)"""
CREATION_SQL_SCRIPT = INSERT_SCRIPT.replace("INSERT INTO tickets_like", """BEGIN;
SELECT nextval('numbers_like');
INSERT INTO tickets_like""") + """INSERT INTO events_like (ticket_id, seq, action, from_state, to_state, actor, role, at, note, data)
  VALUES (currval('tickets_like_id_seq'), 1, 'create', NULL, '已受理', '系统', 'system', now(), '渠道：智能助手', '{"category_source": "caller"}'),
         (currval('tickets_like_id_seq'), 2, 'dispatch', '已受理', '已派单', '系统', 'system', now(), '按派单规则派至', '{}');
COMMIT;
"""

# What the bot's action server sends (actions/filing.py ticket_payload), with a varied description.
PAYLOAD = {"kind": "投诉", "channel": "chat", "anonymous": False, "urgent": False,
           "place": "江汉区解放大道688号", "event_time": "上个月", "contact_name": "张先生",
           "contact_phone": "13812345678"}
DESCRIPTIONS = ("小区门口的路灯坏了好几天，晚上很黑", "楼下的下水道堵了，污水漫到人行道上",
                "隔壁工地夜里施工，噪音很大睡不着", "楼下餐馆油烟很大，窗户都不敢开",
                "小区垃圾站满了好几天没人清运")


@dataclass
class Rates:
    """Per client concurrency: the rates of every round, and CPU per request."""

    clients: int
    create: list[float] = field(default_factory=list)
    pgbench: list[float] = field(default_factory=list)
    creation_sql: list[float] = field(default_factory=list)
    listing: list[float] = field(default_factory=list)
    create_errors: int = 0
    list_errors: int = 0
    create_cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    list_cpu_ms: dict[str, list[float]] = field(default_factory=dict)

    @staticmethod
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")


def pg_connect(dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(**PG, dbname=dbname, autocommit=True, connect_timeout=5)


def postgres_backends(dbname: str) -> list[psutil.Process]:
    """The PostgreSQL backend processes serving connections to `dbname` (their title names it)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info.get("cmdline") or []
        if cmdline and cmdline[0].startswith("postgres: ") and f" {dbname} " in f" {cmdline[0]} ":
            found.append(process)
    return found


def backends_cpu(dbname: str) -> float:
    total = 0.0
    for process in postgres_backends(dbname):
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


class CpuMeter:
    """CPU seconds spent by each server (and this client) between start() and stop()."""

    def __init__(self, deployment: Deployment, tickets_db: str) -> None:
        self.deployment = deployment
        self.tickets_db = tickets_db

    def read(self) -> dict[str, float]:
        readings = cpu_snapshot(self.deployment.processes)
        cpu = {"ticketing workers": readings.get("ticketing-a", 0) + readings.get("ticketing-b", 0),
               "nginx": readings.get("nginx", 0), "PostgreSQL backends": backends_cpu(self.tickets_db)}
        times = psutil.Process().cpu_times()
        cpu["bench client"] = times.user + times.system
        return cpu


def hammer(clients: int, seconds: float, work) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """`clients` threads call work(session, i) until the time is up; returns (successes, errors)."""
    deadline = time.perf_counter() + seconds
    counts = [[0, 0] for _ in range(clients)]

    def loop(slot: int) -> None:
        session = requests.Session()
        i = 0
        while time.perf_counter() < deadline:
            ok = work(session, slot * 1_000_000 + i)
            counts[slot][0 if ok else 1] += 1
            i += 1

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def timed_round(clients: int, seconds: float, work, meter: CpuMeter) -> tuple[float, int, dict[str, float]]:  # type: ignore[no-untyped-def]
    """Requests per second, errors, and CPU milliseconds per successful request by server."""
    before = meter.read()
    started = time.perf_counter()
    done, errors = hammer(clients, seconds, work)
    elapsed = time.perf_counter() - started
    after = meter.read()
    per_request = {k: (after[k] - before[k]) * 1000 / max(done, 1) for k in after}
    return done / elapsed, errors, per_request


def creator(deployment: Deployment, run_id: str):  # type: ignore[no-untyped-def]
    url = f"{deployment.ticketing_url}/api/tickets"
    auth = {"Authorization": f"Bearer {deployment.api_token}"} if deployment.api_token else {}

    def create(session: requests.Session, i: int) -> bool:
        body = {**PAYLOAD, "description": DESCRIPTIONS[i % len(DESCRIPTIONS)] + f"（{i % 97}号楼）",
                "conversation_id": f"store-{run_id}-{i}"}
        response = session.post(url, json=body, headers={**auth, "Idempotency-Key": f"store-{run_id}-{uuid.uuid4().hex}"},
                                timeout=60)
        return response.status_code == 201
    return create


def lister(deployment: Deployment):  # type: ignore[no-untyped-def]
    url = f"{deployment.ticketing_url}/api/tickets"
    auth = {"Authorization": f"Bearer {deployment.api_token}"}  # reads need the token (401 without)

    def list_page(session: requests.Session, i: int) -> bool:
        response = session.get(url, params={"per_page": 20, "page": 1 + i % 5}, headers=auth, timeout=60)
        return response.status_code == 200 and len(response.json().get("items", [])) > 0
    return list_page


def pgbench_round(dbname: str, script: Path, clients: int, seconds: float) -> float:
    """Transactions per second of the plain INSERT script (excluding connection set-up)."""
    command = [PGBENCH, "-n", "-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"], "-c", str(clients),
               "-j", str(min(clients, os.cpu_count() or 1)), "-T", str(int(seconds)), "-f", str(script), dbname]
    result = subprocess.run(command, capture_output=True, text=True)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    if result.returncode != 0 or not match:
        raise SystemExit(f"pgbench failed (exit {result.returncode}):\n{result.stdout[-800:]}\n{result.stderr[-800:]}")
    return float(match.group(1))


def preflight() -> None:
    """Clear messages when what this bench needs is missing."""
    if not Path(PGBENCH).exists():
        raise SystemExit(f"pgbench is missing ({PGBENCH}); apt-get install postgresql-client")
    try:
        with pg_connect() as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        raise SystemExit(f"PostgreSQL does not answer on {PG['host']}:{PG['port']} as {PG['user']}: {error}")


def fmt_cpu(samples: dict[str, list[float]]) -> str:
    return ", ".join(f"{name} {statistics.median(v):.1f}" for name, v in samples.items())


def report(deployment: Deployment, results: list[Rates], conditions: RunConditions, seconds: float,
           rounds: int, load_end: tuple[float, float, float]) -> str:
    rows, cpu_rows = [], []
    for r in results:
        c, p, li, q = r.med(r.create), r.med(r.pgbench), r.med(r.listing), r.med(r.creation_sql)
        rows.append(f"| {r.clients} | {c:,.1f} | {p:,.0f} | **{c / p:.1%}** | {q:,.0f} ({c / q:.0%}) | {li:,.1f} | "
                    f"{r.create_errors} / {r.list_errors} | {', '.join(f'{x:.0f}' for x in r.create)} | "
                    f"{', '.join(f'{x:.0f}' for x in r.pgbench)} | {', '.join(f'{x:.0f}' for x in r.creation_sql)} | "
                    f"{', '.join(f'{x:.0f}' for x in r.listing)} |")
        cpu_rows.append(f"| {r.clients} | creation | {fmt_cpu(r.create_cpu_ms)} |")
        cpu_rows.append(f"| {r.clients} | listing | {fmt_cpu(r.list_cpu_ms)} |")
    best = max(results, key=lambda r: r.med(r.create) / r.med(r.pgbench))
    share = best.med(best.create) / best.med(best.pgbench)
    verdict = "met" if share >= GOAL_SHARE else f"**not met** (best {share:.1%} at {best.clients} clients)"
    return f"""### Ticket creation and listing on PostgreSQL beside pgbench

`make bench-store` (`bench/store_throughput.py`) measures the {deployment.description}. Per client
concurrency C, {rounds} rounds of {seconds:g} s each, interleaved (creation, pgbench INSERT, pgbench creation SQL, listing, then again):
**creation** = C client threads POST `/api/tickets` through nginx as the bot files (its payload shape,
its integration token, a unique `Idempotency-Key` each), each sending the next as soon as the answer
arrives; **pgbench** = `pgbench -c C` running a custom script of one plain single-row `INSERT` into a
table with the same columns as `tickets` but only a primary key, in its own throw-away database on the
same PostgreSQL; **listing** = C threads GET `/api/tickets?per_page=20&page=1…5` through nginx (the
database then holds the tickets created so far). Rates are medians of the rounds; "share" is creation ÷
pgbench at the same C. Every creation runs validation, the keyword classifier, the router, the
deadline on the working calendar, the day's number sequence and two history rows in one transaction
(the `tickets` table has eight indexes; the pgbench table one). A second pgbench script, **creation
SQL**, issues the same statements as one creation without the Python around them — `nextval` of the
day's number sequence, the ticket INSERT and one two-row history INSERT in one transaction (not the
idempotency-key probe, an index lookup) — so the gap between it and
the plain INSERT is the cost of the SQL design, and the gap between the API and it is the Python side.

{conditions.describe(load_end)}

| clients C | creations/s | pgbench INSERTs/s | share | pgbench creation SQL/s (creations' share) | list pages/s | errors (create / list) | creation rounds | INSERT rounds | creation SQL rounds | listing rounds |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

Goal: creation ≥ {GOAL_SHARE:.0%} of the pgbench insert rate — {verdict}.

CPU milliseconds per request (median of the rounds; the ticketing workers' and nginx's process trees,
the PostgreSQL backends connected to the tickets database, and this Python client itself, which shares
the 2 cores with the servers):

| clients C | request | CPU ms per request |
| --- | --- | --- |
{chr(10).join(cpu_rows)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8], help="client concurrencies")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print only; do not write docs/performance.md")
    args = parser.parse_args(argv)
    preflight()
    conditions = RunConditions.now()
    run_id = uuid.uuid4().hex[:8]
    pg_db = f"yijian_pgbench_{run_id}"
    results: list[Rates] = []
    with pg_connect() as connection:
        connection.execute(f"CREATE DATABASE {pg_db}")
    try:
        with pg_connect(pg_db) as connection:
            connection.execute(WIDE_TABLE)
            for statement in CREATION_TABLES.split(";"):
                connection.execute(statement)
        with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp, \
                prod_stack("store_throughput", with_bot=False) as deployment:
            script = Path(tmp) / "insert.sql"
            script.write_text(INSERT_SCRIPT, encoding="utf-8")
            creation_script = Path(tmp) / "creation.sql"
            creation_script.write_text(CREATION_SQL_SCRIPT, encoding="utf-8")
            tickets_db = deployment.database_url.rsplit("/", 1)[-1]
            meter = CpuMeter(deployment, tickets_db)
            create, list_page = creator(deployment, run_id), lister(deployment)
            hammer(4, 3.0, create)  # warm-up: imports, connection pools, caches on both workers
            hammer(4, 2.0, list_page)
            for clients in args.clients:
                rates = Rates(clients)
                for index in range(1, args.rounds + 1):
                    rate, errors, cpu = timed_round(clients, args.seconds, create, meter)
                    rates.create.append(rate)
                    rates.create_errors += errors
                    for name, ms in cpu.items():
                        rates.create_cpu_ms.setdefault(name, []).append(ms)
                    rates.pgbench.append(pgbench_round(pg_db, script, clients, args.seconds))
                    rates.creation_sql.append(pgbench_round(pg_db, creation_script, clients, args.seconds))
                    rate, errors, cpu = timed_round(clients, args.seconds, list_page, meter)
                    rates.listing.append(rate)
                    rates.list_errors += errors
                    for name, ms in cpu.items():
                        rates.list_cpu_ms.setdefault(name, []).append(ms)
                    print(f"C={clients} round {index}: create {rates.create[-1]:.1f}/s, pgbench "
                          f"{rates.pgbench[-1]:.0f}/s, creation SQL {rates.creation_sql[-1]:.0f}/s, list {rates.listing[-1]:.1f}/s "
                          f"(load {os.getloadavg()[0]:.1f})", flush=True)
                results.append(rates)
            text = report(deployment, results, conditions, args.seconds, args.rounds, os.getloadavg())
    finally:
        with pg_connect() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    print(text)
    if not args.no_doc:
        write_section("store_throughput", text)
    return 1 if any(r.create_errors or r.list_errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
