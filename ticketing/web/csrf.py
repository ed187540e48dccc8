"""CSRF protection for staff forms: a double-submit token (cookie + hidden field).

Works without server-side sessions; once staff log in, the token moves into the signed session.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

COOKIE = "yj_csrf"


def token_for(request: Request) -> str:
    """The visitor's token, or a new one (set it on the response with ``remember``)."""
    return request.cookies.get(COOKIE) or secrets.token_urlsafe(24)


def remember(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=8 * 3600)


def valid(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(COOKIE)
    return bool(cookie and submitted and hmac.compare_digest(cookie, submitted))
