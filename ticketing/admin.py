"""Account administration: ``python -m ticketing.admin create-user|set-password|unlock|seed-demo-users``.

Production accounts are only ever made here, one by one, with a password typed at a prompt or
piped on stdin; nothing in the code creates an account with a default password except the
explicitly named demo seeding, which ``make run`` uses on a development database.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Callable

from sqlalchemy.orm import Session

from ticketing import accounts
from ticketing.db import make_engine, make_sessionmaker
from ticketing.departments import default_directory
from ticketing.settings import load_settings

DEMO_PASSWORD = "yijian-demo-2026"
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("operator", "王芳", "operator", None),
    ("dispatcher", "李强", "dispatcher", None),
    ("supervisor", "陈静", "supervisor", None),
    ("admin", "系统管理员", "admin", None),
    ("urban", "市城管执法委 赵明", "dept_officer", "urban-management"),
    ("housing", "市住更局 孙丽", "dept_officer", "housing"),
    ("water", "武汉水务集团 周涛", "dept_officer", "water-supply"),
    ("power", "武汉供电公司 吴刚", "dept_officer", "power-supply"),
    ("hrss", "市人社局 郑洁", "dept_officer", "human-resources"),
    ("hongshan", "洪山区人民政府 冯磊", "dept_officer", "district-hongshan"),
)


def _db(database_url: str | None) -> Session:
    return make_sessionmaker(make_engine(database_url or load_settings().database_url))()


def create_user(args: argparse.Namespace, read_password: Callable[[], str]) -> int:
    if args.department and args.department not in default_directory():
        print(f"unknown department code: {args.department}", file=sys.stderr)
        return 2
    with _db(args.database_url) as db:
        try:
            accounts.create_account(db, username=args.username, role=args.role, password=read_password(),
                                    display_name=args.name or "", department=args.department)
        except accounts.AccountError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 2
        accounts.audit(db, username="admin-cli", role="admin", action="create_user", detail=args.username)
        db.commit()
    print(f"created {args.role} account {args.username!r}")
    return 0


def set_password(args: argparse.Namespace, read_password: Callable[[], str]) -> int:
    with _db(args.database_url) as db:
        account = accounts.find(db, args.username)
        if account is None:
            print(f"no such user: {args.username}", file=sys.stderr)
            return 2
        try:
            accounts.set_password(account, read_password())
        except accounts.AccountError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 2
        accounts.audit(db, username="admin-cli", role="admin", action="set_password", detail=args.username)
        db.commit()
    print(f"password changed for {args.username!r}; existing sessions are signed out")
    return 0


def unlock(args: argparse.Namespace) -> int:
    with _db(args.database_url) as db:
        account = accounts.find(db, args.username)
        if account is None:
            print(f"no such user: {args.username}", file=sys.stderr)
            return 2
        account.failed_count, account.locked_until = 0, None
        accounts.audit(db, username="admin-cli", role="admin", action="unlock", detail=args.username)
        db.commit()
    print(f"unlocked {args.username!r}")
    return 0


def seed_demo_users(database_url: str | None = None, password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """Create or reset the demo accounts (same password, unlocked): running it twice changes nothing."""
    directory = default_directory()
    rows = []
    with _db(database_url) as db:
        for username, name, role, dept in DEMO_USERS:
            account = accounts.find(db, username)
            if account is None:
                accounts.create_account(db, username=username, role=role, password=password,
                                        display_name=name, department=dept)
            elif not _password_is(account, password):
                accounts.set_password(account, password)
            if account is not None:
                account.failed_count, account.locked_until, account.active = 0, None, True
                account.display_name, account.role, account.department_code = name, role, dept
            where = f"（{directory.get(dept).name}）" if dept else ""
            rows.append((username, accounts.ROLE_LABELS[role] + where, name))
        db.commit()
    return rows


def _password_is(account: accounts.Account, password: str) -> bool:
    return accounts._verify(account.password_hash, password)  # noqa: SLF001 (same package)


def _reader(from_stdin: bool) -> Callable[[], str]:
    def read() -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("password: ")
        if first != getpass.getpass("repeat password: "):
            raise accounts.AccountError("the two passwords differ")
        return first
    return read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ticketing.admin")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL or var/yijian.db")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="add an account (password prompted, or --password-stdin)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=list(accounts.ROLE_LABELS))
    create.add_argument("--department", help="department code, required for dept_officer")
    create.add_argument("--name", help="display name shown in the pages and the history")
    create.add_argument("--password-stdin", action="store_true")
    passwd = sub.add_parser("set-password", help="new password; signs the user out everywhere")
    passwd.add_argument("--username", required=True)
    passwd.add_argument("--password-stdin", action="store_true")
    sub.add_parser("unlock", help="clear a lock-out").add_argument("--username", required=True)
    demo = sub.add_parser("seed-demo-users", help="create/reset the demo accounts and print them")
    demo.add_argument("--password", default=os.environ.get("YIJIAN_DEMO_PASSWORD") or DEMO_PASSWORD)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "create-user":
            return create_user(args, _reader(args.password_stdin))
        if args.command == "set-password":
            return set_password(args, _reader(args.password_stdin))
        if args.command == "unlock":
            return unlock(args)
    except accounts.AccountError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    rows = seed_demo_users(args.database_url, args.password)
    print(f"demo accounts (password for all: {args.password}) — for development only:")
    for username, role, name in rows:
        print(f"  {username:<11} {role}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
