"""Fill a scratch PostgreSQL database with a city's year of tickets and their history, fast.

``python -m bench.scale_load --tickets 1000000`` (re)creates ``scale_1000000`` on 127.0.0.1, migrates
it (``--revision``, default the newest), and writes N tickets with their events and assisting
departments through COPY (psycopg 3), one connection per table so PostgreSQL parses the three
streams on its own processes while Python formats the next day. Indexes and constraints are
dropped before the load and built after it (``--keep-indexes`` loads into the indexed tables
instead, which is what a live system pays).

The shape (``bench/scale_templates.py``): creation times over the year before ``--now`` with a
seasonal curve (summer peak, winter low), weekdays busier than weekends, the hotline's hours of the
day; channels, categories (our keyword table and examples), districts (the demo's weights), kinds
from the wording; each ticket lives the life of a ticket of the same age simulated through the real
workflow, so most are archived, the recent ones are open, some returned, extended, reopened,
merged, overdue and escalated. Texts are our own examples and places, never the shared data.

Refuses to start when the disk holding PostgreSQL's data has less free space than the estimate,
and stops cleanly (dropping the half-loaded database) when it runs short during the load.
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import math
import os
import random
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import psycopg
from psycopg import sql

from bench.scale_templates import (ASSIST_COLUMNS, DAY, EVENT_COLUMNS, HOUR, SURNAMES, TICKET_COLUMNS,
                                   YOUNG_DAYS, YOUNG_HOURLY_DAYS, Template, build_templates,
                                   china_hour_of_week, copy_escape, place_of)
from ticketing.domain.place_keys import place_key
from ticketing.domain.rules import default_rules
from ticketing.store.schema import migrate

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
TABLES = ("tickets", "ticket_events", "ticket_assists")
BYTES_PER_TICKET_ESTIMATE = 2900  # measured 2.64-2.68 kB with every index at 1 M and 5 M (docs/scaling.md), + place key
DISK_MARGIN = 3 * 1024 ** 3
HOUR_WEIGHTS = (0.08, 0.05, 0.04, 0.04, 0.05, 0.1, 0.25, 0.55, 0.95, 1.0, 1.0, 0.95, 0.7, 0.75, 0.95, 1.0, 1.0,
                0.9, 0.7, 0.65, 0.6, 0.45, 0.3, 0.15)  # China hours 0..23
WEEKDAY_WEIGHTS = (1.08, 1.02, 1.0, 1.0, 0.98, 0.68, 0.62)  # Monday first: Monday carries the weekend's backlog


class DiskShort(RuntimeError):
    """Not enough free disk for (the rest of) the load."""


@dataclass
class Result:
    tickets: int
    events: int
    assists: int
    load_seconds: float
    index_seconds: float
    template_seconds: float
    database_bytes: int
    table_bytes: dict[str, int]


def database_url(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def plain(url: str) -> str:
    return url.replace("+psycopg", "")


def data_directory_free() -> int:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        directory = conn.execute("SHOW data_directory").fetchone()[0]
    return shutil.disk_usage(directory if os.path.isdir(directory) else "/").free


def check_disk(tickets: int) -> None:
    need = tickets * BYTES_PER_TICKET_ESTIMATE + DISK_MARGIN
    free = data_directory_free()
    if free < need:
        largest = max(0, (free - DISK_MARGIN) // BYTES_PER_TICKET_ESTIMATE)
        raise DiskShort(f"{tickets:,} tickets need about {need / 1e9:.1f} GB, {free / 1e9:.1f} GB free: "
                        f"the largest load that fits is about {largest:,} tickets")


def recreate(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --- the shape of a year -----------------------------------------------------------------------------

def day_weights(first_day: datetime, days: int) -> list[float]:
    """Seasonal curve (peak mid-July, low mid-January, ±22 %) times the weekday rhythm."""
    out = []
    for i in range(days):
        day = first_day + timedelta(days=i)
        season = 1.0 + 0.22 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)
        out.append(season * WEEKDAY_WEIGHTS[day.weekday()])
    return out


def per_day_counts(total: int, weights: list[float]) -> list[int]:
    """Integer counts proportional to ``weights`` that add up to ``total`` (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[:total - sum(counts)]:
        counts[i] += 1
    return counts


class Clock:
    """Epoch seconds to COPY timestamp text by two table lookups (formatting is the hot loop)."""

    def __init__(self, first_epoch: int, last_epoch: int) -> None:
        self.base = first_epoch // DAY - 2
        days = last_epoch // DAY - self.base + 120
        self.days = [(datetime(1970, 1, 1) + timedelta(days=self.base + i)).strftime("%Y-%m-%d") for i in range(days)]
        self.hms = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]
        self.jhms = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00:00" for s in range(DAY)]

    def text(self, epoch: int) -> str:
        return self.days[epoch // DAY - self.base] + self.hms[epoch % DAY]

    def json(self, epoch: int) -> str:
        return self.days[epoch // DAY - self.base] + self.jhms[epoch % DAY]


class Generator:
    """Formats COPY lines of tickets, events and assists, one China day at a time."""

    def __init__(self, tickets: int, now: datetime, seed: int, per_slot: int,
                 ticket_columns: list[str] | None = None) -> None:
        self.total, self.now, self.rng = tickets, now, random.Random(seed)
        self.now_epoch = int(now.timestamp())
        started = time.perf_counter()
        self.ticket_columns = ticket_columns or TICKET_COLUMNS
        self.young, self.old = build_templates(default_rules(), now, per_slot=per_slot, seed=seed,
                                               ticket_columns=self.ticket_columns)
        self.template_seconds = time.perf_counter() - started
        self.young_ages = [[t.age for t in bucket] for bucket in self.young]
        local_now = now + timedelta(hours=8)
        last_day = datetime(local_now.year, local_now.month, local_now.day)
        self.first_day = last_day - timedelta(days=364)
        self.counts = per_day_counts(tickets, day_weights(self.first_day, 365))
        self.clock = Clock(self.now_epoch - 366 * DAY, self.now_epoch)
        self.places = {d: [copy_escape(place_of(self.rng, d)[0]) for _ in range(300)] for d in _districts()}
        self.place_keys = {d: [copy_escape(place_key(p, d, None) or "") for p in ps] for d, ps in self.places.items()}
        self.names = [copy_escape(s + t) for s in SURNAMES for t in ("先生", "女士")]
        self.next_ticket, self.next_event, self.next_assist = 1, 1, 1
        self.recent_numbers: list[str] = [""] * 4096
        self.pads = [[None] * n for n in range(101)]
        self.issued: dict[str, int] = {}

    def template_for(self, epoch: int) -> Template:
        age = self.now_epoch - epoch
        if age >= YOUNG_DAYS * DAY:
            return self.rng.choice(self.old[china_hour_of_week(epoch)])
        slot = age // HOUR if age < YOUNG_HOURLY_DAYS * DAY else \
            YOUNG_HOURLY_DAYS * 24 + (age - YOUNG_HOURLY_DAYS * DAY) // (6 * HOUR)
        fitting = bisect.bisect_right(self.young_ages[slot], age)  # templates no older than this ticket
        if fitting:
            return self.young[slot][self.rng.randrange(fitting)]
        if slot:
            return self.rng.choice(self.young[slot - 1])
        return self.young[0][0]

    def day_times(self, index: int) -> list[int]:
        """Creation times (epoch seconds) of one China day's tickets, sorted; none after ``now``."""
        start = int((self.first_day + timedelta(days=index)).replace(tzinfo=timezone.utc).timestamp()) - 8 * HOUR
        hours = self.rng.choices(range(24), weights=HOUR_WEIGHTS, k=self.counts[index])
        times = sorted(start + h * HOUR + self.rng.randrange(HOUR) for h in hours)
        return [min(t, self.now_epoch - 1) for t in times]

    def day(self, index: int) -> tuple[str, str, str, int]:
        """COPY text of one day's tickets, events and assists, and the number of tickets."""
        day_label = (self.first_day + timedelta(days=index)).strftime("%Y%m%d")
        tickets, events, assists = [], [], []
        rng, clock, recent = self.rng, self.clock, self.recent_numbers
        times = self.day_times(index)
        for seq, epoch in enumerate(times, start=1):
            tpl = self.template_for(epoch)
            tid = self.next_ticket
            self.next_ticket += 1
            number = f"{day_label}-{seq:06d}"
            recent[tid & 4095] = number
            if tpl.text is not None and tpl.district in self.places:
                pick = rng.randrange(300)
                place, key = self.places[tpl.district][pick], self.place_keys[tpl.district][pick]
                description = tpl.text[0] + place + tpl.text[1]
            else:
                place, description, key = tpl.place, tpl.description, tpl.place_key
            parent_id = parent_number = ""
            if tpl.merged:
                back = rng.randint(1, min(2000, max(1, tid - 1)))
                parent_id, parent_number = str(max(1, tid - back)), recent[max(1, tid - back) & 4095]
            shift = epoch - tpl.created
            base = tpl.created + shift
            args = [tid, tid, number, description, place, self.names[rng.randrange(len(self.names))],
                    f"13{rng.randrange(10 ** 9):09d}", f"scale-{tid}", f"{tid:064x}", parent_id, parent_number, key]
            args += self.pads[8]
            args += [clock.text(base + off) for off in tpl.times]
            if tpl.json_times:
                args += self.pads[100 - len(args)]
                args += [clock.json(base + off) for off in tpl.json_times]
            tickets.append(tpl.ticket.format(*args))
            for line in tpl.events:
                args[0] = self.next_event
                self.next_event += 1
                events.append(line.format(*args))
            for line in tpl.assists:
                args[0] = self.next_assist
                self.next_assist += 1
                assists.append(line.format(*args))
        self.issued[day_label] = len(times)
        return _text(tickets), _text(events), _text(assists), len(times)


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def _districts() -> list[str]:
    from ticketing.demo.texts import PLACES
    return list(PLACES)


# --- indexes and constraints --------------------------------------------------------------------------

@dataclass
class Structure:
    """Constraints and indexes of the loaded tables, as SQL to restore them after the load."""

    foreign_keys: list[tuple[str, str, str]]
    unique: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]
    triggers: list[str]


def capture(conn: psycopg.Connection) -> Structure:
    rows = conn.execute(
        "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
        "WHERE c.contype IN ('p', 'u', 'f') AND (c.conrelid::regclass::text = ANY(%s) "
        "OR c.confrelid::regclass::text = ANY(%s))", (list(TABLES), list(TABLES))).fetchall()
    fks = [(n, t, d) for n, t, d, k in rows if k == "f"]
    unique = [(n, t, d) for n, t, d, k in rows if k in ("p", "u") and t in TABLES]
    constraint_names = {n for n, *_ in unique}
    indexes = [(n, d) for n, d in conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s)",
        (list(TABLES),)).fetchall() if n not in constraint_names]
    triggers = [t for (t,) in conn.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tickets'::regclass AND NOT tgisinternal").fetchall()]
    return Structure(fks, unique, indexes, triggers)


def strip(conn: psycopg.Connection, s: Structure) -> None:
    for name, table, _ in s.foreign_keys:
        conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name)))
    for name, table, _ in s.unique:
        conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name)))
    for name, _ in s.indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    for name in s.triggers:  # triggers that fill derived data are re-run in bulk after the load
        conn.execute(sql.SQL("ALTER TABLE tickets DISABLE TRIGGER {}").format(sql.Identifier(name)))


