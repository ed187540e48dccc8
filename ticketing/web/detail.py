"""The staff ticket detail page: fields, history timeline and the forms for allowed actions."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import sessionmaker

from ticketing import service
from ticketing.api.serialize import event_json
from ticketing.problems import ApiError
from ticketing.rules import Rules
from ticketing.timefmt import display_china
from ticketing.vocab import CHANNEL_LABELS
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row
from ticketing.workflow import allowed_actions
from ticketing.workflow_effects import RATINGS


async def render_detail(request: Request, number: str, factory: sessionmaker, rules: Rules, *,
                        error: str | None = None, status: int = 200) -> Response:
    """Render the page; ``error`` shows a refused action above the forms."""
    with factory() as session:
        try:
            ticket = service.get_ticket(session, number)
        except ApiError as exc:
            return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": exc.message}, status_code=404)
        token = csrf.token_for(request)
        departments = [d for d in rules.directory.all() if d.code != rules.router.default]
        response = TEMPLATES.TemplateResponse(request, "staff_detail.html", {
            "t": ticket, "row": ticket_row(ticket, rules.directory),
            "department": rules.directory.get(ticket.department_code),
            "policy_label": rules.deadlines.label(ticket.deadline_policy),
            "resolve_due_display": display_china(ticket.resolve_due_at),
            "sign_due_display": display_china(ticket.sign_due_at),
            "extension_display": display_china(ticket.extension_due_at),
            "channel": CHANNEL_LABELS.get(ticket.channel, ticket.channel),
            "events": [event_json(e) for e in ticket.events],
            "actions": allowed_actions(ticket, role="staff"), "departments": departments,
            "ratings": RATINGS, "csrf": token, "error": error,
            "done": request.query_params.get("done", "")[:20]}, status_code=status)
    csrf.remember(response, token)
    return response
