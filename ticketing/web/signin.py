"""Sign-in and sign-out pages (登录/退出). Failures are counted per account; see ``accounts.sign_in``."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ticketing.core.timefmt import to_china
from ticketing.http.deps import FactoryDep
from ticketing.http.ratelimit import SlidingWindow, client_address
from ticketing.http.sessions import home_for, optional_user, start_session
from ticketing.services import accounts
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
FAILURES = SlidingWindow(limit=30, seconds=600, name="signin")  # per address, on top of the per-account lock-out
MESSAGES = {"bad_credentials": "用户名或密码不正确。",
            "inactive": "该账号已停用，请联系管理员。"}


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
    user = optional_user(request)
    if user is not None:
        return RedirectResponse(_safe_next(next) or user.home, status_code=303)
    return _page(request, next=next)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, factory: FactoryDep,
          username: Annotated[str, Form(max_length=40)] = "", password: Annotated[str, Form(max_length=200)] = "",
          csrf_token: Annotated[str, Form(alias="csrf", max_length=100)] = "",
          next: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Check the password; on success a fresh session and a redirect to ``next`` or the role's home."""
    if not csrf.valid(request, csrf_token):
        return _page(request, next=next, username=username, error="页面已过期，请重新登录。", status=403)
    ip = client_address(request)
    if FAILURES.blocked(ip or "-", request.app.state.settings):
        return _page(request, next=next, username=username, status=429,
                     error="登录尝试过于频繁，请 10 分钟后再试。")
    with factory() as db:
        result = accounts.sign_in(db, username.strip().lower(), password)
        account = result.account
        accounts.audit(db, username=username.strip().lower() or "-", role=account.role if account else "-",
                       action="sign_in" if account else f"sign_in_{result.reason}", ip=ip)
        db.commit()
    if account is None:
        FAILURES.hit(ip or "-", request.app.state.settings)
        return _page(request, next=next, username=username, error=_message(result), status=401)
    start_session(request, account)
    return RedirectResponse(_safe_next(next) or home_for(account.role), status_code=303)


@router.post("/logout")
def logout(request: Request, factory: FactoryDep,
           csrf_token: Annotated[str, Form(alias="csrf", max_length=100)] = "") -> Response:
    """Sign out: the account's session version moves on, so every copy of the cookie stops working."""
    user = optional_user(request)
    if user is not None and csrf.valid(request, csrf_token):
        with factory() as db:
            account = db.get(accounts.Account, user.id)
            if account is not None:
                account.session_version += 1
                accounts.audit(db, username=user.username, role=user.role, action="sign_out")
                db.commit()
        request.session.clear()
    return RedirectResponse("/login?out=1", status_code=303)


def _message(result: accounts.SignInResult) -> str:
    if result.reason == "locked" and result.locked_until:
        until = to_china(result.locked_until).strftime("%H:%M")
        return f"密码连续输错 {accounts.MAX_FAILURES} 次，账号已锁定至 {until}（{accounts.LOCK_MINUTES} 分钟）。"
    return MESSAGES.get(result.reason or "", "登录失败。")


def _safe_next(target: str) -> str:
    """Only local paths: ``//evil.example`` and absolute URLs are ignored (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _page(request: Request, *, next: str = "", username: str = "", error: str | None = None,
          status: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(request, "login.html", {
        "next": _safe_next(next), "username": username[:40], "error": error, "csrf": csrf.token_for(request),
        "signed_out": request.query_params.get("out") == "1"}, status_code=status)
