"""Queries for hearing back from residents: a ticket's current answer, and the 回访 list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ticketing.domain.followup import RESOLUTION_ACTIONS, UNREACHABLE, FollowUpPolicy
from ticketing.domain.vocabulary import RESOLVED
from ticketing.models.rating import FollowUpCall
from ticketing.models.tickets import Ticket, TicketEvent


def current_resolution(session: Session, ticket_id: int) -> TicketEvent | None:
    """The latest 办结 / 直接答复 event of the ticket: the answer a rating is about."""
    return session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                    TicketEvent.action.in_(RESOLUTION_ACTIONS))
                          .order_by(TicketEvent.id.desc()).limit(1))


@dataclass(frozen=True)
class QueueEntry:
    """One ticket waiting for a 回访 call, with the failed calls about its current answer."""

    ticket: Ticket
    resolution_event_id: int
    unreachable: int
    last_call_at: datetime | None


def _latest_resolution_ids():  # type: ignore[no-untyped-def]
    return (select(TicketEvent.ticket_id, func.max(TicketEvent.id).label("event_id"))
            .where(TicketEvent.action.in_(RESOLUTION_ACTIONS)).group_by(TicketEvent.ticket_id).subquery())


def followup_queue(session: Session, policy: FollowUpPolicy, now: datetime, *, limit: int = 200,
                   offset: int = 0) -> tuple[list[QueueEntry], int]:
    """Resolved, unrated tickets with a phone, answered before the cutoff, not yet given up on.

    Oldest answer first. Failed calls count only for the current answer (a new 办结 starts again)."""
    latest = _latest_resolution_ids()
    calls = (select(FollowUpCall.resolution_event_id, func.count().label("n"), func.max(FollowUpCall.at).label("last"))
             .where(FollowUpCall.outcome == UNREACHABLE).group_by(FollowUpCall.resolution_event_id).subquery())
    attempts = func.coalesce(calls.c.n, 0)
    query = (select(Ticket, latest.c.event_id, attempts, calls.c.last)
             .join(latest, latest.c.ticket_id == Ticket.id)
             .outerjoin(calls, calls.c.resolution_event_id == latest.c.event_id)
             .where(and_(Ticket.state == RESOLVED, Ticket.rating.is_(None), Ticket.contact_phone.is_not(None),
                         Ticket.resolved_at <= policy.queue_cutoff(now), attempts < policy.max_unreachable)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Ticket.resolved_at, Ticket.id).limit(limit).offset(offset)).all()
    return [QueueEntry(t, event_id, n, last) for t, event_id, n, last in rows], total


def given_up_count(session: Session, policy: FollowUpPolicy) -> int:
    """Resolved, unrated tickets whose current answer had ``max_unreachable`` failed calls."""
    latest = _latest_resolution_ids()
    calls = (select(FollowUpCall.resolution_event_id, func.count().label("n"))
             .where(FollowUpCall.outcome == UNREACHABLE).group_by(FollowUpCall.resolution_event_id).subquery())
    return session.scalar(select(func.count()).select_from(Ticket)
                          .join(latest, latest.c.ticket_id == Ticket.id)
                          .join(calls, calls.c.resolution_event_id == latest.c.event_id)
                          .where(Ticket.state == RESOLVED, Ticket.rating.is_(None),
                                 calls.c.n >= policy.max_unreachable)) or 0


def calls_for(session: Session, ticket_id: int) -> list[FollowUpCall]:
    """Every 回访 call about the ticket, oldest first (shown on the 回访 page)."""
    return list(session.scalars(select(FollowUpCall).where(FollowUpCall.ticket_id == ticket_id)
                                .order_by(FollowUpCall.id)))
