"""SQL conditions for the domain's named sets, so lists, dashboards and jobs select the same tickets.

Twins of the one-ticket rules in ``ticketing.domain.overdue``; a test checks both agree.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from ticketing.domain.vocabulary import DISPATCHED, DUE_OVERDUE, DUE_WARNING, OPEN_STATES
from ticketing.models.tickets import Ticket

# ``is_open()`` as SQL text, for the predicates of partial indexes in migrations (0011, 0014).
OPEN_SQL = "state IN (" + ", ".join(f"'{s}'" for s in OPEN_STATES) + ")"


def is_open() -> ColumnElement[bool]:
    """Still owed an answer (已受理, 已派单, 已签收)."""
    return Ticket.state.in_(OPEN_STATES)


def overdue(now: datetime) -> ColumnElement[bool]:
    """超期: open past the resolve deadline."""
    return and_(is_open(), Ticket.resolve_due_at < now)


def sign_overdue(now: datetime) -> ColumnElement[bool]:
    """Dispatched and not signed for within the sign-for limit."""
    return and_(Ticket.state == DISPATCHED, Ticket.sign_due_at < now)


def status_filter(status: str, now: datetime) -> ColumnElement[bool]:
    """Open tickets with the given deadline status (正常 / 预警 / 超期)."""
    if status == DUE_OVERDUE:
        return overdue(now)
    if status == DUE_WARNING:
        return and_(is_open(), Ticket.resolve_due_at >= now, Ticket.warn_at <= now)
    return and_(is_open(), Ticket.resolve_due_at >= now, or_(Ticket.warn_at.is_(None), Ticket.warn_at > now))
