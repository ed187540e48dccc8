"""Time from a department's 办结 (its commit) to the e-mail arriving at a local SMTP server (aiosmtpd).

Two set-ups, each over ``--count`` resolutions (default 500), resolved one every ``--interval`` seconds
(a busy hotline's pace, so the figure is latency, not a queue draining):
- polling: SQLite, no broker, the notifier reading the outbox every YIJIAN_NOTIFY_POLL_SECONDS (default 1 s);
- RabbitMQ: PostgreSQL, relay + notifier through a topic exchange on 127.0.0.1:5672.
The notifier and relay are real processes (``python -m ticketing.notifications``). Goal: p95 ≤ 5 s
polling, ≤ 1 s through RabbitMQ. Run: `make bench-notify` (writes docs/notifications.md "## Measured").
"""
from __future__ import annotations

import argparse
import time

from sqlalchemy import select

from bench.doc_sections import replace_section
from bench.notify_support import REPO, Bench, scratch_database
from bench.percentiles import p50_p95_p99
from ticketing.models.notifications import Notification

GOALS = {"polling": 5.0, "rabbitmq": 1.0}


def measure(mode: str, count: int, interval: float) -> dict[str, float]:
    bench = Bench(scratch_database("sqlite" if mode == "polling" else "postgresql"), broker=mode == "rabbitmq")
    try:
        bench.start("notifier")
        if bench.broker:
            bench.start("relay")
        tickets = [bench.new_ticket(i) for i in range(count)]
        for ticket in tickets:
            bench.act(ticket, "sign")
        bench.wait_until(set(bench.notification_ids()), timeout=120)  # the 受理 mails, before the clock runs
        committed: dict[int, float] = {}
        for ticket in tickets:
            bench.act(ticket, "resolve", reply="已派人更换灯泡，今晚恢复照明。")
            committed[ticket.id] = time.time()
            time.sleep(interval)
        with bench.factory() as db:
            resolved = dict(db.execute(select(Notification.id, Notification.ticket_id)
                                       .where(Notification.kind == "resolved")).all())
        complete = bench.wait_until(set(resolved), timeout=120)
        arrivals = bench.arrivals()
        latencies = [arrivals[n][0] - committed[t] for n, t in resolved.items() if n in arrivals]
        p50, p95, p99 = p50_p95_p99(latencies)
        duplicates = sum(len(times) - 1 for n, times in arrivals.items())
        return {"count": len(resolved), "arrived": len(latencies), "p50": p50, "p95": p95, "p99": p99,
                "max": max(latencies, default=float("nan")), "duplicates": duplicates, "complete": complete}
    finally:
        bench.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between two resolutions")
    parser.add_argument("--modes", default="polling,rabbitmq")
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    rows = []
    for mode in args.modes.split(","):
        print(f"[bench] {mode}: {args.count} resolutions…", flush=True)
        result = measure(mode, args.count, args.interval)
        verdict = "met" if result["p95"] <= GOALS[mode] and result["complete"] else "MISSED"
        row = (f"| {mode} | {result['arrived']}/{result['count']} | {result['p50']:.3f} | {result['p95']:.3f} | "
               f"{result['p99']:.3f} | {result['max']:.3f} | {result['duplicates']} | ≤ {GOALS[mode]:.0f} s: {verdict} |")
        print(row, flush=True)
        rows.append(row)
    section = "\n".join([
        "## Measured: 办结 to e-mail",
        "",
        f"`make bench-notify` ({time.strftime('%Y-%m-%d')}, this 2-core machine, {args.count} resolutions one every "
        f"{args.interval:.2f} s; seconds from the department's commit to the message at the local SMTP server):",
        "",
        "| set-up | arrived | p50 | p95 | p99 | max | duplicates | goal (p95) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        "polling: SQLite, no broker, notifier polling the outbox every second (the default). RabbitMQ: PostgreSQL, "
        "relay polling the outbox every 0.2 s and publishing with confirms, notifier consuming its queue.",
    ])
    if args.write_doc:
        replace_section(REPO / "docs" / "notifications.md", "## Measured: 办结 to e-mail", section)
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
