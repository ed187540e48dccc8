"""超期 and 预警 of one ticket: the deadline status the pages, the API and the figures show.

The same rule for many tickets at once, as SQL, is ``ticketing.store.filters``; a test checks the two agree.
"""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ticketing.domain.vocabulary import (DISPATCHED, DUE_NORMAL, DUE_OVERDUE, DUE_WARNING, OPEN, RESOLVED_LATE,
                                         RESOLVED_ON_TIME)
from ticketing.models.tickets import Ticket


class Deadlined(Protocol):
    """What the overdue rules read: a ticket, or a plain row of one (``analytics.stats.Row``)."""

    @property
    def state(self) -> str: ...
    @property
    def sign_due_at(self) -> datetime: ...
    @property
    def resolve_due_at(self) -> datetime: ...


def due_status(ticket: Ticket, now: datetime) -> str | None:
    """正常 / 预警 / 超期 while open; 按期办结 / 超期办结 once answered; None when merged unanswered."""
    if ticket.state in OPEN:
        if is_overdue(ticket, now):
            return DUE_OVERDUE
        if ticket.warn_at is not None and now >= ticket.warn_at:
            return DUE_WARNING
        return DUE_NORMAL
    if ticket.resolved_at is not None:
        return RESOLVED_ON_TIME if ticket.resolved_at <= ticket.resolve_due_at else RESOLVED_LATE
    return None


def is_overdue(ticket: Deadlined, now: datetime) -> bool:
    """超期: still open after its resolve deadline (the one definition; SQL twin: ``store.filters.overdue``)."""
    return ticket.state in OPEN and now > ticket.resolve_due_at


def sign_overdue(ticket: Deadlined, now: datetime) -> bool:
    """A dispatched ticket nobody has signed for within the sign-for limit (SQL twin: ``filters.sign_overdue``)."""
    return ticket.state == DISPATCHED and now > ticket.sign_due_at