def restore(url: str, s: Structure, progress: bool) -> None:
    """Constraints and indexes back, two builds at a time (one per core)."""
    statements = [sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(sql.Identifier(t), sql.Identifier(n), sql.SQL(d))
                  for n, t, d in s.unique]
    statements += [sql.SQL(d) for _, d in s.indexes]
    _run_parallel(url, statements, progress)
    with psycopg.connect(url, autocommit=True) as conn:
        for name, table, definition in s.foreign_keys:
            conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)))
        for name in s.triggers:
            conn.execute(sql.SQL("ALTER TABLE tickets ENABLE TRIGGER {}").format(sql.Identifier(name)))


def _run_parallel(url: str, statements: list, progress: bool, workers: int = 2) -> None:
    queue = list(reversed(statements))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            while True:
                with lock:
                    if not queue or errors:
                        return
                    statement = queue.pop()
                started = time.perf_counter()
                try:
                    conn.execute(statement)
                except BaseException as exc:  # noqa: BLE001 - reported by the caller
                    errors.append(exc)
                    return
                if progress:
                    print(f"  {time.perf_counter() - started:6.1f} s  {statement.as_string(conn)[:110]}",
                          file=sys.stderr, flush=True)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- the load ------------------------------------------------------------------------------------------

def ticket_columns(conn_url: str) -> list[str]:
    """The model's ticket columns that the database has: an older schema (``--revision 0010``, today's
    schema before the scale work) lacks the newer ones, which the load then leaves out."""
    with psycopg.connect(conn_url) as conn:
        present = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_schema = current_schema() AND table_name = 'tickets'")}
    return [c for c in TICKET_COLUMNS if c in present]


