"""超期 and 预警: a ticket's deadline status, in Python for one ticket and in SQL for lists."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from ticketing.models import Ticket

OPEN_STATES = ("已受理", "已派单", "已签收")
DUE_STATUSES = ("正常", "预警", "超期")


def due_status(ticket: Ticket, now: datetime) -> str | None:
    """正常 / 预警 / 超期 while open; 按期办结 / 超期办结 once answered; None when merged unanswered."""
    if ticket.state in OPEN_STATES:
        if now > ticket.resolve_due_at:
            return "超期"
        if ticket.warn_at is not None and now >= ticket.warn_at:
            return "预警"
        return "正常"
    if ticket.resolved_at is not None:
        return "按期办结" if ticket.resolved_at <= ticket.resolve_due_at else "超期办结"
    return None


def sign_overdue(ticket: Ticket, now: datetime) -> bool:
    """A dispatched ticket nobody has signed for within the sign-for limit."""
    return ticket.state == "已派单" and now > ticket.sign_due_at


def status_filter(status: str, now: datetime) -> ColumnElement[bool]:
    """SQL condition selecting open tickets with the given status (for lists and dashboards)."""
    is_open = Ticket.state.in_(OPEN_STATES)
    if status == "超期":
        return and_(is_open, Ticket.resolve_due_at < now)
    if status == "预警":
        return and_(is_open, Ticket.resolve_due_at >= now, Ticket.warn_at <= now)
    return and_(is_open, Ticket.resolve_due_at >= now, or_(Ticket.warn_at.is_(None), Ticket.warn_at > now))
