"""``export-corrections``: staff-set categories as training examples for the bot (see services/corrections.py)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import load_settings
from ticketing.services.corrections import export

DEFAULT_PATH = "var/category_corrections.csv"  # what bot/components/category_sources.py reads


def register(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("export-corrections", help="write the categories staff set or corrected, masked, "
                             "as training examples for the bot's category model")
    command.add_argument("--out", default=DEFAULT_PATH, help=f"CSV file (default: {DEFAULT_PATH})")
    command.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            count = export(session, Path(args.out))
    finally:
        engine.dispose()
    print(f"wrote {count} staff-labelled ticket(s) to {args.out}; retrain the bot (make model) to use them")
    return 0
