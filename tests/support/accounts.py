"""Helpers for tests that need a signed-in user: create the account once, post the sign-in form."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ticketing.domain.vocabulary import ACCOUNT_ROLE_LABELS
from ticketing.services import accounts
from ticketing.web import signin

PASSWORD = "test-password-123"


def ensure_account(app, role: str, department: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """An account per role/department with a known password, unlocked (idempotent across tests)."""
    username = f"t-{role}-{department}" if department else f"t-{role}"
    signin.FAILURES.clear()  # the per-address limit must not leak from one test into the next
    with app.state.sessions() as db:
        account = accounts.find(db, username)
        if account is None:
            accounts.create_account(db, username=username, role=role, password=PASSWORD,
                                    display_name=f"测试{ACCOUNT_ROLE_LABELS[role]}", department=department)
        else:
            account.failed_count, account.locked_until = 0, None
        db.commit()
    return username


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def sign_in(client: TestClient, app, role: str = "operator", department: str | None = None) -> str:  # type: ignore[no-untyped-def]
    username = ensure_account(app, role, department)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return username
