"""Administrator pages: the accounts (read-only; changes go through ``python -m ticketing.cli``)
and the audit log, so an administrator can answer "who looked at this caller's number?"."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from ticketing.core.timefmt import short_china, utcnow
from ticketing.domain.permissions import ADMIN_ROLES
from ticketing.domain.vocabulary import ACCOUNT_ROLE_LABELS as ROLE_LABELS
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.sessions import User, require_roles
from ticketing.models.accounts import Account, AuditEntry
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
ACTION_LABELS = {"view_contact": "查看完整联系方式", "sign_in": "登录", "sign_out": "退出",
                 "sign_in_bad_credentials": "登录失败（密码错误）", "sign_in_locked": "登录失败（账号锁定）",
                 "sign_in_inactive": "登录失败（账号停用）", "create_user": "创建账号", "set_password": "重设密码",
                 "unlock": "解除锁定"}


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, user: Annotated[User, Depends(require_roles(*ADMIN_ROLES))],
               session: SessionDep, rules: RulesDep,
               ticket: Annotated[Optional[str], Query(max_length=20)] = None,
               username: Annotated[Optional[str], Query(max_length=40)] = None) -> HTMLResponse:
    """Accounts and the newest 200 audit entries, optionally for one ticket or one user."""
    query = select(AuditEntry)
    if ticket:
        query = query.where(AuditEntry.ticket_number == ticket.strip())
    if username:
        query = query.where(AuditEntry.username == username.strip().lower())
    entries = session.scalars(query.order_by(AuditEntry.id.desc()).limit(200)).all()
    now = utcnow()
    accounts = [{"username": a.username, "name": a.display_name, "role": ROLE_LABELS.get(a.role, a.role),
                 "department": rules.directory.get(a.department_code).name if a.department_code else "",
                 "locked": bool(a.locked_until and a.locked_until > now), "active": a.active,
                 "last_login": short_china(a.last_login_at)}
                for a in session.scalars(select(Account).order_by(Account.role, Account.username))]
    rows = [{"at": short_china(e.at), "username": e.username, "role": ROLE_LABELS.get(e.role, e.role),
             "action": ACTION_LABELS.get(e.action, e.action), "ticket": e.ticket_number or "",
             "ip": e.ip or "", "contact": e.action == "view_contact"} for e in entries]
    return TEMPLATES.TemplateResponse(request, "admin.html", {
        "accounts": accounts, "entries": rows, "filters": {"ticket": ticket or "", "username": username or ""},
        "active": "admin"})
