"""The one Jinja2 environment for all pages (autoescape on for .html).

Two globals let the shared layout show who is signed in and put a CSRF token in the sign-out form.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from ticketing.http.sessions import User, optional_user
from ticketing.web import csrf

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _signed_in(request: Request) -> User | None:
    try:
        return optional_user(request)
    except AssertionError:  # no session middleware (an app built without auth.install)
        return None


def _csrf(request: Request) -> str:
    return csrf.token_for(request)


def forbidden_page(request: Request, message: str) -> Response:
    """The 403 page for a signed-in user whose role may not see a page (installed by ``create_app``)."""
    return TEMPLATES.TemplateResponse(request, "forbidden.html", {"message": message}, status_code=403)


TEMPLATES.env.globals["signed_in"] = _signed_in
TEMPLATES.env.globals["csrf_token"] = _csrf
