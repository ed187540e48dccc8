"""CSRF protection for every form: a per-session token, echoed in a hidden ``csrf`` field.

The token lives in the signed session cookie (anonymous visitors get a session too, so the sign-in
and ticket-lookup forms are covered); the cookie is SameSite=Lax as a second line of defence.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

KEY = "csrf"


def token_for(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(KEY)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[KEY] = token
    return token


def remember(response: Response, token: str) -> None:
    """Kept for callers written before sessions: the session cookie already carries the token."""


def valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(KEY)
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))
