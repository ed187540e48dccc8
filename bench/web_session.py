"""Sign in to a running ticketing service with a demo account (for benches and screenshots)."""
from __future__ import annotations

import re

import requests

from ticketing.demo.accounts import DEMO_PASSWORD


def signed_in(base_url: str, username: str = "supervisor", password: str = DEMO_PASSWORD) -> requests.Session:
    """A requests session carrying the sign-in cookie; raises when the sign-in form refuses."""
    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=30).text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no CSRF field on /login")
    response = session.post(f"{base_url}/login", data={"username": username, "password": password,
                                                       "csrf": token.group(1)}, allow_redirects=False, timeout=30)
    if response.status_code != 303:
        raise RuntimeError(f"sign-in as {username} failed: {response.status_code}")
    return session
