"""The append-only history (工单流转记录): every change to a ticket is one inserted row."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ticketing.models import Ticket, TicketEvent

ACTION_LABELS = {
    "create": "受理",
    "dispatch": "派单",
    "redispatch": "重新派单",
    "sign": "签收",
    "return": "退单",
    "resolve": "办结",
    "reply_directly": "直接答复",
    "request_extension": "申请延期",
    "approve_extension": "同意延期",
    "refuse_extension": "不同意延期",
    "follow_up": "回访",
    "reopen": "重办",
    "archive": "归档",
    "merge": "合并",
    "supplement": "补充信息",
    "escalate": "督办",
    "internal_note": "内部备注",
}


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
