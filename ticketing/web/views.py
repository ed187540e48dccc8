"""Plain view-models for templates, so templates only print prepared text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing.deadlines import due_status
from ticketing.departments import Directory
from ticketing.models import Ticket
from ticketing.timefmt import short_china, utcnow
from ticketing.vocab import CHANNEL_LABELS

DESCRIPTION_PREVIEW = 60
CLOSED_STATES = {"已办结", "已回访", "已归档", "已合并", "已答复"}


@dataclass(frozen=True)
class TicketRow:
    """One line of the staff table."""

    number: str
    created: str
    kind: str
    category: str
    description: str
    place: str
    department: str
    state: str
    sign_due: str
    resolve_due: str
    due_status: str
    urgent: bool
    channel: str


def ticket_row(ticket: Ticket, directory: Directory, now: datetime | None = None,
               warning_share: float = 0.8) -> TicketRow:
    text = ticket.description
    preview = text if len(text) <= DESCRIPTION_PREVIEW else text[:DESCRIPTION_PREVIEW] + "…"
    status = ""
    if ticket.state not in CLOSED_STATES:
        status = due_status(now or utcnow(), ticket.created_at, ticket.resolve_due_at, warning_share)
    return TicketRow(
        number=ticket.number, created=short_china(ticket.created_at), kind=ticket.kind,
        category=" › ".join(ticket.category) or "未分类", description=preview,
        place=ticket.place or "", department=directory.get(ticket.department_code).name,
        state=ticket.state, sign_due=short_china(ticket.sign_due_at),
        resolve_due=short_china(ticket.resolve_due_at), due_status=status,
        urgent=ticket.priority == "紧急", channel=CHANNEL_LABELS.get(ticket.channel, ticket.channel),
    )
