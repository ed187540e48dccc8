"""Plain view-models for templates, so templates only print prepared text."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ticketing.core.timefmt import short_china, to_china, utcnow
from ticketing.domain.departments import Directory
from ticketing.domain.overdue import due_status
from ticketing.domain.privacy import mask_text
from ticketing.domain.vocabulary import (ACTION_LABELS, CHANNEL_LABELS, DUE_OVERDUE, DUE_WARNING, INTERNAL_ACTIONS,
                                         PRIORITY_NORMAL, PRIORITY_URGENT, RECEIVED, RESOLVED_LATE)
from ticketing.domain.workflow import FIELD_LABELS
from ticketing.models.tickets import Ticket, TicketEvent

DESCRIPTION_PREVIEW = 60
BADGES = {DUE_OVERDUE: "badge-red", RESOLVED_LATE: "badge-red", DUE_WARNING: "badge-amber"}


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
        urgent=ticket.priority == PRIORITY_URGENT, channel=CHANNEL_LABELS.get(ticket.channel, ticket.channel),
        due_estimated=bool(estimated_year and estimated_year(to_china(ticket.resolve_due_at).year)),
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a ticket's 流转记录, named in Chinese from the vocabulary (never the action's key)."""

    label: str
    at: str  # China time, to the minute
    actor: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    note: str | None
    internal: bool  # hotline-only (内部备注): marked on staff pages, left out of the department's


def timeline(events: Iterable[TicketEvent], *, show_internal: bool) -> list[TimelineEntry]:
    """The history as a page shows it; departments (``show_internal`` False) never see internal entries."""
    return [TimelineEntry(label=ACTION_LABELS.get(e.action, e.action), at=short_china(e.at), actor=e.actor,
                          from_state=e.from_state, to_state=e.to_state, reason=e.reason, note=e.note,
                          internal=e.action in INTERNAL_ACTIONS)
            for e in events if show_internal or e.action not in INTERNAL_ACTIONS]


@dataclass(frozen=True)
class FormWords:
    """What the action forms call things, from the vocabulary, so the forms and the timeline agree."""

    urgent: str = PRIORITY_URGENT
    normal: str = PRIORITY_NORMAL
    received: str = RECEIVED

    def note_label(self, action: str) -> str:
        """Where the note is the action itself (协办意见, 内部备注) the field carries the action's name."""
        if action == "internal_note":
            return ACTION_LABELS[action] + "（承办单位看不到）"
        return ACTION_LABELS[action] if action == "assist_opinion" else FIELD_LABELS["note"]


FORM_WORDS = FormWords()
