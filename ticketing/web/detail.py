"""The ticket page for hotline staff and for department officers: fields, history, action forms.

Officers see masked contact data, no internal notes, and only tickets their department leads or
assists (403 otherwise). Staff see contact data in full, and each such view is written to the
audit log with who, when and from where.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import display_china, to_china
from ticketing.domain.privacy import mask_name, mask_phone, mask_text
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import CHANNEL_LABELS, RATINGS
from ticketing.domain.workflow import allowed_actions
from ticketing.http.sessions import Forbidden, User
from ticketing.models.tickets import Ticket
from ticketing.services import accounts
from ticketing.services import tickets as service
from ticketing.store import queries
from ticketing.web import csrf, deliveries, replies, routing_view
from ticketing.web.templating import TEMPLATES
from ticketing.web.views import FORM_WORDS, ticket_row, timeline


@dataclass(frozen=True)
class Viewer:
    """Who looks at the page; what they may see is the permissions module's answer."""

    user: User

    @property
    def portal(self) -> bool:
        """The department portal's view: contact data masked, internal notes hidden, no audit row."""
        return not self.user.permissions.sees_full_contact()

    @property
    def base(self) -> str:
        return f"/dept/{self.user.department}/tickets" if self.portal else "/staff/tickets"

    def may_see(self, ticket: Ticket) -> bool:
        """Departments see the tickets they lead or assist on; the hotline sees all."""
        return self.user.permissions.may_see(ticket)


def contact_text(ticket: Ticket, portal: bool) -> str:
    if portal:  # anonymous: nothing at all; otherwise masked
        if ticket.anonymous:
            return "匿名反映（如需联系市民，请通过 12345 热线）"
        return f"{mask_name(ticket.contact_name, False)} {mask_phone(ticket.contact_phone) or ''}".strip()
    if ticket.anonymous:
        return f"匿名反映（仅热线可见：{ticket.contact_name or '未留姓名'} {ticket.contact_phone or ''}）"
    return f"{ticket.contact_name or '未留姓名'} {ticket.contact_phone or ''}".strip()


def _audit_contact(db: Session, request: Request, user: User, ticket: Ticket) -> None:
    """Full contact data was put on a staff screen: one audit row per view."""
    if not (ticket.contact_phone or ticket.contact_name):
        return
    accounts.audit(db, username=user.username, role=user.role, action="view_contact",
                   ticket_number=ticket.number, detail=request.url.path[:200],
                   ip=request.client.host if request.client else None)
    db.commit()


async def render_detail(request: Request, number: str, factory: sessionmaker, rules: Rules, *,
                        viewer: Viewer, error: str | None = None, status: int = 200) -> Response:
    """Render the page; ``error`` shows a refused action above the forms."""
    with factory() as db:
        try:
            ticket = service.get_ticket(db, number)
        except ApiError as exc:
            return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": exc.message}, status_code=404)
        if not viewer.may_see(ticket):
            raise Forbidden("该工单不属于本单位，您无权查看。")
        context = _context(request, db, ticket, rules, viewer)
        if not viewer.portal:
            _audit_contact(db, request, viewer.user, ticket)
        context.update(error=error, csrf=csrf.token_for(request))
        return TEMPLATES.TemplateResponse(request, "ticket_detail.html", context, status_code=status)


def _context(request: Request, db: Session, ticket: Ticket, rules: Rules, viewer: Viewer) -> dict[str, Any]:
    portal = viewer.portal
    return {
        "t": ticket, "row": ticket_row(ticket, rules.directory, masked=portal),
        "description": mask_text(ticket.description) if portal else ticket.description,
        "contact": contact_text(ticket, portal), "portal": portal, "me": viewer.user,
        "portal_title": rules.directory.get(viewer.user.department or "").name if portal else "12345 热线工作台",
        "back_url": viewer.base, "action_url": f"{viewer.base}/{ticket.number}/actions",
        "department": rules.directory.get(ticket.department_code),
        "policy_label": rules.deadlines.label(ticket.deadline_policy),
        "resolve_due_display": display_china(ticket.resolve_due_at),
        "estimated": rules.deadlines.calendar.is_estimated(to_china(ticket.resolve_due_at).year),
        "sign_due_display": display_china(ticket.sign_due_at),
        "extension_display": display_china(ticket.extension_due_at),
        "channel": CHANNEL_LABELS.get(ticket.channel, ticket.channel),
        "events": timeline(ticket.events, show_internal=not portal), "form_words": FORM_WORDS,
        "actions": allowed_actions(ticket, role=viewer.user.workflow_role, department=viewer.user.department),
        "assists": [rules.directory.get(c).name for c in ticket.assist_codes],
        "departments": [d for d in rules.directory.all() if d.code != rules.router.default],
        "ratings": RATINGS, "category_paths": rules.categories.paths(),
        "suggestion": None if portal else routing_view.suggest(ticket, rules),
        "duplicates": [] if portal else [ticket_row(t, rules.directory)
                                         for t in queries.likely_duplicates(db, ticket)],
        "templates": replies.for_category(ticket.category) if portal else [],
        "done": request.query_params.get("done", "")[:20],
        "deliveries": [] if portal else deliveries.delivery_rows(db, ticket),
        "contact_preference": "" if portal else deliveries.contact_preference(ticket),
    }