def _copy_statement(table: str, columns: list[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN WITH (FREEZE)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))


def load(url: str, tickets: int, *, now: datetime, seed: int = 2026, per_slot: int = 4, keep_indexes: bool = False,
         progress: bool = True) -> Result:
    """Write ``tickets`` tickets with history into the migrated, empty database at ``url``."""
    conn_url = plain(url)
    gen = Generator(tickets, now, seed, per_slot, ticket_columns(conn_url))
    if progress:
        print(f"  {sum(len(b) for b in gen.young) + sum(len(b) for b in gen.old.values()):,} ticket lives simulated "
              f"in {gen.template_seconds:.1f} s", file=sys.stderr, flush=True)
    with psycopg.connect(conn_url, autocommit=True) as admin:
        structure = capture(admin)
        if not keep_indexes:
            strip(admin, structure)
    connections = [psycopg.connect(conn_url) for _ in TABLES]
    totals = [0, 0, 0]
    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            written = _stream(gen, connections, stack, totals, started, progress)
        for conn in connections:
            conn.commit()
    finally:
        for conn in connections:
            conn.close()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if not keep_indexes:
        restore(conn_url, structure, progress)
    finish(conn_url, gen)
    index_seconds = time.perf_counter() - started
    return Result(tickets=totals[0], events=totals[1], assists=totals[2], load_seconds=load_seconds,
                  index_seconds=index_seconds, template_seconds=gen.template_seconds, **sizes(conn_url))


