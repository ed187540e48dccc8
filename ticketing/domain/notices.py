"""Which history events become domain events, which of those a resident must hear about, and the
versioned JSON each one is published as (docs/notifications.md "Event schema").

Pure rules: the service writes what these functions return into the outbox in the transaction of the
change itself. The public event never carries personal data or free text (no name, phone, e-mail,
description, reply or note); the resident's message takes those from the notification's private params.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from datetime import datetime

from ticketing.core.timefmt import display_china, iso_china, to_china
from ticketing.domain.contact import EMAIL, SMS
from ticketing.domain.departments import Directory
from ticketing.domain.vocabulary import ACTION_LABELS, CREATE, INTERNAL_ACTIONS
from ticketing.models.tickets import Ticket, TicketEvent

SCHEMA_VERSION = 1
EXCHANGE = "yijian.events"
CREATED, TRANSITIONED, RATED = "ticket.created", "ticket.transitioned", "ticket.rated"

# The resident-facing notices: history action -> notice kind (templates in config/notifications.yml).
NOTICE_OF_ACTION = {
    CREATE: "received", "dispatch": "dispatched", "redispatch": "dispatched",
    "approve_extension": "extended", "resolve": "resolved", "reply_directly": "resolved",
    "reopen": "reopened", "merge": "merged",
}
NOTICE_KINDS = ("received", "dispatched", "extended", "resolved", "reopened", "merged")
NOTICE_LABELS = {"received": "受理", "dispatched": "派单", "extended": "延期", "resolved": "办结",
                 "reopened": "重办", "merged": "合并"}


@dataclass(frozen=True)
class Outgoing:
    """One outbox row to write: the public event, and the resident's notice when one is owed."""

    event_type: str
    routing_key: str
    payload: dict[str, Any]
    notice: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def event_type(action: str) -> str:
    return CREATED if action == CREATE else RATED if action == "follow_up" else TRANSITIONED


def outgoing(ticket: Ticket, events: list[TicketEvent], directory: Directory, *,
             at_creation: bool = False) -> list[Outgoing]:
    """The outbox rows for ``events`` just appended to ``ticket`` (internal notes publish nothing).

    At creation the automatic 派单 rides on the 受理 message (one message, naming the unit), and a direct
    answer given in the chat itself is not sent again."""
    rows = []
    dispatched_now = at_creation and any(e.action == "dispatch" for e in events)
    answered_now = at_creation and any(e.action == "reply_directly" for e in events)
    for event in events:
        if event.action in INTERNAL_ACTIONS:
            continue
        notice = NOTICE_OF_ACTION.get(event.action)
        if at_creation and (event.action in ("dispatch", "reply_directly") or answered_now):
            notice = None  # answered in the chat itself: no "due by …" message for it
        if notice and ticket.contact_channel not in (SMS, EMAIL):
            notice = None
        params = _params(ticket, event, directory, notice, dispatched_now) if notice else {}
        kind = event_type(event.action)
        rows.append(Outgoing(kind, kind if kind != TRANSITIONED else f"{kind}.{event.action}",
                             _payload(ticket, event, directory, kind, notice), notice, params))
    return rows


def _payload(ticket: Ticket, event: TicketEvent, directory: Directory, kind: str,
             notice: str | None) -> dict[str, Any]:
    """Schema version 1 (docs/notifications.md); add fields freely, rename or remove only with a new version."""
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": str(uuid.uuid4()),
        "type": kind,
        "occurred_at": iso_china(event.at),
        "ticket": {
            "number": ticket.number, "state": ticket.state, "kind": ticket.kind, "category": ticket.category,
            "district": ticket.district, "priority": ticket.priority, "channel": ticket.channel,
            "department": {"code": ticket.department_code, "name": directory.get(ticket.department_code).name},
            "resolve_due_at": iso_china(ticket.resolve_due_at), "merged_into": ticket.merged_into,
            "rating": ticket.rating,
        },
        "transition": {
            "seq": event.seq, "action": event.action, "label": ACTION_LABELS.get(event.action, event.action),
            "from_state": event.from_state, "to_state": event.to_state, "role": event.role,
        },
        "notice": notice,
    }


def _params(ticket: Ticket, event: TicketEvent, directory: Directory, notice: str,
            dispatched_now: bool) -> dict[str, Any]:
    """What the templates may print; the reply and due times as the resident reads them."""
    department = directory.get(ticket.department_code).name
    params: dict[str, Any] = {"number": ticket.number, "due": display_china(ticket.resolve_due_at),
                              "due_short": _short(ticket.resolve_due_at),
                              "department": department, "action": ACTION_LABELS.get(event.action, "")}
    if notice == "received":
        params["department"] = department if dispatched_now else ""
    if notice == "resolved":
        params["reply"] = ticket.reply or ""
    if notice == "merged":
        params["parent"] = ticket.merged_into or ""
    return params


def _short(moment: datetime) -> str:
    """12月4日17:30: the due time in the fewest characters an SMS can afford."""
    local = to_china(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"
