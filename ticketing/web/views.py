"""Plain view-models for templates, so templates only print prepared text."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ticketing.domain.overdue import due_status
from ticketing.domain.privacy import mask_text
from ticketing.domain.departments import Directory
from ticketing.models.tickets import Ticket
from ticketing.core.timefmt import short_china, to_china, utcnow
from ticketing.domain.vocabulary import CHANNEL_LABELS

DESCRIPTION_PREVIEW = 60
BADGES = {"超期": "badge-red", "超期办结": "badge-red", "预警": "badge-amber"}


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
    due_badge: str
    urgent: bool
    channel: str
    due_estimated: bool = False  # the due date falls in a year whose holidays are not yet published


def ticket_row(ticket: Ticket, directory: Directory, now: datetime | None = None, masked: bool = False,
               estimated_year: Callable[[int], bool] | None = None) -> TicketRow:
    """``masked`` hides phone and ID numbers written in the text (department views).

    ``estimated_year`` (the work calendar's ``is_estimated``) marks due dates computed on presumed
    holidays, so nobody promises a resident a date the State Council may still move.
    """
    text = mask_text(ticket.description) if masked else ticket.description
    preview = text if len(text) <= DESCRIPTION_PREVIEW else text[:DESCRIPTION_PREVIEW] + "…"
    status = due_status(ticket, now or utcnow()) or ""
    return TicketRow(
        number=ticket.number, created=short_china(ticket.created_at), kind=ticket.kind,
        category=" › ".join(ticket.category) or "未分类", description=preview,
        place=ticket.place or "", department=directory.get(ticket.department_code).name,
        state=ticket.state, sign_due=short_china(ticket.sign_due_at),
        resolve_due=short_china(ticket.resolve_due_at), due_status=status, due_badge=BADGES.get(status, ""),
        urgent=ticket.priority == "紧急", channel=CHANNEL_LABELS.get(ticket.channel, ticket.channel),
        due_estimated=bool(estimated_year and estimated_year(to_china(ticket.resolve_due_at).year)),
    )
