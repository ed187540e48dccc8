"""The department portal (承办单位端): a department's own tickets, contact data masked.

No login yet: the department is chosen in the URL. When accounts arrive, the code comes from the
session and these routes keep their shape.
"""
from __future__ import annotations

import math
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ticketing import service
from ticketing.api.deps import get_factory, get_rules, get_session
from ticketing.models import Ticket
from ticketing.overdue import OPEN_STATES
from ticketing.rules import Rules
from ticketing.vocab import STATES
from ticketing.web.detail import Viewer, render_detail
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row
from ticketing.workflow import DEPARTMENT

router = APIRouter(include_in_schema=False)


@router.get("/dept", response_class=HTMLResponse)
def choose_department(request: Request, session: Annotated[Session, Depends(get_session)],
                      rules: Annotated[Rules, Depends(get_rules)]) -> HTMLResponse:
    """Pick a department (stands in for a login until accounts exist)."""
    open_counts = dict(session.execute(select(Ticket.department_code, func.count())
                                       .where(Ticket.state.in_(OPEN_STATES)).group_by(Ticket.department_code)).all())
    departments = [(d, open_counts.get(d.code, 0)) for d in rules.directory.all() if d.code != rules.router.default]
    return TEMPLATES.TemplateResponse(request, "dept_choose.html", {"departments": departments})


@router.get("/dept/{code}/tickets", response_class=HTMLResponse)
def department_list(request: Request, code: str, session: Annotated[Session, Depends(get_session)],
                    rules: Annotated[Rules, Depends(get_rules)], state: Optional[str] = None,
                    page: Annotated[int, Query(ge=1, le=100000)] = 1,
                    per_page: Annotated[int, Query(ge=1, le=100)] = 20) -> HTMLResponse:
    """The department's tickets only, newest first."""
    if code not in rules.directory or code == rules.router.default:
        return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": "未知的承办单位。"}, status_code=404)
    state = state if state in STATES else None
    rows, total = service.list_tickets(session, state=state, involving=code, page=page, per_page=per_page)
    return TEMPLATES.TemplateResponse(request, "dept_list.html", {
        "dept": rules.directory.get(code), "rows": [ticket_row(t, rules.directory, masked=True) for t in rows],
        "total": total, "page": page, "per_page": per_page, "pages": max(1, math.ceil(total / per_page)),
        "states": STATES, "filters": {"state": state or ""}, "link_base": f"/dept/{code}/tickets"})


@router.get("/dept/{code}/tickets/{number}", response_class=HTMLResponse)
async def department_detail(request: Request, code: str, number: str,
                            factory: Annotated[sessionmaker, Depends(get_factory)],
                            rules: Annotated[Rules, Depends(get_rules)]) -> Response:
    return await render_detail(request, number, factory, rules, viewer=Viewer(DEPARTMENT, code))
