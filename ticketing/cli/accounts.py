"""Account commands: ``create-user``, ``set-password``, ``unlock``.

Production accounts are only ever made here, one by one, with a password typed at a prompt or
piped on stdin; nothing in the code creates an account with a default password except the
explicitly named demo seeding (``seed-demo-users``), which ``make run`` uses on a development database.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable

from sqlalchemy.orm import Session

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import load_settings
from ticketing.domain.departments import default_directory
from ticketing.domain.vocabulary import ACCOUNT_ROLE_LABELS, ADMIN
from ticketing.services import accounts


def register(sub: argparse._SubParsersAction) -> None:
    create = sub.add_parser("create-user", help="add an account (password prompted, or --password-stdin)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=list(ACCOUNT_ROLE_LABELS))
    create.add_argument("--department", help="department code, required for dept_officer")
    create.add_argument("--name", help="display name shown in the pages and the history")
    create.add_argument("--password-stdin", action="store_true")
    create.set_defaults(run=lambda args: _refusing(create_user, args, _reader(args.password_stdin)))
    passwd = sub.add_parser("set-password", help="new password; signs the user out everywhere")
    passwd.add_argument("--username", required=True)
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(run=lambda args: _refusing(set_password, args, _reader(args.password_stdin)))
    unlocking = sub.add_parser("unlock", help="clear a lock-out")
    unlocking.add_argument("--username", required=True)
    unlocking.set_defaults(run=unlock)


def _refusing(command: Callable[[argparse.Namespace, Callable[[], str]], int], args: argparse.Namespace,
              read_password: Callable[[], str]) -> int:
    """A refused password read (two different entries) is an operator message, not a traceback."""
    try:
        return command(args, read_password)
    except accounts.AccountError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2


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
        accounts.audit(db, username="admin-cli", role=ADMIN, action="create_user", detail=args.username)
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
        accounts.audit(db, username="admin-cli", role=ADMIN, action="set_password", detail=args.username)
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
        accounts.audit(db, username="admin-cli", role=ADMIN, action="unlock", detail=args.username)
        db.commit()
    print(f"unlocked {args.username!r}")
    return 0


def _reader(from_stdin: bool) -> Callable[[], str]:
    def read() -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("password: ")
        if first != getpass.getpass("repeat password: "):
            raise accounts.AccountError("the two passwords differ")
        return first
    return read
