"""Queries for hearing back from residents: a ticket's current answer, and the 回访 list.

The 回访 list costs the same with ten years of tickets behind it as with one: it starts from the
tickets that can be in it at all (已办结, unrated, with a phone: the partial index
``ix_tickets_followup`` on ``(resolved_at, id)``, migration 0013), read in the list's order from the
cutoff down, and looks up each candidate's current answer (its latest 办结 / 直接答复 event, through
the ``ticket_events (ticket_id)`` index) and the failed calls about that answer (``followup_calls``
by ticket, matched on the event id). No aggregate over the whole history; pages by key
(``store.keyset``), counts bounded (``store.counting``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select
from sqlalchemy.orm import Session

from ticketing.domain.followup import RESOLUTION_ACTIONS, UNREACHABLE, FollowUpPolicy
from ticketing.domain.vocabulary import RESOLVED
from ticketing.models.rating import FollowUpCall
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.store.counting import Total, bounded_total
from ticketing.store.keyset import Order, Seek, Window, window


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


# Counted exactly up to here, then "超过 / 约 N" (store/counting.py). Lower than the ticket lists' bound:
# each counted entry costs a look-up of its calls, and 2,000 is forty pages of calls to make.
COUNT_BOUND = 2_000
# The list's order: the oldest answer first; the key is read off an entry's ticket.
FOLLOWUP = Order("followup", (Ticket.resolved_at, Ticket.id), False, (datetime, int),
                 lambda e: (e.ticket.resolved_at, e.ticket.id))


def awaiting_rating() -> list[ColumnElement[bool]]:
    """Tickets that may need a 回访 call: the predicate of the partial index ``ix_tickets_followup``
    (spelled the same way, so PostgreSQL and SQLite can use that index)."""
    return [Ticket.state == RESOLVED, Ticket.rating.is_(None), Ticket.contact_phone.is_not(None)]


def _resolution_id() -> ScalarSelect[Any]:
    """The candidate ticket's current answer: its latest resolution event (a few rows by ticket id)."""
    return (select(TicketEvent.id).where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action.in_(RESOLUTION_ACTIONS))
            .order_by(TicketEvent.id.desc()).limit(1).correlate(Ticket).scalar_subquery())


def _failed_calls(column: Any, resolution: ScalarSelect[Any]) -> ScalarSelect[Any]:
    """``column`` (a count, a latest time) over the 无法联系 calls about the current answer."""
    return (select(column).where(FollowUpCall.ticket_id == Ticket.id, FollowUpCall.resolution_event_id == resolution,
                                 FollowUpCall.outcome == UNREACHABLE).correlate(Ticket).scalar_subquery())


def _queue_query(policy: FollowUpPolicy, now: datetime) -> Select:
    resolution = _resolution_id()
    attempts = _failed_calls(func.count(), resolution)
    return (select(Ticket, resolution, attempts, _failed_calls(func.max(FollowUpCall.at), resolution))
            .where(*awaiting_rating(), Ticket.resolved_at <= policy.queue_cutoff(now),
                   attempts < policy.max_unreachable))


def followup_queue(session: Session, policy: FollowUpPolicy, now: datetime, *, limit: int = 200,
                   offset: int = 0, seek: Seek | None = None) -> Window[QueueEntry]:
    """Resolved, unrated tickets with a phone, answered before the cutoff, not yet given up on.

    Oldest answer first. Failed calls count only for the current answer (a new 办结 starts again).
    A page of ``limit`` entries starts after (or ends before) ``seek``'s key; without one, ``offset``
    entries in (the old ``page=`` links, and ``/api/followup``). ``entries, total = …`` still works."""
    query = _queue_query(policy, now)

    def fetch(condition: ColumnElement[bool] | None, reverse: bool, skip: int, count: int) -> list[QueueEntry]:
        q = (query if condition is None else query.where(condition)).order_by(*FOLLOWUP.by(reverse))
        rows = session.execute((q.offset(skip) if skip else q).limit(count)).all()
        return [QueueEntry(t, event_id, n or 0, last) for t, event_id, n, last in rows]

    page = offset // limit + 1 if seek is None else 1
    total = bounded_total(session, query, COUNT_BOUND)
    if seek is None and offset % limit:  # an offset between pages (the API allows any): no keys to carry
        entries = fetch(None, False, offset, limit + 1)
        return Window(entries[:limit], total, page, limit,
                      FOLLOWUP.value_of(entries[limit - 1]) if len(entries) > limit else None, None)
    return window(fetch, FOLLOWUP, total, page=page, per_page=limit, seek=seek)


def given_up_count(session: Session, policy: FollowUpPolicy) -> Total:
    """Resolved, unrated tickets whose current answer had ``max_unreachable`` failed calls (exact up to
    ``COUNT_BOUND``, then estimated). Read from the other end: the tickets with that many
    无法联系 calls at all (``followup_calls`` by ticket, a small table), then each one's current answer;
    the list's candidates would be every unrated answer ever given."""
    called = (select(FollowUpCall.ticket_id).where(FollowUpCall.outcome == UNREACHABLE)
              .group_by(FollowUpCall.ticket_id).having(func.count() >= policy.max_unreachable))
    query = select(Ticket.id).where(Ticket.id.in_(called), Ticket.state == RESOLVED, Ticket.rating.is_(None),
                                    _failed_calls(func.count(), _resolution_id()) >= policy.max_unreachable)
    return bounded_total(session, query, COUNT_BOUND)


def calls_for(session: Session, ticket_id: int) -> list[FollowUpCall]:
    """Every 回访 call about the ticket, oldest first (shown on the 回访 page)."""
    return list(session.scalars(select(FollowUpCall).where(FollowUpCall.ticket_id == ticket_id)
                                .order_by(FollowUpCall.id)))
