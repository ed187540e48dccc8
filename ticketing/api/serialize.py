"""Ticket and event JSON, the one shape every client (bot, console, Open311 adapter) reads."""
from __future__ import annotations

from typing import Any

from ticketing.departments import Directory
from ticketing.history import ACTION_LABELS
from ticketing.models import Ticket, TicketEvent
from ticketing.timefmt import display_china, iso_china


def ticket_json(ticket: Ticket, directory: Directory) -> dict[str, Any]:
    dept = directory.get(ticket.department_code)
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
        "sign_due_at": iso_china(ticket.sign_due_at),
        "resolve_due_at": iso_china(ticket.resolve_due_at),
        "resolve_due_display": display_china(ticket.resolve_due_at),
        "created_at": iso_china(ticket.created_at),
        "updated_at": iso_china(ticket.updated_at),
        "contact_name": ticket.contact_name,
        "contact_phone": ticket.contact_phone,
        "anonymous": ticket.anonymous,
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
