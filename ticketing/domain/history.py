"""The append-only history (工单流转记录): every change to a ticket is one inserted row."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ticketing.models.tickets import Ticket, TicketEvent


def record(
    ticket: Ticket,
    *,
    action: str,
    at: datetime,
    actor: str,
    role: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append one event with the next sequence number; the unique (ticket, seq) key rejects races."""
    event = TicketEvent(
        seq=len(ticket.events) + 1, action=action, from_state=from_state, to_state=to_state,
        actor=actor, role=role, at=at, reason=reason, note=note, data=data,
    )
    ticket.events.append(event)
    return event
