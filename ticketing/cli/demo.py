"""Demo data commands: ``seed`` (demo tickets through the real workflow) and ``seed-demo-users``."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone

from ticketing.core.settings import load_settings
from ticketing.demo.accounts import DEMO_PASSWORD, seed_demo_users
from ticketing.demo.seed import seed


def register(sub: argparse._SubParsersAction) -> None:
    tickets = sub.add_parser("seed", help="seed demo tickets (refuses a second time unless --force)")
    tickets.add_argument("--count", type=int, default=300)
    tickets.add_argument("--seed", type=int, default=12345)
    tickets.add_argument("--force", action="store_true", help="seed even if demo tickets are already there")
    tickets.add_argument("--now", type=datetime.fromisoformat, default=None, help="simulated present (ISO 8601)")
    tickets.set_defaults(run=_seed)
    users = sub.add_parser("seed-demo-users", help="create/reset the demo accounts and print them")
    users.add_argument("--password", help="default: YIJIAN_DEMO_PASSWORD, else the built-in demo password")
    users.set_defaults(run=_seed_users)


def _seed(args: argparse.Namespace) -> int:
    url = args.database_url or load_settings().database_url
    now = args.now.astimezone(timezone.utc) if args.now else None
    written = seed(url, args.count, seed_value=args.seed, force=args.force, now=now, progress=args.count >= 2000)
    print(f"seeded {written:,} demo tickets" if written
          else "demo tickets already present: nothing seeded (use --force to add more)")
    return 0


def _seed_users(args: argparse.Namespace) -> int:
    password = args.password or load_settings().demo_password or DEMO_PASSWORD
    rows = seed_demo_users(args.database_url, password)
    print(f"demo accounts (password for all: {password}) — for development only:")
    for username, role, name in rows:
        print(f"  {username:<11} {role}  {name}")
    return 0
