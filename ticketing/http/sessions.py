"""Who is signed in: the session cookie, and FastAPI dependencies that demand a role.

Usage in a router::

    @router.get("/dashboard")
    def dashboard(user: Annotated[User, Depends(require_roles(*DASHBOARD_ROLES))]): ...

A visitor without a session is sent to ``/login?next=…`` (pages) or gets 401 JSON (``/api/…``);
a signed-in user without the role gets a 403 page. The cookie is signed (Starlette's
SessionMiddleware, itsdangerous) and carries only the account id, its session version and the
CSRF token; the account is re-read on every request, so deactivation and sign-out take effect at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketing.core.secret import load_secret
from ticketing.domain.permissions import Permissions, account
from ticketing.domain.vocabulary import ACCOUNT_ROLE_LABELS as ROLE_LABELS
from ticketing.domain.vocabulary import DEPT_OFFICER, WORKFLOW_ROLE_OF_ACCOUNT
from ticketing.http.errors import error_body
from ticketing.models.accounts import Account

ROLES = tuple(ROLE_LABELS)
SESSION_COOKIE = "yj_session"
SESSION_SECONDS = 10 * 3600  # one working day, renewed while the user is active


@dataclass(frozen=True)
class User:
    """The signed-in person as pages need them (no password hash leaves the database layer)."""

    id: int
    username: str
    display_name: str
    role: str
    department: str | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def workflow_role(self) -> str:
        """The state machine's role for this account: staff, supervisor or department."""
        return WORKFLOW_ROLE_OF_ACCOUNT[self.role]

    @property
    def permissions(self) -> Permissions:
        """What this account may see and do; the pages ask it instead of comparing roles."""
        return Permissions(account(self.role, self.department))

    @property
    def is_staff(self) -> bool:
        """Hotline side: may see full contact data (every view audited)."""
        return self.permissions.sees_full_contact()

    @property
    def home(self) -> str:
        return home_for(self.role)


def home_for(role: str) -> str:
    """Where an account lands after signing in: the portal for officers, the queue for the hotline."""
    return "/dept/tickets" if role == DEPT_OFFICER else "/staff/queue"


class SignInRequired(Exception):
    """No valid session: pages redirect to the sign-in form, the API answers 401."""


class Forbidden(Exception):
    """Signed in, but this role or department may not see the page."""

    def __init__(self, message: str = "您的账号无权访问此页面。") -> None:
        super().__init__(message)
        self.message = message


ForbiddenPage = Callable[[Request, str], Response]


def install(app: FastAPI, forbidden_page: ForbiddenPage) -> None:
    """Session middleware and the two exception handlers; call once in ``create_app``, after
    ``app.state.settings`` is set (cookie key, HTTPS-only cookie).

    ``forbidden_page`` renders the 403 page: the pages own their templates, this edge does not.
    """
    settings = app.state.settings
    app.add_middleware(SessionMiddleware, secret_key=load_secret(settings.secret_key.get_secret_value()),
                       session_cookie=SESSION_COOKIE, max_age=SESSION_SECONDS, same_site="lax",
                       https_only=settings.cookie_secure)
    app.add_exception_handler(SignInRequired, _on_sign_in_required)  # type: ignore[arg-type]
    app.add_exception_handler(Forbidden, _forbidden_handler(forbidden_page))  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)


PRIVATE_PREFIXES = ("/staff", "/dept", "/admin", "/login", "/lookup", "/supervise")


class SecurityHeaders:
    """No framing, no MIME sniffing, no ticket URLs in Referer; pages with personal data never cached
    (the back button after sign-out must not show them again).

    Pure ASGI: it only adds headers to the response start, so it need not run the app in a separate
    task with streamed bodies as ``app.middleware("http")`` (BaseHTTPMiddleware) did, which cost
    every request, ticket creation included, a measurable share of the worker's CPU.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith(PRIVATE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def start_session(request: Request, account: Account) -> None:
    """Called after a correct password: a fresh session (new CSRF token) bound to this account version."""
    request.session.clear()
    request.session.update({"uid": account.id, "ver": account.session_version})


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None; cached on the request."""
    if hasattr(request.state, "user"):
        return request.state.user
    user = _load(request)
    request.state.user = user
    return user


def current_user(request: Request) -> User:
    """Dependency: the signed-in user, or SignInRequired."""
    user = optional_user(request)
    if user is None:
        raise SignInRequired()
    return user


def require_roles(*roles: str) -> Callable[[Request], User]:
    """Dependency factory: the signed-in user if their role is one of ``roles``, else 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user.role not in roles:
            raise Forbidden()
        return user

    dependency.__name__ = f"require_{'_'.join(roles)}"
    return dependency


def _load(request: Request) -> User | None:
    session = request.scope.get("session")
    if not session or "uid" not in session:
        return None
    with request.app.state.sessions() as db:
        account = db.get(Account, session.get("uid"))
        if account is None or not account.active or account.session_version != session.get("ver"):
            session.clear()
            return None
        return User(account.id, account.username, account.display_name, account.role, account.department_code)


def _on_sign_in_required(request: Request, _exc: SignInRequired) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(error_body("not_signed_in", "请先登录。"), status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _forbidden_handler(page: ForbiddenPage) -> Callable[[Request, Forbidden], Response]:
    def on_forbidden(request: Request, exc: Forbidden) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body("forbidden", exc.message), status_code=403)
        return page(request, exc.message)
    return on_forbidden
