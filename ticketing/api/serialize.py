"""Ticket and event JSON, the one shape every client (bot, console, Open311 adapter) reads."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ticketing.core.timefmt import display_china, iso_china, to_china, utcnow
from ticketing.domain.departments import Directory
from ticketing.domain.overdue import due_status, sign_overdue
from ticketing.domain.vocabulary import ACTION_LABELS
from ticketing.domain.workcalendar import default_calendar
from ticketing.models.tickets import Ticket, TicketEvent


def ticket_json(ticket: Ticket, directory: Directory, now: datetime | None = None) -> dict[str, Any]:
    """The Phase 1 fields first (a stable contract), then workflow fields added later."""
    dept = directory.get(ticket.department_code)
    now = now or utcnow()
    return {
        "number": ticket.number,
        "state": ticket.state,
        "kind": ticket.kind,
        "category": ticket.category,
        "description": ticket.description,
        "place": ticket.place,
        "district": ticket.district,
        "event_time": ticket.event_time,
        "channel": ticket.channel,
        "priority": ticket.priority,
        "department": {"code": dept.code, "name": dept.name},
        "assist_departments": [{"code": c, "name": directory.get(c).name} for c in ticket.assist_codes],
        "sign_due_at": iso_china(ticket.sign_due_at),
        "resolve_due_at": iso_china(ticket.resolve_due_at),
        "resolve_due_display": display_china(ticket.resolve_due_at),
        "created_at": iso_china(ticket.created_at),
        "updated_at": iso_china(ticket.updated_at),
        "contact_name": ticket.contact_name,
        "contact_phone": ticket.contact_phone,
        "anonymous": ticket.anonymous,
        "contact_channel": ticket.contact_channel,
        "due_status": due_status(ticket, now),
        "sign_overdue": sign_overdue(ticket, now),
        "signed_at": iso_china(ticket.signed_at),
        "resolved_at": iso_china(ticket.resolved_at),
        "closed_at": iso_china(ticket.closed_at),
        "reply": ticket.reply,
        "rating": ticket.rating,
        "reopen_count": ticket.reopen_count,
        "extension_requested_due_at": iso_china(ticket.extension_due_at),
        "merged_into": ticket.merged_into,
        "conversation_id": ticket.conversation_id,
        "emergency_number": ticket.emergency,
        "deadline_estimated": default_calendar().is_estimated(to_china(ticket.resolve_due_at).year),
    }


def event_json(event: TicketEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "action_label": ACTION_LABELS.get(event.action, event.action),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor,
        "role": event.role,
        "at": iso_china(event.at),
        "reason": event.reason,
        "note": event.note,
    }
