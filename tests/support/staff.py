"""Sign in to the staff pages of a running ticketing service, as a person or a browser would."""

from __future__ import annotations

import re

import requests

DEMO_PASSWORD = "yijian-demo-2026"  # set by `python -m ticketing.cli seed-demo-users`
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def staff_session(ticketing_url: str, username: str = "operator") -> requests.Session:
    """A requests session holding a signed-in demo account's cookie."""
    session = requests.Session()
    form = session.get(f"{ticketing_url}/login", timeout=10).text
    csrf = CSRF_FIELD.search(form)
    assert csrf, "no CSRF field on the sign-in page"
    response = session.post(
        f"{ticketing_url}/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf": csrf.group(1), "next": "/staff/tickets"},
        allow_redirects=False, timeout=10,
    )
    assert response.status_code == 303, f"sign-in as {username} failed: {response.status_code}"
    return session


def sign_in_page(page, ticketing_url: str, username: str = "operator", next_path: str = "/staff/tickets") -> None:
    """Sign a Playwright page in through the real form."""
    page.goto(f"{ticketing_url}/login?next={next_path}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"**{next_path}*")
