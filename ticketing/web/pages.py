"""Routes for HTML pages; data comes from the same service functions as the JSON API."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from ticketing import service
from ticketing.api.deps import get_rules, get_session
from ticketing.api.serialize import event_json
from ticketing.problems import ApiError
from ticketing.rules import Rules
from ticketing.timefmt import display_china
from ticketing.vocab import CHANNEL_LABELS, STATES
from ticketing.web.views import ticket_row

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
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
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> HTMLResponse:
    """Hotline staff ticket list, newest first, with a state filter and paging."""
    state = state if state in STATES else None
    rows, total = service.list_tickets(session, state=state, page=page, per_page=per_page)
    return TEMPLATES.TemplateResponse(request, "staff_list.html", {
        "rows": [ticket_row(t, rules.directory) for t in rows],
        "total": total, "page": page, "per_page": per_page, "state": state or "", "states": STATES,
        "pages": max(1, math.ceil(total / per_page))})


@router.get("/staff/tickets/{number}", response_class=HTMLResponse)
def staff_detail(request: Request, number: str, session: Annotated[Session, Depends(get_session)],
                 rules: Annotated[Rules, Depends(get_rules)]) -> HTMLResponse:
    """One ticket with all fields and its history timeline."""
    try:
        ticket = service.get_ticket(session, number)
    except ApiError as exc:
        return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": exc.message}, status_code=404)
    return TEMPLATES.TemplateResponse(request, "staff_detail.html", {
        "t": ticket, "row": ticket_row(ticket, rules.directory),
        "department": rules.directory.get(ticket.department_code),
        "policy_label": rules.deadlines.label(ticket.deadline_policy),
        "resolve_due_display": display_china(ticket.resolve_due_at),
        "sign_due_display": display_china(ticket.sign_due_at),
        "channel": CHANNEL_LABELS.get(ticket.channel, ticket.channel),
        "events": [event_json(e) for e in ticket.events]})