def _stream(gen: Generator, connections: list, stack: contextlib.ExitStack, totals: list[int], started: float,
            progress: bool) -> int:
    """One COPY per table, open together; each day's lines go to all three."""
    copies = []
    for conn, table, columns in zip(connections, TABLES, (gen.ticket_columns, EVENT_COLUMNS, ASSIST_COLUMNS)):
        conn.execute("SET synchronous_commit = off")
        conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))  # FREEZE needs it in this transaction
        cursor = conn.cursor()
        copy = cursor.copy(_copy_statement(table, columns), writer=psycopg.copy.QueuedLibpqWriter(cursor))
        copies.append(stack.enter_context(copy))
    written, checked = 0, time.perf_counter()
    for index in range(len(gen.counts)):
        parts = gen.day(index)
        for i, (copy, text) in enumerate(zip(copies, parts[:3])):
            if text:
                copy.write(text.encode())
                totals[i] += text.count("\n")
        written += parts[3]
        if time.perf_counter() - checked > 5:
            checked = time.perf_counter()
            if data_directory_free() < DISK_MARGIN:
                raise DiskShort(f"free disk fell under {DISK_MARGIN / 1e9:.0f} GB after {written:,} tickets")
            if progress:
                rate = written / (checked - started)
                print(f"  {written:,} tickets ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    return written


def finish(conn_url: str, gen: Generator) -> None:
    """Id sequences and number counters past the loaded rows, derived tables, statistics."""
    with psycopg.connect(conn_url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), coalesce(max(id), 0) + 1, false) FROM {}")
                         .format(sql.Literal(table), sql.Identifier(table)))
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO ticket_counters (day, last) VALUES (%s, %s) "
                            "ON CONFLICT (day) DO UPDATE SET last = EXCLUDED.last", list(gen.issued.items()))
        rebuild = conn.execute("SELECT to_regclass('ticket_rollups')").fetchone()[0]
        if rebuild:
            from ticketing.store import rollups
            with psycopg.connect(conn_url, autocommit=False) as tx:
                rollups.rebuild_psycopg(tx)
                tx.commit()
        conn.execute("VACUUM ANALYZE")


