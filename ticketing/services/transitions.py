"""Application service for workflow actions: load, apply the state machine, commit, or refuse.

Optimistic locking (the ticket's ``version`` column) turns two simultaneous actions on one
ticket into one success and one 409, never a lost update or a gap in the history.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import utcnow
from ticketing.domain import workflow
from ticketing.domain.effects import Context
from ticketing.domain.rules import Rules
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.services import outbox
from ticketing.services.tickets import get_ticket
from ticketing.store.numbering import is_valid_number


def run_transition(factory: sessionmaker, *, number: str, command: workflow.Command, rules: Rules,
                   now: datetime | None = None,
                   visible: Callable[[Ticket], bool] | None = None) -> tuple[Ticket, TicketEvent]:
    """Apply one action in its own transaction and return the updated ticket and its new event.

    ``visible``: the caller's "may see" rule; a ticket it hides is not found (404), as in ``get_ticket``."""
    try:
        with factory() as session, session.begin():
            ticket = get_ticket(session, number, visible)
            parent = None
            if command.action == "merge" and command.parent_number and is_valid_number(command.parent_number):
                parent = session.scalar(select(Ticket).where(Ticket.number == command.parent_number))
            moment = now or utcnow()
            event = workflow.apply(ticket, command, Context(rules, moment, parent))
            session.flush()
            outbox.record(session, ticket, [event], rules.directory, moment)  # same transaction: no change without its message
        return ticket, event
    except (StaleDataError, IntegrityError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and "locked" not in str(exc).lower():
            raise
        raise ApiError(409, "concurrent_update", "该工单刚被其他人修改，请刷新后重试。") from exc
