"""Routes for HTML pages; data comes from the same service functions as the JSON API."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from ticketing import service
from ticketing.api.deps import get_factory, get_rules, get_session
from ticketing.overdue import DUE_STATUSES
from ticketing.rules import Rules
from ticketing.vocab import STATES
from ticketing.web.detail import Viewer, render_detail
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """Resident page with the embedded chat widget."""
    settings = request.app.state.settings
    return TEMPLATES.TemplateResponse(request, "chat.html", {
        "socket_url": settings.rasa_socket_url, "hotline": settings.hotline_number})


@router.get("/static/vendor/webchat.js")
def webchat_js(request: Request) -> Response:
    """The rasa-webchat bundle from node_modules, served by us (no CDN)."""
    path: Path = request.app.state.settings.webchat_js
    if not path.is_file():
        return Response("/* rasa-webchat not installed: run npm ci */", status_code=404,
                        media_type="application/javascript")
    return FileResponse(path, media_type="application/javascript")


@router.get("/staff/tickets", response_class=HTMLResponse)
def staff_list(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    rules: Annotated[Rules, Depends(get_rules)],
    state: Optional[str] = None,
    department: Optional[str] = None,
    due: Optional[str] = None,
    q: Annotated[Optional[str], Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> HTMLResponse:
    """Hotline staff ticket list, newest first, with filters, a text search and paging."""
    filters = {"state": state if state in STATES else None,
               "department": department if department in rules.directory else None,
               "due": due if due in DUE_STATUSES else None, "q": (q or "").strip() or None}
    rows, total = service.list_tickets(session, page=page, per_page=per_page, **filters)
    return TEMPLATES.TemplateResponse(request, "staff_list.html", {
        "rows": [ticket_row(t, rules.directory) for t in rows], "total": total, "page": page,
        "per_page": per_page, "pages": max(1, math.ceil(total / per_page)), "states": STATES,
        "due_statuses": DUE_STATUSES, "departments": rules.directory.all(),
        "filters": {k: v or "" for k, v in filters.items()},
        "counts": service.queue_counts(session)})


@router.get("/staff/tickets/{number}", response_class=HTMLResponse)
async def staff_detail(request: Request, number: str, factory: Annotated[sessionmaker, Depends(get_factory)],
                       rules: Annotated[Rules, Depends(get_rules)]) -> Response:
    """One ticket with all fields, its history timeline and the staff's action forms."""
    return await render_detail(request, number, factory, rules, viewer=Viewer())