def sizes(conn_url: str) -> dict:
    with psycopg.connect(conn_url) as conn:
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        tables = {t: conn.execute("SELECT pg_total_relation_size(%s)", (t,)).fetchone()[0] for t in TABLES}
    return {"database_bytes": total, "table_bytes": tables}


def report(r: Result) -> str:
    per_million = r.database_bytes / max(r.tickets, 1) * 1e6
    rows = r.tickets + r.events + r.assists
    return (f"{r.tickets:,} tickets, {r.events:,} events ({r.events / max(r.tickets, 1):.1f} per ticket), "
            f"{r.assists:,} assists\n"
            f"load (COPY): {r.load_seconds:.1f} s = {r.tickets / r.load_seconds:,.0f} tickets/s with their events, "
            f"{rows / r.load_seconds:,.0f} rows/s\n"
            f"indexes, constraints, counters, VACUUM ANALYZE after the load: {r.index_seconds:.1f} s; "
            f"whole: {r.tickets / (r.load_seconds + r.index_seconds):,.0f} tickets/s\n"
            f"simulated lives (templates): {r.template_seconds:.1f} s\n"
            f"database {r.database_bytes / 1e9:.2f} GB = {per_million / 1e9:.2f} GB per million tickets; "
            + ", ".join(f"{t} {b / 1e9:.2f} GB" for t, b in r.table_bytes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--database", help="scratch database name (default scale_<N>); it is recreated")
    parser.add_argument("--database-url", help="an existing database to load into instead (must be empty)")
    parser.add_argument("--revision", default="head", help="migrate to this revision (e.g. 0010: today's schema)")
    parser.add_argument("--now", help="ISO time the year ends at (default: now)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-slot", type=int, default=4, help="simulated lives per age slot")
    parser.add_argument("--keep-indexes", action="store_true", help="load into the indexed tables")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    name = args.database or f"scale_{args.tickets}"
    try:
        check_disk(args.tickets)
    except DiskShort as exc:
        sys.exit(f"not started: {exc}")
    url = args.database_url or database_url(name)
    if not args.database_url:
        recreate(name)
    migrate_to(url, args.revision)
    try:
        result = load(url, args.tickets, now=now, seed=args.seed, per_slot=args.per_slot,
                      keep_indexes=args.keep_indexes)
    except DiskShort as exc:
        if not args.database_url:
            drop_database(name)
        sys.exit(f"stopped: {exc}; the partial database was dropped")
    print(report(result))


def migrate_to(url: str, revision: str) -> None:
    if revision == "head":
        migrate(url)
        return
    from alembic import command

    from ticketing.store.schema import alembic_config
    command.upgrade(alembic_config(url), revision)


if __name__ == "__main__":
    main()
