"""Automatic 督办: every overdue ticket a department holds gets one system escalation event.

Run periodically (``python -m ticketing.cli escalate``, e.g. every 15 minutes from cron); it is
idempotent: a ticket already escalated after its current deadline is left alone.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import sessionmaker

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import display_china, utcnow
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import SYSTEM, WITH_DEPARTMENT_STATES
from ticketing.domain.workflow import Command
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.services.transitions import run_transition
from ticketing.store import filters


def overdue_unescalated(factory: sessionmaker, now: datetime) -> list[str]:
    """Numbers of overdue tickets a department holds, with no escalation since the deadline.

    Overdue (超期) is the shared rule (``filters.overdue``), which counts 已受理 too; but 督办 presses a
    department, so the workflow allows ``escalate`` only from 已派单/已签收 (WITH_DEPARTMENT). An overdue
    ticket still in the hotline's own queue is the hotline's to dispatch, and is not selected here.
    """
    escalated = exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == "escalate",
                               TicketEvent.at >= Ticket.resolve_due_at)
    query = (select(Ticket.number)
             .where(filters.overdue(now), Ticket.state.in_(WITH_DEPARTMENT_STATES), ~escalated)
             .order_by(Ticket.resolve_due_at))
    with factory() as session:
        return list(session.scalars(query))


def escalate_overdue(factory: sessionmaker, rules: Rules, now: datetime | None = None) -> list[str]:
    """Escalate each overdue ticket once; returns the numbers escalated in this run."""
    now = now or utcnow()
    done = []
    for number in overdue_unescalated(factory, now):
        with factory() as session:
            due = session.scalar(select(Ticket.resolve_due_at).where(Ticket.number == number))
        reason = f"已超过办结时限（{display_china(due)}），系统自动督办"
        try:
            run_transition(factory, number=number, rules=rules, now=now,
                           command=Command(action="escalate", actor="超期督办", role=SYSTEM, reason=reason))
            done.append(number)
        except ApiError:  # changed meanwhile (resolved, merged…): the next run looks again
            continue
    return done
