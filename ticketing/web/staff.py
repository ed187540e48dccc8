"""The hotline staff console (热线工作台): queue, all tickets, one ticket. Sign-in required."""
from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import DUE_STATUSES, HOTLINE_ACCOUNT_ROLES, STATES
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.http.sessions import User, require_roles
from ticketing.services import tickets as service
from ticketing.store import queries
from ticketing.web import paging
from ticketing.web.detail import Viewer, render_detail
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row

router = APIRouter(include_in_schema=False)
Staff = Annotated[User, Depends(require_roles(*HOTLINE_ACCOUNT_ROLES))]
Text = Annotated[Optional[str], Query(max_length=100)]


def _filters(rules: Rules, state: Optional[str], category: Optional[str], department: Optional[str],
             district: Optional[str], due: Optional[str], date_from: Optional[str], date_to: Optional[str],
             q: Optional[str]) -> queries.Filters:
    """Only values the forms offer pass; anything else is ignored rather than an error page."""
    districts = rules.directory.district_governments()
    return queries.Filters(
        state=state if state in STATES else "", category=category if category in rules.categories.tree else "",
        department=department if department in rules.directory else "",
        district=district if district in districts else "", due=due if due in DUE_STATUSES else "",
        date_from=(date_from or "")[:10], date_to=(date_to or "")[:10], q=(q or "").strip())


def _form_options(rules: Rules) -> dict[str, Any]:
    return {"states": STATES, "due_statuses": DUE_STATUSES, "categories": list(rules.categories.tree),
            "departments": rules.directory.all(), "districts": sorted(rules.directory.district_governments())}


@router.get("/staff")
def staff_home(_user: Staff) -> Response:
    return RedirectResponse("/staff/queue", status_code=303)


@router.get("/staff/queue", response_class=HTMLResponse)
def staff_queue(request: Request, user: Staff, session: SessionDep,
                rules: RulesDep, category: Text = None, district: Text = None,
                q: Text = None, page: Annotated[int, Query(ge=1, le=100000)] = 1,
                after: paging.Cursor = None, before: paging.Cursor = None) -> HTMLResponse:
    """New and returned tickets waiting for the hotline: urgent first, then the oldest."""
    f = _filters(rules, None, category, None, district, None, None, None, q)
    seek, error = paging.seek(request, queries.QUEUE, after, before)
    window = queries.queue(session, f, page=1 if seek or error else page, per_page=20, seek=seek)
    returned = queries.returned_numbers(session, window.rows)
    extensions = queries.pending_extensions(session)
    return TEMPLATES.TemplateResponse(request, "staff_queue.html", {
        "rows": [ticket_row(t, rules.directory, estimated_year=rules.deadlines.calendar.is_estimated) for t in window.rows], "returned": returned, "total": window.total,
        **paging.context(request, queries.QUEUE, window, error),
        "extensions": [ticket_row(t, rules.directory, estimated_year=rules.deadlines.calendar.is_estimated) for t in extensions],
        "filters": {"category": f.category, "district": f.district, "q": f.q},
        "counts": service.queue_counts(session), "active": "queue", **_form_options(rules)},
        status_code=422 if error else 200)


@router.get("/staff/tickets", response_class=HTMLResponse)
def staff_list(request: Request, user: Staff, session: SessionDep,
               rules: RulesDep, state: Text = None, category: Text = None,
               department: Text = None, district: Text = None, due: Text = None, date_from: Text = None,
               date_to: Text = None, q: Text = None, page: Annotated[int, Query(ge=1, le=100000)] = 1,
               per_page: Annotated[int, Query(ge=1, le=100)] = 20,
               after: paging.Cursor = None, before: paging.Cursor = None) -> HTMLResponse:
    """Every ticket, newest first, with filters, a text search and paging (下一页/上一页 by cursor;
    ``page`` still works for old links, at the cost of an offset)."""
    f = _filters(rules, state, category, department, district, due, date_from, date_to, q)
    seek, error = paging.seek(request, queries.NEWEST, after, before)
    window = queries.ticket_list(session, f, page=1 if seek or error else page, per_page=per_page, seek=seek)
    return TEMPLATES.TemplateResponse(request, "staff_list.html", {
        "rows": [ticket_row(t, rules.directory, estimated_year=rules.deadlines.calendar.is_estimated) for t in window.rows], "total": window.total,
        **paging.context(request, queries.NEWEST, window, error), "filters": f.as_dict(),
        "any_filter": f.any, "counts": service.queue_counts(session), "active": "list", **_form_options(rules)},
        status_code=422 if error else 200)


@router.get("/staff/tickets/{number}", response_class=HTMLResponse)
async def staff_detail(request: Request, number: str, user: Staff,
                       factory: FactoryDep,
                       rules: RulesDep) -> Response:
    """One ticket with routing suggestion, likely duplicates, history and action forms."""
    return await render_detail(request, number, factory, rules, viewer=Viewer(user))
