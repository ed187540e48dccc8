"""Demo accounts for development (`make run`, tests, benches): one per role and a few departments.

Production accounts are only ever made one by one with ``python -m ticketing.cli create-user``;
nothing else creates an account with a known password.
"""
from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import load_settings
from ticketing.domain.departments import Directory, default_directory
from ticketing.domain.vocabulary import (ACCOUNT_ROLE_LABELS, ADMIN, DEPT_OFFICER, DISPATCHER, OPERATOR,
                                         SUPERVISOR_ACCOUNT)
from ticketing.services import accounts

DEMO_PASSWORD = "yijian-demo-2026"
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("operator", "王芳", OPERATOR, None),
    ("dispatcher", "李强", DISPATCHER, None),
    ("supervisor", "陈静", SUPERVISOR_ACCOUNT, None),
    ("admin", "系统管理员", ADMIN, None),
    ("urban", "市城管执法委 赵明", DEPT_OFFICER, "urban-management"),
    ("housing", "市住更局 孙丽", DEPT_OFFICER, "housing"),
    ("water", "武汉水务集团 周涛", DEPT_OFFICER, "water-supply"),
    ("power", "武汉供电公司 吴刚", DEPT_OFFICER, "power-supply"),
    ("hrss", "市人社局 郑洁", DEPT_OFFICER, "human-resources"),
    ("hongshan", "洪山区人民政府 冯磊", DEPT_OFFICER, "district-hongshan"),
)


def seed_demo_users(database_url: str | None = None, password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """Create or reset the demo accounts (same password, unlocked): running it twice changes nothing."""
    directory = default_directory()
    engine = make_engine(database_url or load_settings().database_url)
    try:
        return _seed(make_sessionmaker(engine), password, directory)
    finally:
        engine.dispose()


def _seed(factory: sessionmaker, password: str, directory: Directory) -> list[tuple[str, str, str]]:
    rows = []
    with factory() as db:
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
            rows.append((username, ACCOUNT_ROLE_LABELS[role] + where, name))
        db.commit()
    return rows


def _password_is(account: accounts.Account, password: str) -> bool:
    return accounts.verify_password(account.password_hash, password)
