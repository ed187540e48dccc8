"""Deep pages by offset and by cursor (issue #16, keyset paging): page 1 against the N-th page.

Loads nothing itself: point it at a database filled by ``python -m bench.scale_load --tickets N
--database NAME``. For each list it times, ``--repeat`` times after one warm-up, the first page,
the deep page by offset (``page=N``, what old links do) and the same page by key (``Seek`` from the
cursor of page N-1, what 下一页 and ``cursor=`` do), through the real query code; the API also
through the app (``GET /api/tickets?page=N`` and ``?cursor=``). Prints medians in ms and, with
``--json``, writes them. ``make bench-keyset`` runs it at 200,000 tickets.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.orm import Session


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def store_lists(session: Session, now: datetime) -> list[tuple[str, Callable[..., Any]]]:
    from ticketing.services import tickets as service
    from ticketing.store import queries

    from sqlalchemy import func, select

    from ticketing.models.tickets import Ticket

    F = queries.Filters
    code = session.execute(select(Ticket.department_code).group_by(Ticket.department_code)
                           .order_by(func.count().desc()).limit(1)).scalar_one()  # the longest portal list
    return [
        ("staff list", lambda page, seek: queries.ticket_list(session, F(), page=page, per_page=20, seek=seek, now=now)),
        ("staff list, category filter", lambda page, seek: queries.ticket_list(
            session, F(category="城乡建设"), page=page, per_page=20, seek=seek, now=now)),
        (f"department portal, all ({code})", lambda page, seek: queries.department_list(
            session, code, state="", page=page, per_page=20, open_only=False, seek=seek)),
        ("/api/tickets service", lambda page, seek: service.list_tickets(session, now=now, page=page, seek=seek)),
    ]


def measure(url: str, depth: int, repeat: int, now: datetime) -> list[dict[str, Any]]:
    from ticketing.core.db import make_engine
    from ticketing.store.keyset import Seek

    engine = make_engine(url)
    out = []
    try:
        with Session(engine) as session:
            for label, read in store_lists(session, now):
                total = read(1, None).total
                deep = min(depth, -(-int(total) // 20))  # the last page when the list is shorter
                before = read(deep - 1, None) if deep > 1 else None
                if before is None or before.next_key is None:
                    print(f"{label}: {total} tickets, too few for a second page", flush=True)
                    continue
                seek = Seek(before.next_key, page=deep)
                same = [t.id for t in read(deep, None).rows] == [t.id for t in read(1, seek).rows]
                out.append({"list": label, "total": str(total), "deep_page": deep, "same_rows": same,
                            "first_ms": median_ms(lambda: read(1, None), repeat),
                            "offset_ms": median_ms(lambda: read(deep, None), repeat),
                            "cursor_ms": median_ms(lambda: read(1, seek), repeat)})
                print(out[-1], flush=True)
    finally:
        engine.dispose()
    out.append(_api(url, depth, repeat))
    print(out[-1], flush=True)
    return out


def _api(url: str, depth: int, repeat: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from ticketing.app import create_app
    from ticketing.core.settings import Settings

    token = os.environ.setdefault("YIJIAN_API_TOKEN", "keyset-bench-token-0123456789")
    app = create_app(Settings(database_url=url))
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            depth = min(depth, -(-client.get("/api/tickets").json()["total"] // 20))
            cursor = client.get(f"/api/tickets?page={depth - 1}").json()["next_cursor"]
            deep = client.get(f"/api/tickets?page={depth}").json()["items"]
            same = deep == client.get("/api/tickets", params={"cursor": cursor}).json()["items"]
            return {"list": "GET /api/tickets (through the app)", "deep_page": depth, "same_rows": same,
                    "first_ms": median_ms(lambda: client.get("/api/tickets"), repeat),
                    "offset_ms": median_ms(lambda: client.get(f"/api/tickets?page={depth}"), repeat),
                    "cursor_ms": median_ms(lambda: client.get("/api/tickets", params={"cursor": cursor}), repeat)}
    finally:
        app.state.engine.dispose()


def main() -> None:
    from bench import scale_load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="keyset_200k")
    parser.add_argument("--database-url", help="any database URL instead (e.g. SQLite, for a smoke run)")
    parser.add_argument("--depth", type=int, default=2000, help="the deep page's number (20 per page)")
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--now", default=None, help="ISO time for the deadline filters (default: now)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    results = measure(args.database_url or scale_load.database_url(args.database), args.depth, args.repeat, now)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
