"""The ticket detail page for hotline staff and for departments: fields, history, action forms.

Departments see masked contact data and only their own tickets; staff see everything.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import sessionmaker

from ticketing import service
from ticketing.api.serialize import event_json
from ticketing.models import Ticket
from ticketing.privacy import mask_name, mask_phone, mask_text
from ticketing.problems import ApiError
from ticketing.rules import Rules
from ticketing.timefmt import display_china, to_china
from ticketing.vocab import CHANNEL_LABELS
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import ticket_row
from ticketing.workflow import DEPARTMENT, STAFF, allowed_actions
from ticketing.workflow_effects import RATINGS


@dataclass(frozen=True)
class Viewer:
    """Who looks at the page: hotline staff, or one department."""

    role: str = STAFF
    department: str | None = None

    @property
    def base(self) -> str:
        return f"/dept/{self.department}/tickets" if self.role == DEPARTMENT else "/staff/tickets"

    def may_see(self, ticket: Ticket) -> bool:
        """Departments see the tickets they lead or assist on."""
        return self.role != DEPARTMENT or self.department in (ticket.department_code, *ticket.assist_codes)


def _contact(ticket: Ticket, viewer: Viewer) -> str:
    if viewer.role == DEPARTMENT:  # anonymous: nothing at all; otherwise masked
        if ticket.anonymous:
            return "匿名反映（如需联系市民，请通过 12345 热线）"
        return f"{mask_name(ticket.contact_name, False)} {mask_phone(ticket.contact_phone) or ''}".strip()
    if ticket.anonymous:
        return f"匿名反映（仅热线可见：{ticket.contact_name or '未留姓名'} {ticket.contact_phone or ''}）"
    return f"{ticket.contact_name or '未留姓名'} {ticket.contact_phone or ''}".strip()


async def render_detail(request: Request, number: str, factory: sessionmaker, rules: Rules, *,
                        viewer: Viewer = Viewer(), error: str | None = None, status: int = 200) -> Response:
    """Render the page; ``error`` shows a refused action above the forms."""
    with factory() as session:
        try:
            ticket = service.get_ticket(session, number)
            if not viewer.may_see(ticket):
                raise ApiError(404, "ticket_not_found", f"未找到工单 {number[:40]}，或该工单不属于本单位。")
        except ApiError as exc:
            return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": exc.message}, status_code=404)
        token = csrf.token_for(request)
        masked = viewer.role == DEPARTMENT
        response = TEMPLATES.TemplateResponse(request, "ticket_detail.html", {
            "t": ticket, "row": ticket_row(ticket, rules.directory, masked=masked),
            "description": mask_text(ticket.description) if masked else ticket.description,
            "contact": _contact(ticket, viewer), "portal": masked,
            "portal_title": rules.directory.get(viewer.department or "").name if masked else "12345 热线工作台",
            "back_url": viewer.base, "action_url": f"{viewer.base}/{ticket.number}/actions",
            "actor_hint": "承办人" if masked else "热线话务员",
            "department": rules.directory.get(ticket.department_code),
            "policy_label": rules.deadlines.label(ticket.deadline_policy),
            "resolve_due_display": display_china(ticket.resolve_due_at),
            "estimated": rules.deadlines.calendar.is_estimated(to_china(ticket.resolve_due_at).year),
            "sign_due_display": display_china(ticket.sign_due_at),
            "extension_display": display_china(ticket.extension_due_at),
            "channel": CHANNEL_LABELS.get(ticket.channel, ticket.channel),
            "events": [event_json(e) for e in ticket.events],
            "actions": allowed_actions(ticket, role=viewer.role, department=viewer.department),
            "assists": [rules.directory.get(c).name for c in ticket.assist_codes],
            "departments": [d for d in rules.directory.all() if d.code != rules.router.default],
            "ratings": RATINGS, "category_paths": rules.categories.paths(), "csrf": token, "error": error,
            "done": request.query_params.get("done", "")[:20]}, status_code=status)
    csrf.remember(response, token)
    return response
