"""``rebuild-rollups``: recount the figures' rollup (PostgreSQL) from the tickets table.

Needed after anything that writes tickets past the rollup's trigger: ``TRUNCATE``, a bulk load with
triggers disabled, a restore of the tickets table alone. Writers wait while it runs (seconds per
million tickets).
"""
from __future__ import annotations

import argparse
import time

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import load_settings
from ticketing.store import rollups


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("rebuild-rollups", help="recount the dashboard's rollup table from the tickets (PostgreSQL)"
                   ).set_defaults(run=_rebuild)


def _rebuild(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            if not rollups.available(session):
                print("no rollup table here (SQLite, or PostgreSQL before migration 0011): nothing to rebuild")
                return 0
            started = time.perf_counter()
            rows = rollups.rebuild(session)
            session.commit()
        print(f"rollup rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s")
        return 0
    finally:
        engine.dispose()
