"""One command line for operators: ``python -m ticketing.cli <command>``.

``migrate`` and ``escalate`` (database), ``create-user``, ``set-password``, ``unlock`` (accounts),
``rebuild-rollups`` (the figures' rollup), ``seed`` and ``seed-demo-users`` (demo data), ``export-corrections`` (staff-set categories
for the bot's category model). Every command takes ``--database-url`` (default:
``DATABASE_URL`` or the SQLite file in ``var/``).
"""
from __future__ import annotations

import argparse

from ticketing.cli import accounts, database, demo, nlu, rollups


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m ticketing.cli")
    top.add_argument("--database-url", default=None, help="default: DATABASE_URL or var/yijian.db")
    sub = top.add_subparsers(dest="command", required=True)
    for module in (database, accounts, demo, nlu, rollups):
        module.register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))
