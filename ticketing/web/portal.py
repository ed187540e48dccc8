"""The department portal (承办单位端): an officer's own department's tickets, contact data masked.

The department comes from the officer's account. URLs keep the department code
(``/dept/{code}/tickets``) so links are readable, but a code other than the officer's own, or a
ticket their department neither leads nor assists on, is refused with 403.
"""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ticketing.core.timefmt import utcnow
from ticketing.domain.vocabulary import DEPT_OFFICER, STATES
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.http.sessions import Forbidden, User, require_roles
from ticketing.store import queries
from ticketing.web import paging
from ticketing.web.detail import Viewer, render_detail
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row

router = APIRouter(include_in_schema=False)
Officer = Annotated[User, Depends(require_roles(DEPT_OFFICER))]


def _own(user: User, code: str) -> None:
    if not user.permissions.may_use_portal(code):
        raise Forbidden("您只能查看本单位的工单。")


@router.get("/dept")
@router.get("/dept/tickets")
def portal_home(user: Officer) -> Response:
    return RedirectResponse(f"/dept/{user.department}/tickets", status_code=303)


@router.get("/dept/{code}/tickets", response_class=HTMLResponse)
def department_list(request: Request, code: str, user: Officer, session: SessionDep,
                    rules: RulesDep, state: Optional[str] = None,
                    show: Optional[str] = None, page: Annotated[int, Query(ge=1, le=100000)] = 1,
                    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
                    after: paging.Cursor = None, before: paging.Cursor = None) -> HTMLResponse:
    """Open tickets by due time (nearest first); ``show=all`` includes answered and closed ones."""
    _own(user, code)
    state = state if state in STATES else ""
    seek, error = paging.seek(request, queries.DEADLINE, after, before)
    window = queries.department_list(session, code, state=state, page=1 if seek or error else page,
                                     per_page=per_page, open_only=show != "all", seek=seek)
    now = utcnow()
    return TEMPLATES.TemplateResponse(request, "dept_list.html", {
        "dept": rules.directory.get(code), "rows": [ticket_row(t, rules.directory, now, masked=True, estimated_year=rules.deadlines.calendar.is_estimated) for t in window.rows],
        "total": window.total, **paging.context(request, queries.DEADLINE, window, error),
        "states": STATES, "filters": {"state": state, "show": "all" if show == "all" else ""},
        "link_base": f"/dept/{code}/tickets", "due_colours": True,
        "done": request.query_params.get("done", "")[:20], "done_number": request.query_params.get("number", "")[:20]},
        status_code=422 if error else 200)


@router.get("/dept/{code}/tickets/{number}", response_class=HTMLResponse)
async def department_detail(request: Request, code: str, number: str, user: Officer,
                            factory: FactoryDep,
                            rules: RulesDep) -> Response:
    _own(user, code)
    return await render_detail(request, number, factory, rules, viewer=Viewer(user))
