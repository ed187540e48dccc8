"""Rows of the "告知市民" card on the staff ticket page, and the staff-only development page listing what
the notifier would have sent (``YIJIAN_NOTIFY_DEV_LOG``) when no SMTP server or SMS gateway is set."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ticketing.core.settings import load_settings
from ticketing.core.timefmt import short_china
from ticketing.domain.contact import CONTACT_CHANNEL_LABELS
from ticketing.domain.notices import NOTICE_LABELS
from ticketing.domain.vocabulary import HOTLINE_ACCOUNT_ROLES
from ticketing.http.sessions import User, require_roles
from ticketing.models.tickets import Ticket
from ticketing.notifications import devlog
from ticketing.services.outbox import notifications_of
from ticketing.web.templating import TEMPLATES

STATE_LABELS = {"pending": "待发送", "sending": "发送中", "sent": "已送达", "retry": "待重试",
                "dead": "发送失败（死信）", "suppressed": "已退订，不发送"}
STATE_BADGES = {"sent": "badge-ok", "retry": "badge-amber", "sending": "badge-amber", "pending": "badge-amber",
                "dead": "badge-red", "suppressed": ""}

router = APIRouter(include_in_schema=False)
Staff = Annotated[User, Depends(require_roles(*HOTLINE_ACCOUNT_ROLES))]


def delivery_rows(db: Session, ticket: Ticket) -> list[dict[str, Any]]:
    """One row per notification: what, how, its delivery state, attempts and the last error."""
    return [{"kind": NOTICE_LABELS.get(n.kind, n.kind), "channel": CONTACT_CHANNEL_LABELS.get(n.channel, n.channel),
             "state": n.state, "state_label": STATE_LABELS.get(n.state, n.state), "badge": STATE_BADGES.get(n.state, ""),
             "attempts": n.attempts, "created": short_china(n.created_at), "sent": short_china(n.sent_at),
             "next": short_china(n.next_attempt_at) if n.state == "retry" else "", "error": n.last_error or ""}
            for n in notifications_of(db, ticket.id)]


def contact_preference(ticket: Ticket) -> str:
    label = CONTACT_CHANNEL_LABELS.get(ticket.contact_channel or "", "未选择（不发送）")
    return label + (f"（{ticket.contact_email}）" if ticket.contact_channel == "email" and ticket.contact_email else "")


@router.get("/staff/dev/notifications", response_class=HTMLResponse)
def dev_notifications(request: Request, user: Staff) -> Response:
    """Development: the e-mails and SMS written to the dev log instead of being sent (newest first)."""
    settings = load_settings()
    return TEMPLATES.TemplateResponse(request, "dev_notifications.html", {
        "entries": devlog.read(settings.notify_dev_log), "path": settings.notify_dev_log,
        "smtp": bool(settings.smtp_url), "sms": bool(settings.sms_url), "active": ""})
