"""Action forms posted from the ticket page. Role, actor and department come from the session."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import sessionmaker

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import CHINA_TZ
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import DEPT_OFFICER, HOTLINE_ACCOUNT_ROLES
from ticketing.domain.workflow import TRANSITIONS, Command
from ticketing.http.deps import FactoryDep, RulesDep
from ticketing.http.sessions import Forbidden, User, require_roles
from ticketing.services.transitions import run_transition
from ticketing.web import csrf
from ticketing.web.detail import Viewer, render_detail

router = APIRouter(include_in_schema=False)
TEXT_FIELDS = ("reason", "note", "reply", "target_department", "rating", "parent_number")


@router.post("/staff/tickets/{number}/actions", response_class=HTMLResponse)
async def staff_action(number: str, request: Request, factory: FactoryDep,
                       rules: RulesDep,
                       user: Annotated[User, Depends(require_roles(*HOTLINE_ACCOUNT_ROLES))]) -> Response:
    """Run the action as the signed-in hotline user (staff or supervisor in the state machine)."""
    return await _run(request, number, factory, rules, Viewer(user))


@router.post("/dept/{code}/tickets/{number}/actions", response_class=HTMLResponse)
async def department_action(code: str, number: str, request: Request,
                            factory: FactoryDep,
                            rules: RulesDep,
                            user: Annotated[User, Depends(require_roles(DEPT_OFFICER))]) -> Response:
    """Run the action as the officer's own department; another department's URL is refused."""
    if not user.permissions.may_use_portal(code):
        raise Forbidden("您只能办理本单位的工单。")
    return await _run(request, number, factory, rules, Viewer(user))


async def _run(request: Request, number: str, factory: sessionmaker, rules: Rules, viewer: Viewer) -> Response:
    form = {k: str(v).strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    if not csrf.valid(request, form.get("csrf")):
        return await render_detail(request, number, factory, rules, viewer=viewer,
                                   error="页面已过期，请刷新后重试。", status=403)
    action = form.get("action", "")
    user = viewer.user
    try:
        command = Command(action=action, actor=user.display_name, role=user.workflow_role,
                          department=user.department if viewer.portal else None,
                          requested_due_at=_local_time(form.get("requested_due_at")),
                          category=_category(form.get("category")), urgent=_urgent(form.get("urgent")),
                          **{name: (form.get(name) or None) for name in TEXT_FIELDS})
        ticket, _event = run_transition(factory, number=number, command=command, rules=rules)
    except ApiError as exc:
        return await render_detail(request, number, factory, rules, viewer=viewer, error=exc.message,
                                   status=exc.status)
    done = quote(TRANSITIONS[action].label)
    if not viewer.may_see(ticket):  # e.g. returned (退单): the ticket has left the department
        return RedirectResponse(f"{viewer.base}?done={done}&number={quote(number)}", status_code=303)
    return RedirectResponse(f"{viewer.base}/{number}?done={done}", status_code=303)


def _category(value: str | None) -> tuple[str, ...] | None:
    """"城乡建设 / 城市建设和市政管理 / 市政设施" (also › or >) → levels; blank → unchanged."""
    if not value:
        return None
    for sep in ("›", ">", "／"):
        value = value.replace(sep, "/")
    return tuple(part.strip()[:50] for part in value.split("/") if part.strip())


def _urgent(value: str | None) -> bool | None:
    return {"urgent": True, "normal": False}.get(value or "")


def _local_time(value: str | None) -> datetime | None:
    """A ``datetime-local`` field, read as China time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(422, "validation_error", "时间格式不正确。") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
